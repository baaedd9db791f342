//! Scoring engine of kinerja: pure functions from plans and realisations to results.
//!
//! No IO, no async, no database. This first part turns an indicator's periodic realisations into the
//! year's realised value and its achievement against the target; the regulation's ratings, predikat and
//! caps build on it and take their changeable values from rule packs.

use kinerja_domain::{Accumulation, Target};
use rust_decimal::Decimal;

/// Decimal places of an achievement percentage.
const ACHIEVEMENT_SCALE: u32 = 2;

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
}
