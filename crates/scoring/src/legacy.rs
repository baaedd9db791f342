//! Historical regimes: PP 46/2011 (Nilai Prestasi Kerja) and PP 30/2019 with PermenPANRB 8/2021.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ScoringError;
use crate::explain::{Explained, Explanation};
use crate::pack::{Pp46Rules, RulePack, band_of};

const SCALE: u32 = 2;

fn round(value: Decimal) -> Decimal {
    value.round_dp(SCALE).normalize()
}

/// One activity of a PP 46/2011 SKP: targets (T) and realisations (R) of output, quality, time and cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pp46Activity {
    pub name: String,
    pub quantity_target: Decimal,
    pub quantity_realised: Decimal,
    pub quality_target: Decimal,
    pub quality_realised: Decimal,
    /// Time in months (or any unit, the same for target and realisation).
    pub time_target: Decimal,
    pub time_realised: Decimal,
    #[serde(default)]
    pub cost_target: Option<Decimal>,
    #[serde(default)]
    pub cost_realised: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreativityLevel {
    Unit,
    Organisation,
    National,
}

/// The PP 46/2011 behaviour aspects, each 0–100; leadership only for structural positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pp46Behaviour {
    pub orientasi_pelayanan: Decimal,
    pub integritas: Decimal,
    pub komitmen: Decimal,
    pub disiplin: Decimal,
    pub kerja_sama: Decimal,
    #[serde(default)]
    pub kepemimpinan: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pp46Case {
    pub activities: Vec<Pp46Activity>,
    #[serde(default)]
    pub additional_tasks: u32,
    #[serde(default)]
    pub creativity: Option<CreativityLevel>,
    pub behaviour: Pp46Behaviour,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pp46ActivityScore {
    pub name: String,
    pub quantity: Decimal,
    pub quality: Decimal,
    pub time: Decimal,
    pub cost: Option<Decimal>,
    pub achievement: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pp46Result {
    pub activities: Vec<Pp46ActivityScore>,
    pub nilai_skp: Decimal,
    pub perilaku: Decimal,
    pub nilai_prestasi_kerja: Decimal,
    pub band: String,
}

fn positive(field: String, value: Decimal) -> Result<(), ScoringError> {
    if value > Decimal::ZERO {
        Ok(())
    } else {
        Err(ScoringError::Impossible { field, reason: format!("must be greater than 0, found {value}") })
    }
}

fn not_negative(field: String, value: Decimal) -> Result<(), ScoringError> {
    if value.is_sign_negative() && !value.is_zero() {
        Err(ScoringError::Impossible { field, reason: format!("must not be negative, found {value}") })
    } else {
        Ok(())
    }
}

/// Waktu (and Biaya): 76 when the realisation equals the target, rising as less is used; past the
/// efficiency edge the score bends back down.
pub fn pp46_time_score(rules: &Pp46Rules, target: Decimal, realised: Decimal) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    let efficiency = hundred - realised / target * hundred;
    let base = (rules.time_factor * target - realised) / target * hundred;
    if efficiency <= rules.efficiency_edge { base } else { Decimal::from(76) - (base - hundred) }
}

fn score_activity(rules: &Pp46Rules, index: usize, activity: &Pp46Activity) -> Result<Pp46ActivityScore, ScoringError> {
    let field = |name: &str| format!("activities[{index}].{name}");
    positive(field("quantity_target"), activity.quantity_target)?;
    positive(field("quality_target"), activity.quality_target)?;
    positive(field("time_target"), activity.time_target)?;
    not_negative(field("quantity_realised"), activity.quantity_realised)?;
    not_negative(field("quality_realised"), activity.quality_realised)?;
    not_negative(field("time_realised"), activity.time_realised)?;
    let hundred = Decimal::ONE_HUNDRED;
    if activity.quantity_realised.is_zero() {
        // Nothing delivered scores nothing, whatever the other aspects say.
        return Ok(Pp46ActivityScore {
            name: activity.name.clone(),
            quantity: Decimal::ZERO,
            quality: Decimal::ZERO,
            time: Decimal::ZERO,
            cost: None,
            achievement: Decimal::ZERO,
        });
    }
    let quantity = activity.quantity_realised / activity.quantity_target * hundred;
    let quality = activity.quality_realised / activity.quality_target * hundred;
    let time = pp46_time_score(rules, activity.time_target, activity.time_realised);
    let cost = match (activity.cost_target, activity.cost_realised) {
        (Some(target), realised) if target > Decimal::ZERO => {
            let realised = realised.unwrap_or_default();
            not_negative(field("cost_realised"), realised)?;
            Some(pp46_time_score(rules, target, realised))
        }
        _ => None,
    };
    let aspects = if cost.is_some() { Decimal::from(4) } else { Decimal::from(3) };
    let achievement = (quantity + quality + time + cost.unwrap_or_default()) / aspects;
    Ok(Pp46ActivityScore {
        name: activity.name.clone(),
        quantity: round(quantity),
        quality: round(quality),
        time: round(time),
        cost: cost.map(round),
        achievement: round(achievement),
    })
}

/// Nilai SKP, Perilaku and Nilai Prestasi Kerja under PP 46/2011, with the band.
pub fn pp46(pack: &RulePack, case: &Pp46Case) -> Result<Explained<Pp46Result>, ScoringError> {
    let rules = pack.pp46()?;
    if case.activities.is_empty() {
        return Err(ScoringError::Impossible {
            field: "activities".into(),
            reason: "at least one activity is needed".into(),
        });
    }
    let activities: Vec<Pp46ActivityScore> =
        case.activities.iter().enumerate().map(|(i, a)| score_activity(rules, i, a)).collect::<Result<_, _>>()?;
    let mean = activities.iter().map(|a| a.achievement).sum::<Decimal>() / Decimal::from(activities.len());
    let task_points = rules
        .additional_tasks
        .iter()
        .rev()
        .find(|step| case.additional_tasks >= step.from_tasks)
        .map_or(Decimal::ZERO, |s| s.points);
    let creativity_points = match case.creativity {
        Some(CreativityLevel::Unit) => rules.creativity.unit,
        Some(CreativityLevel::Organisation) => rules.creativity.organisation,
        Some(CreativityLevel::National) => rules.creativity.national,
        None => Decimal::ZERO,
    };
    let nilai_skp = round(mean + task_points + creativity_points);
    let b = &case.behaviour;
    let mut aspects = vec![
        ("behaviour.orientasi_pelayanan", b.orientasi_pelayanan),
        ("behaviour.integritas", b.integritas),
        ("behaviour.komitmen", b.komitmen),
        ("behaviour.disiplin", b.disiplin),
        ("behaviour.kerja_sama", b.kerja_sama),
    ];
    if let Some(leadership) = b.kepemimpinan {
        aspects.push(("behaviour.kepemimpinan", leadership));
    }
    for (field, value) in &aspects {
        if !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(value) {
            return Err(ScoringError::Impossible {
                field: (*field).into(),
                reason: format!("must be between 0 and 100, found {value}"),
            });
        }
    }
    let perilaku = round(aspects.iter().map(|(_, v)| *v).sum::<Decimal>() / Decimal::from(aspects.len()));
    let hundred = Decimal::ONE_HUNDRED;
    let npk = round(nilai_skp * rules.skp_weight / hundred + perilaku * rules.behaviour_weight / hundred);
    let banded_score = rules.score_rounding.apply(npk);
    let band = band_of(&rules.bands, banded_score).map_or_else(|| "unbanded".to_owned(), |b| b.label.clone());
    let mut explanation = Explanation::new("Nilai Prestasi Kerja (PP 46/2011, Perka BKN 1/2013)", pack);
    for activity in &activities {
        explanation = explanation.input(
            format!("activity '{}'", activity.name),
            format!(
                "kuantitas {}, kualitas {}, waktu {}{} → capaian {}",
                activity.quantity,
                activity.quality,
                activity.time,
                activity.cost.map(|c| format!(", biaya {c}")).unwrap_or_default(),
                activity.achievement
            ),
        );
    }
    let explanation = explanation
        .input("additional tasks", case.additional_tasks)
        .input("creativity", case.creativity.map_or("none".to_owned(), |c| format!("{c:?}").to_lowercase()))
        .reason(format!(
            "waktu = ((1.76-factor {} × target − realisation) ÷ target) × 100, bent past {}% efficiency",
            rules.time_factor, rules.efficiency_edge
        ))
        .reason(format!(
            "Nilai SKP = mean capaian {} + tasks {task_points} + creativity {creativity_points} = {nilai_skp}",
            round(mean)
        ))
        .reason(format!("Perilaku = mean of {} aspects = {perilaku}", aspects.len()))
        .reason(format!("NPK = {}% × {nilai_skp} + {}% × {perilaku} = {npk}", rules.skp_weight, rules.behaviour_weight))
        .reason(format!("{npk} rounds {:?} to {banded_score} for banding", rules.score_rounding))
        .outcome(format!("{npk} ({band})"));
    Ok(Explained {
        value: Pp46Result { activities, nilai_skp, perilaku, nilai_prestasi_kerja: npk, band },
        explanation,
    })
}

/// An indicator of the 2021 regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator2021 {
    pub target: Decimal,
    pub realised: Decimal,
    /// Lower is better (an inverse indicator).
    #[serde(default)]
    pub inverse: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case2021 {
    pub indicators: Vec<Indicator2021>,
    /// Perilaku score, 0–120.
    pub behaviour: Decimal,
    /// Whether peers and subordinates rated too (360°), which changes the weights.
    #[serde(default)]
    pub peer_rated: bool,
    #[serde(default)]
    pub innovation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Result2021 {
    pub capaian: Vec<Decimal>,
    pub skp: Decimal,
    pub nilai_kinerja: Decimal,
    pub predikat: String,
}

/// Nilai Kinerja and predikat of the 2021 regime.
pub fn regime2021(pack: &RulePack, case: &Case2021) -> Result<Explained<Result2021>, ScoringError> {
    let rules = pack.regime2021()?;
    if case.indicators.is_empty() {
        return Err(ScoringError::Impossible {
            field: "indicators".into(),
            reason: "at least one indicator is needed".into(),
        });
    }
    let hundred = Decimal::ONE_HUNDRED;
    let mut capaian = Vec::new();
    for (index, indicator) in case.indicators.iter().enumerate() {
        positive(format!("indicators[{index}].target"), indicator.target)?;
        not_negative(format!("indicators[{index}].realised"), indicator.realised)?;
        let ratio = indicator.realised / indicator.target;
        let raw = if indicator.inverse { (Decimal::ONE + (Decimal::ONE - ratio)) * hundred } else { ratio * hundred };
        capaian.push(round(raw.max(Decimal::ZERO).min(rules.cap)));
    }
    let skp = round(capaian.iter().sum::<Decimal>() / Decimal::from(capaian.len()));
    let (skp_weight, behaviour_weight) = if case.peer_rated {
        (rules.skp_weight_with_peers, rules.behaviour_weight_with_peers)
    } else {
        (rules.skp_weight, rules.behaviour_weight)
    };
    let nilai_kinerja = round(skp * skp_weight / hundred + case.behaviour * behaviour_weight / hundred);
    let mut predikat = band_of(&rules.bands, nilai_kinerja).map_or_else(|| "unbanded".to_owned(), |b| b.label.clone());
    let mut explanation = Explanation::new("Nilai Kinerja (PP 30/2019, PermenPANRB 8/2021)", pack)
        .input("capaian IKI", capaian.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
        .input("perilaku", case.behaviour)
        .input("innovation", case.innovation)
        .reason(format!(
            "capaian = realisation ÷ target × 100 (inverse: (1 + (1 − realisation ÷ target)) × 100), capped at {}",
            rules.cap
        ))
        .reason(format!("NK = {skp_weight}% × SKP {skp} + {behaviour_weight}% × perilaku {}", case.behaviour));
    if nilai_kinerja >= rules.sangat_baik_from && !case.innovation {
        predikat = rules
            .bands
            .iter()
            .filter(|b| b.from < rules.sangat_baik_from)
            .max_by_key(|b| b.from)
            .map_or(predikat, |b| b.label.clone());
        explanation = explanation.reason("Sangat Baik needs an innovation; without one the score bands one lower");
    }
    let explanation = explanation.outcome(format!("{nilai_kinerja} ({predikat})"));
    Ok(Explained { value: Result2021 { capaian, skp, nilai_kinerja, predikat }, explanation })
}
