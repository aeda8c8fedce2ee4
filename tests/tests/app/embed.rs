//! Agency embeds over HTTP: the snippet `/embed.js`, the badge's figures
//! (readable cross-origin, never with credentials), and the administrators'
//! list of websites allowed to frame an agency's form. The embedded form
//! itself, in a page of another origin, is in the browser tests.

use integration_tests::fixtures::{file_and_dispatch, staff, AGENCY_A};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::json;

fn report(title: &str) -> serde_json::Value {
    json!({
        "kind": "pengaduan",
        "title": title,
        "body": "Lampu jalan di gang kami mati sejak dua minggu, rawan kecelakaan dan kejahatan di malam hari.",
        "privacy": "public",
        "reporter": {"name": "Rina"}
    })
}

#[tokio::test]
async fn the_snippet_is_small_cached_briefly_and_revalidated() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/embed.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(headers["cache-control"], "public, max-age=3600", "a fixed address: not immutable");
    assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");
    let etag = headers["etag"].to_str().unwrap().to_string();
    let compressed = response.bytes().await.unwrap();
    assert!(compressed.len() <= 5 * 1024, "embed.js is {} bytes gzipped", compressed.len());
    let again = app.client.get(app.url("/embed.js")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    // The same bytes are also served under their hashed name.
    let plain = app.get("/embed.js").await.text().await.unwrap();
    assert!(plain.contains("data-agency") && plain.contains("postMessage"), "{plain}");
}

#[tokio::test]
async fn the_badge_reads_an_agencys_figures_from_any_origin_without_credentials() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = staff(&app).await;
    file_and_dispatch(&app, &report("Lampu jalan mati di Gang Mawar"), &staff.admin, AGENCY_A).await;
    let (id, _) = file_and_dispatch(&app, &report("Lampu jalan mati di Gang Melati"), &staff.admin, AGENCY_A).await;
    let (status, body) = app
        .call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&staff.coordinator_a), Some(json!({"body": "Lampu sudah kami ganti kemarin sore."})))
        .await;
    assert_eq!(status, 200, "{body}");
    let response = app.client.get(app.url(&format!("/api/v1/agencies/{AGENCY_A}/figures"))).header("origin", "https://dinkes.example.go.id").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(response.headers().get("access-control-allow-credentials").is_none());
    let figures: serde_json::Value = response.json().await.unwrap();
    assert_eq!(figures["agency"], AGENCY_A);
    assert_eq!((figures["received"].as_i64(), figures["responded"].as_i64(), figures["completed"].as_i64()), (Some(2), Some(1), Some(0)));
    assert_eq!(figures["responded_percent"], 50);
    let (status, _) = app.call(Method::GET, "/api/v1/agencies/pemkot-99.99/figures", None, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn administrators_choose_which_websites_may_frame_an_agency() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = staff(&app).await;
    let path = format!("/api/v1/agencies/{AGENCY_A}/embed-origins");
    let (status, view) = app.call(Method::GET, &path, Some(&staff.admin), None).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view, json!({"agency": AGENCY_A, "origins": [], "frame_ancestors": "https: http:"}), "by default any website");

    for (token, expected) in [(None, 401), (Some(staff.coordinator_a.as_str()), 403)] {
        let (status, _) = app.call(Method::PUT, &path, token, Some(json!({"origins": ["https://evil.example"]}))).await;
        assert_eq!(status, expected);
    }
    let (status, refused) = app.call(Method::PUT, &path, Some(&staff.admin), Some(json!({"origins": ["https://ok.go.id", "http://plain.go.id", "https://x.go.id/path"]}))).await;
    assert_eq!(status, 422, "{refused}");
    let fields: Vec<&str> = refused["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["origins[1]", "origins[2]"]);
    let (_, unchanged) = app.call(Method::GET, &path, Some(&staff.admin), None).await;
    assert_eq!(unchanged["origins"], json!([]), "a refused list changes nothing");

    let (status, set) = app.call(Method::PUT, &path, Some(&staff.admin), Some(json!({"origins": ["https://www.bandung.go.id", "HTTPS://dinkes.bandung.go.id"]}))).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["origins"], json!(["https://dinkes.bandung.go.id", "https://www.bandung.go.id"]));
    assert_eq!(set["frame_ancestors"], "https://dinkes.bandung.go.id https://www.bandung.go.id");
    let (_, read) = app.call(Method::GET, &path, Some(&staff.admin), None).await;
    assert_eq!(read, set);
    let (status, _) = app.call(Method::PUT, &path, Some(&staff.admin), Some(json!({"origins": []}))).await;
    assert_eq!(status, 200);
    let (_, cleared) = app.call(Method::GET, &path, Some(&staff.admin), None).await;
    assert_eq!(cleared["origins"], json!([]));
}

async fn post_form(app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let response = app.client.post(app.url(path)).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("{start} not in {html}")) + start.len();
    &html[at..at + html[at..].find(end).unwrap()]
}

#[tokio::test]
async fn the_embedded_form_files_for_its_agency_and_shows_the_token_without_cookies() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = staff(&app).await;
    let page = app.client.get(app.url(&format!("/embed/{AGENCY_A}?parent=https%3A%2F%2Fwww.bandung.go.id"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.ends_with("frame-ancestors https: http:"), "any website by default: {csp}");
    assert!(page.headers().get("set-cookie").is_none());
    let html = page.text().await.unwrap();
    assert!(html.contains("data-parent-origin=\"https://www.bandung.go.id\""), "{html}");
    assert!(html.contains("Pemerintah Kota Bandung"));
    let key = between(&html, "name=\"idempotency_key\" value=\"", "\"").to_string();

    let report = [
        ("idempotency_key", key.as_str()),
        ("parent", "https://www.bandung.go.id"),
        ("kind", "pengaduan"),
        ("title", "Sampah menumpuk di pasar"),
        ("body", "Sampah di pasar tidak diangkut sejak seminggu dan baunya sampai ke rumah warga sekitar."),
        ("visibility", "public"),
        ("reporter_identity", "anonymous"),
        ("reporter.phone", "0812-3456-7890"),
    ];
    let (status, headers, confirmation) = post_form(&app, &format!("/embed/{AGENCY_A}"), &report).await;
    assert_eq!(status, 200, "{confirmation}");
    assert!(headers.get("set-cookie").is_none(), "nothing depends on cookies in a third-party frame");
    let id = between(&confirmation, "<strong id=\"nomor\">", "<").to_string();
    let token = between(&confirmation, "<code id=\"kode\">", "<").to_string();
    assert!(token.len() > 20, "the reporter token is shown: {confirmation}");
    let (channel, suggested): (String, String) = app
        .db()
        .query_row("SELECT channel, suggested_agency FROM reports WHERE tracking_id = ?", [&id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((channel.as_str(), suggested.as_str()), (format!("embed:{AGENCY_A}").as_str(), AGENCY_A));
    // The token works: the reporter can read their report with it.
    let (status, read) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), Some(&token), None).await;
    assert_eq!(status, 200, "{read}");
    // A double submit files once and shows the same confirmation.
    let (status, _, again) = post_form(&app, &format!("/embed/{AGENCY_A}"), &report).await;
    assert_eq!(status, 200);
    assert_eq!(between(&again, "<strong id=\"nomor\">", "<"), id);
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1);

    // Bad input: 422 with the message beside its field, values kept, nothing filed.
    let (status, _, refused) = post_form(&app, &format!("/embed/{AGENCY_A}"), &[("kind", "pengaduan"), ("title", "Ab"), ("body", "Isi laporan yang cukup panjang untuk diterima sistem kami.")]).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.contains("id=\"e-title\"") && refused.contains("Isi laporan yang cukup panjang"), "{refused}");
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1);

    // Once administrators list the agency's sites, only those may frame it,
    // and the height is told only to a listed parent.
    let path = format!("/api/v1/agencies/{AGENCY_A}/embed-origins");
    let (status, _) = app.call(Method::PUT, &path, Some(&staff.admin), Some(json!({"origins": ["https://www.bandung.go.id"]}))).await;
    assert_eq!(status, 200);
    for (parent, told) in [("https://www.bandung.go.id", true), ("https://evil.example.com", false)] {
        let page = app.client.get(app.url(&format!("/embed/{AGENCY_A}?parent={parent}"))).send().await.unwrap();
        let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.ends_with("frame-ancestors https://www.bandung.go.id"), "{csp}");
        let html = page.text().await.unwrap();
        assert_eq!(html.contains("data-parent-origin"), told, "{parent}");
    }
    let (status, _, _) = post_form(&app, "/embed/pemkot-99.99", &report).await;
    assert_eq!(status, 404);
    assert_eq!(app.get("/embed/pemkot-99.99").await.status(), 404);
}
