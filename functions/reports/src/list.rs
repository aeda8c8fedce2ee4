//! `GET /api/v1/reports`: reports of public visibility (named or anonymous)
//! that an administrator has verified, newest first, with keyset pagination.
//! Confidential reports are never listed; unverified ones only when the Spin
//! variable `publish_unverified_reports` is "true".

use lapor_domain::codes::{AgencyCode, CategoryCode, RegionCode};
use lapor_domain::lifecycle::Status;
use lapor_domain::view::{list_item, Page};
use lapor_platform::db::Db;
use lapor_platform::paging;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::store::{self, ListFilter};
use spin_sdk::http::Response;

const MAX_PAGE: u32 = 100;
const DEFAULT_PAGE: u32 = 20;

fn bad_parameter(request: &ApiRequest, name: &str, id: &str, en: &str) -> ApiError {
    lapor_platform::request::bad_parameter(request.lang, name, id, en)
}

fn filter_of(request: &ApiRequest) -> Result<ListFilter, ApiError> {
    let mut filter = ListFilter {
        // Anything but an explicit "true" keeps unverified reports unlisted.
        include_unverified: spin_sdk::variables::get("publish_unverified_reports").is_ok_and(|v| v.trim() == "true"),
        ..ListFilter::default()
    };
    let present = |name: &str| request.query(name).map(str::trim).filter(|v| !v.is_empty());
    if let Some(raw) = present("status") {
        filter.status = Some(Status::parse("status", raw).map_err(|e| bad_parameter(request, "status", &e.id, &e.en))?);
    }
    if let Some(raw) = present("agency") {
        let code = AgencyCode::parse("agency", raw).map_err(|e| bad_parameter(request, "agency", &e.id, &e.en))?;
        filter.agency = Some(code.as_str().to_string());
    }
    if let Some(raw) = present("category") {
        let code = CategoryCode::parse("category", raw).map_err(|e| bad_parameter(request, "category", &e.id, &e.en))?;
        filter.category = Some(code.as_str().to_string());
    }
    if let Some(raw) = present("region") {
        let code = RegionCode::parse("region", raw).map_err(|e| bad_parameter(request, "region", &e.id, &e.en))?;
        filter.region = Some(code.as_str().to_string());
    }
    if let Some(raw) = present("q") {
        filter.words = lapor_platform::request::search_words(request.lang, raw)?;
    }
    filter.after = paging::time_cursor(request)?;
    Ok(filter)
}

pub fn list(request: &ApiRequest) -> Result<Response, ApiError> {
    let filter = filter_of(request)?;
    let limit = paging::limit(request, DEFAULT_PAGE, MAX_PAGE)?;
    let db = Db::open()?;
    let mut rows = store::list_public(&db, &filter, limit + 1)?;
    let next_cursor = paging::next_page(&mut rows, limit, |(id, record)| paging::time_cursor_of(&record.created_at, *id));
    let page = Page { items: rows.iter().map(|(_, record)| list_item(record)).collect(), next_cursor };
    let mut response = response::json(200, &page, "public, max-age=15");
    response.set_header("vary", "accept-language");
    Ok(response)
}
