//! Moving a report through its lifecycle, safely under concurrency.
//!
//! Every change runs inside `BEGIN IMMEDIATE` (see `Db::transaction`): the
//! state is read and written under the write lock, the transition is checked
//! by `lapor_domain::lifecycle`, and the UPDATE is conditional on the version
//! read. Two staff acting at once are serialised; the second sees the first's
//! result, and if its action no longer applies it gets 409 with the current
//! state. A client may also send `If-Match: "<version>"` to insist on the
//! state it last saw.

use lapor_domain::event::EventType;
use lapor_domain::lang::Lang;
use lapor_domain::lifecycle::{Action, ActorRole, Status};
use lapor_domain::privacy::Privacy;
use lapor_domain::problem::ProblemKind;
use lapor_domain::sla::{Clock, ClockKind};
use lapor_domain::stats::{facts_of, ChangeFacts, EventExtras, RunningClock};
use lapor_domain::view::EventVisibility;
use serde_json::{json, Map, Value};
use spin_sdk::sqlite3::Value as SqlValue;

use crate::db::{int, opt_text, text, Db};
use crate::request::ApiRequest;
use crate::response::ApiError;
use crate::{sla, stats, store};

/// What a transition needs to know about a report.
#[derive(Debug, Clone)]
pub struct ReportState {
    pub id: i64,
    pub tracking_id: String,
    pub status: Status,
    pub version: i64,
    pub agency: Option<String>,
    pub unit: Option<String>,
    pub privacy: Privacy,
    /// The running clock, its due time (UTC), and whether the sweep
    /// escalated it (its deadline was missed).
    pub clock: Option<ClockKind>,
    pub clock_due: Option<String>,
    pub clock_escalated: bool,
    /// The "overdue" count the clock's escalation added (statistics).
    pub overdue_fact: Option<String>,
    /// When an `on_hold` started, and the verification due it paused.
    pub held_at: Option<String>,
    pub paused_due: Option<String>,
}

pub fn load_state(db: &Db, tracking_id: &str) -> anyhow::Result<Option<ReportState>> {
    db.query(
        "SELECT id, tracking_id, status, version, agency, unit, visibility, reporter_identity, clock, clock_due, clock_escalated, overdue_fact,
                held_at, paused_due
           FROM reports WHERE tracking_id = ?",
        &[text(tracking_id)],
    )?
    .first(|row| {
        Ok(ReportState {
            id: row.int("id")?,
            tracking_id: row.text("tracking_id")?,
            status: row.parsed("status", Status::from_stored)?,
            version: row.int("version")?,
            agency: row.opt_text("agency")?,
            unit: row.opt_text("unit")?,
            privacy: store::stored_privacy(&row)?,
            clock: row.opt_parsed("clock", ClockKind::from_stored)?,
            clock_due: row.opt_text("clock_due")?,
            clock_escalated: row.flag("clock_escalated")?,
            overdue_fact: row.opt_text("overdue_fact")?,
            held_at: row.opt_text("held_at")?,
            paused_due: row.opt_text("paused_due")?,
        })
    })
}

/// A further event recorded with a change (e.g. a forward's internal reason).
pub struct NewEvent {
    pub event_type: EventType,
    pub visibility: EventVisibility,
    pub text: Option<String>,
}

/// A change to apply to a report. Its own event's type is the action's
/// (`Action::event_type`), so no handler names it.
pub struct Change {
    pub action: Action,
    pub actor_role: ActorRole,
    pub actor_id: Option<String>,
    /// What else the change sets on the report.
    pub set: Vec<Update>,
    /// Who sees the action's event, and its text.
    pub visibility: EventVisibility,
    pub text: Option<String>,
    pub also: Vec<NewEvent>,
}

/// What a change sets on a report besides its status and version. Each
/// names what it means; only [`Update::columns`] knows the columns.
#[derive(Debug, Clone)]
pub enum Update {
    /// Now with this agency, in none of its work units yet.
    Agency(String),
    Unit(String),
    /// An administrator verified it (it may be listed publicly from now).
    Verified { at: String },
    Category(String),
    /// The published name goes unless the new privacy still publishes it.
    Privacy(Privacy),
    /// The running clock, or none.
    Clock(Option<Clock>),
    /// Put on hold at `at`; the paused verification deadline, to resume it.
    Hold { at: String, paused_due: Option<String> },
    Archive { reason: String, duplicate_of: Option<String> },
}

impl Update {
    fn columns(self) -> Vec<(&'static str, SqlValue)> {
        match self {
            Update::Agency(code) => vec![("agency", text(code)), ("unit", SqlValue::Null)],
            Update::Unit(code) => vec![("unit", text(code))],
            Update::Verified { at } => vec![("verified_at", text(at))],
            Update::Category(code) => vec![("category", text(code))],
            Update::Privacy(privacy) => {
                let mut columns = vec![("visibility", text(privacy.visibility.as_str())), ("reporter_identity", text(privacy.identity.as_str()))];
                if !privacy.name_is_public() {
                    columns.push(("public_reporter_name", SqlValue::Null));
                }
                columns
            }
            Update::Clock(clock) => sla::clock_columns(clock.as_ref()),
            Update::Hold { at, paused_due } => vec![("held_at", text(at)), ("paused_due", opt_text(paused_due))],
            Update::Archive { reason, duplicate_of } => vec![("archive_reason", text(reason)), ("duplicate_of", opt_text(duplicate_of))],
        }
    }
}

/// 409 with the report's current state as extension members.
pub fn conflict(lang: Lang, state: &ReportState, id: &str, en: &str) -> ApiError {
    let mut error = ApiError::new(ProblemKind::Conflict, lang, id, en);
    if let ApiError::Problem(problem, _) = &mut error {
        problem.extensions.insert("current_status".into(), json!(state.status.as_str()));
        problem.extensions.insert("current_version".into(), json!(state.version));
    }
    error
}

/// The version named by an `If-Match` header, if any (`"3"` or `3`).
pub fn if_match(request: &ApiRequest) -> Result<Option<i64>, ApiError> {
    match request.header("if-match") {
        None => Ok(None),
        Some(raw) => raw.trim().trim_start_matches("W/").trim_matches('"').parse().map(Some).map_err(|_| {
            ApiError::new(
                ProblemKind::MalformedRequest,
                request.lang,
                "If-Match harus berisi versi laporan, misalnya \"3\".",
                "If-Match must hold the report's version, e.g. \"3\".",
            )
        }),
    }
}

/// Applies `change` to the report in `state`; returns its new status and version.
pub fn apply(db: &Db, state: &ReportState, expected_version: Option<i64>, change: Change, now: &str, lang: Lang) -> Result<(Status, i64), ApiError> {
    if expected_version.is_some_and(|v| v != state.version) {
        return Err(conflict(
            lang,
            state,
            "Laporan telah berubah sejak Anda melihatnya. Muat ulang lalu coba lagi.",
            "The report changed since you last saw it. Reload and try again.",
        ));
    }
    let next = state.status.apply(&change.action).map_err(|e| {
        conflict(
            lang,
            state,
            &format!("Tindakan ini tidak berlaku untuk laporan berstatus {}.", state.status.as_str()),
            &format!("This action does not apply: {e}."),
        )
    })?;
    let (before, zone_before) = stats::dims_of(db, state.id)?;
    let clock_stopped = change.set.iter().any(|u| matches!(u, Update::Clock(_)));
    let extras = EventExtras {
        automatic: change.actor_role == ActorRole::System,
        archive_reason: match &change.action {
            Action::Archive { reason, .. } => Some(*reason),
            _ => None,
        },
        rating: None,
    };
    let mut sql = String::from("UPDATE reports SET status = ?, version = version + 1, updated_at = ?");
    let mut params = vec![text(next.as_str()), text(now)];
    for (column, value) in change.set.into_iter().flat_map(Update::columns) {
        sql.push_str(&format!(", {column} = ?"));
        params.push(value);
    }
    sql.push_str(" WHERE id = ? AND version = ?");
    params.push(int(state.id));
    params.push(int(state.version));
    db.execute(&sql, &params)?;
    if db.changes() != 1 {
        return Err(conflict(lang, state, "Laporan sedang diubah oleh orang lain.", "Someone else is changing this report."));
    }
    let event_type = change.action.event_type();
    let facts = change_facts(db, state, event_type, (&before, zone_before), clock_stopped, extras, now)?;
    // An overdue count that moved with the report is the one to take back later.
    stats::remember_escalations(db, [(state.id, facts.as_slice())])?;
    let own = NewEvent { event_type, visibility: change.visibility, text: change.text };
    for (i, event) in std::iter::once(own).chain(change.also).enumerate() {
        store::append_event(
            db,
            state.id,
            now,
            event.event_type,
            change.actor_role,
            change.actor_id.as_deref(),
            event.visibility,
            event.text.as_deref(),
            // The change's facts go on its own event, the first.
            if i == 0 { &facts } else { &[] },
        )?;
    }
    Ok((next, state.version + 1))
}

/// What a change counts for in the statistics (`lapor_domain::stats::facts_of`),
/// read after its UPDATE: the report's groups before and after, and the clock
/// that ran before it.
fn change_facts(
    db: &Db,
    state: &ReportState,
    event: EventType,
    (before, zone_before): (&lapor_domain::stats::Dims, lapor_domain::agency::TimeZone),
    clock_stopped: bool,
    extras: EventExtras,
    now: &str,
) -> anyhow::Result<Vec<lapor_domain::stats::Fact>> {
    let at = sla::parse_time(now).ok_or_else(|| anyhow::anyhow!("unreadable time {now}"))?;
    let (after, zone_after) = stats::dims_of(db, state.id)?;
    let answers_deadline = event == EventType::Responded && state.clock == Some(ClockKind::Response);
    let running = match (state.clock, state.clock_due.as_deref().and_then(sla::parse_time)) {
        (Some(kind), Some(due)) => Some(RunningClock {
            kind,
            due,
            escalated: state.clock_escalated,
            started_at: if answers_deadline { stats::response_clock_started(db, state.id)? } else { None },
        }),
        _ => None,
    };
    let received = if before.confidential != after.confidential { stats::received_facts(db, state.id)? } else { Vec::new() };
    let calendar = if answers_deadline { sla::calendar(db)? } else { lapor_domain::calendar::Calendar::default() };
    let escalation: Option<lapor_domain::stats::Fact> = state.overdue_fact.as_deref().and_then(|f| serde_json::from_str(f).ok());
    Ok(facts_of(&ChangeFacts {
        event,
        at,
        before,
        zone_before,
        after: &after,
        zone_after,
        running,
        clock_stopped,
        extras,
        escalation: escalation.as_ref(),
        received: &received,
        calendar: &calendar,
    }))
}

/// As [`json_object`], but an empty body is an empty object (for endpoints
/// whose fields are all optional).
pub fn json_object_or_empty(request: &ApiRequest) -> Result<Map<String, Value>, ApiError> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        Ok(Map::new())
    } else {
        json_object(request)
    }
}

/// The JSON object body of a request, or the right 4xx.
pub fn json_object(request: &ApiRequest) -> Result<Map<String, Value>, ApiError> {
    let lang = request.lang;
    if request.media_type() != "application/json" {
        return Err(ApiError::new(
            ProblemKind::UnsupportedMediaType,
            lang,
            "Kirim isi sebagai application/json.",
            "Send the body as application/json.",
        ));
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(ProblemKind::MalformedRequest, lang, "Isi harus berupa objek JSON.", "The body must be a JSON object.")),
        Err(e) => Err(ApiError::unreadable_json(lang, &e)),
    }
}
