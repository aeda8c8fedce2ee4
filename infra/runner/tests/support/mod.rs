//! Shared test helpers: spawn the runner on an ephemeral port with a temp
//! state dir and the probe component, and talk to it over real HTTP.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use runner::{RunnerOptions, RunningServer};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// The probe component, built by `make test` before the tests run.
pub fn probe_wasm() -> PathBuf {
    let path = workspace_root().join("target/wasm32-wasip2/release/runner_probe.wasm");
    assert!(
        path.exists(),
        "{} is missing: run `make test` (it builds the probe component first)",
        path.display()
    );
    path
}

/// The probe built for `wasm32-wasip1`: a core module, not a component.
pub fn probe_core_module() -> PathBuf {
    let path = workspace_root().join("target/wasm32-wasip1/release/runner_probe.wasm");
    assert!(path.exists(), "{} is missing: run `make test` (it builds the probe for wasm32-wasip1 too)", path.display());
    path
}

/// The manifest used by most tests. `{probe}` is the probe's path and
/// `{outbound}` an extra allowed outbound host.
pub fn probe_manifest(outbound: &str) -> String {
    let probe = probe_wasm().display().to_string();
    format!(
        r#"
spin_manifest_version = 2
[application]
name = "probe-app"
version = "1.2.3"
[variables]
greeting = {{ default = "halo" }}
secret_token = {{ required = true, secret = true }}

[[trigger.http]]
route = "/probe/..."
component = "probe"
[[trigger.http]]
route = "/items/:id/detail/:part_name"
component = "probe"
[[trigger.http]]
route = "/stranger/..."
component = "stranger"
[[trigger.http]]
route = {{ private = true }}
component = "worker"

[component.probe]
source = "{probe}"
key_value_stores = ["default"]
sqlite_databases = ["default"]
allowed_outbound_hosts = ["http://worker.spin.internal", "{outbound}"]
variables = {{ greeting = "{{{{ greeting }}}}", token = "Bearer {{{{ secret_token }}}}" }}
environment = {{ PROBE_MODE = "test" }}
files = [{{ source = "static", destination = "/static" }}]

[component.worker]
source = "{probe}"

[component.stranger]
source = "{probe}"
"#
    )
}

pub struct TestApp {
    pub server: Option<RunningServer>,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
}

pub struct Spawn {
    pub manifest: String,
    pub env: HashMap<String, String>,
    pub runtime_config: Option<String>,
    pub sqlite_statements: Vec<String>,
    pub schedules: Vec<String>,
    /// Use the suite-wide compiled-component cache (tests of the cache
    /// itself turn this off to get their own).
    pub shared_cache: bool,
    /// Timeouts and caps on clients.
    pub limits: runner::server::Limits,
}

impl Default for Spawn {
    fn default() -> Self {
        let mut env = HashMap::new();
        env.insert("SPIN_VARIABLE_SECRET_TOKEN".to_string(), "s3cret".to_string());
        Self {
            manifest: probe_manifest("http://127.0.0.1:1"),
            env,
            runtime_config: None,
            sqlite_statements: Vec::new(),
            schedules: Vec::new(),
            shared_cache: true,
            limits: runner::server::Limits::default(),
        }
    }
}

impl Spawn {
    pub fn options(&self, dir: &Path) -> RunnerOptions {
        std::fs::write(dir.join("spin.toml"), &self.manifest).unwrap();
        std::fs::create_dir_all(dir.join("static")).unwrap();
        std::fs::write(dir.join("static/hello.txt"), "halo dari berkas").unwrap();
        let mut options = RunnerOptions::for_tests(dir.join("spin.toml"), dir.join(".spin"));
        let env = self.env.clone();
        options.load.env = Arc::new(move |name| env.get(name).cloned());
        if self.shared_cache {
            options.load.component_cache_dir = Some(workspace_root().join("target/test-component-cache"));
        }
        if let Some(rc) = &self.runtime_config {
            std::fs::write(dir.join("runtime-config.toml"), rc).unwrap();
            options.load.runtime_config_file = Some(dir.join("runtime-config.toml"));
        }
        options.sqlite_statements = self.sqlite_statements.clone();
        options.limits = self.limits.clone();
        options.schedules = self
            .schedules
            .iter()
            .map(|s| runner::scheduler::Job::parse(s).unwrap())
            .collect();
        options
    }

    pub async fn start(self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        self.start_in(dir).await
    }

    pub async fn start_in(self, dir: tempfile::TempDir) -> TestApp {
        let server = runner::start(self.options(dir.path())).await.expect("runner starts");
        TestApp {
            addr: server.addr,
            server: Some(server),
            dir,
            client: reqwest::Client::new(),
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn post(&self, path: &str) -> (u16, String) {
        let response = self.client.post(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// Stops the server and hands back its state dir for a restart.
    pub async fn stop(mut self) -> tempfile::TempDir {
        self.server.take().unwrap().shutdown().await.unwrap();
        self.dir
    }
}

/// A plain local HTTP server answering every request with `body`.
pub async fn local_http_server(body: &'static str) -> SocketAddr {
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let service = service_fn(move |_req| async move {
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(http_body_util::Full::new(
                        bytes::Bytes::from_static(body.as_bytes()),
                    )))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

#[allow(unused_imports)] // not every test binary that shares this module starts Redis
pub use test_support::Redis;
