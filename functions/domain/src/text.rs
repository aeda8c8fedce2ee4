//! Free-text fields: trimmed, free of control and invisible format
//! characters, within limits.
//!
//! Every free-text type (titles, bodies, notes, names, addresses, comments,
//! display names, moderation reasons) goes through [`clean`], so one rule
//! covers them all:
//!
//! - Control characters go (line breaks and tabs stay in multi-line text).
//! - Format characters (Unicode category Cf) go: zero-width spaces, word
//!   joiners, soft hyphens, byte-order marks, and every bidi control:
//!   embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and
//!   marks (U+200E, U+200F, U+061C). An override stored as typed would turn
//!   `gpj.exe` into what looks like `exe.jpg` wherever it is shown, and a
//!   run of zero-width characters would pass for a title.
//! - Two format characters are kept where they mean something: the zero-width
//!   joiner (U+200D) and non-joiner (U+200C) between two visible characters,
//!   once. ZWJ builds emoji sequences (👩‍⚕️) and both shape Indic and Arabic
//!   scripts (Jawi, Devanagari); anywhere else they are invisible padding.
//!   Tag characters stay after a black flag (🏴 + tags = the flag of a region).
//!
//! Minimum lengths count *visible* characters: grapheme clusters (what a
//! reader sees as one character, `unicode-segmentation`) that contain
//! something other than whitespace and default-ignorable code points (such
//! as variation selectors or the Hangul filler used for "blank" names). So
//! a title made only of invisible characters is "Required", and 💡 or a
//! Javanese syllable with its vowel sign counts as one.
//!
//! Maximum lengths count Unicode scalar values, as before: one grapheme can
//! carry any number of combining marks, and the upper limit is what bounds
//! what is stored. Either way Javanese, Arabic or emoji text gets the same
//! room as Latin text, since neither counts bytes.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use crate::invalid::{char_count, Invalid};

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';
const BLACK_FLAG: char = '\u{1F3F4}';

fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt):
/// code points that render as nothing when not supported otherwise; plus
/// the Braille blank (U+2800), which renders as an empty cell.
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

fn is_format(c: char) -> bool {
    c.general_category() == GeneralCategory::Format
}

/// Something that shows: not whitespace, not a control, not ignorable.
fn shows(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !is_ignorable(c)
}

/// What a joiner may stand between: something visible, or the emoji
/// presentation selector that ends an emoji (❤️‍🔥 is ❤ U+FE0F ZWJ 🔥).
fn joinable(c: char) -> bool {
    shows(c) || matches!(c, '\u{FE0E}' | '\u{FE0F}')
}

/// Removes format characters, keeping ZWJ/ZWNJ once between two visible
/// characters and tag characters after a black flag (see the module docs).
fn strip_invisible(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut kept = String::with_capacity(raw.len());
    let mut previous: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        let keep = if c == ZWJ || c == ZWNJ {
            let next = chars.get(i + 1).copied();
            previous.is_some_and(joinable) && next.is_some_and(joinable)
        } else if is_tag(c) {
            previous.is_some_and(|p| p == BLACK_FLAG || is_tag(p))
        } else {
            !is_format(c)
        };
        if keep {
            kept.push(c);
            previous = Some(c);
        }
    }
    kept
}

/// Grapheme clusters with something visible in them: what minimum lengths count.
pub fn visible_count(s: &str) -> usize {
    s.graphemes(true).filter(|g| g.chars().any(shows)).count()
}

/// Removes control and format characters (keeping line breaks and tabs when
/// `multiline`) and trims. Single-line text also has its runs of whitespace
/// collapsed.
fn clean(raw: &str, multiline: bool) -> String {
    let raw = strip_invisible(raw);
    if multiline {
        let kept: String = raw
            .replace("\r\n", "\n")
            .chars()
            .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
            .collect();
        kept.trim().to_string()
    } else {
        raw.split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn bounded(field: &str, raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, Invalid> {
    let text = clean(raw, multiline);
    let visible = visible_count(&text);
    if visible == 0 && min > 0 {
        return Err(Invalid::required(field));
    }
    if visible < min {
        let n = visible;
        return Err(Invalid::new(
            field,
            format!("Terlalu pendek: minimal {min} karakter (sekarang {n})."),
            format!("Too short: at least {min} characters (now {n})."),
        ));
    }
    let n = char_count(&text);
    if n > max {
        return Err(Invalid::new(
            field,
            format!("Terlalu panjang: maksimal {max} karakter (sekarang {n})."),
            format!("Too long: at most {max} characters (now {n})."),
        ));
    }
    Ok(text)
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, multiline: $multiline:expr) => {
        text_type!($(#[$doc])* $name, $min, $max, multiline: $multiline, also: |_, _| Ok(()));
    };
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, multiline: $multiline:expr, also: $also:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MIN_CHARS: usize = $min;
            pub const MAX_CHARS: usize = $max;

            /// Cleans and checks `raw`; `field` names it in the error.
            pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
                let text = bounded(field, raw, $min, $max, $multiline)?;
                let also: fn(&str, &str) -> Result<(), Invalid> = $also;
                also(field, &text)?;
                Ok(Self(text))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// A report's title: one line of 5 to 150 characters.
    Title, 5, 150, multiline: false
);
text_type!(
    /// A report's body: 20 to 5,000 characters, line breaks kept.
    Body, 20, 5000, multiline: true
);
text_type!(
    /// A short message between people: a hold reason, a follow-up, a reply.
    Note, 5, 5000, multiline: true
);
text_type!(
    /// The name of a report category in one language: one line of 2 to 100 characters.
    CategoryName, 2, 100, multiline: false
);
text_type!(
    /// A reporter's name as they give it.
    PersonName, 1, 100, multiline: false
);
text_type!(
    /// A free-text address or place description.
    Address, 1, 500, multiline: false
);
text_type!(
    /// A public comment on a report: 1 to 2,000 characters, line breaks kept.
    /// Stored as typed; every HTML surface escapes it.
    CommentBody, 1, 2000, multiline: true
);
text_type!(
    /// The name a commenter chooses to show (optional; "Warga" when absent).
    /// It may not claim a staff or official role (`impersonation`).
    DisplayName, 1, 60, multiline: false, also: crate::impersonation::refuse_official_claim
);
text_type!(
    /// Why someone flags a comment, or why staff hide one.
    ModerationReason, 1, 500, multiline: false
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_limits_count_characters_not_bytes() {
        assert!(Title::parse("title", "Jalan").is_ok());
        assert!(Title::parse("title", "Jlan").is_err());
        // Five Javanese-script characters are 15 bytes but 5 characters.
        assert!(Title::parse("title", "ꦗꦭꦤꦫꦱ").is_ok());
        // Counted as a reader sees them: the pangkon (virama) stacks the next
        // letter under the one before (a pasangan): ꦤ꧀ꦫ is one, three in all.
        assert_eq!(Title::parse("title", "ꦗꦭꦤ꧀ꦫ").unwrap_err().en, "Too short: at least 5 characters (now 3).");
        assert!(Title::parse("title", &"é".repeat(150)).is_ok());
        let too_long = Title::parse("title", &"é".repeat(151)).unwrap_err();
        assert_eq!(too_long.field, "title");
        assert_eq!(too_long.en, "Too long: at most 150 characters (now 151).");
        assert_eq!(too_long.id, "Terlalu panjang: maksimal 150 karakter (sekarang 151).");
    }

    #[test]
    fn title_is_one_clean_line() {
        let t = Title::parse("title", "  Jalan\n\trusak \u{0}di   Bekasi  ").unwrap();
        assert_eq!(t.as_str(), "Jalan rusak di Bekasi");
        assert_eq!(Title::parse("title", "   \n ").unwrap_err().en, "Required.");
    }

    #[test]
    fn body_keeps_line_breaks_and_drops_control_characters() {
        let b = Body::parse("body", " Baris satu cukup panjang.\r\nBaris dua\u{7}\u{1b}[31m. ").unwrap();
        assert_eq!(b.as_str(), "Baris satu cukup panjang.\nBaris dua[31m.");
        assert!(Body::parse("body", &"x".repeat(19)).is_err());
        assert!(Body::parse("body", &"x".repeat(5000)).is_ok());
        assert!(Body::parse("body", &"x".repeat(5001)).is_err());
    }

    #[test]
    fn comment_limits() {
        assert!(CommentBody::parse("body", "ok").is_ok());
        assert_eq!(CommentBody::parse("body", " \n ").unwrap_err().en, "Required.");
        assert!(CommentBody::parse("body", &"ü".repeat(2000)).is_ok());
        assert!(CommentBody::parse("body", &"ü".repeat(2001)).is_err());
        // Markup is text: kept as typed, escaped where rendered.
        let xss = CommentBody::parse("body", "<script>alert(1)</script>").unwrap();
        assert_eq!(xss.as_str(), "<script>alert(1)</script>");
        assert_eq!(DisplayName::parse("display_name", " Budi\n S ").unwrap().as_str(), "Budi S");
        assert!(DisplayName::parse("display_name", &"a".repeat(61)).is_err());
    }

    #[test]
    fn text_of_only_invisible_characters_is_empty() {
        // Zero-width space, joiners, word joiner, BOM, soft hyphen, bidi
        // controls, variation selectors, the Hangul filler, the Braille blank.
        let invisible = "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{00AD}\u{202E}\u{2066}\u{200F}\u{FE0F}\u{3164}\u{2800}";
        assert_eq!(Title::parse("title", invisible).unwrap_err().en, "Required.");
        assert_eq!(Body::parse("body", invisible).unwrap_err().en, "Required.");
        assert_eq!(CommentBody::parse("body", invisible).unwrap_err().en, "Required.");
        assert_eq!(DisplayName::parse("display_name", invisible).unwrap_err().en, "Required.");
        assert_eq!(PersonName::parse("name", &"\u{200B}".repeat(50)).unwrap_err().en, "Required.");
        assert_eq!(Address::parse("address", "\u{3164}\u{3164}").unwrap_err().en, "Required.");
        // Invisible characters do not make a short title long enough.
        let padded = Title::parse("title", "Ab\u{200B}\u{200B}\u{200B}\u{200B}c").unwrap_err();
        assert_eq!(padded.en, "Too short: at least 5 characters (now 3).");
        assert_eq!(Title::parse("title", "Ab\u{200B}cd").unwrap_err().en, "Too short: at least 5 characters (now 4).");
    }

    #[test]
    fn bidi_controls_are_removed() {
        // "gpj.exe" behind a right-to-left override displays as "exe.jpg".
        let t = Title::parse("title", "Foto \u{202E}gpj.exe\u{202C} terlampir").unwrap();
        assert_eq!(t.as_str(), "Foto gpj.exe terlampir");
        for control in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}'] {
            let b = Body::parse("body", &format!("Jalan berlubang {control}di depan sekolah dasar")).unwrap();
            assert_eq!(b.as_str(), "Jalan berlubang di depan sekolah dasar", "U+{:04X}", control as u32);
        }
        let c = CommentBody::parse("body", "baris\u{2067}satu\n\u{2069}baris dua").unwrap();
        assert_eq!(c.as_str(), "barissatu\nbaris dua");
    }

    #[test]
    fn joiners_stay_only_where_they_join() {
        // Emoji ZWJ sequences: woman health worker, heart on fire, a family.
        for emoji in ["👩\u{200D}⚕\u{FE0F}", "❤\u{FE0F}\u{200D}🔥", "👨\u{200D}👩\u{200D}👧"] {
            assert_eq!(CommentBody::parse("body", emoji).unwrap().as_str(), emoji);
            assert_eq!(visible_count(emoji), 1, "{emoji:?} is one visible character");
        }
        // A joiner in Devanagari (half form) and a non-joiner in Persian script.
        assert_eq!(CommentBody::parse("body", "क्\u{200D}ष").unwrap().as_str(), "क्\u{200D}ष");
        assert_eq!(CommentBody::parse("body", "می\u{200C}خواهم").unwrap().as_str(), "می\u{200C}خواهم");
        // Leading, trailing, doubled or space-adjacent joiners are padding.
        assert_eq!(CommentBody::parse("body", "\u{200D}a\u{200D}\u{200D}b\u{200C} c\u{200C}").unwrap().as_str(), "a\u{200D}b c");
        // A subdivision flag keeps its tag characters (🏴 + "gbsct" + cancel tag).
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(CommentBody::parse("body", scotland).unwrap().as_str(), scotland);
        assert_eq!(CommentBody::parse("body", "a\u{E0067}b").unwrap().as_str(), "ab");
    }

    #[test]
    fn visible_characters_are_what_a_reader_counts() {
        assert_eq!(visible_count("Jalan"), 5);
        assert_eq!(visible_count("💡 di"), 3);
        // A Javanese syllable with its vowel sign is one; e + combining acute is one.
        assert_eq!(visible_count("ꦧꦸ"), 1);
        assert_eq!(visible_count("e\u{301}"), 1);
        assert_eq!(visible_count(" \u{FE0F}\u{3164} "), 0);
        assert!(Title::parse("title", "💡💡💡💡💡").is_ok());
        assert!(Title::parse("title", "💡💡💡💡").is_err());
    }

    #[test]
    fn display_names_may_not_claim_a_role() {
        let refused = DisplayName::parse("display_name", "Admin LAPOR! (resmi)").unwrap_err();
        assert_eq!(refused.field, "display_name");
        assert!(refused.en.contains("official"), "{refused:?}");
        assert!(DisplayName::parse("display_name", "A\u{200B}dmin").is_err());
        assert_eq!(DisplayName::parse("display_name", "Resmi Wulandari").unwrap().as_str(), "Resmi Wulandari");
        // Other free text may say "admin".
        assert!(CommentBody::parse("body", "Admin tolong cek").is_ok());
    }

    #[test]
    fn emoji_and_combining_marks_are_kept() {
        let t = Title::parse("title", "Lampu mati 💡 di gang").unwrap();
        assert_eq!(t.as_str(), "Lampu mati 💡 di gang");
    }
}
