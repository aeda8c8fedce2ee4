//! Key-value records: idempotency replies and rate-limit counters, and their
//! housekeeping. Every key is built by `kv-schema`; see its README for the
//! families.

use anyhow::{anyhow, Result};
use lapor_domain::rate_limit::oldest_live_window;
use spin_sdk::key_value::Store;
use spin_sdk::wit::wasi::keyvalue::{atomics, batch, store as wasi_store};

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

/// What one housekeeping call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Housekeeping {
    pub deleted: usize,
    /// More keys of hours that are over remain (the call stopped at its bound).
    pub more: bool,
}

/// Deletes up to `limit` keys of the hourly families whose hour is over at
/// `unix_seconds` (Spin's store has no expiry). The store has no prefix
/// scan, so this lists every key; once nothing is left below the oldest live
/// hour it writes that hour's `housekeeping:done:` mark, and later calls in
/// the hour only read the mark. See kv-schema/README.md, "Housekeeping".
pub fn remove_stale_windows(unix_seconds: u64, limit: usize) -> Result<Housekeeping> {
    let oldest = oldest_live_window(unix_seconds);
    let done = kv_schema::housekeeping_done_key(oldest);
    let store = store()?;
    if store.exists(&done).map_err(|e| anyhow!("exists: {e}"))? {
        return Ok(Housekeeping::default());
    }
    let mut stale: Vec<String> = store
        .get_keys()
        .map_err(|e| anyhow!("get keys: {e}"))?
        .into_iter()
        .filter(|key| kv_schema::parse_hourly_key(key).is_some_and(|k| k.hour < oldest))
        .take(limit.saturating_add(1))
        .collect();
    let more = stale.len() > limit;
    stale.truncate(limit);
    if !stale.is_empty() {
        let bucket = wasi_store::open("default").map_err(|e| anyhow!("open bucket: {e:?}"))?;
        batch::delete_many(&bucket, &stale).map_err(|e| anyhow!("delete many: {e:?}"))?;
    }
    if !more {
        let at = crate::clock::timestamp(crate::clock::now());
        store.set(&done, at.as_bytes()).map_err(|e| anyhow!("set: {e}"))?;
    }
    Ok(Housekeeping { deleted: stale.len(), more })
}
