//! `DUKUNG <ID>`: support with the number as identity: one per number,
//! shared with a web identity that proved the same number
//! (`Identity::key`); the rules and limits are the API's.

use lapor_domain::message::reply as text;
use lapor_domain::tracking_id::TrackingId;
use lapor_platform::db::Db;
use lapor_platform::participation::{self, Caller};
use lapor_platform::response::ApiError;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>, id: &TrackingId) -> Result<Done, ApiError> {
    let id = id.to_string();
    let caller = Caller { lang: sender.lang, client_ip: None, identity: sender.identity };
    let (added, count) = match participation::support(db, &caller, &id) {
        Err(ApiError::Problem(problem, _)) if problem.status == 404 => return Ok(Done::reply(text::not_found(&id, sender.lang))),
        other => other?,
    };
    let report_id = lapor_platform::store::find_report(db, &id)?.map(|r| r.id);
    Ok(Done { reply: text::supported(&id, added, count, sender.lang), report_id })
}
