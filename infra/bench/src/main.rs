//! `make bench`: the runner serving the real `spin.toml` on loopback, driven
//! by wrk for a bounded time per scenario, next to references measured in
//! the same run (a plain hyper server for routes, bare SQLite commits for
//! writes). Writes `bench/results.md` and `bench/results.json`.
//!
//! Order of the run (README "Benchmarks" says what each row means):
//! 1. references: durable commits (`synchronous` FULL and NORMAL);
//! 2. start to first 200, cold then warm compiled cache;
//! 3. the app files and verifies a few reports, which are copied into
//!    100,000 (server stopped); then routes, lookups, listing, the tracking
//!    page, comments, intake, supports (exact count after draining), 1,000
//!    connections;
//! 4. intake and lookups again with key-value on Redis;
//! 5. intake and lookups on real Spin, if `SPIN_BIN` names it;
//! 6. the SLA sweep over 1,000,000 due reports (fresh database).
//!
//! Settings (environment): BENCH_DURATION (seconds per measured run,
//! default 6), BENCH_WARMUP (2), BENCH_CONNECTIONS (16), BENCH_THREADS (wrk
//! threads, 2), BENCH_LOOKUP_REPORTS (100000), BENCH_SWEEP_REPORTS
//! (1000000), BENCH_SWEEP_BATCH (2000), BENCH_SWEEP_SECONDS (90: the sweep
//! stops there, unfinished, and says so), BENCH_SUPPORT_IDENTITIES (500),
//! BENCH_MANY_CONNECTIONS (1000), SPIN_BIN (a `spin` binary; absent: skipped).

mod api;
mod references;
mod report;
mod scenarios;
mod seed;
mod server;
mod wrk;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use reqwest::Method;

use crate::api::Api;
use crate::report::{Goal, Row};
use crate::scenarios::{targets, Bench, BROWSER_HEADERS};
use crate::server::{Host, Options, Server};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Settings {
    pub seconds: u64,
    pub warmup: u64,
    pub connections: u64,
    pub threads: u64,
    pub lookup_reports: u64,
    pub sweep_reports: u64,
    pub sweep_batch: u64,
    pub sweep_budget_seconds: u64,
    pub support_identities: u64,
    pub many_connections: u64,
    pub spin_bin: Option<PathBuf>,
}

impl Settings {
    fn from_env() -> Settings {
        let num = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
        Settings {
            seconds: num("BENCH_DURATION", 6),
            warmup: num("BENCH_WARMUP", 2),
            connections: num("BENCH_CONNECTIONS", 16),
            threads: num("BENCH_THREADS", 2),
            lookup_reports: num("BENCH_LOOKUP_REPORTS", 100_000),
            sweep_reports: num("BENCH_SWEEP_REPORTS", 1_000_000),
            sweep_batch: num("BENCH_SWEEP_BATCH", 2000),
            sweep_budget_seconds: num("BENCH_SWEEP_SECONDS", 90),
            support_identities: num("BENCH_SUPPORT_IDENTITIES", 500),
            many_connections: num("BENCH_MANY_CONNECTIONS", 1000),
            spin_bin: std::env::var_os("SPIN_BIN").filter(|v| !v.is_empty()).map(PathBuf::from),
        }
    }
}

/// A fresh directory under the system's temp dir (the same disk as the
/// bare-commit reference), removed when dropped.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Result<WorkDir> {
        let dir = std::env::temp_dir().join(format!("lapor-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn step(what: &str) {
    eprintln!("bench: {what}");
}

#[tokio::main]
async fn main() -> Result<()> {
    let started = Instant::now();
    let settings = Settings::from_env();
    let work = WorkDir::new()?;
    let bench = Bench { settings: &settings, work: work.0.clone() };
    server::LOG_DIR.set(work.0.clone()).ok();
    let rows = run(&bench).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let machine = report::Machine::this_one();
    let dir = server::workspace_root().canonicalize()?.join("bench");
    report::write(&dir, &machine, &serde_json::to_value(&settings)?, elapsed, &rows)?;
    println!("{}", report::table(&rows));
    println!("bench: {:.0} s; wrote {}/results.md and results.json", elapsed, dir.display());
    Ok(())
}

async fn run(bench: &Bench<'_>) -> Result<Vec<Row>> {
    let settings = bench.settings;
    let mut rows = Vec::new();

    step("references: bare durable commits");
    let full = references::durable_commits(&bench.work, "FULL", settings.seconds as f64)?;
    let normal = references::durable_commits(&bench.work, "NORMAL", settings.seconds as f64)?;
    let commits_full = scenarios::commits_row("ref-commit-full", "reference: bare commits (rusqlite, one row each, WAL, synchronous=FULL)", &full);
    let commits_normal = scenarios::commits_row("ref-commit-normal", "reference: bare commits, synchronous=NORMAL", &normal);

    step("start to first 200 (cold: compiles every component)");
    let state = bench.work.join("state");
    let options = Options::runner(&state, settings.sweep_batch);
    let start_rows = bench.start_up(&options, 5).await?;

    step("seeding: the app files and verifies template reports");
    let server = Server::start(&options)?;
    let api = Api::new(server.addr)?;
    let mut templates = Vec::new();
    for category in seed::CATEGORIES {
        templates.push(api.file_dispatched(&seed::report_in(category)).await?);
    }
    let supported = api.file_dispatched(&seed::report_in(seed::CATEGORIES[0])).await?;
    let tokens = api.citizens(settings.support_identities).await?;
    scenarios::comments(&api, &supported, &tokens, 50).await?;
    drop(api);
    server.stop()?;
    let database = state.join("sqlite_db.db");
    step(&format!("seeding: {} reports copied from the templates", settings.lookup_reports));
    let ids = seed::clone_reports(&database, &templates, settings.lookup_reports)?;
    let seeded = scenarios::write_id_lists(&bench.work, &ids)?;

    let server = Server::start(&options)?;
    let health_body = Api::new(server.addr)?.ok(Method::GET, "/api/v1/health", None, None).await?;
    let plain = references::start_plain_hyper(serde_json::to_vec(&health_body)?.into()).await?;

    step("routes");
    let conns = settings.connections;
    let (hyper, _) = bench.measure(&plain, "/api/v1/health", conns, |_| None)?;
    let plain_hyper = scenarios::row("ref-hyper", format!("reference: plain hyper (the health body), {conns} connections"), &hyper, None)
        .reference()
        .detail("connections", conns);
    rows.push(plain_hyper.clone());
    rows.push(commits_full.clone());
    rows.push(commits_normal);
    rows.push(
        bench
            .get(&server, "health", &format!("health `GET /api/v1/health` (SQLite + key-value), {conns} connections"), "/api/v1/health", conns)?
            .against(&plain_hyper)
            .goals(vec![Goal::ZeroErrors]),
    );
    rows.push(
        bench
            .get(&server, "no-store", &format!("a route that touches no store, `GET /embed.js`, {conns} connections"), "/embed.js", conns)?
            .against(&plain_hyper)
            .goals(vec![Goal::MinRatio { value: targets::TRIVIAL_RATIO }, Goal::MaxP99Ms { value: targets::TRIVIAL_P99_MS }, Goal::ZeroErrors]),
    );

    rows.extend(start_rows);

    step("lookups, listing, tracking page, comments");
    rows.extend(bench.lookups(&server, &seeded, "", "")?);
    let listing = format!("/api/v1/reports?category={}&status=dispatched", seed::CATEGORIES[1]);
    rows.push(bench.get(&server, "listing", &format!("public listing with a filter `GET {listing}`"), &listing, conns)?.goals(vec![Goal::ZeroErrors]));
    rows.push(
        bench
            .get_random(&server, "tracking-page", "tracking page `GET /lapor/{id}` (HTML, as a browser asks: compressed)", "/lapor/", &seeded.all_ids, &BROWSER_HEADERS)?
            .goals(vec![Goal::MinRate { value: targets::PAGE_PER_S }, Goal::ZeroErrors]),
    );
    rows.push(
        bench
            .get(&server, "comments", "comment listing `GET /api/v1/reports/{id}/comments` (50 comments)", &format!("/api/v1/reports/{supported}/comments"), conns)?
            .goals(vec![Goal::ZeroErrors]),
    );

    step("intake");
    rows.push(bench.intake(&server, "intake", "", &commits_full)?);

    step("supports");
    let supports = bench.supports(&server, &supported, &tokens)?;

    step(&format!("{} keep-alive connections", settings.many_connections));
    let many = settings.many_connections;
    rows.push(
        bench
            .get(&server, "many-connections", &format!("health at {many} concurrent keep-alive connections"), "/api/v1/health", many)?
            .goals(vec![Goal::MaxRssMb { value: targets::MANY_CONNECTIONS_RSS_MB }]),
    );

    // The support count, without racing requests wrk abandoned: stop the
    // runner (it finishes every request first), read count and rows at once.
    step("supports: exact count after draining");
    server.stop()?;
    let after_load = scenarios::drained_support_count(&database, &supported)?;
    let server = Server::start(&options)?;
    let (shown, kept, counted) = scenarios::settle_supports(server, &database, &supported, &tokens).await?;
    let expected = tokens.len() as i64;
    let exact = shown == expected && kept == expected && counted == expected;
    rows.push(
        supports
            .detail("count_after_load", after_load)
            .detail("expected_after_settling", expected)
            .detail("shown_kept_rows_after_settling", [shown, kept, counted])
            .goals(vec![
                Goal::MinRate { value: targets::SUPPORTS_PER_S },
                Goal::ZeroErrors,
                Goal::Check { what: format!("exact final count ({expected}: shown {shown}, kept {kept}, rows {counted})"), passed: exact },
            ]),
    );

    step("key-value on Redis: intake and lookups");
    {
        let redis = test_support::Redis::start();
        let config = bench.work.join("redis.toml");
        std::fs::write(
            &config,
            format!(
                "[key_value_store.default]\ntype = \"redis\"\nurl = \"{}\"\n\n[sqlite_database.default]\ntype = \"spin\"\npath = {:?}\n",
                redis.url(),
                database.display().to_string()
            ),
        )?;
        let server = Server::start(&Options { runtime_config: Some(config), ..options.clone() })?;
        rows.push(bench.intake(&server, "redis-intake", ", key-value on Redis", &commits_full)?);
        rows.extend(bench.lookups(&server, &seeded, "redis-", ", key-value on Redis")?);
        server.stop()?;
    }

    match &settings.spin_bin {
        Some(bin) => {
            step("real Spin: intake and lookups");
            let spin_rows = on_spin(bench, bin, &database, &seeded, &rows, &commits_full).await?;
            rows.extend(spin_rows);
        }
        None => {
            let mut row = Row::new("spin", "real Spin: intake and lookups (`SPIN_BIN` not set)");
            row.absent = true;
            rows.push(row.goals(vec![Goal::MaxRatio { value: targets::SPIN_RATIO }]));
        }
    }

    step(&format!("SLA sweep: loading {} due reports", settings.sweep_reports));
    let sweep_state = bench.work.join("sweep-state");
    server::share_component_cache(&state, &sweep_state)?;
    let sweep_options = Options::runner(&sweep_state, settings.sweep_batch);
    let server = Server::start(&sweep_options)?;
    // The app creates its schema on first use.
    Api::new(server.addr)?.ok(Method::GET, "/api/v1/reports?limit=1", None, None).await?;
    server.stop()?;
    seed::sweep_backlog(&sweep_state.join("sqlite_db.db"), settings.sweep_reports)?;
    step("SLA sweep");
    let server = Server::start(&sweep_options)?;
    rows.push(bench.sweep(&server, settings.sweep_reports, std::time::Duration::from_secs(settings.sweep_budget_seconds)).await?);
    server.stop()?;

    Ok(rows)
}

/// Spin's rates next to the runner's same scenarios (ratio Spin / runner:
/// at most 0.5 is the runner at least twice as fast).
async fn on_spin(bench: &Bench<'_>, bin: &Path, database: &Path, seeded: &scenarios::Seeded, runner_rows: &[Row], commits: &Row) -> Result<Vec<Row>> {
    let state = bench.work.join("spin-state");
    std::fs::create_dir_all(&state)?;
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", database.display()));
        if from.exists() {
            std::fs::copy(&from, state.join(format!("sqlite_db.db{suffix}")))?;
        }
    }
    let options = Options { host: Host::Spin(bin.to_path_buf()), state_dir: state, runtime_config: None, sweep_batch: bench.settings.sweep_batch };
    let server = Server::start(&options)?;
    let mut spin_rows = vec![bench.intake(&server, "spin-intake", " on real Spin", commits)?];
    spin_rows.extend(bench.lookups(&server, seeded, "spin-", " on real Spin")?);
    server.stop()?;
    spin_rows
        .into_iter()
        .map(|row| {
            let runner_id = row.id.trim_start_matches("spin-").to_string();
            let runner = runner_rows.iter().find(|r| r.id == runner_id).with_context(|| format!("no runner row {runner_id}"))?;
            Ok(row.against(runner).goals(vec![Goal::MaxRatio { value: targets::SPIN_RATIO }]))
        })
        .collect()
}
