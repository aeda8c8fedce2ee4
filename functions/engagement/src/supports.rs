//! Support ("dukung"): one per identity per report, counted exactly.

use lapor_domain::engagement::may_support;
use lapor_domain::view::SupportCount;
use lapor_platform::db::Db;
use lapor_platform::engagement;
use lapor_platform::identity::{identity_of, require_identity};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::clock;
use lapor_platform::workflow::load_state;
use spin_sdk::http::Response;

use crate::target::{rate_limit, refused, visible};

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
    let target = visible(&db, request, raw_id, Some(&identity))?;
    may_support(target.privacy, target.status).map_err(|r| refused(request, &target, r, "dukungan", "support"))?;
    rate_limit(request, &identity)?;
    let now = clock::timestamp(clock::now());
    let key = identity.key();
    let (added, count) = db.transaction(|db| -> Result<_, ApiError> {
        // Re-checked under the write lock: the report may have changed.
        let current = load_state(db, &target.tracking_id)?.ok_or_else(|| ApiError::not_found(request.lang))?;
        may_support(current.privacy, current.status).map_err(|r| refused(request, &current, r, "dukungan", "support"))?;
        let added = engagement::add_support(db, target.id, &key, &now)?;
        Ok((added, engagement::support_count(db, target.id)?))
    })?;
    Ok(answer(if added { 201 } else { 200 }, count, true))
}

/// `DELETE`: withdraws the caller's support (a no-op if there is none).
pub fn withdraw(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let target = visible(&db, request, raw_id, Some(&identity))?;
    let key = identity.key();
    let count = db.transaction(|db| -> Result<_, ApiError> {
        engagement::remove_support(db, target.id, &key)?;
        Ok(engagement::support_count(db, target.id)?)
    })?;
    Ok(answer(200, count, false))
}
