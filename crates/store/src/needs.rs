//! Training needs: derived from a year's results under the rule pack and the development catalogue,
//! merged with the needs already recorded (never duplicated), and moved through their lifecycle.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use kinerja_domain::{Capability, NeedPriority, NeedReason, NeedStatus, Period, PositionKind};
use kinerja_scoring::{Catalogue, DevelopmentFacts, NeedDraft, RulePack, RulePacks};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::OwnedRecords;
use crate::convert::records;
use crate::entity::{
    behaviour_rating, competency_assessment, employee, evaluation, feedback_note, indicator_achievement, plan,
    position, training_need, training_record, unit,
};
use crate::org::{subtree_employee_ids, subtree_unit_ids};
use crate::records::{UnitRecord, new_record_id};
use crate::workflow::{Actor, audit};
use crate::{Store, StoreError, StoreResult};

/// Employees whose needs are derived per round.
const EMPLOYEES_PER_ROUND: u64 = 1_000;

/// Why derivation closed a need; a need closed for this reason reopens when its cause returns.
const CAUSE_GONE: &str = "tidak lagi ditunjukkan oleh hasil kinerja tahun ini";

/// Which training needs of a year a list holds (every status, priority and reason when `None`).
#[derive(Debug, Clone, Copy)]
pub struct NeedFilter {
    pub year: i32,
    pub status: Option<NeedStatus>,
    pub priority: Option<NeedPriority>,
    pub reason: Option<NeedReason>,
}

/// A recorded training need.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingNeedRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub year: i32,
    pub reason: NeedReason,
    pub topic: String,
    pub detail: String,
    pub priority: NeedPriority,
    pub suggested_programmes: Vec<String>,
    pub status: NeedStatus,
    pub planned_programme: Option<String>,
    pub planned_on: Option<NaiveDate>,
    pub training_record_id: Option<Uuid>,
    pub closed_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl TryFrom<training_need::Model> for TrainingNeedRecord {
    type Error = StoreError;
    fn try_from(row: training_need::Model) -> StoreResult<Self> {
        let corrupt = |e: kinerja_domain::PlanError| StoreError::Corrupt {
            table: "training_needs",
            id: row.id.to_string(),
            reason: e.to_string(),
        };
        Ok(TrainingNeedRecord {
            id: row.id,
            employee_id: row.employee_id,
            year: row.year,
            reason: row.reason.parse().map_err(corrupt)?,
            topic: row.topic.clone(),
            detail: row.detail.clone(),
            priority: row.priority.parse().map_err(corrupt)?,
            suggested_programmes: split_codes(&row.suggested_programmes),
            status: row.status.parse().map_err(corrupt)?,
            planned_programme: row.planned_programme,
            planned_on: row.planned_on,
            training_record_id: row.training_record_id,
            closed_reason: row.closed_reason,
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
        })
    }
}

fn split_codes(text: &str) -> Vec<String> {
    text.split(',').filter(|code| !code.is_empty()).map(str::to_owned).collect()
}

/// What a derivation run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NeedSummary {
    pub employees: u64,
    pub raised: u64,
    pub updated: u64,
    pub completed: u64,
    pub closed: u64,
    pub unchanged: u64,
}

/// A change to a training need's progress.
#[derive(Debug, Clone)]
pub enum NeedChange {
    /// A programme and a date are chosen (again).
    Plan {
        programme: String,
        planned_on: NaiveDate,
    },
    /// The employee attended: their training record of this programme, started on this day, shows it.
    Complete {
        programme: String,
        started_on: NaiveDate,
    },
    Close {
        reason: String,
    },
}

/// How many employees of a unit have an active need on one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedTopic {
    pub reason: NeedReason,
    pub topic: String,
    pub employees: u64,
}

/// How many needs of a unit one programme would answer: what to organise, for how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeDemand {
    pub programme: String,
    pub needs: u64,
    pub employees: u64,
}

#[derive(Debug, FromQueryResult)]
struct Member {
    id: Uuid,
    unit_id: Uuid,
    employment_type: String,
    kind: String,
    title: String,
}

impl Store {
    /// Derives the training needs of `year` for every employee in reach (within `unit` when given) and
    /// merges them with those recorded: new needs are raised, changed ones updated, needs whose
    /// cause is gone closed, and needs answered by a training record completed. Each round of
    /// employees is one transaction; running it again with the same data changes nothing.
    pub async fn derive_training_needs(
        &self,
        pack: &RulePack,
        catalogue: &Catalogue,
        year: i32,
        unit: Option<&UnitRecord>,
        actor: Option<&Actor>,
    ) -> StoreResult<NeedSummary> {
        if let Some(actor) = actor {
            Store::require(actor, Capability::ManageDevelopment)?;
        }
        let mut summary = NeedSummary::default();
        let subtree = match unit {
            Some(unit) => {
                let path = self.unit_path(unit).await?;
                if actor.is_some() && !self.scope.covers_unit(&path) {
                    return Err(StoreError::Forbidden {
                        reason: format!("unit {} is outside the caller's reach", unit.unit.code),
                    });
                }
                Some(path)
            }
            None => None,
        };
        let unit_codes = self.unit_code_chains().await?;
        let mut after: Option<Uuid> = None;
        loop {
            let mut query = employee::Entity::find()
                .select_only()
                .column(employee::Column::Id)
                .column(employee::Column::UnitId)
                .column(employee::Column::EmploymentType)
                .column(position::Column::Kind)
                .column(position::Column::Title)
                .join(
                    sea_orm::JoinType::InnerJoin,
                    employee::Entity::belongs_to(position::Entity)
                        .from(employee::Column::PositionId)
                        .to(position::Column::Id)
                        .into(),
                )
                .records_in_scope(&self.scope, employee::Column::Id)
                .order_by_asc(employee::Column::Id)
                .limit(EMPLOYEES_PER_ROUND);
            if let Some(path) = &subtree {
                query = query.filter(employee::Column::UnitId.in_subquery(subtree_unit_ids(path)));
            }
            if let Some(after) = after {
                query = query.filter(employee::Column::Id.gt(after));
            }
            let members: Vec<Member> = query.into_model().all(&self.db).await?;
            let Some(last) = members.last() else { break };
            after = Some(last.id);
            let facts = self.development_facts(&members, &unit_codes, year).await?;
            let mut drafts = HashMap::with_capacity(members.len());
            for (member, (facts, training_ids)) in members.iter().zip(facts) {
                let needs = kinerja_scoring::derive_needs(pack, catalogue, &facts)
                    .map_err(|e| StoreError::FailedPrecondition(format!("training needs of {year}: {e}")))?;
                drafts.insert(member.id, (needs, training_ids));
            }
            let round = self.merge_needs(year, drafts, actor).await?;
            summary.employees += members.len() as u64;
            summary.raised += round.raised;
            summary.updated += round.updated;
            summary.completed += round.completed;
            summary.closed += round.closed;
            summary.unchanged += round.unchanged;
        }
        Ok(summary)
    }

    /// For every unit, its code and the codes of every unit above it: what a programme's `for_units`
    /// is matched against.
    async fn unit_code_chains(&self) -> StoreResult<HashMap<Uuid, Vec<String>>> {
        let units: Vec<(Uuid, String, Option<Uuid>)> = unit::Entity::find()
            .select_only()
            .columns([unit::Column::Id, unit::Column::Code, unit::Column::ParentId])
            .into_tuple()
            .all(&self.db)
            .await?;
        let parents: HashMap<Uuid, (&str, Option<Uuid>)> =
            units.iter().map(|(id, code, parent)| (*id, (code.as_str(), *parent))).collect();
        Ok(units
            .iter()
            .map(|(id, _, _)| {
                let mut codes = Vec::new();
                let mut at = Some(*id);
                // The depth bounds the walk should the tree ever hold a cycle.
                while let Some((code, parent)) = at.and_then(|u| parents.get(&u)).filter(|_| codes.len() < units.len())
                {
                    codes.push((*code).to_owned());
                    at = *parent;
                }
                (*id, codes)
            })
            .collect())
    }

    /// The facts of each member's year, with the ids of the training records in `facts.training`.
    async fn development_facts(
        &self,
        members: &[Member],
        unit_codes: &HashMap<Uuid, Vec<String>>,
        year: i32,
    ) -> StoreResult<Vec<(DevelopmentFacts, Vec<Uuid>)>> {
        let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
        let plans: Vec<plan::Model> = plan::Entity::find()
            .filter(plan::Column::EmployeeId.is_in(ids.iter().copied()))
            .filter(plan::Column::Year.eq(year))
            .all(&self.db)
            .await?;
        let plan_owner: HashMap<Uuid, Uuid> = plans.iter().map(|p| (p.id, p.employee_id)).collect();
        // The latest evaluation of the year per employee: the annual one, else the last periodic one.
        // (id, predikat) of each; the explanation stays unread.
        let mut latest: HashMap<Uuid, (Period, (Uuid, String))> = HashMap::new();
        let rows: Vec<(Uuid, Uuid, String, String)> = evaluation::Entity::find()
            .select_only()
            .columns([
                evaluation::Column::Id,
                evaluation::Column::PlanId,
                evaluation::Column::Period,
                evaluation::Column::Predikat,
            ])
            .filter(evaluation::Column::PlanId.is_in(plan_owner.keys().copied()))
            .into_tuple()
            .all(&self.db)
            .await?;
        for (id, plan_id, period, predikat) in rows {
            let Ok(period) = period.parse::<Period>() else { continue };
            let owner = plan_owner[&plan_id];
            if latest.get(&owner).is_none_or(|(seen, _)| period.end() > seen.end()) {
                latest.insert(owner, (period, (id, predikat)));
            }
        }
        let evaluation_ids: Vec<Uuid> = latest.values().map(|(_, (id, _))| *id).collect();
        let mut dimensions: HashMap<Uuid, BTreeMap<String, (rust_decimal::Decimal, u32)>> = HashMap::new();
        for row in indicator_achievement::Entity::find()
            .filter(indicator_achievement::Column::EvaluationId.is_in(evaluation_ids))
            .filter(indicator_achievement::Column::Achievement.is_not_null())
            .all(&self.db)
            .await?
        {
            let slot = dimensions.entry(row.employee_id).or_default().entry(row.aspect).or_default();
            slot.0 += row.achievement.unwrap_or_default();
            slot.1 += 1;
        }
        let mut behaviour: HashMap<Uuid, Vec<_>> = HashMap::new();
        let mut notes: HashMap<Uuid, Vec<(Option<kinerja_domain::BerakhlakValue>, String)>> = HashMap::new();
        for row in behaviour_rating::Entity::find()
            .filter(behaviour_rating::Column::PlanId.is_in(plan_owner.keys().copied()))
            .filter(behaviour_rating::Column::Period.eq(Period::Year(year).to_string()))
            .all(&self.db)
            .await?
        {
            if let (Ok(value), Ok(level)) = (row.value.parse(), row.level.parse()) {
                let owner = plan_owner[&row.plan_id];
                behaviour.entry(owner).or_default().push((value, level));
                if let Some(note) = row.note {
                    notes.entry(owner).or_default().push((Some(value), note));
                }
            }
        }
        for row in feedback_note::Entity::find()
            .filter(feedback_note::Column::PlanId.is_in(plan_owner.keys().copied()))
            .order_by_asc(feedback_note::Column::CreatedAt)
            .all(&self.db)
            .await?
        {
            let value = row.behaviour.and_then(|value| value.parse().ok());
            notes.entry(plan_owner[&row.plan_id]).or_default().push((value, row.text));
        }
        let mut assessed: HashMap<Uuid, BTreeMap<String, u8>> = HashMap::new();
        for row in competency_assessment::Entity::find()
            .filter(competency_assessment::Column::EmployeeId.is_in(ids.iter().copied()))
            .filter(competency_assessment::Column::AssessedOn.lte(NaiveDate::from_ymd_opt(year, 12, 31)))
            .order_by_asc(competency_assessment::Column::AssessedOn)
            .all(&self.db)
            .await?
        {
            // Ascending dates: the latest assessment of a competency is the one kept.
            let level = u8::try_from(row.level).unwrap_or_default();
            assessed.entry(row.employee_id).or_default().insert(row.competency, level);
        }
        let mut training: HashMap<Uuid, Vec<(Uuid, String, u32)>> = HashMap::new();
        for row in training_record::Entity::find()
            .filter(training_record::Column::EmployeeId.is_in(ids.iter().copied()))
            .filter(
                training_record::Column::FinishedOn
                    .between(NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)),
            )
            .order_by_asc(training_record::Column::FinishedOn)
            .all(&self.db)
            .await?
        {
            let hours = u32::try_from(row.hours).unwrap_or_default();
            training.entry(row.employee_id).or_default().push((row.id, row.programme, hours));
        }
        members
            .iter()
            .map(|member| {
                let corrupt =
                    |reason: String| StoreError::Corrupt { table: "employees", id: member.id.to_string(), reason };
                let position_kind: PositionKind = member.kind.parse().map_err(|e| corrupt(format!("{e}")))?;
                let employment = member.employment_type.parse().map_err(|e| corrupt(format!("{e}")))?;
                let predikat = latest.get(&member.id).and_then(|(_, (_, predikat))| predikat.parse().ok());
                let dimensions = dimensions
                    .remove(&member.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(aspect, (sum, n))| {
                        let mean = rust_decimal::prelude::ToPrimitive::to_f64(&(sum / rust_decimal::Decimal::from(n)))?;
                        Some((aspect.parse().ok()?, mean))
                    })
                    .collect();
                let attended = training.remove(&member.id).unwrap_or_default();
                let training_ids = attended.iter().map(|(id, _, _)| *id).collect();
                let facts = DevelopmentFacts {
                    position_kind,
                    position_title: member.title.clone(),
                    unit_codes: unit_codes.get(&member.unit_id).cloned().unwrap_or_default(),
                    employment,
                    predikat,
                    behaviour: behaviour.remove(&member.id).unwrap_or_default(),
                    dimensions,
                    assessed: assessed.remove(&member.id).unwrap_or_default().into_iter().collect(),
                    training: attended.into_iter().map(|(_, programme, hours)| (programme, hours)).collect(),
                    notes: notes.remove(&member.id).unwrap_or_default(),
                };
                Ok((facts, training_ids))
            })
            .collect()
    }

    async fn merge_needs(
        &self,
        year: i32,
        drafts: HashMap<Uuid, (Vec<NeedDraft>, Vec<Uuid>)>,
        actor: Option<&Actor>,
    ) -> StoreResult<NeedSummary> {
        let txn = self.write_txn().await?;
        // By employee only, the leading column of the unique key: a year condition lets the planner pick
        // the year index on a table growing faster than its statistics during a derivation.
        let existing: Vec<training_need::Model> = training_need::Entity::find()
            .filter(training_need::Column::EmployeeId.is_in(drafts.keys().copied()))
            .all(&txn)
            .await?;
        let mut recorded: HashMap<(Uuid, String, String), training_need::Model> = existing
            .into_iter()
            .filter(|row| row.year == year)
            .map(|row| ((row.employee_id, row.reason.clone(), row.topic.clone()), row))
            .collect();
        let now = Utc::now();
        let mut summary = NeedSummary::default();
        let mut inserts = Vec::new();
        for (employee_id, (needs, training_ids)) in drafts {
            for draft in needs {
                let completed_by = draft.completed_by.and_then(|i| training_ids.get(i).copied());
                let suggested = draft.suggested.join(",");
                let key = (employee_id, draft.reason.as_str().to_owned(), draft.topic.clone());
                let Some(row) = recorded.remove(&key) else {
                    summary.raised += 1;
                    summary.completed += u64::from(completed_by.is_some());
                    inserts.push(
                        training_need::Model {
                            id: new_record_id(),
                            employee_id,
                            year,
                            reason: key.1,
                            topic: key.2,
                            detail: draft.detail,
                            priority: draft.priority.as_str().to_owned(),
                            suggested_programmes: suggested,
                            status: if completed_by.is_some() { NeedStatus::Completed } else { NeedStatus::Open }
                                .as_str()
                                .to_owned(),
                            planned_programme: None,
                            planned_on: None,
                            training_record_id: completed_by,
                            closed_reason: None,
                            created_at: now,
                            updated_at: now,
                            version: 1,
                        }
                        .into_active_model(),
                    );
                    continue;
                };
                let mut next = row.clone();
                next.detail = draft.detail;
                next.priority = draft.priority.as_str().to_owned();
                next.suggested_programmes = suggested;
                let status: NeedStatus = row.status.parse().unwrap_or(NeedStatus::Open);
                if status == NeedStatus::Closed && row.closed_reason.as_deref() == Some(CAUSE_GONE) {
                    next.status = NeedStatus::Open.as_str().to_owned();
                    next.closed_reason = None;
                }
                let active = next.status.parse::<NeedStatus>().is_ok_and(NeedStatus::is_active);
                if let (true, Some(record)) = (active, completed_by) {
                    next.status = NeedStatus::Completed.as_str().to_owned();
                    next.training_record_id = Some(record);
                    summary.completed += 1;
                }
                if next == row {
                    summary.unchanged += 1;
                } else {
                    summary.updated += 1;
                    next.updated_at = now;
                    next.version += 1;
                    next.into_active_model().reset_all().update(&txn).await?;
                }
            }
        }
        // What is left was not derived again: an active need whose cause is gone closes.
        for row in recorded.into_values() {
            if row.status.parse::<NeedStatus>().is_ok_and(NeedStatus::is_active) {
                summary.closed += 1;
                let mut next = row;
                next.status = NeedStatus::Closed.as_str().to_owned();
                next.closed_reason = Some(CAUSE_GONE.to_owned());
                next.updated_at = now;
                next.version += 1;
                next.into_active_model().reset_all().update(&txn).await?;
            }
        }
        for chunk in inserts.chunks(1_000) {
            training_need::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        if summary.raised + summary.updated + summary.closed > 0 {
            audit(
                &txn,
                actor,
                "training_needs.derived",
                "training_needs",
                new_record_id(),
                None,
                Some(json!({
                    "year": year,
                    "raised": summary.raised,
                    "updated": summary.updated,
                    "completed": summary.completed,
                    "closed": summary.closed,
                })),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(summary)
    }

    /// The training needs of employees in a year (all statuses when `status` is `None`), in reach,
    /// highest priority first.
    pub async fn training_needs_of_employees(
        &self,
        employee_ids: &[Uuid],
        year: i32,
        status: Option<NeedStatus>,
    ) -> StoreResult<Vec<TrainingNeedRecord>> {
        let mut query = training_need::Entity::find()
            .filter(training_need::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .filter(training_need::Column::Year.eq(year))
            .records_in_scope(&self.scope, training_need::Column::EmployeeId);
        if let Some(status) = status {
            query = query.filter(training_need::Column::Status.eq(status.as_str()));
        }
        let mut needs: Vec<TrainingNeedRecord> =
            records(query.order_by_asc(training_need::Column::Id).all(&self.db).await?)?;
        needs.sort_by_key(|need| (need.priority, need.reason));
        Ok(needs)
    }

    /// A page of the training needs of a unit's subtree, of the records in reach, highest priority first.
    pub async fn unit_training_needs(
        &self,
        unit: &UnitRecord,
        filter: &NeedFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<TrainingNeedRecord>> {
        let query = self.subtree_needs(unit, filter).await?;
        // The priority's rank, not its text: high, medium, low.
        let rank = Expr::cust("CASE training_needs.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END");
        let query = query.order_by_asc(rank).order_by_asc(training_need::Column::Id).offset(offset).limit(limit);
        records(query.all(&self.db).await?)
    }

    /// How many needs [`Store::unit_training_needs`] lists in all.
    pub async fn unit_training_need_count(&self, unit: &UnitRecord, filter: &NeedFilter) -> StoreResult<u64> {
        Ok(self.subtree_needs(unit, filter).await?.count(&self.db).await?)
    }

    async fn subtree_needs(
        &self,
        unit: &UnitRecord,
        filter: &NeedFilter,
    ) -> StoreResult<sea_orm::Select<training_need::Entity>> {
        let path = self.unit_path(unit).await?;
        let mut query = training_need::Entity::find()
            .filter(training_need::Column::Year.eq(filter.year))
            .filter(training_need::Column::EmployeeId.in_subquery(subtree_employee_ids(&path)))
            .records_in_scope(&self.scope, training_need::Column::EmployeeId);
        if let Some(status) = filter.status {
            query = query.filter(training_need::Column::Status.eq(status.as_str()));
        }
        if let Some(priority) = filter.priority {
            query = query.filter(training_need::Column::Priority.eq(priority.as_str()));
        }
        if let Some(reason) = filter.reason {
            query = query.filter(training_need::Column::Reason.eq(reason.as_str()));
        }
        Ok(query)
    }

    /// A unit's open and planned needs of a year, counted by suggested programme (a need counts for
    /// each programme that answers it), most wanted first. Counted in the database within reach; an
    /// analyst sees only programmes wanted by at least the minimum group.
    pub async fn programme_demand(&self, unit: &UnitRecord, year: i32) -> StoreResult<Vec<ProgrammeDemand>> {
        let path = self.unit_path(unit).await?;
        let rows: Vec<(Uuid, String)> = training_need::Entity::find()
            .select_only()
            .column(training_need::Column::EmployeeId)
            .column(training_need::Column::SuggestedProgrammes)
            .filter(training_need::Column::Year.eq(year))
            .filter(training_need::Column::Status.is_in([NeedStatus::Open.as_str(), NeedStatus::Planned.as_str()]))
            .filter(training_need::Column::EmployeeId.in_subquery(subtree_employee_ids(&path)))
            .records_in_scope(&self.scope, training_need::Column::EmployeeId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut demand: BTreeMap<String, (u64, std::collections::BTreeSet<Uuid>)> = BTreeMap::new();
        for (employee_id, programmes) in rows {
            for code in split_codes(&programmes) {
                let entry = demand.entry(code).or_default();
                entry.0 += 1;
                entry.1.insert(employee_id);
            }
        }
        let mut demand: Vec<ProgrammeDemand> = demand
            .into_iter()
            .map(|(programme, (needs, employees))| ProgrammeDemand {
                programme,
                needs,
                employees: employees.len() as u64,
            })
            .filter(|demand| self.scope.may_see_within_reach(demand.employees))
            .collect();
        demand.sort_by(|a, b| {
            b.employees.cmp(&a.employees).then(b.needs.cmp(&a.needs)).then(a.programme.cmp(&b.programme))
        });
        Ok(demand)
    }

    /// Training needs by id, of the records in reach.
    pub async fn training_needs_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<TrainingNeedRecord>> {
        records(
            training_need::Entity::find()
                .filter(training_need::Column::Id.is_in(ids.iter().copied()))
                .records_in_scope(&self.scope, training_need::Column::EmployeeId)
                .all(&self.db)
                .await?,
        )
    }

    /// Refuses to complete the lesson-hours need of `year` before the employee's training of the year
    /// adds up to the minimum for their employment type.
    async fn ensure_hours_reached(
        &self,
        txn: &impl ConnectionTrait,
        packs: &RulePacks,
        employee_id: Uuid,
        year: i32,
    ) -> StoreResult<()> {
        let pack = packs.for_year(year).map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
        let rules = pack.development().map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
        let employee = employee::Entity::find_by_id(employee_id)
            .one(txn)
            .await?
            .ok_or_else(|| StoreError::not_found("employee", employee_id))?;
        let employment = employee.employment_type.parse().map_err(|e: kinerja_domain::PeopleError| {
            StoreError::Corrupt { table: "employees", id: employee_id.to_string(), reason: e.to_string() }
        })?;
        let hours: i64 = training_record::Entity::find()
            .filter(training_record::Column::EmployeeId.eq(employee_id))
            .filter(
                training_record::Column::FinishedOn
                    .between(NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)),
            )
            .all(txn)
            .await?
            .iter()
            .map(|record| i64::from(record.hours))
            .sum();
        let minimum = rules.minimum_jp.for_employment(employment);
        if hours < i64::from(minimum) {
            return Err(StoreError::FailedPrecondition(format!(
                "status: the lesson-hours need of {year} completes when the year's training reaches the minimum: {hours} of {minimum} JP so far"
            )));
        }
        Ok(())
    }

    /// A unit's open and planned needs of a year counted by reason and topic (a competency, a
    /// BerAKHLAK value, an aspect), most frequent first; counted in the database within reach. An analyst
    /// sees only topics of at least the minimum group.
    pub async fn need_topics(&self, unit: &UnitRecord, year: i32) -> StoreResult<Vec<NeedTopic>> {
        let path = self.unit_path(unit).await?;
        let rows: Vec<(String, String, i64)> = training_need::Entity::find()
            .select_only()
            .column(training_need::Column::Reason)
            .column(training_need::Column::Topic)
            .column_as(Expr::col(training_need::Column::Id).count(), "n")
            .filter(training_need::Column::Year.eq(year))
            .filter(training_need::Column::Status.is_in([NeedStatus::Open.as_str(), NeedStatus::Planned.as_str()]))
            .filter(training_need::Column::EmployeeId.in_subquery(subtree_employee_ids(&path)))
            .records_in_scope(&self.scope, training_need::Column::EmployeeId)
            .group_by(training_need::Column::Reason)
            .group_by(training_need::Column::Topic)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut topics = rows
            .into_iter()
            .map(|(reason, topic, n)| {
                let reason = reason.parse().map_err(|e: kinerja_domain::PlanError| StoreError::Corrupt {
                    table: "training_needs",
                    id: topic.clone(),
                    reason: e.to_string(),
                })?;
                Ok(NeedTopic { reason, topic, employees: u64::try_from(n).unwrap_or_default() })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        topics.retain(|topic| self.scope.may_see_within_reach(topic.employees));
        topics.sort_by(|a, b| b.employees.cmp(&a.employees).then(a.reason.cmp(&b.reason)).then(a.topic.cmp(&b.topic)));
        Ok(topics)
    }

    /// Moves a training need on in its lifecycle, as an HR administrator or the head of a unit above
    /// the employee; `expected_version` guards against a concurrent change. The lesson-hours need
    /// completes only once the year's hours reach the minimum of the year's pack in `packs`.
    pub async fn change_training_need(
        &self,
        actor: &Actor,
        packs: &RulePacks,
        id: Uuid,
        change: NeedChange,
        expected_version: Option<i32>,
    ) -> StoreResult<TrainingNeedRecord> {
        Store::require(actor, Capability::ManageDevelopment)?;
        let txn = self.write_txn().await?;
        let row = training_need::Entity::find_by_id(id)
            .records_in_scope(&self.scope, training_need::Column::EmployeeId)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("training need", id))?;
        if actor.employee_id == row.employee_id && actor.role.is_some() {
            return Err(StoreError::Forbidden { reason: "one's own training needs are managed by others".into() });
        }
        if expected_version.is_some_and(|v| v != row.version) {
            return Err(StoreError::Conflict {
                entity: "training need",
                key: id.to_string(),
                current_version: row.version,
            });
        }
        let current: NeedStatus = row.status.parse().map_err(|e: kinerja_domain::PlanError| StoreError::Corrupt {
            table: "training_needs",
            id: id.to_string(),
            reason: e.to_string(),
        })?;
        let mut next = row.clone();
        let target = match &change {
            NeedChange::Plan { .. } => NeedStatus::Planned,
            NeedChange::Complete { .. } => NeedStatus::Completed,
            NeedChange::Close { .. } => NeedStatus::Closed,
        };
        current.ensure_transition(target).map_err(StoreError::invalid)?;
        match change {
            NeedChange::Plan { programme, planned_on } => {
                if programme.trim().is_empty() {
                    return Err(StoreError::FailedPrecondition("programme: a planned need names its programme".into()));
                }
                next.planned_programme =
                    Some(kinerja_domain::free_text(&programme, "programme").map_err(StoreError::invalid)?);
                next.planned_on = Some(planned_on);
            }
            NeedChange::Complete { programme, started_on } => {
                let record = training_record::Entity::find()
                    .filter(training_record::Column::EmployeeId.eq(row.employee_id))
                    .filter(training_record::Column::Programme.eq(programme.trim()))
                    .filter(training_record::Column::StartedOn.eq(started_on))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| {
                        StoreError::not_found(
                            "training record of the employee",
                            format!("{programme} from {started_on}"),
                        )
                    })?;
                if row.reason == NeedReason::Hours.as_str() {
                    self.ensure_hours_reached(&txn, packs, row.employee_id, row.year).await?;
                }
                next.training_record_id = Some(record.id);
            }
            NeedChange::Close { reason } => {
                if reason.trim().is_empty() {
                    return Err(StoreError::FailedPrecondition("reason: closing a need needs a reason".into()));
                }
                next.closed_reason = Some(kinerja_domain::free_text(&reason, "reason").map_err(StoreError::invalid)?);
            }
        }
        next.status = target.as_str().to_owned();
        next.updated_at = Utc::now();
        next.version += 1;
        next.clone().into_active_model().reset_all().update(&txn).await?;
        audit(
            &txn,
            Some(actor),
            &format!("training_need.{target}"),
            "training_need",
            id,
            Some(json!({ "status": row.status, "version": row.version })),
            Some(json!({
                "status": next.status,
                "planned_programme": next.planned_programme,
                "planned_on": next.planned_on,
                "training_record_id": next.training_record_id,
                "closed_reason": next.closed_reason,
                "version": next.version,
            })),
        )
        .await?;
        txn.commit().await?;
        next.try_into()
    }
}
