//! Scoring a year: every plan (of a unit's subtree, when given) evaluated under the year's rule pack on
//! its realisations through a period, decisions kept as the predikat, and the rated units' distributions
//! recounted — only those inside the subtree or holding it.

use std::collections::HashMap;

use kinerja_domain::{OrganisationPredikat, Period, PlanStatus};
use kinerja_scoring::{FinalRatings, RulePack, RulePacks};
use kinerja_store::Store;
use kinerja_store::records::{PlanBundle, ScoredPlan, UnitRecord};
use rayon::prelude::*;
use uuid::Uuid;

use crate::{AppResult, current_pack};

/// Plans read, scored and written per round.
const PLANS_PER_PAGE: u64 = 2_000;

/// What a scoring run did.
#[derive(Debug, Default)]
pub struct ScoreSummary {
    pub scored: u64,
    /// Plans that could not be scored, with the first few reasons.
    pub skipped: u64,
    pub skip_reasons: Vec<String>,
    pub units_checked: usize,
    pub units_outside_guidance: usize,
}

fn evaluate(
    pack: &RulePack,
    bundle: &PlanBundle,
    through: Period,
    organisation: Option<OrganisationPredikat>,
    decided: Option<FinalRatings>,
) -> Result<ScoredPlan, String> {
    let nip = &bundle.employee.employee.nip;
    let plan = &bundle.plan.plan;
    if matches!(plan.status, PlanStatus::Draft | PlanStatus::Submitted) {
        return Err(format!(
            "{nip}: the {} plan is {}; a plan is scored once its rater approves it",
            plan.year, plan.status
        ));
    }
    let unit_result = kinerja_scoring::unit_result(pack, bundle.position.position.kind, organisation)
        .map_err(|error| format!("{nip}: {error}"))?;
    let mut case = bundle.scoring_case(through, unit_result);
    // A decided year keeps the rater's ratings: a new scoring run explains them, never replaces them.
    if through == Period::Year(bundle.plan.plan.year) {
        case.final_ratings = decided;
    }
    let evaluation = kinerja_scoring::evaluate_plan(pack, &case).map_err(|error| format!("{nip}: {error}"))?;
    ScoredPlan::new(bundle, through, &evaluation).map_err(|error| format!("{nip}: {error}"))
}

/// Scores every plan of the year of `through` (within `unit`'s subtree when given) on the realisations
/// through `through` (the whole year, or e.g. its third quarter for a periodic evaluation).
pub async fn score_year(
    store: &Store,
    packs: &RulePacks,
    through: Period,
    unit: Option<&UnitRecord>,
    progress: impl Fn(u64),
) -> AppResult<ScoreSummary> {
    let year = through.year();
    let pack = current_pack(packs, year)?;
    let organisation: HashMap<Uuid, OrganisationPredikat> =
        store.organisation_ratings(year).await?.into_iter().map(|r| (r.unit_id, r.predikat)).collect();
    let mut summary = ScoreSummary::default();
    let mut after = None;
    loop {
        let bundles = store.plan_bundles(year, unit, after, PLANS_PER_PAGE).await?;
        let Some(last) = bundles.last() else { break };
        after = Some(last.plan.id);
        let plan_ids: Vec<Uuid> = bundles.iter().map(|b| b.plan.id).collect();
        let decided: HashMap<Uuid, FinalRatings> = store
            .decisions_of_plans(&plan_ids)
            .await?
            .into_iter()
            .filter(|d| d.year == year)
            .map(|d| (d.plan_id, FinalRatings { result: d.result_rating, behaviour: d.behaviour_rating }))
            .collect();
        let results: Vec<Result<ScoredPlan, String>> = bundles
            .par_iter()
            .map(|bundle| {
                let unit_predikat = organisation.get(&bundle.employee.unit_id).copied();
                evaluate(pack, bundle, through, unit_predikat, decided.get(&bundle.plan.id).copied())
            })
            .collect();
        let mut evaluations = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(evaluation) => evaluations.push(evaluation),
                Err(reason) => {
                    summary.skipped += 1;
                    if summary.skip_reasons.len() < 5 {
                        summary.skip_reasons.push(reason);
                    }
                }
            }
        }
        store.save_evaluations(&evaluations).await?;
        summary.scored += evaluations.len() as u64;
        progress(bundles.len() as u64);
    }
    let distributions = store.refresh_distributions(pack, year, unit).await?;
    summary.units_checked = distributions.len();
    summary.units_outside_guidance = distributions.iter().filter(|d| !d.within_guidance()).count();
    Ok(summary)
}
