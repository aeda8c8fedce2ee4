//! The statistics' rollups in SQLite (`stats_daily`): adding a change's
//! facts, reading sums back, and the rebuild from the event log.
//!
//! Which facts a change counts for is `lapor_domain::stats::facts_of`'s
//! business; this module only reads what that rule needs (the report's
//! groups, its running clock) and writes the cells the domain names.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use lapor_domain::agency::TimeZone;
use lapor_domain::calendar::Calendar;
use lapor_domain::event::EventType;
use lapor_domain::sla::ClockKind;
use lapor_domain::stats::{cells_of, facts_of, Happened, RunningClock, Audience, ChangeFacts, Dimension, Dims, EventExtras, Fact, Measure, Range, Sums};
use serde_json::json;

use crate::db::{int, text, Db};

pub mod read;
pub mod weekly;

/// The columns [`dims_from_row`] reads, from `reports r` joined with the
/// agency its days are counted by (`agencies a`, see [`DIMS_JOIN`]).
const DIMS_COLUMNS: &str = "r.agency, r.suggested_agency, r.unit, r.category, r.region, r.channel, r.visibility, a.timezone";
const DIMS_JOIN: &str = "LEFT JOIN agencies a ON a.code = coalesce(r.agency, r.suggested_agency)";

/// A report's groups and the zone its days are counted in (the responsible
/// agency's, else the named agency's, else WIB).
fn dims_from_row(row: &crate::row::Row<'_>) -> Result<(Dims, TimeZone)> {
    let dims = Dims {
        agency: row.opt_text("agency")?.or(row.opt_text("suggested_agency")?),
        unit: row.opt_text("unit")?,
        category: row.opt_text("category")?,
        region: row.opt_text("region")?,
        channel: row.text("channel")?,
        confidential: row.text("visibility")? == "confidential",
    };
    let zone = row.opt_text("timezone")?.and_then(|z| TimeZone::from_stored(&z)).unwrap_or(TimeZone::Wib);
    Ok((dims, zone))
}

/// The groups report `report_id` belongs to now, and the zone of its days.
pub fn dims_of(db: &Db, report_id: i64) -> Result<(Dims, TimeZone)> {
    let found = db
        .query(&format!("SELECT {DIMS_COLUMNS} FROM reports r {DIMS_JOIN} WHERE r.id = ?"), &[int(report_id)])?
        .first(|row| dims_from_row(&row))?;
    found.ok_or_else(|| anyhow::anyhow!("report {report_id} vanished inside its own transaction"))
}

/// How facts are kept on an event row (`report_events.data`).
pub fn event_data(facts: &[Fact]) -> Option<String> {
    (!facts.is_empty()).then(|| json!({ "stats": facts }).to_string())
}

/// The facts kept on an event row; none for rows from before statistics
/// (or written by a later version in a shape this one cannot read).
pub fn facts_in(data: Option<&str>) -> Vec<Fact> {
    #[derive(serde::Deserialize)]
    struct Stored {
        #[serde(default)]
        stats: Vec<Fact>,
    }
    data.and_then(|d| serde_json::from_str::<Stored>(d).ok()).map(|s| s.stats).unwrap_or_default()
}

/// The facts of report `report_id`'s filing (its `submitted` event).
pub fn received_facts(db: &Db, report_id: i64) -> Result<Vec<Fact>> {
    let data = db
        .query("SELECT data FROM report_events WHERE report_id = ? AND type = 'submitted' ORDER BY id LIMIT 1", &[int(report_id)])?
        .first(|row| row.opt_text("data"))?
        .flatten();
    Ok(facts_in(data.as_deref()))
}

/// Adds `facts`' cells to the rollups: one statement, however many cells.
/// Must run in the transaction of the change the facts describe.
pub fn record(db: &Db, facts: &[Fact]) -> Result<()> {
    let mut cells: BTreeMap<(Dimension, String, NaiveDate, bool, Measure), i64> = BTreeMap::new();
    for cell in facts.iter().flat_map(cells_of) {
        *cells.entry((cell.dimension, cell.key, cell.day, cell.confidential, cell.measure)).or_insert(0) += cell.delta;
    }
    let rows: Vec<_> = cells
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((dimension, key, day, confidential, measure), n)| json!([dimension.as_str(), key, day.to_string(), confidential as i64, measure.name(), n]))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let rows = text(serde_json::Value::Array(rows).to_string());
    db.execute(
        "INSERT INTO stats_daily (dimension, key, day, confidential, measure, n)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?1) WHERE true
         ON CONFLICT (dimension, key, day, confidential, measure) DO UPDATE SET n = n + excluded.n",
        &[rows.clone()],
    )?;
    db.execute(
        "INSERT INTO stats_now (dimension, key, confidential, measure, n)
         SELECT value ->> 0, value ->> 1, value ->> 3, value ->> 4, sum(value ->> 5) FROM json_each(?1)
          WHERE value ->> 4 IN (?2) GROUP BY 1, 2, 3, 4
         ON CONFLICT (dimension, key, confidential, measure) DO UPDATE SET n = n + excluded.n",
        &[rows, text(Measure::Overdue.name())],
    )?;
    Ok(())
}

/// What a rebuild recomputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rebuilt {
    pub events: i64,
    pub supports: i64,
    pub cells: i64,
}

/// Recomputes every rollup from the log: the facts on event rows and on
/// supports. Runs in one transaction (readers see the old table until it
/// commits), reading the log in pages so no query returns it whole.
pub fn rebuild(db: &Db) -> Result<Rebuilt> {
    const PAGE: i64 = 2_000;
    db.transaction(|db| -> Result<Rebuilt> {
        db.execute("DELETE FROM stats_daily", &[])?;
        db.execute("DELETE FROM stats_now", &[])?;
        let mut events = 0;
        let mut after = 0;
        loop {
            let page = db
                .query("SELECT id, data FROM report_events WHERE id > ? AND data IS NOT NULL ORDER BY id LIMIT ?", &[int(after), int(PAGE)])?
                .map(|row| Ok((row.int("id")?, row.opt_text("data")?)))?;
            let Some((last, _)) = page.last() else { break };
            after = *last;
            events += page.len() as i64;
            let facts: Vec<Fact> = page.iter().flat_map(|(_, data)| facts_in(data.as_deref())).collect();
            record(db, &facts)?;
        }
        let mut supports = 0;
        let mut after = (0i64, String::new());
        loop {
            let page = db
                .query(
                    "SELECT report_id, identity, fact FROM supports WHERE (report_id, identity) > (?, ?) AND fact IS NOT NULL
                      ORDER BY report_id, identity LIMIT ?",
                    &[int(after.0), text(after.1.clone()), int(PAGE)],
                )?
                .map(|row| Ok((row.int("report_id")?, row.text("identity")?, row.text("fact")?)))?;
            let Some((report_id, identity, _)) = page.last() else { break };
            after = (*report_id, identity.clone());
            supports += page.len() as i64;
            let facts: Vec<Fact> = page.iter().filter_map(|(_, _, fact)| serde_json::from_str(fact).ok()).collect();
            record(db, &facts)?;
        }
        let cells = db.query("SELECT count(*) AS n FROM stats_daily", &[])?.first(|row| row.int("n"))?.unwrap_or(0);
        Ok(Rebuilt { events, supports, cells })
    })
}

/// `AND confidential = 0` where `audience` must not count confidential reports.
fn confidential_filter(audience: Audience, dimension: Dimension) -> &'static str {
    if audience.counts_confidential(dimension) {
        ""
    } else {
        " AND confidential = 0"
    }
}

fn add_row(sums: &mut Sums, measure: &str, n: i64) {
    // A measure this build does not know (written by a newer one) is skipped.
    if let Some(measure) = Measure::from_name(measure) {
        sums.add(measure, n);
    }
}

/// One group's sums per day of `range` (days with nothing are absent).
pub fn daily(db: &Db, dimension: Dimension, key: &str, range: &Range, audience: Audience) -> Result<BTreeMap<NaiveDate, Sums>> {
    let filter = confidential_filter(audience, dimension);
    let rows = db.query(
        &format!(
            "SELECT day, measure, sum(n) AS n FROM stats_daily
              WHERE dimension = ? AND key = ? AND day BETWEEN ? AND ?{filter} GROUP BY day, measure"
        ),
        &[text(dimension.as_str()), text(key), text(range.from.to_string()), text(range.to.to_string())],
    )?;
    let mut days: BTreeMap<NaiveDate, Sums> = BTreeMap::new();
    for row in rows.iter() {
        let day = row.parsed("day", |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?;
        add_row(days.entry(day).or_default(), &row.text("measure")?, row.int("n")?);
    }
    Ok(days)
}

/// Every key of `dimension` with its sums over `range` (keys starting with
/// `prefix`, e.g. a province's regencies `"32."`).
pub fn by_key(db: &Db, dimension: Dimension, prefix: &str, range: &Range, audience: Audience) -> Result<BTreeMap<String, Sums>> {
    let filter = confidential_filter(audience, dimension);
    let rows = db.query(
        &format!(
            "SELECT key, measure, sum(n) AS n FROM stats_daily
              WHERE dimension = ? AND day BETWEEN ? AND ? AND substr(key, 1, length(?4)) = ?4{filter} GROUP BY key, measure"
        ),
        &[text(dimension.as_str()), text(range.from.to_string()), text(range.to.to_string()), text(prefix)],
    )?;
    let mut keys: BTreeMap<String, Sums> = BTreeMap::new();
    for row in rows.iter() {
        add_row(keys.entry(row.text("key")?).or_default(), &row.text("measure")?, row.int("n")?);
    }
    Ok(keys)
}

/// Missed response deadlines not yet answered, per key of `dimension`
/// (the overdue measure summed over all days, kept in `stats_now`).
pub fn overdue_now(db: &Db, dimension: Dimension, prefix: &str, audience: Audience) -> Result<BTreeMap<String, i64>> {
    let filter = confidential_filter(audience, dimension);
    let rows = db.query(
        &format!(
            "SELECT key, sum(n) AS n FROM stats_now
              WHERE dimension = ? AND measure = ?3 AND substr(key, 1, length(?2)) = ?2{filter} GROUP BY key"
        ),
        &[text(dimension.as_str()), text(prefix), text(Measure::Overdue.name())],
    )?;
    rows.map(|row| Ok((row.text("key")?, row.int("n")?))).map(|v| v.into_iter().collect())
}

/// The facts of an event that changes none of the report's groups or
/// clocks (filing, a rating), read in the event's transaction.
pub fn facts_of_event(db: &Db, report_id: i64, at: &str, event: EventType, extras: EventExtras) -> Result<Vec<Fact>> {
    let (dims, zone) = dims_of(db, report_id)?;
    let at = crate::sla::parse_time(at).ok_or_else(|| anyhow::anyhow!("unreadable event time {at}"))?;
    let calendar = Calendar::default();
    Ok(facts_of(&ChangeFacts { extras, ..ChangeFacts::unchanged(event, at, &dims, zone, &calendar) }))
}

/// When the running response clock of report `report_id` started: its
/// latest dispatch, forward or reporter reply.
pub fn response_clock_started(db: &Db, report_id: i64) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let at = db
        .query(
            "SELECT at FROM report_events WHERE report_id = ? AND type IN ('dispatched', 'forwarded', 'reporter_reply') ORDER BY id DESC LIMIT 1",
            &[int(report_id)],
        )?
        .first(|row| row.text("at"))?;
    Ok(at.as_deref().and_then(crate::sla::parse_time))
}

/// The facts of the sweep's `event` for each report of its batch
/// (`sweep_batch`, before the batch is marked): (report id, facts), only
/// reports with some. A completion is automatic; an escalation of a
/// response deadline makes the report overdue.
pub fn sweep_facts(db: &Db, event: EventType, now: &str) -> Result<Vec<(i64, Vec<Fact>)>> {
    if !matches!(event, EventType::Completed | EventType::SlaEscalated) {
        return Ok(Vec::new());
    }
    let at = crate::sla::parse_time(now).ok_or_else(|| anyhow::anyhow!("unreadable time {now}"))?;
    let calendar = Calendar::default();
    let batch = db
        .query(
            &format!(
                "SELECT r.id, {DIMS_COLUMNS}, r.clock, r.clock_due, r.clock_escalated
                   FROM sweep_batch b JOIN reports r ON r.id = b.id {DIMS_JOIN} ORDER BY r.id"
            ),
            &[],
        )?
        .map(|row| {
            let (dims, zone) = dims_from_row(&row)?;
            let running = match (row.opt_parsed("clock", ClockKind::from_stored)?, row.opt_parsed("clock_due", crate::sla::parse_time)?) {
                (Some(kind), Some(due)) => Some(RunningClock { kind, due, escalated: row.flag("clock_escalated")?, started_at: None }),
                _ => None,
            };
            Ok((row.int("id")?, dims, zone, running))
        })?;
    Ok(batch
        .into_iter()
        .map(|(id, dims, zone, running)| {
            let facts = facts_of(&ChangeFacts {
                running,
                // A completion ends the completion clock, never a response one.
                clock_stopped: event == EventType::Completed,
                extras: EventExtras { automatic: true, ..EventExtras::default() },
                ..ChangeFacts::unchanged(event, at, &dims, zone, &calendar)
            });
            (id, facts)
        })
        .filter(|(_, facts)| !facts.is_empty())
        .collect())
}

/// Every key of `dimension` (starting with `prefix`) with its sums per day
/// of `range`: the CSV export's one read.
pub fn daily_by_key(db: &Db, dimension: Dimension, prefix: &str, range: &Range, audience: Audience) -> Result<BTreeMap<String, BTreeMap<NaiveDate, Sums>>> {
    let filter = confidential_filter(audience, dimension);
    let rows = db.query(
        &format!(
            "SELECT key, day, measure, sum(n) AS n FROM stats_daily
              WHERE dimension = ? AND day BETWEEN ? AND ? AND substr(key, 1, length(?4)) = ?4{filter} GROUP BY key, day, measure"
        ),
        &[text(dimension.as_str()), text(range.from.to_string()), text(range.to.to_string()), text(prefix)],
    )?;
    let mut keys: BTreeMap<String, BTreeMap<NaiveDate, Sums>> = BTreeMap::new();
    for row in rows.iter() {
        let day = row.parsed("day", |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?;
        add_row(keys.entry(row.text("key")?).or_default().entry(day).or_default(), &row.text("measure")?, row.int("n")?);
    }
    Ok(keys)
}

/// Keeps, on each report whose change added an "overdue" count (the
/// sweep's escalation, or the count moving with the report to a unit), that
/// count, so the clock's end takes back exactly it (`ChangeFacts::escalation`).
pub fn remember_escalations<'a>(db: &Db, facts: impl IntoIterator<Item = (i64, &'a [Fact])>) -> Result<()> {
    let escalations: Vec<_> = facts
        .into_iter()
        .filter_map(|(id, facts)| facts.iter().find(|f| f.happened == Happened::Overdue && f.weight > 0).map(|f| (id, f)))
        .map(|(id, fact)| serde_json::to_string(fact).map(|f| json!([id, f])))
        .collect::<Result<_, _>>()?;
    if escalations.is_empty() {
        return Ok(());
    }
    db.execute(
        "UPDATE reports SET overdue_fact = e.value ->> 1 FROM json_each(?1) AS e WHERE reports.id = e.value ->> 0",
        &[text(serde_json::Value::Array(escalations).to_string())],
    )?;
    Ok(())
}
