//! The administrators' intake: the queue of new reports, and verify
//! (dispatch to an agency), hold (ask the reporter) and archive.

use lapor_domain::codes::{AgencyCode, CategoryCode};
use lapor_domain::invalid::Invalid;
use lapor_domain::lifecycle::{Action, ArchiveReason, Status};
use lapor_domain::privacy::{Privacy, PrivacyRequest, ReporterIdentity, Visibility};
use lapor_domain::text::Note;
use lapor_domain::view::EventVisibility;
use lapor_platform::auth::require_admin;
use lapor_platform::db::{opt_text, text, Db};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{self, Change, NewEvent, ReportState};
use lapor_domain::sla::{Clock, ClockKind};
use lapor_platform::sla::{calendar, clock_columns, zone_of};
use lapor_platform::store::{self, StaffScope};
use lapor_platform::clock;
use serde_json::{json, Value};
use spin_sdk::http::Response;
use spin_sdk::sqlite3::Value as SqlValue;

use lapor_platform::fields::{self, check, err};
use crate::queue::{self, QueueQuery};
use crate::views::{done, staff_view};

pub fn queue(request: &ApiRequest) -> Result<Response, ApiError> {
    let query = QueueQuery::parse(request, Some(Status::Submitted))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    require_admin(&db, request, &now)?;
    let body = queue::page(&db, &query, &StaffScope::default())?;
    Ok(response::json(200, &Value::Object(body), "private, no-store"))
}

/// Loads a report for an intake action; unknown IDs are 404.
fn load(db: &Db, request: &ApiRequest, raw_id: &str) -> Result<ReportState, ApiError> {
    let id = fields::tracking_id(raw_id, request.lang)?;
    workflow::load_state(db, &id.to_string())?.ok_or_else(|| ApiError::not_found(request.lang))
}

pub fn read(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let state = load(&db, request, raw_id)?;
    let stored = store::find_report(&db, &state.tracking_id)?.ok_or_else(|| ApiError::not_found(request.lang))?;
    let view = staff_view(&db, &stored, &state, &principal, &now)?;
    let mut response = response::json(200, &view, "private, no-store");
    response.set_header("etag", format!("\"{}\"", state.version));
    Ok(response)
}

pub fn verify(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let agency = fields::required(&body, "agency").and_then(|raw| AgencyCode::parse("agency", raw));
    let category = fields::optional(&body, "category").and_then(|raw| raw.map(|r| CategoryCode::parse("category", r)).transpose());
    let legacy = fields::optional(&body, "privacy").and_then(|raw| raw.map(|r| Privacy::parse("privacy", r)).transpose());
    let visibility = fields::optional(&body, "visibility").and_then(|raw| raw.map(|r| Visibility::parse("visibility", r)).transpose());
    let identity =
        fields::optional(&body, "reporter_identity").and_then(|raw| raw.map(|r| ReporterIdentity::parse("reporter_identity", r)).transpose());
    check(
        lang,
        fields::only(&body, &["agency", "category", "privacy", "visibility", "reporter_identity"]),
        vec![err(&agency), err(&category), err(&legacy), err(&visibility), err(&identity)],
    )?;
    let (agency, category) = (agency.unwrap(), category.unwrap());
    let requested = PrivacyRequest::combine(legacy.unwrap(), visibility.unwrap(), identity.unwrap())
        .map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;

    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let target = store::find_agency(&db, agency.as_str())?
        .ok_or_else(|| ApiError::validation(lang, &[Invalid::new("agency", "Instansi tidak dikenal.", "Unknown agency.")]))?;
    let (state, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, request, raw_id)?;
        // Each property may only go up: raising visibility never names an
        // anonymous reporter to the agency it is dispatched to.
        let new_privacy = requested.applied_to(state.privacy);
        state.privacy.may_change_to(new_privacy).map_err(|e| ApiError::validation(lang, &[e]))?;
        let mut set = vec![
            ("agency", text(&target.code)),
            ("unit", SqlValue::Null),
            ("verified_at", text(&now)),
        ];
        if !new_privacy.name_is_public() {
            // The published name goes when the report stops being public and named.
            set.push(("public_reporter_name", SqlValue::Null));
        }
        set.push(("visibility", text(new_privacy.visibility.as_str())));
        set.push(("reporter_identity", text(new_privacy.identity.as_str())));
        if let Some(category) = &category {
            set.push(("category", text(category.as_str())));
        }
        let response = Clock::start(ClockKind::Response, now_at, zone_of(db, Some(&target.code))?, &calendar(db)?);
        set.extend(clock_columns(Some(&response)));
        let change = Change {
            action: Action::Verify,
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set,
            events: vec![NewEvent {
                event_type: "dispatched",
                visibility: EventVisibility::Public,
                text: Some(format!("Diteruskan ke {}", target.name)),
            }],
        };
        let version = workflow::apply(db, &state, expected, change, &now, lang)?;
        if new_privacy.is_confidential() && !state.privacy.is_confidential() {
            // Made confidential: whoever followed it while it was public
            // stops following (the reporter's own follows stay).
            lapor_platform::engagement::drop_strangers(db, state.id)?;
        }
        Ok((state, version))
    })?;
    Ok(done(&state, version, Status::Dispatched.as_str(), json!({})))
}

pub fn hold(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let reason = fields::required(&body, "reason").and_then(|raw| Note::parse("reason", raw));
    check(lang, fields::only(&body, &["reason"]), vec![err(&reason)])?;
    let reason = reason.unwrap().as_str().to_string();
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let (state, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, request, raw_id)?;
        // The verification clock pauses; what it was due is kept to resume it.
        let mut set = clock_columns(None);
        set.push(("held_at", text(&now)));
        set.push(("paused_due", opt_text(state.clock_due.clone())));
        let change = Change {
            action: Action::Hold,
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set,
            events: vec![NewEvent { event_type: "on_hold", visibility: EventVisibility::Participants, text: Some(reason.clone()) }],
        };
        let version = workflow::apply(db, &state, expected, change, &now, lang)?;
        Ok((state, version))
    })?;
    Ok(done(&state, version, Status::OnHold.as_str(), json!({})))
}

pub fn archive(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let reason = fields::required(&body, "reason").and_then(|raw| match raw.trim() {
        "not_in_scope" => Ok(ArchiveReason::NotInScope),
        "spam" => Ok(ArchiveReason::Spam),
        "unclear" => Ok(ArchiveReason::Unclear),
        "duplicate" => Ok(ArchiveReason::Duplicate),
        _ => Err(Invalid::new("reason", "Alasan: not_in_scope, spam, unclear, duplicate.", "Reason: not_in_scope, spam, unclear, duplicate.")),
    });
    let duplicate_of = fields::optional(&body, "duplicate_of");
    check(lang, fields::only(&body, &["reason", "duplicate_of"]), vec![err(&reason), err(&duplicate_of)])?;
    let (reason, duplicate_of) = (reason.unwrap(), duplicate_of.unwrap());
    if (reason == ArchiveReason::Duplicate) != duplicate_of.is_some() {
        return Err(ApiError::validation(lang, &[Invalid::new(
            "duplicate_of",
            "Isi duplicate_of jika dan hanya jika alasannya duplicate.",
            "Give duplicate_of exactly when the reason is duplicate.",
        )]));
    }
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let (state, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, request, raw_id)?;
        let original = match duplicate_of {
            Some(raw) => {
                let original = fields::tracking_id(raw, lang)
                    .ok()
                    .and_then(|id| workflow::load_state(db, &id.to_string()).ok().flatten())
                    .filter(|o| o.id != state.id)
                    .ok_or_else(|| ApiError::validation(lang, &[Invalid::new(
                        "duplicate_of",
                        "Laporan asli tidak ditemukan (atau sama dengan laporan ini).",
                        "The original report does not exist (or is this report).",
                    )]))?;
                let shown = !original.privacy.is_confidential();
                Some((original.tracking_id, shown, original.id))
            }
            None => None,
        };
        // A confidential original's ID must not appear on a public timeline.
        let text_for_public = match &original {
            Some((original, true, _)) => format!("{}: {original}", reason.as_str()),
            _ => reason.as_str().to_string(),
        };
        // Strangers never follow a confidential original: nothing moves there.
        let original_row = original.as_ref().and_then(|(_, shown, row)| shown.then_some(*row));
        let original = original.map(|(id, _, _)| id);
        let change = Change {
            action: Action::Archive { reason, duplicate_of: original.clone() },
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: [vec![("archive_reason", text(reason.as_str())), ("duplicate_of", opt_text(original))], clock_columns(None)].concat(),
            events: vec![NewEvent { event_type: "archived", visibility: EventVisibility::Public, text: Some(text_for_public) }],
        };
        let version = workflow::apply(db, &state, expected, change, &now, lang)?;
        // After the archive event (whose notices the duplicate's followers
        // still get), its supporters and followers move to the original.
        if let Some(original_row) = original_row {
            lapor_platform::engagement::merge_duplicate(db, state.id, original_row)?;
        }
        Ok((state, version))
    })?;
    Ok(done(&state, version, Status::Archived.as_str(), json!({})))
}
