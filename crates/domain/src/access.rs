//! Who may do what: the roles a caller acts in and the capabilities each role carries. Which records a
//! role reaches (its scope in the organisation tree) is decided where the records are read.

use std::fmt;
use std::str::FromStr;

/// The role a caller acts in, as their token names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Their own plans, realisations and feedback.
    Employee,
    /// The plans and evaluations of the employees they rate, and their own.
    Rater,
    /// Everything in the subtree of the unit they head.
    UnitHead,
    /// The whole agency, its reference data and integrations.
    HrAdmin,
    /// Aggregates over everyone; records only with names, NIPs and free text masked.
    Analyst,
    /// Everything, read-only, including the audit log.
    Auditor,
}

/// Something a role may be allowed to do. The store still checks the caller's relation to the record
/// (the plan's owner, its rater, the unit's head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Draft and submit a plan, record realisations, file objections, record dialogues; plan one's
    /// development, answer colleagues' requests for feedback, send appreciations.
    EditPlans,
    /// Approve, return or reopen plans; give feedback; ask colleagues for feedback; agree development
    /// goals; decide ratings and objections.
    Rate,
    /// Finalise the year of the unit one heads.
    FinaliseUnit,
    /// Map indicators to activity kinds and feed activity records.
    ManageIntegrations,
    /// Read the audit log across entities.
    ReadAuditLog,
    /// Plan, complete and close training needs, and derive them again.
    ManageDevelopment,
    /// Set the organisation predikat (predikat kinerja organisasi) of a perangkat daerah for a year.
    RateOrganisation,
    /// Grant and revoke the roles that need a grant (see [`Role::needs_grant`]).
    GrantRoles,
}

impl Capability {
    pub const ALL: [Capability; 8] = [
        Capability::EditPlans,
        Capability::Rate,
        Capability::FinaliseUnit,
        Capability::ManageIntegrations,
        Capability::ReadAuditLog,
        Capability::ManageDevelopment,
        Capability::RateOrganisation,
        Capability::GrantRoles,
    ];

    /// What the capability lets one do, in words that complete "… may …".
    pub fn describe(self) -> &'static str {
        match self {
            Capability::EditPlans => {
                "draft plans, record realisations, file objections, plan one's development and send appreciations"
            }
            Capability::Rate => {
                "approve plans, give feedback, ask colleagues for feedback, agree development goals and decide ratings and objections"
            }
            Capability::FinaliseUnit => "finalise the year of a unit",
            Capability::ManageIntegrations => "import records and feed activity data",
            Capability::ReadAuditLog => "read the audit log",
            Capability::ManageDevelopment => "manage training needs and record development done",
            Capability::RateOrganisation => "set the organisation predikat of a perangkat daerah",
            Capability::GrantRoles => "grant or revoke the roles hr-admin, analyst and auditor",
        }
    }

    /// The roles that carry the capability, as they are written in tokens.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|role| role.may(self)).collect()
    }

    /// Why `role` is refused, naming the roles that may do it instead.
    pub fn refusal(self, role: Role) -> String {
        let holders: Vec<&str> = self.roles().into_iter().map(Role::as_str).collect();
        format!("acting as {role} you may not {}; that needs the role {}", self.describe(), holders.join(" or "))
    }
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Employee, Role::Rater, Role::UnitHead, Role::HrAdmin, Role::Analyst, Role::Auditor];

    /// Whether the role carries the capability.
    pub fn may(self, capability: Capability) -> bool {
        use Capability::*;
        match self {
            Role::Employee => matches!(capability, EditPlans),
            Role::Rater => matches!(capability, EditPlans | Rate),
            Role::UnitHead => matches!(capability, EditPlans | Rate | FinaliseUnit | ManageDevelopment),
            Role::HrAdmin => {
                matches!(
                    capability,
                    EditPlans | ManageIntegrations | ReadAuditLog | ManageDevelopment | RateOrganisation | GrantRoles
                )
            }
            Role::Analyst => false,
            Role::Auditor => matches!(capability, ReadAuditLog),
        }
    }

    /// Whether acting in the role needs a grant recorded by an HR administrator. The other roles follow
    /// from the register: everyone is an employee, a rater rates whom their plans name, a unit head
    /// holds a managerial position.
    pub fn needs_grant(self) -> bool {
        matches!(self, Role::HrAdmin | Role::Analyst | Role::Auditor)
    }

    /// Whether a grant of the role may be limited to the subtree of a unit. An HR administrator's and an
    /// auditor's work (imports, the audit log) spans the agency, so their grants do too.
    pub fn grant_may_be_limited(self) -> bool {
        self == Role::Analyst
    }

    /// Whether records reach this role only with personal data masked.
    pub fn sees_masked_records(self) -> bool {
        self == Role::Analyst
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Rater => "rater",
            Role::UnitHead => "unit-head",
            Role::HrAdmin => "hr-admin",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a role cannot be granted as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    #[error("role: {0} needs no grant; it follows from the register (grants are for hr-admin, analyst and auditor)")]
    NotGranted(Role),
    #[error("unitCode: a grant of {0} covers the whole agency and cannot be limited to a unit; only an analyst's can")]
    NotLimitable(Role),
}

/// Checks a grant of `role`, limited to a unit's subtree or not, against [`Role::needs_grant`] and
/// [`Role::grant_may_be_limited`].
pub fn check_grant(role: Role, limited: bool) -> Result<(), GrantError> {
    if !role.needs_grant() {
        return Err(GrantError::NotGranted(role));
    }
    if limited && !role.grant_may_be_limited() {
        return Err(GrantError::NotLimitable(role));
    }
    Ok(())
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected one of employee, rater, unit-head, hr-admin, analyst, auditor")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|role| role.as_str() == text).ok_or_else(|| UnknownRole(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        let error = "admin".parse::<Role>().unwrap_err().to_string();
        assert!(error.contains("\"admin\"") && error.contains("hr-admin"), "{error}");
    }

    #[test]
    fn readers_of_aggregates_and_logs_change_nothing() {
        for capability in [Capability::EditPlans, Capability::Rate, Capability::FinaliseUnit] {
            assert!(!Role::Analyst.may(capability) && !Role::Auditor.may(capability));
        }
        assert!(Role::Auditor.may(Capability::ReadAuditLog));
        assert!(!Role::Employee.may(Capability::Rate), "an employee cannot rate");
        assert!(Role::Rater.may(Capability::Rate) && !Role::Rater.may(Capability::FinaliseUnit));
    }

    #[test]
    fn only_roles_beyond_ones_own_work_need_a_grant() {
        let granted: Vec<Role> = Role::ALL.into_iter().filter(|role| role.needs_grant()).collect();
        assert_eq!(granted, [Role::HrAdmin, Role::Analyst, Role::Auditor]);
        assert!(Role::HrAdmin.may(Capability::GrantRoles) && !Role::Auditor.may(Capability::GrantRoles));
        assert!(Role::Analyst.grant_may_be_limited() && !Role::HrAdmin.grant_may_be_limited());
        assert_eq!(check_grant(Role::Employee, false), Err(GrantError::NotGranted(Role::Employee)));
        assert_eq!(check_grant(Role::Auditor, true), Err(GrantError::NotLimitable(Role::Auditor)));
        assert_eq!(check_grant(Role::Analyst, true), Ok(()));
    }

    #[test]
    fn a_refusal_names_the_roles_that_may() {
        let refusal = Capability::Rate.refusal(Role::Employee);
        assert!(refusal.contains("acting as employee") && refusal.contains("rater or unit-head"), "{refusal}");
        for capability in Capability::ALL {
            assert!(!capability.roles().is_empty(), "{capability:?} is held by some role");
        }
    }
}
