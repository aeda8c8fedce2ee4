//! `GET requests.{fmt}`, `GET requests/{id}.{fmt}` and `GET tokens/{token}.{fmt}`.
//!
//! What the public may see and nothing more: the reports are read from
//! `reports` only (`lapor_platform::open311`), each shown through its public
//! view (`view::report_view` with `Viewer::Public`), so a confidential
//! report is answered exactly like an unknown one (404, or absent from a
//! list) and no contact field exists to show. A search lists what the
//! public listing lists (verified reports, unless `publish_unverified_reports`);
//! a request named by its ID is shown as its tracking page would show it.
//!
//! A token is the tracking ID: requests are created at once (`realtime`),
//! so no answer ever hands out another token.

use std::collections::HashMap;

use lapor_domain::agency::TimeZone;
use lapor_domain::open311::error::Open311Error;
use lapor_domain::open311::format::{Document, Format};
use lapor_domain::open311::query::{RequestQuery, Selection};
use lapor_domain::open311::view::{service_request, RequestFacts, ServiceRequestView, TokenView};
use lapor_domain::privacy::Viewer;
use lapor_domain::tracking_id::TrackingId;
use lapor_domain::view::{report_view, CategoryView};
use lapor_platform::db::Db;
use lapor_platform::open311::{self as data, Found};
use lapor_platform::request::ApiRequest;
use lapor_platform::{categories, clock, store};
use spin_sdk::http::Response;

use crate::answer::{self, Failure, Internal};

/// Statuses change by the minute; a client polling should see them soon.
const CACHE: &str = "public, max-age=15";

pub fn list(request: &ApiRequest, format: Format) -> Result<Response, Failure> {
    let lang = request.lang;
    let query = RequestQuery::parse(&request.query, clock::now()).map_err(|invalid| Failure::new(format, Open311Error::bad_request(lang, &invalid)))?;
    let db = Db::open().or_internal(format)?;
    let found = match &query.selection {
        Selection::Ids(ids) => {
            let all = data::by_ids(&db, ids).or_internal(format)?;
            all.into_iter().skip(usize::try_from(query.offset()).unwrap_or(usize::MAX)).take(query.page_size as usize).collect()
        }
        Selection::Search(search) => {
            // Anything but an explicit "true" keeps unverified reports unlisted.
            let include_unverified = spin_sdk::variables::get("publish_unverified_reports").is_ok_and(|v| v.trim() == "true");
            data::search(&db, search, include_unverified, query.page_size, query.offset()).or_internal(format)?
        }
    };
    let requests = requests(&db, found, request).or_internal(format)?;
    Ok(answer::document(format, Document::ServiceRequests, &requests, 200, CACHE, lang))
}

/// The public report `raw` names, as its request; 404 for anything else.
fn one(request: &ApiRequest, raw: &str, format: Format) -> Result<(TrackingId, ServiceRequestView), Failure> {
    let not_found = || Failure::new(format, Open311Error::request_not_found(request.lang, raw));
    let id = TrackingId::parse(raw).map_err(|_| not_found())?;
    let db = Db::open().or_internal(format)?;
    let found = data::by_ids(&db, &[id]).or_internal(format)?;
    let shown = requests(&db, found, request).or_internal(format)?;
    shown.into_iter().next().map(|view| (id, view)).ok_or_else(not_found)
}

pub fn read(request: &ApiRequest, raw: &str, format: Format) -> Result<Response, Failure> {
    let (_, view) = one(request, raw, format)?;
    Ok(answer::document(format, Document::ServiceRequests, &[view], 200, CACHE, request.lang))
}

pub fn token(request: &ApiRequest, raw: &str, format: Format) -> Result<Response, Failure> {
    let (id, _) = one(request, raw, format)?;
    let view = TokenView { service_request_id: id.to_string(), token: raw.to_string() };
    Ok(answer::document(format, Document::ServiceRequests, &[view], 200, CACHE, request.lang))
}

/// Each report's request, through its public view (a report without one
/// is left out).
fn requests(db: &Db, found: Vec<Found>, request: &ApiRequest) -> anyhow::Result<Vec<ServiceRequestView>> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = found.iter().map(|f| f.id).collect();
    let follow_ups = data::follow_ups(db, &ids)?;
    // Retired categories too: requests filed under them keep their name.
    let taxonomy: HashMap<String, CategoryView> = categories::list(db, true)?.into_iter().map(|c| (c.code.clone(), c)).collect();
    let mut agencies: HashMap<String, Option<store::AgencyRow>> = HashMap::new();
    let mut shown = Vec::with_capacity(found.len());
    for report in found {
        let events: Vec<_> = follow_ups.iter().filter(|(id, _)| *id == report.id).map(|(_, e)| e.clone()).collect();
        let Some(view) = report_view(&report.record, &events, &Viewer::Public) else { continue };
        let agency = match &view.agency {
            Some(code) => {
                if !agencies.contains_key(code) {
                    agencies.insert(code.clone(), store::find_agency(db, code)?);
                }
                agencies[code].as_ref()
            }
            None => None,
        };
        let facts = RequestFacts {
            view: &view,
            service_name: view.category.as_ref().and_then(|code| taxonomy.get(code)).map(|c| c.name(request.lang)),
            agency_name: agency.map(|a| a.name.as_str()),
            zone: agency.and_then(|a| TimeZone::from_stored(&a.timezone)).unwrap_or(TimeZone::Wib),
            media_url: report.media_url.as_deref(),
        };
        shown.push(service_request(&facts, request.lang));
    }
    Ok(shown)
}
