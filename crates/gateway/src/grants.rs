//! Role grants in the API: who holds `hr-admin`, `analyst` or `auditor`, and over what.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use kinerja_store::RoleGrantRecord;

use crate::error::OrGraphqlError;
use crate::loaders::EmployeeById;
use crate::scalars::DateTime;
use crate::types::{Employee, loader};
use crate::viewer::Role;

/// A grant of a role that reaches beyond one's own work. Tokens claiming `hr-admin`, `analyst` or
/// `auditor` are honoured only for holders of a grant.
pub(crate) struct RoleGrant(pub(crate) RoleGrantRecord);

#[Object]
impl RoleGrant {
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    async fn employee(&self, ctx: &Context<'_>) -> Result<Employee> {
        Ok(Employee(
            loader(ctx)
                .load_one(EmployeeById(self.0.employee_id))
                .await
                .or_graphql()?
                .ok_or_else(|| crate::error::not_found("the employee holding the grant is outside your reach"))?,
        ))
    }

    /// The unit whose subtree the grant is limited to; null for the whole agency.
    async fn unit_code(&self) -> Option<String> {
        self.0.unit.as_ref().map(ToString::to_string)
    }

    async fn granted_at(&self) -> DateTime {
        DateTime(self.0.granted_at)
    }
}

#[derive(InputObject)]
pub(crate) struct GrantRoleInput {
    /// The employee who is to hold the role.
    pub(crate) nip: String,
    /// `HR_ADMIN`, `ANALYST` or `AUDITOR`.
    pub(crate) role: Role,
    /// Limits an analyst's grant to the subtree of this unit; the others cover the agency.
    pub(crate) unit_code: Option<String>,
}

#[derive(InputObject)]
pub(crate) struct RevokeRoleInput {
    pub(crate) nip: String,
    pub(crate) role: Role,
}

#[derive(SimpleObject)]
pub(crate) struct GrantRolePayload {
    pub(crate) grant: RoleGrant,
}

#[derive(SimpleObject)]
pub(crate) struct RevokeRolePayload {
    /// The NIP whose grant was revoked.
    pub(crate) nip: String,
    pub(crate) role: Role,
}
