//! `POST /api/v1/reports/{id}/follows {channel, address}`

use serde_json::{Map, Value};

use crate::fields::{required, required_parsed, FieldErrors};
use crate::follow::{FollowAddress, FollowChannel, WebhookPolicy};
use crate::invalid::Invalid;

/// Someone asks to be told of a report's public events at an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub channel: FollowChannel,
    pub address: FollowAddress,
}

impl Follow {
    /// Webhook addresses are judged under `policy` (a Spin variable).
    pub fn parse(body: &Map<String, Value>, policy: WebhookPolicy) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::new(body, &["channel", "address"]);
        let channel = errors.take(required_parsed(body, "channel", FollowChannel::parse));
        let raw = errors.take(required(body, "address"));
        // The address is read for its channel, and (as it always was) only
        // once the rest of the body is good: its error then comes alone.
        let address = match (channel, raw) {
            (Some(channel), Some(raw)) if errors.is_empty() => errors.take(FollowAddress::parse(channel, "address", raw, policy)),
            _ => None,
        };
        errors.finish(channel.zip(address).map(|(channel, address)| Follow { channel, address }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    const POLICY: WebhookPolicy = WebhookPolicy::PublicHttpsOnly;

    #[test]
    fn the_address_is_read_for_its_channel() {
        let f = Follow::parse(&body(json!({"channel": "sms", "address": "0812-3456-7890"})), POLICY).unwrap();
        assert_eq!((f.channel, f.address.as_str()), (FollowChannel::Sms, "+6281234567890"));
        let f = Follow::parse(&body(json!({"channel": "email", "address": " Siti@Mail.CO.ID "})), POLICY).unwrap();
        assert_eq!(f.address.as_str(), "Siti@mail.co.id");
        assert_eq!(fields_of(Follow::parse(&body(json!({"channel": "sms", "address": "021 555 1234"})), POLICY).unwrap_err()), ["address"]);
        assert_eq!(fields_of(Follow::parse(&body(json!({"channel": "webhook", "address": "http://localhost/x"})), POLICY).unwrap_err()), ["address"]);
    }

    #[test]
    fn every_error_of_the_body_at_once() {
        assert_eq!(fields_of(Follow::parse(&body(json!({"channel": "fax", "x": 1})), POLICY).unwrap_err()), ["x", "channel", "address"]);
        // A bad address is not judged beside other errors: its channel may be the mistake.
        assert_eq!(fields_of(Follow::parse(&body(json!({"channel": "sms", "address": "1", "x": 1})), POLICY).unwrap_err()), ["x"]);
    }
}
