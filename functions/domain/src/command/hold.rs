//! `POST /api/v1/admin/reports/{id}/hold {reason}`

use serde_json::{Map, Value};

use crate::fields::{required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::lifecycle::Action;
use crate::text::Note;

/// An administrator asks the reporter for more information.
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    pub reason: Note,
}

impl Hold {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["reason"]);
        let reason = errors.take(required_parsed(body, "reason", Note::parse));
        errors.finish(reason.map(|reason| Hold { reason }))
    }

    pub fn action(&self) -> Action {
        Action::Hold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_reason_is_required() {
        assert_eq!(Hold::parse(&body(json!({"reason": "Mohon kirim foto lokasi."}))).unwrap().action().event_type(), "on_hold");
        assert_eq!(fields_of(Hold::parse(&body(json!({}))).unwrap_err()), ["reason"]);
    }
}
