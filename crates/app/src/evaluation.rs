//! Assessing the year: proposals, behaviour ratings, the rater's decisions, the organisation predikat,
//! finalisation with the distribution check, and objections.

use kinerja_domain::{BehaviourRating, BerakhlakValue, OrganisationPredikat, Period, RatingLevel, UnitCode};
use kinerja_scoring::{FinalRatings, PlanEvaluation, RulePacks};
use kinerja_store::records::{
    BehaviourRatingRecord, DecisionRecord, DistributionRecord, FinalisationRecord, ObjectionRecord, PlanRecord,
    UnitRecord,
};
use kinerja_store::{Actor, NewDecision, Store, StoreError};
use uuid::Uuid;

use crate::{AppResult, current_pack};

async fn plan_of(store: &Store, plan_id: Uuid) -> AppResult<PlanRecord> {
    Ok(store.plans_by_ids(&[plan_id]).await?.pop().ok_or_else(|| StoreError::missing("plan"))?)
}

/// The proposal for a plan computed now from its stored realisations and behaviour ratings, through
/// `through`, or without it through the periods recorded so far (targets of summed indicators
/// pro-rated to the months covered); with the period it ran through.
pub async fn propose(
    store: &Store,
    packs: &RulePacks,
    plan_id: Uuid,
    through: Option<Period>,
) -> AppResult<(Period, PlanEvaluation)> {
    let plan = plan_of(store, plan_id).await?;
    let pack = current_pack(packs, plan.plan.year)?;
    let (bundle, evaluation) = store.evaluate_stored_plan(pack, plan_id, through, None).await?;
    Ok((through.unwrap_or_else(|| bundle.recorded_through()), evaluation))
}

/// The rater decides a plan's year; the store computes the proposal it answers and the predikat.
pub async fn decide_ratings(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    decision: NewDecision,
    expected_version: Option<i32>,
) -> AppResult<DecisionRecord> {
    let plan = plan_of(store, decision.plan_id).await?;
    let pack = current_pack(packs, plan.plan.year)?;
    Ok(store.decide_ratings(actor, pack, decision, expected_version).await?)
}

/// One BerAKHLAK value rated by the rater.
#[derive(Debug, Clone)]
pub struct BehaviourRatingInput {
    pub value: BerakhlakValue,
    pub level: RatingLevel,
    pub note: Option<String>,
}

/// The rater rates BerAKHLAK values of an approved plan for `period` (the plan's year by default).
pub async fn rate_behaviour(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    period: Option<Period>,
    ratings: Vec<BehaviourRatingInput>,
) -> AppResult<Vec<BehaviourRatingRecord>> {
    let plan = plan_of(store, plan_id).await?;
    let period = period.unwrap_or(Period::Year(plan.plan.year));
    let ratings = ratings
        .into_iter()
        .map(|r| {
            let note = kinerja_domain::optional_free_text(r.note.as_deref(), "note")
                .map_err(|e| crate::AppError::Store(StoreError::Invalid(e.into())))?;
            Ok(BehaviourRating { value: r.value, level: r.level, expectation: None, note })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(store.rate_behaviour_as(actor, plan_id, period, ratings).await?)
}

/// The rater sets the leader's specific expectations of BerAKHLAK values while planning.
pub async fn set_behaviour_expectations(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    expected_version: i32,
    expectations: Vec<(BerakhlakValue, String)>,
) -> AppResult<PlanRecord> {
    Ok(store.set_behaviour_expectations(actor, plan_id, expected_version, expectations).await?)
}

/// An HR administrator sets a perangkat daerah's organisation predikat for a year; its distribution is
/// checked against it at once.
pub async fn set_organisation_predikat(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    code: &UnitCode,
    year: i32,
    predikat: OrganisationPredikat,
) -> AppResult<(UnitRecord, DistributionRecord)> {
    let pack = organisation_year(packs, year)?;
    let unit = store.unit_by_code(code).await?;
    let distribution = store.set_organisation_rating(Some(actor), pack, &unit, year, predikat).await?;
    Ok((unit, distribution))
}

/// The rule pack of a year an organisation predikat is given for: one under the current regime that has
/// begun (a unit is rated on a year it has worked, for the mutation and the import alike).
pub(crate) fn organisation_year(packs: &RulePacks, year: i32) -> AppResult<&kinerja_scoring::RulePack> {
    let this_year = chrono::Datelike::year(&crate::today());
    if year > this_year {
        return Err(crate::AppError::Invalid {
            field: "year",
            message: format!("{year} has not begun; an organisation predikat is given for {this_year} or earlier"),
        });
    }
    current_pack(packs, year)
}

/// The unit's head finalises its year (see [`Store::finalise_unit`] for the order of finalisation).
pub async fn finalise_unit(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    code: &UnitCode,
    year: i32,
    override_reason: Option<String>,
) -> AppResult<(UnitRecord, FinalisationRecord)> {
    let pack = current_pack(packs, year)?;
    let unit = store.unit_by_code(code).await?;
    let finalised = store.finalise_unit(actor, &unit, year, pack, override_reason).await?;
    Ok((unit, finalised))
}

/// The rated employee objects to a final decision within the year's window.
pub async fn file_objection(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    decision_id: Uuid,
    reasons: &str,
) -> AppResult<(ObjectionRecord, DecisionRecord)> {
    let decision =
        store.decisions_by_ids(&[decision_id]).await?.pop().ok_or_else(|| StoreError::missing("decision"))?;
    let window =
        current_pack(packs, decision.year)?.objection().map_err(|e| crate::AppError::Rules(e.to_string()))?.window_days;
    let objection = store.file_objection(actor, decision_id, reasons, window).await?;
    Ok((objection, decision))
}

/// The rater's superior decides an objection: upheld with new ratings, or rejected.
pub async fn decide_objection(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    objection_id: Uuid,
    upheld: Option<FinalRatings>,
    reasons: &str,
) -> AppResult<(ObjectionRecord, DecisionRecord)> {
    Ok(store.decide_objection(actor, packs, objection_id, upheld, reasons).await?)
}

/// What the employee writes of one part of their year, before it is checked.
#[derive(Debug, Clone)]
pub enum SelfViewInput {
    WorkResult { work_result_id: Uuid, achieved: String, evidence_link: Option<String> },
    Behaviour { value: BerakhlakValue, level: RatingLevel, note: String },
}

/// The employee writes their own view of their year (penilaian diri) before the rater decides: per
/// work result what they achieved, per BerAKHLAK value the level they see and why. The rater reads it
/// beside the proposal; where the two views of a value differ, it goes on the next dialogue's agenda.
pub async fn write_self_assessment(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    views: Vec<SelfViewInput>,
) -> AppResult<Vec<kinerja_store::SelfAssessmentRecord>> {
    let invalid = |at: usize, e: kinerja_domain::PlanError| {
        crate::AppError::Store(StoreError::FailedPrecondition(format!("views[{at}]: {e}")))
    };
    let views = views
        .into_iter()
        .enumerate()
        .map(|(at, view)| {
            Ok(match view {
                SelfViewInput::WorkResult { work_result_id, achieved, evidence_link } => {
                    kinerja_store::SelfView::WorkResult {
                        work_result_id,
                        achieved: kinerja_domain::free_text(&achieved, "achieved").map_err(|e| invalid(at, e))?,
                        evidence_link: kinerja_domain::optional_free_text(evidence_link.as_deref(), "evidenceLink")
                            .map_err(|e| invalid(at, e))?,
                    }
                }
                SelfViewInput::Behaviour { value, level, note } => kinerja_store::SelfView::Behaviour {
                    value,
                    level,
                    note: kinerja_domain::free_text(&note, "note").map_err(|e| invalid(at, e))?,
                },
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    if views.is_empty() {
        return Err(StoreError::FailedPrecondition("views: write at least one part".into()).into());
    }
    Ok(store.write_self_assessment(actor, plan_id, views).await?)
}
