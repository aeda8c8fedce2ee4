//! SQLite databases behind Spin's SQLite interfaces.
//!
//! A [`Database`] opens [`Connection`]s; each guest `open` gets its own
//! connection that lives as long as the guest's resource, so a guest can run
//! `BEGIN` ... `COMMIT` across several `execute` calls, as on Spin.

mod local;

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
    fn last_insert_rowid(&self) -> i64;
    fn changes(&self) -> u64;
}

/// A database that can open connections.
pub trait Database: Send + Sync {
    fn connect(&self) -> Result<Box<dyn Connection>, SqliteError>;
    /// Runs a batch of statements (the `--sqlite` start-up option).
    fn execute_batch(&self, sql: &str) -> Result<()>;
}

/// The databases defined by the runtime config.
#[derive(Clone)]
pub struct ConfiguredDatabases {
    databases: BTreeMap<String, Arc<dyn Database>>,
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
