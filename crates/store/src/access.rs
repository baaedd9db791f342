//! The caller's scope: which records the store's reads return. Every read a caller can reach filters
//! with these conditions in SQL, so a nested field or a batched lookup shows no more than the
//! top-level query would.

use kinerja_domain::{Capability, Nip, PartitionCell, PositionKind, Role, disclose};
use sea_orm::sea_query::{ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::entity::{employee, indicator, plan, position, rating_decision, realisation, unit, work_result};
use crate::org::subtree_employee_ids;
use crate::records::EmployeeRecord;
use crate::workflow::Actor;
use crate::{Store, StoreError, StoreResult};

/// Whose records a caller reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every record (HR, analysts, auditors, and the command-line tools).
    Everyone,
    /// The employee's own records.
    Own { employee: Uuid },
    /// The employee's own records and those of the employees they rate.
    OwnAndRated { employee: Uuid },
    /// The records of everyone in the subtree of the unit the employee heads, and of those they rate.
    Subtree { head: Uuid, path: String },
}

/// What a caller may read: their reach, their role (none for the command-line tools, which see all),
/// and the smallest group an aggregate may describe to someone outside it.
#[derive(Debug, Clone)]
pub struct Scope {
    reach: Reach,
    role: Option<Role>,
    min_group: u32,
}

impl Scope {
    /// Unrestricted: the command-line tools and the store's own work.
    pub fn unrestricted() -> Self {
        Self { reach: Reach::Everyone, role: None, min_group: 1 }
    }

    /// An anonymous caller's: no record at all, no capability beyond an employee's, no aggregate. The
    /// gateway uses it for requests that read only the schema.
    pub fn nobody() -> Self {
        Self { reach: Reach::Own { employee: Uuid::nil() }, role: Some(Role::Employee), min_group: u32::MAX }
    }

    pub fn reach(&self) -> &Reach {
        &self.reach
    }

    pub fn role(&self) -> Option<Role> {
        self.role
    }

    /// The smallest group a figure may describe to someone outside it.
    pub fn min_group(&self) -> u32 {
        self.min_group
    }

    /// Whether names, NIPs and free text must be masked in what this caller reads.
    pub fn masks_personal_data(&self) -> bool {
        self.role.is_some_and(Role::sees_masked_records)
    }

    /// The column lists of people are ordered by: the NIP, or for callers who read records masked the
    /// record's id, since NIP order is birth order and would tell the people of a page apart.
    pub(crate) fn person_order(&self) -> employee::Column {
        if self.masks_personal_data() { employee::Column::Id } else { employee::Column::Nip }
    }

    /// Whether the caller's role carries a capability (the tools carry every one).
    pub fn permits(&self, capability: Capability) -> bool {
        self.role.is_none_or(|role| role.may(capability))
    }

    /// Whether an aggregate over `size` people of the unit with `unit_path` may be shown: in full to a
    /// caller whose reach covers the unit, otherwise only for groups of at least the minimum size.
    pub fn may_see_group(&self, unit_path: &str, size: u64) -> bool {
        self.covers_unit(unit_path) || size >= u64::from(self.min_group)
    }

    /// Which cells of a partition may be shown, each given by the path of its unit and the number of
    /// people it covers, by [`disclose`]: what is withheld outside the caller's reach covers nobody or
    /// at least the minimum group, since the total less the shown cells would give it away.
    pub fn disclosed(&self, cells: &[(&str, u64)]) -> Vec<bool> {
        let cells: Vec<PartitionCell> = cells
            .iter()
            .map(|(path, people)| PartitionCell { outside: !self.covers_unit(path), people: *people })
            .collect();
        disclose(&cells, u64::from(self.min_group))
    }

    /// Whether a figure counted only over records within the caller's reach may be shown: always, but
    /// to an analyst (whose reach is masked) only over at least the minimum group.
    pub fn may_see_within_reach(&self, size: u64) -> bool {
        !self.masks_personal_data() || size >= u64::from(self.min_group)
    }

    /// Whether the caller reaches every unmasked record of the unit with `unit_path`.
    pub fn covers_unit(&self, unit_path: &str) -> bool {
        !self.masks_personal_data()
            && match &self.reach {
                Reach::Everyone => true,
                Reach::Subtree { path, .. } => unit_path.starts_with(path.as_str()),
                Reach::Own { .. } | Reach::OwnAndRated { .. } => false,
            }
    }

    /// Whether an aggregate over `size` people drawn from the whole agency may be shown.
    pub fn may_see_agency_group(&self, size: u64) -> bool {
        self.may_see_group("/", size)
    }

    /// The condition on a column holding an employee id: the employees this caller may see. Besides
    /// those in reach, everyone sees their own raters and superior (who they are, not their records).
    pub(crate) fn employee_condition(&self, column: impl ColumnTrait) -> Option<SimpleExpr> {
        let me = match &self.reach {
            Reach::Everyone => return None,
            Reach::Own { employee } | Reach::OwnAndRated { employee } | Reach::Subtree { head: employee, .. } => {
                *employee
            }
        };
        let raters_of_mine = Query::select()
            .column(plan::Column::RaterId)
            .from(plan::Entity)
            .and_where(plan::Column::EmployeeId.eq(me))
            .to_owned();
        let my_superior = Query::select()
            .column(employee::Column::SuperiorId)
            .from(employee::Entity)
            .and_where(employee::Column::Id.eq(me))
            .to_owned();
        let mut condition = column.eq(me).or(column.in_subquery(raters_of_mine)).or(column.in_subquery(my_superior));
        if matches!(self.reach, Reach::OwnAndRated { .. } | Reach::Subtree { .. }) {
            condition = condition.or(column.in_subquery(rated_by(me)));
        }
        if let Reach::Subtree { path, .. } = &self.reach {
            condition = condition.or(column.in_subquery(subtree_employee_ids(path)));
        }
        Some(condition)
    }

    /// The condition on a column holding an employee id: the employees whose own records (development,
    /// activity) this caller may read — the employees in reach, without the raters and superior whose
    /// identity everyone may see.
    pub(crate) fn record_owner_condition(&self, column: impl ColumnTrait) -> Option<SimpleExpr> {
        match &self.reach {
            Reach::Everyone => None,
            Reach::Own { employee } => Some(column.eq(*employee)),
            Reach::OwnAndRated { employee } => Some(column.eq(*employee).or(column.in_subquery(rated_by(*employee)))),
            Reach::Subtree { head, path } => {
                Some(column.in_subquery(subtree_employee_ids(path)).or(column.in_subquery(rated_by(*head))))
            }
        }
    }

    /// The ids of the plans this caller may see, or `None` for all.
    pub(crate) fn plan_ids(&self) -> Option<SelectStatement> {
        let condition = match &self.reach {
            Reach::Everyone => return None,
            Reach::Own { employee } => plan::Column::EmployeeId.eq(*employee),
            Reach::OwnAndRated { employee } => {
                plan::Column::EmployeeId.eq(*employee).or(plan::Column::RaterId.eq(*employee))
            }
            Reach::Subtree { head, path } => {
                plan::Column::EmployeeId.in_subquery(subtree_employee_ids(path)).or(plan::Column::RaterId.eq(*head))
            }
        };
        Some(Query::select().column(plan::Column::Id).from(plan::Entity).and_where(condition).to_owned())
    }

    /// The ids of the work results of visible plans.
    pub(crate) fn work_result_ids(&self) -> Option<SelectStatement> {
        self.plan_ids().map(|plans| {
            Query::select()
                .column(work_result::Column::Id)
                .from(work_result::Entity)
                .and_where(work_result::Column::PlanId.in_subquery(plans))
                .to_owned()
        })
    }

    /// The ids of the work results of visible plans and of the rater's work results they cascade from
    /// (an employee sees what their own work result intervenes).
    pub(crate) fn cascade_work_result_ids(&self) -> Option<SelectStatement> {
        let plans = self.plan_ids()?;
        let parents = Query::select()
            .column(work_result::Column::ParentId)
            .from(work_result::Entity)
            .and_where(work_result::Column::PlanId.in_subquery(plans.clone()))
            .to_owned();
        Some(
            Query::select()
                .column(work_result::Column::Id)
                .from(work_result::Entity)
                .and_where(
                    work_result::Column::PlanId.in_subquery(plans).or(work_result::Column::Id.in_subquery(parents)),
                )
                .to_owned(),
        )
    }

    /// The ids of the indicators of visible plans.
    pub(crate) fn indicator_ids(&self) -> Option<SelectStatement> {
        self.work_result_ids().map(|results| {
            Query::select()
                .column(indicator::Column::Id)
                .from(indicator::Entity)
                .and_where(indicator::Column::WorkResultId.in_subquery(results))
                .to_owned()
        })
    }

    /// The ids of the realisations of visible plans.
    pub(crate) fn realisation_ids(&self) -> Option<SelectStatement> {
        self.indicator_ids().map(|indicators| {
            Query::select()
                .column(realisation::Column::Id)
                .from(realisation::Entity)
                .and_where(realisation::Column::IndicatorId.in_subquery(indicators))
                .to_owned()
        })
    }

    /// The ids of the rating decisions on visible plans.
    pub(crate) fn decision_ids(&self) -> Option<SelectStatement> {
        self.plan_ids().map(|plans| {
            Query::select()
                .column(rating_decision::Column::Id)
                .from(rating_decision::Entity)
                .and_where(rating_decision::Column::PlanId.in_subquery(plans))
                .to_owned()
        })
    }
}

fn rated_by(rater: Uuid) -> SelectStatement {
    Query::select()
        .column(plan::Column::EmployeeId)
        .from(plan::Entity)
        .and_where(plan::Column::RaterId.eq(rater))
        .to_owned()
}

/// Narrows a query to what a scope allows.
pub(crate) trait Visible: QueryFilter + Sized {
    /// Keeps rows whose `column` (an id) is among those `ids` selects; all rows when `ids` is `None`.
    fn within(self, column: impl ColumnTrait, ids: Option<SelectStatement>) -> Self {
        match ids {
            Some(ids) => self.filter(column.in_subquery(ids)),
            None => self,
        }
    }

    /// Keeps rows whose employee `column` the scope may see.
    fn visible_employees(self, scope: &Scope, column: impl ColumnTrait) -> Self {
        match scope.employee_condition(column) {
            Some(condition) => self.filter(condition),
            None => self,
        }
    }
}

impl<Q: QueryFilter> Visible for Q {}

/// Narrows a query to the rows of employees whose own records the scope may read.
pub(crate) trait OwnedRecords: QueryFilter + Sized {
    fn records_in_scope(self, scope: &Scope, column: impl ColumnTrait) -> Self {
        match scope.record_owner_condition(column) {
            Some(condition) => self.filter(condition),
            None => self,
        }
    }
}

impl<Q: QueryFilter> OwnedRecords for Q {}

impl Store {
    /// The same store, reading only what `scope` allows.
    pub fn scoped(&self, scope: Scope) -> Store {
        Store { scope: std::sync::Arc::new(scope), ..self.clone() }
    }

    /// The scope this handle reads with.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The acting employee in a role, with the scope of that role. A unit head must hold the managerial
    /// position of a unit; an HR administrator, analyst or auditor a grant of the role; `min_group` is the smallest group an aggregate may describe to outsiders.
    pub async fn access(&self, nip: &Nip, role: Role, min_group: u32) -> StoreResult<(Actor, Scope)> {
        let row = employee::Entity::find()
            .filter(employee::Column::Nip.eq(nip.as_str()))
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("employee with NIP", nip))?;
        let reach = match role {
            Role::Employee => Reach::Own { employee: row.id },
            Role::Rater => Reach::OwnAndRated { employee: row.id },
            Role::UnitHead => {
                if !crate::org::is_managerial_position(&self.db, row.position_id).await? {
                    return Err(StoreError::Forbidden {
                        reason: format!("{nip} holds no managerial position, so cannot act as unit head"),
                    });
                }
                let unit = unit::Entity::find_by_id(row.unit_id)
                    .one(&self.db)
                    .await?
                    .ok_or_else(|| StoreError::not_found("unit", row.unit_id))?;
                Reach::Subtree { head: row.id, path: unit.path }
            }
            Role::HrAdmin | Role::Analyst | Role::Auditor => {
                match crate::grants::grant_of(&self.db, row.id, role)
                    .await?
                    .ok_or_else(|| crate::grants::no_grant(nip, role))?
                {
                    (_, Some(limited_to)) => Reach::Subtree { head: row.id, path: limited_to.path },
                    (_, None) => Reach::Everyone,
                }
            }
        };
        let actor = Actor { employee_id: row.id, nip: nip.clone(), role: Some(role) };
        Ok((actor, Scope { reach, role: Some(role), min_group: Ord::max(min_group, 1) }))
    }

    /// The head of a unit: its member in a managerial position (the first by NIP, should there be two).
    pub async fn unit_head(&self, code: &kinerja_domain::UnitCode) -> StoreResult<EmployeeRecord> {
        let unit = self.unit_by_code(code).await?;
        let members = employee::Entity::find()
            .filter(employee::Column::UnitId.eq(unit.id))
            .order_by_asc(employee::Column::Nip)
            .all(&self.db)
            .await?;
        let positions = position::Entity::find()
            .filter(position::Column::Id.is_in(members.iter().map(|m| m.position_id)))
            .all(&self.db)
            .await?;
        let managerial = |position_id: Uuid| {
            positions
                .iter()
                .find(|p| p.id == position_id)
                .and_then(|p| p.kind.parse::<PositionKind>().ok())
                .is_some_and(PositionKind::is_managerial)
        };
        members
            .into_iter()
            .find(|member| managerial(member.position_id))
            .ok_or_else(|| StoreError::not_found("head of unit", code))?
            .try_into()
    }

    /// Refuses a change the acting role does not carry.
    pub(crate) fn require(actor: &Actor, capability: Capability) -> StoreResult<()> {
        match actor.role {
            Some(role) if !role.may(capability) => Err(StoreError::Forbidden { reason: capability.refusal(role) }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyst() -> Scope {
        Scope { reach: Reach::Everyone, role: Some(Role::Analyst), min_group: 5 }
    }

    #[test]
    fn cells_within_reach_are_shown_and_the_rest_follow_the_partition_rule() {
        let cells = |sizes: &[u64]| sizes.iter().map(|&n| ("/city/", n)).collect::<Vec<_>>();
        assert_eq!(analyst().disclosed(&cells(&[9, 1, 12])), [false, false, true], "the 9 would reveal the 1");
        let admin = Scope { reach: Reach::Everyone, role: Some(Role::HrAdmin), min_group: 5 };
        assert_eq!(admin.disclosed(&cells(&[9, 1, 12])), [true, true, true], "within reach, everything");
        let head = Scope {
            reach: Reach::Subtree { head: Uuid::nil(), path: "/city/a/".into() },
            role: Some(Role::UnitHead),
            min_group: 5,
        };
        let mixed = [("/city/a/", 1), ("/city/b/", 2), ("/city/c/", 8)];
        assert_eq!(
            head.disclosed(&mixed),
            [true, false, false],
            "the own unit in full; the outsiders' lone cell is covered"
        );
        assert!(
            !analyst().may_see_within_reach(4) && analyst().may_see_within_reach(5) && admin.may_see_within_reach(1)
        );
    }
}
