//! `POST /api/v1/staff {role, name, agency?, unit?}`

use serde_json::{Map, Value};

use crate::codes::AgencyCode;
use crate::fields::{optional, optional_parsed, required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::staff::Role;
use crate::text::PersonName;

/// An administrator (or an agency's coordinator) creates a staff account.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateStaff {
    pub role: Role,
    pub name: PersonName,
    pub agency: Option<AgencyCode>,
    /// As typed (trimmed); the handler checks it belongs to the agency.
    pub unit: Option<String>,
}

impl CreateStaff {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["role", "name", "agency", "unit"]);
        let role = errors.take(required_parsed(body, "role", Role::parse));
        let name = errors.take(required_parsed(body, "name", PersonName::parse));
        let agency = errors.take(optional_parsed(body, "agency", AgencyCode::parse));
        let unit = errors.take(optional(body, "unit").map(|u| u.map(|u| u.trim().to_string())));
        // Platform administrators belong to no agency; everyone else to one.
        match (role, &agency) {
            (Some(Role::Admin), Some(Some(_))) => errors.push(Invalid::new(
                "agency",
                "Administrator platform tidak terikat instansi.",
                "Platform administrators belong to no agency.",
            )),
            (Some(Role::Coordinator | Role::Officer | Role::Executive), Some(None)) => {
                errors.push(Invalid::new("agency", "Wajib diisi untuk peran ini.", "Required for this role."))
            }
            _ => {}
        }
        let command = match (role, name, agency, unit) {
            (Some(role), Some(name), Some(agency), Some(unit)) => Some(CreateStaff { role, name, agency, unit }),
            _ => None,
        };
        errors.finish(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn every_field_error_at_once() {
        let c = CreateStaff::parse(&body(json!({"role": "officer", "name": "Petugas", "agency": "pemkot-32.73", "unit": " u "}))).unwrap();
        assert_eq!((c.role, c.unit.as_deref()), (Role::Officer, Some("u")));
        assert_eq!(fields_of(CreateStaff::parse(&body(json!({"role": "king", "agency": 1}))).unwrap_err()), ["role", "name", "agency"]);
        assert_eq!(fields_of(CreateStaff::parse(&body(json!({"role": "admin", "name": "A", "agency": "pemkot-32.73"}))).unwrap_err()), ["agency"]);
        assert_eq!(fields_of(CreateStaff::parse(&body(json!({"role": "officer", "name": "Petugas"}))).unwrap_err()), ["agency"]);
    }
}
