//! Key-value records: idempotency replies and rate-limit counters.
//! Every key is built by `kv-schema`; see its README for the families.

use anyhow::{anyhow, Result};
use spin_sdk::key_value::Store;
use spin_sdk::wit::wasi::keyvalue::{atomics, store as wasi_store};

pub fn store() -> Result<Store> {
    Store::open_default().map_err(|e| anyhow!("open key-value store: {e}"))
}

/// Adds one to a counter and returns the new count.
pub fn increment(key: &str) -> Result<u64> {
    let bucket = wasi_store::open("default").map_err(|e| anyhow!("open bucket: {e:?}"))?;
    let count = atomics::increment(&bucket, key, 1).map_err(|e| anyhow!("increment: {e:?}"))?;
    Ok(count.max(0) as u64)
}

pub fn get_json(key: &str) -> Result<Option<serde_json::Value>> {
    match store()?.get(key).map_err(|e| anyhow!("get: {e}"))? {
        Some(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
        None => Ok(None),
    }
}

pub fn set_json(key: &str, value: &serde_json::Value) -> Result<()> {
    store()?.set(key, value.to_string().as_bytes()).map_err(|e| anyhow!("set: {e}"))
}
