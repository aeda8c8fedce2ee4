//! Reading fields out of a JSON body, with bilingual field errors.

use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use crate::response::ApiError;

pub use lapor_domain::fields::{only, optional, required};

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
