//! A sparkline: a trend small enough for a table cell (an agency's on-time
//! rate over the last months in the league table).

use maud::{html, Markup};

use crate::chart::STYLES;
use crate::format::coord;
use crate::{Labels, Unit, NO_VALUE};

const WIDTH: f64 = 80.0;
const HEIGHT: f64 = 20.0;
const PAD: f64 = 3.0;

/// `values` (oldest first, `None` for no data: a gap) as an 80 x 20 line
/// scaled to their own range, the latest value dotted. It is one image to
/// assistive technology, named "{label}: {from} {first} {to} {last}"
/// (e.g. "Tepat waktu: dari 72% ke 85%"); with no value at all it is an em
/// dash named "{label}: {no_data}".
pub fn sparkline(values: &[Option<f64>], label: &str, unit: Unit, labels: &Labels) -> Markup {
    let known: Vec<(usize, f64)> = values.iter().enumerate().filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v))).collect();
    let (Some(&(_, first)), Some(&(last_i, last))) = (known.first(), known.last()) else {
        return html! { span.spark role="img" aria-label={ (label) ": " (labels.no_data) } { (NO_VALUE) } };
    };
    let format = |v| labels.numbers.format(v, unit);
    let name = if known.len() == 1 {
        format!("{label}: {}", format(first))
    } else {
        format!("{label}: {} {} {} {}", labels.from, format(first), labels.to, format(last))
    };
    let (min, max) = known.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &(_, v)| (lo.min(v), hi.max(v)));
    let x = |i: usize| if values.len() > 1 { PAD + (WIDTH - 2.0 * PAD) * i as f64 / (values.len() - 1) as f64 } else { WIDTH / 2.0 };
    let y = |v: f64| if max > min { HEIGHT - PAD - (v - min) / (max - min) * (HEIGHT - 2.0 * PAD) } else { HEIGHT / 2.0 };
    let mut line = String::new();
    for (j, &(i, v)) in known.iter().enumerate() {
        let follows = j > 0 && known[j - 1].0 + 1 == i;
        line += &format!("{}{} {}", if follows { 'L' } else { 'M' }, coord(x(i)), coord(y(v)));
    }
    let colour = STYLES[0].colour;
    html! {
        svg.spark width=(WIDTH) height=(HEIGHT) viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(name) {
            path d=(line) fill="none" stroke=(colour) stroke-width="1.5" stroke-linejoin="round" {}
            path d={ "M" (coord(x(last_i))) " " (coord(y(last))) "h0" } stroke=(colour) stroke-width="4" stroke-linecap="round" {}
        }
    }
}
