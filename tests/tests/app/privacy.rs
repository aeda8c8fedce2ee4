//! Privacy as two properties (who may read the report, who may know the
//! reporter): every combination x every viewer, through every surface that
//! shows a report; the "raise" that must never name an anonymous reporter;
//! and the verification gate of the public listing.

use integration_tests::fixtures::{staff, AGENCY_A, BOOTSTRAP};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const NAME: &str = "Rahasia Whistleblower Sejati";
const CONTACTS: [&str; 2] = ["81399998888", "pelapor.rahasia"];

async fn spawn(config: AppConfig) -> TestApp {
    TestApp::spawn_with(config.var("bootstrap_admin_token", BOOTSTRAP)).await
}

fn report(privacy_fields: Value) -> Value {
    let mut report = json!({
        "kind": "pengaduan",
        "title": "Pungutan liar di kantor pelayanan",
        "body": "Petugas loket meminta uang tambahan untuk layanan yang seharusnya gratis.",
        "reporter": {"name": NAME, "phone": "0813-9999-8888", "email": "pelapor.rahasia@example.id"}
    });
    report.as_object_mut().unwrap().extend(privacy_fields.as_object().unwrap().clone());
    report
}

/// (how it is asked for at filing, its one-word name, public?, anonymous?)
fn combinations() -> [(Value, &'static str, bool, bool); 4] {
    [
        (json!({"privacy": "public"}), "public", true, false),
        (json!({"privacy": "anonymous"}), "anonymous", true, true),
        (json!({"privacy": "confidential"}), "confidential", false, false),
        (json!({"visibility": "confidential", "reporter_identity": "anonymous"}), "confidential_anonymous", false, true),
    ]
}

/// What one response reveals: (status, shows the name, shows a contact).
fn revealed(status: u16, body: &str) -> (u16, bool, bool) {
    (status, body.contains(NAME), CONTACTS.iter().any(|c| body.contains(c)))
}

async fn get_text(app: &TestApp, path: &str, bearer: Option<&str>, cookie: Option<String>) -> (u16, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn every_combination_x_every_viewer_x_every_surface() {
    let app = spawn(AppConfig::without_rate_limits()).await;
    let v = staff(&app).await;
    let mut failures = Vec::new();
    for (fields, name, public, anonymous) in combinations() {
        let created = app.file(&report(fields)).await;
        let id = created["tracking_id"].as_str().unwrap().to_string();
        let token = created["reporter_token"].as_str().unwrap().to_string();
        assert_eq!(created["privacy"], name);
        let (status, body) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(&v.admin), Some(json!({"agency": AGENCY_A}))).await;
        assert_eq!(status, 200, "{body}");

        let hidden = if public { 200 } else { 404 };
        // The name is public only for a public, named report; contacts never.
        let public_name = public && !anonymous;
        let report_path = format!("/api/v1/reports/{id}");
        let page_path = format!("/lapor/{id}");
        let agency_path = format!("/api/v1/agency/reports/{id}");
        let cookie = Some(format!("lapor_token={token}"));
        // (viewer, surface, path, bearer, cookie, expected (status, name, contact))
        let cases: Vec<(&str, &str, String, Option<&str>, Option<String>, (u16, bool, bool))> = vec![
            ("public", "api", report_path.clone(), None, None, (hidden, public_name, false)),
            // The page shows no reporter at all.
            ("public", "page", page_path.clone(), None, None, (hidden, false, false)),
            ("public", "comments", format!("{report_path}/comments"), None, None, (hidden, false, false)),
            ("public", "supports", format!("{report_path}/supports"), None, None, (hidden, false, false)),
            ("reporter", "api", report_path.clone(), Some(&token), None, (200, public_name, false)),
            ("reporter", "page", page_path.clone(), None, cookie, (200, false, false)),
            ("admin", "admin api", format!("/api/v1/admin/reports/{id}"), Some(&v.admin), None, (200, true, true)),
            ("admin", "api", report_path.clone(), Some(&v.admin), None, (200, public_name, false)),
            ("coordinator A", "agency api", agency_path.clone(), Some(&v.coordinator_a), None, (200, !anonymous, !anonymous)),
            ("officer A", "agency api", agency_path.clone(), Some(&v.officer_a), None, (200, !anonymous, !anonymous)),
            ("executive A", "agency api", agency_path.clone(), Some(&v.executive_a), None, (200, !anonymous, !anonymous)),
            ("coordinator A", "api", report_path.clone(), Some(&v.coordinator_a), None, (200, public_name, false)),
            ("coordinator A", "agency inbox", "/api/v1/agency/reports?status=dispatched".into(), Some(&v.coordinator_a), None, (200, false, false)),
            ("coordinator B", "agency api", agency_path.clone(), Some(&v.coordinator_b), None, (404, false, false)),
            ("coordinator B", "api", report_path.clone(), Some(&v.coordinator_b), None, (hidden, public_name, false)),
            ("coordinator B", "agency inbox", "/api/v1/agency/reports?status=dispatched".into(), Some(&v.coordinator_b), None, (200, false, false)),
            ("admin", "admin queue", "/api/v1/admin/reports?status=dispatched".into(), Some(&v.admin), None, (200, false, false)),
        ];
        for (viewer, surface, path, bearer, cookie, expected) in cases {
            let reads_before = app.count("SELECT count(*) FROM identity_reads");
            let (status, body) = get_text(&app, &path, bearer, cookie).await;
            let got = revealed(status, &body);
            if got != expected {
                failures.push(format!("{name} / {viewer} / {surface}: expected {expected:?}, got {got:?}: {body}"));
            }
            let logged = app.count("SELECT count(*) FROM identity_reads") - reads_before;
            let expected_logged = i64::from(surface == "admin api" && anonymous);
            if logged != expected_logged {
                failures.push(format!("{name} / {viewer} / {surface}: {logged} identity reads logged, expected {expected_logged}"));
            }
        }
        // The agency inbox lists the report to the agency that has it, and
        // only there; no list anywhere carries who filed it.
        let (_, inbox) = get_text(&app, "/api/v1/agency/reports?status=dispatched", Some(&v.coordinator_a), None).await;
        assert!(inbox.contains(&id), "{name}: in agency A's inbox");
        let (_, other) = get_text(&app, "/api/v1/agency/reports?status=dispatched", Some(&v.coordinator_b), None).await;
        assert!(!other.contains(&id), "{name}: not in agency B's inbox");
        let (_, listing) = get_text(&app, "/api/v1/reports", None, None).await;
        assert_eq!(listing.contains(&id), public, "{name}: listed publicly iff public");
        assert_eq!(revealed(200, &listing).2, false, "no contact in the public list");

        // The views say both properties and the one-word name.
        let (_, admin_view) = app.call(Method::GET, &format!("/api/v1/admin/reports/{id}"), Some(&v.admin), None).await;
        assert_eq!(admin_view["privacy"], name);
        assert_eq!(admin_view["visibility"], if public { "public" } else { "confidential" });
        assert_eq!(admin_view["reporter_identity"], if anonymous { "anonymous" } else { "named" });
        // PDFs (whose metadata can name their author) only on named reports.
        let pdf = b"%PDF-1.4\n1 0 obj << /Author (Nama Asli) >> endobj\n%%EOF\n".to_vec();
        let upload = app
            .client
            .post(app.url(&format!("/api/v1/reports/{id}/attachments")))
            .bearer_auth(&token)
            .header("content-type", "application/pdf")
            .body(pdf)
            .send()
            .await
            .unwrap();
        assert_eq!(upload.status().as_u16(), if anonymous { 415 } else { 201 }, "{name}: PDF");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[tokio::test]
async fn raising_visibility_never_names_an_anonymous_reporter_to_the_agency() {
    let app = spawn(AppConfig::without_rate_limits()).await;
    let v = staff(&app).await;
    let created = app.file(&report(json!({"privacy": "anonymous"}))).await;
    let id = created["tracking_id"].as_str().unwrap();
    let verify = format!("/api/v1/admin/reports/{id}/verify");

    // The old one-word "confidential" means confidential *and named*: it
    // would lower the identity property, so it is refused and changes nothing.
    let (status, body) = app.call(Method::POST, &verify, Some(&v.admin), Some(json!({"agency": AGENCY_A, "privacy": "confidential"}))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "reporter_identity", "{body}");
    let (status, agency, visibility): (String, Option<String>, String) = app
        .db()
        .query_row("SELECT status, agency, visibility FROM reports WHERE tracking_id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!((status.as_str(), agency, visibility.as_str()), ("submitted", None, "public"), "a refused request changes nothing");
    let (status, body) = app.call(Method::POST, &verify, Some(&v.admin), Some(json!({"agency": AGENCY_A, "reporter_identity": "named"}))).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (422, json!("reporter_identity")));

    // Raising visibility alone keeps the reporter anonymous.
    let (status, body) = app.call(Method::POST, &verify, Some(&v.admin), Some(json!({"agency": AGENCY_A, "visibility": "confidential"}))).await;
    assert_eq!(status, 200, "{body}");
    for token in [&v.coordinator_a, &v.officer_a, &v.executive_a] {
        let (status, text) = get_text(&app, &format!("/api/v1/agency/reports/{id}"), Some(token), None).await;
        assert_eq!(revealed(status, &text), (200, false, false), "{text}");
        assert!(text.contains("\"privacy\":\"confidential_anonymous\""), "{text}");
    }
    assert_eq!(app.get(&format!("/api/v1/reports/{id}")).await.status(), 404, "hidden from the public now");
    // Only an administrator may know, and the read is logged.
    let (status, admin_view) = app.call(Method::GET, &format!("/api/v1/admin/reports/{id}"), Some(&v.admin), None).await;
    assert_eq!((status, admin_view["reporter"]["name"].as_str()), (200, Some(NAME)));
    assert_eq!(app.count("SELECT count(*) FROM identity_reads"), 1);

    // A confidential report is never made public again.
    let other = app.file(&report(json!({"privacy": "confidential"}))).await;
    let other_id = other["tracking_id"].as_str().unwrap();
    let (status, body) = app
        .call(Method::POST, &format!("/api/v1/admin/reports/{other_id}/verify"), Some(&v.admin), Some(json!({"agency": AGENCY_A, "visibility": "public"})))
        .await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (422, json!("visibility")));
    // But it may also become anonymous: the published-name rule holds.
    let (status, _) = app
        .call(Method::POST, &format!("/api/v1/admin/reports/{other_id}/verify"), Some(&v.admin), Some(json!({"agency": AGENCY_A, "privacy": "confidential_anonymous"})))
        .await;
    assert_eq!(status, 200);
    let (status, text) = get_text(&app, &format!("/api/v1/agency/reports/{other_id}"), Some(&v.coordinator_a), None).await;
    assert_eq!(revealed(status, &text), (200, false, false));
    app.stop().await;
}

#[tokio::test]
async fn conflicting_or_unknown_privacy_fields_are_refused_at_filing() {
    let app = spawn(AppConfig::without_rate_limits()).await;
    app.file(&report(json!({"visibility": "confidential"}))).await;
    for (fields, field) in [
        (json!({"privacy": "anonymous", "reporter_identity": "named"}), "reporter_identity"),
        (json!({"privacy": "public", "visibility": "confidential"}), "visibility"),
        (json!({"visibility": "secret"}), "visibility"),
        (json!({"reporter_identity": ""}), "reporter_identity"),
    ] {
        let response = app.post_json("/api/v1/reports", &report(fields.clone())).await;
        assert_eq!(response.status(), 422, "{fields}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1, "nothing more was filed");
    app.stop().await;
}

#[tokio::test]
async fn unverified_reports_are_tracked_but_not_listed() {
    let app = spawn(AppConfig::without_rate_limits()).await;
    let created = app.file(&report(json!({"privacy": "public", "title": "Lampu penerangan jalan padam"}))).await;
    let id = created["tracking_id"].as_str().unwrap();
    let listed = |body: &Value| body["items"].as_array().unwrap().iter().any(|i| i["tracking_id"] == id);

    let list: Value = app.get("/api/v1/reports").await.json().await.unwrap();
    assert!(!listed(&list), "not listed before verification: {list}");
    let search: Value = app.get("/api/v1/reports?q=penerangan").await.json().await.unwrap();
    assert!(!listed(&search), "not searchable before verification");
    // Whoever holds the ID still follows it, and is told why it is not listed.
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!((view["status"].as_str(), view["verified_at"].clone()), (Some("submitted"), Value::Null));
    let page = app.get(&format!("/lapor/{id}")).await.text().await.unwrap();
    assert!(page.contains("Menunggu verifikasi"), "{page}");

    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": AGENCY_A}))).await;
    assert_eq!(status, 200);
    let list: Value = app.get("/api/v1/reports").await.json().await.unwrap();
    assert!(listed(&list), "listed once verified");
    let search: Value = app.get("/api/v1/reports?q=penerangan").await.json().await.unwrap();
    assert!(listed(&search));
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert!(view["verified_at"].is_string());
    let page = app.get(&format!("/lapor/{id}")).await.text().await.unwrap();
    assert!(!page.contains("Menunggu verifikasi"));

    // Archived before anyone verified it (a hoax, say): never listed.
    let hoax = app.file(&report(json!({"title": "Berita bohong yang diarsipkan"}))).await;
    let hoax_id = hoax["tracking_id"].as_str().unwrap();
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{hoax_id}/archive"), Some(BOOTSTRAP), Some(json!({"reason": "spam"}))).await;
    assert_eq!(status, 200);
    let list: Value = app.get("/api/v1/reports?status=archived").await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));
    app.stop().await;
}
