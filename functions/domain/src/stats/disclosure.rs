//! What public statistics may show about confidential reports.
//!
//! The rule: confidential reports count in national and agency figures
//! (leaders and the public must see the whole workload), but public splits
//! below or across an agency (its units, categories, regions, provinces,
//! channels) leave them out, so no small split can point at one. Public
//! agency figures are not split by day either (weeks at the finest), so a
//! confidential report in a small agency cannot be dated. Staff surfaces
//! (the dashboard, staff-authenticated API calls) count everything.

use super::cells::Dimension;
use super::period::Group;
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
            Audience::Public => matches!(dimension, Dimension::National | Dimension::Agency),
        }
    }

    /// Whether this audience may read `dimension` split into `group` periods.
    pub fn may_group(self, dimension: Dimension, group: Group) -> bool {
        !(self == Audience::Public && dimension == Dimension::Agency && group == Group::Day)
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
        assert!(Audience::Public.counts_confidential(Dimension::Agency));
        for dimension in [Dimension::Unit, Dimension::Category, Dimension::Region, Dimension::Province, Dimension::Channel] {
            assert!(!Audience::Public.counts_confidential(dimension));
        }
        assert!(!Audience::Public.may_group(Dimension::Agency, Group::Day));
        assert!(Audience::Staff.may_group(Dimension::Agency, Group::Day));
        assert!(Audience::Public.may_group(Dimension::National, Group::Day));
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
