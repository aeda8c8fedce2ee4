//! Who may see what. The rules live here, in one place, so that no HTTP
//! handler decides privacy on its own.
//!
//! - `public`: the report is public; the reporter's contact details are not.
//! - `anonymous`: the report is public; the reporter's identity is seen only
//!   by platform administrators, never by the public, never by the agency.
//! - `confidential`: the report is seen only by its reporter, platform
//!   administrators and the agency it is assigned to.
//!
//! Identity is also kept apart in storage (its own table, read only by
//! administrator code), so a listing or a public view cannot leak it by a
//! forgotten flag.

use crate::invalid::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Privacy {
    Public,
    Anonymous,
    Confidential,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Anyone, including not signed in.
    Public,
    /// The reporter, proven by the reporter token.
    Reporter,
    /// A platform administrator.
    Admin,
    /// Staff of an agency (coordinator, officer, executive).
    Agency(String),
}

impl Privacy {
    pub const ALL: [Privacy; 3] = [Privacy::Public, Privacy::Anonymous, Privacy::Confidential];

    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::Public => "public",
            Privacy::Anonymous => "anonymous",
            Privacy::Confidential => "confidential",
        }
    }

    /// A stored value back into a privacy. Anything unexpected fails closed,
    /// as the most private mode.
    pub fn from_stored(raw: &str) -> Self {
        Self::ALL.into_iter().find(|p| p.as_str() == raw).unwrap_or(Privacy::Confidential)
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(
                field,
                "Pilih salah satu: public, anonymous, confidential.",
                "Choose one of: public, anonymous, confidential.",
            )
        })
    }

    /// Whether `viewer` may see the report at all. `assigned_agency` is the
    /// agency the report is currently with, if any.
    pub fn report_visible_to(self, viewer: &Viewer, assigned_agency: Option<&str>) -> bool {
        match (self, viewer) {
            (Privacy::Public | Privacy::Anonymous, _) => true,
            (Privacy::Confidential, Viewer::Reporter | Viewer::Admin) => true,
            (Privacy::Confidential, Viewer::Agency(agency)) => assigned_agency == Some(agency.as_str()),
            (Privacy::Confidential, Viewer::Public) => false,
        }
    }

    /// Whether `viewer` may see who reported (name, phone, e-mail).
    pub fn identity_visible_to(self, viewer: &Viewer) -> bool {
        match (self, viewer) {
            (_, Viewer::Reporter | Viewer::Admin) => true,
            // The agency needs to reach a public or confidential reporter;
            // an anonymous reporter chose to stay unknown to it.
            (Privacy::Public | Privacy::Confidential, Viewer::Agency(_)) => true,
            (Privacy::Anonymous, Viewer::Agency(_)) => false,
            (_, Viewer::Public) => false,
        }
    }

    /// Whether the public may see the reporter's name (never contact details).
    pub fn name_is_public(self) -> bool {
        self == Privacy::Public
    }

    /// Privacy may be raised by an administrator, never lowered.
    pub fn may_change_to(self, new: Privacy) -> bool {
        new >= self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_matrix() {
        let agency = Viewer::Agency("kemenkes".into());
        let other = Viewer::Agency("kemendikbud".into());
        let cases = [
            (Privacy::Public, &Viewer::Public, true, false),
            (Privacy::Public, &agency, true, true),
            (Privacy::Anonymous, &Viewer::Public, true, false),
            (Privacy::Anonymous, &agency, true, false),
            (Privacy::Anonymous, &Viewer::Admin, true, true),
            (Privacy::Anonymous, &Viewer::Reporter, true, true),
            (Privacy::Confidential, &Viewer::Public, false, false),
            (Privacy::Confidential, &agency, true, true),
            (Privacy::Confidential, &other, false, true),
            (Privacy::Confidential, &Viewer::Reporter, true, true),
            (Privacy::Confidential, &Viewer::Admin, true, true),
        ];
        for (privacy, viewer, report, identity) in cases {
            assert_eq!(privacy.report_visible_to(viewer, Some("kemenkes")), report, "{privacy:?} {viewer:?}");
            assert_eq!(privacy.identity_visible_to(viewer), identity, "{privacy:?} {viewer:?}");
        }
        // Unassigned confidential reports are hidden from every agency.
        assert!(!Privacy::Confidential.report_visible_to(&agency, None));
    }

    #[test]
    fn privacy_only_goes_up() {
        assert!(Privacy::Public.may_change_to(Privacy::Confidential));
        assert!(Privacy::Anonymous.may_change_to(Privacy::Anonymous));
        assert!(!Privacy::Confidential.may_change_to(Privacy::Anonymous));
        assert!(!Privacy::Anonymous.may_change_to(Privacy::Public));
    }

    #[test]
    fn parse() {
        assert_eq!(Privacy::parse("privacy", "anonymous").unwrap(), Privacy::Anonymous);
        assert!(Privacy::parse("privacy", "secret").is_err());
        assert_eq!(Privacy::from_stored("anonymous"), Privacy::Anonymous);
        assert_eq!(Privacy::from_stored("bogus"), Privacy::Confidential, "fails closed");
    }
}
