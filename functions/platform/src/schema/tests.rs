//! The schema tests run the app's own migration code (`super::migrate`,
//! `super::apply`) on rusqlite, through the same `Connection` trait
//! `db::Db` implements on Spin's SQLite.

use super::*;

impl Connection for rusqlite::Connection {
    fn run(&self, sql: &str, params: &[Param]) -> Result<()> {
        self.execute(sql, rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        Ok(())
    }

    fn query_integer(&self, sql: &str, params: &[Param]) -> Result<i64> {
        let mut statement = self.prepare(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params.iter().map(to_sql)))?;
        Ok(match rows.next()? {
            Some(row) => row.get(0)?,
            None => 0,
        })
    }
}

fn to_sql(param: &Param) -> rusqlite::types::Value {
    match param {
        Param::Text(s) => rusqlite::types::Value::Text(s.clone()),
        Param::Null => rusqlite::types::Value::Null,
    }
}

fn column_exists(conn: &rusqlite::Connection, table: &str, column: &str) -> bool {
    super::column_exists(conn, table, column).unwrap()
}

fn migrate(conn: &rusqlite::Connection) {
    super::migrate(conn).unwrap();
}

fn migrate_to(conn: &rusqlite::Connection, target: u32) {
    super::migrate_to(conn, target).unwrap();
}

#[test]
fn migrations_apply_and_reapply_cleanly() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate(&conn);
    migrate(&conn);
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, latest_version());
    // Every step is also idempotent on its own.
    let agencies: i64 = conn.query_row("SELECT count(*) FROM agencies", [], |r| r.get(0)).unwrap();
    for migration in MIGRATIONS {
        for step in steps(migration.sql).unwrap() {
            apply(&conn, step).unwrap();
        }
    }
    let again: i64 = conn.query_row("SELECT count(*) FROM agencies", [], |r| r.get(0)).unwrap();
    assert_eq!(agencies, again);
    let units: i64 = conn.query_row("SELECT count(*) FROM units WHERE agency = 'pemkot-32.73'", [], |r| r.get(0)).unwrap();
    assert_eq!(units as usize, lapor_domain::agency::DEFAULT_LOCAL_UNITS.len());
}

#[test]
fn privacy_splits_into_visibility_and_reporter_identity() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    // As the app's connections are.
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    migrate_to(&conn, 5);
    for (id, privacy, name) in [(1, "public", Some("Siti")), (2, "anonymous", None), (3, "confidential", None)] {
        conn.execute(
            "INSERT INTO reports (id, tracking_id, kind, title, body, privacy, public_reporter_name, status, channel, reporter_token_hash, created_at, updated_at)
             VALUES (?, ?, 'pengaduan', 't', 'b', ?, ?, 'dispatched', 'web', 'h', '2026-11-01', '2026-11-01')",
            rusqlite::params![id, format!("T{id}"), privacy, name],
        )
        .unwrap();
        conn.execute("INSERT INTO reporters (report_id, name, phone) VALUES (?, 'Siti', '+6281234567890')", [id]).unwrap();
    }
    conn.execute(
        "INSERT INTO report_events (report_id, at, type, actor_role, visibility) VALUES (1, '2026-11-02T00:00:00Z', 'dispatched', 'admin', 'public')",
        [],
    )
    .unwrap();
    migrate(&conn);
    let rows: Vec<(i64, String, String, Option<String>, Option<String>)> = conn
        .prepare("SELECT id, visibility, reporter_identity, public_reporter_name, verified_at FROM reports ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            (1, "public".into(), "named".into(), Some("Siti".into()), Some("2026-11-02T00:00:00Z".into())),
            (2, "public".into(), "anonymous".into(), None, None),
            (3, "confidential".into(), "named".into(), None, None),
        ]
    );
    for (id, privacy) in [(1, lapor_domain::privacy::Privacy::PUBLIC), (2, lapor_domain::privacy::Privacy::ANONYMOUS), (3, lapor_domain::privacy::Privacy::CONFIDENTIAL)] {
        let (v, i): (String, String) =
            conn.query_row("SELECT visibility, reporter_identity FROM reports WHERE id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!(lapor_domain::privacy::Privacy::from_stored(&v, &i), privacy, "the documented mapping");
    }
    assert!(!column_exists(&conn, "reports", "privacy"));
    let broken: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0, "identities still belong to their reports");
    // The published name exists only for public, named reports, by constraint.
    let refused = conn.execute("UPDATE reports SET public_reporter_name = 'X' WHERE id = 2", []);
    assert!(refused.is_err(), "no published name on an anonymous report");
    let refused = conn.execute("UPDATE reports SET visibility = 'confidential' WHERE id = 1", []);
    assert!(refused.is_err(), "a published name must go before the report stops being public");
    assert!(conn.execute("UPDATE reports SET visibility = 'secret' WHERE id = 2", []).is_err());
}

#[test]
fn versions_increase_one_by_one() {
    for (i, migration) in MIGRATIONS.iter().enumerate() {
        assert_eq!(migration.version as usize, i + 1);
        assert!(migration.name.starts_with(&format!("{:04}_", migration.version)), "{}", migration.name);
    }
}

fn plan(conn: &rusqlite::Connection, sql: &str) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let rows: Vec<String> = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect();
    rows.join(" | ")
}

#[test]
fn the_queries_later_issues_need_use_indexes() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate(&conn);
    let cases = [
        ("SELECT id FROM reports WHERE tracking_id = 'X'", "sqlite_autoindex_reports_1"),
        ("SELECT id FROM reports WHERE status = 'submitted' AND verification_due < '2026'", "reports_status_verification_due"),
        ("SELECT id FROM reports WHERE status = 'dispatched' AND response_due < '2026'", "reports_status_response_due"),
        ("SELECT id FROM reports WHERE status = 'responded' AND completion_due < '2026'", "reports_status_completion_due"),
        ("SELECT id FROM reports WHERE agency = 'a' AND status = 'dispatched' ORDER BY created_at DESC", "reports_agency_status"),
        (
            "SELECT id FROM reports WHERE visibility = 'public' AND verified_at IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 20",
            "reports_public_newest",
        ),
        ("SELECT * FROM report_events WHERE report_id = 1 ORDER BY id", "report_events_report"),
        ("SELECT code FROM agencies WHERE type = 'pemkab' AND code > 'a' ORDER BY code LIMIT 50", "agencies_type_code"),
        ("SELECT code FROM units WHERE agency = 'pemkot-32.73' ORDER BY code", "units_agency"),
        (
            "SELECT id FROM reports WHERE clock_escalated = 0 AND clock_due IS NOT NULL AND clock_due <= '2026' AND clock = 'completion' AND status = 'responded' LIMIT 100",
            "reports_clock_due_open",
        ),
        (
            "SELECT id FROM reports WHERE clock_escalated = 0 AND clock_due IS NOT NULL AND clock_due <= '2026' AND clock IN ('verification', 'response') LIMIT 100",
            "reports_clock_due_open",
        ),
        (
            "SELECT id FROM reports WHERE clock_reminded = 0 AND clock_remind_at IS NOT NULL AND clock_remind_at <= '2026' AND clock_due > '2026' AND clock IN ('verification', 'response') LIMIT 100",
            "reports_clock_remind_open",
        ),
        ("SELECT count(*) FROM supports WHERE report_id = 1", "PRIMARY KEY"),
        ("SELECT id FROM comments WHERE report_id = 1 AND state = 'visible' AND id > 5 ORDER BY id LIMIT 20", "comments_report_visible"),
        ("SELECT id FROM notification_outbox WHERE state = 'pending' AND next_attempt_at <= '2026' LIMIT 50", "notification_outbox_due"),
        ("SELECT id FROM reports WHERE reporter_token_hash = 'x'", "reports_reporter_token"),
        ("SELECT id FROM follows WHERE report_id = 1", "sqlite_autoindex_follows_1"),
        ("SELECT report_id FROM supports WHERE identity = 'x'", "supports_identity"),
        ("SELECT id FROM comments WHERE identity = 'x'", "comments_identity"),
        ("DELETE FROM notification_outbox WHERE state = 'pending' AND follow_id IN (1, 2)", "notification_outbox_follow"),
        ("SELECT id FROM comments WHERE state = 'visible' AND open_flags > 0 AND id > 5 ORDER BY id LIMIT 20", "comments_flagged"),
        // Statistics: one group's days, one dimension's window, the oldest overdue (lapor_platform::stats).
        (
            "SELECT day, measure, sum(n) AS n FROM stats_daily WHERE dimension = 'agency' AND key = 'a' AND day BETWEEN '2026-01-01' AND '2026-03-31' GROUP BY day, measure",
            "PRIMARY KEY",
        ),
        (
            "SELECT key, measure, sum(n) AS n FROM stats_daily WHERE dimension = 'agency' AND day BETWEEN '2026-09-01' AND '2026-11-30' GROUP BY key, measure",
            "stats_daily_window",
        ),
        (
            "SELECT r.tracking_id FROM reports r WHERE r.clock = 'response' AND r.clock_escalated = 1 AND r.agency = 'a' ORDER BY r.clock_due LIMIT 10",
            "reports_overdue_by_agency",
        ),
        ("SELECT r.tracking_id FROM reports r WHERE r.clock = 'response' AND r.clock_escalated = 1 ORDER BY r.clock_due LIMIT 10", "reports_overdue"),
        // One key's name (`stats::read::name_of`): the subquery is flattened onto the table's key.
        ("SELECT k, n FROM (SELECT code AS k, name AS n FROM agencies) WHERE k = 'x'", "sqlite_autoindex_agencies_1"),
        (
            "SELECT k, n FROM (SELECT region AS k, name AS n FROM agencies WHERE region IS NOT NULL AND type IN ('pemprov', 'pemkab', 'pemkot')) WHERE k = '32'",
            "agencies_region",
        ),
        // Open311's search (`open311::search`) and its key check.
        (
            "SELECT id FROM reports WHERE visibility = 'public' AND verified_at IS NOT NULL AND created_at >= '2026-09' AND created_at <= '2026-12' AND status IN ('submitted', 'dispatched') ORDER BY created_at DESC, id DESC LIMIT 1000 OFFSET 0",
            "reports_public_newest",
        ),
        ("SELECT name FROM open311_keys WHERE key_hash = 'x' AND revoked_at IS NULL", "sqlite_autoindex_open311_keys_2"),
    ];
    for (sql, index) in cases {
        let p = plan(&conn, sql);
        assert!(p.contains(index), "{sql}\n  plan: {p}");
    }
}

#[test]
fn every_migration_file_parses_and_adds_columns_only_once() {
    for migration in MIGRATIONS {
        let steps = steps(migration.sql).unwrap_or_else(|e| panic!("{}: {e:#}", migration.name));
        assert!(!steps.is_empty(), "{}", migration.name);
        for step in steps {
            if let Step::Sql(sql) = step {
                assert!(added_column(sql).is_none(), "{sql}");
                assert!(!sql.is_empty() && !sql.ends_with(';'), "{sql:?}");
            }
        }
    }
}

#[test]
fn statements_end_at_semicolons_outside_quotes_and_comments() {
    let file = "-- a comment; not a statement\n\
                CREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" TEXT); -- trailing; comment\n\
                /* block; */ INSERT INTO t (a) VALUES ('it''s; fine');\n\
                -- lapor: seed holidays\n\
                -- lapor: while-column t.a\n\
                UPDATE t SET a = 'z';\n\
                alter table t add column c INTEGER;\n";
    assert_eq!(
        steps(file).unwrap(),
        [
            Step::Sql("CREATE TABLE t (a TEXT DEFAULT 'x;y', \"b;\" TEXT)"),
            Step::Sql("/* block; */ INSERT INTO t (a) VALUES ('it''s; fine')"),
            Step::Seed(Seed::Holidays),
            Step::WhileColumn { table: "t", column: "a", sql: "UPDATE t SET a = 'z'" },
            Step::AddColumn { table: "t", column: "c", sql: "alter table t add column c INTEGER" },
        ]
    );
}

#[test]
fn malformed_files_are_refused() {
    for (file, error) in [
        ("CREATE TABLE t (a TEXT)", "no closing `;`"),
        ("INSERT INTO t VALUES ('open;", "no closing `;`"),
        ("-- lapor: seed everything\n", "unknown directive"),
        ("-- lapor: while-column reports\nSELECT 1;", "table.column"),
        ("SELECT 1;\n-- lapor: while-column t.a\n", "not followed by a statement"),
    ] {
        let message = format!("{:#}", steps(file).unwrap_err());
        assert!(message.contains(error), "{file:?}: {message}");
    }
}

#[test]
fn a_failed_migration_changes_nothing() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate_to(&conn, 1);
    // Migration 2 fails at its `units` index (this `units` lacks the
    // columns), after creating `agencies`: nothing of it stays.
    conn.execute("CREATE TABLE units (x TEXT)", []).unwrap();
    let error = super::migrate_to(&conn, 2).unwrap_err();
    assert!(format!("{error:#}").contains("0002_agencies"), "{error:#}");
    assert_eq!(user_version(&conn).unwrap(), 1);
    assert!(!column_exists(&conn, "agencies", "code"), "rolled back");
}

#[test]
fn staff_alerts_are_their_own_table_and_the_vocabulary_fits_the_checks() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate_to(&conn, 7);
    conn.execute(
        "INSERT INTO reports (id, tracking_id, kind, title, body, visibility, reporter_identity, status, channel, reporter_token_hash, created_at, updated_at)
         VALUES (1, 'T1', 'pengaduan', 't', 'b', 'public', 'named', 'dispatched', 'web', 'h', '2026-11-01', '2026-11-01')",
        [],
    )
    .unwrap();
    conn.execute("INSERT INTO outbox (report_id, event_type, audience, payload, created_at) VALUES (1, 'sla_reminder', 'admins', '{}', 'now')", [])
        .unwrap();
    migrate(&conn);
    assert!(!column_exists(&conn, "outbox", "audience"), "the old name is gone");
    let kept: String = conn.query_row("SELECT audience FROM staff_alerts WHERE report_id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, "admins", "alerts written before the rename stay");
    // Every stored name the enums write is one the schema accepts.
    use lapor_domain::event::{EventType, OutboxKind, OutboxState};
    for event in EventType::all() {
        conn.execute("INSERT INTO report_events (report_id, at, type, actor_role, visibility) VALUES (1, 'now', ?, 'system', 'staff')", [event.as_str()])
            .unwrap();
    }
    for kind in OutboxKind::all() {
        for state in OutboxState::all() {
            conn.execute(
                "INSERT INTO notification_outbox (kind, channel, address, payload, state, next_attempt_at, created_at) VALUES (?, 'sms', '+62', '{}', ?, 'now', 'now')",
                [kind.as_str(), state.as_str()],
            )
            .unwrap_or_else(|e| panic!("{kind} {state}: {e}"));
        }
    }
    assert!(conn.execute("INSERT INTO notification_outbox (kind, channel, address, payload, next_attempt_at, created_at) VALUES ('other', 'sms', '+62', '{}', 'now', 'now')", []).is_err());
    for provider in lapor_domain::message::inbound::Provider::all() {
        for keyword in lapor_domain::message::grammar::Keyword::all() {
            conn.execute(
                "INSERT INTO inbound_messages (provider, message_id, sender, command, reply, received_at) VALUES (?, ?, 'phone:x', ?, 'ok', 'now')",
                [provider.as_str(), keyword.as_str(), keyword.as_str()],
            )
            .unwrap_or_else(|e| panic!("{provider:?} {keyword:?}: {e}"));
        }
    }
    // A message ID is handled once per provider: the second row is refused.
    assert!(conn.execute("INSERT INTO inbound_messages (provider, message_id, sender, command, reply, received_at) VALUES ('twilio', 'cek', 'phone:y', 'cek', 'again', 'now')", []).is_err());
}

#[test]
fn the_outbox_rebuild_keeps_every_row_and_index() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate_to(&conn, 11);
    conn.execute("INSERT INTO notification_outbox (id, kind, channel, address, payload, state, attempts, next_attempt_at, created_at) VALUES (7, 'sign_in_code', 'sms', '+6281', '{\"text\":\"x\"}', 'dead', 3, 'n', 'c')", []).unwrap();
    migrate(&conn);
    let kept: (i64, String, i64) =
        conn.query_row("SELECT id, state, attempts FROM notification_outbox", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    assert_eq!(kept, (7, "dead".to_string(), 3));
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notification_outbox' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(indexes, ["notification_outbox_dead", "notification_outbox_due", "notification_outbox_event_follow", "notification_outbox_follow"]);
    assert_eq!(conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'notification_outbox_v12'", [], |r| r.get::<_, i64>(0)).unwrap(), 0);
}

#[test]
fn the_category_taxonomy_is_seeded_once_and_keeps_administrators_changes() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    migrate(&conn);
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let seeded = count("SELECT count(*) FROM categories");
    assert_eq!(seeded as usize, lapor_domain::category::seed().len());
    assert!(count("SELECT count(*) FROM categories WHERE parent IS NULL") >= 36);
    conn.execute("UPDATE categories SET name_en = 'Renamed', retired_at = '2026-01-01T00:00:00Z' WHERE code = 'drainase'", []).unwrap();
    for step in steps(MIGRATIONS[10].sql).unwrap() {
        apply(&conn, step).unwrap();
    }
    assert_eq!(count("SELECT count(*) FROM categories"), seeded);
    assert_eq!(count("SELECT count(*) FROM categories WHERE code = 'drainase' AND name_en = 'Renamed' AND retired_at IS NOT NULL"), 1);
    let p = plan(&conn, "SELECT code FROM categories WHERE parent = 'kesehatan' ORDER BY position");
    assert!(p.contains("categories_parent"), "{p}");
}
