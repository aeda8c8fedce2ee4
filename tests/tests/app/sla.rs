//! Deadlines, the working-day calendar API and the SLA sweep, through the
//! real manifest and runner. Time is moved by moving a report's stored
//! deadlines into the past: the service has no clock override to abuse.

use integration_tests::fixtures::BOOTSTRAP;
use integration_tests::{AppConfig, TestApp, SLA_SWEEP_TOKEN};
use reqwest::Method;
use serde_json::{json, Value};

const KUPANG: &str = "pemkab-53.01"; // WITA

async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
    let mut config = AppConfig::without_rate_limits();
    config.env.insert("SPIN_VARIABLE_BOOTSTRAP_ADMIN_TOKEN".into(), BOOTSTRAP.into());
    for (k, v) in extra {
        config.env.insert(k.to_string(), v.to_string());
    }
    TestApp::spawn_with(config).await
}

async fn call(app: &TestApp, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    app.call(method, path, token, body).await
}

async fn sweep(app: &TestApp) -> Value {
    let (status, body) = call(app, Method::POST, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn file(app: &TestApp) -> (String, String) {
    let created = app
        .file(&json!({
            "kind": "pengaduan",
            "title": "Lampu jalan mati",
            "body": "Lampu penerangan jalan di depan pasar mati sejak dua minggu lalu.",
            "privacy": "public"
        }))
        .await;
    (created["tracking_id"].as_str().unwrap().to_string(), created["reporter_token"].as_str().unwrap().to_string())
}

/// Moves the running clock of `id` so that its reminder, or also its
/// deadline, lies in the past.
fn travel(app: &TestApp, id: &str, past_due: bool) {
    let sql = if past_due {
        "UPDATE reports SET clock_remind_at = '2020-01-01T00:00:00.000Z', clock_due = '2020-01-02T00:00:00.000Z' WHERE tracking_id = ?"
    } else {
        "UPDATE reports SET clock_remind_at = '2020-01-01T00:00:00.000Z' WHERE tracking_id = ?"
    };
    app.db().execute(sql, [id]).unwrap();
}

fn event_count(app: &TestApp, id: &str, event: &str) -> i64 {
    app.db()
        .query_row(
            "SELECT count(*) FROM report_events JOIN reports ON reports.id = report_events.report_id WHERE tracking_id = ? AND type = ?",
            [id, event],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn the_sweep_needs_its_token() {
    let app = spawn_with(&[]).await;
    assert_eq!(call(&app, Method::POST, "/internal/sla/sweep", None, None).await.0, 401);
    assert_eq!(call(&app, Method::POST, "/internal/sla/sweep", Some("wrong"), None).await.0, 401);
    assert_eq!(call(&app, Method::POST, "/internal/sla/sweep", Some(BOOTSTRAP), None).await.0, 401);
    assert_eq!(call(&app, Method::GET, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await.0, 405);
    let empty = sweep(&app).await;
    assert_eq!(empty, json!({"examined": 0, "reminded": 0, "escalated": 0, "completed": 0, "more": false}));
    app.stop().await;
}

#[tokio::test]
async fn deadlines_follow_the_report_in_the_agencys_time_zone() {
    let app = spawn_with(&[]).await;
    let admin = BOOTSTRAP;
    let (id, token) = file(&app).await;
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    let verification_due = view["deadlines"]["verification_due"].as_str().unwrap();
    assert!(verification_due.ends_with("T23:59:59+07:00"), "{verification_due}");

    // On hold, the verification clock stops; the reporter's answer resumes it.
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/hold"), Some(admin), Some(json!({"reason": "Mohon sebutkan nama jalan."}))).await;
    assert_eq!(s, 200);
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(view["deadlines"], json!({}));
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/reports/{id}/replies"), Some(&token), Some(json!({"body": "Jalan Sudirman, depan pasar."}))).await;
    assert_eq!(s, 201);
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert!(view["deadlines"]["verification_due"].as_str().unwrap().ends_with("+07:00"));

    // Dispatched to Kupang (WITA): 5 working days, counted in WITA.
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(admin), Some(json!({"agency": KUPANG}))).await;
    assert_eq!(s, 200);
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(view["deadlines"].as_object().unwrap().len(), 1);
    assert!(view["deadlines"]["response_due"].as_str().unwrap().ends_with("T23:59:59+08:00"), "{view}");

    let (s, _) = call(&app, Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(admin), Some(json!({"body": "Lampu akan diganti minggu ini."}))).await;
    assert_eq!(s, 200);
    let view: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert!(view["deadlines"]["completion_due"].as_str().unwrap().ends_with("+08:00"));
    app.stop().await;
}

#[tokio::test]
async fn reminders_escalations_and_completion_happen_once() {
    let app = spawn_with(&[]).await;
    let (id, _) = file(&app).await;

    travel(&app, &id, false);
    let first = sweep(&app).await;
    assert_eq!((first["reminded"].clone(), first["escalated"].clone()), (json!(1), json!(0)), "{first}");
    assert_eq!(sweep(&app).await["examined"], 0, "a reminder is sent once");
    assert_eq!(event_count(&app, &id, "sla_reminder"), 1);

    travel(&app, &id, true);
    let second = sweep(&app).await;
    assert_eq!(second["escalated"], 1, "{second}");
    assert_eq!(sweep(&app).await["examined"], 0, "an escalation happens once");
    assert_eq!(event_count(&app, &id, "sla_escalated"), 1);
    // Escalations are for staff; the public timeline does not show them.
    let public: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert!(!public.to_string().contains("sla_escalated"));
    let (_, admin_view) = call(&app, Method::GET, &format!("/api/v1/admin/reports/{id}"), Some(BOOTSTRAP), None).await;
    assert!(admin_view.to_string().contains("sla_escalated"));
    let audience: String = app.db().query_row("SELECT audience FROM outbox WHERE event_type = 'sla_escalated'", [], |r| r.get(0)).unwrap();
    assert_eq!(audience, "admins");

    // A new deadline (dispatch) clears the marks: its own reminder comes.
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": KUPANG}))).await;
    assert_eq!(s, 200);
    travel(&app, &id, true);
    assert_eq!(sweep(&app).await["escalated"], 1);
    let audience: String = app
        .db()
        .query_row("SELECT audience FROM outbox WHERE event_type = 'sla_escalated' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audience, format!("admins,agency:{KUPANG}:coordinator,executive"));

    // Responded, then ten working days of silence: completed by the sweep.
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(BOOTSTRAP), Some(json!({"body": "Sudah diperbaiki kemarin sore."}))).await;
    assert_eq!(s, 200);
    travel(&app, &id, true);
    let done = sweep(&app).await;
    assert_eq!(done["completed"], 1, "{done}");
    let public: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
    assert_eq!(public["status"], "completed");
    assert_eq!(public["timeline"].as_array().unwrap().last().unwrap()["actor_role"], "system");
    assert_eq!(public["deadlines"], json!({}));
    assert_eq!(sweep(&app).await["examined"], 0);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_sweeps_in_small_batches_never_double_act() {
    let app = spawn_with(&[("SPIN_VARIABLE_SLA_SWEEP_BATCH", "25")]).await;
    let mut ids = Vec::new();
    for _ in 0..120 {
        ids.push(file(&app).await.0);
    }
    app.db()
        .execute("UPDATE reports SET clock_remind_at = '2020-01-01T00:00:00.000Z', clock_due = '2020-01-02T00:00:00.000Z'", [])
        .unwrap();

    let first = sweep(&app).await;
    assert_eq!(first["escalated"], 25);
    assert_eq!(first["more"], true, "a full batch says there may be more");

    let mut total = 25;
    for _ in 0..10 {
        let mut calls = Vec::new();
        for _ in 0..4 {
            let request = app.client.post(app.url("/internal/sla/sweep")).bearer_auth(SLA_SWEEP_TOKEN).send();
            calls.push(tokio::spawn(async move { request.await.unwrap().json::<Value>().await.unwrap() }));
        }
        for call in calls {
            total += call.await.unwrap()["escalated"].as_i64().unwrap();
        }
        if total >= 120 {
            break;
        }
    }
    assert_eq!(total, 120, "every report escalated exactly once across concurrent sweeps");
    assert_eq!(app.count("SELECT count(*) FROM report_events WHERE type = 'sla_escalated'"), 120);
    assert_eq!(app.count("SELECT count(*) FROM outbox WHERE event_type = 'sla_escalated'"), 120);
    assert_eq!(sweep(&app).await["more"], false);
    app.stop().await;
}

#[tokio::test]
async fn the_calendar_lists_and_admins_edit_non_working_days() {
    let app = spawn_with(&[]).await;
    let (s, year) = call(&app, Method::GET, "/api/v1/calendar/holidays?year=2026", None, None).await;
    assert_eq!(s, 200);
    let items = year["items"].as_array().unwrap();
    let idul_fitri: Vec<&Value> = items.iter().filter(|i| i["date"].as_str().unwrap().starts_with("2026-03-2")).collect();
    assert!(idul_fitri.iter().any(|i| i["kind"] == "cuti_bersama"), "{idul_fitri:?}");
    assert!(items.iter().any(|i| i["date"] == "2026-08-17" && i["kind"] == "holiday"));
    assert_eq!(call(&app, Method::GET, "/api/v1/calendar/holidays?year=twenty", None, None).await.0, 400);

    let body = json!({"name": "Cuti Bersama Tambahan", "kind": "cuti_bersama"});
    assert_eq!(call(&app, Method::PUT, "/api/v1/calendar/holidays/2026-11-27", None, Some(body.clone())).await.0, 401);
    assert_eq!(call(&app, Method::PUT, "/api/v1/calendar/holidays/2026-11-27", Some(BOOTSTRAP), Some(body.clone())).await.0, 201);
    assert_eq!(call(&app, Method::PUT, "/api/v1/calendar/holidays/2026-11-27", Some(BOOTSTRAP), Some(body.clone())).await.0, 200);
    assert_eq!(call(&app, Method::PUT, "/api/v1/calendar/holidays/2026-13-01", Some(BOOTSTRAP), Some(body.clone())).await.0, 400);
    let bad_kind = json!({"name": "Libur", "kind": "weekend"});
    assert_eq!(call(&app, Method::PUT, "/api/v1/calendar/holidays/2026-11-30", Some(BOOTSTRAP), Some(bad_kind)).await.0, 422);
    let (_, year) = call(&app, Method::GET, "/api/v1/calendar/holidays?year=2026", None, None).await;
    assert!(year["items"].as_array().unwrap().iter().any(|i| i["date"] == "2026-11-27"));
    assert_eq!(call(&app, Method::DELETE, "/api/v1/calendar/holidays/2026-11-27", Some(BOOTSTRAP), None).await.0, 204);
    assert_eq!(call(&app, Method::DELETE, "/api/v1/calendar/holidays/2026-11-27", Some(BOOTSTRAP), None).await.0, 404);
    app.stop().await;
}
