//! The category taxonomy through the real manifest and runner: the public
//! list, administrators adding, renaming and retiring, and intake refusing
//! unknown and retired categories (old reports keep theirs).

use integration_tests::fixtures::staff;
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

fn codes(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap().to_string()).collect()
}

fn report(category: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": "Antrean BPJS di puskesmas",
        "body": "Pasien BPJS diminta datang jam empat pagi untuk mendapat nomor antrean.",
        "category": category
    })
}

#[tokio::test]
async fn the_taxonomy_is_public_cacheable_and_ordered_topic_by_topic() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/categories").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=300");
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let list: Value = response.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    let topics = items.iter().filter(|c| c["parent"].is_null()).count();
    assert!((36..=42).contains(&topics) && items.len() - topics >= 150, "{topics} topics, {} in all", items.len());
    // Codes already filed by clients and staff are in it.
    let jalan = items.iter().find(|c| c["code"] == "infrastruktur-jalan").unwrap();
    assert_eq!(jalan["parent"], "infrastruktur");
    assert!(jalan["name_id"].is_string() && jalan["name_en"].is_string() && jalan["retired_at"].is_null());
    assert!(items.iter().any(|c| c["code"] == "drainase"));
    // Each topic is followed by its own sub-topics.
    let mut topic = "";
    for c in items {
        match c["parent"].as_str() {
            None => topic = c["code"].as_str().unwrap(),
            Some(parent) => assert_eq!(parent, topic, "{c}"),
        }
    }
    let again = app.client.get(app.url("/api/v1/categories")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(app.get("/api/v1/categories?include_retired=maybe").await.status(), 400);
    let one: Value = app.get("/api/v1/categories/kesehatan-bpjs").await.json().await.unwrap();
    assert_eq!(one["parent"], "kesehatan");
    assert_eq!(app.get("/api/v1/categories/tidak-ada").await.status(), 404);
    assert_eq!(app.get("/api/v1/categories/Bad%20Code").await.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn administrators_add_rename_and_retire_categories() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let team = staff(&app).await;
    let admin = team.admin.clone();
    let new = json!({"code": "kesehatan-gigi", "parent": "kesehatan", "name_id": "Kesehatan gigi", "name_en": "Dental care"});

    let (status, _) = app.call(Method::POST, "/api/v1/categories", None, Some(new.clone())).await;
    assert_eq!(status, 401);
    let (status, _) = app.call(Method::POST, "/api/v1/categories", Some(&team.coordinator_a), Some(new.clone())).await;
    assert_eq!(status, 403, "only platform administrators");

    let (status, body) = app.call(Method::POST, "/api/v1/categories", Some(&admin), Some(new.clone())).await;
    assert_eq!((status, body["code"].clone(), body["parent"].clone()), (201, json!("kesehatan-gigi"), json!("kesehatan")), "{body}");
    let (status, body) = app.call(Method::POST, "/api/v1/categories", Some(&admin), Some(new.clone())).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = app.call(Method::POST, "/api/v1/categories", Some(&admin), Some(json!({"code": "Bad Code", "name_en": "x", "colour": 1}))).await;
    assert_eq!(status, 422);
    assert_eq!(body["type"], "/problems/validation-failed");
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["colour", "code", "name_id", "name_en"]);
    let (status, body) = app.call(Method::POST, "/api/v1/categories", Some(&admin), Some(json!({"code": "x-y", "parent": "kesehatan-bpjs", "name_id": "Xy", "name_en": "Xy"}))).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (422, json!("parent")), "two levels only");
    let (status, body) = app.call(Method::POST, "/api/v1/categories", Some(&admin), Some(json!({"code": "x-y", "parent": "tidak-ada", "name_id": "Xy", "name_en": "Xy"}))).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (422, json!("parent")));
    // A new programme topic.
    let (status, _) = app.call(Method::POST, "/api/v1/categories", Some(&admin), Some(json!({"code": "sekolah-rakyat", "name_id": "Sekolah Rakyat", "name_en": "People's Schools"}))).await;
    assert_eq!(status, 201);
    let list: Value = app.get("/api/v1/categories").await.json().await.unwrap();
    assert!(codes(&list).contains(&"kesehatan-gigi".to_string()) && codes(&list).contains(&"sekolah-rakyat".to_string()));
    assert_eq!(app.file(&report("kesehatan-gigi")).await["status"], "submitted", "a new category takes reports at once");

    // Rename: the code stays.
    let (status, body) = app.call(Method::PUT, "/api/v1/categories/kesehatan-gigi", Some(&admin), Some(json!({"name_en": "Dental health"}))).await;
    assert_eq!((status, body["name_en"].clone(), body["name_id"].clone()), (200, json!("Dental health"), json!("Kesehatan gigi")));
    let (status, _) = app.call(Method::PUT, "/api/v1/categories/kesehatan-gigi", Some(&admin), Some(json!({}))).await;
    assert_eq!(status, 422);
    let (status, _) = app.call(Method::PUT, "/api/v1/categories/tidak-ada", Some(&admin), Some(json!({"name_en": "Nothing"}))).await;
    assert_eq!(status, 404);
    let (status, _) = app.call(Method::PUT, "/api/v1/categories/kesehatan-gigi", Some(&team.coordinator_a), Some(json!({"name_en": "x y"}))).await;
    assert_eq!(status, 403);

    // Retire: gone from the list, refused on intake, kept on old reports.
    let old = app.file(&report("kesehatan-gigi")).await;
    let (status, body) = app.call(Method::DELETE, "/api/v1/categories/kesehatan-gigi", Some(&admin), None).await;
    assert_eq!(status, 200);
    assert!(body["retired_at"].is_string());
    let list: Value = app.get("/api/v1/categories").await.json().await.unwrap();
    assert!(!codes(&list).contains(&"kesehatan-gigi".to_string()));
    let all: Value = app.get("/api/v1/categories?include_retired=true").await.json().await.unwrap();
    assert!(all["items"].as_array().unwrap().iter().any(|c| c["code"] == "kesehatan-gigi" && c["retired_at"].is_string()));
    let refused = app.post_json("/api/v1/reports", &report("kesehatan-gigi")).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "category", "{problem}");
    let view: Value = app.get(&format!("/api/v1/reports/{}", old["tracking_id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!(view["category"], "kesehatan-gigi", "an old report keeps its retired category");

    // Restored with `retired: false`.
    let (status, body) = app.call(Method::PUT, "/api/v1/categories/kesehatan-gigi", Some(&admin), Some(json!({"retired": false}))).await;
    assert_eq!((status, body["retired_at"].clone()), (200, Value::Null));
    assert_eq!(app.post_json("/api/v1/reports", &report("kesehatan-gigi")).await.status(), 201);

    // Retiring a topic closes its sub-topics; a sub-topic cannot come back alone.
    let (status, _) = app.call(Method::PUT, "/api/v1/categories/makan-bergizi-gratis", Some(&admin), Some(json!({"retired": true}))).await;
    assert_eq!(status, 200);
    let refused: Value = app.post_json("/api/v1/reports", &report("makan-bergizi-gratis-distribusi")).await.json().await.unwrap();
    assert_eq!(refused["errors"][0]["field"], "category");
    let list: Value = app.get("/api/v1/categories").await.json().await.unwrap();
    assert!(!codes(&list).iter().any(|c| c.starts_with("makan-bergizi-gratis")));
    let (status, body) = app.call(Method::PUT, "/api/v1/categories/makan-bergizi-gratis-distribusi", Some(&admin), Some(json!({"retired": false}))).await;
    assert_eq!((status, body["errors"][0]["field"].clone()), (422, json!("retired")));
    app.stop().await;
}

#[tokio::test]
async fn intake_names_the_category_field_for_unknown_codes() {
    let app = TestApp::spawn().await;
    for (category, status) in [("tidak-ada-kategori", 422), ("Bad Code!", 422), ("infrastruktur-jalan", 201), ("drainase", 201), ("kesehatan", 201)] {
        let response = app.post_json("/api/v1/reports", &report(category)).await;
        assert_eq!(response.status(), status, "{category}");
        if status == 422 {
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem}");
            assert_eq!(problem["errors"][0]["field"], "category");
        }
    }
    // Every problem at once: a bad title and an unknown category together.
    let mut both = report("tidak-ada-kategori");
    both["title"] = json!("abc");
    let problem: Value = app.post_json("/api/v1/reports", &both).await.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "category"]);
    let english = app.client.post(app.url("/api/v1/reports")).header("accept-language", "en").json(&report("tidak-ada-kategori")).send().await.unwrap();
    let problem: Value = english.json().await.unwrap();
    assert!(problem["errors"][0]["message"].as_str().unwrap().starts_with("Unknown category"), "{problem}");
    assert_eq!(app.count("SELECT count(*) FROM reports"), 3);
    app.stop().await;
}

#[tokio::test]
async fn verifying_takes_only_an_active_category_as_intake_does() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = staff(&app).await;
    let mut filed = report("drainase");
    filed.as_object_mut().unwrap().remove("category");
    let id = app.file(&filed).await["tracking_id"].as_str().unwrap().to_string();
    let (status, _) = app.call(Method::DELETE, "/api/v1/categories/drainase", Some(&staff.admin), None).await;
    assert!(status == 200 || status == 204, "{status}");
    let verify = format!("/api/v1/admin/reports/{id}/verify");
    for category in ["no-such-topic", "drainase"] {
        let (status, problem) = app.call(Method::POST, &verify, Some(&staff.admin), Some(json!({"agency": "pemkot-32.73", "category": category}))).await;
        assert_eq!(status, 422, "{category}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "category", "{problem}");
    }
    let (_, read) = app.call(Method::GET, &format!("/api/v1/admin/reports/{id}"), Some(&staff.admin), None).await;
    assert_eq!(read["status"], "submitted", "a refused verify changes nothing: {read}");
    let (status, done) = app.call(Method::POST, &verify, Some(&staff.admin), Some(json!({"agency": "pemkot-32.73", "category": "kesehatan"}))).await;
    assert_eq!(status, 200, "{done}");
}
