//! `kinerja score`: evaluates every plan of a year under its rule pack and stores the results, then
//! checks each rated unit's predikat distribution.

use std::collections::HashMap;

use anyhow::Context;
use chrono::Utc;
use kinerja_domain::Period;
use kinerja_scoring::{PredikatCounts, Regime, RulePack, RulePacks};
use kinerja_store::Store;
use kinerja_store::records::{
    AchievementRecord, DistributionRecord, EvaluationRecord, PlanBundle, ScoredPlan, UnitRecord,
};
use rayon::prelude::*;
use uuid::Uuid;

/// Plans read, scored and written per round.
const PLANS_PER_PAGE: u64 = 2_000;

/// What a scoring run did.
#[derive(Debug, Default)]
pub(crate) struct ScoreSummary {
    pub(crate) scored: u64,
    /// Plans that could not be scored, with the first few reasons.
    pub(crate) skipped: u64,
    pub(crate) skip_reasons: Vec<String>,
    pub(crate) units_checked: usize,
    pub(crate) units_outside_guidance: usize,
}

fn evaluate(
    pack: &RulePack,
    bundle: &PlanBundle,
    through: Period,
    unit_result: Option<kinerja_domain::RatingLevel>,
) -> Result<ScoredPlan, String> {
    let case = bundle.scoring_case(through, unit_result);
    let nip = &bundle.employee.employee.nip;
    let evaluation = kinerja_scoring::evaluate_plan(pack, &case).map_err(|error| format!("{nip}: {error}"))?;
    let explanation = serde_json::to_string(&evaluation).map_err(|error| format!("{nip}: {error}"))?;
    let achievements = evaluation
        .achievements
        .iter()
        .filter_map(|scored| {
            let result = bundle.work_results.iter().find(|r| r.code == scored.work_result)?;
            let indicator =
                bundle.indicators.iter().find(|i| i.work_result_id == result.id && i.code == scored.indicator)?;
            Some(AchievementRecord {
                indicator_id: indicator.id,
                aspect: indicator.indicator.aspect,
                achievement: scored.achievement.value,
            })
        })
        .collect();
    let record = EvaluationRecord {
        id: Uuid::now_v7(),
        plan_id: bundle.plan.id,
        period: through,
        pack_id: evaluation.pack.id.clone(),
        pack_version: i32::try_from(evaluation.pack.version).unwrap_or(i32::MAX),
        proposed_result_rating: evaluation.proposed_result_rating.value,
        proposed_behaviour_rating: evaluation.proposed_behaviour_rating.value,
        predikat: evaluation.predikat.value,
        predikat_basis: serde_json::to_value(evaluation.predikat_from)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        computed_at: Utc::now(),
    };
    Ok(ScoredPlan { evaluation: record, explanation, employee_id: bundle.employee.id, achievements })
}

/// Scores every plan of `year` (within `unit`'s subtree when given) on the realisations through the
/// period `through` (the whole year, or e.g. its third quarter for a periodic evaluation).
pub(crate) async fn score_year(
    store: &Store,
    packs: &RulePacks,
    through: Period,
    unit: Option<&UnitRecord>,
    progress: impl Fn(u64),
) -> anyhow::Result<ScoreSummary> {
    let year = through.year();
    let pack = packs.for_year(year)?;
    anyhow::ensure!(
        pack.regime == Regime::Current,
        "{year} falls under {} ({}); stored plans follow PermenPANRB 6/2022, so score legacy years case by case with `kinerja evaluate`",
        pack.id,
        pack.regulation
    );
    let organisation: HashMap<Uuid, kinerja_domain::OrganisationPredikat> =
        store.organisation_ratings(year).await?.into_iter().map(|r| (r.unit_id, r.predikat)).collect();
    let unit_head = pack.unit_head()?;
    let mut summary = ScoreSummary::default();
    let mut after = None;
    loop {
        let bundles = store.plan_bundles(year, unit, after, PLANS_PER_PAGE).await.context("reading plans")?;
        let Some(last) = bundles.last() else { break };
        after = Some(last.plan.id);
        let results: Vec<Result<ScoredPlan, String>> = bundles
            .par_iter()
            .map(|bundle| {
                // A unit head's rating is the unit's result, where the unit has an organisation predikat.
                let unit_result = bundle
                    .position
                    .position
                    .kind
                    .is_managerial()
                    .then(|| organisation.get(&bundle.employee.unit_id))
                    .flatten()
                    .map(|predikat| unit_head.rating_for(*predikat));
                evaluate(pack, bundle, through, unit_result)
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
        store.save_evaluations(&evaluations).await.context("writing evaluations")?;
        summary.scored += evaluations.len() as u64;
        progress(bundles.len() as u64);
    }

    let rated_units: Vec<Uuid> = organisation.keys().copied().collect();
    let mut distributions = Vec::new();
    for unit in store.units_by_ids(&rated_units).await? {
        let counts = store.predikat_counts(&unit, through).await?;
        let organisation_predikat = organisation[&unit.id];
        let [sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang] = counts;
        let predikat_counts = PredikatCounts { sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang };
        let checked = kinerja_scoring::check_distribution(pack, organisation_predikat, &predikat_counts)?;
        summary.units_checked += 1;
        summary.units_outside_guidance += usize::from(!checked.value.is_empty());
        distributions.push(DistributionRecord {
            id: Uuid::now_v7(),
            unit_id: unit.id,
            year,
            pack_id: pack.id.clone(),
            pack_version: i32::try_from(pack.version).unwrap_or(i32::MAX),
            organisation_predikat,
            counts,
            violations: serde_json::to_string(&checked)?,
            computed_at: Utc::now(),
        });
    }
    store.save_distributions(&distributions).await.context("writing unit distributions")?;
    Ok(summary)
}
