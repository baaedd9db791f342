//! W7: score a national year in memory — 5.6 million employees × 8 indicators: proposed ratings,
//! predikat and the distribution check of every unit — beside a plain pass over the same data.
//!
//! `cargo bench -p kinerja-scoring --bench national_year`; `KINERJA_BENCH_EMPLOYEES` changes the size.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kinerja_domain::{OrganisationPredikat, Predikat, RatingLevel, Target};
use kinerja_scoring::{CompactIndicator, CompactRules, PredikatCounts, RulePacks, score_compact, violations};
use rayon::prelude::*;
use rust_decimal::Decimal;

const INDICATORS_PER_EMPLOYEE: usize = 8;
const EMPLOYEES_PER_UNIT: usize = 56;

struct Year {
    indicators: Vec<CompactIndicator>,
    behaviour: Vec<[RatingLevel; 7]>,
    organisation: Vec<OrganisationPredikat>,
}

/// A deterministic year: targets and realisations spread around 100% achievement.
fn year(employees: usize) -> Year {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let levels = [
        RatingLevel::BelowExpectation,
        RatingLevel::AsExpected,
        RatingLevel::AsExpected,
        RatingLevel::AboveExpectation,
    ];
    let mut indicators = Vec::with_capacity(employees * INDICATORS_PER_EMPLOYEE);
    let mut behaviour = Vec::with_capacity(employees);
    for _ in 0..employees {
        for slot in 0..INDICATORS_PER_EMPLOYEE {
            let random = next();
            let target_value = Decimal::from(10 + random % 90);
            let realised = target_value * Decimal::new(70 + (random >> 8) as i64 % 60, 2);
            let target = match slot % 4 {
                3 => Target::AtMost { value: target_value },
                2 => Target::Between { low: target_value, high: target_value * Decimal::TWO },
                _ => Target::AtLeast { value: target_value },
            };
            indicators.push(CompactIndicator { target, realised, work_result: (slot / 2) as u8, utama: slot < 6 });
        }
        let random = next();
        behaviour.push(std::array::from_fn(|value| levels[(random >> (value * 2)) as usize % 4]));
    }
    let units = employees.div_ceil(EMPLOYEES_PER_UNIT);
    let organisation = (0..units)
        .map(|unit| match unit % 10 {
            0 => OrganisationPredikat::Istimewa,
            9 => OrganisationPredikat::ButuhPerbaikan,
            _ => OrganisationPredikat::Baik,
        })
        .collect();
    Year { indicators, behaviour, organisation }
}

fn add(counts: &mut PredikatCounts, predikat: Predikat) {
    counts.add(predikat);
}

/// Proposed ratings and predikat of every employee, then every unit's distribution check.
fn score_year(rules: &CompactRules, distribution: &kinerja_scoring::RulePack, year: &Year) -> usize {
    let per_unit: Vec<PredikatCounts> = year
        .indicators
        .par_chunks(INDICATORS_PER_EMPLOYEE * EMPLOYEES_PER_UNIT)
        .zip(year.behaviour.par_chunks(EMPLOYEES_PER_UNIT))
        .map(|(indicators, behaviour)| {
            let mut counts = PredikatCounts::default();
            for (employee, ratings) in indicators.chunks(INDICATORS_PER_EMPLOYEE).zip(behaviour) {
                let (_, _, predikat) = score_compact(rules, employee, ratings).expect("valid targets");
                add(&mut counts, predikat);
            }
            counts
        })
        .collect();
    let guidance = distribution.distribution().expect("current pack");
    per_unit
        .par_iter()
        .zip(&year.organisation)
        .map(|(counts, organisation)| violations(guidance, *organisation, counts).len())
        .sum()
}

/// The floor: one pass that reads every value once.
fn plain_pass(year: &Year) -> Decimal {
    let realised: Decimal = year.indicators.par_iter().map(|indicator| indicator.realised).sum();
    let above = year
        .behaviour
        .par_iter()
        .map(|b| b.iter().filter(|l| **l == RatingLevel::AboveExpectation).count())
        .sum::<usize>();
    realised + Decimal::from(above)
}

fn national_year(criterion: &mut Criterion) {
    let employees = std::env::var("KINERJA_BENCH_EMPLOYEES").ok().and_then(|v| v.parse().ok()).unwrap_or(5_600_000);
    let packs = RulePacks::built_in().expect("built-in packs");
    let pack = packs.for_year(2026).expect("current pack");
    let rules = CompactRules::new(pack).expect("current rules");
    let data = year(employees);
    let mut group = criterion
        .benchmark_group(format!("national year, {employees} employees x {INDICATORS_PER_EMPLOYEE} indicators"));
    group.sample_size(10).measurement_time(Duration::from_secs(30)).warm_up_time(Duration::from_secs(3));
    group.bench_function("plain pass (floor)", |bench| bench.iter(|| black_box(plain_pass(&data))));
    group.bench_function("score: ratings, predikat, unit distribution", |bench| {
        bench.iter(|| black_box(score_year(&rules, pack, &data)));
    });
    group.finish();
}

criterion_group!(benches, national_year);
criterion_main!(benches);
