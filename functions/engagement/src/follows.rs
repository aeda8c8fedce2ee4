//! Following a report ("kawal"): where to be told of its public events.
//!
//! SMS and WhatsApp go only to a number the follower has proved (a citizen
//! token with a verified phone), so nobody can sign a stranger up for
//! messages. E-mail and webhooks are rate limited like every write.

use lapor_domain::command::{Follow, Unfollow};
use lapor_domain::follow::WebhookPolicy;
use lapor_domain::view::{OwnFollows, Unfollowed};
use lapor_platform::db::Db;
use lapor_platform::{engagement, participation};
use lapor_platform::identity::require_identity;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::json_object;
use spin_sdk::http::Response;

use crate::target::visible;

fn webhook_policy() -> WebhookPolicy {
    participation::webhook_policy()
}

/// `POST /api/v1/reports/{id}/follows {channel, address}` -> 201 (200 if
/// that address already follows). A webhook follow gets its signing
/// `secret`, shown this once.
pub fn add(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = json_object(request)?;
    let command = Follow::parse(&body, webhook_policy()).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let ip = request.client_ip();
    let caller = participation::Caller { lang, client_ip: Some(&ip), identity: &identity };
    let (created, answer) = participation::follow(&db, &caller, raw_id, command)?;
    Ok(response::json(if created { 201 } else { 200 }, &answer, "no-store"))
}

/// `GET`: the caller's own follows of the report.
pub fn list(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let target = visible(&db, request, raw_id, Some(&identity))?;
    let items = engagement::own_follows(&db, &identity.key(), target.id)?;
    Ok(response::json(200, &OwnFollows { report: target.tracking_id.clone(), items }, "no-store"))
}

/// `DELETE ?channel=&address=` (both optional): stops the caller's follows
/// and drops what was still waiting to be sent to them.
pub fn remove(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let Unfollow { channel, address } = Unfollow::parse(request.query("channel"), request.query("address"), webhook_policy())
        .map_err(|errors| ApiError::bad_parameters(lang, &errors))?;
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let target = visible(&db, request, raw_id, Some(&identity))?;
    let removed = db.transaction(|db| engagement::unfollow(db, target.id, &identity.key(), channel, address.as_ref().map(|a| a.as_str())))?;
    Ok(response::json(200, &Unfollowed { removed, report: target.tracking_id.clone() }, "no-store"))
}
