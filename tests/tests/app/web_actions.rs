//! The tracking page's forms over raw HTTP (no browser): a form without its
//! token, or from another site, changes nothing; the first action makes a
//! citizen identity with the cookie attributes the design promises; success
//! is a 303 back to the page, a mistake the page again (422) with the
//! messages and the typed values; the reporter's forms and a confidential
//! report's "not found" leak nothing more than the API does.

use integration_tests::fixtures::{create_staff, file_and_dispatch, staff, AGENCY_A, BOOTSTRAP};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

fn report(privacy: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": "Lampu jalan padam di Jl. Asia Afrika",
        "body": "Sudah tiga minggu lampu jalan di depan gedung padam, jalan gelap sekali pada malam hari.",
        "privacy": privacy,
        "reporter": {"name": "Rina", "email": "rina@example.id"}
    })
}

/// The anti-forgery token of the page's forms (the same in every form).
fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("the page has forms") + "name=\"csrf\" value=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

struct Answer {
    status: u16,
    location: Option<String>,
    cookie: Option<String>,
    body: String,
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Answer {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    answer(request.send().await.unwrap()).await
}

async fn post(app: &TestApp, path: &str, cookie: Option<&str>, extra: &[(&str, &str)], fields: &[(&str, &str)]) -> Answer {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let mut request = app.client.post(app.url(path)).header("content-type", "application/x-www-form-urlencoded").body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    answer(request.send().await.unwrap()).await
}

async fn answer(response: reqwest::Response) -> Answer {
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (status, location, cookie) = (response.status().as_u16(), header("location"), header("set-cookie"));
    Answer { status, location, cookie, body: response.text().await.unwrap() }
}

/// `name=value` of a Set-Cookie line, to send back.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

async fn dispatched(app: &TestApp, privacy: &str) -> (String, String) {
    let admin = create_staff(app, BOOTSTRAP, json!({"role": "admin", "name": "Admin Pusat"})).await;
    file_and_dispatch(app, &report(privacy), &admin, AGENCY_A).await
}

#[tokio::test]
async fn a_forged_form_is_refused_and_changes_nothing() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (id, _) = dispatched(&app, "public").await;
    let page = format!("/lapor/{id}");
    let csrf = csrf_of(&get(&app, &page, None).await.body);
    let support = format!("{page}/dukung");
    for (what, extra, fields) in [
        ("no token", vec![], vec![("action", "add")]),
        ("a wrong token", vec![], vec![("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("action", "add")]),
        ("another site's origin", vec![("origin", "https://evil.example")], vec![("csrf", csrf.as_str()), ("action", "add")]),
        ("a cross-site fetch", vec![("sec-fetch-site", "cross-site")], vec![("csrf", csrf.as_str()), ("action", "add")]),
    ] {
        let answer = post(&app, &support, None, &extra, &fields).await;
        assert_eq!(answer.status, 403, "{what}");
        assert!(answer.body.contains("Tidak ada yang diubah"), "{what}: {}", answer.body);
        assert!(answer.cookie.is_none(), "{what}: no identity is made");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM supports"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM citizens"), 0);

    // A token is bound to the cookies it was rendered for: the anonymous
    // page's token does not work with someone's identity cookie.
    let first = post(&app, &support, None, &[("origin", &app.url("").trim_end_matches('/').to_string())], &[("csrf", &csrf), ("action", "add")]).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let cookie = pair(&first.cookie.unwrap());
    let replayed = post(&app, &format!("{page}/komentar"), Some(&cookie), &[], &[("csrf", &csrf), ("body", "Saya juga melihatnya.")]).await;
    assert_eq!(replayed.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM comments"), 0);
    app.stop().await;
}

#[tokio::test]
async fn the_first_action_makes_an_identity_cookie_and_redirects_back() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (id, _) = dispatched(&app, "anonymous").await;
    let page = format!("/lapor/{id}");
    let csrf = csrf_of(&get(&app, &page, None).await.body);
    let answer = post(&app, &format!("{page}/dukung?lang=en"), None, &[("sec-fetch-site", "same-origin")], &[("csrf", &csrf), ("action", "add")]).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some(format!("/lapor/{id}?ok=dukung&lang=en#dukungan").as_str()));
    let set_cookie = answer.cookie.expect("an identity cookie");
    assert!(set_cookie.starts_with("lapor_citizen="), "{set_cookie}");
    let attributes: Vec<&str> = set_cookie.split(';').skip(1).map(str::trim).collect();
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(attributes.contains(&attribute), "{attribute} in {set_cookie}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM supports"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM citizens"), 1);

    // The cookie is an API citizen token like any other.
    let cookie = pair(&set_cookie);
    let token = cookie.trim_start_matches("lapor_citizen=");
    let (status, me) = app.call(Method::GET, "/api/v1/citizens/me", Some(token), None).await;
    assert_eq!((status, me["type"].as_str().or(Some("citizen"))), (200, Some("citizen")), "{me}");
    let (_, count) = app.call(Method::GET, &format!("/api/v1/reports/{id}/supports"), Some(token), None).await;
    assert_eq!(count, json!({"supports": 1, "supported": true}));

    // Back on the page: the confirmation, the count, and the way to withdraw.
    let shown = get(&app, &format!("/lapor/{id}?ok=dukung&lang=en"), Some(&cookie)).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Your support is counted") && shown.body.contains("Withdraw support"), "{}", shown.body);
    // The same person again: still one support (the API's rule).
    let csrf = csrf_of(&shown.body);
    let again = post(&app, &format!("{page}/dukung"), Some(&cookie), &[], &[("csrf", &csrf), ("action", "add")]).await;
    assert_eq!((again.status, again.cookie), (303, None));
    assert_eq!(app.count("SELECT COUNT(*) FROM supports"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM citizens"), 1);
    app.stop().await;
}

#[tokio::test]
async fn mistakes_come_back_as_the_page_with_messages_and_values() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (id, _) = dispatched(&app, "public").await;
    let page = format!("/lapor/{id}");
    let csrf = csrf_of(&get(&app, &page, None).await.body);
    let answer = post(&app, &format!("{page}/komentar"), None, &[], &[("csrf", &csrf), ("display_name", "Admin LAPOR"), ("body", "  ")]).await;
    assert_eq!(answer.status, 422);
    assert!(answer.body.contains("id=\"comment-body-error\"") && answer.body.contains("id=\"comment-name-error\""), "{}", answer.body);
    assert!(answer.body.contains("value=\"Admin LAPOR\""), "the typed name is kept");
    assert!(answer.body.contains("aria-invalid=\"true\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM comments"), 0);
    // Refused before anything was written: not even an identity.
    assert!(answer.cookie.is_none());
    assert_eq!(app.count("SELECT COUNT(*) FROM citizens"), 0);
    let fixed = post(&app, &format!("{page}/komentar"), None, &[], &[("csrf", &csrf), ("display_name", "Budi"), ("body", "Di depan rumah saya juga.")]).await;
    assert_eq!(fixed.status, 303);
    assert_eq!(fixed.location.as_deref(), Some(format!("/lapor/{id}?ok=komentar#komentar").as_str()));
    assert_eq!(app.count("SELECT COUNT(*) FROM comments"), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM citizens"), 1);
    let cookie = pair(&fixed.cookie.expect("the identity made for the comment"));
    let csrf = csrf_of(&get(&app, &page, Some(&cookie)).await.body);

    // Wrong reporter codes and bad follow addresses, beside their fields.
    let claimed = post(&app, &format!("{page}/pelapor"), Some(&cookie), &[], &[("csrf", &csrf), ("token", "not-the-token")]).await;
    assert_eq!(claimed.status, 422);
    assert!(claimed.body.contains("id=\"reporter-token-error\""));
    let bad_follow = post(&app, &format!("{page}/kawal"), Some(&cookie), &[], &[("csrf", &csrf), ("channel", "email"), ("address", "bukan-email")]).await;
    assert_eq!(bad_follow.status, 422);
    assert!(bad_follow.body.contains("value=\"bukan-email\"") && bad_follow.body.contains("id=\"follow-address-error\""));
    app.stop().await;
}

#[tokio::test]
async fn the_reporter_acts_from_the_page_and_confidential_reports_stay_hidden() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = staff(&app).await;
    let (id, token) = file_and_dispatch(&app, &report("public"), &staff.admin, AGENCY_A).await;
    let page = format!("/lapor/{id}");
    let csrf = csrf_of(&get(&app, &page, None).await.body);
    let claimed = post(&app, &format!("{page}/pelapor"), None, &[], &[("csrf", &csrf), ("token", &token)]).await;
    assert_eq!(claimed.status, 303);
    let set_cookie = claimed.cookie.unwrap();
    assert!(set_cookie.starts_with(&format!("lapor_token={token};")) && set_cookie.contains(&format!("Path=/lapor/{id}")), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("Secure"));
    let cookie = pair(&set_cookie);
    let mine = get(&app, &page, Some(&cookie)).await;
    assert!(mine.body.contains("Untuk pelapor") && !mine.body.contains("reply-body"), "no reply while dispatched");
    let csrf = csrf_of(&mine.body);
    let early = post(&app, &format!("{page}/balas"), Some(&cookie), &[], &[("csrf", &csrf), ("body", "Belum ada perbaikan sama sekali.")]).await;
    assert_eq!(early.status, 409, "{}", early.body);

    let (status, body) = app.call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&staff.coordinator_a), Some(json!({"body": "Petugas akan memperbaiki lampu besok."}))).await;
    assert_eq!(body["status"], "responded", "{status} {body}");
    let rating = post(&app, &format!("{page}/nilai"), Some(&cookie), &[], &[("csrf", &csrf), ("score", "9")]).await;
    assert_eq!(rating.status, 422);
    assert!(rating.body.contains("id=\"rate-score-error\""));
    let rating = post(&app, &format!("{page}/nilai"), Some(&cookie), &[], &[("csrf", &csrf), ("score", "4"), ("comment", "Cepat.")]).await;
    assert_eq!((rating.status, rating.location.as_deref()), (303, Some(format!("/lapor/{id}?ok=nilai#pelapor").as_str())));
    let reply = post(&app, &format!("{page}/balas"), Some(&cookie), &[], &[("csrf", &csrf), ("body", "Lampu baru menyala satu malam.")]).await;
    assert_eq!(reply.status, 303);
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), Some(&token), None).await;
    assert_eq!(view["status"], "dispatched");
    // Without the cookie, the reporter's forms are refused.
    let anonymous_csrf = csrf_of(&get(&app, &page, None).await.body);
    let stranger = post(&app, &format!("{page}/balas"), None, &[], &[("csrf", &anonymous_csrf), ("body", "Saya bukan pelapornya.")]).await;
    assert_eq!(stranger.status, 403);

    // A confidential report: without its token, exactly an unknown report's page.
    let (secret_id, secret_token) = file_and_dispatch(&app, &report("confidential"), &staff.admin, AGENCY_A).await;
    let unknown_id = lapor_domain::tracking_id::TrackingId::generate([7; 9]).to_string();
    let hidden = get(&app, &format!("/lapor/{secret_id}"), None).await;
    let unknown = get(&app, &format!("/lapor/{unknown_id}"), None).await;
    assert_eq!((hidden.status, unknown.status), (404, 404));
    assert_eq!(hidden.body.replace(&secret_id, "ID"), unknown.body.replace(&unknown_id, "ID"));
    let csrf = csrf_of(&hidden.body);
    let wrong = post(&app, &format!("/lapor/{secret_id}/pelapor"), None, &[], &[("csrf", &csrf), ("token", &token)]).await;
    let wrong_unknown = post(&app, &format!("/lapor/{unknown_id}/pelapor"), None, &[], &[("csrf", &csrf), ("token", &token)]).await;
    assert_eq!((wrong.status, wrong_unknown.status), (404, 404));
    assert_eq!(wrong.body.replace(&secret_id, "ID"), wrong_unknown.body.replace(&unknown_id, "ID"));
    let right = post(&app, &format!("/lapor/{secret_id}/pelapor"), None, &[], &[("csrf", &csrf), ("token", &secret_token)]).await;
    assert_eq!(right.status, 303);
    let shown = get(&app, &format!("/lapor/{secret_id}"), Some(&pair(&right.cookie.unwrap()))).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Lampu jalan padam") && !shown.body.contains("id=\"komentar\""), "no comments on a confidential report");
    app.stop().await;
}

async fn upload(app: &TestApp, path: &str, cookie: &str, csrf: &str, file: Vec<u8>, name: &str) -> Answer {
    let boundary = "----lapor-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let request = app
        .client
        .post(app.url(path))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", cookie)
        .body(body);
    answer(request.send().await.unwrap()).await
}

#[tokio::test]
async fn the_reporter_attaches_a_photo_from_the_page_without_its_metadata() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (id, token) = dispatched(&app, "public").await;
    let page = format!("/lapor/{id}");
    let csrf = csrf_of(&get(&app, &page, None).await.body);
    let claimed = post(&app, &format!("{page}/pelapor"), None, &[], &[("csrf", &csrf), ("token", &token)]).await;
    let cookie = pair(&claimed.cookie.unwrap());
    let csrf = csrf_of(&get(&app, &page, Some(&cookie)).await.body);

    let refused = upload(&app, &format!("{page}/lampiran"), &cookie, &csrf, b"<html><script>alert(1)</script>".to_vec(), "foto.jpg").await;
    assert_eq!(refused.status, 415, "a file that is no photo or PDF: {}", refused.body);
    assert!(refused.body.contains("JPEG, PNG"), "the page says what is accepted: {}", refused.body);
    assert_eq!(app.count("SELECT count(*) FROM attachments"), 0, "nothing stored");

    let sent = upload(&app, &format!("{page}/lampiran"), &cookie, &csrf, integration_tests::fixtures::jpeg_with_gps(), "foto.jpg").await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let stored: Vec<u8> = app.db().query_row("SELECT data FROM attachments", [], |r| r.get(0)).unwrap();
    assert!(!stored.windows(12).any(|w| w == b"whistleblowe"), "the comment segment is gone");
    let (_, view) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), Some(&token), None).await;
    assert_eq!(view["attachments"].as_array().map(Vec::len), Some(1), "{view}");
    // Without the reporter's cookie: refused, nothing stored.
    let stranger_csrf = csrf_of(&get(&app, &page, None).await.body);
    let stranger = upload(&app, &format!("{page}/lampiran"), "lapor_citizen=nobody", &stranger_csrf, integration_tests::fixtures::jpeg_with_gps(), "foto.jpg").await;
    assert!(stranger.status == 403 || stranger.status == 401, "{}", stranger.status);
    assert_eq!(app.count("SELECT count(*) FROM attachments"), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_citizen_proves_a_phone_from_the_page_and_follows_by_sms() {
    let providers = integration_tests::Providers::start();
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin().with_providers(&providers)).await;
    let (id, _) = dispatched(&app, "public").await;
    let page = format!("/lapor/{id}");
    let csrf = csrf_of(&get(&app, &page, None).await.body);
    let sent = post(&app, &format!("{page}/telepon"), None, &[], &[("csrf", &csrf), ("phone", "0812-9876-5432")]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let cookie = pair(&sent.cookie.expect("the first action makes the identity"));
    app.deliver().await;
    let code = integration_tests::fixtures::code_sent_to(&providers, "+6281298765432");
    let csrf = csrf_of(&get(&app, &page, Some(&cookie)).await.body);
    let wrong = post(&app, &format!("{page}/telepon"), Some(&cookie), &[], &[("csrf", &csrf), ("step", "prove"), ("code", if code == "000000" { "111111" } else { "000000" })]).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("Kode salah"), "{}", wrong.body);
    let proved = post(&app, &format!("{page}/telepon"), Some(&cookie), &[], &[("csrf", &csrf), ("step", "prove"), ("code", &code)]).await;
    assert_eq!(proved.status, 303, "{}", proved.body);
    assert_eq!(app.count("SELECT count(*) FROM citizens WHERE phone = '+6281298765432' AND phone_verified_at IS NOT NULL"), 1);
    let follow = post(&app, &format!("{page}/kawal"), Some(&cookie), &[], &[("csrf", &csrf), ("channel", "sms"), ("address", "0812-9876-5432")]).await;
    assert_eq!(follow.status, 303, "{}", follow.body);
    assert_eq!(app.count("SELECT count(*) FROM follows WHERE channel = 'sms' AND address = '+6281298765432'"), 1);
    app.stop().await;
}
