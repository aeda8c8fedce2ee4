//! Test harness for the application: the real `spin.toml`, served by the
//! project's runner on an ephemeral port with a fresh state directory, and
//! driven over real HTTP (the zero-to-production `spawn_app` pattern).
//!
//! `LAPOR_TEST_KEY_VALUE=redis` runs every app's key-value store on Redis
//! instead of Spin's SQLite file: one redis-server per test process, one
//! database number per app (see [`KeyValue`]). `make test` runs the suite in
//! both modes, because Redis is what every replica shares once the service
//! scales out, and its backend differs (counters, listing, atomicity).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

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
    /// The runtime-config file the app was started with, if any (other
    /// processes of the same app get it too).
    runtime_config_file: Option<PathBuf>,
    kv: Kv,
}

/// How to start the application; `TestApp::spawn()` takes the defaults.
#[derive(Default)]
pub struct AppConfig {
    /// `SPIN_VARIABLE_*` values the app sees (nothing else from the environment).
    pub env: HashMap<String, String>,
    /// A runtime-config file's content (default: Spin's default stores, or
    /// Redis as [`KeyValue`] says). Given, it is used as written and
    /// [`TestApp::kv`] cannot know the store.
    pub runtime_config: Option<String>,
    /// The key-value backend; `None` is the suite's ([`KeyValue::of_suite`]).
    pub key_value: Option<KeyValue>,
}

/// Where a spawned app keeps its `default` key-value store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyValue {
    /// Spin's default: `spin_key_value` in `<state dir>/sqlite_key_value.db`.
    Spin,
    /// A database of its own on the test process's shared redis-server.
    Redis,
}

impl KeyValue {
    /// `LAPOR_TEST_KEY_VALUE=redis` (or `spin`, the default).
    pub fn of_suite() -> KeyValue {
        match std::env::var("LAPOR_TEST_KEY_VALUE").as_deref() {
            Ok("redis") => KeyValue::Redis,
            Ok("spin") | Ok("") | Err(_) => KeyValue::Spin,
            Ok(other) => panic!("LAPOR_TEST_KEY_VALUE={other:?}: expected \"redis\" or \"spin\""),
        }
    }
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
        Self { env, runtime_config: None, key_value: None }
    }

    /// Puts the key-value store on `backend` whatever the suite's mode.
    pub fn key_value(mut self, backend: KeyValue) -> Self {
        self.key_value = Some(backend);
        self
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
        let (runtime_config, kv) = match (config.runtime_config, config.key_value.unwrap_or_else(KeyValue::of_suite)) {
            (Some(rc), _) => (Some(rc), Kv(KvBackend::Unknown)),
            (None, KeyValue::Spin) => (None, Kv(KvBackend::Spin(state_dir.path().join(".spin").join(runner::runtime_config::DEFAULT_KV_FILE)))),
            (None, KeyValue::Redis) => {
                let redis = SharedRedis::get();
                let db = redis.new_database();
                // Only the key-value store moves; SQLite stays Spin's default file.
                let rc = format!("[key_value_store.default]\ntype = \"redis\"\nurl = \"redis://127.0.0.1:{}/{db}\"\n", redis.port);
                (Some(rc), Kv(KvBackend::Redis { port: redis.port, db }))
            }
        };
        let mut runtime_config_file = None;
        if let Some(rc) = runtime_config {
            let path = state_dir.path().join("runtime-config.toml");
            std::fs::write(&path, rc).unwrap();
            options.load.runtime_config_file = Some(path.clone());
            runtime_config_file = Some(path);
        }
        let server = runner::start(options).await.expect("the application starts");
        // Redirects are part of what is tested, so they are never followed.
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { addr: server.addr, client, state_dir, server: Some(server), env: kept_env, runtime_config_file, kv }
    }

    /// The app's key-value store, read and written directly (in the backend's
    /// own encoding), whichever backend it runs on.
    pub fn kv(&self) -> &Kv {
        &self.kv
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

    /// Another runner *process* serving the same spin.toml on the same state
    /// directory and runtime config (the same SQLite file, the same key-value
    /// store), as another replica would. Killed on drop.
    pub fn spawn_process(&self) -> RunnerProcess {
        let root = workspace_root();
        let binary = root.join("target/release/runner");
        assert!(binary.exists(), "{} is missing: `make test` builds it", binary.display());
        // Seed its compiled-component cache from the suite's, so it starts
        // without compiling every component again.
        let cache = self.state_dir.path().join(".spin/component-cache");
        std::fs::create_dir_all(&cache).unwrap();
        // A file already there is never written again: a running process
        // maps it (wasmtime loads a `.cwasm` with mmap), and rewriting it in
        // place would pull the code from under that process (SIGBUS).
        for entry in std::fs::read_dir(root.join("target/test-component-cache")).into_iter().flatten().flatten() {
            let target = cache.join(entry.file_name());
            if !target.exists() {
                let partial = cache.join(format!(".{}.partial", entry.file_name().to_string_lossy()));
                if std::fs::copy(entry.path(), &partial).is_ok() {
                    let _ = std::fs::rename(&partial, &target);
                }
            }
        }
        let mut command = std::process::Command::new(binary);
        command
            .arg("--from")
            .arg(root.join("spin.toml"))
            .args(["--listen", "127.0.0.1:0", "--state-dir"])
            .arg(self.state_dir.path().join(".spin"));
        if let Some(rc) = &self.runtime_config_file {
            command.arg("--runtime-config-file").arg(rc);
        }
        command
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

/// A runner process started by [`TestApp::spawn_process`].
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

/// An app's key-value store as its backend keeps it (see [`TestApp::kv`]).
pub struct Kv(KvBackend);

enum KvBackend {
    /// Spin's SQLite file; counters are 8 little-endian bytes.
    Spin(PathBuf),
    /// A database of the shared redis-server; counters are decimal text (INCRBY).
    Redis { port: u16, db: u32 },
    /// The test wrote its own runtime config.
    Unknown,
}

impl Kv {
    fn redis(&self, args: &[&[u8]]) -> test_support::resp::Reply {
        match &self.0 {
            KvBackend::Redis { port, db } => test_support::resp::call(*port, *db, args),
            _ => unreachable!(),
        }
    }

    fn sqlite(path: &Path) -> rusqlite::Connection {
        let db = rusqlite::Connection::open(path).unwrap();
        // The runner makes the table on start; made here too so reading an
        // app that never touched its store is an empty store, not an error.
        db.execute("CREATE TABLE IF NOT EXISTS spin_key_value (store TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (store, key))", []).unwrap();
        db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
        db
    }

    fn unknown() -> ! {
        panic!("this app was started with its own runtime config: read its store through that config")
    }

    /// Whether this is Redis (some behaviour differs by backend).
    pub fn is_redis(&self) -> bool {
        matches!(self.0, KvBackend::Redis { .. })
    }

    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        match &self.0 {
            KvBackend::Spin(path) => Self::sqlite(path)
                .query_row("SELECT value FROM spin_key_value WHERE store = 'default' AND key = ?", [key], |row| row.get(0))
                .ok(),
            KvBackend::Redis { .. } => self.redis(&[b"GET", key.as_bytes()]).bytes(),
            KvBackend::Unknown => Self::unknown(),
        }
    }

    pub fn set(&self, key: &str, value: &[u8]) {
        match &self.0 {
            KvBackend::Spin(path) => {
                Self::sqlite(path)
                    .execute("INSERT OR REPLACE INTO spin_key_value (store, key, value) VALUES ('default', ?1, ?2)", rusqlite::params![key, value])
                    .unwrap();
            }
            KvBackend::Redis { .. } => {
                self.redis(&[b"SET", key.as_bytes(), value]);
            }
            KvBackend::Unknown => Self::unknown(),
        }
    }

    /// Writes a counter as the backend's `increment` would have left it.
    pub fn set_counter(&self, key: &str, count: i64) {
        match &self.0 {
            KvBackend::Spin(_) => self.set(key, &count.to_le_bytes()),
            KvBackend::Redis { .. } => self.set(key, count.to_string().as_bytes()),
            KvBackend::Unknown => Self::unknown(),
        }
    }

    pub fn delete(&self, key: &str) {
        match &self.0 {
            KvBackend::Spin(path) => {
                Self::sqlite(path).execute("DELETE FROM spin_key_value WHERE store = 'default' AND key = ?1", [key]).unwrap();
            }
            KvBackend::Redis { .. } => {
                self.redis(&[b"DEL", key.as_bytes()]);
            }
            KvBackend::Unknown => Self::unknown(),
        }
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = match &self.0 {
            KvBackend::Spin(path) => {
                let db = Self::sqlite(path);
                let mut statement = db.prepare("SELECT key FROM spin_key_value WHERE store = 'default'").unwrap();
                let keys = statement.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
                keys
            }
            KvBackend::Redis { .. } => self.redis(&[b"KEYS", b"*"]).strings(),
            KvBackend::Unknown => Self::unknown(),
        };
        keys.sort();
        keys
    }

    /// Loses everything in the store (as a restarted cache would).
    pub fn clear(&self) {
        match &self.0 {
            KvBackend::Spin(path) => {
                Self::sqlite(path).execute("DELETE FROM spin_key_value", []).unwrap();
            }
            KvBackend::Redis { .. } => {
                self.redis(&[b"FLUSHDB"]);
            }
            KvBackend::Unknown => Self::unknown(),
        }
    }
}

/// The redis-server that every app of this test process shares in Redis
/// mode: started on first use, one database number per app, so tests that
/// run in parallel never see each other's keys.
pub struct SharedRedis {
    pub port: u16,
    next_db: AtomicU32,
}

/// More than the apps a test process starts; Redis's default is 16.
const SHARED_REDIS_DATABASES: u32 = 4096;

impl SharedRedis {
    pub fn get() -> &'static SharedRedis {
        static SHARED: OnceLock<SharedRedis> = OnceLock::new();
        SHARED.get_or_init(|| SharedRedis { port: start_shared_redis(), next_db: AtomicU32::new(0) })
    }

    /// A database no other app of this process has had.
    pub fn new_database(&self) -> u32 {
        let db = self.next_db.fetch_add(1, Ordering::Relaxed);
        assert!(db < SHARED_REDIS_DATABASES, "more than {SHARED_REDIS_DATABASES} apps in one test process: raise SHARED_REDIS_DATABASES");
        db
    }
}

/// Starts redis-server from a thread that lives as long as the process.
///
/// A static is never dropped, so no guard can stop the server; instead it
/// gets SIGKILL from the kernel when its parent goes (PR_SET_PDEATHSIG).
/// That signal follows the parent *thread*, and test threads end with their
/// test, so the server is started by a thread that never ends.
fn start_shared_redis() -> u16 {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("shared-redis".into())
        .spawn(move || {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let dir = tempfile::tempdir().unwrap();
            let mut command = std::process::Command::new("redis-server");
            command
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .args(["--databases", &SHARED_REDIS_DATABASES.to_string()])
                .arg("--dir")
                .arg(dir.path())
                .stdout(std::process::Stdio::null());
            let parent = std::process::id() as libc::pid_t;
            // SAFETY: prctl and getppid are async-signal-safe; nothing else runs here.
            unsafe {
                std::os::unix::process::CommandExt::pre_exec(&mut command, move || {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    // The parent may have gone before the prctl took effect.
                    if libc::getppid() != parent {
                        libc::_exit(0);
                    }
                    Ok(())
                });
            }
            let mut child = command.spawn().expect("redis-server is not installed: run `make test`, which installs it");
            let mut ready = false;
            for _ in 0..200 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    ready = true;
                    break;
                }
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("redis-server exited at start: {status}");
                }
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            assert!(ready, "redis-server did not start on port {port}");
            sender.send(port).unwrap();
            // Nothing is ever written there (no RDB, no AOF); kept until the
            // process ends only because this thread never returns.
            let _dir = dir;
            loop {
                std::thread::park();
            }
        })
        .unwrap();
    receiver.recv().expect("the shared redis-server starts")
}

pub use test_support::{Providers, Redis};
