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
use lapor_domain::invalid::Invalid;
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::CategoryList;
use lapor_platform::auth::require_admin;
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

pub fn add(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let db = Db::open()?;
    let now = clock::timestamp(clock::now());
    require_admin(&db, request, &now)?;
    let body = workflow::json_object(request)?;
    let new = AddCategory::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let created = db.transaction(|db| -> Result<bool, ApiError> {
        if let Some(parent) = &new.parent {
            let parent_is_topic = categories::find(db, parent.as_str())?.map(|p| p.parent.is_none());
            lapor_domain::category::check_parent("parent", parent_is_topic).map_err(|e| ApiError::validation(lang, &[e]))?;
        }
        Ok(categories::insert(db, new.code.as_str(), new.parent.as_ref().map(|p| p.as_str()), new.name_id.as_str(), new.name_en.as_str(), &now)?)
    })?;
    if !created {
        return Err(ApiError::new(
            ProblemKind::Conflict,
            lang,
            "Kode kategori ini sudah ada (kode tidak pernah dipakai ulang, juga yang sudah tidak dipakai). Ubah namanya dengan PUT.",
            "This category code exists (codes are never reused, retired ones included). Rename it with PUT.",
        ));
    }
    let category = categories::find(&db, new.code.as_str())?.ok_or_else(|| anyhow::anyhow!("category vanished"))?;
    let mut response = response::json(201, &category, "no-store");
    response.set_header("location", format!("/api/v1/categories/{}", category.code));
    Ok(response)
}

pub fn change(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let db = Db::open()?;
    let now = clock::timestamp(clock::now());
    require_admin(&db, request, &now)?;
    let code = path_code(request, raw_code)?;
    let body = workflow::json_object(request)?;
    let ChangeCategory { name_id, name_en, retired } = ChangeCategory::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    update(&db, request, &code, name_id.as_ref().map(|n| n.as_str()), name_en.as_ref().map(|n| n.as_str()), retired, &now)
}

pub fn retire(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let now = clock::timestamp(clock::now());
    require_admin(&db, request, &now)?;
    let code = path_code(request, raw_code)?;
    update(&db, request, &code, None, None, Some(true), &now)
}

fn update(
    db: &Db,
    request: &ApiRequest,
    code: &CategoryCode,
    name_id: Option<&str>,
    name_en: Option<&str>,
    retired: Option<bool>,
    now: &str,
) -> Result<Response, ApiError> {
    let lang = request.lang;
    let found = db.transaction(|db| -> Result<bool, ApiError> {
        if retired == Some(false) {
            // A sub-topic comes back only under a topic that is active.
            if let Some(category) = categories::find(db, code.as_str())? {
                if let Some(parent) = category.parent.as_deref().and_then(|p| categories::find(db, p).transpose()) {
                    if parent?.retired_at.is_some() {
                        return Err(ApiError::validation(lang, &[Invalid::new(
                            "retired",
                            "Topik induknya sudah tidak dipakai: pulihkan topik itu lebih dulu.",
                            "Its topic is retired: restore the topic first.",
                        )]));
                    }
                }
            }
        }
        Ok(categories::update(db, code.as_str(), name_id, name_en, retired, now)?)
    })?;
    if !found {
        return Err(ApiError::not_found(lang));
    }
    let category = categories::find(db, code.as_str())?.ok_or_else(|| anyhow::anyhow!("category vanished"))?;
    Ok(response::json(200, &category, "no-store"))
}
