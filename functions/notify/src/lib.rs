//! Notification delivery (route: `lapor_domain::routes::NOTIFY`): sends what
//! the outbox holds.
//!
//! Called every minute by the runner's scheduler (and a CronJob on
//! SpinKube) with `Authorization: Bearer <notify_token>`. One call:
//!
//! 1. claims up to `notify_batch` due rows in one short transaction, by
//!    counting the attempt and pushing `next_attempt_at` a lease ahead, so
//!    a concurrent call (another instance, another pod) skips them;
//! 2. sends each through its provider's HTTP API (Twilio for SMS, the
//!    WhatsApp Cloud API, a SendGrid-compatible e-mail API, or the
//!    follower's webhook), outside any transaction;
//! 3. records each outcome only if the claim is still its own (same attempt
//!    count): `sent`; or back to `pending` after an exponential back-off;
//!    or `dead` after `notify_max_attempts` or a permanent refusal.
//!
//! A sign-in code's text is scrubbed from its row once the row is sent or
//! dead; a code still waiting when its five minutes are over goes to the
//! dead letter scrubbed, in step 1, instead of being sent.
//!
//! So a row is sent successfully at most once: it leaves `pending` on its
//! first success, and while one call holds it no other call sends it. The
//! one window left is a crash between the provider accepting and the row
//! being marked; the retry then carries the same `Idempotency-Key`
//! (`lapor-<row id>`), which providers that honour it use to drop the copy.
//! The lease is 11 minutes; each send has connect, first-byte, between-bytes
//! and whole-answer timeouts (`notify_timeout_seconds`, at most 2 minutes;
//! `send.rs`) and a call starts no send after half
//! the lease has passed (it hands those rows back), so a slow provider
//! cannot make two calls hold one row.
//!
//! The answer is `{claimed, sent, retrying, dead, released, expired, more}`.

mod send;

use lapor_domain::event::{OutboxKind, OutboxState};
use chrono::{DateTime, Duration, Utc};
use lapor_domain::follow::FollowChannel;
use lapor_domain::otp;
use lapor_domain::notification::{build_request, classify, render, Message, Notice, Outcome, ProviderRequest, Providers, RetryPolicy};
use lapor_platform::auth::require_internal_call;
use lapor_platform::db::Db;
use lapor_platform::response::{self, ApiError};
use lapor_platform::notify::Claimed;
use lapor_platform::{clock, notify, random};
use lapor_domain::view::DeliveryRun;
use lapor_domain::routes::{Notify, NOTIFY};
use spin_sdk::http::{IncomingRequest, Response};
use spin_sdk::http_component;

const LEASE: Duration = Duration::minutes(11);

#[http_component]
async fn handle(incoming: IncomingRequest) -> Response {
    lapor_platform::routes::serve(incoming, &NOTIFY, |_| 0, |request, found| match found.route {
        Notify::Deliver => {
            require_internal_call(request, "notify_token")?;
            Ok(response::json(200, &deliver()?, "no-store"))
        }
    })
    .await
}

fn variable(name: &str) -> String {
    spin_sdk::variables::get(name).unwrap_or_default().trim().to_string()
}

fn number(name: &str, default: u64, max: u64) -> u64 {
    variable(name).parse::<u64>().ok().filter(|n| *n <= max).unwrap_or(default)
}

fn providers() -> Providers {
    Providers {
        twilio_base: variable("twilio_api_base"),
        twilio_account_sid: variable("twilio_account_sid"),
        twilio_auth_token: variable("twilio_auth_token"),
        twilio_from: variable("twilio_from"),
        whatsapp_base: variable("whatsapp_api_base"),
        whatsapp_api_version: variable("whatsapp_api_version"),
        whatsapp_phone_number_id: variable("whatsapp_phone_number_id"),
        whatsapp_access_token: variable("whatsapp_access_token"),
        email_base: variable("email_api_base"),
        email_api_key: variable("email_api_key"),
        email_from: variable("email_from"),
    }
}

/// One claimed row.
/// How one delivery ended.
enum Delivery {
    /// Accepted, with the provider's id for the message if it gave one.
    Sent(Option<String>),
    /// Worth another try later (network, timeout, 408, 429, 5xx).
    Retry(String),
    /// Never deliverable as it stands (other 4xx, unconfigured, unreadable).
    Permanent(String),
}

fn deliver() -> Result<DeliveryRun, ApiError> {
    let batch = number("notify_batch", 50, 1000).max(1) as i64;
    let policy = RetryPolicy {
        base_seconds: number("notify_retry_base_seconds", RetryPolicy::DEFAULT.base_seconds, 86_400),
        max_attempts: number("notify_max_attempts", RetryPolicy::DEFAULT.max_attempts as u64, 100).max(1) as u32,
        cap_seconds: RetryPolicy::DEFAULT.cap_seconds,
    };
    let link_base = lapor_platform::site::public_base_url();
    // Well under half the lease, so a slow provider cannot outlive a claim.
    let timeout_seconds = number("notify_timeout_seconds", 15, 120).max(1);
    let providers = providers();
    let now_at = clock::now();
    let db = Db::open()?;
    let (claimed, expired) = claim(&db, now_at, &clock::timestamp(now_at + LEASE), batch)?;
    let (mut sent, mut retrying, mut dead, mut released) = (0u64, 0u64, 0u64, 0u64);
    for row in &claimed {
        // Never start a send the lease might not cover: hand the rest back.
        if clock::now() - now_at > LEASE / 2 {
            notify::release_claim(&db, row, &clock::timestamp(clock::now()))?;
            released += 1;
            continue;
        }
        let result = send(row, &providers, &link_base, timeout_seconds);
        let finished = clock::timestamp(clock::now());
        let (state, next_attempt, last_error, provider_ref) = match result {
            Delivery::Sent(reference) => (OutboxState::Sent, None, None, reference),
            Delivery::Retry(reason) => match policy.next_delay_seconds(row.attempts as u32, random::permille()) {
                Some(delay) => (OutboxState::Pending, Some(clock::timestamp(clock::now() + Duration::seconds(delay as i64))), Some(reason), None),
                None => (OutboxState::Dead, None, Some(reason), None),
            },
            Delivery::Permanent(reason) => (OutboxState::Dead, None, Some(reason), None),
        };
        match state {
            OutboxState::Sent => sent += 1,
            OutboxState::Pending => retrying += 1,
            OutboxState::Dead => dead += 1,
        }
        // Only if the claim is still ours (nobody re-claimed it meanwhile).
        // A sent or dead sign-in code is scrubbed: the code is of no more use.
        let outcome = notify::Outcome { state, next_attempt_at: next_attempt, last_error, provider_ref };
        notify::record_outcome(&db, row, outcome, &finished)?;
    }
    Ok(DeliveryRun { claimed: claimed.len(), dead, expired, more: claimed.len() as i64 == batch, released, retrying, sent })
}

/// Claims due rows: counts the attempt and moves them a lease ahead.
/// Also returns how many sign-in codes expired unsent.
fn claim(db: &Db, now_at: DateTime<Utc>, lease_until: &str, batch: i64) -> Result<(Vec<Claimed>, u64), ApiError> {
    let now = clock::timestamp(now_at);
    db.transaction(|db| -> Result<(Vec<Claimed>, u64), ApiError> {
        // A code past its validity is useless: scrubbed, never sent.
        let expired = notify::expire_sign_in_codes(db, &clock::timestamp(now_at - otp::VALID_FOR))?;
        let claimed = notify::claim_due(db, &now, lease_until, batch)?;
        Ok((claimed, expired))
    })
}

/// The provider call for one row, or why there can be none.
fn request_for(row: &Claimed, providers: &Providers, link_base: &str) -> Result<ProviderRequest, String> {
    let channel = row.channel.ok_or("unknown channel")?;
    let delivery_id = format!("lapor-{}", row.id);
    let (notice, message) = if row.kind.is_one_off_text() {
        let text = serde_json::from_str::<serde_json::Value>(&row.payload).ok().and_then(|v| v["text"].as_str().map(str::to_string));
        let text = text.ok_or_else(|| format!("{} payload unreadable", row.kind.as_str()))?;
        let notice = Notice { tracking_id: String::new(), event: row.kind.as_str().into(), status: String::new(), at: String::new() };
        let subject = if row.kind == OutboxKind::SignInCode { "Kode LAPOR!" } else { "LAPOR!" };
        (notice, Message { subject: subject.into(), text, link: String::new() })
    } else {
        let notice: Notice = serde_json::from_str(&row.payload).map_err(|_| "payload unreadable")?;
        let message = render(&notice, link_base);
        (notice, message)
    };
    if channel == FollowChannel::Webhook && row.secret.is_none() {
        return Err("the webhook follow was removed".into());
    }
    build_request(channel, &row.address, row.secret.as_deref(), &delivery_id, &notice, &message, providers).map_err(|e| e.to_string())
}

fn send(row: &Claimed, providers: &Providers, link_base: &str, timeout_seconds: u64) -> Delivery {
    let call = match request_for(row, providers, link_base) {
        Ok(call) => call,
        Err(reason) => return Delivery::Permanent(reason),
    };
    let answer = match send::post(&call, timeout_seconds) {
        Ok(answer) => answer,
        Err(e) => return Delivery::Retry(format!("network: {e}")),
    };
    match classify(answer.status) {
        Outcome::Delivered => Delivery::Sent(provider_reference(&answer)),
        Outcome::Retry(reason) => Delivery::Retry(reason),
        Outcome::Permanent(reason) => Delivery::Permanent(reason),
    }
}

/// The provider's id for the message, when it gives one.
fn provider_reference(answer: &send::Answer) -> Option<String> {
    if let Some(id) = answer.header("x-message-id") {
        return Some(id.to_string());
    }
    let body: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
    body["sid"].as_str().or_else(|| body["messages"][0]["id"].as_str()).map(str::to_string)
}
