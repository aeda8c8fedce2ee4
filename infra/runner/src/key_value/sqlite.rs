//! Spin's default key-value backend: a table in a SQLite file.
//!
//! Same file layout as `spin up` (`spin_key_value(store, key, value)`), so a
//! state directory can be moved between this runner and Spin.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{decode_counter, CompareAndSwap, KvError, Store, SwapError};

pub struct SqliteStore {
    label: String,
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store `label` in the file at `path`,
    /// or in memory when `path` is `None`.
    pub fn open(path: Option<&Path>, label: &str) -> anyhow::Result<Self> {
        let conn = match path {
            Some(path) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                Connection::open(path)?
            }
            None => Connection::open_in_memory()?,
        };
        // Several runner processes may share one file (scale-out tests):
        // WAL lets readers run beside the writer, and a busy timeout makes
        // writers wait for each other instead of failing.
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // The store holds only what may be lost (see kv-schema): survive a
        // process crash, but do not pay an fsync per write for power loss.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS spin_key_value (
                store TEXT NOT NULL,
                key   TEXT NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY (store, key)
            )",
        )?;
        Ok(Self { label: label.to_string(), conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` with the connection on the blocking pool, so SQLite never
    /// stalls the async executor.
    async fn with_conn<T, F>(&self, f: F) -> Result<T, KvError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection, &str) -> rusqlite::Result<T> + Send + 'static,
    {
        let conn = self.conn.clone();
        let label = self.label.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(|_| KvError::Other("store lock poisoned".into()))?;
            f(&mut conn, &label).map_err(KvError::other)
        })
        .await
        .map_err(KvError::other)?
    }
}

fn get(conn: &Connection, store: &str, key: &str) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT value FROM spin_key_value WHERE store = ?1 AND key = ?2")?
        .query_row(params![store, key], |row| row.get(0))
        .optional()
}

fn set(conn: &Connection, store: &str, key: &str, value: &[u8]) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3)
         ON CONFLICT (store, key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![store, key, value])?;
    Ok(())
}

fn delete(conn: &Connection, store: &str, key: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM spin_key_value WHERE store = ?1 AND key = ?2")?
        .execute(params![store, key])?;
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        let key = key.to_string();
        self.with_conn(move |c, store| get(c, store, &key)).await
    }

    async fn set(&self, key: &str, value: &[u8]) -> Result<(), KvError> {
        let (key, value) = (key.to_string(), value.to_vec());
        self.with_conn(move |c, store| set(c, store, &key, &value)).await
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        let key = key.to_string();
        self.with_conn(move |c, store| delete(c, store, &key)).await
    }

    async fn exists(&self, key: &str) -> Result<bool, KvError> {
        Ok(self.get(key).await?.is_some())
    }

    async fn get_keys(&self) -> Result<Vec<String>, KvError> {
        self.with_conn(|c, store| {
            let mut stmt = c.prepare_cached("SELECT key FROM spin_key_value WHERE store = ?1")?;
            let keys = stmt.query_map([store], |row| row.get(0))?.collect();
            keys
        })
        .await
    }

    async fn get_many(&self, keys: Vec<String>) -> Result<Vec<(String, Option<Vec<u8>>)>, KvError> {
        self.with_conn(move |c, store| {
            keys.into_iter()
                .map(|key| get(c, store, &key).map(|value| (key, value)))
                .collect()
        })
        .await
    }

    async fn set_many(&self, key_values: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
        self.with_conn(move |c, store| {
            let tx = c.transaction()?;
            for (key, value) in &key_values {
                set(&tx, store, key, value)?;
            }
            tx.commit()
        })
        .await
    }

    async fn delete_many(&self, keys: Vec<String>) -> Result<(), KvError> {
        self.with_conn(move |c, store| {
            let tx = c.transaction()?;
            for key in &keys {
                delete(&tx, store, key)?;
            }
            tx.commit()
        })
        .await
    }

    async fn increment(&self, key: &str, delta: i64) -> Result<i64, KvError> {
        let key = key.to_string();
        let conn = self.conn.clone();
        let label = self.label.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(|_| KvError::Other("store lock poisoned".into()))?;
            // IMMEDIATE takes the write lock before reading, so two processes
            // sharing the file cannot both read the same old value.
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(KvError::other)?;
            let current = match get(&tx, &label, &key).map_err(KvError::other)? {
                Some(bytes) => decode_counter(&bytes)?,
                None => 0,
            };
            let next = current
                .checked_add(delta)
                .ok_or_else(|| KvError::Other("counter overflow".into()))?;
            set(&tx, &label, &key, &next.to_le_bytes()).map_err(KvError::other)?;
            tx.commit().map_err(KvError::other)?;
            Ok(next)
        })
        .await
        .map_err(KvError::other)?
    }

    async fn new_compare_and_swap(&self, key: &str) -> Result<Box<dyn CompareAndSwap>, KvError> {
        Ok(Box::new(SqliteCas {
            conn: self.conn.clone(),
            label: self.label.clone(),
            key: key.to_string(),
            expected: None,
        }))
    }
}

struct SqliteCas {
    conn: Arc<Mutex<Connection>>,
    label: String,
    key: String,
    /// What `current` read: `Some(None)` means "absent".
    expected: Option<Option<Vec<u8>>>,
}

#[async_trait]
impl CompareAndSwap for SqliteCas {
    async fn current(&mut self) -> Result<Option<Vec<u8>>, KvError> {
        let (conn, label, key) = (self.conn.clone(), self.label.clone(), self.key.clone());
        let value = tokio::task::spawn_blocking(move || {
            let conn = conn.lock().map_err(|_| KvError::Other("store lock poisoned".into()))?;
            get(&conn, &label, &key).map_err(KvError::other)
        })
        .await
        .map_err(KvError::other)??;
        self.expected = Some(value.clone());
        Ok(value)
    }

    async fn swap(&mut self, value: Vec<u8>) -> Result<(), SwapError> {
        let expected = match self.expected.clone() {
            Some(expected) => expected,
            None => self.current().await.map_err(SwapError::Store)?,
        };
        let (conn, label, key) = (self.conn.clone(), self.label.clone(), self.key.clone());
        let swapped = tokio::task::spawn_blocking(move || -> rusqlite::Result<bool> {
            let conn = conn.lock().expect("store lock poisoned");
            let changed = match expected {
                Some(old) => conn
                    .prepare_cached(
                        "UPDATE spin_key_value SET value = ?4 WHERE store = ?1 AND key = ?2 AND value = ?3",
                    )?
                    .execute(params![label, key, old, value])?,
                None => conn
                    .prepare_cached(
                        "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3)
                         ON CONFLICT (store, key) DO NOTHING",
                    )?
                    .execute(params![label, key, value])?,
            };
            Ok(changed == 1)
        })
        .await
        .map_err(|e| SwapError::Store(KvError::other(e)))?
        .map_err(|e| SwapError::Store(KvError::other(e)))?;
        if swapped {
            Ok(())
        } else {
            Err(SwapError::CasFailed)
        }
    }
}
