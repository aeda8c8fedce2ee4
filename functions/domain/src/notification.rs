//! What followers are told, and how each message is put to its provider.
//!
//! Pure functions only: the outbox worker (a Spin component) loads a
//! notification, asks [`build_request`] for the HTTP call, makes it, and asks
//! [`classify`] and [`RetryPolicy`] what the answer means. Keeping the wire
//! formats here lets them be tested without a network or a provider account.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::event::EventType::{self, Archived, Completed, Dispatched, Forwarded, OnHold, Responded};
use crate::follow::FollowChannel;
use crate::view::EventVisibility;

/// Who among a report's followers hears of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    AllFollowers,
    ReporterOnly,
}

/// The event types that notify anyone.
pub const NOTIFYING_EVENTS: &[EventType] = &[Dispatched, Forwarded, Responded, Completed, Archived, OnHold];

/// Milestones a follower is waiting for ([`NOTIFYING_EVENTS`] without
/// `on_hold`), told to everyone following when the event is public.
const MILESTONES: [EventType; 5] = [Dispatched, Forwarded, Responded, Completed, Archived];

/// Who hears of an event, or `None` when nobody is told.
///
/// Milestones (`dispatched`, `forwarded`, `responded`, `completed`,
/// `archived`) go to all followers when the event is public. `on_hold` asks
/// the reporter for details, so only the reporter hears of it. Followers may
/// be anyone, so an event that is not public reaches at most the reporter (a
/// milestone recorded with participant visibility goes to the reporter only).
/// Staff events and everything else (`submitted`, `rated`, `reporter_reply`,
/// `assigned`, notes) are not announced: the reporter caused or already knows
/// them, or they are internal.
pub fn audience(event_type: EventType, visibility: EventVisibility) -> Option<Audience> {
    match visibility {
        EventVisibility::Staff => None,
        _ if event_type == OnHold => Some(Audience::ReporterOnly),
        EventVisibility::Public if MILESTONES.contains(&event_type) => Some(Audience::AllFollowers),
        EventVisibility::Participants if MILESTONES.contains(&event_type) => Some(Audience::ReporterOnly),
        _ => None,
    }
}

/// The stored payload of one notification (JSON in the outbox `payload` column).
///
/// Deliberately without title, body or names: the same notice may reach
/// anyone who follows the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub tracking_id: String,
    /// The event type, e.g. `responded`.
    pub event: String,
    /// The report's status after the event, e.g. `responded`.
    pub status: String,
    /// When the event happened, RFC 3339.
    pub at: String,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// For e-mail.
    pub subject: String,
    /// For every channel; fits one SMS segment.
    pub text: String,
    /// The report's public page, `{link_base}/lapor/{tracking_id}` (webhooks carry it as a field).
    pub link: String,
}

/// What happened, as the predicate of "laporan …".
fn predicate(event: &str) -> &'static str {
    match event {
        "dispatched" => "telah diteruskan ke instansi berwenang",
        "forwarded" => "telah dialihkan ke instansi lain",
        "responded" => "telah mendapat tindak lanjut dari instansi",
        "completed" => "telah dinyatakan selesai",
        "archived" => "telah diarsipkan",
        "on_hold" => "perlu keterangan tambahan dari Anda",
        _ => "telah diperbarui",
    }
}

/// The message for a notice, in Indonesian, e.g.
/// `LAPOR! 7K3QD-M2X9C: laporan telah mendapat tindak lanjut dari instansi. Lihat https://lapor.example.go.id/lapor/7K3QD-M2X9C`.
///
/// Built from the tracking ID, the event and the link only, never from the
/// report's content or its reporter: the same text goes to whoever follows.
/// Every event's text is GSM-7 and fits one SMS segment (160 characters)
/// with a `link_base` of up to 60 characters.
pub fn render(notice: &Notice, link_base: &str) -> Message {
    let tracking_id = notice.tracking_id.as_str();
    let link = format!("{}/lapor/{tracking_id}", link_base.trim().trim_end_matches('/'));
    let what = predicate(&notice.event);
    Message {
        subject: format!("LAPOR! {tracking_id}: laporan {what}"),
        text: format!("LAPOR! {tracking_id}: laporan {what}. Lihat {link}"),
        link,
    }
}

/// GSM 03.38 basic character set (escape excluded): one septet each.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                          ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// GSM 03.38 extension table: an escape and a septet each.
const GSM7_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

/// Septets a character takes in GSM-7, or `None` outside the alphabet.
fn gsm7_septets(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// How many SMS segments `text` is sent as.
///
/// GSM-7 when every character is in the basic set or the extension table
/// (which counts 2): 160 septets in one segment, else 153 per segment.
/// Otherwise UCS-2: 70 UTF-16 units in one segment, else 67 per segment.
/// An escape pair or a surrogate pair is never split across segments, as
/// handsets and providers do. An empty text is 0 segments.
pub fn sms_segments(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let gsm: Option<Vec<usize>> = text.chars().map(gsm7_septets).collect();
    let (units, single, per_segment) = match gsm {
        Some(septets) => (septets, 160, 153),
        None => (text.chars().map(char::len_utf16).collect(), 70, 67),
    };
    if units.iter().sum::<usize>() <= single {
        return 1;
    }
    let mut segments = 1;
    let mut used = 0;
    for unit in units {
        if used + unit > per_segment {
            segments += 1;
            used = 0;
        }
        used += unit;
    }
    segments
}

/// When to try a notification again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base_seconds: u64,
    pub max_attempts: u32,
    pub cap_seconds: u64,
}

impl RetryPolicy {
    /// 30 s, 1, 2, 4, 8, 16, 32 minutes: eight attempts over about an hour.
    pub const DEFAULT: RetryPolicy = RetryPolicy { base_seconds: 30, max_attempts: 8, cap_seconds: 6 * 3600 };

    /// The delay before the next attempt after `attempts` attempts (≥ 1 after
    /// the first try), or `None` to give up (dead letter) once `max_attempts`
    /// have been made.
    ///
    /// Exponential, `base × 2^(attempts−1)`, capped at `cap_seconds`, plus
    /// jitter: `jitter_permille` (0..=1000, from the caller's randomness;
    /// larger values count as 1000) adds up to 25 % of the delay, so that
    /// notifications failing together (a provider outage) do not all come
    /// back at the same second. `attempts = 0` is treated as 1.
    pub fn next_delay_seconds(&self, attempts: u32, jitter_permille: u16) -> Option<u64> {
        if attempts >= self.max_attempts {
            return None;
        }
        let exponent = attempts.saturating_sub(1);
        let factor = 1u64.checked_shl(exponent).unwrap_or(u64::MAX);
        let delay = self.base_seconds.saturating_mul(factor).min(self.cap_seconds);
        let jitter = u64::from(jitter_permille.min(1000));
        let extra = (u128::from(delay) * u128::from(jitter) / 4000) as u64;
        Some(delay.saturating_add(extra))
    }
}

/// How a provider's answer is taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Try again later; the reason is kept as `last_error`, e.g. `HTTP 503`.
    Retry(String),
    /// Trying again cannot help (bad number, bad credentials, refused URL).
    Permanent(String),
}

/// 2xx ⇒ delivered; 408, 425, 429 and 5xx ⇒ retry; anything else (other
/// 4xx, 1xx, 3xx: a webhook that redirects is not followed) ⇒ permanent.
pub fn classify(status: u16) -> Outcome {
    match status {
        200..=299 => Outcome::Delivered,
        408 | 425 | 429 | 500..=599 => Outcome::Retry(format!("HTTP {status}")),
        _ => Outcome::Permanent(format!("HTTP {status}")),
    }
}

/// Provider settings, from Spin variables.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Providers {
    /// Origin, e.g. `https://api.twilio.com`.
    pub twilio_base: String,
    pub twilio_account_sid: String,
    pub twilio_auth_token: String,
    /// Sender number or short code, e.g. `1708`.
    pub twilio_from: String,
    /// Origin, e.g. `https://graph.facebook.com`.
    pub whatsapp_base: String,
    /// e.g. `v21.0`.
    pub whatsapp_api_version: String,
    pub whatsapp_phone_number_id: String,
    pub whatsapp_access_token: String,
    /// Origin of a SendGrid-v3-compatible API, e.g. `https://api.sendgrid.com`.
    pub email_base: String,
    pub email_api_key: String,
    pub email_from: String,
}

/// Secrets stay out of logs.
impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = |s: &str| if s.is_empty() { "" } else { "<redacted>" };
        f.debug_struct("Providers")
            .field("twilio_base", &self.twilio_base)
            .field("twilio_account_sid", &self.twilio_account_sid)
            .field("twilio_auth_token", &secret(&self.twilio_auth_token))
            .field("twilio_from", &self.twilio_from)
            .field("whatsapp_base", &self.whatsapp_base)
            .field("whatsapp_api_version", &self.whatsapp_api_version)
            .field("whatsapp_phone_number_id", &self.whatsapp_phone_number_id)
            .field("whatsapp_access_token", &secret(&self.whatsapp_access_token))
            .field("email_base", &self.email_base)
            .field("email_api_key", &secret(&self.email_api_key))
            .field("email_from", &self.email_from)
            .finish()
    }
}

/// One HTTP request to make.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ProviderRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Credentials stay out of logs; the body is summarised by its length.
impl std::fmt::Debug for ProviderRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), if n.eq_ignore_ascii_case("authorization") { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("ProviderRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why no request could be built. Each is permanent for this notification
/// until an operator fixes the settings or the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A setting the channel's provider needs is empty.
    #[error("{0} is not configured: a provider setting is empty")]
    NotConfigured(FollowChannel),
    /// The stored address is not in the channel's canonical form.
    #[error("the stored {0} address is malformed")]
    BadAddress(FollowChannel),
    /// A webhook follow without its signing secret.
    #[error("the webhook follow has no signing secret")]
    MissingSecret,
}

fn all_set(values: &[&str]) -> bool {
    values.iter().all(|v| !v.trim().is_empty())
}

/// An origin setting without a trailing slash.
fn origin(base: &str) -> &str {
    base.trim().trim_end_matches('/')
}

fn is_e164(address: &str) -> bool {
    address.len() > 1 && address.starts_with('+') && address[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Build the provider call for one notification.
///
/// - Sms: Twilio Programmable Messaging, `POST {twilio_base}/2010-04-01/Accounts/{sid}/Messages.json`,
///   form body `To`, `From`, `Body`, HTTP Basic `sid:token`.
/// - Whatsapp: Meta WhatsApp Cloud API, `POST {whatsapp_base}/{version}/{phone_number_id}/messages`,
///   a `text` message to the number's digits (no `+`), without link preview, Bearer token.
/// - Email: SendGrid v3, `POST {email_base}/v3/mail/send`, one `text/plain` part, Bearer API key.
/// - Webhook: `POST` to the follower's URL with
///   `{"type":"lapor.report.<event>","tracking_id","event","status","at","link"}`, headers
///   `X-Lapor-Event`, `X-Lapor-Delivery` and `X-Lapor-Signature: sha256=<hex HMAC-SHA256(secret, body)>`
///   (verified like GitHub webhooks; see [`verify_webhook_signature`]).
///
/// Every request carries `Idempotency-Key: <delivery_id>`, so providers and
/// receivers that honour it drop a resend after a lost answer.
pub fn build_request(
    channel: FollowChannel,
    address: &str,
    secret: Option<&str>,
    delivery_id: &str,
    notice: &Notice,
    message: &Message,
    providers: &Providers,
) -> Result<ProviderRequest, BuildError> {
    let address = address.trim();
    let header = |name: &str, value: &str| (name.to_string(), value.to_string());
    let idempotency = header("Idempotency-Key", delivery_id);
    let p = providers;
    match channel {
        FollowChannel::Sms => {
            if !all_set(&[&p.twilio_base, &p.twilio_account_sid, &p.twilio_auth_token, &p.twilio_from]) {
                return Err(BuildError::NotConfigured(channel));
            }
            if !is_e164(address) {
                return Err(BuildError::BadAddress(channel));
            }
            let sid = p.twilio_account_sid.trim();
            let body = form_urlencoded::Serializer::new(String::new())
                .append_pair("To", address)
                .append_pair("From", p.twilio_from.trim())
                .append_pair("Body", &message.text)
                .finish();
            let credentials = STANDARD.encode(format!("{sid}:{}", p.twilio_auth_token.trim()));
            Ok(ProviderRequest {
                method: "POST",
                url: format!("{}/2010-04-01/Accounts/{sid}/Messages.json", origin(&p.twilio_base)),
                headers: vec![
                    header("Authorization", &format!("Basic {credentials}")),
                    header("Content-Type", "application/x-www-form-urlencoded"),
                    header("Accept", "application/json"),
                    idempotency,
                ],
                body: body.into_bytes(),
            })
        }
        FollowChannel::Whatsapp => {
            if !all_set(&[&p.whatsapp_base, &p.whatsapp_api_version, &p.whatsapp_phone_number_id, &p.whatsapp_access_token]) {
                return Err(BuildError::NotConfigured(channel));
            }
            if !is_e164(address) {
                return Err(BuildError::BadAddress(channel));
            }
            let body = json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": &address[1..],
                "type": "text",
                "text": { "preview_url": false, "body": message.text },
            });
            Ok(ProviderRequest {
                method: "POST",
                url: format!(
                    "{}/{}/{}/messages",
                    origin(&p.whatsapp_base),
                    p.whatsapp_api_version.trim(),
                    p.whatsapp_phone_number_id.trim()
                ),
                headers: vec![
                    header("Authorization", &format!("Bearer {}", p.whatsapp_access_token.trim())),
                    header("Content-Type", "application/json"),
                    idempotency,
                ],
                body: body.to_string().into_bytes(),
            })
        }
        FollowChannel::Email => {
            if !all_set(&[&p.email_base, &p.email_api_key, &p.email_from]) {
                return Err(BuildError::NotConfigured(channel));
            }
            let shaped = address.contains('@') && !address.chars().any(|c| c.is_whitespace() || c.is_control());
            if !shaped {
                return Err(BuildError::BadAddress(channel));
            }
            let body = json!({
                "personalizations": [{ "to": [{ "email": address }] }],
                "from": { "email": p.email_from.trim(), "name": "LAPOR!" },
                "subject": message.subject,
                "content": [{ "type": "text/plain", "value": message.text }],
            });
            Ok(ProviderRequest {
                method: "POST",
                url: format!("{}/v3/mail/send", origin(&p.email_base)),
                headers: vec![
                    header("Authorization", &format!("Bearer {}", p.email_api_key.trim())),
                    header("Content-Type", "application/json"),
                    idempotency,
                ],
                body: body.to_string().into_bytes(),
            })
        }
        FollowChannel::Webhook => {
            let secret = secret.filter(|s| !s.is_empty()).ok_or(BuildError::MissingSecret)?;
            let shaped = (address.starts_with("https://") || address.starts_with("http://"))
                && !address.chars().any(|c| c.is_whitespace() || c.is_control());
            if !shaped {
                return Err(BuildError::BadAddress(channel));
            }
            let body = json!({
                "type": format!("lapor.report.{}", notice.event),
                "tracking_id": notice.tracking_id,
                "event": notice.event,
                "status": notice.status,
                "at": notice.at,
                "link": message.link,
            })
            .to_string()
            .into_bytes();
            Ok(ProviderRequest {
                method: "POST",
                url: address.to_string(),
                headers: vec![
                    header("Content-Type", "application/json"),
                    header("X-Lapor-Event", &notice.event),
                    header("X-Lapor-Delivery", delivery_id),
                    header("X-Lapor-Signature", &webhook_signature(secret, &body)),
                    idempotency,
                ],
                body,
            })
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

fn webhook_mac(secret: &str, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac
}

/// `(is_https, authority, path_and_query)` of a provider or webhook URL, as
/// the outgoing HTTP call needs them.
pub fn url_parts(url: &str) -> Result<(bool, &str, &str), String> {
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(format!("not an http(s) URL: {url}"));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err("URL without a host".into());
    }
    Ok((https, authority, path))
}

/// The `X-Lapor-Signature` value for a webhook body: `sha256=<hex HMAC-SHA256(secret, body)>`,
/// computed over the exact bytes sent.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(webhook_mac(secret, body).finalize().into_bytes()))
}

/// What a receiver does: recompute the HMAC over the raw body and compare it
/// with the header in constant time (a plain `==` leaks, through timing, how
/// much of a forged signature was right).
pub fn verify_webhook_signature(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(presented) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(presented) = hex::decode(presented) else {
        return false;
    };
    webhook_mac(secret, body).verify_slice(&presented).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const TID: &str = "7K3QD-M2X9C";

    fn notice(event: &str) -> Notice {
        Notice { tracking_id: TID.into(), event: event.into(), status: "responded".into(), at: "2026-11-20T10:00:00+07:00".into() }
    }

    fn providers() -> Providers {
        Providers {
            twilio_base: "https://api.twilio.com".into(),
            twilio_account_sid: "AC0123456789abcdef0123456789abcdef".into(),
            twilio_auth_token: "twilio-token".into(),
            twilio_from: "1708".into(),
            whatsapp_base: "https://graph.facebook.com/".into(),
            whatsapp_api_version: "v21.0".into(),
            whatsapp_phone_number_id: "106540352242922".into(),
            whatsapp_access_token: "EAAG-token".into(),
            email_base: "https://api.sendgrid.com".into(),
            email_api_key: "SG.key".into(),
            email_from: "noreply@lapor.example.go.id".into(),
        }
    }

    fn build(channel: FollowChannel, address: &str, secret: Option<&str>, event: &str) -> ProviderRequest {
        let n = notice(event);
        let m = render(&n, "https://lapor.example.go.id");
        build_request(channel, address, secret, "dlv-42", &n, &m, &providers()).unwrap()
    }

    fn json_body(r: &ProviderRequest) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn audiences() {
        use EventVisibility::*;
        let audience = |event: &str, visibility| EventType::from_stored(event).and_then(|e| audience(e, visibility));
        for event in ["dispatched", "forwarded", "responded", "completed", "archived"] {
            assert_eq!(audience(event, Public), Some(Audience::AllFollowers), "{event}");
            assert_eq!(audience(event, Participants), Some(Audience::ReporterOnly), "{event}");
            assert_eq!(audience(event, Staff), None, "{event}");
        }
        assert_eq!(audience("on_hold", Participants), Some(Audience::ReporterOnly));
        assert_eq!(audience("on_hold", Public), Some(Audience::ReporterOnly));
        assert_eq!(audience("on_hold", Staff), None);
        for event in ["submitted", "rated", "reporter_reply", "assigned", "note", "", "DISPATCHED"] {
            for visibility in [Public, Participants, Staff] {
                assert_eq!(audience(event, visibility), None, "{event} {visibility:?}");
            }
        }
        for event in NOTIFYING_EVENTS {
            assert!(audience(event.as_str(), Public).is_some() || audience(event.as_str(), Participants).is_some(), "{event}");
        }
        assert_eq!(NOTIFYING_EVENTS.len(), 6);
    }

    #[test]
    fn notices_round_trip_as_json() {
        let n = notice("completed");
        let stored = serde_json::to_string(&n).unwrap();
        assert_eq!(serde_json::from_str::<Notice>(&stored).unwrap(), n);
        let v: Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 4);
    }

    #[test]
    fn rendered_messages_say_only_what_happened_and_where_to_look() {
        let m = render(&notice("responded"), "https://lapor.example.go.id/");
        assert_eq!(m.link, "https://lapor.example.go.id/lapor/7K3QD-M2X9C");
        assert_eq!(
            m.text,
            "LAPOR! 7K3QD-M2X9C: laporan telah mendapat tindak lanjut dari instansi. Lihat https://lapor.example.go.id/lapor/7K3QD-M2X9C"
        );
        assert_eq!(m.subject, "LAPOR! 7K3QD-M2X9C: laporan telah mendapat tindak lanjut dari instansi");

        for (event, words) in [
            ("dispatched", "diteruskan ke instansi berwenang"),
            ("forwarded", "dialihkan ke instansi lain"),
            ("completed", "dinyatakan selesai"),
            ("archived", "diarsipkan"),
            ("on_hold", "perlu keterangan tambahan dari Anda"),
            ("something_new", "diperbarui"),
        ] {
            let m = render(&notice(event), "https://lapor.example.go.id");
            // Nothing but the fixed frame, the tracking ID, the wording and the link.
            let expected_text = format!("LAPOR! {TID}: laporan {}. Lihat https://lapor.example.go.id/lapor/{TID}", predicate(event));
            assert_eq!(m.text, expected_text);
            assert!(m.text.contains(words), "{event}");
            assert!(m.subject.contains(words) && m.subject.starts_with("LAPOR! 7K3QD-M2X9C: "), "{event}");
            assert!(!m.text.contains(&notice(event).at) && !m.text.contains(event), "{event}: no raw event data");
        }
    }

    #[test]
    fn every_sms_fits_one_gsm_segment_with_a_60_character_link_base() {
        let base = format!("https://{}.go.id", "a".repeat(60 - "https://.go.id".len()));
        assert_eq!(base.len(), 60);
        for event in NOTIFYING_EVENTS.iter().map(|e| e.as_str()).chain(["unknown"]) {
            let m = render(&notice(event), &base);
            assert!(m.text.chars().all(|c| gsm7_septets(c) == Some(1)), "{event}: {}", m.text);
            assert!(m.text.chars().count() <= 160, "{event}: {} chars", m.text.chars().count());
            assert_eq!(sms_segments(&m.text), 1, "{event}");
        }
    }

    #[test]
    fn sms_segment_counts() {
        assert_eq!(GSM7_BASIC.chars().count(), 127);
        assert_eq!(sms_segments(""), 0);
        assert_eq!(sms_segments("Laporan Anda sudah diterima."), 1);
        assert_eq!(sms_segments(&"a".repeat(160)), 1);
        assert_eq!(sms_segments(&"a".repeat(161)), 2);
        assert_eq!(sms_segments(&"a".repeat(306)), 2);
        assert_eq!(sms_segments(&"a".repeat(307)), 3);
        // Indonesian plain text is GSM-7.
        let id = "Jalan rusak di Jl. Merdeka No. 10, Kec. Cicendo, Kota Bandung sudah diperbaiki (100%)? Terima kasih!";
        assert_eq!(sms_segments(id), 1);
        // 'ü' and 'é' are in the basic set: still GSM-7, one septet.
        assert_eq!(sms_segments(&format!("ü{}", "a".repeat(159))), 1);
        assert_eq!(sms_segments(&format!("é{}", "a".repeat(160))), 2);
        // '€' is in the extension table: two septets.
        assert_eq!(sms_segments(&format!("€{}", "a".repeat(158))), 1);
        assert_eq!(sms_segments(&format!("€{}", "a".repeat(159))), 2);
        assert_eq!(sms_segments(&format!("{}[", "a".repeat(159))), 2);
        // An escape pair is not split: 152 septets then '€' starts a new segment.
        assert_eq!(sms_segments(&format!("{}€{}", "a".repeat(152), "a".repeat(10))), 2);
        assert_eq!(sms_segments(&format!("{}€{}", "a".repeat(152), "a".repeat(152))), 3);
        // Outside GSM-7 ('á', emoji) the whole text is UCS-2.
        assert_eq!(sms_segments("Terima kasih 🙏"), 1);
        assert_eq!(sms_segments(&"á".repeat(70)), 1);
        assert_eq!(sms_segments(&"á".repeat(71)), 2);
        assert_eq!(sms_segments(&format!("😀{}", "a".repeat(68))), 1);
        assert_eq!(sms_segments(&format!("😀{}", "a".repeat(69))), 2);
        assert_eq!(sms_segments(&format!("{}😀", "a".repeat(66))), 1);
        assert_eq!(sms_segments(&format!("{}😀{}", "a".repeat(66), "a".repeat(66))), 3, "a surrogate pair is not split");
        assert_eq!(sms_segments(&format!("a{}", "😀".repeat(67))), 3);
    }

    #[test]
    fn retry_delays_grow_cap_and_stop() {
        let p = RetryPolicy::DEFAULT;
        let delays: Vec<Option<u64>> = (1..=9).map(|a| p.next_delay_seconds(a, 0)).collect();
        assert_eq!(
            delays,
            [Some(30), Some(60), Some(120), Some(240), Some(480), Some(960), Some(1920), None, None]
        );
        assert_eq!(p.next_delay_seconds(0, 0), Some(30));
        assert_eq!(p.next_delay_seconds(1, 1000), Some(37));
        assert_eq!(p.next_delay_seconds(3, 1000), Some(150));
        assert_eq!(p.next_delay_seconds(3, 500), Some(135));
        assert_eq!(p.next_delay_seconds(3, u16::MAX), Some(150), "jitter beyond 1000 counts as 1000");

        let capped = RetryPolicy { base_seconds: 60, max_attempts: 100, cap_seconds: 3600 };
        assert_eq!(capped.next_delay_seconds(6, 0), Some(1920));
        assert_eq!(capped.next_delay_seconds(7, 0), Some(3600));
        assert_eq!(capped.next_delay_seconds(99, 0), Some(3600), "huge exponents saturate, then cap");
        assert_eq!(capped.next_delay_seconds(99, 1000), Some(4500));
        assert_eq!(capped.next_delay_seconds(100, 0), None);

        let immediate = RetryPolicy { base_seconds: 0, max_attempts: 3, cap_seconds: 3600 };
        assert_eq!(immediate.next_delay_seconds(1, 1000), Some(0));
        assert_eq!(immediate.next_delay_seconds(2, 1000), Some(0));
        assert_eq!(immediate.next_delay_seconds(3, 0), None);

        let huge = RetryPolicy { base_seconds: u64::MAX, max_attempts: 5, cap_seconds: u64::MAX };
        assert_eq!(huge.next_delay_seconds(4, 1000), Some(u64::MAX));
    }

    #[test]
    fn provider_answers_are_classified() {
        for status in [200, 201, 202, 204, 299] {
            assert_eq!(classify(status), Outcome::Delivered, "{status}");
        }
        for status in [408, 425, 429, 500, 502, 503, 504, 599] {
            assert_eq!(classify(status), Outcome::Retry(format!("HTTP {status}")), "{status}");
        }
        for status in [100, 199, 301, 302, 304, 400, 401, 403, 404, 410, 413, 422, 499, 600, 0] {
            assert_eq!(classify(status), Outcome::Permanent(format!("HTTP {status}")), "{status}");
        }
    }

    #[test]
    fn twilio_sms_request() {
        let r = build(FollowChannel::Sms, "+6281234567890", None, "completed");
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json");
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(r.header("Accept"), Some("application/json"));
        assert_eq!(r.header("Idempotency-Key"), Some("dlv-42"));
        let basic = r.header("Authorization").unwrap().strip_prefix("Basic ").unwrap();
        assert_eq!(STANDARD.decode(basic).unwrap(), b"AC0123456789abcdef0123456789abcdef:twilio-token");
        let fields: Vec<(String, String)> = form_urlencoded::parse(&r.body).into_owned().collect();
        let expected_text = render(&notice("completed"), "https://lapor.example.go.id").text;
        assert_eq!(
            fields,
            [("To".to_string(), "+6281234567890".to_string()), ("From".into(), "1708".into()), ("Body".into(), expected_text)]
        );
        assert!(!format!("{r:?}").contains(basic), "Debug hides credentials");
    }

    #[test]
    fn whatsapp_cloud_api_request() {
        let r = build(FollowChannel::Whatsapp, "+6281234567890", None, "responded");
        assert_eq!(r.url, "https://graph.facebook.com/v21.0/106540352242922/messages");
        assert_eq!(r.header("Authorization"), Some("Bearer EAAG-token"));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert_eq!(r.header("Idempotency-Key"), Some("dlv-42"));
        let text = render(&notice("responded"), "https://lapor.example.go.id").text;
        assert_eq!(
            json_body(&r),
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "6281234567890",
                "type": "text",
                "text": { "preview_url": false, "body": text },
            })
        );
    }

    #[test]
    fn sendgrid_email_request() {
        let r = build(FollowChannel::Email, "Siti@mail.co.id", None, "archived");
        assert_eq!(r.url, "https://api.sendgrid.com/v3/mail/send");
        assert_eq!(r.header("Authorization"), Some("Bearer SG.key"));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert_eq!(r.header("Idempotency-Key"), Some("dlv-42"));
        let m = render(&notice("archived"), "https://lapor.example.go.id");
        assert_eq!(
            json_body(&r),
            json!({
                "personalizations": [{ "to": [{ "email": "Siti@mail.co.id" }] }],
                "from": { "email": "noreply@lapor.example.go.id", "name": "LAPOR!" },
                "subject": m.subject,
                "content": [{ "type": "text/plain", "value": m.text }],
            })
        );
    }

    #[test]
    fn webhook_request_is_signed_over_its_exact_body() {
        let secret = "whsec-follow-secret";
        let r = build(FollowChannel::Webhook, "https://hooks.example.com/lapor?x=1", Some(secret), "dispatched");
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://hooks.example.com/lapor?x=1");
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        assert_eq!(r.header("X-Lapor-Event"), Some("dispatched"));
        assert_eq!(r.header("X-Lapor-Delivery"), Some("dlv-42"));
        assert_eq!(r.header("Idempotency-Key"), Some("dlv-42"));
        assert_eq!(r.header("Authorization"), None);
        assert_eq!(
            json_body(&r),
            json!({
                "type": "lapor.report.dispatched",
                "tracking_id": TID,
                "event": "dispatched",
                "status": "responded",
                "at": "2026-11-20T10:00:00+07:00",
                "link": "https://lapor.example.go.id/lapor/7K3QD-M2X9C",
            })
        );
        // Recomputed independently of `webhook_signature`.
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(&r.body);
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        let signature = r.header("X-Lapor-Signature").unwrap();
        assert_eq!(signature, expected);
        assert!(verify_webhook_signature(secret, &r.body, signature));
        assert!(!verify_webhook_signature("another secret", &r.body, signature));
        let mut tampered = r.body.clone();
        tampered[10] ^= 1;
        assert!(!verify_webhook_signature(secret, &tampered, signature));
    }

    #[test]
    fn webhook_signature_known_vector() {
        let s = webhook_signature("It's a Secret to Everybody", b"Hello, World!");
        assert_eq!(s, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assert!(verify_webhook_signature("It's a Secret to Everybody", b"Hello, World!", &s));
        assert!(verify_webhook_signature("It's a Secret to Everybody", b"Hello, World!", &format!(" {s} ")));
        for bad in ["", "sha256=", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha1=757107ea", "sha256=zz", "sha256=757107ea"] {
            assert!(!verify_webhook_signature("It's a Secret to Everybody", b"Hello, World!", bad), "{bad:?}");
        }
    }

    #[test]
    fn missing_settings_secrets_and_malformed_addresses_are_errors() {
        let n = notice("completed");
        let m = render(&n, "https://lapor.example.go.id");
        let call = |channel, address: &str, secret, p: &Providers| build_request(channel, address, secret, "d", &n, &m, p);
        let full = providers();
        for (channel, clear) in [
            (FollowChannel::Sms, (|p: &mut Providers| p.twilio_base.clear()) as fn(&mut Providers)),
            (FollowChannel::Sms, |p| p.twilio_account_sid.clear()),
            (FollowChannel::Sms, |p| p.twilio_auth_token = "  ".into()),
            (FollowChannel::Sms, |p| p.twilio_from.clear()),
            (FollowChannel::Whatsapp, |p| p.whatsapp_base.clear()),
            (FollowChannel::Whatsapp, |p| p.whatsapp_api_version.clear()),
            (FollowChannel::Whatsapp, |p| p.whatsapp_phone_number_id.clear()),
            (FollowChannel::Whatsapp, |p| p.whatsapp_access_token.clear()),
            (FollowChannel::Email, |p| p.email_base.clear()),
            (FollowChannel::Email, |p| p.email_api_key.clear()),
            (FollowChannel::Email, |p| p.email_from.clear()),
        ] {
            let mut p = full.clone();
            clear(&mut p);
            let address = if channel == FollowChannel::Email { "a@b.id" } else { "+6281234567890" };
            assert_eq!(call(channel, address, None, &p), Err(BuildError::NotConfigured(channel)));
        }
        let empty = Providers::default();
        assert!(call(FollowChannel::Webhook, "https://hooks.example.com", Some("s"), &empty).is_ok(), "webhooks need no provider");
        assert_eq!(call(FollowChannel::Webhook, "https://hooks.example.com", None, &full), Err(BuildError::MissingSecret));
        assert_eq!(call(FollowChannel::Webhook, "https://hooks.example.com", Some(""), &full), Err(BuildError::MissingSecret));
        for (channel, address) in [
            (FollowChannel::Sms, "081234567890"),
            (FollowChannel::Whatsapp, "+62 812"),
            (FollowChannel::Whatsapp, "+"),
            (FollowChannel::Email, "nobody"),
            (FollowChannel::Email, "a@b.id\r\nBcc: x@y.id"),
            (FollowChannel::Webhook, "ftp://hooks.example.com"),
        ] {
            assert_eq!(call(channel, address, Some("s"), &full), Err(BuildError::BadAddress(channel)), "{address:?}");
        }
        assert_eq!(BuildError::NotConfigured(FollowChannel::Sms).to_string(), "sms is not configured: a provider setting is empty");
        let debug = format!("{full:?}");
        assert!(!debug.contains("twilio-token") && !debug.contains("EAAG-token") && !debug.contains("SG.key"), "{debug}");
    }

    #[test]
    fn urls_split_for_the_outgoing_call() {
        assert_eq!(
            url_parts("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"),
            Ok((true, "api.twilio.com", "/2010-04-01/Accounts/AC1/Messages.json"))
        );
        assert_eq!(url_parts("http://127.0.0.1:8080"), Ok((false, "127.0.0.1:8080", "/")));
        assert_eq!(url_parts("https://h.example/x?a=1"), Ok((true, "h.example", "/x?a=1")));
        assert!(url_parts("ftp://x/").is_err());
        assert!(url_parts("https:///x").is_err());
    }
}
