//! The server under load, as a child process: our runner binary, or real
//! Spin when `SPIN_BIN` names one. Both print `Serving http://<addr>`
//! once they listen.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

pub const SWEEP_TOKEN: &str = "bench-sweep-token-0123456789abcdef";
pub const ADMIN_TOKEN: &str = "bench-admin-token-0123456789abcdefgh";

/// Where servers' stderr goes (`server-<n>.log`): the guest's complaints
/// about clients wrk hung up on would flood the terminal.
pub static LOG_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
static STARTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Which binary serves.
#[derive(Debug, Clone)]
pub enum Host {
    Runner,
    Spin(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub host: Host,
    /// Default stores and (for the runner) the compiled-component cache,
    /// `<state_dir>/component-cache`.
    pub state_dir: PathBuf,
    pub runtime_config: Option<PathBuf>,
    /// The sweep's batch per action kind and call.
    pub sweep_batch: u64,
}

impl Options {
    pub fn runner(state_dir: &Path, sweep_batch: u64) -> Options {
        Options { host: Host::Runner, state_dir: state_dir.to_path_buf(), runtime_config: None, sweep_batch }
    }
}

/// A serving process: killed when dropped, unless stopped first.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// When the process was spawned (for start-to-first-200).
    pub spawned: Instant,
}

impl Server {
    pub fn start(options: &Options) -> Result<Server> {
        let root = workspace_root();
        let mut command = match &options.host {
            Host::Runner => {
                let mut c = Command::new(root.join("target/release/runner"));
                c.arg("--from").arg(root.join("spin.toml")).args(["--listen", "127.0.0.1:0"]);
                // All of wrk's connections come from 127.0.0.1: the per-address
                // cap (512) would refuse most of the 1,000.
                c.args(["--max-connections-per-address", "0"]).env("RUNNER_LOG", "warn");
                c
            }
            Host::Spin(bin) => {
                let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
                let mut c = Command::new(bin);
                c.arg("up").arg("--from").arg(root.join("spin.toml")).args(["--listen", &format!("127.0.0.1:{port}")]);
                c
            }
        };
        command.arg("--state-dir").arg(&options.state_dir);
        if let Some(config) = &options.runtime_config {
            command.arg("--runtime-config-file").arg(config);
        }
        // Every request comes from one address: rate limits off.
        for (name, value) in [
            ("REPORT_RATE_LIMIT_PER_ADDRESS", "0"),
            ("REPORT_RATE_LIMIT_PER_PHONE", "0"),
            ("ENGAGEMENT_RATE_LIMIT_PER_IDENTITY", "0"),
            ("ENGAGEMENT_RATE_LIMIT_PER_ADDRESS", "0"),
            ("CITIZEN_RATE_LIMIT_PER_ADDRESS", "0"),
            ("SLA_SWEEP_TOKEN", SWEEP_TOKEN),
            ("NOTIFY_TOKEN", "bench-notify-token-0123456789"),
            ("BOOTSTRAP_ADMIN_TOKEN", ADMIN_TOKEN),
            ("SLA_SWEEP_BATCH", &options.sweep_batch.to_string()),
        ] {
            command.env(format!("SPIN_VARIABLE_{name}"), value);
        }
        let log = LOG_DIR.get().map(|dir| dir.join(format!("server-{}.log", STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed))));
        if let Some(log) = &log {
            command.stderr(std::fs::File::create(log)?);
        }
        let spawned = Instant::now();
        let mut child = command.stdout(Stdio::piped()).spawn().with_context(|| format!("cannot start {:?} (run `make build` first)", options.host))?;
        let mut stdout = BufReader::new(child.stdout.take().context("no stdout")?);
        let mut addr: Option<SocketAddr> = None;
        let mut line = String::new();
        while addr.is_none() {
            line.clear();
            if stdout.read_line(&mut line)? == 0 {
                let stderr = log.map(|l| std::fs::read_to_string(l).unwrap_or_default()).unwrap_or_default();
                bail!("{:?} exited before serving ({}): {stderr}", options.host, child.wait()?);
            }
            addr = line.trim().strip_prefix("Serving http://").map(str::parse).transpose()?;
        }
        // Keep draining stdout so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(Server { child, addr: addr.unwrap(), spawned })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// SIGTERM, then waits: the server finishes every request in flight
    /// (those wrk abandoned included) before it exits.
    pub fn stop(mut self) -> Result<()> {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status()?;
        if !status.success() {
            bail!("cannot send SIGTERM to the server");
        }
        let exit = self.child.wait()?;
        if !exit.success() {
            bail!("the server stopped with {exit}");
        }
        Ok(())
    }

    /// Starts the peak-RSS count afresh (`VmHWM`, Linux's clear_refs 5).
    pub fn reset_peak_rss(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5");
    }

    /// The peak resident set since the last reset, in MB.
    pub fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kb: f64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb / 1024.0)
    }

    /// Waits for the first 200 of `path` (polling, a fresh connection each
    /// time); returns the time since the process was spawned.
    pub async fn first_200(&self, path: &str) -> Result<Duration> {
        let client = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(response) = client.get(self.url(path)).send().await {
                if response.status() == 200 {
                    return Ok(self.spawned.elapsed());
                }
            }
            if Instant::now() > deadline {
                bail!("no 200 from {path} within two minutes of starting");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Makes `to` a state directory sharing `from`'s compiled components (hard
/// links), so a new server starts with a warm cache but its own stores.
pub fn share_component_cache(from: &Path, to: &Path) -> Result<()> {
    let (source, target) = (from.join("component-cache"), to.join("component-cache"));
    std::fs::create_dir_all(&target)?;
    for entry in std::fs::read_dir(&source).with_context(|| format!("no component cache in {}", source.display()))? {
        let entry = entry?;
        let dest = target.join(entry.file_name());
        if std::fs::hard_link(entry.path(), &dest).is_err() {
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}
