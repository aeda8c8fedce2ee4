//! The SQLite database (Spin's `default`), opened with the settings Spin does
//! not make for us and migrated on first use.
//!
//! Spin sets neither WAL nor a busy timeout, and on Spin and SpinKube nothing
//! runs SQL before the app starts, so every open checks `PRAGMA user_version`
//! (one cheap read) and the first connection to find the schema behind
//! applies the migrations, under `BEGIN IMMEDIATE` so concurrent instances
//! cannot apply them twice.

use anyhow::{Context, Result};
use crate::row::Rows;
use crate::schema;
use spin_sdk::sqlite3::{Connection, QueryResult, Value};

/// Whether the default database answers a read, for the health route:
/// opens it without migrating (a health check must not start a migration).
pub fn probe() -> std::result::Result<(), String> {
    let connection = Connection::open_default().map_err(|e| format!("open: {e}"))?;
    // Spin sets no busy timeout; without one a check during a write would fail.
    connection.execute("PRAGMA busy_timeout = 2000", &[]).map_err(|e| format!("configure: {e}"))?;
    let result = connection.execute("SELECT 1 AS one", &[]).map_err(|e| format!("read: {e}"))?;
    if !matches!(result.rows.first().and_then(|row| row.values.first()), Some(Value::Integer(1))) {
        return Err("read: unexpected answer to SELECT 1".to_string());
    }
    Ok(())
}

pub struct Db {
    conn: Connection,
    /// Open transactions on this connection: 0, 1 (`BEGIN IMMEDIATE`), or
    /// more (each inner one a `SAVEPOINT`).
    depth: std::cell::Cell<u32>,
}

/// How long a statement waits for another writer before failing.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Db {
    pub fn open() -> Result<Db> {
        let conn = Connection::open_default().context("open the default database")?;
        let db = Db { conn, depth: std::cell::Cell::new(0) };
        // No SQLite busy handler: its back-off grows to 100 ms sleeps, so a
        // writer that waited long keeps sleeping after the lock is free.
        // `execute` retries with short random waits instead (see below).
        db.execute("PRAGMA busy_timeout = 0", &[])?;
        db.execute("PRAGMA foreign_keys = ON", &[])?;
        if schema::user_version(&db)? < schema::expected_count() {
            db.migrate()?;
        }
        Ok(db)
    }

    fn migrate(&self) -> Result<()> {
        // WAL persists in the file; it lets reads proceed during writes.
        // Best effort: another connection may hold the file, and the next
        // open will try again.
        let _ = self.execute("PRAGMA journal_mode = WAL", &[]);
        schema::migrate(self)
    }

    /// Runs one statement. While another connection holds the write lock
    /// (SQLITE_BUSY), it retries after 1-4 ms for up to five seconds.
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<QueryResult> {
        let started = std::time::Instant::now();
        loop {
            match self.conn.execute(sql, params) {
                Ok(result) => return Ok(result),
                Err(e) => {
                    let message = e.to_string();
                    let busy = message.contains("database is locked") || message.contains("SQLITE_BUSY");
                    if !busy || started.elapsed() >= BUSY_WAIT {
                        return Err(anyhow::anyhow!(DbError(message)));
                    }
                    let mut jitter = [0u8; 1];
                    let _ = getrandom::fill(&mut jitter);
                    std::thread::sleep(std::time::Duration::from_micros(1000 + u64::from(jitter[0]) * 12));
                }
            }
        }
    }

    /// Runs a query whose rows are read strictly by column (see `row`).
    pub fn query(&self, sql: &str, params: &[Value]) -> Result<Rows> {
        Ok(Rows::new(self.execute(sql, params)?))
    }

    /// Runs `f` inside `BEGIN IMMEDIATE` ... `COMMIT`, rolling back on error.
    /// IMMEDIATE takes the write lock up front, so two writers never both
    /// read a state and then both act on it.
    ///
    /// Inside another transaction it is a savepoint: an error undoes only
    /// `f`'s writes, and nothing is kept unless the outer one commits. (An
    /// inbound SMS applies a command and records the message's reply in one
    /// transaction; the command's own transaction nests in it.)
    pub fn transaction<T, E>(&self, f: impl FnOnce(&Db) -> Result<T, E>) -> Result<T, E>
    where
        E: From<anyhow::Error>,
    {
        let depth = self.depth.get();
        let savepoint = format!("nested_{depth}");
        if depth == 0 {
            self.execute("BEGIN IMMEDIATE", &[])?;
        } else {
            self.execute(&format!("SAVEPOINT {savepoint}"), &[])?;
        }
        self.depth.set(depth + 1);
        let result = f(self);
        self.depth.set(depth);
        match result {
            Ok(value) => {
                if depth == 0 {
                    if let Err(e) = self.execute("COMMIT", &[]) {
                        let _ = self.execute("ROLLBACK", &[]);
                        return Err(e.into());
                    }
                } else {
                    self.execute(&format!("RELEASE {savepoint}"), &[])?;
                }
                Ok(value)
            }
            Err(e) => {
                if depth == 0 {
                    let _ = self.execute("ROLLBACK", &[]);
                } else {
                    let _ = self.execute(&format!("ROLLBACK TO {savepoint}"), &[]);
                    let _ = self.execute(&format!("RELEASE {savepoint}"), &[]);
                }
                Err(e)
            }
        }
    }

    pub fn last_insert_rowid(&self) -> i64 {
        self.conn.last_insert_rowid()
    }

    pub fn changes(&self) -> u64 {
        self.conn.changes()
    }
}

/// Migrations run through the same code on Spin's SQLite as in the schema
/// tests on rusqlite.
impl schema::Connection for Db {
    fn run(&self, sql: &str, params: &[schema::Param]) -> Result<()> {
        self.execute(sql, &params.iter().map(to_value).collect::<Vec<_>>())?;
        Ok(())
    }

    fn query_integer(&self, sql: &str, params: &[schema::Param]) -> Result<i64> {
        let result = self.execute(sql, &params.iter().map(to_value).collect::<Vec<_>>())?;
        match result.rows.first().and_then(|row| row.values.first()) {
            None => Ok(0),
            Some(Value::Integer(n)) => Ok(*n),
            Some(other) => Err(anyhow::anyhow!("`{sql}` answered {other:?}, not an integer")),
        }
    }
}

fn to_value(param: &schema::Param) -> Value {
    match param {
        schema::Param::Text(s) => Value::Text(s.clone()),
        schema::Param::Null => Value::Null,
    }
}

/// A database error, kept as text (that is all Spin gives us).
#[derive(Debug)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sqlite: {}", self.0)
    }
}

impl std::error::Error for DbError {}

/// Whether `error` is a UNIQUE violation on `table.column`.
pub fn is_unique_violation(error: &anyhow::Error, table_column: &str) -> bool {
    error
        .chain()
        .any(|cause| cause.to_string().contains(&format!("UNIQUE constraint failed: {table_column}")))
}

pub fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

pub fn opt_text(value: Option<impl Into<String>>) -> Value {
    value.map(|v| Value::Text(v.into())).unwrap_or(Value::Null)
}

pub fn opt_real(value: Option<f64>) -> Value {
    value.map(Value::Real).unwrap_or(Value::Null)
}

pub fn opt_int(value: Option<i64>) -> Value {
    value.map_or(Value::Null, Value::Integer)
}

pub fn int(value: i64) -> Value {
    Value::Integer(value)
}
