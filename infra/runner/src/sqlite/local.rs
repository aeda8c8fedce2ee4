//! A local SQLite file (Spin's `type = "spin"` database), through rusqlite.
//!
//! Like Spin, this sets neither WAL nor a busy timeout on guest connections:
//! the application must do both itself, so that it behaves the same on Spin.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;

use super::{Connection, Database, QueryResult, SqliteError, Value};

pub struct LocalDatabase {
    location: Location,
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
        Ok(Self { location })
    }

    fn open_raw(&self) -> rusqlite::Result<rusqlite::Connection> {
        let conn = match &self.location {
            Location::File(path) => rusqlite::Connection::open(path)?,
            Location::Memory { uri, .. } => rusqlite::Connection::open(uri)?,
        };
        // Spin denies ATTACH: a guest may reach only the databases it declared.
        conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
        Ok(conn)
    }
}

impl Database for LocalDatabase {
    fn connect(&self) -> Result<Box<dyn Connection>, SqliteError> {
        let conn = self.open_raw().map_err(|e| SqliteError::Io(e.to_string()))?;
        Ok(Box::new(LocalConnection { conn }))
    }

    fn execute_batch(&self, sql: &str) -> Result<()> {
        let conn = self.open_raw()?;
        conn.execute_batch(sql)?;
        Ok(())
    }
}

struct LocalConnection {
    conn: rusqlite::Connection,
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

impl Connection for LocalConnection {
    fn execute(&mut self, statement: &str, parameters: Vec<Value>) -> Result<QueryResult, SqliteError> {
        let mut stmt = self.conn.prepare_cached(statement).map_err(map_error)?;
        let columns: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
        let params: Vec<rusqlite::types::Value> = parameters.iter().map(to_sql).collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(params)).map_err(map_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_error)? {
            let values = (0..columns.len())
                .map(|i| row.get_ref(i).map(from_sql))
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(map_error)?;
            out.push(values);
        }
        Ok(QueryResult { columns, rows: out })
    }

    fn last_insert_rowid(&self) -> i64 {
        self.conn.last_insert_rowid()
    }

    fn changes(&self) -> u64 {
        self.conn.changes()
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

    #[test]
    fn in_memory_database_is_shared_between_connections() {
        let db = LocalDatabase::new(None, "mem").unwrap();
        db.connect().unwrap().execute("CREATE TABLE t (a)", vec![]).unwrap();
        let r = db.connect().unwrap().execute("SELECT count(*) FROM t", vec![]).unwrap();
        assert_eq!(r.rows, vec![vec![Value::Integer(0)]]);
    }
}
