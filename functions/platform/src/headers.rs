//! The security headers of every HTML page, in one place (`response::html`
//! sets them; a page that must differ, such as a future embed allowing
//! its agencies' sites in `frame-ancestors`, starts from [`page_headers`]).
//!
//! The policy allows no inline script or style at all: pages link their CSS
//! (and any script) from the `assets` component on the same origin, so an
//! injected `<script>` or `style=` does nothing even if escaping ever failed.

/// `frame-ancestors` for pages no other site may frame.
pub const NO_FRAMING: &str = "'none'";

/// The Content-Security-Policy of a page that sites in `frame_ancestors`
/// (a CSP source list, [`NO_FRAMING`] for none) may frame.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
         base-uri 'none'; frame-ancestors {frame_ancestors}"
    )
}

/// Every header an HTML page carries for its safety.
pub fn page_headers(frame_ancestors: &str) -> Vec<(&'static str, String)> {
    vec![
        ("content-security-policy", content_security_policy(frame_ancestors)),
        ("x-content-type-options", "nosniff".to_string()),
        ("referrer-policy", "strict-origin-when-cross-origin".to_string()),
    ]
}
