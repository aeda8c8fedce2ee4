//! The notification outbox: rows written in the same transaction as the
//! event they announce, delivered later by the `notify` component.
//!
//! Writing the row with the event (not sending from the request) means a
//! crash, a provider outage or a slow network can delay a notification but
//! never lose one or send one for an event that was rolled back.

use anyhow::Result;
use lapor_domain::event::{EventType, OutboxKind, OutboxState};
use lapor_domain::follow::FollowChannel;
use lapor_domain::notification::{audience, Audience};
use lapor_domain::view::EventVisibility;

use crate::db::{int, text, Db};

/// Which events to enqueue notifications for.
enum Events {
    /// One event, by row id (`?2`).
    One,
    /// The events the SLA sweep just wrote for its batch: type `?2`, at `?1`.
    SweepBatch,
}

/// `INSERT ... SELECT` of one notification per (event, follower) for
/// `events` (`?1` = now). `reporter_only` limits it to the reporter's own
/// follows; a confidential report notifies nobody else, whoever followed it
/// before. The unique index on (event_id, follow_id) makes a second enqueue
/// of the same event a no-op.
fn enqueue_sql(events: Events, reporter_only: bool) -> String {
    let events = match events {
        Events::One => "e.id = ?2",
        Events::SweepBatch => "e.report_id IN (SELECT id FROM sweep_batch) AND e.type = ?2 AND e.at = ?1",
    };
    format!(
        "INSERT OR IGNORE INTO notification_outbox
             (kind, report_id, event_id, follow_id, channel, address, payload, next_attempt_at, created_at)
         SELECT 'event', e.report_id, e.id, f.id, f.channel, f.address,
                json_object('tracking_id', r.tracking_id, 'event', e.type, 'status', r.status, 'at', e.at), ?1, ?1
         FROM report_events e
         JOIN reports r ON r.id = e.report_id
         JOIN follows f ON f.report_id = e.report_id
         WHERE {events} AND (r.visibility <> 'confidential' OR f.is_reporter = 1){}",
        if reporter_only { " AND f.is_reporter = 1" } else { "" }
    )
}

/// Enqueues the notifications one new event owes, if it is one that notifies.
pub fn enqueue_for_event(db: &Db, event_id: i64, event_type: EventType, visibility: EventVisibility, now: &str) -> Result<()> {
    let Some(audience) = audience(event_type, visibility) else { return Ok(()) };
    db.execute(&enqueue_sql(Events::One, matches!(audience, Audience::ReporterOnly)), &[text(now), int(event_id)])?;
    Ok(())
}

/// Enqueues what the SLA sweep's events of type `event`, written at `now`
/// for the reports in its `sweep_batch`, owe followers (a public
/// completion: every follower).
pub fn enqueue_for_sweep_batch(db: &Db, event: EventType, now: &str) -> Result<()> {
    db.execute(&enqueue_sql(Events::SweepBatch, false), &[text(now), text(event.as_str())])?;
    Ok(())
}

/// SQL for a row's `payload` as it leaves `pending` for state `?1`: the
/// text of a one-off message (`OutboxKind::is_one_off_text`: a sign-in code,
/// a WhatsApp reply) is cleared (`{}`) when the row is sent or dead. Nothing
/// readable is kept of a code: it is valid five minutes, only its hash is
/// stored (`citizen_codes`), and a row still waiting is deleted or scrubbed
/// once its code is replaced, proved or expired. A reply is kept where it
/// is needed, with its inbound message (`inbound_messages`).
fn scrub_one_off_text() -> String {
    let kinds: Vec<String> = OutboxKind::all().filter(|k| k.is_one_off_text()).map(|k| format!("'{}'", k.as_str())).collect();
    format!("CASE WHEN kind IN ({}) AND ?1 IN ('sent', 'dead') THEN '{{}}' ELSE payload END", kinds.join(", "))
}

/// A newer code for `address` was issued, or its code was proved or spent:
/// the older messages still waiting carry a dead code, so they go.
pub fn drop_pending_sign_in_codes(db: &Db, address: &str) -> Result<()> {
    db.execute("DELETE FROM notification_outbox WHERE kind = 'sign_in_code' AND state = 'pending' AND address = ?", &[text(address)])?;
    Ok(())
}

/// Sign-in codes created at or before `created_by` (their validity ago)
/// that are still waiting: sending them is useless, so they go to the dead
/// letter (a sign of a provider that was down), scrubbed.
pub fn expire_sign_in_codes(db: &Db, created_by: &str) -> Result<u64> {
    db.execute(
        &format!(
            "UPDATE notification_outbox SET state = ?1, payload = {}, last_error = 'sign-in code expired before delivery'
             WHERE kind = 'sign_in_code' AND state = 'pending' AND created_at <= ?2",
            scrub_one_off_text()
        ),
        &[text(OutboxState::Dead.as_str()), text(created_by)],
    )?;
    Ok(db.changes())
}

/// Enqueues a one-off message that belongs to no event (a sign-in code).
pub fn enqueue_message(db: &Db, kind: OutboxKind, channel: FollowChannel, address: &str, payload: &serde_json::Value, now: &str) -> Result<()> {
    db.execute(
        "INSERT INTO notification_outbox (kind, channel, address, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        &[text(kind.as_str()), text(channel.as_str()), text(address), text(payload.to_string()), text(now), text(now)],
    )?;
    Ok(())
}

/// A notification in the dead letter, as stored (the caller masks the address).
pub struct DeadLetter {
    pub id: i64,
    pub kind: OutboxKind,
    pub tracking_id: Option<String>,
    pub channel: Option<FollowChannel>,
    pub address: String,
    /// The payload's event name; a sign-in code's text is never read out.
    pub event: Option<String>,
    pub attempts: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Option<String>,
}

/// Dead notifications after row `after`, oldest first, at most `limit`.
pub fn dead_letters(db: &Db, after: i64, limit: u32) -> Result<Vec<DeadLetter>> {
    db.query(
        "SELECT o.id, o.kind, o.channel, o.address, o.attempts, o.last_error, o.created_at, o.payload, r.tracking_id
         FROM notification_outbox o LEFT JOIN reports r ON r.id = o.report_id
         WHERE o.state = 'dead' AND o.id > ? ORDER BY o.id LIMIT ?",
        &[int(after), int(i64::from(limit))],
    )?
    .map(|row| {
        Ok(DeadLetter {
            id: row.int("id")?,
            kind: row.parsed("kind", OutboxKind::from_stored)?,
            tracking_id: row.opt_text("tracking_id")?,
            channel: FollowChannel::from_stored(&row.text("channel")?),
            address: row.text("address")?,
            // A scrubbed sign-in code's payload is `{}`: no event.
            event: serde_json::from_str::<serde_json::Value>(&row.text("payload")?)
                .ok()
                .and_then(|p| p["event"].as_str().map(str::to_string)),
            attempts: Some(row.int("attempts")?),
            last_error: row.opt_text("last_error")?,
            created_at: Some(row.text("created_at")?),
        })
    })
}

/// What asking to send a dead notification again did.
pub enum Requeue {
    Requeued,
    /// Dead, but not to be sent again (a sign-in code, or an unfollowed recipient).
    Refused,
    NotFound,
}

/// Only notifications of events whose follower still follows go back to
/// the queue: a sign-in code is stale by now, and whoever unfollowed must
/// not hear more.
pub fn requeue_dead(db: &Db, id: i64, now: &str) -> Result<Requeue> {
    db.execute(
        "UPDATE notification_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL
         WHERE id = ? AND state = 'dead' AND kind = 'event' AND follow_id IN (SELECT id FROM follows)",
        &[text(now), int(id)],
    )?;
    if db.changes() == 1 {
        return Ok(Requeue::Requeued);
    }
    let exists = !db.query("SELECT 1 AS x FROM notification_outbox WHERE id = ? AND state = 'dead'", &[int(id)])?.is_empty();
    Ok(if exists { Requeue::Refused } else { Requeue::NotFound })
}

/// A notification claimed for delivery (its attempt already counted).
pub struct Claimed {
    pub id: i64,
    pub kind: OutboxKind,
    pub channel: Option<FollowChannel>,
    pub address: String,
    pub payload: String,
    pub attempts: i64,
    /// The follow's webhook signing secret, if any.
    pub secret: Option<String>,
}

/// Claims up to `batch` due rows: counts the attempt and moves them a lease
/// ahead (`lease_until`), so no other delivery call takes them meanwhile.
/// Must run inside the caller's transaction.
pub fn claim_due(db: &Db, now: &str, lease_until: &str, batch: i64) -> Result<Vec<Claimed>> {
    db.execute("CREATE TEMP TABLE IF NOT EXISTS delivery_claim (id INTEGER PRIMARY KEY)", &[])?;
    db.execute("DELETE FROM delivery_claim", &[])?;
    db.execute(
        "INSERT INTO delivery_claim SELECT id FROM notification_outbox
         WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2",
        &[text(now), int(batch)],
    )?;
    db.execute(
        "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?1 WHERE id IN (SELECT id FROM delivery_claim)",
        &[text(lease_until)],
    )?;
    db.query(
        "SELECT o.id, o.kind, o.channel, o.address, o.payload, o.attempts, f.secret
         FROM notification_outbox o JOIN delivery_claim c ON c.id = o.id LEFT JOIN follows f ON f.id = o.follow_id
         ORDER BY o.id",
        &[],
    )?
    .map(|row| {
        Ok(Claimed {
            id: row.int("id")?,
            kind: row.parsed("kind", OutboxKind::from_stored)?,
            channel: FollowChannel::from_stored(&row.text("channel")?),
            address: row.text("address")?,
            payload: row.text("payload")?,
            attempts: row.int("attempts")?,
            secret: row.opt_text("secret")?,
        })
    })
}

/// Hands a claimed row back unsent (its attempt uncounted), if the claim is still ours.
pub fn release_claim(db: &Db, row: &Claimed, now: &str) -> Result<()> {
    db.execute(
        "UPDATE notification_outbox SET attempts = attempts - 1, next_attempt_at = ?1 WHERE id = ?2 AND attempts = ?3 AND state = 'pending'",
        &[text(now), int(row.id), int(row.attempts)],
    )?;
    Ok(())
}

/// How one delivery ended, as recorded.
pub struct Outcome {
    /// Sent, pending (a retry) or dead.
    pub state: OutboxState,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub provider_ref: Option<String>,
}

/// Records the outcome only if the claim is still ours (nobody re-claimed
/// it meanwhile). A sent or dead sign-in code is scrubbed: it is of no more use.
pub fn record_outcome(db: &Db, row: &Claimed, outcome: Outcome, finished: &str) -> Result<()> {
    db.execute(
        &format!(
            "UPDATE notification_outbox SET state = ?1, next_attempt_at = COALESCE(?2, next_attempt_at), last_error = ?3,
                 provider_ref = ?4, sent_at = CASE WHEN ?1 = 'sent' THEN ?5 END, payload = {}
             WHERE id = ?6 AND attempts = ?7 AND state = 'pending'",
            scrub_one_off_text()
        ),
        &[
            text(outcome.state.as_str()),
            crate::db::opt_text(outcome.next_attempt_at),
            crate::db::opt_text(outcome.last_error),
            crate::db::opt_text(outcome.provider_ref),
            text(finished),
            int(row.id),
            int(row.attempts),
        ],
    )?;
    Ok(())
}
