//! Test harness for the application: the real `spin.toml`, served by the
//! project's runner on an ephemeral port with a fresh state directory, and
//! driven over real HTTP (the zero-to-production `spawn_app` pattern).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use runner::{RunnerOptions, RunningServer};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// A running application.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state_dir: tempfile::TempDir,
    server: Option<RunningServer>,
}

/// How to start the application; `TestApp::spawn()` takes the defaults.
#[derive(Default)]
pub struct AppConfig {
    /// `SPIN_VARIABLE_*` values the app sees (nothing else from the environment).
    pub env: HashMap<String, String>,
    /// A runtime-config file's content (default: Spin's default stores).
    pub runtime_config: Option<String>,
}

/// The sweep token every test app is started with.
pub const SLA_SWEEP_TOKEN: &str = "sla-sweep-token-for-tests-0123456789";

impl AppConfig {
    /// Rate limits off (every test client is 127.0.0.1), as benchmarks run.
    pub fn without_rate_limits() -> Self {
        let mut env = HashMap::new();
        env.insert("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_ADDRESS".into(), "0".into());
        env.insert("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_PHONE".into(), "0".into());
        env.insert("SPIN_VARIABLE_SLA_SWEEP_TOKEN".into(), SLA_SWEEP_TOKEN.into());
        Self { env, runtime_config: None }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(AppConfig::without_rate_limits()).await
    }

    pub async fn spawn_with(config: AppConfig) -> TestApp {
        let root = workspace_root();
        for component in ["agencies", "calendar", "health", "reports", "sla_sweep", "web", "workflow"] {
            let wasm = root.join(format!("target/wasm32-wasip2/release/{component}.wasm"));
            assert!(wasm.exists(), "{} is missing: run `make test`, which builds the components", wasm.display());
        }
        let state_dir = tempfile::tempdir().unwrap();
        let mut options = RunnerOptions::for_tests(root.join("spin.toml"), state_dir.path().join(".spin"));
        let env = config.env;
        options.load.env = Arc::new(move |name| env.get(name).cloned());
        // One compiled-component cache for the whole suite (keyed by the
        // .wasm contents, so a rebuilt component is recompiled once).
        options.load.component_cache_dir = Some(root.join("target/test-component-cache"));
        if let Some(rc) = config.runtime_config {
            let path = state_dir.path().join("runtime-config.toml");
            std::fs::write(&path, rc).unwrap();
            options.load.runtime_config_file = Some(path);
        }
        let server = runner::start(options).await.expect("the application starts");
        // Redirects are part of what is tested, so they are never followed.
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { addr: server.addr, client, state_dir, server: Some(server) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The application's SQLite database, opened directly.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.state_dir.path().join(".spin/sqlite_db.db")).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |row| row.get(0)).unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(body).send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Sends `method path` with an optional bearer token and JSON body;
    /// returns the status and the body (JSON, or a JSON string if not JSON).
    pub async fn call(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
    }

    /// Files a report and returns the 201 body.
    pub async fn file(&self, report: &serde_json::Value) -> serde_json::Value {
        let response = self.post_json("/api/v1/reports", report).await;
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
        response.json().await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.unwrap();
        }
    }
}

pub use test_support::Redis;
