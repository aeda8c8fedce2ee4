//! `POST /api/v1/reports/{id}/comments {body, display_name?}`

use serde_json::{Map, Value};

use crate::fields::{optional_parsed, required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::text::{CommentBody, DisplayName};

/// Someone comments under a report, under a name of their choosing or none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostComment {
    pub body: CommentBody,
    pub display_name: Option<DisplayName>,
}

impl PostComment {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["body", "display_name"]);
        let text = errors.take(required_parsed(body, "body", CommentBody::parse));
        let display_name = errors.take(optional_parsed(body, "display_name", DisplayName::parse));
        errors.finish(text.zip(display_name).map(|(body, display_name)| PostComment { body, display_name }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_body_and_perhaps_a_name() {
        let c = PostComment::parse(&body(json!({"body": "Setuju, mohon segera.", "display_name": " Budi "}))).unwrap();
        assert_eq!((c.body.as_str(), c.display_name.as_ref().map(|n| n.as_str())), ("Setuju, mohon segera.", Some("Budi")));
        assert_eq!(PostComment::parse(&body(json!({"body": "Ya"}))).unwrap().display_name, None);
    }

    #[test]
    fn every_error_at_once() {
        let errors = PostComment::parse(&body(json!({"display_name": "Admin LAPOR! (resmi)", "url": "x"}))).unwrap_err();
        assert_eq!(fields_of(errors), ["url", "body", "display_name"]);
    }
}
