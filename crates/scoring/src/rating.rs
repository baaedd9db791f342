//! Proposed ratings (PermenPANRB 6/2022): Rating Hasil Kerja from the work results' achievements,
//! Rating Perilaku from the seven BerAKHLAK values, and the predikat matrix.

use kinerja_domain::{BerakhlakValue, Predikat, RatingLevel, WorkResultSection};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ScoringError;
use crate::achievement::{ACHIEVEMENT_SCALE, IndicatorInput, capped_achievement};
use crate::explain::{Explained, Explanation};
use crate::pack::{BehaviourRatingRules, ResultRatingRules, RulePack};

/// A work result (RHK) and its indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkResultInput {
    pub code: String,
    pub section: WorkResultSection,
    pub indicators: Vec<IndicatorInput>,
}

/// How the work results fell against expectation; enough to decide and to explain a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ResultTally {
    pub results: usize,
    pub above: usize,
    pub below: usize,
    pub utama: usize,
    pub utama_below: usize,
}

/// Level of one achievement under the pack's thresholds.
pub fn level_of(rules: &ResultRatingRules, achievement: Decimal) -> RatingLevel {
    if achievement >= rules.above_from {
        RatingLevel::AboveExpectation
    } else if achievement < rules.below_under {
        RatingLevel::BelowExpectation
    } else {
        RatingLevel::AsExpected
    }
}

/// More than `percent` of `total`.
fn more_than(count: usize, total: usize, percent: Decimal) -> bool {
    total > 0 && Decimal::from(count) * Decimal::ONE_HUNDRED > Decimal::from(total) * percent
}

/// The regulation's wording, in order: most results above and no utama below → above; at most a small
/// part of the utama below → as expected; otherwise below.
pub fn rating_from_tally(rules: &ResultRatingRules, tally: ResultTally) -> RatingLevel {
    if more_than(tally.above, tally.results, rules.most_percent) && tally.utama_below == 0 {
        RatingLevel::AboveExpectation
    } else if !more_than(tally.utama_below, tally.utama, rules.small_part_percent)
        && !more_than(tally.below, tally.results, rules.most_percent)
    {
        RatingLevel::AsExpected
    } else {
        RatingLevel::BelowExpectation
    }
}

/// A work result's achievement: the mean of its indicators' capped achievements.
fn work_result_achievement(cap: Decimal, result: &WorkResultInput) -> Result<Option<Decimal>, ScoringError> {
    let mut sum = Decimal::ZERO;
    let mut count = 0u32;
    for indicator in &result.indicators {
        if let Some(achievement) = capped_achievement(cap, indicator)? {
            sum += achievement;
            count += 1;
        }
    }
    Ok((count > 0).then(|| (sum / Decimal::from(count)).round_dp(ACHIEVEMENT_SCALE).normalize()))
}

/// The evidence behind a proposed Rating Hasil Kerja.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRatingBasis {
    pub tally: ResultTally,
    /// Each work result's code, section, achievement and level.
    pub work_results: Vec<(String, WorkResultSection, Decimal, RatingLevel)>,
    pub unresolved: Vec<String>,
}

/// Proposes the Rating Hasil Kerja. A unit head's rating is the unit's own result when it is given.
pub fn propose_result_rating(
    pack: &RulePack,
    work_results: &[WorkResultInput],
    unit_result: Option<RatingLevel>,
) -> Result<Explained<RatingLevel>, ScoringError> {
    let rules = pack.proposed_result_rating()?;
    let cap = pack.achievement()?.cap;
    let mut basis =
        ResultRatingBasis { tally: ResultTally::default(), work_results: Vec::new(), unresolved: Vec::new() };
    for result in work_results {
        match work_result_achievement(cap, result)? {
            Some(achievement) => {
                let level = level_of(rules, achievement);
                let tally = &mut basis.tally;
                tally.results += 1;
                tally.above += usize::from(level == RatingLevel::AboveExpectation);
                tally.below += usize::from(level == RatingLevel::BelowExpectation);
                if result.section == WorkResultSection::Utama {
                    tally.utama += 1;
                    tally.utama_below += usize::from(level == RatingLevel::BelowExpectation);
                }
                basis.work_results.push((result.code.clone(), result.section, achievement, level));
            }
            None => basis.unresolved.push(result.code.clone()),
        }
    }
    let mut explanation = Explanation::new("proposed Rating Hasil Kerja", pack)
        .input("above_from", format!("{}%", rules.above_from))
        .input("below_under", format!("{}%", rules.below_under));
    for (code, section, achievement, level) in &basis.work_results {
        explanation = explanation.input(format!("{code} ({section})"), format!("{achievement}% → {level}"));
    }
    for code in &basis.unresolved {
        explanation = explanation.reason(format!("{code} has no realisation yet and is left out"));
    }
    if let Some(unit_level) = unit_result {
        let explanation = explanation
            .input("unit result", unit_level)
            .reason("the employee heads a unit: the Rating Hasil Kerja is the unit's own result")
            .outcome(unit_level);
        return Ok(Explained { value: unit_level, explanation });
    }
    if basis.tally.results == 0 {
        return Err(ScoringError::Impossible {
            field: "work_results".to_owned(),
            reason: "no work result has a realised indicator; the rater judges a qualitative plan".to_owned(),
        });
    }
    let tally = basis.tally;
    let level = rating_from_tally(rules, tally);
    explanation = explanation
        .reason(format!(
            "{} of {} results above expectation, {} below; {} of {} utama results below",
            tally.above, tally.results, tally.below, tally.utama_below, tally.utama
        ))
        .reason(match level {
            RatingLevel::AboveExpectation => {
                format!("more than {}% above and no utama result below", rules.most_percent)
            }
            RatingLevel::AsExpected => {
                format!("at most {}% of the utama results below and not most below", rules.small_part_percent)
            }
            RatingLevel::BelowExpectation => format!(
                "more than {}% of the utama results, or most results, below expectation",
                rules.small_part_percent
            ),
        })
        .outcome(level);
    Ok(Explained { value: level, explanation })
}

/// Counts of the BerAKHLAK values at each level.
pub fn behaviour_level(rules: &BehaviourRatingRules, above: usize, below: usize) -> RatingLevel {
    if above >= rules.above_min_values_above && below <= rules.above_max_values_below {
        RatingLevel::AboveExpectation
    } else if below >= rules.below_min_values_below {
        RatingLevel::BelowExpectation
    } else {
        RatingLevel::AsExpected
    }
}

/// Proposes the Rating Perilaku from one rating of each of the seven BerAKHLAK values.
pub fn propose_behaviour_rating(
    pack: &RulePack,
    values: &[(BerakhlakValue, RatingLevel)],
) -> Result<Explained<RatingLevel>, ScoringError> {
    let rules = pack.proposed_behaviour_rating()?;
    for value in BerakhlakValue::ALL {
        let ratings = values.iter().filter(|(v, _)| v == value).count();
        if ratings != 1 {
            return Err(ScoringError::Impossible {
                field: format!("behaviour.{value}"),
                reason: format!("each BerAKHLAK value needs exactly one rating, found {ratings}"),
            });
        }
    }
    let above = values.iter().filter(|(_, l)| *l == RatingLevel::AboveExpectation).count();
    let below = values.iter().filter(|(_, l)| *l == RatingLevel::BelowExpectation).count();
    let level = behaviour_level(rules, above, below);
    let mut explanation = Explanation::new("proposed Rating Perilaku", pack);
    for (value, rating) in values {
        explanation = explanation.input(value.title(), rating);
    }
    let explanation = explanation
        .reason(format!("{above} values above expectation, {below} below"))
        .reason(format!(
            "above needs at least {} above and at most {} below; below needs at least {} below",
            rules.above_min_values_above, rules.above_max_values_below, rules.below_min_values_below
        ))
        .outcome(level);
    Ok(Explained { value: level, explanation })
}

/// Predikat Kinerja Pegawai from the rater's Rating Hasil Kerja and Rating Perilaku.
pub fn predikat(
    pack: &RulePack,
    result: RatingLevel,
    behaviour: RatingLevel,
) -> Result<Explained<Predikat>, ScoringError> {
    let value = pack.predikat()?.lookup(result, behaviour);
    let explanation = Explanation::new("Predikat Kinerja Pegawai (matrix)", pack)
        .input("Rating Hasil Kerja", result)
        .input("Rating Perilaku", behaviour)
        .reason(format!("row {result}, column {behaviour} of the predikat matrix"))
        .outcome(value);
    Ok(Explained { value, explanation })
}

/// A unit head's own result (PermenPANRB 6/2022): the head of a unit that has an organisation predikat
/// is rated on the unit's result; anyone else, or a head of a unit without one, on their own work results.
pub fn unit_result(
    pack: &RulePack,
    position: kinerja_domain::PositionKind,
    organisation: Option<kinerja_domain::OrganisationPredikat>,
) -> Result<Option<RatingLevel>, ScoringError> {
    match organisation {
        Some(predikat) if position.is_managerial() => Ok(Some(pack.unit_head()?.rating_for(predikat))),
        _ => Ok(None),
    }
}
