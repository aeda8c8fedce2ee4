//! An agency's inbox: its reports, routing to units, forwarding to another
//! agency ("no wrong door"), and follow-ups.

use lapor_domain::codes::AgencyCode;
use lapor_domain::command::{Assign, Forward, Respond};
use lapor_domain::invalid::Invalid;
use lapor_domain::lifecycle::Action;
use lapor_domain::staff::{Decision, Principal, Role, StaffAction};
use lapor_domain::view::{Done, EventVisibility, StaffQueue};
use lapor_platform::auth::{forbidden, require_staff};
use lapor_platform::db::Db;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{self, Change, NewEvent, ReportState, Update};
use lapor_domain::sla::{Clock, ClockKind};
use lapor_platform::sla::{calendar, zone_of};
use lapor_platform::store::{self, StaffScope};
use lapor_platform::clock;
use spin_sdk::http::Response;

use lapor_platform::request::tracking_id_from_path;
use crate::queue::{self, QueueQuery};
use crate::views::{done, staff_view};

/// Loads a report and checks `action` for `principal`: another agency's
/// report is 404, a role that may not act is 403.
fn authorized(db: &Db, request: &ApiRequest, principal: &Principal, raw_id: &str, action: StaffAction) -> Result<ReportState, ApiError> {
    let id = tracking_id_from_path(raw_id, request.lang)?;
    let state = workflow::load_state(db, &id.to_string())?.ok_or_else(|| ApiError::not_found(request.lang))?;
    match principal.may(action, state.agency.as_deref()) {
        Decision::Allow => Ok(state),
        Decision::Forbidden => Err(forbidden(request.lang)),
        Decision::NotFound => Err(ApiError::not_found(request.lang)),
    }
}

pub fn inbox(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let query = QueueQuery::parse(request, None)?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    // Administrators name the agency they look at; everyone else sees their own.
    let agency = match (&principal.role, &principal.agency) {
        (Role::Admin, _) => match request.query("agency").map(str::trim).filter(|a| !a.is_empty()) {
            Some(raw) => Some(AgencyCode::parse("agency", raw).map_err(|e| bad_parameter(lang, "agency", &e.id, &e.en))?.as_str().to_string()),
            None => None,
        },
        (_, agency) => agency.clone(),
    };
    let Some(agency) = agency else {
        return Err(bad_parameter(lang, "agency", "Sebutkan instansi (?agency=...).", "Name the agency (?agency=...)."));
    };
    let unit = request.query("unit").map(str::trim).filter(|u| !u.is_empty());
    let body = StaffQueue { agency: Some(agency.clone()), ..queue::page(&db, &query, &StaffScope { agency: Some(&agency), unit })? };
    Ok(response::json(200, &body, "private, no-store"))
}

pub fn read(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let state = authorized(&db, request, &principal, raw_id, StaffAction::ReadAgencyReport)?;
    let stored = store::find_report(&db, &state.tracking_id)?.ok_or_else(|| ApiError::not_found(request.lang))?;
    let view = staff_view(&db, &stored, &state, &principal, &now)?;
    let mut response = response::json(200, &view, "private, no-store");
    response.set_header("etag", format!("\"{}\"", state.version));
    Ok(response)
}

pub fn assign(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Assign::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let unit = command.unit.clone();
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let (state, status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = authorized(db, request, &principal, raw_id, StaffAction::Assign)?;
        let agency = state.agency.clone().unwrap_or_default();
        if !store::unit_belongs_to(db, &unit, &agency)? {
            return Err(ApiError::validation(lang, &[Invalid::new("unit", "Unit kerja ini bukan milik instansi laporan.", "This work unit does not belong to the report's agency.")]));
        }
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![Update::Unit(unit.clone())],
            visibility: EventVisibility::Staff,
            text: Some(unit.clone()),
            also: Vec::new(),
        };
        let (status, version) = workflow::apply(db, &state, expected, change, &now, lang)?;
        Ok((state, status, version))
    })?;
    Ok(done(&Done { unit: Some(unit), ..Done::new(&state.tracking_id, status, version) }))
}

pub fn forward(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Forward::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let target = store::find_agency(&db, command.agency.as_str())?
        .ok_or_else(|| ApiError::validation(lang, &[Invalid::unknown_agency("agency")]))?;
    let (state, status, version) = db.transaction(|db| -> Result<_, ApiError> {
        let state = authorized(db, request, &principal, raw_id, StaffAction::Forward)?;
        if state.agency.as_deref() == Some(target.code.as_str()) {
            return Err(ApiError::validation(lang, &[Invalid::new("agency", "Laporan sudah berada di instansi ini.", "The report is already with this agency.")]));
        }
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            // The new agency gets a fresh response clock, in its own zone.
            set: vec![
                Update::Agency(target.code.clone()),
                Update::Clock(Some(Clock::start(ClockKind::Response, now_at, zone_of(db, Some(&target.code))?, &calendar(db)?))),
            ],
            visibility: EventVisibility::Public,
            text: Some(format!("Diteruskan ke {}", target.name)),
            also: vec![NewEvent { event_type: lapor_domain::event::EventType::ForwardReason, visibility: EventVisibility::Staff, text: Some(command.reason.as_str().to_string()) }],
        };
        let (status, version) = workflow::apply(db, &state, expected, change, &now, lang)?;
        Ok((state, status, version))
    })?;
    Ok(done(&Done { agency: Some(target.code), ..Done::new(&state.tracking_id, status, version) }))
}

pub fn respond(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Respond::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let (state, version, status) = db.transaction(|db| -> Result<_, ApiError> {
        let state = authorized(db, request, &principal, raw_id, StaffAction::Respond)?;
        let completion = Clock::start(ClockKind::Completion, now_at, zone_of(db, state.agency.as_deref())?, &calendar(db)?);
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![Update::Clock(Some(completion))],
            visibility: EventVisibility::Public,
            text: Some(command.body.as_str().to_string()),
            also: Vec::new(),
        };
        let (status, version) = workflow::apply(db, &state, expected, change, &now, lang)?;
        if !command.is_final {
            return Ok((state, version, status));
        }
        // A final follow-up closes the report at once, in the same transaction.
        let current = workflow::load_state(db, &state.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        let change = Change {
            action: Action::Complete,
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![Update::Clock(None)],
            visibility: EventVisibility::Public,
            text: None,
            also: Vec::new(),
        };
        let (status, version) = workflow::apply(db, &current, None, change, &now, lang)?;
        Ok((state, version, status))
    })?;
    Ok(done(&Done::new(&state.tracking_id, status, version)))
}
