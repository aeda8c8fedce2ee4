//! The one layout of every public page: `<html lang>`, skip link, header
//! with the service name, the language switch and the main navigation, the
//! page's own content in `<main>`, and the footer.
//!
//! No script and no inline style (the CSP in `lapor_platform::headers`
//! forbids both): the only stylesheet is `lapor_web_assets::APP_CSS`, a
//! content-hashed file the `assets` component serves. The language comes
//! from `?lang=` when the address names one (the switch is plain links), else
//! from `Accept-Language`; a language chosen in the address is carried on
//! every link of the page ([`Ctx::href`]), so it stays chosen while browsing.

use lapor_domain::lang::Lang;
use lapor_platform::response::escape_html;
use maud::{html, Markup, PreEscaped, Render, DOCTYPE};

/// The service's name, as the header and titles show it.
pub const SERVICE: &str = "LAPOR!";

/// What every page is rendered for.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The language was chosen by `?lang=` (so links carry it on).
    pub lang_in_address: bool,
    /// The page's own path (for the language switch); always a plain
    /// same-site path.
    pub path: String,
}

impl Ctx {
    /// The context of a request for `path` with query `query` and header `accept_language`.
    pub fn new(path: &str, query: &str, accept_language: Option<&str>) -> Ctx {
        let named = Lang::from_query(query).as_deref().and_then(Lang::from_tag);
        let lang = named.unwrap_or_else(|| Lang::negotiate(accept_language));
        Ctx { lang, lang_in_address: named.is_some(), path: same_site_path(path) }
    }

    /// Picks the text of the page's language.
    pub fn t<'a>(&self, id: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(id, en)
    }

    /// A link to `path` on this site, in this page's language when the
    /// address chose it.
    pub fn href(&self, path: &str) -> String {
        if self.lang_in_address { with_lang(path, self.lang) } else { path.to_string() }
    }
}

/// `path` with `lang=` added to its query.
/// The header's language switch (public pages and the staff console): this
/// page in each language, the current one marked.
pub fn language_switch(ctx: &Ctx) -> Markup {
    html! {
        ul.langs aria-label=(ctx.t("Bahasa", "Language")) {
            @for other in Lang::ALL {
                li {
                    @if other == ctx.lang {
                        a href=(with_lang(&ctx.path, other)) lang=(other.tag()) hreflang=(other.tag()) aria-current="true" { (other.name()) }
                    } @else {
                        a href=(with_lang(&ctx.path, other)) lang=(other.tag()) hreflang=(other.tag()) { (other.name()) }
                    }
                }
            }
        }
    }
}

pub fn with_lang(path: &str, lang: Lang) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}lang={}", lang.tag())
}

/// `path` if it is a plain path of this site, else `/`: never `//host` or
/// `/\host`, which a browser would read as another site.
fn same_site_path(path: &str) -> String {
    let plain = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
    if plain { path.to_string() } else { "/".to_string() }
}

/// Text someone typed. maud already escapes `& < > "`; this also escapes `'`
/// (as `&#39;`), so the text stays inert in any attribute quoting.
pub struct Typed<'a>(pub &'a str);

impl Render for Typed<'_> {
    fn render(&self) -> Markup {
        PreEscaped(escape_html(self.0))
    }
}

/// The sections of the main navigation; a page names the one it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Report,
    Track,
    Browse,
    HowItWorks,
    Privacy,
    Performance,
    /// Error pages: no item is current.
    None,
}

fn nav_items(ctx: &Ctx) -> [(Section, &'static str, &'static str); 7] {
    [
        (Section::Home, "/", ctx.t("Beranda", "Home")),
        (Section::Report, "/lapor/baru", ctx.t("Lapor", "Report")),
        (Section::Track, "/lapor", ctx.t("Lacak", "Track")),
        (Section::Browse, "/laporan", ctx.t("Telusuri", "Browse")),
        (Section::Performance, "/kinerja", ctx.t("Kinerja", "Performance")),
        (Section::HowItWorks, "/cara-kerja", ctx.t("Cara kerja", "How it works")),
        (Section::Privacy, "/privasi", ctx.t("Privasi", "Privacy")),
    ]
}

/// A whole page: `title` (the service name is added), the navigation
/// section it belongs to, and its content.
pub fn document(ctx: &Ctx, title: &str, section: Section, content: Markup) -> Markup {
    document_with_script(ctx, title, section, content, None)
}

/// [`document`] with one script of ours (a `lapor_web_assets` address),
/// loaded `defer`: pages work without it, it only enhances.
pub fn document_with_script(ctx: &Ctx, title: &str, section: Section, content: Markup, script: Option<&str>) -> Markup {
    let lang = ctx.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) " · LAPOR" }
                link rel="stylesheet" href=(lapor_web_assets::APP_CSS);
                // No favicon request (there is no icon yet).
                link rel="icon" href="data:,";
                @if let Some(script) = script {
                    script src=(script) defer {}
                }
            }
            body {
                a.skip href="#isi" { (ctx.t("Langsung ke isi", "Skip to content")) }
                header.site {
                    div.wrap {
                        a.brand href=(ctx.href("/")) {
                            (SERVICE)
                            small { (ctx.t("Layanan Aspirasi dan Pengaduan Online Rakyat", "Public complaints and aspirations service")) }
                        }
                        (language_switch(ctx))
                    }
                }
                nav.main aria-label=(ctx.t("Menu utama", "Main menu")) {
                    ul {
                        @for (item, path, label) in nav_items(ctx) {
                            li {
                                @if item == section {
                                    a href=(ctx.href(path)) aria-current="page" { (label) }
                                } @else {
                                    a href=(ctx.href(path)) { (label) }
                                }
                            }
                        }
                    }
                }
                main.wrap #isi tabindex="-1" { (content) }
                footer {
                    div.wrap {
                        p { (ctx.t(
                            "LAPOR! terbuka: layanan pengaduan dan aspirasi publik. Tanpa iklan, tanpa pelacak, tanpa permintaan ke pihak ketiga.",
                            "Open LAPOR!: the public complaints and aspirations service. No ads, no trackers, no third-party requests.",
                        )) }
                        ul {
                            li { a href=(ctx.href("/cara-kerja")) { (ctx.t("Cara kerja", "How it works")) } }
                            li { a href=(ctx.href("/privasi")) { (ctx.t("Privasi", "Privacy")) } }
                            li { a href="/api/v1/reports" { "API" } }
                        }
                    }
                }
            }
        }
    }
}
