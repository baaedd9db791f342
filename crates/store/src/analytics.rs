//! Aggregates for dashboards and analysts, computed in the database and withheld where a group is too
//! small for the caller to see.

use kinerja_domain::{Period, Predikat};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, DatabaseBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::access::OwnedRecords;
use crate::entity::{employee, evaluation, plan, position};
use crate::org::subtree_unit_ids;
use crate::records::UnitRecord;
use crate::{Store, StoreError, StoreResult};

/// What employees are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    PositionKind,
    Rank,
    EmploymentType,
    Sex,
    /// Age at the end of the period's year: under 30, 30–39, 40–49, 50 and over.
    AgeBand,
}

/// The predikat counts of one group, or `None` when the group is too small for the caller to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPredikat {
    pub group: String,
    /// Counts in the order of [`Predikat::ALL`].
    pub counts: Option<[u32; 5]>,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct GroupCount {
    grp: String,
    predikat: String,
    n: i64,
}

impl Store {
    /// The predikat of the period's evaluations in a unit's subtree, by group of employees, groups in
    /// name order. A group smaller than the minimum group size is withheld from callers whose scope does
    /// not cover the unit and from analysts.
    pub async fn predikat_by_group(
        &self,
        unit: &UnitRecord,
        period: Period,
        grouping: Grouping,
    ) -> StoreResult<Vec<GroupPredikat>> {
        let path = self.unit_path(unit).await?;
        let year = period.year();
        let postgres = self.db.get_database_backend() == DatabaseBackend::Postgres;
        let birth_year = if postgres {
            "CAST(EXTRACT(YEAR FROM employees.birth_date) AS INTEGER)"
        } else {
            "CAST(substr(employees.birth_date, 1, 4) AS INTEGER)"
        };
        let group = match grouping {
            Grouping::PositionKind => "positions.kind".to_owned(),
            Grouping::Rank => "employees.rank".to_owned(),
            Grouping::EmploymentType => "employees.employment_type".to_owned(),
            Grouping::Sex => "employees.sex".to_owned(),
            Grouping::AgeBand => format!(
                "CASE WHEN {year} - {birth_year} < 30 THEN 'under_30' WHEN {year} - {birth_year} < 40 THEN '30_39' \
                 WHEN {year} - {birth_year} < 50 THEN '40_49' ELSE '50_and_over' END"
            ),
        };
        let mut select = evaluation::Entity::find();
        QueryTrait::query(&mut select)
            .inner_join(
                plan::Entity,
                Expr::col((plan::Entity, plan::Column::Id)).equals((evaluation::Entity, evaluation::Column::PlanId)),
            )
            .inner_join(
                employee::Entity,
                Expr::col((employee::Entity, employee::Column::Id)).equals((plan::Entity, plan::Column::EmployeeId)),
            )
            .inner_join(
                position::Entity,
                Expr::col((position::Entity, position::Column::Id))
                    .equals((employee::Entity, employee::Column::PositionId)),
            );
        let rows = select
            .select_only()
            .column_as(Expr::cust(group.clone()), "grp")
            .column(evaluation::Column::Predikat)
            .column_as(Expr::expr(Func::count(Expr::col((evaluation::Entity, evaluation::Column::Id)))), "n")
            .filter(evaluation::Column::Period.eq(period.to_string()))
            .filter(Expr::col((employee::Entity, employee::Column::UnitId)).in_subquery(subtree_unit_ids(&path)))
            .records_in_scope(&self.scope, employee::Column::Id)
            .group_by(Expr::cust(group))
            .group_by(evaluation::Column::Predikat)
            .into_model::<GroupCount>()
            .all(&self.db)
            .await?;
        let mut groups: std::collections::BTreeMap<String, [u32; 5]> = std::collections::BTreeMap::new();
        for row in rows {
            let predikat: Predikat = row.predikat.parse().map_err(|e| StoreError::Corrupt {
                table: "evaluations",
                id: row.predikat.clone(),
                reason: format!("{e}"),
            })?;
            let slot = Predikat::ALL.iter().position(|p| *p == predikat).unwrap_or_default();
            groups.entry(row.grp).or_default()[slot] += u32::try_from(row.n).unwrap_or(u32::MAX);
        }
        Ok(groups
            .into_iter()
            .map(|(group, counts)| {
                let size = counts.iter().map(|&n| u64::from(n)).sum();
                GroupPredikat { group, counts: self.scope.may_see_group(&path, size).then_some(counts) }
            })
            .collect())
    }
}
