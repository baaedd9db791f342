//! Scoring engine of kinerja: pure functions from plans, realisations and ratings to the results the
//! regulations define, each with its explanation and the rule pack it used.
//!
//! No IO, no async, no database, no clock. Values that a regulation or an agency can change come from
//! rule packs ([`RulePack`], TOML files in `rules/`), validated when loaded; the year of a plan selects
//! the pack ([`RulePacks::for_year`]).
//!
//! ```
//! use kinerja_domain::{Predikat, RatingLevel};
//! let packs = kinerja_scoring::RulePacks::built_in().unwrap();
//! let pack = packs.for_year(2026).unwrap();
//! let predikat = kinerja_scoring::predikat(pack, RatingLevel::AboveExpectation, RatingLevel::AsExpected).unwrap();
//! assert_eq!(predikat.value, Predikat::Baik);
//! ```

mod achievement;
mod development;
mod distribution;
mod downstream;
mod explain;
mod legacy;
mod pack;
mod plan;
mod rating;
mod recorded;
mod standing;
mod validate;

pub use achievement::{IndicatorInput, accumulate, achievement_percent, capped_achievement, explain_achievement};
pub use development::{
    Catalogue, Competency, CompetencyKind, DevelopmentFacts, Job, Mode, NeedDraft, Programme, ProgrammeCategory,
    Standard, derive_needs,
};
pub use distribution::{PredikatCounts, Violation, check_distribution, violations};
pub use downstream::{
    IpAsnInput, IpAsnResult, IpAsnSummary, angka_kredit, discipline, ip_asn, ip_asn_summary, talent_box,
};
pub use explain::{Explained, Explanation, Fact};
pub use legacy::{
    Case2021, CreativityLevel, Indicator2021, Pp46Activity, Pp46ActivityScore, Pp46Behaviour, Pp46Case, Pp46Result,
    Result2021, pp46, pp46_time_score, regime2021,
};
pub use pack::{
    DisciplineStep, Education, MinimumJp, NeedPriorities, PackRef, PenaltyLevel, Potential, Regime, RulePack,
    RulePacks, StandingRules, UnitHeadRules, YearRange,
};
pub use plan::{
    BehaviourInput, CompactIndicator, CompactRules, FinalRatings, IndicatorAchievement, PlanCase, PlanEvaluation,
    PredikatBasis, evaluate_plan, score_compact,
};
pub use rating::{
    ResultTally, WorkResultInput, predikat, propose_behaviour_rating, propose_result_rating, unit_result,
};
pub use recorded::{RecordedResult, predikat_title, recorded_result};
pub use standing::{Standing, Verdict, level_score, standing, standing_by_moments};

/// Why a result cannot be computed. Every variant names the file, key or field concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("{file}: {message}")]
    PackParse { file: String, message: String },
    #[error("{file}: {key}: {reason}")]
    PackInvalid { file: String, key: String, reason: String },
    #[error("rule packs {first} and {second} cover the same year")]
    PackOverlap { first: String, second: String },
    #[error("no rule pack covers the year {0}")]
    NoPackForYear(i32),
    #[error("rule pack {pack} has no [{section}] section")]
    MissingRules { pack: String, section: &'static str },
    #[error("{field}: {reason}")]
    Impossible { field: String, reason: String },
}
