//! Citizen identities and their SMS codes, applied once for every front
//! door: `POST /api/v1/citizens` (and `/verify`) in `functions/engagement`,
//! and the tracking page's first action and phone form in `functions/web`.
//! The rows are `crate::citizens`; the code rules are `lapor_domain::otp`.

use chrono::{DateTime, Utc};
use lapor_domain::command::CreateCitizen;
use lapor_domain::contact::PhoneNumber;
use lapor_domain::engagement::Identity;
use lapor_domain::follow::{mask_address, FollowChannel};
use lapor_domain::lang::Lang;
use lapor_domain::otp::{Check, OtpCode, PendingCode};
use lapor_domain::problem::ProblemKind;
use lapor_domain::token::SecretToken;
use lapor_domain::view::{PhoneProved, PhoneVerification};
use serde_json::json;

use crate::db::Db;
use crate::response::ApiError;
use crate::{citizens, clock, engagement, limits, notify, random};

/// A new citizen token (stored as its hash) and, with a phone, the code sent to it.
pub fn create_citizen(db: &Db, lang: Lang, client_ip: &str, command: CreateCitizen) -> Result<(SecretToken, Option<PhoneVerification>), ApiError> {
    let CreateCitizen { phone } = command;
    let by_address = |window| kv_schema::citizen_rate_by_address_key(client_ip, window);
    limits::enforce(
        lang,
        &[limits::Check { limit: limits::from_variable("citizen_rate_limit_per_address", 30), key: &by_address }],
        "token warga",
        "citizen tokens",
    )?;
    if let Some(phone) = &phone {
        limit_codes(lang, client_ip, phone)?;
    }
    let token = random::secret_token()?;
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    let verification = db.transaction(|db| -> Result<Option<PhoneVerification>, ApiError> {
        let id = citizens::insert(db, &token.hash(), &now)?;
        phone.as_ref().map(|phone| send_code_now(db, id, phone, now_at)).transpose()
    })?;
    Ok((token, verification))
}

/// Sends (or re-sends) a code to `phone` for citizen `citizen_id`.
pub fn send_code(db: &Db, lang: Lang, client_ip: &str, citizen_id: i64, phone: &PhoneNumber) -> Result<PhoneVerification, ApiError> {
    limit_codes(lang, client_ip, phone)?;
    let now_at = clock::now();
    db.transaction(|db| send_code_now(db, citizen_id, phone, now_at))
}

/// What proving a code came to.
#[derive(Debug)]
pub enum Proof {
    Proved(PhoneProved),
    /// The try is spent (and stored).
    Wrong { tries_left: i64 },
    /// Expired or tried too often: the code is gone.
    Spent,
}

/// Proves the pending code of citizen `citizen_id` (whose token had proved
/// `current_phone` before, if any). 409 when no code is pending.
pub fn prove_code(db: &Db, lang: Lang, citizen_id: i64, current_phone: Option<&PhoneNumber>, code: &OtpCode) -> Result<Proof, ApiError> {
    let now_at = clock::now();
    let now = clock::timestamp(now_at);
    db.transaction(|db| -> Result<Proof, ApiError> {
        let Some((phone, stored)) = citizens::pending_code(db, citizen_id)? else {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                lang,
                "Tidak ada kode yang menunggu. Minta kode dulu dengan {phone}.",
                "No code is pending. Ask for one first with {phone}.",
            ));
        };
        match stored.check(code, citizen_id, &phone, now_at) {
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
                Ok(Proof::Proved(PhoneProved { phone, verified: true }))
            }
            Check::Wrong { tries_left } => {
                // The spent try must be stored even though the answer is an error.
                citizens::spend_try(db, citizen_id, tries_left)?;
                Ok(Proof::Wrong { tries_left })
            }
            Check::Expired | Check::Exhausted => {
                citizens::clear_code(db, citizen_id)?;
                notify::drop_pending_sign_in_codes(db, &phone)?;
                Ok(Proof::Spent)
            }
        }
    })
}

/// Sign-in codes per phone number and per client address per hour
/// (`sign_in_code_rate_limit_per_phone`, `..._per_address`). SMS costs money
/// and reaches strangers, so without working counters no code is sent.
fn limit_codes(lang: Lang, client_ip: &str, phone: &PhoneNumber) -> Result<(), ApiError> {
    let by_phone = |window| kv_schema::sign_in_code_rate_by_phone_key(phone.as_str(), window);
    let by_address = |window| kv_schema::sign_in_code_rate_by_address_key(client_ip, window);
    limits::enforce_or_refuse(
        lang,
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
fn send_code_now(db: &Db, citizen_id: i64, phone: &PhoneNumber, now_at: DateTime<Utc>) -> Result<PhoneVerification, ApiError> {
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
