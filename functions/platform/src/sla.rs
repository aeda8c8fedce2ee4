//! SLA clocks in storage: the calendar from the `holidays` table, and the
//! columns a running clock occupies on `reports`.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use lapor_domain::agency::TimeZone;
use lapor_domain::calendar::Calendar;
use lapor_domain::sla::{local_rfc3339, Clock, ClockKind};
use spin_sdk::sqlite3::Value;

use crate::clock::timestamp;
use crate::db::{text, Db};
use crate::store;

/// The working-day calendar as administrators keep it (about a hundred rows).
pub fn calendar(db: &Db) -> Result<Calendar> {
    let result = db.execute("SELECT date FROM holidays", &[])?;
    let dates = result
        .rows()
        .filter_map(|row| row.get::<&str>("date").and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()));
    Ok(Calendar::new(dates))
}

/// The time zone deadlines of `agency` are counted in (WIB if unknown).
pub fn zone_of(db: &Db, agency: Option<&str>) -> Result<TimeZone> {
    let Some(agency) = agency else { return Ok(TimeZone::Wib) };
    Ok(store::find_agency(db, agency)?
        .and_then(|a| TimeZone::from_stored(&a.timezone))
        .unwrap_or(TimeZone::Wib))
}

/// Columns to set for `clock` (or to clear every clock when `None`). Only
/// the running clock's public deadline is shown; a new clock resets its
/// reminder and escalation marks.
pub fn clock_columns(clock: Option<&Clock>) -> Vec<(&'static str, Value)> {
    let mut set = vec![
        ("clock", clock.map(|c| text(c.kind.as_str())).unwrap_or(Value::Null)),
        ("clock_due", clock.map(|c| text(timestamp(c.due))).unwrap_or(Value::Null)),
        ("clock_remind_at", clock.map(|c| text(timestamp(c.remind_at))).unwrap_or(Value::Null)),
        ("clock_reminded", Value::Integer(0)),
        ("clock_escalated", Value::Integer(0)),
    ];
    for kind in [ClockKind::Verification, ClockKind::Response, ClockKind::Completion] {
        let value = match clock {
            Some(c) if c.kind == kind => text(local_rfc3339(c.due_local)),
            _ => Value::Null,
        };
        set.push((kind.due_column(), value));
    }
    set
}

/// Parses a stored UTC timestamp.
pub fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc))
}
