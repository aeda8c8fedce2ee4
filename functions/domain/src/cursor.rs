//! Opaque keyset-pagination cursors: "continue after this (time, id)".
//!
//! Keyset pagination stays fast and stable while new reports arrive, unlike
//! offsets. The cursor is opaque to clients so its shape can change.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: String,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}|{}", self.created_at, self.id))
    }

    /// `None` for anything this service did not produce.
    pub fn decode(raw: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (created_at, id) = text.rsplit_once('|')?;
        if created_at.is_empty() || created_at.len() > 40 {
            return None;
        }
        Some(Cursor { created_at: created_at.to_string(), id: id.parse().ok()? })
    }
}

/// A cursor over a single text key (listings ordered by a unique code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCursor(pub String);

impl KeyCursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("k|{}", self.0))
    }

    pub fn decode(raw: &str) -> Option<KeyCursor> {
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let key = text.strip_prefix("k|")?;
        (!key.is_empty() && key.len() <= 128).then(|| KeyCursor(key.to_string()))
    }
}

/// Page size: `limit` from the query, default 20, at most `max`.
pub fn page_size(raw: Option<&str>, max: u32) -> Result<u32, ()> {
    match raw {
        None => Ok(20.min(max)),
        Some(s) if s.trim().is_empty() => Ok(20.min(max)),
        Some(s) => match s.trim().parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_garbage() {
        let c = Cursor { created_at: "2026-11-23T02:00:00.000Z".into(), id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in ["", "!!!", "bm9waXBl", &URL_SAFE_NO_PAD.encode("x|notanumber")] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn key_cursors() {
        let c = KeyCursor("pemkot-32.73".into());
        assert_eq!(KeyCursor::decode(&c.encode()), Some(c));
        assert_eq!(KeyCursor::decode(&Cursor { created_at: "x".into(), id: 1 }.encode()), None);
        assert_eq!(KeyCursor::decode("%%%"), None);
    }

    #[test]
    fn page_sizes() {
        assert_eq!(page_size(None, 100), Ok(20));
        assert_eq!(page_size(Some("100"), 100), Ok(100));
        assert_eq!(page_size(Some("0"), 100), Err(()));
        assert_eq!(page_size(Some("101"), 100), Err(()));
        assert_eq!(page_size(Some("ten"), 100), Err(()));
    }
}
