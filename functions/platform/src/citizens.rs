//! The `citizens` and `citizen_codes` tables: engagement identities and the
//! SMS codes that prove their phone numbers (codes stored as hashes only).

use anyhow::Result;
use lapor_domain::otp::PendingCode;

use crate::db::{int, text, Db};

/// A new citizen identity for a token hash; its row id.
pub fn insert(db: &Db, token_hash: &str, now: &str) -> Result<i64> {
    db.execute("INSERT INTO citizens (token_hash, created_at) VALUES (?, ?)", &[text(token_hash), text(now)])?;
    Ok(db.last_insert_rowid())
}

/// The code waiting for this citizen, if any, with the phone it was sent to.
/// An unreadable row is an error, so no code is ever accepted from one.
pub fn pending_code(db: &Db, citizen_id: i64) -> Result<Option<(String, PendingCode)>> {
    db.query("SELECT phone, code_hash, expires_at, tries_left FROM citizen_codes WHERE citizen_id = ?", &[int(citizen_id)])?.first(|row| {
        let code = PendingCode {
            code_hash: row.text("code_hash")?,
            expires_at: row.parsed("expires_at", crate::sla::parse_time)?,
            tries_left: row.int("tries_left")?,
        };
        Ok((row.text("phone")?, code))
    })
}

/// Replaces any waiting code with `pending`.
pub fn store_code(db: &Db, citizen_id: i64, phone: &str, pending: &PendingCode, now: &str) -> Result<()> {
    db.execute(
        "INSERT OR REPLACE INTO citizen_codes (citizen_id, phone, code_hash, expires_at, tries_left, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        &[
            int(citizen_id),
            text(phone),
            text(&pending.code_hash),
            text(crate::clock::timestamp(pending.expires_at)),
            int(pending.tries_left),
            text(now),
        ],
    )?;
    Ok(())
}

/// Records a wrong try (it must be stored even though the answer is an error).
pub fn spend_try(db: &Db, citizen_id: i64, tries_left: i64) -> Result<()> {
    db.execute("UPDATE citizen_codes SET tries_left = ? WHERE citizen_id = ?", &[int(tries_left), int(citizen_id)])?;
    Ok(())
}

/// The code is used up (proved, expired or exhausted).
pub fn clear_code(db: &Db, citizen_id: i64) -> Result<()> {
    db.execute("DELETE FROM citizen_codes WHERE citizen_id = ?", &[int(citizen_id)])?;
    Ok(())
}

/// The citizen proved `phone`.
pub fn prove_phone(db: &Db, citizen_id: i64, phone: &str, now: &str) -> Result<()> {
    db.execute("UPDATE citizens SET phone = ?, phone_verified_at = ? WHERE id = ?", &[text(phone), text(now), int(citizen_id)])?;
    Ok(())
}
