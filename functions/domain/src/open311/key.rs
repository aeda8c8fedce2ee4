//! Partner apps' API keys: an administrator issues one per app
//! (`POST /api/v1/open311/keys {name}`), the app sends it as `api_key` with
//! every `POST requests`, and each report it files carries the channel
//! `open311:<name>`.
//!
//! A key is a [`SecretToken`](crate::token::SecretToken) from the host's
//! CSPRNG, shown once; only its SHA-256 is stored (`token::hash_token`), as
//! for staff tokens. The name is a short slug, so the channel it becomes is
//! readable and one URL-safe word.

use serde_json::{Map, Value};

use crate::fields::FieldErrors;
use crate::invalid::Invalid;

/// A key's name: 2 to 40 of `a-z`, `0-9` and `-`, starting and ending with a
/// letter or digit (`qlue`, `jakarta-kini`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct KeyName(String);

impl KeyName {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let ok = (2..=Self::MAX_CHARS).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && edge_ok(s.chars().next())
            && edge_ok(s.chars().last());
        if ok {
            Ok(KeyName(s.to_string()))
        } else {
            Err(Invalid::new(
                field,
                "Nama kunci: 2 sampai 40 huruf kecil, angka atau tanda hubung, diawali dan diakhiri huruf atau angka (contoh: qlue).",
                "Key name: 2 to 40 lowercase letters, digits or dashes, starting and ending with a letter or digit (e.g. qlue).",
            ))
        }
    }

    /// A name read back from storage (written only after [`KeyName::parse`]).
    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::parse("name", raw).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `POST /api/v1/open311/keys {name}`: an administrator issues a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueKey {
    pub name: KeyName,
}

impl IssueKey {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["name"]);
        let name = errors.take(crate::fields::required_parsed(body, "name", KeyName::parse));
        errors.finish(name.map(|name| IssueKey { name }))
    }
}

/// `201` to `POST /api/v1/open311/keys`: the key, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssuedKey {
    pub name: KeyName,
    pub api_key: String,
    /// The channel of the reports filed with it.
    pub channel: String,
    pub created_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_short_slugs() {
        for good in ["qlue", "jakarta-kini", "a1", "x-2-y", &"a".repeat(40)] {
            assert_eq!(KeyName::parse("name", good).unwrap().as_str(), good);
        }
        assert_eq!(KeyName::parse("name", "  qlue ").unwrap().as_str(), "qlue");
        for bad in ["", "q", "Qlue", "-qlue", "qlue-", "q lue", "qlue:x", "q_lue", "kunci.app", &"a".repeat(41), "é-app"] {
            assert_eq!(KeyName::parse("name", bad).unwrap_err().field, "name", "{bad:?}");
        }
        assert_eq!(KeyName::from_stored("qlue").unwrap().as_str(), "qlue");
        assert_eq!(KeyName::from_stored("Bad Name"), None);
    }

    #[test]
    fn a_key_is_issued_by_name_alone() {
        let body = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(IssueKey::parse(&body(json!({"name": "qlue"}))).unwrap().name.as_str(), "qlue");
        let errors = IssueKey::parse(&body(json!({"nama": "qlue"}))).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["nama", "name"]);
        assert_eq!(IssueKey::parse(&body(json!({"name": 7}))).unwrap_err()[0].en, "Must be a string.");
    }
}
