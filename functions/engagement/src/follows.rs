//! Following a report ("kawal"): where to be told of its public events.
//!
//! SMS and WhatsApp go only to a number the follower has proved (a citizen
//! token with a verified phone), so nobody can sign a stranger up for
//! messages. E-mail and webhooks are rate limited like every write.

use lapor_domain::command::{Follow, Unfollow};
use lapor_domain::follow::{FollowChannel, WebhookPolicy};
use lapor_domain::invalid::Invalid;
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::{FollowAdded, OwnFollows, Unfollowed};
use lapor_platform::db::Db;
use lapor_platform::engagement;
use lapor_platform::identity::require_identity;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::json_object;
use lapor_platform::{clock, random};
use spin_sdk::http::Response;

use crate::target::{rate_limit, visible};

/// Follows one identity may keep on one report.
const MAX_FOLLOWS_PER_IDENTITY: i64 = 5;

fn webhook_policy() -> WebhookPolicy {
    WebhookPolicy::from_variable(&spin_sdk::variables::get("webhook_allow_private_hosts").unwrap_or_default())
}

/// `POST /api/v1/reports/{id}/follows {channel, address}` -> 201 (200 if
/// that address already follows). A webhook follow gets its signing
/// `secret`, shown this once.
pub fn add(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = json_object(request)?;
    let Follow { channel, address } = Follow::parse(&body, webhook_policy()).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let target = visible(&db, request, raw_id, Some(&identity))?;
    if matches!(channel, FollowChannel::Sms | FollowChannel::Whatsapp) && identity.verified_phone().map(|p| p.as_str()) != Some(address.as_str()) {
        return Err(ApiError::new(
            ProblemKind::Forbidden,
            lang,
            "SMS dan WhatsApp hanya ke nomor yang sudah Anda buktikan: POST /api/v1/citizens/verify.",
            "SMS and WhatsApp go only to a number you have proved: POST /api/v1/citizens/verify.",
        ));
    }
    rate_limit(request, &identity)?;
    let key = identity.key();
    let secret = match channel {
        FollowChannel::Webhook => Some(random::hex_id()?),
        _ => None,
    };
    let now = clock::timestamp(clock::now());
    let created = db.transaction(|db| -> Result<Option<i64>, ApiError> {
        if engagement::follow_count(db, &key, target.id)? >= MAX_FOLLOWS_PER_IDENTITY {
            return Err(ApiError::validation(
                lang,
                &[Invalid::new(
                    "channel",
                    format!("Paling banyak {MAX_FOLLOWS_PER_IDENTITY} cara mengawal per laporan."),
                    format!("At most {MAX_FOLLOWS_PER_IDENTITY} follows per report."),
                )],
            ));
        }
        Ok(engagement::follow(db, target.id, &key, channel, address.as_str(), secret.as_deref(), false, &now)?)
    })?;
    let answer = FollowAdded {
        address: address.as_str().to_string(),
        already_following: created.is_none().then_some(true),
        channel: channel.as_str(),
        following: true,
        report: target.tracking_id.clone(),
        // Shown this once, and only to whoever created the follow.
        secret: secret.filter(|_| created.is_some()),
    };
    Ok(response::json(if created.is_some() { 201 } else { 200 }, &answer, "no-store"))
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
