//! Agency embeds: which web origins may frame an agency's embedded report
//! form (`/embed/{agency}`), as its `Content-Security-Policy:
//! frame-ancestors`. An agency with no origins listed may be embedded
//! anywhere (the default: any agency website can add the snippet).

use crate::invalid::Invalid;

/// A web origin (`https://dinkes.bandungkota.go.id`, `http://localhost:8080`):
/// scheme, host and port, nothing else, in lower case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmbedOrigin(String);

/// At most this many origins per agency (a CSP header must stay short).
pub const MAX_ORIGINS: usize = 20;

impl EmbedOrigin {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let refuse = || {
            Invalid::new(
                field,
                "Harus berupa origin web: https://nama.domain (tanpa jalur), atau http:// untuk localhost.",
                "Must be a web origin: https://host.name (no path), or http:// for localhost.",
            )
        };
        let lower = raw.trim().to_ascii_lowercase();
        let (scheme, rest) = lower.split_once("://").ok_or_else(refuse)?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
            Some(_) => return Err(refuse()),
            None => (rest, None),
        };
        let label_ok = |label: &str| {
            !label.is_empty() && label.len() <= 63 && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && !label.starts_with('-') && !label.ends_with('-')
        };
        if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(refuse());
        }
        if port.is_some_and(|p| p.parse::<u16>().map_or(true, |p| p == 0)) {
            return Err(refuse());
        }
        let local = host == "localhost" || host == "127.0.0.1";
        // Plain http only for a developer's own machine.
        if !(scheme == "https" || (scheme == "http" && local)) {
            return Err(refuse());
        }
        Ok(EmbedOrigin(lower))
    }

    /// A stored origin (written only after `parse`).
    pub fn from_stored(raw: &str) -> Option<Self> {
        EmbedOrigin::parse("origin", raw).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `frame-ancestors` source list for an agency's embed page.
pub fn frame_ancestors(allowed: &[EmbedOrigin]) -> String {
    if allowed.is_empty() {
        // Any http(s) page; never `data:` or other schemes.
        "https: http:".to_string()
    } else {
        allowed.iter().map(EmbedOrigin::as_str).collect::<Vec<_>>().join(" ")
    }
}

/// Whether `origin` (from a `postMessage` target or an `Origin` header)
/// may embed the agency: listed, or nothing listed.
pub fn may_embed(allowed: &[EmbedOrigin], origin: &EmbedOrigin) -> bool {
    allowed.is_empty() || allowed.contains(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for (raw, stored) in [
            ("https://dinkes.bandungkota.go.id", "https://dinkes.bandungkota.go.id"),
            ("  HTTPS://Example.GO.ID:8443 ", "https://example.go.id:8443"),
            ("http://localhost:8080", "http://localhost:8080"),
            ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
        ] {
            assert_eq!(EmbedOrigin::parse("origins", raw).unwrap().as_str(), stored);
        }
        for raw in [
            "dinkes.go.id",
            "http://dinkes.go.id",
            "https://dinkes.go.id/path",
            "https://dinkes.go.id/",
            "https://user@dinkes.go.id",
            "https://dinkes.go.id:0",
            "https://dinkes.go.id:99999",
            "https://-bad.go.id",
            "javascript://x",
            "https://",
            "https://a b.go.id",
            "https://dinkes.go.id:",
            "*",
        ] {
            assert!(EmbedOrigin::parse("origins", raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn nothing_listed_means_any_site_may_embed() {
        let listed = vec![EmbedOrigin::parse("o", "https://a.go.id").unwrap(), EmbedOrigin::parse("o", "https://b.go.id").unwrap()];
        assert_eq!(frame_ancestors(&listed), "https://a.go.id https://b.go.id");
        assert_eq!(frame_ancestors(&[]), "https: http:");
        let other = EmbedOrigin::parse("o", "https://c.go.id").unwrap();
        assert!(!may_embed(&listed, &other));
        assert!(may_embed(&listed, &listed[1]));
        assert!(may_embed(&[], &other));
    }
}
