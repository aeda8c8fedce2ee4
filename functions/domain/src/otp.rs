//! One-time SMS codes that bind a phone number to a citizen token.
//!
//! Six digits, valid for five minutes, five tries. Only a keyed hash of the
//! code is stored (keyed by the citizen, so equal codes do not hash alike).

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::invalid::Invalid;
use crate::token::constant_time_eq;

pub const CODE_DIGITS: usize = 6;
pub const VALID_FOR: Duration = Duration::minutes(5);
pub const TRIES: i64 = 5;

/// A code as sent by SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpCode(String);

impl OtpCode {
    /// A uniform code from 4 random bytes (rejection-free: 2^32 mod 10^6 is
    /// a bias of under 0.03%, far below guessing odds with 5 tries).
    pub fn from_random(random: [u8; 4]) -> Self {
        Self(format!("{:06}", u32::from_be_bytes(random) % 1_000_000))
    }

    /// What a person typed: six digits, spaces and dashes ignored.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.len() == CODE_DIGITS && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(Invalid::new(field, "Kode terdiri dari 6 angka.", "The code is 6 digits."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored form: HMAC-SHA256 keyed by the citizen's id and the phone.
    pub fn hash(&self, citizen_id: i64, phone: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(format!("lapor-otp:{citizen_id}:{phone}").as_bytes()).expect("any key length");
        mac.update(self.0.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The SMS text (one GSM-7 segment).
    pub fn sms_text(&self) -> String {
        format!("Kode LAPOR! Anda: {}. Berlaku 5 menit. Jangan berikan kode ini kepada siapa pun.", self.0)
    }
}

/// A pending code as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCode {
    pub code_hash: String,
    pub expires_at: DateTime<Utc>,
    pub tries_left: i64,
}

/// What checking a typed code against the pending one decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Verified,
    /// Wrong code; this many tries remain (0 means the code is now spent).
    Wrong { tries_left: i64 },
    Expired,
    /// No tries were left before this one.
    Exhausted,
}

impl PendingCode {
    pub fn new(code: &OtpCode, citizen_id: i64, phone: &str, now: DateTime<Utc>) -> Self {
        Self { code_hash: code.hash(citizen_id, phone), expires_at: now + VALID_FOR, tries_left: TRIES }
    }

    /// Every call spends a try, right or wrong, so the caller must store
    /// the result before answering.
    pub fn check(&self, typed: &OtpCode, citizen_id: i64, phone: &str, now: DateTime<Utc>) -> Check {
        if self.tries_left <= 0 {
            return Check::Exhausted;
        }
        if now > self.expires_at {
            return Check::Expired;
        }
        if constant_time_eq(typed.hash(citizen_id, phone).as_bytes(), self.code_hash.as_bytes()) {
            Check::Verified
        } else {
            Check::Wrong { tries_left: self.tries_left - 1 }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T05:00:00Z").unwrap().with_timezone(&Utc) + Duration::minutes(minute)
    }

    #[test]
    fn codes_are_six_digits_with_leading_zeros() {
        assert_eq!(OtpCode::from_random([0, 0, 0, 7]).as_str(), "000007");
        assert_eq!(OtpCode::from_random([255; 4]).as_str().len(), 6);
        assert_eq!(OtpCode::parse("code", " 123-456 ").unwrap().as_str(), "123456");
        assert!(OtpCode::parse("code", "12345").is_err());
        assert!(OtpCode::parse("code", "12345a").is_err());
        assert!(OtpCode::parse("code", "１２３４５６").is_err(), "full-width digits are not ASCII digits");
        assert!(OtpCode::from_random([1, 2, 3, 4]).sms_text().len() <= 160);
    }

    #[test]
    fn right_wrong_expired_exhausted() {
        let code = OtpCode::parse("code", "424242").unwrap();
        let wrong = OtpCode::parse("code", "424243").unwrap();
        let pending = PendingCode::new(&code, 9, "+6281234567890", at(0));
        assert!(!pending.code_hash.contains("424242"));
        assert_eq!(pending.check(&code, 9, "+6281234567890", at(4)), Check::Verified);
        assert_eq!(pending.check(&wrong, 9, "+6281234567890", at(1)), Check::Wrong { tries_left: 4 });
        // A code is bound to its citizen and phone.
        assert_eq!(pending.check(&code, 10, "+6281234567890", at(1)), Check::Wrong { tries_left: 4 });
        assert_eq!(pending.check(&code, 9, "+6281234567891", at(1)), Check::Wrong { tries_left: 4 });
        assert_eq!(pending.check(&code, 9, "+6281234567890", at(6)), Check::Expired);
        let spent = PendingCode { tries_left: 0, ..pending };
        assert_eq!(spent.check(&code, 9, "+6281234567890", at(1)), Check::Exhausted);
    }
}
