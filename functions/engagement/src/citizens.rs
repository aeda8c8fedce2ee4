//! Citizen identities: a random token (stored as a hash), optionally bound
//! to a phone number proved with a six-digit SMS code sent through the outbox.

use chrono::{DateTime, Utc};
use lapor_domain::command::{CreateCitizen, VerifyPhone};
use lapor_domain::contact::PhoneNumber;
use lapor_domain::engagement::Identity;
use lapor_domain::follow::{mask_address, FollowChannel};
use lapor_domain::invalid::Invalid;
use lapor_domain::otp::{Check, PendingCode};
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::{CitizenCreated, CodeSent, IdentityView, PhoneProved, PhoneVerification};
use lapor_platform::db::Db;
use lapor_platform::identity::require_identity;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{json_object, json_object_or_empty};
use lapor_platform::{citizens, clock, engagement, limits, notify, random};
use serde_json::json;
use spin_sdk::http::Response;

/// `POST /api/v1/citizens {phone?}` -> 201 `{citizen_token, phone_verification}`.
pub fn create(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    // An empty body is fine: a token without a phone.
    let body = json_object_or_empty(request)?;
    let CreateCitizen { phone } = CreateCitizen::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let ip = request.client_ip();
    let by_address = |window| kv_schema::citizen_rate_by_address_key(&ip, window);
    limits::enforce(
        lang,
        &[limits::Check { limit: limits::from_variable("citizen_rate_limit_per_address", 30), key: &by_address }],
        "token warga",
        "citizen tokens",
    )?;
    if let Some(phone) = &phone {
        limit_codes(request, phone)?;
    }
    let token = random::secret_token()?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let db = Db::open()?;
    let verification = db.transaction(|db| -> Result<Option<PhoneVerification>, ApiError> {
        let id = citizens::insert(db, &token.hash(), &now)?;
        phone.as_ref().map(|phone| send_code(db, id, phone, now_at)).transpose()
    })?;
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
    let now_at = clock::now();
    let code = match command {
        VerifyPhone::SendCode(phone) => {
            limit_codes(request, &phone)?;
            let verification = db.transaction(|db| send_code(db, citizen_id, &phone, now_at))?;
            return Ok(response::json(202, &CodeSent { phone_verification: verification }, "no-store"));
        }
        VerifyPhone::Prove(code) => code,
    };
    let now = clock::timestamp(now_at);
    db.transaction(|db| -> Result<Response, ApiError> {
        let Some((phone, stored)) = citizens::pending_code(db, citizen_id)? else {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                lang,
                "Tidak ada kode yang menunggu. Minta kode dulu dengan {phone}.",
                "No code is pending. Ask for one first with {phone}.",
            ));
        };
        match stored.check(&code, citizen_id, &phone, now_at) {
            Check::Verified => {
                citizens::prove_phone(db, citizen_id, &phone, &now)?;
                // Only a token's own first proof moves its history: a phone
                // key may be shared with the same person's other devices.
                if current_phone.is_none() {
                    let proved = PhoneNumber::parse("phone", &phone).map_err(|e| ApiError::validation(lang, &[e]))?;
                    let before = Identity::Citizen { id: citizen_id, verified_phone: None }.key();
                    engagement::adopt_identity(db, &before, &Identity::Phone(proved).key())?;
                }
                citizens::clear_code(db, citizen_id)?;
                notify::drop_pending_sign_in_codes(db, &phone)?;
                Ok(response::json(200, &PhoneProved { phone, verified: true }, "no-store"))
            }
            Check::Wrong { tries_left } => {
                // The spent try must be stored even though the answer is an error.
                citizens::spend_try(db, citizen_id, tries_left)?;
                Ok(code_problem(
                    lang,
                    &format!("Kode salah. Sisa percobaan: {tries_left}."),
                    &format!("Wrong code. Tries left: {tries_left}."),
                    tries_left,
                ))
            }
            Check::Expired | Check::Exhausted => {
                citizens::clear_code(db, citizen_id)?;
                notify::drop_pending_sign_in_codes(db, &phone)?;
                Ok(code_problem(
                    lang,
                    "Kode sudah kedaluwarsa atau terlalu sering salah. Minta kode baru dengan {phone}.",
                    "The code expired or was tried too often. Ask for a new one with {phone}.",
                    0,
                ))
            }
        }
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

/// Sign-in codes per phone number and per client address per hour
/// (`sign_in_code_rate_limit_per_phone`, `..._per_address`). SMS costs money
/// and reaches strangers, so without working counters no code is sent.
fn limit_codes(request: &ApiRequest, phone: &PhoneNumber) -> Result<(), ApiError> {
    let ip = request.client_ip();
    let by_phone = |window| kv_schema::sign_in_code_rate_by_phone_key(phone.as_str(), window);
    let by_address = |window| kv_schema::sign_in_code_rate_by_address_key(&ip, window);
    limits::enforce_or_refuse(
        request.lang,
        &[
            limits::Check { limit: limits::from_variable("sign_in_code_rate_limit_per_phone", 5), key: &by_phone },
            limits::Check { limit: limits::from_variable("sign_in_code_rate_limit_per_address", 10), key: &by_address },
        ],
        "kode SMS",
        "SMS codes",
    )
}

/// Replaces any pending code with a new one and queues its SMS (inside the
/// caller's transaction, so the code and its message commit together).
fn send_code(db: &Db, citizen_id: i64, phone: &PhoneNumber, now_at: DateTime<Utc>) -> Result<PhoneVerification, ApiError> {
    let now = clock::timestamp(now_at);
    let code = random::otp_code()?;
    let pending = PendingCode::new(&code, citizen_id, phone.as_str(), now_at);
    let expires_at = clock::timestamp(pending.expires_at);
    citizens::store_code(db, citizen_id, phone.as_str(), &pending, &now)?;
    // An older code's message still waiting would only deliver a dead code.
    notify::drop_pending_sign_in_codes(db, phone.as_str())?;
    notify::enqueue_message(db, lapor_domain::event::OutboxKind::SignInCode, FollowChannel::Sms, phone.as_str(), &json!({"text": code.sms_text()}), &now)?;
    Ok(PhoneVerification { channel: FollowChannel::Sms.as_str(), expires_at, phone: mask_address(FollowChannel::Sms, phone.as_str()) })
}
