//! The line and bar charts: a `<figure>` with the caption, the legend, the
//! SVG and the table of numbers (see the crate's documentation for why).
//!
//! The drawing is laid out in a 360 x 200 `viewBox` (a phone's width, so a
//! 12-unit font stays near 11 px there) and scales with the page. Text
//! widths are estimated from character counts, generously, to decide which
//! x labels fit.

use maud::{html, Markup};

use crate::format::coord;
use crate::scale::{label_step, labelled, ticks};
use crate::{Chart, Labels, Series, Unit, NO_VALUE};

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 200.0;
/// y of the highest tick.
const TOP: f64 = 8.0;
/// y of zero.
const BASE: f64 = 176.0;
/// Baseline of the x labels.
const LABEL_Y: f64 = 194.0;
/// Font size of the axis text, and the glyph advances expected at it: a
/// wide sans (DejaVu Sans, a phone's fallback) for most characters, more
/// for `%`, `M`, `W`, `m`, `w`.
const FONT: &str = "12";
const CHAR_WIDTH: f64 = 7.6;
const WIDE_CHAR_WIDTH: f64 = 11.5;
/// Least space between two x labels.
const LABEL_GAP: f64 = 8.0;

/// Text on the axes: #4a4a4a on white is 9:1.
const TEXT: &str = "#4a4a4a";
/// Gridlines are only a reading aid; the axis line is 4.5:1.
const GRID: &str = "#d6d6d6";
const AXIS: &str = "#767676";

/// How series are told apart without colour: dash pattern and marker shape
/// (lines), fill (bars). Every colour is at least 4.5:1 on white.
pub(crate) struct Style {
    pub(crate) colour: &'static str,
    dash: Option<&'static str>,
    /// A marker is a zero-length stroke; its cap gives its shape.
    cap: &'static str,
    bar: Bar,
}

#[derive(Clone, Copy, PartialEq)]
enum Bar {
    Solid,
    Outline,
    Hatched,
    DashedOutline,
}

pub(crate) const STYLES: [Style; 4] = [
    Style { colour: "#0b4f9c", dash: None, cap: "round", bar: Bar::Solid },
    Style { colour: "#a3141c", dash: Some("7 4"), cap: "square", bar: Bar::Outline },
    Style { colour: "#1b6e2a", dash: Some("2 3"), cap: "round", bar: Bar::Hatched },
    Style { colour: "#7a4f00", dash: Some("10 3 2 3"), cap: "square", bar: Bar::DashedOutline },
];

fn style(k: usize) -> &'static Style {
    &STYLES[k % STYLES.len()]
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Line,
    Bar,
}

/// A line per series (e.g. reports received and completed per week); `None`
/// breaks the line.
pub fn line_chart(chart: &Chart, labels: &Labels) -> Markup {
    figure(chart, labels, Kind::Line)
}

/// A bar per period (e.g. the on-time rate per month); bars side by side
/// when there are several series.
pub fn bar_chart(chart: &Chart, labels: &Labels) -> Markup {
    figure(chart, labels, Kind::Bar)
}

/// The value of `series` for period `i`, if it has a usable one.
pub(crate) fn value(series: &Series, i: usize) -> Option<f64> {
    series.points.get(i).copied().flatten().filter(|v| v.is_finite())
}

/// No periods, no value at all, or only zero counts.
fn is_empty(chart: &Chart) -> bool {
    let n = chart.x_labels.len();
    let mut values = chart.series.iter().flat_map(|s| (0..n).filter_map(move |i| value(s, i)));
    match chart.unit {
        // A rate of 0% was measured; a count of nothing is no data.
        Unit::Percent => values.next().is_none(),
        Unit::Count => values.all(|v| v == 0.0),
    }
}

/// `raw` as an id: ASCII letters, digits, `-` and `_`, starting with a letter.
fn id_prefix(raw: &str) -> String {
    let id: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if id.starts_with(|c: char| c.is_ascii_alphabetic()) { id } else { format!("c{id}") }
}

fn figure(chart: &Chart, labels: &Labels, kind: Kind) -> Markup {
    let id = id_prefix(&chart.id);
    if is_empty(chart) {
        return html! {
            figure.chart id=(id) {
                figcaption { (chart.title) }
                p.chart-empty { (labels.no_data) }
            }
        };
    }
    html! {
        figure.chart id=(id) {
            figcaption { (chart.title) }
            @if chart.series.len() > 1 { (legend(chart, &id, kind)) }
            (svg(chart, labels, &id, kind))
            (numbers(chart, labels))
        }
    }
}

/// Where things go: the plot's left and right edges, each period's slot,
/// the axis's ticks.
struct Frame {
    left: f64,
    slot: f64,
    ticks: Vec<f64>,
}

impl Frame {
    fn new(chart: &Chart, labels: &Labels) -> Frame {
        let n = chart.x_labels.len();
        let max = chart.series.iter().flat_map(|s| (0..n).filter_map(move |i| value(s, i))).fold(0.0, f64::max);
        let ticks = ticks(max, chart.unit);
        let widest_tick = ticks.iter().map(|t| text_width(&labels.numbers.format(*t, chart.unit))).fold(0.0, f64::max);
        let left = (widest_tick + 6.0).ceil();
        // Room on the right for half of the last label beyond its slot's middle.
        let half_label = widest_label(chart) / 2.0;
        let rough_slot = (WIDTH - left - 8.0) / n as f64;
        let right = (half_label - rough_slot / 2.0 + 1.0).max(8.0).ceil();
        Frame { left, slot: (WIDTH - left - right) / n as f64, ticks }
    }

    fn top(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }

    /// The middle of period `i`'s slot.
    fn x(&self, i: usize) -> f64 {
        self.left + self.slot * (i as f64 + 0.5)
    }

    fn y(&self, v: f64) -> f64 {
        BASE - v.clamp(0.0, self.top()) / self.top() * (BASE - TOP)
    }

    fn right(&self, n: usize) -> f64 {
        self.left + self.slot * n as f64
    }
}

/// A generous estimate of `text`'s width at the axis's font size.
pub(crate) fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if "%MWmw".contains(c) { WIDE_CHAR_WIDTH } else { CHAR_WIDTH }).sum()
}

fn widest_label(chart: &Chart) -> f64 {
    chart.x_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max)
}

fn svg(chart: &Chart, labels: &Labels, id: &str, kind: Kind) -> Markup {
    let n = chart.x_labels.len();
    let frame = Frame::new(chart, labels);
    let (left, right) = (coord(frame.left), coord(frame.right(n)));
    let mut grid = String::new();
    for tick in &frame.ticks[1..] {
        grid += &format!("M{left} {}H{right}", coord(frame.y(*tick)));
    }
    let label_width = widest_label(chart);
    let step = label_step(frame.slot, label_width, LABEL_GAP);
    let half = label_width / 2.0;
    let hatched = kind == Kind::Bar && chart.series.len() > 2;
    html! {
        svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } width="100%" role="img" aria-labelledby={ (id) "-t " (id) "-d" } {
            title id={ (id) "-t" } { (chart.title) }
            desc id={ (id) "-d" } { (chart.description) }
            @if hatched {
                defs {
                    pattern id={ (id) "-h" } width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                        path d="M0 0V4" stroke=(style(2).colour) stroke-width="2" {}
                    }
                }
            }
            path d=(grid) stroke=(GRID) {}
            g font-size=(FONT) fill=(TEXT) {
                g text-anchor="end" {
                    @for tick in &frame.ticks {
                        text x=(coord(frame.left - 4.0)) y=(coord(frame.y(*tick) + 4.0)) { (labels.numbers.format(*tick, chart.unit)) }
                    }
                }
                g text-anchor="middle" {
                    @for (i, label) in chart.x_labels.iter().enumerate() {
                        @if labelled(i, n, step) {
                            text x=(coord(inside(frame.x(i), half))) y=(LABEL_Y) { (label) }
                        }
                    }
                }
            }
            @match kind {
                Kind::Line => { (lines(chart, &frame)) }
                Kind::Bar => { (bars(chart, &frame, id)) }
            }
            path d={ "M" (left) " " (BASE) "H" (right) } stroke=(AXIS) {}
        }
    }
}

/// `x`, moved so that text `half` wide either side stays in the drawing.
fn inside(x: f64, half: f64) -> f64 {
    x.max(half + 1.0).min(WIDTH - half - 1.0).max(0.0)
}

fn lines(chart: &Chart, frame: &Frame) -> Markup {
    let n = chart.x_labels.len();
    html! {
        g fill="none" stroke-width="2.5" stroke-linejoin="round" {
            @for (k, series) in chart.series.iter().enumerate() {
                @let style = style(k);
                @let (line, markers) = line_paths(series, n, frame);
                @if !line.is_empty() {
                    path d=(line) stroke=(style.colour) stroke-dasharray=[style.dash] {}
                }
                path d=(markers) stroke=(style.colour) stroke-width=(marker_width(style)) stroke-linecap=(style.cap) {}
            }
        }
    }
}

/// Round markers 7 across; square ones a little smaller to look the same size.
fn marker_width(style: &Style) -> &'static str {
    if style.cap == "square" { "6" } else { "7" }
}

/// The path of a series' line (a new `M` after each gap; a point alone
/// draws no line, only its marker) and of its markers.
fn line_paths(series: &Series, n: usize, frame: &Frame) -> (String, String) {
    let (mut line, mut markers) = (String::new(), String::new());
    let mut run: Vec<(String, String)> = Vec::new();
    let flush = |run: &mut Vec<(String, String)>, line: &mut String| {
        if run.len() > 1 {
            for (j, (x, y)) in run.iter().enumerate() {
                *line += &format!("{}{x} {y}", if j == 0 { 'M' } else { 'L' });
            }
        }
        run.clear();
    };
    for i in 0..n {
        match value(series, i) {
            Some(v) => {
                let (x, y) = (coord(frame.x(i)), coord(frame.y(v)));
                markers += &format!("M{x} {y}h0");
                run.push((x, y));
            }
            None => flush(&mut run, &mut line),
        }
    }
    flush(&mut run, &mut line);
    (line, markers)
}

fn bars(chart: &Chart, frame: &Frame, id: &str) -> Markup {
    let n = chart.x_labels.len();
    let m = chart.series.len();
    let group = frame.slot * 0.72;
    let width = group / m as f64;
    // Side by side bars keep a hair of white between them.
    let gap = if m > 1 { 1.5 } else { 0.0 };
    html! {
        @for (k, series) in chart.series.iter().enumerate() {
            @let style = style(k);
            @let inset = if style.bar == Bar::Solid { 0.0 } else { 1.0 };
            g fill=(bar_fill(style, id)) stroke=[(style.bar != Bar::Solid).then_some(style.colour)] stroke-width=[(style.bar != Bar::Solid).then_some("2")] stroke-dasharray=[(style.bar == Bar::DashedOutline).then_some("4 2")] {
                @for i in 0..n {
                    @if let Some(v) = value(series, i) {
                        // A zero is a sliver on the axis, so it reads apart from no data.
                        @let y = frame.y(v).min(BASE - 1.5);
                        @let x = frame.x(i) - group / 2.0 + k as f64 * width;
                        rect x=(coord(x + inset)) y=(coord(y + inset)) width=(coord(width - gap - 2.0 * inset)) height=(coord((BASE - y - inset).max(1.5))) {}
                    }
                }
            }
        }
    }
}

fn bar_fill(style: &Style, id: &str) -> String {
    match style.bar {
        Bar::Solid => style.colour.to_string(),
        Bar::Outline | Bar::DashedOutline => "#fff".to_string(),
        Bar::Hatched => format!("url(#{id}-h)"),
    }
}

/// The key above the drawing: each series' name after a sample of its
/// line (dash, marker) or bar (fill). The samples are decoration
/// (`aria-hidden`); the names are text.
fn legend(chart: &Chart, id: &str, kind: Kind) -> Markup {
    html! {
        ul.chart-key {
            @for (k, series) in chart.series.iter().enumerate() {
                @let style = style(k);
                li {
                    @match kind {
                        Kind::Line => {
                            svg aria-hidden="true" width="32" height="12" viewBox="0 0 32 12" {
                                path d="M1 6H31" fill="none" stroke=(style.colour) stroke-width="2.5" stroke-dasharray=[style.dash] {}
                                path d="M16 6h0" stroke=(style.colour) stroke-width=(marker_width(style)) stroke-linecap=(style.cap) {}
                            }
                        }
                        Kind::Bar => {
                            svg aria-hidden="true" width="18" height="14" viewBox="0 0 18 14" {
                                rect x="1" y="1" width="16" height="12" fill=(bar_fill(style, id)) stroke=(style.colour) stroke-width="2" stroke-dasharray=[(style.bar == Bar::DashedOutline).then_some("4 2")] {}
                            }
                        }
                    }
                    (series.name)
                }
            }
        }
    }
}

/// Every number plotted, a row per period, a column per series.
fn numbers(chart: &Chart, labels: &Labels) -> Markup {
    let table = html! {
        table {
            caption { (chart.title) }
            thead {
                tr {
                    th scope="col" { (chart.period) }
                    @for series in &chart.series { th scope="col" { (series.name) } }
                }
            }
            tbody {
                @for (i, label) in chart.x_labels.iter().enumerate() {
                    tr {
                        th scope="row" { (label) }
                        @for series in &chart.series {
                            td {
                                @match value(series, i) {
                                    Some(v) => { (labels.numbers.format(v, chart.unit)) }
                                    None => { (NO_VALUE) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    html! {
        @match labels.show_numbers {
            Some(summary) => { details.chart-data { summary { (summary) } (table) } }
            None => { div.chart-data { (table) } }
        }
    }
}
