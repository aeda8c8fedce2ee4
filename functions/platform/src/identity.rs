//! Who is supporting, commenting or following: a citizen token or a
//! reporter token, presented as `Authorization: Bearer ...` (or, on the web
//! pages, kept in a cookie).
//!
//! Staff tokens are not identities here: staff moderate, they do not vote.

use lapor_domain::contact::PhoneNumber;
use lapor_domain::engagement::Identity;
use lapor_domain::lang::Lang;
use lapor_domain::problem::ProblemKind;
use lapor_domain::token::hash_token;

use crate::db::{text, Db};
use crate::request::ApiRequest;
use crate::response::ApiError;

/// The identity a bearer token proves, if any.
pub fn identity_of(db: &Db, request: &ApiRequest) -> anyhow::Result<Option<Identity>> {
    let Some(token) = request.bearer_token() else { return Ok(None) };
    identity_of_token(db, token)
}

/// The identity a citizen or reporter token proves, however it arrived (a
/// bearer header on the API, a cookie on the web pages).
pub fn identity_of_token(db: &Db, token: &str) -> anyhow::Result<Option<Identity>> {
    let hash = hash_token(token);
    let citizen = db
        .query("SELECT id, CASE WHEN phone_verified_at IS NOT NULL THEN phone END AS phone FROM citizens WHERE token_hash = ?", &[text(&hash)])?
        .first(|row| {
            // Only numbers that parsed were ever stored as proved.
            let verified_phone = row.opt_parsed("phone", |p| PhoneNumber::parse("phone", p).ok())?;
            Ok(Identity::Citizen { id: row.int("id")?, verified_phone })
        })?;
    if citizen.is_some() {
        return Ok(citizen);
    }
    db.query("SELECT id FROM reports WHERE reporter_token_hash = ?", &[text(&hash)])?.first(|row| Ok(Identity::Reporter { report_id: row.int("id")? }))
}

/// The caller's identity, or 401 saying how to get one.
pub fn require_identity(db: &Db, request: &ApiRequest) -> Result<Identity, ApiError> {
    identity_of(db, request)?.ok_or_else(|| unauthorized(request.lang))
}

pub fn unauthorized(lang: Lang) -> ApiError {
    ApiError::new(
        ProblemKind::Unauthorized,
        lang,
        "Perlu identitas warga: minta token di POST /api/v1/citizens (atau pakai kode rahasia pelapor), lalu kirim sebagai Authorization: Bearer ...",
        "An identity is needed: get a citizen token from POST /api/v1/citizens (or use a reporter token) and send it as Authorization: Bearer ...",
    )
    .with_header("www-authenticate", "Bearer")
}
