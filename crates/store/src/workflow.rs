//! The evaluation year as acted out by people: every change checks who acts, the plan's lifecycle and
//! the version the caller saw, and writes an audit event in the same transaction.

use chrono::Utc;
use kinerja_domain::{
    Capability, Evidence, FeedbackNote, Indicator, Nip, PlanAction, PlanError, PlanStatus, Realisation, WorkResult,
    WorkResultSection, free_text, optional_free_text,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::convert::normalise;
use crate::entity::{
    audit_event, dialogue, employee, feedback_note, indicator, objection, plan, rating_decision, realisation,
    realisation_history, unit, work_result,
};
use crate::error::{StoreError, StoreResult};
use crate::plans::FeedbackSubject;
use crate::records::*;

/// Who performs a change: an employee, identified by NIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub employee_id: Uuid,
    pub nip: Nip,
    /// The role the employee acts in; `None` for the command-line tools, which act as the employee
    /// without a role's limits (the store still checks their relation to each record).
    pub role: Option<kinerja_domain::Role>,
}

/// A dialogue to record.
#[derive(Debug, Clone)]
pub struct NewDialogue {
    pub held_on: chrono::NaiveDate,
    pub participants: String,
    pub summary: String,
    pub agreed_actions: String,
}

fn forbidden(reason: impl Into<String>) -> StoreError {
    StoreError::Forbidden { reason: reason.into() }
}

fn plan_json(plan: &plan::Model) -> Value {
    json!({ "status": plan.status, "version": plan.version, "approach": plan.approach, "year": plan.year })
}

fn work_result_json(row: &work_result::Model) -> Value {
    json!({ "code": row.code, "section": row.section, "description": row.description, "parent_id": row.parent_id })
}

fn indicator_json(row: &indicator::Model) -> Value {
    json!({
        "code": row.code, "description": row.description, "aspect": row.aspect, "target_kind": row.target_kind,
        "target_low": row.target_low.to_string(), "target_high": row.target_high.to_string(),
        "unit_of_measure": row.unit_of_measure, "accumulation": row.accumulation,
    })
}

fn realisation_json(row: &realisation::Model) -> Value {
    json!({
        "period": row.period, "value": normalise(row.value).to_string(), "evidence_note": row.evidence_note,
        "evidence_link": row.evidence_link, "source": row.source, "version": row.version,
    })
}

/// Appends one audit event within the caller's transaction, chained to the event before it.
pub(crate) async fn audit(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    action: &str,
    entity_type: &str,
    entity_id: Uuid,
    before: Option<Value>,
    after: Option<Value>,
) -> StoreResult<()> {
    crate::audit_chain::append(
        txn,
        audit_event::Model {
            id: new_record_id(),
            occurred_at: Utc::now(),
            actor_id: actor.map(|a| a.employee_id),
            actor_role: actor.and_then(|a| a.role).map(|role| role.as_str().to_owned()),
            action: action.to_owned(),
            entity_type: entity_type.to_owned(),
            entity_id,
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
            sequence: None,
            previous_hash: None,
            hash: None,
        },
    )
    .await
}

/// Keeps a realisation's current value in its history before it is replaced.
pub(crate) async fn keep_in_history(
    txn: &DatabaseTransaction,
    before: &realisation::Model,
    replaced_by: Option<Uuid>,
) -> StoreResult<()> {
    let history = realisation_history::Model {
        id: new_record_id(),
        realisation_id: before.id,
        value: before.value,
        evidence_note: before.evidence_note.clone(),
        evidence_link: before.evidence_link.clone(),
        source: before.source.clone(),
        recorded_at: before.recorded_at,
        replaced_at: Utc::now(),
        replaced_by,
    };
    realisation_history::Entity::insert(history.into_active_model()).exec_without_returning(txn).await?;
    Ok(())
}

/// Claims the next version of a plan for a change by its owner or rater. The caller's relation is checked
/// before the version, so that no one else learns anything of the plan, not even its version.
pub(crate) async fn plan_for_update(
    txn: &DatabaseTransaction,
    actor: &Actor,
    plan_id: Uuid,
    expected_version: i32,
) -> StoreResult<plan::Model> {
    let row = crate::plans::plan_row(txn, plan_id).await?;
    ensure_owner_or_rater(actor, &row)?;
    // Moving the version forward only from the version the caller saw detects any change in between.
    let moved = plan::Entity::update_many()
        .col_expr(plan::Column::Version, Expr::col(plan::Column::Version).add(1))
        .col_expr(plan::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(plan::Column::Id.eq(plan_id))
        .filter(plan::Column::Version.eq(expected_version))
        .exec(txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(StoreError::Conflict { entity: "plan", key: plan_id.to_string(), current_version: row.version });
    }
    Ok(plan::Model { version: row.version + 1, ..row })
}

fn status_of(row: &plan::Model) -> StoreResult<PlanStatus> {
    row.status.parse().map_err(StoreError::invalid)
}

/// Refuses anyone but the plan's owner and rater; `action` completes "only the plan's owner or rater …".
pub(crate) fn ensure_owner_or_rater_to(actor: &Actor, row: &plan::Model, action: &str) -> StoreResult<()> {
    if actor.employee_id == row.employee_id || Some(actor.employee_id) == row.rater_id {
        Ok(())
    } else {
        Err(forbidden(format!("only the plan's owner or rater {action}")))
    }
}

/// Whether the actor holds a managerial position in a unit whose subtree holds the employee's unit.
async fn heads_unit_of(txn: &DatabaseTransaction, actor: &Actor, employee_id: Uuid) -> StoreResult<bool> {
    let people =
        employee::Entity::find().filter(employee::Column::Id.is_in([actor.employee_id, employee_id])).all(txn).await?;
    let (Some(head), Some(member)) =
        (people.iter().find(|p| p.id == actor.employee_id), people.iter().find(|p| p.id == employee_id))
    else {
        return Ok(false);
    };
    if !crate::org::is_managerial_position(txn, head.position_id).await? {
        return Ok(false);
    }
    let units = unit::Entity::find().filter(unit::Column::Id.is_in([head.unit_id, member.unit_id])).all(txn).await?;
    let path = |id: Uuid| units.iter().find(|u| u.id == id).map(|u| u.path.as_str());
    Ok(
        matches!((path(head.unit_id), path(member.unit_id)), (Some(head_path), Some(member_path)) if member_path.starts_with(head_path)),
    )
}

/// Refuses anyone but the plan's rater, and a rater rating themself; `action` completes "only the
/// plan's rater …".
pub(crate) fn ensure_rater_of(
    actor: &Actor,
    rater_id: Option<Uuid>,
    employee_id: Uuid,
    action: &str,
) -> StoreResult<()> {
    if Some(actor.employee_id) != rater_id {
        return Err(forbidden(format!("only the plan's rater {action}")));
    }
    if actor.employee_id == employee_id {
        return Err(forbidden("an employee cannot rate themself"));
    }
    Ok(())
}

fn ensure_owner_or_rater(actor: &Actor, row: &plan::Model) -> StoreResult<()> {
    ensure_owner_or_rater_to(actor, row, "may change it")
}

impl Store {
    /// The employee acting, by NIP.
    pub async fn actor(&self, nip: &Nip) -> StoreResult<Actor> {
        let row = employee::Entity::find()
            .filter(employee::Column::Nip.eq(nip.as_str()))
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("employee with NIP", nip))?;
        Ok(Actor { employee_id: row.id, nip: nip.clone(), role: None })
    }

    /// Creates an employee's draft plan for a year (the employee or their rater), rated by the employee's
    /// current superior; the open goals of last year's development plan go on in it.
    pub async fn create_plan_as(
        &self,
        actor: &Actor,
        nip: &Nip,
        year: i32,
        approach: kinerja_domain::Approach,
    ) -> StoreResult<PlanRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let not_found = || StoreError::not_found("employee with NIP", nip);
        let owner = employee::Entity::find()
            .filter(employee::Column::Nip.eq(nip.as_str()))
            .one(&self.db)
            .await?
            .ok_or_else(not_found)?;
        if actor.employee_id != owner.id && Some(actor.employee_id) != owner.superior_id {
            // Someone the caller cannot see is not found: a refusal would tell that the NIP exists.
            if self.employee_by_nip_query(nip).one(&self.db).await?.is_none() {
                return Err(not_found());
            }
            return Err(forbidden("only the employee or their rater creates the employee's plan"));
        }
        let txn = self.write_txn().await?;
        let record = crate::plans::insert_plan(&txn, nip, year, approach).await?;
        let row = crate::plans::plan_row(&txn, record.id).await?;
        audit(&txn, Some(actor), "plan.created", "plan", record.id, None, Some(plan_json(&row))).await?;
        crate::development_plans::carry_goals_in(&txn, owner.id, year, Utc::now()).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Moves a plan through its lifecycle: the owner submits; the rater approves, returns (with a
    /// comment) or reopens (with a reason).
    pub async fn change_plan_status(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        expected_version: i32,
        action: PlanAction,
        comment: Option<String>,
    ) -> StoreResult<PlanRecord> {
        match action {
            PlanAction::Submit => Store::require(actor, Capability::EditPlans)?,
            _ => Store::require(actor, Capability::Rate)?,
        }
        let comment = optional_free_text(comment.as_deref(), "comment").map_err(StoreError::invalid)?;
        let txn = self.write_txn().await?;
        let before = plan_for_update(&txn, actor, plan_id, expected_version).await?;
        let status = status_of(&before)?;
        let allowed = match action {
            PlanAction::Submit => actor.employee_id == before.employee_id,
            PlanAction::Approve | PlanAction::Return | PlanAction::Reopen => Some(actor.employee_id) == before.rater_id,
            PlanAction::Finalise => false,
        };
        if !allowed {
            let who = if action == PlanAction::Submit { "the plan's owner" } else { "the plan's rater" };
            return Err(forbidden(format!("only {who} may mark the plan {action}")));
        }
        let next = status.after(action).map_err(StoreError::invalid)?;
        match action {
            PlanAction::Return if comment.is_none() => {
                return Err(StoreError::invalid(PlanError::MissingReason { action, what: "comment" }));
            }
            PlanAction::Reopen if comment.is_none() => {
                return Err(StoreError::invalid(PlanError::MissingReason { action, what: "reason" }));
            }
            PlanAction::Submit => {
                let results =
                    work_result::Entity::find().filter(work_result::Column::PlanId.eq(plan_id)).all(&txn).await?;
                if !results.iter().any(|r| r.section == WorkResultSection::Utama.as_str()) {
                    return Err(StoreError::invalid(PlanError::Incomplete("a utama work result")));
                }
                let with_indicators = indicator::Entity::find()
                    .filter(indicator::Column::WorkResultId.is_in(results.iter().map(|r| r.id)))
                    .all(&txn)
                    .await?;
                let approach: kinerja_domain::Approach = before.approach.parse().map_err(StoreError::invalid)?;
                if approach == kinerja_domain::Approach::Kuantitatif
                    && results.iter().any(|r| !with_indicators.iter().any(|i| i.work_result_id == r.id))
                {
                    return Err(StoreError::invalid(PlanError::Incomplete("an indicator on every work result")));
                }
            }
            _ => {}
        }
        let mut active = before.clone().into_active_model();
        active.status = Set(next.as_str().to_owned());
        let after = active.update(&txn).await?;
        let mut after_json = plan_json(&after);
        if let Some(comment) = &comment {
            after_json["comment"] = json!(comment);
        }
        let mut before_json = plan_json(&before);
        before_json["version"] = json!(expected_version);
        audit(&txn, Some(actor), &format!("plan.{action}"), "plan", plan_id, Some(before_json), Some(after_json))
            .await?;
        txn.commit().await?;
        PlanRecord::try_from(after)
    }

    /// Adds a work result to a draft plan (owner or rater), optionally intervening the rater's work result.
    pub async fn add_work_result_as(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        expected_version: i32,
        code: &str,
        work_result: WorkResult,
        parent_id: Option<Uuid>,
    ) -> StoreResult<WorkResultRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let plan_row = plan_for_update(&txn, actor, plan_id, expected_version).await?;
        let record = crate::plans::insert_work_result(&txn, &plan_row, code, work_result, parent_id).await?;
        let row = crate::plans::work_result_row(&txn, record.id).await?;
        audit(&txn, Some(actor), "work_result.added", "work_result", record.id, None, Some(work_result_json(&row)))
            .await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Rewrites a work result of a draft plan.
    pub async fn update_work_result(
        &self,
        actor: &Actor,
        work_result_id: Uuid,
        expected_version: i32,
        work_result: WorkResult,
    ) -> StoreResult<WorkResultRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let before = crate::plans::work_result_row(&txn, work_result_id).await?;
        let plan_row = plan_for_update(&txn, actor, before.plan_id, expected_version).await?;
        status_of(&plan_row)?.ensure_editable().map_err(StoreError::invalid)?;
        let mut active = before.clone().into_active_model();
        active.description = Set(work_result.description.clone());
        active.section = Set(work_result.section.as_str().to_owned());
        active.perspective = Set(work_result.perspective.clone());
        let after = active.update(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "work_result.updated",
            "work_result",
            work_result_id,
            Some(work_result_json(&before)),
            Some(work_result_json(&after)),
        )
        .await?;
        txn.commit().await?;
        WorkResultRecord::try_from(after)
    }

    /// Removes a work result (with its indicators) from a draft plan; refused while subordinates' work
    /// results intervene it.
    pub async fn remove_work_result(
        &self,
        actor: &Actor,
        work_result_id: Uuid,
        expected_version: i32,
    ) -> StoreResult<PlanRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let before = crate::plans::work_result_row(&txn, work_result_id).await?;
        let plan_row = plan_for_update(&txn, actor, before.plan_id, expected_version).await?;
        status_of(&plan_row)?.ensure_editable().map_err(StoreError::invalid)?;
        let dependants =
            work_result::Entity::find().filter(work_result::Column::ParentId.eq(work_result_id)).all(&txn).await?;
        if !dependants.is_empty() {
            return Err(StoreError::FailedPrecondition(format!(
                "work result {} is intervened by {} subordinate work result(s); unlink them first",
                before.code,
                dependants.len()
            )));
        }
        work_result::Entity::delete_by_id(work_result_id).exec(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "work_result.removed",
            "work_result",
            work_result_id,
            Some(work_result_json(&before)),
            None,
        )
        .await?;
        txn.commit().await?;
        PlanRecord::try_from(plan_row)
    }

    /// Adds an indicator to a work result of a draft plan.
    pub async fn add_indicator_as(
        &self,
        actor: &Actor,
        work_result_id: Uuid,
        expected_version: i32,
        code: &str,
        indicator: Indicator,
    ) -> StoreResult<IndicatorRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let result = crate::plans::work_result_row(&txn, work_result_id).await?;
        let plan_row = plan_for_update(&txn, actor, result.plan_id, expected_version).await?;
        let record = crate::plans::insert_indicator(&txn, &plan_row, work_result_id, code, indicator).await?;
        let row = crate::plans::indicator_row(&txn, record.id).await?;
        audit(&txn, Some(actor), "indicator.added", "indicator", record.id, None, Some(indicator_json(&row))).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Rewrites an indicator (description, aspect, target, unit, accumulation) of a draft plan.
    pub async fn update_indicator(
        &self,
        actor: &Actor,
        indicator_id: Uuid,
        expected_version: i32,
        indicator: Indicator,
    ) -> StoreResult<IndicatorRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let (before, result, _) = crate::plans::indicator_chain(&txn, indicator_id).await?;
        let plan_row = plan_for_update(&txn, actor, result.plan_id, expected_version).await?;
        status_of(&plan_row)?.ensure_editable().map_err(StoreError::invalid)?;
        let (low, high) = indicator.target.bounds();
        let mut active = before.clone().into_active_model();
        active.description = Set(indicator.description.clone());
        active.aspect = Set(indicator.aspect.as_str().to_owned());
        active.target_kind = Set(indicator.target.kind_name().to_owned());
        active.target_low = Set(low);
        active.target_high = Set(high);
        active.unit_of_measure = Set(indicator.unit_of_measure.clone());
        active.accumulation = Set(indicator.accumulation.as_str().to_owned());
        let after = active.update(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "indicator.updated",
            "indicator",
            indicator_id,
            Some(indicator_json(&before)),
            Some(indicator_json(&after)),
        )
        .await?;
        txn.commit().await?;
        IndicatorRecord::try_from(after)
    }

    /// Removes an indicator from a draft plan.
    pub async fn remove_indicator(
        &self,
        actor: &Actor,
        indicator_id: Uuid,
        expected_version: i32,
    ) -> StoreResult<PlanRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let (before, result, _) = crate::plans::indicator_chain(&txn, indicator_id).await?;
        let plan_row = plan_for_update(&txn, actor, result.plan_id, expected_version).await?;
        status_of(&plan_row)?.ensure_editable().map_err(StoreError::invalid)?;
        // The realisations and their evidence go with the indicator; the trail keeps what was deleted.
        let realisations =
            realisation::Entity::find().filter(realisation::Column::IndicatorId.eq(indicator_id)).all(&txn).await?;
        let mut removed = indicator_json(&before);
        removed["realisations"] = Value::Array(realisations.iter().map(realisation_json).collect());
        indicator::Entity::delete_by_id(indicator_id).exec(&txn).await?;
        audit(&txn, Some(actor), "indicator.removed", "indicator", indicator_id, Some(removed), None).await?;
        audit(
            &txn,
            Some(actor),
            "indicator.removed",
            "plan",
            plan_row.id,
            None,
            Some(json!({ "indicator": before.code, "realisations_deleted": realisations.len() })),
        )
        .await?;
        txn.commit().await?;
        PlanRecord::try_from(plan_row)
    }

    /// Records the owner's realisation of an indicator for a period of an approved plan.
    pub async fn record_realisation_as(
        &self,
        actor: &Actor,
        indicator_id: Uuid,
        realisation: Realisation,
    ) -> StoreResult<RealisationRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        // The owner is settled first, so that no one else learns anything of the indicator.
        let (_, _, owner_plan) = crate::plans::indicator_chain(&txn, indicator_id).await?;
        if actor.employee_id != owner_plan.employee_id {
            return Err(forbidden("only the plan's owner records its realisations"));
        }
        let (_, record) = crate::plans::insert_realisation(&txn, indicator_id, realisation, "manual", true).await?;
        let row = realisation::Entity::find_by_id(record.id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::missing("realisation"))?;
        audit(&txn, Some(actor), "realisation.recorded", "realisation", record.id, None, Some(realisation_json(&row)))
            .await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Corrects a realisation (owner or rater); the replaced value is kept in its history.
    pub async fn correct_realisation(
        &self,
        actor: &Actor,
        realisation_id: Uuid,
        expected_version: i32,
        value: Decimal,
        evidence: Evidence,
    ) -> StoreResult<RealisationRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let before = realisation::Entity::find_by_id(realisation_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::missing("realisation"))?;
        let period: kinerja_domain::Period = before.period.parse().map_err(StoreError::invalid)?;
        // Validates the new value with the same rules as a new realisation.
        let corrected = Realisation::new(period, value, evidence).map_err(StoreError::invalid)?;
        let (_, _, plan_row) = crate::plans::indicator_chain(&txn, before.indicator_id).await?;
        ensure_owner_or_rater(actor, &plan_row)?;
        status_of(&plan_row)?.ensure_realisable().map_err(StoreError::invalid)?;
        let moved = realisation::Entity::update_many()
            .col_expr(realisation::Column::Value, Expr::value(corrected.value))
            .col_expr(realisation::Column::EvidenceNote, Expr::value(corrected.evidence.note.clone()))
            .col_expr(realisation::Column::EvidenceLink, Expr::value(corrected.evidence.link.clone()))
            .col_expr(realisation::Column::RecordedAt, Expr::value(Utc::now()))
            .col_expr(realisation::Column::Version, Expr::col(realisation::Column::Version).add(1))
            .filter(realisation::Column::Id.eq(realisation_id))
            .filter(realisation::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if moved.rows_affected == 0 {
            return Err(StoreError::Conflict {
                entity: "realisation",
                key: realisation_id.to_string(),
                current_version: before.version,
            });
        }
        keep_in_history(&txn, &before, Some(actor.employee_id)).await?;
        let after = realisation::Entity::find_by_id(realisation_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::missing("realisation"))?;
        audit(
            &txn,
            Some(actor),
            "realisation.corrected",
            "realisation",
            realisation_id,
            Some(realisation_json(&before)),
            Some(realisation_json(&after)),
        )
        .await?;
        txn.commit().await?;
        RealisationRecord::try_from(after)
    }

    /// Earlier values of the given realisations, oldest first.
    pub async fn realisation_history(&self, realisation_ids: &[Uuid]) -> StoreResult<Vec<RealisationHistoryRecord>> {
        let rows = realisation_history::Entity::find()
            .filter(realisation_history::Column::RealisationId.is_in(realisation_ids.iter().copied()))
            .within(realisation_history::Column::RealisationId, self.scope.realisation_ids())
            .order_by_asc(realisation_history::Column::ReplacedAt)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| RealisationHistoryRecord {
                id: row.id,
                realisation_id: row.realisation_id,
                value: normalise(row.value),
                evidence_note: row.evidence_note,
                evidence_link: row.evidence_link,
                source: row.source,
                recorded_at: row.recorded_at,
                replaced_at: row.replaced_at,
                replaced_by: row.replaced_by,
            })
            .collect())
    }

    /// Feedback from any colleague on a plan, a work result, an indicator or a BerAKHLAK value.
    pub async fn give_feedback(
        &self,
        actor: &Actor,
        subject: FeedbackSubject,
        note: FeedbackNote,
    ) -> StoreResult<FeedbackRecord> {
        Store::require(actor, Capability::Rate)?;
        let txn = self.write_txn().await?;
        let record = crate::plans::insert_feedback(&txn, subject, note, Some(actor.employee_id)).await?;
        let row = feedback_note::Entity::find_by_id(record.id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::missing("feedback"))?;
        let plan_row = crate::plans::plan_row(&txn, row.plan_id).await?;
        if plan_row.rater_id != Some(actor.employee_id) && !heads_unit_of(&txn, actor, plan_row.employee_id).await? {
            // Dropping the transaction undoes the insert.
            return Err(forbidden("only the plan's rater or a head above the employee gives feedback"));
        }
        audit(
            &txn,
            Some(actor),
            "feedback.given",
            "feedback_note",
            record.id,
            None,
            Some(json!({ "plan_id": row.plan_id, "kind": row.kind, "text": row.text, "behaviour": row.behaviour })),
        )
        .await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Records a performance dialogue on a plan (its owner or rater).
    pub async fn record_dialogue(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        dialogue: NewDialogue,
    ) -> StoreResult<DialogueRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let blank = |text: &str, what: &'static str| free_text(text, what).map_err(StoreError::invalid);
        let record = DialogueRecord {
            id: new_record_id(),
            plan_id,
            held_on: dialogue.held_on,
            participants: blank(&dialogue.participants, "dialogue participants")?,
            summary: blank(&dialogue.summary, "dialogue summary")?,
            agreed_actions: blank(&dialogue.agreed_actions, "agreed actions")?,
            recorded_by: Some(actor.employee_id),
            created_at: Utc::now(),
        };
        let txn = self.write_txn().await?;
        let plan_row = crate::plans::plan_row(&txn, plan_id).await?;
        ensure_owner_or_rater(actor, &plan_row)?;
        let model = crate::convert::dialogue_model(&record);
        dialogue::Entity::insert(model.into_active_model()).exec_without_returning(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "dialogue.recorded",
            "dialogue",
            record.id,
            None,
            Some(json!({ "plan_id": plan_id, "held_on": record.held_on, "summary": record.summary })),
        )
        .await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Dialogues of the given plans, newest first.
    pub async fn dialogues_of_plans(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<DialogueRecord>> {
        let rows = dialogue::Entity::find()
            .filter(dialogue::Column::PlanId.is_in(plan_ids.iter().copied()))
            .within(dialogue::Column::PlanId, self.scope.plan_ids())
            .order_by_desc(dialogue::Column::HeldOn)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| DialogueRecord {
                id: row.id,
                plan_id: row.plan_id,
                held_on: row.held_on,
                participants: row.participants,
                summary: row.summary,
                agreed_actions: row.agreed_actions,
                recorded_by: row.recorded_by,
                created_at: row.created_at,
            })
            .collect())
    }

    /// The audit trail of one entity, oldest first. The entity's visibility is the caller's to check;
    /// callers who see records masked get no trail, since it holds free text.
    pub async fn audit_trail(&self, entity_id: Uuid) -> StoreResult<Vec<AuditRecord>> {
        self.audit_trail_of(&[entity_id]).await
    }

    async fn audit_trail_of(&self, entity_ids: &[Uuid]) -> StoreResult<Vec<AuditRecord>> {
        if self.scope.masks_personal_data() {
            return Err(forbidden("the audit trail holds personal data, which this role sees only masked"));
        }
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::EntityId.is_in(entity_ids.iter().copied()))
            .order_by_asc(audit_event::Column::OccurredAt)
            .order_by_asc(audit_event::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(audit_record).collect())
    }

    /// A plan's story, oldest first: the events of the plan itself and of its decisions and the
    /// objections to them (a decision is the plan's result, so its changes belong to the plan's history).
    pub async fn plan_history(&self, plan_id: Uuid) -> StoreResult<Vec<AuditRecord>> {
        let decisions: Vec<Uuid> = rating_decision::Entity::find()
            .filter(rating_decision::Column::PlanId.eq(plan_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect();
        let objections = objection::Entity::find()
            .filter(objection::Column::DecisionId.is_in(decisions.iter().copied()))
            .all(&self.db)
            .await?;
        let mut entities = vec![plan_id];
        entities.extend(decisions);
        entities.extend(objections.into_iter().map(|o| o.id));
        self.audit_trail_of(&entities).await
    }

    /// A page of the audit log in chain order, of the events `filter` keeps (auditors and HR
    /// administrators).
    pub async fn audit_log(&self, filter: &AuditFilter, page: &AuditPage) -> StoreResult<Vec<AuditRecord>> {
        let mut query = self.audit_events(filter)?;
        if let Some(after) = page.after {
            query = query.filter(audit_event::Column::Sequence.gt(after));
        }
        if let Some(before) = page.before {
            query = query.filter(audit_event::Column::Sequence.lt(before));
        }
        let direction = if page.from_end { Order::Desc } else { Order::Asc };
        let rows = query.order_by(audit_event::Column::Sequence, direction).limit(page.limit).all(&self.db).await?;
        let mut events: Vec<AuditRecord> = rows.into_iter().map(audit_record).collect();
        if page.from_end {
            events.reverse();
        }
        Ok(events)
    }

    /// How many events of the audit log `filter` keeps.
    pub async fn audit_count(&self, filter: &AuditFilter) -> StoreResult<u64> {
        Ok(self.audit_events(filter)?.count(&self.db).await?)
    }

    fn audit_events(&self, filter: &AuditFilter) -> StoreResult<sea_orm::Select<audit_event::Entity>> {
        if !self.scope.permits(Capability::ReadAuditLog) {
            return Err(forbidden("only auditors and HR administrators read the audit log"));
        }
        let mut query = audit_event::Entity::find();
        if let Some(entity_type) = &filter.entity_type {
            query = query.filter(audit_event::Column::EntityType.eq(entity_type.as_str()));
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_event::Column::Action.eq(action.as_str()));
        }
        if let Some(entity) = filter.entity_id {
            query = query.filter(audit_event::Column::EntityId.eq(entity));
        }
        Ok(query)
    }
}

/// Which events of the audit log a list holds.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events about records of this type (`plan`, `decision`, …).
    pub entity_type: Option<String>,
    /// Only events of this action (`plan.approved`, …).
    pub action: Option<String>,
    /// Only events about this record.
    pub entity_id: Option<Uuid>,
}

/// One page of the audit log in chain order: the events after or before a sequence number, `limit` of
/// them from the start of that range, or from its end with `from_end`.
#[derive(Debug, Clone, Default)]
pub struct AuditPage {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub limit: u64,
    pub from_end: bool,
}

fn audit_record(row: audit_event::Model) -> AuditRecord {
    AuditRecord {
        id: row.id,
        sequence: row.sequence,
        occurred_at: row.occurred_at,
        actor_id: row.actor_id,
        actor_role: row.actor_role,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        before: row.before,
        after: row.after,
    }
}
