//! `POST /api/v1/reports`: file a report (JSON for apps, a url-encoded form
//! for browsers).
//!
//! This module only reads the body into a `lapor_platform::intake::Submission`
//! and renders the answer; filing itself (the rules, their order, the
//! idempotency replay, the write) is `lapor_platform::intake::file`, which
//! the web form (`/lapor/baru`) calls too.

use lapor_domain::idempotency::request_fingerprint;
use lapor_domain::lifecycle::Status;
use lapor_domain::problem::ProblemKind;
use lapor_domain::report::{Channel, NewReport};
use lapor_domain::view::{FiledLinks, FiledReport};
use lapor_platform::intake::{self, Filed, Submission};
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use lapor_platform::response::{self, ApiError};
use serde_json::Value;
use spin_sdk::http::Response;

/// The form field browsers use instead of the `Idempotency-Key` header.
const FORM_IDEMPOTENCY_FIELD: &str = "idempotency_key";

/// The body as a submission (and whether it came from a form).
fn read_submission(request: &ApiRequest) -> Result<(Submission, bool), ApiError> {
    let lang = request.lang;
    let header_key = request.header("idempotency-key").map(str::to_string);
    let fingerprint = request_fingerprint(&request.media_type(), &request.body);
    let submission = |json, channel, idempotency_key| Submission {
        json,
        channel,
        idempotency_key,
        fingerprint: fingerprint.clone(),
        attachments: Vec::new(),
        invalid: Vec::new(),
    };
    match request.media_type().as_str() {
        "application/json" => {
            let json: Value = serde_json::from_slice(&request.body).map_err(|e| ApiError::unreadable_json(lang, &e))?;
            Ok((submission(json, Channel::Api, header_key), false))
        }
        "application/x-www-form-urlencoded" => {
            let body = std::str::from_utf8(&request.body).map_err(|_| {
                ApiError::new(ProblemKind::MalformedRequest, lang, "Isian formulir bukan UTF-8.", "The form is not UTF-8.")
            })?;
            let mut pairs = form_urlencoded_pairs(body);
            let form_key = pairs.iter().position(|(k, _)| k == FORM_IDEMPOTENCY_FIELD).map(|i| pairs.remove(i).1);
            let key = header_key.or(form_key).filter(|k| !k.is_empty());
            Ok((submission(NewReport::form_to_json(pairs), Channel::Web, key), true))
        }
        _ => Err(ApiError::new(
            ProblemKind::UnsupportedMediaType,
            lang,
            "Kirim laporan sebagai application/json atau application/x-www-form-urlencoded.",
            "Send reports as application/json or application/x-www-form-urlencoded.",
        )
        .with_header("accept-post", "application/json, application/x-www-form-urlencoded")),
    }
}

pub fn create(request: &ApiRequest) -> Result<Response, ApiError> {
    let (submission, from_form) = read_submission(request)?;
    let filed = intake::file(request, submission).map_err(|refused| refused.into_api_error(request.lang))?;
    let mut response = answer(&filed, from_form);
    if filed.replayed {
        response.set_header("idempotent-replayed", "true");
    }
    Ok(response)
}

fn answer(filed: &Filed, from_form: bool) -> Response {
    let tracking_id = &filed.tracking_id;
    let html = format!("/lapor/{tracking_id}");
    if from_form {
        // Browsers get the tracking page; the token travels in a cookie
        // scoped to that page, never in a URL (URLs end up in logs).
        return Response::builder()
            .status(303)
            .header("location", html.as_str())
            .header("cache-control", "no-store")
            .header(
                "set-cookie",
                format!("lapor_token={}; Path={html}; Max-Age=86400; HttpOnly; Secure; SameSite=Strict", filed.token.as_str()),
            )
            .body(Vec::new())
            .build();
    }
    let body = FiledReport {
        tracking_id: tracking_id.to_string(),
        status: Status::Submitted,
        privacy: filed.privacy,
        reporter_token: filed.token.as_str().to_string(),
        created_at: filed.created_at.clone(),
        links: FiledLinks { self_: format!("/api/v1/reports/{tracking_id}"), html },
    };
    let mut response = response::json(201, &body, "no-store");
    response.set_header("location", format!("/api/v1/reports/{tracking_id}"));
    response
}
