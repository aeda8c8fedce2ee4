//! The SLA sweep (route: `lapor_domain::routes::SLA_SWEEP`): what the SLA
//! clocks owe, done in bounded batches.
//!
//! Called every minute by the runner's scheduler locally and by a Kubernetes
//! CronJob on SpinKube, with `Authorization: Bearer <sla_sweep_token>`.
//! Each call takes the sweep's steps in order, each in one `BEGIN IMMEDIATE`
//! transaction over at most `sla_sweep_batch` reports:
//!
//! 1. completion: responded reports whose completion clock ran out are
//!    completed (public event; one notification per follower, enqueued in
//!    the same transaction);
//! 2. escalation: verification and response clocks past their deadline are
//!    escalated once (staff event; notification to administrators and the
//!    agency's coordinator and executives);
//! 3. reminders: clocks past 80% and not yet due are reminded once.
//!
//! In each step the database only pre-selects candidates by index
//! (`lapor_platform::sla::sweep_candidates`, in index order with no sort:
//! every due report is reached within a few calls); the step acts on those
//! for which `lapor_domain::sla::due_action` decides its action, so the rule
//! that runs is the one that is documented and tested.
//!
//! Then, outside those transactions, the key-value store's housekeeping:
//! rate-limit windows of hours that are over are deleted, at most
//! `kv_housekeeping_batch` per call (`lapor_platform::kv::remove_stale_windows`;
//! kv-schema/README.md, "Housekeeping"). That store holds only what may be
//! lost: if it is down, the SLA work still counts and the next call tries again.
//!
//! Marks on the report (`clock_escalated`, `clock_reminded`, the status)
//! make every action happen at most once per deadline; two sweeps at once
//! are serialised by the write lock and the second finds nothing left.
//! The answer is `{examined, reminded, escalated, completed, more}`; with
//! `more: true` the caller may call again at once.

use chrono::{DateTime, Utc};
use lapor_domain::sla::{due_action, SweepStep};
use lapor_platform::auth::require_internal_call;
use lapor_platform::db::Db;
use lapor_platform::{clock, kv, sla};
use lapor_platform::response::{self, ApiError};
use lapor_domain::view::SweepRun;
use lapor_domain::routes::{SlaSweep, SLA_SWEEP};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

const DEFAULT_BATCH: i64 = 500;
const DEFAULT_HOUSEKEEPING_BATCH: i64 = 5_000;

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

/// The number in Spin variable `name`, if it is within `1..=max`.
fn bound(name: &str, max: i64, default: i64) -> i64 {
    spin_sdk::variables::get(name)
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| (1..=max).contains(n))
        .unwrap_or(default)
}

/// Takes one step in one transaction: returns how many reports it acted on
/// and whether its candidates filled the batch (there may be more).
fn run(db: &Db, step: SweepStep, now: &str, at: DateTime<Utc>, batch: i64) -> Result<(i64, bool), ApiError> {
    db.transaction(|db| -> Result<(i64, bool), ApiError> {
        let candidates = sla::sweep_candidates(db, step, now, batch)?;
        let owed: Vec<i64> = candidates
            .iter()
            .filter(|c| due_action(&c.clock, at).is_some_and(|action| action.step() == step))
            .map(|c| c.id)
            .collect();
        let acted = sla::sweep_apply(db, step, &owed, now)?;
        Ok((acted, candidates.len() as i64 >= batch))
    })
}

fn sweep() -> Result<SweepRun, ApiError> {
    // The instant the SQL compares with, to the millisecond, is the one the rule is asked about.
    let now = clock::timestamp(clock::now());
    let at = sla::parse_time(&now).unwrap_or_else(clock::now);
    let batch = bound("sla_sweep_batch", 10_000, DEFAULT_BATCH);
    let db = Db::open()?;
    let (mut completed, mut escalated, mut reminded, mut more) = (0, 0, 0, false);
    for step in SweepStep::ORDER {
        let (n, full) = run(&db, step, &now, at, batch)?;
        more |= full;
        match step {
            SweepStep::Complete => completed = n,
            SweepStep::Escalate => escalated = n,
            SweepStep::Remind => reminded = n,
        }
    }
    let unix = at.timestamp().max(0) as u64;
    match kv::remove_stale_windows(unix, bound("kv_housekeeping_batch", 100_000, DEFAULT_HOUSEKEEPING_BATCH) as usize) {
        Ok(housekeeping) => {
            if housekeeping.deleted > 0 {
                eprintln!("housekeeping: deleted {} key-value windows of hours that are over", housekeeping.deleted);
            }
            more |= housekeeping.more;
        }
        Err(e) => eprintln!("housekeeping skipped: {e:#}"),
    }
    Ok(SweepRun { completed, escalated, examined: completed + escalated + reminded, more, reminded })
}
