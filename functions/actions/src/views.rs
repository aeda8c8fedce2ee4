//! What staff see of a report: the view their role entitles them to, plus
//! the reporter's identity where privacy allows (and logged for admins).
//! The API's JSON and the console's page render this same view, so the
//! privacy rule is asked in one place.

use lapor_domain::staff::Principal;
use lapor_domain::view::{report_view, StaffReportView};
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, StoredReport};
use lapor_platform::workflow::ReportState;

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
