//! The language of messages shown to people: Bahasa Indonesia or English.

/// A language the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia, the default: the service is Indonesian first.
    Id,
    En,
}

impl Lang {
    /// Picks from an `Accept-Language` header (RFC 9110 §12.5.4), honouring
    /// q-values. Anything unrecognised or absent means Indonesian.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let Some(header) = accept_language else { return Lang::Id };
        let mut best: Option<(f32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "id" | "in" => Lang::Id,
                "en" => Lang::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang).unwrap_or(Lang::Id)
    }

    /// The BCP 47 tag for `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Chooses between an Indonesian and an English text.
    pub fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation() {
        assert_eq!(Lang::negotiate(None), Lang::Id);
        assert_eq!(Lang::negotiate(Some("")), Lang::Id);
        assert_eq!(Lang::negotiate(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(Some("id-ID")), Lang::Id);
        assert_eq!(Lang::negotiate(Some("fr, en;q=0.5")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en;q=0.4, id;q=0.8")), Lang::Id);
        assert_eq!(Lang::negotiate(Some("en;q=0")), Lang::Id);
        assert_eq!(Lang::negotiate(Some("de, fr")), Lang::Id);
        assert_eq!(Lang::negotiate(Some("EN")), Lang::En);
    }
}
