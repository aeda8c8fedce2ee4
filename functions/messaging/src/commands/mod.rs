//! Each command of the grammar (`lapor_domain::message::grammar::Command`),
//! applied by its own file through the same platform functions as the API
//! and the pages: filing is `intake`, replying and rating are `reporter`,
//! supporting and following are `participation`. Each runs inside the
//! caller's transaction and answers with the reply text.

mod check;
mod file;
mod follow;
mod rate;
mod reply;
mod stop;
mod support;

use lapor_domain::contact::PhoneNumber;
use lapor_domain::engagement::Identity;
use lapor_domain::lang::Lang;
use lapor_domain::message::grammar::{Command, Unclear};
use lapor_domain::message::inbound::MessageChannel;
use lapor_domain::message::reply as text;
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;

/// Who sent the message, and how to answer them.
pub struct Sender<'a> {
    pub phone: &'a PhoneNumber,
    /// `Identity::Phone`: one person across SMS, WhatsApp and a web identity
    /// that proved the same number.
    pub identity: &'a Identity,
    pub channel: MessageChannel,
    pub lang: Lang,
    /// `public_base_url`, for links.
    pub base: &'a str,
}

/// What a command did: its reply, and the report it concerned.
pub struct Done {
    pub reply: String,
    pub report_id: Option<i64>,
}

impl Done {
    pub fn reply(reply: String) -> Self {
        Done { reply, report_id: None }
    }

    fn on(report_id: i64, reply: String) -> Self {
        Done { reply, report_id: Some(report_id) }
    }
}

pub fn apply(db: &Db, sender: &Sender<'_>, command: &Command) -> Result<Done, ApiError> {
    match command {
        Command::File(report) => file::apply(db, sender, report),
        Command::Check(id) => check::apply(db, sender, id),
        Command::Reply(id, reply) => reply::apply(db, sender, id, reply),
        Command::Rate(id, rate) => rate::apply(db, sender, id, rate),
        Command::Support(id) => support::apply(db, sender, id),
        Command::Follow(id) => follow::apply(db, sender, id),
        Command::Stop => stop::apply(db, sender),
        Command::Help => Ok(Done::reply(text::help(sender.lang, sender.base))),
    }
}

/// The answer to a message that is no command.
pub fn unclear(unclear: &Unclear, lang: Lang, base: &str) -> String {
    match unclear {
        Unclear::NotAReport => text::help(lang, base),
        Unclear::Usage(keyword) => text::usage(*keyword, lang),
        Unclear::BadTrackingId { typed, error, .. } => text::bad_tracking_id(typed, *error, lang),
        Unclear::Invalid { keyword, errors } => text::invalid(*keyword, errors, lang),
    }
}

/// The report `id` names, if the sender is its reporter (the number it was
/// sent from); otherwise the answer: not found (also for a confidential
/// report, which to anyone else does not exist), or only the reporter may.
fn reporters_report(
    db: &Db,
    sender: &Sender<'_>,
    id: &lapor_domain::tracking_id::TrackingId,
    keyword: lapor_domain::message::grammar::Keyword,
) -> Result<Result<lapor_platform::store::StoredReport, Done>, ApiError> {
    let id = id.to_string();
    let Some(report) = lapor_platform::store::find_report(db, &id)? else { return Ok(Err(Done::reply(text::not_found(&id, sender.lang)))) };
    if lapor_platform::store::phone_proved_reporter(db, report.id, sender.phone)? {
        return Ok(Ok(report));
    }
    if report.record.privacy.is_confidential() {
        return Ok(Err(Done::reply(text::not_found(&id, sender.lang))));
    }
    Ok(Err(Done::on(report.id, text::only_the_reporter(&id, keyword, sender.lang))))
}
