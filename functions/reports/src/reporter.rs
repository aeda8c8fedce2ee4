//! What the reporter does after filing: reply (to a hold or a follow-up) and
//! rate the agency's answer once. Both need the reporter token.

use lapor_domain::command::{Rate, Reply};
use lapor_domain::lifecycle::{ActorRole, Status};
use lapor_domain::privacy::Viewer;
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::{Done, EventVisibility, Rated};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{self, Change, Update};
use lapor_domain::agency::TimeZone;
use lapor_domain::sla::{Clock, ClockKind};
use lapor_platform::{clock, sla};
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
    let command = Reply::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
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
            action: command.action(),
            actor_role: ActorRole::Reporter,
            actor_id: None,
            set: vec![Update::Clock(clock)],
            visibility: EventVisibility::Participants,
            text: Some(command.body.as_str().to_string()),
            also: Vec::new(),
        };
        workflow::apply(db, &state, None, change, &now, lang)
    })?;
    Ok(response::json(201, &Done::new(&report.record.tracking_id, status, version), "no-store"))
}

pub fn rate(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let Rate { score, comment } = Rate::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let comment = comment.map(|note| note.as_str().to_string());
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
        if !lapor_platform::store::insert_rating(db, state.id, i64::from(score), comment.as_deref(), &now)? {
            return Err(workflow::conflict(lang, &state, "Laporan ini sudah dinilai.", "This report has already been rated."));
        }
        lapor_platform::store::append_event(db, state.id, &now, lapor_domain::event::EventType::Rated, ActorRole::Reporter, None, EventVisibility::Public, Some(&format!("{score}/5")))?;
        Ok(())
    })?;
    Ok(response::json(201, &Rated { comment, score, tracking_id: report.record.tracking_id }, "no-store"))
}
