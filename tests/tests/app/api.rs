//! Rules every part of the API shares, through the real manifest and runner:
//! the staff queues page like every listing, a bad query parameter is 400
//! everywhere, and an unknown address under /api/ is a problem-details 404.

use std::collections::HashSet;

use integration_tests::fixtures::{create_staff, AGENCY_A, AGENCY_B, BOOTSTRAP, UNIT_A};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn spawn() -> TestApp {
    TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await
}

fn report(n: usize) -> Value {
    json!({
        "kind": "pengaduan",
        "title": format!("Lampu jalan padam nomor {n}"),
        "body": "Lampu penerangan jalan di Jl. Dago padam sejak minggu lalu, jalan gelap di malam hari.",
        "privacy": "public",
        "reporter": {"name": "Rina Wulandari", "phone": "0813-4444-5555"}
    })
}

async fn staff(app: &TestApp, body: Value) -> String {
    create_staff(app, BOOTSTRAP, body).await
}

async fn ok(app: &TestApp, path: &str, token: &str) -> Value {
    let (status, body) = app.call(Method::GET, path, Some(token), None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn post_ok(app: &TestApp, path: String, body: Value) {
    let (status, answer) = app.call(Method::POST, &path, Some(BOOTSTRAP), Some(body)).await;
    assert_eq!(status, 200, "{path}: {answer}");
}

/// Follows `next_cursor` from `path` (which has a query) to the end; returns
/// the tracking IDs in order and every page's size.
async fn walk(app: &TestApp, path: &str, token: &str) -> (Vec<String>, Vec<usize>) {
    let (mut ids, mut sizes) = (Vec::new(), Vec::new());
    let mut page = ok(app, path, token).await;
    loop {
        let items = page["items"].as_array().unwrap();
        sizes.push(items.len());
        ids.extend(items.iter().map(|i| i["tracking_id"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(cursor) => page = ok(app, &format!("{path}&cursor={cursor}"), token).await,
            None => return (ids, sizes),
        }
    }
}

fn counts(submitted: i64, on_hold: i64, dispatched: i64) -> Value {
    json!({"submitted": submitted, "on_hold": on_hold, "dispatched": dispatched, "responded": 0, "completed": 0, "archived": 0})
}

#[tokio::test]
async fn staff_queues_page_past_200_with_counts_per_status() {
    let app = spawn().await;
    let coordinator_a = staff(&app, json!({"role": "coordinator", "name": "Koordinator Bandung", "agency": AGENCY_A})).await;
    let officer_a = staff(&app, json!({"role": "officer", "name": "Penghubung PUPR", "agency": AGENCY_A, "unit": UNIT_A})).await;
    let coordinator_b = staff(&app, json!({"role": "coordinator", "name": "Koordinator Kab. Bandung", "agency": AGENCY_B})).await;

    // 225 reports (the first ten one by one, the rest eight at a time): 3 go
    // on hold, 5 to agency A (2 of them to a unit), 2 to agency B, and 215
    // stay waiting.
    let mut filed = Vec::new();
    for n in 0..10 {
        filed.push(app.file(&report(n)).await["tracking_id"].as_str().unwrap().to_string());
    }
    for batch in (10..225).collect::<Vec<_>>().chunks(8) {
        let bodies: Vec<Value> = batch.iter().map(|n| report(*n)).collect();
        let calls = bodies.iter().map(|body| app.post_json("/api/v1/reports", body));
        for response in futures::future::join_all(calls).await {
            assert_eq!(response.status(), 201);
            filed.push(response.json::<Value>().await.unwrap()["tracking_id"].as_str().unwrap().to_string());
        }
    }
    for id in &filed[0..3] {
        post_ok(&app, format!("/api/v1/admin/reports/{id}/hold"), json!({"reason": "Mohon lampirkan foto."})).await;
    }
    for (i, id) in filed[3..10].iter().enumerate() {
        let agency = if i < 5 { AGENCY_A } else { AGENCY_B };
        post_ok(&app, format!("/api/v1/admin/reports/{id}/verify"), json!({"agency": agency})).await;
    }
    for id in &filed[3..5] {
        let (status, body) = app.call(Method::POST, &format!("/api/v1/agency/reports/{id}/assign"), Some(&coordinator_a), Some(json!({"unit": UNIT_A}))).await;
        assert_eq!(status, 200, "{body}");
    }
    // Reports filed in the same millisecond are ordered by their row: give a
    // run of them one timestamp so paging must cut through a tie.
    app.db().execute("UPDATE reports SET created_at = (SELECT created_at FROM reports WHERE id = 100) WHERE id BETWEEN 95 AND 110", []).unwrap();
    let expected: Vec<String> = {
        let db = app.db();
        let mut statement = db.prepare("SELECT tracking_id FROM reports WHERE status = 'submitted' ORDER BY created_at, id").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(expected.len(), 215);

    // The intake: every waiting report once, oldest first, in pages of 100.
    let (ids, sizes) = walk(&app, "/api/v1/admin/reports?status=submitted&limit=100", BOOTSTRAP).await;
    assert_eq!(sizes, [100, 100, 15]);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 215, "no duplicates");
    assert_eq!(ids, expected, "every waiting report, oldest first, the newest included");
    let first = ok(&app, "/api/v1/admin/reports", BOOTSTRAP).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 50, "the default page");
    assert_eq!(first["counts"], counts(215, 3, 7), "{}", first["counts"]);
    assert_eq!(first["total"], 215);
    assert_eq!(first["items"][0]["tracking_id"], expected[0].as_str(), "submitted is the default");
    assert!(first["items"][0]["version"].is_i64(), "the existing fields stay: {}", first["items"][0]);
    let held = ok(&app, "/api/v1/admin/reports?status=on_hold", BOOTSTRAP).await;
    assert_eq!((held["items"].as_array().unwrap().len(), held["next_cursor"].clone(), held["total"].clone()), (3, Value::Null, json!(3)));
    assert_eq!(held["counts"], counts(215, 3, 7), "counts ignore the status filter");

    // A report filed mid-walk joins the end; the walk neither repeats nor skips.
    let page = ok(&app, "/api/v1/admin/reports?limit=200", BOOTSTRAP).await;
    let late = app.file(&report(999)).await["tracking_id"].as_str().unwrap().to_string();
    let rest = ok(&app, &format!("/api/v1/admin/reports?limit=200&cursor={}", page["next_cursor"].as_str().unwrap()), BOOTSTRAP).await;
    let rest: Vec<&str> = rest["items"].as_array().unwrap().iter().map(|i| i["tracking_id"].as_str().unwrap()).collect();
    assert_eq!(rest.len(), 16);
    assert_eq!(rest[..15], expected[200..].iter().map(String::as_str).collect::<Vec<_>>()[..]);
    assert_eq!(rest[15], late);

    // An agency's inbox counts only that agency's reports, for every role,
    // and a unit filter narrows both the list and the counts.
    for token in [&coordinator_a, &officer_a] {
        let inbox = ok(&app, &format!("/api/v1/agency/reports?agency={AGENCY_B}"), token).await;
        assert_eq!((inbox["agency"].as_str(), inbox["total"].as_i64()), (Some(AGENCY_A), Some(5)), "{inbox}");
        assert_eq!(inbox["counts"], counts(0, 0, 5));
    }
    let (ids, sizes) = walk(&app, "/api/v1/agency/reports?limit=2", &coordinator_a).await;
    assert_eq!((ids, sizes), (filed[3..8].to_vec(), vec![2, 2, 1]));
    let other = ok(&app, "/api/v1/agency/reports", &coordinator_b).await;
    assert_eq!((other["total"].as_i64(), other["counts"].clone()), (Some(2), counts(0, 0, 2)));
    let as_admin = ok(&app, &format!("/api/v1/agency/reports?agency={AGENCY_A}&status=dispatched"), BOOTSTRAP).await;
    assert_eq!((as_admin["total"].as_i64(), as_admin["counts"].clone()), (Some(5), counts(0, 0, 5)));
    let unit = ok(&app, &format!("/api/v1/agency/reports?unit={UNIT_A}"), &officer_a).await;
    assert_eq!((unit["items"].as_array().unwrap().len(), unit["counts"].clone()), (2, counts(0, 0, 2)));
    let responded = ok(&app, "/api/v1/agency/reports?status=responded", &coordinator_a).await;
    assert_eq!((responded["items"].clone(), responded["total"].clone()), (json!([]), json!(0)));

    // Bad paging is refused, naming the parameter.
    for (path, token, field) in [
        ("/api/v1/admin/reports?limit=0", BOOTSTRAP, "limit"),
        ("/api/v1/admin/reports?limit=201", BOOTSTRAP, "limit"),
        ("/api/v1/admin/reports?limit=ten", BOOTSTRAP, "limit"),
        ("/api/v1/admin/reports?cursor=garbage", BOOTSTRAP, "cursor"),
        ("/api/v1/agency/reports?limit=500", coordinator_a.as_str(), "limit"),
        ("/api/v1/agency/reports?cursor=bm9waXBl", coordinator_a.as_str(), "cursor"),
    ] {
        let (status, problem) = app.call(Method::GET, path, Some(token), None).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some(field)), "{path}: {problem}");
    }
    app.stop().await;
}

/// Asserts a 400 problem naming `field` in `errors`.
async fn assert_bad_parameter(app: &TestApp, method: Method, path: &str, token: Option<&str>, field: &str) {
    let mut request = app.client.request(method, app.url(path)).header("accept-language", "en");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    let problem: Value = response.json().await.unwrap();
    assert_eq!((status, content_type.as_str()), (400, "application/problem+json"), "{path}: {problem}");
    assert_eq!(problem["type"], "/problems/malformed-request", "{path}");
    let errors = problem["errors"].as_array().unwrap_or_else(|| panic!("{path}: no errors in {problem}"));
    assert_eq!(errors.len(), 1, "{path}: {problem}");
    assert_eq!(errors[0]["field"], field, "{path}: {problem}");
    assert!(errors[0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{path}: {problem}");
}

#[tokio::test]
async fn every_listing_answers_a_bad_query_parameter_with_400_naming_it() {
    let app = spawn().await;
    let coordinator = staff(&app, json!({"role": "coordinator", "name": "Koordinator Bandung", "agency": AGENCY_A})).await;
    let id = app.file(&report(1)).await["tracking_id"].as_str().unwrap().to_string();
    post_ok(&app, format!("/api/v1/admin/reports/{id}/verify"), json!({"agency": AGENCY_A})).await;
    let (_, citizen) = app.call(Method::POST, "/api/v1/citizens", None, None).await;
    let citizen = citizen["citizen_token"].as_str().unwrap().to_string();
    let (status, _) = app.call(Method::POST, &format!("/api/v1/reports/{id}/follows"), Some(&citizen), Some(json!({"channel": "email", "address": "warga@example.org"}))).await;
    assert_eq!(status, 201);

    let admin = Some(BOOTSTRAP);
    let cases: Vec<(Method, String, Option<&str>, &str)> = vec![
        (Method::GET, "/api/v1/reports?status=open".into(), None, "status"),
        (Method::GET, "/api/v1/reports?limit=0".into(), None, "limit"),
        (Method::GET, "/api/v1/agencies?type=desa".into(), None, "type"),
        (Method::GET, "/api/v1/agencies?cursor=nope".into(), None, "cursor"),
        (Method::GET, format!("/api/v1/reports/{id}/comments?limit=101"), None, "limit"),
        (Method::GET, format!("/api/v1/reports/{id}/comments?cursor=garbage"), None, "cursor"),
        (Method::GET, "/api/v1/comments?state=visible".into(), Some(&coordinator), "state"),
        (Method::GET, "/api/v1/comments?state=hidden&limit=0".into(), Some(&coordinator), "limit"),
        (Method::GET, "/api/v1/admin/notifications?state=pending".into(), admin, "state"),
        (Method::GET, "/api/v1/admin/notifications?cursor=garbage".into(), admin, "cursor"),
        (Method::GET, "/api/v1/admin/reports?status=open".into(), admin, "status"),
        (Method::GET, "/api/v1/agency/reports?status=open".into(), Some(&coordinator), "status"),
        (Method::GET, "/api/v1/agency/reports".into(), admin, "agency"),
        (Method::GET, "/api/v1/agency/reports?agency=Bad%20Code".into(), admin, "agency"),
        (Method::GET, "/api/v1/calendar/holidays?year=twenty".into(), None, "year"),
        (Method::DELETE, format!("/api/v1/reports/{id}/follows?channel=pigeon"), Some(&citizen), "channel"),
    ];
    for (method, path, token, field) in &cases {
        assert_bad_parameter(&app, method.clone(), path, *token, field).await;
    }
    assert_eq!(app.count("SELECT count(*) FROM follows WHERE identity LIKE 'citizen:%'"), 1, "a refused request changes nothing");
    app.stop().await;
}

#[tokio::test]
async fn every_unknown_address_under_api_is_a_problem_404() {
    let app = spawn().await;
    let id = app.file(&report(1)).await["tracking_id"].as_str().unwrap().to_string();
    let unknown = [
        // no component claims these: the catch-all
        "/api".to_string(),
        "/api/".to_string(),
        "/api/v2/reports".to_string(),
        "/api/v1/nope".to_string(),
        "/api/v1/health/extra".to_string(),
        "/api/v1/calendar".to_string(),
        // inside each component's own prefixes
        format!("/api/v1/reports/{id}/nonsense"),
        format!("/api/v1/reports/{id}/supports/extra"),
        "/api/v1/agencies/pemkot-32.73/units".to_string(),
        "/api/v1/citizens/nope".to_string(),
        "/api/v1/comments/abc/nope".to_string(),
        "/api/v1/calendar/holidays/2026/01/01".to_string(),
        "/api/v1/admin/nope".to_string(),
        "/api/v1/agency".to_string(),
        format!("/api/v1/agency/reports/{id}/nonsense"),
        format!("/api/v1/admin/reports/{id}/assign"),
        "/api/v1/staff/x/y".to_string(),
    ];
    for path in &unknown {
        for method in [Method::GET, Method::POST] {
            for (lang, title) in [("en", "Not found"), ("id", "Tidak ditemukan")] {
                let response = app.client.request(method.clone(), app.url(path)).bearer_auth(BOOTSTRAP).header("accept-language", lang).send().await.unwrap();
                let status = response.status().as_u16();
                let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
                let text = response.text().await.unwrap();
                assert_eq!((status, content_type.as_deref()), (404, Some("application/problem+json")), "{method} {path}: {text}");
                let problem: Value = serde_json::from_str(&text).unwrap();
                assert_eq!((problem["type"].as_str(), problem["status"].as_i64(), problem["title"].as_str()), (Some("/problems/not-found"), Some(404), Some(title)), "{method} {path}");
            }
        }
    }

    // A path that exists with another method: 405 naming the methods it takes
    // (HEAD wherever GET is, in every component alike).
    for (method, path, allow) in [
        (Method::PUT, "/api/v1/admin/reports".to_string(), "GET, HEAD"),
        (Method::GET, format!("/api/v1/agency/reports/{id}/assign"), "POST"),
        (Method::GET, format!("/api/v1/admin/reports/{id}/verify"), "POST"),
        (Method::POST, "/api/v1/agencies/pemkot-32.73".to_string(), "GET, HEAD"),
        (Method::POST, "/api/v1/health".to_string(), "GET, HEAD"),
    ] {
        let response = app.client.request(method.clone(), app.url(&path)).bearer_auth(BOOTSTRAP).send().await.unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{method} {path}");
    }
    // The real routes still win over the catch-all.
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
    assert_eq!(app.get("/api/v1/agencies/pemkot-32.73").await.status(), 200);
    assert_eq!(app.get("/api/v1/calendar/holidays?year=2026").await.status(), 200);
    app.stop().await;
}
