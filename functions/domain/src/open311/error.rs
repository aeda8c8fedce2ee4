//! Errors as GeoReport v2 answers them: `[{"code": 400, "description":
//! "..."}]` or `<errors><error><code/><description/></error></errors>`,
//! several at once when several things are wrong.
//!
//! The HTTP status follows the spec: 404 for a resource that does not exist,
//! 403 for a missing or wrong `api_key`, 400 for anything else the request
//! got wrong. Beyond it, plain HTTP: 405 for a method the address does not
//! take, 413 for a body over the limit, 429 (with `Retry-After`) for a rate
//! limit, 500 for our own failure. Descriptions are in the caller's language.

use serde::Serialize;

use crate::invalid::Invalid;
use crate::lang::Lang;

/// One entry of an error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorItem {
    pub code: u16,
    pub description: String,
}

/// An error answer: its HTTP status and its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Error {
    pub status: u16,
    pub errors: Vec<ErrorItem>,
}

impl Open311Error {
    pub fn new(status: u16, lang: Lang, id: &str, en: &str) -> Self {
        Open311Error { status, errors: vec![ErrorItem { code: status, description: lang.pick(id, en).to_string() }] }
    }

    pub fn not_found(lang: Lang) -> Self {
        Self::new(
            404,
            lang,
            "Tidak ditemukan: alamat Open311 ini tidak dikenal (lihat discovery.json).",
            "Not found: no such Open311 resource (see discovery.json).",
        )
    }

    /// A service request that does not exist, or that the public may not see.
    pub fn request_not_found(lang: Lang, id: &str) -> Self {
        Self::new(404, lang, &format!("Permintaan layanan {id} tidak ditemukan."), &format!("Service request {id} not found."))
    }

    pub fn service_not_found(lang: Lang, code: &str) -> Self {
        Self::new(
            404,
            lang,
            &format!("service_code {code} tidak dikenal atau tidak lagi menerima laporan (lihat services.json)."),
            &format!("service_code {code} is unknown or no longer takes requests (see services.json)."),
        )
    }

    pub fn bad_api_key(lang: Lang) -> Self {
        Self::new(
            403,
            lang,
            "api_key tidak ada atau tidak sah: permintaan tidak dapat dibuat. Kunci diterbitkan oleh administrator LAPOR!.",
            "Missing or invalid api_key: the request cannot be created. Keys are issued by the LAPOR! administrators.",
        )
    }

    pub fn method_not_allowed(lang: Lang, allow: &[&str]) -> Self {
        let list = allow.join(", ");
        Self::new(405, lang, &format!("Alamat ini hanya menerima metode {list}."), &format!("This resource only accepts {list}."))
    }

    pub fn internal(lang: Lang) -> Self {
        Self::new(
            500,
            lang,
            "Terjadi kesalahan di pihak kami. Tidak ada yang tersimpan; silakan coba lagi.",
            "Something failed on our side. Nothing was saved; please try again.",
        )
    }

    /// 400 with one entry per refused parameter: `name: message`.
    pub fn bad_request(lang: Lang, invalid: &[Invalid]) -> Self {
        let errors = invalid
            .iter()
            .map(|e| {
                let message = lang.pick(&e.id, &e.en);
                let description = if e.field.is_empty() { message.to_string() } else { format!("{}: {message}", e.field) };
                ErrorItem { code: 400, description }
            })
            .collect();
        Open311Error { status: 400, errors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refused_parameter_is_an_entry_naming_it() {
        let e = Open311Error::bad_request(
            Lang::En,
            &[Invalid::required("service_code"), Invalid::new("lat", "Lintang di luar Indonesia.", "Latitude is outside Indonesia.")],
        );
        assert_eq!(e.status, 400);
        let json = serde_json::to_value(&e.errors).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"code": 400, "description": "service_code: Required."},
                {"code": 400, "description": "lat: Latitude is outside Indonesia."}
            ])
        );
    }

    #[test]
    fn codes_match_the_http_status_in_the_callers_language() {
        for (e, status) in [
            (Open311Error::not_found(Lang::Id), 404),
            (Open311Error::bad_api_key(Lang::Id), 403),
            (Open311Error::service_not_found(Lang::Id, "x"), 404),
            (Open311Error::request_not_found(Lang::Id, "7K3QD-M2X9C"), 404),
            (Open311Error::method_not_allowed(Lang::Id, &["GET", "HEAD"]), 405),
            (Open311Error::internal(Lang::Id), 500),
        ] {
            assert_eq!(e.status, status);
            assert!(e.errors.iter().all(|item| item.code == status));
        }
        assert!(Open311Error::bad_api_key(Lang::Id).errors[0].description.starts_with("api_key tidak ada"));
        assert!(Open311Error::bad_api_key(Lang::En).errors[0].description.starts_with("Missing or invalid api_key"));
    }
}
