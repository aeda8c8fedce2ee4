//! `DELETE /api/v1/reports/{id}/follows?channel=&address=` (both optional)

use crate::fields::FieldErrors;
use crate::follow::{FollowAddress, FollowChannel, WebhookPolicy};
use crate::invalid::Invalid;

/// A follower stops some or all of their follows of a report: all of them,
/// those of one channel, or one address of a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfollow {
    pub channel: Option<FollowChannel>,
    pub address: Option<FollowAddress>,
}

impl Unfollow {
    /// From the query parameters (a listing's filters, so errors are a 400).
    pub fn parse(channel: Option<&str>, address: Option<&str>, policy: WebhookPolicy) -> Result<Self, Vec<Invalid>> {
        let mut errors = FieldErrors::default();
        let channel = errors.take(channel.map(|raw| FollowChannel::parse("channel", raw)).transpose());
        let address = errors.take(match (channel, address) {
            (Some(Some(channel)), Some(raw)) => FollowAddress::parse(channel, "address", raw, policy).map(Some),
            (_, Some(_)) => Err(Invalid::new("address", "Sertakan juga channel.", "Give the channel too.")),
            (_, None) => Ok(None),
        });
        errors.finish(channel.zip(address).map(|(channel, address)| Unfollow { channel, address }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::fields_of;

    const POLICY: WebhookPolicy = WebhookPolicy::PublicHttpsOnly;

    #[test]
    fn all_one_channel_or_one_address() {
        assert_eq!(Unfollow::parse(None, None, POLICY), Ok(Unfollow { channel: None, address: None }));
        assert_eq!(Unfollow::parse(Some("email"), None, POLICY).unwrap().channel, Some(FollowChannel::Email));
        let one = Unfollow::parse(Some("sms"), Some("0812-3456-7890"), POLICY).unwrap();
        assert_eq!(one.address.map(|a| a.as_str().to_string()).as_deref(), Some("+6281234567890"));
    }

    #[test]
    fn every_error_at_once() {
        assert_eq!(fields_of(Unfollow::parse(None, Some("a@b.id"), POLICY).unwrap_err()), ["address"]);
        assert_eq!(fields_of(Unfollow::parse(Some("fax"), Some("a@b.id"), POLICY).unwrap_err()), ["channel", "address"]);
        assert_eq!(fields_of(Unfollow::parse(Some("email"), Some("not mail"), POLICY).unwrap_err()), ["address"]);
    }
}
