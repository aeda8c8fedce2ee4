//! The report form (`/lapor/baru`) over HTTP: a real `multipart/form-data`
//! post with a photo files through the same intake as the API (metadata
//! stripped, idempotency), field errors come back beside their fields with
//! the values kept, and the no-JavaScript steps (regencies, agency search)
//! re-render without filing.

use integration_tests::fixtures::{jpeg_with_gps, GPS_MARKER};
use integration_tests::TestApp;
use serde_json::Value;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A multipart body as a browser builds it (a fresh boundary each time).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = format!("----LaporFormBoundary{:016x}", rand_u64());
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
    }
    for (file_name, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    h.finish()
}

async fn post(app: &TestApp, fields: &[(&str, &str)], files: &[(&str, &[u8])], lang: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let (content_type, body) = multipart(fields, files);
    let response = app
        .client
        .post(app.url("/lapor/baru"))
        .header("content-type", content_type)
        .header("accept-language", lang)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

/// The value of the form's hidden idempotency key.
fn key_in(html: &str) -> String {
    let at = html.find("name=\"idempotency_key\" value=\"").expect("the form has a key") + "name=\"idempotency_key\" value=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

/// The tracking ID on a confirmation page.
fn id_in(html: &str) -> String {
    let at = html.find("id=\"nomor\"").expect("a tracking ID");
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..].split('<').next().unwrap().to_string()
}

fn report_fields(key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("idempotency_key", key.to_string()),
        ("kind", "pengaduan".into()),
        ("title", "Saluran air tersumbat di Jl. Braga".into()),
        ("body", "Saluran air di depan pasar tersumbat sampah sejak dua minggu, air meluap ke jalan setiap hujan.".into()),
        ("category", "drainase".into()),
        ("province", "32".into()),
        ("region", "32.73".into()),
        ("agency", "pemkot-32.73".into()),
        ("agency_q", "".into()),
        ("location.address", "Jl. Braga No. 10".into()),
        ("incident_date", "".into()),
        ("visibility", "public".into()),
        ("reporter_identity", "anonymous".into()),
        ("reporter.name", "Dewi".into()),
        ("reporter.phone", "0812-5555-6666".into()),
        ("reporter.email", "".into()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn the_form_renders_in_both_languages_with_a_fresh_key_each_time() {
    let app = TestApp::spawn().await;
    let first = app.get("/lapor/baru").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-store");
    let first = first.text().await.unwrap();
    for expected in [
        "<html lang=\"id\"",
        "enctype=\"multipart/form-data\"",
        "Pengaduan",
        "Permintaan informasi",
        "<optgroup label=\"Kesehatan\">",
        "value=\"kesehatan-bpjs\"",
        "Biarkan admin yang menentukan",
        "Rahasia",
        "anonim",
        "type=\"file\" name=\"attachments\" multiple",
        "/static/form.",
    ] {
        assert!(first.contains(expected), "{expected}");
    }
    let second = app.get("/lapor/baru").await.text().await.unwrap();
    assert_ne!(key_in(&first), key_in(&second), "a fresh key per rendering");
    let english = app.get("/lapor/baru?lang=en").await.text().await.unwrap();
    assert!(english.contains("<html lang=\"en\"") && english.contains("Let the administrators decide") && english.contains("<optgroup label=\"Health\">"));
    let by_header = app.client.get(app.url("/lapor/baru")).header("accept-language", "en-US,en;q=0.9").send().await.unwrap();
    assert!(by_header.text().await.unwrap().contains("File a report"));
    app.stop().await;
}

#[tokio::test]
async fn a_form_with_a_photo_files_once_however_often_it_is_sent() {
    let app = TestApp::spawn().await;
    let key = key_in(&app.get("/lapor/baru").await.text().await.unwrap());
    let fields = report_fields(&key);
    let photo = jpeg_with_gps();
    let (status, headers, page) = post(&app, &borrowed(&fields), &[("foto jalan.jpg", &photo)], "id").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers["set-cookie"].to_str().unwrap().contains("HttpOnly"));
    let id = id_in(&page);
    assert!(page.contains("Simpan nomor ini") && page.contains("hanya ditampilkan sekali"), "{page}");
    assert!(page.contains(&format!("href=\"/lapor/{id}\"")));
    let token_at = page.find("id=\"kode\"").unwrap();
    let token: String = page[token_at..].split('>').nth(1).unwrap().split('<').next().unwrap().to_string();

    // Filed through the API's intake: the same view, channel web, the photo without its EXIF.
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!((view["category"].as_str(), view["suggested_agency"].as_str(), view["region"].as_str()), (Some("drainase"), Some("pemkot-32.73"), Some("32.73")));
    assert_eq!((view["visibility"].as_str(), view["reporter_identity"].as_str()), (Some("public"), Some("anonymous")));
    let attachments = view["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1);
    let stored = app.client.get(app.url(attachments[0]["url"].as_str().unwrap())).send().await.unwrap().bytes().await.unwrap();
    assert!(stored.starts_with(&[0xFF, 0xD8]) && !contains(&stored, GPS_MARKER), "metadata stripped");
    assert_eq!(app.count("SELECT count(*) FROM reports WHERE channel = 'web' AND address = 'Jl. Braga No. 10'"), 1);
    let (status, _) = app.call(reqwest::Method::GET, &format!("/api/v1/reports/{id}"), Some(&token), None).await;
    assert_eq!(status, 200, "the token shown works");

    // A double submit (same key, a new boundary): the same confirmation, still one report.
    let (status, headers, again) = post(&app, &borrowed(&fields), &[("foto jalan.jpg", &photo)], "id").await;
    assert_eq!(status, 200);
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(id_in(&again), id);
    assert!(again.contains(&token), "the same token again");
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1);
    assert_eq!(app.count("SELECT count(*) FROM attachments"), 1);

    // The same key with other content is a new report: refused, with a new key.
    let mut changed = fields.clone();
    changed[2].1 = "Saluran air tersumbat di Jl. Asia Afrika".into();
    let (status, _, page) = post(&app, &borrowed(&changed), &[], "id").await;
    assert_eq!(status, 422);
    assert!(page.contains("isi yang berbeda") && page.contains("Jl. Asia Afrika"));
    assert_ne!(key_in(&page), key);
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1);
    app.stop().await;
}

#[tokio::test]
async fn invalid_fields_come_back_beside_their_fields_with_the_values_kept() {
    let app = TestApp::spawn().await;
    let key = key_in(&app.get("/lapor/baru").await.text().await.unwrap());
    let mut fields = report_fields(&key);
    fields[2].1 = "abc".into(); // title too short
    fields[4].1 = "tidak-ada".into(); // unknown category
    fields[14].1 = "12345".into(); // phone
    fields[15].1 = "bukan-email".into();
    let (status, _, page) = post(&app, &borrowed(&fields), &[("catatan.txt", b"just text")], "id").await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("id=\"ringkasan\""), "an error summary");
    for anchor in ["href=\"#f-title\"", "href=\"#f-category\"", "href=\"#f-reporter-phone\"", "href=\"#f-attachments\""] {
        assert!(page.contains(anchor), "{anchor}");
    }
    for beside in ["id=\"f-title-error\"", "id=\"f-category-error\"", "id=\"f-reporter-phone-error\"", "id=\"f-attachments-error\""] {
        assert!(page.contains(beside), "{beside}");
    }
    assert!(page.contains("Kategori tidak dikenal") && page.contains("catatan.txt: hanya berkas JPEG, PNG, atau PDF"));
    // What was typed is still there, and the same key (nothing was filed).
    assert!(page.contains("value=\"abc\"") && page.contains("value=\"12345\"") && page.contains("Saluran air di depan pasar"));
    assert!(page.contains("<option value=\"32.73\" selected>Kota Bandung</option>"), "the regency stays chosen");
    assert!(page.contains("value=\"anonymous\" checked"));
    assert_eq!(key_in(&page), key);
    assert_eq!(app.count("SELECT count(*) FROM reports"), 0);
    let (status, _, english) = post(&app, &borrowed(&fields), &[], "en").await;
    assert_eq!(status, 422);
    assert!(english.contains("Unknown category") && english.contains("Some fields need fixing"));
    app.stop().await;
}

#[tokio::test]
async fn the_steps_without_javascript_list_regencies_and_agencies_and_file_nothing() {
    let app = TestApp::spawn().await;
    let key = key_in(&app.get("/lapor/baru").await.text().await.unwrap());
    let mut fields = report_fields(&key);
    fields[6].1 = "".into(); // no regency yet
    fields[7].1 = "".into(); // no agency yet
    fields[8].1 = "kesehatan".into(); // agency search
    fields.push(("step", "region".into()));
    let (status, _, page) = post(&app, &borrowed(&fields), &[], "id").await;
    assert_eq!(status, 200);
    assert!(page.contains("<option value=\"32.73\">Kota Bandung</option>") && page.contains("Kabupaten Bandung"), "West Java's regencies");
    assert!(!page.contains("Kota Surabaya"));
    assert!(page.contains("value=\"kemenkes\""), "agencies matching the search");
    assert!(page.contains("value=\"pemprov-32\""), "the province's own government");
    assert!(page.contains("Saluran air tersumbat di Jl. Braga"), "values kept");
    assert_eq!(key_in(&page), key);
    assert_eq!(app.count("SELECT count(*) FROM reports"), 0);
    app.stop().await;
}
