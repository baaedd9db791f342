//! The rules with the worked values of the regulations and of docs/domain.md.

use kinerja_domain::*;
use kinerja_scoring::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn packs() -> RulePacks {
    RulePacks::built_in().expect("built-in packs are valid")
}

fn current() -> RulePack {
    packs().for_year(2026).unwrap().clone()
}

#[test]
fn the_year_selects_the_pack() {
    let packs = packs();
    assert_eq!(packs.for_year(2019).unwrap().id, "pp-46-2011");
    assert_eq!(packs.for_year(2021).unwrap().id, "permenpanrb-8-2021");
    assert_eq!(packs.for_year(2022).unwrap().id, "permenpanrb-6-2022");
    assert_eq!(packs.for_year(2013).unwrap_err(), ScoringError::NoPackForYear(2013));
}

#[test]
fn predikat_is_exactly_the_matrix() {
    use Predikat::*;
    use RatingLevel::*;
    let pack = current();
    let expected = [
        (AboveExpectation, BelowExpectation, Kurang),
        (AboveExpectation, AsExpected, Baik),
        (AboveExpectation, AboveExpectation, SangatBaik),
        (AsExpected, BelowExpectation, Kurang),
        (AsExpected, AsExpected, Baik),
        (AsExpected, AboveExpectation, Baik),
        (BelowExpectation, BelowExpectation, SangatKurang),
        (BelowExpectation, AsExpected, ButuhPerbaikan),
        (BelowExpectation, AboveExpectation, ButuhPerbaikan),
    ];
    for (result, behaviour, predikat) in expected {
        let explained = kinerja_scoring::predikat(&pack, result, behaviour).unwrap();
        assert_eq!(explained.value, predikat, "{result} × {behaviour}");
        assert_eq!(explained.explanation.pack.id, "permenpanrb-6-2022");
    }
}

fn indicator(code: &str, target: Target, realised: Decimal) -> IndicatorInput {
    IndicatorInput { code: code.into(), target, accumulation: Accumulation::Latest, realisations: vec![realised] }
}

fn result(code: &str, section: WorkResultSection, achievements: &[Decimal]) -> WorkResultInput {
    WorkResultInput {
        code: code.into(),
        section,
        indicators: achievements
            .iter()
            .enumerate()
            .map(|(i, a)| indicator(&format!("{code}-IKI-{i}"), Target::AtLeast { value: dec!(100) }, *a))
            .collect(),
    }
}

#[test]
fn proposed_result_rating_follows_the_wording() {
    use WorkResultSection::*;
    let pack = current();
    // Most above, no utama below → above.
    let above = [
        result("RHK-1", Utama, &[dec!(115)]),
        result("RHK-2", Utama, &[dec!(112)]),
        result("RHK-3", Tambahan, &[dec!(80)]),
    ];
    let proposal = propose_result_rating(&pack, &above, None).unwrap();
    assert_eq!(proposal.value, RatingLevel::AboveExpectation);
    assert!(
        proposal.explanation.reasons.iter().any(|r| r.contains("2 of 3 results above")),
        "{:?}",
        proposal.explanation
    );
    // Most above but one utama below → not above.
    let mixed = [
        result("RHK-1", Utama, &[dec!(115)]),
        result("RHK-2", Utama, &[dec!(112)]),
        result("RHK-3", Utama, &[dec!(60)]),
        result("RHK-4", Utama, &[dec!(120)]),
    ];
    assert_eq!(propose_result_rating(&pack, &mixed, None).unwrap().value, RatingLevel::AsExpected);
    // Half of the utama below → below.
    let weak = [result("RHK-1", Utama, &[dec!(100)]), result("RHK-2", Utama, &[dec!(50)])];
    assert_eq!(propose_result_rating(&pack, &weak, None).unwrap().value, RatingLevel::BelowExpectation);
    // A unit head takes the unit's result.
    let head = propose_result_rating(&pack, &weak, Some(RatingLevel::AsExpected)).unwrap();
    assert_eq!(head.value, RatingLevel::AsExpected);
    assert!(head.explanation.reasons[0].contains("heads a unit"));
    // A work result's achievement is the mean of its indicators, capped.
    let capped = [result("RHK-1", Utama, &[dec!(200), dec!(80)])];
    let proposal = propose_result_rating(&pack, &capped, None).unwrap();
    assert!(proposal.explanation.inputs.iter().any(|f| f.value.starts_with("100%")), "mean of 120 (capped) and 80");
}

#[test]
fn proposed_behaviour_rating_needs_all_seven_values() {
    let pack = current();
    let mut values: Vec<(BerakhlakValue, RatingLevel)> =
        BerakhlakValue::ALL.iter().map(|v| (*v, RatingLevel::AsExpected)).collect();
    assert_eq!(propose_behaviour_rating(&pack, &values).unwrap().value, RatingLevel::AsExpected);
    for entry in values.iter_mut().take(4) {
        entry.1 = RatingLevel::AboveExpectation;
    }
    assert_eq!(propose_behaviour_rating(&pack, &values).unwrap().value, RatingLevel::AboveExpectation);
    values[6].1 = RatingLevel::BelowExpectation;
    assert_eq!(propose_behaviour_rating(&pack, &values).unwrap().value, RatingLevel::AsExpected);
    values.pop();
    let error = propose_behaviour_rating(&pack, &values).unwrap_err();
    assert_eq!(error.to_string(), "behaviour.kolaboratif: each BerAKHLAK value needs exactly one rating, found 0");
}

#[test]
fn distribution_check_lists_every_broken_constraint() {
    let pack = current();
    let within = PredikatCounts { sangat_baik: 2, baik: 6, butuh_perbaikan: 1, kurang: 0, sangat_kurang: 0 };
    assert!(check_distribution(&pack, OrganisationPredikat::Baik, &within).unwrap().value.is_empty());
    let all_good = PredikatCounts { sangat_baik: 1, baik: 9, ..PredikatCounts::default() };
    let broken = check_distribution(&pack, OrganisationPredikat::Baik, &all_good).unwrap().value;
    let described: Vec<String> =
        broken.iter().map(|v| format!("{} ({} vs {})", v.constraint, v.actual, v.limit)).collect();
    assert_eq!(described, ["baik ≤ 70% of 10 (9 vs 7)", "butuh_perbaikan + kurang ≥ 1 (0 vs 1)"]);
    let none_yet = check_distribution(&pack, OrganisationPredikat::Baik, &PredikatCounts::default()).unwrap();
    assert!(none_yet.value.is_empty(), "a unit with no results yet breaks nothing");
    // Istimewa: sangat baik must be the largest group.
    let tie = PredikatCounts { sangat_baik: 3, baik: 3, ..PredikatCounts::default() };
    let broken = check_distribution(&pack, OrganisationPredikat::Istimewa, &tie).unwrap().value;
    assert_eq!(broken[0].constraint, "sangat_baik is the largest group");
    // Small units: a lower limit rounds up (60% of 3 = 1.8 → 2).
    let small = PredikatCounts { butuh_perbaikan: 1, baik: 2, ..PredikatCounts::default() };
    let broken = check_distribution(&pack, OrganisationPredikat::ButuhPerbaikan, &small).unwrap().value;
    assert_eq!((broken[0].actual, broken[0].limit), (1, 2));
}

#[test]
fn pp46_time_worked_values() {
    let packs = packs();
    let rules_pack = packs.for_year(2018).unwrap();
    let case = |time_target: Decimal, time_realised: Decimal| Pp46Case {
        activities: vec![Pp46Activity {
            name: "Menyusun laporan".into(),
            quantity_target: dec!(12),
            quantity_realised: dec!(12),
            quality_target: dec!(100),
            quality_realised: dec!(90),
            time_target,
            time_realised,
            cost_target: None,
            cost_realised: None,
        }],
        additional_tasks: 0,
        creativity: None,
        behaviour: Pp46Behaviour {
            orientasi_pelayanan: dec!(80),
            integritas: dec!(80),
            komitmen: dec!(80),
            disiplin: dec!(80),
            kerja_sama: dec!(80),
            kepemimpinan: None,
        },
    };
    let equal = pp46(rules_pack, &case(dec!(12), dec!(12))).unwrap().value;
    assert_eq!(equal.activities[0].time, dec!(76));
    let faster = pp46(rules_pack, &case(dec!(5), dec!(4))).unwrap().value;
    assert_eq!(faster.activities[0].time, dec!(96));
    // (100 + 90 + 96) / 3 = 95.33; NPK = 0.6 × 95.33 + 0.4 × 80 = 89.2 → Baik.
    assert_eq!(faster.nilai_skp, dec!(95.33));
    assert_eq!(faster.nilai_prestasi_kerja, dec!(89.2));
    assert_eq!(faster.band, "baik");
    let nothing = Pp46Case {
        activities: vec![Pp46Activity { quantity_realised: dec!(0), ..case(dec!(5), dec!(4)).activities[0].clone() }],
        ..case(dec!(5), dec!(4))
    };
    assert_eq!(pp46(rules_pack, &nothing).unwrap().value.activities[0].achievement, dec!(0));
    let impossible = case(dec!(0), dec!(4));
    assert_eq!(
        pp46(rules_pack, &impossible).unwrap_err().to_string(),
        "activities[0].time_target: must be greater than 0, found 0"
    );
}

#[test]
fn pp46_fractional_scores_band_as_the_pack_says() {
    let text = include_str!("../../../rules/pp-46-2011.toml");
    let rounding_up = RulePack::from_toml("up.toml", text).unwrap();
    let flooring =
        RulePack::from_toml("floor.toml", &text.replace("score_rounding = \"half_up\"", "score_rounding = \"floor\""))
            .unwrap();
    let case = Pp46Case {
        activities: vec![Pp46Activity {
            name: "a".into(),
            quantity_target: dec!(1),
            quantity_realised: dec!(1),
            quality_target: dec!(100),
            quality_realised: dec!(100),
            time_target: dec!(12),
            time_realised: dec!(12),
            cost_target: None,
            cost_realised: None,
        }],
        additional_tasks: 0,
        creativity: None,
        behaviour: Pp46Behaviour {
            orientasi_pelayanan: dec!(90.5),
            integritas: dec!(90.5),
            komitmen: dec!(90.5),
            disiplin: dec!(90.5),
            kerja_sama: dec!(90.5),
            kepemimpinan: None,
        },
    };
    // Nilai SKP = (100 + 100 + 76) / 3 = 92; NPK = 0.6 × 92 + 0.4 × 90.5 = 91.4.
    let npk = pp46(&rounding_up, &case).unwrap().value;
    assert_eq!(npk.nilai_prestasi_kerja, dec!(91.4));
    let lower = Pp46Case {
        behaviour: Pp46Behaviour {
            orientasi_pelayanan: dec!(88.25),
            integritas: dec!(88.25),
            komitmen: dec!(88.25),
            disiplin: dec!(88.25),
            kerja_sama: dec!(88.25),
            kepemimpinan: None,
        },
        ..case
    };
    // NPK = 55.2 + 35.3 = 90.5: half up → 91 Sangat Baik; floor → 90 Baik.
    assert_eq!(pp46(&rounding_up, &lower).unwrap().value.nilai_prestasi_kerja, dec!(90.5));
    assert_eq!(pp46(&rounding_up, &lower).unwrap().value.band, "sangat_baik");
    assert_eq!(pp46(&flooring, &lower).unwrap().value.band, "baik");
}

#[test]
fn regime_2021_caps_and_needs_innovation_for_sangat_baik() {
    let packs = packs();
    let pack = packs.for_year(2021).unwrap();
    let case = Case2021 {
        indicators: vec![
            Indicator2021 { target: dec!(10), realised: dec!(15), inverse: false },
            Indicator2021 { target: dec!(24), realised: dec!(12), inverse: true },
        ],
        behaviour: dec!(110),
        peer_rated: false,
        innovation: false,
    };
    let result = regime2021(pack, &case).unwrap().value;
    assert_eq!(result.capaian, [dec!(120), dec!(120)], "150 and 150 capped at 120");
    assert_eq!(result.nilai_kinerja, dec!(117));
    assert_eq!(result.predikat, "baik", "no innovation");
    let innovative = regime2021(pack, &Case2021 { innovation: true, ..case }).unwrap().value;
    assert_eq!(innovative.predikat, "sangat_baik");
}

#[test]
fn angka_kredit_worked_values() {
    let pack = current();
    assert_eq!(angka_kredit(&pack, Predikat::SangatBaik, PositionKind::AhliPertama, 12).unwrap().value, dec!(18.75));
    assert_eq!(angka_kredit(&pack, Predikat::Baik, PositionKind::AhliPertama, 2).unwrap().value, dec!(2.08));
    let error = angka_kredit(&pack, Predikat::Baik, PositionKind::Pelaksana, 12).unwrap_err();
    assert!(error.to_string().starts_with("position: pelaksana is not a functional position"));
}

#[test]
fn indeks_profesionalitas_talent_and_discipline() {
    let pack = current();
    let input = IpAsnInput {
        education: Education::S2,
        leadership_or_functional_training: true,
        technical_training: true,
        seminar_or_workshop: false,
        predikat: Predikat::Baik,
        penalty: PenaltyLevel::None,
    };
    let ip = ip_asn(&pack, &input).unwrap().value;
    assert_eq!((ip.index, ip.band.as_str()), (dec!(85), "tinggi"), "20 + 35 + 25 + 5");
    let weaker =
        ip_asn(&pack, &IpAsnInput { education: Education::Slta, technical_training: false, ..input }).unwrap().value;
    assert_eq!(weaker.index, dec!(46), "1 + 15 + 25 + 5");
    let group = ip_asn_summary(&pack, &[ip, weaker]).unwrap();
    assert_eq!(
        (group.people, group.average, group.band.as_deref()),
        (2, Some(dec!(65.5)), Some("rendah")),
        "66 bands rendah"
    );
    let counted: Vec<(&str, u64)> = group.bands.iter().map(|(band, n)| (band.as_str(), *n)).collect();
    assert_eq!(counted, [("sangat_tinggi", 0), ("tinggi", 1), ("sedang", 0), ("rendah", 0), ("sangat_rendah", 1)]);
    let nobody = ip_asn_summary(&pack, &[]).unwrap();
    assert_eq!((nobody.people, nobody.average, nobody.band), (0, None, None));
    assert_eq!(talent_box(&pack, RatingLevel::AboveExpectation, Potential::Tinggi).unwrap().value, 9);
    assert_eq!(talent_box(&pack, RatingLevel::BelowExpectation, Potential::Rendah).unwrap().value, 1);
    assert_eq!(talent_box(&pack, RatingLevel::AsExpected, Potential::Menengah).unwrap().value, 5);
    assert!(discipline(&pack, 2, dec!(0)).unwrap().value.is_none());
    assert_eq!(discipline(&pack, 3, dec!(0)).unwrap().value.unwrap().penalty, "teguran lisan");
    assert_eq!(
        discipline(&pack, 2, dec!(7.5)).unwrap().value.unwrap().penalty,
        "teguran lisan",
        "7.5 hours late count as a day"
    );
    assert_eq!(discipline(&pack, 13, dec!(0)).unwrap().value.unwrap().level, PenaltyLevel::Sedang);
    assert_eq!(discipline(&pack, 30, dec!(0)).unwrap().value.unwrap().level, PenaltyLevel::Berat);
}

#[test]
fn broken_packs_name_the_file_and_key() {
    let text = include_str!("../../../rules/permenpanrb-6-2022.toml");
    let missing = text.replace("cap = 120\n", "");
    let error = RulePack::from_toml("agency.toml", &missing).unwrap_err().to_string();
    assert!(error.starts_with("agency.toml:") && error.contains("cap"), "{error}");
    let gap =
        text.replace("{ label = \"tinggi\", from = 81, below = 91 }", "{ label = \"tinggi\", from = 82, below = 91 }");
    let error = RulePack::from_toml("agency.toml", &gap).unwrap_err().to_string();
    assert_eq!(error, "agency.toml: ip_asn.bands: gap between band 'sedang' (below 81) and band 'tinggi' (from 82)");
    let overlap =
        text.replace("{ label = \"tinggi\", from = 81, below = 91 }", "{ label = \"tinggi\", from = 80, below = 91 }");
    assert!(RulePack::from_toml("agency.toml", &overlap).unwrap_err().to_string().contains("overlaps"));
    let weights = text.replace("kinerja = 30, disiplin = 5 }", "kinerja = 30, disiplin = 10 }");
    let error = RulePack::from_toml("agency.toml", &weights).unwrap_err().to_string();
    assert_eq!(error, "agency.toml: ip_asn.weights: weights must sum to 100, found 105");
    let unknown = text.replace("[objection]", "[objection]\nwindow_weeks = 2");
    assert!(RulePack::from_toml("agency.toml", &unknown).unwrap_err().to_string().contains("window_weeks"));
}

#[test]
fn an_agency_pack_overrides_the_built_in_one() {
    let text = include_str!("../../../rules/permenpanrb-6-2022.toml")
        .replace("version = 1", "version = 2")
        .replace("window_days = 14", "window_days = 21");
    let packs = RulePacks::with_agency_packs(&[("rules.d/surakarta.toml".into(), text)]).unwrap();
    let pack = packs.for_year(2026).unwrap();
    assert_eq!((pack.version, pack.objection().unwrap().window_days), (2, 21));
    assert_eq!(packs.all().len(), 3);
    let clash = include_str!("../../../rules/pp-46-2011.toml").replace("id = \"pp-46-2011\"", "id = \"other\"");
    let error = RulePacks::with_agency_packs(&[("clash.toml".into(), clash)]).unwrap_err();
    assert!(matches!(error, ScoringError::PackOverlap { .. }));
}

#[test]
fn a_plan_is_evaluated_with_explanations() {
    let pack = current();
    let case = PlanCase {
        year: 2026,
        work_results: vec![result("RHK-1", WorkResultSection::Utama, &[dec!(100), dec!(95)])],
        behaviour: BerakhlakValue::ALL
            .iter()
            .map(|v| BehaviourInput { value: *v, level: RatingLevel::AsExpected })
            .collect(),
        unit_result: None,
        final_ratings: None,
        months_elapsed: None,
    };
    let evaluation = evaluate_plan(&pack, &case).unwrap();
    assert_eq!(evaluation.achievements.len(), 2);
    assert_eq!(evaluation.proposed_result_rating.value, RatingLevel::AsExpected);
    assert_eq!(evaluation.predikat.value, Predikat::Baik);
    assert_eq!(evaluation.predikat_from, PredikatBasis::ProposedRatings);
    let decided = PlanCase {
        final_ratings: Some(FinalRatings {
            result: RatingLevel::AboveExpectation,
            behaviour: RatingLevel::AboveExpectation,
        }),
        ..case
    };
    let evaluation = evaluate_plan(&pack, &decided).unwrap();
    assert_eq!(
        (evaluation.predikat.value, evaluation.predikat_from),
        (Predikat::SangatBaik, PredikatBasis::FinalRatings)
    );
}
