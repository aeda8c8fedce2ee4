//! Secret bearer tokens (reporter tokens now, staff and citizen tokens later).
//!
//! A token is 256 random bits, shown once, in URL-safe base64. The server
//! keeps only its SHA-256, so a copy of the database cannot be used to act as
//! anyone; comparisons are constant-time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A freshly made token; give it to its owner once, store [`SecretToken::hash`].
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

impl SecretToken {
    pub fn from_random(random: [u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(random))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

/// The reporter token of a submission made with an `Idempotency-Key`.
///
/// It is derived, not stored: HMAC-SHA256 keyed by the client's idempotency
/// key over the tracking ID and a random salt kept with the report. A retry
/// presents the same key and gets the same token back, even if the first
/// answer was lost, while the database holds only hashes and the salt; without
/// the key (which only the client has) the token cannot be recomputed.
pub fn derive_idempotent_token(idempotency_key: &str, tracking_id: &str, salt: &str) -> SecretToken {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(idempotency_key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"reporter-token\0");
    mac.update(tracking_id.as_bytes());
    mac.update(b"\0");
    mac.update(salt.as_bytes());
    let bytes: [u8; 32] = mac.finalize().into_bytes().into();
    SecretToken::from_random(bytes)
}

/// The stored form of a token: hex SHA-256.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `presented` is the token whose hash is `stored_hash`, in time
/// independent of where they differ.
pub fn token_matches(presented: &str, stored_hash: &str) -> bool {
    constant_time_eq(hash_token(presented).as_bytes(), stored_hash.as_bytes())
}

/// Equality whose time does not depend on where the inputs differ (only on
/// their length), for comparing secrets.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// The anti-forgery token of the web pages' forms: HMAC-SHA256 keyed by a
/// server secret over the identity cookies the browser holds (`binding`, ""
/// when it holds none). A forged cross-site form cannot know it: the cookies
/// are HttpOnly and the secret never leaves the server. Without cookies the
/// token is the same for everyone, and it has to be: such a request can only
/// act as a brand-new identity, which is no more than its sender could do
/// directly.
pub fn form_token(secret: &str, binding: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"lapor-form\0");
    mac.update(binding.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Whether a form carried the token of `binding`, compared in constant time.
pub fn form_token_matches(secret: &str, binding: &str, presented: &str) -> bool {
    constant_time_eq(form_token(secret, binding).as_bytes(), presented.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_tokens_are_bound_to_secret_and_cookies() {
        let token = form_token("s3cret", "citizen=abc");
        assert!(form_token_matches("s3cret", "citizen=abc", &token));
        assert!(!form_token_matches("s3cret", "citizen=abd", &token));
        assert!(!form_token_matches("other", "citizen=abc", &token));
        assert!(!form_token_matches("s3cret", "citizen=abc", ""));
        assert!(!form_token_matches("s3cret", "", &token));
        assert_eq!(token.len(), 43);
    }

    #[test]
    fn idempotent_tokens_are_reproducible_only_with_the_key() {
        let a = derive_idempotent_token("key-0f8fad5b-d9cb", "7K3QD-M2X9C", "salt1");
        assert_eq!(a, derive_idempotent_token("key-0f8fad5b-d9cb", "7K3QD-M2X9C", "salt1"));
        assert_ne!(a, derive_idempotent_token("key-0f8fad5b-d9cc", "7K3QD-M2X9C", "salt1"));
        assert_ne!(a, derive_idempotent_token("key-0f8fad5b-d9cb", "7K3QD-M2X9D", "salt1"));
        assert_ne!(a, derive_idempotent_token("key-0f8fad5b-d9cb", "7K3QD-M2X9C", "salt2"));
        assert_eq!(a.as_str().len(), 43);
    }

    #[test]
    fn tokens_are_256_bits_and_only_their_hash_matches() {
        let token = SecretToken::from_random([7; 32]);
        assert_eq!(token.as_str().len(), 43);
        let stored = token.hash();
        assert_ne!(stored, token.as_str());
        assert!(token_matches(token.as_str(), &stored));
        assert!(!token_matches("wrong", &stored));
        assert!(!token_matches(token.as_str(), "short"));
        assert_eq!(format!("{token:?}"), "SecretToken(..)", "debug output never shows the secret");
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
