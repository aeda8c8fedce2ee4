//! The charts as a browser and a screen reader get them: the markup is
//! parsed (it is well-formed XML) and read by element and attribute.

use lapor_charts::{bar_chart, line_chart, sparkline, Chart, Labels, NumberFormat, Series, Unit, CHARTS_CSS};
use roxmltree::{Document, Node};

const LABELS: Labels<'static> = Labels {
    no_data: "Belum ada data.",
    show_numbers: Some("Lihat angka"),
    from: "dari",
    to: "ke",
    numbers: NumberFormat::INDONESIAN,
};

const MONTHS: [&str; 12] = ["Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des", "Jan"];

/// 13 weeks, reports received and completed, a gap in the second.
fn weekly() -> Chart {
    let weeks = (0..13).map(|w| format!("{} {}", [6, 13, 20, 27][w % 4], ["Okt", "Nov", "Des", "Jan"][w / 4])).collect();
    Chart {
        id: "mingguan".into(),
        title: "Laporan per minggu".into(),
        description: "Diterima dan selesai, 13 minggu terakhir.".into(),
        period: "Minggu".into(),
        x_labels: weeks,
        series: vec![
            Series { name: "Diterima".into(), points: (0..13).map(|i| Some(1100.0 + 83.7 * f64::from(i))).collect() },
            Series { name: "Selesai".into(), points: (0..13).map(|i| (i != 5).then(|| 900.0 + 91.25 * f64::from(i))).collect() },
        ],
        unit: Unit::Count,
    }
}

/// 12 months of on-time rates.
fn monthly() -> Chart {
    Chart {
        id: "tepat-waktu".into(),
        title: "Tepat waktu per bulan".into(),
        description: "Naik dari 71,5% ke 92,5%.".into(),
        period: "Bulan".into(),
        x_labels: MONTHS.iter().map(|m| m.to_string()).collect(),
        series: vec![Series {
            name: "Tepat waktu".into(),
            points: vec![Some(71.5), Some(74.0), Some(69.2), Some(78.0), Some(80.4), None, Some(83.3), Some(85.0), Some(0.0), Some(88.2), Some(90.0), Some(92.5)],
        }],
        unit: Unit::Percent,
    }
}

fn parse(html: &str) -> Document<'_> {
    Document::parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

fn all<'a, 'i>(doc: &'a Document<'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    doc.descendants().filter(move |n| n.has_tag_name(name))
}

fn one<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Node<'a, 'i> {
    let found: Vec<_> = doc.descendants().filter(|n| n.has_tag_name(name)).collect();
    assert_eq!(found.len(), 1, "one <{name}>");
    found[0]
}

fn text(node: Node) -> String {
    node.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap()).collect()
}

/// The SVG drawing of the chart (not the legend's samples).
fn drawing<'a, 'i>(doc: &'a Document<'i>) -> Node<'a, 'i> {
    all(doc, "svg").find(|n| n.attribute("role") == Some("img")).expect("the chart's svg")
}

/// The x labels drawn: (x, text).
fn x_labels(doc: &Document) -> Vec<(f64, String)> {
    let group = drawing(doc).descendants().find(|n| n.attribute("text-anchor") == Some("middle")).expect("x labels");
    group.children().filter(|n| n.has_tag_name("text")).map(|t| (t.attribute("x").unwrap().parse().unwrap(), text(t))).collect()
}

#[test]
fn a_line_chart_is_a_figure_with_a_named_image_and_its_table() {
    let html = line_chart(&weekly(), &LABELS).into_string();
    let doc = parse(&html);
    let figure = doc.root_element();
    assert_eq!(figure.tag_name().name(), "figure");
    assert_eq!(figure.attribute("id"), Some("mingguan"));
    assert_eq!(text(one(&doc, "figcaption")), "Laporan per minggu");

    let svg = drawing(&doc);
    assert_eq!(svg.attribute("width"), Some("100%"));
    assert_eq!(svg.attribute("viewBox"), Some("0 0 360 200"));
    let names: Vec<_> = svg.attribute("aria-labelledby").unwrap().split(' ').collect();
    assert_eq!(names, ["mingguan-t", "mingguan-d"]);
    let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap_or_else(|| panic!("#{id}"));
    assert_eq!(by_id(names[0]).tag_name().name(), "title");
    assert_eq!(text(by_id(names[0])), "Laporan per minggu");
    assert_eq!(by_id(names[1]).tag_name().name(), "desc");
    assert_eq!(text(by_id(names[1])), "Diterima dan selesai, 13 minggu terakhir.");

    // The table is behind a summary (a keyboard stop), with its caption.
    let details = one(&doc, "details");
    assert_eq!(text(details.first_element_child().unwrap()), "Lihat angka");
    assert_eq!(text(one(&doc, "caption")), "Laporan per minggu");
}

#[test]
fn the_y_axis_has_round_ticks_from_zero() {
    let html = line_chart(&weekly(), &LABELS).into_string();
    let doc = parse(&html);
    let group = drawing(&doc).descendants().find(|n| n.attribute("text-anchor") == Some("end")).unwrap();
    let ticks: Vec<String> = group.children().filter(|n| n.has_tag_name("text")).map(text).collect();
    // Highest value 2.195 (900 + 12 x 91,25): steps of 500, written the Indonesian way.
    assert_eq!(ticks, ["0", "500", "1.000", "1.500", "2.000", "2.500"]);

    let html = bar_chart(&monthly(), &LABELS).into_string();
    let doc = parse(&html);
    let group = drawing(&doc).descendants().find(|n| n.attribute("text-anchor") == Some("end")).unwrap();
    let ticks: Vec<String> = group.children().filter(|n| n.has_tag_name("text")).map(text).collect();
    assert_eq!(ticks, ["0%", "20%", "40%", "60%", "80%", "100%"]);
}

#[test]
fn x_labels_thin_out_and_never_overlap_on_a_phone() {
    for chart in [weekly(), monthly()] {
        let html = line_chart(&chart, &LABELS).into_string();
        let doc = parse(&html);
        let shown = x_labels(&doc);
        let n = chart.x_labels.len();
        assert!(shown.len() < n && shown.len() >= n / 3, "{} of {n} labels", shown.len());
        assert_eq!(shown.last().unwrap().1, *chart.x_labels.last().unwrap(), "the latest period is labelled");
        // The drawing is 360 units wide, as a 360 px phone shows it; a
        // 12-unit glyph is at most 7.6 wide (DejaVu Sans digits are 7.6).
        for pair in shown.windows(2) {
            let ((x0, a), (x1, b)) = (&pair[0], &pair[1]);
            let room = (a.chars().count() + b.chars().count()) as f64 * 7.6 / 2.0;
            assert!(x1 - x0 >= room + 4.0, "{a} at {x0} and {b} at {x1} overlap");
        }
        for (x, label) in &shown {
            let half = label.chars().count() as f64 * 7.6 / 2.0;
            assert!(x - half >= 0.0 && x + half <= 360.0, "{label} at {x} is cut off");
        }
    }
    // Few periods: every label.
    let mut chart = monthly();
    chart.x_labels.truncate(4);
    let html = bar_chart(&chart, &LABELS).into_string();
    assert_eq!(x_labels(&parse(&html)).len(), 4);
}

#[test]
fn a_gap_breaks_the_line_into_separate_segments() {
    let chart = Chart {
        series: vec![Series { name: "Diterima".into(), points: vec![Some(1.0), Some(2.0), None, Some(4.0), Some(5.0), None, Some(7.0)] }],
        x_labels: (1..=7).map(|i| format!("M{i}")).collect(),
        ..weekly()
    };
    let html = line_chart(&chart, &LABELS).into_string();
    let doc = parse(&html);
    let paths: Vec<&str> = drawing(&doc).descendants().filter(|n| n.has_tag_name("path") && n.attribute("stroke") == Some("#0b4f9c")).map(|n| n.attribute("d").unwrap()).collect();
    let [line, markers] = paths[..] else { panic!("a line and its markers: {paths:?}") };
    assert_eq!(line.matches('M').count(), 2, "two segments: {line}");
    assert_eq!(line.matches('L').count(), 2, "{line}");
    assert_eq!(markers.matches("h0").count(), 5, "every value has a marker, the lone 7 too: {markers}");
    // Coordinates have at most one decimal.
    for number in line.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|s| !s.is_empty()) {
        assert!(number.split('.').nth(1).is_none_or(|d| d.len() == 1), "{number} in {line}");
    }
}

#[test]
fn several_series_have_a_legend_and_differ_in_more_than_colour() {
    let html = line_chart(&weekly(), &LABELS).into_string();
    let doc = parse(&html);
    let key = all(&doc, "ul").find(|n| n.attribute("class") == Some("chart-key")).expect("a legend");
    let items: Vec<_> = key.children().filter(|n| n.has_tag_name("li")).collect();
    assert_eq!(items.iter().map(|li| text(*li)).collect::<Vec<_>>(), ["Diterima", "Selesai"]);
    for li in &items {
        assert_eq!(li.first_element_child().unwrap().attribute("aria-hidden"), Some("true"), "samples are decoration");
    }
    let svg = drawing(&doc);
    let dashes: Vec<_> = svg.descendants().filter(|n| n.has_tag_name("path") && !n.has_attribute("stroke-linecap") && n.has_attribute("stroke") && n.attribute("stroke") != Some("#d6d6d6") && n.attribute("stroke") != Some("#767676")).map(|n| n.attribute("stroke-dasharray")).collect();
    assert_eq!(dashes, [None, Some("7 4")], "solid and dashed");
    let caps: Vec<_> = svg.descendants().filter_map(|n| n.attribute("stroke-linecap")).collect();
    assert_eq!(caps, ["round", "square"], "round and square markers");

    // One series: no legend.
    let html = bar_chart(&monthly(), &LABELS).into_string();
    assert!(!all(&parse(&html), "ul").any(|_| true));

    // Grouped bars: solid, outlined, hatched, and the pattern's id is the chart's own.
    let mut chart = monthly();
    chart.unit = Unit::Count;
    chart.series = (0..3).map(|k| Series { name: format!("S{k}"), points: vec![Some(5.0 + f64::from(k)); 12] }).collect();
    let html = bar_chart(&chart, &LABELS).into_string();
    let doc = parse(&html);
    let fills: Vec<_> = drawing(&doc).descendants().filter(|n| n.has_tag_name("g") && n.first_element_child().is_some_and(|c| c.has_tag_name("rect"))).map(|g| g.attribute("fill").unwrap()).collect();
    assert_eq!(fills, ["#0b4f9c", "#fff", "url(#tepat-waktu-h)"]);
    assert!(doc.descendants().any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some("tepat-waktu-h")));
}

#[test]
fn every_colour_has_aa_contrast_on_white() {
    fn luminance(hex: &str) -> f64 {
        let hex = hex.trim_start_matches('#');
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }
    let mut chart = weekly();
    chart.series = (0..4).map(|k| Series { name: format!("S{k}"), points: vec![Some(5.0 + f64::from(k)); 13] }).collect();
    let pages = [line_chart(&chart, &LABELS).into_string(), bar_chart(&chart, &LABELS).into_string()];
    let mut seen = 0;
    for html in &pages {
        let doc = parse(html);
        for node in doc.descendants() {
            for colour in ["fill", "stroke"].iter().filter_map(|a| node.attribute(*a)) {
                // White fills and the gridlines (a reading aid only) aside.
                if colour.starts_with('#') && colour.len() == 7 && colour != "#d6d6d6" {
                    let ratio = 1.05 / (luminance(colour) + 0.05);
                    assert!(ratio >= 4.5, "{colour}: {ratio:.2}:1");
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 10);
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let hostile = "<script>alert(1)</script> & \"quotes\"";
    let chart = Chart {
        id: "x\" onload=\"alert(1)".into(),
        title: hostile.into(),
        description: hostile.into(),
        period: hostile.into(),
        x_labels: vec![hostile.into(), "<b>2</b>".into()],
        series: vec![
            Series { name: "\"><img src=x onerror=alert(1)>".into(), points: vec![Some(1.0), Some(2.0)] },
            Series { name: hostile.into(), points: vec![Some(3.0), None] },
        ],
        unit: Unit::Count,
    };
    for html in [line_chart(&chart, &LABELS).into_string(), bar_chart(&chart, &LABELS).into_string()] {
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "{html}");
        let doc = parse(&html);
        for tag in ["script", "img", "b"] {
            assert!(!all(&doc, tag).any(|_| true), "no <{tag}>");
        }
        assert!(doc.descendants().all(|n| !n.has_attribute("onload") && !n.has_attribute("onerror")));
        assert_eq!(text(one(&doc, "figcaption")), hostile);
        assert_eq!(text(one(&doc, "title")), hostile);
        assert_eq!(text(one(&doc, "desc")), hostile);
        assert_eq!(doc.root_element().attribute("id"), Some("x--onload--alert-1-"));
    }
    let spark = sparkline(&[Some(1.0), Some(2.0)], hostile, Unit::Count, &LABELS).into_string();
    let doc = parse(&spark);
    assert_eq!(doc.root_element().attribute("aria-label"), Some(format!("{hostile}: dari 1 ke 2").as_str()));
}

#[test]
fn ids_are_unique_on_a_page_and_every_reference_resolves() {
    let mut grouped = monthly();
    grouped.id = "kanal".into();
    grouped.unit = Unit::Count;
    grouped.series = (0..3).map(|k| Series { name: format!("S{k}"), points: vec![Some(5.0); 12] }).collect();
    let mut digits = weekly();
    digits.id = "2024".into();
    let page = format!(
        "<main>{}{}{}{}</main>",
        line_chart(&weekly(), &LABELS).into_string(),
        bar_chart(&monthly(), &LABELS).into_string(),
        bar_chart(&grouped, &LABELS).into_string(),
        line_chart(&digits, &LABELS).into_string(),
    );
    let doc = parse(&page);
    let mut ids: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("id")).collect();
    assert!(ids.iter().all(|id| id.starts_with(|c: char| c.is_ascii_alphabetic())), "{ids:?}");
    assert!(ids.contains(&"c2024"), "an id never starts with a digit: {ids:?}");
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
    let mut references = 0;
    for node in doc.descendants() {
        for id in node.attribute("aria-labelledby").into_iter().flat_map(|v| v.split(' ')) {
            assert!(ids.contains(&id), "aria-labelledby={id}");
            references += 1;
        }
        if let Some(id) = node.attribute("fill").and_then(|f| f.strip_prefix("url(#")).and_then(|f| f.strip_suffix(')')) {
            assert!(ids.contains(&id), "fill=url(#{id})");
            references += 1;
        }
    }
    assert_eq!(references, 4 * 2 + 2, "title and desc of each chart, the hatched bars and their legend sample");
}

#[test]
fn the_table_holds_every_number_plotted() {
    for (chart, html) in [(weekly(), line_chart(&weekly(), &LABELS).into_string()), (monthly(), bar_chart(&monthly(), &LABELS).into_string())] {
        let doc = parse(&html);
        let table = one(&doc, "table");
        let heads: Vec<_> = table.descendants().filter(|n| n.has_tag_name("th") && n.attribute("scope") == Some("col")).map(text).collect();
        let mut expected = vec![chart.period.clone()];
        expected.extend(chart.series.iter().map(|s| s.name.clone()));
        assert_eq!(heads, expected);
        let body = table.descendants().find(|n| n.has_tag_name("tbody")).unwrap();
        let rows: Vec<_> = body.children().filter(|n| n.has_tag_name("tr")).collect();
        assert_eq!(rows.len(), chart.x_labels.len());
        for (i, row) in rows.iter().enumerate() {
            let head = row.first_element_child().unwrap();
            assert!(head.has_tag_name("th") && head.attribute("scope") == Some("row"));
            assert_eq!(text(head), chart.x_labels[i]);
            let cells: Vec<_> = row.children().filter(|n| n.has_tag_name("td")).map(text).collect();
            let values: Vec<_> = chart.series.iter().map(|s| match s.points[i] {
                Some(v) => LABELS.numbers.format(v, chart.unit),
                None => "\u{2014}".to_string(),
            }).collect();
            assert_eq!(cells, values, "row {i}");
        }
    }
    // Spot checks of the formatting: thousands and decimals, Indonesian, and a gap.
    let html = line_chart(&weekly(), &LABELS).into_string();
    let cells: Vec<_> = parse(&html).descendants().filter(|n| n.has_tag_name("td")).map(text).collect();
    assert_eq!(&cells[..2], ["1.100", "900"]);
    assert_eq!(&cells[10..12], ["1.518,5", "\u{2014}"]);
    // Without a summary the table is shown open.
    let html = bar_chart(&monthly(), &Labels { show_numbers: None, ..LABELS }).into_string();
    let doc = parse(&html);
    assert!(!all(&doc, "details").any(|_| true));
    assert_eq!(one(&doc, "table").parent_element().unwrap().attribute("class"), Some("chart-data"));
}

#[test]
fn a_zero_is_a_sliver_and_no_data_no_bar() {
    let html = bar_chart(&monthly(), &LABELS).into_string();
    let doc = parse(&html);
    let rects: Vec<_> = drawing(&doc).descendants().filter(|n| n.has_tag_name("rect")).collect();
    assert_eq!(rects.len(), 11, "July has no data, no bar");
    let heights: Vec<f64> = rects.iter().map(|r| r.attribute("height").unwrap().parse().unwrap()).collect();
    assert_eq!(heights[7], 1.5, "October's 0% is on the axis: {heights:?}");
    assert!(heights.iter().enumerate().all(|(i, h)| i == 7 || *h > 100.0), "{heights:?}");
}

#[test]
fn no_data_is_said_instead_of_an_empty_frame() {
    let none = Chart { series: vec![Series { name: "A".into(), points: vec![None; 13] }], ..weekly() };
    let zeros = Chart { series: vec![Series { name: "A".into(), points: vec![Some(0.0); 13] }], ..weekly() };
    let no_periods = Chart { x_labels: vec![], ..weekly() };
    let no_series = Chart { series: vec![], ..weekly() };
    let short = Chart { series: vec![Series { name: "A".into(), points: vec![] }], ..weekly() };
    let not_numbers = Chart { series: vec![Series { name: "A".into(), points: vec![Some(f64::NAN), Some(f64::INFINITY)] }], ..weekly() };
    for chart in [none, zeros, no_periods, no_series, short, not_numbers] {
        for html in [line_chart(&chart, &LABELS).into_string(), bar_chart(&chart, &LABELS).into_string()] {
            let doc = parse(&html);
            assert_eq!(text(one(&doc, "figcaption")), "Laporan per minggu");
            let message = one(&doc, "p");
            assert_eq!(message.attribute("class"), Some("chart-empty"));
            assert_eq!(text(message), "Belum ada data.");
            assert!(!all(&doc, "svg").any(|_| true) && !all(&doc, "table").any(|_| true), "{html}");
        }
    }
    // A rate of 0% was measured: it is drawn.
    let mut zero_rate = monthly();
    zero_rate.series[0].points = vec![Some(0.0); 12];
    let html = bar_chart(&zero_rate, &LABELS).into_string();
    assert_eq!(all(&parse(&html), "rect").count(), 12);
}

#[test]
fn a_chart_stays_small() {
    let html = line_chart(&weekly(), &LABELS).into_string();
    let svg_start = html.find("<svg viewBox").unwrap();
    let svg_len = html[svg_start..].find("</svg>").unwrap() + "</svg>".len();
    assert!(svg_len < 4096, "the drawing of 13 x 2 points is {svg_len} bytes");
    assert!(html.len() < 6 * 1024, "the whole figure, table included, is {} bytes", html.len());
    let html = bar_chart(&monthly(), &LABELS).into_string();
    assert!(html.len() < 4096, "12 bars with their table: {} bytes", html.len());
    // Deterministic: the same data, the same bytes.
    assert_eq!(line_chart(&weekly(), &LABELS).into_string(), line_chart(&weekly(), &LABELS).into_string());
}

#[test]
fn a_sparkline_is_one_named_image() {
    let values = [Some(72.0), Some(75.5), None, Some(85.0)];
    let html = sparkline(&values, "Tepat waktu", Unit::Percent, &LABELS).into_string();
    let doc = parse(&html);
    let svg = doc.root_element();
    assert_eq!(svg.attribute("role"), Some("img"));
    assert_eq!(svg.attribute("aria-label"), Some("Tepat waktu: dari 72% ke 85%"));
    let line = svg.first_element_child().unwrap().attribute("d").unwrap();
    assert_eq!(line.matches('M').count(), 2, "the gap breaks it: {line}");
    assert!(html.len() < 400, "{} bytes", html.len());

    let english = Labels { from: "from", to: "to", numbers: NumberFormat::ENGLISH, ..LABELS };
    let html = sparkline(&[Some(1234.5), Some(1234.5)], "Received", Unit::Count, &english).into_string();
    assert_eq!(parse(&html).root_element().attribute("aria-label"), Some("Received: from 1,234.5 to 1,234.5"));
    let html = sparkline(&[None, Some(3.0)], "Received", Unit::Count, &english).into_string();
    assert_eq!(parse(&html).root_element().attribute("aria-label"), Some("Received: 3"));

    let html = sparkline(&[None, None], "Tepat waktu", Unit::Percent, &LABELS).into_string();
    let doc = parse(&html);
    assert_eq!(doc.root_element().attribute("role"), Some("img"));
    assert_eq!(doc.root_element().attribute("aria-label"), Some("Tepat waktu: Belum ada data."));
    assert_eq!(text(doc.root_element()), "\u{2014}");
}

#[test]
fn the_public_stylesheet_carries_the_charts_rules() {
    let app_css = include_str!("../../web-assets/static/app.css");
    assert!(app_css.ends_with(CHARTS_CSS), "append lapor_charts::CHARTS_CSS to app.css (the staff console loads app.css too)");
    assert!(!CHARTS_CSS.contains("style="), "rules only");
}
