//! The agency directory through the real manifest and runner.

use integration_tests::TestApp;
use serde_json::Value;

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn codes(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_fresh_deployment_has_every_province_regency_and_city() {
    let app = TestApp::spawn().await;
    let provinces = json(&app, "/api/v1/agencies?type=pemprov&limit=1000").await;
    assert_eq!(provinces["items"].as_array().unwrap().len(), 38);
    assert!(provinces["next_cursor"].is_null());
    let regencies = json(&app, "/api/v1/agencies?type=pemkab&limit=1000").await;
    let cities = json(&app, "/api/v1/agencies?type=pemkot&limit=1000").await;
    assert_eq!(regencies["items"].as_array().unwrap().len() + cities["items"].as_array().unwrap().len(), 514);

    let bandung = json(&app, "/api/v1/agencies/pemkot-32.73").await;
    assert_eq!(bandung["name"], "Pemerintah Kota Bandung");
    assert_eq!(bandung["type"], "pemkot");
    assert_eq!(bandung["parent"], "pemprov-32");
    assert_eq!(bandung["region"], "32.73");
    assert_eq!(bandung["timezone"], "WIB");
    let units = bandung["units"].as_array().unwrap();
    assert!(units.iter().any(|u| u["code"] == "pemkot-32.73/pupr"), "{units:?}");

    let papua = json(&app, "/api/v1/agencies/pemprov-94").await;
    assert_eq!(papua["timezone"], "WIT");
    let kupang = json(&app, "/api/v1/agencies/pemkab-53.01").await;
    assert_eq!(kupang["timezone"], "WITA");
    let ministry = json(&app, "/api/v1/agencies/kemenkes").await;
    assert_eq!(ministry["type"], "kementerian");
    assert_eq!(ministry["units"], serde_json::json!([]));
    app.stop().await;
}

#[tokio::test]
async fn search_filters_and_keyset_pagination() {
    let app = TestApp::spawn().await;
    let found = json(&app, "/api/v1/agencies?q=bandung").await;
    let found = codes(&found);
    assert!(found.contains(&"pemkot-32.73".to_string()) && found.contains(&"pemkab-32.04".to_string()), "{found:?}");
    let two_words = codes(&json(&app, "/api/v1/agencies?q=KOTA%20bandung").await);
    assert_eq!(two_words, ["pemkot-32.73"]);

    // A province's region code finds the province and everything inside it.
    let west_java = json(&app, "/api/v1/agencies?region=32&limit=1000").await;
    let west_java = codes(&west_java);
    assert_eq!(west_java.len(), 1 + 27, "Jawa Barat: the province, 18 regencies and 9 cities");
    assert!(west_java.iter().all(|c| c.ends_with("-32") || c.contains("-32.")));

    // Walking the whole directory 100 at a time visits every agency once, in order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/agencies?limit=100&cursor={c}"),
            None => "/api/v1/agencies?limit=100".to_string(),
        };
        let page = json(&app, &path).await;
        seen.extend(codes(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "ordered by code, no repeats");
    assert!(seen.len() > 38 + 514 + 30);
    let all = json(&app, "/api/v1/agencies?limit=1000").await;
    assert_eq!(codes(&all).len(), seen.len().min(1000));
    app.stop().await;
}

#[tokio::test]
async fn bad_parameters_and_unknown_agencies() {
    let app = TestApp::spawn().await;
    for bad in ["type=desa", "limit=0", "limit=1001", "region=3", "cursor=nope"] {
        let response = app.get(&format!("/api/v1/agencies?{bad}")).await;
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
    }
    assert_eq!(app.get("/api/v1/agencies/pemkot-99.99").await.status(), 404);
    assert_eq!(app.get("/api/v1/agencies/NOT%20A%20CODE").await.status(), 404);
    let post = app.client.post(app.url("/api/v1/agencies")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    app.stop().await;
}
