//! What the runner is compared with, measured in the same run on the same
//! machine: a plain hyper server (the floor of any HTTP route) and a bare
//! rusqlite loop of durable one-row commits (the ceiling of any write).

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// A plain hyper server that answers every request with `body` as JSON,
/// on this process's tokio runtime.
pub async fn start_plain_hyper(body: Bytes) -> Result<SocketAddr> {
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
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Ok(addr)
}

/// Commits per second of a bare loop and the latency of one commit.
#[derive(Debug, Clone)]
pub struct Commits {
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub count: usize,
}

/// One-row INSERTs of a ~1 KB row, each its own transaction, in WAL mode
/// with `synchronous` (FULL: every commit reaches the disk, as SQLite's
/// default; NORMAL: only checkpoints sync) for `seconds`, in a fresh
/// database in `dir` (the same disk as the runner's state).
pub fn durable_commits(dir: &Path, synchronous: &str, seconds: f64) -> Result<Commits> {
    let path = dir.join(format!("bare-commits-{}.db", synchronous.to_lowercase()));
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", synchronous)?;
    conn.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)", [])?;
    let body = "x".repeat(1000);
    let mut insert = conn.prepare("INSERT INTO rows (body, created_at) VALUES (?1, ?2)")?;
    let mut latencies = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs_f64(seconds) {
        let one = Instant::now();
        insert.execute(rusqlite::params![body, chrono::Utc::now().to_rfc3339()])?;
        latencies.push(one.elapsed().as_secs_f64() * 1000.0);
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(insert);
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    latencies.sort_by(f64::total_cmp);
    Ok(Commits {
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        count: latencies.len(),
    })
}

/// The `q` quantile of sorted values (nearest rank).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!((percentile(&v, 0.5), percentile(&v, 0.99), percentile(&v, 1.0)), (50.0, 99.0, 100.0));
        assert_eq!(percentile(&[3.0], 0.99), 3.0);
    }

    #[test]
    fn commits_are_counted() {
        let dir = std::env::temp_dir().join(format!("bench-commits-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let c = durable_commits(&dir, "NORMAL", 0.2).unwrap();
        assert!(c.count > 0 && c.per_second > 0.0 && c.p50_ms <= c.p99_ms);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
