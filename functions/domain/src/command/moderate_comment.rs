//! `POST /api/v1/comments/{id}/hide {reason?}` and `.../restore {reason?}`

use serde_json::{Map, Value};

use crate::engagement::CommentState;
use crate::fields::{optional_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::text::ModerationReason;

/// What staff decide about a comment (the route says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Hide,
    /// Also the review that clears open flags.
    Restore,
}

impl Verdict {
    /// The comment's state afterwards.
    pub fn state(self) -> CommentState {
        match self {
            Verdict::Hide => CommentState::HiddenByStaff,
            Verdict::Restore => CommentState::Visible,
        }
    }

    /// The action recorded in the comment's moderation trail.
    pub fn trail_action(self) -> &'static str {
        match self {
            Verdict::Hide => "hidden",
            Verdict::Restore => "restored",
        }
    }
}

/// Staff of the report's agency (or administrators) hide or restore a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerateComment {
    pub verdict: Verdict,
    pub reason: Option<ModerationReason>,
}

impl ModerateComment {
    pub fn parse(verdict: Verdict, body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["reason"]);
        let reason = errors.take(optional_parsed(body, "reason", ModerationReason::parse));
        errors.finish(reason.map(|reason| ModerateComment { verdict, reason }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_reason_is_optional() {
        let hide = ModerateComment::parse(Verdict::Hide, &body(json!({"reason": "Kasar"}))).unwrap();
        assert_eq!((hide.verdict.state(), hide.verdict.trail_action()), (CommentState::HiddenByStaff, "hidden"));
        assert_eq!(hide.reason.map(|r| r.as_str().to_string()).as_deref(), Some("Kasar"));
        let restore = ModerateComment::parse(Verdict::Restore, &body(json!({}))).unwrap();
        assert_eq!((restore.verdict.state(), restore.verdict.trail_action(), restore.reason), (CommentState::Visible, "restored", None));
    }

    #[test]
    fn every_error_at_once() {
        let errors = ModerateComment::parse(Verdict::Hide, &body(json!({"reason": ["x"], "note": "y"}))).unwrap_err();
        assert_eq!(fields_of(errors), ["note", "reason"]);
    }
}
