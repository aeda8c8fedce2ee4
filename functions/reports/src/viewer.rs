//! Who is asking about a report, decided once for every read path.

use lapor_domain::privacy::Viewer;
use lapor_domain::token::token_matches;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, StoredReport};

/// The viewer a request proves to be: the reporter when it carries the
/// report's reporter token, an administrator or agency when it carries a
/// staff token, the public otherwise (a wrong token reveals nothing more
/// than no token).
pub fn viewer_of(db: &Db, request: &ApiRequest, report: &StoredReport) -> Result<Viewer, ApiError> {
    let Some(token) = request.bearer_token() else { return Ok(Viewer::Public) };
    if token_matches(token, &report.reporter_token_hash) {
        return Ok(Viewer::Reporter);
    }
    let now = lapor_platform::clock::timestamp(lapor_platform::clock::now());
    Ok(match lapor_platform::auth::staff_principal(db, request, &now)? {
        Some(principal) => principal.viewer(),
        None => Viewer::Public,
    })
}

/// Loads a report the requester may see; invisible reports are answered
/// exactly like unknown ones.
pub fn visible_report(db: &Db, request: &ApiRequest, raw_id: &str) -> Result<(StoredReport, Viewer), ApiError> {
    let lang = request.lang;
    let id = lapor_platform::request::tracking_id_from_path(raw_id, lang)?;
    let report = store::find_report(db, &id.to_string())?.ok_or_else(|| ApiError::not_found(lang))?;
    let viewer = viewer_of(db, request, &report)?;
    if !report.record.privacy.report_visible_to(&viewer, report.record.agency.as_deref()) {
        return Err(ApiError::not_found(lang));
    }
    Ok((report, viewer))
}
