//! Staff accounts: created by an administrator (or an agency's coordinator
//! for its own agency), each with a bearer token shown once.

use chrono::Duration;
use lapor_domain::command::CreateStaff;
use lapor_domain::invalid::Invalid;
use lapor_domain::staff::{Decision, Role};
use lapor_domain::view::StaffAccountCreated;
use lapor_platform::auth::{forbidden, require_staff};
use lapor_platform::db::Db;
use lapor_platform::staff;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::{clock, random, store, workflow};
use spin_sdk::http::Response;


/// Tokens last this long; a new account (or a new token) replaces them.
const TOKEN_LIFETIME_DAYS: i64 = 90;

pub fn create(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let CreateStaff { role, name, agency, unit } = CreateStaff::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let unit = unit.as_deref();

    let now = clock::now();
    let now_text = clock::timestamp(now);
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now_text)?;
    if principal.may_create_staff(role, agency.as_ref().map(|a| a.as_str())) != Decision::Allow {
        return Err(forbidden(lang));
    }
    if let Some(agency) = &agency {
        if store::find_agency(&db, agency.as_str())?.is_none() {
            return Err(ApiError::validation(lang, &[Invalid::unknown_agency("agency")]));
        }
        if let Some(unit) = unit {
            if !store::unit_belongs_to(&db, unit, agency.as_str())? {
                return Err(ApiError::validation(lang, &[Invalid::new("unit", "Unit kerja ini bukan milik instansi tersebut.", "This work unit does not belong to that agency.")]));
            }
        }
    } else if unit.is_some() {
        return Err(ApiError::validation(lang, &[Invalid::new("unit", "Unit kerja memerlukan instansi.", "A work unit needs an agency.")]));
    }

    let public_id = random::hex_id()?;
    let token = random::secret_token()?;
    let expires_at = clock::timestamp(now + Duration::days(TOKEN_LIFETIME_DAYS));
    let account = staff::NewStaff {
        public_id: &public_id,
        role,
        name: name.as_str(),
        agency: agency.as_ref().map(|a| a.as_str()),
        unit,
        created_by: &principal.id,
        token_hash: &token.hash(),
        expires_at: &expires_at,
    };
    staff::create(&db, &account, &now_text)?;
    let body = StaffAccountCreated {
        agency: agency.as_ref().map(|a| a.as_str().to_string()),
        expires_at,
        id: public_id.clone(),
        name: name.as_str().to_string(),
        role,
        token: token.as_str().to_string(),
        unit: unit.map(str::to_string),
    };
    let mut response = response::json(201, &body, "no-store");
    response.set_header("location", format!("/api/v1/staff/{public_id}"));
    Ok(response)
}

/// Revokes an account and every token of it.
pub fn revoke(request: &ApiRequest, id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let target = staff::active(&db, id)?;
    let Some((Some(role), agency)) = target else { return Err(ApiError::not_found(lang)) };
    match principal.may_create_staff(role, agency.as_deref()) {
        Decision::Allow => {}
        // Another agency's account does not exist, as far as a coordinator knows.
        _ if principal.role != Role::Admin && agency.as_deref() != principal.agency.as_deref() => return Err(ApiError::not_found(lang)),
        _ => return Err(forbidden(lang)),
    }
    staff::revoke(&db, id, &now)?;
    Ok(Response::builder().status(204).header("cache-control", "no-store").body(Vec::new()).build())
}
