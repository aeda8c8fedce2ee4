//! An agency's work on its reports: routing to units, forwarding to another
//! agency ("no wrong door"), and follow-ups.

use chrono::{DateTime, Utc};
use lapor_domain::command::{Assign, Forward, Respond};
use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::lifecycle::Action;
use lapor_domain::sla::{Clock, ClockKind};
use lapor_domain::staff::{Decision, Principal, StaffAction};
use lapor_domain::view::EventVisibility;
use lapor_platform::auth::forbidden;
use lapor_platform::db::Db;
use lapor_platform::request::tracking_id_from_path;
use lapor_platform::response::ApiError;
use lapor_platform::sla::{calendar, zone_of};
use lapor_platform::store;
use lapor_platform::workflow::{self, Change, NewEvent, ReportState, Update};

use crate::Done;

/// Loads a report and checks `action` for `principal`: another agency's
/// report is 404, a role that may not act is 403.
pub fn authorized(db: &Db, principal: &Principal, raw_id: &str, action: StaffAction, lang: Lang) -> Result<ReportState, ApiError> {
    let id = tracking_id_from_path(raw_id, lang)?;
    let state = workflow::load_state(db, &id.to_string())?.ok_or_else(|| ApiError::not_found(lang))?;
    match principal.may(action, state.agency.as_deref()) {
        Decision::Allow => Ok(state),
        Decision::Forbidden => Err(forbidden(lang)),
        Decision::NotFound => Err(ApiError::not_found(lang)),
    }
}

fn done(state: &ReportState, (status, version): (lapor_domain::lifecycle::Status, i64)) -> Done {
    Done::new(&state.tracking_id, status, version)
}

pub fn assign(db: &Db, principal: &Principal, raw_id: &str, command: &Assign, expected: Option<i64>, now: &str, lang: Lang) -> Result<Done, ApiError> {
    let unit = command.unit.clone();
    db.transaction(|db| -> Result<_, ApiError> {
        let state = authorized(db, principal, raw_id, StaffAction::Assign, lang)?;
        let agency = state.agency.clone().unwrap_or_default();
        if !store::unit_belongs_to(db, &unit, &agency)? {
            return Err(ApiError::validation(lang, &[Invalid::new("unit", "Unit kerja ini bukan milik instansi laporan.", "This work unit does not belong to the report's agency.")]));
        }
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![Update::Unit(unit.clone())],
            visibility: EventVisibility::Staff,
            text: Some(unit.clone()),
            also: Vec::new(),
        };
        let applied = workflow::apply(db, &state, expected, change, now, lang)?;
        Ok(done(&state, applied))
    })
}

/// Forwards; returns the new agency's code with the result.
pub fn forward(db: &Db, principal: &Principal, raw_id: &str, command: &Forward, expected: Option<i64>, now_at: DateTime<Utc>, lang: Lang) -> Result<(Done, String), ApiError> {
    let now = lapor_platform::clock::timestamp(now_at);
    let target = store::find_agency(db, command.agency.as_str())?
        .ok_or_else(|| ApiError::validation(lang, &[Invalid::unknown_agency("agency")]))?;
    db.transaction(|db| -> Result<_, ApiError> {
        let state = authorized(db, principal, raw_id, StaffAction::Forward, lang)?;
        if state.agency.as_deref() == Some(target.code.as_str()) {
            return Err(ApiError::validation(lang, &[Invalid::new("agency", "Laporan sudah berada di instansi ini.", "The report is already with this agency.")]));
        }
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            // The new agency gets a fresh response clock, in its own zone.
            set: vec![
                Update::Agency(target.code.clone()),
                Update::Clock(Some(Clock::start(ClockKind::Response, now_at, zone_of(db, Some(&target.code))?, &calendar(db)?))),
            ],
            visibility: EventVisibility::Public,
            text: Some(format!("Diteruskan ke {}", target.name)),
            also: vec![NewEvent { event_type: lapor_domain::event::EventType::ForwardReason, visibility: EventVisibility::Staff, text: Some(command.reason.as_str().to_string()) }],
        };
        let applied = workflow::apply(db, &state, expected, change, &now, lang)?;
        Ok((done(&state, applied), target.code.clone()))
    })
}

pub fn respond(db: &Db, principal: &Principal, raw_id: &str, command: &Respond, expected: Option<i64>, now_at: DateTime<Utc>, lang: Lang) -> Result<Done, ApiError> {
    let now = lapor_platform::clock::timestamp(now_at);
    db.transaction(|db| -> Result<_, ApiError> {
        let state = authorized(db, principal, raw_id, StaffAction::Respond, lang)?;
        let completion = Clock::start(ClockKind::Completion, now_at, zone_of(db, state.agency.as_deref())?, &calendar(db)?);
        let change = Change {
            action: command.action(),
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![Update::Clock(Some(completion))],
            visibility: EventVisibility::Public,
            text: Some(command.body.as_str().to_string()),
            also: Vec::new(),
        };
        let applied = workflow::apply(db, &state, expected, change, &now, lang)?;
        if !command.is_final {
            return Ok(done(&state, applied));
        }
        // A final follow-up closes the report at once, in the same transaction.
        let current = workflow::load_state(db, &state.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        let change = Change {
            action: Action::Complete,
            actor_role: principal.role.actor_role(),
            actor_id: Some(principal.id.clone()),
            set: vec![Update::Clock(None)],
            visibility: EventVisibility::Public,
            text: None,
            also: Vec::new(),
        };
        let applied = workflow::apply(db, &current, None, change, &now, lang)?;
        Ok(done(&state, applied))
    })
}
