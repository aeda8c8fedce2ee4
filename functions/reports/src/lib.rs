//! `/api/v1/reports`: a citizen files a report and follows it.
//!
//! | method | path | handler |
//! | --- | --- | --- |
//! | POST | /api/v1/reports | [`create`] (JSON or HTML form) |
//! | GET | /api/v1/reports | [`list`] (public reports, newest first) |
//! | GET | /api/v1/reports/{id} | [`read`] |
//! | POST | /api/v1/reports/{id}/attachments | [`attachments::upload`] |
//! | GET | /api/v1/reports/{id}/attachments/{attachment} | [`attachments::download`] |
//! | POST | /api/v1/reports/{id}/replies | [`reporter::reply`] (reporter token) |
//! | POST | /api/v1/reports/{id}/rating | [`reporter::rate`] (reporter token, once) |

mod attachments;
mod create;
mod list;
mod read;
mod reporter;
mod viewer;

use lapor_domain::attachment::MAX_ATTACHMENT_BYTES;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// A report is at most ~5,000 characters of body plus small fields; 64 KiB
/// leaves room for multi-byte scripts without letting a client send more.
const REPORT_BODY_LIMIT: usize = 64 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    let path = incoming.path_with_query().unwrap_or_default();
    let path = path.split('?').next().unwrap_or("");
    let is_upload = incoming.method().to_string() == "POST" && path.trim_end_matches('/').ends_with("/attachments");
    let limit = if is_upload { MAX_ATTACHMENT_BYTES } else { REPORT_BODY_LIMIT };
    lapor_platform::request::serve(incoming, limit, route).await
}

fn route(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    // `/api/v1/reports` itself has an empty path info; below it, the rest.
    let rest = request.path_info().trim_matches('/').to_string();
    let parts: Vec<&str> = if rest.is_empty() { Vec::new() } else { rest.split('/').collect() };
    match (request.method.as_str(), parts.as_slice()) {
        ("POST", []) => create::create(request),
        ("GET" | "HEAD", []) => list::list(request),
        (_, []) => Err(ApiError::method_not_allowed(lang, &["GET", "POST"])),
        ("GET" | "HEAD", [id]) => read::read(request, id),
        (_, [_]) => Err(ApiError::method_not_allowed(lang, &["GET"])),
        ("POST", [id, "attachments"]) => attachments::upload(request, id),
        ("POST", [id, "replies"]) => reporter::reply(request, id),
        ("POST", [id, "rating"]) => reporter::rate(request, id),
        (_, [_, "replies" | "rating"]) => Err(ApiError::method_not_allowed(lang, &["POST"])),
        (_, [_, "attachments"]) => Err(ApiError::method_not_allowed(lang, &["POST"])),
        ("GET" | "HEAD", [id, "attachments", attachment]) => attachments::download(request, id, attachment),
        (_, [_, "attachments", _]) => Err(ApiError::method_not_allowed(lang, &["GET"])),
        _ => Err(ApiError::not_found(lang)),
    }
}
