//! Rule packs: the changeable values of a regulation, as data, validated when loaded.

use std::collections::HashMap;
use std::fmt;

pub use kinerja_domain::{Education, PenaltyLevel, Potential};
use kinerja_domain::{EmploymentType, NeedPriority, OrganisationPredikat, PositionKind, Predikat, RatingLevel};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::ScoringError;

/// Accepts a TOML integer, float or string as an exact decimal ("1.76" stays 1.76).
fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Integer(i64),
        Float(f64),
        Text(String),
    }
    let parsed = match Number::deserialize(deserializer)? {
        Number::Integer(value) => Ok(Decimal::from(value)),
        Number::Float(value) => value.to_string().parse::<Decimal>(),
        Number::Text(text) => text.parse::<Decimal>(),
    };
    parsed.map_err(serde::de::Error::custom)
}

fn decimal_map<'de, D: Deserializer<'de>, K: Deserialize<'de> + Eq + std::hash::Hash>(
    deserializer: D,
) -> Result<HashMap<K, Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "decimal")] Decimal);
    let map = HashMap::<K, Wrapped>::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// Which family of rules a pack implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// PermenPANRB 6/2022: ratings and predikat matrix.
    Current,
    /// PP 46/2011: Nilai SKP and Nilai Prestasi Kerja.
    Pp46,
    /// PP 30/2019 with PermenPANRB 8/2021.
    Regime2021,
}

impl Regime {
    /// The name the pack files and stored results use.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Current => "current",
            Regime::Pp46 => "pp46",
            Regime::Regime2021 => "regime2021",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    pub from: i32,
    pub to: i32,
}

impl YearRange {
    pub fn contains(&self, year: i32) -> bool {
        (self.from..=self.to).contains(&year)
    }
}

/// A pack's identity, recorded with every result computed under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackRef {
    pub id: String,
    pub version: u32,
}

impl fmt::Display for PackRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} v{}", self.id, self.version)
    }
}

/// A score band: `from` inclusive, `below` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub label: String,
    #[serde(deserialize_with = "decimal")]
    pub from: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub below: Decimal,
}

/// The band holding `score`, if any.
pub(crate) fn band_of(bands: &[Band], score: Decimal) -> Option<&Band> {
    bands.iter().find(|band| band.from <= score && score < band.below)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AchievementRules {
    #[serde(deserialize_with = "decimal")]
    pub cap: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultRatingRules {
    #[serde(deserialize_with = "decimal")]
    pub above_from: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub below_under: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub most_percent: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub small_part_percent: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourRatingRules {
    pub above_min_values_above: usize,
    pub above_max_values_below: usize,
    pub below_min_values_below: usize,
}

/// The Rating Hasil Kerja of a unit head, from the unit's organisation predikat.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitHeadRules {
    pub istimewa: RatingLevel,
    pub baik: RatingLevel,
    pub butuh_perbaikan: RatingLevel,
    pub kurang: RatingLevel,
    pub sangat_kurang: RatingLevel,
}

impl UnitHeadRules {
    pub fn rating_for(&self, organisation: OrganisationPredikat) -> RatingLevel {
        match organisation {
            OrganisationPredikat::Istimewa => self.istimewa,
            OrganisationPredikat::Baik => self.baik,
            OrganisationPredikat::ButuhPerbaikan => self.butuh_perbaikan,
            OrganisationPredikat::Kurang => self.kurang,
            OrganisationPredikat::SangatKurang => self.sangat_kurang,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredikatRow {
    pub below_expectation: Predikat,
    pub as_expected: Predikat,
    pub above_expectation: Predikat,
}

/// Rows: Rating Hasil Kerja; columns: Rating Perilaku.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredikatMatrix {
    pub above_expectation: PredikatRow,
    pub as_expected: PredikatRow,
    pub below_expectation: PredikatRow,
}

impl PredikatMatrix {
    pub fn lookup(&self, result: RatingLevel, behaviour: RatingLevel) -> Predikat {
        let row = match result {
            RatingLevel::AboveExpectation => self.above_expectation,
            RatingLevel::AsExpected => self.as_expected,
            RatingLevel::BelowExpectation => self.below_expectation,
        };
        match behaviour {
            RatingLevel::BelowExpectation => row.below_expectation,
            RatingLevel::AsExpected => row.as_expected,
            RatingLevel::AboveExpectation => row.above_expectation,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    Floor,
    Ceil,
    HalfUp,
}

impl Rounding {
    pub fn apply(self, value: Decimal) -> Decimal {
        match self {
            Rounding::Floor => value.floor(),
            Rounding::Ceil => value.ceil(),
            Rounding::HalfUp => value.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// The group outnumbers every other predikat.
    Largest,
    AtMostPercent,
    AtLeastPercent,
    AtMostCount,
    AtLeastCount,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    pub kind: ConstraintKind,
    pub group: Vec<Predikat>,
    #[serde(default, deserialize_with = "optional_decimal")]
    pub percent: Option<Decimal>,
    #[serde(default)]
    pub count: Option<u32>,
}

fn optional_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    decimal(deserializer).map(Some)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    pub organisation: OrganisationPredikat,
    pub constraints: Vec<Constraint>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionRules {
    pub at_most_rounding: Rounding,
    pub at_least_rounding: Rounding,
    pub guidance: Vec<Guidance>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodicRules {
    /// Whether a periodic evaluation measures summed indicators against the share of the annual
    /// target for the months covered.
    pub pro_rate_summed_targets: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionRules {
    pub window_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AngkaKreditRules {
    pub decimals: u32,
    #[serde(deserialize_with = "decimal_map")]
    pub percent: HashMap<Predikat, Decimal>,
    #[serde(deserialize_with = "decimal_map")]
    pub koefisien: HashMap<PositionKind, Decimal>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpAsnWeights {
    #[serde(deserialize_with = "decimal")]
    pub kualifikasi: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub kompetensi: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub kinerja: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub disiplin: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencePoints {
    #[serde(deserialize_with = "decimal")]
    pub leadership_or_functional_training: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub technical_training: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub seminar_or_workshop: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpAsnRules {
    pub weights: IpAsnWeights,
    #[serde(deserialize_with = "decimal_map")]
    pub kualifikasi: HashMap<Education, Decimal>,
    pub kompetensi: CompetencePoints,
    #[serde(deserialize_with = "decimal_map")]
    pub kinerja: HashMap<Predikat, Decimal>,
    #[serde(deserialize_with = "decimal_map")]
    pub disiplin: HashMap<PenaltyLevel, Decimal>,
    pub bands: Vec<Band>,
}

/// The minimum lesson hours (JP) of a year, by employment type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinimumJp {
    pub pns: u32,
    pub pppk: u32,
}

impl MinimumJp {
    /// The minimum for an employee of this employment type.
    pub fn for_employment(self, employment: EmploymentType) -> u32 {
        match employment {
            EmploymentType::Pns => self.pns,
            EmploymentType::Pppk => self.pppk,
        }
    }

    /// The hours still missing to reach the minimum (0 once reached).
    pub fn shortfall(self, employment: EmploymentType, hours: u32) -> u32 {
        self.for_employment(employment).saturating_sub(hours)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentRules {
    pub minimum_jp: MinimumJp,
    /// Predikat that raise a training need.
    pub needs_from_predikat: Vec<Predikat>,
    /// A dimension (indicator aspect) whose mean achievement is below this percentage raises a need.
    pub weak_dimension_below: f64,
    /// A competency gap of at least this many levels makes the need high priority.
    pub high_priority_gap: u32,
    pub priority: NeedPriorities,
}

/// The priority of a training need by what raised it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedPriorities {
    pub predikat: NeedPriority,
    pub behaviour: NeedPriority,
    pub dimension: NeedPriority,
    pub competency: NeedPriority,
    pub hours: NeedPriority,
}

/// When a unit's or a person's standing among peers counts as a strength or a weakness.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandingRules {
    /// Fewer peers (the one compared included) give no standing.
    pub min_peers: usize,
    /// A standing (difference from the peer median in units of peer spread) at or above this is a strength.
    pub strength_from: f64,
    /// At or below this, a weakness.
    pub weakness_to: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalentRow {
    pub rendah: u8,
    pub menengah: u8,
    pub tinggi: u8,
}

impl TalentRow {
    fn get(self, potential: Potential) -> u8 {
        match potential {
            Potential::Rendah => self.rendah,
            Potential::Menengah => self.menengah,
            Potential::Tinggi => self.tinggi,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalentRules {
    pub above_expectation: TalentRow,
    pub as_expected: TalentRow,
    pub below_expectation: TalentRow,
}

impl TalentRules {
    pub fn box_of(&self, rating: RatingLevel, potential: Potential) -> u8 {
        match rating {
            RatingLevel::AboveExpectation => self.above_expectation,
            RatingLevel::AsExpected => self.as_expected,
            RatingLevel::BelowExpectation => self.below_expectation,
        }
        .get(potential)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisciplineStep {
    pub from_days: u32,
    pub level: PenaltyLevel,
    pub penalty: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisciplineRules {
    #[serde(deserialize_with = "decimal")]
    pub hours_per_day: Decimal,
    pub ladder: Vec<DisciplineStep>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskPoints {
    pub from_tasks: u32,
    #[serde(deserialize_with = "decimal")]
    pub points: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreativityPoints {
    #[serde(deserialize_with = "decimal")]
    pub unit: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub organisation: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub national: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pp46Rules {
    #[serde(deserialize_with = "decimal")]
    pub time_factor: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub efficiency_edge: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub skp_weight: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub behaviour_weight: Decimal,
    pub additional_tasks: Vec<TaskPoints>,
    pub creativity: CreativityPoints,
    pub score_rounding: Rounding,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime2021Rules {
    #[serde(deserialize_with = "decimal")]
    pub skp_weight: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub behaviour_weight: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub skp_weight_with_peers: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub behaviour_weight_with_peers: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub cap: Decimal,
    #[serde(deserialize_with = "decimal")]
    pub sangat_baik_from: Decimal,
    pub bands: Vec<Band>,
}

/// One regulation's changeable values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulePack {
    pub id: String,
    pub version: u32,
    pub regulation: String,
    pub regime: Regime,
    pub years: YearRange,
    pub achievement: Option<AchievementRules>,
    pub proposed_result_rating: Option<ResultRatingRules>,
    pub proposed_behaviour_rating: Option<BehaviourRatingRules>,
    pub unit_head: Option<UnitHeadRules>,
    pub predikat: Option<PredikatMatrix>,
    pub distribution: Option<DistributionRules>,
    pub periodic: Option<PeriodicRules>,
    pub objection: Option<ObjectionRules>,
    pub angka_kredit: Option<AngkaKreditRules>,
    pub ip_asn: Option<IpAsnRules>,
    pub development: Option<DevelopmentRules>,
    pub standing: Option<StandingRules>,
    pub talent: Option<TalentRules>,
    pub discipline: Option<DisciplineRules>,
    pub pp46: Option<Pp46Rules>,
    pub regime2021: Option<Regime2021Rules>,
    /// Where the pack came from (a built-in file or an agency's), for messages.
    #[serde(skip)]
    pub source: String,
}

/// Returns a pack section, or an error naming the pack and the missing section.
macro_rules! section {
    ($name:ident, $ty:ty) => {
        pub fn $name(&self) -> Result<&$ty, ScoringError> {
            self.$name.as_ref().ok_or_else(|| ScoringError::MissingRules {
                pack: self.reference().to_string(),
                section: stringify!($name),
            })
        }
    };
}

impl RulePack {
    /// Parses and validates a pack; `source` names the file in every error.
    pub fn from_toml(source: &str, text: &str) -> Result<Self, ScoringError> {
        let mut pack: RulePack = toml::from_str(text).map_err(|error| ScoringError::PackParse {
            file: source.to_owned(),
            message: error.to_string().trim().replace('\n', " "),
        })?;
        pack.source = source.to_owned();
        crate::validate::validate(&pack)?;
        Ok(pack)
    }

    pub fn reference(&self) -> PackRef {
        PackRef { id: self.id.clone(), version: self.version }
    }

    section!(achievement, AchievementRules);
    section!(proposed_result_rating, ResultRatingRules);
    section!(proposed_behaviour_rating, BehaviourRatingRules);
    section!(unit_head, UnitHeadRules);
    section!(predikat, PredikatMatrix);
    section!(distribution, DistributionRules);
    section!(periodic, PeriodicRules);
    section!(objection, ObjectionRules);
    section!(angka_kredit, AngkaKreditRules);
    section!(ip_asn, IpAsnRules);
    section!(development, DevelopmentRules);
    section!(standing, StandingRules);
    section!(talent, TalentRules);
    section!(discipline, DisciplineRules);
    section!(pp46, Pp46Rules);
    section!(regime2021, Regime2021Rules);
}

/// The built-in packs, as shipped in `rules/`.
const BUILT_IN: [(&str, &str); 3] = [
    ("rules/permenpanrb-6-2022.toml", include_str!("../../../rules/permenpanrb-6-2022.toml")),
    ("rules/permenpanrb-8-2021.toml", include_str!("../../../rules/permenpanrb-8-2021.toml")),
    ("rules/pp-46-2011.toml", include_str!("../../../rules/pp-46-2011.toml")),
];

/// The loaded packs: built-ins, overridden by an agency's packs of the same id; with the development
/// catalogue that training needs draw their programmes from.
#[derive(Debug, Clone)]
pub struct RulePacks {
    packs: Vec<RulePack>,
    catalogue: std::sync::Arc<crate::Catalogue>,
}

impl RulePacks {
    pub fn built_in() -> Result<Self, ScoringError> {
        Self::with_agency_packs(&[])
    }

    /// Built-in packs plus an agency's `(file name, TOML text)` packs; an agency pack replaces the
    /// built-in pack with the same id, and its years must not overlap another pack's.
    pub fn with_agency_packs(agency: &[(String, String)]) -> Result<Self, ScoringError> {
        let mut packs = Vec::new();
        for (source, text) in BUILT_IN {
            packs.push(RulePack::from_toml(source, text)?);
        }
        for (source, text) in agency {
            let pack = RulePack::from_toml(source, text)?;
            packs.retain(|existing: &RulePack| existing.id != pack.id);
            packs.push(pack);
        }
        for (index, pack) in packs.iter().enumerate() {
            for other in &packs[index + 1..] {
                if pack.years.from <= other.years.to && other.years.from <= pack.years.to {
                    return Err(ScoringError::PackOverlap { first: pack.source.clone(), second: other.source.clone() });
                }
            }
        }
        packs.sort_by_key(|pack| pack.years.from);
        Ok(Self { packs, catalogue: std::sync::Arc::new(crate::Catalogue::built_in()?) })
    }

    /// The same packs with an agency's development catalogue instead of the built-in one.
    pub fn with_catalogue(self, catalogue: crate::Catalogue) -> Self {
        Self { catalogue: std::sync::Arc::new(catalogue), ..self }
    }

    pub fn catalogue(&self) -> &crate::Catalogue {
        &self.catalogue
    }

    /// The pack whose years cover `year`.
    pub fn for_year(&self, year: i32) -> Result<&RulePack, ScoringError> {
        self.packs.iter().find(|pack| pack.years.contains(year)).ok_or(ScoringError::NoPackForYear(year))
    }

    pub fn all(&self) -> &[RulePack] {
        &self.packs
    }
}
