//! What a component instance can call: WASI, wasi:http, and Spin's interfaces.
//!
//! One module per interface, each holding only what that interface needs,
//! all gathered in [`HostState`], the data of one per-request `Store`.

pub mod http;
pub mod key_value;
pub mod network;
pub mod sqlite;
pub mod variables;

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime::StoreLimits;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// Bindings generated from the Spin WIT files in `infra/runner/wit`.
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "lapor:runner/host",
        imports: { default: async | trappable },
        with: {
            "fermyon:spin/key-value.store": crate::host::key_value::StoreHandle,
            "wasi:keyvalue/store.bucket": crate::host::key_value::StoreHandle,
            "wasi:keyvalue/atomics.cas": crate::host::key_value::CasHandle,
            "fermyon:spin/sqlite.connection": crate::host::sqlite::ConnectionHandle,
            "spin:sqlite/sqlite.connection": crate::host::sqlite::ConnectionHandle,
        },
    });
}

/// Everything one request's component instance may reach.
pub struct HostState {
    pub wasi: WasiCtx,
    pub table: ResourceTable,
    pub http: WasiHttpCtx,
    pub outbound: http::OutboundHttp,
    pub key_value: key_value::KeyValueHost,
    pub sqlite: sqlite::SqliteHost,
    pub variables: variables::VariablesHost,
    pub limits: StoreLimits,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.outbound }
    }
}

/// Adds every interface the runner offers to `linker`.
pub fn add_to_linker(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    use bindings::fermyon::spin as fermyon;
    use bindings::wasi::keyvalue as wasi_kv;

    wasmtime_wasi::p2::add_to_linker_async(linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(linker)?;
    fermyon::key_value::add_to_linker::<_, HasSelf<key_value::KeyValueHost>>(linker, |s| &mut s.key_value)?;
    wasi_kv::store::add_to_linker::<_, HasSelf<key_value::KeyValueHost>>(linker, |s| &mut s.key_value)?;
    wasi_kv::atomics::add_to_linker::<_, HasSelf<key_value::KeyValueHost>>(linker, |s| &mut s.key_value)?;
    wasi_kv::batch::add_to_linker::<_, HasSelf<key_value::KeyValueHost>>(linker, |s| &mut s.key_value)?;
    fermyon::sqlite::add_to_linker::<_, HasSelf<sqlite::SqliteHost>>(linker, |s| &mut s.sqlite)?;
    bindings::spin::sqlite::sqlite::add_to_linker::<_, HasSelf<sqlite::SqliteHost>>(linker, |s| &mut s.sqlite)?;
    fermyon::variables::add_to_linker::<_, HasSelf<variables::VariablesHost>>(linker, |s| &mut s.variables)?;
    Ok(())
}
