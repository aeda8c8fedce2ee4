-- Applied by `make run` through the runner's `--sqlite @infra/seed/dev.sql`,
-- before serving. Spin does not turn on write-ahead logging, and the setting
-- persists in the database file, so setting it once here (and again by the
-- application's own migrations, which must work on Spin without this flag)
-- lets readers work while a report is being written.
PRAGMA journal_mode = WAL;
