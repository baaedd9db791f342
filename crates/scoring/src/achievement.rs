//! Indicator achievement: realisation against target, accumulated over the year, capped by the pack.

use kinerja_domain::{Accumulation, Target};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ScoringError;
use crate::explain::{Explained, Explanation};
use crate::pack::RulePack;

/// Decimal places of an achievement percentage.
pub(crate) const ACHIEVEMENT_SCALE: u32 = 2;

/// Adds up periodic values (given oldest first) the way the indicator says; `None` when nothing is realised.
pub fn accumulate(accumulation: Accumulation, values_oldest_first: &[Decimal]) -> Option<Decimal> {
    let last = *values_oldest_first.last()?;
    let sum: Decimal = values_oldest_first.iter().sum();
    Some(match accumulation {
        Accumulation::Sum => sum,
        Accumulation::Latest => last,
        Accumulation::Mean => sum / Decimal::from(values_oldest_first.len()),
    })
}

/// Achievement of `realised` against `target`, in percent, before any cap.
///
/// Higher-is-better: realised ÷ target × 100. Lower-is-better: (2 − realised ÷ target) × 100, the inverse
/// form used for such indicators since PermenPANRB 8/2021, never below zero. A range scores 100 inside it
/// and is measured against the nearer bound outside it. `None` where the ratio is undefined (a zero bound).
pub fn achievement_percent(target: Target, realised: Decimal) -> Option<Decimal> {
    let hundred = Decimal::ONE_HUNDRED;
    let percent = match target {
        Target::AtLeast { value } => realised.checked_div(value)? * hundred,
        Target::AtMost { value } => inverse(realised, value)?,
        Target::Between { low, high } => {
            if realised < low {
                realised.checked_div(low)? * hundred
            } else if realised > high {
                inverse(realised, high)?
            } else {
                hundred
            }
        }
    };
    Some(percent.round_dp(ACHIEVEMENT_SCALE).normalize())
}

fn inverse(realised: Decimal, limit: Decimal) -> Option<Decimal> {
    let ratio = realised.checked_div(limit)?;
    Some(((Decimal::TWO - ratio) * Decimal::ONE_HUNDRED).max(Decimal::ZERO))
}

/// An indicator as scoring needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub code: String,
    pub target: Target,
    pub accumulation: Accumulation,
    /// Periodic realisations, oldest first.
    #[serde(default)]
    pub realisations: Vec<Decimal>,
}

/// The capped achievement of an indicator, or `None` before any realisation.
pub fn capped_achievement(cap: Decimal, indicator: &IndicatorInput) -> Result<Option<Decimal>, ScoringError> {
    if let Some(negative) = indicator.realisations.iter().find(|v| v.is_sign_negative() && !v.is_zero()) {
        return Err(ScoringError::Impossible {
            field: format!("indicators.{}.realisations", indicator.code),
            reason: format!("a realisation cannot be negative, found {negative}"),
        });
    }
    let Some(realised) = accumulate(indicator.accumulation, &indicator.realisations) else { return Ok(None) };
    let percent = achievement_percent(indicator.target, realised).ok_or_else(|| ScoringError::Impossible {
        field: format!("indicators.{}.target", indicator.code),
        reason: "a lower-is-better target of 0 gives no ratio to measure against".to_owned(),
    })?;
    Ok(Some(percent.min(cap)))
}

/// [`capped_achievement`] with its explanation.
pub fn explain_achievement(
    pack: &RulePack,
    indicator: &IndicatorInput,
) -> Result<Explained<Option<Decimal>>, ScoringError> {
    let cap = pack.achievement()?.cap;
    let value = capped_achievement(cap, indicator)?;
    let realised = accumulate(indicator.accumulation, &indicator.realisations);
    let (direction, formula) = match indicator.target {
        Target::AtLeast { .. } => ("higher is better", "realised ÷ target × 100"),
        Target::AtMost { .. } => ("lower is better", "(2 − realised ÷ target) × 100, not below 0"),
        Target::Between { .. } => ("within a range", "100 inside the range, else measured against the nearer bound"),
    };
    let (low, high) = indicator.target.bounds();
    let mut explanation = Explanation::new("IKI achievement", pack)
        .input("indicator", &indicator.code)
        .input("target", if low == high { low.to_string() } else { format!("{low}–{high}") })
        .input("direction", direction)
        .input("accumulation", indicator.accumulation)
        .input("realisations", indicator.realisations.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    explanation = match (realised, value) {
        (Some(realised), Some(value)) => explanation
            .reason(format!("the {} of the periods gives {realised}", indicator.accumulation))
            .reason(format!("achievement = {formula}"))
            .reason(format!("capped at {}%", cap))
            .outcome(format!("{value}%")),
        _ => explanation.reason("no realisation yet").outcome("no achievement"),
    };
    Ok(Explained { value, explanation })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn accumulates_by_the_indicators_rule() {
        let values = [dec!(10), dec!(20), dec!(40)];
        assert_eq!(accumulate(Accumulation::Sum, &values), Some(dec!(70)));
        assert_eq!(accumulate(Accumulation::Latest, &values), Some(dec!(40)));
        assert_eq!(accumulate(Accumulation::Mean, &values).map(|v| v.round_dp(4)), Some(dec!(23.3333)));
        assert_eq!(accumulate(Accumulation::Sum, &[]), None);
    }

    #[test]
    fn higher_is_better() {
        assert_eq!(achievement_percent(Target::AtLeast { value: dec!(12) }, dec!(9)), Some(dec!(75)));
        assert_eq!(achievement_percent(Target::AtLeast { value: dec!(3) }, dec!(4)), Some(dec!(133.33)));
    }

    #[test]
    fn lower_is_better() {
        let target = Target::AtMost { value: dec!(24) };
        assert_eq!(achievement_percent(target, dec!(18)), Some(dec!(125)));
        assert_eq!(achievement_percent(target, dec!(36)), Some(dec!(50)));
        assert_eq!(achievement_percent(target, dec!(60)), Some(dec!(0)), "never negative");
        assert_eq!(achievement_percent(Target::AtMost { value: dec!(0) }, dec!(1)), None);
    }

    #[test]
    fn ranges() {
        let target = Target::Between { low: dec!(80), high: dec!(100) };
        assert_eq!(achievement_percent(target, dec!(90)), Some(dec!(100)));
        assert_eq!(achievement_percent(target, dec!(60)), Some(dec!(75)));
        assert_eq!(achievement_percent(target, dec!(110)), Some(dec!(90)));
    }

    #[test]
    fn the_cap_applies_and_impossible_cases_name_the_field() {
        let indicator = IndicatorInput {
            code: "IKI-1".into(),
            target: Target::AtLeast { value: dec!(10) },
            accumulation: Accumulation::Sum,
            realisations: vec![dec!(8), dec!(8)],
        };
        assert_eq!(capped_achievement(dec!(120), &indicator).unwrap(), Some(dec!(120)));
        let zero = IndicatorInput { target: Target::AtMost { value: dec!(0) }, ..indicator.clone() };
        let error = capped_achievement(dec!(120), &zero).unwrap_err();
        assert!(error.to_string().contains("indicators.IKI-1.target"), "{error}");
        let negative = IndicatorInput { realisations: vec![dec!(-1)], ..indicator };
        assert!(capped_achievement(dec!(120), &negative).unwrap_err().to_string().contains("negative"));
    }
}
