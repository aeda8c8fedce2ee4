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

/// At most this many field errors are listed in one answer.
pub const MAX_FIELD_ERRORS: usize = 20;

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
    /// Extension members (RFC 9457 §3.2), e.g. a report's current state on 409.
    #[serde(flatten)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// The kinds of problem the service reports, each with fixed status and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The request could not be read (malformed JSON, bad query parameter).
    MalformedRequest,
    /// A tracking ID whose check symbol does not match.
    ProbableTypo,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// Fields failed validation; `errors` lists them.
    ValidationFailed,
    /// An Idempotency-Key was reused with a different request.
    IdempotencyKeyReused,
    TooManyRequests,
    /// Something on our side failed; nothing the caller did.
    Internal,
    ServiceUnavailable,
}

impl ProblemKind {
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::MalformedRequest | ProblemKind::ProbableTypo => 400,
            ProblemKind::Unauthorized => 401,
            ProblemKind::Forbidden => 403,
            ProblemKind::NotFound => 404,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::Conflict => 409,
            ProblemKind::PayloadTooLarge => 413,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::ValidationFailed | ProblemKind::IdempotencyKeyReused => 422,
            ProblemKind::TooManyRequests => 429,
            ProblemKind::Internal => 500,
            ProblemKind::ServiceUnavailable => 503,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            ProblemKind::MalformedRequest => "malformed-request",
            ProblemKind::ProbableTypo => "probable-typo",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::Conflict => "conflict",
            ProblemKind::PayloadTooLarge => "payload-too-large",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::ValidationFailed => "validation-failed",
            ProblemKind::IdempotencyKeyReused => "idempotency-key-reused",
            ProblemKind::TooManyRequests => "too-many-requests",
            ProblemKind::Internal => "internal-error",
            ProblemKind::ServiceUnavailable => "service-unavailable",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            ProblemKind::MalformedRequest => lang.pick("Permintaan tidak dapat dibaca", "Malformed request"),
            ProblemKind::ProbableTypo => lang.pick("Nomor pelacakan salah ketik", "Probable typo in the tracking ID"),
            ProblemKind::Unauthorized => lang.pick("Perlu autentikasi", "Authentication required"),
            ProblemKind::Forbidden => lang.pick("Akses ditolak", "Forbidden"),
            ProblemKind::NotFound => lang.pick("Tidak ditemukan", "Not found"),
            ProblemKind::MethodNotAllowed => lang.pick("Metode tidak diizinkan", "Method not allowed"),
            ProblemKind::Conflict => lang.pick("Terjadi konflik", "Conflict"),
            ProblemKind::PayloadTooLarge => lang.pick("Isi permintaan terlalu besar", "Payload too large"),
            ProblemKind::UnsupportedMediaType => lang.pick("Jenis isi tidak didukung", "Unsupported media type"),
            ProblemKind::ValidationFailed => lang.pick("Data tidak valid", "Validation failed"),
            ProblemKind::IdempotencyKeyReused => {
                lang.pick("Idempotency-Key dipakai untuk permintaan lain", "Idempotency-Key reused for a different request")
            }
            ProblemKind::TooManyRequests => lang.pick("Terlalu banyak permintaan", "Too many requests"),
            ProblemKind::Internal => lang.pick("Kesalahan pada server", "Internal server error"),
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
            extensions: serde_json::Map::new(),
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

    /// 400 for query parameters that cannot be understood, each named in
    /// `errors` as a 422 names fields: one rule for every listing.
    pub fn bad_parameters(lang: Lang, invalid: &[crate::invalid::Invalid]) -> Self {
        let names: Vec<String> = invalid.iter().take(MAX_FIELD_ERRORS).map(|i| format!("`{}`", i.field)).collect();
        let (detail_id, detail_en) = match invalid {
            [one] => (format!("Parameter `{}` tidak valid. {}", one.field, one.id), format!("Invalid `{}` parameter. {}", one.field, one.en)),
            _ => (format!("Parameter tidak valid: {}.", names.join(", ")), format!("Invalid parameters: {}.", names.join(", "))),
        };
        let mut problem = Self::new(ProblemKind::MalformedRequest, lang, &detail_id, &detail_en);
        problem.errors = invalid.iter().take(MAX_FIELD_ERRORS).map(|i| i.render(lang)).collect();
        problem
    }

    /// 404 for an unknown report or an address that names nothing.
    pub fn not_found(lang: Lang) -> Self {
        Self::new(ProblemKind::NotFound, lang, "Laporan atau alamat yang diminta tidak ada.", "The requested report or resource does not exist.")
    }

    /// 422 listing every invalid field.
    pub fn validation(lang: Lang, invalid: &[crate::invalid::Invalid]) -> Self {
        let mut problem = Self::new(
            ProblemKind::ValidationFailed,
            lang,
            "Beberapa isian belum benar. Perbaiki lalu kirim lagi.",
            "Some fields are not valid. Correct them and send again.",
        );
        // A hostile body can hold thousands of bad fields; the first few are
        // enough to fix a form, and the answer stays small.
        problem.errors = invalid.iter().take(MAX_FIELD_ERRORS).map(|i| i.render(lang)).collect();
        problem
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
    fn validation_lists_fields_in_the_callers_language() {
        let invalid = [crate::invalid::Invalid::new("title", "Wajib diisi.", "Required.")];
        let p = Problem::validation(Lang::Id, &invalid);
        assert_eq!(p.status, 422);
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["errors"], serde_json::json!([{"field": "title", "message": "Wajib diisi."}]));
        assert_eq!(Problem::validation(Lang::En, &invalid).errors[0].message, "Required.");
    }

    #[test]
    fn bad_parameters_are_400_naming_each_parameter() {
        let limit = crate::invalid::Invalid::new("limit", "Gunakan angka 1 sampai 100.", "Use a number from 1 to 100.");
        let p = Problem::bad_parameters(Lang::En, std::slice::from_ref(&limit));
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!((v["status"].as_u64(), v["type"].as_str()), (Some(400), Some("/problems/malformed-request")));
        assert_eq!(v["detail"], "Invalid `limit` parameter. Use a number from 1 to 100.");
        assert_eq!(v["errors"], serde_json::json!([{"field": "limit", "message": "Use a number from 1 to 100."}]));

        let cursor = crate::invalid::Invalid::new("cursor", "Gunakan next_cursor.", "Use next_cursor.");
        let p = Problem::bad_parameters(Lang::Id, &[limit, cursor]);
        assert_eq!(p.detail, "Parameter tidak valid: `limit`, `cursor`.");
        assert_eq!(p.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["Gunakan angka 1 sampai 100.", "Gunakan next_cursor."]);
    }

    #[test]
    fn not_found_speaks_both_languages() {
        assert_eq!((Problem::not_found(Lang::En).status, Problem::not_found(Lang::En).type_uri.as_str()), (404, "/problems/not-found"));
        assert_eq!(Problem::not_found(Lang::Id).title, "Tidak ditemukan");
    }

    #[test]
    fn statuses() {
        assert_eq!(ProblemKind::ProbableTypo.status(), 400);
        assert_eq!(ProblemKind::PayloadTooLarge.status(), 413);
        assert_eq!(ProblemKind::UnsupportedMediaType.status(), 415);
        assert_eq!(ProblemKind::IdempotencyKeyReused.status(), 422);
        assert_eq!(ProblemKind::TooManyRequests.status(), 429);
    }

    #[test]
    fn speaks_indonesian_by_default() {
        let p = Problem::method_not_allowed(Lang::negotiate(None), &["GET", "HEAD"]);
        assert_eq!(p.title, "Metode tidak diizinkan");
        assert_eq!(p.detail, "Alamat ini hanya menerima metode GET, HEAD.");
    }
}
