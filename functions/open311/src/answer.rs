//! Answers in GeoReport v2's shapes: a document in the format the address
//! names, or an error (`[{"code", "description"}]` / `<errors>`), never a
//! problem-details body, so a 311 client reads every answer alike.

use lapor_domain::lang::Lang;
use lapor_domain::open311::error::{ErrorItem, Open311Error};
use lapor_domain::open311::format::{render, Document, Format};
use lapor_platform::response::ApiError;
use serde::Serialize;
use spin_sdk::http::Response;

/// `value` as `document` in `format`.
pub fn document<T: Serialize + ?Sized>(format: Format, document: Document, value: &T, status: u16, cache: &str, lang: Lang) -> Response {
    match render(format, document, value) {
        Ok(body) => Response::builder()
            .status(status)
            .header("content-type", format.content_type())
            .header("content-language", lang.tag())
            .header("cache-control", cache)
            .header("vary", "accept-language")
            .body(body)
            .build(),
        // Views are plain structs with string keys: this cannot happen, and
        // if it did the client would get a 500, never half a document.
        Err(e) => Failure::internal(format, anyhow::anyhow!("view not serializable: {e}")).into_response(lang),
    }
}

/// An error answer, with extra headers (`Allow`, `Retry-After`).
pub fn error(format: Format, error: &Open311Error, headers: &[(&str, String)]) -> Response {
    let body = render(format, Document::Errors, &error.errors).unwrap_or_default();
    let mut builder = Response::builder();
    builder.status(error.status).header("content-type", format.content_type()).header("cache-control", "no-store");
    for (name, value) in headers {
        builder.header(*name, value.as_str());
    }
    builder.body(body).build()
}

/// Why a handler did not produce its document.
#[derive(Debug)]
pub enum Failure {
    /// The caller's mistake, answered as this error.
    Refused { format: Format, error: Open311Error, headers: Vec<(&'static str, String)> },
    /// Ours: logged, answered 500 without details.
    Internal { format: Format, error: anyhow::Error },
}

impl Failure {
    pub fn new(format: Format, error: Open311Error) -> Self {
        Failure::Refused { format, error, headers: Vec::new() }
    }

    pub fn internal(format: Format, error: anyhow::Error) -> Self {
        Failure::Internal { format, error }
    }

    pub fn with_header(self, name: &'static str, value: impl Into<String>) -> Self {
        match self {
            Failure::Refused { format, error, mut headers } => {
                headers.push((name, value.into()));
                Failure::Refused { format, error, headers }
            }
            other => other,
        }
    }

    /// One of our own API's errors (from the intake every channel shares:
    /// a malformed or reused idempotency key, a rate limit, ours) in the
    /// spec's shape: 429 and 5xx keep their status, any other refusal is the
    /// spec's 400; each field error the problem lists is an entry of its own.
    pub fn from_api(format: Format, error: ApiError) -> Self {
        match error {
            ApiError::Internal(error) => Failure::internal(format, error),
            ApiError::Problem(problem, headers) => {
                let status = match problem.status {
                    429 => 429,
                    status if status >= 500 => 500,
                    _ => 400,
                };
                let mut errors = vec![ErrorItem { code: status, description: problem.detail.clone() }];
                errors.extend(problem.errors.iter().map(|e| ErrorItem { code: status, description: format!("{}: {}", e.field, e.message) }));
                let headers = headers
                    .into_iter()
                    .filter(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
                    .map(|(_, value)| ("retry-after", value))
                    .collect();
                Failure::Refused { format, error: Open311Error { status, errors }, headers }
            }
        }
    }

    pub fn into_response(self, lang: Lang) -> Response {
        match self {
            Failure::Refused { format, error: e, headers } => error(format, &e, &headers),
            Failure::Internal { format, error: e } => {
                eprintln!("internal error: {e:#}");
                error(format, &Open311Error::internal(lang), &[])
            }
        }
    }
}

/// A result's database (or other) failure as ours, in `format`.
pub trait Internal<T> {
    fn or_internal(self, format: Format) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> Internal<T> for Result<T, E> {
    fn or_internal(self, format: Format) -> Result<T, Failure> {
        self.map_err(|e| Failure::internal(format, e.into()))
    }
}
