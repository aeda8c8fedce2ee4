//! `make bench`: requests/s and p99 latency, on the runner, of
//! - `GET /api/v1/health`, next to a plain hyper server returning the same
//!   body in the same run, with their ratio (the price of the sandbox: a fresh
//!   WebAssembly instance per request, plus the store round trips);
//! - report intake, `POST /api/v1/reports` with a 1 KB JSON body;
//! - tracking lookups, `GET /api/v1/reports/{id}`.
//!
//! - the SLA sweep over a backlog of open reports (BENCH_SWEEP_REPORTS,
//!   default 1,000,000, loaded straight into the database): total time to
//!   sweep them all and the p99 of one sweep call.
//!
//! Rate limits are switched off (`0`) for the run, as every request comes
//! from one address.
//!
//! Load comes from `wrk` (Debian package; `make bench` installs it). Both
//! servers and wrk share this machine's cores, so compare ratios, not
//! absolute numbers, between machines.
//!
//! Settings (environment): BENCH_DURATION (seconds, default 10),
//! BENCH_CONNECTIONS (default 32), BENCH_THREADS (wrk threads, default 2).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

struct Measurement {
    requests_per_second: f64,
    p99_ms: f64,
    non_2xx: u64,
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The runner binary, serving on `addr`: killed when dropped, unless stopped first.
struct Runner {
    child: Child,
    addr: SocketAddr,
}

impl Runner {
    /// SIGTERM, then waits: the runner finishes every request in flight
    /// (those wrk abandoned included) before it exits.
    fn stop(mut self) -> Result<()> {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status()?;
        if !status.success() {
            bail!("cannot send SIGTERM to the runner");
        }
        let exit = self.child.wait()?;
        if !exit.success() {
            bail!("the runner stopped with {exit}");
        }
        Ok(())
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts the real runner binary on a free port with a temp state dir.
fn start_runner(state_dir: &std::path::Path) -> Result<Runner> {
    let root = workspace_root();
    let mut child = Command::new(root.join("target/release/runner"))
        .arg("--from")
        .arg(root.join("spin.toml"))
        .arg("--state-dir")
        .arg(state_dir)
        .args(["--listen", "127.0.0.1:0"])
        .env("RUNNER_LOG", "warn")
        .env("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_ADDRESS", "0")
        .env("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_PHONE", "0")
        .env("SPIN_VARIABLE_SLA_SWEEP_TOKEN", BENCH_SWEEP_TOKEN)
        .env("SPIN_VARIABLE_NOTIFY_TOKEN", "bench-notify-token-0123456789")
        .env("SPIN_VARIABLE_BOOTSTRAP_ADMIN_TOKEN", BENCH_ADMIN_TOKEN)
        .env("SPIN_VARIABLE_ENGAGEMENT_RATE_LIMIT_PER_IDENTITY", "0")
        .env("SPIN_VARIABLE_ENGAGEMENT_RATE_LIMIT_PER_ADDRESS", "0")
        .env("SPIN_VARIABLE_CITIZEN_RATE_LIMIT_PER_ADDRESS", "0")
        .env("SPIN_VARIABLE_SLA_SWEEP_BATCH", env_or("BENCH_SWEEP_BATCH", 2000).to_string())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start target/release/runner (run `make build` first)")?;
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line)?;
    // Keep draining the runner's stdout so it never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let addr = line
        .trim()
        .strip_prefix("Serving http://")
        .with_context(|| format!("unexpected runner banner {line:?}"))?
        .parse()?;
    Ok(Runner { child, addr })
}

/// A plain hyper server that answers every request with `body`.
async fn start_baseline(body: Bytes) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    let body = body.clone();
                    async move {
                        let mut response = hyper::Response::new(Full::new(body));
                        response
                            .headers_mut()
                            .insert("content-type", hyper::header::HeaderValue::from_static("application/json"));
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(addr)
}

fn run_wrk(url: &str, seconds: u64, connections: u64, threads: u64) -> Result<Measurement> {
    run_wrk_with(url, seconds, connections, threads, None)
}

fn run_wrk_with(url: &str, seconds: u64, connections: u64, threads: u64, script: Option<&std::path::Path>) -> Result<Measurement> {
    let mut command = Command::new("wrk");
    command.args(["--latency", "-t", &threads.to_string(), "-c", &connections.to_string(), "-d", &format!("{seconds}s")]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command
        .arg(url)
        .output()
        .context("cannot run wrk (make bench installs it)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    }
    parse_wrk(&text)
}

fn parse_wrk(text: &str) -> Result<Measurement> {
    let requests_per_second = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .context("wrk printed no Requests/sec")?
        .trim()
        .parse()?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .context("wrk printed no 99% latency")?
        .trim();
    let non_2xx = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .map(|n| n.trim().parse().unwrap_or(u64::MAX))
        .unwrap_or(0);
    Ok(Measurement { requests_per_second, p99_ms: duration_ms(p99)?, non_2xx })
}

/// wrk prints durations as `812.00us`, `1.52ms` or `2.01s`.
fn duration_ms(text: &str) -> Result<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        bail!("unknown wrk duration {text:?}")
    };
    Ok(number.parse::<f64>()? * factor)
}

#[tokio::main]
async fn main() -> Result<()> {
    let seconds = env_or("BENCH_DURATION", 10);
    let connections = env_or("BENCH_CONNECTIONS", 32);
    let threads = env_or("BENCH_THREADS", 2);

    let state_dir = std::env::temp_dir().join(format!("lapor-bench-{}", std::process::id()));
    std::fs::create_dir_all(&state_dir)?;
    let runner = start_runner(&state_dir)?;
    let runner_addr = runner.addr;
    let result = async {
        let health_url = format!("http://{runner_addr}/api/v1/health");
        let sample = fetch_body(runner_addr, "/api/v1/health").await?;
        let baseline_addr = start_baseline(sample).await?;
        let baseline_url = format!("http://{baseline_addr}/api/v1/health");

        // Warm both up (page cache, pooled instance slots) before measuring.
        run_wrk(&health_url, 2, connections, threads)?;
        run_wrk(&baseline_url, 2, connections, threads)?;
        let on_runner = run_wrk(&health_url, seconds, connections, threads)?;
        let on_hyper = run_wrk(&baseline_url, seconds, connections, threads)?;
        if on_runner.non_2xx > 0 {
            bail!("{} non-2xx responses from the runner: the numbers would be meaningless", on_runner.non_2xx);
        }

        println!("GET /api/v1/health, {seconds}s, {connections} connections, {threads} wrk threads");
        println!("{:<16} {:>12} {:>10}", "server", "requests/s", "p99 ms");
        println!("{:<16} {:>12.0} {:>10.2}", "runner", on_runner.requests_per_second, on_runner.p99_ms);
        println!("{:<16} {:>12.0} {:>10.2}", "plain hyper", on_hyper.requests_per_second, on_hyper.p99_ms);
        let ratio = on_runner.requests_per_second / on_hyper.requests_per_second;
        println!("runner/hyper throughput ratio: {ratio:.3}");
        println!(
            "{}",
            serde_json::json!({
                "benchmark": "health",
                "runner": {"rps": on_runner.requests_per_second, "p99_ms": on_runner.p99_ms},
                "hyper": {"rps": on_hyper.requests_per_second, "p99_ms": on_hyper.p99_ms},
                "throughput_ratio": ratio,
            })
        );

        // Intake: every request files a new report with a ~1 KB JSON body.
        let script = state_dir.join("intake.lua");
        std::fs::write(&script, intake_script())?;
        let intake_url = format!("http://{runner_addr}/api/v1/reports");
        run_wrk_with(&intake_url, 2, connections, threads, Some(&script))?;
        let intake = run_wrk_with(&intake_url, seconds, connections, threads, Some(&script))?;
        if intake.non_2xx > 0 {
            bail!("{} intake requests failed", intake.non_2xx);
        }

        // Lookups of one public report.
        let tracking_id = file_one_report(runner_addr).await?;
        let lookup_url = format!("http://{runner_addr}/api/v1/reports/{tracking_id}");
        run_wrk(&lookup_url, 2, connections, threads)?;
        let lookup = run_wrk(&lookup_url, seconds, connections, threads)?;
        if lookup.non_2xx > 0 {
            bail!("{} lookups failed", lookup.non_2xx);
        }
        let database = state_dir.join("sqlite_db.db");
        let (supports, supported_report) = bench_supports(runner_addr, &state_dir, seconds, connections, threads).await?;
        // Requests wrk abandoned are still finishing: compare once the runner
        // has drained, then serve again from the same state for the sweep.
        runner.stop()?;
        check_support_count(&database, &supported_report)?;
        let runner = start_runner(&state_dir)?;
        check_shown_support_count(runner.addr, &database, &supported_report).await?;
        let sweep = bench_sweep(runner.addr, &database, env_or("BENCH_SWEEP_REPORTS", 1_000_000)).await?;
        println!("{:<16} {:>12.0} {:>10.2}", "intake (1 KB)", intake.requests_per_second, intake.p99_ms);
        println!("{:<16} {:>12.0} {:>10.2}", "lookup", lookup.requests_per_second, lookup.p99_ms);
        println!("{:<16} {:>12.0} {:>10.2}", "support toggle", supports.requests_per_second, supports.p99_ms);
        println!(
            "{}",
            serde_json::json!({
                "benchmark": "citizen-path",
                "intake": {"rps": intake.requests_per_second, "p99_ms": intake.p99_ms, "body_bytes": REPORT_BODY.len()},
                "lookup": {"rps": lookup.requests_per_second, "p99_ms": lookup.p99_ms},
                "support_toggle": {"rps": supports.requests_per_second, "p99_ms": supports.p99_ms},
            })
        );
        println!(
            "SLA sweep: {} open reports swept in {:.1} s over {} calls; one call p99 {:.1} ms, max {:.1} ms",
            sweep.reports, sweep.total_seconds, sweep.calls, sweep.p99_ms, sweep.max_ms
        );
        println!(
            "{}",
            serde_json::json!({
                "benchmark": "sla-sweep",
                "open_reports": sweep.reports,
                "total_seconds": sweep.total_seconds,
                "calls": sweep.calls,
                "call_p99_ms": sweep.p99_ms,
                "acted_on": sweep.acted_on,
            })
        );
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&state_dir);
    result
}

const BENCH_SWEEP_TOKEN: &str = "bench-sweep-token-0123456789abcdef";
const BENCH_ADMIN_TOKEN: &str = "bench-admin-token-0123456789abcdefgh";

/// One request over a fresh connection; returns the status and the JSON body.
async fn call(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &str) -> Result<(u16, serde_json::Value)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response);
    let status = text.get(9..12).and_then(|s| s.parse().ok()).with_context(|| format!("no HTTP status: {text}"))?;
    let json = text.split_once("\r\n\r\n").and_then(|(_, b)| serde_json::from_str(b).ok()).unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// Supports toggled (added, then withdrawn) by `identities` citizens on one
/// dispatched report: every request is a write transaction. Returns the
/// measurement and the report's tracking ID.
async fn bench_supports(addr: SocketAddr, dir: &std::path::Path, seconds: u64, connections: u64, threads: u64) -> Result<(Measurement, String)> {
    let tracking_id = file_one_report(addr).await?;
    let (status, body) = call(addr, "POST", &format!("/api/v1/admin/reports/{tracking_id}/verify"), Some(BENCH_ADMIN_TOKEN), r#"{"agency":"pemkot-32.73"}"#).await?;
    if status != 200 {
        bail!("verify failed: {status} {body}");
    }
    let identities = env_or("BENCH_SUPPORT_IDENTITIES", 500);
    let mut tokens = Vec::new();
    for _ in 0..identities {
        let (_, body) = call(addr, "POST", "/api/v1/citizens", None, "").await?;
        tokens.push(format!("\"{}\"", body["citizen_token"].as_str().context("no citizen_token")?));
    }
    let script = dir.join("supports.lua");
    std::fs::write(
        &script,
        format!(
            "local tokens = {{{}}}\nlocal n = 0\nrequest = function()\n  n = n + 1\n  local t = tokens[(n % #tokens) + 1]\n  \
             local method = (math.floor(n / #tokens) % 2 == 0) and \"POST\" or \"DELETE\"\n  \
             return wrk.format(method, nil, {{[\"Authorization\"] = \"Bearer \" .. t}}, nil)\nend\n",
            tokens.join(",")
        ),
    )?;
    let url = format!("http://{addr}/api/v1/reports/{tracking_id}/supports");
    run_wrk_with(&url, 2, connections, threads, Some(&script))?;
    let measured = run_wrk_with(&url, seconds, connections, threads, Some(&script))?;
    if measured.non_2xx > 0 {
        bail!("{} support requests failed", measured.non_2xx);
    }
    Ok((measured, tracking_id))
}

/// The count kept on the report must equal its rows in `supports`: one read
/// of both, with no runner serving.
fn check_support_count(database: &std::path::Path, tracking_id: &str) -> Result<()> {
    let (kept, rows): (i64, i64) = rusqlite::Connection::open(database)?.query_row(
        "SELECT support_count, (SELECT count(*) FROM supports WHERE report_id = reports.id) FROM reports WHERE tracking_id = ?",
        [tracking_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if kept != rows {
        bail!("support count {kept} differs from {rows} rows");
    }
    Ok(())
}

/// And the API shows that count (nothing else is running: one read suffices).
async fn check_shown_support_count(addr: SocketAddr, database: &std::path::Path, tracking_id: &str) -> Result<()> {
    let (_, shown) = call(addr, "GET", &format!("/api/v1/reports/{tracking_id}/supports"), None, "").await?;
    let kept: i64 = rusqlite::Connection::open(database)?.query_row(
        "SELECT support_count FROM reports WHERE tracking_id = ?",
        [tracking_id],
        |r| r.get(0),
    )?;
    if shown["supports"].as_i64() != Some(kept) {
        bail!("the API shows {} supports, the database keeps {kept}", shown["supports"]);
    }
    Ok(())
}

/// A report of about 1 KB, as a citizen on a phone would send it.
const REPORT_BODY: &str = concat!(
    r#"{"kind":"pengaduan","title":"Jalan berlubang di depan SD Negeri 3 Bandung","#,
    r#""body":"Lubang besar di depan sekolah sudah dua bulan tidak diperbaiki. Setiap pagi anak-anak harus berjalan ke tengah jalan untuk menghindarinya, dan saat hujan lubang tertutup air sehingga pengendara motor sering terjatuh. Warga sudah menimbun dengan batu tetapi kembali rusak setelah beberapa hari. Mohon dinas terkait segera memperbaiki jalan ini sebelum ada korban. Lokasi tepat di depan gerbang sekolah, dekat warung Bu Sri, di sisi kiri jalan dari arah alun-alun. Lubang selebar kira-kira satu meter dan dalam sekitar dua puluh sentimeter. Foto dapat dikirim menyusul bila diperlukan. Terima kasih atas perhatiannya.","#,
    r#""category":"infrastruktur-jalan","agency":"pemkot-32.73","region":"32.73.01","#,
    r#""location":{"lat":-6.9147,"lon":107.6098,"address":"Jl. Merdeka No. 1, Bandung"},"incident_date":"2026-11-01","#,
    r#""privacy":"public","reporter":{"name":"Siti Aminah","phone":"0812-3456-7890","email":"siti@example.id"}}"#
);

fn intake_script() -> String {
    format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{REPORT_BODY}]==]\n"
    )
}

async fn file_one_report(addr: SocketAddr) -> Result<String> {
    let (status, json) = call(addr, "POST", "/api/v1/reports", None, REPORT_BODY).await?;
    if status != 201 {
        bail!("filing a report failed: {status} {json}");
    }
    json["tracking_id"].as_str().map(str::to_string).context("no tracking_id in the answer")
}

struct SweepResult {
    reports: u64,
    total_seconds: f64,
    calls: usize,
    p99_ms: f64,
    max_ms: f64,
    acted_on: i64,
}

/// Loads `count` open reports whose clocks are all due (a third each to be
/// reminded, escalated and completed), then sweeps until nothing is left.
async fn bench_sweep(addr: SocketAddr, database: &std::path::Path, count: u64) -> Result<SweepResult> {
    // The app creates its schema on first use.
    fetch_body(addr, "/api/v1/reports?limit=1").await?;
    {
        let mut conn = rusqlite::Connection::open(database)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO reports (tracking_id, kind, title, body, visibility, reporter_identity, status, channel, reporter_token_hash,
                     created_at, updated_at, agency, clock, clock_due, clock_remind_at)
                 VALUES (?1, 'pengaduan', 'Laporan uji beban', 'Isi laporan untuk uji beban sapuan SLA.', 'public', 'named', ?2, 'api', 'x',
                     '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?3, ?4, ?5, '2026-01-02T00:00:00.000Z')",
            )?;
            for i in 0..count {
                let (status, agency, clock, due) = match i % 3 {
                    0 => ("submitted", None, "verification", "2099-01-01T00:00:00.000Z"), // remind only
                    1 => ("dispatched", Some("pemkot-32.73"), "response", "2026-01-03T00:00:00.000Z"), // escalate
                    _ => ("responded", Some("pemkot-32.73"), "completion", "2026-01-03T00:00:00.000Z"), // complete
                };
                insert.execute(rusqlite::params![format!("BENCH{i:010}"), status, agency, clock, due])?;
            }
        }
        tx.commit()?;
    }
    let started = std::time::Instant::now();
    let mut durations = Vec::new();
    let mut acted_on = 0;
    loop {
        let call_started = std::time::Instant::now();
        let body = post_with_bearer(addr, "/internal/sla/sweep", BENCH_SWEEP_TOKEN).await?;
        durations.push(call_started.elapsed().as_secs_f64() * 1000.0);
        let answer: serde_json::Value = serde_json::from_slice(&body).with_context(|| String::from_utf8_lossy(&body).into_owned())?;
        acted_on += answer["examined"].as_i64().unwrap_or(0);
        if answer["more"] != serde_json::Value::Bool(true) {
            break;
        }
    }
    let total_seconds = started.elapsed().as_secs_f64();
    durations.sort_by(|a, b| a.total_cmp(b));
    let p99 = durations[((durations.len() as f64 * 0.99).ceil() as usize).saturating_sub(1).min(durations.len() - 1)];
    if acted_on < count as i64 {
        bail!("the sweep acted on {acted_on} of {count} reports");
    }
    Ok(SweepResult { reports: count, total_seconds, calls: durations.len(), p99_ms: p99, max_ms: *durations.last().unwrap(), acted_on })
}

async fn post_with_bearer(addr: SocketAddr, path: &str, token: &str) -> Result<Bytes> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!("POST {path} HTTP/1.0\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").context("no HTTP body")?;
    if !response.starts_with(b"HTTP/1.0 200") && !response.starts_with(b"HTTP/1.1 200") {
        bail!("sweep failed: {}", String::from_utf8_lossy(&response));
    }
    Ok(Bytes::copy_from_slice(&response[split + 4..]))
}

/// Fetches one response body with a bare HTTP/1.0 request.
async fn fetch_body(addr: SocketAddr, path: &str) -> Result<Bytes> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").context("no HTTP body")?;
    if !response.starts_with(b"HTTP/1.0 200") && !response.starts_with(b"HTTP/1.1 200") {
        bail!("health is not 200: {}", String::from_utf8_lossy(&response));
    }
    Ok(Bytes::copy_from_slice(&response[split + 4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intake_body_is_a_valid_one_kilobyte_report() {
        let v: serde_json::Value = serde_json::from_str(REPORT_BODY).unwrap();
        assert_eq!(v["kind"], "pengaduan");
        assert!((900..=1300).contains(&REPORT_BODY.len()), "{}", REPORT_BODY.len());
    }

    #[test]
    fn parses_wrk_output() {
        let sample = "Running 10s test @ http://127.0.0.1:1/\n  2 threads and 32 connections\n  Latency Distribution\n     50%  512.00us\n     75%    1.10ms\n     90%    2.00ms\n     99%    4.25ms\n  12345 requests in 10.00s, 1.00MB read\nRequests/sec:   1234.50\nTransfer/sec:    100.00KB\n";
        let m = parse_wrk(sample).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(m.requests_per_second, 1234.5));
        assert!(close(m.p99_ms, 4.25));
        assert_eq!(m.non_2xx, 0);
        assert!(close(duration_ms("812.00us").unwrap(), 0.812));
        assert!(close(duration_ms("2.01s").unwrap(), 2010.0));
        assert!(duration_ms("3m").is_err());
    }
}
