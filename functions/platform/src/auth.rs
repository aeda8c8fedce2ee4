//! Who is calling: staff bearer tokens, and the bootstrap admin token.
//!
//! The first administrator of a fresh deployment is whoever presents the
//! secret Spin variable `bootstrap_admin_token`, so the service can be set up
//! without touching the database. Staff tokens are stored as SHA-256 hashes,
//! expire, and die with their account.

use lapor_domain::lang::Lang;
use lapor_domain::problem::ProblemKind;
use lapor_domain::staff::{Decision, Principal, Role, StaffAction};
use lapor_domain::token::{constant_time_eq, hash_token};

use crate::db::{text, Db};
use crate::request::ApiRequest;
use crate::response::ApiError;

/// A bootstrap token shorter than this is ignored: it would be guessable.
const MIN_BOOTSTRAP_TOKEN_LEN: usize = 32;

fn bootstrap_token() -> Option<String> {
    let token = spin_sdk::variables::get("bootstrap_admin_token").ok()?;
    let token = token.trim().to_string();
    if token.is_empty() {
        return None;
    }
    if token.len() < MIN_BOOTSTRAP_TOKEN_LEN {
        eprintln!("bootstrap_admin_token is shorter than {MIN_BOOTSTRAP_TOKEN_LEN} characters; it is ignored");
        return None;
    }
    Some(token)
}

/// The staff member a request's bearer token belongs to, if any.
pub fn staff_principal(db: &Db, request: &ApiRequest, now: &str) -> anyhow::Result<Option<Principal>> {
    let Some(token) = request.bearer_token() else { return Ok(None) };
    principal_of_token_hash(db, &hash_token(token), now)
}

/// The staff member whose valid token hashes to `token_hash`, if any: the
/// bootstrap administrator while `bootstrap_admin_token` hashes to it, or
/// an account whose token is neither expired nor revoked (nor the account).
/// The console's sessions ask this on every request, so a token's
/// revocation ends its sessions too.
pub fn principal_of_token_hash(db: &Db, token_hash: &str, now: &str) -> anyhow::Result<Option<Principal>> {
    if let Some(bootstrap) = bootstrap_token() {
        if constant_time_eq(token_hash.as_bytes(), hash_token(&bootstrap).as_bytes()) {
            return Ok(Some(Principal::bootstrap_admin()));
        }
    }
    db.query(
        "SELECT staff.public_id, staff.role, staff.agency, staff.unit
         FROM staff_tokens JOIN staff ON staff.id = staff_tokens.staff_id
         WHERE staff_tokens.token_hash = ? AND staff_tokens.revoked_at IS NULL
           AND staff_tokens.expires_at > ? AND staff.revoked_at IS NULL",
        &[text(token_hash), text(now)],
    )?
    .first(|row| {
        Ok(Principal {
            id: row.text("public_id")?,
            role: row.parsed("role", Role::from_stored)?,
            agency: row.opt_text("agency")?,
            unit: row.opt_text("unit")?,
        })
    })
}

/// The caller as staff, or 401.
pub fn require_staff(db: &Db, request: &ApiRequest, now: &str) -> Result<Principal, ApiError> {
    staff_principal(db, request, now)?.ok_or_else(|| unauthorized(request.lang))
}

/// The caller as a platform administrator: 401 without a valid token, 403
/// for any other role.
pub fn require_admin(db: &Db, request: &ApiRequest, now: &str) -> Result<Principal, ApiError> {
    let principal = require_staff(db, request, now)?;
    match principal.may(StaffAction::Intake, None) {
        Decision::Allow => Ok(principal),
        _ => Err(forbidden(request.lang)),
    }
}

/// An internal route (called by the scheduler or a CronJob): `POST` with
/// the bearer token held in Spin variable `variable`, compared in constant
/// time. An empty or unset variable closes the route rather than opening it.
pub fn require_internal_call(request: &ApiRequest, variable: &str) -> Result<(), ApiError> {
    let lang = request.lang;
    if request.method != "POST" {
        return Err(ApiError::method_not_allowed(lang, &["POST"]));
    }
    let expected = spin_sdk::variables::get(variable).unwrap_or_default();
    let expected = expected.trim();
    match request.bearer_token() {
        Some(token) if !expected.is_empty() && constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(ApiError::new(
            ProblemKind::Unauthorized,
            lang,
            &format!("Token untuk rute internal ini salah ({variable})."),
            &format!("Wrong or missing token for this internal route ({variable})."),
        )
        .with_header("www-authenticate", "Bearer")),
    }
}

pub fn unauthorized(lang: Lang) -> ApiError {
    ApiError::new(
        ProblemKind::Unauthorized,
        lang,
        "Masuk sebagai petugas: kirim token Anda sebagai Authorization: Bearer ... (token tidak dikenal, kedaluwarsa, atau dicabut).",
        "Sign in as staff: send your token as Authorization: Bearer ... (the token is unknown, expired or revoked).",
    )
    .with_header("www-authenticate", "Bearer")
}

pub fn forbidden(lang: Lang) -> ApiError {
    ApiError::new(
        ProblemKind::Forbidden,
        lang,
        "Peran Anda tidak mengizinkan tindakan ini.",
        "Your role does not allow this action.",
    )
}
