-- Performance statistics (see lapor_domain::stats): a count per
-- (dimension, key, day, confidential, measure). Every change to a report
-- adds its cells in the change's own transaction; the facts behind them are
-- kept in `report_events.data` (and `supports.fact`), so the whole table can
-- be recomputed from the log (`lapor_platform::stats::rebuild`).
CREATE TABLE IF NOT EXISTS stats_daily (
    dimension TEXT NOT NULL,
    key TEXT NOT NULL,
    day TEXT NOT NULL,
    confidential INTEGER NOT NULL CHECK (confidential IN (0, 1)),
    measure TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dimension, key, day, confidential, measure)
) WITHOUT ROWID;
-- The league table and the category and region lists: every key of one
-- dimension over a window of days.
CREATE INDEX IF NOT EXISTS stats_daily_window ON stats_daily (dimension, day);
-- Measures that are levels rather than flows ("overdue now"): their sum
-- over all days, kept beside the daily cells so reading them is one row.
CREATE TABLE IF NOT EXISTS stats_now (
    dimension TEXT NOT NULL,
    key TEXT NOT NULL,
    confidential INTEGER NOT NULL CHECK (confidential IN (0, 1)),
    measure TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (dimension, key, confidential, measure)
) WITHOUT ROWID;
-- What a support counted for (its day, the report's groups then), so
-- withdrawing it takes back exactly that.
ALTER TABLE supports ADD COLUMN fact TEXT;
-- The count a missed response deadline added ("overdue"), kept with the
-- report while the clock runs, so stopping the clock takes back exactly it
-- (in the groups it was counted in, even if the report moved unit since).
ALTER TABLE reports ADD COLUMN overdue_fact TEXT;
-- The dashboard's oldest missed deadlines, nationally and per agency:
-- only the few reports past their response deadline are indexed.
CREATE INDEX IF NOT EXISTS reports_overdue ON reports (clock_due) WHERE clock = 'response' AND clock_escalated = 1;
CREATE INDEX IF NOT EXISTS reports_overdue_by_agency ON reports (agency, clock_due) WHERE clock = 'response' AND clock_escalated = 1;
-- The weekly summaries the scheduler stores (national: scope ''; else an
-- agency's code): the week's figures as served then, for staff to read
-- and print later.
CREATE TABLE IF NOT EXISTS weekly_summaries (
    scope TEXT NOT NULL,
    week_start TEXT NOT NULL,
    figures TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, week_start)
) WITHOUT ROWID;
