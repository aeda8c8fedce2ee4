//! The `inbound_messages` table: one row per provider message ID, written in
//! the same transaction as whatever the message did, with the reply it got.
//! A retry finds the row and gets the same reply; the UNIQUE key (provider,
//! message ID) means a second row can never be written, however concurrent
//! the retries, and nothing here depends on the key-value store.

use anyhow::Result;
use lapor_domain::message::grammar::Keyword;
use lapor_domain::message::inbound::Provider;

use crate::db::{opt_int, text, Db};

/// A message handled before: who sent it (identity key) and its reply.
pub struct Stored {
    pub sender: String,
    pub reply: String,
}

/// The message with this ID, if it was handled before.
pub fn stored(db: &Db, provider: Provider, message_id: &str) -> Result<Option<Stored>> {
    db.query("SELECT sender, reply FROM inbound_messages WHERE provider = ? AND message_id = ?", &[text(provider.as_str()), text(message_id)])?
        .first(|row| Ok(Stored { sender: row.text("sender")?, reply: row.text("reply")? }))
}

/// What one message was, for the record. `sender` is the sender's identity
/// key (a hash), never the number.
pub struct Handled<'a> {
    pub provider: Provider,
    pub message_id: &'a str,
    pub sender: &'a str,
    pub keyword: Keyword,
    pub reply: &'a str,
    /// The report it filed or acted on, if any.
    pub report_id: Option<i64>,
    pub at: &'a str,
}

/// Records a handled message. Must run inside the transaction of what it did.
pub fn record(db: &Db, handled: &Handled<'_>) -> Result<()> {
    db.execute(
        "INSERT INTO inbound_messages (provider, message_id, sender, command, reply, report_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[
            text(handled.provider.as_str()),
            text(handled.message_id),
            text(handled.sender),
            text(handled.keyword.as_str()),
            text(handled.reply),
            opt_int(handled.report_id),
            text(handled.at),
        ],
    )?;
    Ok(())
}
