//! Data for the scenarios, written straight into the SQLite file while no
//! server runs (filing 100,000 reports through the API would take minutes).
//! Rows are copies of reports the app itself filed and verified, so every
//! column is one the intake wrote; only what must differ per report
//! (tracking ID, times, token hashes) is replaced.

use std::path::Path;

use anyhow::{bail, Context, Result};
use lapor_domain::tracking_id::TrackingId;
use rusqlite::{named_params, Connection, OptionalExtension};

/// A report of about 1 KB, as a citizen on a phone would send it.
pub const REPORT_BODY: &str = concat!(
    r#"{"kind":"pengaduan","title":"Jalan berlubang di depan SD Negeri 3 Bandung","#,
    r#""body":"Lubang besar di depan sekolah sudah dua bulan tidak diperbaiki. Setiap pagi anak-anak harus berjalan ke tengah jalan untuk menghindarinya, dan saat hujan lubang tertutup air sehingga pengendara motor sering terjatuh. Warga sudah menimbun dengan batu tetapi kembali rusak setelah beberapa hari. Mohon dinas terkait segera memperbaiki jalan ini sebelum ada korban. Lokasi tepat di depan gerbang sekolah, dekat warung Bu Sri, di sisi kiri jalan dari arah alun-alun. Lubang selebar kira-kira satu meter dan dalam sekitar dua puluh sentimeter. Foto dapat dikirim menyusul bila diperlukan. Terima kasih atas perhatiannya.","#,
    r#""category":"infrastruktur-jalan","agency":"pemkot-32.73","region":"32.73.01","#,
    r#""location":{"lat":-6.9147,"lon":107.6098,"address":"Jl. Merdeka No. 1, Bandung"},"incident_date":"2026-11-01","#,
    r#""privacy":"public","reporter":{"name":"Siti Aminah","phone":"0812-3456-7890","email":"siti@example.id"}}"#
);

/// The categories the seeded reports are spread over (the public listing
/// is measured filtered by one of them: a quarter of the reports).
pub const CATEGORIES: [&str; 4] = ["infrastruktur-jalan", "drainase", "kesehatan-bpjs", "administrasi-kependudukan-ktp"];

/// The intake body with another category.
pub fn report_in(category: &str) -> serde_json::Value {
    let mut body: serde_json::Value = serde_json::from_str(REPORT_BODY).expect("REPORT_BODY is JSON");
    body["category"] = category.into();
    body
}

/// The `i`-th seeded tracking ID: distinct for every `i` below 2^45 (an odd
/// multiplier is a bijection modulo 2^45), scattered, with a valid check symbol.
pub fn tracking_id(i: u64) -> String {
    let mut x = i.wrapping_mul(0x0F3A_9C5B_2D71) & ((1 << 45) - 1);
    let mut digits = [0u8; 9];
    for d in digits.iter_mut() {
        *d = (x & 31) as u8;
        x >>= 5;
    }
    TrackingId::generate(digits).as_display()
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare("SELECT name FROM pragma_table_info(?)")?;
    let names = statement.query_map([table], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    if names.is_empty() {
        bail!("no table {table}: has the app created its schema?");
    }
    Ok(names)
}

/// `INSERT INTO table (cols) SELECT <expr or col> FROM table WHERE <key> = :template`
/// for every column but `skip`; `replace` gives some columns an expression.
fn copy_statement(conn: &Connection, table: &str, key: &str, skip: &[&str], replace: &[(&str, &str)]) -> Result<String> {
    let names: Vec<String> = columns(conn, table)?.into_iter().filter(|c| !skip.contains(&c.as_str())).collect();
    let values: Vec<String> = names
        .iter()
        .map(|c| replace.iter().find(|(name, _)| name == c).map(|(_, e)| e.to_string()).unwrap_or_else(|| c.clone()))
        .collect();
    Ok(format!("INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE {key} = :template", names.join(", "), values.join(", ")))
}

/// Copies the reports `templates` (tracking IDs the app filed) round-robin
/// into `count` new ones, with their reporter, events and follows; each is
/// 37 s older than the one before (100,000 span six weeks), so listings
/// have an order.
/// Returns the new tracking IDs.
pub fn clone_reports(database: &Path, templates: &[String], count: u64) -> Result<Vec<String>> {
    let mut conn = Connection::open(database)?;
    let tx = conn.transaction()?;
    let template_ids: Vec<i64> = templates
        .iter()
        .map(|t| tx.query_row("SELECT id FROM reports WHERE tracking_id = ?", [t], |r| r.get(0)).with_context(|| format!("no report {t}")))
        .collect::<Result<_>>()?;
    let report = copy_statement(
        &tx,
        "reports",
        "id",
        &["id"],
        &[
            ("tracking_id", ":tracking_id"),
            ("created_at", ":at"),
            ("updated_at", ":at"),
            ("verified_at", "CASE WHEN verified_at IS NULL THEN NULL ELSE :at END"),
            ("reporter_token_hash", ":token_hash"),
            // Idempotency columns belong to the one request that filed the template.
            ("idempotency_key_hash", "NULL"),
            ("request_hash", "NULL"),
            ("token_salt", "NULL"),
        ],
    )?;
    let reporter = copy_statement(&tx, "reporters", "report_id", &[], &[("report_id", ":new")])?;
    let events = copy_statement(&tx, "report_events", "report_id", &["id"], &[("report_id", ":new"), ("at", ":at")])?;
    // The reporter's own follows name the report in their identity.
    let follows = copy_statement(
        &tx,
        "follows",
        "report_id",
        &["id"],
        &[
            ("report_id", ":new"),
            ("identity", "CASE WHEN identity = 'reporter:' || :template THEN 'reporter:' || :new ELSE identity END"),
            ("created_at", ":at"),
        ],
    )?;
    let newest = chrono::Utc::now() - chrono::Duration::hours(1);
    let mut ids = Vec::with_capacity(count as usize);
    {
        let mut report = tx.prepare(&report)?;
        let mut reporter = tx.prepare(&reporter)?;
        let mut events = tx.prepare(&events)?;
        let mut follows = tx.prepare(&follows)?;
        for i in 0..count {
            let template = template_ids[(i % template_ids.len() as u64) as usize];
            let tracking_id = tracking_id(i);
            let at = (newest - chrono::Duration::seconds(37 * i as i64)).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
            let token_hash = format!("{:016x}{:016x}{:016x}{:016x}", i, i.rotate_left(17), !i, i.rotate_left(41));
            report.execute(named_params! {":template": template, ":tracking_id": tracking_id, ":at": at, ":token_hash": token_hash})?;
            let new = tx.last_insert_rowid();
            reporter.execute(named_params! {":template": template, ":new": new})?;
            events.execute(named_params! {":template": template, ":new": new, ":at": at})?;
            follows.execute(named_params! {":template": template, ":new": new, ":at": at})?;
            ids.push(tracking_id);
        }
    }
    tx.commit()?;
    Ok(ids)
}

/// Loads `count` open reports whose clocks are all due (a third each to be
/// reminded, escalated and completed) into a database the app has created.
pub fn sweep_backlog(database: &Path, count: u64) -> Result<()> {
    let mut conn = Connection::open(database)?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO reports (tracking_id, kind, title, body, visibility, reporter_identity, status, channel, reporter_token_hash,
                 created_at, updated_at, agency, clock, clock_due, clock_remind_at)
             VALUES (?1, 'pengaduan', 'Laporan uji beban', 'Isi laporan untuk uji beban sapuan SLA.', 'public', 'named', ?2, 'api', 'x',
                 '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?3, ?4, ?5, '2026-01-02T00:00:00.000Z')",
        )?;
        for i in 0..count {
            let (status, agency, clock, due) = match i % 3 {
                0 => ("submitted", None, "verification", "2099-01-01T00:00:00.000Z"), // remind only
                1 => ("dispatched", Some("pemkot-32.73"), "response", "2026-01-03T00:00:00.000Z"), // escalate
                _ => ("responded", Some("pemkot-32.73"), "completion", "2026-01-03T00:00:00.000Z"), // complete
            };
            insert.execute(rusqlite::params![tracking_id(i), status, agency, clock, due])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The support count kept on a report and its rows in `supports`, in one read.
pub fn support_count_and_rows(database: &Path, tracking_id: &str) -> Result<(i64, i64)> {
    Connection::open(database)?
        .query_row(
            "SELECT support_count, (SELECT count(*) FROM supports WHERE report_id = reports.id) FROM reports WHERE tracking_id = ?",
            [tracking_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .with_context(|| format!("no report {tracking_id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intake_body_is_a_valid_one_kilobyte_report() {
        let v: serde_json::Value = serde_json::from_str(REPORT_BODY).unwrap();
        assert_eq!(v["kind"], "pengaduan");
        assert!((900..=1300).contains(&REPORT_BODY.len()), "{}", REPORT_BODY.len());
    }

    #[test]
    fn seeded_tracking_ids_are_valid_and_distinct() {
        let ids: std::collections::HashSet<String> = (0..200_000).map(tracking_id).collect();
        assert_eq!(ids.len(), 200_000);
        for id in ids.iter().take(100) {
            assert_eq!(TrackingId::parse(id).unwrap().as_display(), *id);
        }
    }
}
