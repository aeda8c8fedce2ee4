//! `GET /api/v1/reports/{id}`: a report as the requester may see it.

use lapor_domain::privacy::Viewer;
use lapor_domain::view::{report_view, AttachmentView, ReportDetail, ReportLinks};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::store;
use spin_sdk::http::Response;

use crate::viewer::visible_report;

pub fn read(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let (report, viewer) = visible_report(&db, request, raw_id)?;
    let events = store::events(&db, report.id)?;
    let report_view = report_view(&report.record, &events, &viewer).ok_or_else(|| ApiError::not_found(request.lang))?;
    let tracking_id = &report.record.tracking_id;
    let attachments = store::attachments(&db, report.id)?
        .into_iter()
        .map(|(id, kind, size)| AttachmentView::new(tracking_id, id, kind, size))
        .collect();
    let (supports, comments) = store::engagement_counts(&db, report.id)?;
    let view = ReportDetail { report: report_view, attachments, supports, comments, links: ReportLinks::of(tracking_id) };
    // What only the reporter may see must never sit in a shared cache.
    let cache = match viewer {
        Viewer::Public => "public, no-cache",
        _ => "private, no-store",
    };
    let mut response = response::json(200, &view, cache);
    response.set_header("vary", "authorization, accept-language");
    Ok(response)
}
