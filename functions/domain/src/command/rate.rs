//! `POST /api/v1/reports/{id}/rating {score, comment?}` (reporter token)

use serde_json::{Map, Value};

use crate::fields::{only, optional_parsed, FieldErrors};
use crate::invalid::Invalid;
use crate::text::Note;

/// The reporter rates the agency's answer, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    /// 1 to 5.
    pub score: u8,
    pub comment: Option<Note>,
}

impl Rate {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::default();
        let score = errors.take(match body.get("score").and_then(Value::as_u64) {
            Some(score @ 1..=5) => Ok(score as u8),
            _ => Err(Invalid::new("score", "Nilai 1 sampai 5.", "A whole number from 1 to 5.")),
        });
        let comment = errors.take(optional_parsed(body, "comment", Note::parse));
        // Unknown fields come last here, as they always did.
        only(body, &["score", "comment"]).into_iter().for_each(|e| errors.push(e));
        errors.finish(score.zip(comment).map(|(score, comment)| Rate { score, comment }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_whole_score_from_one_to_five() {
        let r = Rate::parse(&body(json!({"score": 5, "comment": "Cepat ditangani."}))).unwrap();
        assert_eq!((r.score, r.comment.as_ref().map(|c| c.as_str())), (5, Some("Cepat ditangani.")));
        assert_eq!(Rate::parse(&body(json!({"score": 1, "comment": "  "}))).unwrap().comment, None);
        for bad in [json!(0), json!(6), json!(4.5), json!("5"), json!(-1)] {
            assert_eq!(fields_of(Rate::parse(&body(json!({"score": bad}))).unwrap_err()), ["score"]);
        }
    }

    #[test]
    fn every_error_at_once() {
        let errors = Rate::parse(&body(json!({"comment": 3, "stars": 5}))).unwrap_err();
        assert_eq!(fields_of(errors), ["score", "comment", "stars"]);
    }
}
