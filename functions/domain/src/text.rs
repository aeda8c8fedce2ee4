//! Free-text fields: trimmed, free of control characters, within limits.
//!
//! Limits count Unicode characters, not bytes, so Javanese, Arabic or emoji
//! text gets the same room as Latin text.

use crate::invalid::{char_count, Invalid};

/// Removes control characters (keeping line breaks and tabs when `multiline`)
/// and trims. Single-line text also has its runs of whitespace collapsed.
fn clean(raw: &str, multiline: bool) -> String {
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
    let n = char_count(&text);
    if n == 0 && min > 0 {
        return Err(Invalid::new(field, "Wajib diisi.", "Required."));
    }
    if n < min {
        return Err(Invalid::new(
            field,
            format!("Terlalu pendek: minimal {min} karakter (sekarang {n})."),
            format!("Too short: at least {min} characters (now {n})."),
        ));
    }
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
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MIN_CHARS: usize = $min;
            pub const MAX_CHARS: usize = $max;

            /// Cleans and checks `raw`; `field` names it in the error.
            pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
                bounded(field, raw, $min, $max, $multiline).map(Self)
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
    DisplayName, 1, 60, multiline: false
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
        assert!(Title::parse("title", "ꦗꦭꦤ꧀ꦫ").is_ok());
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
    fn emoji_and_combining_marks_are_kept() {
        let t = Title::parse("title", "Lampu mati 💡 di gang").unwrap();
        assert_eq!(t.as_str(), "Lampu mati 💡 di gang");
    }
}
