//! Conditional requests: whether an `If-None-Match` header names the entity
//! tag a response would carry (RFC 9110 §13.1.2), so a revalidating cache
//! gets `304 Not Modified` instead of the body again.
//!
//! Hand-written: a comma-separated list of quoted tags with the weak
//! comparison the RFC asks for here is a few lines, and the crates that parse
//! it (`headers`, `http`'s typed headers) want their own header maps.

/// Whether `if_none_match` matches `etag` (quoted, e.g. `"abc"`): `*`, or
/// any listed tag equal to it under weak comparison (a `W/` prefix on
/// either side is ignored).
pub fn none_match_fails(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(header) = if_none_match else { return false };
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let ours = opaque(etag);
    header.split(',').map(str::trim).any(|tag| tag == "*" || (!tag.is_empty() && opaque(tag) == ours))
}

#[cfg(test)]
mod tests {
    use super::none_match_fails;

    #[test]
    fn a_listed_tag_or_star_matches() {
        let etag = "\"0123abcd\"";
        assert!(none_match_fails(Some("\"0123abcd\""), etag));
        assert!(none_match_fails(Some("\"x\", \"0123abcd\""), etag));
        assert!(none_match_fails(Some("W/\"0123abcd\""), etag), "weak comparison");
        assert!(none_match_fails(Some("*"), etag));
        assert!(!none_match_fails(Some("\"0123abce\""), etag));
        assert!(!none_match_fails(Some("0123abcd"), etag), "an unquoted value is no entity tag");
        assert!(!none_match_fails(Some(""), etag));
        assert!(!none_match_fails(None, etag));
    }
}
