//! Perilaku Kerja through the year: the leader's specific expectation per BerAKHLAK value, set at
//! planning, and the rater's ratings of the seven values.

use chrono::Utc;
use kinerja_domain::{BehaviourRating, BerakhlakValue, Capability, Period, PlanStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::convert::{behaviour_model, records};
use crate::entity::{behaviour_expectation, behaviour_rating, plan};
use crate::error::{StoreError, StoreResult};
use crate::records::*;
use crate::workflow::{Actor, audit, ensure_rater_of};

impl TryFrom<behaviour_expectation::Model> for BehaviourExpectationRecord {
    type Error = StoreError;
    fn try_from(row: behaviour_expectation::Model) -> StoreResult<Self> {
        Ok(BehaviourExpectationRecord {
            plan_id: row.plan_id,
            value: row.value.parse().map_err(|e| StoreError::Corrupt {
                table: "behaviour_expectations",
                id: row.id.to_string(),
                reason: format!("{e}"),
            })?,
            expectation: row.expectation,
            set_by: row.set_by,
            set_at: row.set_at,
        })
    }
}

/// Refuses a value named twice in one change.
fn once_each(values: impl IntoIterator<Item = BerakhlakValue>) -> StoreResult<()> {
    let mut seen = Vec::new();
    for value in values {
        if seen.contains(&value) {
            return Err(StoreError::FailedPrecondition(format!("{} is named more than once", value.as_str())));
        }
        seen.push(value);
    }
    Ok(())
}

/// Rates one BerAKHLAK value of a plan for a period, replacing an earlier rating of that value.
pub(crate) async fn replace_rating(
    db: &impl ConnectionTrait,
    plan_id: Uuid,
    period: Period,
    rating: BehaviourRating,
) -> StoreResult<BehaviourRatingRecord> {
    behaviour_rating::Entity::delete_many()
        .filter(behaviour_rating::Column::PlanId.eq(plan_id))
        .filter(behaviour_rating::Column::Period.eq(period.to_string()))
        .filter(behaviour_rating::Column::Value.eq(rating.value.as_str()))
        .exec(db)
        .await?;
    let record = BehaviourRatingRecord { id: new_record_id(), plan_id, period, rating };
    behaviour_rating::Entity::insert(behaviour_model(&record).into_active_model()).exec_without_returning(db).await?;
    Ok(record)
}

/// How a rating compares with the one it replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Inserted,
    Updated,
    Unchanged,
}

/// Rates BerAKHLAK values of an approved plan for a period in `txn`: each rating replaces an earlier one
/// of its value and period (one identical to it is left alone), and carries the expectation set at
/// planning unless it has its own. One audit event names the levels set, when anything changed.
pub(crate) async fn rate_plan_in(
    txn: &DatabaseTransaction,
    actor: Option<&Actor>,
    row: plan::Model,
    period: Period,
    ratings: Vec<BehaviourRating>,
) -> StoreResult<Vec<(BehaviourRatingRecord, Change)>> {
    once_each(ratings.iter().map(|r| r.value))?;
    let plan_id = row.id;
    let plan = PlanRecord::try_from(row)?;
    plan.plan.ensure_period_in_year(period).map_err(StoreError::invalid)?;
    if plan.plan.status != PlanStatus::Approved {
        return Err(StoreError::FailedPrecondition(format!(
            "the {} plan is {}; behaviour is rated on approved plans",
            plan.plan.year, plan.plan.status
        )));
    }
    let expectations = behaviour_expectation::Entity::find()
        .filter(behaviour_expectation::Column::PlanId.eq(plan_id))
        .all(txn)
        .await?;
    let earlier: Vec<BehaviourRatingRecord> = records(
        behaviour_rating::Entity::find()
            .filter(behaviour_rating::Column::PlanId.eq(plan_id))
            .filter(behaviour_rating::Column::Period.eq(period.to_string()))
            .all(txn)
            .await?,
    )?;
    let mut rated = Vec::with_capacity(ratings.len());
    for mut rating in ratings {
        if rating.expectation.is_none() {
            rating.expectation =
                expectations.iter().find(|e| e.value == rating.value.as_str()).map(|e| e.expectation.clone());
        }
        let before = earlier.iter().find(|r| r.rating.value == rating.value);
        rated.push(match before {
            Some(same) if same.rating == rating => (same.clone(), Change::Unchanged),
            Some(_) => (replace_rating(txn, plan_id, period, rating).await?, Change::Updated),
            None => (replace_rating(txn, plan_id, period, rating).await?, Change::Inserted),
        });
    }
    if rated.iter().any(|(_, change)| *change != Change::Unchanged) {
        let levels: serde_json::Map<String, serde_json::Value> =
            rated.iter().map(|(r, _)| (r.rating.value.as_str().to_owned(), json!(r.rating.level.as_str()))).collect();
        let after = json!({ "period": period.to_string(), "levels": levels });
        audit(txn, actor, "behaviour.rated", "plan", plan_id, None, Some(after)).await?;
    }
    Ok(rated)
}

impl Store {
    /// The plan's rater sets the leader's specific expectations (ekspektasi khusus pimpinan) of some
    /// BerAKHLAK values, replacing earlier ones of those values; a blank text removes one. Allowed until
    /// the plan is final; the plan's version moves on.
    pub async fn set_behaviour_expectations(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        expected_version: i32,
        expectations: Vec<(BerakhlakValue, String)>,
    ) -> StoreResult<PlanRecord> {
        Store::require(actor, Capability::Rate)?;
        once_each(expectations.iter().map(|(value, _)| *value))?;
        let txn = self.write_txn().await?;
        let plan = crate::workflow::plan_for_update(&txn, actor, plan_id, expected_version).await?;
        if Some(actor.employee_id) != plan.rater_id {
            return Err(StoreError::Forbidden {
                reason: "only the plan's rater sets the leader's expectations".into(),
            });
        }
        if plan.status == PlanStatus::Finalised.as_str() {
            return Err(StoreError::FailedPrecondition(format!("the {} plan is final", plan.year)));
        }
        let now = Utc::now();
        for (value, text) in &expectations {
            behaviour_expectation::Entity::delete_many()
                .filter(behaviour_expectation::Column::PlanId.eq(plan_id))
                .filter(behaviour_expectation::Column::Value.eq(value.as_str()))
                .exec(&txn)
                .await?;
            let Some(text) =
                kinerja_domain::optional_free_text(Some(text), "expectation").map_err(StoreError::invalid)?
            else {
                continue;
            };
            let model = behaviour_expectation::Model {
                id: new_record_id(),
                plan_id,
                value: value.as_str().to_owned(),
                expectation: text.to_owned(),
                set_by: actor.employee_id,
                set_at: now,
            };
            behaviour_expectation::Entity::insert(model.into_active_model()).exec_without_returning(&txn).await?;
        }
        let after: serde_json::Map<String, serde_json::Value> =
            expectations.iter().map(|(value, text)| (value.as_str().to_owned(), json!(text.trim()))).collect();
        audit(&txn, Some(actor), "behaviour.expectations_set", "plan", plan_id, None, Some(after.into())).await?;
        txn.commit().await?;
        PlanRecord::try_from(plan)
    }

    /// The plan's rater rates BerAKHLAK values of an approved plan for a period (the year, or a period of
    /// a periodic evaluation), each replacing an earlier rating of that value and period. A rating
    /// without its own expectation carries the one set at planning.
    pub async fn rate_behaviour_as(
        &self,
        actor: &Actor,
        plan_id: Uuid,
        period: Period,
        ratings: Vec<BehaviourRating>,
    ) -> StoreResult<Vec<BehaviourRatingRecord>> {
        Store::require(actor, Capability::Rate)?;
        let txn = self.write_txn().await?;
        let row = crate::plans::plan_row(&txn, plan_id).await?;
        ensure_rater_of(actor, row.rater_id, row.employee_id, "rates its behaviour")?;
        let rated = rate_plan_in(&txn, Some(actor), row, period, ratings).await?;
        txn.commit().await?;
        Ok(rated.into_iter().map(|(record, _)| record).collect())
    }

    /// The leader's expectations of the given plans, in BerAKHLAK order.
    pub async fn behaviour_expectations_of_plans(
        &self,
        plan_ids: &[Uuid],
    ) -> StoreResult<Vec<BehaviourExpectationRecord>> {
        let mut found: Vec<BehaviourExpectationRecord> = records(
            behaviour_expectation::Entity::find()
                .filter(behaviour_expectation::Column::PlanId.is_in(plan_ids.iter().copied()))
                .within(behaviour_expectation::Column::PlanId, self.scope.plan_ids())
                .order_by_asc(behaviour_expectation::Column::PlanId)
                .all(&self.db)
                .await?,
        )?;
        found.sort_by_key(|e| (e.plan_id, BerakhlakValue::ALL.iter().position(|v| *v == e.value)));
        Ok(found)
    }
}
