//! The health check (routes: `lapor_domain::routes::HEALTH`): does the
//! SQLite database answer, does the key-value store answer? 200 with both
//! ok, 503 otherwise (a load balancer's signal).
//!
//! This small component also serves the catch-all route `/api/...` (the
//! table's `catch_all`): an address under `/api/` that no other route claims
//! is answered with a problem-details 404, not the host's empty one (the
//! other routes are longer or exact, so they keep winning).
//!
//! The key-value check reads every time and writes only when the last
//! write it finds is 30 seconds old (`kv_schema::HEALTH_WRITTEN`): a store
//! that cannot be written fails the checks within 30 seconds, and a load
//! balancer polling every second costs one write in thirty, not three
//! writes each (on Spin's default store, a SQLite file with
//! `synchronous=FULL`, each write is several fsyncs). The SQLite check only
//! reads: taking SQLite's write lock on every poll would serialise health
//! checks behind report writes, and every report write already proves the
//! database writable.

use lapor_domain::health::{Check, HealthReport};
use lapor_domain::routes::{Health, HEALTH};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;
use spin_sdk::key_value;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &HEALTH, |_| 0, |_, found| match found.route {
        Health::Health => Ok(health()),
    })
    .await
}

fn health() -> Response {
    let report = HealthReport::new(Check::from_result(lapor_platform::db::probe()), Check::from_result(check_key_value()));
    lapor_platform::response::json(report.http_status(), &report, "no-store")
}

fn check_key_value() -> Result<(), String> {
    let store = key_value::Store::open_default().map_err(|e| format!("open: {e}"))?;
    let key = kv_schema::health_written_key();
    let now = chrono::Utc::now();
    let last = store.get(key).map_err(|e| format!("read: {e}"))?;
    let recent = last
        .and_then(|raw| chrono::DateTime::parse_from_rfc3339(std::str::from_utf8(&raw).ok()?).ok())
        .map(|at| (now - at.with_timezone(&chrono::Utc)).num_seconds())
        // A stamp from the future (another clock) is no proof either.
        .is_some_and(|age| (0..kv_schema::HEALTH_WRITE_EVERY_SECONDS).contains(&age));
    if recent {
        return Ok(());
    }
    let stamp = now.to_rfc3339();
    store.set(key, stamp.as_bytes()).map_err(|e| format!("write: {e}"))?;
    match store.get(key).map_err(|e| format!("read: {e}"))? {
        // Another check may have written a moment later: any fresh stamp will do.
        Some(_) => Ok(()),
        None => Err("read: the value written did not come back".to_string()),
    }
}
