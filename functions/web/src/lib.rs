//! The public pages (routes: `lapor_domain::routes::WEB`; 404 and 405 are
//! pages too): home, how the service works, privacy, the report form and
//! its confirmation, the lookup form, the tracking page with its forms
//! (`pages::actions`, `forms`), `/laporan`, agencies' embedded form; and the
//! staff console under `/staf` (`console`).
//!
//! Plain server-rendered HTML in one layout (`layout`), a few kilobytes, no
//! script needed (the form's `form.js` only enhances): it must load on a
//! cheap phone over a slow network, and every action is a form post. Every value is
//! HTML-escaped. Each page is a module of `pages`; every answer leaves
//! through `lapor_platform::compress::finish`, and every page carries the
//! security headers of `lapor_platform::headers` (via `response::html`).

mod console;
mod figures;
mod forms;
mod layout;
mod pages;

use lapor_domain::routes::{Found, Resolution, Web, WEB};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::html;
use layout::{document, Ctx, Section};
use maud::{html, Markup};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

/// The largest form body other than an upload (a comment is at most 2,000
/// characters).
const FORM_LIMIT: usize = 64 * 1024;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    let accept_encoding = lapor_platform::request::accept_encoding(&incoming);
    let response = answer(incoming).await;
    lapor_platform::compress::finish(response, accept_encoding.as_deref())
}

async fn answer(incoming: IncomingRequest) -> Response {
    let path_and_query = incoming.path_with_query().unwrap_or_default();
    let (path, query) = path_and_query.split_once('?').unwrap_or((&path_and_query, ""));
    let accept_language = incoming.headers().get(&"accept-language".to_string()).first().map(|v| String::from_utf8_lossy(v).into_owned());
    let ctx = Ctx::new(path, query, accept_language.as_deref());
    let found = match lapor_platform::routes::resolve(&WEB, &incoming) {
        Resolution::Found(found) => found,
        Resolution::MethodNotAllowed { allow } => {
            let mut response = message_page(&ctx, 405, "405", ctx.t("Metode tidak diizinkan.", "Method not allowed."));
            response.set_header("allow", allow.join(", "));
            return response;
        }
        Resolution::NotFound => return message_page(&ctx, 404, "404", ctx.t("Halaman tidak ditemukan.", "Page not found.")),
    };
    // Pages take no body; forms take a few kilobytes, an upload one file,
    // the report form five.
    let limit = match found.route {
        route if is_console(route) => console::BODY_LIMIT,
        Web::FileReport => pages::report_form::BODY_LIMIT,
        Web::FileEmbed => pages::embed::BODY_LIMIT,
        Web::Upload => lapor_domain::attachment::MAX_ATTACHMENT_BYTES + FORM_LIMIT,
        route if pages::actions::is_form(route) => FORM_LIMIT,
        _ => 0,
    };
    let mut request = match ApiRequest::read(incoming, limit).await {
        Ok(request) => request,
        Err((_, lapor_platform::request::ReadError::TooLarge { limit })) => {
            return message_page(&ctx, 413, ctx.t("Terlalu besar", "Too large"), &format!("{} {} MB.",
                ctx.t("Kiriman melebihi batas", "What was sent exceeds the limit of"), limit.div_ceil(1024 * 1024)))
        }
        Err(_) => return message_page(&ctx, 400, "400", ctx.t("Kiriman terputus. Silakan coba lagi.", "What was sent was cut off. Please try again.")),
    };
    // Messages in the page's language (`?lang=` wins over the header).
    request.lang = ctx.lang;
    if is_console(found.route) {
        return console::route(&ctx, &request, &found);
    }
    route(&ctx, &request, &found).unwrap_or_else(|e| {
        eprintln!("page failed: {e:#}");
        message_page(&ctx, 500, "500", ctx.t("Terjadi kesalahan. Silakan coba lagi.", "Something went wrong. Please try again."))
    })
}

/// The staff console's routes (`/staf/...`), answered by [`console`].
/// The console's routes are the table's routes under `/staf` (so a new
/// public page can never be taken for a staff screen, nor the reverse).
fn is_console(route: Web) -> bool {
    WEB.entries.iter().any(|entry| entry.route == route && (entry.path == "/staf" || entry.path.starts_with("/staf/")))
}

fn route(ctx: &Ctx, request: &ApiRequest, found: &Found<Web>) -> anyhow::Result<Response> {
    match found.route {
        Web::Home => pages::home::home(ctx),
        Web::HowItWorks => Ok(pages::guide::how_it_works(ctx)),
        Web::Privacy => Ok(pages::privacy::privacy(ctx)),
        Web::Tracking => pages::tracking::tracking_page(ctx, request, found.param("id")),
        Web::ReportForm => pages::report_form::form_page(ctx, request),
        Web::FileReport => pages::report_form::submit(ctx, request),
        Web::Embed => pages::embed::form_page(ctx, request, found.param("agency")),
        Web::FileEmbed => pages::embed::submit(ctx, request, found.param("agency")),
        Web::Browse => Ok(pages::browse::browse(ctx, request)?),
        Web::Performance => pages::performance::league_page(ctx, request),
        Web::Dashboard => Ok(redirect(&ctx.href("/staf/dasbor"))),
        Web::AgencyPerformance => pages::performance::agency_page(ctx, found.param("code")),
        route @ (Web::Support
        | Web::Comment
        | Web::Flag
        | Web::Follow
        | Web::Phone
        | Web::ClaimReporter
        | Web::Reply
        | Web::Rate
        | Web::Upload) => pages::actions::handle(ctx, request, route, found.param("id"), found.param("comment")),
        Web::Lookup => {
            // Tracking IDs are letters, digits and dashes; anything else a person
            // typed (spaces, dots) is dropped, which also keeps the redirect a
            // plain same-site path.
            let typed: String = request
                .query("id")
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            Ok(if typed.is_empty() { pages::tracking::lookup_page(ctx) } else { redirect(&ctx.href(&format!("/lapor/{typed}"))) })
        }
        _ => unreachable!("console routes are answered by console::route"),
    }
}

/// A rendered page as a response (with every page's headers).
pub(crate) fn page_response(ctx: &Ctx, status: u16, page: Markup) -> Response {
    html(status, page.into_string(), ctx.lang)
}

/// A page that only says something: errors, refusals.
pub(crate) fn message_page(ctx: &Ctx, status: u16, heading: &str, message: &str) -> Response {
    let content = html! {
        h1 { (heading) }
        p { (message) }
        p { a href=(ctx.href("/lapor")) { (ctx.t("Lacak laporan lain", "Track another report")) } }
        p { a href=(ctx.href("/")) { (ctx.t("Ke beranda", "To the home page")) } }
    };
    page_response(ctx, status, document(ctx, heading, Section::None, content))
}

fn redirect(location: &str) -> Response {
    Response::builder().status(303).header("location", location).body(Vec::new()).build()
}
