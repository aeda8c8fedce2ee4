//! `allowed_outbound_hosts`: which URLs a component may call; and the runtime
//! config's `block_networks`: which addresses no component may reach.
//!
//! Entries are `scheme://host[:port]`. `*` is allowed as the scheme, the port,
//! the whole host or the first label of the host (`*.example.com`). A missing
//! port means the scheme's default port, as in Spin. The host may also be an
//! IP network in CIDR notation (`*://127.0.0.0/24:40007`): as in Spin's
//! `HostConfig::Cidr`, it allows URLs whose host is an IP address inside it,
//! never a name (whatever the name resolves to).
//!
//! The allow-list is about names, and a component cannot see what a name
//! resolves to; `block_networks` is checked against the resolved addresses
//! when the connection is made (`host/network.rs`).

use std::net::IpAddr;

use anyhow::{bail, Result};
use ip_network::IpNetwork;

/// `[outbound_networking] block_networks`: CIDR networks, and `"private"` for
/// every address that is not globally routable (what Spin means by it:
/// `ip_network`'s `is_global` is false: loopback, RFC 1918, link-local,
/// carrier-grade NAT, unique-local IPv6, documentation and reserved ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockedNetworks {
    networks: Vec<IpNetwork>,
    private: bool,
}

impl BlockedNetworks {
    /// Parses the entries as Spin does: `"private"` or a CIDR network, whose
    /// host bits are cleared (`8.8.8.8/16` is `8.8.0.0/16`).
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self> {
        let mut blocked = Self::default();
        for entry in entries {
            let entry = entry.as_ref();
            if entry == "private" {
                blocked.private = true;
            } else {
                match IpNetwork::from_str_truncate(entry) {
                    Ok(network) => blocked.networks.push(network),
                    Err(_) => bail!("{entry:?} is neither an IP network in CIDR notation (e.g. \"10.0.0.0/8\") nor the keyword \"private\""),
                }
            }
        }
        Ok(blocked)
    }

    pub fn is_empty(&self) -> bool {
        !self.private && self.networks.is_empty()
    }

    /// Whether a connection to `ip` is refused. An IPv6 address that carries
    /// an IPv4 one (`::ffff:10.0.0.1`) is checked as that too, as in Spin.
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        if self.private && !IpNetwork::from(ip).is_global() {
            return true;
        }
        if self.networks.iter().any(|n| n.contains(ip)) {
            return true;
        }
        match ip {
            IpAddr::V6(v6) => v6.to_ipv4().is_some_and(|v4| self.is_blocked(IpAddr::V4(v4))),
            IpAddr::V4(_) => false,
        }
    }
}

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
    /// `127.0.0.0/24`: a literal IP address inside the network.
    Network(IpNetwork),
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
                HostPattern::Network(network) => {
                    host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| network.contains(ip))
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
    let host = if host.contains('/') {
        // A network's prefix length, or a path (which no entry may have).
        match IpNetwork::from_str_truncate(host.trim_start_matches('[').replace("]/", "/").as_str()) {
            Ok(network) => HostPattern::Network(network),
            Err(_) => bail!("allowed_outbound_hosts entry {entry:?} may not contain a path"),
        }
    } else if host == "*" {
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
    fn ip_networks_allow_literal_addresses_inside_them_only() {
        let a = AllowedHosts::parse(&["*://127.0.0.0/24:40007", "https://10.1.2.3/8", "http://[fd00::]/8:*"]).unwrap();
        assert!(a.allows("http", "127.0.0.1", Some(40007)));
        assert!(a.allows("https", "127.0.0.254", Some(40007)));
        assert!(!a.allows("http", "127.0.1.1", Some(40007)), "outside the network");
        assert!(!a.allows("http", "127.0.0.1", Some(40008)), "another port");
        assert!(!a.allows("http", "localhost", Some(40007)), "a name never matches a network, as in Spin");
        assert!(a.allows("https", "10.200.0.1", None), "host bits are cleared");
        assert!(a.allows("http", "[fd00::1]", Some(8080)));
        assert!(!a.allows("http", "[fe80::1]", Some(8080)));
        for bad in ["http://127.0.0.0/33:80", "http://example.com/24", "http://127.0.0.0/24/x"] {
            assert!(AllowedHosts::parse(&[bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn empty_list_denies_everything() {
        assert!(!AllowedHosts::default().allows("https", "example.com", None));
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_blocks_what_spin_blocks() {
        let blocked = BlockedNetworks::parse(&["private"]).unwrap();
        // Spin's own list for "private" (outbound-networking-config's tests).
        for private in [
            "0.0.0.0",
            "10.10.10.10",
            "100.64.1.1",
            "127.0.0.1",
            "169.254.0.1",
            "172.16.0.1",
            "192.0.0.1",
            "192.168.1.1",
            "::1",
            "::ffff:10.10.10.10",
            "::ffff:127.0.0.1",
            "fc00::f00d",
            "fe80::1",
        ] {
            assert!(blocked.is_blocked(ip(private)), "{private}");
        }
        for public in ["123.123.123.123", "8.8.8.8", "2600::beef"] {
            assert!(!blocked.is_blocked(ip(public)), "{public}");
        }
    }

    #[test]
    fn networks_are_truncated_cidrs_and_cover_mapped_addresses() {
        let blocked = BlockedNetworks::parse(&["123.123.0.0/16", "8.8.8.8/16", "2001::/96"]).unwrap();
        assert!(blocked.is_blocked(ip("123.123.123.123")));
        assert!(blocked.is_blocked(ip("8.8.1.1")), "host bits are cleared as in Spin");
        assert!(blocked.is_blocked(ip("2001::1000")));
        assert!(blocked.is_blocked(ip("::ffff:123.123.123.123")));
        assert!(!blocked.is_blocked(ip("123.100.100.100")));
        assert!(!blocked.is_blocked(ip("127.0.0.1")), "loopback is blocked only by \"private\" or its network");
        assert!(BlockedNetworks::default().is_empty());
        assert!(!BlockedNetworks::parse(&["private"]).unwrap().is_empty());
        for bad in ["privat", "10.0.0.0/33", "example.com", ""] {
            assert!(BlockedNetworks::parse(&[bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn invalid_entries_are_errors() {
        for bad in ["example.com", "https://exa*mple.com", "https://x:port", "https://x/path"] {
            assert!(AllowedHosts::parse(&[bad]).is_err(), "{bad}");
        }
    }
}
