//! The public pages in a real browser: this test spawns the app (the runner
//! on 127.0.0.1, a random port, a temporary state directory), seeds it, and
//! runs `node tests/browser/run.mjs <base-url>`: headless Debian Chromium
//! driven by playwright-core, with axe-core. The scenarios are the files of
//! `tests/browser/scenarios/` (one per area); screenshots land in
//! `target/browser-artifacts/`. `make test` installs Chromium, Node and the
//! npm packages (`infra/scripts/setup.sh browser`).

use std::time::Duration;

use integration_tests::fixtures::{file_and_dispatch, staff, AGENCY_A};
use reqwest::Method;
use integration_tests::{workspace_root, AppConfig, TestApp};
use lapor_domain::sla::ClockKind;
use serde_json::json;

#[tokio::test]
async fn public_pages_in_a_real_browser() {
    let dir = workspace_root().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").exists() && dir.join("node_modules/axe-core").exists(),
        "the browser tests' npm packages are missing: run `make test` (or `infra/scripts/setup.sh browser`)"
    );
    let app = TestApp::spawn_with(AppConfig::with_bootstrap_admin()).await;
    let staff = staff(&app).await;
    let admin = staff.admin.clone();
    let title = "Jembatan kayu di Sungai Cikapundung lapuk";
    let report = json!({
        "kind": "pengaduan",
        "title": title,
        "body": "Papan jembatan penyeberangan di dekat sekolah sudah lapuk dan berlubang. Anak-anak menyeberang setiap pagi.",
        "privacy": "anonymous",
        "reporter": {"name": "Agus Salim", "phone": "0812-1111-2222"}
    });
    let (id, _) = file_and_dispatch(&app, &report, &admin, AGENCY_A).await;
    // A report the agency has answered, for the reporter's reply and rating.
    let answered = json!({
        "kind": "pengaduan",
        "title": "Saluran air tersumbat di depan SD Negeri 3",
        "body": "Saluran air di depan sekolah tersumbat sampah sehingga halaman sekolah banjir setiap hujan.",
        "privacy": "public",
        "reporter": {"name": "Siti Aminah", "email": "siti@example.id"}
    });
    let (answered_id, answered_token) = file_and_dispatch(&app, &answered, &admin, AGENCY_A).await;
    let path = format!("/api/v1/agency/reports/{answered_id}/responses");
    let (_, body) = app.call(Method::POST, &path, Some(&staff.coordinator_a), Some(json!({"body": "Tim akan membersihkan saluran besok pagi."}))).await;
    assert_eq!(body["status"], "responded", "{body}");
    // The staff console's scenario: a report to verify (with its reporter
    // token, to reply and rate) and one that stays in the queue.
    let staff_title = "Saluran air tersumbat di Jl. Braga";
    let staff_report = app
        .file(&json!({
            "kind": "pengaduan",
            "title": staff_title,
            "body": "Saluran air di depan pasar tersumbat sampah sejak seminggu; air meluap ke jalan setiap hujan.",
            "agency": AGENCY_A,
            "reporter": {"name": "Rina Wulandari", "phone": "0812-5555-0101"}
        }))
        .await;
    let queued_title = "Lampu penerangan jalan mati di Jl. Dago";
    app.file(&json!({"kind": "pengaduan", "title": queued_title, "body": "Tiga lampu penerangan jalan mati sejak dua minggu; jalan gelap dan rawan pada malam hari."})).await;
    let seed = json!({
        "report": {"id": id, "title": title},
        "answered": {"id": answered_id, "token": answered_token},
        "status": "dispatched",
        "agency": AGENCY_A,
        "staff": {"admin": staff.admin, "coordinator": staff.coordinator_a, "officer": staff.officer_a, "executive": staff.executive_a},
        "staff_report": {"id": staff_report["tracking_id"], "title": staff_title, "reporter_token": staff_report["reporter_token"]},
        "queued": {"title": queued_title},
        "working_days": ClockKind::ALL.iter().map(|k| k.working_days()).collect::<Vec<_>>(),
    });
    let artifacts = workspace_root().join("target/browser-artifacts");
    let screenshots = [
        "home-360", "home-1280", "tracking-360", "tracking-1280", "tracking-comments-360", "tracking-comments-1280", "browse-360", "browse-1280",
        "staff-queue-360", "staff-queue-1280", "form-360", "form-1280", "confirmation-360", "embed-360", "embed-1280",
        "kinerja-360", "kinerja-1280", "instansi-360", "instansi-1280", "dashboard-360",
    ]
    .map(|name| artifacts.join(format!("{name}.png")));
    for file in &screenshots {
        let _ = std::fs::remove_file(file); // so the check below sees this run's
    }
    let mut command = tokio::process::Command::new("node");
    command
        .arg("run.mjs")
        .arg(app.url(""))
        .current_dir(&dir)
        .env("LAPOR_SEED", seed.to_string())
        .env("LAPOR_ARTIFACTS", &artifacts)
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(600), command.output())
        .await
        .expect("the browser tests finish within 10 minutes")
        .expect("node runs (make test installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}\n{stderr}");
    assert!(output.status.success(), "browser tests failed ({}):\n{stdout}\n{stderr}", output.status);
    for file in &screenshots {
        assert!(file.exists(), "screenshot {}", file.display());
    }
    app.stop().await;
}
