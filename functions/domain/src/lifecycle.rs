//! A report's lifecycle: states, the actions that move it, and the events
//! they leave behind.
//!
//! ```text
//! submitted --verify--> dispatched --respond--> responded --complete--> completed
//!   |  ^                  |  ^ (assign, forward)   |  |
//!   |  +--reporter reply--+  +---reporter reply----+  +--respond again
//!   +--hold--> on_hold --reporter reply--> submitted
//!   +--archive--> archived          (on_hold --archive--> archived too)
//! ```
//! Every transition is an append-only event; an action that does not apply
//! to the current state is an error, never a silent change.

use crate::event::EventType;
use crate::invalid::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    OnHold,
    Dispatched,
    Responded,
    Completed,
    Archived,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::Submitted, Status::OnHold, Status::Dispatched, Status::Responded, Status::Completed, Status::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::OnHold => "on_hold",
            Status::Dispatched => "dispatched",
            Status::Responded => "responded",
            Status::Completed => "completed",
            Status::Archived => "archived",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(
                field,
                "Status tidak dikenal: submitted, on_hold, dispatched, responded, completed, archived.",
                "Unknown status: submitted, on_hold, dispatched, responded, completed, archived.",
            )
        })
    }

    /// Stored text back into a status (the database only holds valid ones).
    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// What a citizen reads for this status.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Status::Submitted => lang.pick("Diterima, menunggu verifikasi", "Received, awaiting verification"),
            Status::OnHold => lang.pick("Menunggu informasi dari pelapor", "Waiting for the reporter"),
            Status::Dispatched => lang.pick("Diteruskan ke instansi", "With the agency"),
            Status::Responded => lang.pick("Ditanggapi instansi", "Answered by the agency"),
            Status::Completed => lang.pick("Selesai", "Completed"),
            Status::Archived => lang.pick("Diarsipkan", "Archived"),
        }
    }

    /// No further action changes a report in this state.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Completed | Status::Archived)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveReason {
    NotInScope,
    Spam,
    Unclear,
    Duplicate,
}

impl ArchiveReason {
    pub const ALL: [ArchiveReason; 4] = [ArchiveReason::NotInScope, ArchiveReason::Spam, ArchiveReason::Unclear, ArchiveReason::Duplicate];

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(field, "Alasan: not_in_scope, spam, unclear, duplicate.", "Reason: not_in_scope, spam, unclear, duplicate.")
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveReason::NotInScope => "not_in_scope",
            ArchiveReason::Spam => "spam",
            ArchiveReason::Unclear => "unclear",
            ArchiveReason::Duplicate => "duplicate",
        }
    }
}

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    Reporter,
    Admin,
    Coordinator,
    Officer,
    System,
}

impl ActorRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorRole::Reporter => "reporter",
            ActorRole::Admin => "admin",
            ActorRole::Coordinator => "coordinator",
            ActorRole::Officer => "officer",
            ActorRole::System => "system",
        }
    }
}

/// Something that happens to a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// An administrator verifies it and sends it to an agency.
    Verify,
    /// An administrator asks the reporter for more information.
    Hold,
    /// The reporter answers (a hold, or a follow-up they are not satisfied with).
    ReporterReply,
    /// An administrator closes it without dispatch.
    Archive { reason: ArchiveReason, duplicate_of: Option<String> },
    /// A coordinator routes it to a work unit inside the agency.
    Assign,
    /// A coordinator passes it to another agency ("no wrong door").
    Forward,
    /// The agency posts a follow-up.
    Respond,
    /// The follow-up stood unanswered long enough, or was final.
    Complete,
}

impl Action {
    /// The event type recorded for this action.
    pub fn event_type(&self) -> EventType {
        match self {
            Action::Verify => EventType::Dispatched,
            Action::Hold => EventType::OnHold,
            Action::ReporterReply => EventType::ReporterReply,
            Action::Archive { .. } => EventType::Archived,
            Action::Assign => EventType::Assigned,
            Action::Forward => EventType::Forwarded,
            Action::Respond => EventType::Responded,
            Action::Complete => EventType::Completed,
        }
    }
}

/// An action that does not apply to the current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a report that is {from} cannot be {action}")]
pub struct IllegalTransition {
    pub from: &'static str,
    pub action: &'static str,
}

impl Status {
    /// The state after `action`, or why it cannot happen.
    pub fn apply(self, action: &Action) -> Result<Status, IllegalTransition> {
        use Status::*;
        let next = match (self, action) {
            (Submitted, Action::Verify) => Dispatched,
            (Submitted, Action::Hold) => OnHold,
            (OnHold, Action::ReporterReply) => Submitted,
            (Responded, Action::ReporterReply) => Dispatched,
            (Submitted | OnHold, Action::Archive { reason, duplicate_of }) => {
                // A duplicate must say of what; nothing else may.
                if (*reason == ArchiveReason::Duplicate) != duplicate_of.is_some() {
                    return Err(IllegalTransition { from: self.as_str(), action: "archive (duplicate_of mismatch)" });
                }
                Archived
            }
            (Dispatched, Action::Assign) => Dispatched,
            (Dispatched, Action::Forward) => Dispatched,
            (Dispatched | Responded, Action::Respond) => Responded,
            (Responded, Action::Complete) => Completed,
            _ => return Err(IllegalTransition { from: self.as_str(), action: action.event_type().as_str() }),
        };
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn archive(reason: ArchiveReason) -> Action {
        let duplicate_of = (reason == ArchiveReason::Duplicate).then(|| "7K3QD-M2X9C".to_string());
        Action::Archive { reason, duplicate_of }
    }

    #[test]
    fn the_whole_happy_path() {
        let mut s = Submitted;
        for action in [Action::Hold, Action::ReporterReply, Action::Verify, Action::Assign, Action::Respond,
                       Action::ReporterReply, Action::Forward, Action::Respond, Action::Respond, Action::Complete] {
            s = s.apply(&action).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(s, Completed);
    }

    #[test]
    fn every_state_action_pair_is_decided() {
        let actions = [
            Action::Verify, Action::Hold, Action::ReporterReply, archive(ArchiveReason::Spam), Action::Assign,
            Action::Forward, Action::Respond, Action::Complete,
        ];
        let allowed: &[(Status, &str, Status)] = &[
            (Submitted, "dispatched", Dispatched),
            (Submitted, "on_hold", OnHold),
            (Submitted, "archived", Archived),
            (OnHold, "reporter_reply", Submitted),
            (OnHold, "archived", Archived),
            (Dispatched, "assigned", Dispatched),
            (Dispatched, "forwarded", Dispatched),
            (Dispatched, "responded", Responded),
            (Responded, "responded", Responded),
            (Responded, "reporter_reply", Dispatched),
            (Responded, "completed", Completed),
        ];
        for from in Status::ALL {
            for action in &actions {
                let expected = allowed.iter().find(|(f, a, _)| *f == from && action.event_type() == *a).map(|(_, _, to)| *to);
                assert_eq!(from.apply(action).ok(), expected, "{from:?} + {action:?}");
            }
        }
    }

    #[test]
    fn final_states_accept_nothing() {
        for s in [Completed, Archived] {
            assert!(s.is_final());
            assert!(s.apply(&Action::Respond).is_err());
            assert!(s.apply(&Action::ReporterReply).is_err());
        }
    }

    #[test]
    fn duplicates_must_name_the_original() {
        assert!(Submitted.apply(&archive(ArchiveReason::Duplicate)).is_ok());
        assert!(Submitted.apply(&Action::Archive { reason: ArchiveReason::Duplicate, duplicate_of: None }).is_err());
        assert!(Submitted
            .apply(&Action::Archive { reason: ArchiveReason::Spam, duplicate_of: Some("X".into()) })
            .is_err());
    }

    #[test]
    fn illegal_transition_message() {
        let e = Completed.apply(&Action::Verify).unwrap_err();
        assert_eq!(e.to_string(), "a report that is completed cannot be dispatched");
        assert_eq!(Status::from_stored("on_hold"), Some(OnHold));
        assert_eq!(Status::from_stored("bogus"), None);
    }
}
