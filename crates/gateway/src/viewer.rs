//! `viewer`: who the caller is and what they may reach, so that a dashboard can start from its token
//! alone.

use async_graphql::{Context, Enum, Object, Result};
use kinerja_domain as domain;
use kinerja_store::{Actor, Reach, Store};

use crate::error::{OrGraphqlError, internal, unauthenticated};
use crate::loaders::{EmployeeById, UnitById};
use crate::types::{Employee, Unit, loader};

/// The role a token acts in.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Role")]
pub(crate) enum Role {
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

/// Something a role may do.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::Capability")]
pub(crate) enum Capability {
    /// Draft and submit a plan, record realisations, file objections, record dialogues.
    EditPlans,
    /// Approve, return or reopen plans; give feedback; decide ratings and objections.
    Rate,
    /// Finalise the year of the unit one heads.
    FinaliseUnit,
    /// Map indicators to activity kinds and feed activity records.
    ManageIntegrations,
    /// Read the audit log across entities.
    ReadAuditLog,
    /// Plan, complete and close training needs, and derive them again.
    ManageDevelopment,
    /// Set the organisation predikat of a perangkat daerah for a year.
    RateOrganisation,
    /// Grant and revoke the roles hr-admin, analyst and auditor.
    GrantRoles,
}

/// Whose records a caller reaches.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReachKind {
    /// Every record of the agency.
    Everyone,
    /// The caller's own records.
    Own,
    /// The caller's own records and those of the employees they rate.
    OwnAndRated,
    /// Everyone in the subtree of the unit the caller heads, and those they rate.
    Subtree,
}

pub(crate) struct Viewer {
    actor: Actor,
}

impl Viewer {
    pub(crate) fn of(ctx: &Context<'_>) -> Result<Self> {
        let actor = ctx.data_opt::<Actor>().ok_or_else(|| unauthenticated("viewer needs a bearer token"))?;
        Ok(Self { actor: actor.clone() })
    }
}

/// The caller: the employee their token names, the role it acts in, and what that lets them do.
#[Object]
impl Viewer {
    async fn employee(&self, ctx: &Context<'_>) -> Result<Employee> {
        let record = loader(ctx).load_one(EmployeeById(self.actor.employee_id)).await.or_graphql()?;
        record.map(Employee).ok_or_else(|| internal(format!("the caller {} has no employee record", self.actor.nip)))
    }

    /// Requests for feedback on a colleague's behaviour sent to the caller, open ones first.
    async fn feedback_requests(&self, ctx: &Context<'_>) -> Result<Vec<crate::growth::FeedbackRequest>> {
        crate::growth::feedback_requests_to(ctx, self.actor.employee_id).await
    }

    /// The role of the token; a token acts in one role.
    async fn role(&self) -> Option<Role> {
        self.actor.role.map(Role::from)
    }

    /// What the role may do (the store still checks the caller's relation to each record).
    async fn capabilities(&self) -> Vec<Capability> {
        let role = self.actor.role;
        domain::Capability::ALL
            .into_iter()
            .filter(|capability| role.is_none_or(|role| role.may(*capability)))
            .map(Capability::from)
            .collect()
    }

    async fn reach(&self, ctx: &Context<'_>) -> ViewerReach {
        ViewerReach { reach: ctx.data_unchecked::<Store>().scope().reach().clone() }
    }

    /// Whether names, NIPs and free text reach the caller masked.
    async fn masked(&self, ctx: &Context<'_>) -> bool {
        ctx.data_unchecked::<Store>().scope().masks_personal_data()
    }
}

pub(crate) struct ViewerReach {
    reach: Reach,
}

/// Whose records the caller reaches.
#[Object(name = "Reach")]
impl ViewerReach {
    async fn kind(&self) -> ReachKind {
        match self.reach {
            Reach::Everyone => ReachKind::Everyone,
            Reach::Own { .. } => ReachKind::Own,
            Reach::OwnAndRated { .. } => ReachKind::OwnAndRated,
            Reach::Subtree { .. } => ReachKind::Subtree,
        }
    }

    /// For SUBTREE, the unit whose subtree it is: the unit the caller heads, or the unit an analyst's
    /// grant is limited to.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Reach::Subtree { path, .. } = &self.reach else { return Ok(None) };
        // The path's last segment is the subtree's own unit.
        let Some(id) = path.trim_end_matches('/').rsplit('/').next().and_then(|id| id.parse().ok()) else {
            return Ok(None);
        };
        Ok(loader(ctx).load_one(UnitById(id)).await.or_graphql()?.map(Unit))
    }
}
