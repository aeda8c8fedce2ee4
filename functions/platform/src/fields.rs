//! Reading fields out of a JSON body, with bilingual field errors.

use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use crate::response::ApiError;
use serde_json::{Map, Value};

/// A required string field.
pub fn required<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, Invalid> {
    match body.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.as_str()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(Invalid::new(name, "Wajib diisi.", "Required.")),
        Some(_) => Err(Invalid::new(name, "Harus berupa teks.", "Must be a string.")),
    }
}

/// An optional string field.
pub fn optional<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, Invalid> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(Invalid::new(name, "Harus berupa teks.", "Must be a string.")),
    }
}

/// Rejects fields other than `known`.
pub fn only(body: &Map<String, Value>, known: &[&str]) -> Vec<Invalid> {
    body.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            Invalid::new(
                k.as_str(),
                format!("Kolom tidak dikenal. Kolom yang boleh: {}.", known.join(", ")),
                format!("Unknown field. Allowed fields: {}.", known.join(", ")),
            )
        })
        .collect()
}

/// Collects field results into one 422 listing every problem.
pub fn check(lang: Lang, mut errors: Vec<Invalid>, results: Vec<Option<Invalid>>) -> Result<(), ApiError> {
    errors.extend(results.into_iter().flatten());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(lang, &errors))
    }
}

/// Collects query-parameter results into one 400 listing every problem
/// (a listing's filters are no body fields: a bad one is a malformed request).
pub fn check_query(lang: Lang, results: Vec<Option<Invalid>>) -> Result<(), ApiError> {
    let errors: Vec<Invalid> = results.into_iter().flatten().collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_parameters(lang, &errors))
    }
}

pub fn err<T>(result: &Result<T, Invalid>) -> Option<Invalid> {
    result.as_ref().err().cloned()
}

pub use crate::request::tracking_id_from_path as tracking_id;
