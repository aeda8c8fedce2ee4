//! The administrators' intake: verify (dispatch to an agency), hold (ask
//! the reporter) and archive.

use chrono::{DateTime, Utc};
use lapor_domain::command::{Archive, Hold, Verify};
use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::sla::{Clock, ClockKind};
use lapor_domain::staff::{Decision, Principal, StaffAction};
use lapor_domain::view::EventVisibility;
use lapor_platform::auth::forbidden;
use lapor_platform::db::Db;
use lapor_platform::request::tracking_id_from_path;
use lapor_platform::response::ApiError;
use lapor_platform::sla::{calendar, zone_of};
use lapor_platform::store;
use lapor_platform::workflow::{self, Change, ReportState, Update};

use crate::Done;

/// 403 unless `principal` works the intake.
pub fn require_intake(principal: &Principal, lang: Lang) -> Result<(), ApiError> {
    match principal.may(StaffAction::Intake, None) {
        Decision::Allow => Ok(()),
        _ => Err(forbidden(lang)),
    }
}

/// Loads a report for an intake action; unknown IDs are 404.
pub fn load(db: &Db, raw_id: &str, lang: Lang) -> Result<ReportState, ApiError> {
    let id = tracking_id_from_path(raw_id, lang)?;
    workflow::load_state(db, &id.to_string())?.ok_or_else(|| ApiError::not_found(lang))
}

fn done(state: &ReportState, (status, version): (lapor_domain::lifecycle::Status, i64)) -> Done {
    Done::new(&state.tracking_id, status, version)
}

pub fn verify(db: &Db, principal: &Principal, raw_id: &str, command: &Verify, expected: Option<i64>, now_at: DateTime<Utc>, lang: Lang) -> Result<Done, ApiError> {
    require_intake(principal, lang)?;
    let now = lapor_platform::clock::timestamp(now_at);
    let target = store::find_agency(db, command.agency.as_str())?
        .ok_or_else(|| ApiError::validation(lang, &[Invalid::unknown_agency("agency")]))?;
    if let Some(category) = &command.category {
        // The same rule as on intake: an active category of the taxonomy.
        let standing = lapor_platform::categories::standing(db, category.as_str())?;
        lapor_domain::category::check_for_new_report("category", standing).map_err(|e| ApiError::validation(lang, &[e]))?;
    }
    db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, raw_id, lang)?;
        // Each property may only go up: raising visibility never names an
        // anonymous reporter to the agency it is dispatched to.
        let new_privacy = command.privacy.applied_to(state.privacy);
        state.privacy.may_change_to(new_privacy).map_err(|e| ApiError::validation(lang, &[e]))?;
        let response = Clock::start(ClockKind::Response, now_at, zone_of(db, Some(&target.code))?, &calendar(db)?);
        let mut set = vec![
            Update::Agency(target.code.clone()),
            Update::Verified { at: now.to_string() },
            // The published name goes when the report stops being public and named.
            Update::Privacy(new_privacy),
            Update::Clock(Some(response)),
        ];
        if let Some(category) = &command.category {
            set.push(Update::Category(category.as_str().to_string()));
        }
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set,
            visibility: EventVisibility::Public,
            text: Some(format!("Diteruskan ke {}", target.name)),
            also: Vec::new(),
        };
        let applied = workflow::apply(db, &state, expected, change, &now, lang)?;
        if new_privacy.is_confidential() && !state.privacy.is_confidential() {
            // Made confidential: whoever followed it while it was public
            // stops following (the reporter's own follows stay).
            lapor_platform::engagement::drop_strangers(db, state.id)?;
        }
        Ok(done(&state, applied))
    })
}

pub fn hold(db: &Db, principal: &Principal, raw_id: &str, command: &Hold, expected: Option<i64>, now: &str, lang: Lang) -> Result<Done, ApiError> {
    require_intake(principal, lang)?;
    db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, raw_id, lang)?;
        // The verification clock pauses; what it was due is kept to resume it.
        let set = vec![Update::Clock(None), Update::Hold { at: now.to_string(), paused_due: state.clock_due.clone() }];
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set,
            visibility: EventVisibility::Participants,
            text: Some(command.reason.as_str().to_string()),
            also: Vec::new(),
        };
        let applied = workflow::apply(db, &state, expected, change, now, lang)?;
        Ok(done(&state, applied))
    })
}

pub fn archive(db: &Db, principal: &Principal, raw_id: &str, command: &Archive, expected: Option<i64>, now: &str, lang: Lang) -> Result<Done, ApiError> {
    require_intake(principal, lang)?;
    let reason = command.reason;
    db.transaction(|db| -> Result<_, ApiError> {
        let state = load(db, raw_id, lang)?;
        let original = match &command.duplicate_of {
            Some(raw) => {
                let original = tracking_id_from_path(raw, lang)
                    .ok()
                    .and_then(|id| workflow::load_state(db, &id.to_string()).ok().flatten())
                    .filter(|o| o.id != state.id)
                    .ok_or_else(|| ApiError::validation(lang, &[Invalid::new(
                        "duplicate_of",
                        "Laporan asli tidak ditemukan (atau sama dengan laporan ini).",
                        "The original report does not exist (or is this report).",
                    )]))?;
                let shown = !original.privacy.is_confidential();
                Some((original.tracking_id, shown, original.id))
            }
            None => None,
        };
        // A confidential original's ID must not appear on a public timeline.
        let text_for_public = match &original {
            Some((original, true, _)) => format!("{}: {original}", reason.as_str()),
            _ => reason.as_str().to_string(),
        };
        // Strangers never follow a confidential original: nothing moves there.
        let original_row = original.as_ref().and_then(|(_, shown, row)| shown.then_some(*row));
        let original = original.map(|(id, _, _)| id);
        let change = Change {
            action: command.action(original.clone()),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![
                Update::Archive { reason: reason.as_str().to_string(), duplicate_of: original.map(|o| o.to_string()) },
                Update::Clock(None),
            ],
            visibility: EventVisibility::Public,
            text: Some(text_for_public),
            also: Vec::new(),
        };
        let applied = workflow::apply(db, &state, expected, change, now, lang)?;
        // After the archive event (whose notices the duplicate's followers
        // still get), its supporters and followers move to the original.
        if let Some(original_row) = original_row {
            lapor_platform::engagement::merge_duplicate(db, state.id, original_row)?;
        }
        Ok(done(&state, applied))
    })
}
