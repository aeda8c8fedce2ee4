//! What the reporter does after filing: reply (to a hold or a follow-up) and
//! rate the agency's answer once. Both need the reporter token.

use lapor_domain::invalid::Invalid;
use lapor_domain::lifecycle::{Action, ActorRole, Status};
use lapor_domain::privacy::Viewer;
use lapor_domain::problem::ProblemKind;
use lapor_domain::text::Note;
use lapor_domain::view::EventVisibility;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{self, Change};
use lapor_domain::agency::TimeZone;
use lapor_domain::sla::{Clock, ClockKind};
use lapor_platform::{clock, sla};
use serde_json::{json, Value};
use spin_sdk::http::Response;

use crate::viewer::visible_report;

/// The report, if the request carries its reporter token; 401/403/404 otherwise.
pub fn as_reporter(db: &Db, request: &ApiRequest, raw_id: &str) -> Result<lapor_platform::store::StoredReport, ApiError> {
    let lang = request.lang;
    if request.bearer_token().is_none() {
        return Err(ApiError::new(
            ProblemKind::Unauthorized,
            lang,
            "Sertakan kode rahasia pelapor (Authorization: Bearer ...).",
            "Send the reporter token (Authorization: Bearer ...).",
        )
        .with_header("www-authenticate", "Bearer"));
    }
    let (report, viewer) = visible_report(db, request, raw_id)?;
    if viewer != Viewer::Reporter {
        return Err(ApiError::new(
            ProblemKind::Forbidden,
            lang,
            "Kode rahasia ini bukan milik pelapor laporan ini.",
            "This token is not the reporter token of this report.",
        ));
    }
    Ok(report)
}

pub fn reply(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let note = match body.get("body") {
        Some(Value::String(s)) => Note::parse("body", s),
        _ => Err(Invalid::required("body")),
    };
    let unknown = lapor_domain::fields::only(&body, &["body"]);
    let note = match (note, unknown.is_empty()) {
        (Ok(note), true) => note,
        (note, _) => return Err(ApiError::validation(lang, &[unknown, note.err().into_iter().collect()].concat())),
    };
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let report = as_reporter(&db, request, raw_id)?;
    let (status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = workflow::load_state(db, &report.record.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        let calendar = sla::calendar(db)?;
        // A reply to a hold resumes verification with the days that were
        // left; a reply to a follow-up stops the completion clock and gives
        // the agency a fresh response clock.
        let clock = match state.status {
            Status::OnHold => {
                let paused = state.paused_due.as_deref().and_then(sla::parse_time);
                let held = state.held_at.as_deref().and_then(sla::parse_time);
                Some(match (paused, held) {
                    (Some(paused), Some(held)) => Clock::resume_verification(paused, held, now_at, &calendar),
                    _ => Clock::start(ClockKind::Verification, now_at, TimeZone::Wib, &calendar),
                })
            }
            _ => Some(Clock::start(ClockKind::Response, now_at, sla::zone_of(db, state.agency.as_deref())?, &calendar)),
        };
        let change = Change {
            action: Action::ReporterReply,
            actor_role: ActorRole::Reporter,
            actor_id: None,
            set: sla::clock_columns(clock.as_ref()),
            visibility: EventVisibility::Participants,
            text: Some(note.as_str().to_string()),
            also: Vec::new(),
        };
        workflow::apply(db, &state, None, change, &now, lang)
    })?;
    Ok(response::json(201, &json!({"tracking_id": report.record.tracking_id, "status": status.as_str(), "version": version}), "no-store"))
}

pub fn rate(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let mut errors = Vec::new();
    let score = match body.get("score") {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(s @ 1..=5) => Some(s),
            _ => None,
        },
        _ => None,
    };
    if score.is_none() {
        errors.push(Invalid::new("score", "Nilai 1 sampai 5.", "A whole number from 1 to 5."));
    }
    let comment = match body.get("comment") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match Note::parse("comment", s) {
            Ok(note) => Some(note.as_str().to_string()),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        Some(_) => {
            errors.push(Invalid::not_text("comment"));
            None
        }
    };
    errors.extend(lapor_domain::fields::only(&body, &["score", "comment"]));
    if !errors.is_empty() {
        return Err(ApiError::validation(lang, &errors));
    }
    let score = score.expect("checked");
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let report = as_reporter(&db, request, raw_id)?;
    db.transaction(|db| -> Result<(), ApiError> {
        let state = workflow::load_state(db, &report.record.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        if !matches!(state.status, Status::Responded | Status::Completed) {
            return Err(workflow::conflict(
                lang,
                &state,
                "Penilaian dapat diberikan setelah instansi menanggapi.",
                "A rating can be given once the agency has responded.",
            ));
        }
        if !lapor_platform::store::insert_rating(db, state.id, score as i64, comment.as_deref(), &now)? {
            return Err(workflow::conflict(lang, &state, "Laporan ini sudah dinilai.", "This report has already been rated."));
        }
        lapor_platform::store::append_event(db, state.id, &now, "rated", ActorRole::Reporter, None, EventVisibility::Public, Some(&format!("{score}/5")))?;
        Ok(())
    })?;
    Ok(response::json(201, &json!({"tracking_id": report.record.tracking_id, "score": score, "comment": comment}), "no-store"))
}
