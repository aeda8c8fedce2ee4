//! `PUT /api/v1/categories/{code} {name_id?, name_en?, retired?}`

use serde_json::{Map, Value};

use crate::fields::{optional_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::text::CategoryName;

const FIELDS: &[&str] = &["name_id", "name_en", "retired"];

/// An administrator renames a category, retires it (`retired: true`: no
/// new reports take it) or brings it back (`retired: false`). The code never
/// changes: reports carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeCategory {
    pub name_id: Option<CategoryName>,
    pub name_en: Option<CategoryName>,
    pub retired: Option<bool>,
}

impl ChangeCategory {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, FIELDS);
        let name_id = errors.take(optional_parsed(body, "name_id", CategoryName::parse));
        let name_en = errors.take(optional_parsed(body, "name_en", CategoryName::parse));
        let retired = errors.take(match body.get("retired") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Invalid::new("retired", "Harus true atau false.", "Must be true or false.")),
        });
        let change = match (name_id, name_en, retired) {
            (Some(name_id), Some(name_en), Some(retired)) => Some(ChangeCategory { name_id, name_en, retired }),
            _ => None,
        };
        if let Some(ChangeCategory { name_id: None, name_en: None, retired: None }) = &change {
            errors.push(Invalid::new(
                "",
                "Kirim setidaknya satu dari name_id, name_en, retired.",
                "Send at least one of name_id, name_en, retired.",
            ));
        }
        errors.finish(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn rename_retire_or_both() {
        let c = ChangeCategory::parse(&body(json!({"name_en": "Dental health"}))).unwrap();
        assert_eq!((c.name_id, c.name_en.unwrap().as_str().to_string(), c.retired), (None, "Dental health".to_string(), None));
        assert_eq!(ChangeCategory::parse(&body(json!({"retired": true}))).unwrap().retired, Some(true));
    }

    #[test]
    fn nothing_to_change_or_bad_values_are_refused() {
        assert_eq!(fields_of(ChangeCategory::parse(&body(json!({}))).unwrap_err()), [""]);
        assert_eq!(fields_of(ChangeCategory::parse(&body(json!({"retired": "yes", "name_id": "", "code": "x"}))).unwrap_err()), ["code", "retired"]);
        assert_eq!(fields_of(ChangeCategory::parse(&body(json!({"name_id": "x"}))).unwrap_err()), ["name_id"]);
    }
}
