//! The notification dead letter, for administrators: what could not be
//! delivered after every retry, and a way to send it again (for example once
//! a provider is configured).
//!
//! Addresses are masked: an administrator needs to recognise a failing
//! channel, not to read an anonymous reporter's phone number.

use lapor_domain::follow::{mask_address, FollowChannel};
use lapor_domain::problem::ProblemKind;
use lapor_platform::auth::require_admin;
use lapor_platform::db::{int, text, Db};
use lapor_platform::paging;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::clock;
use serde_json::{json, Value};
use spin_sdk::http::Response;

/// `GET /api/v1/admin/notifications?state=dead&cursor=&limit=`, oldest first.
pub fn dead_letter(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    if request.query("state").unwrap_or("dead") != "dead" {
        return Err(bad_parameter(lang, "state", "Gunakan state=dead.", "Use state=dead."));
    }
    let limit = paging::limit(request, 20, 200)?;
    let after = paging::row_cursor(request)?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    require_admin(&db, request, &now)?;
    let result = db.execute(
        "SELECT o.id, o.kind, o.channel, o.address, o.attempts, o.last_error, o.created_at, o.payload, r.tracking_id
         FROM notification_outbox o LEFT JOIN reports r ON r.id = o.report_id
         WHERE o.state = 'dead' AND o.id > ? ORDER BY o.id LIMIT ?",
        &[int(after), int(limit as i64 + 1)],
    )?;
    let mut items: Vec<(i64, Value)> = result
        .rows()
        .map(|row| {
            let channel = row.get::<&str>("channel").and_then(FollowChannel::from_stored);
            let address = match channel {
                Some(channel) => mask_address(channel, row.get::<&str>("address").unwrap_or_default()),
                None => "***".to_string(),
            };
            // The event name only; a sign-in code's text is never shown.
            let event = serde_json::from_str::<Value>(row.get::<&str>("payload").unwrap_or("{}")).ok().and_then(|p| p["event"].as_str().map(str::to_string));
            let id = row.get::<i64>("id").unwrap_or_default();
            (
                id,
                json!({
                    "id": id,
                    "kind": row.get::<&str>("kind"),
                    "report": row.get::<&str>("tracking_id"),
                    "event": event,
                    "channel": channel.map(|c| c.as_str()),
                    "address": address,
                    "attempts": row.get::<i64>("attempts"),
                    "last_error": row.get::<&str>("last_error"),
                    "created_at": row.get::<&str>("created_at"),
                }),
            )
        })
        .collect();
    let next_cursor = paging::next_page(&mut items, limit, |(id, _)| paging::row_cursor_of(*id));
    let items: Vec<Value> = items.into_iter().map(|(_, item)| item).collect();
    Ok(response::json(200, &json!({"items": items, "next_cursor": next_cursor}), "no-store"))
}

/// `POST /api/v1/admin/notifications/{id}/retry`: a dead notification goes
/// back to the queue with fresh tries.
pub fn retry(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let id: i64 = raw_id.trim().parse().map_err(|_| ApiError::not_found(lang))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    require_admin(&db, request, &now)?;
    // Only notifications of events whose follower still follows: a sign-in
    // code is stale by now, and whoever unfollowed must not hear more.
    db.execute(
        "UPDATE notification_outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL
         WHERE id = ? AND state = 'dead' AND kind = 'event' AND follow_id IN (SELECT id FROM follows)",
        &[text(&now), int(id)],
    )?;
    if db.changes() != 1 {
        let exists = db.execute("SELECT 1 AS x FROM notification_outbox WHERE id = ? AND state = 'dead'", &[int(id)])?;
        if exists.rows().next().is_some() {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                lang,
                "Pemberitahuan ini tidak dikirim ulang: kode masuk sudah kedaluwarsa, atau penerimanya berhenti mengawal.",
                "This notification is not re-sent: a sign-in code is stale, or its recipient stopped following.",
            ));
        }
        return Err(ApiError::not_found(lang));
    }
    Ok(response::json(200, &json!({"id": id, "state": "pending"}), "no-store"))
}
