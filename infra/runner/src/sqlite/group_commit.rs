//! Group commit: one `fsync` makes several guests' commits durable.
//!
//! A guest connection starts with `synchronous = FULL`, so in WAL mode every
//! `COMMIT` syncs the WAL file while it still holds the write lock: writers
//! queue behind each other's syncs, and intake can never commit faster than
//! the disk syncs one by one. Here, while the guest believes it runs with
//! `FULL` (or `EXTRA`) and the database is in WAL, the connection really runs
//! with `NORMAL`: `COMMIT` appends to the WAL and frees the write lock at
//! once, and then waits, before it returns to the guest, until an `fsync` of
//! the WAL that started after it has finished. Commits that arrive while one
//! sync runs share the next. So a guest is told its commit succeeded exactly
//! when `FULL` would have told it: once the commit is on disk.
//!
//! What a guest could notice, and why it cannot:
//! - `PRAGMA synchronous` answers the level the guest set (or the default),
//!   not `NORMAL`; setting it works as usual (and fails inside a transaction,
//!   as SQLite's does).
//! - Another guest may read a commit a millisecond before that commit's sync
//!   ends. Only a power cut in that millisecond could show it: the commit
//!   would be gone, but its writer was never told it succeeded. Recovery
//!   keeps a prefix of the WAL, so a later commit that depends on it (and was
//!   acknowledged) cannot survive without it.
//! - Without WAL nothing changes: `NORMAL` with a rollback journal is weaker
//!   than `FULL`, so such connections keep the guest's level.
//!
//! (The table-valued form `SELECT * FROM pragma_synchronous` is not
//! intercepted and would show `1`; the app never uses it.)

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

/// The `-wal` file of one database, and who is waiting for it to be synced.
pub(super) struct GroupSync {
    wal: PathBuf,
    state: Mutex<SyncState>,
    synced: Condvar,
    syncs: AtomicU64,
}

#[derive(Default)]
struct SyncState {
    /// Tickets handed out: one per commit that waits.
    requested: u64,
    /// Every ticket up to this one is on disk.
    durable: u64,
    /// A sync is running (its leader dropped the lock for it).
    syncing: bool,
}

impl GroupSync {
    /// For the database at `database` (SQLite names its WAL `<database>-wal`).
    pub fn new(database: &std::path::Path) -> Self {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        Self { wal: wal.into(), state: Mutex::new(SyncState::default()), synced: Condvar::new(), syncs: AtomicU64::new(0) }
    }

    /// Returns once everything this connection wrote to the WAL before the
    /// call is on disk. Blocks: call it off the async executor.
    pub fn wait_durable(&self) -> std::io::Result<()> {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.requested += 1;
        let ticket = state.requested;
        loop {
            if state.durable >= ticket {
                return Ok(());
            }
            if state.syncing {
                state = self.synced.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
                continue;
            }
            // Lead a sync for every ticket handed out so far: each of those
            // commits had finished writing before its ticket was taken.
            state.syncing = true;
            let covers = state.requested;
            drop(state);
            let outcome = self.sync_wal();
            state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            state.syncing = false;
            if outcome.is_ok() {
                state.durable = state.durable.max(covers);
            }
            self.synced.notify_all();
            // On failure the others retry with a sync of their own.
            outcome?;
        }
    }

    fn sync_wal(&self) -> std::io::Result<()> {
        self.syncs.fetch_add(1, Ordering::Relaxed);
        // Opened each time: SQLite deletes the WAL when its last connection
        // closes (after a checkpoint that synced everything), so a kept
        // descriptor could point at a file that is no longer the WAL. fsync
        // flushes the file, whichever descriptor asks.
        match std::fs::File::open(&self.wal) {
            Ok(file) => file.sync_data(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    #[cfg(test)]
    pub fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }
}

/// What a statement does with `PRAGMA synchronous`, if anything.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum SynchronousPragma {
    Read,
    Set,
}

pub(super) fn synchronous_pragma(statement: &str) -> Option<SynchronousPragma> {
    let statement = super::pool::skip_comments(statement);
    let rest = strip_word(statement, "pragma")?.trim_start();
    let rest = match strip_word(rest, "main") {
        Some(after) => after.trim_start().strip_prefix('.')?.trim_start(),
        None => rest,
    };
    let rest = strip_word(rest, "synchronous")?.trim_start();
    let rest = rest.trim_end().trim_end_matches(';').trim_end();
    if rest.is_empty() {
        Some(SynchronousPragma::Read)
    } else if rest.starts_with('=') || rest.starts_with('(') {
        Some(SynchronousPragma::Set)
    } else {
        None
    }
}

/// `sql` after `word` (any case) when `sql` starts with it as a whole word.
fn strip_word<'a>(sql: &'a str, word: &str) -> Option<&'a str> {
    let head = sql.get(..word.len())?;
    let rest = &sql[word.len()..];
    (head.eq_ignore_ascii_case(word) && !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_synchronous_pragma() {
        assert_eq!(synchronous_pragma("PRAGMA synchronous"), Some(SynchronousPragma::Read));
        assert_eq!(synchronous_pragma(" -- x\n pragma MAIN . Synchronous ;"), Some(SynchronousPragma::Read));
        assert_eq!(synchronous_pragma("PRAGMA synchronous = OFF"), Some(SynchronousPragma::Set));
        assert_eq!(synchronous_pragma("PRAGMA main.synchronous(2)"), Some(SynchronousPragma::Set));
        assert_eq!(synchronous_pragma("PRAGMA synchronous_x"), None);
        assert_eq!(synchronous_pragma("PRAGMA temp.synchronous"), None);
        assert_eq!(synchronous_pragma("SELECT 1"), None);
    }

    #[test]
    fn one_sync_serves_every_commit_waiting_for_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.db-wal"), b"frames").unwrap();
        let group = std::sync::Arc::new(GroupSync::new(&dir.path().join("x.db")));
        // A sync is running: five commits arrive meanwhile and must wait.
        group.state.lock().unwrap().syncing = true;
        let waiters: Vec<_> = (0..5)
            .map(|_| {
                let group = group.clone();
                std::thread::spawn(move || group.wait_durable().unwrap())
            })
            .collect();
        while group.state.lock().unwrap().requested < 5 {
            std::thread::yield_now();
        }
        assert_eq!(group.state.lock().unwrap().durable, 0, "nobody is told before a sync covers it");
        // The running sync ends without covering them (it began earlier).
        {
            let mut state = group.state.lock().unwrap();
            state.syncing = false;
            group.synced.notify_all();
        }
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(group.syncs(), 1, "one sync, led by the first to wake, covered all five");
        assert_eq!(group.state.lock().unwrap().durable, 5);
    }

    #[test]
    fn a_missing_wal_has_nothing_to_sync() {
        let dir = tempfile::tempdir().unwrap();
        GroupSync::new(&dir.path().join("x.db")).wait_durable().unwrap();
    }
}
