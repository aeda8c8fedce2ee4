//! Statistics end to end: the rollups kept by every event equal their
//! recomputation from the log after a long random run, the figures agree
//! with the tables they count, the CSV equals the JSON, and public splits
//! leave confidential reports out.

use std::collections::BTreeMap;

use integration_tests::fixtures::{citizen, file_and_dispatch, staff, Staff, AGENCY_A, AGENCY_B, BOOTSTRAP};
use integration_tests::{AppConfig, TestApp, SLA_SWEEP_TOKEN};
use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use reqwest::Method;
use serde_json::{json, Value};

async fn spawn() -> TestApp {
    TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await
}

fn report(privacy: &str, category: Option<&str>, region: Option<&str>, agency: Option<&str>) -> Value {
    let mut report = json!({
        "kind": "pengaduan",
        "title": "Saluran air tersumbat",
        "body": "Saluran air di depan pasar tersumbat sampah sejak seminggu, air meluap ke jalan.",
        "privacy": privacy,
        "reporter": {"name": "Rina Statistik", "email": "rina.statistik@example.id"}
    });
    if let Some(category) = category {
        report["category"] = json!(category);
    }
    if let Some(region) = region {
        report["region"] = json!(region);
    }
    if let Some(agency) = agency {
        report["agency"] = json!(agency);
    }
    report
}

/// Every rollup row, in key order: (table, dimension, key, day, confidential, measure) -> n.
fn rollups(app: &TestApp) -> BTreeMap<String, i64> {
    let db = app.db();
    let mut rows = BTreeMap::new();
    let mut daily = db.prepare("SELECT dimension, key, day, confidential, measure, n FROM stats_daily").unwrap();
    let found = daily
        .query_map([], |r| {
            Ok((format!("daily|{}|{}|{}|{}|{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, String>(4)?), r.get::<_, i64>(5)?))
        })
        .unwrap();
    for row in found {
        let (k, n) = row.unwrap();
        // A cell brought back to zero is the same as no cell.
        if n != 0 {
            rows.insert(k, n);
        }
    }
    let mut now = db.prepare("SELECT dimension, key, confidential, measure, n FROM stats_now").unwrap();
    let found = now
        .query_map([], |r| Ok((format!("now|{}|{}|{}|{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?), r.get::<_, i64>(4)?)))
        .unwrap();
    for row in found {
        let (k, n) = row.unwrap();
        if n != 0 {
            rows.insert(k, n);
        }
    }
    rows
}

/// The national sum of a measure over every day, both sides of confidentiality.
fn national(rows: &BTreeMap<String, i64>, measure: &str) -> i64 {
    rows.iter().filter(|(k, _)| k.starts_with("daily|national|") && k.ends_with(&format!("|{measure}"))).map(|(_, n)| n).sum()
}

async fn rebuild(app: &TestApp, admin: &str) -> Value {
    let (status, body) = app.call(Method::POST, "/api/v1/admin/stats/rebuild", Some(admin), None).await;
    assert_eq!(status, 200, "{body}");
    body
}

struct Filed {
    id: String,
    token: String,
}

/// Who acts for the agency a report is with now.
fn coordinator_of<'a>(staff: &'a Staff, app: &TestApp, id: &str) -> Option<&'a str> {
    let agency: Option<String> = app.db().query_row("SELECT agency FROM reports WHERE tracking_id = ?", [id], |r| r.get(0)).unwrap();
    match agency.as_deref() {
        Some(AGENCY_A) => Some(&staff.coordinator_a),
        Some(AGENCY_B) => Some(&staff.coordinator_b),
        _ => None,
    }
}

#[tokio::test]
async fn after_a_long_random_run_the_rollups_equal_their_recomputation_from_the_log() {
    let app = spawn().await;
    let staff = staff(&app).await;
    let citizens = [citizen(&app).await, citizen(&app).await, citizen(&app).await];
    let seed: u64 = std::env::var("STATS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("stats random run: STATS_SEED={seed}");
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut pick = move |n: usize| (rng.next_u32() as usize) % n;

    let privacies = ["public", "anonymous", "confidential"];
    let categories = [Some("drainase"), Some("infrastruktur-jalan"), None];
    let regions = [Some("32.73"), Some("32.04.05"), Some("31"), None];
    let agencies = [Some(AGENCY_A), None];
    let mut reports: Vec<Filed> = Vec::new();
    let mut acted = BTreeMap::<&str, usize>::new();
    for _ in 0..900 {
        let action = if reports.len() < 6 { 0 } else { pick(15) };
        let Some(r) = (!reports.is_empty()).then(|| pick(reports.len())) else {
            let filed = app.file(&report(privacies[pick(3)], categories[pick(3)], regions[pick(4)], agencies[pick(2)])).await;
            reports.push(Filed { id: filed["tracking_id"].as_str().unwrap().into(), token: filed["reporter_token"].as_str().unwrap().into() });
            continue;
        };
        let (id, token) = (reports[r].id.clone(), reports[r].token.clone());
        let post = |path: String, who: String, body: Value| {
            let app = &app;
            async move { app.call(Method::POST, &path, Some(&who), Some(body)).await }
        };
        let (name, (status, body)) = match action {
            0 | 1 => {
                let filed = app.file(&report(privacies[pick(3)], categories[pick(3)], regions[pick(4)], agencies[pick(2)])).await;
                reports.push(Filed { id: filed["tracking_id"].as_str().unwrap().into(), token: filed["reporter_token"].as_str().unwrap().into() });
                continue;
            }
            2 | 3 => {
                let agency = [AGENCY_A, AGENCY_B][pick(2)];
                let mut body = json!({ "agency": agency });
                if pick(3) == 0 {
                    body["privacy"] = json!(privacies[pick(3)]);
                }
                if pick(3) == 0 {
                    body["category"] = json!("infrastruktur-lampu-jalan");
                }
                ("verify", post(format!("/api/v1/admin/reports/{id}/verify"), staff.admin.clone(), body).await)
            }
            4 => ("hold", post(format!("/api/v1/admin/reports/{id}/hold"), staff.admin.clone(), json!({"reason": "Mohon lampirkan foto."})).await),
            5 => ("reply", post(format!("/api/v1/reports/{id}/replies"), token.clone(), json!({"body": "Ini fotonya, terima kasih."})).await),
            6 => {
                let reason = ["spam", "unclear", "not_in_scope"][pick(3)];
                ("archive", post(format!("/api/v1/admin/reports/{id}/archive"), staff.admin.clone(), json!({ "reason": reason })).await)
            }
            7 => {
                let Some(coordinator) = coordinator_of(&staff, &app, &id) else { continue };
                let target = if coordinator == staff.coordinator_a { AGENCY_B } else { AGENCY_A };
                ("forward", post(format!("/api/v1/agency/reports/{id}/forward"), coordinator.to_string(), json!({"agency": target, "reason": "Kewenangan instansi lain."})).await)
            }
            8 | 9 => {
                let Some(coordinator) = coordinator_of(&staff, &app, &id) else { continue };
                let body = json!({"body": "Sudah kami tindak lanjuti di lapangan.", "final": pick(4) == 0});
                ("respond", post(format!("/api/v1/agency/reports/{id}/responses"), coordinator.to_string(), body).await)
            }
            14 => {
                let Some(coordinator) = coordinator_of(&staff, &app, &id) else { continue };
                let agency = if coordinator == staff.coordinator_a { AGENCY_A } else { AGENCY_B };
                let unit = format!("{agency}/{}", ["pupr", "kesehatan"][pick(2)]);
                ("assign", post(format!("/api/v1/agency/reports/{id}/assign"), coordinator.to_string(), json!({ "unit": unit })).await)
            }
            10 => ("rate", post(format!("/api/v1/reports/{id}/rating"), token.clone(), json!({"score": 1 + pick(5)})).await),
            11 => {
                let who = citizens[pick(3)].clone();
                let method = if pick(3) == 0 { Method::DELETE } else { Method::POST };
                ("support", app.call(method, &format!("/api/v1/reports/{id}/supports"), Some(&who), None).await)
            }
            _ => {
                // Time passes for one report: its running deadline is missed.
                app.db().execute("UPDATE reports SET clock_remind_at = '2020-01-01T00:00:00.000Z', clock_due = '2020-01-02T00:00:00.000Z' WHERE tracking_id = ? AND clock IS NOT NULL", [&id]).unwrap();
                ("sweep", app.call(Method::POST, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await)
            }
        };
        assert!(status < 500, "{name} of {id}: {status} {body} (STATS_SEED={seed})");
        if status < 300 {
            *acted.entry(name).or_default() += 1;
        }
    }
    eprintln!("stats random run: {} reports, successful actions {acted:?}", reports.len());
    for needed in ["verify", "respond", "forward", "support", "sweep", "rate", "archive", "assign"] {
        assert!(acted.get(needed).copied().unwrap_or(0) > 0, "the run never managed to {needed} (STATS_SEED={seed}): {acted:?}");
    }

    let kept = rollups(&app);
    let rebuilt = rebuild(&app, &staff.admin).await;
    assert!(rebuilt["events"].as_i64().unwrap() > 0, "{rebuilt}");
    let recomputed = rollups(&app);
    let differing: Vec<_> = kept
        .keys()
        .chain(recomputed.keys())
        .filter(|k| kept.get(*k) != recomputed.get(*k))
        .map(|k| format!("{k}: kept {:?}, recomputed {:?}", kept.get(k), recomputed.get(k)))
        .collect();
    assert!(differing.is_empty(), "STATS_SEED={seed}\n{}", differing.join("\n"));

    // And the counts say what the tables say (a second, independent reading).
    let count = |sql: &str| app.count(sql);
    assert_eq!(national(&kept, "received"), count("SELECT count(*) FROM reports"));
    assert_eq!(national(&kept, "verified"), count("SELECT count(*) FROM reports WHERE verified_at IS NOT NULL"));
    assert_eq!(national(&kept, "supports"), count("SELECT coalesce(sum(support_count), 0) FROM reports"));
    assert_eq!(national(&kept, "rating_count"), count("SELECT count(*) FROM ratings"));
    assert_eq!(national(&kept, "rating_sum"), count("SELECT coalesce(sum(score), 0) FROM ratings"));
    assert_eq!(
        national(&kept, "completed_by_response") + national(&kept, "completed_automatically"),
        count("SELECT count(*) FROM reports WHERE status = 'completed'")
    );
    let archived: i64 = ["not_in_scope", "spam", "unclear", "duplicate", "other"].iter().map(|r| national(&kept, &format!("archived_{r}"))).sum();
    assert_eq!(archived, count("SELECT count(*) FROM reports WHERE status = 'archived'"));
    assert_eq!(national(&kept, "forwarded_in"), count("SELECT count(*) FROM report_events WHERE type = 'forwarded'"));
    let overdue_now: i64 = kept.iter().filter(|(k, _)| k.starts_with("now|national|") && k.ends_with("|overdue")).map(|(_, n)| n).sum();
    assert_eq!(overdue_now, count("SELECT count(*) FROM reports WHERE clock = 'response' AND clock_escalated = 1"));
    // Overdue now, per agency and per unit, is where the overdue reports are now.
    for (dimension, column) in [("agency", "agency"), ("unit", "unit")] {
        let kept_now: BTreeMap<String, i64> = kept
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("now|{dimension}|")) && k.ends_with("|overdue"))
            .fold(BTreeMap::new(), |mut m, (k, n)| {
                *m.entry(k.split('|').nth(2).unwrap().to_string()).or_default() += n;
                m
            });
        let mut in_tables = BTreeMap::new();
        let db = app.db();
        let mut stmt = db
            .prepare(&format!("SELECT {column}, count(*) FROM reports WHERE clock = 'response' AND clock_escalated = 1 AND {column} IS NOT NULL GROUP BY 1"))
            .unwrap();
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).unwrap() {
            let (key, n) = row.unwrap();
            in_tables.insert(key, n);
        }
        let kept_now: BTreeMap<_, _> = kept_now.into_iter().filter(|(_, n)| *n != 0).collect();
        assert_eq!(kept_now, in_tables, "overdue now per {dimension} (STATS_SEED={seed})");
    }
    let confidential_received: i64 =
        kept.iter().filter(|(k, _)| k.starts_with("daily|national|") && k.contains("|1|received")).map(|(_, n)| n).sum();
    assert_eq!(confidential_received, count("SELECT count(*) FROM reports WHERE visibility = 'confidential'"));
}

/// Files `n` reports to `agency` and has its coordinator answer each (on time).
async fn answered(app: &TestApp, staff: &Staff, agency: &str, coordinator: &str, n: usize, privacy: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let (id, _) = file_and_dispatch(app, &report(privacy, Some("drainase"), Some("32.73"), None), &staff.admin, agency).await;
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(coordinator), Some(json!({"body": "Sudah ditangani."}))).await;
        assert_eq!(s, 200, "{b}");
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn figures_csv_and_the_confidentiality_rule() {
    let app = spawn().await;
    let staff = staff(&app).await;
    answered(&app, &staff, AGENCY_A, &staff.coordinator_a, 3, "public").await;
    answered(&app, &staff, AGENCY_A, &staff.coordinator_a, 1, "confidential").await;
    let (late, _) = file_and_dispatch(&app, &report("public", Some("infrastruktur-jalan"), Some("32.73"), None), &staff.admin, AGENCY_A).await;
    app.db().execute("UPDATE reports SET clock_due = '2020-01-02T00:00:00.000Z', clock_remind_at = '2020-01-01T00:00:00.000Z' WHERE tracking_id = ?", [&late]).unwrap();
    assert_eq!(app.call(Method::POST, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await.0, 200);

    // National: every report counts, confidential ones too.
    let national: Value = app.get("/api/v1/stats/national?group=day").await.json().await.unwrap();
    assert_eq!(national["totals"]["received"], 5, "{national}");
    assert_eq!(national["totals"]["responded_on_time"], 4);
    assert_eq!(national["totals"]["on_time_rate"], 1.0);
    assert_eq!(national["totals"]["response_days_median"], 0);
    assert_eq!(national["overdue_now"], 1);
    assert_eq!(national["periods"].as_array().unwrap().len(), 90);
    let received_by_day: i64 = national["periods"].as_array().unwrap().iter().map(|p| p["received"].as_i64().unwrap()).sum();
    assert_eq!(received_by_day, 5);

    // The agency: the public figures leave the confidential report out, by day or by any window;
    // its own staff count it.
    let agency: Value = app.get(&format!("/api/v1/stats/agencies/{AGENCY_A}?group=day")).await.json().await.unwrap();
    assert_eq!((agency["totals"]["dispatched"].clone(), agency["audience"].clone()), (json!(4), json!("public")), "{agency}");
    assert_eq!(agency["counts_confidential"], false);
    assert_eq!(agency["name"], "Pemerintah Kota Bandung");
    assert_eq!(agency["overdue_now"], 1);
    let (status, staff_view) = app.call(Method::GET, &format!("/api/v1/stats/agencies/{AGENCY_A}?group=day"), Some(&staff.executive_a), None).await;
    assert_eq!((status, staff_view["audience"].clone()), (200, json!("staff")), "{staff_view}");
    assert_eq!(staff_view["totals"]["dispatched"], 5, "staff count every report");
    let (_, other_staff) = app.call(Method::GET, &format!("/api/v1/stats/agencies/{AGENCY_A}"), Some(&staff.coordinator_b), None).await;
    assert_eq!(other_staff["totals"]["dispatched"], 4, "another agency's staff read it as the public");
    // Public national figures minus the public splits is all one can learn: a count, nationally.
    let public_day: i64 = agency["periods"].as_array().unwrap().iter().map(|p| p["dispatched"].as_i64().unwrap()).sum();
    assert_eq!(public_day, 4);
    assert_eq!(app.call(Method::GET, "/api/v1/stats/national?to=%2B262142-12-31", None, None).await.0, 400, "far dates are refused, not a 500");
    assert_eq!(app.call(Method::GET, "/api/v1/stats/agencies/no-such-agency", None, None).await.0, 404);

    // Categories: the public split counts 3 + 1 public drainage reports... of which the confidential one is left out.
    let categories: Value = app.get("/api/v1/stats/categories").await.json().await.unwrap();
    let drainage = categories["items"].as_array().unwrap().iter().find(|i| i["key"] == "drainase").unwrap().clone();
    assert_eq!(drainage["received"], 3, "{categories}");
    assert_eq!(drainage["name"], "Drainase dan saluran air");
    let (_, as_admin) = app.call(Method::GET, "/api/v1/stats/categories", Some(&staff.admin), None).await;
    let drainage = as_admin["items"].as_array().unwrap().iter().find(|i| i["key"] == "drainase").unwrap().clone();
    assert_eq!(drainage["received"], 4, "staff count every report: {as_admin}");

    // Regions: the province lists its regencies.
    let province: Value = app.get("/api/v1/stats/regions/32").await.json().await.unwrap();
    assert_eq!(province["dimension"], "province");
    assert_eq!(province["breakdown"]["items"][0]["key"], "32.73", "{province}");
    assert_eq!(app.call(Method::GET, "/api/v1/stats/regions/32.73.05", None, None).await.0, 400);
    assert_eq!(app.call(Method::GET, "/api/v1/stats/national?from=2026-13-01", None, None).await.0, 400);

    // The CSV: a standard reader, a header row, its totals equal the JSON.
    let response = app.get("/api/v1/stats/export.csv?dimension=national&group=week").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().take(5).collect::<Vec<_>>(), ["dimension", "key", "name", "period_start", "period_end"]);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let weekly: Value = app.get("/api/v1/stats/national?group=week").await.json().await.unwrap();
    assert_eq!(records.len(), weekly["periods"].as_array().unwrap().len());
    for measure in ["received", "verified", "dispatched", "responded_on_time", "supports"] {
        let csv_total: i64 = records.iter().map(|r| r[column(measure)].parse::<i64>().unwrap()).sum();
        assert_eq!(json!(csv_total), weekly["totals"][measure], "{measure}");
    }
    let by_agency = app.get("/api/v1/stats/export.csv?dimension=agency").await.text().await.unwrap();
    assert!(by_agency.lines().skip(1).all(|l| l.starts_with("agency,pemkot-32.73,Pemerintah Kota Bandung,")), "{by_agency}");
    assert_eq!(app.call(Method::GET, "/api/v1/stats/export.csv?dimension=galaxy", None, None).await.0, 400);

    // The rebuild is for administrators only.
    assert_eq!(app.call(Method::POST, "/api/v1/admin/stats/rebuild", Some(&staff.executive_a), None).await.0, 403);
    assert_eq!(app.call(Method::POST, "/api/v1/admin/stats/rebuild", None, None).await.0, 401);
    let before = national.clone();
    rebuild(&app, BOOTSTRAP).await;
    let after: Value = app.get("/api/v1/stats/national?group=day").await.json().await.unwrap();
    assert_eq!(before["totals"], after["totals"]);
}

#[tokio::test]
async fn the_league_table_ranks_by_on_time_rate_above_the_minimum_volume() {
    let app = spawn().await;
    let staff = staff(&app).await;
    // A answers 10 on time; B answers 10 of which 2 late; neither is unranked.
    answered(&app, &staff, AGENCY_A, &staff.coordinator_a, 10, "public").await;
    let b = answered(&app, &staff, AGENCY_B, &staff.coordinator_b, 8, "public").await;
    assert_eq!(b.len(), 8);
    for _ in 0..2 {
        let (id, _) = file_and_dispatch(&app, &report("public", None, None, None), &staff.admin, AGENCY_B).await;
        app.db().execute("UPDATE reports SET clock_due = '2020-01-02T00:00:00.000Z' WHERE tracking_id = ?", [&id]).unwrap();
        let (s, b) = app.call(Method::POST, &format!("/api/v1/agency/reports/{id}/responses"), Some(&staff.coordinator_b), Some(json!({"body": "Maaf terlambat."}))).await;
        assert_eq!(s, 200, "{b}");
    }
    // Kemenkes has a single answer: too few to rank.
    let coordinator_k = integration_tests::fixtures::create_staff(&app, &staff.admin, json!({"role": "coordinator", "name": "Koordinator Kemenkes", "agency": "kemenkes"})).await;
    answered(&app, &staff, "kemenkes", &coordinator_k, 1, "public").await;

    let league: Value = app.get("/api/v1/stats/league").await.json().await.unwrap();
    let ranked: Vec<_> = league["ranked"].as_array().unwrap().iter().map(|r| (r["position"].as_i64().unwrap(), r["agency"].as_str().unwrap().to_string())).collect();
    assert_eq!(ranked, [(1, AGENCY_A.to_string()), (2, AGENCY_B.to_string())], "{league}");
    assert_eq!(league["ranked"][1]["figures"]["on_time_rate"], 0.8);
    assert_eq!(league["min_responses"], 10);
    assert_eq!(league["unranked"][0]["agency"], "kemenkes");
    let local: Value = app.get("/api/v1/stats/league?type=pemkab").await.json().await.unwrap();
    assert_eq!(local["ranked"].as_array().unwrap().len(), 1);
    assert_eq!(local["ranked"][0]["agency"], AGENCY_B);
    let province: Value = app.get("/api/v1/stats/league?province=31").await.json().await.unwrap();
    assert!(province["ranked"].as_array().unwrap().is_empty());
    assert_eq!(app.call(Method::GET, "/api/v1/stats/league?type=kerajaan&province=3", None, None).await.0, 400);
}

/// Signs in to the console with `token`; the session cookie, or the status refusing it.
async fn console_session(app: &TestApp, token: &str) -> Result<String, u16> {
    let response = app.client.post(app.url("/staf/masuk")).form(&[("token", token)]).send().await.unwrap();
    if response.status() != 303 {
        return Err(response.status().as_u16());
    }
    Ok(response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string())
}

async fn console_get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let response = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_dashboard_opens_for_every_staff_role_on_its_own_scope_and_the_weekly_summary_is_stored() {
    let app = spawn().await;
    let staff = staff(&app).await;
    answered(&app, &staff, AGENCY_A, &staff.coordinator_a, 2, "public").await;
    let (late, _) = file_and_dispatch(&app, &report("confidential", Some("drainase"), Some("32.73"), None), &staff.admin, AGENCY_A).await;
    let (s, b) = app.call(Method::POST, &format!("/api/v1/agency/reports/{late}/assign"), Some(&staff.coordinator_a), Some(json!({"unit": integration_tests::fixtures::UNIT_A}))).await;
    assert_eq!(s, 200, "{b}");
    app.db().execute("UPDATE reports SET clock_due = '2020-01-02T00:00:00.000Z', clock_remind_at = '2020-01-01T00:00:00.000Z' WHERE tracking_id = ?", [&late]).unwrap();
    assert_eq!(app.call(Method::POST, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await.0, 200);

    for (who, token) in [("admin", &staff.admin), ("coordinator", &staff.coordinator_a), ("officer", &staff.officer_a), ("executive", &staff.executive_a), ("other agency", &staff.coordinator_b)] {
        let cookie = console_session(&app, token).await.unwrap_or_else(|s| panic!("{who} signs in: {s}"));
        let (status, html) = console_get(&app, &cookie, "/staf/dasbor").await;
        assert_eq!(status, 200, "{who}: {html}");
        if who == "other agency" {
            assert!(html.contains("Belum ada data untuk periode ini."), "{who}: no data, said so instead of an empty chart");
        } else {
            assert_eq!(html.matches("role=\"img\"").count(), 2, "{who}: two charts");
        }
        match who {
            "admin" => {
                assert!(html.contains("Dasbor nasional"), "{html}");
                assert!(html.contains(&late), "the nation's oldest overdue report");
                let (status, html) = console_get(&app, &cookie, &format!("/staf/dasbor?instansi={AGENCY_A}")).await;
                assert_eq!(status, 200);
                assert!(html.contains("Pemerintah Kota Bandung"));
            }
            "other agency" => {
                assert!(html.contains("Pemerintah Kabupaten Bandung"));
                assert!(!html.contains(&late), "another agency's overdue report stays out");
                let (status, _) = console_get(&app, &cookie, &format!("/staf/dasbor?instansi={AGENCY_A}")).await;
                assert_eq!(status, 403, "{who} asks for another agency");
            }
            _ => {
                assert!(html.contains("Pemerintah Kota Bandung"), "{who}");
                // The late report, with its unit: which units are late and why.
                assert!(html.contains(&late), "{who}: the overdue report is listed");
                assert!(html.contains("Dinas Pekerjaan Umum dan Penataan Ruang"), "{who}: with its unit");
                assert!(html.contains("Unit kerja yang tertinggal"), "{who}");
            }
        }
    }
    // Nobody without a staff session; a citizen's token opens no session.
    assert_eq!(app.client.get(app.url("/staf/dasbor")).send().await.unwrap().status(), 401);
    let citizen_token = citizen(&app).await;
    assert_eq!(console_session(&app, &citizen_token).await, Err(401));
    let alias = app.client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!((alias.status().as_u16(), alias.headers()["location"].to_str().unwrap()), (303, "/staf/dasbor"), "/dashboard leads to the console's dashboard");

    // The weekly summary: the scheduler's call (with its token) stores it; staff read and download it.
    assert_eq!(app.call(Method::POST, "/internal/stats/weekly", None, None).await.0, 401);
    let (status, stored) = app.call(Method::POST, "/internal/stats/weekly", Some(integration_tests::WEEKLY_SUMMARY_TOKEN), None).await;
    assert_eq!(status, 200, "{stored}");
    assert!(stored["stored"].as_i64().unwrap() >= 1);
    let week = stored["week_start"].as_str().unwrap().to_string();
    let cookie = console_session(&app, &staff.admin).await.unwrap();
    let (status, list) = console_get(&app, &cookie, "/staf/dasbor/ringkasan").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("/staf/dasbor/ringkasan/{week}")), "{list}");
    let (status, page) = console_get(&app, &cookie, &format!("/staf/dasbor/ringkasan/{week}")).await;
    assert_eq!(status, 200, "{page}");
    let (status, csv_body) = console_get(&app, &cookie, &format!("/staf/dasbor/ringkasan/{week}?format=csv")).await;
    assert_eq!(status, 200);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv_body.as_bytes()).records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7, "one row per day of the week");
    assert_eq!(console_get(&app, &cookie, "/staf/dasbor/ringkasan/2001-01-01").await.0, 404);
    let executive = console_session(&app, &staff.executive_a).await.unwrap();
    assert_eq!(console_get(&app, &executive, &format!("/staf/dasbor/ringkasan/{week}")).await.0, 404, "no summary of their agency that week");
}
