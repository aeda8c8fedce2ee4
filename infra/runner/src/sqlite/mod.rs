//! SQLite databases behind Spin's SQLite interfaces.
//!
//! A [`Database`] opens [`Connection`]s; each guest `open` gets its own
//! connection that lives as long as the guest's resource, so a guest can run
//! `BEGIN` ... `COMMIT` across several `execute` calls, as on Spin.

mod group_commit;
mod local;
mod pool;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;

use crate::runtime_config::SqliteBackend;

pub use local::LocalDatabase;

/// A value in a statement parameter or a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Null,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryResult {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Errors reported to the guest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqliteError {
    #[error("no such database")]
    NoSuchDatabase,
    #[error("access denied")]
    AccessDenied,
    #[error("invalid connection")]
    InvalidConnection,
    #[error("database full")]
    DatabaseFull,
    #[error("{0}")]
    Io(String),
}

/// An open connection (one per guest `open`).
pub trait Connection: Send {
    /// Runs one statement.
    fn execute(&mut self, statement: &str, parameters: Vec<Value>) -> Result<QueryResult, SqliteError>;
    /// Whether `statement` only reads and can neither wait for a lock nor
    /// sync the disk, so it may run on the async executor like any other
    /// short computation instead of being sent to the blocking pool (a
    /// thread hop that cost more than the read itself).
    fn never_waits(&mut self, statement: &str) -> bool;
    /// Runs `statement` now if that can neither wait for a lock nor sync
    /// the disk (see `never_waits`); otherwise gives `parameters` back, for
    /// `execute` on the blocking pool.
    fn execute_if_quick(&mut self, statement: &str, parameters: Vec<Value>) -> Result<Result<QueryResult, SqliteError>, Vec<Value>> {
        if self.never_waits(statement) {
            Ok(self.execute(statement, parameters))
        } else {
            Err(parameters)
        }
    }
    fn last_insert_rowid(&self) -> i64;
    fn changes(&self) -> u64;
}

/// A database that can open connections.
pub trait Database: Send + Sync {
    fn connect(&self) -> Result<Box<dyn Connection>, SqliteError>;
    /// A connection that is ready at once (one kept from an earlier guest),
    /// if there is one: taking it neither opens a file nor waits.
    fn reuse(&self) -> Option<Box<dyn Connection>> {
        None
    }
    /// Runs a batch of statements (the `--sqlite` start-up option).
    fn execute_batch(&self, sql: &str) -> Result<()>;
}

/// The databases defined by the runtime config.
#[derive(Clone)]
pub struct ConfiguredDatabases {
    databases: BTreeMap<String, Arc<dyn Database>>,
}

/// Turns off SQLite's memory statistics, which take a process-wide mutex on
/// every allocation (contended in a profile with many connections at once);
/// nothing the runner or a guest can read depends on them. Only possible
/// before SQLite's first use in the process, so a later call does nothing.
pub fn configure_process() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any other SQLite call of
        // this process or returns SQLITE_MISUSE without effect.
        let _ = unsafe { rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) };
    });
}

impl ConfiguredDatabases {
    pub fn open(config: &BTreeMap<String, SqliteBackend>) -> Result<Self> {
        let mut databases: BTreeMap<String, Arc<dyn Database>> = BTreeMap::new();
        for (label, backend) in config {
            let database: Arc<dyn Database> = match backend {
                SqliteBackend::Spin { path } => Arc::new(LocalDatabase::new(path.as_deref(), label)?),
            };
            databases.insert(label.clone(), database);
        }
        Ok(Self { databases })
    }

    pub fn get(&self, label: &str) -> Option<Arc<dyn Database>> {
        self.databases.get(label).cloned()
    }

    pub fn is_defined(&self, label: &str) -> bool {
        self.databases.contains_key(label)
    }
}
