//! Each measured scenario: drive a server with wrk (a warm-up, then the
//! measured run), read its peak RSS, and turn the numbers into a [`Row`]
//! with its target.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::Method;

use crate::api::Api;
use crate::references::{percentile, Commits};
use crate::report::{Goal, Row};
use crate::seed;
use crate::server::{Server, SWEEP_TOKEN};
use crate::wrk::{lua, Load, Measured};
use crate::Settings;

/// What a browser sends for a page (the app compresses for it).
pub const BROWSER_HEADERS: [(&str, &str); 3] = [
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Encoding", "gzip, deflate, br"),
    ("Accept-Language", "id-ID,id;q=0.9,en;q=0.8"),
];

/// The targets of issue #15.
pub mod targets {
    pub const TRIVIAL_RATIO: f64 = 0.25;
    pub const TRIVIAL_P99_MS: f64 = 5.0;
    pub const LOOKUPS_PER_S: f64 = 8_000.0;
    pub const PAGE_PER_S: f64 = 5_000.0;
    pub const INTAKE_RATIO: f64 = 1.0;
    pub const INTAKE_P99_MS: f64 = 20.0;
    pub const SUPPORTS_PER_S: f64 = 3_000.0;
    pub const SWEEP_TOTAL_S: f64 = 10.0;
    pub const SWEEP_CALL_MS: f64 = 500.0;
    pub const WARM_START_MS: f64 = 50.0;
    pub const MANY_CONNECTIONS_RSS_MB: f64 = 150.0;
    /// The runner at least twice real Spin: Spin's rate over the runner's at most this.
    pub const SPIN_RATIO: f64 = 0.5;
}

/// The seeded data the read scenarios draw from.
pub struct Seeded {
    /// Every seeded tracking ID, one a line (wrk's scripts read it).
    pub all_ids: PathBuf,
    /// The hot set: a few IDs asked for again and again.
    pub hot_ids: PathBuf,
    pub count: usize,
}

pub struct Bench<'a> {
    pub settings: &'a Settings,
    /// Where scripts and ID lists go.
    pub work: PathBuf,
}

static RUNS: AtomicU64 = AtomicU64::new(0);

/// What wrk can load: a server process of ours (with an RSS to read) or the
/// in-process plain hyper reference (without).
pub trait Loaded {
    fn url(&self, path: &str) -> String;
    fn reset_peak_rss(&self) {}
    fn peak_rss_mb(&self) -> Option<f64> {
        None
    }
}

impl Loaded for Server {
    fn url(&self, path: &str) -> String {
        Server::url(self, path)
    }
    fn reset_peak_rss(&self) {
        Server::reset_peak_rss(self)
    }
    fn peak_rss_mb(&self) -> Option<f64> {
        Server::peak_rss_mb(self)
    }
}

impl Loaded for std::net::SocketAddr {
    fn url(&self, path: &str) -> String {
        format!("http://{self}{path}")
    }
}

impl Bench<'_> {
    /// A warm-up, then the measured run with the server's peak RSS counted
    /// from its start. `script` is called for each run with a nonce of its
    /// own (distinct Idempotency-Keys must not repeat between runs).
    pub fn measure(&self, server: &impl Loaded, path: &str, connections: u64, script: impl Fn(&str) -> Option<String>) -> Result<(Measured, Option<f64>)> {
        let load = |seconds: u64| -> Result<Measured> {
            let run = RUNS.fetch_add(1, Ordering::Relaxed);
            let nonce = format!("{}x{run}", std::process::id());
            let script_path = match script(&nonce) {
                Some(text) => {
                    let p = self.work.join(format!("run-{run}.lua"));
                    std::fs::write(&p, text)?;
                    Some(p)
                }
                None => None,
            };
            Load { url: server.url(path), connections, threads: self.settings.threads, seconds, script: script_path }.run()
        };
        load(self.settings.warmup)?;
        server.reset_peak_rss();
        let measured = load(self.settings.seconds)?;
        Ok((measured, server.peak_rss_mb()))
    }

    /// A GET of one fixed path.
    pub fn get(&self, server: &Server, id: &str, name: &str, path: &str, connections: u64) -> Result<Row> {
        let (m, rss) = self.measure(server, path, connections, |_| None)?;
        Ok(row(id, name, &m, rss).detail("path", path).detail("connections", connections))
    }

    /// GETs of `prefix<id>` for IDs drawn from `ids`.
    pub fn get_random(&self, server: &Server, id: &str, name: &str, prefix: &str, ids: &Path, headers: &[(&str, &str)]) -> Result<Row> {
        let seed = RUNS.load(Ordering::Relaxed);
        let (m, rss) = self.measure(server, "/", self.settings.connections, |_| Some(lua::random_paths(prefix, ids, headers, seed)))?;
        Ok(row(id, name, &m, rss).detail("path", format!("{prefix}{{id}}")).detail("connections", self.settings.connections))
    }

    /// The lookups (hot set and uniform over every seeded report), each at least `LOOKUPS_PER_S`.
    pub fn lookups(&self, server: &Server, seeded: &Seeded, id_prefix: &str, label: &str) -> Result<Vec<Row>> {
        let goals = || vec![Goal::MinRate { value: targets::LOOKUPS_PER_S }, Goal::ZeroErrors];
        Ok(vec![
            self.get_random(server, &format!("{id_prefix}lookup-hot"), &format!("lookup `GET /api/v1/reports/{{id}}`, hot set of 100{label}"), "/api/v1/reports/", &seeded.hot_ids, &[])?
                .goals(goals()),
            self.get_random(
                server,
                &format!("{id_prefix}lookup-random"),
                &format!("lookup, uniform over {} reports{label}", crate::report::thousands(seeded.count as f64)),
                "/api/v1/reports/",
                &seeded.all_ids,
                &[],
            )?
            .goals(goals()),
        ])
    }

    /// Intake: every request files a new ~1 KB report (a distinct
    /// Idempotency-Key each), compared with bare durable commits.
    pub fn intake(&self, server: &Server, id: &str, label: &str, commits: &Row) -> Result<Row> {
        let (m, rss) = self.measure(server, "/api/v1/reports", self.settings.connections, |nonce| Some(lua::distinct_posts(seed::REPORT_BODY, nonce)))?;
        Ok(row(id, format!("intake `POST /api/v1/reports` (1 KB, distinct Idempotency-Key){label}"), &m, rss)
            .detail("connections", self.settings.connections)
            .detail("body_bytes", seed::REPORT_BODY.len())
            .against(commits)
            .goals(vec![Goal::MinRatio { value: targets::INTAKE_RATIO }, Goal::MaxP99Ms { value: targets::INTAKE_P99_MS }, Goal::ZeroErrors]))
    }

    /// Supports toggled (added, then withdrawn) by distinct identities on one
    /// report: every request a write transaction. The count is checked
    /// separately ([`support_check`]) once the server has drained.
    pub fn supports(&self, server: &Server, tracking_id: &str, tokens: &[String]) -> Result<Row> {
        let path = format!("/api/v1/reports/{tracking_id}/supports");
        let (m, rss) = self.measure(server, &path, self.settings.connections, |_| Some(lua::support_toggles(tokens)))?;
        Ok(row("supports", format!("supports `POST`/`DELETE …/supports`, {} identities on one report", tokens.len()), &m, rss)
            .detail("connections", self.settings.connections)
            .detail("identities", tokens.len()))
    }

    /// Process start to first 200 of the health route.
    pub async fn start_up(&self, options: &crate::server::Options, warm_runs: usize) -> Result<Vec<Row>> {
        // A fresh state directory: nothing compiled, no database yet.
        let server = Server::start(options)?;
        let cold = server.first_200("/api/v1/health").await?;
        server.stop()?;
        let mut warm = Vec::new();
        for _ in 0..warm_runs {
            let server = Server::start(options)?;
            warm.push(server.first_200("/api/v1/health").await?.as_secs_f64() * 1000.0);
            server.stop()?;
        }
        warm.sort_by(f64::total_cmp);
        let mut cold_row = Row::new("start-cold", "start to first 200, cold (nothing compiled, no database yet)");
        cold_row.p50_ms = Some(cold.as_secs_f64() * 1000.0);
        cold_row.errors = Some(0);
        let mut warm_row = Row::new("start-warm", format!("start to first 200, warm compiled cache (median of {warm_runs}; p99 column: slowest)"));
        warm_row.p50_ms = Some(percentile(&warm, 0.5));
        warm_row.p99_ms = warm.last().copied();
        warm_row.errors = Some(0);
        Ok(vec![cold_row.goals(vec![]), warm_row.detail("runs_ms", &warm).goals(vec![Goal::MaxP50Ms { value: targets::WARM_START_MS }])])
    }

    /// Sweeps until nothing is left (or `budget` is spent: the run stays
    /// bounded even when the sweep is slow); total time and one call's time.
    pub async fn sweep(&self, server: &Server, count: u64, budget: Duration) -> Result<Row> {
        let api = Api::new(server.addr)?;
        server.reset_peak_rss();
        let started = Instant::now();
        let mut durations = Vec::new();
        let mut acted_on = 0;
        let finished = loop {
            let call = Instant::now();
            let answer = api.ok(Method::POST, "/internal/sla/sweep", Some(SWEEP_TOKEN), None).await?;
            durations.push(call.elapsed().as_secs_f64() * 1000.0);
            acted_on += answer["examined"].as_i64().unwrap_or(0);
            if answer["more"] != serde_json::Value::Bool(true) {
                break true;
            }
            if started.elapsed() > budget {
                break false;
            }
        };
        let elapsed = started.elapsed().as_secs_f64();
        if finished && acted_on < count as i64 {
            bail!("the sweep acted on {acted_on} of {count} reports");
        }
        // At the rate so far, when the sweep would have finished.
        let projected = if finished { elapsed } else { elapsed * count as f64 / acted_on.max(1) as f64 };
        durations.sort_by(f64::total_cmp);
        let name = if finished {
            format!("SLA sweep, {} open reports due: {} calls in {elapsed:.1} s (requests/s: calls)", crate::report::thousands(count as f64), durations.len())
        } else {
            format!(
                "SLA sweep, {} open reports due: stopped after {elapsed:.0} s with {} acted on in {} calls (all: ≈{projected:.0} s at that rate; requests/s: calls)",
                crate::report::thousands(count as f64),
                crate::report::thousands(acted_on as f64),
                durations.len()
            )
        };
        let mut row = Row::new("sla-sweep", name);
        row.requests_per_second = Some(durations.len() as f64 / elapsed);
        row.p50_ms = Some(percentile(&durations, 0.5));
        row.p99_ms = Some(percentile(&durations, 0.99));
        row.errors = Some(0);
        row.total_seconds = Some(elapsed);
        row.peak_rss_mb = server.peak_rss_mb();
        Ok(row
            .detail("reports", count)
            .detail("finished", finished)
            .detail("calls", durations.len())
            .detail("acted_on", acted_on)
            .detail("projected_total_seconds", projected)
            .detail("slowest_call_ms", durations.last())
            .detail("batch_per_kind", self.settings.sweep_batch)
            .goals(vec![
                Goal::Check { what: "all swept".into(), passed: finished },
                Goal::MaxTotalSeconds { value: targets::SWEEP_TOTAL_S },
                Goal::MaxP99Ms { value: targets::SWEEP_CALL_MS },
            ]))
    }
}

/// A row from one wrk run.
pub fn row(id: &str, name: impl Into<String>, m: &Measured, rss: Option<f64>) -> Row {
    let mut row = Row::new(id, name);
    row.requests_per_second = Some(m.requests_per_second);
    row.p50_ms = Some(m.p50_ms);
    row.p99_ms = Some(m.p99_ms);
    row.errors = Some(m.errors());
    row.peak_rss_mb = rss;
    row.detail("requests", m.requests).detail("non_2xx", m.non_2xx).detail("socket_errors", m.socket_errors)
}

/// A reference row from the bare commit loop.
pub fn commits_row(id: &str, name: &str, c: &Commits) -> Row {
    let mut row = Row::new(id, name).reference();
    row.requests_per_second = Some(c.per_second);
    row.p50_ms = Some(c.p50_ms);
    row.p99_ms = Some(c.p99_ms);
    row.errors = Some(0);
    row.detail("commits", c.count)
}

/// The support count, checked without racing the load: the server has
/// stopped (every request wrk abandoned finished first), then the count kept
/// on the report and its rows are read together.
pub fn drained_support_count(database: &Path, tracking_id: &str) -> Result<i64> {
    let (kept, rows) = seed::support_count_and_rows(database, tracking_id)?;
    if kept != rows {
        bail!("after draining, report {tracking_id} keeps a support count of {kept} but has {rows} support rows");
    }
    Ok(kept)
}

/// The exact check: on a fresh server, every identity supports the report
/// (each request answered before the next), so the count must be exactly
/// the number of identities: shown by the API, then (server stopped) kept
/// on the report and counted in rows, in one read.
pub async fn settle_supports(server: Server, database: &Path, tracking_id: &str, tokens: &[String]) -> Result<(i64, i64, i64)> {
    let api = Api::new(server.addr)?;
    for token in tokens {
        api.ok(Method::POST, &format!("/api/v1/reports/{tracking_id}/supports"), Some(token), None).await?;
    }
    let shown = api.shown_supports(tracking_id).await?;
    drop(api);
    server.stop()?;
    let (kept, rows) = seed::support_count_and_rows(database, tracking_id)?;
    Ok((shown, kept, rows))
}

/// Writes the seeded IDs for wrk: all of them, and a hot set of 100 spread over them.
pub fn write_id_lists(work: &Path, ids: &[String]) -> Result<Seeded> {
    let all_ids = work.join("ids-all.txt");
    let hot_ids = work.join("ids-hot.txt");
    std::fs::write(&all_ids, ids.join("\n") + "\n")?;
    let step = (ids.len() / 100).max(1);
    let hot: Vec<&str> = ids.iter().step_by(step).take(100).map(String::as_str).collect();
    std::fs::write(&hot_ids, hot.join("\n") + "\n")?;
    Ok(Seeded { all_ids, hot_ids, count: ids.len() })
}

/// Posts `n` comments under a report (comment listing reads them).
pub async fn comments(api: &Api, tracking_id: &str, tokens: &[String], n: usize) -> Result<()> {
    for i in 0..n {
        let token = tokens.get(i % tokens.len()).context("no citizens")?;
        let body = serde_json::json!({"body": format!("Setuju, mohon segera diperbaiki. Komentar ke-{}.", i + 1), "display_name": format!("Warga {}", i + 1)});
        api.ok(Method::POST, &format!("/api/v1/reports/{tracking_id}/comments"), Some(token), Some(&body)).await?;
    }
    Ok(())
}
