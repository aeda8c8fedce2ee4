//! Who may see what. The rules live here, in one place, so that no HTTP
//! handler decides privacy on its own.
//!
//! Privacy is two independent properties of a report:
//!
//! - [`Visibility`]: who may read the report. `public`: anyone.
//!   `confidential`: only its reporter, platform administrators and the
//!   agency it is assigned to.
//! - [`ReporterIdentity`]: who may know who filed it. `named`: the agency
//!   handling it may see the reporter's name and contacts (and the public the
//!   name, while the report is public). `anonymous`: only platform
//!   administrators, every read logged; never the agency, never the public.
//!
//! A whistleblower reporting the agency itself needs both: confidential and
//! anonymous. Each property may be raised by an administrator, never lowered.
//!
//! The API also keeps the older one-word `privacy` names (see
//! [`Privacy::as_str`]): `public` = public + named, `anonymous` = public +
//! anonymous, `confidential` = confidential + named, and the new
//! combination is `confidential_anonymous`.
//!
//! Identity is also kept apart in storage (its own table, read only by
//! entitled staff code), so a listing or a public view cannot leak it by a
//! forgotten flag.

use crate::invalid::Invalid;

/// Who may read the report. Ordered from least to most private.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Confidential,
}

/// Who may know who filed the report. Ordered from least to most private.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReporterIdentity {
    Named,
    Anonymous,
}

impl Visibility {
    pub const ALL: [Visibility; 2] = [Visibility::Public, Visibility::Confidential];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Confidential => "confidential",
        }
    }

    /// A stored value; anything unexpected fails closed (confidential).
    pub fn from_stored(raw: &str) -> Self {
        Self::ALL.into_iter().find(|v| v.as_str() == raw).unwrap_or(Visibility::Confidential)
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(field, "Pilih salah satu: public, confidential.", "Choose one of: public, confidential.")
        })
    }
}

impl ReporterIdentity {
    pub const ALL: [ReporterIdentity; 2] = [ReporterIdentity::Named, ReporterIdentity::Anonymous];

    pub fn as_str(self) -> &'static str {
        match self {
            ReporterIdentity::Named => "named",
            ReporterIdentity::Anonymous => "anonymous",
        }
    }

    /// A stored value; anything unexpected fails closed (anonymous).
    pub fn from_stored(raw: &str) -> Self {
        Self::ALL.into_iter().find(|v| v.as_str() == raw).unwrap_or(ReporterIdentity::Anonymous)
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(field, "Pilih salah satu: named, anonymous.", "Choose one of: named, anonymous.")
        })
    }
}

/// A report's privacy: both properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Privacy {
    pub visibility: Visibility,
    pub identity: ReporterIdentity,
}

/// Serialized as its one-word name.
impl serde::Serialize for Privacy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `privacy`, `visibility` and `reporter_identity` side by side, as every
/// answer shows them (`#[serde(flatten, serialize_with = "privacy::fields")]`),
/// derived from the one value so they can never disagree.
pub fn fields<S: serde::Serializer>(privacy: &Privacy, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut fields = serializer.serialize_struct("Privacy", 3)?;
    fields.serialize_field("privacy", privacy)?;
    fields.serialize_field("visibility", &privacy.visibility)?;
    fields.serialize_field("reporter_identity", &privacy.identity)?;
    fields.end()
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
    pub const PUBLIC: Privacy = Privacy { visibility: Visibility::Public, identity: ReporterIdentity::Named };
    pub const ANONYMOUS: Privacy = Privacy { visibility: Visibility::Public, identity: ReporterIdentity::Anonymous };
    pub const CONFIDENTIAL: Privacy = Privacy { visibility: Visibility::Confidential, identity: ReporterIdentity::Named };
    pub const CONFIDENTIAL_ANONYMOUS: Privacy =
        Privacy { visibility: Visibility::Confidential, identity: ReporterIdentity::Anonymous };

    /// Every combination, each with its one-word name.
    pub const ALL: [Privacy; 4] = [Privacy::PUBLIC, Privacy::ANONYMOUS, Privacy::CONFIDENTIAL, Privacy::CONFIDENTIAL_ANONYMOUS];

    /// The one-word name of the API's `privacy` field (kept for clients
    /// written before privacy had two properties).
    pub fn as_str(self) -> &'static str {
        match (self.visibility, self.identity) {
            (Visibility::Public, ReporterIdentity::Named) => "public",
            (Visibility::Public, ReporterIdentity::Anonymous) => "anonymous",
            (Visibility::Confidential, ReporterIdentity::Named) => "confidential",
            (Visibility::Confidential, ReporterIdentity::Anonymous) => "confidential_anonymous",
        }
    }

    /// The stored columns back into a privacy; each fails closed.
    pub fn from_stored(visibility: &str, identity: &str) -> Self {
        Privacy { visibility: Visibility::from_stored(visibility), identity: ReporterIdentity::from_stored(identity) }
    }

    /// A one-word name (`privacy` field).
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(
                field,
                "Pilih salah satu: public, anonymous, confidential, confidential_anonymous.",
                "Choose one of: public, anonymous, confidential, confidential_anonymous.",
            )
        })
    }

    /// What a citizen reads for this privacy.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match (self.visibility, self.identity) {
            (Visibility::Public, ReporterIdentity::Named) => lang.pick("Publik", "Public"),
            (Visibility::Public, ReporterIdentity::Anonymous) => lang.pick("Publik, pelapor anonim", "Public, anonymous reporter"),
            (Visibility::Confidential, ReporterIdentity::Named) => lang.pick("Rahasia", "Confidential"),
            (Visibility::Confidential, ReporterIdentity::Anonymous) => {
                lang.pick("Rahasia, pelapor anonim", "Confidential, anonymous reporter")
            }
        }
    }

    pub fn is_confidential(self) -> bool {
        self.visibility == Visibility::Confidential
    }

    pub fn is_anonymous(self) -> bool {
        self.identity == ReporterIdentity::Anonymous
    }

    /// Whether `viewer` may see the report at all. `assigned_agency` is the
    /// agency the report is currently with, if any.
    pub fn report_visible_to(self, viewer: &Viewer, assigned_agency: Option<&str>) -> bool {
        match (self.visibility, viewer) {
            (Visibility::Public, _) => true,
            (Visibility::Confidential, Viewer::Reporter | Viewer::Admin) => true,
            (Visibility::Confidential, Viewer::Agency(agency)) => assigned_agency == Some(agency.as_str()),
            (Visibility::Confidential, Viewer::Public) => false,
        }
    }

    /// Whether `viewer` may see who reported (name, phone, e-mail). Depends
    /// on the identity property only: raising visibility never reveals a
    /// reporter. An administrator's read of an anonymous reporter must be
    /// logged ([`Privacy::identity_read_is_logged`]).
    pub fn identity_visible_to(self, viewer: &Viewer) -> bool {
        match (self.identity, viewer) {
            (_, Viewer::Reporter | Viewer::Admin) => true,
            // The agency needs to reach a named reporter; an anonymous
            // reporter chose to stay unknown to it.
            (ReporterIdentity::Named, Viewer::Agency(_)) => true,
            (ReporterIdentity::Anonymous, Viewer::Agency(_)) => false,
            (_, Viewer::Public) => false,
        }
    }

    /// Whether showing the reporter's identity to `viewer` is recorded.
    pub fn identity_read_is_logged(self, viewer: &Viewer) -> bool {
        self.is_anonymous() && *viewer == Viewer::Admin
    }

    /// Whether the public may see the reporter's name (never contact details).
    pub fn name_is_public(self) -> bool {
        self == Privacy::PUBLIC
    }

    /// Each property may be raised by an administrator, never lowered; the
    /// error names the property that would go down.
    pub fn may_change_to(self, new: Privacy) -> Result<(), Invalid> {
        if new.visibility < self.visibility {
            return Err(Invalid::new(
                "visibility",
                "Laporan rahasia tidak boleh dibuat publik.",
                "A confidential report may not be made public.",
            ));
        }
        if new.identity < self.identity {
            return Err(Invalid::new(
                "reporter_identity",
                "Pelapor anonim tetap anonim: identitasnya tidak boleh dibuka (untuk merahasiakan laporan, pakai visibility: confidential atau privacy: confidential_anonymous).",
                "An anonymous reporter stays anonymous: the identity may not be disclosed (to hide the report, use visibility: confidential or privacy: confidential_anonymous).",
            ));
        }
        Ok(())
    }
}

/// What a request asks for: the one-word `privacy`, the two properties, or
/// a mix. A property not named keeps its current (or default) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrivacyRequest {
    pub visibility: Option<Visibility>,
    pub identity: Option<ReporterIdentity>,
}

impl PrivacyRequest {
    /// Combines the parsed fields; a property named twice with two values
    /// (say `privacy: anonymous` and `reporter_identity: named`) is an error.
    pub fn combine(
        legacy: Option<Privacy>,
        visibility: Option<Visibility>,
        identity: Option<ReporterIdentity>,
    ) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        if let (Some(p), Some(v)) = (legacy, visibility) {
            if p.visibility != v {
                errors.push(Invalid::new(
                    "visibility",
                    "Bertentangan dengan nilai privacy.",
                    "Conflicts with the privacy value.",
                ));
            }
        }
        if let (Some(p), Some(i)) = (legacy, identity) {
            if p.identity != i {
                errors.push(Invalid::new(
                    "reporter_identity",
                    "Bertentangan dengan nilai privacy.",
                    "Conflicts with the privacy value.",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PrivacyRequest {
            visibility: visibility.or(legacy.map(|p| p.visibility)),
            identity: identity.or(legacy.map(|p| p.identity)),
        })
    }

    /// `base` with the named properties replaced.
    pub fn applied_to(self, base: Privacy) -> Privacy {
        Privacy { visibility: self.visibility.unwrap_or(base.visibility), identity: self.identity.unwrap_or(base.identity) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_matrix() {
        let agency = Viewer::Agency("kemenkes".into());
        let other = Viewer::Agency("kemendikbud".into());
        // (privacy, viewer, sees the report, sees the identity)
        let cases = [
            (Privacy::PUBLIC, &Viewer::Public, true, false),
            (Privacy::PUBLIC, &agency, true, true),
            (Privacy::PUBLIC, &Viewer::Admin, true, true),
            (Privacy::ANONYMOUS, &Viewer::Public, true, false),
            (Privacy::ANONYMOUS, &agency, true, false),
            (Privacy::ANONYMOUS, &Viewer::Admin, true, true),
            (Privacy::ANONYMOUS, &Viewer::Reporter, true, true),
            (Privacy::CONFIDENTIAL, &Viewer::Public, false, false),
            (Privacy::CONFIDENTIAL, &agency, true, true),
            (Privacy::CONFIDENTIAL, &other, false, true),
            (Privacy::CONFIDENTIAL, &Viewer::Reporter, true, true),
            (Privacy::CONFIDENTIAL, &Viewer::Admin, true, true),
            (Privacy::CONFIDENTIAL_ANONYMOUS, &Viewer::Public, false, false),
            (Privacy::CONFIDENTIAL_ANONYMOUS, &agency, true, false),
            (Privacy::CONFIDENTIAL_ANONYMOUS, &other, false, false),
            (Privacy::CONFIDENTIAL_ANONYMOUS, &Viewer::Reporter, true, true),
            (Privacy::CONFIDENTIAL_ANONYMOUS, &Viewer::Admin, true, true),
        ];
        for (privacy, viewer, report, identity) in cases {
            assert_eq!(privacy.report_visible_to(viewer, Some("kemenkes")), report, "{privacy:?} {viewer:?}");
            assert_eq!(privacy.identity_visible_to(viewer), identity, "{privacy:?} {viewer:?}");
        }
        // Unassigned confidential reports are hidden from every agency.
        assert!(!Privacy::CONFIDENTIAL.report_visible_to(&agency, None));
    }

    #[test]
    fn an_anonymous_reporter_is_never_shown_to_an_agency_whatever_the_visibility() {
        for visibility in Visibility::ALL {
            let privacy = Privacy { visibility, identity: ReporterIdentity::Anonymous };
            assert!(!privacy.identity_visible_to(&Viewer::Agency("kemenkes".into())));
            assert!(!privacy.identity_visible_to(&Viewer::Public));
            assert!(privacy.identity_read_is_logged(&Viewer::Admin));
        }
        assert!(!Privacy::CONFIDENTIAL.identity_read_is_logged(&Viewer::Admin));
    }

    #[test]
    fn each_property_only_goes_up() {
        assert!(Privacy::PUBLIC.may_change_to(Privacy::CONFIDENTIAL).is_ok());
        assert!(Privacy::ANONYMOUS.may_change_to(Privacy::ANONYMOUS).is_ok());
        assert!(Privacy::ANONYMOUS.may_change_to(Privacy::CONFIDENTIAL_ANONYMOUS).is_ok());
        assert!(Privacy::CONFIDENTIAL.may_change_to(Privacy::CONFIDENTIAL_ANONYMOUS).is_ok());
        // The defect this model fixes: "raising" an anonymous report to the
        // old `confidential` would have named its reporter to the agency.
        let lowered = Privacy::ANONYMOUS.may_change_to(Privacy::CONFIDENTIAL).unwrap_err();
        assert_eq!(lowered.field, "reporter_identity");
        assert_eq!(Privacy::CONFIDENTIAL.may_change_to(Privacy::ANONYMOUS).unwrap_err().field, "visibility");
        assert!(Privacy::ANONYMOUS.may_change_to(Privacy::PUBLIC).is_err());
        for from in Privacy::ALL {
            for to in Privacy::ALL {
                let allowed = to.visibility >= from.visibility && to.identity >= from.identity;
                assert_eq!(from.may_change_to(to).is_ok(), allowed, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn serialized_names_are_the_stored_and_api_names() {
        for privacy in Privacy::ALL {
            assert_eq!(serde_json::to_value(privacy).unwrap(), privacy.as_str());
            assert_eq!(serde_json::to_value(privacy.visibility).unwrap(), privacy.visibility.as_str());
            assert_eq!(serde_json::to_value(privacy.identity).unwrap(), privacy.identity.as_str());
        }
    }

    #[test]
    fn one_word_names_map_to_both_properties() {
        for privacy in Privacy::ALL {
            assert_eq!(Privacy::parse("privacy", privacy.as_str()).unwrap(), privacy);
            assert_eq!(Privacy::from_stored(privacy.visibility.as_str(), privacy.identity.as_str()), privacy);
        }
        assert_eq!(Privacy::parse("privacy", "anonymous").unwrap(), Privacy::ANONYMOUS);
        assert!(Privacy::parse("privacy", "secret").is_err());
        assert_eq!(Privacy::from_stored("bogus", "bogus"), Privacy::CONFIDENTIAL_ANONYMOUS, "fails closed");
    }

    #[test]
    fn requests_name_one_or_both_properties() {
        let only_visibility = PrivacyRequest::combine(None, Some(Visibility::Confidential), None).unwrap();
        assert_eq!(only_visibility.applied_to(Privacy::ANONYMOUS), Privacy::CONFIDENTIAL_ANONYMOUS);
        let legacy = PrivacyRequest::combine(Some(Privacy::ANONYMOUS), None, None).unwrap();
        assert_eq!(legacy.applied_to(Privacy::PUBLIC), Privacy::ANONYMOUS);
        let agreeing = PrivacyRequest::combine(Some(Privacy::ANONYMOUS), Some(Visibility::Public), None).unwrap();
        assert_eq!(agreeing.applied_to(Privacy::PUBLIC), Privacy::ANONYMOUS);
        let conflict = PrivacyRequest::combine(Some(Privacy::ANONYMOUS), Some(Visibility::Confidential), Some(ReporterIdentity::Named));
        assert_eq!(conflict.unwrap_err().len(), 2);
        assert_eq!(PrivacyRequest::default().applied_to(Privacy::CONFIDENTIAL), Privacy::CONFIDENTIAL);
    }
}
