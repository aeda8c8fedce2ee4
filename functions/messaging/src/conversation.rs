//! One inbound message, whoever delivered it: the same reply for every
//! retry, the per-number limit, and the command applied in one transaction
//! with the record of the message.
//!
//! 1. A message ID seen before gets the reply it got then, and nothing
//!    changes: the `inbound_messages` row in SQLite is the truth (a retry
//!    after the key-value store was lost is still recognised).
//!    (A message ID from another sender is not replayed to them.)
//! 2. Inside `BEGIN IMMEDIATE`, the message is looked up again (of ten
//!    concurrent retries, the first does the work and the other nine find
//!    its row once the lock is theirs), then counted against the sender's
//!    messages per hour (Spin variable `sms_rate_limit_per_number`; BERHENTI
//!    is never limited): over it, nothing is recorded or done; the first
//!    message over the limit is told so politely (on WhatsApp that answer is
//!    an outbox row), later ones get no answer (every answer is a message
//!    someone pays for).
//! 3. The command runs in the same transaction as the row that records the
//!    message and its reply.
//!    A command refused by a rule (a 409, a 403) still records its reply:
//!    its own writes are undone (a savepoint) and the refusal is the answer.

use lapor_domain::engagement::Identity;
use lapor_domain::event::OutboxKind;
use lapor_domain::follow::FollowChannel;
use lapor_domain::lang::Lang;
use lapor_domain::message::grammar::{self, Keyword, Parsed};
use lapor_domain::message::inbound::{Content, Delivery, Inbound, Provider, Unreadable};
use lapor_domain::message::reply;
use lapor_platform::db::Db;
use lapor_platform::inbound::{self, Handled};
use lapor_platform::response::ApiError;
use lapor_platform::{clock, kv, limits, notify};
use serde_json::json;

use crate::commands::{self, Sender};

/// The reply to one delivery (`None`: send nothing back).
pub fn answer(delivery: Delivery) -> Result<Option<String>, ApiError> {
    let base = lapor_platform::site::public_base_url();
    match delivery {
        Delivery::Status => Ok(None),
        // Nothing to de-duplicate on or nobody to answer: help, recorded nowhere.
        Delivery::Unreadable(Unreadable::Incomplete) => Ok(Some(reply::help(Lang::Id, &base))),
        Delivery::Unreadable(Unreadable::ForeignNumber { .. }) => Ok(Some(reply::foreign_number(Lang::Id))),
        Delivery::Message(message) => answer_message(&message, &base),
    }
}

fn answer_message(message: &Inbound, base: &str) -> Result<Option<String>, ApiError> {
    let db = Db::open()?;
    let identity = Identity::Phone(message.from.clone());
    let sender_key = identity.key();
    if let Some(replay) = replay(&db, message, &sender_key, base)? {
        return Ok(Some(replay));
    }
    let parsed = match &message.content {
        Content::Text(text) => Some(grammar::parse(text)),
        Content::Other { .. } => None,
    };
    let lang = parsed.as_ref().map_or(Lang::Id, |p| p.lang);
    // BERHENTI always works: a number flooding us may still opt out.
    let opting_out = parsed.as_ref().is_some_and(|p| p.outcome == Ok(grammar::Command::Stop));
    let sender = Sender { phone: &message.from, identity: &identity, channel: message.channel, lang, base };
    let at = clock::timestamp(clock::now());
    db.transaction(|db| -> Result<Option<String>, ApiError> {
        // A concurrent retry may have finished while this one waited for the lock.
        if let Some(replay) = replay(db, message, &sender_key, base)? {
            return Ok(Some(replay));
        }
        // Counted here, once the message is known to be new: retries never count.
        let count = if opting_out { Count::Allowed } else { count_message(&sender_key) };
        let done = match count {
            Count::Allowed => None,
            Count::Over => return Ok(None),
            // The one answer of a limited message; nothing is recorded or done.
            Count::FirstOver { minutes } => Some(reply::rate_limited(minutes, lang)),
        };
        if let Some(polite) = done {
            send_on_whatsapp(db, message, &polite, &at)?;
            return Ok(Some(polite));
        }
        let (keyword, done) = match &parsed {
            Some(parsed) => (parsed.keyword, apply(db, &sender, parsed)?),
            None => (Keyword::Bantuan, commands::Done::reply(reply::text_only(lang, base))),
        };
        inbound::record(
            db,
            &Handled {
                provider: message.provider,
                message_id: &message.message_id,
                sender: &sender_key,
                keyword,
                reply: &done.reply,
                report_id: done.report_id,
                at: &at,
            },
        )?;
        send_on_whatsapp(db, message, &done.reply, &at)?;
        Ok(Some(done.reply))
    })
}

/// The reply a message handled before got, for a retry from the same sender.
/// A message ID seen before from another sender (an aggregator that reuses
/// IDs) is not theirs to replay: it gets the usage text, and nothing is done.
fn replay(db: &Db, message: &Inbound, sender_key: &str, base: &str) -> Result<Option<String>, ApiError> {
    Ok(inbound::stored(db, message.provider, &message.message_id)?.map(|stored| {
        if stored.sender == sender_key {
            stored.reply
        } else {
            eprintln!("{} message ID reused by another sender: not replayed", message.provider.as_str());
            reply::help(Lang::Id, base)
        }
    }))
}

/// The Cloud API takes no reply in the webhook's answer: it is sent through
/// the outbox, in the transaction of the message.
fn send_on_whatsapp(db: &Db, message: &Inbound, text: &str, at: &str) -> Result<(), ApiError> {
    if message.provider == Provider::Whatsapp {
        notify::enqueue_message(db, OutboxKind::Reply, FollowChannel::Whatsapp, message.from.as_str(), &json!({ "text": text }), at)?;
    }
    Ok(())
}

/// The command, or the help its message deserves; a refusal by a rule is
/// its answer (inside a savepoint, so whatever it wrote is undone).
fn apply(db: &Db, sender: &Sender<'_>, parsed: &Parsed) -> Result<commands::Done, ApiError> {
    let lang = sender.lang;
    let command = match &parsed.outcome {
        Ok(command) => command,
        Err(unclear) => return Ok(commands::Done::reply(commands::unclear(unclear, lang, sender.base))),
    };
    match db.transaction(|db| commands::apply(db, sender, command)) {
        Ok(done) => Ok(done),
        Err(ApiError::Problem(problem, _)) => {
            let first_field = problem.errors.first().map(|e| format!(" {}", e.message)).unwrap_or_default();
            Ok(commands::Done::reply(reply::refused(&format!("{}{first_field}", problem.detail))))
        }
        Err(internal) => Err(internal),
    }
}

enum Count {
    Allowed,
    /// This message is the first over the limit in its hour.
    FirstOver { minutes: u64 },
    Over,
}

/// Counts the message against `sms_rate_limit_per_number`. If the
/// key-value store is down the message is allowed (losing a report is worse).
fn count_message(sender_key: &str) -> Count {
    let limit = limits::from_variable("sms_rate_limit_per_number", 30);
    if limit.disabled() {
        return Count::Allowed;
    }
    let window = limit.window(clock::now().timestamp().max(0) as u64);
    match kv::increment(&kv_schema::inbound_message_rate_by_sender_key(sender_key, window.index)) {
        Ok(count) if limit.allows(count) => Count::Allowed,
        Ok(count) if count == limit.per_window + 1 => Count::FirstOver { minutes: window.seconds_left.div_ceil(60) },
        Ok(_) => Count::Over,
        Err(e) => {
            eprintln!("inbound message limit not enforced: {e:#}");
            Count::Allowed
        }
    }
}
