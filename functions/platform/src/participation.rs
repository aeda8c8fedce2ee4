//! The public's actions on a report, applied once for every front door: the
//! engagement API (`functions/engagement`) and the tracking page
//! (`functions/web`) both parse their input into the domain's commands
//! (`lapor_domain::command`), find the caller's identity, and call these.
//!
//! Each function checks what the caller may see (an invisible report is
//! answered exactly like an unknown one), the domain's rule
//! (`may_support`, `may_comment`, proved phones for SMS), the rate limits,
//! then writes through the data functions of `crate::engagement`.

use lapor_domain::command::{FlagComment, Follow, PostComment};
use lapor_domain::engagement::{may_comment, may_support, CommentState, Identity, Refusal};
use lapor_domain::follow::{FollowChannel, WebhookPolicy};
use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::privacy::Viewer;
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::{CommentView, FollowAdded, Flagged};
use serde_json::json;

use crate::db::Db;
use crate::engagement::{self, CommentRow};
use crate::request::tracking_id_from_path;
use crate::response::ApiError;
use crate::workflow::{load_state, ReportState};
use crate::{clock, limits, random, store};

/// Follows one identity may keep on one report.
pub const MAX_FOLLOWS_PER_IDENTITY: i64 = 5;

/// Who acts, in which language they are answered, and from where (rate
/// limits). A message by SMS or WhatsApp has no client address of its own
/// (`None`: its provider's address is everyone's); its number is counted.
pub struct Caller<'a> {
    pub lang: Lang,
    pub client_ip: Option<&'a str>,
    pub identity: &'a Identity,
}

/// The report `raw_id` names, if `identity` (or the public) may see it; an
/// invisible report is answered exactly like an unknown one.
pub fn visible(db: &Db, lang: Lang, raw_id: &str, identity: Option<&Identity>) -> Result<ReportState, ApiError> {
    let tracking_id = tracking_id_from_path(raw_id, lang)?;
    let target = load_state(db, &tracking_id.to_string())?.ok_or_else(|| ApiError::not_found(lang))?;
    let viewer = if is_reporter(db, &target, identity)? { Viewer::Reporter } else { Viewer::Public };
    if !target.privacy.report_visible_to(&viewer, target.agency.as_deref()) {
        return Err(ApiError::not_found(lang));
    }
    Ok(target)
}

/// Whether `identity` is the report's reporter: its reporter token, or (by
/// SMS or WhatsApp) the number the report was sent from
/// (`Channel::proves_reporter_phone`).
pub fn is_reporter(db: &Db, target: &ReportState, identity: Option<&Identity>) -> anyhow::Result<bool> {
    Ok(match identity {
        Some(Identity::Reporter { report_id }) => *report_id == target.id,
        Some(Identity::Phone(phone)) => store::phone_proved_reporter(db, target.id, phone)?,
        _ => false,
    })
}

/// The answer to a refused support or comment.
pub fn refused(lang: Lang, target: &ReportState, refusal: Refusal, what_id: &str, what_en: &str) -> ApiError {
    match refusal {
        Refusal::Confidential => ApiError::new(
            ProblemKind::Forbidden,
            lang,
            &format!("Laporan rahasia tidak menerima {what_id}."),
            &format!("Confidential reports take no {what_en}."),
        ),
        Refusal::WrongStatus => {
            let mut error = ApiError::new(
                ProblemKind::Conflict,
                lang,
                &format!("Laporan berstatus {} tidak menerima {what_id}.", target.status.as_str()),
                &format!("A report that is {} takes no {what_en}.", target.status.as_str()),
            );
            if let ApiError::Problem(problem, _) = &mut error {
                problem.extensions.insert("current_status".into(), json!(target.status.as_str()));
            }
            error
        }
    }
}

/// Counts one write by `identity` from this client address; 429 past either limit.
pub fn rate_limit(lang: Lang, client_ip: Option<&str>, identity: &Identity) -> Result<(), ApiError> {
    let key = identity.key();
    let by_identity = |window| kv_schema::engagement_rate_by_identity_key(&key, window);
    let by_address = |window| kv_schema::engagement_rate_by_address_key(client_ip.unwrap_or_default(), window);
    let mut checks = vec![limits::Check { limit: limits::from_variable("engagement_rate_limit_per_identity", 60), key: &by_identity }];
    if client_ip.is_some() {
        checks.push(limits::Check { limit: limits::from_variable("engagement_rate_limit_per_address", 600), key: &by_address });
    }
    limits::enforce(lang, &checks, "tindakan", "actions")
}

/// Adds the caller's support: `(added, count)`; `added` is false when it was there already.
pub fn support(db: &Db, caller: &Caller<'_>, raw_id: &str) -> Result<(bool, i64), ApiError> {
    let lang = caller.lang;
    let target = visible(db, lang, raw_id, Some(caller.identity))?;
    may_support(target.privacy, target.status).map_err(|r| refused(lang, &target, r, "dukungan", "support"))?;
    rate_limit(lang, caller.client_ip, caller.identity)?;
    let now = clock::timestamp(clock::now());
    let key = caller.identity.key();
    db.transaction(|db| -> Result<_, ApiError> {
        // Re-checked under the write lock: the report may have changed.
        let current = load_state(db, &target.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        may_support(current.privacy, current.status).map_err(|r| refused(lang, &current, r, "dukungan", "support"))?;
        let added = engagement::add_support(db, target.id, &key, &now)?;
        Ok((added, engagement::support_count(db, target.id)?))
    })
}

/// Withdraws the caller's support (a no-op if there is none): the count after.
pub fn withdraw_support(db: &Db, lang: Lang, identity: &Identity, raw_id: &str) -> Result<i64, ApiError> {
    let target = visible(db, lang, raw_id, Some(identity))?;
    let key = identity.key();
    db.transaction(|db| -> Result<_, ApiError> {
        engagement::remove_support(db, target.id, &key)?;
        Ok(engagement::support_count(db, target.id)?)
    })
}

/// Posts a comment: the report's tracking ID and the comment as shown.
pub fn post_comment(db: &Db, caller: &Caller<'_>, raw_id: &str, command: PostComment) -> Result<(String, CommentView), ApiError> {
    let lang = caller.lang;
    let PostComment { body: text, display_name } = command;
    let target = visible(db, lang, raw_id, Some(caller.identity))?;
    may_comment(target.privacy, target.status).map_err(|r| refused(lang, &target, r, "komentar", "comments"))?;
    rate_limit(lang, caller.client_ip, caller.identity)?;
    let now = clock::timestamp(clock::now());
    let comment = CommentRow {
        id: 0,
        public_id: random::hex_id()?,
        report_id: target.id,
        display_name: display_name.map(|n| n.as_str().to_string()),
        body: text.as_str().to_string(),
        created_at: now.clone(),
        state: CommentState::Visible,
        open_flags: 0,
        proved_flags: 0,
    };
    let key = caller.identity.key();
    db.transaction(|db| {
        engagement::insert_comment(db, &comment.public_id, target.id, &key, comment.display_name.as_deref(), &comment.body, &now)
    })?;
    Ok((target.tracking_id, CommentView::from(comment)))
}

/// Flags a comment (one flag per identity): `(added, answer)`.
pub fn flag_comment(db: &Db, caller: &Caller<'_>, raw_comment_id: &str, command: FlagComment) -> Result<(bool, Flagged), ApiError> {
    let lang = caller.lang;
    let FlagComment { reason } = command;
    let comment = find_comment(db, lang, raw_comment_id)?;
    // A comment is flaggable by whoever may see its report.
    let (tracking_id, _) = report_of(db, &comment)?;
    visible(db, lang, &tracking_id, Some(caller.identity))?;
    rate_limit(lang, caller.client_ip, caller.identity)?;
    let identity = caller.identity;
    let now = clock::timestamp(clock::now());
    let (added, state) = db.transaction(|db| -> Result<_, ApiError> {
        let added = engagement::add_flag(db, comment.id, &identity.key(), identity.flags_count_toward_hiding(), reason.as_str(), &now)?;
        let current = engagement::find_comment(db, &comment.public_id)?.ok_or_else(|| ApiError::not_found(lang))?;
        let next = current.state.after_flag(current.proved_flags);
        if next != current.state {
            engagement::set_comment_state(db, &current, next, "hidden_by_flags", "system", Some("flags"), &now)?;
        }
        Ok((added, next))
    })?;
    Ok((added, Flagged { flagged: true, hidden: state != CommentState::Visible, id: comment.public_id }))
}

/// A comment by its public ID (32 hex digits), else 404.
pub fn find_comment(db: &Db, lang: Lang, raw_id: &str) -> Result<CommentRow, ApiError> {
    let id = raw_id.trim();
    let well_formed = id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit());
    let comment = if well_formed { engagement::find_comment(db, &id.to_ascii_lowercase())? } else { None };
    comment.ok_or_else(|| ApiError::not_found(lang))
}

/// The tracking ID and agency of the report a comment belongs to.
pub fn report_of(db: &Db, comment: &CommentRow) -> Result<(String, Option<String>), ApiError> {
    Ok(engagement::report_ref(db, comment.report_id)?.ok_or_else(|| anyhow::anyhow!("comment {} without a report", comment.id))?)
}

/// Whether webhooks may go to private hosts (Spin variable `webhook_allow_private_hosts`).
pub fn webhook_policy() -> WebhookPolicy {
    WebhookPolicy::from_variable(&spin_sdk::variables::get("webhook_allow_private_hosts").unwrap_or_default())
}

/// Follows the report: `(created, answer)`; `created` is false when that
/// address already followed (the answer looks the same to the caller).
/// SMS and WhatsApp go only to the identity's proved number.
pub fn follow(db: &Db, caller: &Caller<'_>, raw_id: &str, command: Follow) -> Result<(bool, FollowAdded), ApiError> {
    let lang = caller.lang;
    let identity = caller.identity;
    let Follow { channel, address } = command;
    let target = visible(db, lang, raw_id, Some(identity))?;
    let reporter = is_reporter(db, &target, Some(identity))?;
    if matches!(channel, FollowChannel::Sms | FollowChannel::Whatsapp) && identity.verified_phone().map(|p| p.as_str()) != Some(address.as_str()) {
        return Err(ApiError::new(
            ProblemKind::Forbidden,
            lang,
            "SMS dan WhatsApp hanya ke nomor yang sudah Anda buktikan: POST /api/v1/citizens/verify.",
            "SMS and WhatsApp go only to a number you have proved: POST /api/v1/citizens/verify.",
        ));
    }
    rate_limit(lang, caller.client_ip, identity)?;
    // The reporter's follows are kept under the reporter's key (as filing
    // made them), so the reporter's own number following again by SMS is the
    // follow that exists, not a second one that would send everything twice.
    let key = if reporter { Identity::Reporter { report_id: target.id }.key() } else { identity.key() };
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
        Ok(engagement::follow(db, target.id, &key, channel, address.as_str(), secret.as_deref(), reporter, &now)?)
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
    Ok((created.is_some(), answer))
}
