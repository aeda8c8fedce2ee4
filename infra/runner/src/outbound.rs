//! `allowed_outbound_hosts`: which URLs a component may call.
//!
//! Entries are `scheme://host[:port]`. `*` is allowed as the scheme, the port,
//! the whole host or the first label of the host (`*.example.com`). A missing
//! port means the scheme's default port, as in Spin.

use anyhow::{bail, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
enum SchemePattern {
    Any,
    Exact(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostPattern {
    Any,
    /// `*.example.com`: any host ending in `.example.com`.
    Subdomains(String),
    Exact(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PortPattern {
    Any,
    Exact(u16),
    /// No port written: the scheme's default.
    SchemeDefault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AllowedHost {
    scheme: SchemePattern,
    host: HostPattern,
    port: PortPattern,
}

/// A component's parsed outbound allow-list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts {
    entries: Vec<AllowedHost>,
}

impl AllowedHosts {
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self> {
        let entries = entries
            .iter()
            .map(|e| parse_entry(e.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self { entries })
    }

    /// Whether a request to `scheme://host:port` is allowed.
    pub fn allows(&self, scheme: &str, host: &str, port: Option<u16>) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        let host = host.to_ascii_lowercase();
        let port = port.or_else(|| default_port(&scheme));
        self.entries.iter().any(|entry| {
            let scheme_ok = match &entry.scheme {
                SchemePattern::Any => true,
                SchemePattern::Exact(s) => *s == scheme,
            };
            let host_ok = match &entry.host {
                HostPattern::Any => true,
                HostPattern::Exact(h) => *h == host,
                HostPattern::Subdomains(suffix) => {
                    host.len() > suffix.len() + 1
                        && host.ends_with(suffix.as_str())
                        && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
                }
            };
            let port_ok = match &entry.port {
                PortPattern::Any => true,
                PortPattern::Exact(p) => Some(*p) == port,
                PortPattern::SchemeDefault => port.is_some() && port == default_port(&scheme),
            };
            scheme_ok && host_ok && port_ok
        })
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

fn parse_entry(entry: &str) -> Result<AllowedHost> {
    let Some((scheme, rest)) = entry.split_once("://") else {
        bail!("allowed_outbound_hosts entry {entry:?} needs a scheme, e.g. \"https://{entry}\"");
    };
    let rest = rest.trim_end_matches('/');
    if rest.contains('/') {
        bail!("allowed_outbound_hosts entry {entry:?} may not contain a path");
    }
    let scheme = match scheme {
        "*" => SchemePattern::Any,
        s if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => {
            SchemePattern::Exact(s.to_ascii_lowercase())
        }
        _ => bail!("allowed_outbound_hosts entry {entry:?} has an invalid scheme"),
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, "*")) => (host, PortPattern::Any),
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) => (host, PortPattern::Exact(port)),
            Err(_) => bail!("allowed_outbound_hosts entry {entry:?} has an invalid port {port:?}"),
        },
        None => (rest, PortPattern::SchemeDefault),
    };
    let host = host.to_ascii_lowercase();
    let host = if host == "*" {
        HostPattern::Any
    } else if let Some(suffix) = host.strip_prefix("*.") {
        HostPattern::Subdomains(suffix.to_string())
    } else if host.is_empty() || host.contains('*') {
        bail!("allowed_outbound_hosts entry {entry:?} has an invalid host (use a name, '*' or '*.domain')");
    } else {
        HostPattern::Exact(host)
    };
    Ok(AllowedHost { scheme, host, port })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_host_uses_the_scheme_default_port() {
        let a = AllowedHosts::parse(&["https://api.example.com"]).unwrap();
        assert!(a.allows("https", "api.example.com", None));
        assert!(a.allows("https", "API.example.com", Some(443)));
        assert!(!a.allows("https", "api.example.com", Some(8443)));
        assert!(!a.allows("http", "api.example.com", None));
        assert!(!a.allows("https", "evil.com", None));
    }

    #[test]
    fn wildcards() {
        let a = AllowedHosts::parse(&["http://*.spin.internal", "*://localhost:*"]).unwrap();
        assert!(a.allows("http", "worker.spin.internal", None));
        assert!(!a.allows("http", "spin.internal", None));
        assert!(!a.allows("http", "worker.spin.internal.evil.com", None));
        assert!(a.allows("https", "localhost", Some(9999)));
        assert!(AllowedHosts::parse(&["*://*:*"]).unwrap().allows("http", "anything", Some(1)));
    }

    #[test]
    fn empty_list_denies_everything() {
        assert!(!AllowedHosts::default().allows("https", "example.com", None));
    }

    #[test]
    fn invalid_entries_are_errors() {
        for bad in ["example.com", "https://exa*mple.com", "https://x:port", "https://x/path"] {
            assert!(AllowedHosts::parse(&[bad]).is_err(), "{bad}");
        }
    }
}
