//! Where a unit or a person stands among peers: the difference from the peers' median in units of
//! their spread, so that one very good or very bad peer does not move the yardstick.

use serde::Serialize;

use crate::pack::StandingRules;

/// How a value compares with its peers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Standing {
    pub peer_count: usize,
    pub peer_median: f64,
    /// The median absolute deviation from the median, scaled by 1.4826 to match a standard deviation
    /// when the values are normally distributed.
    pub peer_spread: f64,
    /// (value − median) ÷ spread; `None` when there are too few peers or they do not differ.
    pub score: Option<f64>,
    /// 1 for the highest value among the peers (the value itself being one of them).
    pub rank: usize,
    pub verdict: Verdict,
}

/// What a standing says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Strength,
    Typical,
    Weakness,
    /// Too few peers, or peers too alike, to say.
    Unranked,
}

/// Scale of the median absolute deviation that estimates a standard deviation.
const MAD_TO_SD: f64 = 1.4826;

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 }
}

/// What a score says under the pack's thresholds.
fn verdict(rules: &StandingRules, score: Option<f64>) -> Verdict {
    match score {
        None => Verdict::Unranked,
        Some(s) if s >= rules.strength_from => Verdict::Strength,
        Some(s) if s <= rules.weakness_to => Verdict::Weakness,
        Some(_) => Verdict::Typical,
    }
}

/// The standing of `value` among `peers` (which include `value` itself), under the pack's thresholds.
/// A behaviour rating as a number for standing among peers: below expectation −1, as expected 0, above +1.
pub fn level_score(level: kinerja_domain::RatingLevel) -> f64 {
    match level {
        kinerja_domain::RatingLevel::BelowExpectation => -1.0,
        kinerja_domain::RatingLevel::AsExpected => 0.0,
        kinerja_domain::RatingLevel::AboveExpectation => 1.0,
    }
}

pub fn standing(rules: &StandingRules, value: f64, peers: &[f64]) -> Standing {
    let mut sorted: Vec<f64> = peers.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let peer_median = median(&sorted);
    let mut deviations: Vec<f64> = sorted.iter().map(|v| (v - peer_median).abs()).collect();
    deviations.sort_by(f64::total_cmp);
    let peer_spread = median(&deviations) * MAD_TO_SD;
    let rank = 1 + sorted.iter().filter(|&&v| v > value).count();
    let score = (sorted.len() >= rules.min_peers && peer_spread > 0.0).then(|| (value - peer_median) / peer_spread);
    Standing { peer_count: sorted.len(), peer_median, peer_spread, score, rank, verdict: verdict(rules, score) }
}

/// The standing of `value` among peers of whom only the count, mean and standard deviation are known
/// (a person among thousands in the same kind of position, summed in the database).
pub fn standing_by_moments(rules: &StandingRules, value: f64, count: usize, mean: f64, deviation: f64) -> Standing {
    let score = (count >= rules.min_peers && deviation > 0.0).then(|| (value - mean) / deviation);
    Standing {
        peer_count: count,
        peer_median: mean,
        peer_spread: deviation,
        score,
        rank: 0,
        verdict: verdict(rules, score),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> StandingRules {
        StandingRules { min_peers: 3, strength_from: 1.0, weakness_to: -1.0 }
    }

    #[test]
    fn the_median_and_scaled_deviation_measure_the_distance() {
        // Peers 80, 90, 100, 110, 120: median 100; deviations 0, 10, 10, 20, 20 → MAD 10 → spread 14.826.
        let s = standing(&rules(), 80.0, &[100.0, 80.0, 120.0, 90.0, 110.0]);
        assert_eq!(s.peer_median, 100.0);
        assert!((s.peer_spread - 14.826).abs() < 1e-9);
        assert!((s.score.unwrap() + 20.0 / 14.826).abs() < 1e-9);
        assert_eq!(s.verdict, Verdict::Weakness);
        assert_eq!(s.rank, 5);
        assert_eq!(standing(&rules(), 120.0, &[100.0, 80.0, 120.0, 90.0, 110.0]).verdict, Verdict::Strength);
        assert_eq!(standing(&rules(), 100.0, &[100.0, 80.0, 120.0, 90.0, 110.0]).verdict, Verdict::Typical);
    }

    #[test]
    fn an_outlier_does_not_move_the_yardstick() {
        let s = standing(&rules(), 100.0, &[100.0, 98.0, 102.0, 10.0]);
        assert_eq!(s.peer_median, 99.0);
        assert_eq!(s.verdict, Verdict::Typical);
    }

    #[test]
    fn too_few_or_identical_peers_are_unranked() {
        assert_eq!(standing(&rules(), 90.0, &[90.0, 100.0]).verdict, Verdict::Unranked);
        let same = standing(&rules(), 100.0, &[100.0, 100.0, 100.0]);
        assert_eq!(same.score, None);
        assert_eq!(same.rank, 1);
        assert_eq!(standing_by_moments(&rules(), 70.0, 10, 100.0, 15.0).verdict, Verdict::Weakness);
        assert_eq!(standing_by_moments(&rules(), 70.0, 2, 100.0, 15.0).verdict, Verdict::Unranked);
    }
}
