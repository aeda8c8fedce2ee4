//! Periodic HTTP calls to the application's own routes (the SLA sweep).
//!
//! Spin's cron trigger does not run on SpinKube, so scheduled work is an
//! authenticated HTTP route: a Kubernetes CronJob calls it in production, and
//! this scheduler calls it locally, over real HTTP, the same way.
//!
//! A job is written `"<cron expression> <METHOD> <path> [bearer=<variable>]"`,
//! e.g. `"* * * * * POST /internal/sla/sweep bearer=sla_sweep_token"`. The
//! expression has 5 fields (minute precision, as in Kubernetes) or 6 (with
//! seconds first). `bearer=` names an application variable whose value is
//! sent as `Authorization: Bearer ...`. `repeat=more` calls again at once
//! while the JSON answer says `"more": true` (bounded), as a CronJob's
//! loop would.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use croner::Cron;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use serde::Deserialize;

use crate::variables::ResolvedVariables;

#[derive(Debug, Clone)]
pub struct Job {
    pub spec: String,
    cron: Cron,
    pub method: http::Method,
    pub path: String,
    pub bearer_variable: Option<String>,
    /// Call again while the answer's JSON has `"more": true`.
    pub repeat_while_more: bool,
}

/// A bound on `repeat=more`, so a route that always says "more" cannot spin.
const MAX_REPEATS: usize = 100;

impl Job {
    pub fn parse(spec: &str) -> Result<Self> {
        let tokens: Vec<&str> = spec.split_whitespace().collect();
        let method_at = tokens
            .iter()
            .position(|t| is_method(t))
            .ok_or_else(|| anyhow!("schedule {spec:?}: expected \"<cron expression> <METHOD> <path>\", found no HTTP method"))?;
        let expression = tokens[..method_at].join(" ");
        if !(5..=6).contains(&method_at) {
            bail!("schedule {spec:?}: the cron expression {expression:?} must have 5 fields (6 with seconds)");
        }
        let cron: Cron = expression
            .parse()
            .map_err(|e| anyhow!("schedule {spec:?}: invalid cron expression {expression:?}: {e}"))?;
        let method: http::Method = tokens[method_at].parse()?;
        let path = tokens
            .get(method_at + 1)
            .filter(|p| p.starts_with('/'))
            .ok_or_else(|| anyhow!("schedule {spec:?}: expected a path starting with '/' after {method}"))?
            .to_string();
        let mut bearer_variable = None;
        let mut repeat_while_more = false;
        for extra in &tokens[method_at + 2..] {
            match (extra.strip_prefix("bearer="), *extra) {
                (Some(name), _) if crate::manifest::is_snake_case(name) => bearer_variable = Some(name.to_string()),
                (_, "repeat=more") => repeat_while_more = true,
                _ => bail!("schedule {spec:?}: unexpected {extra:?} (allowed: bearer=<variable_name>, repeat=more)"),
            }
        }
        Ok(Self { spec: spec.to_string(), cron, method, path, bearer_variable, repeat_while_more })
    }

    /// Reads jobs from a schedule file: `[[job]] schedule = "..."` entries.
    pub fn from_file(path: &Path) -> Result<Vec<Self>> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[serde(default)]
            job: Vec<Entry>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Entry {
            schedule: String,
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file: File = toml::from_str(&text).map_err(|e| anyhow!("{}: {}", path.display(), e.to_string().trim_end()))?;
        file.job.iter().map(|e| Self::parse(&e.schedule)).collect()
    }

    /// When the job next runs after `now`.
    pub fn next_after(&self, now: chrono::DateTime<chrono::Utc>) -> Result<chrono::DateTime<chrono::Utc>> {
        self.cron.find_next_occurrence(&now, false).map_err(|e| anyhow!("{e}"))
    }
}

fn is_method(token: &str) -> bool {
    matches!(token, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS")
}

/// Starts one task per job; they stop when the returned handles are aborted.
pub fn start(jobs: Vec<Job>, target: SocketAddr, variables: &ResolvedVariables) -> Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut handles = Vec::new();
    for job in jobs {
        let bearer = match &job.bearer_variable {
            Some(name) => Some(
                variables
                    .get(name)
                    .ok_or_else(|| anyhow!("schedule {:?}: application variable `{name}` has no value", job.spec))?
                    .to_string(),
            ),
            None => None,
        };
        handles.push(tokio::spawn(run_job(job, target, bearer)));
    }
    Ok(handles)
}

async fn run_job(job: Job, target: SocketAddr, bearer: Option<String>) {
    loop {
        let now = chrono::Utc::now();
        let next = match job.next_after(now) {
            Ok(next) => next,
            Err(e) => {
                tracing::error!(schedule = %job.spec, error = %e, "schedule has no next run; stopping it");
                return;
            }
        };
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
        for _ in 0..MAX_REPEATS {
            match call(target, &job.method, &job.path, bearer.as_deref()).await {
                Ok((status, body)) => {
                    tracing::info!(
                        target: "scheduler",
                        path = %job.path,
                        status = status.as_u16(),
                        body = %String::from_utf8_lossy(&body[..body.len().min(200)]),
                    );
                    let more = serde_json::from_slice::<serde_json::Value>(&body)
                        .map(|v| v["more"] == serde_json::Value::Bool(true))
                        .unwrap_or(false);
                    if !(job.repeat_while_more && status.is_success() && more) {
                        break;
                    }
                }
                Err(e) => {
                    tracing::warn!(target: "scheduler", path = %job.path, error = %e, "scheduled call failed");
                    break;
                }
            }
        }
    }
}

/// One HTTP/1.1 request to the runner itself.
pub async fn call(target: SocketAddr, method: &http::Method, path: &str, bearer: Option<&str>) -> Result<(http::StatusCode, Bytes)> {
    let stream = tokio::net::TcpStream::connect(target).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let mut request = http::Request::builder()
        .method(method.clone())
        .uri(path)
        .header(http::header::HOST, target.to_string())
        .header(http::header::USER_AGENT, "lapor-runner-scheduler");
    if let Some(token) = bearer {
        request = request.header(http::header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = sender.send_request(request.body(Empty::<Bytes>::new())?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn parses_five_and_six_field_schedules() {
        let job = Job::parse("* * * * * POST /internal/sla/sweep bearer=sla_sweep_token").unwrap();
        assert_eq!(job.method, http::Method::POST);
        assert_eq!(job.path, "/internal/sla/sweep");
        assert_eq!(job.bearer_variable.as_deref(), Some("sla_sweep_token"));
        assert!(!job.repeat_while_more);
        assert!(Job::parse("* * * * * POST /x repeat=more").unwrap().repeat_while_more);
        let start = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 30).unwrap();
        assert_eq!(job.next_after(start).unwrap(), chrono::Utc.with_ymd_and_hms(2026, 1, 1, 10, 1, 0).unwrap());

        let every_two_seconds = Job::parse("*/2 * * * * * GET /tick").unwrap();
        let next = every_two_seconds.next_after(start).unwrap();
        assert_eq!(next, chrono::Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 32).unwrap());
    }

    #[test]
    fn rejects_malformed_schedules() {
        for bad in [
            "POST /x",
            "* * * * POST /x",
            "* * * * * POST x",
            "* * * * * POST",
            "61 * * * * POST /x",
            "* * * * * POST /x token=abc",
        ] {
            assert!(Job::parse(bad).is_err(), "{bad}");
        }
    }
}
