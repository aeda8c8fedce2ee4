//! `BALAS <ID> <isi>`: the reporter's reply (to a hold, or to a follow-up),
//! only from the number the report was sent from; the rules are the API's
//! (`lapor_platform::reporter::reply`).

use lapor_domain::command::Reply;
use lapor_domain::message::grammar::Keyword;
use lapor_domain::message::reply as text;
use lapor_domain::tracking_id::TrackingId;
use lapor_platform::db::Db;
use lapor_platform::reporter;
use lapor_platform::response::ApiError;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>, id: &TrackingId, command: &Reply) -> Result<Done, ApiError> {
    let report = match super::reporters_report(db, sender, id, Keyword::Balas)? {
        Ok(report) => report,
        Err(refusal) => return Ok(refusal),
    };
    reporter::reply(db, sender.lang, &report, command.clone())?;
    Ok(Done::on(report.id, text::replied(&report.record.tracking_id, sender.lang)))
}
