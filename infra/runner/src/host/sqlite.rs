//! `fermyon:spin/sqlite@2.0.0` and `spin:sqlite/sqlite@3.0.0`.
//!
//! Each guest `open` gets its own connection, kept in the resource table
//! until the guest drops it, so transactions span `execute` calls. Reads run
//! in place, as short as the guest's own computing; every statement that may
//! wait for a lock or sync the disk runs on the blocking pool, never on the
//! async executor.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use wasmtime::component::{Resource, ResourceTable};

use super::bindings::fermyon::spin::sqlite as v2;
use super::bindings::spin::sqlite::sqlite as v3;
use crate::sqlite::{Connection, ConfiguredDatabases, QueryResult, SqliteError, Value};

/// The backing of a `connection` resource (shared by both versions).
pub struct ConnectionHandle(Arc<Mutex<Box<dyn Connection>>>);

pub struct SqliteHost {
    allowed: Arc<HashSet<String>>,
    databases: ConfiguredDatabases,
    table: ResourceTable,
}

impl SqliteHost {
    pub fn new(allowed: Arc<HashSet<String>>, databases: ConfiguredDatabases) -> Self {
        Self { allowed, databases, table: ResourceTable::new() }
    }

    async fn open(&mut self, label: String) -> wasmtime::Result<Result<Resource<ConnectionHandle>, SqliteError>> {
        if !self.allowed.contains(&label) {
            return Ok(Err(SqliteError::AccessDenied));
        }
        let Some(database) = self.databases.get(&label) else {
            return Ok(Err(SqliteError::NoSuchDatabase));
        };
        let connected = match database.reuse() {
            Some(ready) => Ok(ready),
            // Opening a file may wait on the disk: off the executor.
            None => tokio::task::spawn_blocking(move || database.connect()).await?,
        };
        match connected {
            Ok(conn) => Ok(Ok(self.table.push(ConnectionHandle(Arc::new(Mutex::new(conn))))?)),
            Err(e) => Ok(Err(e)),
        }
    }

    async fn execute(
        &mut self,
        this: &Resource<ConnectionHandle>,
        statement: String,
        parameters: Vec<Value>,
    ) -> wasmtime::Result<Result<QueryResult, SqliteError>> {
        let conn = self.table.get(this)?.0.clone();
        let parameters = {
            let mut guard = conn.lock().map_err(|_| wasmtime::format_err!("connection lock poisoned"))?;
            match guard.execute_if_quick(&statement, parameters) {
                Ok(result) => return Ok(result),
                Err(parameters) => parameters,
            }
        };
        let result = tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(|_| SqliteError::InvalidConnection)?;
            conn.execute(&statement, parameters)
        })
        .await?;
        Ok(result)
    }

    fn with_connection<T>(&self, this: &Resource<ConnectionHandle>, f: impl FnOnce(&dyn Connection) -> T) -> wasmtime::Result<T> {
        let conn = self.table.get(this)?.0.clone();
        let guard = conn.lock().map_err(|_| wasmtime::format_err!("connection lock poisoned"))?;
        Ok(f(guard.as_ref()))
    }
}

macro_rules! conversions {
    ($module:ident) => {
        impl From<SqliteError> for $module::Error {
            fn from(e: SqliteError) -> Self {
                match e {
                    SqliteError::NoSuchDatabase => $module::Error::NoSuchDatabase,
                    SqliteError::AccessDenied => $module::Error::AccessDenied,
                    SqliteError::InvalidConnection => $module::Error::InvalidConnection,
                    SqliteError::DatabaseFull => $module::Error::DatabaseFull,
                    SqliteError::Io(msg) => $module::Error::Io(msg),
                }
            }
        }

        impl From<$module::Value> for Value {
            fn from(v: $module::Value) -> Self {
                match v {
                    $module::Value::Integer(i) => Value::Integer(i),
                    $module::Value::Real(r) => Value::Real(r),
                    $module::Value::Text(t) => Value::Text(t),
                    $module::Value::Blob(b) => Value::Blob(b),
                    $module::Value::Null => Value::Null,
                }
            }
        }

        impl From<Value> for $module::Value {
            fn from(v: Value) -> Self {
                match v {
                    Value::Integer(i) => $module::Value::Integer(i),
                    Value::Real(r) => $module::Value::Real(r),
                    Value::Text(t) => $module::Value::Text(t),
                    Value::Blob(b) => $module::Value::Blob(b),
                    Value::Null => $module::Value::Null,
                }
            }
        }

        impl From<QueryResult> for $module::QueryResult {
            fn from(r: QueryResult) -> Self {
                $module::QueryResult {
                    columns: r.columns,
                    rows: r
                        .rows
                        .into_iter()
                        .map(|row| $module::RowResult { values: row.into_iter().map(Into::into).collect() })
                        .collect(),
                }
            }
        }
    };
}

conversions!(v2);
conversions!(v3);

impl v2::Host for SqliteHost {}

impl v2::HostConnection for SqliteHost {
    async fn open(&mut self, database: String) -> wasmtime::Result<Result<Resource<ConnectionHandle>, v2::Error>> {
        Ok(SqliteHost::open(self, database).await?.map_err(Into::into))
    }

    async fn execute(
        &mut self,
        this: Resource<ConnectionHandle>,
        statement: String,
        parameters: Vec<v2::Value>,
    ) -> wasmtime::Result<Result<v2::QueryResult, v2::Error>> {
        let parameters = parameters.into_iter().map(Into::into).collect();
        Ok(SqliteHost::execute(self, &this, statement, parameters).await?.map(Into::into).map_err(Into::into))
    }

    async fn drop(&mut self, this: Resource<ConnectionHandle>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}

impl v3::Host for SqliteHost {}

impl v3::HostConnection for SqliteHost {
    async fn open(&mut self, database: String) -> wasmtime::Result<Result<Resource<ConnectionHandle>, v3::Error>> {
        Ok(SqliteHost::open(self, database).await?.map_err(Into::into))
    }

    async fn execute(
        &mut self,
        this: Resource<ConnectionHandle>,
        statement: String,
        parameters: Vec<v3::Value>,
    ) -> wasmtime::Result<Result<v3::QueryResult, v3::Error>> {
        let parameters = parameters.into_iter().map(Into::into).collect();
        Ok(SqliteHost::execute(self, &this, statement, parameters).await?.map(Into::into).map_err(Into::into))
    }

    async fn last_insert_rowid(&mut self, this: Resource<ConnectionHandle>) -> wasmtime::Result<i64> {
        self.with_connection(&this, |c| c.last_insert_rowid())
    }

    async fn changes(&mut self, this: Resource<ConnectionHandle>) -> wasmtime::Result<u64> {
        self.with_connection(&this, |c| c.changes())
    }

    async fn drop(&mut self, this: Resource<ConnectionHandle>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}
