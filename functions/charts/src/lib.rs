//! Charts for the dashboard and the agency league table: server-rendered
//! SVG, each with its numbers in a real table beside it.
//!
//! **Why SVG on the server.** A page with a chart must work on a cheap
//! phone, under a CSP that runs no inline script and loads nothing from
//! another site, and stay within its weight budget. An inline `<svg>` built
//! here is a few kilobytes of markup, needs no chart library, no script and
//! no request, scales with `width="100%"` and a `viewBox` to any screen
//! (laid out for a 360 px phone), and prints. Colours, dashes and markers
//! are SVG presentation attributes (`fill`, `stroke`), which a CSP's
//! `style-src` does not block; the little page layout it needs is in
//! [`CHARTS_CSS`], which the web assets' `app.css` carries.
//!
//! **Accessibility.** Each chart is a `<figure>`: its `<figcaption>` is the
//! title; the `<svg role="img">` is named by its own `<title>` and `<desc>`
//! (`aria-labelledby`, ids from the caller's prefix); a legend (when there
//! are several series) tells series apart by dash pattern and marker shape,
//! not colour alone; all colours have at least 4.5:1 contrast with white.
//! Beside it is a `<table>` (caption, `th scope="col"` / `scope="row"`) with
//! every number plotted, `—` for a period without data: screen readers,
//! keyboard users and anyone whose browser shows no SVG read the same data.
//! The table may sit in a `<details>` ([`Labels::show_numbers`]) so the page
//! stays short; its `<summary>` is a keyboard stop. No data at all renders
//! the caller's message instead of an empty frame.
//!
//! **No language here.** The caller passes every word already translated
//! (titles, labels, series names, [`Labels`]) and the way numbers are written
//! ([`NumberFormat`]). Numbers are formatted by arithmetic, never a locale,
//! and coordinates are rounded to one decimal: the same data always gives
//! the same bytes. All text goes through maud, which escapes it.
//!
//! ```
//! use lapor_charts::{line_chart, Chart, Labels, NumberFormat, Series, Unit};
//!
//! let labels = Labels {
//!     no_data: "Belum ada data untuk periode ini.",
//!     show_numbers: Some("Lihat angka"),
//!     from: "dari",
//!     to: "ke",
//!     numbers: NumberFormat::INDONESIAN,
//! };
//! let chart = Chart {
//!     id: "mingguan".into(),
//!     title: "Laporan per minggu".into(),
//!     description: "Laporan diterima dan diselesaikan, 3 minggu terakhir.".into(),
//!     period: "Minggu".into(),
//!     x_labels: vec!["5 Jan".into(), "12 Jan".into(), "19 Jan".into()],
//!     series: vec![
//!         Series { name: "Diterima".into(), points: vec![Some(12.0), Some(15.0), None] },
//!         Series { name: "Selesai".into(), points: vec![Some(8.0), Some(11.0), Some(9.0)] },
//!     ],
//!     unit: Unit::Count,
//! };
//! let html = line_chart(&chart, &labels).into_string();
//! assert!(html.starts_with("<figure class=\"chart\" id=\"mingguan\">"));
//! ```

mod chart;
mod format;
mod scale;
mod spark;

pub use chart::{bar_chart, line_chart};
pub use format::NumberFormat;
pub use spark::sparkline;

/// What a table cell shows for a period without data.
pub const NO_VALUE: &str = "\u{2014}";

/// What the numbers count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of things (reports): whole-number axis steps.
    Count,
    /// A rate from 0 to 100, shown with `%`; the axis stops at 100.
    Percent,
}

/// One line (or one colour of bars): a value per period, `None` where there
/// is no data for it (a gap in the line, no bar, `—` in the table).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Option<f64>>,
}

/// A chart's data and its words, already translated.
///
/// Each series has a value per `x_labels` entry: missing ones count as no
/// data, extra ones are ignored; a value that is not finite is no data.
/// Negative values are drawn at zero (counts and rates are never negative).
/// Up to four series are told apart by dash and marker; more repeat them.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Prefix of the ids in the markup (the figure's own id, `{id}-t`,
    /// `{id}-d`, ...): unique on the page. Characters other than ASCII
    /// letters, digits, `-` and `_` become `-`.
    pub id: String,
    /// The figure's caption, the SVG's `<title>` and the table's caption.
    pub title: String,
    /// The SVG's `<desc>`: what the chart shows and, ideally, its point
    /// ("Laporan selesai naik dari 8 ke 11 per minggu").
    pub description: String,
    /// The header of the table's period column ("Minggu", "Bulan").
    pub period: String,
    /// One label per period, oldest first ("5 Jan", "Feb").
    pub x_labels: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
}

/// The words every chart of a page shares, and how numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels<'a> {
    /// Shown instead of a chart with no data ("Belum ada data.").
    pub no_data: &'a str,
    /// `Some("Lihat angka")` puts the table of numbers in a `<details>` with
    /// this summary; `None` shows the table open.
    pub show_numbers: Option<&'a str>,
    /// A sparkline's summary: "{label}: {from} 72% {to} 85%" ("dari" / "from").
    pub from: &'a str,
    /// "ke" / "to".
    pub to: &'a str,
    pub numbers: NumberFormat,
}

/// The page layout the charts' classes need; `functions/web-assets/static/app.css`
/// (which the staff console loads too, under `staff.css`) ends with it, and a
/// test keeps the two the same. No colours of the drawing: those are SVG
/// attributes.
pub const CHARTS_CSS: &str = "\
/* Charts (lapor-charts): SVG drawn on the server, numbers in a table beside each. */
.chart{margin:0 0 1.5rem}
.chart figcaption{font-weight:700;margin:0 0 .25rem}
.chart>svg{display:block;max-width:30rem;height:auto}
.chart-key{list-style:none;padding:0;margin:0 0 .25rem;display:flex;flex-wrap:wrap;gap:0 1rem;font-size:.92rem}
.chart-key svg{vertical-align:middle;margin-right:.3rem}
.chart-data summary{cursor:pointer;color:#0b4f9c;font-weight:600;padding:.4rem 0}
.chart-data table{margin-top:.25rem}
.chart td,.chart thead th+th{text-align:right;font-variant-numeric:tabular-nums}
.chart-empty{color:#4a4a4a;border-left:4px solid #c8c8c8;padding:.25rem .75rem}
.spark{vertical-align:middle}
";
