//! Staff accounts: created by an administrator (or an agency's coordinator
//! for its own agency), each with a bearer token shown once.

use chrono::Duration;
use lapor_domain::command::CreateStaff;
use lapor_domain::invalid::Invalid;
use lapor_domain::staff::{Decision, Role};
use lapor_platform::auth::{forbidden, require_staff};
use lapor_platform::db::{opt_text, text, Db};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::{clock, random, store, workflow};
use serde_json::json;
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
    db.transaction(|db| -> Result<(), ApiError> {
        db.execute(
            "INSERT INTO staff (public_id, role, name, agency, unit, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &[
                text(&public_id),
                text(role.as_str()),
                text(name.as_str()),
                opt_text(agency.as_ref().map(|a| a.as_str())),
                opt_text(unit),
                text(&now_text),
                text(&principal.id),
            ],
        )?;
        let staff_id = db.last_insert_rowid();
        db.execute(
            "INSERT INTO staff_tokens (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            &[text(token.hash()), lapor_platform::db::int(staff_id), text(&now_text), text(&expires_at)],
        )?;
        Ok(())
    })?;
    let body = json!({
        "id": public_id,
        "role": role.as_str(),
        "name": name.as_str(),
        "agency": agency.as_ref().map(|a| a.as_str()),
        "unit": unit,
        "token": token.as_str(),
        "expires_at": expires_at,
    });
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
    let result = db.execute("SELECT role, agency FROM staff WHERE public_id = ? AND revoked_at IS NULL", &[text(id)])?;
    let target = result.rows().next().map(|row| {
        (row.get::<&str>("role").and_then(Role::from_stored), row.get::<&str>("agency").map(str::to_string))
    });
    let Some((Some(role), agency)) = target else { return Err(ApiError::not_found(lang)) };
    match principal.may_create_staff(role, agency.as_deref()) {
        Decision::Allow => {}
        // Another agency's account does not exist, as far as a coordinator knows.
        _ if principal.role != Role::Admin && agency.as_deref() != principal.agency.as_deref() => return Err(ApiError::not_found(lang)),
        _ => return Err(forbidden(lang)),
    }
    db.transaction(|db| -> Result<(), ApiError> {
        db.execute("UPDATE staff SET revoked_at = ? WHERE public_id = ?", &[text(&now), text(id)])?;
        db.execute(
            "UPDATE staff_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND staff_id = (SELECT id FROM staff WHERE public_id = ?)",
            &[text(&now), text(id)],
        )?;
        Ok(())
    })?;
    Ok(Response::builder().status(204).header("cache-control", "no-store").body(Vec::new()).build())
}
