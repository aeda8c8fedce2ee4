//! Each provider's webhook payload, read into one shape: who sent what, under
//! which message ID. Delivery receipts and status callbacks are recognised so
//! they can be accepted and ignored; anything else a correctly signed request
//! carries that is not a readable message is [`Unreadable`], answered with
//! usage help (never a 5xx: the provider would retry it forever).

use serde_json::Value;

use crate::contact::PhoneNumber;

/// Who delivered a message (`inbound_messages.provider`): message IDs are
/// unique per provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Provider {
    /// Twilio Programmable Messaging: SMS, and WhatsApp through Twilio.
    Twilio,
    /// An Indonesian SMS aggregator speaking our documented JSON.
    Gateway,
    /// Meta's WhatsApp Cloud API.
    Whatsapp,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }
}

/// How the citizen wrote to us, and so how we answer and notify them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageChannel {
    Sms,
    Whatsapp,
}

impl MessageChannel {
    /// The report channel of a report filed this way.
    pub fn report_channel(self) -> crate::report::Channel {
        match self {
            MessageChannel::Sms => crate::report::Channel::Sms,
            MessageChannel::Whatsapp => crate::report::Channel::Whatsapp,
        }
    }
}

/// What a message carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text(String),
    /// An image, audio, a location, a sticker...: named by its type, with
    /// the caption it had, if any.
    Other { kind: String, caption: Option<String> },
}

/// One message from one sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub provider: Provider,
    pub message_id: String,
    pub from: PhoneNumber,
    pub channel: MessageChannel,
    pub content: Content,
}

/// Why a signed payload carries no message we can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// No message ID or no sender: nothing to de-duplicate or answer to
    /// (answered with usage help, nothing recorded).
    Incomplete,
    /// A sender that is not an Indonesian number: told so, nothing recorded.
    ForeignNumber { provider: Provider, message_id: String },
}

/// What a webhook call carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Message(Inbound),
    /// A status callback or delivery receipt: accepted, ignored.
    Status,
    Unreadable(Unreadable),
}

/// Message IDs are opaque, but bounded: a longer one is not a provider's.
const MAX_MESSAGE_ID: usize = 200;

fn message_id(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim).filter(|id| !id.is_empty() && id.len() <= MAX_MESSAGE_ID).map(str::to_string)
}

fn message(provider: Provider, id: Option<&str>, from: Option<&str>, channel: MessageChannel, content: Content) -> Delivery {
    let (Some(message_id), Some(from)) = (message_id(id), from.map(str::trim).filter(|f| !f.is_empty())) else {
        return Delivery::Unreadable(Unreadable::Incomplete);
    };
    match PhoneNumber::parse("from", from) {
        Ok(from) => Delivery::Message(Inbound { provider, message_id, from, channel, content }),
        Err(_) => Delivery::Unreadable(Unreadable::ForeignNumber { provider, message_id }),
    }
}

/// Twilio's form fields (`MessageSid`, `From`, `To`, `Body`, ...). A `From`
/// of `whatsapp:+62...` is WhatsApp through Twilio. Status callbacks carry
/// `MessageStatus` (or an `SmsStatus` other than `received`).
pub fn twilio(params: &[(String, String)]) -> Delivery {
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let status = get("MessageStatus").or_else(|| get("SmsStatus").filter(|s| *s != "received"));
    if status.is_some() && get("Body").is_none() {
        return Delivery::Status;
    }
    let from = get("From").unwrap_or_default().trim();
    let (channel, number) = match from.strip_prefix("whatsapp:") {
        Some(number) => (MessageChannel::Whatsapp, number),
        None => (MessageChannel::Sms, from),
    };
    let body = get("Body").unwrap_or_default();
    let media = get("NumMedia").and_then(|n| n.trim().parse::<u32>().ok()).unwrap_or(0);
    let content = if media > 0 {
        let kind = get("MediaContentType0").and_then(|t| t.split('/').next()).unwrap_or("media").to_string();
        Content::Other { kind, caption: Some(body.to_string()).filter(|b| !b.trim().is_empty()) }
    } else if get("Latitude").is_some() && body.trim().is_empty() {
        Content::Other { kind: "location".into(), caption: None }
    } else {
        Content::Text(body.to_string())
    };
    message(Provider::Twilio, get("MessageSid").or_else(|| get("SmsSid")), Some(number), channel, content)
}

/// The aggregator gateway's JSON: `{message_id, from, to, text, received_at}`;
/// a document with a `status` and no `text` is a delivery receipt.
pub fn gateway(body: &Value) -> Delivery {
    // IDs and numbers may come as JSON numbers from some aggregators.
    let owned = |name: &str| match body.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let (id, from) = (owned("message_id"), owned("from"));
    let get = |name: &str| body.get(name).and_then(Value::as_str);
    if body.get("status").is_some() && body.get("text").is_none() {
        return Delivery::Status;
    }
    let Some(text) = get("text") else { return Delivery::Unreadable(Unreadable::Incomplete) };
    message(Provider::Gateway, id.as_deref(), from.as_deref(), MessageChannel::Sms, Content::Text(text.to_string()))
}

/// Cloud API message types that are not a citizen writing to us.
const IGNORED_TYPES: &[&str] = &["reaction", "system", "unsupported", "request_welcome"];

/// The WhatsApp Cloud API's webhook (`object: whatsapp_business_account`):
/// every message of every change, in order; status updates are skipped.
/// A payload with neither messages nor statuses is one `Unreadable`.
pub fn whatsapp(body: &Value) -> Vec<Delivery> {
    let mut deliveries = Vec::new();
    let mut statuses = 0;
    let entries = body.get("entry").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for change in entries.iter().filter_map(|e| e.get("changes").and_then(Value::as_array)).flatten() {
        let value = &change["value"];
        statuses += value.get("statuses").and_then(Value::as_array).map_or(0, Vec::len);
        for item in value.get("messages").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("unknown");
            // A reaction (a 👍 to our answer) or a system notice asks nothing:
            // answering it would cost a message.
            if IGNORED_TYPES.contains(&kind) {
                statuses += 1;
                continue;
            }
            let content = match kind {
                "text" => Content::Text(item["text"]["body"].as_str().unwrap_or_default().to_string()),
                other => Content::Other {
                    kind: other.to_string(),
                    caption: item[other]["caption"].as_str().map(str::to_string).filter(|c| !c.trim().is_empty()),
                },
            };
            let id = item.get("id").and_then(Value::as_str);
            let from = item.get("from").and_then(Value::as_str);
            deliveries.push(message(Provider::Whatsapp, id, from, MessageChannel::Whatsapp, content));
        }
    }
    if deliveries.is_empty() {
        deliveries.push(if statuses > 0 { Delivery::Status } else { Delivery::Unreadable(Unreadable::Incomplete) });
    }
    deliveries
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn text_of(delivery: &Delivery) -> (&str, &str, MessageChannel, &Content) {
        match delivery {
            Delivery::Message(m) => (m.message_id.as_str(), m.from.as_str(), m.channel, &m.content),
            other => panic!("not a message: {other:?}"),
        }
    }

    #[test]
    fn twilio_sms_whatsapp_and_status_callbacks() {
        let sms = twilio(&form(&[("MessageSid", "SM1"), ("From", "+6281234567890"), ("To", "1708"), ("Body", "CEK 7K3QD-M2X9C"), ("SmsStatus", "received")]));
        assert_eq!(text_of(&sms), ("SM1", "+6281234567890", MessageChannel::Sms, &Content::Text("CEK 7K3QD-M2X9C".into())));
        let wa = twilio(&form(&[("MessageSid", "SM2"), ("From", "whatsapp:+6281234567890"), ("Body", "halo")]));
        assert_eq!(text_of(&wa).2, MessageChannel::Whatsapp);
        assert_eq!(twilio(&form(&[("MessageSid", "SM1"), ("MessageStatus", "delivered")])), Delivery::Status);
        assert_eq!(twilio(&form(&[("SmsSid", "SM1"), ("SmsStatus", "sent")])), Delivery::Status);
        let photo = twilio(&form(&[("MessageSid", "SM3"), ("From", "+6281234567890"), ("NumMedia", "1"), ("MediaContentType0", "image/jpeg"), ("Body", "")]));
        assert_eq!(text_of(&photo).3, &Content::Other { kind: "image".into(), caption: None });
    }

    #[test]
    fn incomplete_and_foreign_senders_are_unreadable() {
        assert_eq!(twilio(&form(&[("Body", "halo")])), Delivery::Unreadable(Unreadable::Incomplete));
        assert_eq!(twilio(&form(&[("MessageSid", " "), ("From", "+6281234567890"), ("Body", "x")])), Delivery::Unreadable(Unreadable::Incomplete));
        assert_eq!(
            twilio(&form(&[("MessageSid", "SM9"), ("From", "+12349013030"), ("Body", "hello")])),
            Delivery::Unreadable(Unreadable::ForeignNumber { provider: Provider::Twilio, message_id: "SM9".into() })
        );
        assert_eq!(gateway(&json!({"message_id": "g1", "from": "0812 3456 7890"})), Delivery::Unreadable(Unreadable::Incomplete));
        assert_eq!(gateway(&json!([1, 2])), Delivery::Unreadable(Unreadable::Incomplete));
        let long_id = "x".repeat(201);
        assert_eq!(gateway(&json!({"message_id": long_id, "from": "08123456789", "text": "hi"})), Delivery::Unreadable(Unreadable::Incomplete));
    }

    #[test]
    fn gateway_messages_and_receipts() {
        let m = gateway(&json!({"message_id": "g1", "from": "081234567890", "to": "1708", "text": "BANTUAN", "received_at": "2026-12-02T10:00:00+07:00"}));
        assert_eq!(text_of(&m), ("g1", "+6281234567890", MessageChannel::Sms, &Content::Text("BANTUAN".into())));
        assert_eq!(gateway(&json!({"message_id": "g1", "status": "delivered"})), Delivery::Status);
        let numeric = gateway(&json!({"message_id": 90017, "from": 6281234567890u64, "text": "BANTUAN"}));
        assert_eq!(text_of(&numeric).0, "90017");
    }

    fn cloud(messages: Value, statuses: Value) -> Value {
        json!({"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"display_phone_number": "621708", "phone_number_id": "PNID"},
            "messages": messages, "statuses": statuses}}]}]})
    }

    #[test]
    fn whatsapp_cloud_messages_of_every_type() {
        let body = cloud(
            json!([
                {"from": "6281234567890", "id": "wamid.A", "timestamp": "1", "type": "text", "text": {"body": "CEK 7K3QD-M2X9C"}},
                {"from": "6281234567890", "id": "wamid.B", "timestamp": "1", "type": "image", "image": {"id": "MEDIA1", "mime_type": "image/jpeg", "caption": "Jalan berlubang di depan sekolah"}},
                {"from": "6281234567890", "id": "wamid.C", "timestamp": "1", "type": "location", "location": {"latitude": -6.2, "longitude": 106.8}}
            ]),
            json!([]),
        );
        let all = whatsapp(&body);
        assert_eq!(all.len(), 3);
        assert_eq!(text_of(&all[0]), ("wamid.A", "+6281234567890", MessageChannel::Whatsapp, &Content::Text("CEK 7K3QD-M2X9C".into())));
        assert_eq!(text_of(&all[1]).3, &Content::Other { kind: "image".into(), caption: Some("Jalan berlubang di depan sekolah".into()) });
        assert_eq!(text_of(&all[2]).3, &Content::Other { kind: "location".into(), caption: None });
        let reaction = cloud(json!([{"from": "6281234567890", "id": "wamid.R", "type": "reaction", "reaction": {"message_id": "wamid.OUT", "emoji": "👍"}}]), json!([]));
        assert_eq!(whatsapp(&reaction), vec![Delivery::Status], "a reaction asks nothing");
        let receipt = cloud(json!(null), json!([{"id": "wamid.X", "status": "delivered"}]));
        assert_eq!(whatsapp(&receipt), vec![Delivery::Status]);
        assert_eq!(whatsapp(&json!({"object": "whatsapp_business_account"})), vec![Delivery::Unreadable(Unreadable::Incomplete)]);
    }
}
