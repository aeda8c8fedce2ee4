//! Support ("dukung"): one per identity per report, counted exactly.

use lapor_domain::view::SupportCount;
use lapor_platform::db::Db;
use lapor_platform::engagement;
use lapor_platform::identity::{identity_of, require_identity};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::participation;
use spin_sdk::http::Response;

use crate::target::visible;

fn answer(status: u16, supports: i64, supported: bool) -> Response {
    response::json(status, &SupportCount { supported, supports }, "no-store")
}

/// `GET`: the count, and whether the caller (if identified) supports it.
pub fn status(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let identity = identity_of(&db, request)?;
    let target = visible(&db, request, raw_id, identity.as_ref())?;
    let supported = match &identity {
        Some(identity) => engagement::supports(&db, target.id, &identity.key())?,
        None => false,
    };
    Ok(answer(200, engagement::support_count(&db, target.id)?, supported))
}

/// `POST`: 201 when added, 200 with the same count when already there.
pub fn add(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let ip = request.client_ip();
    let caller = participation::Caller { lang: request.lang, client_ip: Some(&ip), identity: &identity };
    let (added, count) = participation::support(&db, &caller, raw_id)?;
    Ok(answer(if added { 201 } else { 200 }, count, true))
}

/// `DELETE`: withdraws the caller's support (a no-op if there is none).
pub fn withdraw(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let count = participation::withdraw_support(&db, request.lang, &identity, raw_id)?;
    Ok(answer(200, count, false))
}
