//! Open311 GeoReport v2 (`functions/open311`) as a 311 client uses it:
//! JSON checked against JSON Schemas written here from the specification
//! (wiki.open311.org/GeoReport_v2), XML read with a real parser for its root
//! and child elements, errors in the spec's shape for 400, 403, 404 (and
//! 405) in both formats; a report filed through Open311 seen through our own
//! API with its channel `open311:<key>`; confidential reports never listed
//! or readable, anonymous ones never with contact fields; the filters.

use chrono::{Duration, FixedOffset, SecondsFormat, Utc};
use integration_tests::fixtures::{staff, Staff, AGENCY_A, BOOTSTRAP};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const PUBLIC_BASE: &str = "https://lapor.example.go.id";
const DESCRIPTION: &str = "Lubang besar di depan SDN 3 Cibeunying, sudah dua motor jatuh minggu ini.";
const ROAD: &str = "infrastruktur-jalan";
const DRAIN: &str = "drainase";

async fn spawn() -> TestApp {
    TestApp::spawn_with(AppConfig::with_bootstrap_admin().var("public_base_url", PUBLIC_BASE)).await
}

// ---------------------------------------------------------------------------
// The specification as JSON Schemas.

/// A W3C date-time (ISO 8601) that must carry its zone: `Z` or `±hh:mm`.
fn w3c() -> Value {
    json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"})
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

fn list_of(item: Value) -> Value {
    json!({"type": "array", "items": item})
}

fn discovery_schema() -> Value {
    let endpoint = object(
        json!({
            "specification": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "changeset": {"type": "string"},
            "type": {"enum": ["production", "test"]},
            "formats": list_of(json!({"enum": ["text/xml", "application/json"]}))
        }),
        &["specification", "url", "changeset", "type", "formats"],
    );
    object(
        json!({"changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"}, "endpoints": list_of(endpoint)}),
        &["changeset", "contact", "key_service", "endpoints"],
    )
}

fn services_schema() -> Value {
    list_of(object(
        json!({
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"},
            "group": {"type": "string"}
        }),
        &["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
    ))
}

fn definition_schema() -> Value {
    let value = object(json!({"key": {"type": "string"}, "name": {"type": "string"}}), &["key", "name"]);
    let attribute = object(
        json!({
            "variable": {"type": "boolean"},
            "code": {"type": "string"},
            "datatype": {"enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
            "required": {"type": "boolean"},
            "datatype_description": nullable(json!({"type": "string"})),
            "order": {"type": "integer", "minimum": 1},
            "description": {"type": "string"},
            "values": list_of(value)
        }),
        &["variable", "code", "datatype", "required", "datatype_description", "order", "description"],
    );
    object(json!({"service_code": {"type": "string"}, "attributes": list_of(attribute)}), &["service_code", "attributes"])
}

/// The answer to POST requests: a request ID (never also a token).
fn created_schema() -> Value {
    let mut schema = list_of(object(
        json!({"service_request_id": {"type": "string"}, "service_notice": nullable(json!({"type": "string"})), "account_id": nullable(json!({"type": "string"}))}),
        &["service_request_id"],
    ));
    schema["minItems"] = json!(1);
    schema
}

fn requests_schema() -> Value {
    let text = || nullable(json!({"type": "string"}));
    let number = || nullable(json!({"type": "number"}));
    list_of(object(
        json!({
            "service_request_id": {"type": "string"},
            "status": {"enum": ["open", "closed"]},
            "status_notes": text(),
            "service_name": text(),
            "service_code": text(),
            "description": nullable(json!({"type": "string", "maxLength": 4000})),
            "agency_responsible": text(),
            "service_notice": text(),
            "requested_datetime": w3c(),
            "updated_datetime": nullable(w3c()),
            "expected_datetime": nullable(w3c()),
            "address": text(),
            "address_id": text(),
            "zipcode": text(),
            "lat": number(),
            "long": number(),
            "media_url": nullable(json!({"type": "string", "format": "uri"}))
        }),
        &["service_request_id", "status", "requested_datetime"],
    ))
}

fn token_schema() -> Value {
    list_of(object(json!({"service_request_id": {"type": "string"}, "token": {"type": "string"}}), &["service_request_id", "token"]))
}

fn errors_schema() -> Value {
    let mut schema = list_of(object(json!({"code": {"type": "integer"}, "description": {"type": "string", "minLength": 1}}), &["code", "description"]));
    schema["minItems"] = json!(1);
    schema
}

/// `instance` is valid under `schema`, or the test fails listing why.
fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::options().should_validate_formats(true).build(schema).expect("a valid schema");
    let errors: Vec<String> = validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{instance:#}");
}

// ---------------------------------------------------------------------------
// XML, read with a real parser.

/// The root element's name and, for each child, its name and its own
/// children (name -> text; a nested list as its items' texts joined by ",").
fn xml_items(body: &str) -> (String, Vec<(String, Vec<(String, String)>)>) {
    assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"), "the XML declaration with its encoding: {body}");
    let doc = roxmltree::Document::parse(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let root = doc.root_element();
    let items = root
        .children()
        .filter(|n| n.is_element())
        .map(|item| {
            let fields = item
                .children()
                .filter(|n| n.is_element())
                .map(|field| (field.tag_name().name().to_string(), field.text().unwrap_or("").trim().to_string()))
                .collect();
            (item.tag_name().name().to_string(), fields)
        })
        .collect();
    (root.tag_name().name().to_string(), items)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no <{name}> in {fields:?}"))
}

fn names(fields: &[(String, String)]) -> Vec<&str> {
    fields.iter().map(|(n, _)| n.as_str()).collect()
}

// ---------------------------------------------------------------------------
// Requests.

struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    Answer { status, content_type, body: response.text().await.unwrap() }
}

async fn get(app: &TestApp, path: &str) -> Answer {
    answer(app.get(path).await).await
}

async fn get_query(app: &TestApp, path: &str, query: &[(&str, &str)]) -> Answer {
    answer(app.client.get(app.url(path)).query(query).send().await.unwrap()).await
}

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Answer {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let response = app
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// Issues a partner key named `name` as the administrator `admin`.
async fn issue_key(app: &TestApp, admin: &str, name: &str) -> String {
    let (status, body) = app.call(Method::POST, "/api/v1/open311/keys", Some(admin), Some(json!({"name": name}))).await;
    assert_eq!(status, 201, "{body}");
    body["api_key"].as_str().unwrap().to_string()
}

fn request_form<'a>(key: &'a str, service_code: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("api_key", key),
        ("jurisdiction_id", "lapor.go.id"),
        ("service_code", service_code),
        ("lat", "-6.9147"),
        ("long", "107.6098"),
        ("address_string", "Jl. Merdeka No. 1, Bandung"),
        ("description", DESCRIPTION),
    ];
    form.extend_from_slice(extra);
    form
}

/// Files a request through Open311 (JSON answer); returns its ID.
async fn file(app: &TestApp, key: &str, service_code: &str, extra: &[(&str, &str)]) -> String {
    let created = post_form(app, "/open311/v2/requests.json", &request_form(key, service_code, extra)).await;
    assert_eq!(created.status, 200, "{}", created.body);
    created.json()[0]["service_request_id"].as_str().unwrap().to_string()
}

async fn verify(app: &TestApp, admin: &str, id: &str) {
    let (status, body) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(admin), Some(json!({"agency": AGENCY_A}))).await;
    assert_eq!(status, 200, "{body}");
}

fn ids_of(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|r| r["service_request_id"].as_str().unwrap().to_string()).collect()
}

// ---------------------------------------------------------------------------

#[tokio::test]
async fn discovery_services_and_definitions_follow_the_spec_in_both_formats() {
    let app = spawn().await;

    let discovery = get(&app, "/open311/v2/discovery.json").await;
    assert_eq!((discovery.status, discovery.content_type.as_str()), (200, "application/json; charset=utf-8"));
    let json = discovery.json();
    assert_valid(&discovery_schema(), &json, "discovery.json");
    let endpoint = &json["endpoints"][0];
    assert_eq!(endpoint["url"], format!("{PUBLIC_BASE}/open311/v2"));
    assert_eq!(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(endpoint["formats"], json!(["application/json", "text/xml"]));
    let xml = get(&app, "/open311/v2/discovery.xml").await;
    assert_eq!((xml.status, xml.content_type.as_str()), (200, "text/xml; charset=utf-8"));
    let (root, items) = xml_items(&xml.body);
    assert_eq!(root, "discovery");
    let top: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(top, ["changeset", "contact", "key_service", "endpoints"]);
    assert_eq!(names(&items[3].1), ["endpoint"]);
    let doc = roxmltree::Document::parse(&xml.body).unwrap();
    let formats: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("format")).filter_map(|n| n.text()).collect();
    assert_eq!(formats, ["application/json", "text/xml"]);
    assert!(doc.descendants().any(|n| n.has_tag_name("url") && n.text() == Some(&format!("{PUBLIC_BASE}/open311/v2"))));

    let services = get(&app, "/open311/v2/services.json").await;
    let list = services.json();
    assert_valid(&services_schema(), &list, "services.json");
    let road = list.as_array().unwrap().iter().find(|s| s["service_code"] == ROAD).expect("a sub-topic is a service");
    assert_eq!((road["group"].as_str(), road["type"].as_str(), road["metadata"].as_bool()), (Some("Infrastruktur"), Some("realtime"), Some(true)));
    assert!(road["keywords"].as_str().unwrap().contains("Damaged roads and potholes"), "{road}");
    let english = answer(app.client.get(app.url("/open311/v2/services.json")).header("accept-language", "en").send().await.unwrap()).await.json();
    let road_en = english.as_array().unwrap().iter().find(|s| s["service_code"] == ROAD).unwrap();
    assert_eq!((road_en["service_name"].as_str(), road_en["group"].as_str()), (Some("Damaged roads and potholes"), Some("Infrastructure")));
    let (root, items) = xml_items(&get(&app, "/open311/v2/services.xml").await.body);
    assert_eq!(root, "services");
    assert_eq!(items.len(), list.as_array().unwrap().len());
    assert!(items.iter().all(|(name, _)| name == "service"));
    assert_eq!(names(&items[0].1), ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]);
    let road_xml = items.iter().find(|(_, f)| field(f, "service_code") == ROAD).unwrap();
    assert_eq!((field(&road_xml.1, "metadata"), field(&road_xml.1, "group")), ("true", "Infrastruktur"));

    let definition = get(&app, &format!("/open311/v2/services/{ROAD}.json")).await;
    assert_eq!(definition.status, 200, "{}", definition.body);
    let json = definition.json();
    assert_valid(&definition_schema(), &json, "services/{code}.json");
    assert_eq!((json["service_code"].as_str(), json["attributes"][0]["code"].as_str()), (Some(ROAD), Some("privacy")));
    let keys: Vec<&str> = json["attributes"][0]["values"].as_array().unwrap().iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["public", "anonymous", "confidential", "confidential_anonymous"]);
    let xml = get(&app, &format!("/open311/v2/services/{ROAD}.xml")).await.body;
    let (root, items) = xml_items(&xml);
    assert_eq!(root, "service_definition");
    assert_eq!(items.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["service_code", "attributes"]);
    assert_eq!(names(&items[1].1), ["attribute"]);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let values = doc.descendants().find(|n| n.has_tag_name("values")).unwrap();
    assert_eq!(values.children().filter(|n| n.is_element()).count(), 4);
    assert!(values.children().filter(|n| n.is_element()).all(|n| n.has_tag_name("value")));

    // A retired category is no longer a service; one that never was is not either.
    let (status, body) = app.call(Method::DELETE, &format!("/api/v1/categories/{DRAIN}"), Some(BOOTSTRAP), None).await;
    assert_eq!(status, 200, "{body}");
    for path in [format!("/open311/v2/services/{DRAIN}.json"), "/open311/v2/services/tidak-ada.json".into(), "/open311/v2/services/Bukan Kode!.json".into()] {
        let missing = get(&app, &path).await;
        assert_eq!(missing.status, 404, "{path}");
        assert_valid(&errors_schema(), &missing.json(), &path);
        assert_eq!(missing.json()[0]["code"], 404);
    }
    let services = get(&app, "/open311/v2/services.json").await.json();
    assert!(!services.as_array().unwrap().iter().any(|s| s["service_code"] == DRAIN), "retired: not listed");
    app.stop().await;
}

#[tokio::test]
async fn keys_are_issued_by_administrators_shown_once_and_kept_hashed() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let path = "/api/v1/open311/keys";
    let (status, body) = app.call(Method::POST, path, None, Some(json!({"name": "qlue"}))).await;
    assert_eq!((status, body["status"].as_i64()), (401, Some(401)), "{body}");
    let (status, body) = app.call(Method::POST, path, Some(&staff.coordinator_a), Some(json!({"name": "qlue"}))).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = app.call(Method::POST, path, Some(&staff.admin), Some(json!({"name": "Qlue App!"}))).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("name")), "{body}");
    assert_eq!(app.count("SELECT count(*) FROM open311_keys"), 0, "nothing written");

    let (status, issued) = app.call(Method::POST, path, Some(&staff.admin), Some(json!({"name": "qlue"}))).await;
    assert_eq!(status, 201, "{issued}");
    assert_eq!((issued["name"].as_str(), issued["channel"].as_str()), (Some("qlue"), Some("open311:qlue")));
    let key = issued["api_key"].as_str().unwrap();
    assert!(key.len() >= 43, "256 random bits");
    let stored: String = app.db().query_row("SELECT key_hash FROM open311_keys WHERE name = 'qlue'", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, lapor_domain::token::hash_token(key), "only its hash is kept");
    assert!(!stored.contains(key));
    let (status, _) = app.call(Method::POST, path, Some(&staff.admin), Some(json!({"name": "qlue"}))).await;
    assert_eq!(status, 409, "a name is one partner's");

    // The key files; revoked, it does not (and its name stays taken).
    file(&app, key, ROAD, &[]).await;
    let (status, _) = app.call(Method::DELETE, "/api/v1/open311/keys/qlue", Some(&staff.coordinator_a), None).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(Method::DELETE, "/api/v1/open311/keys/qlue", Some(&staff.admin), None).await;
    assert_eq!(status, 204);
    let refused = post_form(&app, "/open311/v2/requests.json", &request_form(key, ROAD, &[])).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let (status, _) = app.call(Method::DELETE, "/api/v1/open311/keys/qlue", Some(&staff.admin), None).await;
    assert_eq!(status, 404, "already revoked");
    let (status, _) = app.call(Method::POST, path, Some(&staff.admin), Some(json!({"name": "qlue"}))).await;
    assert_eq!(status, 409);
    app.stop().await;
}

#[tokio::test]
async fn a_request_filed_through_open311_is_a_report_of_our_own_api_and_can_be_followed() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let key = issue_key(&app, &staff.admin, "qlue").await;
    let media = "https://foto.example.id/lubang-jl-merdeka.jpg";

    // FixMyStreet's shape: first and last name, e-mail, phone, a media URL.
    let form = request_form(&key, ROAD, &[("first_name", "Siti"), ("last_name", "Aminah"), ("email", "siti@example.id"), ("phone", "0812-3456-7890"), ("media_url", media), ("device_id", "tt222111")]);
    let created = post_form(&app, "/open311/v2/requests.json", &form).await;
    assert_eq!((created.status, created.content_type.as_str()), (200, "application/json; charset=utf-8"), "{}", created.body);
    let json = created.json();
    assert_valid(&created_schema(), &json, "POST requests.json");
    let id = json[0]["service_request_id"].as_str().unwrap().to_string();
    assert!(lapor_domain::tracking_id::TrackingId::parse(&id).is_ok(), "the request ID is our tracking ID: {id}");
    assert!(json[0]["service_notice"].as_str().unwrap().contains(&format!("{PUBLIC_BASE}/lapor/{id}")), "{json}");
    assert!(json[0]["account_id"].is_null());

    // Our own API: the same report, by channel open311:<key name>.
    let (status, ours) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), Some(&staff.admin), None).await;
    assert_eq!(status, 200, "{ours}");
    assert_eq!(ours["channel"], "open311:qlue");
    assert_eq!(ours["category"], ROAD);
    assert_eq!(ours["status"], "submitted");
    assert_eq!(ours["body"], format!("{DESCRIPTION}\n\nMedia: {media}"));
    assert_eq!(ours["location"], json!({"lat": -6.9147, "lon": 107.6098, "address": "Jl. Merdeka No. 1, Bandung"}));
    let (_, admin_view) = app.call(Method::GET, &format!("/api/v1/admin/reports/{id}"), Some(&staff.admin), None).await;
    assert_eq!(admin_view["reporter"], json!({"name": "Siti Aminah", "phone": "+6281234567890", "email": "siti@example.id"}), "{admin_view}");
    let (_, public) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    assert_eq!(public["channel"], "open311:qlue");

    // Followed through Open311: the request, then after dispatch and a follow-up.
    let read = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(read.status, 200, "{}", read.body);
    let request = read.json();
    assert_valid(&requests_schema(), &request, "requests/{id}.json");
    let r = &request[0];
    assert_eq!((r["service_request_id"].as_str(), r["status"].as_str(), r["service_code"].as_str()), (Some(id.as_str()), Some("open"), Some(ROAD)));
    assert_eq!(r["service_name"], "Jalan rusak atau berlubang");
    assert_eq!((r["lat"].as_f64(), r["long"].as_f64()), (Some(-6.9147), Some(107.6098)));
    assert_eq!(r["media_url"], media);
    assert_eq!(r["expected_datetime"], ours["deadlines"]["verification_due"], "the running deadline: {r}");
    assert!(r["requested_datetime"].as_str().unwrap().ends_with("+07:00"), "{r}");
    assert!(r["agency_responsible"].is_null() && r["status_notes"].is_null());
    assert_eq!(r["service_notice"], "Diterima, menunggu verifikasi");

    verify(&app, &staff.admin, &id).await;
    let (status, body) = app
        .call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&staff.coordinator_a), Some(json!({"body": "Tim PUPR akan menambal lubang ini hari Kamis."})))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, ours) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    let (_, agency) = app.call(Method::GET, &format!("/api/v1/agencies/{AGENCY_A}"), None, None).await;
    let r = get(&app, &format!("/open311/v2/requests/{id}.json")).await.json()[0].clone();
    assert_eq!(r["agency_responsible"], agency["name"]);
    assert_eq!(r["status_notes"], "Tim PUPR akan menambal lubang ini hari Kamis.", "the latest public follow-up");
    assert_eq!(r["expected_datetime"], ours["deadlines"]["completion_due"], "{r}");
    assert_eq!(r["status"], "open", "answered is not yet closed");

    // The XML forms: POST's answer, one request, a token.
    let created_xml = post_form(&app, "/open311/v2/requests.xml", &request_form(&key, DRAIN, &[])).await;
    assert_eq!((created_xml.status, created_xml.content_type.as_str()), (200, "text/xml; charset=utf-8"), "{}", created_xml.body);
    let (root, items) = xml_items(&created_xml.body);
    assert_eq!((root.as_str(), items.len(), items[0].0.as_str()), ("service_requests", 1, "request"));
    assert_eq!(names(&items[0].1), ["service_request_id", "service_notice", "account_id"]);
    let (root, items) = xml_items(&get(&app, &format!("/open311/v2/requests/{id}.xml")).await.body);
    assert_eq!((root.as_str(), items[0].0.as_str()), ("service_requests", "request"));
    assert_eq!(
        names(&items[0].1),
        ["service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible", "service_notice",
            "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
    );
    assert_eq!((field(&items[0].1, "status"), field(&items[0].1, "media_url")), ("open", media));
    let token = get(&app, &format!("/open311/v2/tokens/{id}.json")).await;
    assert_valid(&token_schema(), &token.json(), "tokens/{token}.json");
    assert_eq!(token.json(), json!([{"service_request_id": id, "token": id}]));
    let (root, items) = xml_items(&get(&app, &format!("/open311/v2/tokens/{id}.xml")).await.body);
    assert_eq!((root.as_str(), names(&items[0].1)), ("service_requests", vec!["service_request_id", "token"]));

    // A retry with the same Idempotency-Key is the same request.
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(request_form(&key, ROAD, &[])).finish();
    let mut seen = Vec::new();
    for _ in 0..2 {
        let response = app.client.post(app.url("/open311/v2/requests.json")).header("content-type", "application/x-www-form-urlencoded")
            .header("idempotency-key", "open311-retry-0001").body(body.clone()).send().await.unwrap();
        assert_eq!(response.status(), 200);
        seen.push(response.json::<Value>().await.unwrap()[0]["service_request_id"].clone());
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(app.count("SELECT count(*) FROM reports WHERE channel = 'open311:qlue'"), 3);
    app.stop().await;
}

#[tokio::test]
async fn errors_have_the_specs_shape_and_change_nothing() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let key = issue_key(&app, &staff.admin, "jakarta-kini").await;

    let cases: Vec<(&str, Vec<(&str, &str)>, u16, &str)> = vec![
        ("no api_key", request_form("", ROAD, &[]), 403, "api_key"),
        ("a wrong api_key", request_form("not-a-key-0123456789", ROAD, &[]), 403, "api_key"),
        ("no service_code", request_form(&key, "", &[]), 400, "service_code"),
        ("an unknown service_code", request_form(&key, "tidak-ada", &[]), 404, "tidak-ada"),
        ("a point outside Indonesia", vec![("api_key", &key), ("service_code", ROAD), ("lat", "51.5"), ("long", "-0.12"), ("description", DESCRIPTION)], 400, "lat"),
        ("address_id alone", vec![("api_key", &key), ("service_code", ROAD), ("address_id", "545483"), ("description", DESCRIPTION)], 400, "address_id"),
        ("no description", vec![("api_key", &key), ("service_code", ROAD), ("address_string", "Jl. Dago")], 400, "description"),
        ("an unknown attribute", request_form(&key, ROAD, &[("attribute[WHISPAWN]", "1")]), 400, "attribute[WHISPAWN]"),
        ("a bad phone", request_form(&key, ROAD, &[("phone", "12345")]), 400, "phone"),
    ];
    for (what, form, status, mentions) in &cases {
        let json = post_form(&app, "/open311/v2/requests.json", form).await;
        assert_eq!((json.status, json.content_type.as_str()), (*status, "application/json; charset=utf-8"), "{what}: {}", json.body);
        let errors = json.json();
        assert_valid(&errors_schema(), &errors, what);
        assert!(errors.as_array().unwrap().iter().all(|e| e["code"] == *status), "{what}: {errors}");
        assert!(errors.to_string().contains(mentions), "{what} names {mentions}: {errors}");
        let xml = post_form(&app, "/open311/v2/requests.xml", form).await;
        assert_eq!((xml.status, xml.content_type.as_str()), (*status, "text/xml; charset=utf-8"), "{what}");
        let (root, items) = xml_items(&xml.body);
        assert_eq!(root, "errors", "{what}");
        assert!(!items.is_empty() && items.iter().all(|(name, fields)| name == "error" && names(fields) == ["code", "description"]), "{what}: {}", xml.body);
        assert_eq!(field(&items[0].1, "code"), status.to_string());
    }
    assert_eq!(app.count("SELECT count(*) FROM reports"), 0, "no refused request wrote anything");

    // 404s of GET, in the format the address names; an unknown suffix or
    // resource is no resource.
    for (path, format) in [
        ("/open311/v2/requests/7K3QD-M2X9C.json", "application/json; charset=utf-8"),
        ("/open311/v2/requests/7K3QD-M2X9C.xml", "text/xml; charset=utf-8"),
        ("/open311/v2/requests/bukan-id.json", "application/json; charset=utf-8"),
        ("/open311/v2/tokens/12345.xml", "text/xml; charset=utf-8"),
        ("/open311/v2/requests.html", "application/json; charset=utf-8"),
        ("/open311/v2/requests", "application/json; charset=utf-8"),
        ("/open311/v2/nothing.xml", "text/xml; charset=utf-8"),
        ("/open311/v2/services/a/b.json", "application/json; charset=utf-8"),
    ] {
        let missing = get(&app, path).await;
        assert_eq!((missing.status, missing.content_type.as_str()), (404, format), "{path}: {}", missing.body);
        if format.starts_with("text/xml") {
            let (root, items) = xml_items(&missing.body);
            assert_eq!((root.as_str(), items[0].0.as_str(), field(&items[0].1, "code")), ("errors", "error", "404"), "{path}");
        } else {
            assert_valid(&errors_schema(), &missing.json(), path);
        }
    }
    // 400 for a GET whose filters cannot be read; 405 for a method the address does not take.
    let bad = get_query(&app, "/open311/v2/requests.json", &[("start_date", "kemarin"), ("page_size", "5000")]).await;
    assert_eq!(bad.status, 400);
    assert_valid(&errors_schema(), &bad.json(), "bad filters");
    assert_eq!(bad.json().as_array().unwrap().len(), 2, "each parameter: {}", bad.body);
    let wrong_method = post_form(&app, "/open311/v2/services.xml", &[]).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(xml_items(&wrong_method.body).0, "errors");
    app.stop().await;
}

#[tokio::test]
async fn confidential_reports_are_never_listed_or_readable_and_anonymous_ones_carry_no_contacts() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let key = issue_key(&app, &staff.admin, "qlue").await;
    let contacts = [("first_name", "Budi"), ("last_name", "Rahasiawan"), ("email", "budi.rahasia@example.id"), ("phone", "0812-9999-0001")];
    let with = |privacy: &'static str| {
        let mut extra = contacts.to_vec();
        extra.push(("attribute[privacy]", privacy));
        extra
    };
    let confidential = file(&app, &key, ROAD, &with("confidential")).await;
    let hidden = file(&app, &key, ROAD, &with("confidential_anonymous")).await;
    let anonymous = file(&app, &key, ROAD, &with("anonymous")).await;
    let named = file(&app, &key, ROAD, &with("public")).await;
    let created = post_form(&app, "/open311/v2/requests.json", &request_form(&key, DRAIN, &with("confidential"))).await;
    assert!(!created.json()[0]["service_notice"].as_str().unwrap().contains("/lapor/"), "no link to a confidential report's page");
    for id in [&confidential, &hidden, &anonymous, &named] {
        verify(&app, &staff.admin, id).await;
    }
    let (_, ours) = app.call(Method::GET, &format!("/api/v1/reports/{confidential}"), Some(&staff.admin), None).await;
    assert_eq!((ours["visibility"].as_str(), ours["reporter_identity"].as_str()), (Some("confidential"), Some("named")));
    let (_, ours) = app.call(Method::GET, &format!("/api/v1/reports/{anonymous}"), Some(&staff.admin), None).await;
    assert_eq!((ours["visibility"].as_str(), ours["reporter_identity"].as_str()), (Some("public"), Some("anonymous")));

    // A confidential request is answered exactly as one that does not exist.
    let unknown = "7K3QD-M2X9C";
    for suffix in ["json", "xml"] {
        for resource in ["requests", "tokens"] {
            let missing = get(&app, &format!("/open311/v2/{resource}/{unknown}.{suffix}")).await;
            for id in [&confidential, &hidden] {
                let secret = get(&app, &format!("/open311/v2/{resource}/{id}.{suffix}")).await;
                assert_eq!(secret.status, 404, "{resource}/{id}.{suffix}");
                assert_eq!(secret.body.replace(id.as_str(), "ID"), missing.body.replace(unknown, "ID"), "{resource}/{id}.{suffix}");
            }
        }
    }
    let every = [confidential.as_str(), hidden.as_str(), anonymous.as_str(), named.as_str()].join(",");
    let listed = get_query(&app, "/open311/v2/requests.json", &[("service_request_id", &every)]).await.json();
    let mut ids = ids_of(&listed);
    ids.sort();
    let mut public = vec![anonymous.clone(), named.clone()];
    public.sort();
    assert_eq!(ids, public, "by ID: the public ones only");
    let searched = get(&app, "/open311/v2/requests.json").await.json();
    let mut ids = ids_of(&searched);
    ids.sort();
    assert_eq!(ids, public, "the listing: the public ones only");

    // No contact field, nor any contact's value, in any answer (nor the
    // public name: Open311 has no field for it).
    for path in [
        format!("/open311/v2/requests/{anonymous}.json"),
        format!("/open311/v2/requests/{anonymous}.xml"),
        format!("/open311/v2/requests/{named}.json"),
        "/open311/v2/requests.json".into(),
        "/open311/v2/requests.xml".into(),
        format!("/open311/v2/requests.xml?service_request_id={every}"),
    ] {
        let body = get(&app, &path).await.body;
        for secret in ["Budi", "Rahasiawan", "budi.rahasia", "9999", "first_name", "last_name", "email", "phone"] {
            assert!(!body.contains(secret), "{path} shows {secret}: {body}");
        }
    }
    assert_valid(&requests_schema(), &searched, "requests.json");
    let (_, ours) = app.call(Method::GET, &format!("/api/v1/reports/{anonymous}"), None, None).await;
    assert!(ours.get("reporter").is_none(), "our own API keeps the anonymous reporter too: {ours}");
    app.stop().await;
}

/// A W3C date-time `hours` from now in WIB.
fn wib(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

async fn listed(app: &TestApp, query: &[(&str, &str)]) -> Vec<String> {
    let answer = get_query(app, "/open311/v2/requests.json", query).await;
    assert_eq!(answer.status, 200, "{query:?}: {}", answer.body);
    let json = answer.json();
    assert_valid(&requests_schema(), &json, "requests.json");
    ids_of(&json)
}

#[tokio::test]
async fn requests_are_filtered_by_id_service_status_date_and_page() {
    let app = spawn().await;
    let staff: Staff = staff(&app).await;
    let key = issue_key(&app, &staff.admin, "qlue").await;
    let mut roads = Vec::new();
    for _ in 0..3 {
        roads.push(file(&app, &key, ROAD, &[]).await);
    }
    let drain = file(&app, &key, DRAIN, &[]).await;
    let unverified = file(&app, &key, DRAIN, &[]).await;
    for id in roads.iter().chain([&drain]) {
        verify(&app, &staff.admin, id).await;
    }
    // One road report closed: completed by the agency's final follow-up.
    let closed = roads[0].clone();
    let (status, body) = app
        .call(Method::POST, &format!("/api/v1/agency/reports/{closed}/responses"), Some(&staff.coordinator_a), Some(json!({"body": "Lubang sudah ditambal.", "final": true})))
        .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("completed")), "{body}");
    let newest_first = |mut ids: Vec<String>| {
        ids.reverse();
        ids
    };
    let verified = newest_first(vec![roads[0].clone(), roads[1].clone(), roads[2].clone(), drain.clone()]);

    assert_eq!(listed(&app, &[]).await, verified, "the last 90 days, newest first, verified only");
    assert_eq!(listed(&app, &[("service_code", ROAD)]).await, newest_first(roads.clone()));
    assert_eq!(listed(&app, &[("service_code", &format!("{ROAD},{DRAIN}"))]).await, verified, "a comma list");
    assert_eq!(listed(&app, &[("status", "closed")]).await, [closed.clone()]);
    assert_eq!(listed(&app, &[("status", "open"), ("service_code", ROAD)]).await, newest_first(roads[1..].to_vec()));
    assert_eq!(listed(&app, &[("status", "open,closed")]).await, verified);
    let closed_xml = get_query(&app, "/open311/v2/requests.xml", &[("status", "closed")]).await;
    let (root, items) = xml_items(&closed_xml.body);
    assert_eq!((root.as_str(), items.len(), field(&items[0].1, "status")), ("service_requests", 1, "closed"));

    // Dates: W3C with a zone, sent encoded or with the + as a space.
    assert_eq!(listed(&app, &[("start_date", &wib(-1)), ("end_date", &wib(1))]).await, verified);
    assert!(listed(&app, &[("start_date", &wib(1))]).await.is_empty(), "nothing filed after an hour from now");
    assert!(listed(&app, &[("end_date", &wib(-1))]).await.is_empty(), "nothing filed before an hour ago");
    let raw = format!("/open311/v2/requests.json?start_date={}&end_date={}", wib(-1), wib(1));
    assert!(raw.contains('+'));
    assert_eq!(ids_of(&get(&app, &raw).await.json()), verified, "an unencoded + reads as a space: {raw}");
    let too_long = get_query(&app, "/open311/v2/requests.json", &[("start_date", "2026-01-01T00:00:00Z"), ("end_date", "2026-06-01T00:00:00+07:00")]).await;
    assert_eq!((too_long.status, too_long.json()[0]["code"].as_i64()), (400, Some(400)));

    // Pages.
    let pages: Vec<Vec<String>> = futures::future::join_all((1..=3).map(|page| {
        let page = page.to_string();
        let app = &app;
        async move { listed(app, &[("page_size", "2"), ("page", &page)]).await }
    }))
    .await;
    assert_eq!(pages[0], verified[..2]);
    assert_eq!(pages[1], verified[2..]);
    assert!(pages[2].is_empty());

    // IDs override every other filter, and name unverified public reports too.
    let wanted = format!("{unverified}, {}", roads[2]);
    let by_id = listed(&app, &[("service_request_id", &wanted), ("status", "closed"), ("service_code", ROAD)]).await;
    assert_eq!(by_id, [unverified.clone(), roads[2].clone()]);
    assert!(!listed(&app, &[]).await.contains(&unverified), "a search lists verified reports only");
    let bad_id = get_query(&app, "/open311/v2/requests.json", &[("service_request_id", &format!("{drain},12345"))]).await;
    assert_eq!(bad_id.status, 400, "{}", bad_id.body);
    app.stop().await;
}
