//! Which address a request comes from, for rate limits.
//!
//! Spin gives the guest the socket peer (`spin-client-addr`). Behind
//! SpinKube's ingress or a carrier's NAT that peer is the proxy, and every
//! client would share its bucket. Proxies say whom they served in
//! `X-Forwarded-For` (`client, proxy1, proxy2`) or `Forwarded` (RFC 7239,
//! `for=client, for="[2001:db8::1]:4711"`), each appending the address it
//! received from. Anyone can send those headers, so they are believed only
//! as far as they were written by a trusted proxy:
//!
//! start at the socket peer; while the current address is a trusted proxy,
//! step to the next address to its left in the chain; the first untrusted
//! address is the client.
//!
//! With no trusted proxies (the default) the socket peer is the client and
//! forwarded headers are ignored. A chain that cannot be read (a garbled
//! entry, `for=unknown`, an obfuscated `_node`, or the two headers
//! disagreeing, which happens when a client sends the header the proxy does
//! not write) stops the walk at the last trusted hop: the proxy's own
//! address, a bucket a client cannot pick for itself. Nothing here fails.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;

/// The proxies whose forwarded headers are believed: addresses and CIDR
/// ranges, IPv4 and IPv6 (Spin variable `trusted_proxies`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list, e.g. `10.0.0.0/8, 127.0.0.1, fd00::/8`.
    /// Returns the entries it understood and those it did not (to be logged).
    pub fn parse(raw: &str) -> (TrustedProxies, Vec<String>) {
        let mut nets = Vec::new();
        let mut unreadable = Vec::new();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            match entry.parse::<IpNet>() {
                Ok(net) => nets.push(net.trunc()),
                Err(_) => match entry.parse::<IpAddr>() {
                    Ok(ip) => nets.push(IpNet::from(ip.to_canonical())),
                    Err(_) => unreadable.push(entry.to_string()),
                },
            }
        }
        (TrustedProxies(nets), unreadable)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// The client's address: `peer` is Spin's `spin-client-addr` (`ip:port`,
/// `[v6]:port` or a bare address); `forwarded` and `x_forwarded_for` are
/// the headers' values (several header lines joined by commas). An
/// unreadable `peer` is returned as given, since nothing can be believed then.
pub fn client_address(peer: &str, forwarded: Option<&str>, x_forwarded_for: Option<&str>, trusted: &TrustedProxies) -> String {
    let Some(peer_ip) = parse_node(peer) else { return peer.trim().to_string() };
    if trusted.is_empty() || !trusted.contains(peer_ip) {
        return peer_ip.to_string();
    }
    let chain = match (forwarded.map(forwarded_chain), x_forwarded_for.map(x_forwarded_for_chain)) {
        (Some(a), Some(b)) => agreeing(a, b),
        (Some(chain), None) | (None, Some(chain)) => chain,
        (None, None) => Vec::new(),
    };
    walk(peer_ip, &chain, trusted).to_string()
}

/// From the peer leftwards through the chain, past trusted proxies.
/// `None` in the chain is an entry that could not be read.
fn walk(peer: IpAddr, chain: &[Option<IpAddr>], trusted: &TrustedProxies) -> IpAddr {
    let mut current = peer;
    for hop in chain.iter().rev() {
        if !trusted.contains(current) {
            return current;
        }
        match hop {
            Some(ip) => current = *ip,
            None => return current,
        }
    }
    current
}

/// Both headers, compared from the right (the end proxies write): where
/// they differ, or one is shorter, the entry counts as unreadable.
fn agreeing(a: Vec<Option<IpAddr>>, b: Vec<Option<IpAddr>>) -> Vec<Option<IpAddr>> {
    let len = a.len().max(b.len());
    let from_right = |chain: &[Option<IpAddr>], i: usize| chain.len().checked_sub(i + 1).and_then(|j| chain[j]);
    let mut merged: Vec<Option<IpAddr>> = (0..len)
        .map(|i| match (from_right(&a, i), from_right(&b, i)) {
            (Some(x), Some(y)) if x == y => Some(x),
            _ => None,
        })
        .collect();
    merged.reverse();
    merged
}

/// `X-Forwarded-For: client, proxy1, proxy2`.
fn x_forwarded_for_chain(value: &str) -> Vec<Option<IpAddr>> {
    value.split(',').map(parse_node).collect()
}

/// `Forwarded: for=a;proto=https, for="[v6]:port";by=b`: the `for` of each
/// element (an element without one is unreadable).
fn forwarded_chain(value: &str) -> Vec<Option<IpAddr>> {
    split_unquoted(value, ',')
        .into_iter()
        .map(|element| {
            let node = split_unquoted(element, ';').into_iter().find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim().eq_ignore_ascii_case("for").then(|| unquote(value.trim()))
            })?;
            parse_node(&node)
        })
        .collect()
}

/// Splits at `separator` outside double quotes (RFC 7230 quoted-string).
fn split_unquoted(value: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(&value[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
            }
            out
        }
        None => value.to_string(),
    }
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:8080`,
/// `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:8080`; IPv4-mapped IPv6
/// addresses as IPv4. Anything else (`unknown`, `_hidden`) is `None`.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim();
    let ip = raw
        .parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| raw.strip_prefix('[')?.strip_suffix(']')?.parse::<IpAddr>().ok())?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(raw: &str) -> TrustedProxies {
        let (proxies, unreadable) = TrustedProxies::parse(raw);
        assert!(unreadable.is_empty(), "{unreadable:?}");
        proxies
    }

    fn client(peer: &str, forwarded: Option<&str>, xff: Option<&str>, proxies: &str) -> String {
        client_address(peer, forwarded, xff, &trusted(proxies))
    }

    #[test]
    fn without_trusted_proxies_the_socket_peer_is_the_client() {
        assert_eq!(client("127.0.0.1:50123", None, Some("203.0.113.9"), ""), "127.0.0.1");
        assert_eq!(client("[2001:db8::5]:443", Some("for=203.0.113.9"), None, ""), "2001:db8::5");
        // A peer that is not a trusted proxy: its headers are its own words.
        assert_eq!(client("198.51.100.7:1", None, Some("203.0.113.9"), "10.0.0.0/8"), "198.51.100.7");
    }

    #[test]
    fn the_first_untrusted_address_from_the_right_is_the_client() {
        let proxies = "10.0.0.0/8, 127.0.0.1";
        assert_eq!(client("127.0.0.1:50123", None, Some("203.0.113.9"), proxies), "203.0.113.9");
        // A client-supplied entry on the left is not believed: the proxy appended the real one.
        assert_eq!(client("10.0.0.2:80", None, Some("1.2.3.4, 203.0.113.9, 10.1.2.3"), proxies), "203.0.113.9");
        // Several header lines, joined by the caller with commas.
        assert_eq!(client("10.0.0.2:80", None, Some("203.0.113.9,10.9.9.9"), proxies), "203.0.113.9");
        // Everything trusted: the leftmost address is the best we know.
        assert_eq!(client("10.0.0.2:80", None, Some("10.0.0.3, 10.0.0.4"), proxies), "10.0.0.3");
        assert_eq!(client("10.0.0.2:80", None, None, proxies), "10.0.0.2");
    }

    #[test]
    fn forwarded_with_quoted_ipv6_and_ports() {
        let proxies = "10.0.0.0/8, fd00::/8";
        assert_eq!(client("10.0.0.2:80", Some("for=192.0.2.60;proto=http;by=203.0.113.43"), None, proxies), "192.0.2.60");
        assert_eq!(client("10.0.0.2:80", Some(r#"for="[2001:db8:cafe::17]:4711""#), None, proxies), "2001:db8:cafe::17");
        assert_eq!(client("[fd00::1]:80", Some(r#"For="192.0.2.43:47011", for=10.0.0.9"#), None, proxies), "192.0.2.43");
        assert_eq!(client("10.0.0.2:80", Some(r#"for="[2001:db8::1]";by="a,b", for=10.3.3.3"#), None, proxies), "2001:db8::1");
        // X-Forwarded-For written with ports and brackets too.
        assert_eq!(client("10.0.0.2:80", None, Some("[2001:db8::2]:5000, 192.0.2.7:1234"), "10.0.0.0/8, 192.0.2.7"), "2001:db8::2");
    }

    #[test]
    fn ranges_match_both_families_and_mapped_addresses() {
        let proxies = trusted("10.0.0.0/8, 2001:db8::/32, 192.168.1.1");
        assert!(proxies.contains("10.255.0.1".parse().unwrap()));
        assert!(proxies.contains("::ffff:10.1.1.1".parse().unwrap()));
        assert!(proxies.contains("2001:db8:1::9".parse().unwrap()));
        assert!(proxies.contains("192.168.1.1".parse().unwrap()));
        assert!(!proxies.contains("192.168.1.2".parse().unwrap()));
        assert!(!proxies.contains("11.0.0.1".parse().unwrap()));
        assert_eq!(client("[::ffff:127.0.0.1]:9", None, Some("::ffff:203.0.113.9"), "127.0.0.1"), "203.0.113.9");
        let (_, unreadable) = TrustedProxies::parse("10.0.0.0/8, proxy.local, 10.0.0.0/33,");
        assert_eq!(unreadable, ["proxy.local", "10.0.0.0/33"]);
    }

    #[test]
    fn unreadable_chains_stop_at_the_last_trusted_hop() {
        let proxies = "10.0.0.0/8";
        for xff in ["garbage", "203.0.113.9, nonsense", "203.0.113.9,,", "", "unknown"] {
            assert_eq!(client("10.0.0.2:80", None, Some(xff), proxies), "10.0.0.2", "{xff:?}");
        }
        assert_eq!(client("10.0.0.2:80", None, Some("203.0.113.9, junk, 10.0.0.5"), proxies), "10.0.0.5");
        for forwarded in ["for=unknown", "for=_hidden", "proto=https", "for=\"[2001:db8::1\"", "for"] {
            assert_eq!(client("10.0.0.2:80", Some(forwarded), None, proxies), "10.0.0.2", "{forwarded:?}");
        }
        // Both headers must tell the same story; a client adding the one the
        // proxy does not write gets the proxy's bucket, not one of its choosing.
        assert_eq!(client("10.0.0.2:80", Some("for=1.2.3.4"), Some("203.0.113.9"), proxies), "10.0.0.2");
        assert_eq!(client("10.0.0.2:80", Some("for=203.0.113.9"), Some("203.0.113.9"), proxies), "203.0.113.9");
        assert_eq!(client("10.0.0.2:80", Some("for=203.0.113.9, for=10.0.0.7"), Some("10.0.0.7"), proxies), "10.0.0.7");
        // An unreadable peer is kept as given; nothing panics.
        assert_eq!(client("unknown", None, Some("203.0.113.9"), proxies), "unknown");
        assert_eq!(client("", Some("\"\"\\"), Some(",,,"), proxies), "");
    }
}
