//! What public statistics may show about confidential reports.
//!
//! The rule: public figures count confidential reports only in the
//! national totals, where one report among the nation's cannot be picked
//! out; every public split (agencies, their work units, categories, regions,
//! provinces, channels) leaves them out, so no split, however small or
//! finely dated, and no difference between two windows can point at one.
//! Staff surfaces (the dashboard, staff-authenticated API calls for their
//! own agency, administrators everywhere) count every report.

use super::cells::Dimension;
use crate::staff::{Principal, Role};

/// Who reads the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Staff,
}

impl Audience {
    /// Who reads figures of `agency` (`None`: national or cross-agency
    /// figures): administrators read everything as staff; an agency's own
    /// staff read their agency's figures as staff; everyone else, the public.
    pub fn of_reader(reader: Option<&Principal>, agency: Option<&str>) -> Audience {
        match reader {
            Some(p) if p.role == Role::Admin => Audience::Staff,
            Some(p) if agency.is_some() && p.agency.as_deref() == agency => Audience::Staff,
            _ => Audience::Public,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Staff => "staff",
        }
    }

    /// Whether figures of `dimension` for this audience count confidential reports.
    pub fn counts_confidential(self, dimension: Dimension) -> bool {
        match self {
            Audience::Staff => true,
            Audience::Public => dimension == Dimension::National,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_splits_leave_confidential_reports_out() {
        for dimension in Dimension::ALL {
            assert!(Audience::Staff.counts_confidential(dimension));
        }
        assert!(Audience::Public.counts_confidential(Dimension::National));
        for dimension in Dimension::ALL.into_iter().filter(|d| *d != Dimension::National) {
            assert!(!Audience::Public.counts_confidential(dimension), "{dimension:?}");
        }
    }

    #[test]
    fn staff_read_their_own_agency_as_staff_and_the_rest_as_the_public() {
        let staff = |role, agency: Option<&str>| Principal { id: "s".into(), role, agency: agency.map(Into::into), unit: None };
        let admin = staff(Role::Admin, None);
        let executive = staff(Role::Executive, Some("kemenkes"));
        assert_eq!(Audience::of_reader(Some(&admin), None), Audience::Staff);
        assert_eq!(Audience::of_reader(Some(&executive), Some("kemenkes")), Audience::Staff);
        assert_eq!(Audience::of_reader(Some(&executive), Some("kemendikbud")), Audience::Public);
        assert_eq!(Audience::of_reader(Some(&executive), None), Audience::Public);
        assert_eq!(Audience::of_reader(None, Some("kemenkes")), Audience::Public);
    }
}
