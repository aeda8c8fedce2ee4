//! The service's vocabulary of stored names, as enums: the events of a
//! report's history, and the kinds and states of a notification in the
//! outbox. Each name is spelled once (strum's `snake_case` derive); the
//! database, the API and the pages all use these types.

use serde::{Serialize, Serializer};
use strum::{EnumIter, EnumString, IntoStaticStr};

use crate::lang::Lang;

/// Serializes a vocabulary value as its stored name.
macro_rules! serialize_as_stored_name {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl $t {
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            /// The value of a stored name, if this build knows it.
            pub fn from_stored(raw: &str) -> Option<Self> {
                raw.parse().ok()
            }

            pub fn all() -> impl Iterator<Item = Self> {
                <Self as strum::IntoEnumIterator>::iter()
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// So a test can say `assert_eq!(event, "dispatched")`.
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

/// One entry of a report's history (`report_events.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum EventType {
    Submitted,
    /// Verified by an administrator and sent to an agency.
    Dispatched,
    OnHold,
    ReporterReply,
    Archived,
    Assigned,
    Forwarded,
    /// A forward's internal reason (staff only).
    ForwardReason,
    Responded,
    Completed,
    Rated,
    SlaReminder,
    SlaEscalated,
}

serialize_as_stored_name!(EventType);

impl EventType {
    /// What happened, for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (id, en) = match self {
            EventType::Submitted => ("Laporan diterima", "Report received"),
            EventType::Dispatched => ("Diverifikasi dan diteruskan ke instansi", "Verified and sent to the agency"),
            EventType::OnHold => ("Ditunda: menunggu keterangan pelapor", "On hold: waiting for the reporter"),
            EventType::ReporterReply => ("Pelapor menambahkan keterangan", "The reporter added details"),
            EventType::Archived => ("Diarsipkan", "Archived"),
            EventType::Assigned => ("Ditugaskan ke unit kerja", "Assigned to a work unit"),
            EventType::Forwarded => ("Dialihkan ke instansi lain", "Forwarded to another agency"),
            EventType::ForwardReason => ("Alasan pengalihan", "Reason for forwarding"),
            EventType::Responded => ("Ditanggapi instansi", "The agency responded"),
            EventType::Completed => ("Selesai", "Completed"),
            EventType::Rated => ("Pelapor memberi penilaian", "The reporter rated the handling"),
            EventType::SlaReminder => ("Pengingat tenggat", "Deadline reminder"),
            EventType::SlaEscalated => ("Tenggat terlewati, dieskalasi", "Deadline missed, escalated"),
        };
        lang.pick(id, en)
    }
}

/// What an outbox row carries (`notification_outbox.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum OutboxKind {
    /// A report's event, for one follower.
    Event,
    /// A one-off six-digit code (its text is scrubbed once sent or dead).
    SignInCode,
    /// The answer to a WhatsApp Cloud API message (that API takes no reply
    /// in the webhook's response); scrubbed like a code once sent or dead.
    Reply,
}

impl OutboxKind {
    /// Whether the row's payload is `{"text": ...}`, sent as it is (and
    /// cleared once sent or dead), rather than a notice of an event.
    pub fn is_one_off_text(self) -> bool {
        matches!(self, OutboxKind::SignInCode | OutboxKind::Reply)
    }
}

serialize_as_stored_name!(OutboxKind);

/// Where an outbox row is in its delivery (`notification_outbox.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumString, IntoStaticStr, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Sent,
    /// Given up on (the dead letter), until an administrator requeues it.
    Dead,
}

serialize_as_stored_name!(OutboxState);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_serialize_as_themselves() {
        for event in EventType::all() {
            assert_eq!(EventType::from_stored(event.as_str()), Some(event));
            assert_eq!(serde_json::to_value(event).unwrap(), event.as_str());
            assert_ne!(event.label(Lang::Id), event.label(Lang::En));
        }
        assert_eq!(EventType::OnHold.as_str(), "on_hold");
        assert_eq!(EventType::SlaEscalated.as_str(), "sla_escalated");
        assert_eq!(EventType::from_stored("DISPATCHED"), None);
        assert_eq!(OutboxKind::SignInCode.as_str(), "sign_in_code");
        assert_eq!(OutboxState::all().map(OutboxState::as_str).collect::<Vec<_>>(), ["pending", "sent", "dead"]);
    }
}
