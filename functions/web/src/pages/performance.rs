//! `/kinerja`: the public league table of agencies, live; `/instansi/{code}`:
//! one agency's public figures and trend. Both read the rollups through
//! `lapor_platform::stats::read`, as the JSON API does (the same rule of
//! ranking, `lapor_domain::stats::rank`, and of what public figures count,
//! `lapor_domain::stats::Audience`).

use lapor_domain::agency::{AgencyType, TimeZone};
use lapor_domain::stats::{Audience, Dimension, LeagueRow, MIN_RESPONSES_TO_RANK};
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::stats::read;
use lapor_platform::{clock, store};
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::figures::{days, headline, key_table, on_time_by_month, percent, rating, received_vs_completed};
use crate::layout::{document, Ctx, Section, Typed};
use crate::page_response;

fn type_name(ctx: &Ctx, t: AgencyType) -> &'static str {
    match t {
        AgencyType::Kementerian => ctx.t("Kementerian", "Ministries"),
        AgencyType::Lembaga => ctx.t("Lembaga", "Agencies"),
        AgencyType::Pemprov => ctx.t("Pemerintah provinsi", "Provinces"),
        AgencyType::Pemkab => ctx.t("Pemerintah kabupaten", "Regencies"),
        AgencyType::Pemkot => ctx.t("Pemerintah kota", "Cities"),
        AgencyType::Bumn => ctx.t("BUMN", "State-owned enterprises"),
    }
}

fn cached(mut response: Response) -> Response {
    if response.status() == &200 {
        response.set_header("cache-control", "public, max-age=60");
        response.set_header("vary", "accept-language");
    }
    response
}

pub fn league_page(ctx: &Ctx, request: &ApiRequest) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let provinces = read::provinces(&db)?;
    let (status, filters, errors) = match read::league_filters(request) {
        Ok(filters) => (200, filters, Vec::new()),
        Err(ApiError::Problem(problem, _)) => (problem.status, (None, None), problem.errors.iter().map(|e| e.message.clone()).collect()),
        Err(ApiError::Internal(e)) => return Err(e),
    };
    let (range, ranked) = read::league(&db, clock::today_in(TimeZone::Wib), filters.0, filters.1.as_deref())?;
    let heading = ctx.t("Kinerja instansi", "Agency performance");
    let content = html! {
        h1 { (heading) }
        p { (ctx.t(
            "Peringkat langsung dari data laporan: setiap instansi diurutkan menurut persentase tanggapan yang diberikan sebelum tenggat 5 hari kerja, dalam 90 hari terakhir.",
            "Live from the reports themselves: every agency ranked by the share of answers given before the 5-working-day deadline, over the last 90 days.",
        )) }
        p.muted { (ctx.t("Periode", "Period")) ": " (range.from) " – " (range.to) ". "
            (ctx.t("Instansi diberi peringkat setelah menanggapi paling sedikit", "An agency is ranked once it has answered at least"))
            " " (MIN_RESPONSES_TO_RANK) " "
            (ctx.t("laporan bertenggat; seri diurutkan menurut jumlah tanggapan, lalu median hari kerja.", "reports with a deadline; ties go to more answers, then fewer median working days."))
            " " (ctx.t("Laporan rahasia tidak dihitung di angka publik instansi.", "Confidential reports are not counted in agencies' public figures."))
        }
        @if !errors.is_empty() { div.errors role="alert" { ul { @for e in &errors { li { (e) } } } } }
        form.filters method="get" action="/kinerja" {
            @if ctx.lang_in_address { input type="hidden" name="lang" value=(ctx.lang.tag()); }
            div {
                label for="type" { (ctx.t("Jenis instansi", "Type of agency")) }
                select #type name="type" {
                    option value="" { (ctx.t("Semua", "All")) }
                    @for t in AgencyType::ALL {
                        option value=(t.as_str()) selected[filters.0 == Some(t)] { (type_name(ctx, t)) }
                    }
                }
            }
            div {
                label for="province" { (ctx.t("Provinsi", "Province")) }
                select #province name="province" {
                    option value="" { (ctx.t("Semua", "All")) }
                    @for (code, name) in &provinces {
                        option value=(code) selected[filters.1.as_deref() == Some(code.as_str())] { (Typed(name)) }
                    }
                }
            }
            button type="submit" { (ctx.t("Tampilkan", "Show")) }
        }
        @if ranked.ranked.is_empty() {
            p { (ctx.t("Belum ada instansi yang memenuhi jumlah minimum tanggapan.", "No agency has reached the minimum number of answers yet.")) }
        } @else {
            (league_table(ctx, ctx.t("Peringkat", "Ranking"), ranked.ranked.iter().map(|(i, r)| (Some(*i), r))))
        }
        @if !ranked.unranked.is_empty() {
            h2 { (ctx.t("Belum diberi peringkat", "Not ranked yet")) }
            p.muted { (ctx.t("Instansi dengan laporan, tetapi tanggapan bertenggatnya belum cukup.", "Agencies with reports but too few answers to a deadline yet.")) }
            (league_table(ctx, ctx.t("Belum diberi peringkat", "Not ranked yet"), ranked.unranked.iter().map(|r| (None, r))))
        }
        p {
            (ctx.t("Data terbuka", "Open data")) ": "
            a href="/api/v1/stats/league" { "JSON" } " · "
            a href="/api/v1/stats/export.csv?dimension=agency&group=month" { (ctx.t("CSV per instansi per bulan", "CSV per agency per month")) }
        }
    };
    Ok(cached(page_response(ctx, status, document(ctx, heading, Section::Performance, content))))
}

fn league_table<'a>(ctx: &Ctx, caption: &str, rows: impl Iterator<Item = (Option<usize>, &'a LeagueRow)>) -> Markup {
    html! {
        div.scroll {
            table.stats.league {
                caption { (caption) }
                thead {
                    tr {
                        th scope="col" { "#" }
                        th scope="col" { (ctx.t("Instansi", "Agency")) }
                        th scope="col" { (ctx.t("Tepat waktu", "On time")) }
                        th scope="col" { (ctx.t("Tanggapan", "Answers")) }
                        th scope="col" { (ctx.t("Median hari kerja", "Median working days")) }
                        th scope="col" { (ctx.t("Selesai", "Completed")) }
                        th scope="col" { (ctx.t("Penilaian", "Rating")) }
                    }
                }
                tbody {
                    @for (position, row) in rows {
                        tr {
                            td { @if let Some(p) = position { (p) } @else { "–" } }
                            th scope="row" { a href=(ctx.href(&format!("/instansi/{}", row.agency))) { (Typed(&row.name)) } }
                            td { (percent(ctx, row.figures.on_time_rate)) }
                            td { (row.figures.responses()) }
                            td { (days(row.figures.response_days_median)) }
                            td { (percent(ctx, row.figures.completion_rate)) }
                            td { (rating(ctx, &row.figures)) }
                        }
                    }
                }
            }
        }
    }
}

pub fn agency_page(ctx: &Ctx, code: &str) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let Some(agency) = store::find_agency(&db, code)? else {
        return Ok(crate::message_page(ctx, 404, ctx.t("Instansi tidak ditemukan", "Agency not found"), ctx.t("Periksa kode instansi.", "Check the agency's code.")));
    };
    let today = clock::today_in(TimeZone::from_stored(&agency.timezone).unwrap_or(TimeZone::Wib));
    let (weeks, months) = read::trends(&db, Dimension::Agency, &agency.code, today, Audience::Public, ctx.lang)?;
    let units = weeks.breakdown.as_ref().map(|b| b.items.as_slice()).unwrap_or_default();
    let content = html! {
        p.muted { a href=(ctx.href("/kinerja")) { (ctx.t("← Kinerja semua instansi", "← Every agency's performance")) } }
        h1 { (Typed(&agency.name)) }
        p { (ctx.t("Angka 90 hari terakhir", "The last 90 days")) " (" (weeks.from) " – " (weeks.to) ")." }
        (headline(ctx, Dimension::Agency, &weeks.totals, weeks.overdue_now))
        (received_vs_completed(ctx, "masuk-selesai", &weeks))
        (on_time_by_month(ctx, "tepat-waktu", &months))
        (key_table(ctx, ctx.t("Unit kerja", "Work units"), ctx.t("Unit kerja", "Work unit"), Dimension::Unit, units, None))
        p.muted { (ctx.t(
            "Untuk melindungi pelapor, laporan rahasia tidak dihitung dalam angka publik instansi; laporan rahasia dihitung dalam angka nasional dan di dasbor staf.",
            "To protect reporters, confidential reports are not counted in an agency's public figures; they count in the national figures and on the staff dashboard.",
        )) }
        p {
            (ctx.t("Data terbuka", "Open data")) ": "
            a href=(format!("/api/v1/stats/agencies/{}", agency.code)) { "JSON" } " · "
            a href=(format!("/api/v1/stats/export.csv?dimension=agency&key={}&group=week", agency.code)) { "CSV" }
        }
    };
    Ok(cached(page_response(ctx, 200, document(ctx, &agency.name, Section::Performance, content))))
}
