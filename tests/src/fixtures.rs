//! What many tests start from: the bootstrap administrator, staff of every
//! role in two agencies, a report filed and dispatched, a citizen (with or
//! without a phone proved through the real SMS round trip).

use reqwest::Method;
use serde_json::{json, Value};

use crate::{AppConfig, Providers, TestApp};

/// The bootstrap administrator's token (Spin variable `bootstrap_admin_token`).
pub const BOOTSTRAP: &str = "bootstrap-admin-token-for-tests-0123456789";
pub const AGENCY_A: &str = "pemkot-32.73"; // Kota Bandung
pub const AGENCY_B: &str = "pemkab-32.04"; // Kabupaten Bandung
/// A unit of [`AGENCY_A`].
pub const UNIT_A: &str = "pemkot-32.73/pupr";

impl AppConfig {
    /// [`AppConfig::without_rate_limits`] with the bootstrap admin token [`BOOTSTRAP`].
    pub fn with_bootstrap_admin() -> Self {
        Self::without_rate_limits().var("bootstrap_admin_token", BOOTSTRAP)
    }
}

/// Creates a staff account as `as_token`; returns the new account's token.
pub async fn create_staff(app: &TestApp, as_token: &str, body: Value) -> String {
    let (status, created) = app.call(Method::POST, "/api/v1/staff", Some(as_token), Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["token"].as_str().unwrap().to_string()
}

/// A member of staff of every role: an administrator, and in [`AGENCY_A`] a
/// coordinator, an officer (of [`UNIT_A`]) and an executive; in [`AGENCY_B`]
/// a coordinator. Each field is the account's token.
pub struct Staff {
    pub admin: String,
    pub coordinator_a: String,
    pub officer_a: String,
    pub executive_a: String,
    pub coordinator_b: String,
}

/// Creates [`Staff`], starting from the bootstrap token (the app must have
/// been started with [`AppConfig::with_bootstrap_admin`]).
pub async fn staff(app: &TestApp) -> Staff {
    let admin = create_staff(app, BOOTSTRAP, json!({"role": "admin", "name": "Admin Pusat"})).await;
    let coordinator_a = create_staff(app, &admin, json!({"role": "coordinator", "name": "Koordinator Bandung", "agency": AGENCY_A})).await;
    Staff {
        officer_a: create_staff(app, &coordinator_a, json!({"role": "officer", "name": "Penghubung PUPR", "agency": AGENCY_A, "unit": UNIT_A})).await,
        executive_a: create_staff(app, &admin, json!({"role": "executive", "name": "Wali Kota", "agency": AGENCY_A})).await,
        coordinator_b: create_staff(app, &admin, json!({"role": "coordinator", "name": "Koordinator Kab. Bandung", "agency": AGENCY_B})).await,
        coordinator_a,
        admin,
    }
}

/// Files `report` and has the administrator `admin` verify and dispatch it to
/// `agency`; returns (tracking ID, reporter token).
pub async fn file_and_dispatch(app: &TestApp, report: &Value, admin: &str, agency: &str) -> (String, String) {
    let created = app.file(report).await;
    let id = created["tracking_id"].as_str().unwrap().to_string();
    let (status, body) = app.call(Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(admin), Some(json!({"agency": agency}))).await;
    assert_eq!(status, 200, "{body}");
    (id, created["reporter_token"].as_str().unwrap().to_string())
}

/// A fresh citizen without a phone; returns the citizen token.
pub async fn citizen(app: &TestApp) -> String {
    let (status, body) = app.call(Method::POST, "/api/v1/citizens", None, None).await;
    assert_eq!(status, 201, "{body}");
    assert!(body["phone_verification"].is_null());
    body["citizen_token"].as_str().unwrap().to_string()
}

/// A citizen whose phone is proved through the real SMS round trip (the app
/// started [`AppConfig::with_providers`] `providers`); returns the citizen token.
pub async fn verified_citizen(app: &TestApp, providers: &Providers, phone: &str) -> String {
    let (status, body) = app.call(Method::POST, "/api/v1/citizens", None, Some(json!({"phone": phone}))).await;
    assert_eq!(status, 201, "{body}");
    let token = body["citizen_token"].as_str().unwrap().to_string();
    app.deliver().await;
    let e164 = format!("+62{}", phone.trim_start_matches('0'));
    let code = code_sent_to(providers, &e164);
    let (status, body) = app.call(Method::POST, "/api/v1/citizens/verify", Some(&token), Some(json!({"code": code}))).await;
    assert_eq!(status, 200, "{body}");
    token
}

/// The six-digit code in the last SMS the Twilio stand-in accepted for `to`.
pub fn code_sent_to(providers: &Providers, to: &str) -> String {
    last_code_to(providers, to, true)
}

/// The six-digit code in the last SMS request to `to`: accepted only, or any.
pub fn last_code_to(providers: &Providers, to: &str, accepted_only: bool) -> String {
    let sms = if accepted_only { providers.delivered("twilio") } else { providers.requests_to("twilio") };
    let last = sms.iter().rev().find(|r| r.form().iter().any(|(k, v)| k == "To" && v == to)).expect("an SMS to that number");
    code_in(&last.form().into_iter().find(|(k, _)| k == "Body").unwrap().1)
}

/// The six-digit code in a message text.
pub fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a 6-digit code").to_string()
}

/// Text only a photo's metadata carries: it must never be stored.
pub const GPS_MARKER: &[u8] = b"GPSLatitude-6.914744-GPSLongitude107.609810";

fn jpeg_segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A small baseline JPEG with an EXIF block carrying GPS-like data
/// ([`GPS_MARKER`]) and a comment, as a phone camera writes one.
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend(jpeg_segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(GPS_MARKER);
    jpeg.extend(jpeg_segment(0xE1, &exif));
    jpeg.extend(jpeg_segment(0xFE, b"taken at home of the whistleblower"));
    jpeg.extend(jpeg_segment(0xDB, &[0u8; 65]));
    jpeg.extend(jpeg_segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    jpeg.extend(jpeg_segment(0xC4, &[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    jpeg.extend(jpeg_segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    jpeg.extend_from_slice(&[0x12, 0x34, 0x56]);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}
