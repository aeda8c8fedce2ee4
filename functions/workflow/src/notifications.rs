//! The notification dead letter, for administrators: what could not be
//! delivered after every retry, and a way to send it again (for example once
//! a provider is configured).
//!
//! Addresses are masked: an administrator needs to recognise a failing
//! channel, not to read an anonymous reporter's phone number.

use lapor_actions::notifications;
use lapor_domain::view::Page;
use lapor_platform::auth::require_staff;
use lapor_platform::db::Db;
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
    let principal = require_staff(&db, request, &now)?;
    let mut items = notifications::dead_letters(&db, &principal, after, limit + 1, lang)?;
    let next_cursor = paging::next_page(&mut items, limit, |row| paging::row_cursor_of(row.id));
    Ok(response::json(200, &Page { items, next_cursor }, "no-store"))
}

/// `POST /api/v1/admin/notifications/{id}/retry`: a dead notification goes
/// back to the queue with fresh tries.
pub fn retry(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let id: i64 = raw_id.trim().parse().map_err(|_| ApiError::not_found(lang))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let requeued = notifications::requeue(&db, &principal, id, &now, lang)?;
    Ok(response::json(200, &requeued, "no-store"))
}
