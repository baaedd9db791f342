//! Feedback on behaviour from peers and subordinates, which PermenPANRB 6/2022 lets the rater draw on for
//! the behaviour rating: the rater invites colleagues on a plan, each answers once with a level per
//! BerAKHLAK value. The rater reads every answer; the employee reads them only aggregated, and only
//! once enough have answered that no answer can be told apart.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kinerja_domain::{BerakhlakValue, Capability, RatingLevel};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::entity::{employee, feedback_answer, feedback_request, plan, rating_decision, unit};
use crate::error::{StoreError, StoreResult};
use crate::org::agency_of;
use crate::records::new_record_id;
use crate::workflow::{Actor, audit};

/// The most colleagues invited on one plan.
pub const MAX_RESPONDENTS: usize = 12;

/// How a respondent stands to the employee, as the register shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The employee is their superior.
    Subordinate,
    Peer,
}

impl Relation {
    fn as_str(self) -> &'static str {
        match self {
            Relation::Subordinate => "subordinate",
            Relation::Peer => "peer",
        }
    }
}

/// One respondent's level and note on a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackAnswer {
    pub value: BerakhlakValue,
    pub level: RatingLevel,
    pub note: Option<String>,
}

/// An invitation and, once given, its answers: what the rater and the respondent read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRequestRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    /// Whose behaviour it is about, and the year.
    pub employee_name: String,
    pub year: i32,
    pub respondent_id: Uuid,
    pub respondent_name: String,
    pub relation: Relation,
    pub invited_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answers: Vec<FeedbackAnswer>,
}

/// What the employee reads of the feedback on their plan: how many were asked and answered, and per value
/// how many answers saw each level — or nothing per value while too few have answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackSummary {
    pub invited: u64,
    pub answered: u64,
    /// Whether the round is closed — every colleague asked answered, or the rater decided — with enough
    /// answers: only then are counts shown, so that no answer can be read off as the difference of two.
    pub shown: bool,
    /// Per value, the answers at each level; empty while fewer than the minimum answered.
    pub levels: BTreeMap<BerakhlakValue, BTreeMap<RatingLevel, u64>>,
}

/// Whether every colleague asked has answered, with at least `min_answers` answers.
fn round_complete(invited: usize, answered: usize, min_answers: u32) -> bool {
    invited == answered && answered as u64 >= u64::from(min_answers)
}

fn corrupt(table: &'static str, id: Uuid, reason: String) -> StoreError {
    StoreError::Corrupt { table, id: id.to_string(), reason }
}

impl Store {
    /// The rater invites colleagues of the employee to give feedback on their behaviour; each is invited
    /// once, and neither the employee nor the rater answers on their own plan.
    pub async fn invite_behaviour_feedback(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        respondents: &[Uuid],
        min_answers: u32,
    ) -> StoreResult<Vec<FeedbackRequestRecord>> {
        Store::require(actor, Capability::Rate)?;
        let txn = self.write_txn().await?;
        let plan = crate::plans::plan_row(&txn, plan_id).await?;
        if plan.rater_id != Some(actor.employee_id) {
            return Err(StoreError::Forbidden { reason: "only the plan's rater asks colleagues for feedback".into() });
        }
        crate::plans::ensure_before_decision(&txn, &plan, "feedback is asked").await?;
        if respondents.is_empty() {
            return Err(StoreError::InvalidInput("respondents: name at least one colleague".into()));
        }
        let asked =
            feedback_request::Entity::find().filter(feedback_request::Column::PlanId.eq(plan_id)).all(&txn).await?;
        if round_complete(asked.len(), asked.iter().filter(|r| r.answered_at.is_some()).count(), min_answers) {
            return Err(StoreError::FailedPrecondition(
                "every colleague asked has answered and the employee reads the summary; a closed round takes no one more"
                    .into(),
            ));
        }
        if asked.len() + respondents.len() > MAX_RESPONDENTS {
            return Err(StoreError::FailedPrecondition(format!(
                "respondents: at most {MAX_RESPONDENTS} colleagues are asked on one plan; {} are already",
                asked.len()
            )));
        }
        let people = employee::Entity::find()
            .filter(employee::Column::Id.is_in(respondents.iter().copied().chain([plan.employee_id])))
            .all(&txn)
            .await?;
        let units =
            unit::Entity::find().filter(unit::Column::Id.is_in(people.iter().map(|p| p.unit_id))).all(&txn).await?;
        let agency =
            |person: &employee::Model| units.iter().find(|u| u.id == person.unit_id).and_then(|u| agency_of(&u.path));
        let rated = people.iter().find(|p| p.id == plan.employee_id).and_then(agency);
        let now = Utc::now();
        for (at, respondent) in respondents.iter().enumerate() {
            let Some(person) = people.iter().find(|p| p.id == *respondent) else {
                return Err(StoreError::not_found("employee", respondent));
            };
            if *respondent == plan.employee_id || Some(*respondent) == plan.rater_id {
                return Err(StoreError::InvalidInput(format!(
                    "respondents[{at}]: {} is the employee or the rater; colleagues give this feedback",
                    person.nip
                )));
            }
            let relation =
                if person.superior_id == Some(plan.employee_id) { Relation::Subordinate } else { Relation::Peer };
            if relation == Relation::Peer && rated.is_some() && agency(person) != rated {
                return Err(StoreError::InvalidInput(format!(
                    "respondents[{at}]: {} works in another perangkat daerah; peers and subordinates of the employee's own give this feedback",
                    person.nip
                )));
            }
            if asked.iter().any(|r| r.respondent_id == *respondent) || respondents[..at].contains(respondent) {
                return Err(StoreError::FailedPrecondition(format!(
                    "respondents[{at}]: {} is asked already",
                    person.nip
                )));
            }
            let model = feedback_request::Model {
                id: new_record_id(),
                plan_id,
                respondent_id: *respondent,
                relation: relation.as_str().to_owned(),
                invited_by: actor.employee_id,
                invited_at: now,
                answered_at: None,
            };
            feedback_request::Entity::insert(model.into_active_model()).exec_without_returning(&txn).await?;
        }
        audit(
            &txn,
            Some(actor),
            "behaviour_feedback.invited",
            "plan",
            plan_id,
            None,
            Some(json!({ "respondents": respondents.len() })),
        )
        .await?;
        txn.commit().await?;
        self.unscoped_requests(feedback_request::Column::PlanId.eq(plan_id)).await
    }

    /// The invited colleague answers, once: a level for at least one value, each value once.
    pub async fn answer_behaviour_feedback(
        &self,
        actor: &Actor,
        request_id: Uuid,
        answers: Vec<FeedbackAnswer>,
    ) -> StoreResult<FeedbackRequestRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let request = feedback_request::Entity::find_by_id(request_id)
            .filter(feedback_request::Column::RespondentId.eq(actor.employee_id))
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("feedback request to the caller", request_id))?;
        if request.answered_at.is_some() {
            return Err(StoreError::FailedPrecondition(
                "the request is answered already; an answer is given once".into(),
            ));
        }
        let plan = crate::plans::plan_row(&txn, request.plan_id).await?;
        crate::plans::ensure_before_decision(&txn, &plan, "feedback is asked").await?;
        if answers.is_empty() {
            return Err(StoreError::InvalidInput("answers: rate at least one BerAKHLAK value".into()));
        }
        for (at, answer) in answers.iter().enumerate() {
            if answers[..at].iter().any(|a| a.value == answer.value) {
                return Err(StoreError::InvalidInput(format!("answers[{at}]: {} is answered twice", answer.value)));
            }
        }
        for answer in &answers {
            let note =
                kinerja_domain::optional_free_text(answer.note.as_deref(), "note").map_err(StoreError::invalid)?;
            let model = feedback_answer::Model {
                id: new_record_id(),
                request_id,
                value: answer.value.as_str().to_owned(),
                level: answer.level.as_str().to_owned(),
                note,
            };
            feedback_answer::Entity::insert(model.into_active_model()).exec_without_returning(&txn).await?;
        }
        let mut answered = request.into_active_model();
        answered.answered_at = sea_orm::Set(Some(Utc::now()));
        sea_orm::ActiveModelTrait::update(answered, &txn).await?;
        audit(&txn, Some(actor), "behaviour_feedback.answered", "plan", plan.id, None, None).await?;
        txn.commit().await?;
        let mut records = self.unscoped_requests(feedback_request::Column::Id.eq(request_id)).await?;
        records.pop().ok_or_else(|| StoreError::not_found("feedback request", request_id))
    }

    /// The requests and answers on a plan, for its rater only.
    pub async fn behaviour_feedback_for_rater(
        &self,
        viewer: Uuid,
        plan_id: Uuid,
    ) -> StoreResult<Option<Vec<FeedbackRequestRecord>>> {
        let plan = plan::Entity::find_by_id(plan_id).one(&self.db).await?;
        if plan.is_none_or(|p| p.rater_id != Some(viewer)) {
            return Ok(None);
        }
        Ok(Some(self.unscoped_requests(feedback_request::Column::PlanId.eq(plan_id)).await?))
    }

    /// The requests sent to `respondent`, open ones first.
    pub async fn feedback_requests_to(&self, respondent: Uuid) -> StoreResult<Vec<FeedbackRequestRecord>> {
        let mut requests = self.unscoped_requests(feedback_request::Column::RespondentId.eq(respondent)).await?;
        requests.sort_by_key(|r| (r.answered_at.is_some(), std::cmp::Reverse(r.invited_at)));
        Ok(requests)
    }

    /// The aggregate the employee (and whoever reaches the plan) reads; per-value counts only once
    /// `min_answers` have answered.
    pub async fn behaviour_feedback_summary(
        &self,
        plan_id: Uuid,
        min_answers: u32,
    ) -> StoreResult<Option<FeedbackSummary>> {
        let visible =
            plan::Entity::find_by_id(plan_id).within(plan::Column::Id, self.scope.plan_ids()).one(&self.db).await?;
        if visible.is_none() {
            return Ok(None);
        }
        let requests = self.unscoped_requests(feedback_request::Column::PlanId.eq(plan_id)).await?;
        if requests.is_empty() {
            return Ok(None);
        }
        let answered: Vec<&FeedbackRequestRecord> = requests.iter().filter(|r| r.answered_at.is_some()).collect();
        let decided = rating_decision::Entity::find()
            .filter(rating_decision::Column::PlanId.eq(plan_id))
            .one(&self.db)
            .await?
            .is_some();
        let shown = answered.len() as u64 >= u64::from(min_answers)
            && (decided || round_complete(requests.len(), answered.len(), min_answers));
        let mut levels: BTreeMap<BerakhlakValue, BTreeMap<RatingLevel, u64>> = BTreeMap::new();
        if shown {
            for answer in answered.iter().flat_map(|r| &r.answers) {
                *levels.entry(answer.value).or_default().entry(answer.level).or_default() += 1;
            }
            // A value fewer colleagues rated would tell their answers apart.
            levels.retain(|_, counts| counts.values().sum::<u64>() >= u64::from(min_answers));
        }
        Ok(Some(FeedbackSummary { invited: requests.len() as u64, answered: answered.len() as u64, shown, levels }))
    }

    async fn unscoped_requests(
        &self,
        condition: sea_orm::sea_query::SimpleExpr,
    ) -> StoreResult<Vec<FeedbackRequestRecord>> {
        let rows = feedback_request::Entity::find()
            .filter(condition)
            .order_by_asc(feedback_request::Column::InvitedAt)
            .order_by_asc(feedback_request::Column::Id)
            .all(&self.db)
            .await?;
        let answers = feedback_answer::Entity::find()
            .filter(feedback_answer::Column::RequestId.is_in(rows.iter().map(|r| r.id)))
            .all(&self.db)
            .await?;
        let plans =
            plan::Entity::find().filter(plan::Column::Id.is_in(rows.iter().map(|r| r.plan_id))).all(&self.db).await?;
        let people = employee::Entity::find()
            .filter(
                employee::Column::Id
                    .is_in(rows.iter().map(|r| r.respondent_id).chain(plans.iter().map(|p| p.employee_id))),
            )
            .all(&self.db)
            .await?;
        let name_of = |id: Uuid| people.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_default();
        rows.into_iter()
            .map(|row| {
                let relation = match row.relation.as_str() {
                    "subordinate" => Relation::Subordinate,
                    "peer" => Relation::Peer,
                    other => return Err(corrupt("feedback_requests", row.id, format!("relation {other}"))),
                };
                let answers = answers
                    .iter()
                    .filter(|a| a.request_id == row.id)
                    .map(|a| {
                        Ok(FeedbackAnswer {
                            value: a.value.parse().map_err(|e| corrupt("feedback_answers", a.id, format!("{e}")))?,
                            level: a.level.parse().map_err(|e| corrupt("feedback_answers", a.id, format!("{e}")))?,
                            note: a.note.clone(),
                        })
                    })
                    .collect::<StoreResult<Vec<_>>>()?;
                let plan = plans
                    .iter()
                    .find(|p| p.id == row.plan_id)
                    .ok_or_else(|| corrupt("feedback_requests", row.id, "its plan is gone".into()))?;
                Ok(FeedbackRequestRecord {
                    id: row.id,
                    plan_id: row.plan_id,
                    employee_name: name_of(plan.employee_id),
                    year: plan.year,
                    respondent_id: row.respondent_id,
                    respondent_name: name_of(row.respondent_id),
                    relation,
                    invited_at: row.invited_at,
                    answered_at: row.answered_at,
                    answers,
                })
            })
            .collect()
    }
}
