//! `POST /api/v1/agency/reports/{id}/forward {agency, reason}`

use serde_json::{Map, Value};

use crate::codes::AgencyCode;
use crate::fields::{required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::lifecycle::Action;
use crate::text::Note;

/// A coordinator passes a report to another agency ("no wrong door").
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    pub agency: AgencyCode,
    pub reason: Note,
}

impl Forward {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["agency", "reason"]);
        let agency = errors.take(required_parsed(body, "agency", AgencyCode::parse));
        let reason = errors.take(required_parsed(body, "reason", Note::parse));
        errors.finish(agency.zip(reason).map(|(agency, reason)| Forward { agency, reason }))
    }

    pub fn action(&self) -> Action {
        Action::Forward
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn both_fields_are_required_and_reported_together() {
        let f = Forward::parse(&body(json!({"agency": "pemkab-32.04", "reason": "Wilayah kabupaten."}))).unwrap();
        assert_eq!((f.agency.as_str(), f.action().event_type().as_str()), ("pemkab-32.04", "forwarded"));
        assert_eq!(fields_of(Forward::parse(&body(json!({}))).unwrap_err()), ["agency", "reason"]);
    }
}
