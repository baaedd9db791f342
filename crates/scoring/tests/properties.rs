//! Invariants that must hold for any input.

use kinerja_domain::*;
use kinerja_scoring::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn level() -> impl Strategy<Value = RatingLevel> {
    prop_oneof![Just(RatingLevel::BelowExpectation), Just(RatingLevel::AsExpected), Just(RatingLevel::AboveExpectation)]
}

/// Better predikat ranks higher.
fn rank(predikat: Predikat) -> u8 {
    match predikat {
        Predikat::SangatBaik => 4,
        Predikat::Baik => 3,
        Predikat::ButuhPerbaikan => 2,
        Predikat::Kurang => 1,
        Predikat::SangatKurang => 0,
    }
}

fn lower(level: RatingLevel) -> Option<RatingLevel> {
    match level {
        RatingLevel::AboveExpectation => Some(RatingLevel::AsExpected),
        RatingLevel::AsExpected => Some(RatingLevel::BelowExpectation),
        RatingLevel::BelowExpectation => None,
    }
}

proptest! {
    #[test]
    fn the_predikat_never_improves_when_a_rating_drops(result in level(), behaviour in level()) {
        let packs = RulePacks::built_in().unwrap();
        let pack = packs.for_year(2026).unwrap();
        let before = rank(predikat(pack, result, behaviour).unwrap().value);
        if let Some(dropped) = lower(result) {
            prop_assert!(rank(predikat(pack, dropped, behaviour).unwrap().value) <= before);
        }
        if let Some(dropped) = lower(behaviour) {
            // Kurang/Misconduct sits below Butuh Perbaikan in the matrix only through behaviour; it never rises.
            prop_assert!(rank(predikat(pack, result, dropped).unwrap().value) <= before);
        }
    }

    #[test]
    fn achievement_is_monotone_in_the_realisation(target in 1u32..10_000, a in 0u32..20_000, b in 0u32..20_000) {
        let target = Target::AtLeast { value: Decimal::from(target) };
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let low_achievement = achievement_percent(target, Decimal::from(low)).unwrap();
        let high_achievement = achievement_percent(target, Decimal::from(high)).unwrap();
        prop_assert!(low_achievement <= high_achievement);
    }

    #[test]
    fn scoring_is_deterministic(realised in proptest::collection::vec(0u32..300, 1..8), behaviour in proptest::collection::vec(level(), 7)) {
        let packs = RulePacks::built_in().unwrap();
        let pack = packs.for_year(2026).unwrap();
        let case = PlanCase {
            year: 2026,
            work_results: realised.iter().enumerate().map(|(i, r)| WorkResultInput {
                code: format!("RHK-{i}"),
                section: if i % 3 == 2 { WorkResultSection::Tambahan } else { WorkResultSection::Utama },
                indicators: vec![
                    IndicatorInput { code: format!("IKI-{i}-a"), target: Target::AtLeast { value: Decimal::from(97) }, accumulation: Accumulation::Sum, realisations: vec![Decimal::from(*r)] },
                    IndicatorInput { code: format!("IKI-{i}-b"), target: Target::AtMost { value: Decimal::from(7) }, accumulation: Accumulation::Sum, realisations: vec![Decimal::from(*r % 13)] },
                ],
            }).collect(),
            behaviour: BerakhlakValue::ALL.iter().zip(&behaviour).map(|(v, l)| BehaviourInput { value: *v, level: *l }).collect(),
            unit_result: None,
            final_ratings: None,
            months_elapsed: None,
        };
        let first = evaluate_plan(pack, &case).unwrap();
        let second = evaluate_plan(pack, &case).unwrap();
        prop_assert_eq!(&first, &second);
        // The compact path agrees with the explained one.
        let rules = CompactRules::new(pack).unwrap();
        let compact: Vec<CompactIndicator> = case.work_results.iter().enumerate().flat_map(|(i, w)| {
            w.indicators.iter().map(move |indicator| CompactIndicator {
                target: indicator.target,
                realised: indicator.realisations[0],
                work_result: i as u8,
                utama: w.section == WorkResultSection::Utama,
            })
        }).collect();
        let levels: [RatingLevel; 7] = behaviour.try_into().unwrap();
        let (result, behaviour_level, predikat) = score_compact(&rules, &compact, &levels).unwrap();
        prop_assert_eq!(result, first.proposed_result_rating.value);
        prop_assert_eq!(behaviour_level, first.proposed_behaviour_rating.value);
        prop_assert_eq!(predikat, first.predikat.value);
    }
}
