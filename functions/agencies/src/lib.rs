//! `/api/v1/agencies`: the public directory of every institution a report
//! can be sent to (ministries, agencies, provincial, regency and city
//! governments, state-owned enterprises), with their work units. Routes:
//! `lapor_domain::routes::AGENCIES`. The list (`?q=&type=&region=&limit=&cursor=`)
//! is `{items, next_cursor}` ordered by code; one agency comes with its `units`.
//! The category taxonomy is directory data too: `/api/v1/categories`
//! (`categories.rs`).

mod categories;

use lapor_domain::agency::AgencyType;
use lapor_domain::codes::RegionCode;
use lapor_domain::cursor::KeyCursor;
use lapor_domain::view::{AgencyDetail, AgencyView, Page, UnitView};
use lapor_domain::routes::{Agencies, Found, AGENCIES};
use lapor_domain::command::SetEmbedOrigins;
use lapor_platform::auth::require_staff;
use lapor_platform::db::Db;
use lapor_platform::{clock, embeds, workflow};
use lapor_platform::paging;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::store::{self, AgencyFilter};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// The whole directory fits in two pages of this size.
const MAX_PAGE: u32 = 1000;
const DEFAULT_PAGE: u32 = 50;
/// The directory changes rarely; let phones and proxies keep it a while.
const CACHE: &str = "public, max-age=3600";

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &AGENCIES, body_limit, route).await
}

/// Only the administrators' changes carry a body.
fn body_limit(route: Agencies) -> usize {
    match route {
        Agencies::SetEmbedOrigins | Agencies::AddCategory | Agencies::ChangeCategory => 8 * 1024,
        _ => 0,
    }
}

fn route(request: &ApiRequest, found: &Found<Agencies>) -> Result<Response, ApiError> {
    match found.route {
        Agencies::List => list(request),
        Agencies::Read => read(request, found.param("code")),
        Agencies::Figures => figures(request, found.param("code")),
        Agencies::EmbedOrigins => embed_origins(request, found.param("code")),
        Agencies::SetEmbedOrigins => set_embed_origins(request, found.param("code")),
        Agencies::Categories => categories::list(request),
        Agencies::AddCategory => categories::add(request),
        Agencies::Category => categories::read(request, found.param("code")),
        Agencies::ChangeCategory => categories::change(request, found.param("code")),
        Agencies::RetireCategory => categories::retire(request, found.param("code")),
    }
}

/// The agency a path names, or 404.
/// The agency a path names (as sent, percent-encoded), or 404.
fn agency_of(db: &Db, request: &ApiRequest, raw_code: &str) -> Result<store::AgencyRow, ApiError> {
    let decoded = percent_encoding::percent_decode_str(raw_code).decode_utf8_lossy();
    lapor_actions::embeds::agency(db, &decoded, request.lang)
}

fn figures(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let agency = agency_of(&db, request, raw_code)?;
    let figures = embeds::figures(&db, &agency.code, &agency.name)?;
    let mut response = response::json(200, &figures, "public, max-age=300");
    // Agency websites draw the badge from this: any origin may read it,
    // and no credentials are ever involved.
    response.set_header("access-control-allow-origin", "*");
    Ok(response)
}

fn embed_origins(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let decoded = percent_encoding::percent_decode_str(raw_code).decode_utf8_lossy();
    let (_, view) = lapor_actions::embeds::origins(&db, &principal, &decoded, request.lang)?;
    Ok(response::json(200, &view, "no-store"))
}

fn set_embed_origins(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    lapor_actions::intake::require_intake(&principal, lang)?;
    let decoded = percent_encoding::percent_decode_str(raw_code).decode_utf8_lossy();
    lapor_actions::embeds::agency(&db, &decoded, lang)?;
    let body = workflow::json_object(request)?;
    let command = SetEmbedOrigins::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let view = lapor_actions::embeds::set(&db, &principal, &decoded, &command, &now, lang)?;
    Ok(response::json(200, &view, "no-store"))
}

fn bad_parameter(request: &ApiRequest, name: &str, id: &str, en: &str) -> ApiError {
    lapor_platform::request::bad_parameter(request.lang, name, id, en)
}

fn list(request: &ApiRequest) -> Result<Response, ApiError> {
    let present = |name: &str| request.query(name).map(str::trim).filter(|v| !v.is_empty());
    let mut filter = AgencyFilter::default();
    if let Some(raw) = present("type") {
        let t = AgencyType::parse("type", raw).map_err(|e| bad_parameter(request, "type", &e.id, &e.en))?;
        filter.agency_type = Some(t.as_str().to_string());
    }
    if let Some(raw) = present("region") {
        let region = RegionCode::parse("region", raw).map_err(|e| bad_parameter(request, "region", &e.id, &e.en))?;
        filter.region = Some(region.as_str().to_string());
    }
    if let Some(raw) = present("q") {
        filter.words = lapor_platform::request::search_words(request.lang, raw)?;
    }
    if let Some(raw) = present("cursor") {
        let cursor = KeyCursor::decode(raw).ok_or_else(|| paging::bad_cursor(request.lang))?;
        filter.after = Some(cursor.0);
    }
    let limit = paging::limit(request, DEFAULT_PAGE, MAX_PAGE)?;
    let db = Db::open()?;
    let mut rows = store::list_agencies(&db, &filter, limit + 1)?;
    let next_cursor = paging::next_page(&mut rows, limit, |row| KeyCursor(row.code.clone()).encode());
    let page = Page { items: rows.iter().map(AgencyView::from).collect(), next_cursor };
    Ok(response::json(200, &page, CACHE))
}

fn read(request: &ApiRequest, raw_code: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let agency = agency_of(&db, request, raw_code)?;
    let units = store::units(&db, &agency.code)?.into_iter().map(|(code, name)| UnitView { code, name }).collect();
    Ok(response::json(200, &AgencyDetail { agency: AgencyView::from(&agency), units }, CACHE))
}
