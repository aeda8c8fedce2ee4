//! The static files of the public pages, compiled in.
//!
//! `build.rs` names each file of `static/` by its content's hash, so the
//! `assets` component can serve them with `Cache-Control: immutable` and the
//! `web` component links the same names (`APP_CSS`): a change to a file is
//! a new address, never a stale cache. Adding a file to `static/` is all it
//! takes (its constant is `FILE_EXT`, e.g. `static/embed.js` -> `EMBED_JS`).

/// One static file.
#[derive(Debug)]
pub struct Asset {
    /// The hashed file name served under `/static/`, e.g. `app.3f2a9c01de.css`.
    pub name: &'static str,
    pub content_type: &'static str,
    /// A strong entity tag (quoted), from the content's SHA-256.
    pub etag: &'static str,
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The file served as `/static/{name}`.
pub fn find(name: &str) -> Option<&'static Asset> {
    FILES.iter().find(|asset| asset.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_is_found_under_its_hashed_name_only() {
        let name = APP_CSS.strip_prefix("/static/").unwrap();
        let css = find(name).expect("app.css");
        assert_eq!(css.content_type, "text/css; charset=utf-8");
        assert!(name.starts_with("app.") && name.ends_with(".css") && name.len() == "app.".len() + 10 + ".css".len(), "{name}");
        assert!(css.etag.starts_with('"') && css.etag.ends_with('"') && css.etag.len() == 34);
        assert!(css.etag.contains(&name[4..14]), "the name's hash is the ETag's prefix");
        assert!(find("app.css").is_none(), "never under the plain name");
    }
}
