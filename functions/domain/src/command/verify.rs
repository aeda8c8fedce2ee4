//! `POST /api/v1/admin/reports/{id}/verify {agency, category?, visibility?, reporter_identity?, privacy?}`

use serde_json::{Map, Value};

use crate::codes::{AgencyCode, CategoryCode};
use crate::fields::{optional_parsed, required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::lifecycle::Action;
use crate::privacy::{Privacy, PrivacyRequest, ReporterIdentity, Visibility};

/// An administrator verifies a report and dispatches it to an agency,
/// possibly raising its privacy.
#[derive(Debug, Clone, PartialEq)]
pub struct Verify {
    pub agency: AgencyCode,
    pub category: Option<CategoryCode>,
    pub privacy: PrivacyRequest,
}

const FIELDS: &[&str] = &["agency", "category", "privacy", "visibility", "reporter_identity"];

impl Verify {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, FIELDS);
        let agency = errors.take(required_parsed(body, "agency", AgencyCode::parse));
        let category = errors.take(optional_parsed(body, "category", CategoryCode::parse));
        let legacy = errors.take(optional_parsed(body, "privacy", Privacy::parse));
        let visibility = errors.take(optional_parsed(body, "visibility", Visibility::parse));
        let identity = errors.take(optional_parsed(body, "reporter_identity", ReporterIdentity::parse));
        let privacy = match (legacy, visibility, identity) {
            (Some(legacy), Some(visibility), Some(identity)) => match PrivacyRequest::combine(legacy, visibility, identity) {
                Ok(request) => Some(request),
                Err(conflicts) => {
                    conflicts.into_iter().for_each(|e| errors.push(e));
                    None
                }
            },
            _ => None,
        };
        let verify = match (agency, category, privacy) {
            (Some(agency), Some(category), Some(privacy)) => Some(Verify { agency, category, privacy }),
            _ => None,
        };
        errors.finish(verify)
    }

    pub fn action(&self) -> Action {
        Action::Verify
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn parses_the_agency_and_the_privacy_raise() {
        let v = Verify::parse(&body(json!({"agency": "pemkot-32.73", "visibility": "confidential"}))).unwrap();
        assert_eq!(v.agency.as_str(), "pemkot-32.73");
        assert_eq!(v.privacy.applied_to(Privacy::ANONYMOUS), Privacy::CONFIDENTIAL_ANONYMOUS);
        assert_eq!(v.action().event_type(), "dispatched");
    }

    #[test]
    fn reports_every_problem_at_once() {
        let errors = Verify::parse(&body(json!({"category": 3, "privacy": "anonymous", "reporter_identity": "named", "x": 1}))).unwrap_err();
        assert_eq!(fields_of(errors), ["x", "agency", "category", "reporter_identity"]);
        let errors = Verify::parse(&body(json!({"agency": "pemkot-32.73", "privacy": "anonymous", "reporter_identity": "named"}))).unwrap_err();
        assert_eq!(fields_of(errors), ["reporter_identity"]);
    }
}
