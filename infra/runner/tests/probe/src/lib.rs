//! Test fixture: a component that exercises each host interface of the runner
//! from inside a guest, so the runner's tests check what a real component sees.
//!
//! Dispatch is on `spin-path-info` (the manifest routes `/probe/...` here).
//! Answers are plain text or JSON; host errors are returned as text with
//! status 200 so tests can assert on the exact error the guest received.

use anyhow::Result;
use spin_sdk::http::{IntoResponse, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::wit::wasi::keyvalue::{atomics, batch, store as wasi_store};
use spin_sdk::{key_value, sqlite, sqlite3, variables};

fn query(request: &Request, name: &str) -> Option<String> {
    request.query().split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.replace("%20", " ").replace("%2F", "/").replace("%3A", ":"))
    })
}

fn text(status: u16, body: impl Into<String>) -> Response {
    Response::builder().status(status).header("content-type", "text/plain").body(body.into()).build()
}

fn json(value: serde_json::Value) -> Response {
    Response::builder().status(200).header("content-type", "application/json").body(value.to_string()).build()
}

#[http_component]
async fn handle(request: Request) -> Result<impl IntoResponse> {
    let path_info = request
        .header("spin-path-info")
        .and_then(|h| h.as_str())
        .unwrap_or("")
        .to_string();
    let parts: Vec<&str> = path_info.trim_start_matches('/').split('/').collect();
    Ok(match parts.as_slice() {
        ["headers"] | [] | [""] => headers(&request),
        ["kv", "open", label] => match key_value::Store::open(label) {
            Ok(_) => text(200, "ok"),
            Err(e) => text(200, format!("error: {e:?}")),
        },
        ["kv", "set"] => {
            let store = key_value::Store::open_default()?;
            store.set(&query(&request, "key").unwrap_or_default(), query(&request, "value").unwrap_or_default().as_bytes())?;
            text(200, "ok")
        }
        ["kv", "get"] => {
            let store = key_value::Store::open_default()?;
            match store.get(&query(&request, "key").unwrap_or_default())? {
                Some(v) => text(200, String::from_utf8_lossy(&v).into_owned()),
                None => text(404, "absent"),
            }
        }
        ["wasi-kv", "open", label] => match wasi_store::open(label) {
            Ok(_) => text(200, "ok"),
            Err(e) => text(200, format!("error: {e:?}")),
        },
        ["atomics", "increment"] => {
            let bucket = wasi_store::open("default").map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let delta: i64 = query(&request, "delta").and_then(|d| d.parse().ok()).unwrap_or(1);
            let key = query(&request, "key").unwrap_or_else(|| "counter".into());
            match atomics::increment(&bucket, &key, delta) {
                Ok(v) => text(200, v.to_string()),
                Err(e) => text(200, format!("error: {e:?}")),
            }
        }
        ["atomics", "cas"] => cas_scenario()?,
        ["batch"] => {
            let bucket = wasi_store::open("default").map_err(|e| anyhow::anyhow!("{e:?}"))?;
            batch::set_many(&bucket, &[("b1".to_string(), b"one".to_vec()), ("b2".to_string(), b"two".to_vec())])
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let got = batch::get_many(&bucket, &["b1".to_string(), "b2".to_string(), "b3".to_string()])
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            batch::delete_many(&bucket, &["b1".to_string()]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let after = bucket.exists("b1").map_err(|e| anyhow::anyhow!("{e:?}"))?;
            json(serde_json::json!({
                "got": got.iter().map(|(k, v)| (k.clone(), v.as_ref().map(|v| String::from_utf8_lossy(v).into_owned()))).collect::<Vec<_>>(),
                "b1_exists_after_delete": after,
            }))
        }
        ["sqlite", "open", label] => match sqlite::Connection::open(label) {
            Ok(_) => text(200, "ok"),
            Err(e) => text(200, format!("error: {e:?}")),
        },
        ["sqlite", "transaction"] => sqlite_transaction()?,
        ["sqlite", "count"] => {
            let conn = sqlite::Connection::open_default()?;
            let r = conn.execute("SELECT count(*) AS n FROM probe_items", &[])?;
            let n = r.rows().next().and_then(|row| row.get::<i64>("n")).unwrap_or(-1);
            text(200, n.to_string())
        }
        ["variables", name] => match variables::get(name) {
            Ok(v) => text(200, v),
            Err(e) => text(200, format!("error: {e:?}")),
        },
        ["env", name] => text(200, std::env::var(name).unwrap_or_else(|_| "unset".into())),
        ["files", rest @ ..] => match std::fs::read_to_string(format!("/{}", rest.join("/"))) {
            Ok(content) => text(200, content),
            Err(e) => text(404, format!("error: {e}")),
        },
        ["outbound"] => {
            let url = query(&request, "url").unwrap_or_default();
            let outgoing = Request::builder().method(Method::Get).uri(url).build();
            match spin_sdk::http::send::<_, Response>(outgoing).await {
                Ok(response) => text(
                    200,
                    format!("status {} body {}", response.status(), String::from_utf8_lossy(response.body())),
                ),
                Err(e) => text(200, format!("error: {e}")),
            }
        }
        ["slow"] => {
            let ms: u64 = query(&request, "ms").and_then(|m| m.parse().ok()).unwrap_or(500);
            std::thread::sleep(std::time::Duration::from_millis(ms));
            text(200, format!("slept {ms}"))
        }
        ["echo"] => Response::builder()
            .status(200)
            .header("content-type", "application/octet-stream")
            .body(request.body().to_vec())
            .build(),
        ["record-auth"] => {
            let auth = request.header("authorization").and_then(|h| h.as_str()).unwrap_or("none").to_string();
            key_value::Store::open_default()?.set("last-auth", auth.as_bytes())?;
            text(200, "recorded")
        }
        ["trap"] => panic!("the probe was asked to trap"),
        _ => text(404, format!("probe: unknown path {path_info}")),
    })
}

fn headers(request: &Request) -> Response {
    let map: serde_json::Map<String, serde_json::Value> = request
        .headers()
        .map(|(name, value)| (name.to_string(), serde_json::Value::String(value.as_str().unwrap_or("").to_string())))
        .collect();
    json(serde_json::json!({ "uri": request.uri(), "headers": map }))
}

/// Reads a value, lets "someone else" change it, and checks that the swap
/// then fails and that a fresh read-and-swap succeeds.
fn cas_scenario() -> Result<Response> {
    let err = |e: wasi_store::Error| anyhow::anyhow!("{e:?}");
    let bucket = wasi_store::open("default").map_err(err)?;
    bucket.set("cas-key", b"v1").map_err(err)?;

    let cas = atomics::Cas::new(&bucket, "cas-key").map_err(err)?;
    let seen = cas.current().map_err(err)?;
    bucket.set("cas-key", b"changed-by-someone-else").map_err(err)?;
    let first = match atomics::swap(cas, b"v2") {
        Ok(()) => "swapped".to_string(),
        Err(atomics::CasError::CasFailed(_)) => "cas-failed".to_string(),
        Err(atomics::CasError::StoreError(e)) => format!("store-error {e:?}"),
    };

    let cas = atomics::Cas::new(&bucket, "cas-key").map_err(err)?;
    let seen_again = cas.current().map_err(err)?;
    let second = match atomics::swap(cas, b"v3") {
        Ok(()) => "swapped".to_string(),
        Err(atomics::CasError::CasFailed(_)) => "cas-failed".to_string(),
        Err(atomics::CasError::StoreError(e)) => format!("store-error {e:?}"),
    };
    let final_value = bucket.get("cas-key").map_err(err)?;
    Ok(json(serde_json::json!({
        "first_seen": seen.map(|v| String::from_utf8_lossy(&v).into_owned()),
        "first_swap": first,
        "second_seen": seen_again.map(|v| String::from_utf8_lossy(&v).into_owned()),
        "second_swap": second,
        "final": final_value.map(|v| String::from_utf8_lossy(&v).into_owned()),
    })))
}

/// One connection, two transactions: the rolled-back insert must vanish and
/// the committed one must stay, which only works if the connection lives
/// across `execute` calls.
fn sqlite_transaction() -> Result<Response> {
    let conn = sqlite3::Connection::open_default()?;
    conn.execute("CREATE TABLE IF NOT EXISTS probe_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", &[])?;
    let count = |conn: &sqlite3::Connection| -> Result<i64> {
        let r = conn.execute("SELECT count(*) AS n FROM probe_items", &[])?;
        let n = r.rows().next().and_then(|row| row.get::<i64>("n")).unwrap_or(-1);
        Ok(n)
    };
    let before = count(&conn)?;
    conn.execute("BEGIN", &[])?;
    conn.execute("INSERT INTO probe_items (name) VALUES (?)", &[sqlite3::Value::Text("rolled back".into())])?;
    let inside = count(&conn)?;
    conn.execute("ROLLBACK", &[])?;
    let after_rollback = count(&conn)?;
    conn.execute("BEGIN", &[])?;
    conn.execute("INSERT INTO probe_items (name) VALUES (?)", &[sqlite3::Value::Text("kept".into())])?;
    let rowid = conn.last_insert_rowid();
    let changes = conn.changes();
    conn.execute("COMMIT", &[])?;
    let after_commit = count(&conn)?;
    Ok(json(serde_json::json!({
        "before": before,
        "inside_transaction": inside,
        "after_rollback": after_rollback,
        "after_commit": after_commit,
        "last_insert_rowid": rowid,
        "changes": changes,
    })))
}
