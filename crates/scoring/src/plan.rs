//! A whole plan's evaluation: achievements, proposed ratings and predikat, each explained; and a
//! compact path for scoring a nation's year in memory.

use kinerja_domain::{Accumulation, BerakhlakValue, Predikat, RatingLevel, Target};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ScoringError;
use crate::achievement::{achievement_hundredths, divide_half_even, explain_achievement};
use crate::explain::Explained;
use crate::pack::{BehaviourRatingRules, PackRef, PredikatMatrix, ResultRatingRules, RulePack};
use crate::rating::{
    ResultTally, WorkResultInput, behaviour_level, predikat, propose_behaviour_rating, propose_result_rating,
    rating_from_tally,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourInput {
    pub value: BerakhlakValue,
    pub level: RatingLevel,
}

/// The rater's decided ratings, when there are any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalRatings {
    pub result: RatingLevel,
    pub behaviour: RatingLevel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanCase {
    pub year: i32,
    pub work_results: Vec<WorkResultInput>,
    pub behaviour: Vec<BehaviourInput>,
    /// The unit's own result, when the employee heads a unit that has one.
    #[serde(default)]
    pub unit_result: Option<RatingLevel>,
    #[serde(default)]
    pub final_ratings: Option<FinalRatings>,
    /// For a periodic evaluation: the months of the year covered so far (1–12). Targets of summed
    /// indicators are then pro-rated, as the pack's `[periodic]` section says; levels are not.
    #[serde(default)]
    pub months_elapsed: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorAchievement {
    pub work_result: String,
    pub indicator: String,
    pub achievement: Explained<Option<Decimal>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanEvaluation {
    pub pack: PackRef,
    pub achievements: Vec<IndicatorAchievement>,
    pub proposed_result_rating: Explained<RatingLevel>,
    pub proposed_behaviour_rating: Explained<RatingLevel>,
    pub predikat: Explained<Predikat>,
    /// Whether the predikat comes from the rater's final ratings or, before they exist, the proposals.
    pub predikat_from: PredikatBasis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PredikatBasis {
    FinalRatings,
    ProposedRatings,
}

/// Scales the targets of summed indicators to the part of the year covered.
fn pro_rated(pack: &RulePack, case: &PlanCase) -> Result<Vec<WorkResultInput>, ScoringError> {
    let Some(months) = case.months_elapsed.filter(|m| *m != 12) else { return Ok(case.work_results.clone()) };
    if !(1..=12).contains(&months) {
        return Err(ScoringError::Impossible {
            field: "months_elapsed".into(),
            reason: format!("must be 1 to 12, found {months}"),
        });
    }
    if !pack.periodic()?.pro_rate_summed_targets {
        return Ok(case.work_results.clone());
    }
    let share = Decimal::from(months) / Decimal::from(12);
    let scale = |value: Decimal| (value * share).round_dp(4).normalize();
    let mut results = case.work_results.clone();
    for indicator in results.iter_mut().flat_map(|r| r.indicators.iter_mut()) {
        if indicator.accumulation == Accumulation::Sum {
            indicator.target = match indicator.target {
                Target::AtLeast { value } => Target::AtLeast { value: scale(value) },
                Target::AtMost { value } => Target::AtMost { value: scale(value) },
                Target::Between { low, high } => Target::Between { low: scale(low), high: scale(high) },
            };
        }
    }
    Ok(results)
}

/// Evaluates a plan under `pack` (the pack of the plan's year).
pub fn evaluate_plan(pack: &RulePack, case: &PlanCase) -> Result<PlanEvaluation, ScoringError> {
    let work_results = pro_rated(pack, case)?;
    let mut achievements = Vec::new();
    for result in &work_results {
        for indicator in &result.indicators {
            achievements.push(IndicatorAchievement {
                work_result: result.code.clone(),
                indicator: indicator.code.clone(),
                achievement: explain_achievement(pack, indicator)?,
            });
        }
    }
    let values: Vec<(BerakhlakValue, RatingLevel)> = case.behaviour.iter().map(|b| (b.value, b.level)).collect();
    let proposed_result_rating = propose_result_rating(pack, &work_results, case.unit_result)?;
    let proposed_behaviour_rating = propose_behaviour_rating(pack, &values)?;
    let (result, behaviour, predikat_from) = match case.final_ratings {
        Some(decided) => (decided.result, decided.behaviour, PredikatBasis::FinalRatings),
        None => (proposed_result_rating.value, proposed_behaviour_rating.value, PredikatBasis::ProposedRatings),
    };
    let predikat = predikat(pack, result, behaviour)?;
    Ok(PlanEvaluation {
        pack: pack.reference(),
        achievements,
        proposed_result_rating,
        proposed_behaviour_rating,
        predikat,
        predikat_from,
    })
}

/// One indicator of a year scored in bulk: its target, the year's realised value, and whether its
/// work result is utama.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactIndicator {
    pub target: Target,
    pub realised: Decimal,
    /// Index of the work result within the employee's plan.
    pub work_result: u8,
    pub utama: bool,
}

/// The pack values bulk scoring needs, resolved once; percentages in hundredths.
#[derive(Debug, Clone)]
pub struct CompactRules {
    cap: i128,
    above_from: i128,
    below_under: i128,
    result: ResultRatingRules,
    behaviour: BehaviourRatingRules,
    matrix: PredikatMatrix,
}

/// A percentage with at most two decimals (the pack validates this) in hundredths.
fn hundredths(percent: Decimal) -> i128 {
    let scaled = (percent * Decimal::ONE_HUNDRED).trunc();
    scaled.mantissa() / 10i128.pow(scaled.scale())
}

impl CompactRules {
    pub fn new(pack: &RulePack) -> Result<Self, ScoringError> {
        let result = pack.proposed_result_rating()?.clone();
        Ok(Self {
            cap: hundredths(pack.achievement()?.cap),
            above_from: hundredths(result.above_from),
            below_under: hundredths(result.below_under),
            result,
            behaviour: pack.proposed_behaviour_rating()?.clone(),
            matrix: *pack.predikat()?,
        })
    }

    fn level(&self, mean: i128) -> RatingLevel {
        if mean >= self.above_from {
            RatingLevel::AboveExpectation
        } else if mean < self.below_under {
            RatingLevel::BelowExpectation
        } else {
            RatingLevel::AsExpected
        }
    }
}

/// Proposed ratings and predikat of one employee, without explanations: the same rules as
/// [`evaluate_plan`], for scoring millions of plans. `indicators` are grouped by work result.
pub fn score_compact(
    rules: &CompactRules,
    indicators: &[CompactIndicator],
    behaviour: &[RatingLevel; 7],
) -> Result<(RatingLevel, RatingLevel, Predikat), ScoringError> {
    let mut tally = ResultTally::default();
    let mut start = 0;
    while start < indicators.len() {
        let work_result = indicators[start].work_result;
        let end = indicators[start..]
            .iter()
            .position(|i| i.work_result != work_result)
            .map_or(indicators.len(), |p| start + p);
        let mut sum = 0i128;
        for indicator in &indicators[start..end] {
            let achievement = achievement_hundredths(indicator.target, indicator.realised).ok_or_else(|| {
                ScoringError::Impossible {
                    field: "target".into(),
                    reason: "a lower-is-better target of 0 gives no ratio to measure against".into(),
                }
            })?;
            sum += achievement.min(rules.cap);
        }
        let mean = divide_half_even(sum, (end - start) as i128);
        let level = rules.level(mean);
        tally.results += 1;
        tally.above += usize::from(level == RatingLevel::AboveExpectation);
        tally.below += usize::from(level == RatingLevel::BelowExpectation);
        if indicators[start].utama {
            tally.utama += 1;
            tally.utama_below += usize::from(level == RatingLevel::BelowExpectation);
        }
        start = end;
    }
    let result = rating_from_tally(&rules.result, tally);
    let above = behaviour.iter().filter(|l| **l == RatingLevel::AboveExpectation).count();
    let below = behaviour.iter().filter(|l| **l == RatingLevel::BelowExpectation).count();
    let behaviour = behaviour_level(&rules.behaviour, above, below);
    Ok((result, behaviour, rules.matrix.lookup(result, behaviour)))
}
