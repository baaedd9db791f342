//! Individual development plans: the employee proposes goals with their activities, the rater agrees,
//! a training record of an activity's programme (imported, or recorded by the rater for learning at
//! work) credits it with its JP, and a goal whose activities are all done is achieved and completes the
//! need it answers. Open goals of a year go on into the next year's plan.

use chrono::{DateTime, NaiveDate, Utc};
use kinerja_domain::{Capability, GoalStatus, LearningKind, NeedStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Statement,
};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::OwnedRecords;
use crate::entity::{development_activity, development_goal, employee, plan, training_need, training_record};
use crate::error::{StoreError, StoreResult};
use crate::records::new_record_id;
use crate::workflow::{Actor, audit};

/// The most activities one goal holds: a goal is a step of a year, not a curriculum.
pub const MAX_ACTIVITIES: usize = 8;

/// The stored statuses of goals still worked on ([`GoalStatus::is_open`]).
const OPEN_STATUSES: [&str; 2] = ["proposed", "agreed"];

/// The most lesson hours one training record credits, as the training-records import allows.
const MAX_RECORDED_HOURS: i32 = 1_000;

/// An activity as the employee plans it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedActivity {
    pub kind: LearningKind,
    /// The programme's name, as its training record will name it.
    pub title: String,
    /// The catalogue programme, when the activity is one.
    pub programme_code: Option<String>,
    pub planned_hours: i32,
    pub planned_on: Option<NaiveDate>,
}

/// A goal as the employee proposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGoal {
    pub year: i32,
    /// The training need the goal answers, when one raised it.
    pub need_id: Option<Uuid>,
    /// The competency to grow.
    pub competency: String,
    /// What reaching it looks like.
    pub target: String,
    pub activities: Vec<PlannedActivity>,
}

/// The training record that shows an activity done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDone {
    pub training_record_id: Uuid,
    pub finished_on: NaiveDate,
    /// Lesson hours (JP) credited.
    pub hours: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentActivityRecord {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub planned: PlannedActivity,
    pub done: Option<ActivityDone>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevelopmentGoalRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub year: i32,
    pub need_id: Option<Uuid>,
    pub competency: String,
    pub target: String,
    pub status: GoalStatus,
    pub agreed_by: Option<Uuid>,
    pub agreed_at: Option<DateTime<Utc>>,
    pub carried_from: Option<Uuid>,
    pub version: i32,
    pub activities: Vec<DevelopmentActivityRecord>,
}

/// The statements that credit training records to the open goals of the employees `employees` (an SQL
/// list or subquery) selects, with `$1` the time: an activity is credited with the employee's first
/// uncredited training record of its programme finished in the goal's year; an agreed goal whose
/// activities are all credited is achieved; and the need of an achieved goal is completed with its last
/// activity's record. The lesson-hours need is left to derivation, which checks the year's sum. Import
/// runs them in its transaction, the mutations in theirs.
pub(crate) fn credit_statements(employees: &str) -> [String; 3] {
    let year_of = |column: &str| format!("CAST(SUBSTR(CAST({column} AS TEXT), 1, 4) AS INTEGER)");
    [
        format!(
            "UPDATE development_activities SET training_record_id = (
               SELECT t.id FROM training_records t, development_goals g
               WHERE g.id = development_activities.goal_id AND t.employee_id = g.employee_id
                 AND LOWER(t.programme) = LOWER(development_activities.title) AND {} = g.year
                 AND NOT EXISTS (SELECT 1 FROM development_activities c WHERE c.training_record_id = t.id)
               ORDER BY t.finished_on, t.started_on LIMIT 1)
             WHERE training_record_id IS NULL AND goal_id IN (
               SELECT id FROM development_goals WHERE status IN ('proposed', 'agreed') AND employee_id IN ({employees}))",
            year_of("t.finished_on")
        ),
        format!(
            "UPDATE development_goals SET status = 'achieved', updated_at = $1, version = version + 1
             WHERE status = 'agreed' AND employee_id IN ({employees}) AND NOT EXISTS (
               SELECT 1 FROM development_activities a WHERE a.goal_id = development_goals.id AND a.training_record_id IS NULL)"
        ),
        format!(
            "UPDATE training_needs SET status = 'completed', updated_at = $1, version = version + 1,
               training_record_id = (SELECT a.training_record_id FROM development_activities a
                 JOIN development_goals g ON g.id = a.goal_id
                 WHERE g.need_id = training_needs.id AND g.status = 'achieved' ORDER BY a.position DESC LIMIT 1)
             WHERE status IN ('open', 'planned') AND reason <> 'hours' AND id IN (
               SELECT need_id FROM development_goals WHERE status = 'achieved' AND employee_id IN ({employees}))"
        ),
    ]
}

/// Credits the training records of one employee, in `txn`.
async fn credit_employee(txn: &DatabaseTransaction, employee_id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    let backend = txn.get_database_backend();
    for sql in credit_statements("$2") {
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, [now.into(), employee_id.into()])).await?;
    }
    Ok(())
}

fn goal_status(row: &development_goal::Model) -> StoreResult<GoalStatus> {
    row.status.parse().map_err(|e: kinerja_domain::PlanError| StoreError::Corrupt {
        table: "development_goals",
        id: row.id.to_string(),
        reason: e.to_string(),
    })
}

/// An activity as it was planned, from its row.
fn planned_activity(row: &development_activity::Model) -> StoreResult<PlannedActivity> {
    Ok(PlannedActivity {
        kind: row.kind.parse().map_err(|e: kinerja_domain::PlanError| StoreError::Corrupt {
            table: "development_activities",
            id: row.id.to_string(),
            reason: e.to_string(),
        })?,
        title: row.title.clone(),
        programme_code: row.programme_code.clone(),
        planned_hours: row.planned_hours,
        planned_on: row.planned_on,
    })
}

fn check_activities(activities: &[PlannedActivity], year: i32) -> StoreResult<()> {
    let refuse = |message: String| Err(StoreError::InvalidInput(message));
    if activities.is_empty() {
        return refuse("activities: a goal is reached through at least one activity".into());
    }
    if activities.len() > MAX_ACTIVITIES {
        return refuse(format!("activities: a goal holds at most {MAX_ACTIVITIES} activities"));
    }
    for (at, activity) in activities.iter().enumerate() {
        kinerja_domain::free_text(&activity.title, "title").map_err(StoreError::invalid)?;
        if activity.title.trim().is_empty() {
            return refuse(format!("activities[{at}].title: an activity is named"));
        }
        if !(1..=400).contains(&activity.planned_hours) {
            return refuse(format!(
                "activities[{at}].plannedHours: {} JP is not a plan; between 1 and 400",
                activity.planned_hours
            ));
        }
        if let Some(on) = activity.planned_on
            && chrono::Datelike::year(&on) != year
        {
            return refuse(format!("activities[{at}].plannedOn: {on} lies outside {year}"));
        }
    }
    Ok(())
}

async fn goal_row(
    txn: &DatabaseTransaction,
    id: Uuid,
    expected_version: Option<i32>,
) -> StoreResult<development_goal::Model> {
    let row = development_goal::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::not_found("development goal", id))?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(StoreError::Conflict {
            entity: "development goal",
            key: id.to_string(),
            current_version: row.version,
        });
    }
    Ok(row)
}

/// Who agrees an employee's goals of a year: the rater of that year's plan, else their superior.
async fn rater_of(txn: &DatabaseTransaction, employee_id: Uuid, year: i32) -> StoreResult<Option<Uuid>> {
    let planned = plan::Entity::find()
        .filter(plan::Column::EmployeeId.eq(employee_id))
        .filter(plan::Column::Year.eq(year))
        .one(txn)
        .await?
        .and_then(|row| row.rater_id);
    if planned.is_some() {
        return Ok(planned);
    }
    Ok(employee::Entity::find_by_id(employee_id).one(txn).await?.and_then(|row| row.superior_id))
}

async fn insert_goal(
    txn: &DatabaseTransaction,
    employee_id: Uuid,
    goal: NewGoal,
    carried_from: Option<Uuid>,
    now: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = new_record_id();
    development_goal::Model {
        id,
        employee_id,
        year: goal.year,
        need_id: goal.need_id,
        competency: goal.competency,
        target: goal.target,
        status: GoalStatus::Proposed.as_str().to_owned(),
        agreed_by: None,
        agreed_at: None,
        carried_from,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(txn)
    .await?;
    for (position, activity) in goal.activities.into_iter().enumerate() {
        development_activity::Model {
            id: new_record_id(),
            goal_id: id,
            position: i32::try_from(position).unwrap_or(i32::MAX),
            kind: activity.kind.as_str().to_owned(),
            title: activity.title.trim().to_owned(),
            programme_code: activity.programme_code,
            planned_hours: activity.planned_hours,
            planned_on: activity.planned_on,
            training_record_id: None,
        }
        .into_active_model()
        .insert(txn)
        .await?;
    }
    Ok(id)
}

/// Carries the open goals of `year - 1` of an employee into `year`: each goes on as a proposal with its
/// activities not yet done, to be agreed again with the new year's rater; the old one is marked carried.
pub(crate) async fn carry_goals_in(
    txn: &DatabaseTransaction,
    employee_id: Uuid,
    year: i32,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let open = development_goal::Entity::find()
        .filter(development_goal::Column::EmployeeId.eq(employee_id))
        .filter(development_goal::Column::Year.eq(year - 1))
        .filter(development_goal::Column::Status.is_in(OPEN_STATUSES))
        .all(txn)
        .await?;
    for row in open {
        let activities = development_activity::Entity::find()
            .filter(development_activity::Column::GoalId.eq(row.id))
            .filter(development_activity::Column::TrainingRecordId.is_null())
            .order_by_asc(development_activity::Column::Position)
            .all(txn)
            .await?;
        let activities = activities
            .iter()
            .map(|a| Ok(PlannedActivity { planned_on: None, ..planned_activity(a)? }))
            .collect::<StoreResult<Vec<_>>>()?;
        let goal = NewGoal {
            year,
            need_id: row.need_id,
            competency: row.competency.clone(),
            target: row.target.clone(),
            activities,
        };
        insert_goal(txn, employee_id, goal, Some(row.id), now).await?;
        let mut old = row.into_active_model();
        old.status = sea_orm::Set(GoalStatus::Carried.as_str().to_owned());
        old.updated_at = sea_orm::Set(now);
        old.version = sea_orm::Set(old.version.as_ref() + 1);
        old.update(txn).await?;
    }
    Ok(())
}

impl Store {
    /// Refuses anyone but the employee of `nip` a change of their development plan: someone the caller
    /// cannot see is not found, since a refusal would tell that the NIP exists.
    pub async fn ensure_own_development_plan(&self, actor: &Actor, nip: &kinerja_domain::Nip) -> StoreResult<()> {
        Store::require(actor, Capability::EditPlans)?;
        if actor.nip == *nip {
            return Ok(());
        }
        if self.employee_by_nip_query(nip).one(&self.db).await?.is_none() {
            return Err(StoreError::not_found("employee with NIP", nip));
        }
        Err(StoreError::Forbidden {
            reason: "only the employee proposes the goals of their own development plan".into(),
        })
    }

    /// The employee proposes a goal of their development plan. A need it answers must be one of theirs,
    /// active, and not yet answered by another open goal.
    pub async fn propose_development_goal(&self, actor: &Actor, goal: NewGoal) -> StoreResult<DevelopmentGoalRecord> {
        Store::require(actor, Capability::EditPlans)?;
        check_activities(&goal.activities, goal.year)?;
        let competency = kinerja_domain::free_text(&goal.competency, "competency").map_err(StoreError::invalid)?;
        let target = kinerja_domain::free_text(&goal.target, "target").map_err(StoreError::invalid)?;
        if competency.trim().is_empty() {
            return Err(StoreError::InvalidInput("competency: a goal names the competency it grows".into()));
        }
        let txn = self.write_txn().await?;
        if let Some(need_id) = goal.need_id {
            let need = training_need::Entity::find_by_id(need_id)
                .filter(training_need::Column::EmployeeId.eq(actor.employee_id))
                .one(&txn)
                .await?
                .ok_or_else(|| StoreError::not_found("training need of the employee", need_id))?;
            if !need.status.parse::<NeedStatus>().is_ok_and(NeedStatus::is_active) {
                return Err(StoreError::FailedPrecondition(format!(
                    "needId: the training need is {}; a goal answers an open or planned need",
                    need.status
                )));
            }
            let answered = development_goal::Entity::find()
                .filter(development_goal::Column::NeedId.eq(need_id))
                .filter(development_goal::Column::Status.is_in(OPEN_STATUSES))
                .one(&txn)
                .await?;
            if answered.is_some() {
                return Err(StoreError::FailedPrecondition(
                    "needId: another open goal of the development plan already answers this need".into(),
                ));
            }
        }
        let now = Utc::now();
        let year = goal.year;
        let id = insert_goal(&txn, actor.employee_id, NewGoal { competency, target, ..goal }, None, now).await?;
        credit_employee(&txn, actor.employee_id, now).await?;
        audit(
            &txn,
            Some(actor),
            "development_goal.proposed",
            "development_goal",
            id,
            None,
            Some(json!({ "year": year })),
        )
        .await?;
        txn.commit().await?;
        self.development_goal(id).await
    }

    /// The employee withdraws a goal not yet agreed.
    pub async fn withdraw_development_goal(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: Option<i32>,
    ) -> StoreResult<()> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let row = goal_row(&txn, id, expected_version).await?;
        if row.employee_id != actor.employee_id {
            return Err(StoreError::Forbidden { reason: "only the plan's own employee withdraws a goal of it".into() });
        }
        let status = goal_status(&row)?;
        if !status.accepts_edits() {
            return Err(StoreError::FailedPrecondition(format!(
                "the goal is {status}; only a proposed goal is withdrawn"
            )));
        }
        development_goal::Entity::delete_by_id(id).exec(&txn).await?;
        audit(&txn, Some(actor), "development_goal.withdrawn", "development_goal", id, None, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The rater agrees a proposed goal: its need is planned with the goal's first programme, and the
    /// training already done is credited.
    pub async fn agree_development_goal(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: Option<i32>,
    ) -> StoreResult<DevelopmentGoalRecord> {
        Store::require(actor, Capability::Rate)?;
        let txn = self.write_txn().await?;
        let row = goal_row(&txn, id, expected_version).await?;
        if rater_of(&txn, row.employee_id, row.year).await? != Some(actor.employee_id) {
            return Err(StoreError::Forbidden {
                reason: "only the employee's rater agrees their development goals".into(),
            });
        }
        goal_status(&row)?.ensure_transition(GoalStatus::Agreed).map_err(StoreError::invalid)?;
        let now = Utc::now();
        let mut next = row.clone().into_active_model();
        next.status = sea_orm::Set(GoalStatus::Agreed.as_str().to_owned());
        next.agreed_by = sea_orm::Set(Some(actor.employee_id));
        next.agreed_at = sea_orm::Set(Some(now));
        next.updated_at = sea_orm::Set(now);
        next.version = sea_orm::Set(row.version + 1);
        next.update(&txn).await?;
        if let Some(need_id) = row.need_id {
            self.plan_need_in(&txn, need_id, id, row.year, now).await?;
        }
        credit_employee(&txn, row.employee_id, now).await?;
        audit(
            &txn,
            Some(actor),
            "development_goal.agreed",
            "development_goal",
            id,
            Some(json!({ "status": row.status, "version": row.version })),
            Some(json!({ "status": GoalStatus::Agreed.as_str(), "version": row.version + 1 })),
        )
        .await?;
        txn.commit().await?;
        self.development_goal(id).await
    }

    /// An open need answered by an agreed goal is planned with the goal's first activity.
    async fn plan_need_in(
        &self,
        txn: &DatabaseTransaction,
        need_id: Uuid,
        goal_id: Uuid,
        year: i32,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let Some(need) = training_need::Entity::find_by_id(need_id).one(txn).await? else { return Ok(()) };
        if need.status != NeedStatus::Open.as_str() {
            return Ok(());
        }
        let Some(first) = development_activity::Entity::find()
            .filter(development_activity::Column::GoalId.eq(goal_id))
            .order_by_asc(development_activity::Column::Position)
            .one(txn)
            .await?
        else {
            return Ok(());
        };
        let last_day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let version = need.version;
        let mut next = need.into_active_model();
        next.status = sea_orm::Set(NeedStatus::Planned.as_str().to_owned());
        next.planned_programme = sea_orm::Set(Some(first.title));
        next.planned_on = sea_orm::Set(Some(first.planned_on.unwrap_or(last_day)));
        next.updated_at = sea_orm::Set(now);
        next.version = sea_orm::Set(version + 1);
        next.update(txn).await?;
        Ok(())
    }

    /// The rater (or HR) records an activity done — learning at work above all, which no training
    /// import shows: a training record of the activity's title with its JP is written and credited.
    pub async fn record_development_activity(
        &self,
        actor: &Actor,
        activity_id: Uuid,
        started_on: NaiveDate,
        finished_on: NaiveDate,
        hours: i32,
        evidence: Option<String>,
    ) -> StoreResult<DevelopmentGoalRecord> {
        let txn = self.write_txn().await?;
        let activity = development_activity::Entity::find_by_id(activity_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("development activity", activity_id))?;
        let goal = goal_row(&txn, activity.goal_id, None).await?;
        let rates = actor.role.is_none_or(|role| role.may(Capability::Rate))
            && rater_of(&txn, goal.employee_id, goal.year).await? == Some(actor.employee_id);
        let manages = actor.role.is_none_or(|role| role.may(Capability::ManageDevelopment))
            && actor.employee_id != goal.employee_id
            && employee::Entity::find_by_id(goal.employee_id)
                .records_in_scope(&self.scope, employee::Column::Id)
                .one(&txn)
                .await?
                .is_some();
        if !rates && !manages {
            return Err(StoreError::Forbidden {
                reason: "only the employee's rater or whoever manages their development records an activity done"
                    .into(),
            });
        }
        if goal_status(&goal)? != GoalStatus::Agreed {
            return Err(StoreError::FailedPrecondition(format!(
                "the goal is {}; activities of an agreed goal are recorded done",
                goal.status
            )));
        }
        if activity.training_record_id.is_some() {
            return Err(StoreError::FailedPrecondition("the activity is already done".into()));
        }
        if finished_on < started_on {
            return Err(StoreError::InvalidInput(format!(
                "finishedOn: {finished_on} is before startedOn {started_on}"
            )));
        }
        if chrono::Datelike::year(&finished_on) != goal.year {
            return Err(StoreError::InvalidInput(format!(
                "finishedOn: {finished_on} lies outside {}, the goal's year",
                goal.year
            )));
        }
        if !(1..=MAX_RECORDED_HOURS).contains(&hours) {
            return Err(StoreError::InvalidInput(format!(
                "hours: {hours} lesson hours is not between 1 and {MAX_RECORDED_HOURS}"
            )));
        }
        let evidence =
            kinerja_domain::optional_free_text(evidence.as_deref(), "evidence").map_err(StoreError::invalid)?;
        let now = Utc::now();
        let clash = training_record::Entity::find()
            .filter(training_record::Column::EmployeeId.eq(goal.employee_id))
            .filter(training_record::Column::Programme.eq(activity.title.as_str()))
            .filter(training_record::Column::StartedOn.eq(started_on))
            .one(&txn)
            .await?;
        if clash.is_some() {
            return Err(StoreError::FailedPrecondition(format!(
                "startedOn: a training record of {} from {started_on} exists already and credits the activity",
                activity.title
            )));
        }
        let record_id = new_record_id();
        training_record::Model {
            id: record_id,
            employee_id: goal.employee_id,
            programme: activity.title.clone(),
            started_on,
            finished_on,
            hours,
            certificate: evidence,
            created_at: now,
        }
        .into_active_model()
        .insert(&txn)
        .await?;
        let mut done = activity.into_active_model();
        done.training_record_id = sea_orm::Set(Some(record_id));
        done.update(&txn).await?;
        credit_employee(&txn, goal.employee_id, now).await?;
        audit(
            &txn,
            Some(actor),
            "development_activity.done",
            "development_goal",
            goal.id,
            None,
            Some(json!({ "activity": activity_id, "training_record": record_id, "hours": hours })),
        )
        .await?;
        txn.commit().await?;
        self.development_goal(goal.id).await
    }

    /// Development goals by id, of those the caller reaches.
    pub async fn development_goals_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<DevelopmentGoalRecord>> {
        let rows = development_goal::Entity::find()
            .filter(development_goal::Column::Id.is_in(ids.iter().copied()))
            .records_in_scope(&self.scope, development_goal::Column::EmployeeId)
            .all(&self.db)
            .await?;
        self.goals_with_activities(rows).await
    }

    async fn development_goal(&self, id: Uuid) -> StoreResult<DevelopmentGoalRecord> {
        let row = development_goal::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("development goal", id))?;
        let mut goals = self.goals_with_activities(vec![row]).await?;
        goals.pop().ok_or_else(|| StoreError::not_found("development goal", id))
    }

    /// The development goals of the given employees in `year` (or in any year), of those the caller
    /// reaches.
    pub async fn development_goals_of_employees(
        &self,
        employee_ids: &[Uuid],
        year: Option<i32>,
    ) -> StoreResult<Vec<DevelopmentGoalRecord>> {
        let mut query = development_goal::Entity::find()
            .filter(development_goal::Column::EmployeeId.is_in(employee_ids.iter().copied()));
        if let Some(year) = year {
            query = query.filter(development_goal::Column::Year.eq(year));
        }
        let rows = query
            .records_in_scope(&self.scope, development_goal::Column::EmployeeId)
            .order_by_asc(development_goal::Column::CreatedAt)
            .order_by_asc(development_goal::Column::Id)
            .all(&self.db)
            .await?;
        self.goals_with_activities(rows).await
    }

    async fn goals_with_activities(
        &self,
        rows: Vec<development_goal::Model>,
    ) -> StoreResult<Vec<DevelopmentGoalRecord>> {
        let activities = development_activity::Entity::find()
            .filter(development_activity::Column::GoalId.is_in(rows.iter().map(|r| r.id)))
            .order_by_asc(development_activity::Column::Position)
            .all(&self.db)
            .await?;
        let records = training_record::Entity::find()
            .filter(training_record::Column::Id.is_in(activities.iter().filter_map(|a| a.training_record_id)))
            .all(&self.db)
            .await?;
        let mut goals = Vec::with_capacity(rows.len());
        for row in rows {
            let status = goal_status(&row)?;
            let mut own = Vec::new();
            for activity in activities.iter().filter(|a| a.goal_id == row.id) {
                let done = activity
                    .training_record_id
                    .and_then(|id| records.iter().find(|r| r.id == id))
                    .map(|r| ActivityDone { training_record_id: r.id, finished_on: r.finished_on, hours: r.hours });
                own.push(DevelopmentActivityRecord {
                    id: activity.id,
                    goal_id: row.id,
                    planned: planned_activity(activity)?,
                    done,
                });
            }
            goals.push(DevelopmentGoalRecord {
                id: row.id,
                employee_id: row.employee_id,
                year: row.year,
                need_id: row.need_id,
                competency: row.competency,
                target: row.target,
                status,
                agreed_by: row.agreed_by,
                agreed_at: row.agreed_at,
                carried_from: row.carried_from,
                version: row.version,
                activities: own,
            });
        }
        Ok(goals)
    }
}
