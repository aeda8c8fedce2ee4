//! Staff roles and what each may do, decided in one place.
//!
//! - `admin`: platform administrators; verify, hold, archive, dispatch
//!   anywhere; the only role that can see an anonymous reporter's identity.
//! - `coordinator`: an agency's admin koordinator; works its agency's inbox,
//!   assigns to units, forwards to another agency, answers, adds staff.
//! - `officer`: a work unit's admin penghubung; answers its agency's reports.
//! - `executive`: an agency's leadership; reads only.
//!
//! Every non-admin account is bound to one agency. A report of another agency
//! is answered 404 to agency staff (they must not learn it exists), and an
//! action beyond a role is 403.

use crate::invalid::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Coordinator,
    Officer,
    Executive,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Coordinator, Role::Officer, Role::Executive];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Officer => "officer",
            Role::Executive => "executive",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(field, "Peran: admin, coordinator, officer, executive.", "Role: admin, coordinator, officer, executive.")
        })
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    pub fn actor_role(self) -> crate::lifecycle::ActorRole {
        use crate::lifecycle::ActorRole;
        match self {
            Role::Admin => ActorRole::Admin,
            Role::Coordinator => ActorRole::Coordinator,
            Role::Officer | Role::Executive => ActorRole::Officer,
        }
    }
}

/// An authenticated member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Public id of the account; `bootstrap` for the bootstrap admin token.
    pub id: String,
    pub role: Role,
    /// Set for every role but admin.
    pub agency: Option<String>,
    pub unit: Option<String>,
}

/// What staff can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffAction {
    /// The intake queue and intake actions (verify, hold, archive).
    Intake,
    /// Read a report (and its history) held by an agency.
    ReadAgencyReport,
    /// Route a report to a unit of the agency.
    Assign,
    /// Pass a report to another agency.
    Forward,
    /// Post a follow-up.
    Respond,
    /// Read an anonymous or other reporter's identity.
    ReadIdentity,
    /// Hide or restore public comments on a report.
    Moderate,
}

/// The answer to "may this principal do that to this report?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Wrong role: 403.
    Forbidden,
    /// Another agency's report: 404, as if it did not exist.
    NotFound,
}

impl Principal {
    pub fn bootstrap_admin() -> Self {
        Principal { id: "bootstrap".into(), role: Role::Admin, agency: None, unit: None }
    }

    /// May this principal do `action` on a report held by `report_agency`?
    pub fn may(&self, action: StaffAction, report_agency: Option<&str>) -> Decision {
        if self.role == Role::Admin {
            return Decision::Allow;
        }
        let own = report_agency.is_some() && report_agency == self.agency.as_deref();
        if matches!(action, StaffAction::Intake | StaffAction::ReadIdentity) {
            return Decision::Forbidden;
        }
        if !own {
            return Decision::NotFound;
        }
        let allowed = match action {
            StaffAction::ReadAgencyReport => true,
            StaffAction::Assign | StaffAction::Forward => self.role == Role::Coordinator,
            StaffAction::Respond | StaffAction::Moderate => matches!(self.role, Role::Coordinator | Role::Officer),
            StaffAction::Intake | StaffAction::ReadIdentity => false,
        };
        if allowed {
            Decision::Allow
        } else {
            Decision::Forbidden
        }
    }

    /// May this principal create an account with `role` for `agency`?
    pub fn may_create_staff(&self, role: Role, agency: Option<&str>) -> Decision {
        match self.role {
            Role::Admin => Decision::Allow,
            // A coordinator staffs its own agency, but never creates admins.
            Role::Coordinator if role != Role::Admin && agency.is_some() && agency == self.agency.as_deref() => Decision::Allow,
            _ => Decision::Forbidden,
        }
    }

    /// The viewer this principal is for privacy rules.
    pub fn viewer(&self) -> crate::privacy::Viewer {
        match (&self.role, &self.agency) {
            (Role::Admin, _) => crate::privacy::Viewer::Admin,
            (_, Some(agency)) => crate::privacy::Viewer::Agency(agency.clone()),
            (_, None) => crate::privacy::Viewer::Public,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role, agency: &str) -> Principal {
        Principal { id: "s1".into(), role, agency: Some(agency.into()), unit: None }
    }

    #[test]
    fn the_role_matrix() {
        use Decision::*;
        use StaffAction::*;
        let admin = Principal::bootstrap_admin();
        let cases: &[(Principal, StaffAction, Option<&str>, Decision)] = &[
            (admin.clone(), Intake, None, Allow),
            (admin.clone(), ReadIdentity, Some("a"), Allow),
            (admin.clone(), Forward, Some("b"), Allow),
            (staff(Role::Coordinator, "a"), Intake, None, Forbidden),
            (staff(Role::Coordinator, "a"), Assign, Some("a"), Allow),
            (staff(Role::Coordinator, "a"), Forward, Some("a"), Allow),
            (staff(Role::Coordinator, "a"), Respond, Some("a"), Allow),
            (staff(Role::Coordinator, "a"), Respond, Some("b"), NotFound),
            (staff(Role::Coordinator, "a"), ReadIdentity, Some("a"), Forbidden),
            (staff(Role::Officer, "a"), Respond, Some("a"), Allow),
            (staff(Role::Officer, "a"), Assign, Some("a"), Forbidden),
            (staff(Role::Officer, "a"), Forward, Some("a"), Forbidden),
            (staff(Role::Officer, "a"), ReadAgencyReport, Some("b"), NotFound),
            (staff(Role::Executive, "a"), ReadAgencyReport, Some("a"), Allow),
            (staff(Role::Executive, "a"), Respond, Some("a"), Forbidden),
            (staff(Role::Executive, "a"), ReadAgencyReport, None, NotFound),
        ];
        for (principal, action, agency, expected) in cases {
            assert_eq!(principal.may(*action, *agency), *expected, "{:?} {action:?} {agency:?}", principal.role);
        }
    }

    #[test]
    fn who_creates_whom() {
        let coordinator = staff(Role::Coordinator, "a");
        assert_eq!(coordinator.may_create_staff(Role::Officer, Some("a")), Decision::Allow);
        assert_eq!(coordinator.may_create_staff(Role::Officer, Some("b")), Decision::Forbidden);
        assert_eq!(coordinator.may_create_staff(Role::Admin, Some("a")), Decision::Forbidden);
        assert_eq!(staff(Role::Officer, "a").may_create_staff(Role::Officer, Some("a")), Decision::Forbidden);
        assert_eq!(Principal::bootstrap_admin().may_create_staff(Role::Admin, None), Decision::Allow);
    }

    #[test]
    fn viewers() {
        assert_eq!(Principal::bootstrap_admin().viewer(), crate::privacy::Viewer::Admin);
        assert_eq!(staff(Role::Executive, "a").viewer(), crate::privacy::Viewer::Agency("a".into()));
    }
}
