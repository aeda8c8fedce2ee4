//! The staff console (`/staf/...`) over raw HTTP: sessions (cookie
//! attributes, idle and absolute expiry, sign-out, a revoked token ends its
//! sessions), CSRF (a post without the session's token, or from another
//! site, is refused and changes nothing), role checks (403 pages), and the
//! workflow through forms: the same actions and rules as the JSON API,
//! post/redirect/get with a flash, a stale form answered 409 with the
//! current state.

use std::time::Duration;

use integration_tests::fixtures::{self, create_staff, file_and_dispatch, AGENCY_A, BOOTSTRAP, UNIT_A};
use integration_tests::{AppConfig, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

fn report(privacy: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": "Saluran air tersumbat di Jl. Braga",
        "body": "Saluran air di depan pasar tersumbat sampah sejak seminggu; air meluap ke jalan setiap hujan.",
        "agency": AGENCY_A,
        "privacy": privacy,
        "reporter": {"name": "Rina Wulandari", "phone": "0812-5555-0101", "email": "rina@example.id"}
    })
}

/// A signed-in browser, as far as the console can tell: the session cookie
/// and the CSRF token of its forms.
struct Session {
    cookie: String,
    csrf: String,
}

/// Signs in with `token`; returns the raw `Set-Cookie` value too.
async fn sign_in(app: &TestApp, token: &str) -> (Session, String) {
    let response = app.client.post(app.url("/staf/masuk")).form(&[("token", token)]).send().await.unwrap();
    assert_eq!(response.status(), 303, "sign-in");
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let (status, html) = get(app, &cookie, "/staf/kotak-masuk?agency=pemkot-32.73").await;
    assert_eq!(status, 200, "{html}");
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).expect("a form with the CSRF token").split('"').next().unwrap().to_string();
    (Session { cookie, csrf }, set_cookie)
}

async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let response = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Posts a form as `session` (with its CSRF token); returns status, Location and body.
async fn post(app: &TestApp, session: &Session, path: &str, fields: &[(&str, &str)]) -> (u16, Option<String>, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", &session.csrf)];
    form.extend_from_slice(fields);
    let response = app.client.post(app.url(path)).header("cookie", &session.cookie).form(&form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    (status, location, response.text().await.unwrap())
}

async fn status_of(app: &TestApp, id: &str) -> String {
    let (_, body) = app.call(Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
    body["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_session_cookie_is_strict_and_staff_pages_are_not_cached_or_framed() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (session, set_cookie) = sign_in(&app, BOOTSTRAP).await;
    let attributes: Vec<&str> = set_cookie.split(';').map(str::trim).collect();
    for wanted in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/staf"] {
        assert!(attributes.contains(&wanted), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Max-Age") && !set_cookie.contains("Expires"), "a browser-session cookie; the server decides expiry: {set_cookie}");
    let response = app.client.get(app.url("/staf/verifikasi")).header("cookie", &session.cookie).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers()["content-security-policy"].to_str().unwrap().ends_with("frame-ancestors 'none'"));
    // Without a session: the sign-in page, 401, never a staff screen.
    let (status, html) = get(&app, "", "/staf/verifikasi").await;
    assert_eq!(status, 401);
    assert!(html.contains("name=\"token\""), "{html}");
    // A wrong token signs nobody in.
    let response = app.client.post(app.url("/staf/masuk")).form(&[("token", "not-a-token")]).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("set-cookie").is_none());
    app.stop().await;
}

#[tokio::test]
async fn administrators_verify_and_agencies_respond_through_forms() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = fixtures::staff(&app).await;
    let filed = app.file(&report("public")).await;
    let id = filed["tracking_id"].as_str().unwrap().to_string();

    let (admin, _) = sign_in(&app, &staff.admin).await;
    let (status, queue) = get(&app, &admin.cookie, "/staf/verifikasi").await;
    assert_eq!(status, 200);
    assert!(queue.contains(&id) && queue.contains("Saluran air tersumbat"), "{queue}");
    assert!(queue.contains(" WIB"), "deadlines in the zone, in words: {queue}");
    let (status, page) = get(&app, &admin.cookie, &format!("/staf/verifikasi/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("+6281255550101"), "administrators see the reporter's identity: {page}");

    // Invalid fields: 422 on the same screen, nothing changed.
    let (status, _, html) = post(&app, &admin, &format!("/staf/verifikasi/{id}/teruskan"), &[("agency", "no such agency"), ("version", "1")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("agency"), "{html}");
    assert_eq!(status_of(&app, &id).await, "submitted");

    let (status, location, _) = post(&app, &admin, &format!("/staf/verifikasi/{id}/teruskan"), &[("agency", AGENCY_A), ("category", "drainase"), ("version", "1")]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/staf/verifikasi")));
    assert_eq!(status_of(&app, &id).await, "dispatched");
    let (_, flashed) = get(&app, &admin.cookie, "/staf/verifikasi").await;
    assert!(flashed.contains(&format!("Laporan {id} kini berstatus")), "the flash: {flashed}");
    let (_, again) = get(&app, &admin.cookie, "/staf/verifikasi").await;
    assert!(!again.contains("kini berstatus"), "a flash is shown once");

    // The coordinator assigns; the officer sees the named reporter's contact
    // (the API's entitlement) and answers with a final response.
    let (coordinator, _) = sign_in(&app, &staff.coordinator_a).await;
    let (status, inbox) = get(&app, &coordinator.cookie, "/staf/kotak-masuk?status=dispatched").await;
    assert_eq!(status, 200);
    assert!(inbox.contains(&id), "{inbox}");
    let (status, _, _) = post(&app, &coordinator, &format!("/staf/kotak-masuk/{id}/tugaskan"), &[("unit", UNIT_A), ("version", "2")]).await;
    assert_eq!(status, 303);
    let (officer, _) = sign_in(&app, &staff.officer_a).await;
    let (_, page) = get(&app, &officer.cookie, &format!("/staf/kotak-masuk/{id}")).await;
    assert!(page.contains("+6281255550101") && page.contains(UNIT_A), "{page}");
    assert!(!page.contains("/tugaskan"), "an officer gets no assign form");
    // A form rendered before the assignment (version 2) is stale now: 409,
    // the current state shown, nothing changed.
    let (status, _, html) = post(&app, &officer, &format!("/staf/kotak-masuk/{id}/tanggapi"), &[("body", "Tim akan membersihkan saluran besok pagi."), ("version", "2")]).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("Laporan telah berubah") && html.contains("name=\"version\" value=\"3\""), "{html}");
    assert_eq!(status_of(&app, &id).await, "dispatched");
    let (status, _, _) = post(&app, &officer, &format!("/staf/kotak-masuk/{id}/tanggapi"), &[("body", "Saluran sudah dibersihkan."), ("final", "true"), ("version", "3")]).await;
    assert_eq!(status, 303);
    assert_eq!(status_of(&app, &id).await, "completed");
    app.stop().await;
}

#[tokio::test]
async fn an_anonymous_reporter_stays_unnamed_to_the_agency_on_the_console_too() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = fixtures::staff(&app).await;
    let (id, _) = file_and_dispatch(&app, &report("anonymous"), &staff.admin, AGENCY_A).await;
    let (officer, _) = sign_in(&app, &staff.officer_a).await;
    let (status, page) = get(&app, &officer.cookie, &format!("/staf/kotak-masuk/{id}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("+6281255550101") && !page.contains("Rina Wulandari") && !page.contains("rina@example.id"), "{page}");
    // Another agency's report does not exist for its staff.
    let (other, _) = sign_in(&app, &staff.coordinator_b).await;
    assert_eq!(get(&app, &other.cookie, &format!("/staf/kotak-masuk/{id}")).await.0, 404);
    app.stop().await;
}

#[tokio::test]
async fn a_post_without_the_sessions_csrf_token_or_from_another_site_changes_nothing() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let filed = app.file(&report("public")).await;
    let id = filed["tracking_id"].as_str().unwrap().to_string();
    let (admin, _) = sign_in(&app, BOOTSTRAP).await;
    let events = || app.count("SELECT count(*) FROM report_events");
    let before = events();
    let path = format!("/staf/verifikasi/{id}/teruskan");
    let fields = [("agency", AGENCY_A), ("version", "1")];
    // No token at all.
    let response = app.client.post(app.url(&path)).header("cookie", &admin.cookie).form(&fields).send().await.unwrap();
    assert_eq!(response.status(), 403);
    // Another session's token.
    let (other, _) = sign_in(&app, BOOTSTRAP).await;
    let mut form = vec![("csrf", other.csrf.as_str())];
    form.extend_from_slice(&fields);
    let response = app.client.post(app.url(&path)).header("cookie", &admin.cookie).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 403);
    // The right token, from another site.
    let mut form = vec![("csrf", admin.csrf.as_str())];
    form.extend_from_slice(&fields);
    for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let response = app.client.post(app.url(&path)).header("cookie", &admin.cookie).header(name, value).form(&form).send().await.unwrap();
        assert_eq!(response.status(), 403, "{name}");
        assert!(response.text().await.unwrap().contains("Tidak ada yang diubah"));
    }
    // Sign-out without the token does not sign out either.
    let response = app.client.post(app.url("/staf/keluar")).header("cookie", &admin.cookie).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(events(), before);
    assert_eq!(status_of(&app, &id).await, "submitted");
    assert_eq!(get(&app, &admin.cookie, "/staf/verifikasi").await.0, 200, "still signed in");
    // The same post with the token (and this site's origin) goes through.
    let origin = app.url("");
    let response = app.client.post(app.url(&path)).header("cookie", &admin.cookie).header("origin", origin.trim_end_matches('/')).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(status_of(&app, &id).await, "dispatched");
    app.stop().await;
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (admin, _) = sign_in(&app, BOOTSTRAP).await;
    let (status, location, _) = post(&app, &admin, "/staf/keluar", &[]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/staf/masuk?keluar=1")));
    let (status, html) = get(&app, &admin.cookie, "/staf/verifikasi").await;
    assert_eq!(status, 401, "{html}");
    assert!(html.contains("Sesi Anda telah berakhir"));
    assert_eq!(app.count("SELECT count(*) FROM staff_sessions WHERE revoked_at IS NOT NULL"), 1);
    app.stop().await;
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin().var("staff_session_idle_seconds", "2")).await;
    let (admin, _) = sign_in(&app, BOOTSTRAP).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(get(&app, &admin.cookie, "/staf/verifikasi").await.0, 200, "used within the idle limit");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(get(&app, &admin.cookie, "/staf/verifikasi").await.0, 200, "each use restarts the idle clock");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(get(&app, &admin.cookie, "/staf/verifikasi").await.0, 401, "idle too long");
    app.stop().await;
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_however_much_it_is_used() {
    let app = TestApp::spawn_with(
        AppConfig::with_bootstrap_admin().var("staff_session_idle_seconds", "60").var("staff_session_absolute_seconds", "4"),
    )
    .await;
    let (admin, _) = sign_in(&app, BOOTSTRAP).await;
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert_eq!(get(&app, &admin.cookie, "/staf/verifikasi").await.0, 200);
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(get(&app, &admin.cookie, "/staf/verifikasi").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn revoking_a_token_ends_the_sessions_opened_with_it() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let admin = create_staff(&app, BOOTSTRAP, json!({"role": "admin", "name": "Admin Pusat"})).await;
    let (status, officer) = app
        .call(Method::POST, "/api/v1/staff", Some(&admin), Some(json!({"role": "officer", "name": "Petugas", "agency": AGENCY_A, "unit": UNIT_A})))
        .await;
    assert_eq!(status, 201);
    let (session, _) = sign_in(&app, officer["token"].as_str().unwrap()).await;
    assert_eq!(get(&app, &session.cookie, "/staf/kotak-masuk").await.0, 200);
    let (status, _) = app.call(Method::DELETE, &format!("/api/v1/staff/{}", officer["id"].as_str().unwrap()), Some(&admin), None).await;
    assert_eq!(status, 204);
    assert_eq!(get(&app, &session.cookie, "/staf/kotak-masuk").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn an_officer_cannot_open_administrators_screens() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = fixtures::staff(&app).await;
    let filed = app.file(&report("public")).await;
    let id = filed["tracking_id"].as_str().unwrap().to_string();
    let (officer, _) = sign_in(&app, &staff.officer_a).await;
    for path in ["/staf/verifikasi".to_string(), format!("/staf/verifikasi/{id}"), "/staf/kalender".into(), "/staf/akun".into()] {
        let (status, html) = get(&app, &officer.cookie, &path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Tidak diizinkan") && html.contains("<html lang=\"id\""), "{path}: a page, not a problem: {html}");
    }
    let (status, _, _) = post(&app, &officer, &format!("/staf/verifikasi/{id}/teruskan"), &[("agency", AGENCY_A)]).await;
    assert_eq!(status, 403);
    assert_eq!(status_of(&app, &id).await, "submitted");
    // In English when asked.
    let (_, html) = get(&app, &officer.cookie, "/staf/kalender?lang=en").await;
    assert!(html.contains("Not allowed"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn accounts_calendar_and_moderation_from_the_console() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let (admin, _) = sign_in(&app, BOOTSTRAP).await;
    // A new account's token is shown once, and works.
    let (status, location, _) = post(&app, &admin, "/staf/akun", &[("role", "coordinator"), ("name", "Koordinator Baru"), ("agency", AGENCY_A)]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/staf/akun")));
    let (_, page) = get(&app, &admin.cookie, "/staf/akun").await;
    let token = page.split("<code class=\"secret\">").nth(1).expect("the token, once").split('<').next().unwrap().to_string();
    assert!(page.contains("Koordinator Baru"));
    assert!(!get(&app, &admin.cookie, "/staf/akun").await.1.contains("class=\"secret\""), "shown once");
    let (status, _) = app.call(Method::GET, "/api/v1/agency/reports", Some(&token), None).await;
    assert_eq!(status, 200, "the shown token is the account's");
    // An invalid account: 422 on the same page.
    let (status, _, html) = post(&app, &admin, "/staf/akun", &[("role", "officer"), ("name", "Tanpa Instansi")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("agency"), "{html}");

    // Calendar: add a day, then remove it.
    let (status, location, _) = post(&app, &admin, "/staf/kalender", &[("date", "2026-12-30"), ("name", "Libur contoh"), ("kind", "holiday")]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/staf/kalender?year=2026")));
    assert_eq!(app.count("SELECT count(*) FROM holidays WHERE date = '2026-12-30'"), 1);
    let (status, _, _) = post(&app, &admin, "/staf/kalender/2026-12-30/hapus", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(app.count("SELECT count(*) FROM holidays WHERE date = '2026-12-30'"), 0);

    // Moderation: hide a comment, then restore it.
    let admin_token = create_staff(&app, BOOTSTRAP, json!({"role": "admin", "name": "Admin"})).await;
    let (id, _) = file_and_dispatch(&app, &report("public"), &admin_token, AGENCY_A).await;
    let citizen = fixtures::citizen(&app).await;
    let (status, comment) = app.call(Method::POST, &format!("/api/v1/reports/{id}/comments"), Some(&citizen), Some(json!({"body": "Di depan rumah saya juga."}))).await;
    assert_eq!(status, 201);
    let comment_id = comment["id"].as_str().unwrap();
    let (status, _, _) = post(&app, &admin, &format!("/staf/komentar/{comment_id}/sembunyikan"), &[]).await;
    assert_eq!(status, 303);
    let (_, hidden) = get(&app, &admin.cookie, "/staf/komentar?state=hidden").await;
    assert!(hidden.contains("Di depan rumah saya juga."), "{hidden}");
    let (_, comments) = app.call(Method::GET, &format!("/api/v1/reports/{id}/comments"), None, None).await;
    assert_eq!(comments["items"].as_array().unwrap().len(), 0);
    let (status, _, _) = post(&app, &admin, &format!("/staf/komentar/{comment_id}/tampilkan"), &[]).await;
    assert_eq!(status, 303);
    let (_, comments) = app.call(Method::GET, &format!("/api/v1/reports/{id}/comments"), None, None).await;
    assert_eq!(comments["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}

/// Posts `fields` without the session's CSRF token: refused, 403.
async fn post_without_csrf(app: &TestApp, session: &Session, path: &str, fields: &[(&str, &str)]) -> u16 {
    app.client.post(app.url(path)).header("cookie", &session.cookie).form(fields).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn administrators_keep_the_categories_from_the_console() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = fixtures::staff(&app).await;
    let (admin, _) = sign_in(&app, &staff.admin).await;
    let (status, page) = get(&app, &admin.cookie, "/staf/kategori").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("href=\"/staf/kategori\" aria-current=\"page\""), "in the administrators' menu: {page}");
    assert!(page.contains("drainase"), "the seeded taxonomy: {page}");
    let categories = || app.count("SELECT count(*) FROM categories");
    let before = categories();

    // Invalid fields: 422, each message beside its field, values kept, nothing added.
    let (status, _, html) = post(&app, &admin, "/staf/kategori", &[("code", "Kode Salah"), ("name_id", "Sekolah Rakyat"), ("name_en", "")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"category-code-error\"") && html.contains("id=\"category-name-en-error\""), "{html}");
    assert!(html.contains("aria-describedby=\"category-code-hint category-code-error\""), "{html}");
    assert!(html.contains("value=\"Kode Salah\"") && html.contains("value=\"Sekolah Rakyat\""), "values kept: {html}");
    assert_eq!(categories(), before);
    // A sub-topic under a sub-topic is refused by the same rule as the API's.
    let (status, _, html) = post(&app, &admin, "/staf/kategori", &[("code", "gigi-anak"), ("parent", "drainase"), ("name_id", "Gigi anak"), ("name_en", "Children's teeth")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"category-parent-error\""), "{html}");
    assert_eq!(categories(), before);

    // Without the session's token: refused, nothing added.
    assert_eq!(post_without_csrf(&app, &admin, "/staf/kategori", &[("code", "sekolah-rakyat"), ("name_id", "Sekolah Rakyat"), ("name_en", "People's Schools")]).await, 403);
    assert_eq!(categories(), before);

    // Add a topic and a sub-topic, rename, retire and restore.
    let (status, location, _) = post(&app, &admin, "/staf/kategori", &[("code", "sekolah-rakyat"), ("name_id", "Sekolah Rakyat"), ("name_en", "People's Schools")]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/staf/kategori?topik=sekolah-rakyat")));
    let (status, _, _) = post(&app, &admin, "/staf/kategori", &[("code", "sekolah-rakyat-guru"), ("parent", "sekolah-rakyat"), ("name_id", "Guru"), ("name_en", "Teachers")]).await;
    assert_eq!(status, 303);
    let (status, sub) = app.call(Method::GET, "/api/v1/categories/sekolah-rakyat-guru", None, None).await;
    assert_eq!((status, sub["parent"].as_str()), (200, Some("sekolah-rakyat")), "{sub}");
    let (_, flashed) = get(&app, &admin.cookie, "/staf/kategori").await;
    assert!(flashed.contains("Kategori sekolah-rakyat-guru ditambahkan."), "{flashed}");
    // A code is never reused.
    let (status, _, html) = post(&app, &admin, "/staf/kategori", &[("code", "sekolah-rakyat"), ("name_id", "Lagi"), ("name_en", "Again")]).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("id=\"category-code-error\""), "{html}");

    let (status, _, _) = post(&app, &admin, "/staf/kategori/sekolah-rakyat-guru/ubah", &[("name_id", "Guru dan tenaga pendidik"), ("name_en", "Teachers and staff")]).await;
    assert_eq!(status, 303);
    let (_, sub) = app.call(Method::GET, "/api/v1/categories/sekolah-rakyat-guru", None, None).await;
    assert_eq!(sub["name_en"], "Teachers and staff");
    // A rename with an empty name: 422 beside that row's field, nothing changed.
    let (status, _, html) = post(&app, &admin, "/staf/kategori/sekolah-rakyat-guru/ubah", &[("name_id", ""), ("name_en", "")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"rename-sekolah-rakyat-guru-error\""), "{html}");
    let (_, sub) = app.call(Method::GET, "/api/v1/categories/sekolah-rakyat-guru", None, None).await;
    assert_eq!(sub["name_id"], "Guru dan tenaga pendidik");

    let (status, _, _) = post(&app, &admin, "/staf/kategori/sekolah-rakyat/pensiunkan", &[]).await;
    assert_eq!(status, 303);
    let (_, topic) = app.call(Method::GET, "/api/v1/categories/sekolah-rakyat", None, None).await;
    assert!(topic["retired_at"].is_string(), "{topic}");
    let (_, page) = get(&app, &admin.cookie, "/staf/kategori?topik=sekolah-rakyat").await;
    assert!(page.contains("Tidak dipakai sejak") && page.contains("/staf/kategori/sekolah-rakyat/pulihkan"), "retired, marked: {page}");
    // A sub-topic comes back only under an active topic (the API's rule).
    let (status, _, _) = post(&app, &admin, "/staf/kategori/sekolah-rakyat-guru/pensiunkan", &[]).await;
    assert_eq!(status, 303);
    let (status, _, html) = post(&app, &admin, "/staf/kategori/sekolah-rakyat-guru/pulihkan", &[]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("pulihkan topik itu lebih dulu"), "{html}");
    let (status, _, _) = post(&app, &admin, "/staf/kategori/sekolah-rakyat/pulihkan", &[]).await;
    assert_eq!(status, 303);
    let (_, topic) = app.call(Method::GET, "/api/v1/categories/sekolah-rakyat", None, None).await;
    assert!(topic["retired_at"].is_null(), "{topic}");
    assert_eq!(post(&app, &admin, "/staf/kategori/tidak-ada/ubah", &[("name_id", "X y"), ("name_en", "X y")]).await.0, 404);

    // Not an administrator: 403 pages, nothing changed; no menu entry.
    let (coordinator, _) = sign_in(&app, &staff.coordinator_a).await;
    let (status, html) = get(&app, &coordinator.cookie, "/staf/kategori").await;
    assert_eq!(status, 403);
    assert!(html.contains("Tidak diizinkan") && !html.contains("href=\"/staf/kategori\""), "{html}");
    assert_eq!(post(&app, &coordinator, "/staf/kategori/sekolah-rakyat/pensiunkan", &[]).await.0, 403);
    let (_, topic) = app.call(Method::GET, "/api/v1/categories/sekolah-rakyat", None, None).await;
    assert!(topic["retired_at"].is_null(), "{topic}");
    app.stop().await;
}

#[tokio::test]
async fn administrators_set_an_agencys_embed_origins_from_the_console() {
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = fixtures::staff(&app).await;
    let (admin, _) = sign_in(&app, &staff.admin).await;
    let origins = || async { app.call(Method::GET, &format!("/api/v1/agencies/{AGENCY_A}/embed-origins"), Some(&staff.admin), None).await.1["origins"].clone() };

    // Search by words, then the agency's screen: any website, the snippet.
    let (status, found) = get(&app, &admin.cookie, "/staf/embed?agency=kota+bandung").await;
    assert_eq!(status, 200, "{found}");
    assert!(found.contains(&format!("/staf/embed?agency={AGENCY_A}")), "{found}");
    let (status, page) = get(&app, &admin.cookie, &format!("/staf/embed?agency={AGENCY_A}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Semua situs boleh"), "{page}");
    assert!(page.contains(&format!("/embed.js&quot; data-agency=&quot;{AGENCY_A}&quot; async&gt;&lt;/script&gt;")), "the snippet: {page}");
    assert_eq!(get(&app, &admin.cookie, "/staf/embed?agency=tidak-ada-sama-sekali").await.0, 404);

    // A bad line: 422, named beside the textarea, the text kept, nothing changed.
    let path = format!("/staf/embed/{AGENCY_A}");
    let (status, _, html) = post(&app, &admin, &path, &[("origins", "https://bandung.go.id\n\nhttp://tidak-aman.go.id\n")]).await;
    assert_eq!(status, 422, "{html}");
    let error = html.split("id=\"origins-error\"").nth(1).expect("the error beside the textarea");
    assert!(error.contains("Baris 3 (http://tidak-aman.go.id)"), "{html}");
    assert!(html.contains("aria-describedby=\"origins-hint origins-error\"") && html.contains("https://bandung.go.id\n\nhttp://tidak-aman.go.id"), "{html}");
    assert_eq!(origins().await, json!([]));

    // Without the session's token: refused, nothing changed.
    assert_eq!(post_without_csrf(&app, &admin, &path, &[("origins", "https://bandung.go.id")]).await, 403);
    assert_eq!(origins().await, json!([]));

    // The list replaced; then emptied again (any website).
    let (status, location, _) = post(&app, &admin, &path, &[("origins", "https://www.bandung.go.id\r\nhttps://bandung.go.id\r\n")]).await;
    assert_eq!((status, location.as_deref()), (303, Some(format!("/staf/embed?agency={AGENCY_A}").as_str())));
    assert_eq!(origins().await, json!(["https://bandung.go.id", "https://www.bandung.go.id"]));
    let (_, page) = get(&app, &admin.cookie, &format!("/staf/embed?agency={AGENCY_A}")).await;
    assert!(page.contains("(2 origin)") && page.contains("<code>https://www.bandung.go.id</code>"), "{page}");
    let (status, _, _) = post(&app, &admin, &path, &[("origins", "")]).await;
    assert_eq!(status, 303);
    assert_eq!(origins().await, json!([]));

    // Not an administrator: 403, nothing changed.
    let (coordinator, _) = sign_in(&app, &staff.coordinator_a).await;
    assert_eq!(get(&app, &coordinator.cookie, &format!("/staf/embed?agency={AGENCY_A}")).await.0, 403);
    assert_eq!(post(&app, &coordinator, &path, &[("origins", "https://bandung.go.id")]).await.0, 403);
    assert_eq!(origins().await, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn administrators_send_dead_notifications_again_from_the_console() {
    let providers = integration_tests::Providers::start();
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin().with_providers(&providers).var("notify_max_attempts", "3")).await;
    let staff = fixtures::staff(&app).await;
    let mut filed = report("anonymous");
    filed["reporter"] = json!({"phone": "081355556666"});
    let created = app.file(&filed).await;
    let id = created["tracking_id"].as_str().unwrap().to_string();
    providers.fail_next("twilio", 3, 500);
    let (status, _) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/hold"), Some(BOOTSTRAP), Some(json!({"reason": "Mohon kirim foto lokasi."}))).await;
    assert_eq!(status, 200);
    for _ in 0..3 {
        app.deliver().await;
    }
    let dead = || app.count("SELECT count(*) FROM notification_outbox WHERE state = 'dead'");
    assert_eq!(dead(), 1);
    let row: i64 = app.db().query_row("SELECT id FROM notification_outbox WHERE state = 'dead'", [], |r| r.get(0)).unwrap();
    // A stale sign-in code: dead, but never sent again.
    app.db()
        .execute_batch("INSERT INTO notification_outbox (kind, channel, address, payload, state, next_attempt_at, created_at)
                        VALUES ('sign_in_code', 'sms', '+6281355557777', '{}', 'dead', '2026-01-01', '2026-01-01')")
        .unwrap();
    let stale: i64 = app.db().query_row("SELECT max(id) FROM notification_outbox", [], |r| r.get(0)).unwrap();

    let (admin, _) = sign_in(&app, &staff.admin).await;
    let (status, page) = get(&app, &admin.cookie, "/staf/notifikasi").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&format!("#{row}")) && page.contains(&id) && page.contains("HTTP 500") && page.contains("on_hold"), "{page}");
    assert!(!page.contains("55556666") && !page.contains("55557777"), "addresses masked: {page}");
    assert!(page.contains(&format!("/staf/notifikasi/{row}/kirim-ulang")), "{page}");

    // Without the session's token: refused, still dead.
    assert_eq!(post_without_csrf(&app, &admin, &format!("/staf/notifikasi/{row}/kirim-ulang"), &[]).await, 403);
    assert_eq!(dead(), 2);
    // The sign-in code is refused by the API's rule: 409 on the same screen.
    let (status, _, html) = post(&app, &admin, &format!("/staf/notifikasi/{stale}/kirim-ulang"), &[]).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("Tidak dikirim ulang") && html.contains("kode masuk sudah kedaluwarsa"), "{html}");
    assert_eq!(dead(), 2);
    assert_eq!(post(&app, &admin, "/staf/notifikasi/999999/kirim-ulang", &[]).await.0, 404);

    // Not an administrator: 403, still dead.
    let (coordinator, _) = sign_in(&app, &staff.coordinator_a).await;
    assert_eq!(get(&app, &coordinator.cookie, "/staf/notifikasi").await.0, 403);
    assert_eq!(post(&app, &coordinator, &format!("/staf/notifikasi/{row}/kirim-ulang"), &[]).await.0, 403);
    assert_eq!(dead(), 2);

    // Sent again: back in the queue, delivered once the provider works.
    let (status, location, _) = post(&app, &admin, &format!("/staf/notifikasi/{row}/kirim-ulang"), &[]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/staf/notifikasi")));
    let (_, page) = get(&app, &admin.cookie, "/staf/notifikasi").await;
    assert!(page.contains(&format!("Pemberitahuan #{row} kembali ke antrean")) && !page.contains(&format!("/staf/notifikasi/{row}/kirim-ulang")), "{page}");
    assert_eq!(app.deliver().await["sent"], 1);
    app.stop().await;
}
