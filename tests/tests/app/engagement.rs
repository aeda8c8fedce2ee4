//! Engagement end to end: citizen identities with SMS codes, supports,
//! comments and moderation, follows, and the notification outbox delivered
//! to local stand-ins that speak Twilio's, WhatsApp's and SendGrid's formats.

use std::time::Duration;

use integration_tests::fixtures::{citizen, code_in, code_sent_to, create_staff, file_and_dispatch, last_code_to, verified_citizen, AGENCY_A, AGENCY_B, BOOTSTRAP};
use integration_tests::{AppConfig, Providers, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

fn config() -> AppConfig {
    AppConfig::with_bootstrap_admin()
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(config()).await
}

fn report(privacy: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": "Lampu jalan padam",
        "body": "Lampu jalan di Jl. Dago padam sejak sebulan, rawan kecelakaan di malam hari.",
        "privacy": privacy,
    })
}

/// Files a report and has an administrator dispatch it to Kota Bandung.
async fn dispatched(app: &TestApp, report: &Value) -> (String, String) {
    file_and_dispatch(app, report, BOOTSTRAP, AGENCY_A).await
}

/// A fresh citizen's comment on report `id`: the citizen's token and the comment's id.
async fn comment_on(app: &TestApp, id: &str, body: &str) -> (String, String) {
    let author = citizen(app).await;
    let (status, comment) = app.call(Method::POST, &format!("/api/v1/reports/{id}/comments"), Some(&author), Some(json!({"body": body}))).await;
    assert_eq!(status, 201, "{comment}");
    (author, comment["id"].as_str().unwrap().to_string())
}

/// How many comments the public listing of report `id` shows.
async fn visible_comments(app: &TestApp, id: &str) -> usize {
    app.call(Method::GET, &format!("/api/v1/reports/{id}/comments"), None, None).await.1["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn phone_verification_by_sms_code_with_limited_tries() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers)).await;
    let (status, body) = app.call(Method::POST, "/api/v1/citizens", None, Some(json!({"phone": "0812-3456-7890"}))).await;
    assert_eq!(status, 201, "{body}");
    let token = body["citizen_token"].as_str().unwrap().to_string();
    assert_eq!(body["phone_verification"]["channel"], "sms");
    assert!(!body["phone_verification"]["phone"].as_str().unwrap().contains("3456"), "masked: {body}");
    // The code leaves through the outbox, and only its hash is stored.
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE kind = 'sign_in_code' AND state = 'pending'"), 1);
    let delivered = app.deliver().await;
    assert_eq!(delivered["sent"], 1, "{delivered}");
    let sms = providers.delivered("twilio");
    assert_eq!(sms[0].form().iter().find(|(k, _)| k == "From").unwrap().1, "1708");
    let code = code_sent_to(&providers, "+6281234567890");
    assert_eq!(app.count(&format!("SELECT count(*) FROM citizen_codes WHERE code_hash LIKE '%{code}%'")), 0);
    // A sent code is scrubbed from the outbox.
    assert_eq!(app.count(&format!("SELECT count(*) FROM notification_outbox WHERE payload LIKE '%{code}%'")), 0);

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"code": wrong}))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["tries_left"], 4);
    let (status, body) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"code": code}))).await;
    assert_eq!((status, body["verified"].as_bool()), (200, Some(true)), "{body}");
    let (_, me) = app.call(Method::GET, "/api/v1/citizens/me", Some(&token), None).await;
    assert_eq!(me["phone"], "+6281234567890");

    // Five wrong tries spend a code; the right one then no longer works.
    let (status, _) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"phone": "081299990000"}))).await;
    assert_eq!(status, 202);
    app.deliver().await;
    let code = code_sent_to(&providers, "+6281299990000");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let (status, body) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"code": wrong}))).await;
        assert_eq!((status, body["tries_left"].as_i64()), (422, Some(left)), "{body}");
    }
    let (status, body) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"code": code}))).await;
    assert_eq!(status, 422, "{body}");
    let (_, me) = app.call(Method::GET, "/api/v1/citizens/me", Some(&token), None).await;
    assert_eq!(me["phone"], "+6281234567890", "the proved number stays");

    // Bad input changes nothing; no token is 401.
    let (status, body) = app.call(Method::POST, "/api/v1/citizens", None, Some(json!({"phone": "12"}))).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = app.call(Method::POST, "/api/v1/citizens/verify", Some("not-a-token"), Some(json!({"code": "123456"}))).await;
    assert_eq!(status, 401);
    let reporter_token = app.file(&report("public")).await["reporter_token"].as_str().unwrap().to_string();
    let (status, _) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&reporter_token), Some(json!({"code": "123456"}))).await;
    assert_eq!(status, 403, "a reporter token is an identity, but not one a phone binds to");
    assert_eq!(app.count("SELECT count(*) FROM citizens"), 1);
}

#[tokio::test]
async fn support_once_per_identity_and_only_where_allowed() {
    let app = spawn().await;
    let (id, reporter_token) = dispatched(&app, &report("anonymous")).await;
    let path = format!("/api/v1/reports/{id}/supports");
    let alice = citizen(&app).await;
    let bob = citizen(&app).await;

    let (status, body) = app.call(Method::POST, &path, None, None).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = app.call(Method::POST, &path, Some(&alice), None).await;
    assert_eq!((status, body.clone()), (201, json!({"supports": 1, "supported": true})));
    // Repeating is a no-op with the same count.
    let (status, body) = app.call(Method::POST, &path, Some(&alice), None).await;
    assert_eq!((status, body), (200, json!({"supports": 1, "supported": true})));
    // A reporter token is an identity too.
    let (_, body) = app.call(Method::POST, &path, Some(&reporter_token), None).await;
    assert_eq!(body["supports"], 2);
    let (_, body) = app.call(Method::POST, &path, Some(&bob), None).await;
    assert_eq!(body["supports"], 3);
    let (status, body) = app.call(Method::DELETE, &path, Some(&bob), None).await;
    assert_eq!((status, body), (200, json!({"supports": 2, "supported": false})));
    let (_, body) = app.call(Method::DELETE, &path, Some(&bob), None).await;
    assert_eq!(body["supports"], 2, "withdrawing twice is a no-op");
    let (_, body) = app.call(Method::GET, &path, Some(&alice), None).await;
    assert_eq!(body, json!({"supports": 2, "supported": true}));

    // The public view carries the counts, and they match the rows.
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    assert_eq!((view["supports"].as_i64(), view["comments"].as_i64()), (Some(2), Some(0)), "{view}");
    assert_eq!(app.count("SELECT count(*) FROM supports"), 2);

    // Not before dispatch (409 with the status), never on confidential reports (invisible: 404).
    let submitted = app.file(&report("public")).await;
    let (status, body) = app.call(Method::POST, &format!("/api/v1/reports/{}/supports", submitted["tracking_id"].as_str().unwrap()), Some(&alice), None).await;
    assert_eq!((status, body["current_status"].as_str()), (409, Some("submitted")), "{body}");
    let (secret_id, secret_token) = dispatched(&app, &report("confidential")).await;
    let secret_path = format!("/api/v1/reports/{secret_id}/supports");
    let (status, _) = app.call(Method::POST, &secret_path, Some(&alice), None).await;
    assert_eq!(status, 404);
    let (status, body) = app.call(Method::POST, &secret_path, Some(&secret_token), None).await;
    assert_eq!(status, 403, "even its reporter cannot: {body}");
    let (status, _) = app.call(Method::POST, "/api/v1/reports/NOT-AN-ID/supports", Some(&alice), None).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn concurrent_supports_from_two_runner_processes_are_counted_exactly() {
    let app = spawn().await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let second = app.spawn_process();
    let path = format!("/api/v1/reports/{id}/supports");
    let mut tokens = Vec::new();
    for _ in 0..60 {
        tokens.push(citizen(&app).await);
    }
    // Every identity supports twice, at once, half through each process.
    let mut calls = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        for round in 0..2 {
            let url = if (i + round) % 2 == 0 { app.url(&path) } else { second.url(&path) };
            let request = app.client.post(url).bearer_auth(token);
            calls.push(async move { request.send().await.unwrap().status().as_u16() });
        }
    }
    let statuses = futures::future::join_all(calls).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 60, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 60, "{statuses:?}");
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    assert_eq!(view["supports"], 60);
    assert_eq!(app.count("SELECT count(*) FROM supports"), 60);
    let via_second: Value = app.client.get(second.url(&path)).send().await.unwrap().json().await.unwrap();
    assert_eq!(via_second["supports"], 60);
}

#[tokio::test]
async fn comments_are_listed_oldest_first_and_never_rendered_as_markup() {
    let app = spawn().await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let path = format!("/api/v1/reports/{id}/comments");
    let alice = citizen(&app).await;
    let xss = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let (status, created) = app.call(Method::POST, &path, Some(&alice), Some(json!({"body": xss, "display_name": "<b>Budi</b>"}))).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["body"], xss, "stored and returned as text");
    for n in 1..=4 {
        let (status, _) = app.call(Method::POST, &path, Some(&alice), Some(json!({"body": format!("Komentar ke-{n}")}))).await;
        assert_eq!(status, 201);
    }
    let (_, first) = app.call(Method::GET, &format!("{path}?limit=3"), None, None).await;
    let bodies: Vec<&str> = first["items"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, [xss, "Komentar ke-1", "Komentar ke-2"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = app.call(Method::GET, &format!("{path}?limit=3&cursor={cursor}"), None, None).await;
    let bodies: Vec<&str> = second["items"].as_array().unwrap().iter().map(|c| c["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Komentar ke-3", "Komentar ke-4"]);
    assert!(second["next_cursor"].is_null());

    // The JSON is served as JSON, and the HTML page escapes every comment.
    let response = app.get(&path).await;
    assert_eq!(response.headers()["content-type"], "application/json");
    let page = app.get(&format!("/lapor/{id}")).await.text().await.unwrap();
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), "{page}");
    assert!(page.contains("&lt;b&gt;Budi&lt;/b&gt;"));
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    assert_eq!(view["comments"], 5);

    // Bad input is a 422 naming the field; nothing is stored.
    for body in [json!({"body": ""}), json!({"body": "x".repeat(2001)}), json!({"body": "ok", "extra": 1}), json!({"body": 5})] {
        let (status, problem) = app.call(Method::POST, &path, Some(&alice), Some(body)).await;
        assert_eq!(status, 422, "{problem}");
    }
    assert_eq!(app.count("SELECT count(*) FROM comments"), 5);
    let (status, _) = app.call(Method::GET, &format!("{path}?cursor=garbage"), None, None).await;
    assert_eq!(status, 400);
    // Not on confidential reports.
    let (secret_id, secret_token) = dispatched(&app, &report("confidential")).await;
    let (status, _) = app.call(Method::POST, &format!("/api/v1/reports/{secret_id}/comments"), Some(&secret_token), Some(json!({"body": "halo"}))).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(Method::GET, &format!("/api/v1/reports/{secret_id}/comments"), None, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn three_distinct_flags_hide_a_comment_until_staff_restore_it() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers)).await;
    let coordinator_a = create_staff(&app, BOOTSTRAP, json!({"role": "coordinator", "name": "Koordinator", "agency": AGENCY_A})).await;
    let executive_a = create_staff(&app, BOOTSTRAP, json!({"role": "executive", "name": "Wali Kota", "agency": AGENCY_A})).await;
    let coordinator_b = create_staff(&app, BOOTSTRAP, json!({"role": "coordinator", "name": "Koordinator B", "agency": AGENCY_B})).await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let (author, comment_id) = comment_on(&app, &id, "Iklan pinjol murah!").await;
    let flags = format!("/api/v1/comments/{comment_id}/flags");
    let visible = || visible_comments(&app, &id);

    // Flags that hide come from identities with a proved phone.
    let first = verified_citizen(&app, &providers, "081311110001").await;
    let (status, body) = app.call(Method::POST, &flags, Some(&first), Some(json!({"reason": "spam"}))).await;
    assert_eq!((status, body["hidden"].as_bool()), (201, Some(false)), "{body}");
    // The same identity flagging again does not count.
    for _ in 0..3 {
        let (status, _) = app.call(Method::POST, &flags, Some(&first), Some(json!({"reason": "spam"}))).await;
        assert_eq!(status, 200);
    }
    assert_eq!(visible().await, 1);
    let second = verified_citizen(&app, &providers, "081311110002").await;
    app.call(Method::POST, &flags, Some(&second), Some(json!({"reason": "spam"}))).await;
    assert_eq!(visible().await, 1);
    let third = verified_citizen(&app, &providers, "081311110003").await;
    let (_, body) = app.call(Method::POST, &flags, Some(&third), Some(json!({"reason": "penipuan"}))).await;
    assert_eq!(body["hidden"], true);
    assert_eq!(visible().await, 0, "hidden from the public listing");
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    assert_eq!(view["comments"], 0);
    let (status, _) = app.call(Method::POST, &flags, Some(&first), Some(json!({}))).await;
    assert_eq!(status, 422, "a flag needs a reason");

    // The review queue shows it with its flags and history; only staff see it.
    let (status, _) = app.call(Method::GET, "/api/v1/comments?state=hidden", Some(&first), None).await;
    assert_eq!(status, 401);
    let (status, _) = app.call(Method::GET, "/api/v1/comments?state=hidden", Some(&executive_a), None).await;
    assert_eq!(status, 403);
    let (_, queue) = app.call(Method::GET, "/api/v1/comments?state=hidden", Some(&coordinator_a), None).await;
    let item = &queue["items"][0];
    assert_eq!((item["id"].as_str(), item["flags"].as_i64(), item["state"].as_str()), (Some(comment_id.as_str()), Some(3), Some("hidden_by_flags")), "{queue}");
    assert_eq!(item["moderation"][0]["action"], "hidden_by_flags");
    let (_, other_queue) = app.call(Method::GET, "/api/v1/comments?state=hidden", Some(&coordinator_b), None).await;
    assert_eq!(other_queue["items"].as_array().unwrap().len(), 0, "another agency's comments are not theirs");

    // Staff decide: executives read only, other agencies see nothing.
    let restore = format!("/api/v1/comments/{comment_id}/restore");
    assert_eq!(app.call(Method::POST, &restore, Some(&executive_a), None).await.0, 403);
    assert_eq!(app.call(Method::POST, &restore, Some(&coordinator_b), None).await.0, 404);
    assert_eq!(app.call(Method::POST, &restore, Some(&author), None).await.0, 401);
    let (status, body) = app.call(Method::POST, &restore, Some(&coordinator_a), Some(json!({"reason": "bukan spam"}))).await;
    assert_eq!((status, body["state"].as_str()), (200, Some("visible")), "{body}");
    assert_eq!(visible().await, 1);
    // Old flags no longer count after a review; staff can still hide it.
    let fourth = verified_citizen(&app, &providers, "081311110004").await;
    app.call(Method::POST, &flags, Some(&fourth), Some(json!({"reason": "spam"}))).await;
    assert_eq!(visible().await, 1);
    let (status, _) = app.call(Method::POST, &format!("/api/v1/comments/{comment_id}/hide"), Some(BOOTSTRAP), Some(json!({"reason": "iklan"}))).await;
    assert_eq!(status, 200);
    assert_eq!(visible().await, 0);
    // Everything stays in the audit trail.
    let trail: Vec<String> = {
        let db = app.db();
        let mut stmt = db.prepare("SELECT action FROM comment_moderation ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(trail, ["hidden_by_flags", "restored", "hidden"]);
    assert_eq!(app.count("SELECT count(*) FROM comments"), 1);
    assert_eq!(app.count("SELECT count(*) FROM comment_flags"), 4);
}

#[tokio::test]
async fn followers_are_notified_exactly_once_across_a_provider_failure() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers)).await;
    // The reporter left an e-mail address: they follow by e-mail automatically.
    let mut filed = report("anonymous");
    filed["reporter"] = json!({"name": "Rahasia Sekali", "email": "pelapor@example.id"});
    let created = app.file(&filed).await;
    let id = created["tracking_id"].as_str().unwrap().to_string();
    let follows = format!("/api/v1/reports/{id}/follows");
    let watcher = verified_citizen(&app, &providers, "081311112222").await;
    let (status, body) = app.call(Method::POST, &follows, Some(&watcher), Some(json!({"channel": "sms", "address": "081311112222"}))).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.call(Method::POST, &follows, Some(&watcher), Some(json!({"channel": "whatsapp", "address": "+6281311112222"}))).await;
    assert_eq!(status, 201, "{body}");
    let (status, hook) = app.call(Method::POST, &follows, Some(&watcher), Some(json!({"channel": "webhook", "address": format!("{}/hooks/lapor", providers.origin())}))).await;
    assert_eq!(status, 201, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_string();
    // SMS only to a number the follower proved.
    let stranger = citizen(&app).await;
    let (status, _) = app.call(Method::POST, &follows, Some(&stranger), Some(json!({"channel": "sms", "address": "081311112222"}))).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(Method::POST, &follows, Some(&stranger), Some(json!({"channel": "pigeon", "address": "x"}))).await;
    assert_eq!(status, 422);
    let (status, _) = app.call(Method::POST, &follows, Some(&stranger), Some(json!({"channel": "webhook", "address": "javascript:alert(1)"}))).await;
    assert_eq!(status, 422);

    // Dispatching is a public event: one notification per follower, written
    // with the event. Providers all fail once.
    for provider in ["twilio", "whatsapp", "email", "webhook"] {
        providers.fail_next(provider, 1, 503);
    }
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": AGENCY_A}))).await;
    assert_eq!(status, 200);
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE kind = 'event' AND event_id IS NOT NULL"), 4);
    let first = app.deliver().await;
    assert_eq!((first["claimed"].as_i64(), first["sent"].as_i64(), first["retrying"].as_i64()), (Some(4), Some(0), Some(4)), "{first}");
    let second = app.deliver().await;
    assert_eq!((second["sent"].as_i64(), second["retrying"].as_i64()), (Some(4), Some(0)), "{second}");
    for _ in 0..3 {
        assert_eq!(app.deliver().await["claimed"], 0, "nothing is sent twice");
    }
    for provider in ["twilio", "whatsapp", "email", "webhook"] {
        let attempts = providers.requests_to(provider).into_iter().filter(|r| r.body.windows(id.len()).any(|w| w == id.as_bytes())).count();
        assert_eq!(attempts, 2, "{provider}: one failure, one success");
    }
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'sent' AND attempts = 2 AND kind = 'event'"), 4);

    // Each in its provider's format, none with the report's content.
    let sms = providers.delivered("twilio").into_iter().last().unwrap();
    let text = sms.form().into_iter().find(|(k, _)| k == "Body").unwrap().1;
    assert!(text.contains(&id) && !text.contains("Dago"), "{text}");
    let whatsapp = providers.delivered("whatsapp").into_iter().last().unwrap().json();
    assert_eq!((whatsapp["to"].as_str(), whatsapp["type"].as_str()), (Some("6281311112222"), Some("text")));
    let email = providers.delivered("email").into_iter().last().unwrap().json();
    assert_eq!(email["personalizations"][0]["to"][0]["email"], "pelapor@example.id");
    let webhook = providers.delivered("webhook").into_iter().last().unwrap();
    assert!(lapor_domain::notification::verify_webhook_signature(&secret, &webhook.body, webhook.header("x-lapor-signature").unwrap()));
    assert_eq!(webhook.json()["event"], "dispatched");
    assert_eq!(webhook.header("idempotency-key"), providers.requests_to("webhook").first().unwrap().header("idempotency-key"), "a retry carries the same key");

    // The reporter (only) hears of nothing private; unfollowing drops what is pending.
    let (status, body) = app.call(Method::DELETE, &format!("{follows}?channel=whatsapp&address=%2B6281311112222"), Some(&watcher), None).await;
    assert_eq!((status, body["removed"].as_i64()), (200, Some(1)), "{body}");
    let (_, mine) = app.call(Method::GET, &follows, Some(&watcher), None).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    let staff = create_staff(&app, BOOTSTRAP, json!({"role": "coordinator", "name": "Koordinator", "agency": AGENCY_A})).await;
    let (status, _) = app.call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&staff), Some(json!({"body": "Lampu sudah diganti oleh Dinas PUPR."}))).await;
    assert_eq!(status, 200);
    app.deliver().await;
    providers.wait_for_delivered("webhook", 2, Duration::from_secs(5)).await;
    assert_eq!(providers.delivered("whatsapp").len(), 1, "no more WhatsApp after unfollowing");
    assert_eq!(providers.delivered("email").len(), 2);
}

#[tokio::test]
async fn undeliverable_notifications_reach_the_dead_letter_for_admins() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers).var("notify_max_attempts", "3")).await;
    let mut filed = report("anonymous");
    filed["reporter"] = json!({"phone": "081355556666"});
    let created = app.file(&filed).await;
    let id = created["tracking_id"].as_str().unwrap();
    providers.fail_next("twilio", 3, 500);
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/hold"), Some(BOOTSTRAP), Some(json!({"reason": "Mohon kirim foto lokasi."}))).await;
    assert_eq!(status, 200);
    for _ in 0..3 {
        app.deliver().await;
    }
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'dead'"), 1);
    assert_eq!(app.deliver().await["claimed"], 0, "dead letters are not retried");
    assert_eq!(providers.requests_to("twilio").len(), 3);

    let (status, _) = app.call(Method::GET, "/api/v1/admin/notifications?state=dead", None, None).await;
    assert_eq!(status, 401);
    let (status, body) = app.call(Method::GET, "/api/v1/admin/notifications?state=dead", Some(BOOTSTRAP), None).await;
    assert_eq!(status, 200, "{body}");
    let item = &body["items"][0];
    assert_eq!((item["report"].as_str(), item["event"].as_str(), item["attempts"].as_i64()), (Some(id), Some("on_hold"), Some(3)), "{body}");
    assert_eq!(item["last_error"], "HTTP 500");
    // An anonymous reporter's number is not readable here.
    assert!(!body.to_string().contains("55556666"), "{body}");

    // A sign-in code is never re-sent from the dead letter (it is stale).
    app.db()
        .execute_batch("INSERT INTO notification_outbox (kind, channel, address, payload, state, next_attempt_at, created_at)
                        VALUES ('sign_in_code', 'sms', '+6281355556666', '{}', 'dead', '2026-01-01', '2026-01-01')")
        .unwrap();
    let stale: i64 = app.db().query_row("SELECT max(id) FROM notification_outbox", [], |r| r.get(0)).unwrap();
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/notifications/{stale}/retry"), Some(BOOTSTRAP), None).await;
    assert_eq!(status, 409);
    assert_eq!(app.call(Method::POST, "/api/v1/admin/notifications/999999/retry", Some(BOOTSTRAP), None).await.0, 404);

    // Once the provider works again, an administrator sends it again.
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/notifications/{}/retry", item["id"]), Some(BOOTSTRAP), None).await;
    assert_eq!(status, 200);
    let outcome = app.deliver().await;
    assert_eq!(outcome["sent"], 1, "{outcome}");
}

#[tokio::test]
async fn a_duplicates_supporters_and_followers_move_to_the_original() {
    let app = spawn().await;
    let (original, _) = dispatched(&app, &report("public")).await;
    let mut dup_report = report("public");
    dup_report["reporter"] = json!({"email": "kedua@example.id"});
    let duplicate = app.file(&dup_report).await["tracking_id"].as_str().unwrap().to_string();
    let both = citizen(&app).await;
    let only_dup = citizen(&app).await;
    for (token, report) in [(&both, &original), (&both, &duplicate), (&only_dup, &duplicate)] {
        let (status, _) = app.call(Method::POST, &format!("/api/v1/reports/{report}/follows"), Some(token), Some(json!({"channel": "email", "address": "warga@example.id"}))).await;
        assert!(status == 201 || status == 200);
    }
    let (status, _) = app.call(Method::POST, &format!("/api/v1/reports/{original}/supports"), Some(&both), None).await;
    assert_eq!(status, 201);
    // A duplicate is archived before dispatch, so it cannot be supported
    // through the API yet; supports it holds from other channels are merged.
    let dup_row: i64 = app.db().query_row("SELECT id FROM reports WHERE tracking_id = ?", [&duplicate], |r| r.get(0)).unwrap();
    app.db()
        .execute_batch(&format!(
            "INSERT INTO supports (report_id, identity, created_at) VALUES ({dup_row}, 'phone:aaaa', '2026-01-01T00:00:00.000Z'), ({dup_row}, 'phone:bbbb', '2026-01-01T00:00:00.000Z');
             UPDATE reports SET support_count = 2 WHERE id = {dup_row};"
        ))
        .unwrap();
    let (status, body) = app
        .call(Method::POST, &format!("/api/v1/admin/reports/{duplicate}/archive"), Some(BOOTSTRAP), Some(json!({"reason": "duplicate", "duplicate_of": original})))
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{original}"), None, None).await;
    assert_eq!(view["supports"], 3);
    let followers: Vec<(String, i64)> = {
        let db = app.db();
        let mut stmt = db
            .prepare("SELECT f.address, f.is_reporter FROM follows f JOIN reports r ON r.id = f.report_id WHERE r.tracking_id = ? ORDER BY f.address")
            .unwrap();
        stmt.query_map([&original], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    // The duplicate's reporter now follows the original, but not as its
    // reporter; the follower of both keeps one follow, the other moved.
    assert_eq!(followers, [("kedua@example.id".to_string(), 0), ("warga@example.id".to_string(), 0), ("warga@example.id".to_string(), 0)]);
    assert_eq!(app.count("SELECT count(DISTINCT identity) FROM follows WHERE address = 'warga@example.id'"), 2);
    assert_eq!(app.count(&format!("SELECT count(*) FROM supports WHERE report_id = {dup_row}")), 0);
}

#[tokio::test]
async fn engagement_writes_are_rate_limited_per_identity_with_retry_after() {
    let app = TestApp::spawn_with(config().var("engagement_rate_limit_per_identity", "2")).await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let alice = citizen(&app).await;
    let path = format!("/api/v1/reports/{id}/comments");
    for _ in 0..2 {
        assert_eq!(app.call(Method::POST, &path, Some(&alice), Some(json!({"body": "Setuju"}))).await.0, 201);
    }
    let response = app.client.post(app.url(&path)).bearer_auth(&alice).json(&json!({"body": "Setuju"})).send().await.unwrap();
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after));
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    assert_eq!(app.count("SELECT count(*) FROM comments"), 2);
    // Another identity is not affected.
    let bob = citizen(&app).await;
    assert_eq!(app.call(Method::POST, &path, Some(&bob), Some(json!({"body": "Setuju"}))).await.0, 201);
}

#[tokio::test]
async fn concurrent_deliveries_from_two_processes_send_each_notification_once() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers).var("notify_batch", "3")).await;
    let created = app.file(&report("public")).await;
    let id = created["tracking_id"].as_str().unwrap().to_string();
    for n in 0..12 {
        let follower = citizen(&app).await;
        let hook = json!({"channel": "webhook", "address": format!("{}/hooks/f{n}", providers.origin())});
        assert_eq!(app.call(Method::POST, &format!("/api/v1/reports/{id}/follows"), Some(&follower), Some(hook)).await.0, 201);
    }
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": AGENCY_A}))).await;
    assert_eq!(status, 200);
    let second = app.spawn_process();
    // Both processes deliver at once, in small batches, until nothing is left.
    let deliver = |url: String| {
        let client = app.client.clone();
        async move {
            loop {
                let outcome: Value = client.post(&url).bearer_auth(integration_tests::NOTIFY_TOKEN).send().await.unwrap().json().await.unwrap();
                if outcome["claimed"] == 0 {
                    break;
                }
            }
        }
    };
    let path = "/internal/notifications/deliver";
    futures::future::join(deliver(app.url(path)), deliver(second.url(path))).await;
    let hooks = providers.delivered("webhook");
    let mut paths: Vec<String> = hooks.iter().map(|r| r.path.clone()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!((hooks.len(), paths.len()), (12, 12), "each follower exactly once: {paths:?}");
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'sent' AND attempts = 1"), 12);
}

#[tokio::test]
async fn engagement_writes_are_rate_limited_per_client_address() {
    let app = TestApp::spawn_with(config().var("engagement_rate_limit_per_address", "3")).await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let path = format!("/api/v1/reports/{id}/supports");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let someone = citizen(&app).await;
        statuses.push(app.call(Method::POST, &path, Some(&someone), None).await.0);
    }
    assert_eq!(statuses, [201, 201, 201, 429], "new identities from one address do not reset it");
    let (_, body) = app.call(Method::GET, &path, None, None).await;
    assert_eq!(body["supports"], 3);
}

#[tokio::test]
async fn proving_a_phone_merges_what_the_token_did_before() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers)).await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let path = format!("/api/v1/reports/{id}/supports");
    // The same person: first an unproved token, then another device that proved the phone.
    let (_, body) = app.call(Method::POST, "/api/v1/citizens", None, Some(json!({"phone": "081377778888"}))).await;
    let laptop = body["citizen_token"].as_str().unwrap().to_string();
    assert_eq!(app.call(Method::POST, &path, Some(&laptop), None).await.0, 201);
    let phone = verified_citizen(&app, &providers, "081377778888").await;
    assert_eq!(app.call(Method::POST, &path, Some(&phone), None).await.1["supports"], 2, "not yet known to be one person");
    // Proving the number on the first token (with a fresh code) makes the two supports one.
    assert_eq!(app.call(Method::POST, "/api/v1/citizens/verify", Some(&laptop), Some(json!({"phone": "081377778888"}))).await.0, 202);
    app.deliver().await;
    let code = code_sent_to(&providers, "+6281377778888");
    let (status, body) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&laptop), Some(json!({"code": code}))).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = app.call(Method::GET, &path, Some(&laptop), None).await;
    assert_eq!(body, json!({"supports": 1, "supported": true}));
    assert_eq!(app.count("SELECT count(*) FROM supports"), 1);
}

#[tokio::test]
async fn a_completion_by_the_sweep_notifies_followers() {
    let app = spawn().await;
    let mut filed = report("public");
    filed["reporter"] = json!({"email": "pelapor@example.id"});
    let (id, _) = dispatched(&app, &filed).await;
    let coordinator = create_staff(&app, BOOTSTRAP, json!({"role": "coordinator", "name": "Koordinator", "agency": AGENCY_A})).await;
    let (status, _) = app.call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&coordinator), Some(json!({"body": "Sudah diperbaiki oleh dinas."}))).await;
    assert_eq!(status, 200);
    // The completion clock runs out.
    app.db().execute("UPDATE reports SET clock_due = '2000-01-01T00:00:00.000Z' WHERE tracking_id = ?", [&id]).unwrap();
    let (status, body) = app.call(Method::POST, "/internal/sla/sweep", Some(integration_tests::SLA_SWEEP_TOKEN), None).await;
    assert_eq!((status, body["completed"].as_i64()), (200, Some(1)), "{body}");
    let payloads: Vec<String> = {
        let db = app.db();
        let mut stmt = db.prepare("SELECT payload FROM notification_outbox WHERE channel = 'email' ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let events: Vec<Value> = payloads.iter().map(|p| serde_json::from_str(p).unwrap()).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["dispatched", "responded", "completed"]);
    assert_eq!(events[2]["status"], "completed");
    // A second sweep finds nothing and enqueues nothing more.
    app.call(Method::POST, "/internal/sla/sweep", Some(integration_tests::SLA_SWEEP_TOKEN), None).await;
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE channel = 'email'"), 3);
}

#[tokio::test]
async fn nobody_can_tell_whether_an_address_already_follows_a_report() {
    let app = spawn().await;
    let mut filed = report("anonymous");
    filed["reporter"] = json!({"name": "Pelapor Rahasia", "email": "pelapor.rahasia@example.id"});
    let created = app.file(&filed).await;
    let id = created["tracking_id"].as_str().unwrap();
    let follows = format!("/api/v1/reports/{id}/follows");
    let stranger = citizen(&app).await;
    // The reporter's address follows already; a guess at it looks like any new follow.
    for guess in ["pelapor.rahasia@example.id", "orang.lain@example.id"] {
        let (status, body) = app.call(Method::POST, &follows, Some(&stranger), Some(json!({"channel": "email", "address": guess}))).await;
        assert_eq!(status, 201, "{body}");
        assert!(body.get("already_following").is_none(), "{body}");
    }
    // Only the same identity repeating itself hears "already".
    let (status, body) = app.call(Method::POST, &follows, Some(&stranger), Some(json!({"channel": "email", "address": "orang.lain@example.id"}))).await;
    assert_eq!((status, body["already_following"].as_bool()), (200, Some(true)));
    // Its own follows list shows only its own.
    let (_, mine) = app.call(Method::GET, &follows, Some(&stranger), None).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    assert!(!mine.to_string().contains("Pelapor Rahasia"));
}

#[tokio::test]
async fn a_report_made_confidential_drops_its_strangers() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers)).await;
    let mut filed = report("public");
    filed["reporter"] = json!({"email": "pelapor@example.id"});
    let created = app.file(&filed).await;
    let id = created["tracking_id"].as_str().unwrap();
    let stranger = citizen(&app).await;
    let (status, _) = app.call(Method::POST, &format!("/api/v1/reports/{id}/follows"), Some(&stranger), Some(json!({"channel": "email", "address": "penasaran@example.id"}))).await;
    assert_eq!(status, 201);
    let (status, body) = app
        .call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": AGENCY_A, "privacy": "confidential"})))
        .await;
    assert_eq!(status, 200, "{body}");
    app.deliver().await;
    let to: Vec<String> = providers.delivered("email").iter().map(|r| r.json()["personalizations"][0]["to"][0]["email"].as_str().unwrap().to_string()).collect();
    assert_eq!(to, ["pelapor@example.id"], "only the reporter hears of a confidential report");
    assert_eq!(app.count("SELECT count(*) FROM follows WHERE address = 'penasaran@example.id'"), 0);
    let (status, _) = app.call(Method::GET, &format!("/api/v1/reports/{id}/follows"), Some(&stranger), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_provider_that_never_answers_times_out_and_is_retried_later() {
    let providers = Providers::start();
    // A webhook receiver that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = silent.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in silent.incoming() {
            held.push(stream);
        }
    });
    let app = TestApp::spawn_with(config().with_providers(&providers).var("notify_timeout_seconds", "1").var("notify_retry_base_seconds", "60")).await;
    let created = app.file(&report("public")).await;
    let id = created["tracking_id"].as_str().unwrap();
    let follower = citizen(&app).await;
    let hook = json!({"channel": "webhook", "address": format!("http://{silent_addr}/hooks/silent")});
    assert_eq!(app.call(Method::POST, &format!("/api/v1/reports/{id}/follows"), Some(&follower), Some(hook)).await.0, 201);
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": AGENCY_A}))).await;
    assert_eq!(status, 200);
    let started = std::time::Instant::now();
    let outcome = app.deliver().await;
    assert!(started.elapsed() < Duration::from_secs(10), "the call gave up on its own: {:?}", started.elapsed());
    assert_eq!((outcome["claimed"].as_i64(), outcome["retrying"].as_i64()), (Some(1), Some(1)), "{outcome}");
    let (attempts, error, next): (i64, String, String) = app
        .db()
        .query_row("SELECT attempts, last_error, next_attempt_at FROM notification_outbox", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.starts_with("network:"), "{error}");
    assert!(next > created["created_at"].as_str().unwrap().to_string(), "retried later, not at once");
    assert_eq!(app.deliver().await["claimed"], 0, "the back-off holds");
}

#[tokio::test]
async fn flags_from_unproved_identities_bring_a_comment_to_review_without_hiding_it() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers)).await;
    let coordinator = create_staff(&app, BOOTSTRAP, json!({"role": "coordinator", "name": "Koordinator", "agency": AGENCY_A})).await;
    let (id, reporter_token) = dispatched(&app, &report("public")).await;
    let (_, comment_id) = comment_on(&app, &id, "Kritik yang sah").await;
    let flags = format!("/api/v1/comments/{comment_id}/flags");
    let visible = || visible_comments(&app, &id);
    let queue = |state: &'static str| {
        let coordinator = coordinator.clone();
        let app = &app;
        async move {
            let (status, body) = app.call(Method::GET, &format!("/api/v1/comments?state={state}"), Some(&coordinator), None).await;
            assert_eq!(status, 200, "{body}");
            body["items"].as_array().unwrap().clone()
        }
    };

    // Free citizen tokens and a reporter token: four flags, none hides.
    let mut unproved = vec![reporter_token];
    for _ in 0..3 {
        unproved.push(citizen(&app).await);
    }
    for token in &unproved {
        let (status, body) = app.call(Method::POST, &flags, Some(token), Some(json!({"reason": "tidak suka"}))).await;
        assert_eq!((status, body["hidden"].as_bool()), (201, Some(false)), "{body}");
    }
    assert_eq!(visible().await, 1, "unproved flags do not hide");
    assert!(queue("hidden").await.is_empty());
    // ... but the comment is in the staff's flagged queue, still visible.
    let flagged = queue("flagged").await;
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    let item = &flagged[0];
    assert_eq!(
        (item["id"].as_str(), item["state"].as_str(), item["open_flags"].as_i64(), item["proved_flags"].as_i64(), item["report"].as_str()),
        (Some(comment_id.as_str()), Some("visible"), Some(4), Some(0), Some(id.as_str())),
        "{item}"
    );
    let (status, body) = app.call(Method::GET, "/api/v1/comments?state=visible", Some(&coordinator), None).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (400, Some("state")), "{body}");

    // Three identities with proved phones hide it; it moves to the hidden queue.
    for (n, phone) in ["081322220001", "081322220002", "081322220003"].into_iter().enumerate() {
        let proved = verified_citizen(&app, &providers, phone).await;
        let (_, body) = app.call(Method::POST, &flags, Some(&proved), Some(json!({"reason": "spam"}))).await;
        assert_eq!(body["hidden"], n == 2, "{body}");
    }
    assert_eq!(visible().await, 0);
    assert!(queue("flagged").await.is_empty());
    let hidden = queue("hidden").await;
    assert_eq!((hidden.len(), hidden[0]["proved_flags"].as_i64(), hidden[0]["flags"].as_i64()), (1, Some(3), Some(7)), "{hidden:?}");

    // A restore is the review: the comment leaves both queues.
    let (status, _) = app.call(Method::POST, &format!("/api/v1/comments/{comment_id}/restore"), Some(&coordinator), None).await;
    assert_eq!(status, 200);
    assert!(queue("flagged").await.is_empty() && queue("hidden").await.is_empty());
}

#[tokio::test]
async fn display_names_claiming_an_official_role_are_refused() {
    let app = spawn().await;
    let (id, _) = dispatched(&app, &report("public")).await;
    let author = citizen(&app).await;
    let path = format!("/api/v1/reports/{id}/comments");
    for name in ["Admin LAPOR! (resmi)", "A d m i n", "Petugas Dinas PU", "0ff1c1al", "Akun Resmi", "Mod\u{200B}erator"] {
        let response = app.client.post(app.url(&path)).bearer_auth(&author).header("accept-language", "en").json(&json!({"body": "Halo", "display_name": name})).send().await.unwrap();
        assert_eq!(response.status(), 422, "{name:?}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "display_name", "{problem}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("official account"), "{problem}");
    }
    let (_, problem) = app.call(Method::POST, &path, Some(&author), Some(json!({"body": "Halo", "display_name": "Staf Kecamatan"}))).await;
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("akun resmi"), "Indonesian by default: {problem}");
    assert_eq!(app.count("SELECT count(*) FROM comments"), 0, "a refused comment writes nothing");
    let (status, body) = app.call(Method::POST, &path, Some(&author), Some(json!({"body": "Halo", "display_name": "Resmi Wulandari"}))).await;
    assert_eq!((status, body["display_name"].as_str()), (201, Some("Resmi Wulandari")), "{body}");
}

/// Every text column of every row of every table that holds `code`, as
/// `table.column` (the database file read directly).
fn where_code_is_readable(app: &TestApp, code: &str) -> Vec<String> {
    let db = app.db();
    let tables: Vec<String> = {
        let mut stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<String> = {
            let mut stmt = db.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        for column in columns {
            let n: i64 = db
                .query_row(&format!("SELECT count(*) FROM \"{table}\" WHERE instr(CAST(\"{column}\" AS TEXT), ?1) > 0"), [code], |r| r.get(0))
                .unwrap();
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

#[tokio::test]
async fn no_sign_in_code_stays_readable_once_sent_dead_superseded_or_expired() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config().with_providers(&providers).var("notify_max_attempts", "2")).await;
    let app = &app;
    let ask = |phone: &'static str| async move {
        let (status, body) = app.call(Method::POST, "/api/v1/citizens", None, Some(json!({"phone": phone}))).await;
        assert_eq!(status, 201, "{body}");
        body["citizen_token"].as_str().unwrap().to_string()
    };

    // Sent.
    ask("081344440001").await;
    assert_eq!(app.deliver().await["sent"], 1);
    let code = code_sent_to(&providers, "+6281344440001");
    assert_eq!(where_code_is_readable(&app, &code), Vec::<String>::new(), "after delivery");

    // Dead: the provider refuses every try.
    providers.fail_next("twilio", 2, 500);
    ask("081344440002").await;
    app.deliver().await;
    let outcome = app.deliver().await;
    assert_eq!(outcome["dead"], 1, "{outcome}");
    let code = last_code_to(&providers, "+6281344440002", false);
    assert_eq!(where_code_is_readable(&app, &code), Vec::<String>::new(), "after the dead letter");
    let (status, dead) = app.call(Method::GET, "/api/v1/admin/notifications?state=dead", Some(BOOTSTRAP), None).await;
    assert_eq!(status, 200);
    assert!(!dead.to_string().contains(&code), "{dead}");
    let dead_id = dead["items"][0]["id"].as_i64().unwrap();
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/notifications/{dead_id}/retry"), Some(BOOTSTRAP), None).await;
    assert_eq!(status, 409, "a dead sign-in code is never re-queued");

    // Superseded: a second code for the number before the first went out.
    let token = ask("081344440003").await;
    let first_payload: String = app.db().query_row("SELECT payload FROM notification_outbox WHERE state = 'pending'", [], |r| r.get(0)).unwrap();
    let (status, _) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"phone": "081344440003"}))).await;
    assert_eq!(status, 202);
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'pending'"), 1, "only the newest code waits");
    let first_code = code_in(&first_payload);
    app.deliver().await;
    let second_code = code_sent_to(&providers, "+6281344440003");
    if first_code != second_code {
        assert_eq!(where_code_is_readable(&app, &first_code), Vec::<String>::new(), "after a newer code");
    }
    assert_eq!(providers.delivered("twilio").iter().filter(|r| r.form().iter().any(|(_, v)| v == "+6281344440003")).count(), 1);

    // Expired: five minutes pass (the row's clock is moved back) before any delivery.
    ask("081344440004").await;
    let payload: String = app.db().query_row("SELECT payload FROM notification_outbox WHERE state = 'pending'", [], |r| r.get(0)).unwrap();
    let code = code_in(&payload);
    app.db().execute_batch("UPDATE notification_outbox SET created_at = '2026-01-01T00:00:00.000Z' WHERE state = 'pending'").unwrap();
    let outcome = app.deliver().await;
    assert_eq!((outcome["claimed"].as_i64(), outcome["expired"].as_i64()), (Some(0), Some(1)), "{outcome}");
    assert!(providers.requests_to("twilio").iter().all(|r| !r.form().iter().any(|(_, v)| v == "+6281344440004")), "an expired code is not sent");
    assert_eq!(where_code_is_readable(&app, &code), Vec::<String>::new(), "after expiry");
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'dead' AND last_error LIKE '%expired%'"), 1);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    async fn tokens(app: &TestApp, forwarded_for: &str) -> Vec<u16> {
        let mut statuses = Vec::new();
        for _ in 0..3 {
            let response = app.client.post(app.url("/api/v1/citizens")).header("x-forwarded-for", forwarded_for).send().await.unwrap();
            statuses.push(response.status().as_u16());
        }
        statuses
    }
    let limited = || config().var("citizen_rate_limit_per_address", "2");

    // Requests arrive from 127.0.0.1: as the ingress, it is trusted.
    let app = TestApp::spawn_with(limited().var("trusted_proxies", "10.0.0.0/8, 127.0.0.1")).await;
    assert_eq!(tokens(&app, "203.0.113.1").await, [201, 201, 429]);
    assert_eq!(tokens(&app, "203.0.113.2").await, [201, 201, 429], "another client, another bucket");
    // A client cannot pick its bucket by writing its own entry on the left.
    assert_eq!(tokens(&app, "198.51.100.1, 203.0.113.1").await, [429, 429, 429]);
    app.stop().await;

    // Without trusted proxies the header is ignored: one bucket for the peer.
    let app = TestApp::spawn_with(limited()).await;
    assert_eq!(tokens(&app, "203.0.113.1").await, [201, 201, 429]);
    assert_eq!(tokens(&app, "203.0.113.2").await, [429, 429, 429]);
    app.stop().await;
}
