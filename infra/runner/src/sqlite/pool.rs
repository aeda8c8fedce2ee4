//! Connections reused between guests, each indistinguishable from a fresh one.
//!
//! Spin opens a new SQLite connection for every guest `open`; opening one
//! costs a file open and a parse of the whole schema (half of a lookup's CPU
//! in a profile). The runner keeps closed connections instead and hands them
//! out again, but only in a state a guest cannot tell from a fresh
//! connection's:
//!
//! - no open transaction: one left open is rolled back, as closing would;
//! - every per-connection setting a guest may change with `PRAGMA` is put
//!   back to the value a fresh connection has (read from one at start-up);
//!   a connection whose guest ran a `PRAGMA` we cannot put back (say
//!   `locking_mode`, or any name we do not know) is closed, not reused;
//! - no temporary tables, views or triggers: a connection holding any is
//!   closed;
//! - the counters a fresh connection starts at zero read zero:
//!   `last_insert_rowid` is reset, and `changes` / `total_changes` (the host
//!   calls and the SQL functions of those names) count from the hand-out.
//!
//! What remains is invisible to SQL: the page cache and the prepared-statement
//! cache (statements are re-prepared by SQLite itself when another connection
//! changes the schema). `PRAGMA data_version` differs in its absolute value
//! only, which SQLite documents as meaningful solely against an earlier value
//! from the same connection.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::functions::FunctionFlags;

/// Idle connections kept per database; more than this are closed when they
/// come back (a burst of 1,000 requests must not pin 1,000 page caches).
const MAX_IDLE: usize = 32;

/// Prepared statements kept per connection (the app has a few hundred
/// distinct ones; a request uses tens).
const STATEMENT_CACHE: usize = 128;

/// Per-connection settings a guest may change and we put back, with the
/// value a fresh connection has.
const RESTORABLE: &[&str] = &[
    "automatic_index",
    "busy_timeout",
    "cache_size",
    "cache_spill",
    "cell_size_check",
    "defer_foreign_keys",
    "foreign_keys",
    "ignore_check_constraints",
    "legacy_alter_table",
    "query_only",
    "recursive_triggers",
    "reverse_unordered_selects",
    "secure_delete",
    "synchronous",
    "temp_store",
    "trusted_schema",
    "wal_autocheckpoint",
];

/// Pragmas whose value lives in the database file, not the connection: a
/// fresh connection sees the change too, so setting one leaves nothing to
/// undo. (`journal_mode` is checked apart: only WAL and DELETE persist.)
const STORED_IN_FILE: &[&str] = &["application_id", "user_version", "schema_version"];

/// Pragmas that take an argument in parentheses and only report.
const READ_WITH_ARGUMENT: &[&str] = &[
    "foreign_key_check",
    "foreign_key_list",
    "index_info",
    "index_list",
    "index_xinfo",
    "integrity_check",
    "quick_check",
    "table_info",
    "table_list",
    "table_xinfo",
    "wal_checkpoint",
];

/// A raw connection with the total of changes it had made when handed out.
pub(super) struct Pooled {
    pub conn: rusqlite::Connection,
    /// `total_changes` at hand-out: what "zero" is for this guest.
    pub changes_base: Arc<AtomicU64>,
    /// Whether the database was in WAL mode, as of a journal epoch.
    wal_seen: Option<(u64, bool)>,
    /// The connection runs with `synchronous = NORMAL` in place of the
    /// guest's `FULL`, its commits made durable by `group_commit`.
    pub synchronous_lowered: bool,
}

impl Pooled {
    /// Wraps a newly opened connection: the SQL functions `changes()` and
    /// `total_changes()` are replaced by ones that count from the hand-out.
    pub fn new(conn: rusqlite::Connection) -> rusqlite::Result<Self> {
        // rusqlite keeps 16 prepared statements; filing a report alone runs
        // more distinct ones, so each request parsed some of them again.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let changes_base = Arc::new(AtomicU64::new(0));
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
        let base = changes_base.clone();
        conn.create_scalar_function("total_changes", 0, flags, move |ctx| {
            // SAFETY: the handle is the connection running this statement;
            // it is only read, within the call.
            let conn = unsafe { ctx.get_connection()? };
            Ok(conn.total_changes().saturating_sub(base.load(Ordering::Relaxed)) as i64)
        })?;
        let base = changes_base.clone();
        conn.create_scalar_function("changes", 0, flags, move |ctx| {
            // SAFETY: as above.
            let conn = unsafe { ctx.get_connection()? };
            Ok(virtual_changes(&conn, base.load(Ordering::Relaxed)) as i64)
        })?;
        Ok(Self { conn, changes_base, wal_seen: None, synchronous_lowered: false })
    }

    /// Rows changed by the guest's latest INSERT, UPDATE or DELETE; zero
    /// before it ran one that changed a row, as on a fresh connection.
    pub fn changes(&self) -> u64 {
        virtual_changes(&self.conn, self.changes_base.load(Ordering::Relaxed))
    }
}

/// If the total has not moved since hand-out, every statement the guest ran
/// changed nothing, and a fresh connection would report 0. If it has moved,
/// the connection's own figure is from a statement of this guest.
fn virtual_changes(conn: &rusqlite::Connection, base: u64) -> u64 {
    if conn.total_changes() == base {
        0
    } else {
        conn.changes()
    }
}

/// What a guest did that a fresh connection would not show, noted statement
/// by statement.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Footprint {
    /// A restorable setting was changed.
    pub settings_changed: bool,
    /// `journal_mode` was set: reuse only if it is WAL or DELETE afterwards.
    pub journal_mode_set: bool,
    /// A `CREATE` ran: check for temporary objects.
    pub created: bool,
    /// Something we cannot undo: close instead of reusing.
    pub unrestorable: bool,
}

impl Footprint {
    /// Adds what another footprint noted.
    pub fn absorb(&mut self, other: &Footprint) {
        self.settings_changed |= other.settings_changed;
        self.journal_mode_set |= other.journal_mode_set;
        self.created |= other.created;
        self.unrestorable |= other.unrestorable;
    }

    pub fn note(&mut self, statement: &str) {
        let statement = skip_comments(statement);
        let Some(keyword) = leading_word(statement) else { return };
        if keyword.eq_ignore_ascii_case("create") {
            self.created = true;
        } else if keyword.eq_ignore_ascii_case("pragma") {
            self.note_pragma(&statement[keyword.len()..]);
        }
    }

    fn note_pragma(&mut self, rest: &str) {
        let rest = rest.trim_start();
        let Some(first) = leading_word(rest) else {
            self.unrestorable = true;
            return;
        };
        let mut after = rest[first.len()..].trim_start();
        let mut name = first;
        if let Some(qualified) = after.strip_prefix('.') {
            // `schema.name`: only `main` is the schema a fresh connection shares.
            if !first.eq_ignore_ascii_case("main") {
                self.unrestorable = true;
                return;
            }
            let qualified = qualified.trim_start();
            let Some(second) = leading_word(qualified) else {
                self.unrestorable = true;
                return;
            };
            name = second;
            after = qualified[second.len()..].trim_start();
        }
        let name = name.to_ascii_lowercase();
        let sets = after.starts_with('=') || (after.starts_with('(') && !READ_WITH_ARGUMENT.contains(&name.as_str()));
        if !sets {
            return;
        }
        if RESTORABLE.contains(&name.as_str()) {
            self.settings_changed = true;
        } else if name == "journal_mode" {
            self.journal_mode_set = true;
        } else if !STORED_IN_FILE.contains(&name.as_str()) {
            self.unrestorable = true;
        }
    }
}

/// Whether a statement can neither wait for a lock nor sync the disk:
/// - a query (`SELECT`, `WITH`, `VALUES`) SQLite calls read-only;
/// - a `PRAGMA` that reads or sets a setting of the connection;
/// - inside a transaction that already holds the write lock, an `INSERT`,
///   `UPDATE`, `DELETE` or `REPLACE` (or a query that writes): its pages go to
///   the WAL without a sync, which only `COMMIT` makes.
///
/// `BEGIN` may wait for the write lock and `COMMIT` syncs the disk, though
/// SQLite calls both read-only: neither qualifies.
pub(super) fn never_waits(statement: &str, readonly: bool, holds_write_lock: bool) -> bool {
    let statement = skip_comments(statement);
    let Some(keyword) = leading_word(statement) else { return false };
    let is = |words: &[&str]| words.iter().any(|k| keyword.eq_ignore_ascii_case(k));
    if is(&["select", "with", "values"]) {
        return readonly || holds_write_lock;
    }
    if is(&["insert", "update", "delete", "replace"]) {
        return holds_write_lock;
    }
    if keyword.eq_ignore_ascii_case("pragma") {
        let rest = statement[keyword.len()..].trim_start();
        return leading_word(rest).is_some_and(|name| {
            let name = name.to_ascii_lowercase();
            let after = rest[name.len()..].trim_start();
            RESTORABLE.contains(&name.as_str()) || (name == "user_version" && !after.starts_with('='))
        });
    }
    false
}

/// Whether `statement` is a `PRAGMA` that reads or sets one of the
/// connection's own settings (nothing in the file).
pub(super) fn is_connection_setting(statement: &str) -> bool {
    let statement = skip_comments(statement);
    let Some(keyword) = leading_word(statement).filter(|word| word.eq_ignore_ascii_case("pragma")) else {
        return false;
    };
    let rest = statement[keyword.len()..].trim_start();
    leading_word(rest).is_some_and(|name| RESTORABLE.contains(&name.to_ascii_lowercase().as_str()))
}

/// Whether `statement`'s first word (after comments) is `keyword`, in any case.
pub(super) fn starts_with_keyword(statement: &str, keyword: &str) -> bool {
    leading_word(skip_comments(statement)).is_some_and(|word| word.eq_ignore_ascii_case(keyword))
}

/// The statement without leading white space and SQL comments.
pub(super) fn skip_comments(mut sql: &str) -> &str {
    loop {
        sql = sql.trim_start();
        if let Some(rest) = sql.strip_prefix("--") {
            sql = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(rest) = sql.strip_prefix("/*") {
            sql = rest.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return sql;
        }
    }
}

fn leading_word(sql: &str) -> Option<&str> {
    let end = sql.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(sql.len());
    (end > 0).then(|| &sql[..end])
}

/// The idle connections of one database, and how to put one back to fresh.
pub(super) struct Pool {
    idle: Mutex<Vec<Pooled>>,
    /// `PRAGMA name = value` for every restorable setting, as a fresh
    /// connection has it.
    restore_settings: String,
    /// `PRAGMA synchronous` on a fresh connection.
    pub default_synchronous: i64,
    /// Moves whenever any connection may have changed the journal mode, so
    /// that each looks again (the mode is one `PRAGMA` away, too much to ask
    /// before every read).
    journal_epoch: AtomicU64,
    /// The mode a `PRAGMA journal_mode = ...` last answered.
    file_in_wal: Mutex<Option<bool>>,
    /// Counts the write transactions of this process's connections that
    /// ended, for writers waiting for the lock (see `wait_for_writer`).
    writes_ended: Mutex<u64>,
    write_lock_freed: std::sync::Condvar,
}

impl Pool {
    /// `fresh` is a connection nobody has used: its settings are the defaults.
    pub fn new(fresh: &rusqlite::Connection) -> rusqlite::Result<Self> {
        let mut restore_settings = String::new();
        let mut default_synchronous = 2;
        for name in RESTORABLE {
            let value: i64 = fresh.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0))?;
            restore_settings.push_str(&format!("PRAGMA {name} = {value};"));
            if *name == "synchronous" {
                default_synchronous = value;
            }
        }
        Ok(Self {
            idle: Mutex::new(Vec::new()),
            restore_settings,
            default_synchronous,
            journal_epoch: AtomicU64::new(0),
            file_in_wal: Mutex::new(None),
            writes_ended: Mutex::new(0),
            write_lock_freed: std::sync::Condvar::new(),
        })
    }

    #[cfg(test)]
    pub fn idle_count(&self) -> usize {
        self.idle.lock().unwrap().len()
    }

    /// How many write transactions have ended so far.
    pub fn writes_ended(&self) -> u64 {
        *self.writes_ended.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A connection's write transaction ended: wake the writers waiting.
    pub fn write_ended(&self) {
        *self.writes_ended.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) += 1;
        self.write_lock_freed.notify_all();
    }

    /// Waits until a write transaction ends after `seen` were counted, or
    /// `slice` passes (the writer may be another process, which cannot wake
    /// us). Blocks: call it off the async executor.
    pub fn wait_for_writer(&self, seen: u64, slice: std::time::Duration) {
        let ended = self.writes_ended.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if *ended == seen {
            let _ = self.write_lock_freed.wait_timeout(ended, slice);
        }
    }

    /// Whether `pooled`'s database is known to be in WAL mode, where readers
    /// and a writer never wait for each other. Unknown counts as no: finding
    /// out may itself wait, so it is left to `learn_journal_mode`.
    pub fn in_wal(&self, pooled: &Pooled) -> bool {
        let epoch = self.journal_epoch.load(Ordering::Acquire);
        matches!(pooled.wal_seen, Some((seen, true)) if seen == epoch)
    }

    /// Called after each statement, off the executor unless `in_wal` held:
    /// `set_to` is the mode a `PRAGMA journal_mode = ...` just answered.
    pub fn learn_journal_mode(&self, pooled: &mut Pooled, set_to: Option<&str>) {
        let wal = match set_to {
            Some(mode) => {
                let wal = mode.eq_ignore_ascii_case("wal");
                let mut known = self.file_in_wal.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if *known != Some(wal) {
                    // Every other connection must look again.
                    *known = Some(wal);
                    self.journal_epoch.fetch_add(1, Ordering::AcqRel);
                }
                wal
            }
            None => {
                let epoch = self.journal_epoch.load(Ordering::Acquire);
                if pooled.wal_seen.is_some_and(|(seen, _)| seen == epoch) {
                    return;
                }
                pooled
                    .conn
                    .query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
                    .is_ok_and(|mode| mode.eq_ignore_ascii_case("wal"))
            }
        };
        pooled.wal_seen = Some((self.journal_epoch.load(Ordering::Acquire), wal));
    }

    /// An idle connection, reset for a new guest, if there is one.
    pub fn take(&self) -> Option<Pooled> {
        let pooled = self.idle.lock().ok()?.pop()?;
        pooled.changes_base.store(pooled.conn.total_changes(), Ordering::Relaxed);
        Some(pooled)
    }

    /// Takes a connection back from a guest that left `footprint`; keeps it
    /// only if it can be made indistinguishable from a fresh one.
    pub fn give_back(&self, pooled: Pooled, footprint: &Footprint) {
        if let Some(pooled) = self.restore(pooled, footprint) {
            if let Ok(mut idle) = self.idle.lock() {
                if idle.len() < MAX_IDLE {
                    idle.push(pooled);
                }
            }
        }
    }

    fn restore(&self, pooled: Pooled, footprint: &Footprint) -> Option<Pooled> {
        if footprint.unrestorable {
            return None;
        }
        let conn = &pooled.conn;
        if !conn.is_autocommit() {
            // Closing would roll back too.
            conn.execute_batch("ROLLBACK").ok()?;
            if !conn.is_autocommit() {
                return None;
            }
        }
        let mut pooled = pooled;
        if footprint.settings_changed {
            pooled.conn.execute_batch(&self.restore_settings).ok()?;
            pooled.synchronous_lowered = false;
        }
        let conn = &pooled.conn;
        if footprint.journal_mode_set {
            // WAL and DELETE are written into the file, so a fresh connection
            // opens in them too; every other mode belongs to the connection.
            let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0)).ok()?;
            if mode != "wal" && mode != "delete" {
                return None;
            }
        }
        if footprint.created {
            let temporary: i64 = conn.query_row("SELECT count(*) FROM temp.sqlite_schema", [], |row| row.get(0)).ok()?;
            if temporary > 0 {
                return None;
            }
        }
        // SAFETY: the handle is this open connection's; no statement is running.
        unsafe { rusqlite::ffi::sqlite3_set_last_insert_rowid(conn.handle(), 0) };
        Some(pooled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn footprint_of(statements: &[&str]) -> Footprint {
        let mut footprint = Footprint::default();
        for statement in statements {
            footprint.note(statement);
        }
        footprint
    }

    #[test]
    fn notes_what_needs_undoing() {
        assert_eq!(footprint_of(&["SELECT 1", "INSERT INTO t VALUES (1)", "PRAGMA user_version"]), Footprint::default());
        assert!(footprint_of(&["pragma busy_timeout = 0"]).settings_changed);
        assert!(footprint_of(&["  /* x */ -- y\n PRAGMA main.foreign_keys=ON"]).settings_changed);
        assert!(footprint_of(&["PRAGMA busy_timeout(10)"]).settings_changed);
        assert!(!footprint_of(&["PRAGMA table_info(reports)"]).unrestorable);
        assert!(footprint_of(&["PRAGMA journal_mode = WAL"]).journal_mode_set);
        assert_eq!(footprint_of(&["PRAGMA user_version = 3"]), Footprint::default());
        assert!(footprint_of(&["PRAGMA locking_mode = EXCLUSIVE"]).unrestorable);
        assert!(footprint_of(&["PRAGMA temp.cache_size = 10"]).unrestorable);
        assert!(footprint_of(&["PRAGMA \"busy_timeout\" = 1"]).unrestorable);
        assert!(footprint_of(&["create temp table x (a)"]).created);
    }

    #[test]
    fn what_never_waits() {
        let outside = |sql: &str, readonly: bool| never_waits(sql, readonly, false);
        assert!(outside("SELECT 1", true));
        assert!(outside(" -- c\n with x AS (SELECT 1) SELECT * FROM x", true));
        assert!(!outside("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", false));
        assert!(outside("PRAGMA busy_timeout = 0", true));
        assert!(outside("PRAGMA user_version", true));
        assert!(!outside("PRAGMA user_version = 3", false));
        assert!(!outside("PRAGMA journal_mode = WAL", true));
        assert!(!outside("BEGIN IMMEDIATE", true));
        assert!(!outside("COMMIT", true));
        assert!(!outside("INSERT INTO t VALUES (1)", false), "an autocommit write syncs");
        let inside = |sql: &str, readonly: bool| never_waits(sql, readonly, true);
        assert!(inside("INSERT INTO t VALUES (1)", false));
        assert!(inside("update t SET a = 1", false));
        assert!(inside("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", false));
        assert!(!inside("COMMIT", true));
        assert!(!inside("RELEASE nested_0", true));
        assert!(!inside("CREATE TABLE u (a)", false));
    }
}
