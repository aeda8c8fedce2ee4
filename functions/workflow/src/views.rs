//! What staff see of a report: the view their role entitles them to, plus
//! the reporter's identity where privacy allows (and logged for admins).

use lapor_domain::privacy::Privacy;
use lapor_domain::staff::{Principal, Role};
use lapor_domain::view::report_view;
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, StoredReport};
use lapor_platform::workflow::ReportState;
use serde_json::{json, Value};

pub fn staff_view(db: &Db, stored: &StoredReport, state: &ReportState, principal: &Principal, now: &str) -> Result<Value, ApiError> {
    let viewer = principal.viewer();
    let events = store::events(db, stored.id)?;
    let mut view = report_view(&stored.record, &events, &viewer).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("entitled staff cannot see the report")))?;
    view["version"] = json!(state.version);
    view["unit"] = json!(state.unit);
    if stored.record.privacy.identity_visible_to(&viewer) {
        if let Some((name, phone, email)) = store::reporter_identity_for_entitled_staff(db, stored.id)? {
            view["reporter"] = json!({"name": name, "phone": phone, "email": email});
            if principal.role == Role::Admin && stored.record.privacy == Privacy::Anonymous {
                store::log_identity_read(db, stored.id, &principal.id, now)?;
            }
        }
    }
    Ok(view)
}
