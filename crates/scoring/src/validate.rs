//! Checks a pack when it is loaded, so that a wrong value fails at start-up with its file and key,
//! not as a strange result months later.

use std::collections::HashSet;

use kinerja_domain::{OrganisationPredikat, PositionKind, Predikat};
use rust_decimal::Decimal;

use crate::ScoringError;
use crate::pack::{Band, ConstraintKind, Education, PenaltyLevel, Regime, RulePack};

struct Checker<'a> {
    file: &'a str,
}

impl Checker<'_> {
    fn fail(&self, key: impl Into<String>, reason: impl Into<String>) -> ScoringError {
        ScoringError::PackInvalid { file: self.file.to_owned(), key: key.into(), reason: reason.into() }
    }

    fn ensure(&self, condition: bool, key: &str, reason: impl Into<String>) -> Result<(), ScoringError> {
        if condition { Ok(()) } else { Err(self.fail(key, reason)) }
    }

    fn require<T>(&self, section: &Option<T>, key: &str, regime: Regime) -> Result<(), ScoringError> {
        self.ensure(section.is_some(), key, format!("missing; the {regime:?} regime needs it"))
    }

    fn weights(&self, key: &str, weights: &[Decimal]) -> Result<(), ScoringError> {
        let sum: Decimal = weights.iter().sum();
        self.ensure(sum == Decimal::ONE_HUNDRED, key, format!("weights must sum to 100, found {sum}"))
    }

    /// Bands must cover [0, top) without a gap or an overlap.
    fn bands(&self, key: &str, bands: &[Band]) -> Result<(), ScoringError> {
        self.ensure(!bands.is_empty(), key, "at least one band is needed")?;
        let mut sorted: Vec<&Band> = bands.iter().collect();
        sorted.sort_by_key(|band| band.from);
        for band in &sorted {
            self.ensure(
                band.from < band.below,
                key,
                format!("band '{}' is empty ({}..{})", band.label, band.from, band.below),
            )?;
        }
        self.ensure(
            sorted[0].from <= Decimal::ZERO,
            key,
            format!("scores from 0 to {} fall in no band", sorted[0].from),
        )?;
        for pair in sorted.windows(2) {
            let (lower, upper) = (pair[0], pair[1]);
            if lower.below < upper.from {
                return Err(self.fail(
                    key,
                    format!(
                        "gap between band '{}' (below {}) and band '{}' (from {})",
                        lower.label, lower.below, upper.label, upper.from
                    ),
                ));
            }
            if lower.below > upper.from {
                return Err(self.fail(
                    key,
                    format!(
                        "band '{}' (below {}) overlaps band '{}' (from {})",
                        lower.label, lower.below, upper.label, upper.from
                    ),
                ));
            }
        }
        Ok(())
    }

    fn complete<K: Eq + std::hash::Hash + std::fmt::Debug + Copy, V>(
        &self,
        key: &str,
        map: &std::collections::HashMap<K, V>,
        expected: &[K],
    ) -> Result<(), ScoringError> {
        for item in expected {
            self.ensure(map.contains_key(item), key, format!("missing a value for {item:?}"))?;
        }
        Ok(())
    }
}

pub(crate) fn validate(pack: &RulePack) -> Result<(), ScoringError> {
    let check = Checker { file: &pack.source };
    check.ensure(!pack.id.trim().is_empty(), "id", "must not be empty")?;
    check.ensure(pack.version > 0, "version", "must be 1 or more")?;
    check.ensure(
        pack.years.from <= pack.years.to,
        "years",
        format!("from {} is after to {}", pack.years.from, pack.years.to),
    )?;
    match pack.regime {
        Regime::Current => {
            check.require(&pack.achievement, "achievement", pack.regime)?;
            check.require(&pack.proposed_result_rating, "proposed_result_rating", pack.regime)?;
            check.require(&pack.proposed_behaviour_rating, "proposed_behaviour_rating", pack.regime)?;
            check.require(&pack.unit_head, "unit_head", pack.regime)?;
            check.require(&pack.predikat, "predikat", pack.regime)?;
            check.require(&pack.distribution, "distribution", pack.regime)?;
            check.require(&pack.periodic, "periodic", pack.regime)?;
            check.require(&pack.objection, "objection", pack.regime)?;
        }
        Regime::Pp46 => check.require(&pack.pp46, "pp46", pack.regime)?,
        Regime::Regime2021 => check.require(&pack.regime2021, "regime2021", pack.regime)?,
    }
    for (key, value) in [
        ("achievement.cap", pack.achievement.as_ref().map(|a| a.cap)),
        ("proposed_result_rating.above_from", pack.proposed_result_rating.as_ref().map(|r| r.above_from)),
        ("proposed_result_rating.below_under", pack.proposed_result_rating.as_ref().map(|r| r.below_under)),
    ] {
        // Achievements are percentages to two decimals; a finer threshold could never be met exactly.
        if let Some(value) = value {
            check.ensure(value.normalize().scale() <= 2, key, format!("at most two decimals, found {value}"))?;
        }
    }
    if let Some(achievement) = &pack.achievement {
        check.ensure(
            achievement.cap >= Decimal::ONE_HUNDRED,
            "achievement.cap",
            format!("must be at least 100, found {}", achievement.cap),
        )?;
    }
    if let Some(rating) = &pack.proposed_result_rating {
        check.ensure(
            rating.below_under <= rating.above_from,
            "proposed_result_rating.below_under",
            "must not be above above_from",
        )?;
        for (key, value) in [("most_percent", rating.most_percent), ("small_part_percent", rating.small_part_percent)] {
            check.ensure(
                (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&value),
                &format!("proposed_result_rating.{key}"),
                "must be between 0 and 100",
            )?;
        }
    }
    if let Some(behaviour) = &pack.proposed_behaviour_rating {
        for (key, value) in [
            ("above_min_values_above", behaviour.above_min_values_above),
            ("above_max_values_below", behaviour.above_max_values_below),
            ("below_min_values_below", behaviour.below_min_values_below),
        ] {
            check.ensure(
                value <= 7,
                &format!("proposed_behaviour_rating.{key}"),
                "there are only seven BerAKHLAK values",
            )?;
        }
    }
    if let Some(distribution) = &pack.distribution {
        for organisation in OrganisationPredikat::ALL {
            check.ensure(
                distribution.guidance.iter().any(|g| g.organisation == *organisation),
                "distribution.guidance",
                format!("no guidance for organisation predikat '{organisation}'"),
            )?;
        }
        for guidance in &distribution.guidance {
            for (index, constraint) in guidance.constraints.iter().enumerate() {
                let key = format!("distribution.guidance.{}.constraints[{index}]", guidance.organisation);
                check.ensure(!constraint.group.is_empty(), &key, "group must name at least one predikat")?;
                match constraint.kind {
                    ConstraintKind::AtMostPercent | ConstraintKind::AtLeastPercent => {
                        let valid =
                            constraint.percent.is_some_and(|p| (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&p));
                        check.ensure(valid, &key, "needs percent between 0 and 100")?;
                    }
                    ConstraintKind::AtMostCount | ConstraintKind::AtLeastCount => {
                        check.ensure(constraint.count.is_some(), &key, "needs count")?;
                    }
                    ConstraintKind::Largest => {}
                }
            }
        }
    }
    if let Some(angka_kredit) = &pack.angka_kredit {
        check.complete("angka_kredit.percent", &angka_kredit.percent, Predikat::ALL)?;
        let functional: Vec<PositionKind> = PositionKind::ALL.into_iter().filter(|k| k.is_functional()).collect();
        check.complete("angka_kredit.koefisien", &angka_kredit.koefisien, &functional)?;
    }
    if let Some(ip) = &pack.ip_asn {
        let w = &ip.weights;
        check.weights("ip_asn.weights", &[w.kualifikasi, w.kompetensi, w.kinerja, w.disiplin])?;
        check.complete(
            "ip_asn.kualifikasi",
            &ip.kualifikasi,
            &[
                Education::S3,
                Education::S2,
                Education::S1,
                Education::D4,
                Education::D3,
                Education::D2,
                Education::D1,
                Education::Slta,
            ],
        )?;
        check.complete("ip_asn.kinerja", &ip.kinerja, Predikat::ALL)?;
        check.complete(
            "ip_asn.disiplin",
            &ip.disiplin,
            &[PenaltyLevel::None, PenaltyLevel::Ringan, PenaltyLevel::Sedang, PenaltyLevel::Berat],
        )?;
        let dimension_max = |values: &mut dyn Iterator<Item = Decimal>| values.max().unwrap_or_default();
        check.ensure(
            dimension_max(&mut ip.kualifikasi.values().copied()) == w.kualifikasi,
            "ip_asn.kualifikasi",
            "the best qualification must score the kualifikasi weight",
        )?;
        check.ensure(
            dimension_max(&mut ip.kinerja.values().copied()) == w.kinerja,
            "ip_asn.kinerja",
            "the best predikat must score the kinerja weight",
        )?;
        check.ensure(
            dimension_max(&mut ip.disiplin.values().copied()) == w.disiplin,
            "ip_asn.disiplin",
            "no penalty must score the disiplin weight",
        )?;
        let k = &ip.kompetensi;
        check.ensure(
            k.leadership_or_functional_training + k.technical_training + k.seminar_or_workshop == w.kompetensi,
            "ip_asn.kompetensi",
            "the competence points must add up to the kompetensi weight",
        )?;
        check.bands("ip_asn.bands", &ip.bands)?;
    }
    if let Some(development) = &pack.development {
        check.ensure(
            (0.0..=1000.0).contains(&development.weak_dimension_below),
            "development.weak_dimension_below",
            format!("must be a percentage, found {}", development.weak_dimension_below),
        )?;
        check.ensure(development.high_priority_gap >= 1, "development.high_priority_gap", "must be at least 1")?;
    }
    if let Some(standing) = &pack.standing {
        check.ensure(standing.min_peers >= 2, "standing.min_peers", "a standing needs at least 2 peers")?;
        check.ensure(
            standing.weakness_to < standing.strength_from,
            "standing.weakness_to",
            format!("must be below strength_from ({})", standing.strength_from),
        )?;
    }
    if let Some(talent) = &pack.talent {
        let boxes: HashSet<u8> = [talent.above_expectation, talent.as_expected, talent.below_expectation]
            .iter()
            .flat_map(|row| [row.rendah, row.menengah, row.tinggi])
            .collect();
        check.ensure(boxes == (1..=9).collect(), "talent", "the nine boxes must be numbered 1 to 9, each once")?;
    }
    if let Some(discipline) = &pack.discipline {
        check.ensure(discipline.hours_per_day > Decimal::ZERO, "discipline.hours_per_day", "must be greater than 0")?;
        check.ensure(!discipline.ladder.is_empty(), "discipline.ladder", "needs at least one step")?;
        for pair in discipline.ladder.windows(2) {
            check.ensure(
                pair[0].from_days < pair[1].from_days,
                "discipline.ladder",
                format!("steps must rise: {} then {} days", pair[0].from_days, pair[1].from_days),
            )?;
            check.ensure(
                pair[0].level <= pair[1].level,
                "discipline.ladder",
                "penalty levels must not fall as days rise",
            )?;
        }
    }
    if let Some(pp46) = &pack.pp46 {
        check.weights("pp46.skp_weight + pp46.behaviour_weight", &[pp46.skp_weight, pp46.behaviour_weight])?;
        check.ensure(pp46.time_factor > Decimal::ONE, "pp46.time_factor", "must be greater than 1")?;
        for pair in pp46.additional_tasks.windows(2) {
            check.ensure(pair[0].from_tasks < pair[1].from_tasks, "pp46.additional_tasks", "steps must rise")?;
        }
        check.bands("pp46.bands", &pp46.bands)?;
    }
    if let Some(rules) = &pack.regime2021 {
        check.weights(
            "regime2021.skp_weight + regime2021.behaviour_weight",
            &[rules.skp_weight, rules.behaviour_weight],
        )?;
        check.weights(
            "regime2021.skp_weight_with_peers + regime2021.behaviour_weight_with_peers",
            &[rules.skp_weight_with_peers, rules.behaviour_weight_with_peers],
        )?;
        check.bands("regime2021.bands", &rules.bands)?;
    }
    Ok(())
}
