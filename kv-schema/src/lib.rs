//! Every key family the application keeps in Spin's key-value store.
//!
//! SQLite is the system of record; the key-value store holds only what can be
//! lost: caches, de-duplication records, rate-limit buckets, probes. Each
//! family is declared once here, with who writes it, who reads it, when it
//! expires and what losing it costs, and keys are built only by these
//! functions, so no component invents a key shape of its own.
//! README.md beside this crate is the same table for people.

/// A documented family of keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyFamily {
    /// Every key of the family starts with this; prefixes never overlap.
    pub prefix: &'static str,
    pub value_encoding: &'static str,
    pub written_by: &'static str,
    pub read_by: &'static str,
    pub expiry: &'static str,
    /// What happens if the whole family disappears (it must never lose data).
    pub if_lost: &'static str,
}

/// Hosted Spin platforms limit keys to 256 bytes; stay under it everywhere.
pub const MAX_KEY_BYTES: usize = 256;

/// The health check's write, read and delete probe. Each check uses its own
/// key, so concurrent checks cannot see each other's values.
pub const HEALTH_PROBE: KeyFamily = KeyFamily {
    prefix: "health:probe:",
    value_encoding: "UTF-8 RFC 3339 timestamp of the check",
    written_by: "health",
    read_by: "health",
    expiry: "deleted by the same check a moment after it is written",
    if_lost: "nothing",
};

/// Reports created per client address in one hour (fixed window).
pub const REPORT_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:report:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "reports (POST /api/v1/reports)",
    read_by: "reports",
    expiry: "one key per address and hour; stale windows are never read again and are removed by the housekeeping sweep",
    if_lost: "the current hour's counts restart from zero: a client may file up to one extra hour's quota",
};

/// Reports created per reporter phone number in one hour (fixed window).
pub const REPORT_RATE_BY_PHONE: KeyFamily = KeyFamily {
    prefix: "rl:report:phone:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "reports (POST /api/v1/reports)",
    read_by: "reports",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
};

/// Engagement writes (supports, comments, flags, follows) per identity in one hour.
pub const ENGAGEMENT_RATE_BY_IDENTITY: KeyFamily = KeyFamily {
    prefix: "rl:engage:id:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement (POST supports, comments, flags, follows)",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
};

/// Engagement writes per client address in one hour.
pub const ENGAGEMENT_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:engage:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
};

/// Citizen tokens issued per client address in one hour.
pub const CITIZEN_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:citizen:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement (POST /api/v1/citizens)",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
};

/// Sign-in codes sent per phone number in one hour: SMS costs money and
/// must not become a way to flood someone's phone.
pub const SIGN_IN_CODE_RATE_BY_PHONE: KeyFamily = KeyFamily {
    prefix: "rl:code:phone:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement (citizen phone verification)",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr: (at most one extra hour of codes per number)",
};

/// Sign-in codes requested per client address in one hour (against one
/// client texting thousands of numbers).
pub const SIGN_IN_CODE_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:code:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement (citizen phone verification)",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:code:phone:",
};

/// All families, for documentation and tests.
pub const FAMILIES: &[KeyFamily] = &[
    HEALTH_PROBE,
    REPORT_RATE_BY_ADDRESS,
    REPORT_RATE_BY_PHONE,
    ENGAGEMENT_RATE_BY_IDENTITY,
    ENGAGEMENT_RATE_BY_ADDRESS,
    CITIZEN_RATE_BY_ADDRESS,
    SIGN_IN_CODE_RATE_BY_PHONE,
    SIGN_IN_CODE_RATE_BY_ADDRESS,
];

/// Personal data (addresses, phone numbers) never appears in keys: only a
/// truncated SHA-256 of it, enough to tell subjects apart.
fn subject_hash(subject: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(subject.as_bytes())[..16])
}

/// The counter of reports from client address `ip` in window `window`.
pub fn report_rate_by_address_key(ip: &str, window: u64) -> String {
    format!("{}{}:{window}", REPORT_RATE_BY_ADDRESS.prefix, subject_hash(ip))
}

/// The counter of reports with reporter phone `e164` in window `window`.
pub fn report_rate_by_phone_key(e164: &str, window: u64) -> String {
    format!("{}{}:{window}", REPORT_RATE_BY_PHONE.prefix, subject_hash(e164))
}

/// The counter of engagement writes by identity key `identity` in `window`.
pub fn engagement_rate_by_identity_key(identity: &str, window: u64) -> String {
    format!("{}{}:{window}", ENGAGEMENT_RATE_BY_IDENTITY.prefix, subject_hash(identity))
}

/// The counter of engagement writes from client address `ip` in `window`.
pub fn engagement_rate_by_address_key(ip: &str, window: u64) -> String {
    format!("{}{}:{window}", ENGAGEMENT_RATE_BY_ADDRESS.prefix, subject_hash(ip))
}

/// The counter of citizen tokens issued to client address `ip` in `window`.
pub fn citizen_rate_by_address_key(ip: &str, window: u64) -> String {
    format!("{}{}:{window}", CITIZEN_RATE_BY_ADDRESS.prefix, subject_hash(ip))
}

/// The counter of sign-in codes sent to phone `e164` in `window`.
pub fn sign_in_code_rate_by_phone_key(e164: &str, window: u64) -> String {
    format!("{}{}:{window}", SIGN_IN_CODE_RATE_BY_PHONE.prefix, subject_hash(e164))
}

/// The counter of sign-in codes requested from client address `ip` in `window`.
pub fn sign_in_code_rate_by_address_key(ip: &str, window: u64) -> String {
    format!("{}{}:{window}", SIGN_IN_CODE_RATE_BY_ADDRESS.prefix, subject_hash(ip))
}

/// The probe key of one health check; `nonce` is random hex.
pub fn health_probe_key(nonce: &str) -> String {
    format!("{}{nonce}", HEALTH_PROBE.prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_unique_and_never_prefix_each_other() {
        for (i, a) in FAMILIES.iter().enumerate() {
            for b in &FAMILIES[i + 1..] {
                assert!(!a.prefix.starts_with(b.prefix) && !b.prefix.starts_with(a.prefix), "{} / {}", a.prefix, b.prefix);
            }
        }
    }

    #[test]
    fn keys_fit_hosted_limits() {
        let key = health_probe_key(&"f".repeat(32));
        assert!(key.starts_with(HEALTH_PROBE.prefix));
        assert!(key.len() <= MAX_KEY_BYTES);
    }

    #[test]
    fn rate_keys_hide_the_subject() {
        let key = report_rate_by_phone_key("+6281234567890", 493_000);
        assert!(key.starts_with("rl:report:phone:"));
        assert!(!key.contains("6281234567890"));
        assert!(key.ends_with(":493000"));
        assert_ne!(key, report_rate_by_phone_key("+6281234567891", 493_000));
        assert_ne!(report_rate_by_address_key("10.0.0.1", 1), report_rate_by_address_key("10.0.0.2", 1));
        assert!(key.len() <= MAX_KEY_BYTES);
    }

    #[test]
    fn readme_documents_every_family() {
        let readme = include_str!("../README.md");
        for family in FAMILIES {
            assert!(readme.contains(&format!("`{}`", family.prefix)), "kv-schema/README.md lacks {}", family.prefix);
        }
    }
}
