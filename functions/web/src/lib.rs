//! The tracking page a citizen's browser shows, and the lookup form that
//! leads to it (routes: `lapor_domain::routes::WEB`; 404 and 405 are pages too).
//!
//! Plain server-rendered HTML, a few kilobytes, no script: it must load on a
//! cheap phone over a slow network. Every value is HTML-escaped. The reporter
//! token arrives only as the cookie set when the report was filed from the
//! form; with it the reporter sees a confidential report and the token itself.

use lapor_domain::lang::Lang;
use lapor_domain::privacy::Viewer;
use lapor_domain::routes::{Resolution, Web, WEB};
use lapor_domain::token::token_matches;
use lapor_domain::tracking_id::{TrackingId, TrackingIdError};
use lapor_domain::lifecycle::Status;
use lapor_domain::view::{report_view, CommentView, ReportView};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{escape_html, html};
use lapor_platform::store;
use maud::{html, Markup, PreEscaped, Render, DOCTYPE};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    let found = match lapor_platform::routes::resolve(&WEB, &incoming) {
        Resolution::Found(found) => found,
        Resolution::MethodNotAllowed { allow } => {
            let lang = lapor_platform::routes::request_lang(&incoming);
            let mut response = page(405, lang, "405", lang.pick("Metode tidak diizinkan.", "Method not allowed."));
            response.set_header("allow", allow.join(", "));
            return response;
        }
        Resolution::NotFound => {
            let lang = lapor_platform::routes::request_lang(&incoming);
            return page(404, lang, "404", lang.pick("Halaman tidak ditemukan.", "Page not found."));
        }
    };
    let request = match ApiRequest::read(incoming, 0).await {
        Ok(request) => request,
        Err((lang, _)) => return page(413, lang, "413", &lang.pick("Permintaan terlalu besar.", "Request too large.").to_string()),
    };
    let lang = request.lang;
    let raw_id = match found.route {
        Web::Tracking => found.param("id").to_string(),
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
            return if typed.is_empty() { lookup_form(lang) } else { redirect(&format!("/lapor/{typed}")) };
        }
    };
    match tracking_page(&request, &raw_id) {
        Ok(response) => response,
        Err(e) => {
            eprintln!("tracking page failed: {e:#}");
            page(500, lang, "500", lang.pick("Terjadi kesalahan. Silakan coba lagi.", "Something went wrong. Please try again."))
        }
    }
}

fn tracking_page(request: &ApiRequest, raw_id: &str) -> anyhow::Result<Response> {
    let lang = request.lang;
    let decoded = percent_encoding::percent_decode_str(raw_id).decode_utf8_lossy();
    let id = match TrackingId::parse(&decoded) {
        Ok(id) => id,
        Err(TrackingIdError::ProbableTypo) => {
            return Ok(page(400, lang, lang.pick("Salah ketik?", "A typo?"), lang.pick(
                "Nomor pelacakan ini tidak valid: kemungkinan ada satu huruf atau angka yang salah ketik. Periksa kembali.",
                "This tracking ID is not valid: one letter or digit is probably mistyped. Please check it.",
            )))
        }
        Err(TrackingIdError::Malformed) => {
            return Ok(page(400, lang, lang.pick("Bukan nomor pelacakan", "Not a tracking ID"), lang.pick(
                "Nomor pelacakan terdiri dari 10 huruf dan angka, misalnya 7K3QD-M2X9C.",
                "Tracking IDs have 10 letters and digits, such as 7K3QD-M2X9C.",
            )))
        }
    };
    let not_found = || page(404, lang, lang.pick("Laporan tidak ditemukan", "Report not found"), lang.pick(
        "Tidak ada laporan dengan nomor ini yang dapat Anda lihat.",
        "There is no report with this number that you can see.",
    ));
    let db = Db::open()?;
    let Some(report) = store::find_report(&db, &id.to_string())? else { return Ok(not_found()) };
    let token = request.cookie("lapor_token").filter(|t| token_matches(t, &report.reporter_token_hash));
    let viewer = if token.is_some() { Viewer::Reporter } else { Viewer::Public };
    let events = store::events(&db, report.id)?;
    let Some(view) = report_view(&report.record, &events, &viewer) else { return Ok(not_found()) };
    let (supports, _) = store::engagement_counts(&db, report.id)?;
    // The first comments, oldest first (the API pages through the rest).
    let comments: Vec<CommentView> = lapor_platform::engagement::visible_comments(&db, report.id, 0, COMMENTS_SHOWN)?
        .into_iter()
        .map(CommentView::from)
        .collect();
    let page = TrackingPage { view: &view, supports, comments: &comments, token };
    let mut response = html(200, page.render(lang).into_string(), lang);
    response.set_header("vary", "cookie, accept-language");
    if viewer == Viewer::Public {
        response.set_header("cache-control", "public, no-cache");
    }
    Ok(response)
}

/// Comments shown on the page itself.
const COMMENTS_SHOWN: u32 = 50;

/// Text someone typed. maud already escapes `& < > "`; this also escapes `'`
/// (as `&#39;`), so the text stays inert in any attribute quoting.
struct Typed<'a>(&'a str);

impl Render for Typed<'_> {
    fn render(&self) -> Markup {
        PreEscaped(escape_html(self.0))
    }
}

/// `GET /lapor/{id}`: what the typed view shows a citizen.
struct TrackingPage<'a> {
    view: &'a ReportView,
    supports: i64,
    comments: &'a [CommentView],
    /// The reporter's own token, shown back to them (from their cookie).
    token: Option<&'a str>,
}

impl TrackingPage<'_> {
    fn render(&self, lang: Lang) -> Markup {
        let view = self.view;
        let awaiting_verification = view.verified_at.is_none() && matches!(view.status, Status::Submitted | Status::OnHold);
        let title = format!("{} {}", lang.pick("Laporan", "Report"), view.tracking_id);
        document(lang, &title, html! {
            p.id { (lang.pick("Nomor pelacakan", "Tracking ID")) " " strong { (view.tracking_id) } }
            h1 { (Typed(&view.title)) }
            p.status { (view.status.label(lang)) }
            p.privacy { (view.privacy.label(lang)) }
            @if awaiting_verification {
                p.unverified role="status" {
                    strong { (lang.pick("Menunggu verifikasi.", "Awaiting verification.")) }
                    " "
                    (lang.pick(
                        "Laporan ini belum tampil di daftar dan pencarian publik sampai admin memeriksanya. Halaman ini tetap dapat dibuka dengan nomor pelacakan.",
                        "This report is not in the public list or search until an administrator has checked it. This page still opens with the tracking ID.",
                    ))
                }
            }
            @if let Some(token) = self.token {
                div.token {
                    p { (lang.pick(
                        "Simpan kode rahasia ini: dengan kode ini hanya Anda yang dapat membaca laporan rahasia Anda dan menanggapinya.",
                        "Keep this secret code: with it, only you can read your confidential report and reply to it.",
                    )) }
                    code { (Typed(token)) }
                }
            }
            p.body { (Typed(&view.body)) }
            h2 { (lang.pick("Riwayat", "History")) }
            ol {
                @for event in &view.timeline {
                    li {
                        time { (event.at) } " " (event.event_type)
                        @if let Some(text) = &event.text { ": " (Typed(text)) }
                    }
                }
            }
            p.supports { (self.supports) " " (lang.pick("warga mendukung laporan ini", "people support this report")) }
            @if !self.comments.is_empty() {
                h2 { (lang.pick("Komentar", "Comments")) }
                ol.comments {
                    // Comments are what strangers typed: every byte is escaped.
                    @for comment in self.comments {
                        li {
                            b { (Typed(comment.display_name.as_deref().unwrap_or(lang.pick("Warga", "Citizen")))) }
                            " " time { (comment.created_at) }
                            p.body { (Typed(&comment.body)) }
                        }
                    }
                }
            }
        })
    }
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:0 auto;padding:1em;color:#111}\
h1{font-size:1.4em}.status{font-weight:bold}.body{white-space:pre-wrap}.token{border:2px solid #b00;padding:.5em}\
code{word-break:break-all}input,button{font-size:1em;padding:.4em}";

/// The frame of every page: small, no script, readable on a cheap phone.
fn document(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) " · LAPOR" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main { (body) }
                p { a href="/lapor" { (lang.pick("Lacak laporan lain", "Track another report")) } }
            }
        }
    }
}

fn page(status: u16, lang: Lang, heading: &str, message: &str) -> Response {
    let body = html! { h1 { (heading) } p { (message) } };
    html(status, document(lang, heading, body).into_string(), lang)
}

fn lookup_form(lang: Lang) -> Response {
    let heading = lang.pick("Lacak laporan", "Track a report");
    let body = html! {
        h1 { (heading) }
        form method="get" action="/lapor" {
            label {
                (lang.pick("Nomor pelacakan", "Tracking ID")) " "
                input name="id" required autocomplete="off" placeholder="7K3QD-M2X9C";
            }
            " "
            button { (lang.pick("Lacak", "Track")) }
        }
    };
    html(200, document(lang, heading, body).into_string(), lang)
}

fn redirect(location: &str) -> Response {
    Response::builder().status(303).header("location", location).body(Vec::new()).build()
}
