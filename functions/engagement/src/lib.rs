//! The public's part in a report: identities, support ("dukung"), comments
//! with moderation, and following ("kawal").
//!
//! | method | path | handler |
//! | --- | --- | --- |
//! | POST | /api/v1/citizens | [`citizens::create`] (optionally sends an SMS code) |
//! | POST | /api/v1/citizens/verify | [`citizens::verify`] (`{phone}` sends a code, `{code}` proves it) |
//! | GET | /api/v1/citizens/me | [`citizens::me`] |
//! | GET, POST, DELETE | /api/v1/reports/:id/supports | [`supports`] |
//! | GET, POST | /api/v1/reports/:id/comments | [`comments::list`], [`comments::create`] |
//! | GET, POST, DELETE | /api/v1/reports/:id/follows | [`follows`] |
//! | POST | /api/v1/comments/{comment}/flags | [`comments::flag`] |
//! | POST | /api/v1/comments/{comment}/hide, /restore | [`comments::moderate`] (staff) |
//! | GET | /api/v1/comments?state=hidden, ?state=flagged | [`comments::review_queue`] (staff: the review queues) |
//!
//! Writes need an identity (a citizen or reporter token) and are rate
//! limited per identity and per client address (Spin variables).

mod citizens;
mod comments;
mod follows;
mod supports;
mod target;

use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// Comments are at most 2,000 characters (8 KB of UTF-8) plus a name.
const BODY_LIMIT: usize = 16 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::request::serve(incoming, BODY_LIMIT, route).await
}

fn route(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let method = request.method.as_str();
    let path = request.path.trim_end_matches('/');
    let parts: Vec<&str> = path.trim_start_matches("/api/v1/").split('/').collect();
    match (method, parts.as_slice()) {
        ("POST", ["citizens"]) => citizens::create(request),
        (_, ["citizens"]) => Err(ApiError::method_not_allowed(lang, &["POST"])),
        ("POST", ["citizens", "verify"]) => citizens::verify(request),
        (_, ["citizens", "verify"]) => Err(ApiError::method_not_allowed(lang, &["POST"])),
        ("GET", ["citizens", "me"]) => citizens::me(request),
        (_, ["citizens", "me"]) => Err(ApiError::method_not_allowed(lang, &["GET"])),

        ("GET" | "HEAD", ["reports", id, "supports"]) => supports::status(request, id),
        ("POST", ["reports", id, "supports"]) => supports::add(request, id),
        ("DELETE", ["reports", id, "supports"]) => supports::withdraw(request, id),
        (_, ["reports", _, "supports"]) => Err(ApiError::method_not_allowed(lang, &["GET", "POST", "DELETE"])),
        ("GET" | "HEAD", ["reports", id, "comments"]) => comments::list(request, id),
        ("POST", ["reports", id, "comments"]) => comments::create(request, id),
        (_, ["reports", _, "comments"]) => Err(ApiError::method_not_allowed(lang, &["GET", "POST"])),
        ("GET" | "HEAD", ["reports", id, "follows"]) => follows::list(request, id),
        ("POST", ["reports", id, "follows"]) => follows::add(request, id),
        ("DELETE", ["reports", id, "follows"]) => follows::remove(request, id),
        (_, ["reports", _, "follows"]) => Err(ApiError::method_not_allowed(lang, &["GET", "POST", "DELETE"])),

        ("GET" | "HEAD", ["comments"]) => comments::review_queue(request),
        (_, ["comments"]) => Err(ApiError::method_not_allowed(lang, &["GET"])),
        ("POST", ["comments", id, "flags"]) => comments::flag(request, id),
        ("POST", ["comments", id, action @ ("hide" | "restore")]) => comments::moderate(request, id, action),
        (_, ["comments", _, "flags" | "hide" | "restore"]) => Err(ApiError::method_not_allowed(lang, &["POST"])),
        _ => Err(ApiError::not_found(lang)),
    }
}
