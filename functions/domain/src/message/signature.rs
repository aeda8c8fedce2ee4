//! Webhook signatures: a request is the provider's only if it carries the
//! HMAC of its content under a secret we share with that provider. Every
//! comparison is constant-time (`Mac::verify_slice`), and an empty secret
//! (an unconfigured provider) verifies nothing.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

/// Twilio's `X-Twilio-Signature` for a POST to `url` (the full public URL
/// Twilio called, with its query) with form `params`: Base64 of
/// HMAC-SHA1(auth token, url + every parameter's name and value, sorted by
/// name; a name sent twice is sorted by value too, as Twilio's libraries do).
pub fn twilio(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    STANDARD.encode(twilio_mac(auth_token, url, params).finalize().into_bytes())
}

fn twilio_mac(auth_token: &str, url: &str, params: &[(String, String)]) -> Hmac<Sha1> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac
}

/// Whether `header` is Twilio's signature of this request.
pub fn twilio_valid(auth_token: &str, url: &str, params: &[(String, String)], header: Option<&str>) -> bool {
    let (false, Some(header)) = (auth_token.is_empty(), header) else { return false };
    let Ok(claimed) = STANDARD.decode(header.trim()) else { return false };
    twilio_mac(auth_token, url, params).verify_slice(&claimed).is_ok()
}

/// `sha256=<hex HMAC-SHA256(secret, body)>`, the form of Meta's
/// `X-Hub-Signature-256` and of the aggregator gateway's `X-Signature`.
pub fn sha256_header(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(sha256_mac(secret, body).finalize().into_bytes()))
}

fn sha256_mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    mac
}

/// Whether `header` (`sha256=<hex>`, the hex in either case) signs `body` under `secret`.
pub fn sha256_valid(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let (false, Some(header)) = (secret.is_empty(), header) else { return false };
    let Some(hex_digest) = header.trim().strip_prefix("sha256=") else { return false };
    let Ok(claimed) = hex::decode(hex_digest) else { return false };
    sha256_mac(secret, body).verify_slice(&claimed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Twilio's documented example (webhooks security page).
    fn documented() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ])
    }

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    #[test]
    fn twilio_documented_vector() {
        assert_eq!(twilio("12345", URL, &documented()), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        // The order parameters arrive in does not matter.
        let mut shuffled = documented();
        shuffled.reverse();
        assert_eq!(twilio("12345", URL, &shuffled), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assert!(twilio_valid("12345", URL, &shuffled, Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")));
    }

    #[test]
    fn twilio_refuses_any_change() {
        let good = Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        let mut body = documented();
        body[2].1 = "1235".into();
        assert!(!twilio_valid("12345", URL, &body, good), "a tampered parameter");
        assert!(!twilio_valid("12345", "https://mycompany.com/myapp.php?foo=1&bar=3", &documented(), good), "a tampered URL");
        assert!(!twilio_valid("12346", URL, &documented(), good), "another token");
        assert!(!twilio_valid("12345", URL, &documented(), Some("0/KCTR6DLpKmkAf8muzZqo1nDgA=")), "a tampered signature");
        assert!(!twilio_valid("12345", URL, &documented(), Some("not base64!")));
        assert!(!twilio_valid("12345", URL, &documented(), None));
        // An unconfigured token verifies nothing, not even its own signature.
        assert!(!twilio_valid("", URL, &documented(), Some(&twilio("", URL, &documented()))));
    }

    #[test]
    fn sha256_headers_verify_and_refuse() {
        let body = br#"{"message_id":"m1"}"#;
        let header = sha256_header("s3cret", body);
        assert!(header.starts_with("sha256=") && header.len() == 7 + 64);
        assert!(sha256_valid("s3cret", body, Some(&header)));
        assert!(sha256_valid("s3cret", body, Some(&header.to_ascii_uppercase().replace("SHA256=", "sha256="))));
        assert!(!sha256_valid("s3cret", br#"{"message_id":"m2"}"#, Some(&header)));
        assert!(!sha256_valid("other", body, Some(&header)));
        assert!(!sha256_valid("s3cret", body, Some(header.trim_start_matches("sha256="))));
        assert!(!sha256_valid("s3cret", body, Some("sha256=zz")));
        assert!(!sha256_valid("s3cret", body, None));
        assert!(!sha256_valid("", body, Some(&sha256_header("", body))));
    }
}
