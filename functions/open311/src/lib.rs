//! Open311 GeoReport v2 for existing 311 apps: `lapor_domain::routes::OPEN311`.
//!
//! Under `/open311/v2/` every address ends in its format (`.json`, `.xml`)
//! and every answer, errors included, is in the spec's shape
//! (`answer.rs`): `discovery.rs`, `services.rs` (the taxonomy as services,
//! one service's definition), `requests.rs` (the public listing and one
//! request, a token's request) and `create.rs` (a partner app files a
//! report with its `api_key`, through the intake every channel uses). The
//! rules are `lapor_domain::open311`'s, the queries
//! `lapor_platform::open311`'s.
//!
//! `keys.rs` is our own API (`/api/v1/open311/keys`, problem details):
//! administrators issue and revoke partner keys.

mod answer;
mod create;
mod discovery;
mod keys;
mod requests;
mod services;

use answer::Failure;
use lapor_domain::lang::Lang;
use lapor_domain::open311::error::Open311Error;
use lapor_domain::open311::format::{self, Format};
use lapor_domain::routes::{Found, Open311, Resolution, OPEN311};
use lapor_platform::request::{ApiRequest, ReadError};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// A service request is a few kilobytes of form (a 4,000-character
/// description, contacts, a URL); a key request a line of JSON.
const BODY_LIMIT: usize = 64 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    let path = incoming.path_with_query().unwrap_or_default();
    let path = path.split('?').next().unwrap_or("").to_string();
    if path.starts_with("/api/") {
        return lapor_platform::routes::serve(incoming, &OPEN311, |_| BODY_LIMIT, keys::route).await;
    }
    let accept_encoding = lapor_platform::request::accept_encoding(&incoming);
    let response = open311(incoming, &path).await;
    lapor_platform::compress::finish(response, accept_encoding.as_deref())
}

/// An `/open311/v2/` request, answered in the spec's shapes.
async fn open311(incoming: IncomingRequest, path: &str) -> Response {
    let guessed = Format::of_path(path);
    let found = match lapor_platform::routes::resolve(&OPEN311, &incoming) {
        Resolution::Found(found) => found,
        Resolution::MethodNotAllowed { allow } => {
            let lang = lapor_platform::routes::request_lang(&incoming);
            return answer::error(guessed, &Open311Error::method_not_allowed(lang, &allow), &[("allow", allow.join(", "))]);
        }
        Resolution::NotFound => return answer::error(guessed, &Open311Error::not_found(lapor_platform::routes::request_lang(&incoming)), &[]),
    };
    let mut request = match ApiRequest::read(incoming, BODY_LIMIT).await {
        Ok(request) => request,
        Err((lang, ReadError::TooLarge { limit })) => {
            let e = Open311Error::new(413, lang, &format!("Isi permintaan melebihi batas {} KB.", limit / 1024), &format!("The request body exceeds the {} KB limit.", limit / 1024));
            return answer::error(guessed, &e, &[]);
        }
        Err((lang, ReadError::Incomplete)) => {
            let e = Open311Error::new(400, lang, "Isi permintaan terputus sebelum selesai. Kirim ulang.", "The request body was cut off. Please send it again.");
            return answer::error(guessed, &e, &[]);
        }
    };
    // `?lang=` wins over Accept-Language, as on the pages.
    request.lang = Lang::choose(request.query("lang"), request.header("accept-language"));
    route(&request, &found).unwrap_or_else(|failure| failure.into_response(request.lang))
}

fn route(request: &ApiRequest, found: &Found<Open311>) -> Result<Response, Failure> {
    let file = found.param("file");
    // Every address names its format; without one it names nothing.
    let Some((name, format)) = format::split(file) else {
        return Err(Failure::new(Format::of_path(&request.path), Open311Error::not_found(request.lang)));
    };
    match found.route {
        Open311::Resource => match name.as_str() {
            "discovery" => discovery::discovery(request, format),
            "services" => services::list(request, format),
            "requests" => requests::list(request, format),
            _ => Err(Failure::new(format, Open311Error::not_found(request.lang))),
        },
        Open311::Create => match name.as_str() {
            "requests" => create::create(request, format),
            "discovery" | "services" => Err(Failure::new(format, Open311Error::method_not_allowed(request.lang, &["GET", "HEAD"]))
                .with_header("allow", "GET, HEAD")),
            _ => Err(Failure::new(format, Open311Error::not_found(request.lang))),
        },
        Open311::Service => services::definition(request, &name, format),
        Open311::Request => requests::read(request, &name, format),
        Open311::Token => requests::token(request, &name, format),
        // Served through `keys::route` (their paths are under /api/).
        Open311::IssueKey | Open311::RevokeKey => Err(Failure::new(format, Open311Error::not_found(request.lang))),
    }
}

