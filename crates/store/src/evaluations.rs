//! Computed results: evaluations of plans, organisation predikat and unit distribution checks.

use std::collections::HashMap;

use kinerja_domain::{Nip, OrganisationPredikat, Period};
use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ColumnTrait, Condition, DatabaseTransaction, EntityTrait, IntoActiveModel, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationDef,
};
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::analytics::{IndicatorFigure, indicator_figure};
use crate::convert::records;
use crate::entity::{
    employee, evaluation, indicator, indicator_achievement, organisation_rating, plan, unit, unit_distribution,
};
use crate::error::{StoreError, StoreResult};
use crate::org::{subtree_employee_ids, unit_of_employee};
use crate::positional::{Joined, positional};
use crate::records::*;

fn corrupt(table: &'static str, id: Uuid, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { table, id: id.to_string(), reason: reason.to_string() }
}

/// An evaluation row without its explanation, which is most of its bytes and read only on request.
#[derive(sea_orm::DerivePartialModel)]
#[sea_orm(entity = "evaluation::Entity")]
struct EvaluationRow {
    id: Uuid,
    plan_id: Uuid,
    period: String,
    pack_id: String,
    pack_version: i32,
    proposed_result_rating: String,
    proposed_behaviour_rating: String,
    predikat: String,
    predikat_basis: String,
    computed_at: chrono::DateTime<chrono::Utc>,
}

positional!(EvaluationRow, evaluation {
    Id => id, PlanId => plan_id, Period => period, PackId => pack_id, PackVersion => pack_version,
    ProposedResultRating => proposed_result_rating, ProposedBehaviourRating => proposed_behaviour_rating,
    Predikat => predikat, PredikatBasis => predikat_basis, ComputedAt => computed_at,
});

/// A plan with one of its evaluations, or with none when it has none (in the period asked).
type PlanEvaluationRow = Joined<(plan::Model, Option<EvaluationRow>)>;

/// An indicator achievement with its indicator, or with none when the caller may not see it.
type AchievementIndicatorRow = Joined<(indicator_achievement::Model, Option<indicator::Model>)>;

/// A person's card row: the employee and their unit, with one of their plans and one of its evaluations.
type EmployeeCardRow = Joined<(employee::Model, unit::Model, Option<plan::Model>, Option<EvaluationRow>)>;

/// The join from an evaluation to its plan, of `period` only when given.
fn evaluations_of_plan(period: Option<Period>) -> RelationDef {
    let joined: RelationDef =
        evaluation::Entity::belongs_to(plan::Entity).from(evaluation::Column::PlanId).to(plan::Column::Id).into();
    match period {
        Some(period) => {
            let period = period.to_string();
            joined.on_condition(move |_, _| evaluation::Column::Period.eq(period.as_str()).into_condition())
        }
        None => joined,
    }
}

/// Adds a joined row of a plan and one of its evaluations to `plans`, which are grouped by plan (the rows
/// come ordered by plan).
fn push_plan_evaluation(
    plans: &mut Vec<(PlanRecord, Vec<EvaluationRecord>)>,
    plan: plan::Model,
    evaluation: Option<EvaluationRow>,
) -> StoreResult<()> {
    if plans.last().is_none_or(|(last, _)| last.id != plan.id) {
        plans.push((plan.try_into()?, Vec::new()));
    }
    if let (Some(evaluation), Some((_, of_plan))) = (evaluation, plans.last_mut()) {
        of_plan.push(evaluation.try_into()?);
    }
    Ok(())
}

impl TryFrom<EvaluationRow> for EvaluationRecord {
    type Error = StoreError;
    fn try_from(row: EvaluationRow) -> StoreResult<Self> {
        let parse_error = |e: kinerja_domain::PlanError| corrupt("evaluations", row.id, e);
        Ok(EvaluationRecord {
            id: row.id,
            plan_id: row.plan_id,
            period: row.period.parse().map_err(|e| corrupt("evaluations", row.id, e))?,
            pack_id: row.pack_id,
            pack_version: row.pack_version,
            proposed_result_rating: row.proposed_result_rating.parse().map_err(parse_error)?,
            proposed_behaviour_rating: row.proposed_behaviour_rating.parse().map_err(parse_error)?,
            predikat: row.predikat.parse().map_err(parse_error)?,
            predikat_basis: row.predikat_basis,
            computed_at: row.computed_at,
        })
    }
}

impl TryFrom<unit_distribution::Model> for DistributionRecord {
    type Error = StoreError;
    fn try_from(row: unit_distribution::Model) -> StoreResult<Self> {
        let count = |value: i32| u32::try_from(value).map_err(|e| corrupt("unit_distributions", row.id, e));
        Ok(DistributionRecord {
            id: row.id,
            unit_id: row.unit_id,
            year: row.year,
            pack_id: row.pack_id.clone(),
            pack_version: row.pack_version,
            organisation_predikat: row
                .organisation_predikat
                .parse()
                .map_err(|e| corrupt("unit_distributions", row.id, e))?,
            counts: [
                count(row.sangat_baik)?,
                count(row.baik)?,
                count(row.butuh_perbaikan)?,
                count(row.kurang)?,
                count(row.sangat_kurang)?,
            ],
            violations: row.violations,
            computed_at: row.computed_at,
        })
    }
}

impl Store {
    /// One page of a year's plans (ordered by id, after `after`) with everything scoring needs;
    /// within `unit`'s subtree when given.
    pub async fn plan_bundles(
        &self,
        year: i32,
        unit: Option<&UnitRecord>,
        after: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<PlanBundle>> {
        let mut query = self.plans_of_year(year, unit).await?;
        if let Some(after) = after {
            query = query.filter(plan::Column::Id.gt(after));
        }
        let plans: Vec<PlanRecord> = records(query.order_by_asc(plan::Column::Id).limit(limit).all(&self.db).await?)?;
        self.bundles_of(plans).await
    }

    /// The scoring bundles of the given plans.
    pub async fn plan_bundles_by_ids(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<PlanBundle>> {
        let plans = self.plans_by_ids(plan_ids).await?;
        self.bundles_of(plans).await
    }

    async fn bundles_of(&self, plans: Vec<PlanRecord>) -> StoreResult<Vec<PlanBundle>> {
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        let plan_ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
        let employees = self.employees_by_ids(&plans.iter().map(|p| p.employee_id).collect::<Vec<_>>()).await?;
        let positions = self.positions_by_ids(&employees.iter().map(|e| e.position_id).collect::<Vec<_>>()).await?;
        let work_results = self.work_results_of_plans(&plan_ids).await?;
        let indicators =
            self.indicators_of_work_results(&work_results.iter().map(|w| w.id).collect::<Vec<_>>()).await?;
        let realisations =
            self.realisations_of_indicators(&indicators.iter().map(|i| i.id).collect::<Vec<_>>()).await?;
        let behaviour = self.behaviour_of_plans(&plan_ids).await?;

        let employees: HashMap<Uuid, EmployeeRecord> = employees.into_iter().map(|e| (e.id, e)).collect();
        let positions: HashMap<Uuid, PositionRecord> = positions.into_iter().map(|p| (p.id, p)).collect();
        let result_plan: HashMap<Uuid, Uuid> = work_results.iter().map(|w| (w.id, w.plan_id)).collect();
        let indicator_plan: HashMap<Uuid, Uuid> =
            indicators.iter().map(|i| (i.id, result_plan[&i.work_result_id])).collect();
        let mut bundles: Vec<PlanBundle> = Vec::with_capacity(plans.len());
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        for plan in plans {
            let employee = employees
                .get(&plan.employee_id)
                .cloned()
                .ok_or_else(|| StoreError::not_found("employee of plan", plan.id))?;
            let position = positions
                .get(&employee.position_id)
                .cloned()
                .ok_or_else(|| StoreError::not_found("position of employee", &employee.employee.nip))?;
            index.insert(plan.id, bundles.len());
            bundles.push(PlanBundle {
                plan,
                employee,
                position,
                work_results: Vec::new(),
                indicators: Vec::new(),
                realisations: Vec::new(),
                behaviour: Vec::new(),
            });
        }
        for work_result in work_results {
            bundles[index[&work_result.plan_id]].work_results.push(work_result);
        }
        for indicator in indicators {
            let plan_id = result_plan[&indicator.work_result_id];
            bundles[index[&plan_id]].indicators.push(indicator);
        }
        for realisation in realisations {
            let plan_id = indicator_plan[&realisation.indicator_id];
            bundles[index[&plan_id]].realisations.push(realisation);
        }
        for rating in behaviour {
            bundles[index[&rating.plan_id]].behaviour.push(rating);
        }
        Ok(bundles)
    }

    /// The plans of a year, within a unit's subtree when given.
    async fn plans_of_year(&self, year: i32, unit: Option<&UnitRecord>) -> StoreResult<sea_orm::Select<plan::Entity>> {
        let mut query = plan::Entity::find().filter(plan::Column::Year.eq(year));
        if let Some(unit) = unit {
            let path = self.unit_path(unit).await?;
            query = query.filter(plan::Column::EmployeeId.in_subquery(subtree_employee_ids(&path)));
        }
        Ok(query)
    }

    /// How many plans a year has, within a unit's subtree when given.
    pub async fn plan_count(&self, year: i32, unit: Option<&UnitRecord>) -> StoreResult<u64> {
        Ok(self.plans_of_year(year, unit).await?.count(&self.db).await?)
    }

    /// Stores evaluations with their indicator achievements, replacing earlier ones of the same plan and
    /// period, in one transaction; evaluations of a whole year take the decisions made on their plans.
    pub async fn save_evaluations(&self, scored: &[ScoredPlan]) -> StoreResult<()> {
        let txn = self.write_txn().await?;
        crate::results::write_evaluations(&txn, scored).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Evaluations of the given plans, of `period` when given, else of every period, in period order.
    pub async fn evaluations_of_plans(
        &self,
        plan_ids: &[Uuid],
        period: Option<Period>,
    ) -> StoreResult<Vec<EvaluationRecord>> {
        let mut query = evaluation::Entity::find()
            .filter(evaluation::Column::PlanId.is_in(plan_ids.iter().copied()))
            .within(evaluation::Column::PlanId, self.scope.plan_ids());
        if let Some(period) = period {
            query = query.filter(evaluation::Column::Period.eq(period.to_string()));
        }
        records(
            query.order_by_asc(evaluation::Column::Period).into_partial_model::<EvaluationRow>().all(&self.db).await?,
        )
    }

    /// The plans of employees, of one year or of every year (newest first), each with its evaluations
    /// of `period` when given, else of every period (in period order): what `plans_of_employees` and
    /// `evaluations_of_plans` read, in one statement.
    pub async fn plans_of_employees_with_evaluations(
        &self,
        employee_ids: &[Uuid],
        year: Option<i32>,
        period: Option<Period>,
    ) -> StoreResult<Vec<(PlanRecord, Vec<EvaluationRecord>)>> {
        let mut query = plan::Entity::find()
            .join_rev(JoinType::LeftJoin, evaluations_of_plan(period))
            .filter(plan::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .within(plan::Column::Id, self.scope.plan_ids());
        if let Some(year) = year {
            query = query.filter(plan::Column::Year.eq(year));
        }
        let query = query
            .order_by_desc(plan::Column::Year)
            .order_by_asc(plan::Column::Id)
            .order_by_asc(evaluation::Column::Period);
        let rows = PlanEvaluationRow::read(query).all(&self.db).await?;
        let mut plans = Vec::new();
        for Joined((plan, evaluation)) in rows {
            push_plan_evaluation(&mut plans, plan, evaluation)?;
        }
        Ok(plans)
    }

    /// A person's card in one statement: the employee with `nip` (whom [`Store::employee_by_nip`] would
    /// find), their unit, and their plans of `year` (of every year when `None`), each with its evaluations
    /// of `period` when given, else of every period.
    pub async fn employee_card(
        &self,
        nip: &Nip,
        year: Option<i32>,
        period: Option<Period>,
    ) -> StoreResult<EmployeeCard> {
        let visible_plans = self.scope.plan_ids();
        let plans_of_employee: RelationDef =
            plan::Entity::belongs_to(employee::Entity).from(plan::Column::EmployeeId).to(employee::Column::Id).into();
        let plans_of_employee = plans_of_employee.on_condition(move |_, _| {
            let mut condition = Condition::all();
            if let Some(year) = year {
                condition = condition.add(plan::Column::Year.eq(year));
            }
            if let Some(visible) = visible_plans.clone() {
                condition = condition.add(plan::Column::Id.in_subquery(visible));
            }
            condition
        });
        let query = self
            .employee_by_nip_query(nip)
            .join(JoinType::InnerJoin, unit_of_employee())
            .join_rev(JoinType::LeftJoin, plans_of_employee)
            .join_rev(JoinType::LeftJoin, evaluations_of_plan(period))
            .order_by_desc(plan::Column::Year)
            .order_by_asc(plan::Column::Id)
            .order_by_asc(evaluation::Column::Period);
        let rows = EmployeeCardRow::read(query).all(&self.db).await?;
        let mut rows = rows.into_iter().peekable();
        let Some(Joined((employee, unit, _, _))) = rows.peek() else {
            return Err(StoreError::not_found("employee with NIP", nip));
        };
        let employee = employee.clone().try_into()?;
        let unit = unit.clone().try_into()?;
        let mut plans = Vec::new();
        for Joined((_, _, plan, evaluation)) in rows {
            if let Some(plan) = plan {
                push_plan_evaluation(&mut plans, plan, evaluation)?;
            }
        }
        Ok(EmployeeCard { employee, unit, plans })
    }

    /// The explanations (the scoring crate's JSON) of evaluations, by evaluation id.
    pub async fn evaluation_explanations(&self, evaluation_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, String)>> {
        Ok(evaluation::Entity::find()
            .select_only()
            .columns([evaluation::Column::Id, evaluation::Column::Explanation])
            .filter(evaluation::Column::Id.is_in(evaluation_ids.iter().copied()))
            .within(evaluation::Column::PlanId, self.scope.plan_ids())
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// The scored indicator achievements of evaluations, in the order the indicators were created.
    pub async fn achievements_of_evaluations(&self, evaluation_ids: &[Uuid]) -> StoreResult<Vec<IndicatorFigure>> {
        let rows = self
            .readable_achievements()
            .filter(indicator_achievement::Column::EvaluationId.is_in(evaluation_ids.iter().copied()))
            .order_by_asc(indicator_achievement::Column::IndicatorId)
            .all(&self.db)
            .await?;
        rows.into_iter().map(indicator_figure).collect()
    }

    /// [`Store::achievements_of_evaluations`] with the indicator of each (none when the caller may not
    /// see it), in one statement.
    pub async fn achievements_of_evaluations_with_indicators(
        &self,
        evaluation_ids: &[Uuid],
    ) -> StoreResult<Vec<(IndicatorFigure, Option<IndicatorRecord>)>> {
        let mut indicator_of_figure: RelationDef = indicator_achievement::Entity::belongs_to(indicator::Entity)
            .from(indicator_achievement::Column::IndicatorId)
            .to(indicator::Column::Id)
            .into();
        if let Some(visible) = self.scope.indicator_ids() {
            indicator_of_figure = indicator_of_figure
                .on_condition(move |_, _| indicator::Column::Id.in_subquery(visible.clone()).into_condition());
        }
        let query = self
            .readable_achievements()
            .join(JoinType::LeftJoin, indicator_of_figure)
            .filter(indicator_achievement::Column::EvaluationId.is_in(evaluation_ids.iter().copied()))
            .order_by_asc(indicator_achievement::Column::IndicatorId);
        let rows = AchievementIndicatorRow::read(query).all(&self.db).await?;
        rows.into_iter()
            .map(|Joined((achievement, indicator))| {
                Ok((indicator_figure(achievement)?, indicator.map(IndicatorRecord::try_from).transpose()?))
            })
            .collect()
    }

    /// Sets a unit's organisation predikat for a year, replacing an earlier one, and checks the unit's
    /// distribution against it. Refused once any plan of the year in the unit is final. `actor` is `None`
    /// for the command-line tools.
    pub async fn set_organisation_rating(
        &self,
        actor: Option<&crate::Actor>,
        pack: &kinerja_scoring::RulePack,
        unit: &UnitRecord,
        year: i32,
        predikat: OrganisationPredikat,
    ) -> StoreResult<DistributionRecord> {
        if let Some(actor) = actor {
            Store::require(actor, kinerja_domain::Capability::RateOrganisation)?;
        }
        let txn = self.write_txn().await?;
        let (distribution, _) = set_organisation_rating_in(&txn, actor, pack, unit, year, predikat).await?;
        txn.commit().await?;
        Ok(distribution)
    }

    /// Every unit's organisation predikat for a year.
    pub async fn organisation_ratings(&self, year: i32) -> StoreResult<Vec<OrganisationRatingRecord>> {
        let rows = organisation_rating::Entity::find()
            .filter(organisation_rating::Column::Year.eq(year))
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(OrganisationRatingRecord {
                    unit_id: row.unit_id,
                    year: row.year,
                    predikat: row.predikat.parse().map_err(|e| corrupt("organisation_ratings", row.id, e))?,
                })
            })
            .collect()
    }

    /// Distribution checks of the given units for a year, leaving out those the handle's scope may not
    /// see: each is a cell of its siblings' partition (the units below the same parent that have a
    /// distribution), shown by the rule of [`crate::Scope::disclosed`], so that a parent's counts less
    /// its children's shown ones give no withheld child away.
    pub async fn distributions_of_units(&self, unit_ids: &[Uuid], year: i32) -> StoreResult<Vec<DistributionRecord>> {
        let of_units = |ids: Vec<Uuid>| {
            unit_distribution::Entity::find()
                .filter(unit_distribution::Column::UnitId.is_in(ids))
                .filter(unit_distribution::Column::Year.eq(year))
        };
        let found: Vec<DistributionRecord> = records(of_units(unit_ids.to_vec()).all(&self.db).await?)?;
        if self.scope.role().is_none() || found.is_empty() {
            return Ok(found);
        }
        let asked =
            unit::Entity::find().filter(unit::Column::Id.is_in(found.iter().map(|d| d.unit_id))).all(&self.db).await?;
        let parents: Vec<Uuid> = asked.iter().filter_map(|u| u.parent_id).collect();
        let mut units = unit::Entity::find().filter(unit::Column::ParentId.is_in(parents)).all(&self.db).await?;
        units.extend(asked.into_iter().filter(|u| u.parent_id.is_none()));
        let sizes: HashMap<Uuid, u64> = of_units(units.iter().map(|u| u.id).collect())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.unit_id, row.counts_total()))
            .collect();
        let mut partitions: HashMap<Option<Uuid>, Vec<(&str, u64, Uuid)>> = HashMap::new();
        for unit in units.iter().filter(|u| sizes.contains_key(&u.id)) {
            partitions.entry(unit.parent_id).or_default().push((unit.path.as_str(), sizes[&unit.id], unit.id));
        }
        let mut shown = std::collections::HashSet::new();
        for cells in partitions.values() {
            let sized: Vec<(&str, u64)> = cells.iter().map(|(path, size, _)| (*path, *size)).collect();
            for ((_, _, id), disclosed) in cells.iter().zip(self.scope.disclosed(&sized)) {
                if disclosed {
                    shown.insert(*id);
                }
            }
        }
        Ok(found.into_iter().filter(|distribution| shown.contains(&distribution.unit_id)).collect())
    }
}

impl PlanBundle {
    /// The plan as the scoring engine takes it: realisations through `through` in period order and the
    /// year's behaviour ratings; `unit_result` when the employee heads a rated unit.
    pub fn scoring_case(
        &self,
        through: Period,
        unit_result: Option<kinerja_domain::RatingLevel>,
    ) -> kinerja_scoring::PlanCase {
        use kinerja_scoring::{BehaviourInput, IndicatorInput, PlanCase, WorkResultInput};
        let year = self.plan.plan.year;
        let mut values: HashMap<Uuid, Vec<rust_decimal::Decimal>> = HashMap::new();
        for realisation in self.realisations.iter().filter(|r| r.realisation.period.end() <= through.end()) {
            values.entry(realisation.indicator_id).or_default().push(realisation.realisation.value);
        }
        let work_results = self
            .work_results
            .iter()
            .map(|result| WorkResultInput {
                code: result.code.clone(),
                section: result.work_result.section,
                indicators: self
                    .indicators
                    .iter()
                    .filter(|indicator| indicator.work_result_id == result.id)
                    .map(|indicator| IndicatorInput {
                        code: indicator.code.clone(),
                        target: indicator.indicator.target,
                        accumulation: indicator.indicator.accumulation,
                        realisations: values.get(&indicator.id).cloned().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect();
        let behaviour = self
            .behaviour
            .iter()
            .filter(|rating| rating.period == Period::Year(year))
            .map(|rating| BehaviourInput { value: rating.rating.value, level: rating.rating.level })
            .collect();
        let months_elapsed = Some(chrono::Datelike::month(&through.end()));
        PlanCase { year, work_results, behaviour, unit_result, final_ratings: None, months_elapsed }
    }
}

/// Sets a unit's organisation predikat for a year in `txn` (an identical one is left alone) and recounts
/// the unit's distribution against it; with whether the predikat changed.
pub(crate) async fn set_organisation_rating_in(
    txn: &DatabaseTransaction,
    actor: Option<&crate::Actor>,
    pack: &kinerja_scoring::RulePack,
    unit: &UnitRecord,
    year: i32,
    predikat: OrganisationPredikat,
) -> StoreResult<(DistributionRecord, crate::behaviour::Change)> {
    use crate::behaviour::Change;
    let code = &unit.unit.code;
    if !unit.unit.kind.holds_organisation_predikat() {
        return Err(StoreError::FailedPrecondition(format!(
            "{code} is a {}; an organisation predikat is given to a perangkat daerah or a kecamatan",
            unit.unit.kind.as_str()
        )));
    }
    let path = crate::org::unit_path_in(txn, unit).await?;
    let before = organisation_rating::Entity::find()
        .filter(organisation_rating::Column::UnitId.eq(unit.id))
        .filter(organisation_rating::Column::Year.eq(year))
        .one(txn)
        .await?;
    let change = match &before {
        Some(before) if before.predikat == predikat.as_str() => Change::Unchanged,
        Some(_) => Change::Updated,
        None => Change::Inserted,
    };
    if change != Change::Unchanged {
        let finalised = plan::Entity::find()
            .filter(plan::Column::Year.eq(year))
            .filter(plan::Column::Status.eq(kinerja_domain::PlanStatus::Finalised.as_str()))
            .filter(plan::Column::EmployeeId.in_subquery(subtree_employee_ids(&path)))
            .count(txn)
            .await?;
        if finalised > 0 {
            return Err(StoreError::FailedPrecondition(format!(
                "{finalised} plan(s) of {year} in {code} are final; its organisation predikat can no longer change"
            )));
        }
        organisation_rating::Entity::delete_many()
            .filter(organisation_rating::Column::UnitId.eq(unit.id))
            .filter(organisation_rating::Column::Year.eq(year))
            .exec(txn)
            .await?;
        let model = organisation_rating::Model {
            id: new_record_id(),
            unit_id: unit.id,
            year,
            predikat: predikat.as_str().to_owned(),
        };
        organisation_rating::Entity::insert(model.into_active_model()).exec_without_returning(txn).await?;
        crate::workflow::audit(
            txn,
            actor,
            "organisation_rating.set",
            "unit",
            unit.id,
            before.map(|b| serde_json::json!({ "year": year, "predikat": b.predikat })),
            Some(serde_json::json!({ "year": year, "predikat": predikat.as_str() })),
        )
        .await?;
    }
    let rated = crate::results::RatedUnit { id: unit.id, code: code.to_string(), path, predikat };
    let distribution = crate::results::refresh_distribution(txn, pack, &rated, year).await?;
    Ok((distribution, change))
}
