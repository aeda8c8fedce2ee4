//! Attachments: the reporter adds photos or PDFs; reading one obeys the
//! report's privacy exactly as reading the report does.
//!
//! Upload the file's bytes as the request body (any Content-Type: the type
//! is recognised from the bytes). Image metadata (EXIF, GPS, XMP, comments)
//! is removed before anything is stored (`lapor_platform::reporter::add_attachment`,
//! shared with the tracking page's upload form).

use lapor_domain::privacy::Viewer;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::store;
use spin_sdk::http::Response;

use crate::viewer::visible_report;

pub fn upload(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let report = crate::reporter::as_reporter(&db, request, raw_id)?;
    let answer = lapor_platform::reporter::add_attachment(&db, request.lang, &report, &request.body)?;
    let url = answer.url.clone();
    let mut response = response::json(201, &answer, "no-store");
    response.set_header("location", url);
    Ok(response)
}

pub fn download(request: &ApiRequest, raw_id: &str, attachment_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let (report, viewer) = visible_report(&db, request, raw_id)?;
    let (kind, data) =
        store::attachment_data(&db, report.id, attachment_id)?.ok_or_else(|| ApiError::not_found(request.lang))?;
    let (content_type, extension) = match kind.as_str() {
        "jpeg" => ("image/jpeg", "jpg"),
        "png" => ("image/png", "png"),
        _ => ("application/pdf", "pdf"),
    };
    // Images display inline; PDFs download, so a crafted PDF never runs in
    // the service's origin. Nothing here may be sniffed into HTML.
    let disposition = if extension == "pdf" { "attachment" } else { "inline" };
    // `no-cache`: a shared cache must revalidate, so a report raised to
    // confidential stops being served from caches at once.
    let cache = if viewer == Viewer::Public { "public, no-cache" } else { "private, no-store" };
    Ok(Response::builder()
        .status(200)
        .header("content-type", content_type)
        .header("content-disposition", format!("{disposition}; filename=\"{attachment_id}.{extension}\""))
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", cache)
        .header("vary", "authorization")
        .body(data)
        .build())
}
