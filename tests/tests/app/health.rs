//! `GET /api/v1/health` through the real manifest and runner.

use integration_tests::{AppConfig, KeyValue, Redis, TestApp};

/// The health route's answer when both stores work, and its key-value
/// check: a read every time, a write only when the last one is 30 s old.
async fn both_stores_ok(backend: KeyValue) {
    let app = TestApp::spawn_with(AppConfig::without_rate_limits().key_value(backend)).await;
    assert_eq!(app.kv().is_redis(), backend == KeyValue::Redis);
    let response = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "ok", "checks": {"sqlite": {"status": "ok"}, "key_value": {"status": "ok"}}})
    );
    // The check proved the store writable once (so the stamp is in the
    // backend the app really uses); checks within 30 seconds only read
    // (Spin's default store pays several fsyncs per write).
    let stamp = || app.kv().get(kv_schema::health_written_key()).map(|v| String::from_utf8(v).unwrap());
    let first = stamp().expect("the first check writes its stamp");
    for _ in 0..5 {
        assert_eq!(app.client.get(app.url("/api/v1/health")).send().await.unwrap().status(), 200);
    }
    assert_eq!(stamp(), Some(first.clone()), "later checks read, they do not write");
    // A stamp 30 seconds old is written again.
    let old = (chrono::Utc::now() - chrono::Duration::seconds(31)).to_rfc3339();
    app.kv().set(kv_schema::health_written_key(), old.as_bytes());
    assert_eq!(app.client.get(app.url("/api/v1/health")).send().await.unwrap().status(), 200);
    let renewed = stamp().unwrap();
    assert_ne!(renewed, old);
    assert!(chrono::DateTime::parse_from_rfc3339(&renewed).is_ok(), "{renewed}");
    app.stop().await;
}

/// On the suite's store (`LAPOR_TEST_KEY_VALUE`): the stamp is read back
/// from the backend the harness says the app uses, so this also proves the
/// Redis pass really runs on Redis.
#[tokio::test]
async fn health_reports_both_stores_ok() {
    both_stores_ok(KeyValue::of_suite()).await;
}

/// The scale-out configuration: key-value on Redis, checked by the same route.
#[tokio::test]
async fn health_reports_both_stores_ok_with_the_key_value_store_on_redis() {
    both_stores_ok(KeyValue::Redis).await;
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

    // A store that still reads but no longer takes writes (Redis out of
    // memory) fails as soon as the last write's stamp is due again.
    let cli = |args: &[&str]| {
        let out = std::process::Command::new("redis-cli").args(["-p", &redis.port.to_string()]).args(args).output().expect("redis-cli (Debian's redis-tools)");
        assert!(out.status.success(), "{out:?}");
    };
    cli(&["CONFIG", "SET", "maxmemory-policy", "noeviction"]);
    cli(&["CONFIG", "SET", "maxmemory", "1"]);
    cli(&["DEL", kv_schema::health_written_key()]);
    let full = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(full.status(), 503);
    let body: serde_json::Value = full.json().await.unwrap();
    assert!(body["checks"]["key_value"]["error"].as_str().unwrap().starts_with("write:"), "{body}");
    cli(&["CONFIG", "SET", "maxmemory", "0"]);
    assert_eq!(app.client.get(app.url("/api/v1/health")).send().await.unwrap().status(), 200, "and recovers by itself");

    redis.stop();
    let down = app.client.get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(down.status(), 503);
    let body: serde_json::Value = down.json().await.unwrap();
    assert_eq!(body["status"], "failing");
    assert_eq!(body["checks"]["sqlite"]["status"], "ok");
    assert_eq!(body["checks"]["key_value"]["status"], "failing");
    assert!(body["checks"]["key_value"]["error"].as_str().unwrap().starts_with("read:"), "{body}");
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
