//! Reading fields out of a JSON body, with bilingual field errors.

use serde_json::{Map, Value};

use crate::invalid::Invalid;

/// A required string field.
pub fn required<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, Invalid> {
    match body.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.as_str()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(Invalid::required(name)),
        Some(_) => Err(Invalid::not_text(name)),
    }
}

/// An optional string field.
pub fn optional<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, Invalid> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(Invalid::not_text(name)),
    }
}

/// An optional string field, parsed when present.
pub fn optional_parsed<T>(
    body: &Map<String, Value>,
    name: &str,
    parse: impl FnOnce(&str, &str) -> Result<T, Invalid>,
) -> Result<Option<T>, Invalid> {
    optional(body, name)?.map(|raw| parse(name, raw)).transpose()
}

/// A required string field, parsed.
pub fn required_parsed<T>(body: &Map<String, Value>, name: &str, parse: impl FnOnce(&str, &str) -> Result<T, Invalid>) -> Result<T, Invalid> {
    required(body, name).and_then(|raw| parse(name, raw))
}

/// An optional boolean, `false` when absent.
pub fn flag(body: &Map<String, Value>, name: &str) -> Result<bool, Invalid> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Invalid::new(name, "Harus true atau false.", "Must be true or false.")),
    }
}

/// Rejects fields other than `known`.
pub fn only(body: &Map<String, Value>, known: &[&str]) -> Vec<Invalid> {
    body.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| Invalid::unknown_field(k.as_str(), known))
        .collect()
}

/// The JSON body a command parses, built from a browser form's pairs: each
/// field a string, except `flags` (checkboxes: present means `true`, absent
/// `false`); fields in `skip` (the form's own, such as its CSRF token and
/// version) are left out, and an empty field is absent, as a form sends
/// every field it has. So a form post and a JSON body meet the same `parse`.
pub fn from_form(pairs: &[(String, String)], flags: &[&str], skip: &[&str]) -> Map<String, Value> {
    let mut body = Map::new();
    for flag in flags {
        body.insert((*flag).to_string(), Value::Bool(false));
    }
    for (name, value) in pairs {
        if skip.contains(&name.as_str()) {
            continue;
        }
        if flags.contains(&name.as_str()) {
            body.insert(name.clone(), Value::Bool(true));
        } else if !value.trim().is_empty() {
            body.insert(name.clone(), Value::String(value.clone()));
        }
    }
    body
}

/// Collects every field error of one body, so all are reported at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<Invalid>);

impl FieldErrors {
    /// Starts with the unknown-field errors of `body`.
    pub fn new(body: &Map<String, Value>, known: &[&str]) -> Self {
        FieldErrors(only(body, known))
    }

    /// The value, or `None` with its error recorded.
    pub fn take<T>(&mut self, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, error: Invalid) {
        self.0.push(error);
    }

    /// Nothing refused so far (for a check that only makes sense on an otherwise good body).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded and `value` could be built
    /// (it always can then: every missing part recorded an error).
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<Invalid>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: serde_json::Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn every_error_is_kept() {
        let b = body(json!({"a": 1, "extra": true}));
        let mut errors = FieldErrors::new(&b, &["a", "b"]);
        let a = errors.take(required(&b, "a"));
        let b_field = errors.take(required(&b, "b"));
        let fields: Vec<String> = errors.finish(a.zip(b_field)).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["extra", "a", "b"]);
    }

    #[test]
    fn forms_become_the_same_body() {
        let pairs: Vec<(String, String)> = [("csrf", "t"), ("body", "Sudah."), ("final", "on"), ("note", " ")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(from_form(&pairs, &["final"], &["csrf"]), body(json!({"body": "Sudah.", "final": true})));
        assert_eq!(from_form(&pairs[..2], &["final"], &["csrf"]), body(json!({"body": "Sudah.", "final": false})));
    }

    #[test]
    fn flags_and_optionals() {
        let b = body(json!({"final": true, "x": "  ", "n": 3}));
        assert_eq!(flag(&b, "final"), Ok(true));
        assert_eq!(flag(&b, "missing"), Ok(false));
        assert!(flag(&b, "n").is_err());
        assert_eq!(optional(&b, "x"), Ok(None));
        assert!(optional(&b, "n").is_err());
    }
}
