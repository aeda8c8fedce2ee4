//! The report an engagement request is about, as far as the caller may see
//! it, and the rate limits every write passes.

use lapor_domain::engagement::{Identity, Refusal};
use lapor_domain::privacy::Viewer;
use lapor_domain::problem::ProblemKind;
use lapor_platform::db::Db;
use lapor_platform::limits;
use lapor_platform::request::{tracking_id_from_path, ApiRequest};
use lapor_platform::response::ApiError;
use lapor_platform::workflow::{load_state, ReportState};
use serde_json::json;

/// The report `raw_id` names, if `identity` (or the public) may see it; an
/// invisible report is answered exactly like an unknown one.
pub fn visible(db: &Db, request: &ApiRequest, raw_id: &str, identity: Option<&Identity>) -> Result<ReportState, ApiError> {
    let lang = request.lang;
    let tracking_id = tracking_id_from_path(raw_id, lang)?;
    let target = load_state(db, &tracking_id.to_string())?.ok_or_else(|| ApiError::not_found(lang))?;
    let viewer = match identity {
        Some(Identity::Reporter { report_id }) if *report_id == target.id => Viewer::Reporter,
        _ => Viewer::Public,
    };
    if !target.privacy.report_visible_to(&viewer, target.agency.as_deref()) {
        return Err(ApiError::not_found(lang));
    }
    Ok(target)
}

/// The answer to a refused support or comment.
pub fn refused(request: &ApiRequest, target: &ReportState, refusal: Refusal, what_id: &str, what_en: &str) -> ApiError {
    match refusal {
        Refusal::Confidential => ApiError::new(
            ProblemKind::Forbidden,
            request.lang,
            &format!("Laporan rahasia tidak menerima {what_id}."),
            &format!("Confidential reports take no {what_en}."),
        ),
        Refusal::WrongStatus => {
            let mut error = ApiError::new(
                ProblemKind::Conflict,
                request.lang,
                &format!("Laporan berstatus {} tidak menerima {what_id}.", target.status.as_str()),
                &format!("A report that is {} takes no {what_en}.", target.status.as_str()),
            );
            if let ApiError::Problem(problem, _) = &mut error {
                problem.extensions.insert("current_status".into(), json!(target.status.as_str()));
            }
            error
        }
    }
}

/// Counts one write by `identity` from this client address; 429 past either limit.
pub fn rate_limit(request: &ApiRequest, identity: &Identity) -> Result<(), ApiError> {
    let key = identity.key();
    let ip = request.client_ip();
    let by_identity = |window| kv_schema::engagement_rate_by_identity_key(&key, window);
    let by_address = |window| kv_schema::engagement_rate_by_address_key(&ip, window);
    limits::enforce(
        request.lang,
        &[
            limits::Check { limit: limits::from_variable("engagement_rate_limit_per_identity", 60), key: &by_identity },
            limits::Check { limit: limits::from_variable("engagement_rate_limit_per_address", 600), key: &by_address },
        ],
        "tindakan",
        "actions",
    )
}
