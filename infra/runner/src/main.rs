//! `runner`: serves a Spin application (manifest v2) the way `spin up` does.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Parser;
use runner::{scheduler::Job, server::Limits, LoadOptions, RunnerOptions};

/// Many threads allocate at once (guests' host calls, SQLite, hyper); glibc's
/// allocator showed as a tenth of a lookup's profile, mostly its locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The defaults of the limit options.
const DEFAULTS: Limits = Limits::DEFAULT;

/// Runs a Spin application locally, mirroring `spin up`.
#[derive(Debug, Parser)]
#[command(name = "runner", version, about)]
struct Cli {
    /// The application manifest.
    #[arg(long = "from", short = 'f', default_value = "spin.toml")]
    from: PathBuf,

    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    listen: SocketAddr,

    /// Where default stores and the compiled-component cache live
    /// (default: `.spin` beside the manifest).
    #[arg(long)]
    state_dir: Option<PathBuf>,

    /// Runtime config file (key-value stores, SQLite databases, variables providers).
    #[arg(long)]
    runtime_config_file: Option<PathBuf>,

    /// SQL to run against the `default` database before serving; `@file.sql` reads a file. Repeatable.
    #[arg(long = "sqlite", value_name = "SQL|@FILE")]
    sqlite: Vec<String>,

    /// `key=value` to set in the `default` key-value store before serving. Repeatable.
    #[arg(long = "key-value", value_name = "KEY=VALUE")]
    key_value: Vec<String>,

    /// A periodic call: "<cron expr> <METHOD> <path> [bearer=<variable>]". Repeatable.
    #[arg(long = "cron", value_name = "SCHEDULE")]
    cron: Vec<String>,

    /// A file of `[[job]] schedule = "..."` entries for the scheduler.
    #[arg(long)]
    schedule_file: Option<PathBuf>,

    /// Concurrent component instances; further requests wait.
    #[arg(long, default_value_t = DEFAULTS.max_concurrent_requests)]
    max_concurrent_requests: usize,

    /// Seconds a client has to send a request's headers (and an idle
    /// keep-alive connection to start its next request); then the connection closes.
    #[arg(long, default_value_t = DEFAULTS.header_read_timeout.as_secs(), value_name = "SECONDS")]
    header_read_timeout: u64,

    /// Longest wait, in seconds, for the next piece of a request body; then 408.
    #[arg(long, default_value_t = DEFAULTS.body_read_timeout.as_secs(), value_name = "SECONDS")]
    body_read_timeout: u64,

    /// A request body up to this size is read before its instance starts
    /// (a larger one streams to the component after that).
    #[arg(long, default_value_t = DEFAULTS.max_buffered_body_bytes, value_name = "BYTES")]
    max_buffered_body_bytes: usize,

    /// Request-body bytes held in memory across all connections; past it, 503 with Retry-After.
    #[arg(long, default_value_t = DEFAULTS.body_buffer_budget_bytes, value_name = "BYTES")]
    body_buffer_budget_bytes: usize,

    /// Open connections one client address may hold (0: no cap); past it, 503 with Retry-After.
    #[arg(long, default_value_t = DEFAULTS.max_connections_per_address, value_name = "N")]
    max_connections_per_address: usize,

    /// Log format: text or json.
    #[arg(long, default_value = "text")]
    log_format: String,
}

fn init_logging(format: &str) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUNNER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,wasmtime=warn,cranelift=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        "text" => builder.init(),
        "json" => builder.json().flatten_event(true).init(),
        other => bail!("--log-format {other:?}: allowed values are text and json"),
    }
    Ok(())
}

async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}

async fn run(cli: Cli) -> Result<()> {
    let state_dir = cli.state_dir.clone().unwrap_or_else(|| {
        cli.from.parent().map(|p| p.join(".spin")).unwrap_or_else(|| PathBuf::from(".spin"))
    });
    let mut sqlite_statements = Vec::new();
    for s in &cli.sqlite {
        match s.strip_prefix('@') {
            Some(file) => sqlite_statements
                .push(std::fs::read_to_string(file).with_context(|| format!("--sqlite @{file}: cannot read the file"))?),
            None => sqlite_statements.push(s.clone()),
        }
    }
    let key_values = cli
        .key_value
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .with_context(|| format!("--key-value {kv:?}: expected KEY=VALUE"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut schedules = cli.cron.iter().map(|s| Job::parse(s)).collect::<Result<Vec<_>>>()?;
    if let Some(file) = &cli.schedule_file {
        schedules.extend(Job::from_file(file)?);
    }

    let options = RunnerOptions {
        load: LoadOptions {
            manifest_path: cli.from.clone(),
            state_dir,
            runtime_config_file: cli.runtime_config_file.clone(),
            env: Arc::new(|name| std::env::var(name).ok()),
            component_cache_dir: None,
        },
        listen: cli.listen,
        sqlite_statements,
        key_values,
        schedules,
        limits: Limits {
            max_concurrent_requests: cli.max_concurrent_requests.max(1),
            header_read_timeout: Duration::from_secs(cli.header_read_timeout.max(1)),
            body_read_timeout: Duration::from_secs(cli.body_read_timeout.max(1)),
            max_buffered_body_bytes: cli.max_buffered_body_bytes,
            body_buffer_budget_bytes: cli.body_buffer_budget_bytes,
            max_connections_per_address: cli.max_connections_per_address,
        },
    };
    let server = runner::start_with_shutdown(options, shutdown_signal()).await?;
    let app = server.app.clone();
    if app.compiled_count > 0 {
        tracing::info!(compiled = app.compiled_count, "compiled components (cached for the next start)");
    }
    // The same banner as `spin up`; tests read the first line to find the
    // port. A closed stdout must not stop the server, so errors are ignored.
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Serving http://{}", server.addr);
        let _ = writeln!(out, "Available Routes:");
        for (component, route) in &app.routes {
            let _ = writeln!(out, "  {component}: http://{}{}", server.addr, route.replace("/...", "/(wildcard)"));
        }
        let _ = out.flush();
    }
    server.wait().await
}

fn main() {
    runner::sqlite::configure_process();
    let cli = Cli::parse();
    if let Err(e) = init_logging(&cli.log_format) {
        eprintln!("Error: {e:#}");
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    if let Err(e) = runtime.block_on(run(cli)) {
        eprintln!("Error: {e:#}");
        std::process::exit(1);
    }
}
