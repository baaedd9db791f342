//! The employee's own view of their year (penilaian diri), written before the rater decides.

use chrono::{DateTime, Utc};
use kinerja_domain::{BerakhlakValue, Capability, RatingLevel};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::entity::{self_assessment, work_result};
use crate::error::{StoreError, StoreResult};
use crate::records::new_record_id;
use crate::workflow::{Actor, audit};

/// What the employee writes of one part of their year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelfView {
    /// What they achieved on one of their work results (RHK), with a link to evidence.
    WorkResult { work_result_id: Uuid, achieved: String, evidence_link: Option<String> },
    /// The level they see in themselves on a BerAKHLAK value, and why.
    Behaviour { value: BerakhlakValue, level: RatingLevel, note: String },
}

impl SelfView {
    fn subject(&self) -> String {
        match self {
            SelfView::WorkResult { work_result_id, .. } => format!("result:{work_result_id}"),
            SelfView::Behaviour { value, .. } => format!("value:{value}"),
        }
    }
}

/// One part of a plan's self-assessment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAssessmentRecord {
    pub plan_id: Uuid,
    pub view: SelfView,
    pub written_at: DateTime<Utc>,
}

impl TryFrom<self_assessment::Model> for SelfAssessmentRecord {
    type Error = StoreError;
    fn try_from(row: self_assessment::Model) -> StoreResult<Self> {
        let corrupt =
            |reason: String| StoreError::Corrupt { table: "self_assessments", id: row.id.to_string(), reason };
        let view = match (row.work_result_id, &row.value, &row.level) {
            (Some(work_result_id), None, None) => SelfView::WorkResult {
                work_result_id,
                achieved: row.text.clone(),
                evidence_link: row.evidence_link.clone(),
            },
            (None, Some(value), Some(level)) => SelfView::Behaviour {
                value: value.parse().map_err(|e| corrupt(format!("{e}")))?,
                level: level.parse().map_err(|e| corrupt(format!("{e}")))?,
                note: row.text.clone(),
            },
            _ => return Err(corrupt("neither a work result nor a BerAKHLAK value".into())),
        };
        Ok(SelfAssessmentRecord { plan_id: row.plan_id, view, written_at: row.written_at })
    }
}

impl Store {
    /// The employee writes their own view of parts of their plan's year, each replacing what they wrote
    /// of that part before. Only the plan's own employee writes it, on an approved plan, until the
    /// rater decides the year; a work result must be one of the plan's.
    pub async fn write_self_assessment(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        views: Vec<SelfView>,
    ) -> StoreResult<Vec<SelfAssessmentRecord>> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let plan = crate::plans::plan_row(&txn, plan_id).await?;
        if plan.employee_id != actor.employee_id {
            return Err(StoreError::Forbidden {
                reason: "only the plan's own employee writes its self-assessment".into(),
            });
        }
        crate::plans::ensure_before_decision(&txn, &plan, "the self-assessment is written").await?;
        let results: Vec<Uuid> = work_result::Entity::find()
            .filter(work_result::Column::PlanId.eq(plan_id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|row| row.id)
            .collect();
        let mut subjects = Vec::new();
        for (at, view) in views.iter().enumerate() {
            let subject = view.subject();
            if subjects.contains(&subject) {
                return Err(StoreError::FailedPrecondition(format!("views[{at}]: {subject} is written twice")));
            }
            if let SelfView::WorkResult { work_result_id, .. } = view
                && !results.contains(work_result_id)
            {
                return Err(StoreError::FailedPrecondition(format!(
                    "views[{at}]: work result {work_result_id} is not one of this plan's"
                )));
            }
            subjects.push(subject);
        }
        let now = Utc::now();
        let mut written = Vec::with_capacity(views.len());
        for (view, subject) in views.into_iter().zip(subjects) {
            self_assessment::Entity::delete_many()
                .filter(self_assessment::Column::PlanId.eq(plan_id))
                .filter(self_assessment::Column::Subject.eq(subject.as_str()))
                .exec(&txn)
                .await?;
            let (work_result_id, value, level, text, evidence_link) = match &view {
                SelfView::WorkResult { work_result_id, achieved, evidence_link } => {
                    (Some(*work_result_id), None, None, achieved.clone(), evidence_link.clone())
                }
                SelfView::Behaviour { value, level, note } => {
                    (None, Some(value.as_str().to_owned()), Some(level.as_str().to_owned()), note.clone(), None)
                }
            };
            let model = self_assessment::Model {
                id: new_record_id(),
                plan_id,
                subject,
                work_result_id,
                value,
                level,
                text,
                evidence_link,
                written_at: now,
            };
            self_assessment::Entity::insert(model.into_active_model()).exec_without_returning(&txn).await?;
            written.push(SelfAssessmentRecord { plan_id, view, written_at: now });
        }
        let parts: Vec<String> = written.iter().map(|record| record.view.subject()).collect();
        audit(&txn, Some(actor), "self_assessment.written", "plan", plan_id, None, Some(json!({ "parts": parts })))
            .await?;
        txn.commit().await?;
        Ok(written)
    }

    /// The self-assessments of the given plans, of those the caller reaches, work results first.
    pub async fn self_assessments_of_plans(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<SelfAssessmentRecord>> {
        let rows = self_assessment::Entity::find()
            .filter(self_assessment::Column::PlanId.is_in(plan_ids.iter().copied()))
            .within(self_assessment::Column::PlanId, self.scope.plan_ids())
            .order_by_asc(self_assessment::Column::Subject)
            .all(&self.db)
            .await?;
        rows.into_iter().map(SelfAssessmentRecord::try_from).collect()
    }
}
