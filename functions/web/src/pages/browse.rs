//! `GET /laporan`: browse and search public reports, with the API's filters
//! (`status`, `agency`, `category`, `region`, `q`) and its cursors, read by
//! the same `lapor_platform::listing` as `GET /api/v1/reports`: the same
//! rule of what is listed (public and verified), newest first. A bad filter
//! is the same 400, shown beside its field.

use lapor_domain::lifecycle::Status;
use lapor_domain::view::{ListItem, Page};
use lapor_domain::when;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::{listing, sla};
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::layout::{document, Ctx, Section, Typed};
use crate::page_response;

const FILTERS: [&str; 5] = ["q", "status", "agency", "category", "region"];

pub fn browse(ctx: &Ctx, request: &ApiRequest) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let (status, page, errors) = match listing::public_page(&db, request) {
        Ok(page) => (200, Some(page), Vec::new()),
        Err(ApiError::Problem(problem, _)) => {
            (problem.status, None, problem.errors.iter().map(|e| (e.field.clone(), e.message.clone())).collect())
        }
        Err(ApiError::Internal(e)) => return Err(e),
    };
    let mut items = Vec::new();
    for item in page.as_ref().map(|p| p.items.as_slice()).unwrap_or_default() {
        let zone = sla::zone_of(&db, item.agency.as_deref())?;
        items.push((item, when::rfc3339_in_words(&item.created_at, zone, ctx.lang).unwrap_or_default()));
    }
    let heading = ctx.t("Telusuri laporan", "Browse reports");
    let content = html! {
        h1 { (heading) }
        p.muted { (ctx.t(
            "Laporan publik yang sudah diverifikasi admin, terbaru lebih dulu. Laporan rahasia tidak pernah ditampilkan.",
            "Public reports verified by the administrators, newest first. Confidential reports are never listed.",
        )) }
        (filters(ctx, request, &errors))
        @if let Some(page) = &page {
            @if items.is_empty() {
                p { (ctx.t("Tidak ada laporan yang cocok.", "No reports match.")) }
            } @else {
                ol.reports {
                    @for (item, created) in &items {
                        (list_entry(ctx, item, created))
                    }
                }
            }
            (next_link(ctx, request, page))
        }
    };
    let mut response = page_response(ctx, status, document(ctx, heading, Section::Browse, content));
    if status == 200 {
        response.set_header("cache-control", "public, max-age=15");
        response.set_header("vary", "accept-language");
    }
    Ok(response)
}

fn list_entry(ctx: &Ctx, item: &ListItem, created: &str) -> Markup {
    html! {
        li.card {
            h2 { a href=(ctx.href(&format!("/lapor/{}", item.tracking_id))) { (Typed(&item.title)) } }
            p.status { (item.status.label(ctx.lang)) }
            p.excerpt { (Typed(&item.excerpt)) @if item.excerpt.chars().count() >= 200 { "…" } }
            p.muted {
                (item.tracking_id) " · " time datetime=(item.created_at) { (created) }
                @if let Some(agency) = &item.agency { " · " (agency) }
            }
        }
    }
}

fn filters(ctx: &Ctx, request: &ApiRequest, errors: &[(String, String)]) -> Markup {
    let value = |name: &str| request.query(name).unwrap_or("").to_string();
    let error = |name: &str| errors.iter().find(|(f, _)| f == name).map(|(_, m)| m.clone());
    let text = |name: &'static str, label: &str, hint: &str| {
        let id = format!("filter-{name}");
        let message = error(name);
        let described = message.as_ref().map(|_| format!("{id}-error"));
        html! {
            div.field {
                label for=(id) { (label) }
                @if let Some(message) = &message { p.field-error id=(format!("{id}-error")) { (message) } }
                input id=(id) type="text" name=(name) value=(value(name)) placeholder=(hint)
                    aria-invalid=[described.as_ref().map(|_| "true")] aria-describedby=[described.as_deref()];
            }
        }
    };
    let chosen = value("status");
    html! {
        @if !errors.is_empty() {
            div.alert role="alert" { p { (ctx.t("Periksa isian yang ditandai.", "Please check the marked fields.")) } }
        }
        form.filters method="get" action="/laporan" role="search" {
            (text("q", ctx.t("Kata kunci", "Words"), ctx.t("jalan rusak", "broken road")))
            div.field {
                label for="filter-status" { (ctx.t("Status", "Status")) }
                @if let Some(message) = error("status") { p.field-error { (message) } }
                select #filter-status name="status" {
                    option value="" { (ctx.t("Semua", "All")) }
                    @for status in Status::ALL {
                        option value=(status.as_str()) selected[chosen == status.as_str()] { (status.label(ctx.lang)) }
                    }
                }
            }
            (text("agency", ctx.t("Instansi (kode)", "Agency (code)"), "pemkot-32.73"))
            (text("category", ctx.t("Kategori (kode)", "Category (code)"), "infrastruktur-jalan"))
            (text("region", ctx.t("Wilayah (kode)", "Region (code)"), "32.73"))
            @if ctx.lang_in_address {
                input type="hidden" name="lang" value=(ctx.lang.tag());
            }
            button type="submit" { (ctx.t("Cari", "Search")) }
        }
    }
}

/// "Berikutnya / Next": the same filters, from the page's `next_cursor`.
fn next_link(ctx: &Ctx, request: &ApiRequest, page: &Page<ListItem>) -> Markup {
    let Some(cursor) = &page.next_cursor else { return html! {} };
    let mut query = form_urlencoded_query(request);
    query.append_pair("cursor", cursor);
    let href = ctx.href(&format!("/laporan?{}", query.finish()));
    html! {
        nav.pager aria-label=(ctx.t("Halaman", "Pages")) {
            a rel="next" href=(href) { (ctx.t("Berikutnya", "Next")) " →" }
        }
    }
}

fn form_urlencoded_query(request: &ApiRequest) -> form_urlencoded::Serializer<'static, String> {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for name in FILTERS.iter().chain(&["limit"]) {
        if let Some(value) = request.query(name).filter(|v| !v.trim().is_empty()) {
            query.append_pair(name, value);
        }
    }
    query
}
