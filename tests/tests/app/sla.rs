//! Deadlines, the working-day calendar API and the SLA sweep, through the
//! real manifest and runner. Time is moved by moving a report's stored
//! deadlines into the past: the service has no clock override to abuse.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use integration_tests::{AppConfig, KeyValue, TestApp, SLA_SWEEP_TOKEN};
use lapor_domain::agency::TimeZone;
use lapor_domain::calendar::Calendar;
use lapor_domain::sla::{due_action, Clock, ClockKind, ClockState, SweepAction};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use integration_tests::fixtures::BOOTSTRAP;
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
    let audience: String = app.db().query_row("SELECT audience FROM staff_alerts WHERE event_type = 'sla_escalated'", [], |r| r.get(0)).unwrap();
    assert_eq!(audience, "admins");

    // A new deadline (dispatch) clears the marks: its own reminder comes.
    let (s, _) = call(&app, Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": KUPANG}))).await;
    assert_eq!(s, 200);
    travel(&app, &id, true);
    assert_eq!(sweep(&app).await["escalated"], 1);
    let audience: String = app
        .db()
        .query_row("SELECT audience FROM staff_alerts WHERE event_type = 'sla_escalated' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
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
    assert_eq!(app.count("SELECT count(*) FROM staff_alerts WHERE event_type = 'sla_escalated'"), 120);
    assert_eq!(sweep(&app).await["more"], false);
    app.stop().await;
}

/// One running clock as the app would have stored it: started (or resumed
/// after a hold) at some instant, counted in some zone, with a calendar of
/// some extra non-working days, and marked as the sweep leaves it.
#[derive(Debug, Clone)]
struct StoredClock {
    state: ClockState,
    agency: Option<&'static str>,
}

/// The marks a clock can carry: a new deadline clears both, a reminder sets
/// `reminded`, an escalation sets both; completion is never marked. (New
/// clocks are listed twice: they are the ones owed the most.)
const MARKS: [(bool, bool); 4] = [(false, false), (false, false), (true, false), (true, true)];
const ZONES: [(TimeZone, &str); 3] = [(TimeZone::Wib, "pemkot-32.73"), (TimeZone::Wita, KUPANG), (TimeZone::Wit, "pemprov-91")];

fn stored_clock(now: DateTime<Utc>) -> impl Strategy<Value = StoredClock> {
    let seed_days: Vec<NaiveDate> = lapor_domain::calendar::seed().into_iter().map(|h| h.date).collect();
    (
        0..ClockKind::ALL.len(),
        0..ZONES.len(),
        0..MARKS.len(),
        // Where now falls in the clock's time, in thousandths (before its
        // start to well past its deadline): every phase of every clock.
        -200i64..1_500,
        proptest::collection::vec(-45i64..30, 0..6),
        // Verification only: held some hours after the start, resumed some hours later.
        proptest::option::of((1i64..72, 1i64..200)),
    )
        .prop_map(move |(kind, zone, marks, phase, extra_days, hold)| {
            let kind = ClockKind::ALL[kind];
            let (zone, agency) = ZONES[zone];
            let extra = extra_days.into_iter().map(|d| (now + Duration::days(d)).date_naive());
            let calendar = Calendar::new(seed_days.iter().copied().chain(extra));
            let length = Clock::start(kind, now, zone, &calendar).due - now;
            let started = now - length * phase as i32 / 1_000;
            let mut clock = Clock::start(kind, started, zone, &calendar);
            if let (ClockKind::Verification, Some((held_after, resumed_after))) = (kind, hold) {
                let held = started + Duration::hours(held_after);
                clock = Clock::resume_verification(clock.due, held, held + Duration::hours(resumed_after), &calendar);
            }
            let (reminded, escalated) = if kind == ClockKind::Completion { (false, false) } else { MARKS[marks] };
            // As stored: to the millisecond.
            let state = ClockState { kind, due: to_millis(clock.due), remind_at: to_millis(clock.remind_at), reminded, escalated };
            StoredClock { state, agency: (kind != ClockKind::Verification).then_some(agency) }
        })
}

/// The app's stored form of an instant (`lapor_platform::clock::timestamp`).
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&stamp(at)).unwrap().with_timezone(&Utc)
}

/// What the sweep did to a report, read back from its events, marks and
/// notices (and whether those agree with each other).
fn actions_taken(app: &TestApp) -> HashMap<String, Option<SweepAction>> {
    let db = app.db();
    let mut statement = db
        .prepare(
            "SELECT r.tracking_id, r.status, r.clock, r.clock_reminded, r.clock_escalated,
                    (SELECT group_concat(e.type || ':' || coalesce(e.text, '')) FROM report_events e WHERE e.report_id = r.id),
                    (SELECT count(*) FROM staff_alerts o WHERE o.report_id = r.id)
             FROM reports r",
        )
        .unwrap();
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })
        .unwrap();
    rows.map(|row| {
        let (id, status, clock, reminded, escalated, events, alerts) = row.unwrap();
        let events = events.unwrap_or_default();
        assert!(!events.contains(','), "{id}: one action at most, got {events}");
        let action = match events.split_once(':') {
            None => None,
            Some(("completed", "completion")) => {
                assert_eq!((status.as_str(), clock.as_deref()), ("completed", None), "{id}");
                Some(SweepAction::Complete)
            }
            Some((event, kind)) => {
                let kind = ClockKind::from_stored(kind).unwrap_or_else(|| panic!("{id}: {events}"));
                assert_eq!(alerts, 1, "{id}: one staff alert for {events}");
                match event {
                    "sla_reminder" => {
                        assert!(reminded, "{id}");
                        Some(SweepAction::Remind(kind))
                    }
                    "sla_escalated" => {
                        assert!(reminded && escalated, "{id}");
                        Some(SweepAction::Escalate(kind))
                    }
                    _ => panic!("{id}: {events}"),
                }
            }
        };
        (id, action)
    })
    .collect()
}

/// The one SLA rule: the sweep's database pre-selection misses nothing that
/// `lapor_domain::sla::due_action` owes and the sweep takes nothing else.
/// Random clocks (every kind, zone, phase and mark; holds; random extra
/// holidays) are written straight into the app's SQLite, one sweep runs, and
/// each report's action must be what `due_action` decides at the sweep's time.
#[tokio::test]
async fn the_sweep_takes_exactly_the_actions_due_action_decides() {
    const CASES: usize = 1_500;
    let app = spawn_with(&[("SPIN_VARIABLE_SLA_SWEEP_BATCH", "10000")]).await;
    assert_eq!(sweep(&app).await["examined"], 0); // and the schema exists

    let now = Utc::now();
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]));
    let strategy = stored_clock(now);
    let clocks: Vec<StoredClock> = (0..CASES).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect();
    {
        let mut db = app.db();
        let tx = db.transaction().unwrap();
        let mut insert = tx
            .prepare(
                "INSERT INTO reports (tracking_id, kind, title, body, visibility, reporter_identity, status, channel, reporter_token_hash,
                     created_at, updated_at, agency, clock, clock_due, clock_remind_at, clock_reminded, clock_escalated)
                 VALUES (?1, 'pengaduan', 'Jalan berlubang', 'Jalan berlubang di depan sekolah dasar negeri.', 'public', 'named', ?2, 'api', 'x',
                     '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .unwrap();
        for (i, c) in clocks.iter().enumerate() {
            let status = match c.state.kind {
                ClockKind::Verification => "submitted",
                ClockKind::Response => "dispatched",
                ClockKind::Completion => "responded",
            };
            insert
                .execute(rusqlite::params![
                    format!("PROP{i:06}"),
                    status,
                    c.agency,
                    c.state.kind.as_str(),
                    stamp(c.state.due),
                    stamp(c.state.remind_at),
                    c.state.reminded,
                    c.state.escalated
                ])
                .unwrap();
        }
        drop(insert);
        tx.commit().unwrap();
    }

    // The sweep reads its clock to the millisecond, after `before`.
    let before = to_millis(Utc::now());
    let answer = sweep(&app).await;
    let after = Utc::now();
    let taken = actions_taken(&app);
    let mut counts = HashMap::new();
    for (i, c) in clocks.iter().enumerate() {
        let id = format!("PROP{i:06}");
        let actual = taken[&id];
        // The sweep's instant lies between `before` and `after`.
        let (earliest, latest) = (due_action(&c.state, before), due_action(&c.state, after));
        assert!(actual == earliest || actual == latest, "{id} {c:?}: the sweep took {actual:?}, due_action decides {earliest:?}");
        if let Some(action) = actual {
            *counts.entry(format!("{:?}", action.step())).or_insert(0) += 1;
        }
    }
    let count = |step: &str| json!(counts.get(step).copied().unwrap_or(0));
    assert_eq!(answer["completed"], count("Complete"), "{answer}");
    assert_eq!(answer["escalated"], count("Escalate"), "{answer}");
    assert_eq!(answer["reminded"], count("Remind"), "{answer}");
    assert_eq!(answer["more"], false);
    // Every kind of action and no action occurred, so the cases cover the
    // rule. How many of each depends on the hour the test runs (the clocks
    // are drawn around now, and working hours are Indonesian): near midnight
    // in WIB fewer than 20 in 1,500 were reminders, so only "some" is asked.
    assert!(["Complete", "Escalate", "Remind"].iter().all(|s| counts.get(*s).copied().unwrap_or(0) > 0), "{counts:?}");
    assert!(taken.values().filter(|a| a.is_none()).count() > 100);
    app.stop().await;
}

fn unix_now() -> u64 {
    Utc::now().timestamp() as u64
}

/// Spin's key-value store has no expiry: the sweep deletes the rate-limit
/// windows of hours that are over, a bounded number per call, and nothing
/// else (current windows, other keys, keys of other shapes stay).
async fn old_windows_go_and_current_ones_stay(backend: KeyValue) {
    let mut config = AppConfig::without_rate_limits().var("report_rate_limit_per_address", "100").var("kv_housekeeping_batch", "3").key_value(backend);
    config.env.insert("SPIN_VARIABLE_BOOTSTRAP_ADMIN_TOKEN".into(), BOOTSTRAP.into());
    let app = TestApp::spawn_with(config).await;
    let kv = app.kv();
    // A real window, counted by filing a report.
    file(&app).await;
    let counted: Vec<String> = kv.keys().into_iter().filter(|k| k.starts_with(kv_schema::REPORT_RATE_BY_ADDRESS.prefix)).collect();
    assert_eq!(counted.len(), 1, "{counted:?}");

    let hour = unix_now() / 3600;
    let stale = [
        kv_schema::report_rate_by_address_key("10.0.0.1", hour - 2),
        kv_schema::report_rate_by_phone_key("+6281234567890", hour - 5),
        kv_schema::engagement_rate_by_identity_key("citizen:1", 1),
        kv_schema::engagement_rate_by_address_key("10.0.0.1", hour - 2),
        kv_schema::citizen_rate_by_address_key("10.0.0.1", hour - 30),
        kv_schema::sign_in_code_rate_by_phone_key("+6281234567890", hour - 2),
        kv_schema::sign_in_code_rate_by_address_key("10.0.0.1", hour - 3),
        kv_schema::housekeeping_done_key(hour - 4),
    ];
    let live = [
        kv_schema::report_rate_by_address_key("10.0.0.2", hour),
        kv_schema::sign_in_code_rate_by_phone_key("+6281234567890", hour),
        // A clock running ahead already counts in the next hour.
        kv_schema::engagement_rate_by_identity_key("citizen:1", hour + 1),
        // Not ours, or not of the shape we build: never touched.
        format!("other-app:counter:{}", hour - 2),
        format!("{}not-a-subject-hash:{}", kv_schema::REPORT_RATE_BY_ADDRESS.prefix, hour - 2),
        kv_schema::health_written_key().to_string(),
    ];
    for key in stale.iter().chain(&live) {
        kv.set_counter(key, 3);
    }
    let count_stale = || kv.keys().iter().filter(|k| stale.contains(k)).count();

    let first = sweep(&app).await;
    assert_eq!(first["more"], true, "a full housekeeping batch says there may be more: {first}");
    assert_eq!(count_stale(), stale.len() - 3, "at most kv_housekeeping_batch keys per call");
    for _ in 0..5 {
        if sweep(&app).await["more"] == false {
            break;
        }
    }
    assert_eq!(count_stale(), 0, "{:?}", kv.keys());
    let keys = kv.keys();
    for key in live.iter().chain(&counted) {
        assert!(keys.contains(key), "{key} must stay: {keys:?}");
    }
    let oldest = lapor_domain::rate_limit::oldest_live_window(unix_now());
    let done = kv_schema::housekeeping_done_key(oldest);
    assert!(keys.contains(&done), "{keys:?}");

    // The rest of the hour's calls only read the mark; the next hour (no
    // mark yet) lists the keys again.
    kv.set_counter(&stale[0], 1);
    sweep(&app).await;
    if lapor_domain::rate_limit::oldest_live_window(unix_now()) == oldest {
        assert!(kv.keys().contains(&stale[0]), "listed once an hour, not every call");
    }
    kv.delete(&done);
    assert_eq!(sweep(&app).await["more"], false);
    assert!(!kv.keys().contains(&stale[0]));

    app.stop().await;
}

#[tokio::test]
async fn housekeeping_deletes_old_windows_from_the_sqlite_store() {
    old_windows_go_and_current_ones_stay(KeyValue::Spin).await;
}

#[tokio::test]
async fn housekeeping_deletes_old_windows_from_redis() {
    old_windows_go_and_current_ones_stay(KeyValue::Redis).await;
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
