//! Hiding and restoring comments (staff of the report's agency, or
//! administrators). A restore is a review: older flags stop counting.

use lapor_domain::command::Verdict;
use lapor_domain::engagement::CommentState;
use lapor_domain::lang::Lang;
use lapor_domain::staff::{Decision, Principal, StaffAction};
use lapor_domain::text::ModerationReason;
use lapor_platform::auth::forbidden;
use lapor_platform::db::Db;
use lapor_platform::engagement;
use lapor_platform::participation;
use lapor_platform::response::ApiError;

/// Hides or restores a comment; returns its public id and new state.
pub fn moderate(db: &Db, principal: &Principal, raw_id: &str, verdict: Verdict, reason: Option<&ModerationReason>, now: &str, lang: Lang) -> Result<(String, CommentState), ApiError> {
    let comment = participation::find_comment(db, lang, raw_id)?;
    let (_, agency) = participation::report_of(db, &comment)?;
    match principal.may(StaffAction::Moderate, agency.as_deref()) {
        Decision::Allow => {}
        Decision::Forbidden => return Err(forbidden(lang)),
        Decision::NotFound => return Err(ApiError::not_found(lang)),
    }
    let (next, audit) = (verdict.state(), verdict.trail_action());
    let actor = format!("{}:{}", principal.role.as_str(), principal.id);
    db.transaction(|db| -> Result<(), ApiError> {
        let current = engagement::find_comment(db, &comment.public_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        engagement::set_comment_state(db, &current, next, audit, &actor, reason.map(|r| r.as_str()), now)?;
        Ok(())
    })?;
    Ok((comment.public_id, next))
}
