//! Staff accounts, intake and agency work through the real manifest and runner.

use integration_tests::fixtures::{file_and_dispatch, staff, Staff, AGENCY_A, AGENCY_B};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn spawn() -> TestApp {
    TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await
}

async fn call(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    app.call(method, path, token, body).await
}

fn report(privacy: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": "Saluran air tersumbat",
        "body": "Saluran air di Jl. Braga tersumbat sampah sejak seminggu, air meluap ke jalan.",
        "privacy": privacy,
        "reporter": {"name": "Dewi Anonim Lestari", "phone": "0813-2222-9999", "email": "dewi.anonim@example.id"}
    })
}

/// Files a report and dispatches it to `agency`; returns (id, reporter token).
async fn dispatched(app: &TestApp, staff: &Staff, privacy: &str, agency: &str) -> (String, String) {
    file_and_dispatch(app, &report(privacy), &staff.admin, agency).await
}

fn timeline_types(view: &Value) -> Vec<String> {
    view["timeline"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_whole_lifecycle_from_submission_to_rating() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let created = app.file(&report("public")).await;
    let id = created["tracking_id"].as_str().unwrap();
    let token = created["reporter_token"].as_str().unwrap();

    let (_, queue) = call(&app, Method::GET, "/api/v1/admin/reports?status=submitted", Some(&staff.admin), None).await;
    assert!(queue["items"].as_array().unwrap().iter().any(|i| i["tracking_id"] == id));

    let post = |path: String, who: String, body: Value| {
        let app = &app;
        async move { call(app, Method::POST, &path, Some(&who), Some(body)).await }
    };
    let (s, b) = post(format!("/api/v1/admin/reports/{id}/verify"), staff.admin.clone(), json!({"agency": AGENCY_A, "category": "drainase"})).await;
    assert_eq!((s, b["status"].clone()), (200, json!("dispatched")), "{b}");
    let (s, b) = post(format!("/api/v1/agency/reports/{id}/assign"), staff.coordinator_a.clone(), json!({"unit": "pemkot-32.73/pupr"})).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = post(format!("/api/v1/agency/reports/{id}/responses"), staff.officer_a.clone(), json!({"body": "Tim akan membersihkan saluran besok pagi."})).await;
    assert_eq!((s, b["status"].clone()), (200, json!("responded")), "{b}");
    let (s, b) = post(format!("/api/v1/reports/{id}/replies"), token.to_string(), json!({"body": "Belum dibersihkan sampai hari ini."})).await;
    assert_eq!((s, b["status"].clone()), (201, json!("dispatched")), "{b}");
    let (s, b) = post(format!("/api/v1/agency/reports/{id}/responses"), staff.officer_a.clone(), json!({"body": "Saluran sudah dibersihkan, terima kasih."})).await;
    assert_eq!((s, b["status"].clone()), (200, json!("responded")), "{b}");
    let (s, b) = post(format!("/api/v1/reports/{id}/rating"), token.to_string(), json!({"score": 4, "comment": "Cepat setelah diingatkan."})).await;
    assert_eq!(s, 201, "{b}");
    let (s, _) = post(format!("/api/v1/reports/{id}/rating"), token.to_string(), json!({"score": 5})).await;
    assert_eq!(s, 409, "a report is rated once");

    let public: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(public["status"], "responded");
    assert_eq!(public["agency"], AGENCY_A);
    assert_eq!(public["category"], "drainase");
    assert_eq!(timeline_types(&public), ["submitted", "dispatched", "responded", "responded", "rated"]);
    assert_eq!(public["timeline"][1]["text"], "Diteruskan ke Pemerintah Kota Bandung");
    // The reporter also sees their own reply; staff notes stay with staff.
    let (_, mine) = call(&app, Method::GET, &format!("/api/v1/reports/{id}"), Some(token), None).await;
    assert_eq!(timeline_types(&mine), ["submitted", "dispatched", "responded", "reporter_reply", "responded", "rated"]);
    let (_, agency_view) = call(&app, Method::GET, &format!("/api/v1/agency/reports/{id}"), Some(&staff.coordinator_a), None).await;
    assert!(timeline_types(&agency_view).contains(&"assigned".to_string()));
    assert_eq!(agency_view["unit"], "pemkot-32.73/pupr");

    // A final follow-up completes the report.
    let (s, b) = post(format!("/api/v1/agency/reports/{id}/responses"), staff.officer_a.clone(), json!({"body": "Pemeliharaan rutin dijadwalkan.", "final": true})).await;
    assert_eq!((s, b["status"].clone()), (200, json!("completed")), "{b}");
    app.stop().await;
}

#[tokio::test]
async fn forwarding_moves_the_report_with_its_history() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let (id, _) = dispatched(&app, &staff, "public", AGENCY_A).await;
    let (s, b) = call(&app, Method::POST, &format!("/api/v1/agency/reports/{id}/forward"), Some(&staff.coordinator_a),
        Some(json!({"agency": AGENCY_B, "reason": "Lokasi berada di wilayah Kabupaten Bandung."}))).await;
    assert_eq!(s, 200, "{b}");

    let (s, _) = call(&app, Method::GET, &format!("/api/v1/agency/reports/{id}"), Some(&staff.coordinator_a), None).await;
    assert_eq!(s, 404, "the old agency no longer sees it");
    let (s, view) = call(&app, Method::GET, &format!("/api/v1/agency/reports/{id}"), Some(&staff.coordinator_b), None).await;
    assert_eq!(s, 200);
    assert_eq!(view["agency"], AGENCY_B);
    assert_eq!(timeline_types(&view), ["submitted", "dispatched", "forwarded", "forward_reason"]);
    let (_, inbox) = call(&app, Method::GET, "/api/v1/agency/reports", Some(&staff.coordinator_b), None).await;
    assert!(inbox["items"].as_array().unwrap().iter().any(|i| i["tracking_id"] == id));

    let public: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(timeline_types(&public), ["submitted", "dispatched", "forwarded"]);
    // Staff of an agency that no longer holds it see only what the public sees.
    let (_, seen_by_old) = call(&app, Method::GET, &format!("/api/v1/reports/{id}"), Some(&staff.coordinator_a), None).await;
    assert_eq!(timeline_types(&seen_by_old), ["submitted", "dispatched", "forwarded"]);
    let (_, seen_by_new) = call(&app, Method::GET, &format!("/api/v1/reports/{id}"), Some(&staff.coordinator_b), None).await;
    assert!(timeline_types(&seen_by_new).contains(&"forward_reason".to_string()));
    assert_eq!(public["timeline"][2]["text"], "Diteruskan ke Pemerintah Kabupaten Bandung");
    app.stop().await;
}

#[tokio::test]
async fn an_anonymous_reporter_is_never_shown_to_the_agency() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let (id, _) = dispatched(&app, &staff, "anonymous", AGENCY_A).await;
    let secrets = ["Dewi Anonim Lestari", "81322229999", "dewi.anonim"];
    for (who, path) in [
        (&staff.coordinator_a, format!("/api/v1/agency/reports/{id}")),
        (&staff.officer_a, format!("/api/v1/agency/reports/{id}")),
        (&staff.executive_a, format!("/api/v1/agency/reports/{id}")),
        (&staff.coordinator_a, "/api/v1/agency/reports".to_string()),
        (&staff.coordinator_a, format!("/api/v1/reports/{id}")),
    ] {
        let (status, body) = call(&app, Method::GET, &path, Some(who), None).await;
        assert_eq!(status, 200, "{path}");
        let text = body.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{path} leaks {secret}: {text}");
        }
    }
    let (s, b) = call(&app, Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&staff.officer_a), Some(json!({"body": "Sedang kami tangani."}))).await;
    assert_eq!(s, 200);
    assert!(!b.to_string().contains("Dewi"));

    // The administrator may see who it is, and that read is recorded.
    assert_eq!(app.count("SELECT count(*) FROM identity_reads"), 0);
    let (s, admin_view) = call(&app, Method::GET, &format!("/api/v1/admin/reports/{id}"), Some(&staff.admin), None).await;
    assert_eq!(s, 200);
    assert_eq!(admin_view["reporter"]["phone"], "+6281322229999");
    assert_eq!(app.count("SELECT count(*) FROM identity_reads"), 1);

    // A public report's contact is for the agency that handles it.
    let (public_id, _) = dispatched(&app, &staff, "public", AGENCY_A).await;
    let (_, view) = call(&app, Method::GET, &format!("/api/v1/agency/reports/{public_id}"), Some(&staff.coordinator_a), None).await;
    assert_eq!(view["reporter"]["phone"], "+6281322229999");
    app.stop().await;
}

#[tokio::test]
async fn acting_on_a_stale_state_is_409_with_the_current_state() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let created = app.file(&report("public")).await;
    let id = created["tracking_id"].as_str().unwrap().to_string();

    let mut attempts = Vec::new();
    for agency in [AGENCY_A, AGENCY_B, AGENCY_A, AGENCY_B] {
        let request = app.client.post(app.url(&format!("/api/v1/admin/reports/{id}/verify"))).bearer_auth(&staff.admin).json(&json!({"agency": agency})).send();
        attempts.push(tokio::spawn(async move {
            let r = request.await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }));
    }
    let mut statuses = Vec::new();
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        if status == 409 {
            assert_eq!(body["current_status"], "dispatched", "{body}");
            assert_eq!(body["type"], "/problems/conflict");
        }
        statuses.push(status);
    }
    statuses.sort();
    assert_eq!(statuses, [200, 409, 409, 409], "exactly one verify wins");
    assert_eq!(app.count("SELECT count(*) FROM report_events WHERE type = 'dispatched'"), 1);

    // If-Match with an old version is refused even when the action still applies.
    let (_, view) = call(&app, Method::GET, &format!("/api/v1/agency/reports/{id}"), Some(&staff.admin), None).await;
    let version = view["version"].as_i64().unwrap();
    let stale = app.client.post(app.url(&format!("/api/v1/agency/reports/{id}/responses")))
        .bearer_auth(&staff.admin).header("if-match", format!("\"{}\"", version - 1))
        .json(&json!({"body": "Tanggapan berdasarkan versi lama."})).send().await.unwrap();
    assert_eq!(stale.status(), 409);
    let fresh = app.client.post(app.url(&format!("/api/v1/agency/reports/{id}/responses")))
        .bearer_auth(&staff.admin).header("if-match", format!("\"{version}\""))
        .json(&json!({"body": "Tanggapan berdasarkan versi terbaru."})).send().await.unwrap();
    assert_eq!(fresh.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn role_by_endpoint_by_agency_matrix() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let who: Vec<(&str, Option<&str>)> = vec![
        ("admin", Some(&staff.admin)),
        ("coordinator-own", Some(&staff.coordinator_a)),
        ("officer-own", Some(&staff.officer_a)),
        ("executive-own", Some(&staff.executive_a)),
        ("coordinator-foreign", Some(&staff.coordinator_b)),
        ("no-token", None),
        ("bad-token", Some("not-a-token")),
    ];
    // Expected status per endpoint, in the order of `who`. Every cell uses a
    // fresh report of agency A so that actions do not affect each other.
    let table: Vec<(&str, Method, &str, Value, [u16; 7])> = vec![
        ("admin queue", Method::GET, "/api/v1/admin/reports", Value::Null, [200, 403, 403, 403, 403, 401, 401]),
        ("admin read", Method::GET, "/api/v1/admin/reports/{id}", Value::Null, [200, 403, 403, 403, 403, 401, 401]),
        ("hold", Method::POST, "/api/v1/admin/reports/{id}/hold", json!({"reason": "Mohon lampirkan foto."}), [409, 403, 403, 403, 403, 401, 401]),
        ("archive", Method::POST, "/api/v1/admin/reports/{id}/archive", json!({"reason": "spam"}), [409, 403, 403, 403, 403, 401, 401]),
        ("agency read", Method::GET, "/api/v1/agency/reports/{id}", Value::Null, [200, 200, 200, 200, 404, 401, 401]),
        ("assign", Method::POST, "/api/v1/agency/reports/{id}/assign", json!({"unit": "pemkot-32.73/kesehatan"}), [200, 200, 403, 403, 404, 401, 401]),
        ("forward", Method::POST, "/api/v1/agency/reports/{id}/forward", json!({"agency": "kemenkes", "reason": "Kewenangan pusat."}), [200, 200, 403, 403, 404, 401, 401]),
        ("respond", Method::POST, "/api/v1/agency/reports/{id}/responses", json!({"body": "Sedang ditindaklanjuti."}), [200, 200, 200, 403, 404, 401, 401]),
        ("staff create", Method::POST, "/api/v1/staff", json!({"role": "officer", "name": "Petugas Baru", "agency": AGENCY_A}), [201, 201, 403, 403, 403, 401, 401]),
    ];
    let mut failures = Vec::new();
    for (name, method, path, body, expected) in &table {
        for ((label, token), want) in who.iter().zip(expected) {
            let (id, _) = dispatched(&app, &staff, "confidential", AGENCY_A).await;
            let path = path.replace("{id}", &id);
            let body = (!body.is_null()).then(|| body.clone());
            let (got, answer) = call(&app, method.clone(), &path, *token, body).await;
            if got != *want {
                failures.push(format!("{name} as {label}: expected {want}, got {got}: {answer}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[tokio::test]
async fn intake_rules_privacy_only_up_duplicates_and_revocation() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let anonymous = app.file(&report("anonymous")).await;
    let id = anonymous["tracking_id"].as_str().unwrap();
    let (s, b) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(&staff.admin), Some(json!({"agency": AGENCY_A, "privacy": "public"}))).await;
    assert_eq!(s, 422, "privacy is never lowered: {b}");
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(&staff.admin), Some(json!({"agency": "no-such-agency"}))).await;
    assert_eq!(s, 422);

    let public = app.file(&report("public")).await;
    let public_id = public["tracking_id"].as_str().unwrap();
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{public_id}/verify"), Some(&staff.admin), Some(json!({"agency": AGENCY_A, "privacy": "confidential"}))).await;
    assert_eq!(s, 200);
    assert_eq!(app.get(&format!("/api/v1/reports/{public_id}")).await.status(), 404, "raised to confidential");
    let name: Option<String> = app.db().query_row("SELECT public_reporter_name FROM reports WHERE tracking_id = ?", [public_id], |r| r.get(0)).unwrap();
    assert_eq!(name, None, "the published name goes with the publicity");

    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/archive"), Some(&staff.admin), Some(json!({"reason": "duplicate"}))).await;
    assert_eq!(s, 422, "a duplicate names its original");
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/archive"), Some(&staff.admin), Some(json!({"reason": "duplicate", "duplicate_of": id}))).await;
    assert_eq!(s, 422, "not a duplicate of itself");
    let (s, b) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/archive"), Some(&staff.admin), Some(json!({"reason": "duplicate", "duplicate_of": public_id}))).await;
    assert_eq!((s, b["status"].clone()), (200, json!("archived")), "{b}");
    let stored: String = app.db().query_row("SELECT duplicate_of FROM reports WHERE tracking_id = ?", [id], |r| r.get(0)).unwrap();
    assert_eq!(stored, public_id);

    // Coordinators staff only their own agency and never create admins.
    let (s, _) = call(&app, Method::POST, "/api/v1/staff", Some(&staff.coordinator_a), Some(json!({"role": "officer", "name": "X", "agency": AGENCY_B}))).await;
    assert_eq!(s, 403);
    let (s, _) = call(&app, Method::POST, "/api/v1/staff", Some(&staff.coordinator_a), Some(json!({"role": "admin", "name": "X"}))).await;
    assert_eq!(s, 403);
    let (s, b) = call(&app, Method::POST, "/api/v1/staff", Some(&staff.admin), Some(json!({"role": "officer", "name": "X"}))).await;
    assert_eq!(s, 422, "{b}");

    // A revoked account's token stops working at once.
    let (s, created) = call(&app, Method::POST, "/api/v1/staff", Some(&staff.admin), Some(json!({"role": "officer", "name": "Sementara", "agency": AGENCY_A}))).await;
    assert_eq!(s, 201);
    let temp_token = created["token"].as_str().unwrap();
    let temp_id = created["id"].as_str().unwrap();
    assert_eq!(call(&app, Method::GET, "/api/v1/agency/reports", Some(temp_token), None).await.0, 200);
    assert_eq!(call(&app, Method::DELETE, &format!("/api/v1/staff/{temp_id}"), Some(&staff.coordinator_b), None).await.0, 404);
    assert_eq!(call(&app, Method::DELETE, &format!("/api/v1/staff/{temp_id}"), Some(&staff.coordinator_a), None).await.0, 204);
    assert_eq!(call(&app, Method::GET, "/api/v1/agency/reports", Some(temp_token), None).await.0, 401);
    let hash_only: i64 = app.count(&format!("SELECT count(*) FROM staff_tokens WHERE token_hash = '{temp_token}'"));
    assert_eq!(hash_only, 0, "tokens are stored hashed");
    app.stop().await;
}
