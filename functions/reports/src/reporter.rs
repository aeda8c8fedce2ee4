//! What the reporter does after filing: reply (to a hold or a follow-up) and
//! rate the agency's answer once. Both need the reporter token; what they do
//! is `lapor_platform::reporter`'s (shared with the tracking page).

use lapor_domain::command::{Rate, Reply};
use lapor_domain::privacy::Viewer;
use lapor_domain::problem::ProblemKind;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow;
use spin_sdk::http::Response;

use crate::viewer::visible_report;

/// The report, if the request carries its reporter token; 401/403/404 otherwise.
pub fn as_reporter(db: &Db, request: &ApiRequest, raw_id: &str) -> Result<lapor_platform::store::StoredReport, ApiError> {
    let lang = request.lang;
    if request.bearer_token().is_none() {
        return Err(ApiError::new(
            ProblemKind::Unauthorized,
            lang,
            "Sertakan kode rahasia pelapor (Authorization: Bearer ...).",
            "Send the reporter token (Authorization: Bearer ...).",
        )
        .with_header("www-authenticate", "Bearer"));
    }
    let (report, viewer) = visible_report(db, request, raw_id)?;
    if viewer != Viewer::Reporter {
        return Err(ApiError::new(
            ProblemKind::Forbidden,
            lang,
            "Kode rahasia ini bukan milik pelapor laporan ini.",
            "This token is not the reporter token of this report.",
        ));
    }
    Ok(report)
}

pub fn reply(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Reply::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let report = as_reporter(&db, request, raw_id)?;
    let done = lapor_platform::reporter::reply(&db, lang, &report, command)?;
    Ok(response::json(201, &done, "no-store"))
}

pub fn rate(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = workflow::json_object(request)?;
    let command = Rate::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let report = as_reporter(&db, request, raw_id)?;
    let rated = lapor_platform::reporter::rate(&db, lang, &report, command)?;
    Ok(response::json(201, &rated, "no-store"))
}
