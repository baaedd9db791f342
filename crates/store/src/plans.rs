//! Performance plans (SKP) with their work results, indicators, realisations, feedback and behaviour ratings.

use chrono::Utc;
use kinerja_domain::{
    Approach, CascadeEnds, FeedbackNote, Indicator, Nip, Period, Plan, PlanError, PlanStatus, Realisation, WorkResult,
    check_cascade,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::convert::{feedback_model, indicator_model, plan_model, realisation_model, records, work_result_model};
use crate::entity::{behaviour_rating, employee, feedback_note, indicator, plan, realisation, work_result};
use crate::error::{StoreError, StoreResult};
use crate::records::{
    BehaviourRatingRecord, FeedbackRecord, IndicatorRecord, PlanRecord, RealisationRecord, UnitRecord,
    WorkResultRecord, new_record_id,
};

/// What a feedback note is about, within its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackSubject {
    Plan(Uuid),
    WorkResult(Uuid),
    Indicator(Uuid),
}

pub(crate) async fn plan_row(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<plan::Model> {
    plan::Entity::find_by_id(id).one(db).await?.ok_or_else(|| StoreError::missing("plan"))
}

/// Refuses what the year's views (a self-assessment, colleagues' feedback) add to a plan unless it is
/// approved and not yet decided; `what` completes "… is written on an approved plan" and "… before the
/// decision".
pub(crate) async fn ensure_before_decision(
    db: &impl ConnectionTrait,
    plan: &plan::Model,
    what: &str,
) -> StoreResult<()> {
    if plan.status != PlanStatus::Approved.as_str() {
        return Err(StoreError::FailedPrecondition(format!(
            "the {} plan is {}; {what} on an approved plan",
            plan.year, plan.status
        )));
    }
    let decided = crate::entity::rating_decision::Entity::find()
        .filter(crate::entity::rating_decision::Column::PlanId.eq(plan.id))
        .filter(crate::entity::rating_decision::Column::Year.eq(plan.year))
        .one(db)
        .await?;
    if decided.is_some() {
        return Err(StoreError::FailedPrecondition(format!(
            "the rater has decided the {} year; {what} before the decision",
            plan.year
        )));
    }
    Ok(())
}

pub(crate) async fn work_result_row(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<work_result::Model> {
    work_result::Entity::find_by_id(id).one(db).await?.ok_or_else(|| StoreError::missing("work result"))
}

pub(crate) async fn indicator_row(db: &impl ConnectionTrait, id: Uuid) -> StoreResult<indicator::Model> {
    indicator::Entity::find_by_id(id).one(db).await?.ok_or_else(|| StoreError::missing("indicator"))
}

fn editable(plan: &plan::Model) -> StoreResult<()> {
    let status: PlanStatus = plan.status.parse().map_err(StoreError::invalid)?;
    status.ensure_editable().map_err(StoreError::invalid)
}

/// An indicator with its work result and plan.
pub(crate) async fn indicator_chain(
    db: &impl ConnectionTrait,
    indicator_id: Uuid,
) -> StoreResult<(indicator::Model, work_result::Model, plan::Model)> {
    let indicator = indicator_row(db, indicator_id).await?;
    let work_result = work_result_row(db, indicator.work_result_id).await?;
    let plan = plan_row(db, work_result.plan_id).await?;
    Ok((indicator, work_result, plan))
}

/// Inserts an employee's draft plan for a year; one plan per employee and year.
pub(crate) async fn insert_plan(
    db: &impl ConnectionTrait,
    nip: &Nip,
    year: i32,
    approach: Approach,
) -> StoreResult<PlanRecord> {
    let plan = Plan::new(year, approach).map_err(StoreError::invalid)?;
    let employee = employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::not_found("employee with NIP", nip))?;
    let existing = plan::Entity::find()
        .filter(plan::Column::EmployeeId.eq(employee.id))
        .filter(plan::Column::Year.eq(year))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(StoreError::Duplicate { entity: "plan", key: format!("{nip} {year}") });
    }
    let recorded = crate::entity::past_result::Entity::find()
        .filter(crate::entity::past_result::Column::EmployeeId.eq(employee.id))
        .filter(crate::entity::past_result::Column::Year.eq(year))
        .one(db)
        .await?;
    if let Some(recorded) = recorded {
        return Err(StoreError::FailedPrecondition(format!(
            "no plan for {year}: {nip}'s result of {year} is recorded already from before kinerja ({}, under rule \
             pack {}), and a year has either a recorded result or a plan",
            kinerja_scoring::predikat_title(&recorded.predikat),
            recorded.rule_pack
        )));
    }
    let record = PlanRecord::new(employee.id, employee.superior_id, plan);
    plan_model(&record).into_active_model().insert(db).await?;
    Ok(record)
}

/// Inserts a work result into a draft plan after the cascade and duplicate checks.
pub(crate) async fn insert_work_result(
    db: &impl ConnectionTrait,
    plan: &plan::Model,
    code: &str,
    work_result: WorkResult,
    parent_id: Option<Uuid>,
) -> StoreResult<WorkResultRecord> {
    editable(plan)?;
    if let Some(parent_id) = parent_id {
        let parent = work_result_row(db, parent_id).await?;
        let parent_plan = plan_row(db, parent.plan_id).await?;
        check_cascade(&CascadeEnds {
            child_year: plan.year,
            child_rater: plan.rater_id,
            parent_year: parent_plan.year,
            parent_owner: parent_plan.employee_id,
        })
        .map_err(StoreError::invalid)?;
    }
    let siblings = work_result::Entity::find().filter(work_result::Column::PlanId.eq(plan.id)).all(db).await?;
    if siblings.iter().any(|sibling| sibling.code == code) {
        return Err(StoreError::Duplicate { entity: "work result", key: code.to_owned() });
    }
    let record = WorkResultRecord {
        id: new_record_id(),
        plan_id: plan.id,
        code: code.to_owned(),
        work_result,
        parent_id,
        ordinal: i32::try_from(siblings.len()).unwrap_or(i32::MAX),
    };
    work_result_model(&record).into_active_model().insert(db).await?;
    Ok(record)
}

/// Inserts an indicator into a work result of a draft plan.
pub(crate) async fn insert_indicator(
    db: &impl ConnectionTrait,
    plan: &plan::Model,
    work_result_id: Uuid,
    code: &str,
    indicator: Indicator,
) -> StoreResult<IndicatorRecord> {
    editable(plan)?;
    let siblings = indicator::Entity::find().filter(indicator::Column::WorkResultId.eq(work_result_id)).all(db).await?;
    if siblings.iter().any(|sibling| sibling.code == code) {
        return Err(StoreError::Duplicate { entity: "indicator", key: code.to_owned() });
    }
    let record = IndicatorRecord {
        id: new_record_id(),
        work_result_id,
        code: code.to_owned(),
        indicator,
        ordinal: i32::try_from(siblings.len()).unwrap_or(i32::MAX),
    };
    indicator_model(&record).into_active_model().insert(db).await?;
    Ok(record)
}

/// Inserts a realisation after checking the plan's status and year and that the period is new.
pub(crate) async fn insert_realisation(
    db: &impl ConnectionTrait,
    indicator_id: Uuid,
    realisation: Realisation,
    source: &str,
    require_approved: bool,
) -> StoreResult<(plan::Model, RealisationRecord)> {
    let indicator = indicator_row(db, indicator_id).await?;
    let work_result = work_result_row(db, indicator.work_result_id).await?;
    let plan_model = plan_row(db, work_result.plan_id).await?;
    let plan = PlanRecord::try_from(plan_model.clone())?;
    plan.plan.ensure_period_in_year(realisation.period).map_err(StoreError::invalid)?;
    if plan.plan.status == PlanStatus::Finalised {
        return Err(StoreError::invalid(PlanError::NotEditable { status: plan.plan.status }));
    }
    if require_approved {
        plan.plan.status.ensure_realisable().map_err(StoreError::invalid)?;
    }
    let existing = realisation::Entity::find()
        .filter(realisation::Column::IndicatorId.eq(indicator_id))
        .filter(realisation::Column::Period.eq(realisation.period.to_string()))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(StoreError::Duplicate {
            entity: "realisation",
            key: format!("{} {}", indicator.code, realisation.period),
        });
    }
    // A summed indicator's realisations add up over the year; periods of two granularities would count
    // the same months twice.
    if indicator.accumulation == kinerja_domain::Accumulation::Sum.as_str() {
        let recorded =
            realisation::Entity::find().filter(realisation::Column::IndicatorId.eq(indicator_id)).all(db).await?;
        for other in recorded {
            let other: Period = other.period.parse().map_err(StoreError::invalid)?;
            if !other.same_granularity(realisation.period) {
                return Err(StoreError::FailedPrecondition(format!(
                    "IKI {} is summed and already realised for {other}; its realisations are recorded per {} \
                     throughout the year, so {} cannot be added",
                    indicator.code,
                    other.granularity(),
                    realisation.period
                )));
            }
        }
    }
    let record = RealisationRecord {
        id: new_record_id(),
        indicator_id,
        realisation,
        source: source.to_owned(),
        recorded_at: Utc::now(),
        version: 1,
    };
    realisation_model(&record).into_active_model().insert(db).await?;
    Ok((plan_model, record))
}

/// Inserts a feedback note about a plan or one of its parts.
pub(crate) async fn insert_feedback(
    db: &impl ConnectionTrait,
    subject: FeedbackSubject,
    note: FeedbackNote,
    author_id: Option<Uuid>,
) -> StoreResult<FeedbackRecord> {
    let (plan_id, work_result_id, indicator_id) = match subject {
        FeedbackSubject::Plan(id) => (plan_row(db, id).await?.id, None, None),
        FeedbackSubject::WorkResult(id) => (work_result_row(db, id).await?.plan_id, Some(id), None),
        FeedbackSubject::Indicator(id) => {
            let indicator = indicator_row(db, id).await?;
            (work_result_row(db, indicator.work_result_id).await?.plan_id, None, Some(id))
        }
    };
    let record = FeedbackRecord {
        id: new_record_id(),
        plan_id,
        work_result_id,
        indicator_id,
        note,
        author_id,
        created_at: Utc::now(),
    };
    feedback_model(&record).into_active_model().insert(db).await?;
    Ok(record)
}

/// Which plans of a year a list holds (every status when `None`).
#[derive(Debug, Clone, Copy)]
pub struct PlanFilter {
    pub year: i32,
    pub status: Option<PlanStatus>,
}

impl Store {
    /// A page of the plans of a unit's subtree, of those the caller reaches, by their employee's NIP (by
    /// the employee's id for callers who read records masked, see [`Scope::person_order`]).
    pub async fn unit_plans(
        &self,
        unit: &UnitRecord,
        filter: &PlanFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<PlanRecord>> {
        let owner = if self.scope.masks_personal_data() {
            Expr::col((plan::Entity, plan::Column::EmployeeId))
        } else {
            Expr::cust("(SELECT owner.nip FROM employees owner WHERE owner.id = plans.employee_id)")
        };
        let query = self.subtree_plans(unit, filter).await?;
        records(query.order_by_asc(owner).offset(offset).limit(limit).all(&self.db).await?)
    }

    /// How many plans [`Store::unit_plans`] lists in all.
    pub async fn unit_plan_count(&self, unit: &UnitRecord, filter: &PlanFilter) -> StoreResult<u64> {
        Ok(self.subtree_plans(unit, filter).await?.count(&self.db).await?)
    }

    async fn subtree_plans(
        &self,
        unit: &UnitRecord,
        filter: &PlanFilter,
    ) -> StoreResult<sea_orm::Select<plan::Entity>> {
        let path = self.unit_path(unit).await?;
        let mut query = plan::Entity::find()
            .filter(plan::Column::Year.eq(filter.year))
            .filter(plan::Column::EmployeeId.in_subquery(crate::org::subtree_employee_ids(&path)))
            .within(plan::Column::Id, self.scope.plan_ids());
        if let Some(status) = filter.status {
            query = query.filter(plan::Column::Status.eq(status.as_str()));
        }
        Ok(query)
    }

    /// Plans of the given employees, for one year or all years (newest first).
    pub async fn plans_of_employees(&self, employee_ids: &[Uuid], year: Option<i32>) -> StoreResult<Vec<PlanRecord>> {
        let mut query = plan::Entity::find()
            .filter(plan::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .within(plan::Column::Id, self.scope.plan_ids());
        if let Some(year) = year {
            query = query.filter(plan::Column::Year.eq(year));
        }
        records(query.order_by_desc(plan::Column::Year).all(&self.db).await?)
    }

    pub async fn plans_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<PlanRecord>> {
        records(
            plan::Entity::find()
                .filter(plan::Column::Id.is_in(ids.iter().copied()))
                .within(plan::Column::Id, self.scope.plan_ids())
                .all(&self.db)
                .await?,
        )
    }

    /// Work results of the given plans, in plan order.
    pub async fn work_results_of_plans(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<WorkResultRecord>> {
        records(
            work_result::Entity::find()
                .filter(work_result::Column::PlanId.is_in(plan_ids.iter().copied()))
                .within(work_result::Column::PlanId, self.scope.plan_ids())
                .order_by_asc(work_result::Column::Ordinal)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn work_results_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<WorkResultRecord>> {
        records(
            work_result::Entity::find()
                .filter(work_result::Column::Id.is_in(ids.iter().copied()))
                .within(work_result::Column::Id, self.scope.cascade_work_result_ids())
                .all(&self.db)
                .await?,
        )
    }

    /// What the given plan's work results may intervene: the work results of its rater's plan of the
    /// same year. They are read past the caller's scope on purpose, since an employee drafts against
    /// them, and hand out a work result's identity and text only (their indicators and plan stay hidden
    /// from whoever cannot see the rater's plan).
    pub async fn cascade_options(&self, plan_id: Uuid) -> StoreResult<Vec<WorkResultRecord>> {
        let Some(plan) = self.plans_by_ids(&[plan_id]).await?.pop() else { return Ok(Vec::new()) };
        let Some(rater) = plan.rater_id else { return Ok(Vec::new()) };
        let rater_plans = Query::select()
            .column(plan::Column::Id)
            .from(plan::Entity)
            .and_where(plan::Column::EmployeeId.eq(rater))
            .and_where(plan::Column::Year.eq(plan.plan.year))
            .to_owned();
        records(
            work_result::Entity::find()
                .filter(work_result::Column::PlanId.in_subquery(rater_plans))
                .order_by_asc(work_result::Column::Code)
                .all(&self.db)
                .await?,
        )
    }

    /// Indicators of the given work results, in plan order.
    pub async fn indicators_of_work_results(&self, work_result_ids: &[Uuid]) -> StoreResult<Vec<IndicatorRecord>> {
        records(
            indicator::Entity::find()
                .filter(indicator::Column::WorkResultId.is_in(work_result_ids.iter().copied()))
                .within(indicator::Column::WorkResultId, self.scope.work_result_ids())
                .order_by_asc(indicator::Column::Ordinal)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn indicators_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<IndicatorRecord>> {
        records(
            indicator::Entity::find()
                .filter(indicator::Column::Id.is_in(ids.iter().copied()))
                .within(indicator::Column::Id, self.scope.indicator_ids())
                .all(&self.db)
                .await?,
        )
    }

    /// Realisations of the given indicators, oldest period first.
    pub async fn realisations_of_indicators(&self, indicator_ids: &[Uuid]) -> StoreResult<Vec<RealisationRecord>> {
        records(
            realisation::Entity::find()
                .filter(realisation::Column::IndicatorId.is_in(indicator_ids.iter().copied()))
                .within(realisation::Column::IndicatorId, self.scope.indicator_ids())
                .order_by_asc(realisation::Column::PeriodStart)
                .order_by_asc(realisation::Column::PeriodEnd)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn realisations_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<RealisationRecord>> {
        records(
            realisation::Entity::find()
                .filter(realisation::Column::Id.is_in(ids.iter().copied()))
                .within(realisation::Column::IndicatorId, self.scope.indicator_ids())
                .all(&self.db)
                .await?,
        )
    }

    /// Feedback on the given plans, newest first.
    pub async fn feedback_of_plans(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<FeedbackRecord>> {
        records(
            feedback_note::Entity::find()
                .filter(feedback_note::Column::PlanId.is_in(plan_ids.iter().copied()))
                .within(feedback_note::Column::PlanId, self.scope.plan_ids())
                .order_by_desc(feedback_note::Column::CreatedAt)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn feedback_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<FeedbackRecord>> {
        records(
            feedback_note::Entity::find()
                .filter(feedback_note::Column::Id.is_in(ids.iter().copied()))
                .within(feedback_note::Column::PlanId, self.scope.plan_ids())
                .all(&self.db)
                .await?,
        )
    }

    /// Behaviour ratings of the given plans.
    pub async fn behaviour_of_plans(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<BehaviourRatingRecord>> {
        records(
            behaviour_rating::Entity::find()
                .filter(behaviour_rating::Column::PlanId.is_in(plan_ids.iter().copied()))
                .within(behaviour_rating::Column::PlanId, self.scope.plan_ids())
                .order_by_asc(behaviour_rating::Column::Period)
                .all(&self.db)
                .await?,
        )
    }
}
