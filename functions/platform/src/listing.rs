//! The public listing (`GET /api/v1/reports` and the `/laporan` page): its
//! query parameters read into a `store::ListFilter` once, and one page of
//! it, so the API and the page filter and paginate alike.

use lapor_domain::codes::{AgencyCode, CategoryCode, RegionCode};
use lapor_domain::lifecycle::Status;
use lapor_domain::view::{list_item, ListItem, Page};

use crate::db::Db;
use crate::paging;
use crate::request::{bad_parameter, search_words, ApiRequest};
use crate::response::ApiError;
use crate::store::{self, ListFilter};

pub const MAX_PAGE: u32 = 100;
pub const DEFAULT_PAGE: u32 = 20;

/// The filter a request's query asks for (400 naming each bad parameter).
/// Unverified reports are listed only when the Spin variable
/// `publish_unverified_reports` is "true".
pub fn filter_of(request: &ApiRequest) -> Result<ListFilter, ApiError> {
    let lang = request.lang;
    let mut filter = ListFilter {
        // Anything but an explicit "true" keeps unverified reports unlisted.
        include_unverified: spin_sdk::variables::get("publish_unverified_reports").is_ok_and(|v| v.trim() == "true"),
        ..ListFilter::default()
    };
    let present = |name: &str| request.query(name).map(str::trim).filter(|v| !v.is_empty());
    if let Some(raw) = present("status") {
        filter.status = Some(Status::parse("status", raw).map_err(|e| bad_parameter(lang, "status", &e.id, &e.en))?);
    }
    if let Some(raw) = present("agency") {
        let code = AgencyCode::parse("agency", raw).map_err(|e| bad_parameter(lang, "agency", &e.id, &e.en))?;
        filter.agency = Some(code.as_str().to_string());
    }
    if let Some(raw) = present("category") {
        let code = CategoryCode::parse("category", raw).map_err(|e| bad_parameter(lang, "category", &e.id, &e.en))?;
        filter.category = Some(code.as_str().to_string());
    }
    if let Some(raw) = present("region") {
        let code = RegionCode::parse("region", raw).map_err(|e| bad_parameter(lang, "region", &e.id, &e.en))?;
        filter.region = Some(code.as_str().to_string());
    }
    if let Some(raw) = present("q") {
        filter.words = search_words(lang, raw)?;
    }
    filter.after = paging::time_cursor(request)?;
    Ok(filter)
}

/// One page of public reports, newest first, with the next page's cursor.
pub fn public_page(db: &Db, request: &ApiRequest) -> Result<Page<ListItem>, ApiError> {
    let filter = filter_of(request)?;
    let limit = paging::limit(request, DEFAULT_PAGE, MAX_PAGE)?;
    let mut rows = store::list_public(db, &filter, limit + 1)?;
    let next_cursor = paging::next_page(&mut rows, limit, |(id, record)| paging::time_cursor_of(&record.created_at, *id));
    Ok(Page { items: rows.iter().map(|(_, record)| list_item(record)).collect(), next_cursor })
}
