//! The `categories` table: the taxonomy (`lapor_domain::category`), read by
//! the directory API and the report form, checked by intake, changed by
//! administrators.

use anyhow::Result;
use lapor_domain::category::Standing;
use lapor_domain::view::CategoryView;

use crate::db::{opt_text, text, Db};

fn view(row: crate::row::Row<'_>) -> Result<CategoryView> {
    Ok(CategoryView {
        code: row.text("code")?,
        parent: row.opt_text("parent")?,
        name_id: row.text("name_id")?,
        name_en: row.text("name_en")?,
        retired_at: row.opt_text("retired_at")?,
    })
}

/// The taxonomy in its order: each topic followed by its sub-topics (a
/// sub-topic of a retired topic is listed with `include_retired` only).
pub fn list(db: &Db, include_retired: bool) -> Result<Vec<CategoryView>> {
    let rows = db.query(
        "SELECT c.code, c.parent, c.name_id, c.name_en, c.retired_at
         FROM categories c LEFT JOIN categories p ON p.code = c.parent
         WHERE ? OR (c.retired_at IS NULL AND p.retired_at IS NULL)
         ORDER BY coalesce(p.position, c.position), c.parent IS NOT NULL, c.position",
        &[crate::db::int(include_retired as i64)],
    )?;
    rows.map(view)
}

/// When the taxonomy last changed (a category added, renamed, retired or
/// restored): Open311's discovery `changeset`.
pub fn last_change(db: &Db) -> Result<Option<String>> {
    db.query("SELECT max(updated_at) AS at FROM categories", &[])?.first(|row| row.opt_text("at")).map(Option::flatten)
}

/// One category, retired or not.
pub fn find(db: &Db, code: &str) -> Result<Option<CategoryView>> {
    db.query("SELECT code, parent, name_id, name_en, retired_at FROM categories WHERE code = ?", &[text(code)])?.first(view)
}

/// Whether a new report may take `code`: a retired category, or a
/// sub-topic of a retired topic, may not.
pub fn standing(db: &Db, code: &str) -> Result<Standing> {
    let found = db
        .query(
            "SELECT c.retired_at IS NOT NULL OR coalesce(p.retired_at IS NOT NULL, 0) AS retired
             FROM categories c LEFT JOIN categories p ON p.code = c.parent WHERE c.code = ?",
            &[text(code)],
        )?
        .first(|row| row.flag("retired"))?;
    Ok(match found {
        None => Standing::Unknown,
        Some(true) => Standing::Retired,
        Some(false) => Standing::Active,
    })
}

/// Adds a category at the end of the order; `false` when the code exists.
/// Run inside the caller's transaction.
pub fn insert(db: &Db, code: &str, parent: Option<&str>, name_id: &str, name_en: &str, now: &str) -> Result<bool> {
    if find(db, code)?.is_some() {
        return Ok(false);
    }
    db.execute(
        "INSERT INTO categories (code, parent, name_id, name_en, position, created_at, updated_at)
         VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM categories), ?, ?)",
        &[text(code), opt_text(parent), text(name_id), text(name_en), text(now), text(now)],
    )?;
    Ok(true)
}

/// Renames and/or retires (`Some(true)`) or restores (`Some(false)`) a
/// category; `false` when there is none.
pub fn update(db: &Db, code: &str, name_id: Option<&str>, name_en: Option<&str>, retired: Option<bool>, now: &str) -> Result<bool> {
    db.execute(
        "UPDATE categories SET
             name_id = coalesce(?, name_id),
             name_en = coalesce(?, name_en),
             retired_at = CASE WHEN ? IS NULL THEN retired_at WHEN ? = 1 THEN coalesce(retired_at, ?) ELSE NULL END,
             updated_at = ?
         WHERE code = ?",
        &[
            opt_text(name_id),
            opt_text(name_en),
            retired.map(|r| crate::db::int(r as i64)).unwrap_or(spin_sdk::sqlite3::Value::Null),
            retired.map(|r| crate::db::int(r as i64)).unwrap_or(spin_sdk::sqlite3::Value::Null),
            text(now),
            text(now),
            text(code),
        ],
    )?;
    Ok(db.changes() > 0)
}
