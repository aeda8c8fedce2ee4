//! The wasmtime engine and the on-disk cache of compiled components.
//!
//! Compiling a component takes hundreds of milliseconds; loading a cached
//! `.cwasm` takes a few. The cache key is a hash of the `.wasm` bytes and of
//! the engine's compatibility hash (wasmtime version and settings), so a
//! rebuilt component or an upgraded runner never loads a stale artifact.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// Instances the pool can hold at once. Requests past the concurrency limit
/// wait for a permit instead of failing (Spin errors here; queueing is kinder).
pub const POOLED_INSTANCES: u32 = 1000;

/// Largest linear memory a component may grow to.
pub const MAX_MEMORY_BYTES: usize = 256 << 20;

/// wasmtime 48 has its own error type; this turns it into an `anyhow::Error`
/// with its whole cause chain.
pub trait IntoAnyhow<T> {
    fn into_anyhow(self) -> Result<T>;
}

impl<T> IntoAnyhow<T> for wasmtime::Result<T> {
    fn into_anyhow(self) -> Result<T> {
        self.map_err(|e| anyhow::anyhow!("{e:?}"))
    }
}

pub fn new_engine() -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);

    let mut pooling = PoolingAllocationConfig::default();
    pooling
        .total_component_instances(POOLED_INSTANCES)
        .total_core_instances(POOLED_INSTANCES * 4)
        .total_memories(POOLED_INSTANCES * 2)
        .total_tables(POOLED_INSTANCES * 4)
        .total_stacks(POOLED_INSTANCES)
        .max_memory_size(MAX_MEMORY_BYTES)
        .max_core_instances_per_component(50)
        .max_component_instance_size(1 << 20)
        .max_core_instance_size(1 << 20)
        // Keeping a little of each slot resident and resetting pages with
        // PAGEMAP_SCAN (where the kernel has it) makes instance reuse cheap.
        .linear_memory_keep_resident(1 << 20)
        .table_keep_resident(1 << 16)
        .pagemap_scan(Enabled::Auto);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
    Engine::new(&config).into_anyhow().context("cannot create the wasmtime engine")
}

/// Loads a component, from the cache when it holds a matching artifact.
pub fn load_component(engine: &Engine, wasm_path: &Path, cache_dir: &Path, component_id: &str) -> Result<(Component, CacheOutcome)> {
    let bytes = std::fs::read(wasm_path).with_context(|| {
        format!("cannot read component `{component_id}` at {} (build it first: make build)", wasm_path.display())
    })?;
    let cached = cache_path(engine, &bytes, cache_dir, component_id);
    if cached.exists() {
        // SAFETY: the file was written by `Component::serialize` of an engine
        // with the same compatibility hash (it is part of the file name), and
        // only this runner writes into its cache directory.
        match unsafe { Component::deserialize_file(engine, &cached) } {
            Ok(component) => return Ok((component, CacheOutcome::Hit)),
            Err(e) => tracing::warn!(path = %cached.display(), error = %e, "discarding unreadable cached component"),
        }
    }
    let bytes = componentize_if_necessary(&bytes)
        .with_context(|| format!("cannot turn the core module of `{component_id}` ({}) into a component", wasm_path.display()))?;
    let component = Component::new(engine, &bytes)
        .into_anyhow()
        .with_context(|| format!("cannot compile component `{component_id}` ({})", wasm_path.display()))?;
    if let Err(e) = store_in_cache(&component, &cached, cache_dir, component_id) {
        tracing::warn!(error = %e, "cannot write the compiled-component cache; continuing without it");
    }
    Ok((component, CacheOutcome::Compiled))
}

/// A component as it is; a core module (WASI preview 1: a component built
/// for `wasm32-wasip1`, whose interfaces wit-bindgen describes in custom
/// sections) turned into a component with wasmtime's preview-1 adapter, as
/// Spin does on load (`spin-componentize`). The compiled result is cached
/// under the module's own bytes, so this runs once per module.
pub fn componentize_if_necessary(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    if !wasmparser::Parser::is_core_wasm(bytes) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let encoded = wit_component::ComponentEncoder::default()
        .validate(true)
        .module(bytes)?
        .adapter("wasi_snapshot_preview1", wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER)?
        .encode()?;
    Ok(std::borrow::Cow::Owned(encoded))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    Hit,
    Compiled,
}

fn cache_path(engine: &Engine, wasm: &[u8], cache_dir: &Path, component_id: &str) -> PathBuf {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut engine_hash);
    let mut digest = Sha256::new();
    digest.update(wasm);
    digest.update(engine_hash.finish().to_le_bytes());
    let key = hex::encode(&digest.finalize()[..16]);
    cache_dir.join(format!("{component_id}.{key}.cwasm"))
}

fn store_in_cache(component: &Component, path: &Path, cache_dir: &Path, component_id: &str) -> Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    // Older artifacts of this component can never match again.
    for entry in std::fs::read_dir(cache_dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!("{component_id}.")) && name.ends_with(".cwasm") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, component.serialize().into_anyhow()?)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
