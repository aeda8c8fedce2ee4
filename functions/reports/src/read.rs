//! `GET /api/v1/reports/{id}`: a report as the requester may see it.

use lapor_domain::privacy::Viewer;
use lapor_domain::view::report_view;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::store;
use serde_json::json;
use spin_sdk::http::Response;

use crate::viewer::visible_report;

pub fn read(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let (report, viewer) = visible_report(&db, request, raw_id)?;
    let events = store::events(&db, report.id)?;
    let mut view = report_view(&report.record, &events, &viewer).ok_or_else(|| ApiError::not_found(request.lang))?;
    let tracking_id = &report.record.tracking_id;
    view["attachments"] = store::attachments(&db, report.id)?
        .into_iter()
        .map(|(id, kind, size)| {
            json!({"id": id, "kind": kind, "size": size, "url": format!("/api/v1/reports/{tracking_id}/attachments/{id}")})
        })
        .collect();
    let (supports, comments) = store::engagement_counts(&db, report.id)?;
    view["supports"] = json!(supports);
    view["comments"] = json!(comments);
    view["links"] = json!({
        "self": format!("/api/v1/reports/{tracking_id}"),
        "html": format!("/lapor/{tracking_id}"),
        "supports": format!("/api/v1/reports/{tracking_id}/supports"),
        "comments": format!("/api/v1/reports/{tracking_id}/comments"),
        "follows": format!("/api/v1/reports/{tracking_id}/follows"),
    });
    // What only the reporter may see must never sit in a shared cache.
    let cache = match viewer {
        Viewer::Public => "public, no-cache",
        _ => "private, no-store",
    };
    let mut response = response::json(200, &view, cache);
    response.set_header("vary", "authorization, accept-language");
    Ok(response)
}
