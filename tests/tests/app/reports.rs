//! The citizen path through the real manifest and runner: filing, tracking,
//! listing, privacy, idempotency, errors, rate limits.

use integration_tests::{AppConfig, TestApp};
use serde_json::{json, Value};

fn report(privacy: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": "Jalan berlubang di Jl. Merdeka",
        "body": "Lubang besar di depan SD Negeri 3 sudah dua bulan tidak diperbaiki.",
        "category": "infrastruktur-jalan",
        "agency": "pemkot-32.73",
        "region": "32.73",
        "location": {"lat": -6.9147, "lon": 107.6098, "address": "Jl. Merdeka No. 1"},
        "incident_date": "2026-11-01",
        "privacy": privacy,
        "reporter": {"name": "Siti Rahasia Aminah", "phone": "0812-7777-1234", "email": "siti.rahasia@example.id"}
    })
}

/// Identity strings that must never leave the service for an anonymous report.
const IDENTITY: [&str; 5] = ["Siti Rahasia Aminah", "81277771234", "0812-7777-1234", "siti.rahasia", "example.id"];

fn assert_no_identity(text: &str, place: &str) {
    for needle in IDENTITY {
        assert!(!text.contains(needle), "{place} leaks {needle:?}: {text}");
    }
}

#[tokio::test]
async fn filing_a_report_returns_its_tracking_id_and_a_token_once() {
    let app = TestApp::spawn().await;
    let response = app.post_json("/api/v1/reports", &report("public")).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let body: Value = response.json().await.unwrap();
    let id = body["tracking_id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/reports/{id}"));
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["privacy"], "public");
    assert_eq!(body["reporter_token"].as_str().unwrap().len(), 43);
    assert_eq!(body["links"], json!({"self": format!("/api/v1/reports/{id}"), "html": format!("/lapor/{id}")}));
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));

    // Only the token's hash is stored.
    let stored: String = app
        .db()
        .query_row("SELECT reporter_token_hash FROM reports WHERE tracking_id = ?", [id], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, body["reporter_token"].as_str().unwrap());
    assert_eq!(stored.len(), 64);

    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(view["tracking_id"], id);
    assert_eq!(view["kind"], "pengaduan");
    assert_eq!(view["title"], "Jalan berlubang di Jl. Merdeka");
    assert_eq!(view["category"], "infrastruktur-jalan");
    // The reporter's agency is a suggestion until an administrator dispatches.
    assert_eq!(view["agency"], Value::Null);
    assert_eq!(view["suggested_agency"], "pemkot-32.73");
    assert_eq!(view["deadlines"].as_object().unwrap().keys().collect::<Vec<_>>(), ["verification_due"]);
    assert!(view["deadlines"]["verification_due"].as_str().unwrap().ends_with("T23:59:59+07:00"));
    assert_eq!(view["region"], "32.73");
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["privacy"], "public");
    assert_eq!(view["location"]["lat"], -6.9147);
    assert!(view["updated_at"].is_string());
    assert_eq!(view["timeline"], json!([{"at": body["created_at"], "type": "submitted", "actor_role": "reporter"}]));
    // A public report shows the name the reporter gave, never contact details.
    assert_eq!(view["reporter"], json!({"name": "Siti Rahasia Aminah"}));
    let text = view.to_string();
    assert!(!text.contains("81277771234") && !text.contains("siti.rahasia"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn an_anonymous_reporter_appears_in_no_response() {
    // Listed as filed, so the listing is one of the responses checked.
    let app = TestApp::spawn_with(AppConfig::without_rate_limits().var("publish_unverified_reports", "true")).await;
    let response = app.post_json("/api/v1/reports", &report("anonymous")).await;
    let created = response.text().await.unwrap();
    assert_no_identity(&created, "the 201 answer");
    let created: Value = serde_json::from_str(&created).unwrap();
    let id = created["tracking_id"].as_str().unwrap();
    let token = created["reporter_token"].as_str().unwrap();

    let public_view = app.get(&format!("/api/v1/reports/{id}")).await.text().await.unwrap();
    assert_no_identity(&public_view, "the public view");
    let reporter_view = app
        .client
        .get(app.url(&format!("/api/v1/reports/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_no_identity(&reporter_view, "the reporter's own view");
    let listing = app.get("/api/v1/reports").await.text().await.unwrap();
    assert!(listing.contains(id));
    assert_no_identity(&listing, "the listing");
    let page = app.get(&format!("/lapor/{id}")).await.text().await.unwrap();
    assert!(page.contains(id));
    assert_no_identity(&page, "the tracking page");
    let view: Value = serde_json::from_str(&public_view).unwrap();
    assert!(view.get("reporter").is_none());

    // The identity is kept, apart, for administrators.
    let phone: String =
        app.db().query_row("SELECT phone FROM reporters JOIN reports ON reports.id = reporters.report_id WHERE tracking_id = ?", [id], |r| r.get(0)).unwrap();
    assert_eq!(phone, "+6281277771234");
    app.stop().await;
}

#[tokio::test]
async fn a_confidential_report_is_404_like_an_unknown_one_without_its_token() {
    let app = TestApp::spawn().await;
    let created = app.file(&report("confidential")).await;
    let id = created["tracking_id"].as_str().unwrap();
    let token = created["reporter_token"].as_str().unwrap();

    let hidden = app.get(&format!("/api/v1/reports/{id}")).await;
    assert_eq!(hidden.status(), 404);
    let hidden_body = hidden.text().await.unwrap();
    // An unknown but valid ID gives the very same answer.
    let unknown_id = unknown_valid_id(id);
    let unknown = app.get(&format!("/api/v1/reports/{unknown_id}")).await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(hidden_body, unknown.text().await.unwrap());

    let wrong_token = app.client.get(app.url(&format!("/api/v1/reports/{id}"))).bearer_auth("not-the-token").send().await.unwrap();
    assert_eq!(wrong_token.status(), 404);

    let seen = app.client.get(app.url(&format!("/api/v1/reports/{id}"))).bearer_auth(token).send().await.unwrap();
    assert_eq!(seen.status(), 200);
    assert_eq!(seen.headers()["cache-control"], "private, no-store");
    let view: Value = seen.json().await.unwrap();
    assert_eq!(view["privacy"], "confidential");
    assert_eq!(view["title"], "Jalan berlubang di Jl. Merdeka");

    let listing = app.get("/api/v1/reports").await.text().await.unwrap();
    assert!(!listing.contains(id), "confidential reports are never listed");
    assert_eq!(app.get(&format!("/lapor/{id}")).await.status(), 404);
    app.stop().await;
}

/// A valid tracking ID (correct check symbol) that is not `id`.
fn unknown_valid_id(id: &str) -> String {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let raw: String = id.replace('-', "");
    // Change the first symbol, then find the check symbol that makes it valid.
    let first = ALPHABET.chars().find(|c| !raw.starts_with(*c)).unwrap();
    let body = format!("{first}{}", &raw[1..9]);
    for check in ALPHABET.chars() {
        let candidate = format!("{}-{}{check}", &body[..5], &body[5..]);
        if luhn_ok(&candidate) {
            return candidate;
        }
    }
    unreachable!("some check symbol always fits")
}

fn luhn_ok(id: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let values: Vec<u32> = id.replace('-', "").chars().map(|c| ALPHABET.find(c).unwrap() as u32).collect();
    let mut sum = 0;
    for (i, v) in values.iter().rev().enumerate() {
        let mut addend = *v;
        if i % 2 == 1 {
            addend *= 2;
            addend = addend / 32 + addend % 32;
        }
        sum += addend;
    }
    sum % 32 == 0
}

#[tokio::test]
async fn tracking_ids_tell_a_typo_from_a_missing_report() {
    let app = TestApp::spawn().await;
    let created = app.file(&report("public")).await;
    let id = created["tracking_id"].as_str().unwrap().to_string();

    // Lower case, no dash, O for 0 and L for 1 all find it.
    let typed = id.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
    assert_eq!(app.get(&format!("/api/v1/reports/{}", typed.replace(' ', "%20"))).await.status(), 200);

    // One wrong symbol: a probable typo, 400.
    let mut chars: Vec<char> = id.chars().collect();
    chars[2] = if chars[2] == 'Z' { 'Y' } else { 'Z' };
    let typo: String = chars.into_iter().collect();
    let response = app.get(&format!("/api/v1/reports/{typo}")).await;
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/probable-typo");

    let response = app.get("/api/v1/reports/hello").await;
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/malformed-request");

    assert_eq!(app.get(&format!("/api/v1/reports/{}", unknown_valid_id(&id))).await.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_problem_and_writes_nothing() {
    let app = TestApp::spawn().await;
    // Any request migrates the schema; the listing writes nothing else.
    assert_eq!(app.get("/api/v1/reports").await.status(), 200);
    let before = app.count("SELECT count(*) FROM reports");

    let too_big = json!({"kind": "pengaduan", "title": "Besar", "body": "x".repeat(70_000)});
    let response = app.post_json("/api/v1/reports", &too_big).await;
    assert_eq!(response.status(), 413);
    assert_eq!(response.headers()["content-type"], "application/problem+json");

    let response = app.client.post(app.url("/api/v1/reports")).header("content-type", "text/plain").body("hello").send().await.unwrap();
    assert_eq!(response.status(), 415);

    let response = app.client.post(app.url("/api/v1/reports")).header("content-type", "application/json").body("{\"kind\": ").send().await.unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/malformed-request");

    let invalid = json!({"kind": "keluhan", "title": "abc", "body": "pendek", "location": {"lat": 48.8, "lon": 2.3}, "reporter": {"phone": "12345"}});
    let response = app.post_json("/api/v1/reports", &invalid).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.headers()["content-language"], "id");
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["title"], "Data tidak valid");
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["kind", "title", "body", "location.lat", "location.lon", "reporter.phone"]);

    let response = app
        .client
        .post(app.url("/api/v1/reports"))
        .header("accept-language", "en")
        .json(&invalid)
        .send()
        .await
        .unwrap();
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["title"], "Validation failed");
    assert_eq!(problem["errors"][1]["message"], "Too short: at least 5 characters (now 3).");

    let response = app.client.post(app.url("/api/v1/reports")).header("idempotency-key", "short").json(&report("public")).send().await.unwrap();
    assert_eq!(response.status(), 400);

    let mut unknown_agency = report("public");
    unknown_agency["agency"] = json!("pemkot-99.99");
    assert_eq!(app.post_json("/api/v1/reports", &unknown_agency).await.status(), 422);

    // A body with thousands of unknown fields gets a short answer.
    let mut noisy = serde_json::Map::new();
    for i in 0..2000 {
        noisy.insert(format!("x{i}"), json!(1));
    }
    let response = app.post_json("/api/v1/reports", &Value::Object(noisy)).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"].as_array().unwrap().len(), 20);

    let response = app.client.put(app.url("/api/v1/reports")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, HEAD, POST");

    assert_eq!(app.count("SELECT count(*) FROM reports"), before, "no bad request may write");
    assert_eq!(app.count("SELECT count(*) FROM report_events"), before);
    app.stop().await;
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_answer() {
    let app = TestApp::spawn().await;
    let key = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let send = |body: Value| app.client.post(app.url("/api/v1/reports")).header("idempotency-key", key).json(&body).send();

    let first = send(report("confidential")).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(report("confidential")).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again, "same tracking ID, same token, same everything");

    // The replayed token works.
    let token = again["reporter_token"].as_str().unwrap();
    let id = again["tracking_id"].as_str().unwrap();
    let seen = app.client.get(app.url(&format!("/api/v1/reports/{id}"))).bearer_auth(token).send().await.unwrap();
    assert_eq!(seen.status(), 200);

    let mut different = report("confidential");
    different["title"] = json!("Judul yang berbeda sama sekali");
    let reused = send(different).await.unwrap();
    assert_eq!(reused.status(), 422);
    let problem: Value = reused.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/idempotency-key-reused");
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_retries_with_one_key_create_one_report() {
    let app = TestApp::spawn().await;
    let mut attempts = Vec::new();
    for _ in 0..12 {
        let request = app
            .client
            .post(app.url("/api/v1/reports"))
            .header("idempotency-key", "retry-storm-7f3c9a1e-2b44-4f0e")
            .json(&report("public"))
            .send();
        attempts.push(tokio::spawn(async move {
            let response = request.await.unwrap();
            (response.status().as_u16(), response.json::<Value>().await.unwrap())
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        assert_eq!(status, 201, "{body}");
        ids.insert(body["tracking_id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "every retry got the same report: {ids:?}");
    assert_eq!(app.count("SELECT count(*) FROM reports"), 1);
    assert_eq!(app.count("SELECT count(*) FROM report_events"), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_form_post_redirects_to_the_tracking_page_with_the_token_in_a_cookie() {
    let app = TestApp::spawn().await;
    let form = [
        ("kind", "aspirasi"),
        ("title", "Taman <script>alert(1)</script>"),
        ("body", "Mohon tambah bangku & lampu di taman kota, terima kasih."),
        ("privacy", "confidential"),
        ("location.lat", ""),
        ("location.lon", ""),
        ("reporter.name", "Budi"),
        ("idempotency_key", "form-7c1e2d3f-aaaa-bbbb-cccc"),
    ];
    let response = app.client.post(app.url("/api/v1/reports")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/lapor/"), "{location}");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lapor_token=") && cookie.contains("HttpOnly") && cookie.contains(&format!("Path={location}")), "{cookie}");
    let token_pair = cookie.split(';').next().unwrap().to_string();

    // Without the cookie the confidential report does not exist.
    assert_eq!(app.get(&location).await.status(), 404);
    let page = app.client.get(app.url(&location)).header("cookie", &token_pair).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert!(html.contains(token_pair.trim_start_matches("lapor_token=")), "the reporter sees their token");
    assert!(html.contains("Taman &lt;script&gt;alert(1)&lt;/script&gt;"), "titles are escaped");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("bangku &amp; lampu"));

    let stored_channel: String = app.db().query_row("SELECT channel FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!(stored_channel, "web");
    app.stop().await;
}

#[tokio::test]
async fn the_listing_is_public_newest_first_filtered_and_paginated() {
    // Listed as filed (the Spin variable); the default, verified only, is
    // `unverified_reports_are_tracked_but_not_listed`.
    let app = TestApp::spawn_with(AppConfig::without_rate_limits().var("publish_unverified_reports", "true")).await;
    let mut filed = Vec::new();
    for i in 0..7 {
        let mut r = report(if i == 3 { "confidential" } else if i % 2 == 0 { "public" } else { "anonymous" });
        r["title"] = json!(format!("Laporan nomor {i} tentang jalan"));
        r["region"] = json!(if i < 4 { "32.73.01" } else { "31.71" });
        if i == 6 {
            r["body"] = json!("Banjir di kolong jembatan setiap hujan deras turun sore hari.");
        }
        filed.push(app.file(&r).await["tracking_id"].as_str().unwrap().to_string());
    }
    let page: Value = app.get("/api/v1/reports?limit=4").await.json().await.unwrap();
    let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|i| i["tracking_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [&filed[6], &filed[5], &filed[4], &filed[2]], "newest first, confidential skipped");
    assert!(page["items"][0].get("body").is_none(), "listings carry an excerpt, not the body");
    let cursor = page["next_cursor"].as_str().unwrap();
    let next: Value = app.get(&format!("/api/v1/reports?limit=4&cursor={cursor}")).await.json().await.unwrap();
    let ids: Vec<&str> = next["items"].as_array().unwrap().iter().map(|i| i["tracking_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [&filed[1], &filed[0]]);
    assert!(next["next_cursor"].is_null());

    let region: Value = app.get("/api/v1/reports?region=32.73").await.json().await.unwrap();
    assert_eq!(region["items"].as_array().unwrap().len(), 3, "a regency code matches its districts");
    let words: Value = app.get("/api/v1/reports?q=banjir%20JEMBATAN").await.json().await.unwrap();
    assert_eq!(words["items"].as_array().unwrap().len(), 1);
    let status: Value = app.get("/api/v1/reports?status=dispatched&agency=pemkot-32.73&category=infrastruktur-jalan").await.json().await.unwrap();
    assert_eq!(status["items"], json!([]));

    for bad in ["status=open", "limit=0", "limit=101", "cursor=garbage", "region=3", "agency=Bad%20Code"] {
        let response = app.get(&format!("/api/v1/reports?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
    app.stop().await;
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let mut config = AppConfig::without_rate_limits();
    config.env.insert("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_ADDRESS".into(), "3".into());
    config.env.insert("SPIN_VARIABLE_REPORT_RATE_LIMIT_PER_PHONE".into(), "2".into());
    let app = TestApp::spawn_with(config).await;

    // Per phone: the third report with the same number in the hour is refused.
    assert_eq!(app.post_json("/api/v1/reports", &report("public")).await.status(), 201);
    assert_eq!(app.post_json("/api/v1/reports", &report("public")).await.status(), 201);
    let refused = app.post_json("/api/v1/reports", &report("public")).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after));
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/too-many-requests");

    // Per address: the fourth from this address, whatever the phone.
    let mut other = report("public");
    other["reporter"] = json!({"name": "Budi"});
    assert_eq!(app.post_json("/api/v1/reports", &other).await.status(), 429);
    assert_eq!(app.count("SELECT count(*) FROM reports"), 2);
    app.stop().await;
}

#[tokio::test]
async fn the_app_migrates_its_own_schema_on_first_use() {
    let app = TestApp::spawn().await;
    app.file(&report("public")).await;
    let version: i64 = app.db().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 1);
    let mode: String = app.db().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    app.stop().await;
}

#[tokio::test]
async fn invisible_titles_are_refused_and_bidi_controls_are_not_stored() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/api/v1/reports").await.status(), 200, "the schema is migrated");
    let mut invisible = report("public");
    invisible["title"] = json!("\u{200B}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{202E}");
    let response = app.client.post(app.url("/api/v1/reports")).header("accept-language", "en").json(&invisible).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!((problem["errors"][0]["field"].as_str(), problem["errors"][0]["message"].as_str()), (Some("title"), Some("Required.")), "{problem}");
    assert_eq!(app.count("SELECT count(*) FROM reports"), 0, "a refused report writes nothing");

    // "gpj.exe" behind a right-to-left override would display as "exe.jpg".
    let mut spoofed = report("public");
    spoofed["title"] = json!("Foto \u{202E}gpj.exe\u{202C} di lampiran");
    spoofed["body"] = json!("Lubang besar di depan \u{2067}SD Negeri 3\u{2069} sudah dua bulan.");
    let created = app.file(&spoofed).await;
    let (_, view) = app.call(reqwest::Method::GET, &format!("/api/v1/reports/{}", created["tracking_id"].as_str().unwrap()), None, None).await;
    assert_eq!(view["title"], "Foto gpj.exe di lampiran", "{view}");
    assert_eq!(view["body"], "Lubang besar di depan SD Negeri 3 sudah dua bulan.", "{view}");
    let stored: String = app.db().query_row("SELECT title || body FROM reports", [], |r| r.get(0)).unwrap();
    assert!(!stored.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')), "{stored:?}");
    app.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_report_limits_count_the_forwarded_client() {
    async fn file_from(app: &TestApp, forwarded: &str) -> u16 {
        let mut anonymous = report("public");
        anonymous["reporter"] = json!({"name": "Budi"});
        let response = app.client.post(app.url("/api/v1/reports")).header("forwarded", forwarded).json(&anonymous).send().await.unwrap();
        response.status().as_u16()
    }
    let limited = || AppConfig::without_rate_limits().var("report_rate_limit_per_address", "1");
    let app = TestApp::spawn_with(limited().var("trusted_proxies", "127.0.0.0/8")).await;
    assert_eq!(file_from(&app, "for=203.0.113.1").await, 201);
    assert_eq!(file_from(&app, "for=203.0.113.1;proto=https").await, 429);
    assert_eq!(file_from(&app, r#"for="[2001:db8::7]:4711""#).await, 201, "another client");
    app.stop().await;

    let app = TestApp::spawn_with(limited()).await;
    assert_eq!(file_from(&app, "for=203.0.113.1").await, 201);
    assert_eq!(file_from(&app, r#"for="[2001:db8::7]:4711""#).await, 429, "the header is not believed");
    app.stop().await;
}
