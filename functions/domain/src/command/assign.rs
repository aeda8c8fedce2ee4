//! `POST /api/v1/agency/reports/{id}/assign {unit}`

use serde_json::{Map, Value};

use crate::fields::{required, FieldErrors};
use crate::invalid::Invalid;
use crate::lifecycle::Action;

/// A coordinator routes a report to a work unit of the agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assign {
    /// As typed (trimmed); the handler checks it belongs to the agency.
    pub unit: String,
}

impl Assign {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["unit"]);
        let unit = errors.take(required(body, "unit"));
        errors.finish(unit.map(|unit| Assign { unit: unit.trim().to_string() }))
    }

    pub fn action(&self) -> Action {
        Action::Assign
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_unit_is_required() {
        assert_eq!(Assign::parse(&body(json!({"unit": " pemkot-32.73/pupr "}))).unwrap().unit, "pemkot-32.73/pupr");
        assert_eq!(fields_of(Assign::parse(&body(json!({"unit": 4, "x": 1}))).unwrap_err()), ["x", "unit"]);
    }
}
