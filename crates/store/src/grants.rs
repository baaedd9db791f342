//! Role grants: who may act as `hr-admin`, `analyst` or `auditor`, recorded by an HR administrator (or
//! by the operator's command line, to bootstrap the first one) and audited. A token claiming such a
//! role is honoured only with a grant; the claim alone proves nothing about the holder.

use chrono::{DateTime, Utc};
use kinerja_domain::{Capability, Nip, Role, UnitCode};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::entity::{employee, role_grant, unit};
use crate::records::new_record_id;
use crate::workflow::{Actor, audit};
use crate::{Store, StoreError, StoreResult};

/// A role granted to an employee.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleGrantRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub nip: Nip,
    pub role: Role,
    /// The unit whose subtree the grant is limited to; `None` for the whole agency.
    pub unit: Option<UnitCode>,
    /// Who granted it; `None` when it was granted from the command line.
    pub granted_by: Option<Uuid>,
    pub granted_at: DateTime<Utc>,
}

/// The grant of `role` to the employee with `employee_id`, if any, with the path of the unit it is
/// limited to.
pub(crate) async fn grant_of(
    db: &impl ConnectionTrait,
    employee_id: Uuid,
    role: Role,
) -> StoreResult<Option<(role_grant::Model, Option<unit::Model>)>> {
    let Some(grant) = role_grant::Entity::find()
        .filter(role_grant::Column::EmployeeId.eq(employee_id))
        .filter(role_grant::Column::Role.eq(role.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let limited_to = match grant.unit_id {
        Some(id) => Some(unit::Entity::find_by_id(id).one(db).await?.ok_or_else(|| StoreError::missing("unit"))?),
        None => None,
    };
    Ok(Some((grant, limited_to)))
}

/// Refuses acting in `role` without a grant, naming how one is obtained.
pub(crate) fn no_grant(nip: &Nip, role: Role) -> StoreError {
    StoreError::Forbidden {
        reason: format!(
            "{nip} holds no grant of the role {role}; an HR administrator grants it (mutation grantRole, or \
             `kinerja role grant --nip {nip} --role {role}` on the server)"
        ),
    }
}

fn record(grant: role_grant::Model, nip: Nip, unit: Option<&unit::Model>) -> StoreResult<RoleGrantRecord> {
    let role = grant.role.parse::<Role>().map_err(|e| StoreError::Corrupt {
        table: "role_grants",
        id: grant.id.to_string(),
        reason: e.to_string(),
    })?;
    let unit = unit.map(|u| UnitCode::parse(&u.code)).transpose().map_err(StoreError::invalid)?;
    Ok(RoleGrantRecord {
        id: grant.id,
        employee_id: grant.employee_id,
        nip,
        role,
        unit,
        granted_by: grant.granted_by,
        granted_at: grant.granted_at,
    })
}

impl Store {
    /// Grants `role` to the employee with `nip`, over the whole agency or (for an analyst) the subtree
    /// of `unit`; a grant the employee already holds is replaced. `actor` is `None` for the command
    /// line, which bootstraps the first HR administrator.
    pub async fn grant_role(
        &self,
        actor: Option<&Actor>,
        nip: &Nip,
        role: Role,
        unit: Option<&UnitCode>,
    ) -> StoreResult<RoleGrantRecord> {
        if let Some(actor) = actor {
            Store::require(actor, Capability::GrantRoles)?;
        }
        let holder = self.actor(nip).await?.employee_id;
        let txn = self.write_txn().await?;
        let limited_to = match unit {
            Some(code) => {
                let row = unit::Entity::find()
                    .filter(unit::Column::Code.eq(code.as_str()))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("unit", code))?;
                // The root is the whole agency: no limit at all.
                row.parent_id.is_some().then_some(row)
            }
            None => None,
        };
        kinerja_domain::check_grant(role, limited_to.is_some()).map_err(StoreError::invalid)?;
        let before = grant_of(&txn, holder, role).await?;
        if let Some((previous, _)) = &before {
            role_grant::Entity::delete_by_id(previous.id).exec(&txn).await?;
        }
        let grant = role_grant::Model {
            id: new_record_id(),
            employee_id: holder,
            role: role.as_str().to_owned(),
            unit_id: limited_to.as_ref().map(|u| u.id),
            granted_by: actor.map(|a| a.employee_id),
            granted_at: Utc::now(),
        };
        role_grant::Entity::insert(grant.clone().into_active_model()).exec_without_returning(&txn).await?;
        let unit_json = |unit: Option<&unit::Model>| unit.map(|u| u.code.clone());
        audit(
            &txn,
            actor,
            "role.grant",
            "employee",
            holder,
            before.as_ref().map(|(_, unit)| json!({ "role": role.as_str(), "unit": unit_json(unit.as_ref()) })),
            Some(json!({ "role": role.as_str(), "unit": unit_json(limited_to.as_ref()) })),
        )
        .await?;
        txn.commit().await?;
        record(grant, nip.clone(), limited_to.as_ref())
    }

    /// Revokes the employee's grant of `role`. The last HR administrator's grant stays: without it
    /// nobody could grant roles again except from the server's command line.
    pub async fn revoke_role(&self, actor: Option<&Actor>, nip: &Nip, role: Role) -> StoreResult<()> {
        if let Some(actor) = actor {
            Store::require(actor, Capability::GrantRoles)?;
        }
        let holder = self.actor(nip).await?.employee_id;
        let txn = self.write_txn().await?;
        let (grant, limited_to) =
            grant_of(&txn, holder, role).await?.ok_or_else(|| StoreError::not_found("grant of the role", role))?;
        if role == Role::HrAdmin {
            let administrators =
                role_grant::Entity::find().filter(role_grant::Column::Role.eq(role.as_str())).count(&txn).await?;
            if administrators <= 1 {
                return Err(StoreError::FailedPrecondition(format!(
                    "{nip} is the last HR administrator; grant hr-admin to someone else before revoking it"
                )));
            }
        }
        role_grant::Entity::delete_by_id(grant.id).exec(&txn).await?;
        let unit = limited_to.map(|u| u.code);
        audit(
            &txn,
            actor,
            "role.revoke",
            "employee",
            holder,
            Some(json!({ "role": role.as_str(), "unit": unit })),
            None,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every grant, of one role or of all, by role and NIP. Only for callers who grant roles or read
    /// the audit log.
    pub async fn role_grants(&self, role: Option<Role>) -> StoreResult<Vec<RoleGrantRecord>> {
        if !(self.scope.permits(Capability::GrantRoles) || self.scope.permits(Capability::ReadAuditLog)) {
            let role = self.scope.role().unwrap_or(Role::Employee);
            return Err(StoreError::Forbidden {
                reason: format!(
                    "acting as {role} you may not read the role grants; that needs the role hr-admin or auditor"
                ),
            });
        }
        let mut query = role_grant::Entity::find();
        if let Some(role) = role {
            query = query.filter(role_grant::Column::Role.eq(role.as_str()));
        }
        let grants = query.all(&self.db).await?;
        let holders = employee::Entity::find()
            .filter(employee::Column::Id.is_in(grants.iter().map(|g| g.employee_id)))
            .all(&self.db)
            .await?;
        let units = unit::Entity::find()
            .filter(unit::Column::Id.is_in(grants.iter().filter_map(|g| g.unit_id)))
            .all(&self.db)
            .await?;
        let mut records = grants
            .into_iter()
            .map(|grant| {
                let holder = holders
                    .iter()
                    .find(|h| h.id == grant.employee_id)
                    .ok_or_else(|| StoreError::missing("employee"))?;
                let nip = Nip::parse(&holder.nip).map_err(StoreError::invalid)?;
                let unit = grant.unit_id.and_then(|id| units.iter().find(|u| u.id == id));
                record(grant, nip, unit)
            })
            .collect::<StoreResult<Vec<_>>>()?;
        records.sort_by(|a, b| (a.role.as_str(), a.nip.as_str()).cmp(&(b.role.as_str(), b.nip.as_str())));
        Ok(records)
    }
}
