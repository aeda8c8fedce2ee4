//! The notification dead letter, for administrators: what could not be
//! delivered after every retry (addresses masked), and sending one again.
//! Called by `/api/v1/admin/notifications` and the console's
//! `/staf/notifikasi` alike.

use lapor_domain::event::OutboxState;
use lapor_domain::follow::mask_address;
use lapor_domain::lang::Lang;
use lapor_domain::problem::ProblemKind;
use lapor_domain::staff::Principal;
use lapor_domain::view::{DeadLetterView, Requeued};
use lapor_platform::db::Db;
use lapor_platform::notify::{self, Requeue};
use lapor_platform::response::ApiError;

use crate::intake::require_intake;

/// Dead notifications after row `after`, oldest first, at most `limit`,
/// each with the row id (for the next page's cursor).
pub fn dead_letters(db: &Db, principal: &Principal, after: i64, limit: u32, lang: Lang) -> Result<Vec<DeadLetterView>, ApiError> {
    require_intake(principal, lang)?;
    Ok(notify::dead_letters(db, after, limit)?
        .into_iter()
        .map(|row| DeadLetterView {
            id: row.id,
            kind: row.kind,
            report: row.tracking_id,
            event: row.event,
            channel: row.channel.map(|c| c.as_str()),
            // Masked: an administrator needs to recognise a failing channel,
            // not to read a reporter's phone number.
            address: match row.channel {
                Some(channel) => mask_address(channel, &row.address),
                None => "***".to_string(),
            },
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: row.created_at,
        })
        .collect())
}

/// A dead notification goes back to the queue with fresh tries; 409 for a
/// sign-in code or an unfollowed recipient, 404 for none.
pub fn requeue(db: &Db, principal: &Principal, id: i64, now: &str, lang: Lang) -> Result<Requeued, ApiError> {
    require_intake(principal, lang)?;
    match notify::requeue_dead(db, id, now)? {
        Requeue::Requeued => Ok(Requeued { id, state: OutboxState::Pending }),
        Requeue::Refused => Err(ApiError::new(
            ProblemKind::Conflict,
            lang,
            "Pemberitahuan ini tidak dikirim ulang: kode masuk sudah kedaluwarsa, atau penerimanya berhenti mengawal.",
            "This notification is not re-sent: a sign-in code is stale, or its recipient stopped following.",
        )),
        Requeue::NotFound => Err(ApiError::not_found(lang)),
    }
}
