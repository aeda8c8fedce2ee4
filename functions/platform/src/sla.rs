//! SLA clocks in storage: the calendar from the `holidays` table, the
//! columns a running clock occupies on `reports`, and the sweep's reads and
//! writes (which reports may be owed an action; the action, set-wise).

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use lapor_domain::agency::TimeZone;
use lapor_domain::calendar::Calendar;
use lapor_domain::lifecycle::ActorRole;
use lapor_domain::sla::{local_rfc3339, Clock, ClockKind, ClockState, SweepStep};
use spin_sdk::sqlite3::Value;

use crate::clock::timestamp;
use crate::db::{int, text, Db};
use crate::{notify, staff_alerts, store};

/// The working-day calendar as administrators keep it (about a hundred rows).
pub fn calendar(db: &Db) -> Result<Calendar> {
    let dates = db
        .query("SELECT date FROM holidays", &[])?
        .map(|row| row.parsed("date", |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()))?;
    Ok(Calendar::new(dates))
}

/// The time zone deadlines of `agency` are counted in (WIB if unknown).
pub fn zone_of(db: &Db, agency: Option<&str>) -> Result<TimeZone> {
    let Some(agency) = agency else { return Ok(TimeZone::Wib) };
    Ok(store::find_agency(db, agency)?
        .and_then(|a| TimeZone::from_stored(&a.timezone))
        .unwrap_or(TimeZone::Wib))
}

/// Columns to set for `clock` (or to clear every clock when `None`). Only
/// the running clock's public deadline is shown; a new clock resets its
/// reminder and escalation marks.
pub(crate) fn clock_columns(clock: Option<&Clock>) -> Vec<(&'static str, Value)> {
    let mut set = vec![
        ("clock", clock.map(|c| text(c.kind.as_str())).unwrap_or(Value::Null)),
        ("clock_due", clock.map(|c| text(timestamp(c.due))).unwrap_or(Value::Null)),
        ("clock_remind_at", clock.map(|c| text(timestamp(c.remind_at))).unwrap_or(Value::Null)),
        ("clock_reminded", Value::Integer(0)),
        ("clock_escalated", Value::Integer(0)),
        ("overdue_fact", Value::Null),
    ];
    for kind in ClockKind::ALL {
        let value = match clock {
            Some(c) if c.kind == kind => text(local_rfc3339(c.due_local)),
            _ => Value::Null,
        };
        set.push((kind.due_column(), value));
    }
    set
}

/// Parses a stored UTC timestamp.
pub fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc))
}

/// A report the sweep may owe an action, with its clock as stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepCandidate {
    pub id: i64,
    pub clock: ClockState,
}

/// Up to `limit` reports that may be owed `step`'s action at `now`: the
/// clocks of the step's kinds whose deadline passed and that are not yet
/// escalated (completion: of responded reports), or, for reminders, whose
/// reminder time passed, not yet reminded and not yet due. Each is one range
/// of a partial index, taken in index order with no sort (a sort over a
/// backlog of a million would cost more than the work). A pre-selection only:
/// `lapor_domain::sla::due_action` decides what each candidate is owed.
pub fn sweep_candidates(db: &Db, step: SweepStep, now: &str, limit: i64) -> Result<Vec<SweepCandidate>> {
    let kinds: Vec<String> = step.kinds().iter().map(|k| format!("'{}'", k.as_str())).collect();
    let kinds = kinds.join(", ");
    let filter = match step {
        SweepStep::Complete => format!("clock_escalated = 0 AND clock_due IS NOT NULL AND clock_due <= ?1 AND clock IN ({kinds}) AND status = 'responded'"),
        SweepStep::Escalate => format!("clock_escalated = 0 AND clock_due IS NOT NULL AND clock_due <= ?1 AND clock IN ({kinds})"),
        SweepStep::Remind => format!(
            "clock_reminded = 0 AND clock_remind_at IS NOT NULL AND clock_remind_at <= ?1 AND clock_due > ?1 AND clock IN ({kinds})"
        ),
    };
    db.query(
        &format!("SELECT id, clock, clock_due, clock_remind_at, clock_reminded, clock_escalated FROM reports WHERE {filter} LIMIT ?2"),
        &[text(now), int(limit)],
    )?
    .map(|row| {
        let due = row.parsed("clock_due", parse_time)?;
        let clock = ClockState {
            kind: row.parsed("clock", ClockKind::from_stored)?,
            due,
            // A clock without a reminder time is reminded at its deadline.
            remind_at: row.opt_parsed("clock_remind_at", parse_time)?.unwrap_or(due),
            reminded: row.flag("clock_reminded")?,
            escalated: row.flag("clock_escalated")?,
        };
        Ok(SweepCandidate { id: row.int("id")?, clock })
    })
}

/// How a step marks the reports it acted on, so it acts at most once per
/// deadline (`?1` = now).
fn mark(step: SweepStep) -> &'static str {
    match step {
        SweepStep::Complete => {
            "UPDATE reports SET status = 'completed', version = version + 1, updated_at = ?1,
                 clock = NULL, clock_due = NULL, clock_remind_at = NULL, completion_due = NULL
               WHERE id IN (SELECT id FROM sweep_batch) AND status = 'responded'"
        }
        SweepStep::Escalate => "UPDATE reports SET clock_escalated = 1, clock_reminded = 1 WHERE id IN (SELECT id FROM sweep_batch) AND ?1 IS NOT NULL",
        SweepStep::Remind => "UPDATE reports SET clock_reminded = 1 WHERE id IN (SELECT id FROM sweep_batch) AND ?1 IS NOT NULL",
    }
}

/// Takes `step`'s action on reports `ids` at `now`: one system event each
/// (set-wise), the mark, and the notices: staff alerts addressed by
/// `SweepStep::staff_alert_audience`, or one notification per follower.
/// Run it in the transaction that chose `ids`, so two sweeps at once cannot
/// both act. Returns how many reports it acted on.
pub fn sweep_apply(db: &Db, step: SweepStep, ids: &[i64], now: &str) -> Result<i64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let event = step.event_type();
    db.execute("CREATE TEMP TABLE IF NOT EXISTS sweep_batch (id INTEGER PRIMARY KEY, agency TEXT, clock TEXT, tracking_id TEXT, due TEXT, event_data TEXT)", &[])?;
    db.execute("DELETE FROM sweep_batch", &[])?;
    let ids = serde_json::to_string(ids)?;
    db.execute(
        "INSERT INTO sweep_batch SELECT id, agency, clock, tracking_id, clock_due, NULL FROM reports WHERE id IN (SELECT value FROM json_each(?1))",
        &[text(ids)],
    )?;
    let n = db.changes() as i64;
    let facts = crate::stats::sweep_facts(db, event, now)?;
    if !facts.is_empty() {
        // Each event's data goes onto its batch row by primary key first: a
        // join of the batch with the JSON array itself would compare every
        // row with every element (2,000 x 2,000 per call).
        let data: Vec<_> = facts.iter().map(|(id, facts)| (id, crate::stats::event_data(facts))).collect();
        db.execute(
            "UPDATE sweep_batch SET event_data = f.value ->> 1 FROM json_each(?1) AS f WHERE sweep_batch.id = f.value ->> 0",
            &[text(serde_json::to_string(&data)?)],
        )?;
    }
    db.execute(
        "INSERT INTO report_events (report_id, at, type, actor_role, visibility, text, data)
         SELECT id, ?1, ?2, ?3, ?4, clock, event_data FROM sweep_batch",
        &[text(now), text(event.as_str()), text(ActorRole::System.as_str()), text(step.event_visibility().as_str())],
    )?;
    crate::stats::remember_escalations(db, facts.iter().map(|(id, facts)| (*id, facts.as_slice())))?;
    crate::stats::record(db, &facts.into_iter().flat_map(|(_, facts)| facts).collect::<Vec<_>>())?;
    // Marked before the notices are written, so they carry the new status.
    db.execute(mark(step), &[text(now)])?;
    if step.staff_alert_audience(None).is_some() {
        // One row each, addressed in Rust: the audience rule is the domain's
        // (`staff_alert_audience`), never restated in SQL.
        let batch = db
            .query("SELECT id, agency, clock, tracking_id, due FROM sweep_batch ORDER BY id", &[])?
            .map(|row| Ok((row.int("id")?, row.opt_text("agency")?, row.opt_text("clock")?, row.text("tracking_id")?, row.opt_text("due")?)))?;
        for (report_id, agency, clock, tracking_id, due) in batch {
            let Some(audience) = step.staff_alert_audience(agency.as_deref()) else { continue };
            let alert = staff_alerts::Alert { report_id, event, audience, tracking_id, clock, due };
            staff_alerts::insert(db, &alert, now)?;
        }
    } else {
        notify::enqueue_for_sweep_batch(db, event, now)?;
    }
    Ok(n)
}
