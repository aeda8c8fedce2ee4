//! The administrators' intake: the queue of new reports, and verify
//! (dispatch to an agency), hold (ask the reporter) and archive.

use lapor_domain::command::{Archive, Hold, Verify};
use lapor_domain::invalid::Invalid;
use lapor_domain::lifecycle::Status;
use lapor_domain::view::{Done, EventVisibility};
use lapor_platform::auth::require_admin;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{self, Change, ReportState, Update};
use lapor_domain::sla::{Clock, ClockKind};
use lapor_platform::sla::{calendar, zone_of};
use lapor_platform::store::{self, StaffScope};
use lapor_platform::clock;
use spin_sdk::http::Response;

use lapor_platform::request::tracking_id_from_path;
use crate::queue::{self, QueueQuery};
use crate::views::{done, staff_view};

pub fn queue(request: &ApiRequest) -> Result<Response, ApiError> {
    let query = QueueQuery::parse(request, Some(Status::Submitted))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    require_admin(&db, request, &now)?;
    let body = queue::page(&db, &query, &StaffScope::default())?;
    Ok(response::json(200, &body, "private, no-store"))
}

/// Loads a report for an intake action; unknown IDs are 404.
fn load(db: &Db, request: &ApiRequest, raw_id: &str) -> Result<ReportState, ApiError> {
    let id = tracking_id_from_path(raw_id, request.lang)?;
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
    let command = Verify::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;

    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let target = store::find_agency(&db, command.agency.as_str())?
        .ok_or_else(|| ApiError::validation(lang, &[Invalid::unknown_agency("agency")]))?;
    let (state, status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, request, raw_id)?;
        // Each property may only go up: raising visibility never names an
        // anonymous reporter to the agency it is dispatched to.
        let new_privacy = command.privacy.applied_to(state.privacy);
        state.privacy.may_change_to(new_privacy).map_err(|e| ApiError::validation(lang, &[e]))?;
        let response = Clock::start(ClockKind::Response, now_at, zone_of(db, Some(&target.code))?, &calendar(db)?);
        let mut set = vec![
            Update::Agency(target.code.clone()),
            Update::Verified { at: now.clone() },
            // The published name goes when the report stops being public and named.
            Update::Privacy(new_privacy),
            Update::Clock(Some(response)),
        ];
        if let Some(category) = &command.category {
            set.push(Update::Category(category.as_str().to_string()));
        }
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set,
            visibility: EventVisibility::Public,
            text: Some(format!("Diteruskan ke {}", target.name)),
            also: Vec::new(),
        };
        let (status, version) = workflow::apply(db, &state, expected, change, &now, lang)?;
        if new_privacy.is_confidential() && !state.privacy.is_confidential() {
            // Made confidential: whoever followed it while it was public
            // stops following (the reporter's own follows stay).
            lapor_platform::engagement::drop_strangers(db, state.id)?;
        }
        Ok((state, status, version))
    })?;
    Ok(done(&Done::new(&state.tracking_id, status, version)))
}

pub fn hold(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Hold::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let (state, status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, request, raw_id)?;
        // The verification clock pauses; what it was due is kept to resume it.
        let set = vec![Update::Clock(None), Update::Hold { at: now.clone(), paused_due: state.clock_due.clone() }];
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set,
            visibility: EventVisibility::Participants,
            text: Some(command.reason.as_str().to_string()),
            also: Vec::new(),
        };
        let (status, version) = workflow::apply(db, &state, expected, change, &now, lang)?;
        Ok((state, status, version))
    })?;
    Ok(done(&Done::new(&state.tracking_id, status, version)))
}

pub fn archive(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Archive::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let reason = command.reason;
    let (state, status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, request, raw_id)?;
        let original = match &command.duplicate_of {
            Some(raw) => {
                let original = tracking_id_from_path(raw, lang)
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
            action: command.action(original.clone()),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![
                Update::Archive { reason: reason.as_str().to_string(), duplicate_of: original.map(|o| o.to_string()) },
                Update::Clock(None),
            ],
            visibility: EventVisibility::Public,
            text: Some(text_for_public),
            also: Vec::new(),
        };
        let (status, version) = workflow::apply(db, &state, expected, change, &now, lang)?;
        // After the archive event (whose notices the duplicate's followers
        // still get), its supporters and followers move to the original.
        if let Some(original_row) = original_row {
            lapor_platform::engagement::merge_duplicate(db, state.id, original_row)?;
        }
        Ok((state, status, version))
    })?;
    Ok(done(&Done::new(&state.tracking_id, status, version)))
}
