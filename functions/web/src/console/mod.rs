//! The staff console (`/staf/...`): server-rendered screens over the same
//! actions as the JSON API (`lapor_actions`), working without JavaScript.
//!
//! - Sign-in exchanges a staff token for a server-side session
//!   (`lapor_platform::sessions`, rules in `lapor_domain::session`): a cookie
//!   `HttpOnly; Secure; SameSite=Strict; Path=/staf`, idle and absolute
//!   expiry (Spin variables `staff_session_idle_seconds`,
//!   `staff_session_absolute_seconds`), and the token's own validity checked
//!   on every request.
//! - Every form post carries the session's CSRF token (and a browser's
//!   `Origin` / `Sec-Fetch-Site` must say this site) before anything is read;
//!   it is parsed into the API's command type (`fields::from_form`), applied
//!   by the API's own function, and answered 303 (post/redirect/get) with a
//!   one-time flash message kept in the session.
//! - A 409 (the report changed since the form was rendered: forms carry the
//!   version they were rendered with, as the API's `If-Match`) shows the
//!   current state and asks the officer to review it; 422 shows the form's
//!   errors; 403 / 404 are pages.
//! - Pages are `no-store` and `frame-ancestors 'none'` (`response::html`).

mod dashboard;
mod pages;
mod screens;

use chrono::{DateTime, Utc};
use lapor_domain::routes::{Found, Web};
use lapor_domain::session::{self, CsrfRefusal, Lifetime, SessionState};
use lapor_domain::staff::Principal;
use lapor_domain::token::hash_token;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::sessions::{self, SessionRow};
use lapor_platform::{auth, clock, random};
use maud::Markup;
use spin_sdk::http::Response;

use crate::layout::Ctx;

/// Form posts of the console are small.
pub const BODY_LIMIT: usize = 16 * 1024;

/// A signed-in member of staff, and the session they are using.
pub struct Staff {
    pub principal: Principal,
    pub session: SessionRow,
    /// The one-time message of this page (already cleared in the store).
    pub flash: Option<Flash>,
}

/// A one-time message: both languages, and optionally a secret shown once
/// (a new account's token).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    pub id: String,
    pub en: String,
    #[serde(default)]
    pub secret: Option<String>,
}

impl Flash {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Flash {
        Flash { id: id.into(), en: en.into(), secret: None }
    }
}

fn lifetime() -> Lifetime {
    let var = |name| spin_sdk::variables::get(name).ok();
    Lifetime::from_seconds(var("staff_session_idle_seconds").as_deref(), var("staff_session_absolute_seconds").as_deref())
}

/// Answers a console route.
pub fn route(ctx: &Ctx, request: &ApiRequest, found: &Found<Web>) -> Response {
    let now = clock::now();
    let answer = match found.route {
        Web::StaffSignInForm => Ok(pages::sign_in_page(ctx, 200, None, request.query("keluar").is_some())),
        Web::StaffSignIn => sign_in(ctx, request, now),
        route => match signed_in(request, now) {
            Ok(Some(staff)) => screens::route(ctx, request, found, route, &staff, now),
            Ok(None) => Ok(signed_out(ctx, request)),
            Err(e) => Err(e),
        },
    };
    answer.unwrap_or_else(|e| error_page(ctx, e))
}

/// The sign-in page again, 401, with the cookie cleared if one was sent.
fn signed_out(ctx: &Ctx, request: &ApiRequest) -> Response {
    let mut response = pages::sign_in_page(
        ctx,
        401,
        request.cookie(session::COOKIE).map(|_| ctx.t("Sesi Anda telah berakhir. Silakan masuk lagi.", "Your session has ended. Please sign in again.")),
        false,
    );
    if request.cookie(session::COOKIE).is_some() {
        response.set_header("set-cookie", session::set_cookie(None));
    }
    response
}

/// The session of the request's cookie, if it may be used now: not
/// expired (idle or absolute), not signed out, and opened with a token
/// that is still valid. A use restarts the idle clock.
fn signed_in(request: &ApiRequest, now: DateTime<Utc>) -> Result<Option<Staff>, ApiError> {
    let Some(cookie) = request.cookie(session::COOKIE).filter(|c| !c.is_empty()) else { return Ok(None) };
    let now_text = clock::timestamp(now);
    let db = Db::open()?;
    let Some(row) = sessions::find(&db, &hash_token(cookie))? else { return Ok(None) };
    let Some(times) = row.times() else { return Ok(None) };
    if times.state(now, &lifetime()) != SessionState::Active {
        return Ok(None);
    }
    let Some(principal) = auth::principal_of_token_hash(&db, &row.token_hash, &now_text)? else { return Ok(None) };
    if principal.id != row.staff_id {
        return Ok(None);
    }
    sessions::touch(&db, row.id, &now_text)?;
    let flash = match (&row.flash, request.method.as_str()) {
        (Some(raw), "GET") => {
            sessions::set_flash(&db, row.id, None)?;
            serde_json::from_str(raw).ok()
        }
        _ => None,
    };
    Ok(Some(Staff { principal, session: row, flash }))
}

/// `POST /staf/masuk {token}`: a valid staff token opens a session.
fn sign_in(ctx: &Ctx, request: &ApiRequest, now: DateTime<Utc>) -> Result<Response, ApiError> {
    if session::check_origin(request.header("origin"), request.header("sec-fetch-site"), request_host(request).as_deref()).is_err() {
        return Ok(refused_post(ctx, CsrfRefusal::CrossSite));
    }
    let form = form_pairs(request);
    let token = form.iter().find(|(k, _)| k == "token").map(|(_, v)| v.trim()).unwrap_or("");
    let now_text = clock::timestamp(now);
    let db = Db::open()?;
    let token_hash = hash_token(token);
    let principal = if token.is_empty() { None } else { auth::principal_of_token_hash(&db, &token_hash, &now_text)? };
    let Some(principal) = principal else {
        return Ok(pages::sign_in_page(
            ctx,
            401,
            Some(ctx.t(
                "Token tidak dikenal, kedaluwarsa, atau dicabut. Periksa lalu coba lagi.",
                "The token is unknown, expired or revoked. Check it and try again.",
            )),
            false,
        ));
    };
    let id = random::secret_token()?;
    let csrf = random::secret_token()?;
    let expires_at = clock::timestamp(lifetime().expires_at(now));
    sessions::create(
        &db,
        &sessions::NewSession {
            session_hash: &id.hash(),
            staff_id: &principal.id,
            token_hash: &token_hash,
            now: &now_text,
            expires_at: &expires_at,
            csrf_secret: csrf.as_str(),
        },
    )?;
    let mut response = redirect(&ctx.href("/staf"));
    response.set_header("set-cookie", session::set_cookie(Some(id.as_str())));
    Ok(response)
}

/// The pairs of a form body (`application/x-www-form-urlencoded`).
pub fn form_pairs(request: &ApiRequest) -> Vec<(String, String)> {
    lapor_platform::request::form_urlencoded_pairs(&String::from_utf8_lossy(&request.body))
}

/// Checks a signed-in form post (CSRF token of the session, same site).
pub fn check_post(staff: &Staff, request: &ApiRequest, form: &[(String, String)]) -> Result<(), CsrfRefusal> {
    let presented = form.iter().find(|(k, _)| k == session::CSRF_FIELD).map(|(_, v)| v.as_str());
    session::check_post(&staff.session.csrf_secret, presented, request.header("origin"), request.header("sec-fetch-site"), request_host(request).as_deref())
}

/// The host the request was sent to: its `Host` header, or the authority of
/// Spin's `spin-full-url` (wasi:http carries the host as the URL's
/// authority, not as a header).
fn request_host(request: &ApiRequest) -> Option<String> {
    if let Some(host) = request.header("host") {
        return Some(host.to_string());
    }
    let url = request.header("spin-full-url")?;
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?']).next()?.to_string())
}

/// This site's origin (`scheme://host`), as the snippet for agency
/// websites names it: from Spin's `spin-full-url`, else `https://` and the host.
pub fn site_origin(request: &ApiRequest) -> String {
    if let Some((scheme, rest)) = request.header("spin-full-url").and_then(|url| url.split_once("://")) {
        if let Some(authority) = rest.split(['/', '?']).next().filter(|a| !a.is_empty()) {
            return format!("{scheme}://{authority}");
        }
    }
    format!("https://{}", request_host(request).unwrap_or_else(|| "localhost".to_string()))
}

/// 403: a post without this session's token, or from another site.
pub fn refused_post(ctx: &Ctx, why: CsrfRefusal) -> Response {
    let message = match why {
        CsrfRefusal::Token => ctx.t(
            "Formulir ini kedaluwarsa atau tidak berasal dari sesi Anda. Tidak ada yang diubah. Muat ulang halaman lalu coba lagi.",
            "This form has expired or does not belong to your session. Nothing was changed. Reload the page and try again.",
        ),
        CsrfRefusal::CrossSite => ctx.t(
            "Formulir ini dikirim dari situs lain. Tidak ada yang diubah.",
            "This form was sent from another site. Nothing was changed.",
        ),
    };
    pages::message(ctx, None, 403, ctx.t("Ditolak", "Refused"), message)
}

/// A `303 See Other` to `location`.
pub fn redirect(location: &str) -> Response {
    Response::builder().status(303).header("location", location).header("cache-control", "no-store").body(Vec::new()).build()
}

/// Sets the next page's flash message and redirects there.
pub fn done(ctx: &Ctx, staff: &Staff, location: &str, flash: Flash) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let raw = serde_json::to_string(&flash).map_err(|e| anyhow::anyhow!("flash: {e}"))?;
    sessions::set_flash(&db, staff.session.id, Some(&raw))?;
    Ok(redirect(&ctx.href(location)))
}

/// A refused request as a page: its status and its message in the page's language.
pub fn error_page(ctx: &Ctx, error: ApiError) -> Response {
    match error {
        ApiError::Problem(problem, _) => {
            let heading = match problem.status {
                403 => ctx.t("Tidak diizinkan", "Not allowed"),
                404 => ctx.t("Tidak ditemukan", "Not found"),
                409 => ctx.t("Laporan telah berubah", "The report changed"),
                _ => ctx.t("Tidak dapat diproses", "Could not be done"),
            };
            let detail = problem.detail.clone();
            let errors: Vec<String> = problem.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
            pages::message_with(ctx, None, problem.status, heading, &detail, &errors)
        }
        ApiError::Internal(e) => {
            eprintln!("console failed: {e:#}");
            pages::message(ctx, None, 500, "500", ctx.t("Terjadi kesalahan di pihak kami. Silakan coba lagi.", "Something failed on our side. Please try again."))
        }
    }
}

/// A page of the console as a response (every page's security headers, no-store).
pub fn page(ctx: &Ctx, status: u16, markup: Markup) -> Response {
    crate::page_response(ctx, status, markup)
}
