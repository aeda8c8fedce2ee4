//! The public's part: who is acting (an identity), what they may support or
//! comment on, and when flagged comments are hidden.

use sha2::{Digest, Sha256};

use crate::contact::PhoneNumber;
use crate::invalid::Invalid;
use crate::lifecycle::Status;
use crate::privacy::Privacy;

/// Someone taking part: the unit of "one support per person" and of rate limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A citizen token from `POST /api/v1/citizens`, with the phone number
    /// it proved by SMS code, if any.
    Citizen { id: i64, verified_phone: Option<PhoneNumber> },
    /// The reporter token of a report.
    Reporter { report_id: i64 },
    /// A sender's number on SMS or WhatsApp.
    Phone(PhoneNumber),
}

impl Identity {
    /// The stable key stored with supports, flags, comments and follows.
    ///
    /// A verified phone is the person, whichever channel they use: a citizen
    /// who proved +62812... and the same number texting by SMS support a
    /// report once between them. The number itself is never stored in the
    /// key, only a hash.
    pub fn key(&self) -> String {
        match self {
            Identity::Citizen { verified_phone: Some(phone), .. } | Identity::Phone(phone) => phone_key(phone),
            Identity::Citizen { id, verified_phone: None } => format!("citizen:{id}"),
            Identity::Reporter { report_id } => format!("reporter:{report_id}"),
        }
    }

    /// Whether this identity's flags count toward hiding a comment: only a
    /// proved phone is scarce. Citizen tokens cost nothing, and anyone can
    /// file a report for a reporter token, so their flags only bring a
    /// comment to the staff's review queue ([`ReviewQueue::Flagged`]).
    pub fn flags_count_toward_hiding(&self) -> bool {
        self.verified_phone().is_some()
    }

    /// The phone this identity has proved, which it may follow by SMS or WhatsApp.
    pub fn verified_phone(&self) -> Option<&PhoneNumber> {
        match self {
            Identity::Citizen { verified_phone, .. } => verified_phone.as_ref(),
            Identity::Phone(phone) => Some(phone),
            Identity::Reporter { .. } => None,
        }
    }
}

fn phone_key(phone: &PhoneNumber) -> String {
    let digest = Sha256::digest(format!("lapor-identity:{}", phone.as_str()).as_bytes());
    format!("phone:{}", hex::encode(&digest[..16]))
}

/// Why an engagement action is refused on a report the caller can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Confidential reports are never public, so nothing public attaches to them.
    Confidential,
    /// The report is not (or no longer) in a state that takes this.
    WrongStatus,
}

/// Support ("dukung") is for reports the public can see, once an agency has them.
pub fn may_support(privacy: Privacy, status: Status) -> Result<(), Refusal> {
    if privacy.is_confidential() {
        return Err(Refusal::Confidential);
    }
    match status {
        Status::Dispatched | Status::Responded | Status::Completed => Ok(()),
        _ => Err(Refusal::WrongStatus),
    }
}

/// Comments are for public and anonymous reports that are not archived.
pub fn may_comment(privacy: Privacy, status: Status) -> Result<(), Refusal> {
    if privacy.is_confidential() {
        return Err(Refusal::Confidential);
    }
    match status {
        Status::Archived => Err(Refusal::WrongStatus),
        _ => Ok(()),
    }
}

/// Distinct identities with a proved phone whose flags hide a comment
/// pending review.
pub const FLAG_THRESHOLD: i64 = 3;

/// A comment's moderation state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    Visible,
    /// Flagged by `FLAG_THRESHOLD` people with proved phones; waiting for staff.
    HiddenByFlags,
    /// Hidden by staff.
    HiddenByStaff,
}

impl CommentState {
    pub fn as_str(self) -> &'static str {
        match self {
            CommentState::Visible => "visible",
            CommentState::HiddenByFlags => "hidden_by_flags",
            CommentState::HiddenByStaff => "hidden_by_staff",
        }
    }

    /// Unknown stored values fail closed (hidden).
    pub fn from_stored(raw: &str) -> Self {
        match raw {
            "visible" => CommentState::Visible,
            "hidden_by_flags" => CommentState::HiddenByFlags,
            _ => CommentState::HiddenByStaff,
        }
    }

    /// The state after one more distinct flag, given the flags from
    /// identities that count toward hiding
    /// ([`Identity::flags_count_toward_hiding`]) since staff last reviewed
    /// the comment (including this one). A comment staff restored is hidden
    /// again only by `FLAG_THRESHOLD` new such flags.
    pub fn after_flag(self, proved_open_flags: i64) -> CommentState {
        match self {
            CommentState::Visible if proved_open_flags >= FLAG_THRESHOLD => CommentState::HiddenByFlags,
            other => other,
        }
    }
}

/// The staff's review queues of comments (`GET /api/v1/comments?state=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewQueue {
    /// Hidden by flags or by staff.
    Hidden,
    /// Still visible, with flags since staff last reviewed it: flags from
    /// identities without a proved phone end up here, as do proved flags
    /// below the threshold. A restore (even of a visible comment) is the
    /// review that clears them.
    Flagged,
}

impl ReviewQueue {
    pub fn parse(field: &str, raw: Option<&str>) -> Result<Self, Invalid> {
        match raw {
            Some("hidden") => Ok(ReviewQueue::Hidden),
            Some("flagged") => Ok(ReviewQueue::Flagged),
            _ => Err(Invalid::new(field, "Gunakan state=hidden atau state=flagged.", "Use state=hidden or state=flagged.")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(raw: &str) -> PhoneNumber {
        PhoneNumber::parse("phone", raw).unwrap()
    }

    #[test]
    fn a_verified_phone_is_one_identity_across_channels() {
        let web = Identity::Citizen { id: 7, verified_phone: Some(phone("081234567890")) };
        let sms = Identity::Phone(phone("+6281234567890"));
        assert_eq!(web.key(), sms.key());
        assert!(!web.key().contains("81234567890"), "the number is hashed: {}", web.key());
        assert_eq!(Identity::Citizen { id: 7, verified_phone: None }.key(), "citizen:7");
        assert_eq!(Identity::Reporter { report_id: 3 }.key(), "reporter:3");
        assert_ne!(Identity::Phone(phone("081234567891")).key(), sms.key());
    }

    #[test]
    fn only_proved_phones_flag_toward_hiding() {
        assert!(Identity::Citizen { id: 7, verified_phone: Some(phone("081234567890")) }.flags_count_toward_hiding());
        assert!(Identity::Phone(phone("081234567890")).flags_count_toward_hiding());
        assert!(!Identity::Citizen { id: 7, verified_phone: None }.flags_count_toward_hiding());
        assert!(!Identity::Reporter { report_id: 3 }.flags_count_toward_hiding());
    }

    #[test]
    fn review_queues() {
        assert_eq!(ReviewQueue::parse("state", Some("hidden")), Ok(ReviewQueue::Hidden));
        assert_eq!(ReviewQueue::parse("state", Some("flagged")), Ok(ReviewQueue::Flagged));
        for bad in [None, Some(""), Some("visible"), Some("HIDDEN")] {
            assert_eq!(ReviewQueue::parse("state", bad).unwrap_err().en, "Use state=hidden or state=flagged.");
        }
    }

    #[test]
    fn support_needs_a_public_report_in_the_agency_phase() {
        use Status::*;
        for privacy in [Privacy::PUBLIC, Privacy::ANONYMOUS] {
            for status in [Dispatched, Responded, Completed] {
                assert_eq!(may_support(privacy, status), Ok(()));
            }
            for status in [Submitted, OnHold, Archived] {
                assert_eq!(may_support(privacy, status), Err(Refusal::WrongStatus));
            }
        }
        assert_eq!(may_support(Privacy::CONFIDENTIAL, Dispatched), Err(Refusal::Confidential));
    }

    #[test]
    fn comments_on_anything_public_but_archived() {
        assert_eq!(may_comment(Privacy::ANONYMOUS, Status::Submitted), Ok(()));
        assert_eq!(may_comment(Privacy::PUBLIC, Status::Archived), Err(Refusal::WrongStatus));
        assert_eq!(may_comment(Privacy::CONFIDENTIAL, Status::Responded), Err(Refusal::Confidential));
    }

    #[test]
    fn three_distinct_flags_hide_until_review() {
        let s = CommentState::Visible;
        assert_eq!(s.after_flag(1), CommentState::Visible);
        assert_eq!(s.after_flag(2), CommentState::Visible);
        assert_eq!(s.after_flag(3), CommentState::HiddenByFlags);
        // Staff decisions are not undone by flags.
        assert_eq!(CommentState::HiddenByStaff.after_flag(10), CommentState::HiddenByStaff);
        assert_eq!(CommentState::from_stored("bogus"), CommentState::HiddenByStaff);
        for s in [CommentState::Visible, CommentState::HiddenByFlags, CommentState::HiddenByStaff] {
            assert_eq!(CommentState::from_stored(s.as_str()), s);
        }
    }
}
