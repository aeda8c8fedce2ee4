//! Attachments through the real manifest and runner: type by bytes, image
//! metadata stripped, privacy on download, limits.

use integration_tests::fixtures::{jpeg_with_gps, GPS_MARKER};
use integration_tests::TestApp;
use serde_json::{json, Value};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn file_report(app: &TestApp, privacy: &str) -> (String, String) {
    let created = app
        .file(&json!({
            "kind": "pengaduan",
            "title": "Pungutan liar di kantor kelurahan",
            "body": "Petugas meminta uang tambahan untuk pengurusan KTP tanpa tanda terima.",
            "privacy": privacy
        }))
        .await;
    (created["tracking_id"].as_str().unwrap().to_string(), created["reporter_token"].as_str().unwrap().to_string())
}

async fn upload(app: &TestApp, id: &str, token: Option<&str>, bytes: Vec<u8>, declared: &str) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1/reports/{id}/attachments")))
        .header("content-type", declared)
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn photos_are_stored_without_their_location_metadata() {
    let app = TestApp::spawn().await;
    let (id, token) = file_report(&app, "anonymous").await;
    let original = jpeg_with_gps();
    assert!(contains(&original, GPS_MARKER));

    // The declared type is ignored: the bytes say JPEG.
    let response = upload(&app, &id, Some(&token), original, "application/octet-stream").await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["kind"], "jpeg");
    assert_eq!(created["content_type"], "image/jpeg");
    let url = created["url"].as_str().unwrap().to_string();

    let download = app.get(&url).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    let bytes = download.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]));
    assert!(!contains(&bytes, GPS_MARKER), "GPS data must be stripped");
    assert!(!contains(&bytes, b"whistleblower"), "comments must be stripped");
    assert!(contains(&bytes, &[0x12, 0x34, 0x56]), "the image data is kept");

    // And nothing of it is stored either.
    let stored: Vec<u8> = app.db().query_row("SELECT data FROM attachments", [], |r| r.get(0)).unwrap();
    assert!(!contains(&stored, GPS_MARKER));

    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(view["attachments"][0]["url"], url);
    app.stop().await;
}

#[tokio::test]
async fn only_the_reporter_uploads_and_only_known_types_are_taken() {
    let app = TestApp::spawn().await;
    let (id, token) = file_report(&app, "public").await;

    let anonymous = upload(&app, &id, None, jpeg_with_gps(), "image/jpeg").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_eq!(upload(&app, &id, Some("someone-else"), jpeg_with_gps(), "image/jpeg").await.status(), 403);

    let gif = upload(&app, &id, Some(&token), b"GIF89a\x01\x00\x01\x00".to_vec(), "image/jpeg").await;
    assert_eq!(gif.status(), 415);
    let html_as_png = upload(&app, &id, Some(&token), b"<html><script>alert(1)</script>".to_vec(), "image/png").await;
    assert_eq!(html_as_png.status(), 415);
    let broken = upload(&app, &id, Some(&token), vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF], "image/jpeg").await;
    assert_eq!(broken.status(), 422);
    assert_eq!(upload(&app, &id, Some(&token), Vec::new(), "image/jpeg").await.status(), 400);

    let too_big = upload(&app, &id, Some(&token), vec![0u8; 5 * 1024 * 1024 + 1], "application/pdf").await;
    assert_eq!(too_big.status(), 413);
    assert_eq!(app.count("SELECT count(*) FROM attachments"), 0, "refused uploads store nothing");

    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec();
    for _ in 0..5 {
        assert_eq!(upload(&app, &id, Some(&token), pdf.clone(), "application/pdf").await.status(), 201);
    }
    let sixth = upload(&app, &id, Some(&token), pdf.clone(), "application/pdf").await;
    assert_eq!(sixth.status(), 409);
    assert_eq!(app.count("SELECT count(*) FROM attachments"), 5);

    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    let first = view["attachments"][0]["url"].as_str().unwrap().to_string();
    let download = app.get(&first).await;
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    app.stop().await;
}

#[tokio::test]
async fn anonymous_reports_take_photos_but_not_pdfs() {
    let app = TestApp::spawn().await;
    let (id, token) = file_report(&app, "anonymous").await;
    let pdf = b"%PDF-1.4\n1 0 obj << /Author (Nama Asli Pelapor) >> endobj\n%%EOF\n".to_vec();
    let refused = upload(&app, &id, Some(&token), pdf, "application/pdf").await;
    assert_eq!(refused.status(), 415, "PDF metadata could name an anonymous reporter");
    assert_eq!(upload(&app, &id, Some(&token), jpeg_with_gps(), "image/jpeg").await.status(), 201);
    app.stop().await;
}

#[tokio::test]
async fn attachments_of_confidential_reports_need_the_token() {
    let app = TestApp::spawn().await;
    let (id, token) = file_report(&app, "confidential").await;
    let created: Value = upload(&app, &id, Some(&token), jpeg_with_gps(), "image/jpeg").await.json().await.unwrap();
    let url = created["url"].as_str().unwrap();

    assert_eq!(app.get(url).await.status(), 404);
    let with_token = app.client.get(app.url(url)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(with_token.status(), 200);
    assert_eq!(with_token.headers()["cache-control"], "private, no-store");

    // An attachment id of another report does not resolve under this one.
    let (other_id, _) = file_report(&app, "public").await;
    let attachment_id = url.rsplit('/').next().unwrap();
    let crossed = app.get(&format!("/api/v1/reports/{other_id}/attachments/{attachment_id}")).await;
    assert_eq!(crossed.status(), 404);
    app.stop().await;
}
