//! Results that follow from a predikat or a year's record: angka kredit, Indeks Profesionalitas ASN,
//! the talent box and the discipline penalty.

use kinerja_domain::{PositionKind, Predikat, RatingLevel};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ScoringError;
use crate::explain::{Explained, Explanation};
use crate::pack::{DisciplineStep, Education, PenaltyLevel, Potential, Rounding, RulePack, band_of};

/// Angka kredit of a functional position: percent(predikat) × koefisien × months ÷ 12.
pub fn angka_kredit(
    pack: &RulePack,
    predikat: Predikat,
    position: PositionKind,
    months: u32,
) -> Result<Explained<Decimal>, ScoringError> {
    let rules = pack.angka_kredit()?;
    if !(1..=12).contains(&months) {
        return Err(ScoringError::Impossible {
            field: "months".into(),
            reason: format!("must be 1 to 12, found {months}"),
        });
    }
    let koefisien = *rules.koefisien.get(&position).ok_or_else(|| ScoringError::Impossible {
        field: "position".into(),
        reason: format!("{position} is not a functional position and earns no angka kredit"),
    })?;
    let percent = rules.percent.get(&predikat).copied().unwrap_or_default();
    let exact = percent / Decimal::ONE_HUNDRED * koefisien * Decimal::from(months) / Decimal::from(12);
    let value = exact.round_dp(rules.decimals).normalize();
    let explanation = Explanation::new("angka kredit from the predikat", pack)
        .input("predikat", predikat)
        .input("position", position)
        .input("months", months)
        .reason(format!("{percent}% × koefisien {koefisien} × {months}/12 = {}", exact.round_dp(6).normalize()))
        .reason(format!("rounded to {} decimals", rules.decimals))
        .outcome(value);
    Ok(Explained { value, explanation })
}

/// The inputs of the Indeks Profesionalitas ASN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpAsnInput {
    pub education: Education,
    #[serde(default)]
    pub leadership_or_functional_training: bool,
    #[serde(default)]
    pub technical_training: bool,
    #[serde(default)]
    pub seminar_or_workshop: bool,
    pub predikat: Predikat,
    #[serde(default = "no_penalty")]
    pub penalty: PenaltyLevel,
}

fn no_penalty() -> PenaltyLevel {
    PenaltyLevel::None
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpAsnResult {
    pub kualifikasi: Decimal,
    pub kompetensi: Decimal,
    pub kinerja: Decimal,
    pub disiplin: Decimal,
    pub index: Decimal,
    pub band: String,
}

pub fn ip_asn(pack: &RulePack, input: &IpAsnInput) -> Result<Explained<IpAsnResult>, ScoringError> {
    let rules = pack.ip_asn()?;
    let kualifikasi = rules.kualifikasi.get(&input.education).copied().unwrap_or_default();
    let k = &rules.kompetensi;
    let points = |earned: bool, value: Decimal| if earned { value } else { Decimal::ZERO };
    let kompetensi = points(input.leadership_or_functional_training, k.leadership_or_functional_training)
        + points(input.technical_training, k.technical_training)
        + points(input.seminar_or_workshop, k.seminar_or_workshop);
    let kinerja = rules.kinerja.get(&input.predikat).copied().unwrap_or_default();
    let disiplin = rules.disiplin.get(&input.penalty).copied().unwrap_or_default();
    let index = (kualifikasi + kompetensi + kinerja + disiplin).normalize();
    let band =
        band_of(&rules.bands, Rounding::HalfUp.apply(index)).map_or_else(|| "unbanded".to_owned(), |b| b.label.clone());
    let explanation = Explanation::new("Indeks Profesionalitas ASN (PermenPANRB 38/2018, Peraturan BKN 8/2019)", pack)
        .input("education", format!("{:?}", input.education).to_lowercase())
        .input("predikat", input.predikat)
        .input("penalty", format!("{:?}", input.penalty).to_lowercase())
        .reason(format!(
            "kualifikasi {kualifikasi} + kompetensi {kompetensi} + kinerja {kinerja} + disiplin {disiplin}"
        ))
        .outcome(format!("{index} ({band})"));
    Ok(Explained { value: IpAsnResult { kualifikasi, kompetensi, kinerja, disiplin, index, band }, explanation })
}

/// The Indeks Profesionalitas of a group: how many have an index, their average (two decimals) and its
/// band, and how many fall in each band of the pack, in the pack's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpAsnSummary {
    pub people: u64,
    pub average: Option<Decimal>,
    pub band: Option<String>,
    pub bands: Vec<(String, u64)>,
}

/// Sums the indexes of a group computed by [`ip_asn`], banding the average as a person's index is banded.
pub fn ip_asn_summary(pack: &RulePack, indexes: &[IpAsnResult]) -> Result<IpAsnSummary, ScoringError> {
    let rules = pack.ip_asn()?;
    let people = indexes.len() as u64;
    let average = (!indexes.is_empty()).then(|| {
        let total: Decimal = indexes.iter().map(|r| r.index).sum();
        (total / Decimal::from(people)).round_dp(2).normalize()
    });
    let band =
        average.and_then(|average| band_of(&rules.bands, Rounding::HalfUp.apply(average))).map(|b| b.label.clone());
    let bands = rules
        .bands
        .iter()
        .map(|b| (b.label.clone(), indexes.iter().filter(|r| r.band == b.label).count() as u64))
        .collect();
    Ok(IpAsnSummary { people, average, band, bands })
}

/// The talent 9-box (1–9) from the Rating Hasil Kerja and the potential.
pub fn talent_box(pack: &RulePack, rating: RatingLevel, potential: Potential) -> Result<Explained<u8>, ScoringError> {
    let value = pack.talent()?.box_of(rating, potential);
    let explanation = Explanation::new("talent 9-box (PermenPANRB 3/2020)", pack)
        .input("Rating Hasil Kerja", rating)
        .input("potential", format!("{potential:?}").to_lowercase())
        .reason("performance rows × potential columns; boxes 7–9 form the talent pool")
        .outcome(value);
    Ok(Explained { value, explanation })
}

/// The penalty for a year's unexcused absence (days, plus lateness and early leave in hours).
pub fn discipline(
    pack: &RulePack,
    absent_days: u32,
    late_hours: Decimal,
) -> Result<Explained<Option<DisciplineStep>>, ScoringError> {
    let rules = pack.discipline()?;
    if late_hours.is_sign_negative() && !late_hours.is_zero() {
        return Err(ScoringError::Impossible {
            field: "late_hours".into(),
            reason: format!("must not be negative, found {late_hours}"),
        });
    }
    let late_days = (late_hours / rules.hours_per_day).floor();
    let total = absent_days
        .saturating_add(u32::try_from(late_days.mantissa() / 10i128.pow(late_days.scale())).unwrap_or(u32::MAX));
    let value = rules.ladder.iter().rev().find(|step| total >= step.from_days).cloned();
    let explanation = Explanation::new("discipline penalty for unexcused absence (PP 94/2021)", pack)
        .input("absent days", absent_days)
        .input("late or early-leave hours", late_hours)
        .reason(format!(
            "{late_hours} hours ÷ {} hours a day = {late_days} day(s); {total} days in all",
            rules.hours_per_day
        ))
        .outcome(
            value
                .as_ref()
                .map_or_else(|| "no penalty".to_owned(), |s| format!("{:?}: {}", s.level, s.penalty).to_lowercase()),
        );
    Ok(Explained { value, explanation })
}
