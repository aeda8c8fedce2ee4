//! The health check (routes: `lapor_domain::routes::HEALTH`): does the
//! SQLite database answer, does the key-value store answer? 200 with both
//! ok, 503 otherwise (a load balancer's signal).
//!
//! This small component also serves the catch-all route `/api/...` (the
//! table's `catch_all`): an address under `/api/` that no other route claims
//! is answered with a problem-details 404, not the host's empty one (the
//! other routes are longer or exact, so they keep winning).
//!
//! The key-value check writes, reads and deletes (a read-only or full store
//! fails it). The SQLite check only reads: taking SQLite's write lock on
//! every poll would serialise health checks behind report writes, and every
//! report write already proves the database writable.

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
    // A key of its own per check: concurrent checks must not race on one key.
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| format!("random: {e}"))?;
    let key = kv_schema::health_probe_key(&hex(&nonce));
    let now = chrono::Utc::now().to_rfc3339();
    store.set(&key, now.as_bytes()).map_err(|e| format!("write: {e}"))?;
    let read = store.get(&key).map_err(|e| format!("read: {e}"));
    let deleted = store.delete(&key).map_err(|e| format!("delete: {e}"));
    match read? {
        Some(value) if value == now.as_bytes() => deleted,
        _ => Err("read: the probe value did not come back".to_string()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
