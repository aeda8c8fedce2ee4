//! Scale-out on one machine: three runner processes on their own ports, as
//! three replicas behind a load balancer, sharing one redis-server (the
//! key-value store) and one SQLite file in WAL mode (the database). Clients
//! spread their requests round-robin and concurrently; what must hold is what
//! a user of a cluster counts on: nothing lost or filed twice, counts exact,
//! limits shared, and scheduled work (the SLA sweep, notification delivery)
//! done once however many replicas are asked at the same moment.
//!
//! Always on Redis, whatever `LAPOR_TEST_KEY_VALUE` says (so `make test`'s
//! Redis pass skips this module). What this cannot show is a networked
//! database: on a cluster, SQLite becomes libSQL (infra/k8s/README.md).

use std::collections::{HashMap, HashSet};

use futures::future::join_all;
use integration_tests::fixtures::{citizen, file_and_dispatch, AGENCY_A, BOOTSTRAP};
use integration_tests::{AppConfig, KeyValue, Providers, RunnerProcess, TestApp, NOTIFY_TOKEN, SLA_SWEEP_TOKEN};
use reqwest::Method;
use serde_json::{json, Value};

const REPLICAS: usize = 3;

/// Three runner processes of one app. `app` (the harness's in-process
/// runner on the same stores) is used only to read the stores and to set
/// up data; load goes to the replicas.
struct Cluster {
    app: TestApp,
    replicas: Vec<RunnerProcess>,
}

impl Cluster {
    async fn start(config: AppConfig) -> Cluster {
        let app = TestApp::spawn_with(config.key_value(KeyValue::Redis)).await;
        assert!(app.kv().is_redis());
        let replicas: Vec<RunnerProcess> = (0..REPLICAS).map(|_| app.spawn_process()).collect();
        let ports: HashSet<u16> = replicas.iter().map(|r| r.addr.port()).chain([app.addr.port()]).collect();
        assert_eq!(ports.len(), REPLICAS + 1, "every replica on its own port");
        Cluster { app, replicas }
    }

    /// The address of `path` on replica `n` (mod the replica count).
    fn url(&self, n: usize, path: &str) -> String {
        self.replicas[n % REPLICAS].url(path)
    }

    async fn call(&self, n: usize, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        call(&self.app.client, self.url(n, path), method, token, body, &[]).await
    }
}

async fn call(client: &reqwest::Client, url: String, method: Method, token: Option<&str>, body: Option<Value>, headers: &[(&str, String)]) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn report(n: usize) -> Value {
    report_with(n, "public")
}

fn report_with(n: usize, privacy: &str) -> Value {
    json!({
        "kind": "pengaduan",
        "title": format!("Jalan rusak nomor {n}"),
        "body": format!("Jalan di depan rumah nomor {n} berlubang besar dan membahayakan pengendara motor."),
        "privacy": privacy,
    })
}

fn hour_now() -> u64 {
    chrono::Utc::now().timestamp() as u64 / 3600
}

/// Clients behind a proxy the app trusts, so each can have its own address
/// (every test client is 127.0.0.1) and one address can be shared on purpose.
fn behind_proxy() -> AppConfig {
    AppConfig::with_bootstrap_admin().var("trusted_proxies", "127.0.0.0/8").var("report_rate_limit_per_address", "12")
}

/// Many clients file at once over the three replicas, each report with an
/// Idempotency-Key, sent to one replica and at the same moment to another,
/// then retried on the third: one report per key, the same tracking ID and
/// reporter token in all three answers, none lost. The very first requests
/// also race the schema migration on three processes.
#[tokio::test]
async fn reports_filed_over_three_replicas_are_neither_lost_nor_duplicated() {
    let cluster = Cluster::start(behind_proxy()).await;
    const CLIENTS: usize = 24;
    const EACH: usize = 3;
    let clients = (0..CLIENTS).map(|c| {
        let cluster = &cluster;
        async move {
            let address = vec![("x-forwarded-for", format!("198.51.100.{}", c + 1))];
            let mut filed = Vec::new();
            for n in 0..EACH {
                let key = format!("scale-out-client-{c}-report-{n}");
                let mut headers = address.clone();
                headers.push(("idempotency-key", key.clone()));
                // The first client's reports are confidential: only their tokens read them.
                let body = report_with(c * EACH + n, if c == 0 { "confidential" } else { "public" });
                let send = |replica: usize| call(&cluster.app.client, cluster.url(replica, "/api/v1/reports"), Method::POST, None, Some(body.clone()), &headers);
                // The first attempt and a racing duplicate on another replica.
                let (first, racing) = futures::future::join(send(c + n), send(c + n + 1)).await;
                // A later retry on the third replica.
                let retry = send(c + n + 2).await;
                filed.push((key, [first, racing, retry]));
            }
            filed
        }
    });
    let filed: Vec<(String, [(u16, Value); 3])> = join_all(clients).await.into_iter().flatten().collect();

    let mut tracking_ids = HashSet::new();
    for (key, answers) in &filed {
        for (status, body) in answers {
            assert_eq!(*status, 201, "{key}: {body}");
        }
        let ids: HashSet<&str> = answers.iter().map(|(_, b)| b["tracking_id"].as_str().unwrap()).collect();
        let tokens: HashSet<&str> = answers.iter().map(|(_, b)| b["reporter_token"].as_str().unwrap()).collect();
        assert_eq!((ids.len(), tokens.len()), (1, 1), "{key}: one report, one token, whichever replica answered: {answers:?}");
        assert!(tracking_ids.insert(ids.into_iter().next().unwrap().to_string()), "{key}: a tracking ID given to two keys");
    }
    assert_eq!(tracking_ids.len(), CLIENTS * EACH);
    let db = &cluster.app;
    assert_eq!(db.count("SELECT count(*) FROM reports"), (CLIENTS * EACH) as i64, "one row per key");
    assert_eq!(db.count("SELECT count(DISTINCT title) FROM reports"), (CLIENTS * EACH) as i64);
    // One SQLite file shared by processes: WAL, which the app turns on itself.
    let mode: String = db.db().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");

    // A confidential report: its token (whichever replica made the answer)
    // reads it on every replica; without it, it is unknown everywhere.
    let (key, answers) = &filed[0];
    let id = answers[0].1["tracking_id"].as_str().unwrap();
    let token = answers[0].1["reporter_token"].as_str().unwrap();
    for replica in 0..REPLICAS {
        let (status, view) = cluster.call(replica, Method::GET, &format!("/api/v1/reports/{id}"), Some(token), None).await;
        assert_eq!(status, 200, "{key} on replica {replica}: {view}");
        assert_eq!(view["tracking_id"], id);
        assert_eq!(cluster.call(replica, Method::GET, &format!("/api/v1/reports/{id}"), None, None).await.0, 404);
    }
    cluster.app.stop().await;
}

/// One client address, requests spread over the three replicas at once:
/// the hourly limit is counted once for all of them (in Redis), not once
/// per replica.
#[tokio::test]
async fn the_report_rate_limit_is_shared_by_every_replica() {
    let cluster = Cluster::start(behind_proxy()).await;
    // Warm every replica up (schema, compiled code) so the burst below is one burst.
    for replica in 0..REPLICAS {
        assert_eq!(cluster.call(replica, Method::GET, "/api/v1/health", None, None).await.0, 200);
    }
    const LIMIT: usize = 12;
    let address = "203.0.113.9";
    // A burst that straddles the top of the hour meets two windows; then
    // it is run again, within one hour.
    let mut created = 0;
    for attempt in 0.. {
        let hour = hour_now();
        let burst = (0..LIMIT * 3).map(|n| {
            let headers = vec![("x-forwarded-for", address.to_string())];
            let url = cluster.url(n, "/api/v1/reports");
            let client = cluster.app.client.clone();
            async move { call(&client, url, Method::POST, None, Some(report(1000 * attempt + n)), &headers).await.0 }
        });
        let statuses = join_all(burst).await;
        created += statuses.iter().filter(|s| **s == 201).count() as i64;
        if hour_now() != hour && attempt == 0 {
            continue;
        }
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), LIMIT, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), LIMIT * 2, "{statuses:?}");
        // The one counter every replica incremented, in the shared store.
        let counter = cluster.app.kv().get(&kv_schema::report_rate_by_address_key(address, hour)).expect("the window's counter");
        assert_eq!(String::from_utf8(counter).unwrap(), (LIMIT * 3).to_string());
        break;
    }
    assert_eq!(cluster.app.count("SELECT count(*) FROM reports"), created, "a refused report writes nothing");
    // Another address is not limited by that one.
    let other = vec![("x-forwarded-for", "203.0.113.10".to_string())];
    assert_eq!(call(&cluster.app.client, cluster.url(1, "/api/v1/reports"), Method::POST, None, Some(report(9999)), &other).await.0, 201);
    cluster.app.stop().await;
}

/// Every citizen supports a report twice at the same moment, through two
/// different replicas: one support each, and every replica shows the count.
#[tokio::test]
async fn supports_through_three_replicas_are_counted_exactly() {
    let cluster = Cluster::start(AppConfig::with_bootstrap_admin()).await;
    let (id, _) = file_and_dispatch(&cluster.app, &report(1), BOOTSTRAP, AGENCY_A).await;
    let path = format!("/api/v1/reports/{id}/supports");
    const CITIZENS: usize = 45;
    let mut tokens = Vec::new();
    for _ in 0..CITIZENS {
        tokens.push(citizen(&cluster.app).await);
    }
    let calls = tokens.iter().enumerate().flat_map(|(i, token)| {
        let cluster = &cluster;
        let path = &path;
        (0..2).map(move |round| async move { cluster.call(i + round, Method::POST, path, Some(token), None).await.0 })
    });
    let statuses = join_all(calls).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), CITIZENS, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), CITIZENS, "{statuses:?}");
    assert_eq!(cluster.app.count("SELECT count(*) FROM supports"), CITIZENS as i64);
    for replica in 0..REPLICAS {
        let (_, view) = cluster.call(replica, Method::GET, &format!("/api/v1/reports/{id}"), None, None).await;
        assert_eq!(view["supports"], CITIZENS, "replica {replica}: {view}");
    }
    cluster.app.stop().await;
}

/// The SLA sweep called on all three replicas at once, over and over in
/// small batches (as CronJobs on several nodes, or a retried job, would):
/// each overdue report escalated once, each reminder sent once; and the
/// sweep's key-value housekeeping, racing itself, deletes exactly the
/// windows that are over.
#[tokio::test]
async fn concurrent_sweeps_on_three_replicas_act_once_per_report() {
    let cluster = Cluster::start(AppConfig::with_bootstrap_admin().var("sla_sweep_batch", "7").var("kv_housekeeping_batch", "4")).await;
    let app = &cluster.app;
    const OVERDUE: usize = 40;
    const REMIND: usize = 30;
    let mut ids = Vec::new();
    for n in 0..OVERDUE + REMIND {
        ids.push(app.file(&report(n)).await["tracking_id"].as_str().unwrap().to_string());
    }
    let (overdue, remind) = ids.split_at(OVERDUE);
    // Time moves by moving the stored clocks (the service has no clock override).
    for id in overdue {
        app.db().execute("UPDATE reports SET clock_remind_at = '2020-01-01T00:00:00.000Z', clock_due = '2020-01-02T00:00:00.000Z' WHERE tracking_id = ?", [id]).unwrap();
    }
    for id in remind {
        app.db().execute("UPDATE reports SET clock_remind_at = '2020-01-01T00:00:00.000Z' WHERE tracking_id = ?", [id]).unwrap();
    }
    let hour = hour_now();
    let stale: Vec<String> = (0..10).map(|n| kv_schema::report_rate_by_address_key(&format!("10.0.0.{n}"), hour - 2)).collect();
    let live = kv_schema::report_rate_by_address_key("10.0.0.1", hour + 1);
    for key in stale.iter().chain([&live]) {
        app.kv().set_counter(key, 5);
    }

    // Two sweepers per replica, each sweeping until its answer says no more.
    let sweepers = (0..REPLICAS * 2).map(|n| {
        let cluster = &cluster;
        async move {
            let mut answers = Vec::new();
            loop {
                let (status, answer) = cluster.call(n, Method::POST, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await;
                assert_eq!(status, 200, "{answer}");
                let more = answer["more"] == true;
                answers.push(answer);
                if !more {
                    return answers;
                }
            }
        }
    });
    let answers: Vec<Value> = join_all(sweepers).await.into_iter().flatten().collect();
    let total = |field: &str| answers.iter().map(|a| a[field].as_i64().unwrap()).sum::<i64>();
    assert_eq!(total("escalated"), OVERDUE as i64, "{answers:?}");
    assert_eq!(total("reminded"), REMIND as i64, "{answers:?}");
    assert_eq!(total("completed"), 0);
    assert!(answers.len() > REPLICAS * 2, "the sweepers took several batches each: {}", answers.len());

    let per_report = |event: &str| -> HashMap<String, i64> {
        let db = app.db();
        let mut statement = db
            .prepare("SELECT tracking_id, count(*) FROM report_events JOIN reports ON reports.id = report_events.report_id WHERE type = ? GROUP BY tracking_id")
            .unwrap();
        let counts = statement.query_map([event], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        counts
    };
    let escalated = per_report("sla_escalated");
    let reminded = per_report("sla_reminder");
    for id in overdue {
        assert_eq!(escalated.get(id), Some(&1), "{id} escalated once");
    }
    for id in remind {
        assert_eq!((reminded.get(id), escalated.get(id)), (Some(&1), None), "{id} reminded once");
    }
    assert_eq!(escalated.len(), OVERDUE);
    assert_eq!(app.count("SELECT count(*) FROM staff_alerts WHERE event_type = 'sla_escalated'"), OVERDUE as i64);
    // A further sweep on any replica finds nothing to do.
    let (_, again) = cluster.call(1, Method::POST, "/internal/sla/sweep", Some(SLA_SWEEP_TOKEN), None).await;
    assert_eq!((again["examined"].as_i64(), again["more"].as_bool()), (Some(0), Some(false)), "{again}");

    let keys = app.kv().keys();
    assert!(stale.iter().all(|k| !keys.contains(k)), "every window that is over is gone: {keys:?}");
    assert!(keys.contains(&live), "{keys:?}");
    cluster.app.stop().await;
}

/// Delivery called on all three replicas at once while the webhook endpoint
/// fails now and then: every follower hears of the event exactly once.
#[tokio::test]
async fn concurrent_deliveries_on_three_replicas_send_each_notification_once() {
    let providers = Providers::start();
    let cluster = Cluster::start(AppConfig::with_bootstrap_admin().with_providers(&providers).var("notify_batch", "4")).await;
    let app = &cluster.app;
    let id = app.file(&report(1)).await["tracking_id"].as_str().unwrap().to_string();
    const FOLLOWERS: usize = 30;
    for n in 0..FOLLOWERS {
        let follower = citizen(app).await;
        let hook = json!({"channel": "webhook", "address": format!("{}/hooks/follower-{n}", providers.origin())});
        let (status, body) = cluster.call(n, Method::POST, &format!("/api/v1/reports/{id}/follows"), Some(&follower), Some(hook)).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = cluster.call(0, Method::POST, &format!("/api/v1/admin/reports/{id}/verify"), Some(BOOTSTRAP), Some(json!({"agency": AGENCY_A}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'pending'"), FOLLOWERS as i64);
    // Some sends fail (retried at once: notify_retry_base_seconds = 0).
    providers.fail_next("webhook", 6, 503);

    let mut sent = 0;
    // Rounds of concurrent callers, two per replica, each calling until it
    // claims nothing; a failed send goes back to pending after a caller may
    // have stopped, so rounds go on until nothing is pending.
    for _round in 0..10 {
        let callers = (0..REPLICAS * 2).map(|n| {
            let cluster = &cluster;
            async move {
                let mut sent = 0;
                loop {
                    let (status, run) = cluster.call(n, Method::POST, "/internal/notifications/deliver", Some(NOTIFY_TOKEN), None).await;
                    assert_eq!(status, 200, "{run}");
                    sent += run["sent"].as_i64().unwrap();
                    if run["claimed"] == 0 {
                        return sent;
                    }
                }
            }
        });
        sent += join_all(callers).await.into_iter().sum::<i64>();
        if app.count("SELECT count(*) FROM notification_outbox WHERE state <> 'sent'") == 0 {
            break;
        }
    }
    assert_eq!(sent, FOLLOWERS as i64, "sent once each, by whichever replica");
    let hooks = providers.delivered("webhook");
    let mut paths: Vec<String> = hooks.iter().map(|r| r.path.clone()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!((hooks.len(), paths.len()), (FOLLOWERS, FOLLOWERS), "each follower exactly once: {paths:?}");
    assert_eq!(providers.requests_to("webhook").len(), FOLLOWERS + 6, "the failures were retried, nothing else was sent again");
    assert_eq!(app.count("SELECT count(*) FROM notification_outbox WHERE state = 'sent'"), FOLLOWERS as i64);
    cluster.app.stop().await;
}

/// The cluster's manifests (infra/k8s) name each other consistently, since
/// nothing here can apply them: the runtime config is in Spin's format, its
/// key-value store is the Valkey Service of valkey.yaml in the namespace the
/// CronJobs call the app in, and the HPA, not `replicas`, sizes the SpinApp.
#[test]
fn the_cluster_manifests_agree() {
    let k8s = integration_tests::workspace_root().join("infra/k8s");
    let read = |file: &str| std::fs::read_to_string(k8s.join(file)).unwrap();
    let spinapp = read("spinapp.yaml");

    // The Secret's `runtime-config.toml: |` block, unindented.
    let runtime_config: String = spinapp
        .lines()
        .skip_while(|l| l.trim() != "runtime-config.toml: |")
        .skip(1)
        .take_while(|l| l.starts_with("    ") || l.trim().is_empty())
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or("")))
        .collect();
    let table: toml::Table = toml::from_str(&runtime_config).unwrap_or_else(|e| panic!("{e}\n{runtime_config}"));
    let database = &table["sqlite_database"]["default"];
    assert_eq!(database["type"].as_str(), Some("libsql"), "{runtime_config}");
    assert!(database["url"].as_str().unwrap().starts_with("https://") && database.get("token").is_some(), "{runtime_config}");
    // The key-value part read by the runner, with Spin's strictness.
    let mut key_value = toml::Table::new();
    key_value.insert("key_value_store".into(), table["key_value_store"].clone());
    let parsed = runner::runtime_config::RuntimeConfig::parse(&toml::to_string(&key_value).unwrap(), "spinapp.yaml", std::path::Path::new(".")).unwrap();
    let runner::runtime_config::KeyValueBackend::Redis { url } = &parsed.key_value_stores["default"] else {
        panic!("the cluster's key-value store must be Redis/Valkey: {runtime_config}");
    };
    let host = url.rsplit_once('@').map_or(url.as_str(), |(_, rest)| rest).trim_start_matches("redis://").split(':').next().unwrap();

    // The namespace every CronJob calls the app in.
    let namespaces: HashSet<String> = ["sla-sweep-cronjob.yaml", "notify-cronjob.yaml", "weekly-summary-cronjob.yaml"]
        .iter()
        .map(|file| {
            let text = read(file);
            let at = text.find("http://lapor.").unwrap_or_else(|| panic!("{file} calls the app's Service"));
            text[at + "http://lapor.".len()..].split('.').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(namespaces.len(), 1, "{namespaces:?}");
    let namespace = namespaces.into_iter().next().unwrap();
    assert_eq!(host, format!("valkey.{namespace}.svc.cluster.local"), "{url}");
    let valkey = read("valkey.yaml");
    assert!(valkey.contains("kind: Service\nmetadata:\n  name: valkey\n"), "valkey.yaml has the Service the URL names");
    assert!(valkey.contains("key: valkey_password") && url.contains(":REPLACE_WITH_THE_VALKEY_PASSWORD@"), "the password Valkey requires is in the URL");

    // Autoscaled: the HPA targets the operator's Deployment, named after the SpinApp.
    assert!(spinapp.contains("kind: SpinApp\nmetadata:\n  name: lapor\n"));
    assert!(spinapp.contains("  enableAutoscaling: true\n") && !spinapp.contains("\n  replicas:"), "enableAutoscaling and replicas exclude each other");
    assert!(spinapp.contains("kind: HorizontalPodAutoscaler") && spinapp.contains("    kind: Deployment\n    name: lapor\n"));
    for probe in ["path: /api/v1/health", "path: /.well-known/spin/health"] {
        assert!(spinapp.contains(probe), "{probe}");
    }
}
