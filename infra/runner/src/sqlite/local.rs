//! A local SQLite file (Spin's `type = "spin"` database), through rusqlite.
//!
//! Like Spin, this sets neither WAL nor a busy timeout on guest connections:
//! the application must do both itself, so that it behaves the same on Spin.
//! Unlike Spin, a connection a guest has closed is kept and handed out again,
//! reset so that no guest can tell it from a fresh one (see `pool`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;

use std::sync::Arc;

use super::group_commit::{synchronous_pragma, GroupSync, SynchronousPragma};
use super::pool::{Footprint, Pool, Pooled};
use super::{Connection, Database, QueryResult, SqliteError, Value};

pub struct LocalDatabase {
    location: Location,
    pool: Arc<Pool>,
    /// For a file: its commits' shared syncs (an in-memory one has no disk).
    group: Option<Arc<GroupSync>>,
}

enum Location {
    File(PathBuf),
    /// A named shared-cache in-memory database, alive while a connection is.
    Memory { uri: String, _keep_alive: std::sync::Mutex<rusqlite::Connection> },
}

impl LocalDatabase {
    pub fn new(path: Option<&Path>, label: &str) -> Result<Self> {
        let location = match path {
            Some(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                // Open once now, so an unusable path fails start-up, not a request.
                rusqlite::Connection::open(path)
                    .with_context(|| format!("cannot open SQLite database `{label}` at {}", path.display()))?;
                Location::File(path.to_path_buf())
            }
            None => {
                let uri = format!("file:spin-runner-{label}-{}?mode=memory&cache=shared", std::process::id());
                let keep = rusqlite::Connection::open(&uri)?;
                Location::Memory { uri, _keep_alive: std::sync::Mutex::new(keep) }
            }
        };
        let fresh = open_location(&location)?;
        let pool = Arc::new(Pool::new(&fresh).context("cannot read SQLite's default settings")?);
        let group = match &location {
            Location::File(path) => Some(Arc::new(GroupSync::new(path))),
            Location::Memory { .. } => None,
        };
        Ok(Self { location, pool, group })
    }

    fn open_raw(&self) -> rusqlite::Result<rusqlite::Connection> {
        open_location(&self.location)
    }

    #[cfg(test)]
    fn idle_connections(&self) -> usize {
        self.pool.idle_count()
    }
}

fn open_location(location: &Location) -> rusqlite::Result<rusqlite::Connection> {
    let conn = match location {
        Location::File(path) => rusqlite::Connection::open(path)?,
        Location::Memory { uri, .. } => rusqlite::Connection::open(uri)?,
    };
    // Spin denies ATTACH: a guest may reach only the databases it declared.
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    Ok(conn)
}

impl LocalDatabase {
    fn hand_out(&self, pooled: Pooled) -> Box<dyn Connection> {
        Box::new(LocalConnection {
            pooled: Some(pooled),
            footprint: Footprint::default(),
            pool: self.pool.clone(),
            group: self.group.clone(),
            guest_synchronous: self.pool.default_synchronous,
        })
    }
}

impl Database for LocalDatabase {
    fn connect(&self) -> Result<Box<dyn Connection>, SqliteError> {
        let pooled = match self.pool.take() {
            Some(pooled) => pooled,
            None => self.open_raw().and_then(Pooled::new).map_err(|e| SqliteError::Io(e.to_string()))?,
        };
        Ok(self.hand_out(pooled))
    }

    fn reuse(&self) -> Option<Box<dyn Connection>> {
        self.pool.take().map(|pooled| self.hand_out(pooled))
    }

    fn execute_batch(&self, sql: &str) -> Result<()> {
        let conn = self.open_raw()?;
        conn.execute_batch(sql)?;
        Ok(())
    }
}

struct LocalConnection {
    /// Always `Some` until dropped.
    pooled: Option<Pooled>,
    footprint: Footprint,
    pool: Arc<Pool>,
    group: Option<Arc<GroupSync>>,
    /// The `synchronous` level the guest has set, or a fresh connection's.
    guest_synchronous: i64,
}

impl LocalConnection {
    fn pooled(&self) -> &Pooled {
        self.pooled.as_ref().expect("a connection is only emptied when dropped")
    }

    fn pooled_mut(&mut self) -> &mut Pooled {
        self.pooled.as_mut().expect("a connection is only emptied when dropped")
    }

    /// Between transactions (the only time SQLite lets it change), runs
    /// the connection with `NORMAL` when the guest asked for `FULL` or more
    /// and the database is in WAL; otherwise with the guest's own level.
    fn choose_synchronous(&mut self) {
        if self.group.is_none() || !self.pooled().conn.is_autocommit() {
            return;
        }
        let lower = self.guest_synchronous >= 2 && self.pool.in_wal(self.pooled());
        if lower != self.pooled().synchronous_lowered {
            let level = if lower { 1 } else { self.guest_synchronous };
            let pooled = self.pooled_mut();
            if pooled.conn.execute_batch(&format!("PRAGMA synchronous = {level}")).is_ok() {
                pooled.synchronous_lowered = lower;
            }
        }
    }
}

impl Drop for LocalConnection {
    fn drop(&mut self) {
        if let Some(pooled) = self.pooled.take() {
            // A transaction left open ends here (rolled back, by reset or close).
            let was_open = !pooled.conn.is_autocommit();
            self.pool.give_back(pooled, &self.footprint);
            if was_open {
                self.pool.write_ended();
            }
        }
    }
}

fn to_sql(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Integer(i) => rusqlite::types::Value::Integer(*i),
        Value::Real(r) => rusqlite::types::Value::Real(*r),
        Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
        Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
        Value::Null => rusqlite::types::Value::Null,
    }
}

fn from_sql(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        ValueRef::Null => Value::Null,
    }
}

fn map_error(e: rusqlite::Error) -> SqliteError {
    if let rusqlite::Error::SqliteFailure(code, _) = &e {
        if code.code == rusqlite::ErrorCode::DiskFull {
            return SqliteError::DatabaseFull;
        }
    }
    SqliteError::Io(e.to_string())
}

/// How long a writer may wait here for others before it gets SQLite's BUSY.
const WAIT_FOR_WRITERS: std::time::Duration = std::time::Duration::from_millis(250);
/// How often it looks again without being woken: the lock may be held by
/// another process (replicas on one file), which cannot wake it.
const WRITER_POLL: std::time::Duration = std::time::Duration::from_millis(2);

/// Whether `conn` is in a transaction that holds the write lock.
fn holds_write_lock(conn: &rusqlite::Connection) -> bool {
    // SAFETY: the handle is this open connection's; the call only reads.
    unsafe { rusqlite::ffi::sqlite3_txn_state(conn.handle(), std::ptr::null()) == rusqlite::ffi::SQLITE_TXN_WRITE }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(code, _) if code.code == rusqlite::ErrorCode::DatabaseBusy)
}

/// `BEGIN IMMEDIATE`, `BEGIN EXCLUSIVE`, or a write that would run in a
/// transaction of its own: statements that take the write lock at once.
fn takes_write_lock(statement: &str) -> bool {
    let statement = super::pool::skip_comments(statement);
    let mut words = statement.split_ascii_whitespace().map(|w| w.trim_end_matches(';').to_ascii_lowercase());
    match words.next().as_deref() {
        Some("begin") => matches!(words.next().as_deref(), Some("immediate" | "exclusive")),
        Some("insert" | "update" | "delete" | "replace") => true,
        _ => false,
    }
}

impl LocalConnection {
    /// Runs `statement`; with `may_wait` false, a statement that would have
    /// to wait for another writer is not run and its parameters come back.
    fn attempt(&mut self, statement: &str, parameters: Vec<Value>, may_wait: bool) -> Result<Result<QueryResult, SqliteError>, Vec<Value>> {
        let mut notes = Footprint::default();
        notes.note(statement);
        self.footprint.absorb(&notes);
        let synchronous = synchronous_pragma(statement);
        self.choose_synchronous();
        if synchronous == Some(SynchronousPragma::Read) && self.pooled().synchronous_lowered {
            // The level the guest chose, not the one we run with (see `group_commit`).
            return Ok(Ok(QueryResult {
                columns: vec!["synchronous".to_string()],
                rows: vec![vec![Value::Integer(self.guest_synchronous)]],
            }));
        }
        let lowered = self.pooled().synchronous_lowered;
        let conn = &self.pooled().conn;
        let was_writing = holds_write_lock(conn);
        let was_autocommit = conn.is_autocommit();
        let result = if was_autocommit && takes_write_lock(statement) {
            if may_wait {
                self.run_after_other_writers(statement, parameters)
            } else {
                match self.run(statement, &parameters) {
                    // Nothing ran: the caller tries again where it may wait.
                    Err(e) if is_busy(&e) => return Err(parameters),
                    outcome => outcome.map_err(map_error),
                }
            }
        } else {
            self.run(statement, &parameters).map_err(map_error)
        };
        if was_writing && self.pooled().conn.is_autocommit() {
            self.pool.write_ended();
        }
        if synchronous == Some(SynchronousPragma::Set) && result.is_ok() {
            // The guest's new level is now the connection's real one.
            let level = self.pooled().conn.query_row("PRAGMA synchronous", [], |row| row.get::<_, i64>(0));
            self.guest_synchronous = level.unwrap_or(self.guest_synchronous);
            self.pooled_mut().synchronous_lowered = false;
        }
        let set_to = match (&result, notes.journal_mode_set) {
            (Ok(answer), true) => answer.rows.first().and_then(|row| match row.first() {
                Some(Value::Text(mode)) => Some(mode.clone()),
                _ => None,
            }),
            _ => None,
        };
        let pool = self.pool.clone();
        pool.learn_journal_mode(self.pooled_mut(), set_to.as_deref());
        if lowered && result.is_ok() && self.committed(statement, was_writing, was_autocommit) {
            if let Some(group) = &self.group {
                if let Err(e) = group.wait_durable() {
                    return Ok(Err(SqliteError::Io(format!("cannot sync the commit to disk: {e}"))));
                }
            }
        }
        Ok(result)
    }

    /// `BEGIN IMMEDIATE` or `EXCLUSIVE` outside a transaction, in WAL, with
    /// no busy timeout: SQLite takes the lock or answers BUSY at once, without
    /// sleeping or touching the disk, so it may run in place, and the guest
    /// goes on holding the lock without waiting for a thread of the executor.
    fn takes_lock_without_waiting(&mut self, statement: &str) -> bool {
        if !super::pool::starts_with_keyword(statement, "begin") || !takes_write_lock(statement) || !self.pooled().conn.is_autocommit() || !self.pool.in_wal(self.pooled()) {
            return false;
        }
        self.pooled().conn.query_row("PRAGMA busy_timeout", [], |row| row.get::<_, i64>(0)).is_ok_and(|ms| ms == 0)
    }

    /// Whether `statement`, which just succeeded, ended a transaction that
    /// wrote: a `COMMIT` (or `END`, or the `RELEASE` of the savepoint that
    /// began it), or a write outside any transaction.
    fn committed(&self, statement: &str, was_writing: bool, was_autocommit: bool) -> bool {
        let conn = &self.pooled().conn;
        if !conn.is_autocommit() {
            return false;
        }
        if was_writing {
            return !super::pool::starts_with_keyword(statement, "rollback");
        }
        // A connection's own setting is no write, whatever SQLite calls it.
        was_autocommit
            && !super::pool::is_connection_setting(statement)
            && conn.prepare_cached(statement).is_ok_and(|prepared| !prepared.readonly())
    }

    fn run(&mut self, statement: &str, parameters: &[Value]) -> rusqlite::Result<QueryResult> {
        let mut stmt = self.pooled().conn.prepare_cached(statement)?;
        let columns: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
        let params: Vec<rusqlite::types::Value> = parameters.iter().map(to_sql).collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let values = (0..columns.len()).map(|i| row.get_ref(i).map(from_sql)).collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(values);
        }
        Ok(QueryResult { columns, rows: out })
    }

    /// Runs a statement that needs the write lock, begun outside any
    /// transaction. While another writer holds the lock SQLite answers BUSY
    /// at once (the guest's busy timeout is 0, or it waited already) and the
    /// statement changed nothing; rather than hand the guest a BUSY to sleep
    /// on and poll again, wait here until a writer of this process finishes
    /// and try again, for at most `WAIT_FOR_WRITERS`. A guest cannot tell
    /// this from the other writer having finished sooner; after that long it
    /// gets SQLite's BUSY as before.
    fn run_after_other_writers(&mut self, statement: &str, parameters: Vec<Value>) -> Result<QueryResult, SqliteError> {
        let deadline = std::time::Instant::now() + WAIT_FOR_WRITERS;
        loop {
            let seen = self.pool.writes_ended();
            match self.run(statement, &parameters) {
                Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    self.pool.wait_for_writer(seen, WRITER_POLL);
                }
                outcome => return outcome.map_err(map_error),
            }
        }
    }
}

impl Connection for LocalConnection {
    fn execute(&mut self, statement: &str, parameters: Vec<Value>) -> Result<QueryResult, SqliteError> {
        self.attempt(statement, parameters, true).unwrap_or_else(|_| unreachable!("an attempt that may wait always runs"))
    }

    fn execute_if_quick(&mut self, statement: &str, parameters: Vec<Value>) -> Result<Result<QueryResult, SqliteError>, Vec<Value>> {
        if self.never_waits(statement) {
            return Ok(self.execute(statement, parameters));
        }
        if self.takes_lock_without_waiting(statement) {
            return self.attempt(statement, parameters, false);
        }
        Err(parameters)
    }

    fn never_waits(&mut self, statement: &str) -> bool {
        // Without WAL a read waits for a writer's lock, and a write in a
        // transaction may spill to the file and wait for readers.
        if !self.pool.in_wal(self.pooled()) {
            return false;
        }
        // Preparing puts the statement in the cache `execute` takes it from.
        let conn = &self.pooled().conn;
        let holds_write_lock = holds_write_lock(conn);
        match conn.prepare_cached(statement) {
            Ok(prepared) => super::pool::never_waits(statement, prepared.readonly(), holds_write_lock),
            // Let `execute` report the error, on the usual path.
            Err(_) => false,
        }
    }

    fn last_insert_rowid(&self) -> i64 {
        self.pooled().conn.last_insert_rowid()
    }

    fn changes(&self) -> u64 {
        self.pooled().changes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_statement_per_execute_and_attach_is_denied() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let mut c = db.connect().unwrap();
        c.execute("CREATE TABLE t (a INTEGER, b TEXT, c REAL, d BLOB)", vec![]).unwrap();
        c.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            vec![Value::Integer(1), Value::Text("é".into()), Value::Real(1.5), Value::Blob(vec![0, 1])],
        )
        .unwrap();
        assert_eq!(c.last_insert_rowid(), 1);
        assert_eq!(c.changes(), 1);
        let r = c.execute("SELECT a, b, c, d, NULL AS e FROM t", vec![]).unwrap();
        assert_eq!(r.columns, vec!["a", "b", "c", "d", "e"]);
        assert_eq!(
            r.rows,
            vec![vec![Value::Integer(1), Value::Text("é".into()), Value::Real(1.5), Value::Blob(vec![0, 1]), Value::Null]]
        );
        assert!(c.execute("SELECT 1; SELECT 2", vec![]).is_err());
        let attach = c.execute("ATTACH DATABASE ':memory:' AS other", vec![]);
        assert!(attach.is_err(), "{attach:?}");
    }

    fn one(c: &mut Box<dyn Connection>, sql: &str) -> Value {
        c.execute(sql, vec![]).unwrap().rows.remove(0).remove(0)
    }

    /// What a guest can ask a connection about itself, on a fresh one.
    fn fresh_answers(c: &mut Box<dyn Connection>) -> Vec<Value> {
        let mut answers: Vec<Value> = [
            "PRAGMA busy_timeout",
            "PRAGMA foreign_keys",
            "PRAGMA synchronous",
            "PRAGMA cache_size",
            "PRAGMA recursive_triggers",
            "PRAGMA journal_mode",
            "SELECT count(*) FROM temp.sqlite_schema",
            "SELECT changes()",
            "SELECT total_changes()",
            "SELECT last_insert_rowid()",
        ]
        .iter()
        .map(|sql| one(c, sql))
        .collect();
        answers.push(Value::Integer(c.last_insert_rowid()));
        answers.push(Value::Integer(c.changes() as i64));
        answers
    }

    #[test]
    fn a_reused_connection_cannot_be_told_from_a_fresh_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let mut setup = db.connect().unwrap();
        setup.execute("PRAGMA journal_mode = WAL", vec![]).unwrap();
        setup.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)", vec![]).unwrap();
        drop(setup);
        let mut first = db.connect().unwrap();
        let fresh = fresh_answers(&mut first);
        // The guest changes every setting it can, writes, and leaves a
        // transaction open.
        for sql in [
            "PRAGMA busy_timeout = 1234",
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = 7",
            "PRAGMA recursive_triggers = 1",
            "INSERT INTO t (b) VALUES ('kept')",
            "INSERT INTO t (b) VALUES ('kept too')",
            "BEGIN",
            "INSERT INTO t (b) VALUES ('rolled back')",
        ] {
            first.execute(sql, vec![]).unwrap();
        }
        assert_eq!(first.last_insert_rowid(), 3);
        drop(first);
        assert_eq!(db.idle_connections(), 1, "the connection goes back to the pool");
        let mut second = db.connect().unwrap();
        assert_eq!(db.idle_connections(), 0, "and is handed out again");
        assert_eq!(fresh_answers(&mut second), fresh);
        assert_eq!(one(&mut second, "SELECT count(*) FROM t"), Value::Integer(2), "the open transaction was rolled back");
        // Counters count from the hand-out: an update that changes nothing
        // leaves them at zero, one that does counts only its own rows.
        second.execute("UPDATE t SET b = b WHERE a > 100", vec![]).unwrap();
        assert_eq!(second.changes(), 0);
        second.execute("UPDATE t SET b = 'x'", vec![]).unwrap();
        assert_eq!(second.changes(), 2);
        assert_eq!(one(&mut second, "SELECT total_changes()"), Value::Integer(2));
    }

    #[test]
    fn a_connection_that_cannot_be_made_fresh_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let mut c = db.connect().unwrap();
        c.execute("CREATE TEMP TABLE scratch (a)", vec![]).unwrap();
        drop(c);
        assert_eq!(db.idle_connections(), 0);
        let mut c = db.connect().unwrap();
        assert_eq!(one(&mut c, "SELECT count(*) FROM temp.sqlite_schema"), Value::Integer(0));
        c.execute("PRAGMA locking_mode = EXCLUSIVE", vec![]).unwrap();
        drop(c);
        assert_eq!(db.idle_connections(), 0);
        let mut c = db.connect().unwrap();
        assert_eq!(one(&mut c, "PRAGMA locking_mode"), Value::Text("normal".into()));
        c.execute("PRAGMA journal_mode = MEMORY", vec![]).unwrap();
        drop(c);
        assert_eq!(db.idle_connections(), 0);
        let mut c = db.connect().unwrap();
        assert_eq!(one(&mut c, "PRAGMA journal_mode"), Value::Text("delete".into()));
        drop(c);
        assert_eq!(db.idle_connections(), 1);
    }

    #[test]
    fn only_a_database_known_to_be_in_wal_runs_statements_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let mut c = db.connect().unwrap();
        assert!(!c.never_waits("SELECT 1"), "the journal mode is not known yet");
        c.execute("SELECT 1", vec![]).unwrap();
        assert!(!c.never_waits("SELECT 1"), "with a rollback journal a read may wait for a writer");
        c.execute("PRAGMA journal_mode = WAL", vec![]).unwrap();
        assert!(c.never_waits("SELECT 1"));
        assert!(!c.never_waits("INSERT INTO t VALUES (1)"), "an autocommit write syncs");
        let mut other = db.connect().unwrap();
        assert!(!other.never_waits("SELECT 1"), "a new connection has not looked yet");
        other.execute("SELECT 1", vec![]).unwrap();
        assert!(other.never_waits("SELECT 1"));
    }

    #[test]
    fn commits_wait_for_a_shared_sync_while_the_guest_sees_its_own_level() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let group = db.group.clone().unwrap();
        let mut c = db.connect().unwrap();
        c.execute("PRAGMA journal_mode = WAL", vec![]).unwrap();
        c.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)", vec![]).unwrap();
        assert_eq!(one(&mut c, "PRAGMA synchronous"), Value::Integer(2), "FULL, as on a fresh connection");
        let syncs = |expected: u64, why: &str| assert_eq!(group.syncs(), expected, "{why}");
        let before = group.syncs();
        c.execute("INSERT INTO t (b) VALUES ('alone')", vec![]).unwrap();
        syncs(before + 1, "a write outside a transaction commits");
        for sql in ["BEGIN IMMEDIATE", "INSERT INTO t (b) VALUES ('one')", "INSERT INTO t (b) VALUES ('two')"] {
            c.execute(sql, vec![]).unwrap();
        }
        syncs(before + 1, "nothing is synced before COMMIT");
        c.execute("COMMIT", vec![]).unwrap();
        syncs(before + 2, "COMMIT returns after its sync");
        for sql in ["BEGIN", "INSERT INTO t (b) VALUES ('gone')", "ROLLBACK", "SELECT count(*) FROM t", "PRAGMA foreign_keys = ON"] {
            c.execute(sql, vec![]).unwrap();
        }
        syncs(before + 2, "a rollback, a read and a setting write nothing");
        assert_eq!(one(&mut c, "PRAGMA synchronous"), Value::Integer(2));
        c.execute("PRAGMA synchronous = OFF", vec![]).unwrap();
        assert_eq!(one(&mut c, "PRAGMA main.synchronous"), Value::Integer(0));
        c.execute("INSERT INTO t (b) VALUES ('unsynced')", vec![]).unwrap();
        syncs(before + 2, "a guest that turned syncing off gets what it asked for");
        c.execute("BEGIN", vec![]).unwrap();
        assert!(c.execute("PRAGMA synchronous = FULL", vec![]).is_err(), "SQLite refuses inside a transaction");
        c.execute("ROLLBACK", vec![]).unwrap();
        drop(c);
        let mut again = db.connect().unwrap();
        assert_eq!(one(&mut again, "PRAGMA synchronous"), Value::Integer(2), "the next guest starts at the default");
        again.execute("INSERT INTO t (b) VALUES ('synced')", vec![]).unwrap();
        syncs(before + 3, "and is synced again");
        assert_eq!(one(&mut again, "SELECT count(*) FROM t"), Value::Integer(5));
    }

    #[test]
    fn a_writer_waits_for_the_one_holding_the_lock_instead_of_failing_busy() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let mut holder = db.connect().unwrap();
        holder.execute("PRAGMA journal_mode = WAL", vec![]).unwrap();
        holder.execute("CREATE TABLE t (a)", vec![]).unwrap();
        holder.execute("BEGIN IMMEDIATE", vec![]).unwrap();
        let mut waiter = db.connect().unwrap();
        waiter.execute("PRAGMA busy_timeout = 0", vec![]).unwrap();
        let started = std::time::Instant::now();
        let waiting = std::thread::spawn(move || {
            let outcome = waiter.execute("BEGIN IMMEDIATE", vec![]).map(|_| ());
            (outcome, started.elapsed(), waiter)
        });
        std::thread::sleep(std::time::Duration::from_millis(30));
        holder.execute("INSERT INTO t VALUES (1)", vec![]).unwrap();
        holder.execute("COMMIT", vec![]).unwrap();
        let (outcome, waited, mut waiter) = waiting.join().unwrap();
        assert!(outcome.is_ok(), "{outcome:?}");
        assert!(waited >= std::time::Duration::from_millis(30), "it had to wait for the commit: {waited:?}");
        waiter.execute("INSERT INTO t VALUES (2)", vec![]).unwrap();
        waiter.execute("COMMIT", vec![]).unwrap();

        // A lock held past the wait still gets SQLite's answer.
        holder.execute("BEGIN IMMEDIATE", vec![]).unwrap();
        let refused = waiter.execute("INSERT INTO t VALUES (3)", vec![]);
        assert!(matches!(&refused, Err(SqliteError::Io(message)) if message.contains("locked")), "{refused:?}");
        holder.execute("ROLLBACK", vec![]).unwrap();
        assert_eq!(one(&mut waiter, "SELECT count(*) FROM t"), Value::Integer(2));
    }

    #[test]
    fn a_free_write_lock_is_taken_in_place_and_a_held_one_is_left_to_the_blocking_pool() {
        let dir = tempfile::tempdir().unwrap();
        let db = LocalDatabase::new(Some(&dir.path().join("x.db")), "default").unwrap();
        let mut a = db.connect().unwrap();
        a.execute("PRAGMA journal_mode = WAL", vec![]).unwrap();
        a.execute("PRAGMA busy_timeout = 0", vec![]).unwrap();
        assert!(matches!(a.execute_if_quick("BEGIN IMMEDIATE", vec![]), Ok(Ok(_))), "the lock was free");
        let mut b = db.connect().unwrap();
        b.execute("SELECT 1", vec![]).unwrap();
        let parameters = vec![Value::Integer(7)];
        assert_eq!(b.execute_if_quick("BEGIN IMMEDIATE", parameters.clone()).err(), Some(parameters), "held: nothing ran");
        assert!(b.execute("SELECT 1", vec![]).is_ok() && b.execute_if_quick("COMMIT", vec![]).is_err(), "b holds no transaction");
        a.execute("ROLLBACK", vec![]).unwrap();
        b.execute("PRAGMA busy_timeout = 100", vec![]).unwrap();
        assert!(b.execute_if_quick("BEGIN IMMEDIATE", vec![]).is_err(), "with a busy timeout SQLite may sleep: not in place");
    }

    #[test]
    fn what_takes_the_write_lock_at_once() {
        assert!(takes_write_lock("BEGIN IMMEDIATE"));
        assert!(takes_write_lock(" /* x */ begin   exclusive;"));
        assert!(!takes_write_lock("BEGIN"), "a deferred BEGIN takes no lock");
        assert!(!takes_write_lock("BEGIN DEFERRED TRANSACTION"));
        assert!(takes_write_lock("insert into t values (1)"));
        assert!(!takes_write_lock("SELECT 1"));
        assert!(!takes_write_lock("COMMIT"));
    }

    #[test]
    fn in_memory_database_is_shared_between_connections() {
        let db = LocalDatabase::new(None, "mem").unwrap();
        db.connect().unwrap().execute("CREATE TABLE t (a)", vec![]).unwrap();
        let r = db.connect().unwrap().execute("SELECT count(*) FROM t", vec![]).unwrap();
        assert_eq!(r.rows, vec![vec![Value::Integer(0)]]);
    }
}
