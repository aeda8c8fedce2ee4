//! The notification dead letter, for administrators: what could not be
//! delivered after every retry, and a way to send it again (for example once
//! a provider is configured).
//!
//! Addresses are masked: an administrator needs to recognise a failing
//! channel, not to read an anonymous reporter's phone number.

use lapor_domain::follow::mask_address;
use lapor_domain::view::{DeadLetterView, Page, Requeued};
use lapor_domain::problem::ProblemKind;
use lapor_platform::auth::require_admin;
use lapor_platform::db::Db;
use lapor_platform::notify::{self, Requeue};
use lapor_platform::paging;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::clock;
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
    let mut items = notify::dead_letters(&db, after, limit + 1)?;
    let next_cursor = paging::next_page(&mut items, limit, |row| paging::row_cursor_of(row.id));
    let items: Vec<DeadLetterView> = items
        .into_iter()
        .map(|row| DeadLetterView {
            id: row.id,
            kind: row.kind,
            report: row.tracking_id,
            event: row.event,
            channel: row.channel.map(|c| c.as_str()),
            // Masked: an administrator needs to recognise a failing channel,
            // not to read a reporter's phone number.
            address: match row.channel {
                Some(channel) => mask_address(channel, &row.address),
                None => "***".to_string(),
            },
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: row.created_at,
        })
        .collect();
    Ok(response::json(200, &Page { items, next_cursor }, "no-store"))
}

/// `POST /api/v1/admin/notifications/{id}/retry`: a dead notification goes
/// back to the queue with fresh tries.
pub fn retry(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let id: i64 = raw_id.trim().parse().map_err(|_| ApiError::not_found(lang))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    require_admin(&db, request, &now)?;
    match notify::requeue_dead(&db, id, &now)? {
        Requeue::Requeued => {}
        Requeue::Refused => {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                lang,
                "Pemberitahuan ini tidak dikirim ulang: kode masuk sudah kedaluwarsa, atau penerimanya berhenti mengawal.",
                "This notification is not re-sent: a sign-in code is stale, or its recipient stopped following.",
            ))
        }
        Requeue::NotFound => return Err(ApiError::not_found(lang)),
    }
    Ok(response::json(200, &Requeued { id, state: lapor_domain::event::OutboxState::Pending }, "no-store"))
}
