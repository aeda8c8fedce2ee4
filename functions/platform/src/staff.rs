//! The `staff` and `staff_tokens` tables: accounts and their bearer tokens
//! (stored as hashes only). Reading a token back into a principal is
//! `auth`'s.

use anyhow::Result;
use lapor_domain::staff::Role;

use crate::db::{int, opt_text, text, Db};

/// A new account and its first token.
pub struct NewStaff<'a> {
    pub public_id: &'a str,
    pub role: Role,
    pub name: &'a str,
    pub agency: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub created_by: &'a str,
    pub token_hash: &'a str,
    pub expires_at: &'a str,
}

/// Inserts the account and its token together (in one transaction).
pub fn create(db: &Db, staff: &NewStaff<'_>, now: &str) -> Result<()> {
    db.transaction(|db| -> Result<()> {
        db.execute(
            "INSERT INTO staff (public_id, role, name, agency, unit, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &[
                text(staff.public_id),
                text(staff.role.as_str()),
                text(staff.name),
                opt_text(staff.agency),
                opt_text(staff.unit),
                text(now),
                text(staff.created_by),
            ],
        )?;
        let staff_id = db.last_insert_rowid();
        db.execute(
            "INSERT INTO staff_tokens (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            &[text(staff.token_hash), int(staff_id), text(now), text(staff.expires_at)],
        )?;
        Ok(())
    })
}

/// An account that is not revoked: its role (if readable) and agency.
pub fn active(db: &Db, public_id: &str) -> Result<Option<(Option<Role>, Option<String>)>> {
    db.query("SELECT role, agency FROM staff WHERE public_id = ? AND revoked_at IS NULL", &[text(public_id)])?
        .first(|row| Ok((Role::from_stored(&row.text("role")?), row.opt_text("agency")?)))
}

/// Revokes the account and every token of it, together.
pub fn revoke(db: &Db, public_id: &str, now: &str) -> Result<()> {
    db.transaction(|db| -> Result<()> {
        db.execute("UPDATE staff SET revoked_at = ? WHERE public_id = ?", &[text(now), text(public_id)])?;
        db.execute(
            "UPDATE staff_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND staff_id = (SELECT id FROM staff WHERE public_id = ?)",
            &[text(now), text(public_id)],
        )?;
        Ok(())
    })
}

/// An account as the console's account list shows it.
#[derive(Debug, Clone)]
pub struct StaffRow {
    pub public_id: String,
    pub role: Role,
    pub name: String,
    pub agency: Option<String>,
    pub unit: Option<String>,
    pub created_at: String,
}

/// Accounts not revoked, of `agency` (every account when `None`), newest first, at most `limit`.
pub fn list_active(db: &Db, agency: Option<&str>, limit: u32) -> Result<Vec<StaffRow>> {
    let (condition, mut params) = match agency {
        Some(agency) => (" AND agency = ?", vec![text(agency)]),
        None => ("", Vec::new()),
    };
    params.push(int(i64::from(limit)));
    db.query(
        &format!("SELECT public_id, role, name, agency, unit, created_at FROM staff WHERE revoked_at IS NULL{condition} ORDER BY id DESC LIMIT ?"),
        &params,
    )?
    .map(|row| {
        Ok(StaffRow {
            public_id: row.text("public_id")?,
            role: row.parsed("role", Role::from_stored)?,
            name: row.text("name")?,
            agency: row.opt_text("agency")?,
            unit: row.opt_text("unit")?,
            created_at: row.text("created_at")?,
        })
    })
}
