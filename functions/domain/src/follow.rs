//! Following a report ("kawal"): where a follower wants to hear of progress.
//!
//! Anyone may follow a report by its tracking ID, by SMS, WhatsApp, e-mail or
//! a webhook. Addresses are parsed here into their stored canonical form, so
//! the outbox only ever holds numbers that a provider accepts and webhook URLs
//! that do not point the service at itself or at a private network.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::contact::{Email, PhoneNumber};
use crate::invalid::Invalid;

/// How a follower is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowChannel {
    Sms,
    Whatsapp,
    Email,
    Webhook,
}

impl FollowChannel {
    pub const ALL: [FollowChannel; 4] = [FollowChannel::Sms, FollowChannel::Whatsapp, FollowChannel::Email, FollowChannel::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            FollowChannel::Sms => "sms",
            FollowChannel::Whatsapp => "whatsapp",
            FollowChannel::Email => "email",
            FollowChannel::Webhook => "webhook",
        }
    }

    /// The channel a client asked for. Only the exact lowercase names are
    /// accepted: they are an API vocabulary, not free text.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::required(field));
        }
        Self::from_stored(s).ok_or_else(|| {
            Invalid::new(
                field,
                "Saluran tidak dikenal; pilih salah satu dari: sms, whatsapp, email, webhook.",
                "Unknown channel; choose one of: sms, whatsapp, email, webhook.",
            )
        })
    }

    /// The channel of a stored row; `None` for a value this version does not know.
    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

impl fmt::Display for FollowChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether webhook URLs may point at private/loopback hosts and use plain http.
///
/// In production a webhook is a request the service makes on a stranger's
/// behalf; letting it target `localhost` or an IP literal would let anyone
/// probe the platform's own network (server-side request forgery). Development
/// and tests need exactly that, so it is a switch, off unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookPolicy {
    PublicHttpsOnly,
    AllowPrivate,
}

impl WebhookPolicy {
    /// From a Spin variable: `true`, `1` or `yes` (any case) allow private
    /// hosts; anything else, including an unset (empty) variable, does not.
    pub fn from_variable(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => WebhookPolicy::AllowPrivate,
            _ => WebhookPolicy::PublicHttpsOnly,
        }
    }
}

const WEBHOOK_MAX_CHARS: usize = 2000;

/// Host names that only mean something inside a machine or a private network.
const PRIVATE_SUFFIXES: [&str; 5] = [".localhost", ".local", ".internal", ".lan", ".home.arpa"];

/// A webhook URL in canonical form: lowercase scheme and host, no user
/// information, no fragment, path and query kept as written.
///
/// Hand-parsed rather than taken from a URL crate: the accepted language is
/// deliberately small (`scheme://host[:port][/path][?query]`), and everything
/// outside it is refused rather than interpreted, so no parser differential
/// (between this check and the HTTP client that later sends) can smuggle in
/// another host.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct WebhookUrl(String);

/// The host part of an authority, classified.
enum Host {
    Name(String),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

impl WebhookUrl {
    /// PublicHttpsOnly: scheme https only; the host must be a DNS name with at
    /// least one dot, not an IP literal (v4 or `[v6]`), not `localhost` nor a
    /// name under `.localhost`, `.local`, `.internal`, `.lan` or `.home.arpa`;
    /// no user information (`user:pass@`); optional port; path and query
    /// allowed; no fragment; at most 2000 characters; no whitespace or control
    /// characters.
    ///
    /// AllowPrivate: additionally `http://` and any host, including IP
    /// literals and `localhost` (for development and tests).
    ///
    /// This checks the URL as written. A public name may still resolve to a
    /// private address (DNS rebinding, `127.0.0.1.nip.io`); the host controls
    /// that: the production runtime config's `block_networks = ["private"]`
    /// is checked against the resolved addresses of every outbound connection.
    pub fn parse(field: &str, raw: &str, policy: WebhookPolicy) -> Result<Self, Invalid> {
        let invalid = || {
            Invalid::new(
                field,
                "Alamat webhook tidak valid (contoh: https://hooks.example.com/lapor).",
                "Not a valid webhook URL (e.g. https://hooks.example.com/lapor).",
            )
        };
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::required(field));
        }
        if s.chars().count() > WEBHOOK_MAX_CHARS {
            return Err(Invalid::new(
                field,
                "Alamat webhook terlalu panjang (maksimal 2000 karakter).",
                "Webhook URL is too long (at most 2000 characters).",
            ));
        }
        // Non-ASCII must be percent-encoded (and hosts punycoded): what is not
        // plain ASCII is read differently by different parsers.
        if !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid());
        }

        let (scheme, rest) = s.split_once("://").ok_or_else(invalid)?;
        let scheme = scheme.to_ascii_lowercase();
        let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !scheme_ok {
            return Err(invalid());
        }
        let https_only = || Invalid::new(field, "Alamat webhook harus memakai https://.", "Webhook URLs must use https://.");
        match (scheme.as_str(), policy) {
            ("https", _) | ("http", WebhookPolicy::AllowPrivate) => {}
            _ => return Err(https_only()),
        }

        if rest.contains('#') {
            return Err(Invalid::new(
                field,
                "Alamat webhook tidak boleh memuat fragmen (#…).",
                "Webhook URLs must not contain a fragment (#…).",
            ));
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(Invalid::new(
                field,
                "Alamat webhook tidak boleh memuat nama pengguna atau kata sandi.",
                "Webhook URLs must not contain a user name or password.",
            ));
        }
        if !path_and_query.chars().all(path_char_ok) || !percent_escapes_ok(path_and_query) {
            return Err(invalid());
        }

        let (host_text, port) = split_host_port(authority).ok_or_else(invalid)?;
        let host = classify_host(host_text).ok_or_else(invalid)?;
        if policy == WebhookPolicy::PublicHttpsOnly {
            let public_name = match &host {
                Host::Name(name) => {
                    name.contains('.')
                        && name != "localhost"
                        && !PRIVATE_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
                }
                Host::V4(_) | Host::V6(_) => false,
            };
            if !public_name {
                return Err(Invalid::new(
                    field,
                    "Alamat webhook harus menunjuk ke nama domain publik, bukan alamat IP atau jaringan lokal.",
                    "Webhook URLs must name a public domain, not an IP address or a local network.",
                ));
            }
        }

        let host = match host {
            Host::Name(name) => name,
            Host::V4(ip) => ip.to_string(),
            Host::V6(ip) => format!("[{ip}]"),
        };
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        Ok(Self(format!("{scheme}://{host}{port}{path_and_query}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `scheme://host[:port]` part.
    pub fn origin(&self) -> &str {
        origin_of(&self.0).unwrap_or(&self.0)
    }
}

/// `scheme://authority` of a URL-looking string, or `None` without `://`.
fn origin_of(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    Some(&url[..end])
}

/// Characters allowed in path and query: visible ASCII except those that are
/// never valid unescaped in a URL (RFC 3986) or that some parsers treat as
/// separators (`\`).
fn path_char_ok(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' | '#')
}

/// Every `%` starts a two-hex-digit escape.
fn percent_escapes_ok(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%' || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// `host[:port]` or `[v6][:port]`; the port is 1-65535, digits only.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) => {
            // `u16::from_str` would accept a leading `+`; only digits are a port.
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            match p.parse::<u16>() {
                Ok(0) | Err(_) => return None,
                Ok(n) => Some(n),
            }
        }
    };
    Some((host, port))
}

/// An IP literal or a DNS name (ASCII labels of letters, digits and inner
/// hyphens). A name whose last label does not start with a letter is refused:
/// browsers and URL libraries read `2130706433`, `0x7f.1` or `127.1` as IPv4
/// addresses, and no top-level domain starts with a digit.
fn classify_host(host: &str) -> Option<Host> {
    if let Some(inner) = host.strip_prefix('[') {
        return inner.strip_suffix(']')?.parse::<Ipv6Addr>().ok().map(Host::V6);
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Some(Host::V4(ip));
    }
    let name = host.to_ascii_lowercase();
    if name.len() > 253 {
        return None;
    }
    let labels_ok = name.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    let last_ok = name.rsplit('.').next().is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()));
    (labels_ok && last_ok).then_some(Host::Name(name))
}

/// A follower's address, parsed for its channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowAddress {
    Phone(PhoneNumber),
    Email(Email),
    Webhook(WebhookUrl),
}

impl FollowAddress {
    /// sms/whatsapp: an Indonesian mobile number; email: an e-mail address;
    /// webhook: a [`WebhookUrl`] under `policy`.
    ///
    /// SMS and WhatsApp need a mobile (`08…`) number: a fixed line can never
    /// receive them, and accepting one would only fill the dead-letter list.
    pub fn parse(channel: FollowChannel, field: &str, raw: &str, policy: WebhookPolicy) -> Result<Self, Invalid> {
        match channel {
            FollowChannel::Sms | FollowChannel::Whatsapp => {
                let phone = PhoneNumber::parse(field, raw)?;
                if !phone.is_mobile() {
                    return Err(Invalid::new(
                        field,
                        "SMS dan WhatsApp memerlukan nomor seluler (contoh: 0812-3456-7890).",
                        "SMS and WhatsApp need a mobile number (e.g. 0812-3456-7890).",
                    ));
                }
                Ok(FollowAddress::Phone(phone))
            }
            FollowChannel::Email => Email::parse(field, raw).map(FollowAddress::Email),
            FollowChannel::Webhook => WebhookUrl::parse(field, raw, policy).map(FollowAddress::Webhook),
        }
    }

    /// The canonical stored form.
    pub fn as_str(&self) -> &str {
        match self {
            FollowAddress::Phone(p) => p.as_str(),
            FollowAddress::Email(e) => e.as_str(),
            FollowAddress::Webhook(w) => w.as_str(),
        }
    }
}

/// How an address is shown to administrators (dead-letter view): enough to
/// recognise, not enough to contact.
///
/// sms/whatsapp `+6281234567890` → `+62812*****890` (first 6 and last 3
/// characters kept); email `siti.aminah@example.com` → `s***@example.com`;
/// webhook → its origin and `/…` (paths and queries often carry the
/// receiver's secret token); anything unrecognisable → `***`.
pub fn mask_address(channel: FollowChannel, address: &str) -> String {
    const HIDDEN: &str = "***";
    match channel {
        FollowChannel::Sms | FollowChannel::Whatsapp => {
            let well_formed = address.len() >= 10
                && address.starts_with('+')
                && address[1..].bytes().all(|b| b.is_ascii_digit());
            if !well_formed {
                return HIDDEN.to_string();
            }
            let (head, rest) = address.split_at(6);
            let tail = &rest[rest.len() - 3..];
            format!("{head}{}{tail}", "*".repeat(rest.len() - 3))
        }
        FollowChannel::Email => match address.rsplit_once('@') {
            Some((local, domain)) if !domain.is_empty() => match local.chars().next() {
                Some(first) => format!("{first}{HIDDEN}@{domain}"),
                None => HIDDEN.to_string(),
            },
            _ => HIDDEN.to_string(),
        },
        FollowChannel::Webhook => match origin_of(address) {
            Some(origin) => {
                let (scheme, authority) = origin.split_once("://").unwrap_or(("", origin));
                // Never show credentials, even from a row written before they were refused.
                let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
                if scheme.is_empty() || host.is_empty() {
                    HIDDEN.to_string()
                } else {
                    format!("{scheme}://{host}/…")
                }
            }
            None => HIDDEN.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WebhookPolicy::{AllowPrivate, PublicHttpsOnly};

    #[test]
    fn channels_round_trip_and_only_exact_names_parse() {
        for c in FollowChannel::ALL {
            assert_eq!(FollowChannel::parse("channel", c.as_str()), Ok(c));
            assert_eq!(FollowChannel::from_stored(c.as_str()), Some(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert_eq!(FollowChannel::parse("channel", "  email \n"), Ok(FollowChannel::Email));
        for bad in ["SMS", "WhatsApp", "wa", "e-mail", "telegram"] {
            let e = FollowChannel::parse("channel", bad).unwrap_err();
            assert_eq!(e.field, "channel");
            assert!(e.en.contains("sms, whatsapp, email, webhook"), "{bad}: {}", e.en);
            assert!(e.id.contains("sms, whatsapp, email, webhook"));
        }
        assert_eq!(FollowChannel::parse("channel", " ").unwrap_err().en, "Required.");
        assert_eq!(FollowChannel::from_stored(" sms"), None);
    }

    #[test]
    fn webhook_policy_from_variable() {
        for yes in ["true", "1", "yes", " TRUE ", "Yes"] {
            assert_eq!(WebhookPolicy::from_variable(yes), AllowPrivate, "{yes:?}");
        }
        for no in ["", "false", "0", "no", "on", "truee"] {
            assert_eq!(WebhookPolicy::from_variable(no), PublicHttpsOnly, "{no:?}");
        }
    }

    fn ok(raw: &str, policy: WebhookPolicy) -> String {
        WebhookUrl::parse("webhook", raw, policy).unwrap_or_else(|e| panic!("{raw:?}: {}", e.en)).as_str().to_string()
    }

    fn err(raw: &str, policy: WebhookPolicy) -> Invalid {
        match WebhookUrl::parse("follow.address", raw, policy) {
            Ok(url) => panic!("{raw:?} was accepted as {:?}", url.as_str()),
            Err(e) => {
                assert_eq!(e.field, "follow.address");
                e
            }
        }
    }

    #[test]
    fn public_webhooks_are_accepted_and_canonicalised() {
        for (raw, expected) in [
            ("https://hooks.example.com/lapor?x=1", "https://hooks.example.com/lapor?x=1"),
            ("https://hooks.example.com", "https://hooks.example.com"),
            ("HTTPS://Hooks.Example.COM/Path/Kept?Q=Kept", "https://hooks.example.com/Path/Kept?Q=Kept"),
            ("  https://hooks.example.com/x  \n", "https://hooks.example.com/x"),
            ("https://hooks.example.com:8443/a%20b", "https://hooks.example.com:8443/a%20b"),
            ("https://hooks.example.com:08443", "https://hooks.example.com:8443"),
            ("https://hooks.example.com?only=query", "https://hooks.example.com?only=query"),
            ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
            ("https://a-b.c-d.go.id/", "https://a-b.c-d.go.id/"),
        ] {
            assert_eq!(ok(raw, PublicHttpsOnly), expected, "{raw}");
            assert_eq!(ok(raw, AllowPrivate), expected, "{raw}");
        }
    }

    #[test]
    fn private_hosts_and_plain_http_are_refused_in_production() {
        for raw in [
            "https://127.0.0.1/x",
            "https://10.0.0.1",
            "https://[::1]/",
            "https://[fe80::1]:8443/",
            "https://localhost:8080",
            "https://LOCALHOST/",
            "https://intranet/",
            "https://printer.local/",
            "https://api.localhost/",
            "https://metadata.google.internal/computeMetadata/v1/",
            "https://nas.lan/",
            "https://router.home.arpa/",
            "https://169.254.169.254/latest/meta-data/",
        ] {
            let e = err(raw, PublicHttpsOnly);
            assert!(e.en.contains("public domain"), "{raw}: {}", e.en);
        }
        let e = err("http://hooks.example.com", PublicHttpsOnly);
        assert_eq!(e.en, "Webhook URLs must use https://.");
        assert_eq!(e.id, "Alamat webhook harus memakai https://.");
    }

    #[test]
    fn development_allows_private_hosts_and_http() {
        for (raw, expected) in [
            ("http://hooks.example.com", "http://hooks.example.com"),
            ("https://127.0.0.1/x", "https://127.0.0.1/x"),
            ("https://10.0.0.1", "https://10.0.0.1"),
            ("https://[::1]/", "https://[::1]/"),
            ("http://[0:0:0:0:0:0:0:1]:3000/hook", "http://[::1]:3000/hook"),
            ("https://localhost:8080", "https://localhost:8080"),
            ("https://intranet/", "https://intranet/"),
            ("http://receiver.local:3000/hook?a=b", "http://receiver.local:3000/hook?a=b"),
        ] {
            assert_eq!(ok(raw, AllowPrivate), expected, "{raw}");
        }
    }

    #[test]
    fn tricky_webhook_urls_are_refused_under_every_policy() {
        for policy in [PublicHttpsOnly, AllowPrivate] {
            for raw in [
                "javascript:alert(1)",
                "javascript://%0aalert(1)",
                "ftp://hooks.example.com/",
                "file:///etc/passwd",
                "hooks.example.com/lapor",
                "//hooks.example.com/lapor",
                "https:/hooks.example.com",
                "https://",
                "https:///path",
                "https://:443/",
                "https://hooks.example.com:/",
                "https://hooks.example.com:0/",
                "https://hooks.example.com:65536/",
                "https://hooks.example.com:+443/",
                "https://hooks.example.com:44a/",
                "https://hooks.example.com./",
                "https://hooks..example.com/",
                "https://-hooks.example.com/",
                "https://hooks_x.example.com/",
                "https://hooks.exämple.com/",
                "https://hooks.example.com/ä",
                "https://hooks.example.com/a b",
                "https://hooks.example.com/a\tb",
                "https://hooks.example.com/\\evil",
                "https://hooks.example.com/%zz",
                "https://hooks.example.com/%4",
                "https://loc%61lhost/",
                "https://hooks.example.com\\@evil.com/",
                "https://2130706433/",
                "https://0x7f000001/",
                "https://127.1/",
                "https://1.2.3/",
                "https://[::1/",
                "https://[fe80::1%25eth0]/",
                "https://[::1]x/",
                "https://hooks.example.com/x\u{0}",
            ] {
                err(raw, policy);
            }
        }
    }

    #[test]
    fn user_information_fragments_and_length_have_their_own_reasons() {
        for policy in [PublicHttpsOnly, AllowPrivate] {
            for raw in ["https://user:pass@hooks.example.com/", "https://user@hooks.example.com/", "https://hooks.example.com:443@evil.com/"] {
                assert!(err(raw, policy).en.contains("user name or password"), "{raw}");
            }
            assert!(err("https://hooks.example.com/x#top", policy).en.contains("fragment"));
            let long = format!("https://hooks.example.com/{}", "a".repeat(2000));
            assert!(err(&long, policy).en.contains("too long"));
            assert_eq!(err("   ", policy).en, "Required.");
        }
        let at_limit = format!("https://hooks.example.com/{}", "a".repeat(2000 - "https://hooks.example.com/".len()));
        assert_eq!(ok(&at_limit, PublicHttpsOnly).len(), 2000);
    }

    #[test]
    fn origins() {
        for (raw, origin) in [
            ("https://hooks.example.com/lapor?x=1", "https://hooks.example.com"),
            ("https://hooks.example.com?x=1", "https://hooks.example.com"),
            ("https://hooks.example.com", "https://hooks.example.com"),
            ("HTTPS://HOOKS.example.com:8443/a/b", "https://hooks.example.com:8443"),
            ("http://[::1]:3000/hook", "http://[::1]:3000"),
        ] {
            assert_eq!(WebhookUrl::parse("w", raw, AllowPrivate).unwrap().origin(), origin, "{raw}");
        }
    }

    proptest::proptest! {
        #[test]
        fn canonical_webhook_urls_parse_to_themselves(raw in "(?i)(https?|ftp)://[a-z0-9.:\\[\\]@-]{0,30}[/?#%a-z0-9]{0,20}") {
            for policy in [PublicHttpsOnly, AllowPrivate] {
                if let Ok(url) = WebhookUrl::parse("w", &raw, policy) {
                    let again = WebhookUrl::parse("w", url.as_str(), policy).unwrap();
                    proptest::prop_assert_eq!(&again, &url);
                    proptest::prop_assert!(url.as_str().starts_with(url.origin()));
                    proptest::prop_assert!(!url.origin().contains('@'));
                }
            }
        }
    }

    #[test]
    fn addresses_parse_per_channel() {
        let p = |c, raw| FollowAddress::parse(c, "follow.address", raw, PublicHttpsOnly);
        assert_eq!(p(FollowChannel::Sms, "0812-3456-7890").unwrap().as_str(), "+6281234567890");
        assert_eq!(p(FollowChannel::Whatsapp, "+62 812 3456 7890").unwrap().as_str(), "+6281234567890");
        assert!(matches!(p(FollowChannel::Sms, "0812 3456 7890").unwrap(), FollowAddress::Phone(_)));
        assert_eq!(p(FollowChannel::Email, " Siti@Mail.CO.ID ").unwrap().as_str(), "Siti@mail.co.id");
        assert_eq!(p(FollowChannel::Webhook, "HTTPS://Hooks.Example.com/x").unwrap().as_str(), "https://hooks.example.com/x");

        let landline = p(FollowChannel::Sms, "(021) 555-1234").unwrap_err();
        assert!(landline.en.contains("mobile"), "{}", landline.en);
        assert!(p(FollowChannel::Whatsapp, "021 555 1234").is_err());
        assert!(p(FollowChannel::Sms, "siti@mail.co.id").is_err());
        assert!(p(FollowChannel::Email, "0812-3456-7890").is_err());
        assert!(p(FollowChannel::Webhook, "siti@mail.co.id").is_err());
        assert!(p(FollowChannel::Webhook, "http://localhost:3000").is_err());
        assert!(FollowAddress::parse(FollowChannel::Webhook, "a", "http://localhost:3000", AllowPrivate).is_ok());
        assert_eq!(p(FollowChannel::Email, "nope").unwrap_err().field, "follow.address");
    }

    #[test]
    fn masks_recognise_without_revealing() {
        assert_eq!(mask_address(FollowChannel::Sms, "+6281234567890"), "+62812*****890");
        assert_eq!(mask_address(FollowChannel::Whatsapp, "+6281234567890"), "+62812*****890");
        assert_eq!(mask_address(FollowChannel::Sms, "+628123456789"), "+62812****789");
        assert_eq!(mask_address(FollowChannel::Email, "siti.aminah@example.com"), "s***@example.com");
        assert_eq!(mask_address(FollowChannel::Email, "éva@example.com"), "é***@example.com");
        assert_eq!(
            mask_address(FollowChannel::Webhook, "https://hooks.example.com:8443/T000/B000/secret?token=x"),
            "https://hooks.example.com:8443/…"
        );
        assert_eq!(mask_address(FollowChannel::Webhook, "https://hooks.example.com"), "https://hooks.example.com/…");
        assert_eq!(mask_address(FollowChannel::Webhook, "https://u:p@hooks.example.com/x"), "https://hooks.example.com/…");
        for (channel, junk) in [
            (FollowChannel::Sms, ""),
            (FollowChannel::Sms, "+62812"),
            (FollowChannel::Sms, "081234567890"),
            (FollowChannel::Sms, "+62 812 3456 7890"),
            (FollowChannel::Whatsapp, "siti@example.com"),
            (FollowChannel::Email, "siti"),
            (FollowChannel::Email, "@example.com"),
            (FollowChannel::Email, "siti@"),
            (FollowChannel::Webhook, "hooks.example.com/x"),
            (FollowChannel::Webhook, "https://"),
            (FollowChannel::Webhook, ""),
        ] {
            assert_eq!(mask_address(channel, junk), "***", "{channel} {junk:?}");
        }
    }
}
