//! An agency's inbox: its reports, routing to units, forwarding to another
//! agency ("no wrong door"), and follow-ups.

use lapor_actions::agency;
use lapor_actions::views::staff_view;
use lapor_domain::codes::AgencyCode;
use lapor_domain::command::{Assign, Forward, Respond};
use lapor_domain::staff::{Role, StaffAction};
use lapor_platform::auth::require_staff;
use lapor_platform::db::Db;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow;
use lapor_platform::store::{self, StaffScope};
use lapor_platform::clock;
use lapor_actions::Done;
use spin_sdk::http::Response;

use crate::queue::{self, QueueQuery};
use crate::views::done;

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
    let mut body = queue::page(&db, &query, &StaffScope { agency: Some(&agency), unit })?;
    body.agency = Some(agency);
    Ok(response::json(200, &body, "private, no-store"))
}

pub fn read(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let state = agency::authorized(&db, &principal, raw_id, StaffAction::ReadAgencyReport, request.lang)?;
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
    let expected = workflow::if_match(request)?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let result = agency::assign(&db, &principal, raw_id, &command, expected, &now, lang)?;
    Ok(done(&Done { unit: Some(command.unit.to_string()), ..result }))
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
    let (result, target) = agency::forward(&db, &principal, raw_id, &command, expected, now_at, lang)?;
    Ok(done(&Done { agency: Some(target), ..result }))
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
    Ok(done(&agency::respond(&db, &principal, raw_id, &command, expected, now_at, lang)?))
}
