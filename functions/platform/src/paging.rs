//! Keyset pagination from the query string: `limit` and an opaque `cursor`.
//!
//! Every listing fetches one row more than asked; [`next_page`] drops it and
//! turns the last row kept into the next cursor, so clients learn whether a
//! further page exists without a count.

use lapor_domain::cursor::{page_size, Cursor, KeyCursor};
use lapor_domain::lang::Lang;

use crate::request::{bad_parameter, ApiRequest};
use crate::response::ApiError;

/// `limit` from 1 to `max`; `default` when absent or empty.
pub fn limit(request: &ApiRequest, default: u32, max: u32) -> Result<u32, ApiError> {
    match request.query("limit").map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default.min(max)),
        raw => page_size(raw, max).map_err(|_| {
            bad_parameter(request.lang, "limit", &format!("Gunakan angka 1 sampai {max}."), &format!("Use a number from 1 to {max}."))
        }),
    }
}

/// 400 for a cursor this service did not hand out.
pub fn bad_cursor(lang: Lang) -> ApiError {
    bad_parameter(lang, "cursor", "Gunakan nilai next_cursor dari halaman sebelumnya.", "Use the next_cursor of the previous page.")
}

/// A `cursor` over row ids: the id to continue after (0 without a cursor).
pub fn row_cursor(request: &ApiRequest) -> Result<i64, ApiError> {
    match request.query("cursor").filter(|c| !c.trim().is_empty()) {
        None => Ok(0),
        Some(raw) => KeyCursor::decode(raw).and_then(|c| c.0.parse::<i64>().ok()).ok_or_else(|| bad_cursor(request.lang)),
    }
}

/// A `cursor` over (created_at, row id): the row to continue after.
pub fn time_cursor(request: &ApiRequest) -> Result<Option<(String, i64)>, ApiError> {
    match request.query("cursor").filter(|c| !c.trim().is_empty()) {
        None => Ok(None),
        Some(raw) => Cursor::decode(raw).map(|c| Some((c.created_at, c.id))).ok_or_else(|| bad_cursor(request.lang)),
    }
}

/// The cursor for a (created_at, row id), as [`time_cursor`] reads it.
pub fn time_cursor_of(created_at: &str, id: i64) -> String {
    Cursor { created_at: created_at.to_string(), id }.encode()
}

/// The cursor for a row id, as [`row_cursor`] reads it.
pub fn row_cursor_of(id: i64) -> String {
    KeyCursor(id.to_string()).encode()
}

/// Keeps the first `limit` of `rows` (fetched `limit + 1` at a time) and
/// returns the cursor of the last kept row when more rows follow.
pub fn next_page<T>(rows: &mut Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> String) -> Option<String> {
    if rows.len() <= limit as usize {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(cursor_of)
}
