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

    /// A page's language: `?lang=id|en` when the address names one (the
    /// visible language switch is plain links carrying it), else the
    /// `Accept-Language` header's choice ([`Lang::negotiate`]).
    pub fn choose(query_lang: Option<&str>, accept_language: Option<&str>) -> Lang {
        query_lang.and_then(Lang::from_tag).unwrap_or_else(|| Lang::negotiate(accept_language))
    }

    /// The language a `lang` parameter names (`id`, `en`; any case), if any.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().as_str() {
            "id" | "in" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The value of a `lang` query parameter in `query` (`a=1&lang=en`), if any.
    pub fn from_query(query: &str) -> Option<String> {
        form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "lang").map(|(_, v)| v.into_owned())
    }

    /// Both languages, Indonesian first (the language switch lists them).
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// The language's own name, as the switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Id => "Bahasa Indonesia",
            Lang::En => "English",
        }
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

    #[test]
    fn the_address_wins_over_the_header() {
        assert_eq!(Lang::choose(Some("en"), None), Lang::En);
        assert_eq!(Lang::choose(Some("id"), Some("en")), Lang::Id);
        assert_eq!(Lang::choose(Some("EN"), Some("id")), Lang::En);
        assert_eq!(Lang::choose(Some("fr"), Some("en")), Lang::En, "an unknown value leaves it to the header");
        assert_eq!(Lang::choose(None, Some("en-GB")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::Id);
        assert_eq!(Lang::from_query("id=7K3QD&lang=en").as_deref(), Some("en"));
        assert_eq!(Lang::from_query("language=en"), None);
        assert_eq!(Lang::from_tag(" En "), Some(Lang::En));
        assert_eq!(Lang::from_tag("xx"), None);
    }
}
