//! Error responses as RFC 9457 problem details (`application/problem+json`).
//!
//! Every error a caller can cause is one of these, in the caller's language,
//! so a citizen's phone shows a sentence, not a stack trace.

use serde::Serialize;

use crate::lang::Lang;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Base of the `type` URIs; each kind of problem has its own page.
/// Relative, so it resolves against whichever host serves the API.
pub const TYPE_BASE: &str = "/problems/";

/// One invalid field in a validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The kinds of problem the service reports, each with fixed status and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    NotFound,
    MethodNotAllowed,
    ServiceUnavailable,
}

impl ProblemKind {
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::NotFound => 404,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::ServiceUnavailable => 503,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::ServiceUnavailable => "service-unavailable",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            ProblemKind::NotFound => lang.pick("Tidak ditemukan", "Not found"),
            ProblemKind::MethodNotAllowed => lang.pick("Metode tidak diizinkan", "Method not allowed"),
            ProblemKind::ServiceUnavailable => lang.pick("Layanan tidak tersedia", "Service unavailable"),
        }
    }
}

impl Problem {
    /// A problem of `kind` with a detail sentence in `lang`.
    pub fn new(kind: ProblemKind, lang: Lang, detail_id: &str, detail_en: &str) -> Self {
        Self {
            type_uri: format!("{TYPE_BASE}{}", kind.slug()),
            title: kind.title(lang).to_string(),
            status: kind.status(),
            detail: lang.pick(detail_id, detail_en).to_string(),
            errors: Vec::new(),
        }
    }

    /// "This resource only accepts ...".
    pub fn method_not_allowed(lang: Lang, allowed: &[&str]) -> Self {
        let list = allowed.join(", ");
        Self::new(
            ProblemKind::MethodNotAllowed,
            lang,
            &format!("Alamat ini hanya menerima metode {list}."),
            &format!("This resource only accepts {list}."),
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("problem details always serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_rfc9457_members() {
        let p = Problem::method_not_allowed(Lang::En, &["GET"]);
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["type"], "/problems/method-not-allowed");
        assert_eq!(v["title"], "Method not allowed");
        assert_eq!(v["status"], 405);
        assert_eq!(v["detail"], "This resource only accepts GET.");
        assert!(v.get("errors").is_none(), "empty errors are omitted");
    }

    #[test]
    fn speaks_indonesian_by_default() {
        let p = Problem::method_not_allowed(Lang::negotiate(None), &["GET", "HEAD"]);
        assert_eq!(p.title, "Metode tidak diizinkan");
        assert_eq!(p.detail, "Alamat ini hanya menerima metode GET, HEAD.");
    }
}
