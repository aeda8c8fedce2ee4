//! Reports in SQLite: the queries every component shares.
//!
//! Public read paths select [`REPORT_COLUMNS`] from `reports` only; the
//! `reporters` table (identity) is written here and read only by
//! administrator code, so no public query can return a phone number.

use anyhow::Result;
use lapor_domain::event::EventType;
use lapor_domain::follow::FollowChannel;
use lapor_domain::lifecycle::{ActorRole, Status};
use lapor_domain::privacy::Privacy;
use lapor_domain::report::{Channel, Kind, NewReport};
use lapor_domain::view::{EventRecord, EventVisibility, QueueItem, ReportRecord, StoredIdentity};
use spin_sdk::sqlite3::Value;

use crate::db::{int, is_unique_violation, opt_real, opt_text, text, Db};
use crate::row::Row;

/// Columns of `reports` that public and reporter views may read.
pub(crate) const REPORT_COLUMNS: &str = "id, tracking_id, kind, title, body, category, agency, region, lat, lon, address, \
     incident_date, visibility, reporter_identity, status, public_reporter_name, created_at, updated_at, verified_at, \
     verification_due, response_due, completion_due, suggested_agency, channel";

/// A stored report with its row id and token data.
pub struct StoredReport {
    pub id: i64,
    pub record: ReportRecord,
    pub reporter_token_hash: String,
}

/// The privacy columns of a row. A value this build does not know fails
/// closed (the most private reading), a missing column is an error.
pub(crate) fn stored_privacy(row: &Row<'_>) -> Result<Privacy> {
    Ok(Privacy::from_stored(&row.text("visibility")?, &row.text("reporter_identity")?))
}

pub(crate) fn record(row: Row<'_>) -> Result<(i64, ReportRecord)> {
    let record = ReportRecord {
        tracking_id: row.text("tracking_id")?,
        kind: row.parsed("kind", Kind::from_stored)?,
        title: row.text("title")?,
        body: row.text("body")?,
        category: row.opt_text("category")?,
        agency: row.opt_text("agency")?,
        region: row.opt_text("region")?,
        lat: row.opt_real("lat")?,
        lon: row.opt_real("lon")?,
        address: row.opt_text("address")?,
        incident_date: row.opt_text("incident_date")?,
        privacy: stored_privacy(&row)?,
        status: row.parsed("status", Status::from_stored)?,
        public_reporter_name: row.opt_text("public_reporter_name")?,
        created_at: row.text("created_at")?,
        updated_at: row.text("updated_at")?,
        verified_at: row.opt_text("verified_at")?,
        suggested_agency: row.opt_text("suggested_agency")?,
        verification_due: row.opt_text("verification_due")?,
        response_due: row.opt_text("response_due")?,
        completion_due: row.opt_text("completion_due")?,
        channel: row.text("channel")?,
    };
    Ok((row.int("id")?, record))
}

/// What identifies a submission made with an `Idempotency-Key`.
pub struct IdempotencyRecord {
    pub key_hash: String,
    pub fingerprint: String,
    pub token_salt: String,
}

/// The earlier submission a retried `Idempotency-Key` refers to.
pub struct PriorSubmission {
    pub tracking_id: String,
    pub fingerprint: String,
    pub token_salt: String,
    pub privacy: Privacy,
    pub created_at: String,
    pub reporter_token_hash: String,
}

pub fn find_by_idempotency_key(db: &Db, key_hash: &str) -> Result<Option<PriorSubmission>> {
    db.query(
        "SELECT tracking_id, request_hash, token_salt, visibility, reporter_identity, created_at, reporter_token_hash
         FROM reports WHERE idempotency_key_hash = ?",
        &[text(key_hash)],
    )?
    .first(|row| {
        Ok(PriorSubmission {
            tracking_id: row.text("tracking_id")?,
            // Written with the key, in the same statement.
            fingerprint: row.text("request_hash")?,
            token_salt: row.text("token_salt")?,
            privacy: stored_privacy(&row)?,
            created_at: row.text("created_at")?,
            reporter_token_hash: row.text("reporter_token_hash")?,
        })
    })
}

/// Why an insert did not happen.
pub enum InsertOutcome {
    Inserted { id: i64 },
    /// The random tracking ID is taken (about once in 10^13): draw again.
    TrackingIdTaken,
}

/// Inserts a report, its reporter (if any) and its `submitted` event.
/// Must run inside a transaction (the caller's), so all three or none land.
pub fn insert_report(
    db: &Db,
    report: &NewReport,
    channel: &Channel,
    tracking_id: &str,
    reporter_token_hash: &str,
    idempotency: Option<&IdempotencyRecord>,
    clock: &lapor_domain::sla::Clock,
    now: &str,
) -> Result<InsertOutcome> {
    let public_name = report.privacy.name_is_public().then(|| report.reporter.name.as_ref().map(|n| n.as_str().to_string())).flatten();
    let location = report.location.as_ref();
    // The reporter's agency is a suggestion until an administrator dispatches.
    let inserted = db.execute(
        "INSERT INTO reports (tracking_id, kind, title, body, category, suggested_agency, region, lat, lon, address,
             incident_date, visibility, reporter_identity, public_reporter_name, status, channel, reporter_token_hash,
             idempotency_key_hash, request_hash, token_salt, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?)",
        &[
            text(tracking_id),
            text(report.kind.as_str()),
            text(report.title.as_str()),
            text(report.body.as_str()),
            opt_text(report.category.as_ref().map(|c| c.as_str())),
            opt_text(report.agency.as_ref().map(|a| a.as_str())),
            opt_text(report.region.as_ref().map(|r| r.as_str())),
            opt_real(location.map(|l| l.lat)),
            opt_real(location.map(|l| l.lon)),
            opt_text(location.and_then(|l| l.address.as_ref()).or(report.address.as_ref()).map(|a| a.as_str())),
            opt_text(report.incident_date.map(|d| d.date().to_string())),
            text(report.privacy.visibility.as_str()),
            text(report.privacy.identity.as_str()),
            opt_text(public_name),
            text(channel.as_string()),
            text(reporter_token_hash),
            opt_text(idempotency.map(|i| i.key_hash.as_str())),
            opt_text(idempotency.map(|i| i.fingerprint.as_str())),
            opt_text(idempotency.map(|i| i.token_salt.as_str())),
            text(now),
            text(now),
        ],
    );
    if let Err(e) = inserted {
        if is_unique_violation(&e, "reports.tracking_id") {
            return Ok(InsertOutcome::TrackingIdTaken);
        }
        return Err(e);
    }
    let id = db.last_insert_rowid();
    let columns = crate::sla::clock_columns(Some(clock));
    let assignments: Vec<String> = columns.iter().map(|(c, _)| format!("{c} = ?")).collect();
    let mut params: Vec<Value> = columns.into_iter().map(|(_, v)| v).collect();
    params.push(int(id));
    db.execute(&format!("UPDATE reports SET {} WHERE id = ?", assignments.join(", ")), &params)?;
    if !report.reporter.is_empty() {
        db.execute(
            "INSERT INTO reporters (report_id, name, phone, email) VALUES (?, ?, ?, ?)",
            &[
                int(id),
                opt_text(report.reporter.name.as_ref().map(|n| n.as_str())),
                opt_text(report.reporter.phone.as_ref().map(|p| p.as_str())),
                opt_text(report.reporter.email.as_ref().map(|e| e.as_str())),
            ],
        )?;
        // The reporter follows their own report on the contacts they left.
        let reporter = lapor_domain::engagement::Identity::Reporter { report_id: id }.key();
        let contacts = [
            (channel.phone_follow_channel(), report.reporter.phone.as_ref().map(|p| p.as_str())),
            (FollowChannel::Email, report.reporter.email.as_ref().map(|e| e.as_str())),
        ];
        for (channel, address) in contacts {
            if let Some(address) = address {
                crate::engagement::follow(db, id, &reporter, channel, address, None, true, now)?;
            }
        }
    }
    let facts = crate::stats::facts_of_event(db, id, now, EventType::Submitted, lapor_domain::stats::EventExtras::default())?;
    append_event(db, id, now, EventType::Submitted, ActorRole::Reporter, None, EventVisibility::Public, None, &facts)?;
    Ok(InsertOutcome::Inserted { id })
}

/// Appends one event to a report's history (never updated, never deleted)
/// and, in the same transaction, the notifications it owes followers and
/// the statistics' counts of its `facts` (kept on the row, so the rollups
/// can be recomputed from the log).
#[allow(clippy::too_many_arguments)]
pub fn append_event(
    db: &Db,
    report_id: i64,
    at: &str,
    event_type: EventType,
    actor_role: ActorRole,
    actor_id: Option<&str>,
    visibility: EventVisibility,
    event_text: Option<&str>,
    facts: &[lapor_domain::stats::Fact],
) -> Result<()> {
    db.execute(
        "INSERT INTO report_events (report_id, at, type, actor_role, actor_id, visibility, text, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        &[
            int(report_id),
            text(at),
            text(event_type.as_str()),
            text(actor_role.as_str()),
            opt_text(actor_id),
            text(visibility.as_str()),
            opt_text(event_text),
            opt_text(crate::stats::event_data(facts)),
        ],
    )?;
    let event_id = db.last_insert_rowid();
    crate::notify::enqueue_for_event(db, event_id, event_type, visibility, at)?;
    crate::stats::record(db, facts)?;
    Ok(())
}

pub fn find_report(db: &Db, tracking_id: &str) -> Result<Option<StoredReport>> {
    db.query(&format!("SELECT {REPORT_COLUMNS}, reporter_token_hash FROM reports WHERE tracking_id = ?"), &[text(tracking_id)])?
        .first(|row| {
            let (id, record) = record(row)?;
            Ok(StoredReport { id, record, reporter_token_hash: row.text("reporter_token_hash")? })
        })
}

/// Whether `phone` is the proved number of report `report_id`'s reporter:
/// the report came by SMS or WhatsApp (`Channel::proves_reporter_phone`)
/// from that number.
pub fn phone_proved_reporter(db: &Db, report_id: i64, phone: &lapor_domain::contact::PhoneNumber) -> Result<bool> {
    let found = db
        .query(
            "SELECT r.channel FROM reports r JOIN reporters p ON p.report_id = r.id WHERE r.id = ? AND p.phone = ?",
            &[int(report_id), text(phone.as_str())],
        )?
        .first(|row| row.text("channel"))?;
    Ok(found.is_some_and(|channel| Channel::proves_reporter_phone(&channel)))
}

/// Records the reporter's rating; `false` (and nothing written) when the
/// report was rated before. Must run inside the caller's transaction.
pub fn insert_rating(db: &Db, report_id: i64, score: i64, comment: Option<&str>, now: &str) -> Result<bool> {
    if !db.query("SELECT 1 AS x FROM ratings WHERE report_id = ?", &[int(report_id)])?.is_empty() {
        return Ok(false);
    }
    db.execute(
        "INSERT INTO ratings (report_id, score, comment, at) VALUES (?, ?, ?, ?)",
        &[int(report_id), int(score), opt_text(comment), text(now)],
    )?;
    Ok(true)
}

/// (supports, visible comments) of a report, as counted on its row.
pub fn engagement_counts(db: &Db, report_id: i64) -> Result<(i64, i64)> {
    let counts = db
        .query("SELECT support_count, comment_count FROM reports WHERE id = ?", &[int(report_id)])?
        .first(|row| Ok((row.int("support_count")?, row.int("comment_count")?)))?;
    Ok(counts.unwrap_or((0, 0)))
}

pub fn events(db: &Db, report_id: i64) -> Result<Vec<EventRecord>> {
    db.query("SELECT at, type, actor_role, visibility, text FROM report_events WHERE report_id = ? ORDER BY id", &[int(report_id)])?.map(
        |row| {
            Ok(EventRecord {
                at: row.text("at")?,
                event_type: row.parsed("type", EventType::from_stored)?,
                actor_role: row.text("actor_role")?,
                // A visibility this build does not know fails closed.
                visibility: EventVisibility::from_stored(&row.text("visibility")?).unwrap_or(EventVisibility::Staff),
                text: row.opt_text("text")?,
            })
        },
    )
}

/// Filters of the public listing; all optional.
#[derive(Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub agency: Option<String>,
    pub category: Option<String>,
    pub region: Option<String>,
    /// Words that must all appear in the title or body.
    pub words: Vec<String>,
    /// Continue after this (created_at, id).
    pub after: Option<(String, i64)>,
    /// Also list reports no administrator has verified yet (the Spin
    /// variable `publish_unverified_reports`; off by default).
    pub include_unverified: bool,
}

/// Reports of public visibility (named or anonymous), verified unless the
/// filter says otherwise, newest first, `limit` of them.
pub fn list_public(db: &Db, filter: &ListFilter, limit: u32) -> Result<Vec<(i64, ReportRecord)>> {
    let mut sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE visibility = 'public'");
    if !filter.include_unverified {
        sql.push_str(" AND verified_at IS NOT NULL");
    }
    let mut params: Vec<Value> = Vec::new();
    if let Some(status) = filter.status {
        sql.push_str(" AND status = ?");
        params.push(text(status.as_str()));
    }
    for (column, value) in [("agency", &filter.agency), ("category", &filter.category)] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {column} = ?"));
            params.push(text(value.as_str()));
        }
    }
    if let Some(region) = &filter.region {
        // A province or regency code also matches the regions inside it.
        sql.push_str(" AND (region = ? OR region LIKE ? ESCAPE '\\')");
        params.push(text(region.as_str()));
        params.push(text(format!("{}.%", escape_like(region))));
    }
    for word in &filter.words {
        sql.push_str(" AND (title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')");
        let pattern = format!("%{}%", escape_like(word));
        params.push(text(pattern.clone()));
        params.push(text(pattern));
    }
    if let Some((created_at, id)) = &filter.after {
        sql.push_str(" AND (created_at < ? OR (created_at = ? AND id < ?))");
        params.push(text(created_at.as_str()));
        params.push(text(created_at.as_str()));
        params.push(int(*id));
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT ?");
    params.push(int(i64::from(limit)));
    db.query(&sql, &params)?.map(record)
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Attachments of a report, in upload order: (public id, kind, size).
pub fn attachments(db: &Db, report_id: i64) -> Result<Vec<(String, String, i64)>> {
    db.query("SELECT public_id, kind, size FROM attachments WHERE report_id = ? ORDER BY id", &[int(report_id)])?
        .map(|row| Ok((row.text("public_id")?, row.text("kind")?, row.int("size")?)))
}

pub fn attachment_count(db: &Db, report_id: i64) -> Result<usize> {
    let count = db.query("SELECT count(*) AS n FROM attachments WHERE report_id = ?", &[int(report_id)])?.first(|row| row.int("n"))?;
    Ok(count.unwrap_or(0) as usize)
}

pub fn insert_attachment(
    db: &Db,
    report_id: i64,
    public_id: &str,
    kind: &str,
    data: &[u8],
    sha256: &str,
    now: &str,
) -> Result<()> {
    db.execute(
        "INSERT INTO attachments (public_id, report_id, kind, size, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[
            text(public_id),
            int(report_id),
            text(kind),
            int(data.len() as i64),
            text(sha256),
            Value::Blob(data.to_vec()),
            text(now),
        ],
    )?;
    Ok(())
}

/// An attachment's kind and bytes, if it belongs to `report_id`.
pub fn attachment_data(db: &Db, report_id: i64, public_id: &str) -> Result<Option<(String, Vec<u8>)>> {
    db.query("SELECT kind, data FROM attachments WHERE report_id = ? AND public_id = ?", &[int(report_id), text(public_id)])?
        .first(|row| Ok((row.text("kind")?, row.blob("data")?)))
}

/// One agency of the directory.
pub struct AgencyRow {
    pub code: String,
    pub name: String,
    pub agency_type: String,
    pub parent: Option<String>,
    pub region: Option<String>,
    pub timezone: String,
}

impl From<&AgencyRow> for lapor_domain::view::AgencyView {
    fn from(row: &AgencyRow) -> Self {
        lapor_domain::view::AgencyView {
            code: row.code.clone(),
            name: row.name.clone(),
            agency_type: row.agency_type.clone(),
            parent: row.parent.clone(),
            region: row.region.clone(),
            timezone: row.timezone.clone(),
        }
    }
}

fn agency_row(row: Row<'_>) -> Result<AgencyRow> {
    Ok(AgencyRow {
        code: row.text("code")?,
        name: row.text("name")?,
        agency_type: row.text("type")?,
        parent: row.opt_text("parent")?,
        region: row.opt_text("region")?,
        timezone: row.text("timezone")?,
    })
}

/// Filters of the agency directory; all optional.
#[derive(Default)]
pub struct AgencyFilter {
    pub agency_type: Option<String>,
    /// A region code: agencies of that region and of the regions inside it.
    pub region: Option<String>,
    /// Words that must all appear in the name (or the code).
    pub words: Vec<String>,
    /// Continue after this code.
    pub after: Option<String>,
}

/// Agencies ordered by code, `limit` of them.
pub fn list_agencies(db: &Db, filter: &AgencyFilter, limit: u32) -> Result<Vec<AgencyRow>> {
    let mut sql = String::from("SELECT code, name, type, parent, region, timezone FROM agencies WHERE 1 = 1");
    let mut params: Vec<Value> = Vec::new();
    if let Some(agency_type) = &filter.agency_type {
        sql.push_str(" AND type = ?");
        params.push(text(agency_type.as_str()));
    }
    if let Some(region) = &filter.region {
        sql.push_str(" AND (region = ? OR region LIKE ? ESCAPE '\\')");
        params.push(text(region.as_str()));
        params.push(text(format!("{}.%", escape_like(region))));
    }
    for word in &filter.words {
        sql.push_str(" AND (name_lower LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')");
        let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
        params.push(text(pattern.clone()));
        params.push(text(pattern));
    }
    if let Some(after) = &filter.after {
        sql.push_str(" AND code > ?");
        params.push(text(after.as_str()));
    }
    sql.push_str(" ORDER BY code LIMIT ?");
    params.push(int(i64::from(limit)));
    db.query(&sql, &params)?.map(agency_row)
}

pub fn find_agency(db: &Db, code: &str) -> Result<Option<AgencyRow>> {
    db.query("SELECT code, name, type, parent, region, timezone FROM agencies WHERE code = ?", &[text(code)])?.first(agency_row)
}

/// An agency's work units: (code, name).
pub fn units(db: &Db, agency: &str) -> Result<Vec<(String, String)>> {
    db.query("SELECT code, name FROM units WHERE agency = ? ORDER BY code", &[text(agency)])?.map(|row| Ok((row.text("code")?, row.text("name")?)))
}

/// A reporter's identity: (name, phone, email). The only read of the
/// `reporters` table; callers must have checked
/// `Privacy::identity_visible_to` for the viewer first.
pub fn reporter_identity_for_entitled_staff(db: &Db, report_id: i64) -> Result<Option<StoredIdentity>> {
    db.query("SELECT name, phone, email FROM reporters WHERE report_id = ?", &[int(report_id)])?.first(|row| {
        Ok(StoredIdentity { name: row.opt_text("name")?, phone: row.opt_text("phone")?, email: row.opt_text("email")? })
    })
}

/// Records that a staff member read a reporter's identity.
pub fn log_identity_read(db: &Db, report_id: i64, staff_id: &str, at: &str) -> Result<()> {
    db.execute(
        "INSERT INTO identity_reads (report_id, staff_id, at) VALUES (?, ?, ?)",
        &[int(report_id), text(staff_id), text(at)],
    )?;
    Ok(())
}

/// Which reports a staff queue covers: its scope (an agency) and its
/// filters other than the status. The list and its counts share it, so a
/// count never covers a report the list would not show.
#[derive(Default)]
pub struct StaffScope<'a> {
    pub agency: Option<&'a str>,
    pub unit: Option<&'a str>,
}

impl StaffScope<'_> {
    /// ` AND ...` conditions with their parameters.
    fn conditions(&self) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut params = Vec::new();
        for (column, value) in [("agency", self.agency), ("unit", self.unit)] {
            if let Some(value) = value {
                sql.push_str(&format!(" AND {column} = ?"));
                params.push(text(value));
            }
        }
        (sql, params)
    }
}

/// Staff listings: reports of `scope`, optionally in one status, oldest
/// first (a queue is worked from its oldest end), continuing after the
/// (created_at, id) `after`; `limit` of them, each with its row id.
pub fn list_for_staff(
    db: &Db,
    status: Option<Status>,
    scope: &StaffScope<'_>,
    after: Option<&(String, i64)>,
    limit: u32,
) -> Result<Vec<(i64, QueueItem)>> {
    let (conditions, mut params) = scope.conditions();
    let mut sql = format!(
        "SELECT id, tracking_id, kind, title, status, visibility, reporter_identity, agency, unit, category, region, created_at, updated_at, version,
                verification_due, response_due, completion_due
         FROM reports WHERE 1 = 1{conditions}"
    );
    if let Some(status) = status {
        sql.push_str(" AND status = ?");
        params.push(text(status.as_str()));
    }
    if let Some((created_at, id)) = after {
        sql.push_str(" AND (created_at > ? OR (created_at = ? AND id > ?))");
        params.push(text(created_at.as_str()));
        params.push(text(created_at.as_str()));
        params.push(int(*id));
    }
    sql.push_str(" ORDER BY created_at, id LIMIT ?");
    params.push(int(i64::from(limit)));
    db.query(&sql, &params)?.map(|row| {
        let item = QueueItem {
            agency: row.opt_text("agency")?,
            category: row.opt_text("category")?,
            completion_due: row.opt_text("completion_due")?,
            created_at: row.text("created_at")?,
            kind: row.text("kind")?,
            privacy: stored_privacy(&row)?,
            region: row.opt_text("region")?,
            response_due: row.opt_text("response_due")?,
            status: row.text("status")?,
            title: row.text("title")?,
            tracking_id: row.text("tracking_id")?,
            unit: row.opt_text("unit")?,
            updated_at: row.text("updated_at")?,
            verification_due: row.opt_text("verification_due")?,
            version: row.int("version")?,
        };
        Ok((row.int("id")?, item))
    })
}

/// How many reports of `scope` are in each status (every status, zeros included).
pub fn staff_counts(db: &Db, scope: &StaffScope<'_>) -> Result<Vec<(Status, i64)>> {
    let (conditions, params) = scope.conditions();
    let counted: Vec<(String, i64)> = db
        .query(&format!("SELECT status, count(*) AS n FROM reports WHERE 1 = 1{conditions} GROUP BY status"), &params)?
        .map(|row| Ok((row.text("status")?, row.int("n")?)))?;
    Ok(Status::ALL
        .into_iter()
        .map(|status| (status, counted.iter().find(|(s, _)| s == status.as_str()).map_or(0, |(_, n)| *n)))
        .collect())
}

pub fn unit_belongs_to(db: &Db, unit: &str, agency: &str) -> Result<bool> {
    Ok(!db.query("SELECT 1 AS ok FROM units WHERE code = ? AND agency = ?", &[text(unit), text(agency)])?.is_empty())
}
