//! Citizen identities: a random token (stored as a hash), optionally bound
//! to a phone number proved with a six-digit SMS code sent through the outbox.

use lapor_domain::command::{CreateCitizen, VerifyPhone};
use lapor_domain::engagement::Identity;
use lapor_domain::invalid::Invalid;
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::{CitizenCreated, CodeSent, IdentityView};
use lapor_platform::db::Db;
use lapor_platform::identity::require_identity;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{json_object, json_object_or_empty};
use lapor_platform::sign_in::{self, Proof};
use serde_json::json;
use spin_sdk::http::Response;

/// `POST /api/v1/citizens {phone?}` -> 201 `{citizen_token, phone_verification}`.
pub fn create(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    // An empty body is fine: a token without a phone.
    let body = json_object_or_empty(request)?;
    let command = CreateCitizen::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let (token, verification) = sign_in::create_citizen(&db, lang, &request.client_ip(), command)?;
    let answer = CitizenCreated { citizen_token: token.as_str().to_string(), phone_verification: verification };
    Ok(response::json(201, &answer, "no-store"))
}

/// `POST /api/v1/citizens/verify`: `{phone}` sends (or re-sends) a code,
/// `{code}` proves the pending one.
pub fn verify(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = json_object(request)?;
    let command = VerifyPhone::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let (citizen_id, current_phone) = match require_identity(&db, request)? {
        Identity::Citizen { id, verified_phone } => (id, verified_phone),
        _ => {
            return Err(ApiError::new(
                ProblemKind::Forbidden,
                lang,
                "Hanya token warga yang dapat diikat ke nomor telepon (POST /api/v1/citizens).",
                "Only a citizen token can be bound to a phone number (POST /api/v1/citizens).",
            ))
        }
    };
    let code = match command {
        VerifyPhone::SendCode(phone) => {
            let verification = sign_in::send_code(&db, lang, &request.client_ip(), citizen_id, &phone)?;
            return Ok(response::json(202, &CodeSent { phone_verification: verification }, "no-store"));
        }
        VerifyPhone::Prove(code) => code,
    };
    Ok(match sign_in::prove_code(&db, lang, citizen_id, current_phone.as_ref(), &code)? {
        Proof::Proved(proved) => response::json(200, &proved, "no-store"),
        Proof::Wrong { tries_left } => code_problem(
            lang,
            &format!("Kode salah. Sisa percobaan: {tries_left}."),
            &format!("Wrong code. Tries left: {tries_left}."),
            tries_left,
        ),
        Proof::Spent => code_problem(
            lang,
            "Kode sudah kedaluwarsa atau terlalu sering salah. Minta kode baru dengan {phone}.",
            "The code expired or was tried too often. Ask for a new one with {phone}.",
            0,
        ),
    })
}

/// `GET /api/v1/citizens/me`: what this token is bound to.
pub fn me(request: &ApiRequest) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let view = match require_identity(&db, request)? {
        Identity::Citizen { verified_phone, .. } => {
            IdentityView::Citizen { phone_verified: verified_phone.is_some(), phone: verified_phone.map(|p| p.as_str().to_string()) }
        }
        Identity::Reporter { .. } => IdentityView::Reporter,
        Identity::Phone(phone) => IdentityView::Phone { phone: phone.as_str().to_string() },
    };
    Ok(response::json(200, &view, "no-store"))
}

/// A 422 about the code, with `tries_left` for the client to show.
fn code_problem(lang: lapor_domain::lang::Lang, id: &str, en: &str, tries_left: i64) -> Response {
    let mut error = ApiError::validation(lang, &[Invalid::new("code", id, en)]);
    if let ApiError::Problem(problem, _) = &mut error {
        problem.extensions.insert("tries_left".into(), json!(tries_left));
    }
    error.into_response(lang)
}

