//! `POST /api/v1/categories {code, parent?, name_id, name_en}`

use serde_json::{Map, Value};

use crate::codes::CategoryCode;
use crate::fields::{optional_parsed, required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::text::CategoryName;

const FIELDS: &[&str] = &["code", "parent", "name_id", "name_en"];

/// An administrator adds a topic (no `parent`) or a sub-topic.
#[derive(Debug, Clone, PartialEq)]
pub struct AddCategory {
    pub code: CategoryCode,
    pub parent: Option<CategoryCode>,
    pub name_id: CategoryName,
    pub name_en: CategoryName,
}

impl AddCategory {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, FIELDS);
        let code = errors.take(required_parsed(body, "code", CategoryCode::parse));
        let parent = errors.take(optional_parsed(body, "parent", CategoryCode::parse));
        let name_id = errors.take(required_parsed(body, "name_id", CategoryName::parse));
        let name_en = errors.take(required_parsed(body, "name_en", CategoryName::parse));
        if let (Some(code), Some(Some(parent))) = (&code, &parent) {
            if code == parent {
                errors.push(Invalid::new("parent", "Kategori tidak boleh menjadi induknya sendiri.", "A category cannot be its own parent."));
            }
        }
        let value = match (code, parent, name_id, name_en) {
            (Some(code), Some(parent), Some(name_id), Some(name_en)) => Some(AddCategory { code, parent, name_id, name_en }),
            _ => None,
        };
        errors.finish(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_sub_topic_with_both_names() {
        let c = AddCategory::parse(&body(json!({"code": "kesehatan-gigi", "parent": "kesehatan", "name_id": "Kesehatan gigi", "name_en": "Dental care"}))).unwrap();
        assert_eq!((c.code.as_str(), c.parent.unwrap().as_str()), ("kesehatan-gigi", "kesehatan"));
        let topic = AddCategory::parse(&body(json!({"code": "sekolah-rakyat", "name_id": "Sekolah Rakyat", "name_en": "People's Schools"}))).unwrap();
        assert!(topic.parent.is_none());
    }

    #[test]
    fn every_problem_at_once() {
        let errors = AddCategory::parse(&body(json!({"code": "Bad Code", "parent": 3, "name_en": "x", "colour": "red"}))).unwrap_err();
        assert_eq!(fields_of(errors), ["colour", "code", "parent", "name_id", "name_en"]);
        let own = AddCategory::parse(&body(json!({"code": "abc", "parent": "abc", "name_id": "Abc", "name_en": "Abc"}))).unwrap_err();
        assert_eq!(fields_of(own), ["parent"]);
    }
}
