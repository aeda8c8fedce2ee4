//! The SLA sweep (route: `lapor_domain::routes::SLA_SWEEP`): what the SLA
//! clocks owe, done in bounded batches.
//!
//! Called every minute by the runner's scheduler locally and by a Kubernetes
//! CronJob on SpinKube, with `Authorization: Bearer <sla_sweep_token>`.
//! Each call applies `lapor_domain::sla::due_action` set-wise, one kind of
//! action at a time, each in one `BEGIN IMMEDIATE` transaction over at most
//! `sla_sweep_batch` reports:
//!
//! 1. completion: responded reports whose completion clock ran out are
//!    completed (public event; one notification per follower, enqueued in
//!    the same transaction);
//! 2. escalation: verification and response clocks past their deadline are
//!    escalated once (staff event; notification to administrators and the
//!    agency's coordinator and executives);
//! 3. reminders: clocks past 80% and not yet due are reminded once.
//!
//! The batches are taken in index order (by clock kind and time), with no
//! sort: every due report is reached within a few calls, and a sort over a
//! backlog of a million would cost more than the work itself.
//!
//! Marks on the report (`clock_escalated`, `clock_reminded`, the status)
//! make every action happen at most once per deadline; two sweeps at once
//! are serialised by the write lock and the second finds nothing left.
//! The answer is `{examined, reminded, escalated, completed, more}`; with
//! `more: true` the caller may call again at once.

use lapor_platform::auth::require_internal_call;
use lapor_platform::{clock, notify};
use lapor_platform::db::{int, text, Db};
use lapor_platform::response::{self, ApiError};
use serde_json::json;
use lapor_domain::routes::{SlaSweep, SLA_SWEEP};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

const DEFAULT_BATCH: i64 = 500;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &SLA_SWEEP, |_| 0, |request, found| match found.route {
        SlaSweep::Sweep => {
            require_internal_call(request, "sla_sweep_token")?;
            Ok(response::json(200, &sweep()?, "no-store"))
        }
    })
    .await
}

fn batch_size() -> i64 {
    spin_sdk::variables::get("sla_sweep_batch")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| (1..=10_000).contains(n))
        .unwrap_or(DEFAULT_BATCH)
}

/// One kind of action: which reports it selects, what it records, how it marks them.
struct Pass {
    select: &'static str,
    event: &'static str,
    visibility: &'static str,
    /// Staff to alert (the v4 `outbox`), or `None` when the event is public
    /// and its followers are notified instead (`notification_outbox`).
    staff_audience: Option<&'static str>,
    mark: &'static str,
}

const COMPLETE: Pass = Pass {
    select: "SELECT id, agency, clock, tracking_id, clock_due FROM reports
             WHERE clock_escalated = 0 AND clock_due IS NOT NULL AND clock_due <= ?1
               AND clock = 'completion' AND status = 'responded'
             LIMIT ?2",
    event: "completed",
    visibility: "public",
    staff_audience: None,
    mark: "UPDATE reports SET status = 'completed', version = version + 1, updated_at = ?1,
             clock = NULL, clock_due = NULL, clock_remind_at = NULL, completion_due = NULL
           WHERE id IN (SELECT id FROM sweep_batch) AND status = 'responded'",
};

const ESCALATE: Pass = Pass {
    select: "SELECT id, agency, clock, tracking_id, clock_due FROM reports
             WHERE clock_escalated = 0 AND clock_due IS NOT NULL AND clock_due <= ?1
               AND clock IN ('verification', 'response')
             LIMIT ?2",
    event: "sla_escalated",
    visibility: "staff",
    staff_audience: Some("CASE WHEN agency IS NULL THEN 'admins' ELSE 'admins,agency:' || agency || ':coordinator,executive' END"),
    mark: "UPDATE reports SET clock_escalated = 1, clock_reminded = 1 WHERE id IN (SELECT id FROM sweep_batch) AND ?1 IS NOT NULL",
};

const REMIND: Pass = Pass {
    select: "SELECT id, agency, clock, tracking_id, clock_due FROM reports
             WHERE clock_reminded = 0 AND clock_remind_at IS NOT NULL AND clock_remind_at <= ?1
               AND clock_due > ?1 AND clock IN ('verification', 'response')
             LIMIT ?2",
    event: "sla_reminder",
    visibility: "staff",
    staff_audience: Some("CASE WHEN agency IS NULL THEN 'admins' ELSE 'agency:' || agency || ':coordinator,officer' END"),
    mark: "UPDATE reports SET clock_reminded = 1 WHERE id IN (SELECT id FROM sweep_batch) AND ?1 IS NOT NULL",
};

/// Runs one pass in one transaction; returns how many reports it acted on.
fn run(db: &Db, pass: &Pass, now: &str, batch: i64) -> Result<i64, ApiError> {
    db.transaction(|db| -> Result<i64, ApiError> {
        db.execute("CREATE TEMP TABLE IF NOT EXISTS sweep_batch (id INTEGER PRIMARY KEY, agency TEXT, clock TEXT, tracking_id TEXT, due TEXT)", &[])?;
        db.execute("DELETE FROM sweep_batch", &[])?;
        db.execute(&format!("INSERT INTO sweep_batch {}", pass.select), &[text(now), int(batch)])?;
        let count = db.execute("SELECT count(*) AS n FROM sweep_batch", &[])?;
        let n = count.rows().next().and_then(|r| r.get::<i64>("n")).unwrap_or(0);
        if n == 0 {
            return Ok(0);
        }
        db.execute(
            &format!(
                "INSERT INTO report_events (report_id, at, type, actor_role, visibility, text)
                 SELECT id, ?1, '{}', 'system', '{}', clock FROM sweep_batch",
                pass.event, pass.visibility
            ),
            &[text(now)],
        )?;
        // Marked before the notices are written, so they carry the new status.
        db.execute(pass.mark, &[text(now)])?;
        match pass.staff_audience {
            Some(audience) => {
                db.execute(
                    &format!(
                        "INSERT INTO outbox (report_id, event_type, audience, payload, created_at, next_attempt_at)
                         SELECT id, '{}', {audience}, json_object('tracking_id', tracking_id, 'clock', clock, 'due', due), ?1, ?1
                         FROM sweep_batch",
                        pass.event
                    ),
                    &[text(now)],
                )?;
            }
            None => {
                let filter = format!("e.report_id IN (SELECT id FROM sweep_batch) AND e.type = '{}' AND e.at = ?1", pass.event);
                db.execute(&notify::enqueue_sql(&filter, false), &[text(now)])?;
            }
        }
        Ok(n)
    })
}

fn sweep() -> Result<serde_json::Value, ApiError> {
    let now = clock::timestamp(clock::now());
    let batch = batch_size();
    let db = Db::open()?;
    let completed = run(&db, &COMPLETE, &now, batch)?;
    let escalated = run(&db, &ESCALATE, &now, batch)?;
    let reminded = run(&db, &REMIND, &now, batch)?;
    let more = [completed, escalated, reminded].iter().any(|n| *n == batch);
    Ok(json!({
        "examined": completed + escalated + reminded,
        "reminded": reminded,
        "escalated": escalated,
        "completed": completed,
        "more": more,
    }))
}
