//! `GET /api/v1/health` through the real manifest and runner.

use integration_tests::{AppConfig, Redis, TestApp};

#[tokio::test]
async fn health_reports_both_stores_ok() {
    let app = TestApp::spawn().await;
    let response = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "ok", "checks": {"sqlite": {"status": "ok"}, "key_value": {"status": "ok"}}})
    );
    // The check cleans up after itself in Spin's default key-value file.
    let leftovers = probe_keys(&app.state_dir.path().join(".spin/sqlite_key_value.db"));
    assert_eq!(leftovers, 0, "health probe keys must be deleted after each check");
    app.stop().await;
}

/// How many health probe keys are in Spin's key-value file.
fn probe_keys(path: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT count(*) FROM spin_key_value WHERE store = 'default' AND key LIKE 'health:probe:%'",
        [],
        |row| row.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn concurrent_health_checks_all_succeed() {
    let app = TestApp::spawn().await;
    let mut checks = Vec::new();
    for _ in 0..40 {
        let request = app.client.get(app.url("/api/v1/health")).send();
        checks.push(tokio::spawn(async move {
            let response = request.await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }));
    }
    for check in checks {
        let (status, body) = check.await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn health_is_503_when_the_key_value_store_is_down() {
    let mut redis = Redis::start();
    let app = TestApp::spawn_with(AppConfig {
        runtime_config: Some(format!("[key_value_store.default]\ntype = \"redis\"\nurl = \"{}\"\n", redis.url())),
        ..AppConfig::without_rate_limits()
    })
    .await;
    let ok = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(ok.status(), 200);

    redis.stop();
    let down = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(down.status(), 503);
    let body: serde_json::Value = down.json().await.unwrap();
    assert_eq!(body["status"], "failing");
    assert_eq!(body["checks"]["sqlite"]["status"], "ok");
    assert_eq!(body["checks"]["key_value"]["status"], "failing");
    assert!(body["checks"]["key_value"]["error"].as_str().unwrap().starts_with("write:"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn wrong_method_is_a_problem_in_the_callers_language() {
    let app = TestApp::spawn().await;
    let response = app.client.post(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    assert_eq!(response.headers()["allow"], "GET, HEAD");
    assert_eq!(response.headers()["content-language"], "id");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], 405);
    assert_eq!(body["type"], "/problems/method-not-allowed");
    assert_eq!(body["title"], "Metode tidak diizinkan");

    let response = app
        .client
        .delete(app.url("/api/v1/health"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["title"], "Method not allowed");
    assert_eq!(body["detail"], "This resource only accepts GET, HEAD.");
    app.stop().await;
}

#[tokio::test]
async fn unknown_paths_are_404_and_the_runtime_health_route_answers() {
    let app = TestApp::spawn().await;
    assert_eq!(app.client.get(app.url("/api/v1/nothing")).send().await.unwrap().status(), 404);
    let spin_health = app.client.get(app.url("/.well-known/spin/health")).send().await.unwrap();
    assert_eq!(spin_health.status(), 200);
    app.stop().await;
}
