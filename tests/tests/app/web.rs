//! The web front door over HTTP: the public pages in both languages, their
//! security headers, the static files (hashed names, ETags, 304), and
//! compression on every component's response path. What only a browser can
//! tell (rendering, accessibility, the requests a page makes) is in
//! `browser.rs`.

use integration_tests::fixtures::{create_staff, file_and_dispatch, AGENCY_A, BOOTSTRAP};
use integration_tests::{AppConfig, TestApp};
use lapor_domain::sla::{COMPLETION_WORKING_DAYS, RESPONSE_WORKING_DAYS, VERIFICATION_WORKING_DAYS};
use serde_json::{json, Value};

fn report(title: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": title,
        "body": "Trotoar di depan pasar rusak parah dan membahayakan pejalan kaki, terutama anak sekolah.",
        "privacy": "anonymous",
        "reporter": {"name": "Dewi Lestari", "phone": "0812-7777-8888"}
    })
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn page(app: &TestApp, path: &str, accept_language: Option<&str>) -> (reqwest::header::HeaderMap, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(language) = accept_language {
        request = request.header("accept-language", language);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

fn assert_page_headers(headers: &reqwest::header::HeaderMap, what: &str) {
    assert_eq!(headers["content-type"], "text/html; charset=utf-8", "{what}");
    assert_eq!(headers["content-security-policy"], CSP, "{what}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{what}");
}

#[tokio::test]
async fn every_page_speaks_indonesian_first_and_english_when_asked() {
    let app = TestApp::spawn().await;
    let id = app.file(&report("Trotoar rusak di depan pasar")).await["tracking_id"].as_str().unwrap().to_string();
    let tracking = format!("/lapor/{id}");
    for (path, indonesian, english) in [
        ("/", "Buat laporan", "File a report"),
        ("/cara-kerja", "hari kerja", "working days"),
        ("/privasi", "Yang tidak dapat dijamin", "What cannot be guaranteed"),
        ("/lapor", "Lacak laporan", "Track a report"),
        (tracking.as_str(), "Menunggu verifikasi", "Awaiting verification"),
    ] {
        let (headers, html) = page(&app, path, None).await;
        assert_page_headers(&headers, path);
        assert_eq!(headers["content-language"], "id", "{path}");
        assert!(html.contains("<html lang=\"id\">") && html.contains(indonesian), "{path}: {html}");
        assert!(!html.contains(english), "{path}");

        let (headers, html) = page(&app, path, Some("en-GB,en;q=0.9")).await;
        assert_eq!(headers["content-language"], "en", "{path}");
        assert!(html.contains("<html lang=\"en\">") && html.contains(english), "{path}: {html}");

        // The address wins over the header, and the page's links keep the choice.
        let (_, html) = page(&app, &format!("{path}?lang=en"), Some("id")).await;
        assert!(html.contains("<html lang=\"en\">") && html.contains(english), "{path}?lang=en");
        assert!(html.contains("href=\"/privasi?lang=en\""), "{path}?lang=en: links carry the language");
        let (_, html) = page(&app, &format!("{path}?lang=id"), Some("en")).await;
        assert!(html.contains("<html lang=\"id\">") && html.contains(indonesian), "{path}?lang=id");

        // The switch: plain links to this page in each language, the current one marked.
        let (_, html) = page(&app, path, None).await;
        let here = path.split('?').next().unwrap();
        assert!(html.contains(&format!("href=\"{here}?lang=en\" lang=\"en\" hreflang=\"en\">English</a>")), "{path}: {html}");
        assert!(html.contains(&format!("href=\"{here}?lang=id\" lang=\"id\" hreflang=\"id\" aria-current=\"true\">Bahasa Indonesia</a>")), "{path}");
        for nav in ["href=\"/\"", "href=\"/lapor/baru\"", "href=\"/lapor\"", "href=\"/cara-kerja\"", "href=\"/privasi\"", "href=\"#isi\""] {
            assert!(html.contains(nav), "{path}: {nav}");
        }
        assert!(!html.contains("<style") && !html.contains("style=") && !html.contains("<script"), "{path}: nothing inline");
    }
    // The lookup keeps the language through its redirect.
    let response = app.get(&format!("/lapor?id={id}&lang=en")).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/lapor/{id}?lang=en").as_str());
    app.stop().await;
}

#[tokio::test]
async fn error_pages_have_the_layout_and_the_headers() {
    let app = TestApp::spawn().await;
    for (path, status) in [("/lapor/nonsense/x", 404), ("/lapor/not-an-id", 400)] {
        let response = app.client.get(app.url(path)).header("accept-language", "en").send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        assert_page_headers(&headers, path);
        assert!(html.contains("<html lang=\"en\">") && html.contains("Skip to content"), "{path}: {html}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_home_page_lists_recent_verified_reports_and_the_national_figures() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let admin = create_staff(&app, BOOTSTRAP, json!({"role": "admin", "name": "Admin Pusat"})).await;
    let (listed, _) = file_and_dispatch(&app, &report("Lampu jalan <padam> & gelap"), &admin, AGENCY_A).await;
    let unverified = app.file(&report("Selokan tersumbat belum diverifikasi")).await["tracking_id"].as_str().unwrap().to_string();
    let (_, html) = page(&app, "/", None).await;
    assert!(html.contains(&format!("href=\"/lapor/{listed}\"")), "{html}");
    assert!(html.contains("Lampu jalan &lt;padam&gt; &amp; gelap"), "titles are escaped");
    assert!(!html.contains(&unverified) && !html.contains("Selokan tersumbat"), "only verified reports are listed");
    assert!(!html.contains("Dewi Lestari") && !html.contains("7777"), "no reporter on the home page");
    // Two filed, one dispatched: the live national figures.
    let figure = |label: &str| {
        let at = html.find(&format!("<dt>{label}</dt>")).unwrap_or_else(|| panic!("{label} in {html}"));
        let dd = &html[at..];
        dd[dd.find("<dd>").unwrap() + 4..dd.find("</dd>").unwrap()].to_string()
    };
    assert_eq!(figure("Laporan masuk"), "2");
    assert_eq!(figure("Diteruskan ke instansi"), "1");
    assert!(html.contains("href=\"/kinerja\""), "a way to every agency's figures");
    assert!(html.contains("action=\"/lapor\"") && html.contains("name=\"id\""), "the lookup form");
    app.stop().await;
}

#[tokio::test]
async fn how_it_works_states_the_deadlines_the_clocks_enforce() {
    let app = TestApp::spawn().await;
    let (_, html) = page(&app, "/cara-kerja", None).await;
    for days in [VERIFICATION_WORKING_DAYS, RESPONSE_WORKING_DAYS, COMPLETION_WORKING_DAYS] {
        assert!(html.contains(&format!("{days} hari kerja")), "{days}: {html}");
    }
    let (_, html) = page(&app, "/cara-kerja?lang=en", None).await;
    for days in [VERIFICATION_WORKING_DAYS, RESPONSE_WORKING_DAYS, COMPLETION_WORKING_DAYS] {
        assert!(html.contains(&format!("{days} working days")), "{days}: {html}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_privacy_page_shows_who_sees_what() {
    let app = TestApp::spawn().await;
    let (_, html) = page(&app, "/privasi?lang=en", None).await;
    // The rules' table: the public never finds a confidential report, and an
    // administrator's read of an anonymous reporter is logged.
    assert_eq!(html.matches("nothing (not found)").count(), 2, "{html}");
    assert_eq!(html.matches("(every read is logged)").count(), 2, "{html}");
    assert!(html.contains("<th scope=\"col\">Confidential, anonymous reporter</th>"));
    app.stop().await;
}

#[tokio::test]
async fn static_files_have_hashed_names_strong_etags_and_answer_304() {
    let app = TestApp::spawn().await;
    let (_, html) = page(&app, "/", None).await;
    let css_path = lapor_web_assets::APP_CSS;
    assert!(html.contains(&format!("<link rel=\"stylesheet\" href=\"{css_path}\">")), "{html}");
    let name = css_path.strip_prefix("/static/").unwrap();
    let asset = lapor_web_assets::find(name).unwrap();

    let response = app.get(css_path).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let etag = headers["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, asset.etag);
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "a strong ETag: {etag}");
    assert_eq!(response.bytes().await.unwrap(), asset.bytes);

    for matching in [etag.clone(), format!("\"other\", {etag}"), format!("W/{etag}"), "*".to_string()] {
        let response = app.client.get(app.url(css_path)).header("if-none-match", &matching).header("accept-encoding", "br").send().await.unwrap();
        assert_eq!(response.status(), 304, "{matching}");
        assert_eq!(response.headers()["etag"], etag.as_str());
        assert!(response.headers().get("content-encoding").is_none(), "a 304 is never encoded");
        assert!(response.bytes().await.unwrap().is_empty());
    }
    let response = app.client.get(app.url(css_path)).header("if-none-match", "\"stale\"").send().await.unwrap();
    assert_eq!(response.status(), 200);

    for unknown in ["/static/app.css", "/static/app.0000000000.css", "/static/nothing"] {
        let response = app.get(unknown).await;
        assert_eq!(response.status(), 404, "{unknown}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{unknown}");
    }
    app.stop().await;
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    // gzip (RFC 1952) as flate2 writes it: a 10-byte header without optional
    // fields, a raw deflate stream, CRC-32 and length.
    assert_eq!(&body[..3], [0x1f, 0x8b, 8], "a gzip member");
    assert_eq!(body[3], 0, "no optional header fields");
    let inflated = miniz_oxide::inflate::decompress_to_vec(&body[10..body.len() - 8]).unwrap();
    let length = u32::from_le_bytes(body[body.len() - 4..].try_into().unwrap());
    assert_eq!(length as usize, inflated.len(), "the trailer's length");
    inflated
}

fn unbrotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut &body[..], &mut out).unwrap();
    out
}

async fn fetch(app: &TestApp, method: reqwest::Method, path: &str, accept_encoding: Option<&str>) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(accept) = accept_encoding {
        request = request.header("accept-encoding", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn every_component_compresses_what_is_worth_it_as_the_client_asks() {
    let app = TestApp::spawn().await;
    let id = app.file(&report("Trotoar rusak di depan pasar")).await["tracking_id"].as_str().unwrap().to_string();
    let tracking = format!("/lapor/{id}");
    // HTML (web), CSS (assets), JSON (agencies, reports), problem JSON.
    for path in ["/", tracking.as_str(), lapor_web_assets::APP_CSS, "/api/v1/agencies?limit=100", &format!("/api/v1/reports/{id}")] {
        let (status, plain_headers, plain) = fetch(&app, reqwest::Method::GET, path, None).await;
        assert_eq!(status, 200, "{path}");
        assert!(plain_headers.get("content-encoding").is_none(), "{path}: no Accept-Encoding, no coding");
        assert!(plain.len() > 512, "{path}: big enough to compress");
        for (accept, coding) in [
            ("gzip, deflate, br, zstd", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip;q=0.5", Some("gzip")),
            ("br;q=0.4, gzip;q=0.8", Some("gzip")),
            ("gzip;q=0, br;q=0", None),
            ("identity", None),
            ("zstd", None),
        ] {
            let (status, headers, body) = fetch(&app, reqwest::Method::GET, path, Some(accept)).await;
            assert_eq!(status, 200, "{path} {accept}");
            let vary = headers["vary"].to_str().unwrap().to_ascii_lowercase();
            assert!(vary.split(',').any(|v| v.trim() == "accept-encoding"), "{path} {accept}: Vary {vary}");
            assert_eq!(headers.get("content-encoding").map(|v| v.to_str().unwrap()), coding, "{path} {accept}");
            assert_eq!(headers["content-type"], plain_headers["content-type"], "{path} {accept}");
            let decoded = match coding {
                Some("br") => unbrotli(&body),
                Some("gzip") => gunzip(&body),
                _ => body.clone(),
            };
            assert_eq!(decoded, plain, "{path} {accept}");
            if coding.is_some() {
                assert!(body.len() < plain.len(), "{path} {accept}: {} of {} bytes", body.len(), plain.len());
            }
        }
        // HEAD tells what GET would send, without the body.
        let (_, get, _) = fetch(&app, reqwest::Method::GET, path, Some("gzip")).await;
        let (_, head, body) = fetch(&app, reqwest::Method::HEAD, path, Some("gzip")).await;
        assert!(body.is_empty(), "HEAD {path}");
        for name in ["content-encoding", "content-type", "vary"] {
            assert_eq!(head.get(name), get.get(name), "HEAD {path}: {name}");
        }
    }
    // Small answers (the health check, a 404 problem) stay as they are.
    for path in ["/api/v1/health", "/api/v1/nowhere"] {
        let (_, headers, _) = fetch(&app, reqwest::Method::GET, path, Some("gzip, br")).await;
        assert!(headers.get("content-encoding").is_none(), "{path}");
    }
    // A redirect has no body to compress.
    let (status, headers, _) = fetch(&app, reqwest::Method::GET, &format!("/lapor?id={id}"), Some("gzip, br")).await;
    assert_eq!(status, 303);
    assert!(headers.get("content-encoding").is_none());
    app.stop().await;
}
