//! The `staff_sessions` table: the staff console's server-side sessions.
//! Whether one may be used is `lapor_domain::session`'s rule; this module
//! only stores and reads them. The cookie's id is stored as a hash.

use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::db::{opt_text, text, Db};

/// A session as stored.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub staff_id: String,
    pub token_hash: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub revoked: bool,
    pub csrf_secret: String,
    pub flash: Option<String>,
}

impl SessionRow {
    /// Its times for `lapor_domain::session::SessionTimes::state` (`None` if unreadable).
    pub fn times(&self) -> Option<lapor_domain::session::SessionTimes> {
        let read = |raw: &str| DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc));
        Some(lapor_domain::session::SessionTimes {
            created_at: read(&self.created_at)?,
            last_seen_at: read(&self.last_seen_at)?,
            expires_at: read(&self.expires_at)?,
            revoked: self.revoked,
        })
    }
}

/// A new session.
pub struct NewSession<'a> {
    pub session_hash: &'a str,
    pub staff_id: &'a str,
    pub token_hash: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
    pub csrf_secret: &'a str,
}

pub fn create(db: &Db, session: &NewSession<'_>) -> Result<()> {
    db.execute(
        "INSERT INTO staff_sessions (session_hash, staff_id, token_hash, created_at, last_seen_at, expires_at, csrf_secret)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[
            text(session.session_hash),
            text(session.staff_id),
            text(session.token_hash),
            text(session.now),
            text(session.now),
            text(session.expires_at),
            text(session.csrf_secret),
        ],
    )?;
    Ok(())
}

pub fn find(db: &Db, session_hash: &str) -> Result<Option<SessionRow>> {
    db.query(
        "SELECT id, staff_id, token_hash, created_at, last_seen_at, expires_at, revoked_at, csrf_secret, flash
         FROM staff_sessions WHERE session_hash = ?",
        &[text(session_hash)],
    )?
    .first(|row| {
        Ok(SessionRow {
            id: row.int("id")?,
            staff_id: row.text("staff_id")?,
            token_hash: row.text("token_hash")?,
            created_at: row.text("created_at")?,
            last_seen_at: row.text("last_seen_at")?,
            expires_at: row.text("expires_at")?,
            revoked: row.opt_text("revoked_at")?.is_some(),
            csrf_secret: row.text("csrf_secret")?,
            flash: row.opt_text("flash")?,
        })
    })
}

/// Records a use (the idle clock restarts).
pub fn touch(db: &Db, id: i64, now: &str) -> Result<()> {
    db.execute("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?", &[text(now), crate::db::int(id)])?;
    Ok(())
}

/// Sets (or with `None` clears) the message the next page shows once.
pub fn set_flash(db: &Db, id: i64, flash: Option<&str>) -> Result<()> {
    db.execute("UPDATE staff_sessions SET flash = ? WHERE id = ?", &[opt_text(flash), crate::db::int(id)])?;
    Ok(())
}

/// Signs a session out (its flash goes with it).
pub fn revoke(db: &Db, id: i64, now: &str) -> Result<()> {
    db.execute(
        "UPDATE staff_sessions SET revoked_at = coalesce(revoked_at, ?), flash = NULL WHERE id = ?",
        &[text(now), crate::db::int(id)],
    )?;
    Ok(())
}
