//! The `runner` binary itself: its banner, its errors and its signals.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn runner() -> Command {
    Command::new(env!("CARGO_BIN_EXE_runner"))
}

#[test]
fn bad_manifest_names_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("spin.toml");
    std::fs::write(
        &manifest,
        "spin_manifest_version = 2\n[application]\nname = \"x\"\n[component.api]\nsorce = \"a.wasm\"\n",
    )
    .unwrap();
    let output = runner().arg("--from").arg(&manifest).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&manifest.display().to_string()), "{stderr}");
    assert!(stderr.contains("unknown field `sorce`"), "{stderr}");
    assert!(stderr.contains("`source`"), "{stderr}");
}

#[test]
fn bad_schedule_is_refused_before_serving() {
    let output = runner().args(["--cron", "every minute POST /x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cron expression"), "{stderr}");
}

#[test]
fn serves_prints_the_banner_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spin.toml"), support::probe_manifest("http://127.0.0.1:1")).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    let mut child = runner()
        .arg("--from")
        .arg(dir.path().join("spin.toml"))
        .args(["--listen", "127.0.0.1:0", "--log-format", "json"])
        .env("SPIN_VARIABLE_SECRET_TOKEN", "x")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first.trim().strip_prefix("Serving http://").unwrap_or_else(|| panic!("banner: {first:?}")).to_string();
    let mut rest = String::new();
    stdout.read_line(&mut rest).unwrap();
    assert_eq!(rest.trim(), "Available Routes:");

    let (status, body) = http_get(&addr, "/probe/env/PROBE_MODE");
    assert_eq!((status, body.as_str()), (200, "test"));
    // The state dir defaults to `.spin` beside the manifest, as with `spin up`.
    assert!(dir.path().join(".spin/sqlite_key_value.db").exists());
    assert!(dir.path().join(".spin/sqlite_db.db").exists());

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let mut waited = 0;
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(waited < 100, "runner did not stop within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    };
    assert!(exit.success(), "exit status {exit:?}");

    // One structured line per request, with the fields operators need.
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let line = stderr
        .lines()
        .find(|l| l.contains("\"path\":\"/probe/env/PROBE_MODE\""))
        .unwrap_or_else(|| panic!("no request log line in: {stderr}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["method"], "GET");
    assert_eq!(v["component"], "probe");
    assert_eq!(v["status"], 200);
    assert!(v["duration_ms"].as_f64().is_some(), "{line}");
}

/// A minimal HTTP/1.0 GET (no chunked body), so this test needs no client library.
fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}
