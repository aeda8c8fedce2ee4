//! A reporter's contact details: Indonesian phone numbers and e-mail addresses.

use crate::invalid::Invalid;

/// An Indonesian phone number in E.164 form, `+62` followed by the national
/// number without its leading 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts the ways people write numbers: `0812-3456-7890`,
    /// `+62 812 3456 7890`, `62812...`, `(021) 555-1234`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let invalid = || {
            Invalid::new(
                field,
                "Nomor telepon Indonesia tidak valid (contoh: 0812-3456-7890 atau +62 812 3456 7890).",
                "Not a valid Indonesian phone number (e.g. 0812-3456-7890 or +62 812 3456 7890).",
            )
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Invalid::required(field));
        }
        let mut digits = String::new();
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(invalid()),
            }
        }
        let national = if trimmed.starts_with('+') {
            digits.strip_prefix("62").ok_or_else(invalid)?
        } else if let Some(rest) = digits.strip_prefix("62") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(invalid());
        };
        // National significant numbers are 8 to 12 digits and never start with 0.
        if !(8..=12).contains(&national.len()) || national.starts_with('0') {
            return Err(invalid());
        }
        Ok(Self(format!("+62{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A mobile number (`+628...`), which can receive SMS and WhatsApp.
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with("+628")
    }
}

/// An e-mail address, checked for shape only (delivery proves the rest).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new(field, "Alamat email tidak valid.", "Not a valid e-mail address.");
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::required(field));
        }
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        // Domains are case-insensitive; local parts are kept as written.
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_normalise_to_e164() {
        for (raw, expected) in [
            ("0812-3456-7890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("(021) 555-1234", "+62215551234"),
            ("0812.3456.789", "+628123456789"),
        ] {
            assert_eq!(PhoneNumber::parse("phone", raw).unwrap().as_str(), expected, "{raw}");
        }
        assert!(PhoneNumber::parse("p", "0812-3456-7890").unwrap().is_mobile());
        assert!(!PhoneNumber::parse("p", "021 555 1234").unwrap().is_mobile());
    }

    #[test]
    fn foreign_short_long_and_junk_numbers_are_refused() {
        for raw in ["+1 202 555 0100", "0812", "0812345678901234", "08x2345678", "++6281234567", "00812345678", "81234567890", "+62 0812 3456 789"] {
            let e = PhoneNumber::parse("reporter.phone", raw).unwrap_err();
            assert_eq!(e.field, "reporter.phone", "{raw}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(Email::parse("e", " Siti.Aminah@Mail.CO.ID ").unwrap().as_str(), "Siti.Aminah@mail.co.id");
        for bad in ["", "siti", "siti@", "@mail.id", "siti@mail", "si ti@mail.id", "siti@mail..id", "siti@.mail.id"] {
            assert!(Email::parse("e", bad).is_err(), "{bad:?}");
        }
    }
}
