//! Responses: JSON, HTML, redirects and RFC 9457 problems, and the error type
//! handlers return.

use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::problem::{self, Problem, ProblemKind};
use spin_sdk::http::Response;

/// Why a handler did not produce its normal answer.
#[derive(Debug)]
pub enum ApiError {
    /// The caller's mistake (or a rule): answered with this problem.
    Problem(Problem, Vec<(String, String)>),
    /// Ours: logged, answered 500 without details.
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn new(kind: ProblemKind, lang: Lang, detail_id: &str, detail_en: &str) -> Self {
        ApiError::Problem(Problem::new(kind, lang, detail_id, detail_en), Vec::new())
    }

    pub fn validation(lang: Lang, invalid: &[Invalid]) -> Self {
        ApiError::Problem(Problem::validation(lang, invalid), Vec::new())
    }

    /// Adds a response header (e.g. `Retry-After`, `Allow`).
    pub fn with_header(self, name: &str, value: impl Into<String>) -> Self {
        match self {
            ApiError::Problem(p, mut headers) => {
                headers.push((name.to_string(), value.into()));
                ApiError::Problem(p, headers)
            }
            other => other,
        }
    }

    /// 400 for query parameters that cannot be understood, each in `errors`.
    pub fn bad_parameters(lang: Lang, invalid: &[Invalid]) -> Self {
        ApiError::Problem(Problem::bad_parameters(lang, invalid), Vec::new())
    }

    /// A request body over `limit` bytes.
    pub fn too_large(lang: Lang, limit: usize) -> Self {
        ApiError::new(
            ProblemKind::PayloadTooLarge,
            lang,
            &format!("Isi permintaan melebihi batas {} KB.", limit / 1024),
            &format!("The request body exceeds the {} KB limit.", limit / 1024),
        )
    }

    /// A body that is not JSON, saying where reading stopped.
    pub fn unreadable_json(lang: Lang, e: &serde_json::Error) -> Self {
        ApiError::new(
            ProblemKind::MalformedRequest,
            lang,
            &format!("JSON tidak dapat dibaca (baris {}, kolom {}).", e.line(), e.column()),
            &format!("The JSON could not be read (line {}, column {}).", e.line(), e.column()),
        )
    }

    pub fn not_found(lang: Lang) -> Self {
        ApiError::Problem(Problem::not_found(lang), Vec::new())
    }

    pub fn method_not_allowed(lang: Lang, allowed: &[&str]) -> Self {
        ApiError::Problem(Problem::method_not_allowed(lang, allowed), vec![("allow".into(), allowed.join(", "))])
    }

    pub fn into_response(self, lang: Lang) -> Response {
        match self {
            ApiError::Problem(problem, headers) => problem_response(&problem, lang, headers),
            ApiError::Internal(error) => {
                eprintln!("internal error: {error:#}");
                let problem = Problem::new(
                    ProblemKind::Internal,
                    lang,
                    "Terjadi kesalahan di pihak kami. Laporan Anda tidak tersimpan; silakan coba lagi.",
                    "Something failed on our side. Nothing was saved; please try again.",
                );
                problem_response(&problem, lang, Vec::new())
            }
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Internal(e)
    }
}

impl From<spin_sdk::sqlite3::Error> for ApiError {
    fn from(e: spin_sdk::sqlite3::Error) -> Self {
        ApiError::Internal(anyhow::anyhow!("sqlite: {e}"))
    }
}

pub fn problem_response(problem: &Problem, lang: Lang, headers: Vec<(String, String)>) -> Response {
    let mut builder = Response::builder();
    builder
        .status(problem.status)
        .header("content-type", problem::CONTENT_TYPE)
        .header("content-language", lang.tag())
        .header("cache-control", "no-store");
    for (name, value) in headers {
        builder.header(name, value);
    }
    builder.body(problem.to_json()).build()
}

/// A JSON answer. `cache` is a Cache-Control value.
/// A JSON answer from any serializable view.
pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T, cache: &str) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        // Views are plain structs with string keys: this cannot happen, and
        // if it ever did the caller would get a 500, never half a body.
        Err(e) => return ApiError::Internal(anyhow::anyhow!("view not serializable: {e}")).into_response(Lang::Id),
    };
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", cache)
        .body(body)
        .build()
}

/// An HTML page, with the security headers of every page (`crate::headers`).
pub fn html(status: u16, body: String, lang: Lang) -> Response {
    let mut builder = Response::builder();
    builder
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        .header("content-language", lang.tag())
        .header("cache-control", "no-store");
    for (name, value) in crate::headers::page_headers(crate::headers::NO_FRAMING) {
        builder.header(name, value);
    }
    builder.body(body).build()
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
