//! The administrators' intake: the queue of new reports, and verify
//! (dispatch to an agency), hold (ask the reporter) and archive.

use lapor_actions::intake;
use lapor_actions::views::staff_view;
use lapor_domain::command::{Archive, Hold, Verify};
use lapor_domain::lifecycle::Status;
use lapor_platform::auth::require_admin;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow;
use lapor_platform::store::{self, StaffScope};
use lapor_platform::clock;
use spin_sdk::http::Response;

use crate::queue::{self, QueueQuery};
use crate::views::done;

pub fn queue(request: &ApiRequest) -> Result<Response, ApiError> {
    let query = QueueQuery::parse(request, Some(Status::Submitted))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    require_admin(&db, request, &now)?;
    let body = queue::page(&db, &query, &StaffScope::default())?;
    Ok(response::json(200, &body, "private, no-store"))
}

pub fn read(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    let state = intake::load(&db, raw_id, request.lang)?;
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
    Ok(done(&intake::verify(&db, &principal, raw_id, &command, expected, now_at, lang)?))
}

pub fn hold(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Hold::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    Ok(done(&intake::hold(&db, &principal, raw_id, &command, expected, &now, lang)?))
}

pub fn archive(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Archive::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let expected = workflow::if_match(request)?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_admin(&db, request, &now)?;
    Ok(done(&intake::archive(&db, &principal, raw_id, &command, expected, &now, lang)?))
}
