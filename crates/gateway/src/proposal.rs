//! Proposals computed on request from the stored plan, under the year's rule pack.

use async_graphql::{Context, Result};
use kinerja_domain::Period;
use kinerja_scoring::{PlanEvaluation, RulePacks};
use kinerja_store::Store;
use uuid::Uuid;

use crate::error::{OrGraphqlError, bad_input, not_found};

/// Evaluates a plan now on its realisations through `through`; a unit head's result is the unit's.
pub(crate) async fn propose(ctx: &Context<'_>, plan_id: Uuid, through: Period) -> Result<PlanEvaluation> {
    let store = ctx.data_unchecked::<Store>();
    let packs = ctx.data_unchecked::<RulePacks>();
    let bundle = store
        .plan_bundles_by_ids(&[plan_id])
        .await
        .or_graphql()?
        .pop()
        .ok_or_else(|| not_found(format!("plan {plan_id}")))?;
    let year = bundle.plan.plan.year;
    let pack = packs.for_year(year).map_err(|e| bad_input(e.to_string()))?;
    let unit_result = if bundle.position.position.kind.is_managerial() {
        let ratings = store.organisation_ratings(year).await.or_graphql()?;
        match ratings.into_iter().find(|r| r.unit_id == bundle.employee.unit_id) {
            Some(rating) => Some(pack.unit_head().map_err(|e| bad_input(e.to_string()))?.rating_for(rating.predikat)),
            None => None,
        }
    } else {
        None
    };
    kinerja_scoring::evaluate_plan(pack, &bundle.scoring_case(through, unit_result))
        .map_err(|e| crate::error::failed_precondition(format!("the plan cannot be scored yet: {e}")))
}
