//! `GET /lapor/{id}`: the tracking page, and `GET /lapor`: the lookup form
//! that leads to it.
//!
//! The reporter token arrives only as the cookie set when the report was
//! filed from the form; with it the reporter sees a confidential report and
//! the token itself.

use lapor_domain::lifecycle::Status;
use lapor_domain::privacy::Viewer;
use lapor_domain::token::token_matches;
use lapor_domain::tracking_id::{TrackingId, TrackingIdError};
use lapor_domain::view::{report_view, CommentView, ReportView};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::store;
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::layout::{document, Ctx, Section, Typed};
use crate::{message_page, page_response};

/// Comments shown on the page itself.
const COMMENTS_SHOWN: u32 = 50;

pub fn tracking_page(ctx: &Ctx, request: &ApiRequest, raw_id: &str) -> anyhow::Result<Response> {
    let decoded = percent_encoding::percent_decode_str(raw_id).decode_utf8_lossy();
    let id = match TrackingId::parse(&decoded) {
        Ok(id) => id,
        Err(TrackingIdError::ProbableTypo) => {
            return Ok(message_page(ctx, 400, ctx.t("Salah ketik?", "A typo?"), ctx.t(
                "Nomor pelacakan ini tidak valid: kemungkinan ada satu huruf atau angka yang salah ketik. Periksa kembali.",
                "This tracking ID is not valid: one letter or digit is probably mistyped. Please check it.",
            )))
        }
        Err(TrackingIdError::Malformed) => {
            return Ok(message_page(ctx, 400, ctx.t("Bukan nomor pelacakan", "Not a tracking ID"), ctx.t(
                "Nomor pelacakan terdiri dari 10 huruf dan angka, misalnya 7K3QD-M2X9C.",
                "Tracking IDs have 10 letters and digits, such as 7K3QD-M2X9C.",
            )))
        }
    };
    let not_found = || message_page(ctx, 404, ctx.t("Laporan tidak ditemukan", "Report not found"), ctx.t(
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
    let mut response = page_response(ctx, 200, page.render(ctx));
    response.set_header("vary", "cookie, accept-language");
    if viewer == Viewer::Public {
        response.set_header("cache-control", "public, no-cache");
    }
    Ok(response)
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
    fn render(&self, ctx: &Ctx) -> Markup {
        let view = self.view;
        let awaiting_verification = view.verified_at.is_none() && matches!(view.status, Status::Submitted | Status::OnHold);
        let title = format!("{} {}", ctx.t("Laporan", "Report"), view.tracking_id);
        document(ctx, &title, Section::Track, html! {
            p.id { (ctx.t("Nomor pelacakan", "Tracking ID")) " " strong { (view.tracking_id) } }
            h1 { (Typed(&view.title)) }
            p.status { (view.status.label(ctx.lang)) }
            p.privacy { (view.privacy.label(ctx.lang)) }
            @if awaiting_verification {
                p.unverified role="status" {
                    strong { (ctx.t("Menunggu verifikasi.", "Awaiting verification.")) }
                    " "
                    (ctx.t(
                        "Laporan ini belum tampil di daftar dan pencarian publik sampai admin memeriksanya. Halaman ini tetap dapat dibuka dengan nomor pelacakan.",
                        "This report is not in the public list or search until an administrator has checked it. This page still opens with the tracking ID.",
                    ))
                }
            }
            @if let Some(token) = self.token {
                div.token {
                    p { (ctx.t(
                        "Simpan kode rahasia ini: dengan kode ini hanya Anda yang dapat membaca laporan rahasia Anda dan menanggapinya.",
                        "Keep this secret code: with it, only you can read your confidential report and reply to it.",
                    )) }
                    code { (Typed(token)) }
                }
            }
            p.body { (Typed(&view.body)) }
            h2 { (ctx.t("Riwayat", "History")) }
            ol {
                @for event in &view.timeline {
                    li {
                        time { (event.at) } " " (event.event_type.label(ctx.lang))
                        @if let Some(text) = &event.text { ": " (Typed(text)) }
                    }
                }
            }
            p.supports { (self.supports) " " (ctx.t("warga mendukung laporan ini", "people support this report")) }
            @if !self.comments.is_empty() {
                h2 { (ctx.t("Komentar", "Comments")) }
                ol.comments {
                    // Comments are what strangers typed: every byte is escaped.
                    @for comment in self.comments {
                        li {
                            b { (Typed(comment.display_name.as_deref().unwrap_or(ctx.t("Warga", "Citizen")))) }
                            " " time { (comment.created_at) }
                            p.body { (Typed(&comment.body)) }
                        }
                    }
                }
            }
            p { a href=(ctx.href("/lapor")) { (ctx.t("Lacak laporan lain", "Track another report")) } }
        })
    }
}

/// The tracking-ID form (on `/lapor` and on the home page): a GET to
/// `/lapor`, which redirects to the report's page.
pub fn lookup_form(ctx: &Ctx, field_id: &str) -> Markup {
    html! {
        form.lookup method="get" action="/lapor" role="search" {
            div {
                label for=(field_id) { (ctx.t("Nomor pelacakan", "Tracking ID")) }
                input #(field_id) type="text" name="id" required autocomplete="off" autocapitalize="characters"
                    spellcheck="false" placeholder="7K3QD-M2X9C" aria-describedby=(format!("{field_id}-hint"));
            }
            @if ctx.lang_in_address {
                input type="hidden" name="lang" value=(ctx.lang.tag());
            }
            button type="submit" { (ctx.t("Lacak", "Track")) }
        }
        p.muted #(format!("{field_id}-hint")) { (ctx.t(
            "10 huruf dan angka, tertera saat laporan dikirim.",
            "10 letters and digits, shown when the report was sent.",
        )) }
    }
}

/// `GET /lapor` without `?id=`.
pub fn lookup_page(ctx: &Ctx) -> Response {
    let heading = ctx.t("Lacak laporan", "Track a report");
    let content = html! {
        h1 { (heading) }
        (lookup_form(ctx, "lookup-id"))
    };
    page_response(ctx, 200, document(ctx, heading, Section::Track, content))
}
