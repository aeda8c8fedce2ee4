//! The runner, driven over real HTTP with a real guest (the probe component):
//! routing, Spin's headers, store allow-lists, KV atomics on both backends,
//! SQLite transactions, variables, outbound rules and blocked networks, files,
//! the scheduler, the compiled-component cache, graceful shutdown, and slow or
//! greedy clients (timeouts, the body buffer, the per-address cap).

mod support;

use std::time::{Duration, Instant};

use runner::server::Limits;
use support::{local_http_server, probe_manifest, Redis, Spawn};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn injects_spin_headers_for_parameter_routes() {
    let app = Spawn::default().start().await;
    let response = app
        .client
        .get(app.url("/items/42/detail/summary?lang=id"))
        // A client cannot forge what the runtime sets.
        .header("spin-path-info", "/forged")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let v: serde_json::Value = response.json().await.unwrap();
    let h = &v["headers"];
    assert_eq!(h["spin-path-match-id"], "42");
    // As Spin (trigger-http): a parameter's `_` becomes `-` in its header's name.
    assert_eq!(h["spin-path-match-part-name"], "summary");
    assert!(h.get("spin-path-match-part_name").is_none());
    assert_eq!(h["spin-matched-route"], "/items/:id/detail/:part_name");
    assert_eq!(h["spin-raw-component-route"], "/items/:id/detail/:part_name");
    assert_eq!(h["spin-component-route"], "/items/:id/detail/:part_name");
    assert_eq!(h["spin-base-path"], "/");
    assert_eq!(h["spin-path-info"], "");
    assert_eq!(h["spin-full-url"], format!("http://{}/items/42/detail/summary?lang=id", app.addr));
    let client_addr = h["spin-client-addr"].as_str().unwrap();
    assert!(client_addr.starts_with("127.0.0.1:"), "{client_addr}");
    assert_eq!(v["uri"], format!("http://{}/items/42/detail/summary?lang=id", app.addr));
}

#[tokio::test]
async fn injects_spin_headers_for_wildcard_routes() {
    let app = Spawn::default().start().await;
    let v = app.get_json("/probe/headers").await;
    let h = &v["headers"];
    assert_eq!(h["spin-path-info"], "/headers");
    assert_eq!(h["spin-matched-route"], "/probe/...");
    assert_eq!(h["spin-raw-component-route"], "/probe/...");
    assert_eq!(h["spin-component-route"], "/probe");
}

#[tokio::test]
async fn routes_well_known_unknown_and_private_paths() {
    let app = Spawn::default().start().await;
    assert_eq!(app.get("/.well-known/spin/health").await, (200, "OK".to_string()));
    // As Spin: the application's name and version, nothing else.
    let info = app.get_json("/.well-known/spin/info").await;
    assert_eq!(info, serde_json::json!({"name": "probe-app", "version": "1.2.3"}));
    assert_eq!(app.get("/nothing/here").await.0, 404);
    // The private component has no public route of its own.
    assert_eq!(app.get("/worker").await.0, 404);
    assert_eq!(app.get("/items/42").await.0, 404);
}

#[tokio::test]
async fn unrouted_paths_and_health_answer_exactly_as_spin_does() {
    let app = Spawn::default().start().await;
    // Spin: 404, an empty body, no content type.
    for path in ["/nothing/here", "/.well-known/spin/nothing"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers().get("content-type"), None, "{path}");
        assert_eq!(response.headers().get("content-length").map(|v| v.to_str().unwrap()), Some("0"), "{path}");
        assert_eq!(response.text().await.unwrap(), "", "{path}");
    }
    // Spin: `OK` with no content type.
    let response = app.client.get(app.url("/.well-known/spin/health")).send().await.unwrap();
    assert_eq!(response.headers().get("content-type"), None);
    assert_eq!(response.text().await.unwrap(), "OK");
}

/// The guest saw the `access-denied` variant (the SDK prints it as
/// `AccessDenied` or `Error::AccessDenied` depending on the interface).
fn assert_denied(answer: String) {
    assert!(
        answer.starts_with("error: ") && answer.ends_with("AccessDenied"),
        "expected access-denied, got {answer:?}"
    );
}

#[tokio::test]
async fn undeclared_stores_and_databases_are_access_denied() {
    let app = Spawn::default().start().await;
    assert_eq!(app.get("/probe/kv/open/default").await.1, "ok");
    assert_denied(app.get("/probe/kv/open/cache").await.1);
    assert_eq!(app.get("/probe/wasi-kv/open/default").await.1, "ok");
    assert_denied(app.get("/probe/wasi-kv/open/cache").await.1);
    assert_eq!(app.get("/probe/sqlite/open/default").await.1, "ok");
    assert_denied(app.get("/probe/sqlite/open/reports").await.1);
    // `stranger` declares no stores at all.
    assert_denied(app.get("/stranger/kv/open/default").await.1);
    assert_denied(app.get("/stranger/wasi-kv/open/default").await.1);
    assert_denied(app.get("/stranger/sqlite/open/default").await.1);
}

#[tokio::test]
async fn sqlite_transactions_span_execute_calls_on_one_connection() {
    let app = Spawn::default().start().await;
    let v = app.get_json("/probe/sqlite/transaction").await;
    assert_eq!(v["before"], 0);
    assert_eq!(v["inside_transaction"], 1);
    assert_eq!(v["after_rollback"], 0, "the rolled-back insert must vanish");
    assert_eq!(v["after_commit"], 1);
    assert_eq!(v["last_insert_rowid"], 1);
    assert_eq!(v["changes"], 1);
}

#[tokio::test]
async fn sqlite_option_runs_statements_before_serving() {
    let app = Spawn {
        sqlite_statements: vec![
            "CREATE TABLE probe_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO probe_items (name) VALUES ('a'), ('b');"
                .to_string(),
        ],
        ..Spawn::default()
    }
    .start()
    .await;
    assert_eq!(app.get("/probe/sqlite/count").await, (200, "2".to_string()));
}

async fn exercise_key_value(app: &support::TestApp) {
    assert_eq!(app.post("/probe/kv/set?key=greeting&value=selamat%20pagi").await.0, 200);
    assert_eq!(app.get("/probe/kv/get?key=greeting").await, (200, "selamat pagi".to_string()));
    assert_eq!(app.get("/probe/kv/get?key=missing").await.0, 404);

    // Fifty concurrent increments from fifty instances: none may be lost.
    let mut handles = Vec::new();
    for _ in 0..50 {
        let client = app.client.clone();
        let url = app.url("/probe/atomics/increment?key=hits&delta=1");
        handles.push(tokio::spawn(async move { client.post(url).send().await.unwrap().text().await.unwrap() }));
    }
    for handle in handles {
        handle.await.unwrap().parse::<i64>().expect("increment returns a number");
    }
    assert_eq!(app.post("/probe/atomics/increment?key=hits&delta=0").await.1, "50");
    assert_eq!(app.post("/probe/atomics/increment?key=hits&delta=-8").await.1, "42");

    let cas = app.get_json("/probe/atomics/cas").await;
    assert_eq!(cas["first_seen"], "v1");
    assert_eq!(cas["first_swap"], "cas-failed", "a swap after a concurrent change must fail");
    assert_eq!(cas["second_seen"], "changed-by-someone-else");
    assert_eq!(cas["second_swap"], "swapped");
    assert_eq!(cas["final"], "v3");

    let batch = app.get_json("/probe/batch").await;
    assert_eq!(batch["got"], serde_json::json!([["b1", "one"], ["b2", "two"], ["b3", null]]));
    assert_eq!(batch["b1_exists_after_delete"], false);
}

#[tokio::test]
async fn key_value_and_atomics_on_the_sqlite_backend() {
    let app = Spawn::default().start().await;
    exercise_key_value(&app).await;
    // Spin's own file and table layout.
    let conn = rusqlite::Connection::open(app.dir.path().join(".spin/sqlite_key_value.db")).unwrap();
    let value: Vec<u8> = conn
        .query_row("SELECT value FROM spin_key_value WHERE store = 'default' AND key = 'greeting'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(value, b"selamat pagi");
    let counter: Vec<u8> = conn
        .query_row("SELECT value FROM spin_key_value WHERE store = 'default' AND key = 'hits'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(counter, 42i64.to_le_bytes(), "counters are 8 little-endian bytes, as in Spin");
}

#[tokio::test]
async fn key_value_and_atomics_on_the_redis_backend() {
    let redis = Redis::start();
    let app = Spawn {
        runtime_config: Some(format!("[key_value_store.default]\ntype = \"redis\"\nurl = \"{}\"\n", redis.url())),
        ..Spawn::default()
    }
    .start()
    .await;
    exercise_key_value(&app).await;
    let client = redis::Client::open(redis.url()).unwrap();
    let mut conn = client.get_connection().unwrap();
    let hits: i64 = redis::cmd("GET").arg("hits").query(&mut conn).unwrap();
    assert_eq!(hits, 42, "counters are Redis integers (INCRBY)");
}

#[tokio::test]
async fn variables_resolve_from_environment_then_defaults() {
    let app = Spawn::default().start().await;
    assert_eq!(app.get("/probe/variables/greeting").await.1, "halo");
    assert_eq!(app.get("/probe/variables/token").await.1, "Bearer s3cret");
    let undefined = app.get("/probe/variables/nothing").await.1;
    assert!(undefined.starts_with("error: Error::Undefined"), "{undefined}");
    let invalid = app.get("/probe/variables/Not-Valid").await.1;
    assert!(invalid.starts_with("error: Error::InvalidName"), "{invalid}");

    let mut spawn = Spawn::default();
    spawn.env.insert("SPIN_VARIABLE_GREETING".into(), "selamat datang".into());
    let app = spawn.start().await;
    assert_eq!(app.get("/probe/variables/greeting").await.1, "selamat datang");
}

#[tokio::test]
async fn missing_required_variable_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut spawn = Spawn::default();
    spawn.env.clear();
    let error = runner::start(spawn.options(dir.path())).await.err().expect("start must fail");
    let message = format!("{error:#}");
    assert!(message.contains("`secret_token`"), "{message}");
    assert!(message.contains("SPIN_VARIABLE_SECRET_TOKEN"), "{message}");
}

#[tokio::test]
async fn outbound_requests_obey_allowed_outbound_hosts() {
    let upstream = local_http_server("hello from upstream").await;
    let app = Spawn { manifest: probe_manifest(&format!("http://{upstream}")), ..Spawn::default() }
        .start()
        .await;

    let allowed = app.get(&format!("/probe/outbound?url=http%3A//{upstream}/x")).await.1;
    assert_eq!(allowed, "status 200 body hello from upstream");

    // Same machine, other port: not in the list.
    let other_port = app.get(&format!("/probe/outbound?url=http%3A//127.0.0.1%3A{}/x", upstream.port() + 1)).await.1;
    assert!(other_port.starts_with("error:") && other_port.contains("HttpRequestDenied"), "{other_port}");
    let elsewhere = app.get("/probe/outbound?url=https%3A//example.com/").await.1;
    assert!(elsewhere.contains("HttpRequestDenied"), "{elsewhere}");
}

#[tokio::test]
async fn an_ip_network_in_allowed_outbound_hosts_allows_addresses_not_names() {
    let upstream = local_http_server("hello from the network").await;
    let app = Spawn { manifest: probe_manifest(&format!("*://127.0.0.0/24:{}", upstream.port())), ..Spawn::default() }.start().await;
    let allowed = app.get(&format!("/probe/outbound?url=http%3A//127.0.0.1%3A{}/x", upstream.port())).await.1;
    assert_eq!(allowed, "status 200 body hello from the network");
    // `localhost` resolves into the network, but Spin matches a network against addresses only.
    let named = app.get(&format!("/probe/outbound?url=http%3A//localhost%3A{}/x", upstream.port())).await.1;
    assert!(named.contains("HttpRequestDenied"), "{named}");
}

#[tokio::test]
async fn service_chaining_reaches_private_components_in_memory() {
    let app = Spawn::default().start().await;
    let answer = app.get("/probe/outbound?url=http%3A//worker.spin.internal/headers").await.1;
    let body = answer.strip_prefix("status 200 body ").unwrap_or_else(|| panic!("{answer}"));
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    // The whole path goes to the target as if its route were `/...`.
    assert_eq!(v["headers"]["spin-path-info"], "/headers");
    assert_eq!(v["headers"]["spin-raw-component-route"], "/...");

    // `stranger` is not in the probe's allowed_outbound_hosts.
    let denied = app.get("/probe/outbound?url=http%3A//stranger.spin.internal/headers").await.1;
    assert!(denied.contains("HttpRequestDenied"), "{denied}");
}

#[tokio::test]
async fn environment_and_files_reach_the_guest() {
    let app = Spawn::default().start().await;
    assert_eq!(app.get("/probe/env/PROBE_MODE").await.1, "test");
    assert_eq!(app.get("/stranger/env/PROBE_MODE").await.1, "unset");
    assert_eq!(app.get("/probe/files/static/hello.txt").await, (200, "halo dari berkas".to_string()));
    assert_eq!(app.get("/stranger/files/static/hello.txt").await.0, 404);
}

#[tokio::test]
async fn a_trapping_guest_gets_500_and_the_next_request_is_served() {
    let app = Spawn::default().start().await;
    assert_eq!(app.get("/probe/trap").await.0, 500);
    assert_eq!(app.get("/probe/env/PROBE_MODE").await, (200, "test".to_string()));
}

#[tokio::test]
async fn each_request_gets_a_fresh_instance() {
    // The probe keeps nothing in memory between requests; many concurrent
    // requests all succeed, more than one instance at a time.
    let app = Spawn::default().start().await;
    let mut handles = Vec::new();
    for _ in 0..20 {
        let client = app.client.clone();
        let url = app.url("/probe/slow?ms=200");
        handles.push(tokio::spawn(async move { client.get(url).send().await.unwrap().status().as_u16() }));
    }
    let started = std::time::Instant::now();
    for h in handles {
        assert_eq!(h.await.unwrap(), 200);
    }
    assert!(started.elapsed() < Duration::from_secs(4), "requests ran one after another: {:?}", started.elapsed());
}

#[tokio::test]
async fn restart_reuses_the_compiled_component_cache_and_the_stores() {
    let app = Spawn { shared_cache: false, ..Spawn::default() }.start().await;
    assert!(app.server.as_ref().unwrap().app.compiled_count >= 1);
    app.post("/probe/kv/set?key=kept&value=yes").await;
    let dir = app.stop().await;

    let app = Spawn { shared_cache: false, ..Spawn::default() }.start_in(dir).await;
    assert_eq!(app.server.as_ref().unwrap().app.compiled_count, 0, "a restart must not recompile");
    assert_eq!(app.get("/probe/kv/get?key=kept").await, (200, "yes".to_string()));
    let cached: Vec<_> = std::fs::read_dir(app.dir.path().join(".spin/component-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cached.len(), 3, "one artifact per component: {cached:?}");
}

#[tokio::test]
async fn a_changed_wasm_file_invalidates_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("probe-copy.wasm");
    std::fs::copy(support::probe_wasm(), &copy).unwrap();
    // Only the `probe` component (the first `source`) uses the copy.
    let manifest = probe_manifest("http://127.0.0.1:1").replacen(
        &support::probe_wasm().display().to_string(),
        &copy.display().to_string(),
        1,
    );
    let app = Spawn { manifest: manifest.clone(), shared_cache: false, ..Spawn::default() }.start_in(dir).await;
    let dir = app.stop().await;

    // Append a custom section: same code, different bytes.
    let mut bytes = std::fs::read(&copy).unwrap();
    bytes.extend_from_slice(&[0x00, 0x05, 0x04, b'n', b'o', b't', b'e']);
    std::fs::write(&copy, bytes).unwrap();
    let app = Spawn { manifest, shared_cache: false, ..Spawn::default() }.start_in(dir).await;
    assert_eq!(app.server.as_ref().unwrap().app.compiled_count, 1, "only the changed component is recompiled");
    assert_eq!(app.get("/probe/env/PROBE_MODE").await.1, "test");
}

#[tokio::test]
async fn scheduler_calls_routes_with_the_bearer_variable() {
    let app = Spawn {
        schedules: vec!["* * * * * * POST /probe/record-auth bearer=secret_token".to_string()],
        ..Spawn::default()
    }
    .start()
    .await;
    let mut recorded = (404, String::new());
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        recorded = app.get("/probe/kv/get?key=last-auth").await;
        if recorded.0 == 200 {
            break;
        }
    }
    assert_eq!(recorded, (200, "Bearer s3cret".to_string()));
}

#[tokio::test]
async fn shutdown_finishes_in_flight_requests() {
    let app = Spawn::default().start().await;
    let client = app.client.clone();
    let url = app.url("/probe/slow?ms=1000");
    let in_flight = tokio::spawn(async move {
        let response = client.get(url).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let addr = app.addr;
    let _dir = app.stop().await;
    assert_eq!(in_flight.await.unwrap(), (200, "slept 1000".to_string()));
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "the listener must be closed");
}

#[tokio::test]
async fn undefined_store_label_fails_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = probe_manifest("http://127.0.0.1:1").replace(
        "key_value_stores = [\"default\"]",
        "key_value_stores = [\"default\", \"cache\"]",
    );
    let error = runner::start(Spawn { manifest, ..Spawn::default() }.options(dir.path()))
        .await
        .err()
        .expect("start must fail");
    let message = format!("{error:#}");
    assert!(message.contains("`cache`") && message.contains("[key_value_store.cache]"), "{message}");
}

/// An upstream on loopback, reached by name (`localhost`) and by address.
async fn blocked_networks_app(runtime_config: Option<&str>) -> (support::TestApp, u16) {
    let upstream = local_http_server("hello from upstream").await;
    let app = Spawn {
        manifest: probe_manifest(&format!("*://*:{}", upstream.port())),
        runtime_config: runtime_config.map(str::to_string),
        ..Spawn::default()
    }
    .start()
    .await;
    (app, upstream.port())
}

async fn fetch_via_probe(app: &support::TestApp, url: &str) -> String {
    app.get(&format!("/probe/outbound?url={}", url.replace(':', "%3A"))).await.1
}

#[tokio::test]
async fn block_networks_refuse_what_a_name_resolves_to() {
    // Without the setting nothing is blocked, as in Spin.
    let (app, port) = blocked_networks_app(None).await;
    assert_eq!(fetch_via_probe(&app, &format!("http://localhost:{port}/x")).await, "status 200 body hello from upstream");

    // "private": the allow-list lets `localhost` through, but it resolves to
    // loopback, so the connection is refused, as Spin refuses it.
    let (app, port) = blocked_networks_app(Some("[outbound_networking]\nblock_networks = [\"private\"]\n")).await;
    for url in [format!("http://localhost:{port}/x"), format!("http://127.0.0.1:{port}/x")] {
        let answer = fetch_via_probe(&app, &url).await;
        assert!(answer.starts_with("error:") && answer.contains("DestinationIpProhibited"), "{url}: {answer}");
    }
    // Service chaining never leaves the process: not a network connection.
    assert!(fetch_via_probe(&app, "http://worker.spin.internal/headers").await.starts_with("status 200"));

    // CIDR entries block exactly their networks.
    let (app, port) = blocked_networks_app(Some("[outbound_networking]\nblock_networks = [\"127.0.0.0/8\", \"::1/128\"]\n")).await;
    let answer = fetch_via_probe(&app, &format!("http://localhost:{port}/x")).await;
    assert!(answer.contains("DestinationIpProhibited"), "{answer}");
    let (app, port) = blocked_networks_app(Some("[outbound_networking]\nblock_networks = [\"10.0.0.0/8\", \"1.2.3.4/32\"]\n")).await;
    assert_eq!(fetch_via_probe(&app, &format!("http://localhost:{port}/x")).await, "status 200 body hello from upstream");
}

/// Opens a connection and sends `head` (and whatever body bytes it holds).
async fn send_raw(addr: std::net::SocketAddr, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// Reads what the server sends until it closes the connection (at most `within`).
async fn read_until_closed(mut stream: TcpStream, within: Duration) -> String {
    let mut answer = Vec::new();
    match tokio::time::timeout(within, stream.read_to_end(&mut answer)).await {
        Ok(_) => String::from_utf8_lossy(&answer).into_owned(),
        Err(_) => format!("still open after {within:?}: {}", String::from_utf8_lossy(&answer)),
    }
}

/// Issue 10: 257 clients that send their headers and one byte of a
/// 1,000-byte body used to take every instance permit, so nothing else was
/// answered until they gave up.
#[tokio::test]
async fn slow_bodies_hold_no_instance_and_get_408() {
    let limits = Limits { body_read_timeout: Duration::from_secs(2), max_connections_per_address: 1000, ..Limits::default() };
    let app = Spawn { limits, ..Spawn::default() }.start().await;
    let head = format!("POST /probe/headers HTTP/1.1\r\nHost: {}\r\nContent-Length: 1000\r\n\r\nx", app.addr);
    let mut slow = Vec::new();
    for _ in 0..300 {
        slow.push(send_raw(app.addr, &head).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A normal client is answered at once on routes that need an instance.
    let started = Instant::now();
    let within = Duration::from_secs(1);
    let plain = tokio::time::timeout(within, app.get("/probe/env/PROBE_MODE")).await.expect("a GET waited behind slow clients");
    assert_eq!(plain, (200, "test".to_string()));
    let echo = tokio::time::timeout(within, async {
        let response = app.client.post(app.url("/probe/echo")).body("selamat pagi").send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    })
    .await
    .expect("a POST waited behind slow clients");
    assert_eq!(echo, (200, "selamat pagi".to_string()));
    assert!(started.elapsed() < within, "{:?}", started.elapsed());

    // Once their bodies have stopped arriving for the timeout, the slow ones
    // are answered 408 and closed.
    let answers: Vec<_> = slow.into_iter().map(|s| tokio::spawn(read_until_closed(s, Duration::from_secs(6)))).collect();
    for answer in answers {
        let answer = answer.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    }
}

#[tokio::test]
async fn headers_that_never_finish_close_the_connection() {
    let limits = Limits { header_read_timeout: Duration::from_secs(1), ..Limits::default() };
    let app = Spawn { limits, ..Spawn::default() }.start().await;
    let started = Instant::now();
    let stream = send_raw(app.addr, "GET /probe/headers HTTP/1.1\r\nHost: x\r\nX-Slow:").await;
    let answer = read_until_closed(stream, Duration::from_secs(5)).await;
    assert!(!answer.starts_with("still open"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(900), "closed too early: {:?}", started.elapsed());
}

#[tokio::test]
async fn bodies_reach_the_guest_intact_buffered_or_streamed() {
    let limits = Limits { max_buffered_body_bytes: 4096, ..Limits::default() };
    let app = Spawn { limits, ..Spawn::default() }.start().await;
    for size in [0, 1, 4096, 300_000] {
        let body: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let response = app.client.post(app.url("/probe/echo")).body(body.clone()).send().await.unwrap();
        assert_eq!(response.status(), 200, "{size}");
        assert_eq!(response.bytes().await.unwrap().to_vec(), body, "{size} bytes");
    }
    // Chunked, with no length given.
    let head = format!("POST /probe/echo HTTP/1.1\r\nHost: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhalo \r\n5\r\ndunia\r\n0\r\n\r\n", app.addr);
    let answer = read_until_closed(send_raw(app.addr, &head).await, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("\r\nhalo dunia\r\n"), "{answer}");
}

#[tokio::test]
async fn a_full_body_buffer_answers_503_and_frees_up_again() {
    let limits = Limits {
        body_buffer_budget_bytes: 1000,
        body_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let app = Spawn { limits, ..Spawn::default() }.start().await;
    // One slow client holds 900 of the 1,000 bytes.
    let head = format!("POST /probe/echo HTTP/1.1\r\nHost: {}\r\nContent-Length: 2000\r\n\r\n{}", app.addr, "x".repeat(900));
    let slow = send_raw(app.addr, &head).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let response = app.client.post(app.url("/probe/echo")).body("y".repeat(500)).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    // Requests without a body still run.
    assert_eq!(app.get("/probe/env/PROBE_MODE").await, (200, "test".to_string()));

    // The slow client times out; its bytes are released.
    let answer = read_until_closed(slow, Duration::from_secs(4)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let response = app.client.post(app.url("/probe/echo")).body("y".repeat(500)).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn connections_past_the_per_address_cap_get_503_with_retry_after() {
    let limits = Limits { max_connections_per_address: 3, ..Limits::default() };
    let app = Spawn { limits, ..Spawn::default() }.start().await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(app.addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let response = reqwest::Client::new().get(app.url("/probe/env/PROBE_MODE")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");

    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let response = reqwest::Client::new().get(app.url("/probe/env/PROBE_MODE")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_core_module_is_turned_into_a_component_on_load_as_spin_does() {
    let module = support::probe_core_module();
    let bytes = std::fs::read(&module).unwrap();
    assert!(wasmparser::Parser::is_core_wasm(&bytes), "the wasip1 build is a core module");
    let manifest = probe_manifest("http://127.0.0.1:1").replace(&support::probe_wasm().display().to_string(), &module.display().to_string());
    let app = Spawn { manifest, ..Spawn::default() }.start().await;
    let response = app.client.get(app.url("/items/7/detail/x")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let v: serde_json::Value = response.json().await.unwrap();
    assert_eq!(v["headers"]["spin-path-match-id"], "7");
    // Its stores and variables work as a component's do.
    assert_eq!(app.get("/probe/env/PROBE_MODE").await.1, "test");
}
