//! The work behind every report: staff accounts, the administrators' intake
//! ("no wrong door") and each agency's inbox.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | POST | /api/v1/staff | admin; coordinator for its own agency |
//! | DELETE | /api/v1/staff/{id} | admin; coordinator for its own agency |
//! | GET | /api/v1/admin/reports?status=&limit=&cursor= | admin (oldest first, counts per status: [`queue`]) |
//! | GET | /api/v1/admin/reports/{id} | admin (with the reporter's identity, logged) |
//! | POST | /api/v1/admin/reports/{id}/verify, /hold, /archive | admin |
//! | GET | /api/v1/agency/reports?status=&unit=&limit=&cursor= | the agency's staff (the same shape) |
//! | GET | /api/v1/agency/reports/{id} | the agency's staff |
//! | POST | /api/v1/agency/reports/{id}/assign, /forward | coordinator |
//! | POST | /api/v1/agency/reports/{id}/responses | coordinator, officer |
//! | GET | /api/v1/admin/notifications?state=dead | admin (the dead letter, addresses masked) |
//! | POST | /api/v1/admin/notifications/{n}/retry | admin |
//!
//! `{id}` is a report's tracking ID; `{n}` a notification's number. Any
//! other path below the component's prefixes is 404, a known one with
//! another method 405 with `Allow`.

mod admin;
mod agency;
mod notifications;
mod queue;
mod staff;
mod views;

use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

const BODY_LIMIT: usize = 64 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::request::serve(incoming, BODY_LIMIT, route).await
}

fn route(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let path = request.path.trim_end_matches('/').to_string();
    let parts: Vec<&str> = path.trim_start_matches("/api/v1/").split('/').collect();
    let method = request.method.as_str();
    match (parts.as_slice(), method) {
        (["staff"], "POST") => staff::create(request),
        (["staff"], _) => Err(ApiError::method_not_allowed(lang, &["POST"])),
        (["staff", id], "DELETE") => staff::revoke(request, id),
        (["staff", _], _) => Err(ApiError::method_not_allowed(lang, &["DELETE"])),

        (["admin", "reports"], "GET") => admin::queue(request),
        (["admin", "reports", id], "GET") => admin::read(request, id),
        (["admin", "reports", id, "verify"], "POST") => admin::verify(request, id),
        (["admin", "reports", id, "hold"], "POST") => admin::hold(request, id),
        (["admin", "reports", id, "archive"], "POST") => admin::archive(request, id),
        (["admin", "notifications"], "GET") => notifications::dead_letter(request),
        (["admin", "notifications"], _) => Err(ApiError::method_not_allowed(lang, &["GET"])),
        (["admin", "notifications", id, "retry"], "POST") => notifications::retry(request, id),
        (["admin", "notifications", _, "retry"], _) => Err(ApiError::method_not_allowed(lang, &["POST"])),

        (["agency", "reports"], "GET") => agency::inbox(request),
        (["agency", "reports", id], "GET") => agency::read(request, id),
        (["agency", "reports", id, "assign"], "POST") => agency::assign(request, id),
        (["agency", "reports", id, "forward"], "POST") => agency::forward(request, id),
        (["agency", "reports", id, "responses"], "POST") => agency::respond(request, id),

        (["admin" | "agency", "reports"], _) | (["admin" | "agency", "reports", _], _) => {
            Err(ApiError::method_not_allowed(lang, &["GET"]))
        }
        (["admin", "reports", _, "verify" | "hold" | "archive"], _) | (["agency", "reports", _, "assign" | "forward" | "responses"], _) => {
            Err(ApiError::method_not_allowed(lang, &["POST"]))
        }
        _ => Err(ApiError::not_found(lang)),
    }
}
