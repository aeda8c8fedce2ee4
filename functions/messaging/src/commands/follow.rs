//! `IKUTI <ID>`: follow a report on the channel the message came by, at the
//! sender's number (proved by the provider); the rules and limits are the API's.

use lapor_domain::command::Follow;
use lapor_domain::message::reply as text;
use lapor_domain::tracking_id::TrackingId;
use lapor_platform::db::Db;
use lapor_platform::participation::{self, Caller};
use lapor_platform::response::ApiError;
use serde_json::json;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>, id: &TrackingId) -> Result<Done, ApiError> {
    let id = id.to_string();
    let body = json!({ "channel": sender.channel.report_channel().phone_follow_channel().as_str(), "address": sender.phone.as_str() });
    let command = Follow::parse(body.as_object().expect("an object"), participation::webhook_policy())
        .map_err(|errors| ApiError::validation(sender.lang, &errors))?;
    let caller = Caller { lang: sender.lang, client_ip: None, identity: sender.identity };
    let (created, _) = match participation::follow(db, &caller, &id, command) {
        Err(ApiError::Problem(problem, _)) if problem.status == 404 => return Ok(Done::reply(text::not_found(&id, sender.lang))),
        other => other?,
    };
    let report_id = lapor_platform::store::find_report(db, &id)?.map(|r| r.id);
    Ok(Done { reply: text::followed(&id, !created, sender.lang), report_id })
}
