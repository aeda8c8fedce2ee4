//! A Spin-compatible host for this project's `spin.toml`, built on wasmtime.
//!
//! Production runs on real Spin (or SpinKube); this runner exists because no
//! registry ships the Spin CLI. It mirrors Spin's behaviour wherever the
//! application can observe it: routes, injected headers, one instance per
//! request, store allow-lists, runtime config and variables.
//! See ARCHITECTURE.md for the code map.

pub mod app;
pub mod body;
pub mod engine;
pub mod host;
pub mod key_value;
pub mod manifest;
pub mod outbound;
pub mod routes;
pub mod runtime_config;
pub mod scheduler;
pub mod server;
pub mod sqlite;
pub mod variables;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

pub use app::{App, LoadOptions};

/// Everything `runner` accepts on its command line, as a value.
pub struct RunnerOptions {
    pub load: LoadOptions,
    pub listen: SocketAddr,
    /// SQL run against the `default` database before serving (`--sqlite`).
    pub sqlite_statements: Vec<String>,
    /// Keys set in the `default` store before serving (`--key-value`).
    pub key_values: Vec<(String, String)>,
    pub schedules: Vec<scheduler::Job>,
    /// Instances, timeouts and caps on what clients may hold.
    pub limits: server::Limits,
}

impl RunnerOptions {
    /// Options for `manifest` with a given state dir, listening on an
    /// ephemeral loopback port, reading no environment variables.
    pub fn for_tests(manifest: PathBuf, state_dir: PathBuf) -> Self {
        Self {
            load: LoadOptions {
                manifest_path: manifest,
                state_dir,
                runtime_config_file: None,
                env: Arc::new(|_| None),
                component_cache_dir: None,
            },
            listen: ([127, 0, 0, 1], 0).into(),
            sqlite_statements: Vec::new(),
            key_values: Vec::new(),
            schedules: Vec::new(),
            limits: server::Limits::default(),
        }
    }
}

/// A runner that is serving.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub app: Arc<App>,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<()>>,
    jobs: Vec<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    /// Stops accepting, finishes in-flight requests, stops the scheduler.
    pub async fn shutdown(self) -> Result<()> {
        for job in &self.jobs {
            job.abort();
        }
        let _ = self.shutdown.send(());
        self.server.await?
    }

    /// Runs until the server stops by itself (it does not, unless it fails).
    pub async fn wait(self) -> Result<()> {
        self.server.await?
    }
}

/// Loads the application, prepares its stores and starts serving.
pub async fn start(options: RunnerOptions) -> Result<RunningServer> {
    start_with_shutdown(options, std::future::pending()).await
}

/// Like [`start`], but also stops when `signal` resolves (SIGTERM/SIGINT).
pub async fn start_with_shutdown(
    options: RunnerOptions,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<RunningServer> {
    let app = App::load(&options.load).await?;
    for statement in &options.sqlite_statements {
        app.execute_sql(runtime_config::DEFAULT_LABEL, statement)
            .with_context(|| "--sqlite statements failed")?;
    }
    for (key, value) in &options.key_values {
        app.set_key_value(runtime_config::DEFAULT_LABEL, key, value).await?;
    }

    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| format!("cannot listen on {}", options.listen))?;
    let addr = listener.local_addr()?;

    spawn_epoch_ticker(app.engine().clone());

    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let stop = async move {
        tokio::select! {
            _ = shutdown_rx => {}
            _ = signal => {}
        }
    };
    let server = tokio::spawn(server::serve(app.clone(), listener, options.limits, stop));
    let jobs = scheduler::start(options.schedules, addr, &app.variables)?;
    Ok(RunningServer { addr, app, shutdown: shutdown_tx, server, jobs })
}

/// Advances the engine's epoch so guests yield to the executor regularly.
fn spawn_epoch_ticker(engine: wasmtime::Engine) {
    let weak = engine.weak();
    drop(engine);
    std::thread::Builder::new()
        .name("epoch-ticker".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
        .expect("cannot start the epoch ticker thread");
}
