//! SMS and WhatsApp (`functions/messaging`): the three webhooks, each with
//! its provider's signature and payload, driven over real HTTP; replies to
//! WhatsApp Cloud API messages and notifications reach the local provider
//! stand-ins through `notify`.

use futures::future::join_all;
use integration_tests::fixtures::{staff, AGENCY_A};
use integration_tests::{AppConfig, TestApp};
use lapor_domain::message::signature;
use lapor_domain::notification::sms_segments;
use reqwest::Method;
use serde_json::{json, Value};
use test_support::Providers;

const GATEWAY_SECRET: &str = "gateway-secret-for-tests-0123456789";
const APP_SECRET: &str = "whatsapp-app-secret-for-tests-0123";
const VERIFY_TOKEN: &str = "whatsapp-verify-token-for-tests";
/// What Twilio is told our webhook's address is (`public_base_url`).
const PUBLIC_BASE: &str = "https://lapor.example.go.id";
const CITIZEN: &str = "+6281234500001";
const NEIGHBOUR: &str = "+6281234500002";
const REPORT_TEXT: &str = "Jalan di depan SDN 3 Cibeunying berlubang besar sejak sebulan, sudah dua motor jatuh.";

fn config(providers: &Providers) -> AppConfig {
    AppConfig::with_bootstrap_admin()
        .with_providers(providers)
        .var("public_base_url", PUBLIC_BASE)
        .var("sms_gateway_secret", GATEWAY_SECRET)
        .var("whatsapp_app_secret", APP_SECRET)
        .var("whatsapp_verify_token", VERIFY_TOKEN)
        .var("sms_rate_limit_per_number", "0")
}

/// The three ways a message arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hook {
    Twilio,
    Gateway,
    WhatsApp,
}

const HOOKS: [Hook; 3] = [Hook::Twilio, Hook::Gateway, Hook::WhatsApp];

fn twilio_form(id: &str, from: &str, text: &str) -> Vec<(String, String)> {
    [("MessageSid", id), ("AccountSid", Providers::TWILIO_ACCOUNT_SID), ("From", from), ("To", "1708"), ("Body", text), ("SmsStatus", "received"), ("NumMedia", "0")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn encode(form: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish()
}

fn cloud_payload(messages: Value) -> Value {
    json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "621708", "phone_number_id": Providers::WHATSAPP_PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Warga"}, "wa_id": "6281234500001"}],
        "messages": messages}}]}]})
}

fn cloud_text(id: &str, from: &str, text: &str) -> Value {
    cloud_payload(json!([{"from": from.trim_start_matches('+'), "id": id, "timestamp": "1764650000", "type": "text", "text": {"body": text}}]))
}

/// The signed request a provider would make; (status, the reply text if any, raw body).
async fn post_raw(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, String)]) -> (u16, String) {
    let mut request = app.client.post(app.url(path)).header("content-type", content_type).body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn twilio_signature(path: &str, form: &[(String, String)]) -> String {
    signature::twilio(Providers::TWILIO_AUTH_TOKEN, &format!("{PUBLIC_BASE}{path}"), form)
}

/// The reply a webhook answered with (TwiML's message, `reply`, the first of `replies`).
fn reply_in(hook: Hook, body: &str) -> Option<String> {
    match hook {
        Hook::Twilio => {
            let start = body.find("<Message>")? + "<Message>".len();
            let end = body.find("</Message>")?;
            Some(body[start..end].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'"))
        }
        Hook::Gateway => serde_json::from_str::<Value>(body).ok()?["reply"].as_str().map(str::to_string),
        Hook::WhatsApp => serde_json::from_str::<Value>(body).ok()?["replies"][0].as_str().map(str::to_string),
    }
}

/// Sends one message through `hook`, correctly signed; (status, raw answer).
async fn deliver(app: &TestApp, hook: Hook, id: &str, from: &str, text: &str) -> (u16, String) {
    match hook {
        Hook::Twilio => {
            let form = twilio_form(id, from, text);
            let sig = twilio_signature("/webhooks/sms/twilio", &form);
            post_raw(app, "/webhooks/sms/twilio", "application/x-www-form-urlencoded", encode(&form).into_bytes(), &[("x-twilio-signature", sig)]).await
        }
        Hook::Gateway => {
            let body = serde_json::to_vec(&json!({"message_id": id, "from": from, "to": "1708", "text": text, "received_at": "2026-12-02T10:00:00+07:00"})).unwrap();
            let sig = signature::sha256_header(GATEWAY_SECRET, &body);
            post_raw(app, "/webhooks/sms/gateway", "application/json", body, &[("x-signature", sig)]).await
        }
        Hook::WhatsApp => {
            let body = serde_json::to_vec(&cloud_text(id, from, text)).unwrap();
            let sig = signature::sha256_header(APP_SECRET, &body);
            post_raw(app, "/webhooks/whatsapp", "application/json", body, &[("x-hub-signature-256", sig)]).await
        }
    }
}

/// Sends a message and returns its reply (asserting a 200 with a reply).
async fn say(app: &TestApp, hook: Hook, id: &str, from: &str, text: &str) -> String {
    let (status, body) = deliver(app, hook, id, from, text).await;
    assert_eq!(status, 200, "{hook:?} {text:?}: {body}");
    reply_in(hook, &body).unwrap_or_else(|| panic!("{hook:?} {text:?}: no reply in {body}"))
}

/// The tracking ID in a "report received" reply.
fn tracking_id_in(reply: &str) -> String {
    let at = reply.find("ID: ").unwrap_or_else(|| panic!("no ID in {reply:?}")) + 4;
    reply[at..at + 11].to_string()
}

fn reports(app: &TestApp) -> i64 {
    app.count("SELECT count(*) FROM reports")
}

#[tokio::test]
async fn a_bad_signature_is_403_and_changes_nothing() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    // Opened (and migrated) first, so "nothing written" can be counted.
    assert_eq!(app.get("/api/v1/reports").await.status(), 200);
    let form = twilio_form("SMbad1", CITIZEN, REPORT_TEXT);
    let path = "/webhooks/sms/twilio";
    let good = twilio_signature(path, &form);
    let mut tampered = form.clone();
    tampered[4].1.push_str(" (diubah)");
    let form_body = |f: &[(String, String)]| encode(f).into_bytes();
    let cases: Vec<(&str, String, Vec<u8>, Vec<(&str, String)>)> = vec![
        ("tampered body", path.to_string(), form_body(&tampered), vec![("x-twilio-signature", good.clone())]),
        ("tampered URL", format!("{path}?extra=1"), form_body(&form), vec![("x-twilio-signature", good.clone())]),
        ("tampered signature", path.to_string(), form_body(&form), vec![("x-twilio-signature", good.replace(&good[..4], "AAAA"))]),
        ("no signature", path.to_string(), form_body(&form), vec![]),
    ];
    for (what, path, body, headers) in cases {
        let (status, answer) = post_raw(&app, &path, "application/x-www-form-urlencoded", body, &headers).await;
        assert_eq!(status, 403, "{what}: {answer}");
        assert!(answer.contains("X-Twilio-Signature"), "{what}: {answer}");
    }
    // The gateway and the Cloud API: a body changed after signing, a wrong secret.
    let body = serde_json::to_vec(&json!({"message_id": "g-bad", "from": CITIZEN, "to": "1708", "text": REPORT_TEXT})).unwrap();
    let mut changed = body.clone();
    changed[20] ^= 1;
    for (path, header, secret) in [("/webhooks/sms/gateway", "x-signature", GATEWAY_SECRET), ("/webhooks/whatsapp", "x-hub-signature-256", APP_SECRET)] {
        let sig = signature::sha256_header(secret, &body);
        let (status, _) = post_raw(&app, path, "application/json", changed.clone(), &[(header, sig)]).await;
        assert_eq!(status, 403, "{path}: changed body");
        let wrong = signature::sha256_header("another-secret", &body);
        let (status, _) = post_raw(&app, path, "application/json", body.clone(), &[(header, wrong)]).await;
        assert_eq!(status, 403, "{path}: wrong secret");
    }
    assert_eq!((reports(&app), app.count("SELECT count(*) FROM inbound_messages")), (0, 0));
    // The same request correctly signed is accepted: the refusals were the signature's.
    let (status, _) = post_raw(&app, path, "application/x-www-form-urlencoded", encode(&form).into_bytes(), &[("x-twilio-signature", good)]).await;
    assert_eq!((status, reports(&app)), (200, 1));
    app.stop().await;
}

#[tokio::test]
async fn unconfigured_secrets_verify_nothing() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(AppConfig::without_rate_limits().with_providers(&providers).var("twilio_auth_token", "")).await;
    let form = twilio_form("SM1", CITIZEN, REPORT_TEXT);
    let sig = signature::twilio("", "http://127.0.0.1:3000/webhooks/sms/twilio", &form);
    let (status, _) = post_raw(&app, "/webhooks/sms/twilio", "application/x-www-form-urlencoded", encode(&form).into_bytes(), &[("x-twilio-signature", sig)]).await;
    assert_eq!(status, 403);
    let body = br#"{"message_id":"g1","from":"081234500001","text":"BANTUAN"}"#.to_vec();
    let (status, _) = post_raw(&app, "/webhooks/sms/gateway", "application/json", body.clone(), &[("x-signature", signature::sha256_header("", &body))]).await;
    assert_eq!(status, 403);
    let verify = app.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=123").await;
    assert_eq!(verify.status(), 403);
    app.stop().await;
}

#[tokio::test]
async fn whatsapp_verification_echoes_the_challenge_only_for_our_token() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    let ok = app.get(&format!("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444")).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    for query in [
        "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
        &format!("hub.mode=unsubscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1"),
        "hub.challenge=1",
    ] {
        let refused = app.get(&format!("/webhooks/whatsapp?{query}")).await;
        assert_eq!(refused.status(), 403, "{query}");
        assert!(!refused.text().await.unwrap().contains("\"1\""), "{query}");
    }
    app.stop().await;
}

#[tokio::test]
async fn ten_concurrent_retries_make_one_report_and_ten_identical_replies() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    for (n, hook) in HOOKS.into_iter().enumerate() {
        let id = format!("retry-{n}");
        let answers = join_all((0..10).map(|_| deliver(&app, hook, &id, CITIZEN, REPORT_TEXT))).await;
        let replies: Vec<String> = answers.iter().map(|(status, body)| {
            assert_eq!(*status, 200, "{hook:?}: {body}");
            reply_in(hook, body).unwrap()
        }).collect();
        assert!(replies.iter().all(|r| r == &replies[0]), "{hook:?}: {replies:?}");
        assert!(replies[0].contains("diterima"), "{hook:?}: {}", replies[0]);
        assert_eq!(reports(&app), n as i64 + 1, "{hook:?}: exactly one report");
    }
    assert_eq!(app.count("SELECT count(*) FROM inbound_messages"), 3);
    // The WhatsApp reply goes out once, through the outbox.
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE kind = 'reply'"), 1);
    app.deliver().await;
    let sent = providers.delivered("whatsapp");
    let replies: Vec<_> = sent.iter().filter(|r| r.json()["text"]["body"].as_str().is_some_and(|t| t.contains("diterima"))).collect();
    assert_eq!(replies.len(), 1, "{sent:?}");
    assert_eq!(replies[0].json()["to"], CITIZEN.trim_start_matches('+'));
    app.stop().await;
}

async fn staff_post(app: &TestApp, path: String, token: &str, body: Value) -> Value {
    let (status, answer) = app.call(Method::POST, &path, Some(token), Some(body)).await;
    assert!((200..300).contains(&status), "{path}: {status} {answer}");
    answer
}

/// A whole life through each webhook: help instead of a report for a
/// greeting; a report filed by message; checked; dispatched; supported and
/// followed by a neighbour; the agency's answer notified to both by message;
/// the reporter's reply (the neighbour's refused); a second answer; the
/// rating; the neighbour stops.
#[tokio::test]
async fn every_command_end_to_end_through_each_webhook() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    let staff = staff(&app).await;
    for (n, hook) in HOOKS.into_iter().enumerate() {
        let reporter = format!("+62812345100{n}");
        let neighbour = format!("+62812345200{n}");
        let msg = |step: &str| format!("{hook:?}-{step}");
        let provider = if hook == Hook::WhatsApp { "whatsapp" } else { "twilio" };
        let to = |phone: &str| if hook == Hook::WhatsApp { phone.trim_start_matches('+').to_string() } else { phone.to_string() };
        let texts_to = |phone: &str| -> Vec<String> {
            providers
                .delivered(provider)
                .iter()
                .filter_map(|r| match hook {
                    Hook::WhatsApp => (r.json()["to"] == to(phone).as_str()).then(|| r.json()["text"]["body"].as_str().unwrap_or_default().to_string()),
                    _ => {
                        let form = r.form();
                        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
                        (field("To").as_deref() == Some(to(phone).as_str())).then(|| field("Body").unwrap_or_default())
                    }
                })
                .collect()
        };

        let help = say(&app, hook, &msg("halo"), &reporter, "halo min").await;
        assert!(help.contains("LAPOR <isi laporan>") && help.contains("CEK <ID>"), "{hook:?}: {help}");
        assert_eq!(sms_segments(&help), 1, "{help}");
        assert_eq!(reports(&app), n as i64 * 1, "{hook:?}: a greeting is not a report");

        let filed = say(&app, hook, &msg("lapor"), &reporter, &format!("LAPOR {REPORT_TEXT}")).await;
        let id = tracking_id_in(&filed);
        assert!(filed.ends_with(&format!("{PUBLIC_BASE}/lapor/{id}")), "{filed}");
        assert_eq!(sms_segments(&filed), 1, "{filed}");
        let channel = if hook == Hook::WhatsApp { "whatsapp" } else { "sms" };
        let stored: (String, String, String) = app
            .db()
            .query_row("SELECT r.channel, r.body, p.phone FROM reports r JOIN reporters p ON p.report_id = r.id WHERE tracking_id = ?", [&id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(stored, (channel.to_string(), REPORT_TEXT.to_string(), reporter.clone()));

        // The reporter already follows by the channel they filed on: IKUTI changes nothing.
        let own = say(&app, hook, &msg("ikuti-own"), &reporter, &format!("IKUTI {id}")).await;
        assert!(own.starts_with(&format!("Anda sudah mengikuti {id}")), "{own}");
        assert_eq!(app.count(&format!("SELECT count(*) FROM follows WHERE address = '{reporter}'")), 1);
        let status = say(&app, hook, &msg("cek1"), &reporter, &format!("cek {}", id.to_lowercase())).await;
        assert!(status.starts_with(&format!("{id}: Diterima, menunggu verifikasi. Verifikasi paling lambat ")), "{status}");

        staff_post(&app, format!("/api/v1/admin/reports/{id}/verify"), &staff.admin, json!({"agency": AGENCY_A})).await;

        let supported = say(&app, hook, &msg("dukung"), &neighbour, &format!("DUKUNG {id}")).await;
        assert_eq!(supported, format!("Dukungan Anda untuk {id} tercatat. Kini 1 dukungan."));
        let again = say(&app, hook, &msg("dukung2"), &neighbour, &format!("dukung {id}")).await;
        assert_eq!(again, format!("Anda sudah mendukung {id}. Kini 1 dukungan."));
        let followed = say(&app, hook, &msg("ikuti"), &neighbour, &format!("IKUTI {id}")).await;
        assert!(followed.starts_with(&format!("Anda mengikuti {id}")), "{followed}");

        let long_answer = "Tim PUPR sudah meninjau lokasi. Penambalan dijadwalkan pekan depan setelah material tiba dari gudang, dan rambu peringatan sudah dipasang di kedua sisi jalan. Mohon berhati-hati.";
        staff_post(&app, format!("/api/v1/agency/reports/{id}/responses"), &staff.coordinator_a, json!({"body": long_answer})).await;
        app.deliver().await;
        for phone in [&reporter, &neighbour] {
            let heard = texts_to(phone);
            assert!(heard.iter().any(|t| t.contains(&id) && t.contains("tindak lanjut")), "{hook:?} {phone}: {heard:?}");
        }
        let status = say(&app, hook, &msg("cek2"), &reporter, &format!("CEK {id}")).await;
        assert_eq!(sms_segments(&status), 1, "{status}");
        assert!(status.starts_with(&format!("{id}: Ditanggapi instansi. Selesai otomatis ")) && status.contains("Tindak lanjut: Tim PUPR"), "{status}");
        assert!(status.ends_with(&format!("... {PUBLIC_BASE}/lapor/{id}")), "a long follow-up is cut: {status}");

        let refused = say(&app, hook, &msg("balas-neighbour"), &neighbour, &format!("BALAS {id} Di sini juga masih berlubang.")).await;
        assert!(refused.starts_with("Hanya pelapor"), "{refused}");
        let replied = say(&app, hook, &msg("balas"), &reporter, &format!("BALAS {id} Belum ditambal sampai hari ini.")).await;
        assert_eq!(replied, format!("Balasan Anda untuk {id} diterima dan diteruskan. Terima kasih."));
        let public: Value = app.get(&format!("/api/v1/reports/{id}")).await.json().await.unwrap();
        assert_eq!(public["status"], "dispatched", "a reply to a follow-up reopens it");

        staff_post(&app, format!("/api/v1/agency/reports/{id}/responses"), &staff.coordinator_a, json!({"body": "Lubang sudah ditambal hari ini."})).await;
        let rated = say(&app, hook, &msg("nilai"), &reporter, &format!("NILAI {id} 4 Cepat setelah diingatkan")).await;
        assert_eq!(rated, format!("Terima kasih! Nilai 4 untuk {id} tercatat."));
        let (score, comment): (i64, String) =
            app.db().query_row("SELECT score, comment FROM ratings JOIN reports r ON r.id = report_id WHERE tracking_id = ?", [&id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((score, comment.as_str()), (4, "Cepat setelah diingatkan"));
        let twice = say(&app, hook, &msg("nilai2"), &reporter, &format!("NILAI {id} 5")).await;
        assert!(!twice.contains("Terima kasih"), "rated once, as on the API: {twice}");

        // The last symbol changed (never to itself): a single-symbol typo.
        let other_symbol = if id.ends_with('X') { 'Y' } else { 'X' };
        let typo = say(&app, hook, &msg("typo"), &reporter, &format!("CEK {}{other_symbol}", &id[..10])).await;
        assert!(typo.contains("salah ketik") || typo.contains("bukan ID"), "{typo}");

        let stopped = say(&app, hook, &msg("stop"), &neighbour, "BERHENTI").await;
        assert!(stopped.contains("1 laporan"), "{stopped}");
        assert_eq!(app.count(&format!("SELECT count(*) FROM follows WHERE address = '{neighbour}'")), 0);
        let english = say(&app, hook, &msg("help"), &neighbour, "HELP").await;
        assert!(english.starts_with("LAPOR! Send: REPORT"), "{english}");
    }
    app.stop().await;
}

/// The sender's number is identity, never content: private under the
/// report's privacy rules, on no public or agency surface of an anonymous
/// report, never kept in clear outside the reporter's own row.
#[tokio::test]
async fn the_number_is_identity_never_content() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    let staff = staff(&app).await;
    let digits = &CITIZEN[3..];

    let anonymous = tracking_id_in(&say(&app, Hook::Gateway, "anon-1", CITIZEN, &format!("LAPOR ANONIM {REPORT_TEXT}")).await);
    staff_post(&app, format!("/api/v1/admin/reports/{anonymous}/verify"), &staff.admin, json!({"agency": AGENCY_A})).await;
    let (_, public) = app.call(Method::GET, &format!("/api/v1/reports/{anonymous}"), None, None).await;
    assert_eq!(public["reporter_identity"], "anonymous", "{public}");
    let (status, agency) = app.call(Method::GET, &format!("/api/v1/agency/reports/{anonymous}"), Some(&staff.coordinator_a), None).await;
    assert_eq!(status, 200, "{agency}");
    let page = app.get(&format!("/lapor/{anonymous}")).await.text().await.unwrap();
    let listing = app.get("/api/v1/reports").await.text().await.unwrap();
    for (surface, text) in [("public API", public.to_string()), ("agency API", agency.to_string()), ("tracking page", page), ("listing", listing)] {
        assert!(!text.contains(digits), "{surface} shows the number: {text}");
    }

    // Confidential: to anyone but the reporter's phone it does not exist.
    let secret = say(&app, Hook::Twilio, "conf-1", CITIZEN, &format!("lapor rahasia {REPORT_TEXT}")).await;
    assert!(!secret.contains("http"), "{secret}");
    let secret = tracking_id_in(&secret);
    let (status, _) = app.call(Method::GET, &format!("/api/v1/reports/{secret}"), None, None).await;
    assert_eq!(status, 404);
    let theirs = say(&app, Hook::Twilio, "conf-2", NEIGHBOUR, &format!("CEK {secret}")).await;
    assert_eq!(theirs, format!("Laporan {secret} tidak ditemukan. Periksa lagi ID-nya."));
    for (n, text) in [format!("DUKUNG {secret}"), format!("IKUTI {secret}"), format!("BALAS {secret} Saya juga melihatnya.")].into_iter().enumerate() {
        let answer = say(&app, Hook::Twilio, &format!("conf-stranger-{n}"), NEIGHBOUR, &text).await;
        assert_eq!(answer, format!("Laporan {secret} tidak ditemukan. Periksa lagi ID-nya."), "{text}");
    }
    let mine = say(&app, Hook::Twilio, "conf-3", CITIZEN, &format!("CEK {secret}")).await;
    assert!(mine.starts_with(&format!("{secret}: Diterima, menunggu verifikasi.")), "{mine}");
    assert!(!mine.contains("http"), "no public link to a confidential report: {mine}");
    // Both words together: hidden from the public, and the reporter unknown to the agency.
    let both = tracking_id_in(&say(&app, Hook::WhatsApp, "wamid.both", CITIZEN, &format!("LAPOR RAHASIA ANONIM {REPORT_TEXT}")).await);
    let (visibility, identity): (String, String) = app
        .db()
        .query_row("SELECT visibility, reporter_identity FROM reports WHERE tracking_id = ?", [&both], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((visibility.as_str(), identity.as_str()), ("confidential", "anonymous"));
    staff_post(&app, format!("/api/v1/admin/reports/{both}/verify"), &staff.admin, json!({"agency": AGENCY_A})).await;
    let (_, agency) = app.call(Method::GET, &format!("/api/v1/agency/reports/{both}"), Some(&staff.coordinator_a), None).await;
    assert!(!agency.to_string().contains(digits), "{agency}");

    // The record of messages keeps a hash of the sender, not the number.
    let senders: Vec<String> = app.db().prepare("SELECT sender FROM inbound_messages").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert!(senders.len() >= 5 && senders.iter().all(|s| s.starts_with("phone:") && !s.contains(digits)), "{senders:?}");
    app.stop().await;
}

#[tokio::test]
async fn the_inbound_limit_per_number_answers_once_and_writes_nothing() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers).var("sms_rate_limit_per_number", "3")).await;
    for n in 0..3 {
        let reply = say(&app, Hook::Gateway, &format!("limit-{n}"), CITIZEN, &format!("LAPOR {REPORT_TEXT} ({n})")).await;
        assert!(reply.contains("diterima"), "{reply}");
    }
    let over = say(&app, Hook::Gateway, "limit-3", CITIZEN, &format!("LAPOR {REPORT_TEXT} (3)")).await;
    assert!(over.starts_with("Terlalu banyak pesan dari nomor ini dalam satu jam."), "{over}");
    let (status, body) = deliver(&app, Hook::Gateway, "limit-4", CITIZEN, &format!("LAPOR {REPORT_TEXT} (4)")).await;
    assert_eq!((status, serde_json::from_str::<Value>(&body).unwrap()), (200, json!({"reply": null})), "then silence");
    assert_eq!((reports(&app), app.count("SELECT count(*) FROM inbound_messages")), (3, 3));
    // Opting out is never limited.
    let stopped = say(&app, Hook::Gateway, "limit-stop", CITIZEN, "BERHENTI").await;
    assert!(stopped.starts_with("Berhasil: tidak ada lagi kabar dari 3 laporan"), "{stopped}");
    // A retry of a message handled before still gets its reply; another number is not limited.
    let retry = say(&app, Hook::Gateway, "limit-0", CITIZEN, &format!("LAPOR {REPORT_TEXT} (0)")).await;
    assert!(retry.contains("diterima"), "{retry}");
    let other = say(&app, Hook::Gateway, "limit-other", NEIGHBOUR, "BANTUAN").await;
    assert!(other.starts_with("LAPOR! Kirim:"), "{other}");
    // On WhatsApp the one polite answer goes out through the outbox too.
    let wa = "+6281234500003";
    for n in 0..3 {
        say(&app, Hook::WhatsApp, &format!("wamid.limit-{n}"), wa, "BANTUAN").await;
    }
    let over = say(&app, Hook::WhatsApp, "wamid.limit-3", wa, "BANTUAN").await;
    assert!(over.starts_with("Terlalu banyak pesan"), "{over}");
    let (status, body) = deliver(&app, Hook::WhatsApp, "wamid.limit-4", wa, "BANTUAN").await;
    assert_eq!((status, serde_json::from_str::<Value>(&body).unwrap()), (200, json!({"replies": [null]})));
    app.deliver().await;
    let answers: Vec<String> = providers.delivered("whatsapp").iter().filter(|r| r.json()["to"] == "6281234500003").map(|r| r.json()["text"]["body"].as_str().unwrap().to_string()).collect();
    assert_eq!(answers.len(), 4, "three answers and the one polite refusal: {answers:?}");
    assert!(answers.iter().filter(|a| a.starts_with("Terlalu banyak pesan")).count() == 1, "{answers:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_retry_after_the_key_value_store_is_lost_changes_nothing() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    for hook in HOOKS {
        let id = format!("kv-{hook:?}");
        let first = say(&app, hook, &id, CITIZEN, REPORT_TEXT).await;
        app.kv().clear();
        let again = say(&app, hook, &id, CITIZEN, REPORT_TEXT).await;
        assert_eq!(first, again, "{hook:?}");
    }
    assert_eq!(reports(&app), 3);
    // A message ID reused by another sender is not theirs to replay.
    let other = say(&app, Hook::Gateway, "kv-Gateway", NEIGHBOUR, &format!("CEK {}", tracking_id_in(&say(&app, Hook::Gateway, "kv-Gateway", CITIZEN, REPORT_TEXT).await))).await;
    assert!(other.starts_with("LAPOR! Kirim:"), "{other}");
    assert_eq!(reports(&app), 3);
    app.stop().await;
}

/// What a correctly signed request carries is never answered 5xx: receipts
/// are accepted and ignored, the unreadable gets help, other message types a
/// polite reply.
#[tokio::test]
async fn receipts_unreadable_payloads_and_other_types_get_no_5xx() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    let twilio = |form: Vec<(String, String)>| {
        let sig = twilio_signature("/webhooks/sms/twilio", &form);
        let app = &app;
        async move { post_raw(app, "/webhooks/sms/twilio", "application/x-www-form-urlencoded", encode(&form).into_bytes(), &[("x-twilio-signature", sig)]).await }
    };
    let pairs = |list: &[(&str, &str)]| list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    let (status, body) = twilio(pairs(&[("MessageSid", "SMs1"), ("MessageStatus", "delivered"), ("To", CITIZEN)])).await;
    assert_eq!((status, body.as_str()), (200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"));
    let (status, body) = twilio(pairs(&[("Body", "halo")])).await;
    assert_eq!(status, 200);
    assert!(reply_in(Hook::Twilio, &body).unwrap().starts_with("LAPOR! Kirim:"), "{body}");
    let (status, body) = twilio(pairs(&[("MessageSid", "SMf1"), ("From", "+12349013030"), ("Body", "hello")])).await;
    assert_eq!(status, 200);
    assert!(reply_in(Hook::Twilio, &body).unwrap().contains("+62"), "{body}");
    let (status, body) = twilio(pairs(&[("MessageSid", "SMm1"), ("From", CITIZEN), ("Body", ""), ("NumMedia", "1"), ("MediaContentType0", "image/jpeg")])).await;
    assert_eq!(status, 200);
    assert!(reply_in(Hook::Twilio, &body).unwrap().starts_with("Maaf, kami hanya bisa membaca pesan teks."), "{body}");
    // WhatsApp through Twilio: the same grammar, answered in TwiML.
    let (status, body) = twilio(twilio_form("SMwa1", &format!("whatsapp:{CITIZEN}"), "BANTUAN")).await;
    assert_eq!(status, 200);
    assert!(reply_in(Hook::Twilio, &body).unwrap().starts_with("LAPOR! Kirim:"), "{body}");

    for body in [b"not json at all".to_vec(), br#"{"from": "081234500001"}"#.to_vec(), br#"{"message_id": "g-status", "status": "delivered"}"#.to_vec()] {
        let sig = signature::sha256_header(GATEWAY_SECRET, &body);
        let (status, answer) = post_raw(&app, "/webhooks/sms/gateway", "application/json", body.clone(), &[("x-signature", sig)]).await;
        assert_eq!(status, 200, "{answer}");
        let reply = serde_json::from_str::<Value>(&answer).unwrap()["reply"].clone();
        if body.starts_with(br#"{"message_id": "g-status""#) {
            assert_eq!(reply, Value::Null, "a receipt is ignored");
        } else {
            assert!(reply.as_str().unwrap().starts_with("LAPOR! Kirim:"), "{answer}");
        }
    }

    let cloud = |payload: Value| {
        let body = serde_json::to_vec(&payload).unwrap();
        let sig = signature::sha256_header(APP_SECRET, &body);
        let app = &app;
        async move { post_raw(app, "/webhooks/whatsapp", "application/json", body, &[("x-hub-signature-256", sig)]).await }
    };
    let statuses = json!({"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"statuses": [{"id": "wamid.out", "status": "read", "recipient_id": "6281234500001"}]}}]}]});
    let (status, body) = cloud(statuses).await;
    assert_eq!((status, serde_json::from_str::<Value>(&body).unwrap()), (200, json!({"replies": [null]})));
    let (status, body) = cloud(json!({"hello": "world"})).await;
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<Value>(&body).unwrap()["replies"][0].as_str().unwrap().starts_with("LAPOR! Kirim:"));
    let image = cloud_payload(json!([{"from": "6281234500001", "id": "wamid.img", "timestamp": "1", "type": "image", "image": {"id": "M1", "mime_type": "image/jpeg", "caption": "Jalan berlubang"}}]));
    let (status, body) = cloud(image).await;
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<Value>(&body).unwrap()["replies"][0].as_str().unwrap().starts_with("Maaf, kami hanya bisa membaca pesan teks."), "{body}");

    assert_eq!(reports(&app), 0);
    app.stop().await;
}

/// One support per person: a web identity that proved a number and the same
/// number texting DUKUNG are one supporter.
#[tokio::test]
async fn a_number_proved_on_the_web_supports_once_with_its_sms() {
    let providers = Providers::start();
    let app = TestApp::spawn_with(config(&providers)).await;
    let staff = staff(&app).await;
    let id = tracking_id_in(&say(&app, Hook::Twilio, "share-file", CITIZEN, REPORT_TEXT).await);
    staff_post(&app, format!("/api/v1/admin/reports/{id}/verify"), &staff.admin, json!({"agency": AGENCY_A})).await;
    let citizen = integration_tests::fixtures::verified_citizen(&app, &providers, &format!("0{}", &NEIGHBOUR[3..])).await;
    let (status, body) = app.call(Method::POST, &format!("/api/v1/reports/{id}/supports"), Some(&citizen), None).await;
    assert_eq!((status, body["supports"].as_i64()), (201, Some(1)), "{body}");
    let by_sms = say(&app, Hook::Gateway, "share-support", NEIGHBOUR, &format!("DUKUNG {id}")).await;
    assert_eq!(by_sms, format!("Anda sudah mendukung {id}. Kini 1 dukungan."));
    app.stop().await;
}
