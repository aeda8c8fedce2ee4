//! Open311 in SQLite: partner apps' keys, the reports GeoReport v2 may show,
//! and the media URL a request came with.
//!
//! Like every public read path, the searches select `store::REPORT_COLUMNS`
//! from `reports` only (never `reporters`) and narrow to public visibility;
//! the component then builds each request from `view::report_view` with the
//! public viewer, which decides.

use anyhow::Result;
use lapor_domain::event::EventType;
use lapor_domain::open311::key::KeyName;
use lapor_domain::open311::query::Search;
use lapor_domain::tracking_id::TrackingId;
use lapor_domain::view::{EventRecord, EventVisibility, ReportRecord};
use spin_sdk::sqlite3::Value;

use crate::db::{int, is_unique_violation, text, Db};
use crate::store::{record, REPORT_COLUMNS};

/// Records a key by the hash of its secret; `false` when the name is taken
/// (revoked keys keep theirs).
pub fn insert_key(db: &Db, name: &KeyName, key_hash: &str, created_by: &str, now: &str) -> Result<bool> {
    let inserted = db.execute(
        "INSERT INTO open311_keys (name, key_hash, created_by, created_at) VALUES (?, ?, ?, ?)",
        &[text(name.as_str()), text(key_hash), text(created_by), text(now)],
    );
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e, "open311_keys.name") => Ok(false),
        Err(e) => Err(e),
    }
}

/// Revokes key `name`; `false` when there is no such key still valid.
pub fn revoke_key(db: &Db, name: &str, now: &str) -> Result<bool> {
    db.execute("UPDATE open311_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", &[text(now), text(name)])?;
    Ok(db.changes() > 0)
}

/// The name of the valid key whose secret hashes to `key_hash`.
pub fn key_name(db: &Db, key_hash: &str) -> Result<Option<KeyName>> {
    let name = db
        .query("SELECT name FROM open311_keys WHERE key_hash = ? AND revoked_at IS NULL", &[text(key_hash)])?
        .first(|row| row.text("name"))?;
    Ok(name.as_deref().and_then(KeyName::from_stored))
}

/// Sets the media URL of report `report_id` (inside the filing's transaction).
pub fn set_media_url(db: &Db, report_id: i64, url: &str) -> Result<()> {
    db.execute("UPDATE reports SET media_url = ? WHERE id = ?", &[text(url), int(report_id)])?;
    Ok(())
}

/// A report as Open311 reads it.
pub struct Found {
    pub id: i64,
    pub record: ReportRecord,
    pub media_url: Option<String>,
}

fn found(row: crate::row::Row<'_>) -> Result<Found> {
    let (id, record) = record(row)?;
    Ok(Found { id, record, media_url: row.opt_text("media_url")? })
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The public reports these IDs name, verified or not (as reading each one
/// would show it), newest first.
pub fn by_ids(db: &Db, ids: &[TrackingId]) -> Result<Vec<Found>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {REPORT_COLUMNS}, media_url FROM reports WHERE visibility = 'public' AND tracking_id IN ({}) ORDER BY created_at DESC, id DESC",
        placeholders(ids.len())
    );
    let params: Vec<Value> = ids.iter().map(|id| text(id.to_string())).collect();
    db.query(&sql, &params)?.map(found)
}

/// One page of the public listing that `search` selects: filed between its
/// dates, of its services and statuses, newest first; verified reports only
/// unless `include_unverified` (the listing's own rule,
/// `publish_unverified_reports`).
pub fn search(db: &Db, search: &Search, include_unverified: bool, limit: u32, offset: u64) -> Result<Vec<Found>> {
    let mut sql = format!("SELECT {REPORT_COLUMNS}, media_url FROM reports WHERE visibility = 'public'");
    if !include_unverified {
        sql.push_str(" AND verified_at IS NOT NULL");
    }
    // Stored times are UTC RFC 3339 with milliseconds, so they compare as text.
    sql.push_str(" AND created_at >= ? AND created_at <= ?");
    let mut params = vec![text(crate::clock::timestamp(search.start)), text(crate::clock::timestamp(search.end))];
    if !search.service_codes.is_empty() {
        sql.push_str(&format!(" AND category IN ({})", placeholders(search.service_codes.len())));
        params.extend(search.service_codes.iter().map(|c| text(c.as_str())));
    }
    if !search.statuses.is_empty() {
        sql.push_str(&format!(" AND status IN ({})", placeholders(search.statuses.len())));
        params.extend(search.statuses.iter().map(|s| text(s.as_str())));
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
    params.push(int(i64::from(limit)));
    params.push(int(i64::try_from(offset).unwrap_or(i64::MAX)));
    db.query(&sql, &params)?.map(found)
}

/// The follow-ups (`responded` events) of these reports, oldest first, each
/// with its visibility: the public view keeps those the public may read.
pub fn follow_ups(db: &Db, report_ids: &[i64]) -> Result<Vec<(i64, EventRecord)>> {
    if report_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT report_id, at, type, actor_role, visibility, text FROM report_events WHERE type = ? AND report_id IN ({}) ORDER BY id",
        placeholders(report_ids.len())
    );
    let mut params = vec![text(EventType::Responded.as_str())];
    params.extend(report_ids.iter().map(|id| int(*id)));
    db.query(&sql, &params)?.map(|row| {
        let event = EventRecord {
            at: row.text("at")?,
            event_type: row.parsed("type", EventType::from_stored)?,
            actor_role: row.text("actor_role")?,
            // A visibility this build does not know fails closed.
            visibility: EventVisibility::from_stored(&row.text("visibility")?).unwrap_or(EventVisibility::Staff),
            text: row.opt_text("text")?,
        };
        Ok((row.int("report_id")?, event))
    })
}
