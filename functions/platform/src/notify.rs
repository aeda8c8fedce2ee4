//! The notification outbox: rows written in the same transaction as the
//! event they announce, delivered later by the `notify` component.
//!
//! Writing the row with the event (not sending from the request) means a
//! crash, a provider outage or a slow network can delay a notification but
//! never lose one or send one for an event that was rolled back.

use anyhow::Result;
use lapor_domain::follow::FollowChannel;
use lapor_domain::notification::{audience, Audience};
use lapor_domain::view::EventVisibility;

use crate::db::{int, text, Db};

/// `INSERT ... SELECT` of one notification per (event, follower) for the
/// events matching `filter` (SQL over `e`, the event, with `?1` = now).
/// `reporter_only` limits it to the reporter's own follows; a confidential
/// report notifies nobody else, whoever followed it before. The unique index
/// on (event_id, follow_id) makes a second enqueue of the same event a no-op.
pub fn enqueue_sql(filter: &str, reporter_only: bool) -> String {
    format!(
        "INSERT OR IGNORE INTO notification_outbox
             (kind, report_id, event_id, follow_id, channel, address, payload, next_attempt_at, created_at)
         SELECT 'event', e.report_id, e.id, f.id, f.channel, f.address,
                json_object('tracking_id', r.tracking_id, 'event', e.type, 'status', r.status, 'at', e.at), ?1, ?1
         FROM report_events e
         JOIN reports r ON r.id = e.report_id
         JOIN follows f ON f.report_id = e.report_id
         WHERE {filter} AND (r.visibility <> 'confidential' OR f.is_reporter = 1){}",
        if reporter_only { " AND f.is_reporter = 1" } else { "" }
    )
}

/// Enqueues the notifications one new event owes, if it is one that notifies.
pub fn enqueue_for_event(db: &Db, event_id: i64, event_type: &str, visibility: EventVisibility, now: &str) -> Result<()> {
    let Some(audience) = audience(event_type, visibility) else { return Ok(()) };
    let sql = enqueue_sql("e.id = ?2", matches!(audience, Audience::ReporterOnly));
    db.execute(&sql, &[text(now), int(event_id)])?;
    Ok(())
}

/// SQL for a row's `payload` as it leaves `pending` for state `?1`: a sign-in
/// code's text is cleared (`{}`) when the row is sent or dead. Nothing
/// readable is kept of a code: it is valid five minutes, only its hash is
/// stored (`citizen_codes`), and a row still waiting is deleted or scrubbed
/// once its code is replaced, proved or expired.
pub const SCRUB_SIGN_IN_CODE: &str = "CASE WHEN kind = 'sign_in_code' AND ?1 IN ('sent', 'dead') THEN '{}' ELSE payload END";

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
            "UPDATE notification_outbox SET state = ?1, payload = {SCRUB_SIGN_IN_CODE}, last_error = 'sign-in code expired before delivery'
             WHERE kind = 'sign_in_code' AND state = 'pending' AND created_at <= ?2"
        ),
        &[text("dead"), text(created_by)],
    )?;
    Ok(db.changes())
}

/// Enqueues a one-off message that belongs to no event (a sign-in code).
pub fn enqueue_message(db: &Db, kind: &str, channel: FollowChannel, address: &str, payload: &serde_json::Value, now: &str) -> Result<()> {
    db.execute(
        "INSERT INTO notification_outbox (kind, channel, address, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        &[text(kind), text(channel.as_str()), text(address), text(payload.to_string()), text(now), text(now)],
    )?;
    Ok(())
}
