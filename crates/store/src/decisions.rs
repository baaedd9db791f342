//! The end of the year: the rater's decisions, the unit head's finalisation with the distribution check,
//! and objections decided by the rater's superior.

use chrono::Utc;
use kinerja_domain::{
    Capability, OrganisationPredikat, PlanError, PlanStatus, Predikat, RatingLevel, check_objection_window,
    check_override,
};
use kinerja_scoring::{PredikatCounts, RulePack};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::entity::{employee, objection, organisation_rating, plan, rating_decision, unit_finalisation};
use crate::error::{StoreError, StoreResult};
use crate::records::*;
use crate::workflow::{Actor, audit};

fn corrupt(table: &'static str, id: Uuid, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { table, id: id.to_string(), reason: reason.to_string() }
}

fn level(table: &'static str, id: Uuid, text: &str) -> StoreResult<RatingLevel> {
    text.parse().map_err(|e: PlanError| corrupt(table, id, e))
}

fn predikat(table: &'static str, id: Uuid, text: &str) -> StoreResult<Predikat> {
    text.parse().map_err(|e: PlanError| corrupt(table, id, e))
}

impl TryFrom<rating_decision::Model> for DecisionRecord {
    type Error = StoreError;
    fn try_from(row: rating_decision::Model) -> StoreResult<Self> {
        const T: &str = "rating_decisions";
        Ok(DecisionRecord {
            id: row.id,
            plan_id: row.plan_id,
            year: row.year,
            result_rating: level(T, row.id, &row.result_rating)?,
            behaviour_rating: level(T, row.id, &row.behaviour_rating)?,
            predikat: predikat(T, row.id, &row.predikat)?,
            proposed_result_rating: level(T, row.id, &row.proposed_result_rating)?,
            proposed_behaviour_rating: level(T, row.id, &row.proposed_behaviour_rating)?,
            override_reason: row.override_reason,
            pack_id: row.pack_id,
            pack_version: row.pack_version,
            decided_by: row.decided_by,
            decided_at: row.decided_at,
            finalised_at: row.finalised_at,
            version: row.version,
        })
    }
}

impl TryFrom<objection::Model> for ObjectionRecord {
    type Error = StoreError;
    fn try_from(row: objection::Model) -> StoreResult<Self> {
        const T: &str = "objections";
        let previous = match (&row.previous_result_rating, &row.previous_behaviour_rating, &row.previous_predikat) {
            (Some(result), Some(behaviour), Some(p)) => Some(Ratings {
                result: level(T, row.id, result)?,
                behaviour: level(T, row.id, behaviour)?,
                predikat: predikat(T, row.id, p)?,
            }),
            _ => None,
        };
        Ok(ObjectionRecord {
            id: row.id,
            decision_id: row.decision_id,
            filed_by: row.filed_by,
            filed_at: row.filed_at,
            reasons: row.reasons,
            status: row.status,
            decided_by: row.decided_by,
            decided_at: row.decided_at,
            decision_reasons: row.decision_reasons,
            previous,
        })
    }
}

fn decision_json(row: &rating_decision::Model) -> serde_json::Value {
    json!({
        "result_rating": row.result_rating, "behaviour_rating": row.behaviour_rating, "predikat": row.predikat,
        "proposed_result_rating": row.proposed_result_rating, "proposed_behaviour_rating": row.proposed_behaviour_rating,
        "override_reason": row.override_reason, "version": row.version, "finalised_at": row.finalised_at,
    })
}

fn non_blank(text: &str, what: &'static str) -> StoreResult<String> {
    let text = text.trim();
    if text.is_empty() { Err(StoreError::invalid(PlanError::Blank { what })) } else { Ok(text.to_owned()) }
}

/// A decision to record: the rater's ratings beside the proposal they answer, under one pack.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub plan_id: Uuid,
    pub year: i32,
    pub decided: Ratings,
    pub proposed_result: RatingLevel,
    pub proposed_behaviour: RatingLevel,
    pub override_reason: Option<String>,
    pub pack_id: String,
    pub pack_version: i32,
}

impl Store {
    /// Records or revises the rater's decision on a plan's year; the first decision has no expected
    /// version, a revision sends the one it saw. A final decision changes only through an objection.
    pub async fn decide_ratings(
        &self,
        actor: &Actor,
        decision: NewDecision,
        expected_version: Option<i32>,
    ) -> StoreResult<DecisionRecord> {
        Store::require(actor, Capability::Rate, "decide ratings")?;
        check_override(
            (decision.proposed_result, decision.proposed_behaviour),
            (decision.decided.result, decision.decided.behaviour),
            decision.override_reason.as_deref(),
        )
        .map_err(StoreError::invalid)?;
        let txn = self.write_txn().await?;
        let plan_row = crate::plans::plan_row(&txn, decision.plan_id).await?;
        if Some(actor.employee_id) != plan_row.rater_id {
            return Err(StoreError::Forbidden { reason: "only the plan's rater decides its ratings".into() });
        }
        if actor.employee_id == plan_row.employee_id {
            return Err(StoreError::Forbidden { reason: "an employee cannot rate themself".into() });
        }
        let status: PlanStatus = plan_row.status.parse().map_err(StoreError::invalid)?;
        if status != PlanStatus::Approved {
            return Err(StoreError::FailedPrecondition(format!(
                "plan is {status}; ratings are decided on approved plans"
            )));
        }
        let existing = rating_decision::Entity::find()
            .filter(rating_decision::Column::PlanId.eq(decision.plan_id))
            .filter(rating_decision::Column::Year.eq(decision.year))
            .one(&txn)
            .await?;
        let now = Utc::now();
        let reason = decision.override_reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        let row = match existing {
            Some(before) => {
                if before.finalised_at.is_some() {
                    return Err(StoreError::FailedPrecondition(
                        "the decision is final; it changes only through an objection".into(),
                    ));
                }
                if expected_version != Some(before.version) {
                    return Err(StoreError::Conflict {
                        entity: "decision",
                        key: before.id.to_string(),
                        current_version: before.version,
                    });
                }
                let mut active = before.clone().into_active_model();
                active.result_rating = Set(decision.decided.result.as_str().to_owned());
                active.behaviour_rating = Set(decision.decided.behaviour.as_str().to_owned());
                active.predikat = Set(decision.decided.predikat.as_str().to_owned());
                active.proposed_result_rating = Set(decision.proposed_result.as_str().to_owned());
                active.proposed_behaviour_rating = Set(decision.proposed_behaviour.as_str().to_owned());
                active.override_reason = Set(reason);
                active.pack_id = Set(decision.pack_id);
                active.pack_version = Set(decision.pack_version);
                active.decided_at = Set(now);
                active.version = Set(before.version + 1);
                let after = active.update(&txn).await?;
                audit(
                    &txn,
                    Some(actor),
                    "decision.revised",
                    "decision",
                    after.id,
                    Some(decision_json(&before)),
                    Some(decision_json(&after)),
                )
                .await?;
                after
            }
            None => {
                if expected_version.is_some_and(|v| v != 0) {
                    return Err(StoreError::Conflict {
                        entity: "decision",
                        key: decision.plan_id.to_string(),
                        current_version: 0,
                    });
                }
                let model = rating_decision::Model {
                    id: Uuid::now_v7(),
                    plan_id: decision.plan_id,
                    year: decision.year,
                    result_rating: decision.decided.result.as_str().to_owned(),
                    behaviour_rating: decision.decided.behaviour.as_str().to_owned(),
                    predikat: decision.decided.predikat.as_str().to_owned(),
                    proposed_result_rating: decision.proposed_result.as_str().to_owned(),
                    proposed_behaviour_rating: decision.proposed_behaviour.as_str().to_owned(),
                    override_reason: reason,
                    pack_id: decision.pack_id,
                    pack_version: decision.pack_version,
                    decided_by: actor.employee_id,
                    decided_at: now,
                    finalised_at: None,
                    version: 1,
                };
                rating_decision::Entity::insert(model.clone().into_active_model()).exec_without_returning(&txn).await?;
                audit(&txn, Some(actor), "decision.made", "decision", model.id, None, Some(decision_json(&model)))
                    .await?;
                model
            }
        };
        txn.commit().await?;
        DecisionRecord::try_from(row)
    }

    /// Decisions of the given plans.
    pub async fn decisions_of_plans(&self, plan_ids: &[Uuid]) -> StoreResult<Vec<DecisionRecord>> {
        let rows = rating_decision::Entity::find()
            .filter(rating_decision::Column::PlanId.is_in(plan_ids.iter().copied()))
            .within(rating_decision::Column::PlanId, self.scope.plan_ids())
            .order_by_asc(rating_decision::Column::Year)
            .all(&self.db)
            .await?;
        rows.into_iter().map(DecisionRecord::try_from).collect()
    }

    /// The unit head finalises the year for the unit's subtree: every plan needs a decision, and a
    /// distribution that breaks the guidance of the unit's organisation predikat needs the head's
    /// reason. Final decisions then change only through objections.
    pub async fn finalise_unit(
        &self,
        actor: &Actor,
        unit: &UnitRecord,
        year: i32,
        pack: &RulePack,
        override_reason: Option<String>,
    ) -> StoreResult<FinalisationRecord> {
        Store::require(actor, Capability::FinaliseUnit, "finalise a unit")?;
        let reason = override_reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        let txn = self.write_txn().await?;
        let head = employee::Entity::find_by_id(actor.employee_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("employee", &actor.nip))?;
        if head.unit_id != unit.id || !crate::org::is_managerial_position(&txn, head.position_id).await? {
            return Err(StoreError::Forbidden { reason: format!("only the head of {} finalises it", unit.unit.code) });
        }
        if unit_finalisation::Entity::find()
            .filter(unit_finalisation::Column::UnitId.eq(unit.id))
            .filter(unit_finalisation::Column::Year.eq(year))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::FailedPrecondition(format!("{} is already final for {year}", unit.unit.code)));
        }
        let members = crate::org::subtree_employee_ids(&crate::org::unit_path_in(&txn, unit).await?);
        let plans = plan::Entity::find()
            .filter(plan::Column::Year.eq(year))
            .filter(plan::Column::EmployeeId.in_subquery(members))
            .all(&txn)
            .await?;
        let plan_ids: Vec<Uuid> = plans.iter().map(|p| p.id).collect();
        let decisions = rating_decision::Entity::find()
            .filter(rating_decision::Column::Year.eq(year))
            .filter(rating_decision::Column::PlanId.is_in(plan_ids.iter().copied()))
            .all(&txn)
            .await?;
        let undecided = plans.len() - decisions.len();
        if undecided > 0 {
            return Err(StoreError::FailedPrecondition(format!(
                "{undecided} of {} plans in {} have no decision yet",
                plans.len(),
                unit.unit.code
            )));
        }
        let mut counts = PredikatCounts::default();
        for decision in &decisions {
            counts.add(predikat("rating_decisions", decision.id, &decision.predikat)?);
        }
        let organisation = organisation_rating::Entity::find()
            .filter(organisation_rating::Column::UnitId.eq(unit.id))
            .filter(organisation_rating::Column::Year.eq(year))
            .one(&txn)
            .await?;
        let broken = match &organisation {
            Some(rating) => {
                let predikat: OrganisationPredikat = rating.predikat.parse().map_err(StoreError::invalid)?;
                let rules = pack.distribution().map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
                kinerja_scoring::violations(rules, predikat, &counts)
            }
            None => Vec::new(),
        };
        if !broken.is_empty() && reason.is_none() {
            let list: Vec<String> =
                broken.iter().map(|v| format!("{} (actual {}, limit {})", v.constraint, v.actual, v.limit)).collect();
            return Err(StoreError::FailedPrecondition(format!(
                "the predikat distribution breaks the guidance: {}; finalising needs the head's override with a reason",
                list.join("; ")
            )));
        }
        let now = Utc::now();
        rating_decision::Entity::update_many()
            .col_expr(rating_decision::Column::FinalisedAt, Expr::value(now))
            .filter(rating_decision::Column::Id.is_in(decisions.iter().map(|d| d.id)))
            .exec(&txn)
            .await?;
        let finalised_plans = plan::Entity::update_many()
            .col_expr(plan::Column::Status, Expr::value(PlanStatus::Finalised.as_str()))
            .col_expr(plan::Column::Version, Expr::col(plan::Column::Version).add(1))
            .filter(plan::Column::Id.is_in(plan_ids.iter().copied()))
            .filter(plan::Column::Status.eq(PlanStatus::Approved.as_str()))
            .exec(&txn)
            .await?;
        let violations = serde_json::to_string(&broken).map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
        let model = unit_finalisation::Model {
            id: Uuid::now_v7(),
            unit_id: unit.id,
            year,
            finalised_by: actor.employee_id,
            finalised_at: now,
            override_reason: reason.clone(),
            violations: violations.clone(),
        };
        unit_finalisation::Entity::insert(model.clone().into_active_model()).exec_without_returning(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "unit.finalised",
            "unit",
            unit.id,
            None,
            Some(json!({ "year": year, "plans": plans.len(), "override_reason": reason, "violations": broken })),
        )
        .await?;
        txn.commit().await?;
        Ok(FinalisationRecord {
            id: model.id,
            unit_id: unit.id,
            year,
            finalised_by: actor.employee_id,
            finalised_at: now,
            override_reason: model.override_reason,
            violations,
            plans_finalised: finalised_plans.rows_affected,
            decisions: decisions.iter().map(|d| (d.id, d.plan_id)).collect(),
        })
    }

    /// The employee objects to their final decision within the window.
    pub async fn file_objection(
        &self,
        actor: &Actor,
        decision_id: Uuid,
        reasons: &str,
        window_days: u32,
    ) -> StoreResult<ObjectionRecord> {
        Store::require(actor, Capability::EditPlans, "file objections")?;
        let reasons = non_blank(reasons, "objection reasons")?;
        let txn = self.write_txn().await?;
        let decision = rating_decision::Entity::find_by_id(decision_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("decision", decision_id))?;
        let plan_row = crate::plans::plan_row(&txn, decision.plan_id).await?;
        if actor.employee_id != plan_row.employee_id {
            return Err(StoreError::Forbidden { reason: "only the rated employee objects to a decision".into() });
        }
        let Some(final_at) = decision.finalised_at else {
            return Err(StoreError::FailedPrecondition(
                "the decision is not final yet; discuss it with the rater".into(),
            ));
        };
        let now = Utc::now();
        check_objection_window(final_at.date_naive(), now.date_naive(), window_days).map_err(StoreError::invalid)?;
        let open = objection::Entity::find().filter(objection::Column::DecisionId.eq(decision_id)).all(&txn).await?;
        if !open.is_empty() {
            return Err(StoreError::FailedPrecondition("an objection to this decision was already filed".into()));
        }
        let model = objection::Model {
            id: Uuid::now_v7(),
            decision_id,
            filed_by: actor.employee_id,
            filed_at: now,
            reasons,
            status: "filed".into(),
            decided_by: None,
            decided_at: None,
            decision_reasons: None,
            previous_result_rating: None,
            previous_behaviour_rating: None,
            previous_predikat: None,
        };
        objection::Entity::insert(model.clone().into_active_model()).exec_without_returning(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "objection.filed",
            "objection",
            model.id,
            None,
            Some(json!({ "decision_id": decision_id, "reasons": model.reasons })),
        )
        .await?;
        txn.commit().await?;
        ObjectionRecord::try_from(model)
    }

    /// The rater's superior decides an objection: upheld with new ratings, or rejected. Final.
    pub async fn decide_objection(
        &self,
        actor: &Actor,
        objection_id: Uuid,
        upheld: Option<Ratings>,
        reasons: &str,
    ) -> StoreResult<ObjectionRecord> {
        Store::require(actor, Capability::Rate, "decide objections")?;
        let reasons = non_blank(reasons, "decision reasons")?;
        let txn = self.write_txn().await?;
        let before = objection::Entity::find_by_id(objection_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("objection", objection_id))?;
        if before.status != "filed" {
            return Err(StoreError::FailedPrecondition(format!(
                "the objection was already {}; the decision is final",
                before.status
            )));
        }
        let decision = rating_decision::Entity::find_by_id(before.decision_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("decision", before.decision_id))?;
        let plan_row = crate::plans::plan_row(&txn, decision.plan_id).await?;
        let rater = match plan_row.rater_id {
            Some(rater) => employee::Entity::find_by_id(rater).one(&txn).await?,
            None => None,
        };
        if rater.and_then(|r| r.superior_id) != Some(actor.employee_id) {
            return Err(StoreError::Forbidden { reason: "only the rater's superior decides an objection".into() });
        }
        let now = Utc::now();
        let mut active = before.clone().into_active_model();
        active.status = Set(if upheld.is_some() { "upheld" } else { "rejected" }.to_owned());
        active.decided_by = Set(Some(actor.employee_id));
        active.decided_at = Set(Some(now));
        active.decision_reasons = Set(Some(reasons));
        if let Some(ratings) = upheld {
            active.previous_result_rating = Set(Some(decision.result_rating.clone()));
            active.previous_behaviour_rating = Set(Some(decision.behaviour_rating.clone()));
            active.previous_predikat = Set(Some(decision.predikat.clone()));
            let mut changed = decision.clone().into_active_model();
            changed.result_rating = Set(ratings.result.as_str().to_owned());
            changed.behaviour_rating = Set(ratings.behaviour.as_str().to_owned());
            changed.predikat = Set(ratings.predikat.as_str().to_owned());
            changed.version = Set(decision.version + 1);
            let after = changed.update(&txn).await?;
            audit(
                &txn,
                Some(actor),
                "decision.changed_by_objection",
                "decision",
                decision.id,
                Some(decision_json(&decision)),
                Some(decision_json(&after)),
            )
            .await?;
        }
        let after = active.update(&txn).await?;
        audit(
            &txn,
            Some(actor),
            &format!("objection.{}", after.status),
            "objection",
            objection_id,
            Some(json!({ "status": before.status })),
            Some(json!({ "status": after.status, "reasons": after.decision_reasons })),
        )
        .await?;
        txn.commit().await?;
        ObjectionRecord::try_from(after)
    }

    pub async fn decisions_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<DecisionRecord>> {
        let rows = rating_decision::Entity::find()
            .filter(rating_decision::Column::Id.is_in(ids.iter().copied()))
            .within(rating_decision::Column::PlanId, self.scope.plan_ids())
            .all(&self.db)
            .await?;
        rows.into_iter().map(DecisionRecord::try_from).collect()
    }

    pub async fn objections_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<ObjectionRecord>> {
        let rows = objection::Entity::find()
            .filter(objection::Column::Id.is_in(ids.iter().copied()))
            .within(objection::Column::DecisionId, self.scope.decision_ids())
            .all(&self.db)
            .await?;
        rows.into_iter().map(ObjectionRecord::try_from).collect()
    }

    /// Objections to the given decisions, oldest first.
    pub async fn objections_of_decisions(&self, decision_ids: &[Uuid]) -> StoreResult<Vec<ObjectionRecord>> {
        let rows = objection::Entity::find()
            .filter(objection::Column::DecisionId.is_in(decision_ids.iter().copied()))
            .within(objection::Column::DecisionId, self.scope.decision_ids())
            .order_by_asc(objection::Column::FiledAt)
            .all(&self.db)
            .await?;
        rows.into_iter().map(ObjectionRecord::try_from).collect()
    }
}
