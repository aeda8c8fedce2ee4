//! `/api/v1/reports`: a citizen files a report and follows it.
//!
//! Routes: `lapor_domain::routes::REPORTS`, bound to handlers in [`route`]:
//! filing (JSON or HTML form), the public list (newest first), reading,
//! attachments, and the reporter's replies and rating (reporter token).

mod attachments;
mod create;
mod list;
mod read;
mod reporter;
mod viewer;

use lapor_domain::attachment::MAX_ATTACHMENT_BYTES;
use lapor_domain::routes::{Found, Reports, REPORTS};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// A report is at most ~5,000 characters of body plus small fields; 64 KiB
/// leaves room for multi-byte scripts without letting a client send more.
const REPORT_BODY_LIMIT: usize = 64 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    let limit = |route| if route == Reports::Upload { MAX_ATTACHMENT_BYTES } else { REPORT_BODY_LIMIT };
    lapor_platform::routes::serve(incoming, &REPORTS, limit, route).await
}

fn route(request: &ApiRequest, found: &Found<Reports>) -> Result<Response, ApiError> {
    let id = found.param("id");
    match found.route {
        Reports::Create => create::create(request),
        Reports::List => list::list(request),
        Reports::Read => read::read(request, id),
        Reports::Upload => attachments::upload(request, id),
        Reports::Download => attachments::download(request, id, found.param("attachment")),
        Reports::Reply => reporter::reply(request, id),
        Reports::Rate => reporter::rate(request, id),
    }
}
