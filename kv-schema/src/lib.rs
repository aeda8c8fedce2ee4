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
    /// Keys end in `:` and an hour number (Unix seconds / 3600); the
    /// housekeeping deletes those of hours that are over.
    pub hourly: bool,
}

/// Hosted Spin platforms limit keys to 256 bytes; stay under it everywhere.
pub const MAX_KEY_BYTES: usize = 256;

/// When a health check last proved the store writable: every check reads
/// it, and one finding it older than `HEALTH_WRITE_EVERY_SECONDS` writes it
/// again, so a store that can no longer be written fails the checks within
/// that time, while the checks themselves write at most about once in it.
pub const HEALTH_WRITTEN: KeyFamily = KeyFamily {
    prefix: "health:written",
    value_encoding: "UTF-8 RFC 3339 timestamp of the last write",
    written_by: "health",
    read_by: "health",
    expiry: "one key, overwritten about every 30 seconds while checks come",
    if_lost: "nothing: the next check writes it again",
    hourly: false,
};

/// How old `HEALTH_WRITTEN` may be before a check writes it again.
pub const HEALTH_WRITE_EVERY_SECONDS: i64 = 30;

/// Reports created per client address in one hour (fixed window).
pub const REPORT_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:report:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "reports (POST /api/v1/reports)",
    read_by: "reports",
    expiry: "one key per address and hour; an hour over is never read again, and the SLA sweep's housekeeping step deletes it (see HOUSEKEEPING_DONE)",
    if_lost: "the current hour's counts restart from zero: a client may file up to one extra hour's quota",
    hourly: true,
};

/// Reports created per reporter phone number in one hour (fixed window).
pub const REPORT_RATE_BY_PHONE: KeyFamily = KeyFamily {
    prefix: "rl:report:phone:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "reports (POST /api/v1/reports)",
    read_by: "reports",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
    hourly: true,
};

/// Engagement writes (supports, comments, flags, follows) per identity in one hour.
pub const ENGAGEMENT_RATE_BY_IDENTITY: KeyFamily = KeyFamily {
    prefix: "rl:engage:id:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement (POST supports, comments, flags, follows)",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
    hourly: true,
};

/// Engagement writes per client address in one hour.
pub const ENGAGEMENT_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:engage:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
    hourly: true,
};

/// Citizen tokens issued per client address in one hour.
pub const CITIZEN_RATE_BY_ADDRESS: KeyFamily = KeyFamily {
    prefix: "rl:citizen:addr:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "engagement (POST /api/v1/citizens)",
    read_by: "engagement",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr:",
    hourly: true,
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
    hourly: true,
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
    hourly: true,
};

/// Messages received by SMS or WhatsApp per sender in one hour (the sender's
/// identity key, itself a hash of the number). Over the limit a message is
/// not processed; the first one over it gets a polite reply, later ones none.
pub const INBOUND_MESSAGE_RATE_BY_SENDER: KeyFamily = KeyFamily {
    prefix: "rl:inbound:sender:",
    value_encoding: "counter, written only with atomic increment (never set)",
    written_by: "messaging (POST /webhooks/...)",
    read_by: "messaging",
    expiry: "as rl:report:addr:",
    if_lost: "as rl:report:addr: (de-duplication of provider retries is in SQLite, not here)",
    hourly: true,
};

/// Spin's key-value store has no expiry, so the SLA sweep's housekeeping
/// step deletes the keys of hours that are over (listing every key: the store
/// has no prefix scan). Once it has found no more to delete below hour `N`,
/// it writes this key for `N`, and later calls in that hour skip the listing.
pub const HOUSEKEEPING_DONE: KeyFamily = KeyFamily {
    prefix: "housekeeping:done:",
    value_encoding: "UTF-8 RFC 3339 timestamp of the call that finished",
    written_by: "sla-sweep (housekeeping step)",
    read_by: "sla-sweep",
    expiry: "one key per hour; deleted by the next hour's housekeeping, as the rate windows are",
    if_lost: "the keys are listed once more in that hour",
    hourly: true,
};

/// All families, for documentation and tests.
pub const FAMILIES: &[KeyFamily] = &[
    HEALTH_WRITTEN,
    REPORT_RATE_BY_ADDRESS,
    REPORT_RATE_BY_PHONE,
    ENGAGEMENT_RATE_BY_IDENTITY,
    ENGAGEMENT_RATE_BY_ADDRESS,
    CITIZEN_RATE_BY_ADDRESS,
    SIGN_IN_CODE_RATE_BY_PHONE,
    SIGN_IN_CODE_RATE_BY_ADDRESS,
    INBOUND_MESSAGE_RATE_BY_SENDER,
    HOUSEKEEPING_DONE,
];

/// A key of an hourly family, read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourlyKey {
    pub family: KeyFamily,
    pub hour: u64,
}

/// Reads `key` back into its family and hour if it has exactly the shape
/// this crate builds (prefix, the subject hash where the family has one,
/// `:`, the hour in decimal); anything else is `None`, so housekeeping never
/// touches a key it did not make (on Redis the store may be shared).
pub fn parse_hourly_key(key: &str) -> Option<HourlyKey> {
    let family = *FAMILIES.iter().find(|f| f.hourly && key.starts_with(f.prefix))?;
    let rest = &key[family.prefix.len()..];
    let hour = if family == HOUSEKEEPING_DONE {
        rest
    } else {
        let (hash, hour) = rest.split_once(':')?;
        let is_hash = hash.len() == SUBJECT_HASH_HEX && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !is_hash {
            return None;
        }
        hour
    };
    if hour.is_empty() || !hour.bytes().all(|b| b.is_ascii_digit()) || (hour.len() > 1 && hour.starts_with('0')) {
        return None;
    }
    Some(HourlyKey { family, hour: hour.parse().ok()? })
}

/// The mark that the keys of hours before `hour` are gone.
pub fn housekeeping_done_key(hour: u64) -> String {
    format!("{}{hour}", HOUSEKEEPING_DONE.prefix)
}

/// Hex digits of a subject hash (16 bytes of SHA-256).
const SUBJECT_HASH_HEX: usize = 32;

/// Personal data (addresses, phone numbers) never appears in keys: only a
/// truncated SHA-256 of it, enough to tell subjects apart.
fn subject_hash(subject: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(subject.as_bytes())[..SUBJECT_HASH_HEX / 2])
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

/// The counter of messages from sender identity key `sender` in `window`.
pub fn inbound_message_rate_by_sender_key(sender: &str, window: u64) -> String {
    format!("{}{}:{window}", INBOUND_MESSAGE_RATE_BY_SENDER.prefix, subject_hash(sender))
}

/// The one key of `HEALTH_WRITTEN`.
pub fn health_written_key() -> &'static str {
    HEALTH_WRITTEN.prefix
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
        let key = report_rate_by_address_key("10.0.0.1", u64::MAX);
        assert!(key.len() <= MAX_KEY_BYTES);
        assert!(health_written_key().len() <= MAX_KEY_BYTES);
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
    fn hourly_keys_read_back_into_their_family_and_hour() {
        let builders: [(KeyFamily, fn(&str, u64) -> String); 8] = [
            (REPORT_RATE_BY_ADDRESS, report_rate_by_address_key),
            (REPORT_RATE_BY_PHONE, report_rate_by_phone_key),
            (ENGAGEMENT_RATE_BY_IDENTITY, engagement_rate_by_identity_key),
            (ENGAGEMENT_RATE_BY_ADDRESS, engagement_rate_by_address_key),
            (CITIZEN_RATE_BY_ADDRESS, citizen_rate_by_address_key),
            (SIGN_IN_CODE_RATE_BY_PHONE, sign_in_code_rate_by_phone_key),
            (SIGN_IN_CODE_RATE_BY_ADDRESS, sign_in_code_rate_by_address_key),
            (INBOUND_MESSAGE_RATE_BY_SENDER, inbound_message_rate_by_sender_key),
        ];
        for (family, build) in builders {
            for hour in [0, 9, 493_000, u64::MAX] {
                assert_eq!(parse_hourly_key(&build("10.0.0.1", hour)), Some(HourlyKey { family, hour }), "{}", family.prefix);
            }
        }
        assert_eq!(parse_hourly_key(&housekeeping_done_key(493_001)), Some(HourlyKey { family: HOUSEKEEPING_DONE, hour: 493_001 }));
        // The families read back are exactly those marked hourly.
        let hourly: Vec<KeyFamily> = FAMILIES.iter().copied().filter(|f| f.hourly).collect();
        let read_back: Vec<KeyFamily> = builders.iter().map(|(f, _)| *f).chain([HOUSEKEEPING_DONE]).collect();
        assert_eq!(hourly, read_back);
    }

    #[test]
    fn keys_of_other_shapes_are_not_read_as_hourly() {
        let hash = "0123456789abcdef0123456789abcdef";
        for key in [
            health_written_key().to_string(),
            "rl:report:addr:".to_string(),
            format!("rl:report:addr:{hash}"),
            format!("rl:report:addr:{hash}:"),
            format!("rl:report:addr:{hash}:12a"),
            format!("rl:report:addr:{hash}:-1"),
            format!("rl:report:addr:{hash}:012"),
            format!("rl:report:addr:{hash}:99999999999999999999999"),
            format!("rl:report:addr:{}:12", hash.to_uppercase()),
            format!("rl:report:addr:{}:12", &hash[1..]),
            "rl:report:addr:10.0.0.1:12".to_string(),
            format!("rl:report:addr:{hash}:12:13"),
            "housekeeping:done:".to_string(),
            format!("housekeeping:done:{hash}:12"),
            "other-app:rl:report:addr:12".to_string(),
            format!("rl:unknown:{hash}:12"),
        ] {
            assert_eq!(parse_hourly_key(&key), None, "{key}");
        }
    }

    #[test]
    fn readme_documents_every_family() {
        let readme = include_str!("../README.md");
        for family in FAMILIES {
            assert!(readme.contains(&format!("`{}`", family.prefix)), "kv-schema/README.md lacks {}", family.prefix);
        }
    }
}
