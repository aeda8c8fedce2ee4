//! `fermyon:spin/key-value@2.0.0` and `wasi:keyvalue` (store, atomics, batch)
//! as imported by spin-sdk 5.2, both on top of [`crate::key_value::Store`].
//!
//! A label the component did not list in `key_value_stores` is refused with
//! `access-denied` before any backend is touched, as in Spin.

use std::collections::HashSet;
use std::sync::Arc;

use wasmtime::component::{Resource, ResourceTable};

use super::bindings::fermyon::spin::key_value as spin_kv;
use super::bindings::wasi::keyvalue::{atomics, batch, store as wasi_store};
use crate::key_value::{CompareAndSwap, KvError, Store, StoreManager, SwapError};

/// The backing of a `store` (Spin) or `bucket` (wasi:keyvalue) resource.
pub struct StoreHandle(Arc<dyn Store>);

/// The backing of a `cas` resource.
pub struct CasHandle(Box<dyn CompareAndSwap>);

pub struct KeyValueHost {
    allowed: Arc<HashSet<String>>,
    manager: Arc<dyn StoreManager>,
    table: ResourceTable,
}

impl KeyValueHost {
    pub fn new(allowed: Arc<HashSet<String>>, manager: Arc<dyn StoreManager>) -> Self {
        Self { allowed, manager, table: ResourceTable::new() }
    }

    fn open_store(&mut self, label: &str) -> Result<Arc<dyn Store>, KvError> {
        if !self.allowed.contains(label) {
            return Err(KvError::AccessDenied);
        }
        self.manager.get(label)
    }

    fn store(&self, handle: &Resource<StoreHandle>) -> wasmtime::Result<Arc<dyn Store>> {
        Ok(self.table.get(handle)?.0.clone())
    }
}

fn spin_error(e: KvError) -> spin_kv::Error {
    match e {
        KvError::NoSuchStore => spin_kv::Error::NoSuchStore,
        KvError::AccessDenied => spin_kv::Error::AccessDenied,
        KvError::StoreTableFull => spin_kv::Error::StoreTableFull,
        KvError::Other(msg) => spin_kv::Error::Other(msg),
    }
}

fn wasi_error(e: KvError) -> wasi_store::Error {
    match e {
        KvError::NoSuchStore => wasi_store::Error::NoSuchStore,
        KvError::AccessDenied => wasi_store::Error::AccessDenied,
        KvError::StoreTableFull => wasi_store::Error::Other("store table full".into()),
        KvError::Other(msg) => wasi_store::Error::Other(msg),
    }
}

impl spin_kv::Host for KeyValueHost {}

impl spin_kv::HostStore for KeyValueHost {
    async fn open(&mut self, label: String) -> wasmtime::Result<Result<Resource<StoreHandle>, spin_kv::Error>> {
        match self.open_store(&label) {
            Ok(store) => Ok(Ok(self.table.push(StoreHandle(store))?)),
            Err(e) => Ok(Err(spin_error(e))),
        }
    }

    async fn get(&mut self, this: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<Option<Vec<u8>>, spin_kv::Error>> {
        Ok(self.store(&this)?.get(&key).await.map_err(spin_error))
    }

    async fn set(&mut self, this: Resource<StoreHandle>, key: String, value: Vec<u8>) -> wasmtime::Result<Result<(), spin_kv::Error>> {
        Ok(self.store(&this)?.set(&key, &value).await.map_err(spin_error))
    }

    async fn delete(&mut self, this: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<(), spin_kv::Error>> {
        Ok(self.store(&this)?.delete(&key).await.map_err(spin_error))
    }

    async fn exists(&mut self, this: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<bool, spin_kv::Error>> {
        Ok(self.store(&this)?.exists(&key).await.map_err(spin_error))
    }

    async fn get_keys(&mut self, this: Resource<StoreHandle>) -> wasmtime::Result<Result<Vec<String>, spin_kv::Error>> {
        Ok(self.store(&this)?.get_keys().await.map_err(spin_error))
    }

    async fn drop(&mut self, this: Resource<StoreHandle>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}

impl wasi_store::Host for KeyValueHost {
    async fn open(&mut self, identifier: String) -> wasmtime::Result<Result<Resource<StoreHandle>, wasi_store::Error>> {
        match self.open_store(&identifier) {
            Ok(store) => Ok(Ok(self.table.push(StoreHandle(store))?)),
            Err(e) => Ok(Err(wasi_error(e))),
        }
    }
}

impl wasi_store::HostBucket for KeyValueHost {
    async fn get(&mut self, this: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<Option<Vec<u8>>, wasi_store::Error>> {
        Ok(self.store(&this)?.get(&key).await.map_err(wasi_error))
    }

    async fn set(&mut self, this: Resource<StoreHandle>, key: String, value: Vec<u8>) -> wasmtime::Result<Result<(), wasi_store::Error>> {
        Ok(self.store(&this)?.set(&key, &value).await.map_err(wasi_error))
    }

    async fn delete(&mut self, this: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<(), wasi_store::Error>> {
        Ok(self.store(&this)?.delete(&key).await.map_err(wasi_error))
    }

    async fn exists(&mut self, this: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<bool, wasi_store::Error>> {
        Ok(self.store(&this)?.exists(&key).await.map_err(wasi_error))
    }

    /// Spin returns every key in one page; so does this runner.
    async fn list_keys(
        &mut self,
        this: Resource<StoreHandle>,
        _cursor: Option<String>,
    ) -> wasmtime::Result<Result<wasi_store::KeyResponse, wasi_store::Error>> {
        Ok(self
            .store(&this)?
            .get_keys()
            .await
            .map(|keys| wasi_store::KeyResponse { keys, cursor: None })
            .map_err(wasi_error))
    }

    async fn drop(&mut self, this: Resource<StoreHandle>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}

impl atomics::Host for KeyValueHost {
    async fn increment(
        &mut self,
        bucket: Resource<StoreHandle>,
        key: String,
        delta: i64,
    ) -> wasmtime::Result<Result<i64, wasi_store::Error>> {
        Ok(self.store(&bucket)?.increment(&key, delta).await.map_err(wasi_error))
    }

    async fn swap(&mut self, cas: Resource<CasHandle>, value: Vec<u8>) -> wasmtime::Result<Result<(), atomics::CasError>> {
        let mut handle = self.table.delete(cas)?;
        match handle.0.swap(value).await {
            Ok(()) => Ok(Ok(())),
            // The guest gets its `cas` back so it can read `current` and retry.
            Err(SwapError::CasFailed) => Ok(Err(atomics::CasError::CasFailed(self.table.push(handle)?))),
            Err(SwapError::Store(e)) => Ok(Err(atomics::CasError::StoreError(wasi_error(e)))),
        }
    }
}

impl atomics::HostCas for KeyValueHost {
    async fn new(&mut self, bucket: Resource<StoreHandle>, key: String) -> wasmtime::Result<Result<Resource<CasHandle>, wasi_store::Error>> {
        match self.store(&bucket)?.new_compare_and_swap(&key).await {
            Ok(cas) => Ok(Ok(self.table.push(CasHandle(cas))?)),
            Err(e) => Ok(Err(wasi_error(e))),
        }
    }

    async fn current(&mut self, this: Resource<CasHandle>) -> wasmtime::Result<Result<Option<Vec<u8>>, wasi_store::Error>> {
        Ok(self.table.get_mut(&this)?.0.current().await.map_err(wasi_error))
    }

    async fn drop(&mut self, this: Resource<CasHandle>) -> wasmtime::Result<()> {
        self.table.delete(this)?;
        Ok(())
    }
}

impl batch::Host for KeyValueHost {
    async fn get_many(
        &mut self,
        bucket: Resource<StoreHandle>,
        keys: Vec<String>,
    ) -> wasmtime::Result<Result<Vec<(String, Option<Vec<u8>>)>, wasi_store::Error>> {
        Ok(self.store(&bucket)?.get_many(keys).await.map_err(wasi_error))
    }

    async fn set_many(
        &mut self,
        bucket: Resource<StoreHandle>,
        key_values: Vec<(String, Vec<u8>)>,
    ) -> wasmtime::Result<Result<(), wasi_store::Error>> {
        Ok(self.store(&bucket)?.set_many(key_values).await.map_err(wasi_error))
    }

    async fn delete_many(&mut self, bucket: Resource<StoreHandle>, keys: Vec<String>) -> wasmtime::Result<Result<(), wasi_store::Error>> {
        Ok(self.store(&bucket)?.delete_many(keys).await.map_err(wasi_error))
    }
}
