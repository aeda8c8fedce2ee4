//! The weekly summaries (`weekly_summaries`): each Monday the scheduler has
//! the last full week's figures stored, nationally and for every agency
//! with reports that week, as staff read them (every report counted), so
//! the summary of a week stays what was sent even after a rebuild.

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use lapor_domain::lang::Lang;
use lapor_domain::stats::{Audience, Dimension, Group, GroupStats, Range};

use super::by_key;
use super::read::group_stats;
use crate::db::{text, Db};

/// The last full ISO week (Monday to Sunday) before `today`.
pub fn last_full_week(today: NaiveDate) -> Range {
    let monday = Group::Week.start_of(today) - Duration::days(7);
    Range { from: monday, to: monday + Duration::days(6), group: Group::Day }
}

/// Stores the summaries of `week`; returns how many (national included).
/// Storing a week again replaces it (the call is safe to repeat).
pub fn store(db: &Db, week: &Range, now: &str) -> Result<usize> {
    let mut scopes = vec![(Dimension::National, String::new())];
    scopes.extend(by_key(db, Dimension::Agency, "", week, Audience::Staff)?.into_keys().map(|code| (Dimension::Agency, code)));
    let mut stored = 0;
    for (dimension, key) in scopes {
        let figures = group_stats(db, dimension, &key, week, Audience::Staff, Lang::Id)?;
        db.execute(
            "INSERT INTO weekly_summaries (scope, week_start, figures, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (scope, week_start) DO UPDATE SET figures = excluded.figures, created_at = excluded.created_at",
            &[text(key), text(week.from.to_string()), text(serde_json::to_string(&figures)?), text(now)],
        )?;
        stored += 1;
    }
    Ok(stored)
}

/// The weeks stored for `scope` (`""`: national), newest first.
pub fn weeks(db: &Db, scope: &str, limit: i64) -> Result<Vec<NaiveDate>> {
    db.query("SELECT week_start FROM weekly_summaries WHERE scope = ? ORDER BY week_start DESC LIMIT ?", &[text(scope), crate::db::int(limit)])?
        .map(|row| row.parsed("week_start", |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()))
}

/// The stored summary of `scope` for the week starting `week_start`.
pub fn find(db: &Db, scope: &str, week_start: NaiveDate) -> Result<Option<GroupStats>> {
    let raw = db
        .query("SELECT figures FROM weekly_summaries WHERE scope = ? AND week_start = ?", &[text(scope), text(week_start.to_string())])?
        .first(|row| row.text("figures"))?;
    Ok(match raw {
        Some(raw) => Some(serde_json::from_str(&raw)?),
        None => None,
    })
}
