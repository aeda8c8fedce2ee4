//! The executive dashboard (`/staf/dasbor`) and the weekly summaries
//! (`/staf/dasbor/ringkasan`). Every staff role opens it: agency staff see
//! their agency, administrators the nation (or one agency, `?instansi=`).
//! Figures are read as staff read them (confidential reports counted in
//! every split, `lapor_domain::stats::Audience`), from the rollups only:
//! a few reads of days x groups, plus the oldest missed deadlines through
//! their partial index.

use chrono::NaiveDate;
use lapor_domain::agency::TimeZone;
use lapor_domain::stats::{csv_header, csv_record, lagging, Audience, Dimension, Figures, Group, GroupStats, Range, Rising};
use lapor_domain::staff::Role;
use lapor_platform::auth::forbidden;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::stats::{read, weekly};
use lapor_platform::{clock, store};
use maud::{html, Markup};
use spin_sdk::http::Response;

use super::pages::{document, when, Screen};
use super::{page, Staff};
use crate::figures::{headline, key_table, on_time_by_month, percent, received_vs_completed};
use crate::layout::{Ctx, Typed};

/// Whose figures a dashboard shows: the nation (`None`) or an agency.
struct Scope {
    agency: Option<(String, String)>,
    /// The zone its days are counted in (the agency's; WIB for the nation).
    zone: TimeZone,
}

impl Scope {
    fn key(&self) -> &str {
        self.agency.as_ref().map(|(code, _)| code.as_str()).unwrap_or("")
    }

    fn dimension(&self) -> Dimension {
        if self.agency.is_some() {
            Dimension::Agency
        } else {
            Dimension::National
        }
    }

    fn query(&self) -> String {
        self.agency.as_ref().map(|(code, _)| format!("?instansi={code}")).unwrap_or_default()
    }
}

/// Agency staff: their agency (asking for another is 403); administrators:
/// the nation, or the agency named by `?instansi=`.
fn scope(db: &Db, request: &ApiRequest, staff: &Staff, ctx: &Ctx) -> Result<Scope, ApiError> {
    let asked = request.query("instansi").map(str::trim).filter(|c| !c.is_empty());
    let code = match (&staff.principal.agency, asked) {
        (Some(own), Some(asked)) if own != asked => return Err(forbidden(ctx.lang)),
        (Some(own), _) => Some(own.clone()),
        (None, asked) if staff.principal.role == Role::Admin => asked.map(str::to_string),
        (None, _) => return Err(forbidden(ctx.lang)),
    };
    match code {
        Some(code) => {
            let row = store::find_agency(db, &code)?.ok_or_else(|| ApiError::not_found(ctx.lang))?;
            let zone = TimeZone::from_stored(&row.timezone).unwrap_or(TimeZone::Wib);
            Ok(Scope { agency: Some((row.code, row.name)), zone })
        }
        None => Ok(Scope { agency: None, zone: TimeZone::Wib }),
    }
}

pub fn dashboard(ctx: &Ctx, request: &ApiRequest, staff: &Staff) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let scope = scope(&db, request, staff, ctx)?;
    let today = clock::today_in(scope.zone);
    let audience = Audience::Staff;
    let (weeks, months) = read::trends(&db, scope.dimension(), scope.key(), today, audience, ctx.lang)?;
    let overdue = read::oldest_overdue(&db, scope.agency.as_ref().map(|(c, _)| c.as_str()), 10)?;
    let (categories, regions, parts_heading, parts_dimension, parts, parts_link): (Vec<Rising>, Vec<Rising>, &str, Dimension, _, Option<&dyn Fn(&str) -> String>) = match &scope.agency {
        Some((code, _)) => {
            let prefix = format!("{code}/");
            let category_names = read::names_of(&db, Dimension::Category, ctx.lang)?;
            let region_names = read::names_of(&db, Dimension::Region, ctx.lang)?;
            (
                read::rising_this_month(&db, Dimension::AgencyCategory, &prefix, today, audience, &category_names)?,
                read::rising_this_month(&db, Dimension::AgencyRegion, &prefix, today, audience, &region_names)?,
                ctx.t("Unit kerja yang tertinggal", "Work units that lag"),
                Dimension::Unit,
                lagging(weeks.breakdown.as_ref().map(|b| b.items.as_slice()).unwrap_or_default(), 10),
                None,
            )
        }
        None => {
            let category_names = read::names_of(&db, Dimension::Category, ctx.lang)?;
            let region_names = read::names_of(&db, Dimension::Region, ctx.lang)?;
            (
                read::rising_this_month(&db, Dimension::Category, "", today, audience, &category_names)?,
                read::rising_this_month(&db, Dimension::Region, "", today, audience, &region_names)?,
                ctx.t("Instansi yang paling tertinggal", "Agencies that lag most"),
                Dimension::Agency,
                lagging(&read::agencies(&db, &Range { group: Group::Week, from: weeks.from, to: weeks.to }, audience)?, 15),
                Some(&agency_dashboard),
            )
        }
    };
    let title = match &scope.agency {
        Some((_, name)) => format!("{} · {}", ctx.t("Dasbor", "Dashboard"), name),
        None => ctx.t("Dasbor nasional", "National dashboard").to_string(),
    };
    let content = html! {
        h1 { (title) }
        p.muted {
            (ctx.t("90 hari terakhir", "The last 90 days")) " (" (weeks.from) " – " (weeks.to) "). "
            (ctx.t("Laporan rahasia dihitung di semua angka halaman ini.", "Confidential reports count in every figure on this page."))
        }
        @if scope.agency.is_some() && staff.principal.role == Role::Admin {
            p { a href=(ctx.href("/staf/dasbor")) { (ctx.t("← Dasbor nasional", "← National dashboard")) } }
        }
        h2 { (ctx.t("Terhadap tenggat", "Against the deadlines")) }
        (headline(ctx, scope.dimension(), &weeks.totals, weeks.overdue_now))
        (deadline_note(ctx, &weeks.totals))
        h2 { (ctx.t("Tren", "Trends")) }
        (received_vs_completed(ctx, "masuk-selesai", &weeks))
        (on_time_by_month(ctx, "tepat-waktu", &months))
        h2 #terlambat { (ctx.t("Laporan terlambat paling lama", "Oldest overdue reports")) }
        @if overdue.is_empty() {
            p { (ctx.t("Tidak ada laporan yang melewati tenggat tanggapan.", "No report is past its response deadline.")) }
        } @else {
            div.scroll {
                table.stats {
                    caption { (ctx.t("Melewati tenggat tanggapan, belum ditanggapi (terlama di atas)", "Past the response deadline, not yet answered (oldest first)")) }
                    thead { tr {
                        th scope="col" { (ctx.t("Laporan", "Report")) }
                        @if scope.agency.is_none() { th scope="col" { (ctx.t("Instansi", "Agency")) } }
                        th scope="col" { (ctx.t("Unit kerja", "Work unit")) }
                        th scope="col" { (ctx.t("Tenggat", "Deadline")) }
                    } }
                    tbody {
                        @for o in &overdue {
                            tr {
                                th scope="row" {
                                    a href=(ctx.href(&format!("/staf/kotak-masuk/{}", o.tracking_id))) { (o.tracking_id) }
                                    br; (Typed(&o.title))
                                }
                                @if scope.agency.is_none() { td { (Typed(&o.agency_name)) } }
                                td { (Typed(o.unit_name.as_deref().unwrap_or(ctx.t("Belum ditugaskan", "Not assigned yet")))) }
                                td { (when(ctx, &o.due, o.zone)) }
                            }
                        }
                    }
                }
            }
        }
        h2 { (parts_heading) }
        @if parts.is_empty() {
            p { (ctx.t("Tidak ada yang tertinggal: tidak ada tenggat terlewat dan tidak ada tanggapan terlambat.", "Nothing lags: no deadline missed and no late answer.")) }
        } @else {
            (key_table(ctx, parts_heading, ctx.t("Nama", "Name"), parts_dimension, &parts, parts_link))
        }
        h2 { (ctx.t("Naik bulan ini", "Rising this month")) }
        p.muted { (ctx.t("Bulan ini sampai hari ini, dibandingkan dengan hari yang sama bulan lalu.", "This month so far, against the same days of last month.")) }
        (rising_table(ctx, ctx.t("Kategori", "Categories"), &categories))
        (rising_table(ctx, ctx.t("Wilayah", "Regions"), &regions))
        h2 { (ctx.t("Ringkasan dan data", "Summaries and data")) }
        ul {
            li { a href=(ctx.href(&format!("/staf/dasbor/ringkasan{}", scope.query()))) { (ctx.t("Ringkasan mingguan (untuk dicetak)", "Weekly summaries (printable)")) } }
            li { a href=(export_link(&scope)) { (ctx.t("Unduh CSV per minggu", "Download the weekly CSV")) } }
        }
    };
    Ok(page(ctx, 200, document(ctx, Some(staff), &title, Screen::Dashboard, content)))
}

fn agency_dashboard(code: &str) -> String {
    format!("/staf/dasbor?instansi={code}")
}

fn export_link(scope: &Scope) -> String {
    match &scope.agency {
        Some((code, _)) => format!("/api/v1/stats/export.csv?dimension=agency&key={code}&group=week"),
        None => "/api/v1/stats/export.csv?dimension=national&group=week".to_string(),
    }
}

/// Why the figures are what they are, in a sentence: how many answers were
/// late and how many deadlines are missed now.
fn deadline_note(ctx: &Ctx, totals: &Figures) -> Markup {
    html! {
        p {
            (ctx.t("Dari", "Of")) " " (totals.responses()) " "
            (ctx.t("tanggapan bertenggat,", "answers to a deadline,")) " " (totals.responded_late) " "
            (ctx.t("terlambat", "were late")) " (" (percent(ctx, totals.on_time_rate)) " " (ctx.t("tepat waktu", "on time")) "). "
            a href="#terlambat" { (ctx.t("Lihat laporan yang terlambat", "See the overdue reports")) }
        }
    }
}

fn rising_table(ctx: &Ctx, caption: &str, rows: &[Rising]) -> Markup {
    html! {
        @if rows.is_empty() {
            p { (caption) ": " (ctx.t("tidak ada yang naik.", "nothing rose.")) }
        } @else {
            div.scroll {
                table.stats {
                    caption { (caption) }
                    thead { tr {
                        th scope="col" { (ctx.t("Nama", "Name")) }
                        th scope="col" { (ctx.t("Bulan ini", "This month")) }
                        th scope="col" { (ctx.t("Bulan lalu (hari yang sama)", "Last month (same days)")) }
                    } }
                    tbody {
                        @for r in rows {
                            tr { th scope="row" { (Typed(&r.name)) } td { (r.now) } td { (r.before) } }
                        }
                    }
                }
            }
        }
    }
}

/// `/staf/dasbor/ringkasan`: the stored weeks of the scope.
pub fn weekly_list(ctx: &Ctx, request: &ApiRequest, staff: &Staff) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let scope = scope(&db, request, staff, ctx)?;
    let weeks = weekly::weeks(&db, scope.key(), 52)?;
    let title = ctx.t("Ringkasan mingguan", "Weekly summaries");
    let content = html! {
        h1 { (title) @if let Some((_, name)) = &scope.agency { " · " (Typed(name)) } }
        p { (ctx.t(
            "Setiap Senin pukul 08.00 WIB ringkasan minggu sebelumnya disimpan, seperti laporan berkala kepada Presiden.",
            "Every Monday at 08:00 WIB the previous week's summary is stored, like the periodic reports to the President.",
        )) }
        @if weeks.is_empty() {
            p { (ctx.t("Belum ada ringkasan tersimpan.", "No summary has been stored yet.")) }
        } @else {
            ul {
                @for week in &weeks {
                    li { a href=(ctx.href(&format!("/staf/dasbor/ringkasan/{week}{}", scope.query()))) { (ctx.t("Minggu mulai", "Week of")) " " (week) } }
                }
            }
        }
    };
    Ok(page(ctx, 200, document(ctx, Some(staff), title, Screen::Dashboard, content)))
}

/// `/staf/dasbor/ringkasan/{week}`: one stored week, printable; `?format=csv`
/// is the CSV behind it.
pub fn weekly_summary(ctx: &Ctx, request: &ApiRequest, staff: &Staff, raw_week: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let scope = scope(&db, request, staff, ctx)?;
    let week = NaiveDate::parse_from_str(raw_week, "%Y-%m-%d").map_err(|_| ApiError::not_found(ctx.lang))?;
    let summary = weekly::find(&db, scope.key(), week)?.ok_or_else(|| ApiError::not_found(ctx.lang))?;
    if request.query("format") == Some("csv") {
        return csv(&summary);
    }
    let title = format!("{} {} – {}", ctx.t("Ringkasan minggu", "Summary of the week"), summary.from, summary.to);
    let content = html! {
        h1 { (title) }
        p { strong { (Typed(summary.name.as_deref().unwrap_or(""))) } }
        (headline(ctx, Dimension::from_stored(&summary.dimension).unwrap_or(Dimension::National), &summary.totals, summary.overdue_now))
        div.scroll {
            table.stats {
                caption { (ctx.t("Per hari", "Per day")) }
                thead { tr {
                    th scope="col" { (ctx.t("Tanggal", "Date")) }
                    th scope="col" { (ctx.t("Diterima", "Received")) }
                    th scope="col" { (ctx.t("Diteruskan", "Sent to an agency")) }
                    th scope="col" { (ctx.t("Tepat waktu", "On time")) }
                    th scope="col" { (ctx.t("Terlambat", "Late")) }
                    th scope="col" { (ctx.t("Selesai", "Completed")) }
                } }
                tbody {
                    @for p in &summary.periods {
                        tr {
                            th scope="row" { (p.start) }
                            td { (p.figures.received) } td { (p.figures.dispatched) }
                            td { (p.figures.responded_on_time) } td { (p.figures.responded_late) }
                            td { (p.figures.completed()) }
                        }
                    }
                }
            }
        }
        @if let Some(breakdown) = &summary.breakdown {
            (key_table(ctx, ctx.t("Unit kerja", "Work units"), ctx.t("Unit kerja", "Work unit"), Dimension::Unit, &breakdown.items, None))
        }
        p.no-print { a href=(format!("?format=csv{}", scope.query().replace('?', "&"))) { (ctx.t("Unduh CSV ringkasan ini", "Download this summary's CSV")) } }
    };
    Ok(page(ctx, 200, document(ctx, Some(staff), &title, Screen::Dashboard, content)))
}

/// A stored summary's days as CSV (the same columns as the API's export).
fn csv(summary: &GroupStats) -> Result<Response, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(csv_header()).map_err(anyhow::Error::from)?;
    for p in &summary.periods {
        out.write_record(csv_record(&summary.dimension, &summary.key, summary.name.as_deref().unwrap_or(""), p)).map_err(anyhow::Error::from)?;
    }
    let body = out.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    Ok(Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", format!("attachment; filename=\"lapor-ringkasan-{}.csv\"", summary.from))
        .header("cache-control", "private, no-store")
        .body(body)
        .build())
}
