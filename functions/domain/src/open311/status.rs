//! `open` / `closed`: the spec's two statuses over our six.
//!
//! A request is `closed` once nothing more will happen to it: completed
//! (answered and confirmed, or completed by the SLA sweep) or archived (not
//! in scope, spam, duplicate). Everything before that (waiting for
//! verification, on hold for the reporter, with the agency, answered but not
//! yet completed) is `open`: the reporter may still act on it.

use crate::invalid::Invalid;
use crate::lifecycle::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Open311Status {
    Open,
    Closed,
}

impl Open311Status {
    pub const ALL: [Open311Status; 2] = [Open311Status::Open, Open311Status::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Open311Status::Open => "open",
            Open311Status::Closed => "closed",
        }
    }

    /// The spec's status of one of ours.
    pub fn of(status: Status) -> Self {
        if status.is_final() {
            Open311Status::Closed
        } else {
            Open311Status::Open
        }
    }

    /// Our statuses that show as `self`.
    pub fn ours(self) -> Vec<Status> {
        Status::ALL.into_iter().filter(|s| Self::of(*s) == self).collect()
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim().to_ascii_lowercase()).ok_or_else(|| {
            Invalid::new(field, "Status Open311: open atau closed.", "Open311 status: open or closed.")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_and_archived_are_closed_everything_else_open() {
        let closed: Vec<Status> = Open311Status::Closed.ours();
        assert_eq!(closed, [Status::Completed, Status::Archived]);
        assert_eq!(Open311Status::Open.ours(), [Status::Submitted, Status::OnHold, Status::Dispatched, Status::Responded]);
        for status in Status::ALL {
            let mapped = Open311Status::of(status);
            assert!(mapped.ours().contains(&status), "{status:?} is in the set it maps to");
        }
    }

    #[test]
    fn statuses_parse_in_any_case_and_nothing_else() {
        assert_eq!(Open311Status::parse("status", " Closed "), Ok(Open311Status::Closed));
        assert_eq!(Open311Status::parse("status", "open"), Ok(Open311Status::Open));
        for bad in ["", "dispatched", "opened"] {
            assert_eq!(Open311Status::parse("status", bad).unwrap_err().field, "status");
        }
        assert_eq!(serde_json::to_value(Open311Status::Open).unwrap(), "open");
    }
}
