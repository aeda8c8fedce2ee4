//! Key-value storage behind Spin's key-value interfaces.
//!
//! Modelled on Spin's `factor-key-value`: a small [`Store`] trait that each
//! backend implements, and a [`StoreManager`] that hands out stores by label.
//! The guest-facing interfaces (`fermyon:spin/key-value`, `wasi:keyvalue`)
//! live in `crate::host` and only ever talk to these traits.

mod redis;
mod sqlite;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use async_trait::async_trait;

use crate::runtime_config::KeyValueBackend;

pub use self::redis::RedisStore;
pub use self::sqlite::SqliteStore;

/// Errors a store reports to the guest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KvError {
    #[error("no such store")]
    NoSuchStore,
    #[error("access denied")]
    AccessDenied,
    #[error("store table full")]
    StoreTableFull,
    #[error("{0}")]
    Other(String),
}

impl KvError {
    pub fn other(e: impl std::fmt::Display) -> Self {
        KvError::Other(e.to_string())
    }
}

/// The outcome of a compare-and-swap.
#[derive(Debug, PartialEq, Eq)]
pub enum SwapError {
    /// Someone changed the value since `current` was read.
    CasFailed,
    Store(KvError),
}

/// One open key-value store (one label).
#[async_trait]
pub trait Store: Send + Sync {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError>;
    async fn set(&self, key: &str, value: &[u8]) -> Result<(), KvError>;
    async fn delete(&self, key: &str) -> Result<(), KvError>;
    async fn exists(&self, key: &str) -> Result<bool, KvError>;
    async fn get_keys(&self) -> Result<Vec<String>, KvError>;
    async fn get_many(&self, keys: Vec<String>) -> Result<Vec<(String, Option<Vec<u8>>)>, KvError>;
    async fn set_many(&self, key_values: Vec<(String, Vec<u8>)>) -> Result<(), KvError>;
    async fn delete_many(&self, keys: Vec<String>) -> Result<(), KvError>;
    /// Adds `delta` to the integer at `key` (0 when absent) atomically.
    async fn increment(&self, key: &str, delta: i64) -> Result<i64, KvError>;
    /// Starts a compare-and-swap on `key`.
    async fn new_compare_and_swap(&self, key: &str) -> Result<Box<dyn CompareAndSwap>, KvError>;
}

/// A compare-and-swap in progress: read `current`, then `swap`.
#[async_trait]
pub trait CompareAndSwap: Send + Sync {
    /// Reads (and remembers) the current value.
    async fn current(&mut self) -> Result<Option<Vec<u8>>, KvError>;
    /// Writes `value` only if the key still holds what `current` read.
    async fn swap(&mut self, value: Vec<u8>) -> Result<(), SwapError>;
}

/// Hands out stores by label.
pub trait StoreManager: Send + Sync {
    fn get(&self, label: &str) -> Result<Arc<dyn Store>, KvError>;
    fn is_defined(&self, label: &str) -> bool;
}

/// The stores defined by the runtime config, opened once at start-up.
pub struct ConfiguredStores {
    stores: BTreeMap<String, Arc<dyn Store>>,
}

impl ConfiguredStores {
    pub async fn open(config: &BTreeMap<String, KeyValueBackend>) -> Result<Self> {
        let mut stores: BTreeMap<String, Arc<dyn Store>> = BTreeMap::new();
        for (label, backend) in config {
            let store: Arc<dyn Store> = match backend {
                KeyValueBackend::Spin { path } => Arc::new(SqliteStore::open(path.as_deref(), label)?),
                KeyValueBackend::Redis { url } => Arc::new(RedisStore::connect(url).await?),
            };
            stores.insert(label.clone(), store);
        }
        Ok(Self { stores })
    }
}

impl StoreManager for ConfiguredStores {
    fn get(&self, label: &str) -> Result<Arc<dyn Store>, KvError> {
        self.stores.get(label).cloned().ok_or(KvError::NoSuchStore)
    }

    fn is_defined(&self, label: &str) -> bool {
        self.stores.contains_key(label)
    }
}

/// Spin's SQLite backend stores counters as 8 little-endian bytes.
pub fn decode_counter(bytes: &[u8]) -> Result<i64, KvError> {
    let array: [u8; 8] = bytes.try_into().map_err(|_| {
        KvError::Other("value is not a counter written by increment (expected 8 bytes)".into())
    })?;
    Ok(i64::from_le_bytes(array))
}
