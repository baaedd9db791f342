//! Aggregates for dashboards and analysts, computed in the database and withheld where a group is too
//! small for the caller to see.

use std::collections::BTreeMap;

use kinerja_domain::{Aspect, Period, Predikat, merge_withheld};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, DatabaseBackend, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Statement,
};
use uuid::Uuid;

use crate::access::OwnedRecords;
use crate::entity::{employee, evaluation, indicator_achievement, plan, position};
use crate::org::{path_ids, subtree_employee_ids, subtree_unit_ids};
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
    /// The SQL expression of a grouping over the `employees` and `positions` tables.
    fn group_expression(&self, grouping: Grouping, year: i32) -> String {
        let postgres = self.db.get_database_backend() == DatabaseBackend::Postgres;
        let birth_year = if postgres {
            "CAST(EXTRACT(YEAR FROM employees.birth_date) AS INTEGER)"
        } else {
            "CAST(substr(employees.birth_date, 1, 4) AS INTEGER)"
        };
        match grouping {
            Grouping::PositionKind => "positions.kind".to_owned(),
            Grouping::Rank => "employees.rank".to_owned(),
            Grouping::EmploymentType => "employees.employment_type".to_owned(),
            Grouping::Sex => "employees.sex".to_owned(),
            Grouping::AgeBand => format!(
                "CASE WHEN {year} - {birth_year} < 30 THEN 'under_30' WHEN {year} - {birth_year} < 40 THEN '30_39' \
                 WHEN {year} - {birth_year} < 50 THEN '40_49' ELSE '50_and_over' END"
            ),
        }
    }

    /// The mean achievement by dimension of each group of employees in a unit's subtree in a period,
    /// groups in name order; the groups too small for the caller come back as one, with no means, named
    /// [`kinerja_domain::WITHHELD_GROUPS`].
    pub async fn dimensions_by_group(
        &self,
        unit: &UnitRecord,
        period: Period,
        grouping: Grouping,
    ) -> StoreResult<Vec<(String, Option<Vec<AspectMean>>)>> {
        let path = self.unit_path(unit).await?;
        let group = self.group_expression(grouping, period.year());
        let sql = format!(
            "SELECT {group} AS grp, a.aspect AS aspect, CAST(AVG(a.achievement) AS DOUBLE PRECISION) AS mean,
               COUNT(DISTINCT a.employee_id) AS people, COUNT(*) AS indicators
             FROM indicator_achievements a
             JOIN employees ON employees.id = a.employee_id
             JOIN positions ON positions.id = employees.position_id
             JOIN units u ON u.id = employees.unit_id
             WHERE a.period = $1 AND a.achievement IS NOT NULL AND u.path LIKE $2
             GROUP BY {group}, a.aspect
             ORDER BY 1, 2"
        );
        let rows = AspectRow::find_by_statement(
            self.statement(&sql, vec![period.to_string().into(), format!("{path}%").into()]),
        )
        .all(&self.db)
        .await?;
        let mut groups: BTreeMap<String, Vec<AspectMean>> = BTreeMap::new();
        for row in rows {
            let (group, mean) = row.mean()?;
            groups.entry(group).or_default().push(mean);
        }
        let cells = groups.into_iter().map(|(group, means)| (path.clone(), group, means)).collect();
        Ok(merge_withheld(
            self.disclosed_means(cells)
                .into_iter()
                .map(|(group, means)| (group, (!means.is_empty()).then_some(means)))
                .collect(),
        ))
    }

    /// The predikat of the period's evaluations in a unit's subtree, by group of employees, groups in
    /// name order. A group smaller than the minimum group size is withheld from callers whose scope does
    /// not cover the unit and from analysts; the withheld groups come back as one, named
    /// [`kinerja_domain::WITHHELD_GROUPS`].
    pub async fn predikat_by_group(
        &self,
        unit: &UnitRecord,
        period: Period,
        grouping: Grouping,
    ) -> StoreResult<Vec<GroupPredikat>> {
        let path = self.unit_path(unit).await?;
        let group = self.group_expression(grouping, period.year());
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
        let mut groups: BTreeMap<String, [u32; 5]> = BTreeMap::new();
        for row in rows {
            let slot = predikat_slot(&row.predikat)?;
            groups.entry(row.grp).or_default()[slot] += u32::try_from(row.n).unwrap_or(u32::MAX);
        }
        let sizes: Vec<(&str, u64)> =
            groups.values().map(|counts| (path.as_str(), counts.iter().map(|&n| u64::from(n)).sum())).collect();
        let shown = self.scope.disclosed(&sizes);
        let groups = groups.into_iter().zip(shown).map(|((group, counts), shown)| (group, shown.then_some(counts)));
        Ok(merge_withheld(groups.collect())
            .into_iter()
            .map(|(group, counts)| GroupPredikat { group, counts })
            .collect())
    }
}

/// The mean achievement of one indicator aspect (a dimension) over a group of people.
#[derive(Debug, Clone, PartialEq)]
pub struct AspectMean {
    pub aspect: Aspect,
    pub mean: f64,
    pub people: u64,
    pub indicators: u64,
}

/// A unit's dimensions beside its sibling units' and the agency's.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionFigures {
    /// The unit's own means; `None` when too few people for the caller to see.
    pub own: Option<Vec<AspectMean>>,
    /// Each sibling unit's means (the unit's own included), for the siblings the caller may see.
    pub peers: Vec<(Uuid, Vec<AspectMean>)>,
    /// Means over the whole agency (the unit's root).
    pub agency: Vec<AspectMean>,
}

/// Aggregates of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFigures {
    pub period: Period,
    pub people: u64,
    /// The counts in the order of [`Predikat::ALL`]; `None` when withheld.
    pub predikat: Option<[u32; 5]>,
    /// The aspect means; `None` when withheld (with the counts, or as figures their siblings' would give
    /// away) or when nothing was measured.
    pub dimensions: Option<Vec<AspectMean>>,
}

/// One indicator's achievement in an evaluation, with whose it is.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFigure {
    pub evaluation_id: Uuid,
    pub indicator_id: Uuid,
    pub employee_id: Uuid,
    pub aspect: Aspect,
    pub achievement: Decimal,
}

/// Count, mean and standard deviation of a group of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub count: u64,
    pub mean: f64,
    pub deviation: f64,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct AspectRow {
    grp: String,
    aspect: String,
    mean: f64,
    people: i64,
    indicators: i64,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct BranchCount {
    period: String,
    branch: String,
    n: i64,
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct MomentRow {
    grp: String,
    n: i64,
    mean: f64,
    square: f64,
}

/// Which order a list of indicators comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    Weakest,
    Strongest,
}

/// Length of one segment of a materialised path: a UUID and its slash.
const PATH_SEGMENT: usize = 37;

/// The SQL of the branch a member of unit `u` falls in below a unit whose children's paths are
/// `length` long: the child's path, or for the unit's own members their unit's (shorter) path.
fn branch_of(length: usize) -> String {
    format!("CASE WHEN length(u.path) >= {length} THEN substr(u.path, 1, {length}) ELSE u.path END")
}

impl AspectRow {
    fn mean(self) -> StoreResult<(String, AspectMean)> {
        let aspect = self.aspect.parse().map_err(|e| StoreError::Corrupt {
            table: "indicator_achievements",
            id: self.aspect.clone(),
            reason: format!("{e}"),
        })?;
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        Ok((
            self.grp,
            AspectMean { aspect, mean: self.mean, people: count(self.people), indicators: count(self.indicators) },
        ))
    }
}

impl Store {
    fn statement(&self, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        Statement::from_sql_and_values(self.db.get_database_backend(), sql, values)
    }

    /// Mean achievement per aspect in the units whose path starts with `prefix`, grouped by the first
    /// `group_length` characters of the unit path (a branch below the prefix, or the prefix itself);
    /// members of a unit whose path is shorter (the prefix's own) are grouped under their unit's path.
    /// These are aggregates: they read every record and are shown by the group-size rule.
    async fn aspect_means(
        &self,
        prefix: &str,
        group_length: usize,
        period: Period,
    ) -> StoreResult<Vec<(String, AspectMean)>> {
        // The prefix and period are written into the statement, not bound: PostgreSQL then plans for
        // this very prefix (a range on the path) instead of a generic plan for any pattern. Both are
        // made here of ids, slashes and digits; quotes are doubled all the same.
        let prefix = prefix.replace('\'', "''");
        let sql = format!(
            "SELECT {branch} AS grp, a.aspect AS aspect,
               CAST(AVG(a.achievement) AS DOUBLE PRECISION) AS mean,
               COUNT(DISTINCT a.employee_id) AS people, COUNT(*) AS indicators
             FROM indicator_achievements a
             JOIN employees e ON e.id = a.employee_id
             JOIN units u ON u.id = e.unit_id
             WHERE a.period = '{period}' AND a.achievement IS NOT NULL AND u.path LIKE '{prefix}%'
             GROUP BY {branch}, a.aspect
             ORDER BY grp, aspect",
            branch = branch_of(group_length)
        );
        let rows = AspectRow::find_by_statement(self.statement(&sql, Vec::new())).all(&self.db).await?;
        rows.into_iter().map(AspectRow::mean).collect()
    }

    /// The means of a partition that may be shown, each cell (a unit's or a group's) given by its unit
    /// path: per dimension, by the people each cell covers, with the disclosure rule of
    /// [`crate::Scope::disclosed`] applied across the partition.
    fn disclosed_means<K>(&self, cells: Vec<(String, K, Vec<AspectMean>)>) -> Vec<(K, Vec<AspectMean>)> {
        let mut keep: Vec<Vec<bool>> = cells.iter().map(|(_, _, means)| vec![true; means.len()]).collect();
        for &aspect in Aspect::ALL.iter() {
            let found: Vec<(usize, usize)> = cells
                .iter()
                .enumerate()
                .filter_map(|(cell, (_, _, means))| means.iter().position(|m| m.aspect == aspect).map(|at| (cell, at)))
                .collect();
            let sizes: Vec<(&str, u64)> =
                found.iter().map(|&(cell, at)| (cells[cell].0.as_str(), cells[cell].2[at].people)).collect();
            for (&(cell, at), shown) in found.iter().zip(self.scope.disclosed(&sizes)) {
                keep[cell][at] = shown;
            }
        }
        cells
            .into_iter()
            .zip(keep)
            .map(|((_, key, means), keep)| {
                (key, means.into_iter().zip(keep).filter_map(|(m, k)| k.then_some(m)).collect())
            })
            .collect()
    }

    /// Each unit directly below `parent`'s path with its disclosed means in a period: the sibling
    /// partition every unit-level dimension figure is shown from, so that no unit's figure can be had
    /// by subtracting its siblings' from the parent's.
    async fn sibling_means(
        &self,
        parent: &str,
        length: usize,
        period: Period,
    ) -> StoreResult<Vec<(String, Vec<AspectMean>)>> {
        let mut groups: BTreeMap<String, Vec<AspectMean>> = BTreeMap::new();
        for (branch, mean) in self.aspect_means(parent, length, period).await? {
            groups.entry(branch).or_default().push(mean);
        }
        // The parent's own members are a cell too, never shown here: the parent's figure less its
        // children's would give them away (its head, often alone).
        let cells = groups.into_iter().map(|(branch, means)| (branch.clone(), branch, means)).collect();
        Ok(self.disclosed_means(cells).into_iter().filter(|(branch, _)| branch.len() == length).collect())
    }

    /// A unit's own disclosed means in a period: from its sibling partition, or (for the root) alone.
    async fn own_means(&self, path: &str, period: Period) -> StoreResult<Vec<AspectMean>> {
        let parent_length = path.len().saturating_sub(PATH_SEGMENT);
        let cells = if parent_length > 1 {
            self.sibling_means(&path[..parent_length], path.len(), period).await?
        } else {
            let means = self.aspect_means(path, path.len(), period).await?.into_iter().map(|(_, m)| m).collect();
            self.disclosed_means(vec![(path.to_owned(), path.to_owned(), means)])
        };
        Ok(cells.into_iter().find(|(branch, _)| branch == path).map(|(_, means)| means).unwrap_or_default())
    }

    /// A unit's mean achievement by dimension (indicator aspect) in a period, beside its siblings' and
    /// the agency's. A figure covering too few people outside the caller's reach is left out, and so
    /// is a sibling's that would give it away by difference.
    pub async fn dimension_figures(&self, unit: &UnitRecord, period: Period) -> StoreResult<DimensionFigures> {
        let path = self.unit_path(unit).await?;
        let parent_length = path.len().saturating_sub(PATH_SEGMENT);
        let peers: Vec<(Uuid, Vec<AspectMean>)> = if parent_length > 1 {
            self.sibling_means(&path[..parent_length], path.len(), period)
                .await?
                .into_iter()
                .filter(|(_, means)| !means.is_empty())
                .filter_map(|(branch, means)| path_ids(&branch).last().map(|id| (*id, means)))
                .collect()
        } else {
            Vec::new()
        };
        let root = &path[..(1 + PATH_SEGMENT).min(path.len())];
        let agency = self.own_means(root, period).await?;
        let own = match peers.iter().find(|(id, _)| *id == unit.id) {
            Some((_, means)) => Some(means.clone()),
            None if parent_length > 1 => None,
            // The root is the agency.
            None => Some(agency.clone()).filter(|means| !means.is_empty()),
        };
        Ok(DimensionFigures { own, peers, agency })
    }

    /// Predikat counts and dimension means of a unit's subtree for every period that has evaluations,
    /// oldest first; a period with fewer people than the caller may see is withheld.
    pub async fn period_figures(&self, unit: &UnitRecord) -> StoreResult<Vec<PeriodFigures>> {
        let path = self.unit_path(unit).await?;
        let rows = GroupCount::find_by_statement(self.statement(
            "SELECT v.period AS grp, v.predikat AS predikat, COUNT(*) AS n
             FROM evaluations v
             JOIN plans p ON p.id = v.plan_id
             JOIN employees e ON e.id = p.employee_id
             JOIN units u ON u.id = e.unit_id
             WHERE u.path LIKE $1
             GROUP BY v.period, v.predikat",
            vec![format!("{path}%").into()],
        ))
        .all(&self.db)
        .await?;
        let mut counts: BTreeMap<Period, [u32; 5]> = BTreeMap::new();
        for row in rows {
            let period: Period = row.grp.parse().map_err(|e| StoreError::Corrupt {
                table: "evaluations",
                id: row.grp.clone(),
                reason: format!("{e}"),
            })?;
            let slot = predikat_slot(&row.predikat)?;
            counts.entry(period).or_default()[slot] += u32::try_from(row.n).unwrap_or(u32::MAX);
        }
        // Within the caller's reach every cell is shown: no partition to count.
        let siblings = if self.scope.covers_unit(&path) { None } else { self.evaluated_beside_siblings(&path).await? };
        let mut figures = Vec::with_capacity(counts.len());
        for (period, counts) in counts {
            let people: u64 = counts.iter().map(|&n| u64::from(n)).sum();
            let visible = self.scope.may_see_group(&path, people)
                && siblings.as_ref().is_none_or(|by_period| {
                    let cells = by_period.get(&period).map_or(&[][..], Vec::as_slice);
                    let sizes: Vec<(&str, u64)> = cells.iter().map(|(branch, n)| (branch.as_str(), *n)).collect();
                    let shown = self.scope.disclosed(&sizes);
                    cells.iter().zip(shown).any(|((branch, _), shown)| shown && *branch == path)
                });
            // None when none is shown, as in `dimensions_by_group`: an empty list would read as shown.
            let dimensions =
                if visible { Some(self.own_means(&path, period).await?).filter(|m| !m.is_empty()) } else { None };
            figures.push(PeriodFigures { period, people, predikat: visible.then_some(counts), dimensions });
        }
        Ok(figures)
    }

    /// For a unit below the root, the people evaluated in each period in every cell of its sibling
    /// partition (each unit beside it, the parent's own members), by the cell's path: a unit's period
    /// figures are shown only where that partition discloses its cell, so that the parent's figures
    /// less its children's give nobody away. `None` for the root, which has no siblings.
    async fn evaluated_beside_siblings(&self, path: &str) -> StoreResult<Option<BTreeMap<Period, Vec<(String, u64)>>>> {
        let parent_length = path.len().saturating_sub(PATH_SEGMENT);
        if parent_length <= 1 {
            return Ok(None);
        }
        let sql = format!(
            "SELECT v.period AS period, {branch} AS branch, COUNT(*) AS n
             FROM evaluations v
             JOIN plans p ON p.id = v.plan_id
             JOIN employees e ON e.id = p.employee_id
             JOIN units u ON u.id = e.unit_id
             WHERE u.path LIKE $1
             GROUP BY v.period, {branch}",
            branch = branch_of(path.len())
        );
        let rows =
            BranchCount::find_by_statement(self.statement(&sql, vec![format!("{}%", &path[..parent_length]).into()]))
                .all(&self.db)
                .await?;
        let mut cells: BTreeMap<Period, Vec<(String, u64)>> = BTreeMap::new();
        for row in rows {
            let Ok(period) = row.period.parse::<Period>() else { continue };
            cells.entry(period).or_default().push((row.branch, u64::try_from(row.n).unwrap_or_default()));
        }
        Ok(Some(cells))
    }

    /// Scored indicator achievements (those with a realisation) of the employees whose records the caller
    /// may read: what every list of achievements starts from.
    pub(crate) fn readable_achievements(&self) -> sea_orm::Select<indicator_achievement::Entity> {
        indicator_achievement::Entity::find()
            .filter(indicator_achievement::Column::Achievement.is_not_null())
            .records_in_scope(&self.scope, indicator_achievement::Column::EmployeeId)
    }

    /// The weakest or strongest indicator achievements of a period in a unit's subtree, of the records
    /// the caller may read; of one aspect when given.
    pub async fn ranked_indicators(
        &self,
        unit: &UnitRecord,
        period: Period,
        aspect: Option<Aspect>,
        ranking: Ranking,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<IndicatorFigure>> {
        let mut query = self.subtree_achievements(unit, period, aspect).await?;
        query = match ranking {
            Ranking::Weakest => query.order_by_asc(indicator_achievement::Column::Achievement),
            Ranking::Strongest => query.order_by_desc(indicator_achievement::Column::Achievement),
        };
        let query = query.order_by_asc(indicator_achievement::Column::IndicatorId).offset(offset).limit(limit);
        query.all(&self.db).await?.into_iter().map(indicator_figure).collect()
    }

    /// How many indicator achievements [`Store::ranked_indicators`] ranks in all.
    pub async fn ranked_indicator_count(
        &self,
        unit: &UnitRecord,
        period: Period,
        aspect: Option<Aspect>,
    ) -> StoreResult<u64> {
        Ok(self.subtree_achievements(unit, period, aspect).await?.count(&self.db).await?)
    }

    async fn subtree_achievements(
        &self,
        unit: &UnitRecord,
        period: Period,
        aspect: Option<Aspect>,
    ) -> StoreResult<sea_orm::Select<indicator_achievement::Entity>> {
        let path = self.unit_path(unit).await?;
        let mut query = self
            .readable_achievements()
            .filter(indicator_achievement::Column::Period.eq(period.to_string()))
            .filter(indicator_achievement::Column::EmployeeId.in_subquery(subtree_employee_ids(&path)));
        if let Some(aspect) = aspect {
            query = query.filter(indicator_achievement::Column::Aspect.eq(aspect.as_str()));
        }
        Ok(query)
    }

    /// The indicator achievements of employees in a period, of the records the caller may read.
    pub async fn achievements_of_employees(
        &self,
        employee_ids: &[Uuid],
        period: Period,
    ) -> StoreResult<Vec<IndicatorFigure>> {
        let rows = self
            .readable_achievements()
            .filter(indicator_achievement::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .filter(indicator_achievement::Column::Period.eq(period.to_string()))
            .order_by_desc(indicator_achievement::Column::Achievement)
            .all(&self.db)
            .await?;
        rows.into_iter().map(indicator_figure).collect()
    }

    /// Count, mean and deviation of the period's indicator achievements per aspect among holders of a
    /// kind of position across the agency: the peers a person is compared with. An aspect with fewer
    /// people than the minimum group size is left out.
    pub async fn achievement_moments(
        &self,
        kind: kinerja_domain::PositionKind,
        period: Period,
    ) -> StoreResult<Vec<(Aspect, Moments)>> {
        let rows = MomentRow::find_by_statement(self.statement(
            "SELECT a.aspect AS grp, COUNT(DISTINCT a.employee_id) AS n,
               CAST(AVG(a.achievement) AS DOUBLE PRECISION) AS mean,
               CAST(AVG(a.achievement * a.achievement) AS DOUBLE PRECISION) AS square
             FROM indicator_achievements a
             JOIN employees e ON e.id = a.employee_id
             JOIN positions p ON p.id = e.position_id
             WHERE a.period = $1 AND p.kind = $2 AND a.achievement IS NOT NULL
             GROUP BY a.aspect",
            vec![period.to_string().into(), kind.as_str().into()],
        ))
        .all(&self.db)
        .await?;
        self.moments(rows)
    }

    /// Count, mean and deviation of behaviour levels (scored by `kinerja_scoring::level_score`) per
    /// BerAKHLAK value among holders of a kind of position in a year.
    pub async fn behaviour_moments(
        &self,
        kind: kinerja_domain::PositionKind,
        year: i32,
    ) -> StoreResult<Vec<(kinerja_domain::BerakhlakValue, Moments)>> {
        let arms: String = kinerja_domain::RatingLevel::ALL
            .iter()
            .map(|level| format!(" WHEN '{}' THEN {:.1}", level.as_str(), kinerja_scoring::level_score(*level)))
            .collect();
        let score = format!("CASE b.level{arms} END");
        let sql = format!(
            "SELECT b.value AS grp, COUNT(*) AS n, CAST(AVG({score}) AS DOUBLE PRECISION) AS mean,
               CAST(AVG({score} * {score}) AS DOUBLE PRECISION) AS square
             FROM behaviour_ratings b
             JOIN plans pl ON pl.id = b.plan_id
             JOIN employees e ON e.id = pl.employee_id
             JOIN positions p ON p.id = e.position_id
             WHERE pl.year = $1 AND b.period = $2 AND p.kind = $3
             GROUP BY b.value"
        );
        let rows = MomentRow::find_by_statement(
            self.statement(&sql, vec![year.into(), Period::Year(year).to_string().into(), kind.as_str().into()]),
        )
        .all(&self.db)
        .await?;
        self.moments(rows)
    }

    fn moments<T: std::str::FromStr>(&self, rows: Vec<MomentRow>) -> StoreResult<Vec<(T, Moments)>>
    where
        T::Err: std::fmt::Display,
    {
        rows.into_iter()
            .filter(|row| self.scope.may_see_agency_group(u64::try_from(row.n).unwrap_or_default()))
            .map(|row| {
                let key = row.grp.parse().map_err(|e: T::Err| StoreError::Corrupt {
                    table: "indicator_achievements",
                    id: row.grp.clone(),
                    reason: e.to_string(),
                })?;
                let variance = (row.square - row.mean * row.mean).max(0.0);
                let count = u64::try_from(row.n).unwrap_or_default();
                Ok((key, Moments { count, mean: row.mean, deviation: variance.sqrt() }))
            })
            .collect()
    }
}

fn predikat_slot(text: &str) -> StoreResult<usize> {
    let predikat: Predikat = text.parse().map_err(|e| StoreError::Corrupt {
        table: "evaluations",
        id: text.to_owned(),
        reason: format!("{e}"),
    })?;
    Ok(Predikat::ALL.iter().position(|p| *p == predikat).unwrap_or_default())
}

pub(crate) fn indicator_figure(row: indicator_achievement::Model) -> StoreResult<IndicatorFigure> {
    Ok(IndicatorFigure {
        evaluation_id: row.evaluation_id,
        indicator_id: row.indicator_id,
        employee_id: row.employee_id,
        aspect: row.aspect.parse().map_err(|e| StoreError::Corrupt {
            table: "indicator_achievements",
            id: row.indicator_id.to_string(),
            reason: format!("{e}"),
        })?,
        achievement: row.achievement.unwrap_or_default().normalize(),
    })
}
