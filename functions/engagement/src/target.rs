//! The report an engagement request is about, as far as the caller may see
//! it, and the rate limits every write passes: the rules are
//! `lapor_platform::participation`'s (shared with the tracking page); these
//! only take the language and client address from the request.

use lapor_domain::engagement::{Identity, Refusal};
use lapor_platform::db::Db;
use lapor_platform::participation;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::workflow::ReportState;

/// The report `raw_id` names, if `identity` (or the public) may see it.
pub fn visible(db: &Db, request: &ApiRequest, raw_id: &str, identity: Option<&Identity>) -> Result<ReportState, ApiError> {
    participation::visible(db, request.lang, raw_id, identity)
}

/// The answer to a refused support or comment.
pub fn refused(request: &ApiRequest, target: &ReportState, refusal: Refusal, what_id: &str, what_en: &str) -> ApiError {
    participation::refused(request.lang, target, refusal, what_id, what_en)
}
