//! What the reporter does after filing, applied once for every front door:
//! reply (to a hold or a follow-up), rate the agency's answer once, add an
//! attachment. The API (`functions/reports`, reporter token as a bearer) and
//! the tracking page (`functions/web`, the token in a cookie) each decide
//! that the caller is the report's reporter, then call these with the report.

use lapor_domain::agency::TimeZone;
use lapor_domain::attachment::{AttachmentError, CleanAttachment, MAX_ATTACHMENTS_PER_REPORT, PDF_ON_ANONYMOUS};
use lapor_domain::command::{Rate, Reply};
use lapor_domain::lang::Lang;
use lapor_domain::lifecycle::{ActorRole, Status};
use lapor_domain::problem::ProblemKind;
use lapor_domain::sla::{Clock, ClockKind};
use lapor_domain::view::{AttachmentUploaded, Done, EventVisibility, Rated};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::response::ApiError;
use crate::store::{self, StoredReport};
use crate::workflow::{self, Change, Update};
use crate::{clock, random, sla};

/// The reporter's reply: `on_hold` -> `submitted` (verification resumes
/// with the days that were left), `responded` -> `dispatched` (a fresh
/// response clock); any other state is a 409.
pub fn reply(db: &Db, lang: Lang, report: &StoredReport, command: Reply) -> Result<Done, ApiError> {
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let (status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = workflow::load_state(db, &report.record.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        let calendar = sla::calendar(db)?;
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
    Ok(Done::new(&report.record.tracking_id, status, version))
}

/// Whether a report in `status` takes a rating (once it has an answer).
pub fn may_rate(status: Status) -> bool {
    matches!(status, Status::Responded | Status::Completed)
}

/// Rates the handling once, after a response; 409 otherwise.
pub fn rate(db: &Db, lang: Lang, report: &StoredReport, command: Rate) -> Result<Rated, ApiError> {
    let Rate { score, comment } = command;
    let comment = comment.map(|note| note.as_str().to_string());
    let now = clock::timestamp(clock::now());
    db.transaction(|db| -> Result<(), ApiError> {
        let state = workflow::load_state(db, &report.record.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        if !may_rate(state.status) {
            return Err(workflow::conflict(
                lang,
                &state,
                "Penilaian dapat diberikan setelah instansi menanggapi.",
                "A rating can be given once the agency has responded.",
            ));
        }
        if !store::insert_rating(db, state.id, i64::from(score), comment.as_deref(), &now)? {
            return Err(workflow::conflict(lang, &state, "Laporan ini sudah dinilai.", "This report has already been rated."));
        }
        let rated = lapor_domain::event::EventType::Rated;
        let facts = crate::stats::facts_of_event(db, state.id, &now, rated, lapor_domain::stats::EventExtras { rating: Some(score), ..Default::default() })?;
        store::append_event(db, state.id, &now, rated, ActorRole::Reporter, None, EventVisibility::Public, Some(&format!("{score}/5")), &facts)?;
        Ok(())
    })?;
    Ok(Rated { comment, score, tracking_id: report.record.tracking_id.clone() })
}

/// Stores a file for the report: recognised by its bytes (JPEG, PNG, PDF),
/// image metadata removed (`CleanAttachment`), no PDF on anonymous reports,
/// at most `MAX_ATTACHMENTS_PER_REPORT`.
pub fn add_attachment(db: &Db, lang: Lang, report: &StoredReport, bytes: &[u8]) -> Result<AttachmentUploaded, ApiError> {
    let clean = CleanAttachment::parse(bytes).map_err(|e| match e {
        AttachmentError::Empty => ApiError::new(ProblemKind::MalformedRequest, lang, "Berkas kosong.", "The file is empty."),
        AttachmentError::TooLarge { limit, .. } => ApiError::too_large(lang, limit),
        AttachmentError::UnsupportedType => ApiError::new(
            ProblemKind::UnsupportedMediaType,
            lang,
            "Hanya berkas JPEG, PNG, atau PDF yang diterima.",
            "Only JPEG, PNG or PDF files are accepted.",
        ),
        AttachmentError::Malformed(kind) => ApiError::new(
            ProblemKind::ValidationFailed,
            lang,
            &format!("Berkas {kind} ini rusak."),
            &format!("This {kind} file is damaged."),
        ),
    })?;
    if !clean.kind.allowed_on(report.record.privacy) {
        let (id, en) = PDF_ON_ANONYMOUS;
        return Err(ApiError::new(ProblemKind::UnsupportedMediaType, lang, id, en));
    }
    let public_id = random::hex_id()?;
    let digest = hex::encode(Sha256::digest(&clean.bytes));
    let now = clock::timestamp(clock::now());
    db.transaction(|db| -> Result<(), ApiError> {
        if store::attachment_count(db, report.id)? >= MAX_ATTACHMENTS_PER_REPORT {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                lang,
                &format!("Laporan ini sudah memiliki {MAX_ATTACHMENTS_PER_REPORT} lampiran, batas maksimal."),
                &format!("This report already has {MAX_ATTACHMENTS_PER_REPORT} attachments, the maximum."),
            ));
        }
        store::insert_attachment(db, report.id, &public_id, clean.kind.as_str(), &clean.bytes, &digest, &now)?;
        Ok(())
    })?;
    let tracking_id = &report.record.tracking_id;
    Ok(AttachmentUploaded {
        content_type: clean.kind.content_type(),
        id: public_id.clone(),
        kind: clean.kind.as_str(),
        size: clean.bytes.len(),
        url: format!("/api/v1/reports/{tracking_id}/attachments/{public_id}"),
    })
}


