//! A loaded application: its components, ready to instantiate, and its stores.
//!
//! Each request gets a fresh instance from a pre-linked `InstancePre`
//! (`ProxyPre`), in its own `Store`, exactly one per request as on Spin.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http_body_util::BodyExt;
use wasmtime::component::{Linker, ResourceTable};
use wasmtime::{Engine, Store, StoreLimitsBuilder};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiBody, WasiHttpCtx, WasiHttpView};

use crate::engine::{self, CacheOutcome, IntoAnyhow};
use crate::host::http::{BoxFuture, InternalDispatch, OutboundHttp};
use crate::host::{self, HostState};
use crate::key_value::{ConfiguredStores, StoreManager};
use crate::manifest::{FileMount, Manifest};
use crate::outbound::{AllowedHosts, BlockedNetworks};
use crate::routes::{RouteMatch, Router};
use crate::runtime_config::RuntimeConfig;
use crate::sqlite::ConfiguredDatabases;
use crate::variables::ResolvedVariables;

/// How to load an application.
pub struct LoadOptions {
    pub manifest_path: PathBuf,
    pub state_dir: PathBuf,
    pub runtime_config_file: Option<PathBuf>,
    /// Reads the environment for `SPIN_VARIABLE_*` (tests pass their own).
    pub env: Arc<dyn Fn(&str) -> Option<String> + Send + Sync>,
    /// Where compiled components are cached; `<state_dir>/component-cache`
    /// when `None`. Test suites share one so each test does not recompile.
    pub component_cache_dir: Option<PathBuf>,
}

/// One component, compiled, linked and configured.
struct LoadedComponent {
    pre: ProxyPre<HostState>,
    environment: Vec<(String, String)>,
    /// (host directory, guest path) pairs, mounted read-only.
    files: Vec<(PathBuf, String)>,
    allowed_hosts: Arc<AllowedHosts>,
    key_value_stores: Arc<HashSet<String>>,
    sqlite_databases: Arc<HashSet<String>>,
    variables: Arc<BTreeMap<String, String>>,
}

pub struct App {
    pub name: String,
    pub version: Option<String>,
    engine: Engine,
    components: HashMap<String, LoadedComponent>,
    router: Router,
    /// Public routes and their components, for the start-up banner.
    pub routes: Vec<(String, String)>,
    key_value: Arc<ConfiguredStores>,
    sqlite: ConfiguredDatabases,
    /// The runtime config's `[outbound_networking] block_networks`.
    blocked_networks: Arc<BlockedNetworks>,
    pub variables: ResolvedVariables,
    /// How many components were compiled (not loaded from the cache).
    pub compiled_count: usize,
    /// Chained requests need an owned `Arc<App>` from `&self`.
    weak_self: std::sync::Weak<App>,
}

/// A guest response, or the reason there is none.
pub type GuestResponse = http::Response<HyperOutgoingBody>;

impl App {
    pub async fn load(options: &LoadOptions) -> Result<Arc<Self>> {
        let manifest = Manifest::from_file(&options.manifest_path)?;
        let runtime_config = match &options.runtime_config_file {
            Some(path) => RuntimeConfig::from_file(path, &options.state_dir)?,
            None => RuntimeConfig::defaults(&options.state_dir),
        };
        let env = options.env.clone();
        let variables = ResolvedVariables::resolve(&manifest, &runtime_config.env_variable_prefix, |name| env(name))?;

        for (id, component) in &manifest.components {
            for label in &component.key_value_stores {
                if !runtime_config.key_value_stores.contains_key(label) {
                    bail!("component `{id}` uses key-value store `{label}`, which the runtime config does not define (add [key_value_store.{label}])");
                }
            }
            for label in &component.sqlite_databases {
                if !runtime_config.sqlite_databases.contains_key(label) {
                    bail!("component `{id}` uses SQLite database `{label}`, which the runtime config does not define (add [sqlite_database.{label}])");
                }
            }
        }

        std::fs::create_dir_all(&options.state_dir)
            .with_context(|| format!("cannot create state dir {}", options.state_dir.display()))?;
        let key_value = Arc::new(ConfiguredStores::open(&runtime_config.key_value_stores).await?);
        let sqlite = ConfiguredDatabases::open(&runtime_config.sqlite_databases)?;

        let engine = engine::new_engine()?;
        let mut linker = Linker::<HostState>::new(&engine);
        host::add_to_linker(&mut linker).into_anyhow()?;

        let cache_dir = options
            .component_cache_dir
            .clone()
            .unwrap_or_else(|| options.state_dir.join("component-cache"));
        let mut components = HashMap::new();
        let mut compiled_count = 0;
        for (id, component) in &manifest.components {
            let wasm = manifest.component_source_path(id).expect("local source checked by the manifest parser");
            let (compiled, outcome) = engine::load_component(&engine, &wasm, &cache_dir, id)?;
            if outcome == CacheOutcome::Compiled {
                compiled_count += 1;
            }
            let instance_pre = linker
                .instantiate_pre(&compiled)
                .into_anyhow()
                .with_context(|| format!("component `{id}` imports something this runner does not provide"))?;
            let pre = ProxyPre::new(instance_pre)
                .into_anyhow()
                .with_context(|| format!("component `{id}` does not export wasi:http/incoming-handler"))?;
            let allowed: Vec<String> = component
                .allowed_outbound_hosts
                .iter()
                .map(|h| variables.expand(h))
                .collect::<Result<_>>()
                .with_context(|| format!("in `component.{id}.allowed_outbound_hosts`"))?;
            let allowed_hosts = AllowedHosts::parse(&allowed).with_context(|| format!("in component `{id}`"))?;
            components.insert(
                id.clone(),
                LoadedComponent {
                    pre,
                    environment: component.environment.clone().into_iter().collect(),
                    files: mount_files(&manifest.base_dir, &options.state_dir, id, &component.files)?,
                    allowed_hosts: Arc::new(allowed_hosts),
                    key_value_stores: Arc::new(component.key_value_stores.iter().cloned().collect()),
                    sqlite_databases: Arc::new(component.sqlite_databases.iter().cloned().collect()),
                    variables: Arc::new(variables.for_component(&manifest, id)?),
                },
            );
        }

        let (router, duplicates) = Router::build(&manifest.http_triggers)?;
        for d in duplicates {
            tracing::warn!(
                route = %d.route, replaced = %d.replaced_component, effective = %d.effective_component,
                "duplicate route: the later definition wins"
            );
        }
        let routes = manifest
            .http_triggers
            .iter()
            .filter_map(|t| match &t.route {
                crate::manifest::Route::Path(route) => Some((t.component.clone(), route.clone())),
                crate::manifest::Route::Private(_) => None,
            })
            .collect();

        Ok(Arc::new_cyclic(|weak_self| Self {
            weak_self: weak_self.clone(),
            name: manifest.application.name.clone(),
            version: manifest.application.version.clone(),
            engine,
            components,
            router,
            routes,
            key_value,
            sqlite,
            blocked_networks: Arc::new(runtime_config.blocked_networks),
            variables,
            compiled_count,
        }))
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs SQL against a database before serving (`--sqlite`).
    pub fn execute_sql(&self, label: &str, sql: &str) -> Result<()> {
        let database = self
            .sqlite
            .get(label)
            .with_context(|| format!("no SQLite database `{label}` is defined"))?;
        database.execute_batch(sql)
    }

    /// Sets a key in a key-value store before serving (`--key-value`).
    pub async fn set_key_value(&self, label: &str, key: &str, value: &str) -> Result<()> {
        let store = self.key_value.get(label).map_err(|e| anyhow::anyhow!("key-value store `{label}`: {e}"))?;
        store.set(key, value.as_bytes()).await.map_err(|e| anyhow::anyhow!("{e}"))
    }

    pub fn route(&self, path: &str) -> Option<RouteMatch> {
        self.router.route(path)
    }

    fn new_store(self: &Arc<Self>, component: &LoadedComponent) -> Result<Store<HostState>> {
        let mut wasi = WasiCtxBuilder::new();
        wasi.inherit_stdout().inherit_stderr();
        for (key, value) in &component.environment {
            wasi.env(key, value);
        }
        for (host_dir, guest_path) in &component.files {
            wasi.preopened_dir(host_dir, guest_path, FsPerms::ReadOnly).into_anyhow()?;
        }
        let dispatcher: Arc<dyn InternalDispatch> = self.clone();
        let state = HostState {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            http: WasiHttpCtx::new(),
            outbound: OutboundHttp::new(component.allowed_hosts.clone(), self.blocked_networks.clone(), dispatcher),
            key_value: host::key_value::KeyValueHost::new(
                component.key_value_stores.clone(),
                self.key_value.clone() as Arc<dyn StoreManager>,
            ),
            sqlite: host::sqlite::SqliteHost::new(component.sqlite_databases.clone(), self.sqlite.clone()),
            variables: host::variables::VariablesHost::new(component.variables.clone()),
            limits: StoreLimitsBuilder::new().memory_size(engine::MAX_MEMORY_BYTES).build(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        // Yield to the executor at every epoch tick, so a busy guest cannot
        // starve the other requests on its thread.
        store.set_epoch_deadline(1);
        store.epoch_deadline_async_yield_and_update(1);
        Ok(store)
    }

    /// Runs `request` through `route`'s component and returns its response.
    ///
    /// The guest keeps running in its own task while the response body
    /// streams; `on_finish` runs when the instance is done (and dropped).
    pub async fn invoke<B>(
        self: &Arc<Self>,
        route: &RouteMatch,
        mut request: http::Request<B>,
        client_addr: SocketAddr,
        on_finish: impl FnOnce() + Send + 'static,
    ) -> Result<GuestResponse>
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<wasmtime_wasi_http::Error>,
    {
        let component = self
            .components
            .get(&route.component_id)
            .with_context(|| format!("no component `{}`", route.component_id))?;
        add_spin_headers(&mut request, route, client_addr)?;

        let mut store = self.new_store(component)?;
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let incoming = store.data_mut().http().new_incoming_request(Scheme::Http, request).into_anyhow()?;
        let outparam = store.data_mut().http().new_response_outparam(sender).into_anyhow()?;
        let pre = component.pre.clone();
        let task = tokio::task::spawn(async move {
            let result = async {
                let proxy = pre.instantiate_async(&mut store).await?;
                proxy.wasi_http_incoming_handler().call_handle(&mut store, incoming, outparam).await
            }
            .await;
            drop(store);
            on_finish();
            result
        });

        match receiver.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(code)) => bail!("component `{}` answered with error {code:?}", route.component_id),
            Err(_) => {
                let error = match task.await {
                    Ok(Ok(())) => anyhow::anyhow!("component `{}` never set a response", route.component_id),
                    Ok(Err(e)) => anyhow::anyhow!("component `{}` failed: {e:?}", route.component_id),
                    Err(e) => anyhow::anyhow!("component `{}` task failed: {e}", route.component_id),
                };
                Err(error)
            }
        }
    }
}

impl InternalDispatch for App {
    fn has_component(&self, component_id: &str) -> bool {
        self.components.contains_key(component_id)
    }

    fn dispatch(
        &self,
        component_id: String,
        mut request: http::Request<WasiBody>,
    ) -> BoxFuture<Result<http::Response<WasiBody>, wasmtime_wasi_http::Error>> {
        let app = match self.weak_self.upgrade() {
            Some(app) => app,
            None => return Box::pin(async { Err(wasmtime_wasi_http::Error::DestinationUnavailable) }),
        };
        Box::pin(async move {
            // Spin removes the chaining Host header and routes the whole path
            // to the target as if its route were `/...`.
            request.headers_mut().remove(http::header::HOST);
            let path = request.uri().path().to_string();
            let route = RouteMatch::synthetic(&component_id, &path);
            let client_addr: SocketAddr = ([127, 0, 0, 1], 0).into();
            match app.invoke(&route, request, client_addr, || {}).await {
                Ok(response) => Ok(response),
                Err(e) => {
                    tracing::error!(component = %component_id, error = %e, "chained request failed");
                    Err(wasmtime_wasi_http::Error::DestinationUnavailable)
                }
            }
        })
    }
}

/// Adds the headers Spin gives every request (overwriting client values).
fn add_spin_headers<B>(request: &mut http::Request<B>, route: &RouteMatch, client_addr: SocketAddr) -> Result<()> {
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .to_string();
    let path_and_query = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string();
    let full_url = format!("http://{host}{path_and_query}");
    // wasi:http needs an absolute URI (scheme and authority).
    *request.uri_mut() = full_url.parse().with_context(|| format!("invalid request URL {full_url:?}"))?;

    let mut headers: Vec<(String, String)> = vec![
        ("spin-full-url".into(), full_url),
        ("spin-path-info".into(), route.path_info.clone()),
        ("spin-matched-route".into(), route.raw_route.clone()),
        ("spin-base-path".into(), "/".into()),
        ("spin-raw-component-route".into(), route.raw_route.clone()),
        ("spin-component-route".into(), route.route_prefix().to_string()),
        ("spin-client-addr".into(), client_addr.to_string()),
    ];
    for (name, value) in &route.params {
        headers.push((path_match_header(name), value.clone()));
    }
    for (name, value) in headers {
        request.headers_mut().insert(HeaderName::try_from(name)?, HeaderValue::try_from(value)?);
    }
    Ok(())
}

/// The header carrying route parameter `name`, as Spin names it
/// (trigger-http: lower case, `_` turned into `-`).
pub fn path_match_header(name: &str) -> String {
    format!("spin-path-match-{}", name.to_ascii_lowercase().replace('_', "-"))
}

/// Turns the manifest's `files` into read-only directory mounts.
///
/// A `{ source, destination }` directory is mounted as it is. Glob patterns
/// are copied into `<state-dir>/files/<component>/` and that is mounted at `/`.
fn mount_files(base_dir: &Path, state_dir: &Path, component_id: &str, files: &[FileMount]) -> Result<Vec<(PathBuf, String)>> {
    let mut mounts = Vec::new();
    let staged = state_dir.join("files").join(component_id);
    let mut staged_any = false;
    for mount in files {
        match mount {
            FileMount::Placement(p) => {
                let source = base_dir.join(&p.source);
                if !source.is_dir() {
                    bail!("component `{component_id}`: files source {} is not a directory", source.display());
                }
                mounts.push((source, p.destination.clone()));
            }
            FileMount::Pattern(pattern) => {
                let full = base_dir.join(pattern);
                let full = full.to_string_lossy();
                for entry in glob::glob(&full).with_context(|| format!("invalid files pattern {pattern:?}"))? {
                    let path = entry?;
                    if !path.is_file() {
                        continue;
                    }
                    let relative = path.strip_prefix(base_dir).unwrap_or(&path);
                    let target = staged.join(relative);
                    if let Some(parent) = target.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::copy(&path, &target)?;
                    staged_any = true;
                }
            }
        }
    }
    if staged_any {
        mounts.push((staged, "/".to_string()));
    }
    Ok(mounts)
}

/// Collects a response body (tests and the scheduler use it).
pub async fn collect_body(response: GuestResponse) -> Result<(http::StatusCode, Bytes)> {
    let status = response.status();
    let body = response.into_body().collect().await.map_err(|e| anyhow::anyhow!("{e:?}"))?.to_bytes();
    Ok((status, body))
}
