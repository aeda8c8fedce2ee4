//! Content codings: which compression a response may use, from the client's
//! `Accept-Encoding` (RFC 9110 §12.5.3), and which responses are worth it.
//!
//! Spin does not compress responses, so the app does (`lapor_platform::
//! compress` applies this choice to every component's answer). The rule is
//! here, natively unit-tested, beside `lang`'s `Accept-Language` choice.
//!
//! Hand-written rather than a crate: the crates for this (`accept-encoding`,
//! `fly-accept-encoding`) are unmaintained alphas built on the `http` and
//! `failure` crates, and neither treats `identity` and `*` as RFC 9110 says.

/// A coding the service can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    /// The token of `Content-Encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// Bodies smaller than this are sent as they are: a compressed stream's own
/// header and trailer would eat what it saves.
pub const MIN_COMPRESSIBLE_BYTES: usize = 512;

/// Quality values in thousandths (RFC 9110 §12.4.2 allows three decimals),
/// so that they compare exactly.
fn quality(raw: &str) -> Option<u16> {
    let raw = raw.trim();
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The coding to send for `accept_encoding`, or `None` for the body as it is
/// (identity). A coding is acceptable only with a q-value above 0, named or
/// through `*`; an absent header means identity. At equal quality brotli
/// wins (it is the smaller), and identity wins over a coding the client
/// rates lower than it.
pub fn negotiate(accept_encoding: Option<&str>) -> Option<Coding> {
    let header = accept_encoding?;
    let mut named: Vec<(String, u16)> = Vec::new();
    for item in header.split(',') {
        let mut parts = item.split(';');
        let token = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if token.is_empty() {
            continue;
        }
        let mut q = Some(1000);
        for parameter in parts {
            if let Some((name, value)) = parameter.split_once('=') {
                if name.trim().eq_ignore_ascii_case("q") {
                    q = quality(value);
                }
            }
        }
        // An unreadable q-value: the item is ignored, not guessed at.
        if let Some(q) = q {
            named.push((token, q));
        }
    }
    let q_of = |tokens: &[&str]| named.iter().find(|(t, _)| tokens.contains(&t.as_str())).map(|(_, q)| *q);
    let star = q_of(&["*"]);
    // Identity is always acceptable unless refused, but preferred over a
    // coding only when the client rates it higher by name.
    let identity = q_of(&["identity"]).unwrap_or(0);
    let mut best: Option<(u16, Coding)> = None;
    for (coding, tokens) in [(Coding::Brotli, &["br"][..]), (Coding::Gzip, &["gzip", "x-gzip"][..])] {
        let q = q_of(tokens).or(star).unwrap_or(0);
        if q > 0 && best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, coding));
        }
    }
    match best {
        Some((q, coding)) if q >= identity => Some(coding),
        _ => None,
    }
}

/// Whether a body of this `Content-Type` shrinks when compressed: text
/// (HTML, CSS, JavaScript, plain), JSON (problems included) and SVG; not
/// images, PDFs or anything already compressed.
pub fn compressible(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media.starts_with("text/")
        || matches!(media.as_str(), "application/json" | "application/javascript" | "image/svg+xml" | "application/manifest+json")
        || media.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Coding::{Brotli, Gzip};

    #[test]
    fn what_browsers_and_tools_send() {
        assert_eq!(negotiate(Some("gzip, deflate, br, zstd")), Some(Brotli), "Chromium");
        assert_eq!(negotiate(Some("gzip, deflate")), Some(Gzip), "curl --compressed, older clients");
        assert_eq!(negotiate(Some("br")), Some(Brotli));
        assert_eq!(negotiate(Some("x-gzip")), Some(Gzip));
        assert_eq!(negotiate(None), None, "no header: the body as it is");
        assert_eq!(negotiate(Some("")), None);
        assert_eq!(negotiate(Some("identity")), None);
        assert_eq!(negotiate(Some("deflate, zstd")), None, "nothing we speak");
    }

    #[test]
    fn q_values_decide_and_zero_refuses() {
        assert_eq!(negotiate(Some("br;q=0.5, gzip;q=0.9")), Some(Gzip));
        assert_eq!(negotiate(Some("br;q=0, gzip")), Some(Gzip));
        assert_eq!(negotiate(Some("br;q=0, gzip;q=0")), None);
        assert_eq!(negotiate(Some("gzip;q=0.000")), None);
        assert_eq!(negotiate(Some("GZIP;Q=0.8")), Some(Gzip), "tokens and q are case-insensitive");
        assert_eq!(negotiate(Some("gzip ; q=0.8 , br ; q=0.8")), Some(Brotli), "a tie goes to brotli");
        assert_eq!(negotiate(Some("gzip;q=1.5, br;q=abc")), None, "unreadable q-values are ignored");
        assert_eq!(negotiate(Some("gzip;q=0.0001")), None, "more than three decimals is unreadable");
    }

    #[test]
    fn star_and_identity() {
        assert_eq!(negotiate(Some("*")), Some(Brotli));
        assert_eq!(negotiate(Some("*;q=0.5, br;q=0")), Some(Gzip));
        assert_eq!(negotiate(Some("*;q=0")), None);
        assert_eq!(negotiate(Some("gzip;q=0.2, identity;q=0.8")), None, "identity rated higher");
        assert_eq!(negotiate(Some("gzip;q=0.2, identity;q=0")), Some(Gzip));
        assert_eq!(negotiate(Some("gzip;q=0.2, *;q=0")), Some(Gzip), "*;q=0 refuses identity too");
    }

    #[test]
    fn which_types_are_compressed() {
        for yes in ["text/html; charset=utf-8", "text/css", "application/javascript", "application/json", "application/problem+json", "image/svg+xml", "TEXT/PLAIN"] {
            assert!(compressible(yes), "{yes}");
        }
        for no in ["image/png", "image/jpeg", "application/pdf", "application/octet-stream", ""] {
            assert!(!compressible(no), "{no}");
        }
    }
}
