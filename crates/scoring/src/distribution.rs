//! Distribution guidance: a unit's predikat counts against its organisation predikat.

use kinerja_domain::{OrganisationPredikat, Predikat};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ScoringError;
use crate::explain::{Explained, Explanation};
use crate::pack::{Constraint, ConstraintKind, DistributionRules, RulePack};

/// How many employees of a unit received each predikat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredikatCounts {
    #[serde(default)]
    pub sangat_baik: u32,
    #[serde(default)]
    pub baik: u32,
    #[serde(default)]
    pub butuh_perbaikan: u32,
    #[serde(default)]
    pub kurang: u32,
    #[serde(default)]
    pub sangat_kurang: u32,
}

impl PredikatCounts {
    pub fn get(&self, predikat: Predikat) -> u32 {
        match predikat {
            Predikat::SangatBaik => self.sangat_baik,
            Predikat::Baik => self.baik,
            Predikat::ButuhPerbaikan => self.butuh_perbaikan,
            Predikat::Kurang => self.kurang,
            Predikat::SangatKurang => self.sangat_kurang,
        }
    }

    pub fn add(&mut self, predikat: Predikat) {
        self.add_count(predikat, 1);
    }

    /// Adds `count` employees of one predikat.
    pub fn add_count(&mut self, predikat: Predikat, count: u32) {
        let slot = match predikat {
            Predikat::SangatBaik => &mut self.sangat_baik,
            Predikat::Baik => &mut self.baik,
            Predikat::ButuhPerbaikan => &mut self.butuh_perbaikan,
            Predikat::Kurang => &mut self.kurang,
            Predikat::SangatKurang => &mut self.sangat_kurang,
        };
        *slot += count;
    }

    pub fn headcount(&self) -> u32 {
        Predikat::ALL.iter().map(|p| self.get(*p)).sum()
    }
}

/// One constraint that the counts break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub constraint: String,
    pub actual: u32,
    /// The count the constraint allows (a maximum or a minimum); for "largest", the biggest other group.
    pub limit: u32,
}

fn group_name(group: &[Predikat]) -> String {
    group.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" + ")
}

fn limit_of(rules: &DistributionRules, constraint: &Constraint, headcount: u32) -> u32 {
    let share = |percent: Decimal, at_most: bool| {
        let exact = Decimal::from(headcount) * percent / Decimal::ONE_HUNDRED;
        let rounded = if at_most { rules.at_most_rounding.apply(exact) } else { rules.at_least_rounding.apply(exact) };
        u32::try_from(rounded.mantissa() / 10i128.pow(rounded.scale())).unwrap_or(u32::MAX)
    };
    match constraint.kind {
        ConstraintKind::AtMostPercent => share(constraint.percent.unwrap_or_default(), true),
        ConstraintKind::AtLeastPercent => share(constraint.percent.unwrap_or_default(), false),
        ConstraintKind::AtMostCount | ConstraintKind::AtLeastCount => constraint.count.unwrap_or_default(),
        ConstraintKind::Largest => 0,
    }
}

/// Every constraint of the organisation predikat's guidance that `counts` break (empty when none).
pub fn violations(
    rules: &DistributionRules,
    organisation: OrganisationPredikat,
    counts: &PredikatCounts,
) -> Vec<Violation> {
    let headcount = counts.headcount();
    // A unit with no results yet has no distribution to judge.
    if headcount == 0 {
        return Vec::new();
    }
    let Some(guidance) = rules.guidance.iter().find(|g| g.organisation == organisation) else { return Vec::new() };
    let mut found = Vec::new();
    for constraint in &guidance.constraints {
        let actual: u32 = constraint.group.iter().map(|p| counts.get(*p)).sum();
        let name = group_name(&constraint.group);
        let limit = limit_of(rules, constraint, headcount);
        let broken = match constraint.kind {
            ConstraintKind::Largest => {
                let biggest_other = Predikat::ALL
                    .iter()
                    .filter(|p| !constraint.group.contains(p))
                    .map(|p| counts.get(*p))
                    .max()
                    .unwrap_or(0);
                if actual <= biggest_other {
                    found.push(Violation {
                        constraint: format!("{name} is the largest group"),
                        actual,
                        limit: biggest_other,
                    });
                }
                continue;
            }
            ConstraintKind::AtMostPercent | ConstraintKind::AtMostCount => actual > limit,
            ConstraintKind::AtLeastPercent | ConstraintKind::AtLeastCount => actual < limit,
        };
        if broken {
            let description = match constraint.kind {
                ConstraintKind::AtMostPercent => {
                    format!("{name} ≤ {}% of {headcount}", constraint.percent.unwrap_or_default())
                }
                ConstraintKind::AtLeastPercent => {
                    format!("{name} ≥ {}% of {headcount}", constraint.percent.unwrap_or_default())
                }
                ConstraintKind::AtMostCount => format!("{name} ≤ {limit}"),
                _ => format!("{name} ≥ {limit}"),
            };
            found.push(Violation { constraint: description, actual, limit });
        }
    }
    found
}

/// [`violations`] with its explanation.
pub fn check_distribution(
    pack: &RulePack,
    organisation: OrganisationPredikat,
    counts: &PredikatCounts,
) -> Result<Explained<Vec<Violation>>, ScoringError> {
    let rules = pack.distribution()?;
    let value = violations(rules, organisation, counts);
    let mut explanation = Explanation::new("distribution guidance for the organisation predikat", pack)
        .input("organisation predikat", organisation)
        .input("headcount", counts.headcount());
    for predikat in Predikat::ALL {
        explanation = explanation.input(predikat.as_str(), counts.get(*predikat));
    }
    explanation = explanation.reason(format!(
        "shares of the headcount round {:?} for upper limits and {:?} for lower limits",
        rules.at_most_rounding, rules.at_least_rounding
    ));
    for violation in &value {
        explanation = explanation.reason(format!(
            "broken: {} (actual {}, limit {})",
            violation.constraint, violation.actual, violation.limit
        ));
    }
    let outcome = if value.is_empty() {
        "within the guidance".to_owned()
    } else {
        format!("{} constraint(s) broken", value.len())
    };
    Ok(Explained { value, explanation: explanation.outcome(outcome) })
}
