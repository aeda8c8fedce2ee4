//! `POST /api/v1/admin/reports/{id}/archive {reason, duplicate_of?}`

use serde_json::{Map, Value};

use crate::fields::{optional, required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::lifecycle::{Action, ArchiveReason};

/// An administrator closes a report without dispatch.
#[derive(Debug, Clone, PartialEq)]
pub struct Archive {
    pub reason: ArchiveReason,
    /// As typed; the handler looks the original up (it must exist and differ).
    pub duplicate_of: Option<String>,
}

impl Archive {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["reason", "duplicate_of"]);
        let reason = errors.take(required_parsed(body, "reason", ArchiveReason::parse));
        let duplicate_of = errors.take(optional(body, "duplicate_of").map(|raw| raw.map(|r| r.trim().to_string())));
        if let (Some(reason), Some(duplicate_of)) = (reason, &duplicate_of) {
            // A duplicate must say of what; nothing else may.
            if (reason == ArchiveReason::Duplicate) != duplicate_of.is_some() {
                errors.push(Invalid::new(
                    "duplicate_of",
                    "Isi duplicate_of jika dan hanya jika alasannya duplicate.",
                    "Give duplicate_of exactly when the reason is duplicate.",
                ));
            }
        }
        let archive = match (reason, duplicate_of) {
            (Some(reason), Some(duplicate_of)) => Some(Archive { reason, duplicate_of }),
            _ => None,
        };
        errors.finish(archive)
    }

    /// The action, naming the original it was found to duplicate (its
    /// canonical tracking ID, once the handler found it), if any.
    pub fn action(&self, original: Option<String>) -> Action {
        Action::Archive { reason: self.reason, duplicate_of: original }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_duplicate_names_its_original_and_nothing_else_does() {
        let a = Archive::parse(&body(json!({"reason": "duplicate", "duplicate_of": "7K3QD-M2X9C"}))).unwrap();
        assert_eq!((a.reason, a.duplicate_of.as_deref()), (ArchiveReason::Duplicate, Some("7K3QD-M2X9C")));
        assert_eq!(a.action(None).event_type(), "archived");
        assert_eq!(fields_of(Archive::parse(&body(json!({"reason": "duplicate"}))).unwrap_err()), ["duplicate_of"]);
        assert_eq!(fields_of(Archive::parse(&body(json!({"reason": "spam", "duplicate_of": "X"}))).unwrap_err()), ["duplicate_of"]);
        assert_eq!(fields_of(Archive::parse(&body(json!({"reason": "bored", "duplicate_of": 1}))).unwrap_err()), ["reason", "duplicate_of"]);
    }
}
