//! Test harness for the application: the real `spin.toml`, served by the
//! project's runner on an ephemeral port with a fresh state directory, and
//! driven over real HTTP (the zero-to-production `spawn_app` pattern).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use runner::{RunnerOptions, RunningServer};

pub mod fixtures;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// A running application.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state_dir: tempfile::TempDir,
    server: Option<RunningServer>,
    env: HashMap<String, String>,
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
/// The notification delivery token every test app is started with.
pub const NOTIFY_TOKEN: &str = "notify-token-for-tests-0123456789";
/// The weekly summaries' route token (`weekly_summary_token`).
pub const WEEKLY_SUMMARY_TOKEN: &str = "weekly-summary-token-for-tests-0123456789";

impl AppConfig {
    /// Rate limits off (every test client is 127.0.0.1), as benchmarks run.
    pub fn without_rate_limits() -> Self {
        let mut env = HashMap::new();
        env.insert("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_ADDRESS".into(), "0".into());
        env.insert("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_PHONE".into(), "0".into());
        for limit in [
            "ENGAGEMENT_RATE_LIMIT_PER_IDENTITY",
            "ENGAGEMENT_RATE_LIMIT_PER_ADDRESS",
            "CITIZEN_RATE_LIMIT_PER_ADDRESS",
            "SIGN_IN_CODE_RATE_LIMIT_PER_PHONE",
            "SIGN_IN_CODE_RATE_LIMIT_PER_ADDRESS",
        ] {
            env.insert(format!("SPIN_VARIABLE_{limit}"), "0".into());
        }
        env.insert("SPIN_VARIABLE_SLA_SWEEP_TOKEN".into(), SLA_SWEEP_TOKEN.into());
        env.insert("SPIN_VARIABLE_NOTIFY_TOKEN".into(), NOTIFY_TOKEN.into());
        env.insert("SPIN_VARIABLE_WEEKLY_SUMMARY_TOKEN".into(), WEEKLY_SUMMARY_TOKEN.into());
        Self { env, runtime_config: None }
    }

    /// Sets a Spin variable (by its manifest name).
    pub fn var(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.insert(format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase()), value.into());
        self
    }

    /// Every messaging provider pointed at the local stand-ins, with their
    /// test credentials, webhooks allowed to loopback, and no retry delay.
    pub fn with_providers(self, providers: &test_support::Providers) -> Self {
        use test_support::Providers as P;
        let origin = providers.origin();
        self.var("twilio_api_base", &origin)
            .var("twilio_account_sid", P::TWILIO_ACCOUNT_SID)
            .var("twilio_auth_token", P::TWILIO_AUTH_TOKEN)
            .var("twilio_from", "1708")
            .var("whatsapp_api_base", &origin)
            .var("whatsapp_phone_number_id", P::WHATSAPP_PHONE_NUMBER_ID)
            .var("whatsapp_access_token", P::WHATSAPP_TOKEN)
            .var("email_api_base", &origin)
            .var("email_api_key", P::EMAIL_API_KEY)
            .var("email_from", "noreply@lapor.test")
            .var("webhook_outbound_hosts", "http://127.0.0.1:*")
            .var("webhook_allow_private_hosts", "true")
            .var("notify_retry_base_seconds", "0")
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(AppConfig::without_rate_limits()).await
    }

    pub async fn spawn_with(config: AppConfig) -> TestApp {
        let root = workspace_root();
        for component in ["agencies", "assets", "calendar", "engagement", "health", "messaging", "notify", "open311", "reports", "sla_sweep", "stats", "web", "workflow"] {
            let wasm = root.join(format!("target/wasm32-wasip2/release/{component}.wasm"));
            assert!(wasm.exists(), "{} is missing: run `make test`, which builds the components", wasm.display());
        }
        let state_dir = tempfile::tempdir().unwrap();
        let mut options = RunnerOptions::for_tests(root.join("spin.toml"), state_dir.path().join(".spin"));
        let env = config.env;
        let kept_env = env.clone();
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
        TestApp { addr: server.addr, client, state_dir, server: Some(server), env: kept_env }
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

    /// Runs the delivery step once, as the scheduler would; returns its answer.
    pub async fn deliver(&self) -> serde_json::Value {
        let (status, body) = self.call(reqwest::Method::POST, "/internal/notifications/deliver", Some(NOTIFY_TOKEN), None).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// A second runner *process* serving the same spin.toml on the same state
    /// directory (the same SQLite and key-value files), as a second replica
    /// would. Killed on drop.
    pub fn spawn_second_process(&self) -> RunnerProcess {
        let root = workspace_root();
        let binary = root.join("target/release/runner");
        assert!(binary.exists(), "{} is missing: `make test` builds it", binary.display());
        // Seed its compiled-component cache from the suite's, so it starts
        // without compiling every component again.
        let cache = self.state_dir.path().join(".spin/component-cache");
        std::fs::create_dir_all(&cache).unwrap();
        for entry in std::fs::read_dir(root.join("target/test-component-cache")).into_iter().flatten().flatten() {
            let _ = std::fs::copy(entry.path(), cache.join(entry.file_name()));
        }
        let mut command = std::process::Command::new(binary);
        command
            .arg("--from")
            .arg(root.join("spin.toml"))
            .args(["--listen", "127.0.0.1:0", "--state-dir"])
            .arg(self.state_dir.path().join(".spin"))
            .env_clear()
            .envs(&self.env)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        let mut child = command.spawn().unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut banner).unwrap();
        let addr = banner.trim().strip_prefix("Serving http://").unwrap_or_else(|| panic!("banner: {banner:?}")).parse().unwrap();
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        RunnerProcess { child, addr }
    }

    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.unwrap();
        }
    }
}

/// A runner process started by [`TestApp::spawn_second_process`].
pub struct RunnerProcess {
    child: std::process::Child,
    pub addr: SocketAddr,
}

impl RunnerProcess {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for RunnerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub use test_support::{Providers, Redis};
