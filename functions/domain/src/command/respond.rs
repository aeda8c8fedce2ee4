//! `POST /api/v1/agency/reports/{id}/responses {body, final?}`

use serde_json::{Map, Value};

use crate::fields::{flag, required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::lifecycle::Action;
use crate::text::Note;

/// The agency posts a follow-up; a final one also completes the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Respond {
    pub body: Note,
    pub is_final: bool,
}

impl Respond {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["body", "final"]);
        let note = errors.take(required_parsed(body, "body", Note::parse));
        let is_final = errors.take(flag(body, "final"));
        errors.finish(note.zip(is_final).map(|(body, is_final)| Respond { body, is_final }))
    }

    /// The action, and then `Action::Complete` when it is final.
    pub fn action(&self) -> Action {
        Action::Respond
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_final_response_also_completes() {
        let r = Respond::parse(&body(json!({"body": "Sudah diperbaiki.", "final": true}))).unwrap();
        assert_eq!((r.action().event_type().as_str(), r.is_final), ("responded", true));
        assert_eq!(fields_of(Respond::parse(&body(json!({"final": "yes"}))).unwrap_err()), ["body", "final"]);
    }
}
