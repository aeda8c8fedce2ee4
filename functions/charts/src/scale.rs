//! The y axis's round ticks and which x labels fit.

use crate::Unit;

/// The y axis's ticks: from 0 up to the first round number at or above
/// `max`, in steps of 1, 2 or 5 times a power of ten, at most five steps.
/// Steps are whole numbers (a count of reports has no tenths). A percentage
/// axis stops at 100; an axis with nothing above zero is 0-1 (counts) or
/// 0-100 (percentages: a rate of 0% is shown against the whole scale).
pub(crate) fn ticks(max: f64, unit: Unit) -> Vec<f64> {
    let max = if max.is_finite() { max.max(0.0) } else { 0.0 };
    let max = if unit == Unit::Percent { max.min(100.0) } else { max };
    if max == 0.0 {
        return match unit {
            Unit::Count => vec![0.0, 1.0],
            Unit::Percent => (0..=5).map(|i| f64::from(i) * 20.0).collect(),
        };
    }
    let step = nice_step((max / 5.0).max(1.0));
    let steps = (max / step).ceil() as u32;
    (0..=steps).map(|i| f64::from(i) * step).collect()
}

/// The smallest 1, 2 or 5 times a power of ten that is at least `raw` (>= 1).
fn nice_step(raw: f64) -> f64 {
    let mut magnitude = 1.0;
    while magnitude * 10.0 <= raw {
        magnitude *= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|step| *step >= raw).unwrap_or(10.0 * magnitude)
}

/// Every how many periods an x label is shown, so that labels `label_width`
/// wide (plus `gap`) never overlap in slots `slot` wide.
pub(crate) fn label_step(slot: f64, label_width: f64, gap: f64) -> usize {
    if slot <= 0.0 {
        return 1;
    }
    (((label_width + gap) / slot).ceil() as usize).max(1)
}

/// Whether period `i` of `n` gets its label when every `step`th is shown:
/// counted back from the last (the latest period is always labelled).
pub(crate) fn labelled(i: usize, n: usize, step: usize) -> bool {
    (n - 1 - i).is_multiple_of(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_one_two_five_steps_from_zero() {
        assert_eq!(ticks(7.0, Unit::Count), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(8.0, Unit::Count), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(3.0, Unit::Count), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.4, Unit::Count), [0.0, 1.0]);
        assert_eq!(ticks(42.0, Unit::Count), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(ticks(1234.0, Unit::Count), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(ticks(100_000.0, Unit::Count).last(), Some(&100_000.0));
        for max in [1.0, 2.5, 9.0, 11.0, 99.0, 101.0, 777.0, 12_345.0] {
            let t = ticks(max, Unit::Count);
            assert!(t.len() <= 6 && t.len() >= 2, "{max}: {t:?}");
            assert!(*t.last().unwrap() >= max, "{max}: {t:?}");
            assert_eq!(t[0], 0.0);
        }
    }

    #[test]
    fn percentages_stop_at_one_hundred() {
        let full = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0];
        assert_eq!(ticks(100.0, Unit::Percent), full);
        assert_eq!(ticks(87.5, Unit::Percent), full);
        assert_eq!(ticks(130.0, Unit::Percent), full, "a bad rate above 100 does not stretch the axis");
        assert_eq!(ticks(45.0, Unit::Percent), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(ticks(3.0, Unit::Percent), [0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn nothing_above_zero_still_makes_an_axis() {
        assert_eq!(ticks(0.0, Unit::Count), [0.0, 1.0]);
        assert_eq!(ticks(0.0, Unit::Percent), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(f64::NAN, Unit::Count), [0.0, 1.0]);
        assert_eq!(ticks(-5.0, Unit::Count), [0.0, 1.0]);
    }

    #[test]
    fn labels_thin_out_counting_back_from_the_last() {
        assert_eq!(label_step(40.0, 30.0, 8.0), 1);
        assert_eq!(label_step(23.0, 36.0, 8.0), 2);
        assert_eq!(label_step(23.0, 60.0, 8.0), 3);
        let shown: Vec<usize> = (0..13).filter(|&i| labelled(i, 13, 2)).collect();
        assert_eq!(shown, [0, 2, 4, 6, 8, 10, 12]);
        let shown: Vec<usize> = (0..12).filter(|&i| labelled(i, 12, 3)).collect();
        assert_eq!(shown, [2, 5, 8, 11]);
    }
}
