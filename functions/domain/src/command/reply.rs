//! `POST /api/v1/reports/{id}/replies {body}` (reporter token)

use serde_json::{Map, Value};

use crate::fields::FieldErrors;
use crate::invalid::Invalid;
use crate::lifecycle::Action;
use crate::text::Note;

/// The reporter answers a hold, or a follow-up they are not satisfied with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub body: Note,
}

impl Reply {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["body"]);
        // Anything but a string is "required" here, as it always was.
        let note = errors.take(match body.get("body") {
            Some(Value::String(s)) => Note::parse("body", s),
            _ => Err(Invalid::required("body")),
        });
        errors.finish(note.map(|body| Reply { body }))
    }

    pub fn action(&self) -> Action {
        Action::ReporterReply
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn a_body_is_required() {
        let r = Reply::parse(&body(json!({"body": "Fotonya sudah saya kirim."}))).unwrap();
        assert_eq!((r.body.as_str(), r.action().event_type().as_str()), ("Fotonya sudah saya kirim.", "reporter_reply"));
        let missing = Reply::parse(&body(json!({"body": 5}))).unwrap_err();
        assert_eq!((missing[0].field.as_str(), missing[0].en.as_str()), ("body", "Required."));
    }

    #[test]
    fn every_error_at_once() {
        assert_eq!(fields_of(Reply::parse(&body(json!({"body": "ok", "to": "x"}))).unwrap_err()), ["to", "body"]);
    }
}
