//! `/api/v1/categories`: the category taxonomy (`lapor_domain::category`).
//!
//! Anyone lists it (`?include_retired=true` adds retired ones) or reads one
//! category; administrators add (`POST {code, parent?, name_id, name_en}`),
//! rename or retire / restore (`PUT /{code} {name_id?, name_en?, retired?}`)
//! and retire (`DELETE /{code}`: the row stays, reports keep its code).
//! Retiring a topic closes its sub-topics to new reports too.

use lapor_domain::codes::CategoryCode;
use lapor_domain::command::{AddCategory, ChangeCategory};
use lapor_domain::conditional::none_match_fails;
use lapor_domain::staff::Principal;
use lapor_domain::view::CategoryList;
use lapor_actions::categories as actions;
use lapor_platform::auth::require_staff;
use lapor_platform::categories;
use lapor_platform::db::Db;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::{clock, workflow};
use sha2::{Digest, Sha256};
use spin_sdk::http::Response;

/// Changes are rare and not urgent to see everywhere: five minutes, then
/// revalidation by ETag.
const CACHE: &str = "public, max-age=300";

pub fn list(request: &ApiRequest) -> Result<Response, ApiError> {
    let include_retired = match request.query("include_retired").map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad_parameter(request.lang, "include_retired", "Gunakan true atau false.", "Use true or false.")),
    };
    let db = Db::open()?;
    let list = CategoryList { items: categories::list(&db, include_retired)? };
    let mut response = response::json(200, &list, CACHE);
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(response.body()))[..32]);
    if none_match_fails(request.header("if-none-match"), &etag) {
        response = Response::builder().status(304).header("cache-control", CACHE).body(Vec::new()).build();
    }
    response.set_header("etag", etag);
    Ok(response)
}

/// A code from the path; one that cannot exist is simply not found.
fn path_code(request: &ApiRequest, raw: &str) -> Result<CategoryCode, ApiError> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    CategoryCode::parse("code", &decoded).map_err(|_| ApiError::not_found(request.lang))
}

pub fn read(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let code = path_code(request, raw_code)?;
    let db = Db::open()?;
    let category = categories::find(&db, code.as_str())?.ok_or_else(|| ApiError::not_found(request.lang))?;
    Ok(response::json(200, &category, CACHE))
}

/// The taxonomy is the intake's (administrators'): the database, the
/// caller's principal and the time, or 401 / 403.
fn administrator(request: &ApiRequest) -> Result<(Db, Principal, String), ApiError> {
    let db = Db::open()?;
    let now = clock::timestamp(clock::now());
    let principal = require_staff(&db, request, &now)?;
    lapor_actions::intake::require_intake(&principal, request.lang)?;
    Ok((db, principal, now))
}

pub fn add(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let (db, principal, now) = administrator(request)?;
    let body = workflow::json_object(request)?;
    let new = AddCategory::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let category = actions::add(&db, &principal, &new, &now, lang)?;
    let mut response = response::json(201, &category, "no-store");
    response.set_header("location", format!("/api/v1/categories/{}", category.code));
    Ok(response)
}

pub fn change(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let (db, principal, now) = administrator(request)?;
    let code = path_code(request, raw_code)?;
    let body = workflow::json_object(request)?;
    let change = ChangeCategory::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let category = actions::change(&db, &principal, &code, &change, &now, lang)?;
    Ok(response::json(200, &category, "no-store"))
}

pub fn retire(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let (db, principal, now) = administrator(request)?;
    let code = path_code(request, raw_code)?;
    let change = ChangeCategory { name_id: None, name_en: None, retired: Some(true) };
    let category = actions::change(&db, &principal, &code, &change, &now, lang)?;
    Ok(response::json(200, &category, "no-store"))
}
