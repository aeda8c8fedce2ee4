//! `POST /api/v1/citizens {phone?}` (an empty body is an empty object)

use serde_json::{Map, Value};

use crate::contact::PhoneNumber;
use crate::fields::{optional_parsed, FieldErrors};
use crate::invalid::Invalid;

/// Someone asks for a citizen token, optionally to be bound to a phone
/// (proved by an SMS code sent at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCitizen {
    pub phone: Option<PhoneNumber>,
}

impl CreateCitizen {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["phone"]);
        let phone = errors.take(optional_parsed(body, "phone", PhoneNumber::parse));
        errors.finish(phone.map(|phone| CreateCitizen { phone }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_phone_is_optional() {
        assert_eq!(CreateCitizen::parse(&body(json!({}))).unwrap().phone, None);
        let c = CreateCitizen::parse(&body(json!({"phone": "0812-3456-7890"}))).unwrap();
        assert_eq!(c.phone.map(|p| p.as_str().to_string()).as_deref(), Some("+6281234567890"));
        assert_eq!(fields_of(CreateCitizen::parse(&body(json!({"phone": "12", "name": "Siti"}))).unwrap_err()), ["name", "phone"]);
        assert_eq!(fields_of(CreateCitizen::parse(&body(json!({"phone": 812}))).unwrap_err()), ["phone"]);
    }
}
