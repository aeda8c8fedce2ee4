//! Comments: public text under a report, and their moderation.
//!
//! Bodies are stored as typed and returned as JSON strings; the HTML pages
//! escape them. Three distinct identities with proved phones flagging a
//! comment hide it until staff review it; flags from other identities (free
//! citizen tokens, reporter tokens) bring it to the staff's "flagged" queue
//! while it stays visible. Staff may hide or restore any comment of their
//! reports; a restore is the review that clears open flags.
//! Hidden comments leave the public listing and stay in the audit trail.

use lapor_domain::command::{FlagComment, ModerateComment, PostComment, Verdict};
use lapor_domain::engagement::ReviewQueue;
use lapor_domain::staff::{Decision, StaffAction};
use lapor_domain::view::{CommentView, Moderated, ModerationEntry, Page, ReviewItem};
use lapor_platform::auth::{forbidden, require_staff};
use lapor_platform::db::Db;
use lapor_platform::engagement;
use lapor_platform::identity::{identity_of, require_identity};
use lapor_platform::{paging, participation};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::workflow::{json_object, json_object_or_empty};
use lapor_platform::clock;
use spin_sdk::http::Response;

use crate::target::{refused, visible};

const MAX_PAGE: u32 = 100;
const DEFAULT_PAGE: u32 = 20;


/// `POST /api/v1/reports/{id}/comments {body, display_name?}` -> 201.
pub fn create(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = json_object(request)?;
    let command = PostComment::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let ip = request.client_ip();
    let caller = participation::Caller { lang, client_ip: Some(&ip), identity: &identity };
    let (tracking_id, comment) = participation::post_comment(&db, &caller, raw_id, command)?;
    let mut response = response::json(201, &comment, "no-store");
    response.set_header("location", format!("/api/v1/reports/{tracking_id}/comments"));
    Ok(response)
}

/// `GET /api/v1/reports/{id}/comments?cursor=&limit=`: visible comments, oldest first.
pub fn list(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let (limit, after) = (paging::limit(request, DEFAULT_PAGE, MAX_PAGE)?, paging::row_cursor(request)?);
    let db = Db::open()?;
    let identity = identity_of(&db, request)?;
    let target = visible(&db, request, raw_id, identity.as_ref())?;
    if target.privacy.is_confidential() {
        return Err(refused(request, &target, lapor_domain::engagement::Refusal::Confidential, "komentar", "comments"));
    }
    let mut rows = engagement::visible_comments(&db, target.id, after, limit + 1)?;
    let next_cursor = paging::next_page(&mut rows, limit, |c| paging::row_cursor_of(c.id));
    let page = Page { items: rows.into_iter().map(CommentView::from).collect(), next_cursor };
    Ok(response::json(200, &page, "public, max-age=5"))
}



/// `POST /api/v1/comments/{id}/flags {reason}`: one flag per identity.
pub fn flag(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = json_object(request)?;
    let command = FlagComment::parse(&body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let db = Db::open()?;
    let identity = require_identity(&db, request)?;
    let ip = request.client_ip();
    let caller = participation::Caller { lang, client_ip: Some(&ip), identity: &identity };
    let (added, answer) = participation::flag_comment(&db, &caller, raw_id, command)?;
    Ok(response::json(if added { 201 } else { 200 }, &answer, "no-store"))
}

/// `POST /api/v1/comments/{id}/hide {reason?}` and `.../restore` (staff of
/// the report's agency, or administrators).
pub fn moderate(request: &ApiRequest, raw_id: &str, verdict: Verdict) -> Result<Response, ApiError> {
    let lang = request.lang;
    let body = json_object_or_empty(request)?;
    let ModerateComment { verdict, reason } = ModerateComment::parse(verdict, &body).map_err(|errors| ApiError::validation(lang, &errors))?;
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let (id, state) = lapor_actions::moderation::moderate(&db, &principal, raw_id, verdict, reason.as_ref(), &now, lang)?;
    Ok(response::json(200, &Moderated { id, state }, "no-store"))
}

/// `GET /api/v1/comments?state=hidden|flagged`: a review queue (hidden
/// comments, or visible ones with open flags) with flags and history.
pub fn review_queue(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let queue = ReviewQueue::parse("state", request.query("state")).map_err(|e| ApiError::bad_parameters(lang, &[e]))?;
    let (limit, after) = (paging::limit(request, DEFAULT_PAGE, MAX_PAGE)?, paging::row_cursor(request)?);
    let now = clock::timestamp(clock::now());
    let db = Db::open()?;
    let principal = require_staff(&db, request, &now)?;
    let agency = match principal.may(StaffAction::Moderate, principal.agency.as_deref()) {
        Decision::Allow => principal.agency.clone(),
        _ => return Err(forbidden(lang)),
    };
    let mut rows = engagement::review_queue(&db, queue, agency.as_deref(), after, limit + 1)?;
    let next_cursor = paging::next_page(&mut rows, limit, |(_, c)| paging::row_cursor_of(c.id));
    let mut items = Vec::new();
    for (report, comment) in rows {
        let moderation = engagement::moderation_trail(&db, comment.id)?
            .into_iter()
            .map(|(at, action, actor, reason)| ModerationEntry { at, action, actor, reason })
            .collect();
        items.push(ReviewItem {
            flags: engagement::flag_count(&db, comment.id)?,
            state: comment.state,
            open_flags: comment.open_flags,
            proved_flags: comment.proved_flags,
            comment: CommentView::from(comment),
            report,
            moderation,
        });
    }
    Ok(response::json(200, &Page { items, next_cursor }, "no-store"))
}
