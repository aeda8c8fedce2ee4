//! What staff see of a report: the view their role entitles them to, plus
//! the reporter's identity where privacy allows (and logged for admins).

use lapor_domain::staff::Principal;
use lapor_domain::view::{report_view, Done, StaffReportView};
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, StoredReport};
use lapor_platform::workflow::ReportState;
use spin_sdk::http::Response;

pub fn staff_view(db: &Db, stored: &StoredReport, state: &ReportState, principal: &Principal, now: &str) -> Result<StaffReportView, ApiError> {
    let viewer = principal.viewer();
    let events = store::events(db, stored.id)?;
    let mut report = report_view(&stored.record, &events, &viewer).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("entitled staff cannot see the report")))?;
    if stored.record.privacy.identity_visible_to(&viewer) {
        if let Some(identity) = store::reporter_identity_for_entitled_staff(db, stored.id)? {
            if report.with_identity(identity, &viewer) && stored.record.privacy.identity_read_is_logged(&viewer) {
                store::log_identity_read(db, stored.id, &principal.id, now)?;
            }
        }
    }
    Ok(StaffReportView { report, version: state.version, unit: state.unit.clone() })
}

/// The answer to a successful action, with its version as ETag (for If-Match).
pub fn done(view: &Done) -> Response {
    let mut response = lapor_platform::response::json(200, view, "no-store");
    response.set_header("etag", format!("\"{}\"", view.version));
    response
}
