//! The SQLite schema: versioned migrations the application applies itself on
//! first use (Spin and SpinKube have no `--sqlite` start-up step).
//!
//! Each migration is a file `functions/platform/migrations/NNNN_name.sql`,
//! compiled into the app. They run once, in order, inside the transaction
//! that records them in `PRAGMA user_version`; every statement is also
//! written to be harmless if run again. Never edit a released migration: add
//! a file and its line in `MIGRATIONS`.
//!
//! A file is plain SQL, one statement per `;` (Spin runs one statement per
//! call, so the file is split here), with two additions, each a comment line
//! of its own:
//!
//! - `-- lapor: seed agencies` / `-- lapor: seed holidays` /
//!   `-- lapor: seed categories` inserts the directory from `agency::seed()`,
//!   the non-working dates from `calendar::seed()` or the taxonomy from
//!   `category::seed()`, skipping rows that exist (an administrator's
//!   correction survives);
//! - `-- lapor: while-column table.column` before a statement runs it only
//!   while that column exists, for a change that ends by dropping it (so a
//!   re-run finds nothing to do).
//!
//! And `ALTER TABLE t ADD COLUMN c ...` runs only while `t.c` is missing.
//!
//! The migration code is written once, against the small [`Connection`]
//! trait: `db::Db` implements it on Spin's SQLite, and the tests below on
//! rusqlite, so the schema tests run exactly what the app runs.
//!
//! Reporter identity lives in `reporters`, apart from `reports`: public and
//! agency code reads `reports` and never joins `reporters`, so a forgotten
//! flag cannot publish a name (see `lapor_domain::privacy`).

use anyhow::{bail, Context, Result};
use lapor_domain::{agency, calendar, category};

/// One migration file.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    /// The file's name without `.sql`.
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration { version: $version, name: $name, sql: include_str!(concat!("../migrations/", $name, ".sql")) }
    };
}

/// In order; versions increase one by one.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_reports"),
    migration!(2, "0002_agencies"),
    migration!(3, "0003_staff"),
    migration!(4, "0004_calendar_and_sla_clock"),
    migration!(5, "0005_engagement"),
    migration!(6, "0006_privacy_two_properties"),
    migration!(7, "0007_comment_flags_by_proved_phones"),
    migration!(8, "0008_staff_alerts"),
    migration!(9, "0009_embed_origins"),
    migration!(10, "0010_staff_sessions"),
    migration!(11, "0011_categories"),
    migration!(12, "0012_inbound_messages"),
    migration!(13, "0013_statistics"),
    migration!(14, "0014_open311_keys"),
];

/// The schema version this build expects.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

/// A parameter of the few statements migrations bind.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Text(String),
    Null,
}

fn text(value: impl Into<String>) -> Param {
    Param::Text(value.into())
}

fn opt_text(value: Option<impl Into<String>>) -> Param {
    value.map(text).unwrap_or(Param::Null)
}

/// What migrations need of a database connection.
pub trait Connection {
    /// Runs one statement.
    fn run(&self, sql: &str, params: &[Param]) -> Result<()>;
    /// Runs one query and returns the first column of its first row as an
    /// integer (0 when there is no row).
    fn query_integer(&self, sql: &str, params: &[Param]) -> Result<i64>;
}

/// A data seed a migration inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    Agencies,
    Holidays,
    Categories,
}

/// One step of a migration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Sql(&'a str),
    /// `ALTER TABLE table ADD COLUMN column ...`, skipped while it exists.
    AddColumn { table: &'a str, column: &'a str, sql: &'a str },
    /// Runs only while `table.column` exists.
    WhileColumn { table: &'a str, column: &'a str, sql: &'a str },
    Seed(Seed),
}

const DIRECTIVE: &str = "-- lapor:";

/// Splits a migration file into its steps.
///
/// Hand-written rather than an SQL parser crate: all it needs to know is
/// where a statement ends (a `;` outside quotes and comments), and the
/// parser crates are far larger than this app's whole schema.
pub fn steps(file: &str) -> Result<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    let mut guard: Option<(&str, &str)> = None;
    let bytes = file.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Between statements: whitespace, comments and directives.
        if bytes[at].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        if file[at..].starts_with("--") {
            let end = file[at..].find('\n').map_or(file.len(), |n| at + n);
            let line = file[at..end].trim_end();
            if let Some(directive) = line.strip_prefix(DIRECTIVE) {
                match directive.trim().split_whitespace().collect::<Vec<_>>().as_slice() {
                    ["seed", "agencies"] => steps.push(Step::Seed(Seed::Agencies)),
                    ["seed", "holidays"] => steps.push(Step::Seed(Seed::Holidays)),
                    ["seed", "categories"] => steps.push(Step::Seed(Seed::Categories)),
                    ["while-column", target] => {
                        let (table, column) = target.split_once('.').with_context(|| format!("`{line}`: expected table.column"))?;
                        guard = Some((table, column));
                    }
                    _ => bail!("unknown directive `{line}`"),
                }
            }
            at = end;
            continue;
        }
        let end = statement_end(file, at)?;
        let sql = file[at..end].trim();
        steps.push(match (guard.take(), added_column(sql)) {
            (Some((table, column)), _) => Step::WhileColumn { table, column, sql },
            (None, Some((table, column))) => Step::AddColumn { table, column, sql },
            (None, None) => Step::Sql(sql),
        });
        at = end + 1;
    }
    if let Some((table, column)) = guard {
        bail!("`while-column {table}.{column}` is not followed by a statement");
    }
    Ok(steps)
}

/// The index of the `;` ending the statement that starts at `start`.
fn statement_end(file: &str, start: usize) -> Result<usize> {
    let bytes = file.as_bytes();
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b';' => return Ok(at),
            quote @ (b'\'' | b'"') => {
                // A doubled quote inside is an escaped one: scanning on
                // from the second finds the real end either way.
                at = file[at + 1..].find(quote as char).map(|n| at + 1 + n).with_context(|| unterminated(file, start))?;
            }
            b'-' if bytes.get(at + 1) == Some(&b'-') => {
                at = file[at..].find('\n').map_or(bytes.len(), |n| at + n);
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at = file[at..].find("*/").map(|n| at + n + 1).with_context(|| unterminated(file, start))?;
            }
            _ => {}
        }
        at += 1;
    }
    Err(anyhow::anyhow!(unterminated(file, start)))
}

fn unterminated(file: &str, start: usize) -> String {
    let first_line = file[start..].lines().next().unwrap_or_default();
    format!("statement `{first_line}` has no closing `;`")
}

/// `(table, column)` of an `ALTER TABLE table ADD COLUMN column ...`.
fn added_column(sql: &str) -> Option<(&str, &str)> {
    let words: Vec<&str> = sql.split_whitespace().take(6).collect();
    match words.as_slice() {
        [alter, table_kw, table, add, column_kw, column]
            if alter.eq_ignore_ascii_case("ALTER")
                && table_kw.eq_ignore_ascii_case("TABLE")
                && add.eq_ignore_ascii_case("ADD")
                && column_kw.eq_ignore_ascii_case("COLUMN") =>
        {
            Some((table, column))
        }
        _ => None,
    }
}

/// Applies every migration this build has that the database lacks.
pub fn migrate(conn: &impl Connection) -> Result<()> {
    migrate_to(conn, latest_version())
}

/// Applies the missing migrations up to `target`, all in one transaction
/// (`BEGIN IMMEDIATE`: concurrent instances cannot apply them twice).
pub fn migrate_to(conn: &impl Connection, target: u32) -> Result<()> {
    conn.run("BEGIN IMMEDIATE", &[])?;
    let applied = (|| {
        let current = user_version(conn)?;
        for migration in MIGRATIONS.iter().filter(|m| m.version > current && m.version <= target) {
            let context = || format!("migration {}", migration.name);
            for step in steps(migration.sql).with_context(context)? {
                apply(conn, step).with_context(context)?;
            }
            conn.run(&format!("PRAGMA user_version = {}", migration.version), &[])?;
        }
        Ok(())
    })();
    match applied {
        Ok(()) => conn.run("COMMIT", &[]),
        Err(e) => {
            let _ = conn.run("ROLLBACK", &[]);
            Err(e)
        }
    }
}

pub fn user_version(conn: &impl Connection) -> Result<u32> {
    Ok(u32::try_from(conn.query_integer("PRAGMA user_version", &[])?).unwrap_or(0))
}

/// Runs one step; each is harmless if run again.
pub fn apply(conn: &impl Connection, step: Step<'_>) -> Result<()> {
    match step {
        Step::Sql(sql) => conn.run(sql, &[]),
        Step::AddColumn { table, column, sql } => {
            if !column_exists(conn, table, column)? {
                conn.run(sql, &[])?;
            }
            Ok(())
        }
        Step::WhileColumn { table, column, sql } => {
            if column_exists(conn, table, column)? {
                conn.run(sql, &[])?;
            }
            Ok(())
        }
        Step::Seed(Seed::Agencies) => {
            for a in agency::seed() {
                conn.run(
                    "INSERT OR IGNORE INTO agencies (code, name, type, parent, region, timezone, name_lower) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &[
                        text(a.code),
                        text(a.name),
                        text(a.agency_type.as_str()),
                        opt_text(a.parent),
                        opt_text(a.region),
                        text(a.timezone.as_str()),
                        text(a.name.to_lowercase()),
                    ],
                )?;
            }
            conn.run(&default_units_sql(), &[])
        }
        Step::Seed(Seed::Holidays) => {
            for h in calendar::seed() {
                conn.run(
                    "INSERT OR IGNORE INTO holidays (date, name, kind) VALUES (?, ?, ?)",
                    &[text(h.date.to_string()), text(h.name), text(h.kind.as_str())],
                )?;
            }
            Ok(())
        }
        Step::Seed(Seed::Categories) => {
            // Topics come before their sub-topics in the seed, so every
            // parent exists when its children are inserted.
            for (position, c) in category::seed().into_iter().enumerate() {
                conn.run(
                    "INSERT OR IGNORE INTO categories (code, parent, name_id, name_en, position) VALUES (?, ?, ?, ?, ?)",
                    &[text(c.code), opt_text(c.parent), text(c.name_id), text(c.name_en), text(position.to_string())],
                )?;
            }
            Ok(())
        }
    }
}

fn column_exists(conn: &impl Connection, table: &str, column: &str) -> Result<bool> {
    // `pragma_table_info` takes the table as an argument, so it binds.
    Ok(conn.query_integer("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", &[text(table), text(column)])? > 0)
}

/// The standard work units of every local government, as one statement.
fn default_units_sql() -> String {
    let units: Vec<String> = agency::DEFAULT_LOCAL_UNITS
        .iter()
        .map(|(slug, name)| format!("SELECT '{}' AS slug, '{}' AS name", slug.replace('\'', "''"), name.replace('\'', "''")))
        .collect();
    format!(
        "INSERT OR IGNORE INTO units (code, agency, name) \
         SELECT agencies.code || '/' || u.slug, agencies.code, u.name \
         FROM agencies, ({}) AS u WHERE agencies.type IN ('pemprov', 'pemkab', 'pemkot')",
        units.join(" UNION ALL ")
    )
}

#[cfg(test)]
mod tests;
