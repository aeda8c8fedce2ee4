//! `BERHENTI` (`STOP`, `UNSUBSCRIBE`): no more messages to this number, from
//! any report it follows by SMS or WhatsApp (its own reports included), and
//! nothing still waiting is sent.

use lapor_domain::message::reply as text;
use lapor_platform::db::Db;
use lapor_platform::engagement;
use lapor_platform::response::ApiError;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>) -> Result<Done, ApiError> {
    let reports = engagement::stop_number(db, sender.phone.as_str())?;
    Ok(Done::reply(text::stopped(reports, sender.lang)))
}
