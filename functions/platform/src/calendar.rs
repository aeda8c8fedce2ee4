//! The `holidays` table: the non-working days an administrator maintains
//! (the SLA engine reads the whole calendar through `sla::calendar`).

use anyhow::Result;
use chrono::NaiveDate;
use lapor_domain::calendar::HolidayKind;
use lapor_domain::view::HolidayView;

use crate::db::{text, Db};

/// The non-working days of `year`, in date order.
pub fn holidays_in_year(db: &Db, year: i32) -> Result<Vec<HolidayView>> {
    db.query(
        "SELECT date, name, kind FROM holidays WHERE date >= ? AND date <= ? ORDER BY date",
        &[text(format!("{year}-01-01")), text(format!("{year}-12-31"))],
    )?
    .map(|row| Ok(HolidayView { date: row.text("date")?, name: row.text("name")?, kind: row.text("kind")? }))
}

/// Adds or corrects a day; says whether it existed before. Must run inside
/// a transaction (the caller's), so the answer matches the write.
pub fn upsert_holiday(db: &Db, date: NaiveDate, name: &str, kind: HolidayKind) -> Result<bool> {
    let existed = !db.query("SELECT 1 AS x FROM holidays WHERE date = ?", &[text(date.to_string())])?.is_empty();
    db.execute(
        "INSERT INTO holidays (date, name, kind) VALUES (?, ?, ?)
         ON CONFLICT (date) DO UPDATE SET name = excluded.name, kind = excluded.kind",
        &[text(date.to_string()), text(name), text(kind.as_str())],
    )?;
    Ok(existed)
}

/// Removes a day; says whether there was one.
pub fn delete_holiday(db: &Db, date: NaiveDate) -> Result<bool> {
    db.execute("DELETE FROM holidays WHERE date = ?", &[text(date.to_string())])?;
    Ok(db.changes() > 0)
}
