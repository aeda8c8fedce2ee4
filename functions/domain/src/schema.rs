//! The SQLite schema, as versioned migrations the application applies itself
//! on first use (Spin and SpinKube have no `--sqlite` start-up step).
//!
//! Each migration runs once, in order, inside the transaction that records
//! it in `PRAGMA user_version`; every statement is also written to be
//! harmless if run again. Never edit a released migration: add one.
//!
//! Reporter identity lives in `reporters`, apart from `reports`: public and
//! agency code reads `reports` and never joins `reporters`, so a forgotten
//! flag cannot publish a name (see `privacy`).

/// One step of a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// One SQL statement (Spin executes one statement per call).
    Sql(&'static str),
    /// Insert the agency directory from `agency::seed()` (skipping codes
    /// that already exist, so a re-run changes nothing).
    SeedAgencies,
    /// Insert the non-working dates from `calendar::seed()` (skipping dates
    /// that exist, so an administrator's correction survives).
    SeedHolidays,
    /// `ALTER TABLE table ADD COLUMN column definition`, unless it exists.
    AddColumn(&'static str, &'static str, &'static str),
    /// `(table, column, sql)`: runs the statement only while `table.column`
    /// exists, for a change that ends by dropping that column (so a re-run
    /// after it finds nothing to do).
    SqlWhileColumn(&'static str, &'static str, &'static str),
}

use Step::Sql;

/// `(version, steps)`, in order.
pub const MIGRATIONS: &[(u32, &[Step])] = &[
    (
    1,
    &[
        Sql("CREATE TABLE IF NOT EXISTS reports (
            id INTEGER PRIMARY KEY,
            tracking_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('pengaduan', 'aspirasi', 'permintaan_informasi')),
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            category TEXT,
            agency TEXT,
            unit TEXT,
            region TEXT,
            lat REAL,
            lon REAL,
            address TEXT,
            incident_date TEXT,
            privacy TEXT NOT NULL CHECK (privacy IN ('public', 'anonymous', 'confidential')),
            -- Set only while privacy is 'public'; the one identity field public code may read.
            public_reporter_name TEXT CHECK (public_reporter_name IS NULL OR privacy = 'public'),
            status TEXT NOT NULL CHECK (status IN ('submitted', 'on_hold', 'dispatched', 'responded', 'completed', 'archived')),
            archive_reason TEXT,
            duplicate_of TEXT,
            channel TEXT NOT NULL,
            reporter_token_hash TEXT NOT NULL,
            -- Idempotency: the key's hash (UNIQUE: a retry can never insert twice),
            -- the request's fingerprint, and the salt of the derived reporter token.
            idempotency_key_hash TEXT UNIQUE,
            request_hash TEXT,
            token_salt TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            verification_due TEXT,
            response_due TEXT,
            completion_due TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )"),
        // Public listing: newest first, filtered by status, agency, category, region.
        Sql("CREATE INDEX IF NOT EXISTS reports_public_newest ON reports (privacy, created_at DESC, id DESC)"),
        Sql("CREATE INDEX IF NOT EXISTS reports_status_created ON reports (status, created_at DESC, id DESC)"),
        Sql("CREATE INDEX IF NOT EXISTS reports_agency_status ON reports (agency, status, created_at DESC)"),
        Sql("CREATE INDEX IF NOT EXISTS reports_category_created ON reports (category, created_at DESC)"),
        Sql("CREATE INDEX IF NOT EXISTS reports_region_created ON reports (region, created_at DESC)"),
        // The SLA sweep: open reports by their next deadline.
        Sql("CREATE INDEX IF NOT EXISTS reports_status_verification_due ON reports (status, verification_due)"),
        Sql("CREATE INDEX IF NOT EXISTS reports_status_response_due ON reports (status, response_due)"),
        Sql("CREATE INDEX IF NOT EXISTS reports_status_completion_due ON reports (status, completion_due)"),
        Sql("CREATE TABLE IF NOT EXISTS reporters (
            report_id INTEGER PRIMARY KEY REFERENCES reports (id),
            name TEXT,
            phone TEXT,
            email TEXT
        )"),
        Sql("CREATE INDEX IF NOT EXISTS reporters_phone ON reporters (phone)"),
        Sql("CREATE TABLE IF NOT EXISTS report_events (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports (id),
            at TEXT NOT NULL,
            type TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            actor_id TEXT,
            visibility TEXT NOT NULL CHECK (visibility IN ('public', 'participants', 'staff')),
            text TEXT,
            data TEXT
        )"),
        Sql("CREATE INDEX IF NOT EXISTS report_events_report ON report_events (report_id, id)"),
        Sql("CREATE TABLE IF NOT EXISTS attachments (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            report_id INTEGER NOT NULL REFERENCES reports (id),
            kind TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'pdf')),
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL
        )"),
        Sql("CREATE INDEX IF NOT EXISTS attachments_report ON attachments (report_id, id)"),
    ],
    ),
    (
        2,
        &[
            Sql("CREATE TABLE IF NOT EXISTS agencies (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                type TEXT NOT NULL CHECK (type IN ('kementerian', 'lembaga', 'pemprov', 'pemkab', 'pemkot', 'bumn')),
                parent TEXT REFERENCES agencies (code),
                region TEXT,
                timezone TEXT NOT NULL CHECK (timezone IN ('WIB', 'WITA', 'WIT')),
                name_lower TEXT NOT NULL
            )"),
            Sql("CREATE INDEX IF NOT EXISTS agencies_type_code ON agencies (type, code)"),
            Sql("CREATE INDEX IF NOT EXISTS agencies_region ON agencies (region)"),
            Sql("CREATE TABLE IF NOT EXISTS units (
                code TEXT PRIMARY KEY,
                agency TEXT NOT NULL REFERENCES agencies (code),
                name TEXT NOT NULL
            )"),
            Sql("CREATE INDEX IF NOT EXISTS units_agency ON units (agency, code)"),
            Step::SeedAgencies,
        ],
    ),
    (
        3,
        &[
            Sql("CREATE TABLE IF NOT EXISTS staff (
                id INTEGER PRIMARY KEY,
                public_id TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'officer', 'executive')),
                name TEXT NOT NULL,
                agency TEXT REFERENCES agencies (code),
                unit TEXT REFERENCES units (code),
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                revoked_at TEXT,
                CHECK ((role = 'admin') = (agency IS NULL))
            )"),
            Sql("CREATE INDEX IF NOT EXISTS staff_agency ON staff (agency)"),
            // Tokens are stored as hashes only; each has an expiry.
            Sql("CREATE TABLE IF NOT EXISTS staff_tokens (
                token_hash TEXT PRIMARY KEY,
                staff_id INTEGER NOT NULL REFERENCES staff (id),
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                revoked_at TEXT
            )"),
            Sql("CREATE INDEX IF NOT EXISTS staff_tokens_staff ON staff_tokens (staff_id)"),
            // Every time an administrator reads a reporter's identity.
            Sql("CREATE TABLE IF NOT EXISTS identity_reads (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports (id),
                staff_id TEXT NOT NULL,
                at TEXT NOT NULL
            )"),
            Sql("CREATE TABLE IF NOT EXISTS ratings (
                report_id INTEGER PRIMARY KEY REFERENCES reports (id),
                score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
                comment TEXT,
                at TEXT NOT NULL
            )"),
            Sql("CREATE INDEX IF NOT EXISTS reports_status_created_asc ON reports (status, created_at, id)"),
            Sql("CREATE INDEX IF NOT EXISTS reports_agency_unit_status ON reports (agency, unit, status)"),
        ],
    ),
    (
        4,
        &[
            Sql("CREATE TABLE IF NOT EXISTS holidays (
                date TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('holiday', 'cuti_bersama'))
            )"),
            Step::SeedHolidays,
            // The running SLA clock of a report (see lapor_domain::sla).
            Step::AddColumn("reports", "clock", "TEXT CHECK (clock IN ('verification', 'response', 'completion'))"),
            Step::AddColumn("reports", "clock_due", "TEXT"),
            Step::AddColumn("reports", "clock_remind_at", "TEXT"),
            Step::AddColumn("reports", "clock_reminded", "INTEGER NOT NULL DEFAULT 0"),
            Step::AddColumn("reports", "clock_escalated", "INTEGER NOT NULL DEFAULT 0"),
            Step::AddColumn("reports", "held_at", "TEXT"),
            Step::AddColumn("reports", "paused_due", "TEXT"),
            // The agency a reporter suggested; `agency` is set only when an
            // administrator dispatches (it decides who may see a confidential report).
            Step::AddColumn("reports", "suggested_agency", "TEXT"),
            Sql("UPDATE reports SET suggested_agency = agency, agency = NULL WHERE status IN ('submitted', 'on_hold') AND suggested_agency IS NULL"),
            // The sweep's work lists: only rows still owed an action are indexed.
            Sql("CREATE INDEX IF NOT EXISTS reports_clock_due_open ON reports (clock, clock_due) WHERE clock_escalated = 0 AND clock_due IS NOT NULL"),
            Sql("CREATE INDEX IF NOT EXISTS reports_clock_remind_open ON reports (clock, clock_remind_at) WHERE clock_reminded = 0 AND clock_remind_at IS NOT NULL"),
            // Notifications produced with events, delivered by the channels work.
            Sql("CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports (id),
                event_type TEXT NOT NULL,
                audience TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT
            )"),
            Sql("CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (next_attempt_at) WHERE state = 'pending'"),
        ],
    ),
    (
        5,
        &[
            // Engagement identities: tokens as hashes; a phone only once proved by SMS code.
            Sql("CREATE TABLE IF NOT EXISTS citizens (
                id INTEGER PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                phone TEXT,
                phone_verified_at TEXT,
                created_at TEXT NOT NULL
            )"),
            Sql("CREATE TABLE IF NOT EXISTS citizen_codes (
                citizen_id INTEGER PRIMARY KEY REFERENCES citizens (id),
                phone TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                tries_left INTEGER NOT NULL,
                created_at TEXT NOT NULL
            )"),
            // A reporter token is an identity too: find its report by hash.
            Sql("CREATE INDEX IF NOT EXISTS reports_reporter_token ON reports (reporter_token_hash)"),
            // One support per identity per report; the count on the report
            // row changes in the same transaction, so it is always exact.
            Sql("CREATE TABLE IF NOT EXISTS supports (
                report_id INTEGER NOT NULL REFERENCES reports (id),
                identity TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (report_id, identity)
            ) WITHOUT ROWID"),
            Step::AddColumn("reports", "support_count", "INTEGER NOT NULL DEFAULT 0"),
            Step::AddColumn("reports", "comment_count", "INTEGER NOT NULL DEFAULT 0"),
            Sql("CREATE TABLE IF NOT EXISTS comments (
                id INTEGER PRIMARY KEY,
                public_id TEXT NOT NULL UNIQUE,
                report_id INTEGER NOT NULL REFERENCES reports (id),
                identity TEXT NOT NULL,
                display_name TEXT,
                body TEXT NOT NULL,
                created_at TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'hidden_by_flags', 'hidden_by_staff')),
                -- Flags since staff last reviewed it (a restore starts again at 0).
                open_flags INTEGER NOT NULL DEFAULT 0
            )"),
            Sql("CREATE INDEX IF NOT EXISTS comments_report_visible ON comments (report_id, id) WHERE state = 'visible'"),
            Sql("CREATE INDEX IF NOT EXISTS comments_hidden ON comments (state, id) WHERE state <> 'visible'"),
            Sql("CREATE TABLE IF NOT EXISTS comment_flags (
                comment_id INTEGER NOT NULL REFERENCES comments (id),
                identity TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (comment_id, identity)
            ) WITHOUT ROWID"),
            // The audit trail of moderation: never updated, never deleted.
            Sql("CREATE TABLE IF NOT EXISTS comment_moderation (
                id INTEGER PRIMARY KEY,
                comment_id INTEGER NOT NULL REFERENCES comments (id),
                at TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('hidden_by_flags', 'hidden', 'restored')),
                actor TEXT NOT NULL,
                reason TEXT
            )"),
            Sql("CREATE INDEX IF NOT EXISTS comment_moderation_comment ON comment_moderation (comment_id, id)"),
            // Followers and where to tell them. `secret` signs webhook deliveries.
            // Unique per identity: whether someone else follows an address
            // is never observable. AUTOINCREMENT: ids are never reused, so
            // an old outbox row can never pick up another follower's secret.
            Sql("CREATE TABLE IF NOT EXISTS follows (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                report_id INTEGER NOT NULL REFERENCES reports (id),
                identity TEXT NOT NULL,
                channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webhook')),
                address TEXT NOT NULL,
                secret TEXT,
                is_reporter INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                UNIQUE (report_id, identity, channel, address)
            )"),
            Sql("CREATE INDEX IF NOT EXISTS follows_identity ON follows (identity, report_id)"),
            Sql("CREATE INDEX IF NOT EXISTS supports_identity ON supports (identity)"),
            Sql("CREATE INDEX IF NOT EXISTS comments_identity ON comments (identity)"),
            // What we owe followers (one row per event and follower) and
            // one-off messages (sign-in codes), delivered by the `notify`
            // component with retries. The v4 `outbox` keeps staff alerts.
            Sql("CREATE TABLE IF NOT EXISTS notification_outbox (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('event', 'sign_in_code')),
                report_id INTEGER REFERENCES reports (id),
                event_id INTEGER REFERENCES report_events (id),
                -- No foreign key: an unfollow deletes its pending rows but
                -- keeps the sent ones as the record of what went out.
                follow_id INTEGER,
                channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webhook')),
                address TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                sent_at TEXT,
                provider_ref TEXT,
                created_at TEXT NOT NULL
            )"),
            // At most one notification per (event, follower), whatever retries.
            Sql("CREATE UNIQUE INDEX IF NOT EXISTS notification_outbox_event_follow ON notification_outbox (event_id, follow_id) WHERE follow_id IS NOT NULL"),
            Sql("CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (next_attempt_at) WHERE state = 'pending'"),
            Sql("CREATE INDEX IF NOT EXISTS notification_outbox_dead ON notification_outbox (id) WHERE state = 'dead'"),
            Sql("CREATE INDEX IF NOT EXISTS notification_outbox_follow ON notification_outbox (follow_id) WHERE follow_id IS NOT NULL"),
        ],
    ),
    (
        6,
        &[
            // Privacy becomes two properties (see lapor_domain::privacy):
            // `visibility` (who may read the report) and `reporter_identity`
            // (who may know the reporter). The one-column `privacy` goes:
            // 'public' = public + named, 'anonymous' = public + anonymous,
            // 'confidential' = confidential + named. SQLite cannot change a
            // CHECK, so the published name moves to a column whose CHECK
            // names the new properties, and only then `privacy` is dropped.
            Step::SqlWhileColumn("reports", "privacy", "ALTER TABLE reports ADD COLUMN visibility TEXT NOT NULL DEFAULT 'confidential' CHECK (visibility IN ('public', 'confidential'))"),
            Step::SqlWhileColumn("reports", "privacy", "ALTER TABLE reports ADD COLUMN reporter_identity TEXT NOT NULL DEFAULT 'anonymous' CHECK (reporter_identity IN ('named', 'anonymous'))"),
            Step::SqlWhileColumn("reports", "privacy", "UPDATE reports SET
                visibility = CASE privacy WHEN 'confidential' THEN 'confidential' ELSE 'public' END,
                reporter_identity = CASE privacy WHEN 'anonymous' THEN 'anonymous' ELSE 'named' END"),
            // Set only while the report is public and named; the one identity
            // field public code may read.
            Step::SqlWhileColumn("reports", "privacy", "ALTER TABLE reports ADD COLUMN public_name TEXT CHECK (public_name IS NULL OR (visibility = 'public' AND reporter_identity = 'named'))"),
            Step::SqlWhileColumn("reports", "privacy", "UPDATE reports SET public_name = public_reporter_name"),
            Step::SqlWhileColumn("reports", "privacy", "ALTER TABLE reports DROP COLUMN public_reporter_name"),
            Step::SqlWhileColumn("reports", "privacy", "ALTER TABLE reports RENAME COLUMN public_name TO public_reporter_name"),
            Step::SqlWhileColumn("reports", "privacy", "DROP INDEX IF EXISTS reports_public_newest"),
            Step::SqlWhileColumn("reports", "privacy", "ALTER TABLE reports DROP COLUMN privacy"),
            Sql("CREATE INDEX IF NOT EXISTS reports_public_newest ON reports (visibility, created_at DESC, id DESC)"),
            // Verified by an administrator: only these are listed publicly
            // (unless `publish_unverified_reports`). Earlier reports count as
            // verified from their first dispatch.
            Step::AddColumn("reports", "verified_at", "TEXT"),
            Sql("UPDATE reports SET verified_at = (SELECT min(e.at) FROM report_events e WHERE e.report_id = reports.id AND e.type = 'dispatched')
                 WHERE verified_at IS NULL"),
        ],
    ),
    (
        7,
        &[
            // Flags from identities with a proved phone since staff last
            // reviewed the comment: only these hide it (`open_flags` counts
            // every flag and brings it to the review queue).
            Step::AddColumn("comments", "proved_flags", "INTEGER NOT NULL DEFAULT 0"),
            // The "flagged" review queue: visible comments with open flags.
            Sql("CREATE INDEX IF NOT EXISTS comments_flagged ON comments (id) WHERE state = 'visible' AND open_flags > 0"),
        ],
    ),
];

/// The standard work units of every local government, as one statement.
pub fn default_units_sql() -> String {
    let units: Vec<String> = crate::agency::DEFAULT_LOCAL_UNITS
        .iter()
        .map(|(slug, name)| format!("SELECT '{slug}' AS slug, '{name}' AS name"))
        .collect();
    format!(
        "INSERT OR IGNORE INTO units (code, agency, name) \
         SELECT agencies.code || '/' || u.slug, agencies.code, u.name \
         FROM agencies, ({}) AS u WHERE agencies.type IN ('pemprov', 'pemkab', 'pemkot')",
        units.join(" UNION ALL ")
    )
}

/// The schema version this build expects.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same steps the app's `Db` runs, on rusqlite.
    fn apply(conn: &rusqlite::Connection, step: Step) {
        match step {
            Step::Sql(sql) => {
                conn.execute(sql, []).unwrap();
            }
            Step::SeedAgencies => {
                for a in crate::agency::seed() {
                    conn.execute(
                        "INSERT OR IGNORE INTO agencies (code, name, type, parent, region, timezone, name_lower) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        rusqlite::params![a.code, a.name, a.agency_type.as_str(), a.parent, a.region, a.timezone.as_str(), a.name.to_lowercase()],
                    )
                    .unwrap();
                }
                conn.execute(&default_units_sql(), []).unwrap();
            }
            Step::SeedHolidays => {
                for h in crate::calendar::seed() {
                    conn.execute(
                        "INSERT OR IGNORE INTO holidays (date, name, kind) VALUES (?, ?, ?)",
                        rusqlite::params![h.date.to_string(), h.name, h.kind.as_str()],
                    )
                    .unwrap();
                }
            }
            Step::AddColumn(table, column, definition) => {
                let exists: bool = conn
                    .query_row(&format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = ?"), [column], |r| r.get::<_, i64>(0))
                    .unwrap()
                    > 0;
                if !exists {
                    conn.execute(&format!("ALTER TABLE {table} ADD COLUMN {column} {definition}"), []).unwrap();
                }
            }
            Step::SqlWhileColumn(table, column, sql) => {
                if column_exists(conn, table, column) {
                    conn.execute(sql, []).unwrap();
                }
            }
        }
    }

    fn column_exists(conn: &rusqlite::Connection, table: &str, column: &str) -> bool {
        conn.query_row(&format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = ?"), [column], |r| r.get::<_, i64>(0))
            .unwrap()
            > 0
    }

    fn migrate(conn: &rusqlite::Connection) {
        migrate_to(conn, latest_version());
    }

    fn migrate_to(conn: &rusqlite::Connection, target: u32) {
        let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        for (version, statements) in MIGRATIONS {
            if *version <= current || *version > target {
                continue;
            }
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            for step in *statements {
                apply(conn, *step);
            }
            conn.execute_batch(&format!("PRAGMA user_version = {version}; COMMIT")).unwrap();
        }
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
        for (_, steps) in MIGRATIONS {
            for step in *steps {
                apply(&conn, *step);
            }
        }
        let again: i64 = conn.query_row("SELECT count(*) FROM agencies", [], |r| r.get(0)).unwrap();
        assert_eq!(agencies, again);
        let units: i64 = conn.query_row("SELECT count(*) FROM units WHERE agency = 'pemkot-32.73'", [], |r| r.get(0)).unwrap();
        assert_eq!(units as usize, crate::agency::DEFAULT_LOCAL_UNITS.len());
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
        for (id, privacy) in [(1, crate::privacy::Privacy::PUBLIC), (2, crate::privacy::Privacy::ANONYMOUS), (3, crate::privacy::Privacy::CONFIDENTIAL)] {
            let (v, i): (String, String) =
                conn.query_row("SELECT visibility, reporter_identity FROM reports WHERE id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
            assert_eq!(crate::privacy::Privacy::from_stored(&v, &i), privacy, "the documented mapping");
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
        for (i, (version, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
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
        ];
        for (sql, index) in cases {
            let p = plan(&conn, sql);
            assert!(p.contains(index), "{sql}\n  plan: {p}");
        }
    }
}
