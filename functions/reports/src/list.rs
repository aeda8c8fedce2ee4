//! `GET /api/v1/reports`: reports of public visibility (named or anonymous)
//! that an administrator has verified, newest first, with keyset pagination.
//! Confidential reports are never listed; unverified ones only when the Spin
//! variable `publish_unverified_reports` is "true". The filter and the page
//! are `lapor_platform::listing`'s, shared with the `/laporan` page.

use lapor_platform::db::Db;
use lapor_platform::listing;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use spin_sdk::http::Response;

pub fn list(request: &ApiRequest) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let page = listing::public_page(&db, request)?;
    let mut response = response::json(200, &page, "public, max-age=15");
    response.set_header("vary", "accept-language");
    Ok(response)
}
