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

/// Achievement of `realised` against `target`, in percent to two decimals, before any cap.
///
/// Higher-is-better: realised ÷ target × 100. Lower-is-better: (2 − realised ÷ target) × 100, the inverse
/// form used for such indicators since PermenPANRB 8/2021, never below zero. A range scores 100 inside it
/// and is measured against the nearer bound outside it. `None` where the ratio is undefined (a zero bound).
/// Halves round to even.
pub fn achievement_percent(target: Target, realised: Decimal) -> Option<Decimal> {
    achievement_hundredths(target, realised).map(|hundredths| Decimal::from_i128_with_scale(hundredths, 2).normalize())
}

/// [`achievement_percent`] in hundredths of a percent, computed in integers: the bulk path of scoring.
pub(crate) fn achievement_hundredths(target: Target, realised: Decimal) -> Option<i128> {
    const WHOLE: i128 = 10_000;
    let inverse = |limit: Decimal| ratio_hundredths(realised, limit).map(|ratio| (2 * WHOLE - ratio).max(0));
    match target {
        Target::AtLeast { value } => ratio_hundredths(realised, value),
        Target::AtMost { value } => inverse(value),
        Target::Between { low, high } => {
            if realised < low {
                ratio_hundredths(realised, low)
            } else if realised > high {
                inverse(high)
            } else {
                Some(WHOLE)
            }
        }
    }
}

/// realised ÷ limit × 10,000, rounded half to even; `None` for a zero limit.
fn ratio_hundredths(realised: Decimal, limit: Decimal) -> Option<i128> {
    if limit.is_zero() {
        return None;
    }
    // r ÷ l × 10⁴ = (mantissa_r × 10^(scale_l + 4)) ÷ (mantissa_l × 10^scale_r).
    let exact = || -> Option<i128> {
        let numerator = realised.mantissa().checked_mul(10i128.checked_pow(limit.scale() + 4)?)?;
        let denominator = limit.mantissa().checked_mul(10i128.checked_pow(realised.scale())?)?;
        // Everyday values fit 64 bits, whose division is several times faster than 128-bit division.
        if let (Ok(numerator), Ok(denominator)) = (u64::try_from(numerator), u64::try_from(denominator)) {
            return Some(i128::from(divide_half_even_u64(numerator, denominator)));
        }
        Some(divide_half_even(numerator, denominator))
    };
    // Numbers too wide for 128 bits take the decimal route.
    exact().or_else(|| {
        let percent = (realised.checked_div(limit)? * Decimal::from(10_000)).round();
        Some(percent.mantissa() / 10i128.pow(percent.scale()))
    })
}

fn divide_half_even_u64(numerator: u64, denominator: u64) -> u64 {
    let quotient = numerator / denominator;
    let twice_remainder = 2 * u128::from(numerator % denominator);
    let denominator = u128::from(denominator);
    if twice_remainder > denominator || (twice_remainder == denominator && !quotient.is_multiple_of(2)) {
        quotient + 1
    } else {
        quotient
    }
}

/// Integer division rounding halves to even.
pub(crate) fn divide_half_even(numerator: i128, denominator: i128) -> i128 {
    let (numerator, denominator) = if denominator < 0 { (-numerator, -denominator) } else { (numerator, denominator) };
    let quotient = numerator.div_euclid(denominator);
    let twice_remainder = 2 * numerator.rem_euclid(denominator);
    if twice_remainder > denominator || (twice_remainder == denominator && quotient % 2 != 0) {
        quotient + 1
    } else {
        quotient
    }
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
    fn halves_round_to_even_and_wide_numbers_still_work() {
        // 1 ÷ 8 = 12.5%; 1 ÷ 1600 × 100 = 0.0625% → 0.06; 3 ÷ 1600 × 100 = 0.1875% → 0.19.
        assert_eq!(achievement_percent(Target::AtLeast { value: dec!(8) }, dec!(1)), Some(dec!(12.5)));
        assert_eq!(achievement_percent(Target::AtLeast { value: dec!(1600) }, dec!(1)), Some(dec!(0.06)));
        assert_eq!(achievement_percent(Target::AtLeast { value: dec!(1600) }, dec!(3)), Some(dec!(0.19)));
        let wide = Decimal::from_i128_with_scale(7_000_000_000_000_000_000_000_000, 20);
        assert_eq!(achievement_percent(Target::AtLeast { value: wide }, wide), Some(dec!(100)));
        assert_eq!(divide_half_even(-5, 2), -2);
        assert_eq!(divide_half_even(7, -2), -4);
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
