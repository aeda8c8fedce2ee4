//! Staff accounts: created by an administrator (or an agency's coordinator
//! for its own agency), each with a bearer token shown once. The rules are
//! `lapor_actions::accounts`'s, shared with the console.

use lapor_actions::accounts;
use lapor_domain::command::CreateStaff;
use lapor_platform::auth::require_staff;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::{clock, workflow};
use lapor_domain::view::StaffAccountCreated;
use spin_sdk::http::Response;

pub fn create(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = CreateStaff::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let now = clock::now();
    let db = Db::open()?;
    let principal = require_staff(&db, request, &clock::timestamp(now))?;
    let created = accounts::create(&db, &principal, &command, now, lang)?;
    let body = StaffAccountCreated {
        agency: created.agency.clone(),
        expires_at: created.expires_at.clone(),
        id: created.public_id.clone(),
        name: created.name.clone(),
        role: created.role,
        token: created.token.clone(),
        unit: created.unit.clone(),
    };
    let mut response = response::json(201, &body, "no-store");
    response.set_header("location", format!("/api/v1/staff/{}", created.public_id));
    Ok(response)
}

/// Revokes an account and every token of it.
pub fn revoke(request: &ApiRequest, id: &str) -> Result<Response, ApiError> {
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    accounts::revoke(&db, &principal, id, &now, request.lang)?;
    Ok(Response::builder().status(204).header("cache-control", "no-store").body(Vec::new()).build())
}
