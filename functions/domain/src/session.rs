//! Staff console sessions: the rules, apart from where they are stored.
//!
//! A staff token (the API's bearer token) is exchanged at `/staf/masuk` for
//! a server-side session named by a random id in a cookie. The session ends
//! at the first of: its idle limit since it was last used, its absolute
//! limit since it began, sign-out (revoked), or the token it was opened with
//! ceasing to be valid (checked on every request by the platform, as for
//! the API). Every form post carries the session's CSRF secret, compared in
//! constant time, and a browser's `Origin` / `Sec-Fetch-Site`, when sent,
//! must say the post came from this site.

use chrono::{DateTime, Duration, Utc};

use crate::token::constant_time_eq;

/// The cookie's name (its path is [`COOKIE_PATH`]).
pub const COOKIE: &str = "lapor_staf";
/// The cookie is sent only to the console.
pub const COOKIE_PATH: &str = "/staf";
/// The form field that carries the CSRF secret.
pub const CSRF_FIELD: &str = "csrf";
/// Defaults of the Spin variables `staff_session_idle_seconds` and `staff_session_absolute_seconds`.
pub const DEFAULT_IDLE_SECONDS: i64 = 30 * 60;
pub const DEFAULT_ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;

/// How long a session lives: unused, and at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for Lifetime {
    fn default() -> Self {
        Lifetime::from_seconds(None, None)
    }
}

impl Lifetime {
    /// From the variables' values (seconds); unset, unreadable or non-positive
    /// values take the defaults, and idle never exceeds absolute.
    pub fn from_seconds(idle: Option<&str>, absolute: Option<&str>) -> Lifetime {
        let read = |raw: Option<&str>, default: i64| raw.and_then(|r| r.trim().parse::<i64>().ok()).filter(|n| *n > 0).unwrap_or(default);
        let absolute = read(absolute, DEFAULT_ABSOLUTE_SECONDS);
        let idle = read(idle, DEFAULT_IDLE_SECONDS).min(absolute);
        Lifetime { idle: Duration::seconds(idle), absolute: Duration::seconds(absolute) }
    }

    /// When a session begun at `created_at` ends at the latest.
    pub fn expires_at(&self, created_at: DateTime<Utc>) -> DateTime<Utc> {
        created_at + self.absolute
    }
}

/// A stored session's times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTimes {
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

/// Whether a session may be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active,
    /// Unused for longer than the idle limit.
    Idle,
    /// Past its absolute limit.
    Expired,
    /// Signed out.
    Revoked,
}

impl SessionTimes {
    pub fn state(&self, now: DateTime<Utc>, lifetime: &Lifetime) -> SessionState {
        if self.revoked {
            SessionState::Revoked
        } else if now >= self.expires_at || now >= self.created_at + lifetime.absolute {
            SessionState::Expired
        } else if now >= self.last_seen_at + lifetime.idle {
            SessionState::Idle
        } else {
            SessionState::Active
        }
    }
}

/// The `Set-Cookie` value that carries a session id (`None`: clears it).
/// `HttpOnly` (no script reads it), `Secure`, `SameSite=Strict` (no other
/// site's page sends it), `Path=/staf`; a session cookie of the browser, with
/// the server deciding expiry.
pub fn set_cookie(session_id: Option<&str>) -> String {
    match session_id {
        Some(id) => format!("{COOKIE}={id}; Path={COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict"),
        None => format!("{COOKIE}=; Path={COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
    }
}

/// Why a form post was refused before anything was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrfRefusal {
    /// No token, or not the session's.
    Token,
    /// The browser said the post came from another site.
    CrossSite,
}

/// Whether a browser's own headers say a post came from this site:
/// `Sec-Fetch-Site` (when sent) must be `same-origin` (or `none`: typed by
/// the user), and `Origin` (when sent) must name `host` (as the request
/// named it). Asked of every post, the sign-in form's too.
pub fn check_origin(origin: Option<&str>, sec_fetch_site: Option<&str>, host: Option<&str>) -> Result<(), CsrfRefusal> {
    if let Some(site) = sec_fetch_site {
        if !matches!(site.trim().to_ascii_lowercase().as_str(), "same-origin" | "none") {
            return Err(CsrfRefusal::CrossSite);
        }
    }
    if let Some(origin) = origin.map(str::trim) {
        let host_of_origin = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
        let same = match (host_of_origin, host) {
            (Some(origin_host), Some(host)) => origin_host.eq_ignore_ascii_case(host.trim()),
            _ => false,
        };
        if !same {
            return Err(CsrfRefusal::CrossSite);
        }
    }
    Ok(())
}

/// The checks of a signed-in form post: [`check_origin`], and the form's
/// token must equal the session's secret (compared in constant time).
pub fn check_post(
    session_secret: &str,
    presented: Option<&str>,
    origin: Option<&str>,
    sec_fetch_site: Option<&str>,
    host: Option<&str>,
) -> Result<(), CsrfRefusal> {
    check_origin(origin, sec_fetch_site, host)?;
    match presented {
        Some(token) if !session_secret.is_empty() && constant_time_eq(token.as_bytes(), session_secret.as_bytes()) => Ok(()),
        _ => Err(CsrfRefusal::Token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn session(created: i64, seen: i64) -> SessionTimes {
        let lifetime = Lifetime::default();
        SessionTimes { created_at: at(created), last_seen_at: at(seen), expires_at: lifetime.expires_at(at(created)), revoked: false }
    }

    #[test]
    fn idle_and_absolute_expiry() {
        let lifetime = Lifetime::default();
        assert_eq!(session(0, 0).state(at(29), &lifetime), SessionState::Active);
        assert_eq!(session(0, 0).state(at(30), &lifetime), SessionState::Idle);
        // Used every few minutes, it still ends after 12 hours.
        assert_eq!(session(0, 715).state(at(719), &lifetime), SessionState::Active);
        assert_eq!(session(0, 719).state(at(720), &lifetime), SessionState::Expired);
        let mut revoked = session(0, 0);
        revoked.revoked = true;
        assert_eq!(revoked.state(at(1), &lifetime), SessionState::Revoked);
    }

    #[test]
    fn a_shorter_absolute_limit_than_the_stored_expiry_still_applies() {
        let lifetime = Lifetime::from_seconds(Some("60"), Some("120"));
        assert_eq!(session(0, 1).state(at(2), &lifetime), SessionState::Expired);
    }

    #[test]
    fn lifetimes_from_variables() {
        assert_eq!(Lifetime::from_seconds(None, None), Lifetime { idle: Duration::minutes(30), absolute: Duration::hours(12) });
        assert_eq!(Lifetime::from_seconds(Some("2"), Some("5")), Lifetime { idle: Duration::seconds(2), absolute: Duration::seconds(5) });
        assert_eq!(Lifetime::from_seconds(Some("x"), Some("-1")).idle, Duration::minutes(30));
        assert_eq!(Lifetime::from_seconds(Some("100"), Some("10")).idle, Duration::seconds(10), "idle never outlives absolute");
    }

    #[test]
    fn cookie_attributes() {
        let cookie = set_cookie(Some("abc"));
        assert_eq!(cookie, "lapor_staf=abc; Path=/staf; HttpOnly; Secure; SameSite=Strict");
        assert!(set_cookie(None).ends_with("Max-Age=0"));
    }

    #[test]
    fn csrf_needs_the_sessions_token_and_a_same_site_post() {
        let ok = |presented, origin, site| check_post("s3cret", presented, origin, site, Some("127.0.0.1:3000"));
        assert_eq!(ok(Some("s3cret"), None, None), Ok(()));
        assert_eq!(ok(Some("s3cret"), Some("http://127.0.0.1:3000"), Some("same-origin")), Ok(()));
        assert_eq!(ok(None, None, None), Err(CsrfRefusal::Token));
        assert_eq!(ok(Some("s3creT"), None, None), Err(CsrfRefusal::Token));
        assert_eq!(ok(Some(""), None, None), Err(CsrfRefusal::Token));
        assert_eq!(ok(Some("s3cret"), Some("https://evil.example"), None), Err(CsrfRefusal::CrossSite));
        assert_eq!(ok(Some("s3cret"), Some("null"), None), Err(CsrfRefusal::CrossSite));
        assert_eq!(ok(Some("s3cret"), None, Some("cross-site")), Err(CsrfRefusal::CrossSite));
        assert_eq!(ok(Some("s3cret"), None, Some("same-site")), Err(CsrfRefusal::CrossSite), "a sibling subdomain is another site here");
        assert_eq!(check_post("", Some(""), None, None, None), Err(CsrfRefusal::Token), "an empty secret never matches");
    }
}
