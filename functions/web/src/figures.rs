//! What the performance pages share (`/kinerja`, `/instansi/...`, the
//! dashboard, the weekly summary): figures as tables, trends as charts
//! (`lapor_charts`: SVG drawn here, numbers in a table beside each).

use chrono::{Datelike, NaiveDate};
use lapor_charts::{bar_chart, line_chart, Chart, Labels, NumberFormat, Series, Unit};
use lapor_domain::lang::Lang;
use lapor_domain::stats::{Dimension, Figures, GroupStats, KeyFigures, Measure};
use maud::{html, Markup};

use crate::layout::{Ctx, Typed};

pub fn labels(ctx: &Ctx) -> Labels<'static> {
    Labels {
        no_data: ctx.lang.pick("Belum ada data untuk periode ini.", "No data for this period yet."),
        show_numbers: Some(ctx.lang.pick("Lihat angka", "Show the numbers")),
        from: ctx.lang.pick("dari", "from"),
        to: ctx.lang.pick("ke", "to"),
        numbers: numbers(ctx.lang),
    }
}

fn numbers(lang: Lang) -> NumberFormat {
    match lang {
        Lang::Id => NumberFormat::INDONESIAN,
        Lang::En => NumberFormat::ENGLISH,
    }
}

/// A share (0..1) as a whole percent, or a dash.
pub fn percent(ctx: &Ctx, share: Option<f64>) -> String {
    share.map(|s| numbers(ctx.lang).format((s * 100.0).round(), Unit::Percent)).unwrap_or_else(|| lapor_charts::NO_VALUE.to_string())
}

/// Working days, or a dash; the histogram's last bucket reads "60+".
pub fn days(days: Option<u32>) -> String {
    match days {
        Some(d) if d >= lapor_domain::stats::RESPONSE_DAYS_CAP => format!("{d}+"),
        Some(d) => d.to_string(),
        None => lapor_charts::NO_VALUE.to_string(),
    }
}

pub fn rating(ctx: &Ctx, figures: &Figures) -> String {
    match figures.rating_average {
        Some(avg) => format!("{} / 5 ({})", numbers(ctx.lang).format(avg, Unit::Count), figures.rating_count),
        None => lapor_charts::NO_VALUE.to_string(),
    }
}

/// The headline figures of a group as a definition list.
pub fn headline(ctx: &Ctx, dimension: Dimension, figures: &Figures, overdue_now: i64) -> Markup {
    html! {
        dl.kpis {
            @if dimension.incoming() == Measure::Received {
                div { dt { (ctx.t("Laporan diterima", "Reports received")) } dd { (figures.received) } }
                div { dt { (ctx.t("Diteruskan ke instansi", "Sent to an agency")) } dd { (figures.dispatched) } }
            } @else {
                div { dt { (ctx.t("Laporan masuk ke instansi", "Reports sent to the agency")) } dd { (figures.dispatched) } }
                div { dt { (ctx.t("Dialihkan ke instansi lain", "Forwarded to another agency")) } dd { (figures.forwarded_out) } }
            }
            div { dt { (ctx.t("Ditanggapi tepat waktu", "Answered on time")) } dd { (percent(ctx, figures.on_time_rate)) " (" (figures.responded_on_time) "/" (figures.responses()) ")" } }
            div { dt { (ctx.t("Median hari kerja menanggapi", "Median working days to answer")) } dd { (days(figures.response_days_median)) } }
            div { dt { (ctx.t("90% ditanggapi dalam (hari kerja)", "90% answered within (working days)")) } dd { (days(figures.response_days_p90)) } }
            div { dt { (ctx.t("Tingkat penyelesaian", "Completion rate")) } dd { (percent(ctx, figures.completion_rate)) } }
            div { dt { (ctx.t("Penilaian pelapor", "Reporters' rating")) } dd { (rating(ctx, figures)) } }
            div { dt { (ctx.t("Melewati tenggat, belum ditanggapi", "Past the deadline, not yet answered")) } dd { (overdue_now) } }
        }
    }
}

/// A period's label on a chart's axis: "7 Des" (a week's Monday) or "Des 26".
fn period_label(lang: Lang, start: NaiveDate, monthly: bool) -> String {
    const ID: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = lang.pick(ID[start.month0() as usize], EN[start.month0() as usize]);
    if monthly {
        format!("{month} {:02}", start.year() % 100)
    } else {
        format!("{} {month}", start.day())
    }
}

/// Received against completed, per period of `stats` (weeks).
pub fn received_vs_completed(ctx: &Ctx, id: &str, stats: &GroupStats) -> Markup {
    let dimension = Dimension::from_stored(&stats.dimension).unwrap_or(Dimension::National);
    let x_labels = stats.periods.iter().map(|p| period_label(ctx.lang, p.start, false)).collect();
    let received: Vec<_> = stats.periods.iter().map(|p| Some(p.figures.incoming(dimension) as f64)).collect();
    let completed: Vec<_> = stats.periods.iter().map(|p| Some(p.figures.completed() as f64)).collect();
    let chart = Chart {
        id: id.to_string(),
        title: ctx.t("Laporan masuk dan selesai per minggu", "Reports in and completed per week").to_string(),
        description: ctx
            .t(
                "Garis pertama: laporan yang masuk (diterima atau diteruskan ke instansi). Garis kedua: laporan yang selesai.",
                "First line: reports coming in (received or sent to the agency). Second line: reports completed.",
            )
            .to_string(),
        period: ctx.t("Minggu mulai", "Week of").to_string(),
        x_labels,
        series: vec![
            Series { name: ctx.t("Masuk", "In").to_string(), points: received },
            Series { name: ctx.t("Selesai", "Completed").to_string(), points: completed },
        ],
        unit: Unit::Count,
    };
    line_chart(&chart, &labels(ctx))
}

/// The on-time rate per period of `stats` (months); no bar where nothing was answered.
pub fn on_time_by_month(ctx: &Ctx, id: &str, stats: &GroupStats) -> Markup {
    let chart = Chart {
        id: id.to_string(),
        title: ctx.t("Ditanggapi tepat waktu per bulan", "Answered on time per month").to_string(),
        description: ctx
            .t(
                "Persentase tanggapan yang diberikan sebelum tenggat 5 hari kerja, per bulan.",
                "Share of answers given before the 5-working-day deadline, per month.",
            )
            .to_string(),
        period: ctx.t("Bulan", "Month").to_string(),
        x_labels: stats.periods.iter().map(|p| period_label(ctx.lang, p.start, true)).collect(),
        series: vec![Series {
            name: ctx.t("Tepat waktu", "On time").to_string(),
            points: stats.periods.iter().map(|p| p.figures.on_time_rate.map(|r| (r * 100.0).round())).collect(),
        }],
        unit: Unit::Percent,
    };
    bar_chart(&chart, &labels(ctx))
}

/// A table of keys (units, categories, regions) with their figures.
pub fn key_table(ctx: &Ctx, caption: &str, key_header: &str, dimension: Dimension, items: &[KeyFigures], link: Option<&dyn Fn(&str) -> String>) -> Markup {
    html! {
        @if items.is_empty() {
            p.muted { (caption) ": " (ctx.t("belum ada data.", "no data yet.")) }
        } @else {
            div.scroll {
                table.stats {
                    caption { (caption) }
                    thead {
                        tr {
                            th scope="col" { (key_header) }
                            th scope="col" { (ctx.t("Masuk", "In")) }
                            th scope="col" { (ctx.t("Tepat waktu", "On time")) }
                            th scope="col" { (ctx.t("Median hari", "Median days")) }
                            th scope="col" { (ctx.t("Lewat tenggat", "Overdue")) }
                            th scope="col" { (ctx.t("Selesai", "Completed")) }
                        }
                    }
                    tbody {
                        @for item in items {
                            tr {
                                th scope="row" {
                                    @if let Some(link) = link { a href=(ctx.href(&link(&item.key))) { (Typed(&item.name)) } }
                                    @else { (Typed(&item.name)) }
                                }
                                td { (item.figures.incoming(dimension)) }
                                td { (percent(ctx, item.figures.on_time_rate)) }
                                td { (days(item.figures.response_days_median)) }
                                td { (item.overdue_now) }
                                td { (percent(ctx, item.figures.completion_rate)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
