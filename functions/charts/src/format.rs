//! Numbers as people read them (`1.234,5`, `87,5%`) and as SVG coordinates
//! (`12.3`): plain arithmetic and Rust's own float printing, never a locale,
//! so the same data always renders the same bytes.

use crate::Unit;

/// How numbers are written: the thousands separator and the decimal mark.
///
/// Values are shown rounded to one decimal, the decimal dropped when it is
/// zero: `1234.56` is `1.234,6` ([`NumberFormat::INDONESIAN`]) or `1,234.6`
/// ([`NumberFormat::ENGLISH`]); a percentage gets `%` (`87,5%`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    pub thousands: char,
    pub decimal: char,
}

impl NumberFormat {
    /// `1.234,5` (Bahasa Indonesia).
    pub const INDONESIAN: NumberFormat = NumberFormat { thousands: '.', decimal: ',' };
    /// `1,234.5`.
    pub const ENGLISH: NumberFormat = NumberFormat { thousands: ',', decimal: '.' };

    /// `value` in `unit`, to one decimal. Not-a-number prints as an em dash.
    pub fn format(&self, value: f64, unit: Unit) -> String {
        if !value.is_finite() {
            return crate::NO_VALUE.to_string();
        }
        let tenths = (value.abs() * 10.0).round();
        let mut out = String::new();
        if value < 0.0 && tenths > 0.0 {
            out.push('-');
        }
        let whole = format!("{:.0}", (tenths / 10.0).trunc());
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(self.thousands);
            }
            out.push(digit);
        }
        let tenth = (tenths % 10.0) as u8;
        if tenth != 0 {
            out.push(self.decimal);
            out.push(char::from(b'0' + tenth));
        }
        if unit == Unit::Percent {
            out.push('%');
        }
        out
    }
}

/// An SVG coordinate or length, rounded to one decimal: `12.3`, `40` (not
/// `40.0`), never `-0`.
pub(crate) fn coord(v: f64) -> String {
    let text = format!("{v:.1}");
    match text.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(whole) => whole.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_and_english_numbers() {
        let id = NumberFormat::INDONESIAN;
        assert_eq!(id.format(0.0, Unit::Count), "0");
        assert_eq!(id.format(7.0, Unit::Count), "7");
        assert_eq!(id.format(1234.56, Unit::Count), "1.234,6");
        assert_eq!(id.format(1_000_000.0, Unit::Count), "1.000.000");
        assert_eq!(id.format(999.96, Unit::Count), "1.000");
        assert_eq!(id.format(87.5, Unit::Percent), "87,5%");
        assert_eq!(id.format(100.0, Unit::Percent), "100%");
        assert_eq!(id.format(-0.01, Unit::Count), "0");
        assert_eq!(id.format(-12.0, Unit::Count), "-12");
        assert_eq!(id.format(f64::NAN, Unit::Count), "\u{2014}");
        assert_eq!(NumberFormat::ENGLISH.format(1234.5, Unit::Count), "1,234.5");
        assert_eq!(NumberFormat::ENGLISH.format(87.25, Unit::Percent), "87.3%");
    }

    #[test]
    fn coordinates_have_at_most_one_decimal() {
        assert_eq!(coord(40.0), "40");
        assert_eq!(coord(12.345), "12.3");
        assert_eq!(coord(12.96), "13");
        assert_eq!(coord(-0.01), "0");
        assert_eq!(coord(0.05), "0.1");
    }
}
