//! `Idempotency-Key`: a retried submission returns the first answer.
//!
//! Phones on bad networks retry. The key, chosen by the client, names one
//! logical submission; the fingerprint of the request body tells a true
//! retry from a different request that reuses the key (answered 422).

use sha2::{Digest, Sha256};

use crate::invalid::Invalid;

/// A client's idempotency key: 16 to 255 visible ASCII characters (a UUID
/// is the usual choice). The minimum length matters: the key also protects
/// the reporter token derived from it (see `token::derive_idempotent_token`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.len() < 16 || s.len() > 255 || !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid::new(
                "Idempotency-Key",
                "Idempotency-Key harus 16-255 karakter ASCII tanpa spasi, misalnya sebuah UUID.",
                "Idempotency-Key must be 16-255 visible ASCII characters, such as a UUID.",
            ));
        }
        Ok(Self(s.to_string()))
    }

    /// What is stored: a hash, so keys (which may embed client data) are not.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn storage_hash(&self) -> String {
        hex::encode(Sha256::digest(format!("idempotency:{}", self.0)))
    }
}

/// A fingerprint of a request: its content type and exact body bytes.
pub fn request_fingerprint(content_type: &str, body: &[u8]) -> String {
    let mut digest = Sha256::new();
    digest.update(content_type.trim().to_ascii_lowercase().as_bytes());
    digest.update([0]);
    digest.update(body);
    hex::encode(digest.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(IdempotencyKey::parse("0f8fad5b-d9cb-469f-a165-70867728950e").is_ok());
        assert!(IdempotencyKey::parse("").is_err());
        assert!(IdempotencyKey::parse("short-key-15chr").is_err());
        assert!(IdempotencyKey::parse("has space").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(256)).is_err());
        let a = IdempotencyKey::parse("abcdefghijklmnop").unwrap().storage_hash();
        assert_eq!(a.len(), 64);
        assert_ne!(a, IdempotencyKey::parse("abcdefghijklmnoq").unwrap().storage_hash());
    }

    #[test]
    fn fingerprints_tell_bodies_apart() {
        let a = request_fingerprint("application/json", b"{\"a\":1}");
        assert_eq!(a, request_fingerprint("Application/JSON ", b"{\"a\":1}"));
        assert_ne!(a, request_fingerprint("application/json", b"{\"a\":2}"));
        assert_ne!(a, request_fingerprint("application/x-www-form-urlencoded", b"{\"a\":1}"));
    }
}
