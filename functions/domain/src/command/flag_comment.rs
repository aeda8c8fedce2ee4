//! `POST /api/v1/comments/{id}/flags {reason}`

use serde_json::{Map, Value};

use crate::fields::{required_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::text::ModerationReason;

/// Someone who may see a comment's report flags the comment for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagComment {
    pub reason: ModerationReason,
}

impl FlagComment {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["reason"]);
        let reason = errors.take(required_parsed(body, "reason", ModerationReason::parse));
        errors.finish(reason.map(|reason| FlagComment { reason }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_reason_is_required() {
        assert_eq!(FlagComment::parse(&body(json!({"reason": " spam "}))).unwrap().reason.as_str(), "spam");
        assert_eq!(fields_of(FlagComment::parse(&body(json!({"why": "spam"}))).unwrap_err()), ["why", "reason"]);
        assert_eq!(fields_of(FlagComment::parse(&body(json!({"reason": 1}))).unwrap_err()), ["reason"]);
    }
}
