//! `NILAI <ID> <1-5> [komentar]`: the reporter's rating of the agency's
//! answer, once, only from the number the report was sent from; the rules
//! are the API's (`lapor_platform::reporter::rate`).

use lapor_domain::command::Rate;
use lapor_domain::message::grammar::Keyword;
use lapor_domain::message::reply as text;
use lapor_domain::tracking_id::TrackingId;
use lapor_platform::db::Db;
use lapor_platform::reporter;
use lapor_platform::response::ApiError;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>, id: &TrackingId, command: &Rate) -> Result<Done, ApiError> {
    let report = match super::reporters_report(db, sender, id, Keyword::Nilai)? {
        Ok(report) => report,
        Err(refusal) => return Ok(refusal),
    };
    let rated = reporter::rate(db, sender.lang, &report, command.clone())?;
    Ok(Done::on(report.id, text::rated(&report.record.tracking_id, rated.score, sender.lang)))
}
