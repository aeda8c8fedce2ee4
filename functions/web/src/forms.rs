//! What every form of the pages shares: the visitor's identity cookies, the
//! anti-forgery token, reading a posted form into the JSON object the
//! domain's commands parse, and the 303 back to the page.
//!
//! - **Identity.** A citizen identity (the same `citizens` rows and tokens the
//!   API issues) is made on a visitor's first action and kept in the cookie
//!   `lapor_citizen` (`HttpOnly; Secure; SameSite=Lax; Path=/`). The
//!   reporter's token is the cookie `lapor_token`, scoped to the report's
//!   page, set by the report form or by the "I am the reporter" form.
//! - **Forgery.** Every form carries `csrf`, an HMAC (`lapor_domain::token::form_token`,
//!   keyed by the Spin variable `web_form_secret`) over the identity cookies
//!   the page was rendered with, compared in constant time; a POST whose
//!   `Sec-Fetch-Site` or `Origin` says it comes from another site is refused
//!   before that. A refusal changes nothing.

use lapor_domain::token::{form_token, form_token_matches};
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use serde_json::{Map, Value};
use spin_sdk::http::Response;

/// The citizen token's cookie (every page).
pub const CITIZEN_COOKIE: &str = "lapor_citizen";
/// The reporter token's cookie (one report's pages), as the report form sets it.
pub const REPORTER_COOKIE: &str = "lapor_token";

/// The key of form tokens; a fixed fallback keeps a fresh checkout working
/// (the tokens stay bound to the HttpOnly cookies, which a forger cannot read).
fn secret() -> String {
    spin_sdk::variables::get("web_form_secret").ok().filter(|s| !s.is_empty()).unwrap_or_else(|| "lapor-web-forms".to_string())
}

/// Whose browser this is: the identity cookies it sent.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    pub citizen: Option<String>,
    pub reporter: Option<String>,
}

fn plausible_token(value: &str) -> bool {
    !value.is_empty() && value.len() <= 128 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Visitor {
    pub fn of(request: &ApiRequest) -> Visitor {
        let cookie = |name| request.cookie(name).filter(|v| plausible_token(v)).map(str::to_string);
        Visitor { citizen: cookie(CITIZEN_COOKIE), reporter: cookie(REPORTER_COOKIE) }
    }

    fn binding(&self) -> String {
        format!("citizen={};reporter={}", self.citizen.as_deref().unwrap_or(""), self.reporter.as_deref().unwrap_or(""))
    }

    /// The token the page's forms carry.
    pub fn form_token(&self) -> String {
        form_token(&secret(), &self.binding())
    }

    /// Whether a posted form's token is this visitor's.
    pub fn token_matches(&self, presented: &str) -> bool {
        form_token_matches(&secret(), &self.binding(), presented)
    }
}

/// Whether the browser says the POST came from another site: `Sec-Fetch-Site`
/// other than `same-origin` (or `none`), or an `Origin` that is not this host.
pub fn cross_site(request: &ApiRequest) -> bool {
    if let Some(site) = request.header("sec-fetch-site") {
        if !matches!(site.trim(), "same-origin" | "none") {
            return true;
        }
    }
    let Some(origin) = request.header("origin").map(str::trim) else { return false };
    // This site's authority: the Host header, else the URL Spin saw.
    let ours = request.header("host").map(str::to_string).or_else(|| {
        let url = request.header("spin-full-url")?;
        let rest = url.split_once("://")?.1;
        Some(rest.split('/').next()?.to_string())
    });
    let theirs = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    match (theirs, ours) {
        (Some(theirs), Some(ours)) => !theirs.eq_ignore_ascii_case(ours.trim()),
        _ => true,
    }
}

/// A posted form's fields, in order (urlencoded bodies; for multipart, the
/// text parts), and its file parts.
pub struct Posted {
    pub fields: Vec<(String, String)>,
    pub files: Vec<lapor_platform::multipart::Part>,
}

impl Posted {
    /// `None` when the body is neither kind of form or is unreadable.
    pub fn read(request: &ApiRequest) -> Option<Posted> {
        let content_type = request.header("content-type").unwrap_or("");
        if request.media_type() == "multipart/form-data" {
            // A tracking-page form has a handful of fields and one file.
            let parts = lapor_platform::multipart::parse(content_type, request.body.clone(), 16).ok()?;
            let (files, texts): (Vec<_>, Vec<_>) = parts.into_iter().partition(|p| p.file_name.is_some());
            let fields = texts.into_iter().map(|p| Some((p.name, String::from_utf8(p.bytes).ok()?))).collect::<Option<Vec<_>>>()?;
            return Some(Posted { fields, files });
        }
        if request.media_type() != "application/x-www-form-urlencoded" {
            return None;
        }
        let body = std::str::from_utf8(&request.body).ok()?;
        Some(Posted { fields: form_urlencoded_pairs(body), files: Vec::new() })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The named fields as the JSON object a command parses: empty fields
    /// are left out (an empty optional field is an absent one), `numbers`
    /// become numbers when they read as one.
    pub fn object(&self, names: &[&str], numbers: &[&str]) -> Map<String, Value> {
        let mut object = Map::new();
        for name in names {
            let Some(value) = self.get(name).filter(|v| !v.trim().is_empty()) else { continue };
            let value = match value.trim().parse::<u64>() {
                Ok(n) if numbers.contains(name) => Value::from(n),
                _ => Value::from(value),
            };
            object.insert(name.to_string(), value);
        }
        object
    }
}

/// The identity cookie for a citizen token.
pub fn citizen_cookie(token: &str) -> String {
    format!("{CITIZEN_COOKIE}={token}; Path=/; Max-Age=31536000; HttpOnly; Secure; SameSite=Lax")
}

/// The reporter cookie for one report's pages (as the report form sets it).
pub fn reporter_cookie(tracking_id: &str, token: &str) -> String {
    format!("{REPORTER_COOKIE}={token}; Path=/lapor/{tracking_id}; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict")
}

/// 303 to `location` (a path of this site), with a cookie to set (Spin's
/// response headers hold one value per name: one cookie per answer).
pub fn see_other(location: &str, cookie: Option<&str>) -> Response {
    let mut builder = Response::builder();
    builder.status(303).header("location", location).header("cache-control", "no-store");
    if let Some(cookie) = cookie {
        builder.header("set-cookie", cookie);
    }
    builder.body(Vec::new()).build()
}
