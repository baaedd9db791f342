//! The end of the year: the rater's decisions, the unit head's finalisation with the distribution check,
//! and objections decided by the rater's superior.

use std::collections::HashSet;

use chrono::Utc;
use kinerja_domain::{
    Capability, PlanError, PlanStatus, Predikat, RatingLevel, check_objection_window, check_override,
};
use kinerja_scoring::{FinalRatings, PredikatCounts, RulePack};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::entity::{employee, objection, plan, rating_decision, unit_finalisation};
use crate::error::{StoreError, StoreResult};
use crate::records::*;
use crate::workflow::{Actor, audit, ensure_rater_of};

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
    kinerja_domain::free_text(text, what).map_err(StoreError::invalid)
}

fn optional_text(text: Option<String>, what: &'static str) -> StoreResult<Option<String>> {
    kinerja_domain::optional_free_text(text.as_deref(), what).map_err(StoreError::invalid)
}

/// A rater's decision on a plan's year: the two ratings, and a reason where they differ from the
/// proposal. The store computes the proposal and the predikat itself.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub plan_id: Uuid,
    pub result: RatingLevel,
    pub behaviour: RatingLevel,
    pub override_reason: Option<String>,
}

/// Refuses anyone but the superior of the plan's rater.
async fn ensure_rater_superior(db: &impl ConnectionTrait, actor: &Actor, plan_row: &plan::Model) -> StoreResult<()> {
    let rater = match plan_row.rater_id {
        Some(rater) => employee::Entity::find_by_id(rater).one(db).await?,
        None => None,
    };
    if rater.and_then(|r| r.superior_id) != Some(actor.employee_id) {
        return Err(StoreError::Forbidden {
            reason: "only the superior of the plan's rater decides an objection".into(),
        });
    }
    Ok(())
}

/// The rated employee's NIP and the plan's year, for messages people can act on.
async fn plan_label(txn: &DatabaseTransaction, plan_row: &plan::Model) -> StoreResult<String> {
    let nip = employee::Entity::find_by_id(plan_row.employee_id).one(txn).await?.map(|e| e.nip).unwrap_or_default();
    Ok(format!("the {} plan of {nip}", plan_row.year))
}

impl Store {
    /// Records or revises the rater's decision on a plan's year; the first decision has no expected
    /// version, a revision sends the one it saw. The proposal it answers is computed here from the stored
    /// plan (through the periods recorded so far), the predikat from the pack's matrix; the year's
    /// evaluation then carries the decision and the distributions holding the employee are recounted. A
    /// final decision changes only through an objection.
    pub async fn decide_ratings(
        &self,
        actor: &Actor,
        pack: &RulePack,
        decision: NewDecision,
        expected_version: Option<i32>,
    ) -> StoreResult<DecisionRecord> {
        Store::require(actor, Capability::Rate)?;
        let reader = self.unrestricted();
        let bundle =
            reader.plan_bundles_by_ids(&[decision.plan_id]).await?.pop().ok_or_else(|| StoreError::missing("plan"))?;
        let year = bundle.plan.plan.year;
        // Who may decide is settled before the plan is scored, so that no one else learns of its state.
        ensure_rater_of(actor, bundle.plan.rater_id, bundle.plan.employee_id, "decides its ratings")?;
        let decided = FinalRatings { result: decision.result, behaviour: decision.behaviour };
        let evaluation = reader.evaluate_bundle(pack, &bundle, None, Some(decided)).await?;
        let proposed = (evaluation.proposed_result_rating.value, evaluation.proposed_behaviour_rating.value);
        check_override(proposed, (decided.result, decided.behaviour), decision.override_reason.as_deref())
            .map_err(StoreError::invalid)?;
        let predikat = evaluation.predikat.value;
        let txn = self.write_txn().await?;
        let plan_row = crate::plans::plan_row(&txn, decision.plan_id).await?;
        ensure_rater_of(actor, plan_row.rater_id, plan_row.employee_id, "decides its ratings")?;
        let status: PlanStatus = plan_row.status.parse().map_err(StoreError::invalid)?;
        if status != PlanStatus::Approved {
            return Err(StoreError::FailedPrecondition(format!(
                "{} is {status}; ratings are decided on approved plans",
                plan_label(&txn, &plan_row).await?
            )));
        }
        let existing = rating_decision::Entity::find()
            .filter(rating_decision::Column::PlanId.eq(decision.plan_id))
            .filter(rating_decision::Column::Year.eq(year))
            .one(&txn)
            .await?;
        let now = Utc::now();
        let reason = optional_text(decision.override_reason, "override reason")?;
        let pack_version = i32::try_from(pack.version).unwrap_or(i32::MAX);
        let row = match existing {
            Some(before) => {
                if before.finalised_at.is_some() {
                    return Err(StoreError::FailedPrecondition(format!(
                        "the decision on {} is final; it changes only through an objection",
                        plan_label(&txn, &plan_row).await?
                    )));
                }
                let key = || plan_label(&txn, &plan_row);
                match expected_version {
                    None => {
                        let key = key().await?;
                        return Err(StoreError::VersionRequired {
                            entity: "decision",
                            key,
                            current_version: before.version,
                        });
                    }
                    Some(seen) if seen != before.version => {
                        let key = key().await?;
                        return Err(StoreError::Conflict { entity: "decision", key, current_version: before.version });
                    }
                    Some(_) => {}
                }
                let mut active = before.clone().into_active_model();
                active.result_rating = Set(decided.result.as_str().to_owned());
                active.behaviour_rating = Set(decided.behaviour.as_str().to_owned());
                active.predikat = Set(predikat.as_str().to_owned());
                active.proposed_result_rating = Set(proposed.0.as_str().to_owned());
                active.proposed_behaviour_rating = Set(proposed.1.as_str().to_owned());
                active.override_reason = Set(reason);
                active.pack_id = Set(pack.id.clone());
                active.pack_version = Set(pack_version);
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
                        key: plan_label(&txn, &plan_row).await?,
                        current_version: 0,
                    });
                }
                let model = rating_decision::Model {
                    id: new_record_id(),
                    plan_id: decision.plan_id,
                    year,
                    result_rating: decided.result.as_str().to_owned(),
                    behaviour_rating: decided.behaviour.as_str().to_owned(),
                    predikat: predikat.as_str().to_owned(),
                    proposed_result_rating: proposed.0.as_str().to_owned(),
                    proposed_behaviour_rating: proposed.1.as_str().to_owned(),
                    override_reason: reason,
                    pack_id: pack.id.clone(),
                    pack_version,
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
        crate::results::record_decided_year(&txn, pack, &bundle, &evaluation).await?;
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

    /// The unit head finalises the year for the unit's subtree. The distribution guidance binds the unit
    /// that holds the organisation predikat (the unit itself or the nearest one above it), so it is
    /// checked over that whole unit, whoever finalises a part of it: every plan there needs a decision,
    /// and a distribution outside the guidance is finalised only by the head of that unit, with a reason.
    /// Final decisions then change only through objections.
    pub async fn finalise_unit(
        &self,
        actor: &Actor,
        unit: &UnitRecord,
        year: i32,
        pack: &RulePack,
        override_reason: Option<String>,
    ) -> StoreResult<FinalisationRecord> {
        Store::require(actor, Capability::FinaliseUnit)?;
        let reason = optional_text(override_reason, "override reason")?;
        let code = &unit.unit.code;
        let txn = self.write_txn().await?;
        let head = employee::Entity::find_by_id(actor.employee_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("employee with NIP", &actor.nip))?;
        let heads = |unit_id: Uuid| head.unit_id == unit_id;
        if !heads(unit.id) || !crate::org::is_managerial_position(&txn, head.position_id).await? {
            return Err(StoreError::Forbidden { reason: format!("only the head of {code} finalises it") });
        }
        if unit_finalisation::Entity::find()
            .filter(unit_finalisation::Column::UnitId.eq(unit.id))
            .filter(unit_finalisation::Column::Year.eq(year))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::FailedPrecondition(format!("{code} is already final for {year}")));
        }
        let path = crate::org::unit_path_in(&txn, unit).await?;
        let rated = crate::results::rated_units_holding(&txn, &path, year).await?.into_iter().next();
        let checked_path = rated.as_ref().map_or(path.as_str(), |r| r.path.as_str());
        let checked_code = rated.as_ref().map_or(code.to_string(), |r| r.code.clone());
        let plans_checked = plan::Entity::find()
            .filter(plan::Column::Year.eq(year))
            .filter(plan::Column::EmployeeId.in_subquery(crate::org::subtree_employee_ids(checked_path)))
            .all(&txn)
            .await?;
        let decisions = rating_decision::Entity::find()
            .filter(rating_decision::Column::Year.eq(year))
            .filter(rating_decision::Column::PlanId.is_in(plans_checked.iter().map(|p| p.id)))
            .all(&txn)
            .await?;
        let undecided = plans_checked.len() - decisions.len();
        if undecided > 0 {
            let whole = if checked_path == path {
                String::new()
            } else {
                format!(
                    "; the distribution is checked over the whole of {checked_code}, so every plan there needs a decision before any part of it is finalised"
                )
            };
            return Err(StoreError::FailedPrecondition(format!(
                "{undecided} of {} plans of {year} in {checked_code} have no decision yet{whole}",
                plans_checked.len(),
            )));
        }
        let mut counts = PredikatCounts::default();
        for decision in &decisions {
            counts.add(predikat("rating_decisions", decision.id, &decision.predikat)?);
        }
        let broken = match &rated {
            Some(rated) => {
                let rules = pack.distribution().map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
                kinerja_scoring::violations(rules, rated.predikat, &counts)
            }
            None => Vec::new(),
        };
        if !broken.is_empty() {
            let list: Vec<String> =
                broken.iter().map(|v| format!("{} (actual {}, limit {})", v.constraint, v.actual, v.limit)).collect();
            let list = list.join("; ");
            if rated.as_ref().is_some_and(|r| !heads(r.id)) {
                return Err(StoreError::FailedPrecondition(format!(
                    "the predikat distribution of {checked_code} breaks the guidance: {list}; only the head of {checked_code} may finalise it with a reason, or the raters revise their decisions"
                )));
            }
            if reason.is_none() {
                return Err(StoreError::FailedPrecondition(format!(
                    "the predikat distribution of {checked_code} breaks the guidance: {list}; finalising needs the head's override with a reason"
                )));
            }
        }
        // The finalised unit's own plans: all of those checked, unless the check ran over a unit above it.
        let in_subtree: Option<HashSet<Uuid>> = if checked_path == path {
            None
        } else {
            let members = crate::org::subtree_employee_ids(&path);
            let rows = plan::Entity::find()
                .filter(plan::Column::Year.eq(year))
                .filter(plan::Column::EmployeeId.in_subquery(members))
                .all(&txn)
                .await?;
            Some(rows.into_iter().map(|p| p.id).collect())
        };
        let own = |plan_id: &Uuid| in_subtree.as_ref().is_none_or(|ids| ids.contains(plan_id));
        let plans: Vec<&plan::Model> =
            plans_checked.iter().filter(|p| own(&p.id) && p.status == PlanStatus::Approved.as_str()).collect();
        if plans.is_empty() && plans_checked.iter().any(|p| own(&p.id)) {
            return Err(StoreError::FailedPrecondition(format!("every plan of {year} in {code} is already final")));
        }
        let plan_ids: HashSet<Uuid> = plans.iter().map(|p| p.id).collect();
        let finalised_decisions: Vec<&rating_decision::Model> =
            decisions.iter().filter(|d| plan_ids.contains(&d.plan_id)).collect();
        let now = Utc::now();
        rating_decision::Entity::update_many()
            .col_expr(rating_decision::Column::FinalisedAt, Expr::value(now))
            .filter(rating_decision::Column::Id.is_in(finalised_decisions.iter().map(|d| d.id)))
            .exec(&txn)
            .await?;
        let finalised_plans = plan::Entity::update_many()
            .col_expr(plan::Column::Status, Expr::value(PlanStatus::Finalised.as_str()))
            .col_expr(plan::Column::Version, Expr::col(plan::Column::Version).add(1))
            .filter(plan::Column::Id.is_in(plan_ids.iter().copied()))
            .filter(plan::Column::Status.eq(PlanStatus::Approved.as_str()))
            .exec(&txn)
            .await?;
        for plan in &plans {
            audit(
                &txn,
                Some(actor),
                "plan.finalised",
                "plan",
                plan.id,
                Some(json!({ "status": plan.status, "version": plan.version })),
                Some(json!({ "status": PlanStatus::Finalised.as_str(), "version": plan.version + 1, "unit": code.to_string() })),
            )
            .await?;
        }
        let violations = serde_json::to_string(&broken).map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
        let model = unit_finalisation::Model {
            id: new_record_id(),
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
            Some(json!({
                "year": year, "plans": plans.len(), "checked_over": checked_code,
                "override_reason": reason, "violations": broken,
            })),
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
            decisions: finalised_decisions.iter().map(|d| (d.id, d.plan_id)).collect(),
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
        Store::require(actor, Capability::EditPlans)?;
        let reasons = non_blank(reasons, "objection reasons")?;
        let txn = self.write_txn().await?;
        let decision = rating_decision::Entity::find_by_id(decision_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::missing("decision"))?;
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
            id: new_record_id(),
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

    /// The rater's superior decides an objection: upheld with new ratings (the predikat from the pack's
    /// matrix; the year's evaluation and distributions follow), or rejected. Final. Returns the objection
    /// and the decision as it now stands.
    pub async fn decide_objection(
        &self,
        actor: &Actor,
        packs: &kinerja_scoring::RulePacks,
        objection_id: Uuid,
        upheld: Option<FinalRatings>,
        reasons: &str,
    ) -> StoreResult<(ObjectionRecord, DecisionRecord)> {
        Store::require(actor, Capability::Rate)?;
        let reasons = non_blank(reasons, "decision reasons")?;
        let before = objection::Entity::find_by_id(objection_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::missing("objection"))?;
        let decision = rating_decision::Entity::find_by_id(before.decision_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::missing("decision of the objection"))?;
        ensure_rater_superior(&self.db, actor, &crate::plans::plan_row(&self.db, decision.plan_id).await?).await?;
        let pack = packs.for_year(decision.year).map_err(|e| StoreError::FailedPrecondition(e.to_string()))?;
        let rescored = match upheld {
            Some(ratings) => {
                Some(self.unrestricted().evaluate_stored_plan(pack, decision.plan_id, None, Some(ratings)).await?)
            }
            None => None,
        };
        let txn = self.write_txn().await?;
        let before = objection::Entity::find_by_id(objection_id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::missing("objection"))?;
        let plan_row = crate::plans::plan_row(&txn, decision.plan_id).await?;
        ensure_rater_superior(&txn, actor, &plan_row).await?;
        if before.status != "filed" {
            return Err(StoreError::FailedPrecondition(format!(
                "the objection to {} was already {}; the decision is final",
                plan_label(&txn, &plan_row).await?,
                before.status
            )));
        }
        let now = Utc::now();
        let mut active = before.clone().into_active_model();
        active.status = Set(if upheld.is_some() { "upheld" } else { "rejected" }.to_owned());
        active.decided_by = Set(Some(actor.employee_id));
        active.decided_at = Set(Some(now));
        active.decision_reasons = Set(Some(reasons));
        let mut decision_now = decision.clone();
        if let (Some(ratings), Some((bundle, evaluation))) = (upheld, &rescored) {
            active.previous_result_rating = Set(Some(decision.result_rating.clone()));
            active.previous_behaviour_rating = Set(Some(decision.behaviour_rating.clone()));
            active.previous_predikat = Set(Some(decision.predikat.clone()));
            let mut changed = decision.clone().into_active_model();
            changed.result_rating = Set(ratings.result.as_str().to_owned());
            changed.behaviour_rating = Set(ratings.behaviour.as_str().to_owned());
            changed.predikat = Set(evaluation.predikat.value.as_str().to_owned());
            changed.version = Set(decision.version + 1);
            decision_now = changed.update(&txn).await?;
            audit(
                &txn,
                Some(actor),
                "decision.changed_by_objection",
                "decision",
                decision.id,
                Some(decision_json(&decision)),
                Some(decision_json(&decision_now)),
            )
            .await?;
            crate::results::record_decided_year(&txn, pack, bundle, evaluation).await?;
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
        Ok((ObjectionRecord::try_from(after)?, DecisionRecord::try_from(decision_now)?))
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
