//! Tracking IDs: what a citizen writes down, reads over the phone or types
//! into an SMS to follow a report.
//!
//! Ten symbols of Crockford's base32 (no I, L, O, U, so nothing looks alike),
//! shown as `XXXXX-XXXXX`: nine random symbols and a check symbol computed
//! with the Luhn mod N algorithm over the same alphabet. The check symbol
//! catches every single mistyped symbol and most swaps of neighbours, so a
//! typo is told apart from a report that does not exist. The random part
//! comes from the host's CSPRNG: IDs follow no sequence and cannot be guessed
//! (32^9 ≈ 3.5 × 10^13 possibilities).

use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_SYMBOLS: usize = 9;
const LEN: usize = RANDOM_SYMBOLS + 1;

/// A valid tracking ID (the check symbol matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackingId([u8; LEN]);

/// Why a string is not a tracking ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrackingIdError {
    /// Wrong length or a character outside the alphabet.
    #[error("not a tracking ID: expected 10 letters and digits such as 7K3QD-M2X9C")]
    Malformed,
    /// Well-formed but the check symbol does not match: almost surely a typo.
    #[error("the tracking ID's check symbol does not match: probably a typo")]
    ProbableTypo,
}

fn value_of(symbol: u8) -> Option<u8> {
    ALPHABET.iter().position(|&s| s == symbol).map(|p| p as u8)
}

/// Luhn mod 32 over symbol values, rightmost first, doubling every second.
fn luhn_sum(values: impl DoubleEndedIterator<Item = u8>, double_first: bool) -> u32 {
    let mut double = double_first;
    let mut sum = 0u32;
    for value in values.rev() {
        let mut addend = u32::from(value);
        if double {
            addend *= 2;
            addend = addend / 32 + addend % 32;
        }
        sum += addend;
        double = !double;
    }
    sum
}

fn check_symbol_value(payload: &[u8]) -> u8 {
    let sum = luhn_sum(payload.iter().copied(), true);
    ((32 - sum % 32) % 32) as u8
}

impl TrackingId {
    /// Builds a new ID from 9 random bytes (only their low 5 bits are used,
    /// which keeps each symbol uniform since 256 is a multiple of 32).
    pub fn generate(random: [u8; RANDOM_SYMBOLS]) -> TrackingId {
        let mut values = [0u8; LEN];
        for (slot, byte) in values.iter_mut().zip(random) {
            *slot = byte & 31;
        }
        values[RANDOM_SYMBOLS] = check_symbol_value(&values[..RANDOM_SYMBOLS]);
        let mut symbols = [0u8; LEN];
        for (symbol, value) in symbols.iter_mut().zip(values) {
            *symbol = ALPHABET[value as usize];
        }
        TrackingId(symbols)
    }

    /// Parses what a person typed: any case, spaces and dashes ignored,
    /// O read as 0 and I or L as 1.
    pub fn parse(input: &str) -> Result<TrackingId, TrackingIdError> {
        let mut symbols = [0u8; LEN];
        let mut values = [0u8; LEN];
        let mut count = 0;
        for c in input.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            // Each symbol's value is kept as it is checked, so none is looked up twice.
            let value = if c.is_ascii() { value_of(c as u8) } else { None };
            let (Some(value), true) = (value, count < LEN) else {
                return Err(TrackingIdError::Malformed);
            };
            symbols[count] = c as u8;
            values[count] = value;
            count += 1;
        }
        if count != LEN {
            return Err(TrackingIdError::Malformed);
        }
        if luhn_sum(values.iter().copied(), false) % 32 != 0 {
            return Err(TrackingIdError::ProbableTypo);
        }
        Ok(TrackingId(symbols))
    }

    /// The canonical form, `XXXXX-XXXXX`, as stored and shown.
    pub fn as_display(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for TrackingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = std::str::from_utf8(&self.0).expect("alphabet is ASCII");
        write!(f, "{}-{}", &s[..5], &s[5..])
    }
}

impl serde::Serialize for TrackingId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TrackingId {
        TrackingId::generate([3, 200, 17, 45, 99, 255, 0, 128, 64])
    }

    #[test]
    fn generated_ids_parse_back_and_display_grouped() {
        let id = sample();
        let shown = id.to_string();
        assert_eq!(shown.len(), 11);
        assert_eq!(&shown[5..6], "-");
        assert_eq!(TrackingId::parse(&shown), Ok(id));
    }

    #[test]
    fn parsing_forgives_case_spacing_and_look_alikes() {
        let shown = sample().to_string();
        let lower = shown.to_lowercase();
        assert_eq!(TrackingId::parse(&lower), Ok(sample()));
        let spaced: String = shown.replace('-', "").chars().flat_map(|c| [c, ' ']).collect();
        assert_eq!(TrackingId::parse(&spaced), Ok(sample()));
        // An ID containing 0 and 1 can be typed with O, I and L.
        let id = TrackingId::generate([0, 1, 0, 1, 0, 1, 0, 1, 0]);
        let typed = id.to_string().replace('0', "o").replacen('1', "I", 1).replace('1', "l");
        assert_eq!(TrackingId::parse(&typed), Ok(id));
    }

    #[test]
    fn every_single_symbol_substitution_is_a_probable_typo() {
        for seed in 0..20u8 {
            let id = TrackingId::generate([seed, seed.wrapping_mul(7), 3, 250, seed ^ 0x55, 9, 31, 64, seed.wrapping_add(100)]);
            let canonical: Vec<u8> = id.0.to_vec();
            for position in 0..LEN {
                for &replacement in ALPHABET.iter() {
                    if replacement == canonical[position] {
                        continue;
                    }
                    let mut typo = canonical.clone();
                    typo[position] = replacement;
                    let typed = String::from_utf8(typo).unwrap();
                    assert_eq!(TrackingId::parse(&typed), Err(TrackingIdError::ProbableTypo), "{typed} vs {id}");
                }
            }
        }
    }

    #[test]
    fn malformed_input_is_not_a_typo() {
        for bad in ["", "ABC", "7K3QD-M2X9C-X", "7K3QD M2X9U", "7K3QD!M2X9C", "ÄK3QD-M2X9C", "12345678901"] {
            assert_eq!(TrackingId::parse(bad), Err(TrackingIdError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn ids_do_not_follow_a_sequence() {
        // Consecutive random inputs give unrelated IDs; nothing is derived
        // from a counter or the clock.
        let a = TrackingId::generate([1, 2, 3, 4, 5, 6, 7, 8, 9]).to_string();
        let b = TrackingId::generate([1, 2, 3, 4, 5, 6, 7, 8, 10]).to_string();
        assert_ne!(a, b);
        assert_eq!(TrackingId::generate([32; 9]), TrackingId::generate([0; 9]), "only the low 5 bits count");
    }

    proptest::proptest! {
        #[test]
        fn any_random_bytes_make_a_valid_id(bytes in proptest::array::uniform9(proptest::num::u8::ANY)) {
            let id = TrackingId::generate(bytes);
            proptest::prop_assert_eq!(TrackingId::parse(&id.to_string()), Ok(id));
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,30}") {
            let _ = TrackingId::parse(&input);
        }
    }
}
