//! Supports, comments, flags and follows in SQLite.
//!
//! Every function runs inside the caller's `BEGIN IMMEDIATE` transaction, so
//! a row and the count it changes on the report commit together: the counts
//! are exact however many instances, or runner processes, write at once.

use anyhow::Result;
use lapor_domain::engagement::{CommentState, ReviewQueue};
use lapor_domain::follow::FollowChannel;
use lapor_domain::stats::{Fact, Happened};

use crate::db::{int, opt_text, text, Db};
use crate::row::Row;

fn first_i64(db: &Db, sql: &str, params: &[spin_sdk::sqlite3::Value]) -> Result<Option<i64>> {
    db.query(sql, params)?.first(|row| row.int("n"))
}

/// The report's support count as stored with it.
pub fn support_count(db: &Db, report_id: i64) -> Result<i64> {
    Ok(first_i64(db, "SELECT support_count AS n FROM reports WHERE id = ?", &[int(report_id)])?.unwrap_or(0))
}

/// Adds a support; returns whether it was new. It counts in the
/// statistics on its day, in the report's groups at that moment; the row
/// keeps that fact so a withdrawal takes back exactly it.
pub fn add_support(db: &Db, report_id: i64, identity: &str, now: &str) -> Result<bool> {
    let at = crate::sla::parse_time(now).ok_or_else(|| anyhow::anyhow!("unreadable time {now}"))?;
    let (dims, zone) = crate::stats::dims_of(db, report_id)?;
    let fact = Fact::new(at, zone, dims, Happened::Supported);
    db.execute(
        "INSERT OR IGNORE INTO supports (report_id, identity, created_at, fact) VALUES (?, ?, ?, ?)",
        &[int(report_id), text(identity), text(now), text(serde_json::to_string(&fact)?)],
    )?;
    let added = db.changes() == 1;
    if added {
        db.execute("UPDATE reports SET support_count = support_count + 1 WHERE id = ?", &[int(report_id)])?;
        crate::stats::record(db, &[fact])?;
    }
    Ok(added)
}

/// Withdraws a support; returns whether there was one.
pub fn remove_support(db: &Db, report_id: i64, identity: &str) -> Result<bool> {
    let removed = db
        .query("DELETE FROM supports WHERE report_id = ? AND identity = ? RETURNING fact", &[int(report_id), text(identity)])?
        .map(|row| row.opt_text("fact"))?;
    let Some(fact) = removed.first() else { return Ok(false) };
    db.execute("UPDATE reports SET support_count = support_count - 1 WHERE id = ?", &[int(report_id)])?;
    take_back_supports(db, std::slice::from_ref(fact))?;
    Ok(true)
}

/// Takes back the statistics' counts of deleted supports (their stored facts).
fn take_back_supports(db: &Db, facts: &[Option<String>]) -> Result<()> {
    let facts: Vec<Fact> = facts.iter().flatten().filter_map(|f| serde_json::from_str::<Fact>(f).ok()).map(|f| f.negated()).collect();
    crate::stats::record(db, &facts)
}

pub fn supports(db: &Db, report_id: i64, identity: &str) -> Result<bool> {
    Ok(first_i64(db, "SELECT 1 AS n FROM supports WHERE report_id = ? AND identity = ?", &[int(report_id), text(identity)])?.is_some())
}

/// Follows a report; `None` when this address already follows it.
#[allow(clippy::too_many_arguments)]
pub fn follow(
    db: &Db,
    report_id: i64,
    identity: &str,
    channel: FollowChannel,
    address: &str,
    secret: Option<&str>,
    is_reporter: bool,
    now: &str,
) -> Result<Option<i64>> {
    db.execute(
        "INSERT OR IGNORE INTO follows (report_id, identity, channel, address, secret, is_reporter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[int(report_id), text(identity), text(channel.as_str()), text(address), opt_text(secret), int(is_reporter as i64), text(now)],
    )?;
    Ok((db.changes() == 1).then(|| db.last_insert_rowid()))
}

/// Removes `identity`'s follows of a report (all, or one channel/address)
/// with the notifications still pending for them; returns how many.
pub fn unfollow(db: &Db, report_id: i64, identity: &str, channel: Option<FollowChannel>, address: Option<&str>) -> Result<u64> {
    let filter = "report_id = ?1 AND identity = ?2 AND (?3 IS NULL OR channel = ?3) AND (?4 IS NULL OR address = ?4)";
    let params = [int(report_id), text(identity), opt_text(channel.map(|c| c.as_str())), opt_text(address)];
    db.execute(
        &format!("DELETE FROM notification_outbox WHERE state = 'pending' AND follow_id IN (SELECT id FROM follows WHERE {filter})"),
        &params,
    )?;
    db.execute(&format!("DELETE FROM follows WHERE {filter}"), &params)?;
    Ok(db.changes())
}

/// BERHENTI: every SMS and WhatsApp follow of `phone` (the reporter's own
/// included), with the event notifications still pending for them; returns
/// how many reports it followed.
pub fn stop_number(db: &Db, phone: &str) -> Result<u64> {
    let filter = format!("address = ?1 AND channel IN ('{}', '{}')", FollowChannel::Sms.as_str(), FollowChannel::Whatsapp.as_str());
    let reports = db
        .query(&format!("SELECT count(DISTINCT report_id) AS n FROM follows WHERE {filter}"), &[text(phone)])?
        .first(|row| row.int("n"))?
        .unwrap_or(0);
    db.execute(
        &format!("DELETE FROM notification_outbox WHERE state = 'pending' AND kind = 'event' AND follow_id IN (SELECT id FROM follows WHERE {filter})"),
        &[text(phone)],
    )?;
    db.execute(&format!("DELETE FROM follows WHERE {filter}"), &[text(phone)])?;
    Ok(reports as u64)
}

/// A report became confidential: everyone but its reporter stops following
/// it, with what was still pending for them.
pub fn drop_strangers(db: &Db, report_id: i64) -> Result<()> {
    db.execute(
        "DELETE FROM notification_outbox WHERE state = 'pending' AND follow_id IN (SELECT id FROM follows WHERE report_id = ? AND is_reporter = 0)",
        &[int(report_id)],
    )?;
    db.execute("DELETE FROM follows WHERE report_id = ? AND is_reporter = 0", &[int(report_id)])?;
    Ok(())
}

/// A duplicate's supporters and followers move to the original: supports
/// merge (one per identity), follows move unless that address already
/// follows the original. Moved follows are no longer "the reporter" there.
pub fn merge_duplicate(db: &Db, duplicate_id: i64, original_id: i64) -> Result<()> {
    let ids = [int(original_id), int(duplicate_id)];
    // A moved support keeps its fact (its day and groups stay counted as
    // they were); one whose identity already supports the original goes.
    let dropped = db
        .query(
            "SELECT d.fact FROM supports d WHERE d.report_id = ?2
                AND EXISTS (SELECT 1 FROM supports o WHERE o.report_id = ?1 AND o.identity = d.identity)",
            &ids,
        )?
        .map(|row| row.opt_text("fact"))?;
    db.execute(
        "INSERT OR IGNORE INTO supports (report_id, identity, created_at, fact) SELECT ?1, identity, created_at, fact FROM supports WHERE report_id = ?2",
        &ids,
    )?;
    db.execute("DELETE FROM supports WHERE report_id = ?2 AND ?1 IS NOT NULL", &ids)?;
    take_back_supports(db, &dropped)?;
    db.execute("UPDATE reports SET support_count = (SELECT count(*) FROM supports WHERE report_id = reports.id) WHERE id IN (?1, ?2)", &ids)?;
    db.execute("UPDATE OR IGNORE follows SET report_id = ?1, is_reporter = 0 WHERE report_id = ?2", &ids)?;
    Ok(())
}

/// When a citizen proves a phone, what they did under their token becomes
/// the phone's: a person who supported before proving cannot support again.
/// Supports merge (one per report), follows and comments move. Flags keep
/// their old key (a person could add at most one extra flag this way).
pub fn adopt_identity(db: &Db, old: &str, new: &str) -> Result<()> {
    let keys = [text(old), text(new)];
    db.execute("UPDATE OR IGNORE supports SET identity = ?2 WHERE identity = ?1", &keys)?;
    // What is left under the old key already had a support under the new one.
    let dropped = db.query("DELETE FROM supports WHERE identity = ?1 AND ?2 IS NOT NULL RETURNING fact", &keys)?.map(|row| row.opt_text("fact"))?;
    take_back_supports(db, &dropped)?;
    db.execute(
        "UPDATE reports SET support_count = (SELECT count(*) FROM supports WHERE report_id = reports.id)
         WHERE id IN (SELECT report_id FROM supports WHERE identity = ?2) AND ?1 IS NOT NULL",
        &keys,
    )?;
    db.execute("UPDATE follows SET identity = ?2 WHERE identity = ?1", &keys)?;
    db.execute("UPDATE comments SET identity = ?2 WHERE identity = ?1", &keys)?;
    Ok(())
}

/// A comment as the public listing shows it.
pub struct CommentRow {
    pub id: i64,
    pub public_id: String,
    pub report_id: i64,
    pub display_name: Option<String>,
    pub body: String,
    pub created_at: String,
    pub state: CommentState,
    /// Flags since staff last reviewed it, from anyone / from proved phones.
    pub open_flags: i64,
    pub proved_flags: i64,
}

impl From<CommentRow> for lapor_domain::view::CommentView {
    fn from(row: CommentRow) -> Self {
        lapor_domain::view::CommentView { id: row.public_id, body: row.body, display_name: row.display_name, created_at: row.created_at }
    }
}

const COMMENT_COLUMNS: &str = "id, public_id, report_id, display_name, body, created_at, state, open_flags, proved_flags";

fn comment_row(row: Row<'_>) -> Result<CommentRow> {
    Ok(CommentRow {
        id: row.int("id")?,
        public_id: row.text("public_id")?,
        report_id: row.int("report_id")?,
        display_name: row.opt_text("display_name")?,
        body: row.text("body")?,
        created_at: row.text("created_at")?,
        // A state this build does not know reads as hidden (fails closed).
        state: CommentState::from_stored(&row.text("state")?),
        open_flags: row.int("open_flags")?,
        proved_flags: row.int("proved_flags")?,
    })
}

#[allow(clippy::too_many_arguments)]
pub fn insert_comment(db: &Db, public_id: &str, report_id: i64, identity: &str, display_name: Option<&str>, body: &str, now: &str) -> Result<()> {
    db.execute(
        "INSERT INTO comments (public_id, report_id, identity, display_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        &[text(public_id), int(report_id), text(identity), opt_text(display_name), text(body), text(now)],
    )?;
    db.execute("UPDATE reports SET comment_count = comment_count + 1 WHERE id = ?", &[int(report_id)])?;
    Ok(())
}

/// Visible comments of a report after comment row id `after`, oldest first.
pub fn visible_comments(db: &Db, report_id: i64, after: i64, limit: u32) -> Result<Vec<CommentRow>> {
    db.query(
        &format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE report_id = ? AND state = 'visible' AND id > ? ORDER BY id LIMIT ?"),
        &[int(report_id), int(after), int(limit as i64)],
    )?
    .map(comment_row)
}

pub fn find_comment(db: &Db, public_id: &str) -> Result<Option<CommentRow>> {
    db.query(&format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE public_id = ?"), &[text(public_id)])?.first(comment_row)
}

/// The comments of a review queue, for moderators (oldest first after row
/// id `after`), only of reports held by `agency` when given.
pub fn review_queue(db: &Db, queue: ReviewQueue, agency: Option<&str>, after: i64, limit: u32) -> Result<Vec<(String, CommentRow)>> {
    let in_queue = match queue {
        ReviewQueue::Hidden => "c.state <> 'visible'",
        ReviewQueue::Flagged => "c.state = 'visible' AND c.open_flags > 0",
    };
    db.query(
        &format!(
            "SELECT c.id, c.public_id, c.report_id, c.display_name, c.body, c.created_at, c.state, c.open_flags, c.proved_flags, r.tracking_id
             FROM comments c JOIN reports r ON r.id = c.report_id
             WHERE {in_queue} AND c.id > ? AND (? IS NULL OR r.agency = ?)
             ORDER BY c.id LIMIT ?"
        ),
        &[int(after), opt_text(agency), opt_text(agency), int(limit as i64)],
    )?
    .map(|row| Ok((row.text("tracking_id")?, comment_row(row)?)))
}

/// Distinct identities that ever flagged the comment.
pub fn flag_count(db: &Db, comment_id: i64) -> Result<i64> {
    Ok(first_i64(db, "SELECT count(*) AS n FROM comment_flags WHERE comment_id = ?", &[int(comment_id)])?.unwrap_or(0))
}

/// Records a flag; returns whether it was this identity's first on the
/// comment. `proved`: the identity's flags count toward hiding.
pub fn add_flag(db: &Db, comment_id: i64, identity: &str, proved: bool, reason: &str, now: &str) -> Result<bool> {
    db.execute(
        "INSERT OR IGNORE INTO comment_flags (comment_id, identity, reason, created_at) VALUES (?, ?, ?, ?)",
        &[int(comment_id), text(identity), text(reason), text(now)],
    )?;
    let added = db.changes() == 1;
    if added {
        db.execute(
            "UPDATE comments SET open_flags = open_flags + 1, proved_flags = proved_flags + ? WHERE id = ?",
            &[int(proved as i64), int(comment_id)],
        )?;
    }
    Ok(added)
}

/// Moves a comment to `state`, keeping the report's visible-comment count
/// right, and writes the moderation audit record.
pub fn set_comment_state(db: &Db, comment: &CommentRow, state: CommentState, action: &str, actor: &str, reason: Option<&str>, now: &str) -> Result<()> {
    let was_visible = comment.state == CommentState::Visible;
    let is_visible = state == CommentState::Visible;
    // A restore is a review: flags counted before it no longer count.
    let reset_flags = if is_visible { ", open_flags = 0, proved_flags = 0" } else { "" };
    db.execute(&format!("UPDATE comments SET state = ?{reset_flags} WHERE id = ?"), &[text(state.as_str()), int(comment.id)])?;
    let delta = (is_visible as i64) - (was_visible as i64);
    if delta != 0 {
        db.execute("UPDATE reports SET comment_count = comment_count + ? WHERE id = ?", &[int(delta), int(comment.report_id)])?;
    }
    db.execute(
        "INSERT INTO comment_moderation (comment_id, at, action, actor, reason) VALUES (?, ?, ?, ?, ?)",
        &[int(comment.id), text(now), text(action), text(actor), opt_text(reason)],
    )?;
    Ok(())
}

/// The moderation trail of a comment: (at, action, actor, reason).
pub fn moderation_trail(db: &Db, comment_id: i64) -> Result<Vec<(String, String, String, Option<String>)>> {
    db.query("SELECT at, action, actor, reason FROM comment_moderation WHERE comment_id = ? ORDER BY id", &[int(comment_id)])?
        .map(|row| Ok((row.text("at")?, row.text("action")?, row.text("actor")?, row.opt_text("reason")?)))
}

/// How many follows `identity` has on a report.
pub fn follow_count(db: &Db, identity: &str, report_id: i64) -> Result<i64> {
    Ok(first_i64(db, "SELECT count(*) AS n FROM follows WHERE identity = ? AND report_id = ?", &[text(identity), int(report_id)])?.unwrap_or(0))
}

/// One of an identity's own follows: (channel, address, created_at).
pub fn own_follows(db: &Db, identity: &str, report_id: i64) -> Result<Vec<lapor_domain::view::FollowView>> {
    db.query("SELECT channel, address, created_at FROM follows WHERE identity = ? AND report_id = ? ORDER BY id", &[text(identity), int(report_id)])?.map(
        |row| {
            Ok(lapor_domain::view::FollowView {
                channel: Some(row.text("channel")?),
                address: Some(row.text("address")?),
                created_at: Some(row.text("created_at")?),
            })
        },
    )
}

/// The tracking ID and agency of a report, by row id.
pub fn report_ref(db: &Db, report_id: i64) -> Result<Option<(String, Option<String>)>> {
    db.query("SELECT tracking_id, agency FROM reports WHERE id = ?", &[int(report_id)])?.first(|row| Ok((row.text("tracking_id")?, row.opt_text("agency")?)))
}
