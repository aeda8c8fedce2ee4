//! Display names that pose as staff or as an official account.
//!
//! A comment signed "Admin LAPOR! (resmi)" reads as the service speaking.
//! Names are refused when, once normalised, they contain one of a short
//! list of role words in Indonesian or English. Normalising undoes the
//! usual disguises: case, accents and compatibility forms (NFKD: "Ádmín",
//! full-width "ａｄｍｉｎ"), invisible characters, punctuation and spacing
//! ("a.d.m.i.n", "A D M I N", "Ad Min"), joined words ("AdminLapor"), and
//! common leetspeak (0→o, 1→i or l, 3→e, 4→a, 5→s, 7→t, 8→b, 9→g, @→a,
//! $→s, | and ! inside a word).
//!
//! The list is short on purpose: every word on it is a role or an
//! institution, not a name people have. Each word has a rule that keeps
//! real names out of it: "admin" may start or end a longer word
//! ("superadmin") but "badminton" is fine; "lapor" must be a word of its
//! own, so "Pelapor" and "Laporta" are fine; and "resmi" ("official") is
//! also an Indonesian given name, so it counts only after another word, the
//! way the adjective follows its noun ("Akun Resmi", "Budi (resmi)"), not
//! in "Resmi Wulandari".

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::invalid::Invalid;

/// Where a role word may appear in a normalised word of the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Only as a whole word (spaced-out letters joined count as one).
    Whole,
    /// As a whole word or at the start of a longer one ("kemenpanrb").
    Start,
    /// As a whole word, or at the start or end of a longer one.
    StartOrEnd,
    /// Only after another word ("akun resmi"), or ending a longer word.
    AfterAnother,
}

use Rule::*;

/// The role words, lower case ASCII.
const CLAIMS: &[(&str, Rule)] = &[
    // Who runs the service and moderates it.
    ("admin", StartOrEnd),
    ("mimin", Whole), // Indonesian internet slang for "admin"
    ("moderator", StartOrEnd),
    ("operator", StartOrEnd),
    ("verifikator", Start),
    ("petugas", StartOrEnd),
    ("pejabat", StartOrEnd),
    ("staf", Whole),
    ("staff", StartOrEnd),
    ("humas", Start), // hubungan masyarakat: an agency's press office
    // Claims of being official.
    ("official", StartOrEnd),
    ("resmi", AfterAnother),
    ("verified", StartOrEnd),
    ("terverifikasi", Start),
    // The service and government as the speaker.
    ("lapor", Whole),
    ("pemerintah", Start),
    ("kementerian", Start),
    ("kemenpan", Start), // KemenPANRB runs LAPOR!/SP4N
];

/// Refuses a display name that claims a staff or official role.
pub fn refuse_official_claim(field: &str, name: &str) -> Result<(), Invalid> {
    match official_claim(name) {
        None => Ok(()),
        Some(word) => Err(Invalid::new(
            field,
            format!("Nama tampilan tidak boleh mengaku sebagai petugas atau akun resmi (\"{word}\"). Pilih nama lain."),
            format!("A display name may not claim to be staff or an official account (\"{word}\"). Choose another name."),
        )),
    }
}

/// The role word `name` claims, if any.
pub fn official_claim(name: &str) -> Option<&'static str> {
    [Some('i'), Some('l'), None]
        .into_iter()
        .flat_map(|one_as| [words(name, one_as, false), words(name, one_as, true)])
        .find_map(|words| claim_in(&words))
}

fn claim_in(words: &[String]) -> Option<&'static str> {
    for (i, word) in words.iter().enumerate() {
        for &(claim, rule) in CLAIMS {
            let whole = word == claim;
            let longer = word.len() > claim.len();
            let hit = match rule {
                Whole => whole,
                Start => whole || (longer && word.starts_with(claim)),
                StartOrEnd => whole || (longer && (word.starts_with(claim) || word.ends_with(claim))),
                AfterAnother => (whole && i > 0) || (longer && word.ends_with(claim)),
            };
            if hit {
                return Some(claim);
            }
        }
    }
    // Words split up to hide them: "a d m i n", "Ad Min", "s t a f f".
    for start in 0..words.len() {
        let mut joined = String::new();
        for (n, word) in words[start..].iter().enumerate() {
            joined.push_str(word);
            if joined.len() > 15 {
                break;
            }
            if n > 0 {
                if let Some(&(claim, rule)) = CLAIMS.iter().find(|(claim, _)| joined == *claim) {
                    if rule != AfterAnother || start > 0 {
                        return Some(claim);
                    }
                }
            }
        }
    }
    None
}

/// The name as lower-case ASCII-ish words. `one_as` is what 1, | and ! read
/// as inside a word (leetspeak); `None` reads no leetspeak at all and splits
/// words where letters meet digits instead ("LAPOR1708" is "lapor 1708").
/// `camel` splits where a capital follows a small letter ("TimLapor").
fn words(name: &str, one_as: Option<char>, camel: bool) -> Vec<String> {
    let chars: Vec<char> = name
        .nfkd()
        .filter(|c| c.general_category_group() != GeneralCategoryGroup::Mark && c.general_category() != GeneralCategory::Format)
        .collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for (i, &c) in chars.iter().enumerate() {
        let next_is_letter = chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        let mapped = match one_as {
            Some(one) => leet(c, one, !current.is_empty() && next_is_letter),
            None => Some(c),
        };
        let Some(mapped) = mapped.filter(|m| m.is_alphanumeric()) else {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        };
        let letters_meet_digits = one_as.is_none()
            && current.chars().last().is_some_and(|last| last.is_ascii_digit() != mapped.is_ascii_digit());
        if (camel && previous_lower && mapped.is_uppercase()) || letters_meet_digits {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = mapped.is_lowercase();
        current.extend(mapped.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A leetspeak character as the letter it stands for. `!` and `|` stand for
/// a letter only inside a word ("Adm!n"), never at its end ("LAPOR!").
fn leet(c: char, one_as: char, inside_word: bool) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => one_as,
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '!' | '|' if inside_word => one_as,
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_claims_are_refused_however_they_are_written() {
        for (name, word) in [
            ("Admin LAPOR! (resmi)", "admin"),
            ("ADMIN", "admin"),
            ("Adm1n", "admin"),
            ("Adm!n Pusat", "admin"),
            ("@dmin", "admin"),
            ("a.d.m.i.n", "admin"),
            ("A D M I N", "admin"),
            ("Ad Min", "admin"),
            ("Ádmín", "admin"),
            ("ａｄｍｉｎ", "admin"),
            ("Ad\u{200B}min", "admin"),
            ("AdminLapor", "admin"),
            ("TimLapor", "lapor"),
            ("superadmin", "admin"),
            ("Administrator", "admin"),
            ("Mimin", "mimin"),
            ("Moderator", "moderator"),
            ("0perat0r", "operator"),
            ("Petugas Dinas", "petugas"),
            ("Pejabat Kota", "pejabat"),
            ("Staf Kelurahan", "staf"),
            ("5taff", "staff"),
            ("Humas Pemkot", "humas"),
            ("Offic1al", "official"),
            ("Akun Resmi", "resmi"),
            ("Budi (resmi)", "resmi"),
            ("LAPOR!", "lapor"),
            ("Tim Lapor", "lapor"),
            ("LAPOR1708", "lapor"),
            ("L4P0R", "lapor"),
            ("Pemerintah Kota Bandung", "pemerintah"),
            ("Kementerian PUPR", "kementerian"),
            ("KemenPANRB", "kemenpan"),
            ("Verified ✓", "verified"),
            ("Terverifikasi", "terverifikasi"),
            ("Verifikator", "verifikator"),
        ] {
            assert_eq!(official_claim(name), Some(word), "{name:?}");
        }
    }

    #[test]
    fn real_names_are_not_claims() {
        for name in [
            "Budi Santoso",
            "Resmi Wulandari",
            "Resmi",
            "Pelapor",
            "Warga Bandung",
            "Mustafa",
            "Stefani",
            "Humaira",
            "Joan Laporta",
            "Klub Badminton",
            "Ibu Siti 2024",
            "Pak RT 05",
            "Ni Luh Putu Ayu",
            "محمد",
            "ꦧꦸꦢꦶ",
        ] {
            assert_eq!(official_claim(name), None, "{name:?}");
        }
    }

    #[test]
    fn the_refusal_names_the_field_in_both_languages() {
        let refused = refuse_official_claim("display_name", "Admin").unwrap_err();
        assert_eq!(refused.field, "display_name");
        assert!(refused.id.contains("petugas") && refused.en.contains("staff"), "{refused:?}");
        assert!(refuse_official_claim("display_name", "Budi").is_ok());
    }
}
