//! `GET /`: what the service is, the way in ("Buat laporan"), the tracking-ID
//! lookup, the most recent public reports (the public listing's own query
//! and view, so the page shows exactly what `GET /api/v1/reports` would),
//! and the national figures of the last 90 days (the statistics' rollups,
//! as `GET /api/v1/stats/national` serves them).

use lapor_domain::stats::{Audience, Dimension, Group, GroupStats, Range, LEAGUE_DAYS};
use lapor_domain::view::{list_item, ListItem};
use lapor_platform::stats::read;
use lapor_platform::db::Db;
use lapor_platform::store::{self, ListFilter};
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::figures::percent;
use crate::layout::{document, Ctx, Section, Typed};
use crate::page_response;
use crate::pages::tracking::lookup_form;

/// Recent reports on the home page.
const RECENT: u32 = 5;

pub fn home(ctx: &Ctx) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let filter = ListFilter {
        // The same switch as the public listing: unverified reports are listed
        // only when an operator has chosen so.
        include_unverified: spin_sdk::variables::get("publish_unverified_reports").is_ok_and(|v| v.trim() == "true"),
        ..ListFilter::default()
    };
    let recent: Vec<ListItem> = store::list_public(&db, &filter, RECENT)?.iter().map(|(_, record)| list_item(record)).collect();
    let today = lapor_platform::clock::today_in(lapor_domain::agency::TimeZone::Wib);
    let range = Range::last_days(today, LEAGUE_DAYS, Group::Month);
    let national = read::group_stats(&db, Dimension::National, "", &range, Audience::Public, ctx.lang)?;
    let mut response = page_response(ctx, 200, render(ctx, &recent, &national));
    response.set_header("cache-control", "public, max-age=15");
    response.set_header("vary", "accept-language");
    Ok(response)
}

fn render(ctx: &Ctx, recent: &[ListItem], national: &GroupStats) -> Markup {
    let title = ctx.t("Sampaikan laporan Anda", "Make your report");
    document(ctx, title, Section::Home, html! {
        h1 { (title) }
        p.lead { (ctx.t(
            "LAPOR! meneruskan pengaduan, aspirasi, dan permintaan informasi Anda kepada instansi pemerintah yang berwenang, lalu mengawal tanggapannya dengan tenggat hari kerja yang jelas.",
            "LAPOR! takes your complaints, aspirations and requests for information to the government agency responsible, and follows up on its answer within clear working-day deadlines.",
        )) }
        p { a.button href=(ctx.href("/lapor/baru")) { (ctx.t("Buat laporan", "File a report")) } }
        p.muted { (ctx.t(
            "Anda dapat melapor secara anonim atau rahasia. ",
            "You may report anonymously or confidentially. ",
        )) a href=(ctx.href("/privasi")) { (ctx.t("Apa artinya?", "What does that mean?")) } }

        h2 #lacak { (ctx.t("Lacak laporan", "Track a report")) }
        (lookup_form(ctx, "home-lookup-id"))

        h2 { (ctx.t("Laporan terbaru", "Recent reports")) }
        @if recent.is_empty() {
            p.muted { (ctx.t("Belum ada laporan publik.", "No public reports yet.")) }
        } @else {
            ul.reports {
                @for item in recent {
                    li.card {
                        h3 { a href=(ctx.href(&format!("/lapor/{}", item.tracking_id))) { (Typed(&item.title)) } }
                        p.muted {
                            span.status { (item.status.label(ctx.lang)) }
                            " · " (item.tracking_id)
                            " · " time datetime=(item.created_at) { (item.created_at.get(..10).unwrap_or(&item.created_at)) }
                        }
                        p { (Typed(&item.excerpt)) }
                    }
                }
            }
        }

        h2 { (ctx.t("Angka nasional, 90 hari terakhir", "National figures, the last 90 days")) }
        dl.kpis {
            div { dt { (ctx.t("Laporan masuk", "Reports received")) } dd { (national.totals.received) } }
            div { dt { (ctx.t("Diteruskan ke instansi", "Dispatched to agencies")) } dd { (national.totals.dispatched) } }
            div { dt { (ctx.t("Ditanggapi tepat waktu", "Answered on time")) } dd { (percent(ctx, national.totals.on_time_rate)) } }
            div { dt { (ctx.t("Selesai", "Completed")) } dd { (national.totals.completed()) } }
        }
        p { a href=(ctx.href("/kinerja")) { (ctx.t("Kinerja setiap instansi", "Every agency's performance")) } }
        p { a href=(ctx.href("/cara-kerja")) { (ctx.t("Bagaimana laporan ditangani", "How reports are handled")) } }
    })
}
