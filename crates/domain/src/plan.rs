//! The performance plan (SKP): work results (RHK), their indicators (IKI), targets and realisations.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::period::{Period, YEAR_RANGE};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlanError {
    #[error("plan year {0} is outside 2000-2100")]
    Year(i32),
    #[error("unknown {what} '{text}'")]
    UnknownValue { what: &'static str, text: String },
    #[error("{what} must not be empty")]
    Blank { what: &'static str },
    #[error("{what} is {chars} characters long; at most {limit} are allowed")]
    TooLong { what: &'static str, chars: usize, limit: usize },
    #[error("target {which} must be {requirement}, found {value}")]
    TargetValue { which: &'static str, requirement: &'static str, value: Decimal },
    #[error("target range lower bound {low} is above its upper bound {high}")]
    TargetRange { low: Decimal, high: Decimal },
    #[error("realisation value must not be negative, found {0}")]
    NegativeRealisation(Decimal),
    #[error("a realisation needs evidence: a note, a link, or both")]
    MissingEvidence,
    #[error("evidence link '{0}' must be an http:// or https:// address")]
    EvidenceLink(String),
    #[error("period {period} lies outside the plan year {year}")]
    PeriodOutsideYear { period: Period, year: i32 },
    #[error("work result of the {child_year} plan cannot intervene a work result of the {parent_year} plan")]
    CascadeYear { child_year: i32, parent_year: i32 },
    #[error("a work result may only intervene a work result in the plan of the employee's rater")]
    CascadeNotRater,
    #[error("plan is {status}; {}", not_editable_remedy(*status))]
    NotEditable { status: PlanStatus },
    #[error("a {status} plan cannot be {action}")]
    Transition { status: PlanStatus, action: PlanAction },
    #[error("{action} needs a {what}")]
    MissingReason { action: PlanAction, what: &'static str },
    #[error("a plan cannot be submitted without {0}")]
    Incomplete(&'static str),
    #[error("plan is {status}; realisations are recorded on approved plans")]
    NotRealisable { status: PlanStatus },
    #[error("the decision differs from the proposal ({proposal}); an override needs a reason")]
    OverrideWithoutReason { proposal: String },
    #[error("the objection window closed on {closed_on} ({window_days} days after the result was final)")]
    ObjectionWindowClosed { closed_on: chrono::NaiveDate, window_days: u32 },
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text form used in files and storage.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = PlanError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(PlanError::UnknownValue { what: $what, text: other.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// How expectations are written: numeric indicators or narrative.
    Approach, "approach", { Kuantitatif => "kuantitatif", Kualitatif => "kualitatif" }
);

text_enum!(
    /// Where a plan is in its yearly lifecycle.
    PlanStatus, "plan status", {
        Draft => "draft",
        Submitted => "submitted",
        Approved => "approved",
        Finalised => "finalised",
    }
);

impl PlanStatus {
    /// Whether work results and indicators may still be changed.
    pub fn accepts_edits(self) -> bool {
        self == PlanStatus::Draft
    }

    /// Refuses an edit unless the plan is a draft.
    pub fn ensure_editable(self) -> Result<(), PlanError> {
        if self.accepts_edits() { Ok(()) } else { Err(PlanError::NotEditable { status: self }) }
    }
}

text_enum!(
    /// What can happen to a plan in its lifecycle.
    PlanAction, "plan action", {
        /// The employee hands the draft to the rater.
        Submit => "submitted",
        /// The rater agrees to the plan.
        Approve => "approved",
        /// The rater sends a submitted plan back with a comment.
        Return => "returned",
        /// The rater opens an approved plan for changes again, with a reason.
        Reopen => "reopened",
        /// The year's evaluation is final.
        Finalise => "finalised",
    }
);

impl PlanStatus {
    /// The status after `action`, or why the action is not allowed now.
    pub fn after(self, action: PlanAction) -> Result<PlanStatus, PlanError> {
        use PlanAction::*;
        use PlanStatus::*;
        match (self, action) {
            (Draft, Submit) => Ok(Submitted),
            (Submitted, Approve) => Ok(Approved),
            (Submitted, Return) | (Approved, Reopen) => Ok(Draft),
            (Approved, Finalise) => Ok(Finalised),
            (status, action) => Err(PlanError::Transition { status, action }),
        }
    }

    /// Refuses a realisation unless the plan is approved.
    pub fn ensure_realisable(self) -> Result<(), PlanError> {
        if self == PlanStatus::Approved { Ok(()) } else { Err(PlanError::NotRealisable { status: self }) }
    }
}

text_enum!(
    /// Section of a work result within the plan.
    WorkResultSection, "work result section", { Utama => "utama", Tambahan => "tambahan" }
);

text_enum!(
    /// The aspect of a work result that an indicator measures.
    Aspect, "indicator aspect", {
        Kuantitas => "kuantitas",
        Kualitas => "kualitas",
        Waktu => "waktu",
        Biaya => "biaya",
    }
);

text_enum!(
    /// How an indicator's periodic realisations add up to the year's.
    Accumulation, "accumulation", {
        /// Realisations add up (documents produced, visits served).
        Sum => "sum",
        /// The latest period's value stands (a percentage reached, a status).
        Latest => "latest",
        /// The periods are averaged (a mean response time, a satisfaction index).
        Mean => "mean",
    }
);

/// The yearly plan of one employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub year: i32,
    pub approach: Approach,
    pub status: PlanStatus,
}

impl Plan {
    /// A new draft plan for `year`.
    pub fn new(year: i32, approach: Approach) -> Result<Self, PlanError> {
        if !YEAR_RANGE.contains(&year) {
            return Err(PlanError::Year(year));
        }
        Ok(Self { year, approach, status: PlanStatus::Draft })
    }

    pub fn ensure_period_in_year(&self, period: Period) -> Result<(), PlanError> {
        if period.year() == self.year { Ok(()) } else { Err(PlanError::PeriodOutsideYear { period, year: self.year }) }
    }
}

/// What a person can do about a plan that accepts no edits in its status.
fn not_editable_remedy(status: PlanStatus) -> &'static str {
    if status == PlanStatus::Finalised {
        "its year is final and changes only through an objection"
    } else {
        "it accepts no changes until the rater reopens it"
    }
}

/// Checks a rater's decision against the proposal: a different rating needs a written reason.
pub fn check_override(
    proposed: (crate::RatingLevel, crate::RatingLevel),
    decided: (crate::RatingLevel, crate::RatingLevel),
    reason: Option<&str>,
) -> Result<(), PlanError> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    if proposed != decided && !has_reason {
        return Err(PlanError::OverrideWithoutReason {
            proposal: format!("hasil kerja {}, perilaku {}", proposed.0, proposed.1),
        });
    }
    Ok(())
}

/// Checks that an objection filed on `filed_on` is within `window_days` of the result becoming final.
pub fn check_objection_window(
    final_on: chrono::NaiveDate,
    filed_on: chrono::NaiveDate,
    window_days: u32,
) -> Result<(), PlanError> {
    let closed_on = final_on + chrono::Days::new(u64::from(window_days));
    if filed_on > closed_on { Err(PlanError::ObjectionWindowClosed { closed_on, window_days }) } else { Ok(()) }
}

/// The two plans on either side of a cascade link, as the check needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CascadeEnds<Id> {
    pub child_year: i32,
    /// The rater of the child plan's owner, if one is set.
    pub child_rater: Option<Id>,
    pub parent_year: i32,
    pub parent_owner: Id,
}

/// Checks that a subordinate's work result may intervene a work result of another plan: the same year,
/// and the plan of the subordinate's own rater. Because a rater chain has no cycles, neither do links.
pub fn check_cascade<Id: PartialEq>(ends: &CascadeEnds<Id>) -> Result<(), PlanError> {
    if ends.child_year != ends.parent_year {
        return Err(PlanError::CascadeYear { child_year: ends.child_year, parent_year: ends.parent_year });
    }
    if ends.child_rater.as_ref() != Some(&ends.parent_owner) {
        return Err(PlanError::CascadeNotRater);
    }
    Ok(())
}

/// A planned work result (RHK).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkResult {
    pub description: String,
    pub section: WorkResultSection,
    /// The perspective of a JPT's work result (e.g. "Penerima Layanan").
    pub perspective: Option<String>,
}

impl WorkResult {
    pub fn new(
        description: impl Into<String>,
        section: WorkResultSection,
        perspective: Option<String>,
    ) -> Result<Self, PlanError> {
        let description = free_text(&description.into(), "work result description")?;
        let perspective = perspective.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
        Ok(Self { description, section, perspective })
    }
}

/// An indicator's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "UncheckedTarget")]
pub enum Target {
    /// Higher is better: reach at least this value.
    AtLeast { value: Decimal },
    /// Lower is better: stay at or below this value (a response time, a complaint count).
    AtMost { value: Decimal },
    /// Within a range, bounds included.
    Between { low: Decimal, high: Decimal },
}

/// A target as written in a file, checked by [`Target`]'s constructors when converted.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum UncheckedTarget {
    AtLeast { value: Decimal },
    AtMost { value: Decimal },
    Between { low: Decimal, high: Decimal },
}

impl TryFrom<UncheckedTarget> for Target {
    type Error = PlanError;
    fn try_from(target: UncheckedTarget) -> Result<Self, Self::Error> {
        match target {
            UncheckedTarget::AtLeast { value } => Target::at_least(value),
            UncheckedTarget::AtMost { value } => Target::at_most(value),
            UncheckedTarget::Between { low, high } => Target::between(low, high),
        }
    }
}

impl Target {
    pub fn at_least(value: Decimal) -> Result<Self, PlanError> {
        if value <= Decimal::ZERO {
            return Err(PlanError::TargetValue { which: "value", requirement: "greater than zero", value });
        }
        Ok(Target::AtLeast { value })
    }

    /// Greater than zero: the achievement is measured against it (2 − realised ÷ target), so a limit of
    /// zero could score nothing realised above it.
    pub fn at_most(value: Decimal) -> Result<Self, PlanError> {
        if value <= Decimal::ZERO {
            return Err(PlanError::TargetValue {
                which: "value",
                requirement: "greater than zero (achievement is measured against it; for \"none at all\" write the \
                              smallest count still acceptable)",
                value,
            });
        }
        Ok(Target::AtMost { value })
    }

    pub fn between(low: Decimal, high: Decimal) -> Result<Self, PlanError> {
        if low < Decimal::ZERO {
            return Err(PlanError::TargetValue { which: "lower bound", requirement: "zero or more", value: low });
        }
        if low > high {
            return Err(PlanError::TargetRange { low, high });
        }
        if high.is_zero() {
            // Above the range achievement is measured against its upper bound, as for an at-most target.
            return Err(PlanError::TargetValue { which: "upper bound", requirement: "greater than zero", value: high });
        }
        Ok(Target::Between { low, high })
    }

    /// Storage form: a kind name and up to two bounds.
    pub fn kind_name(self) -> &'static str {
        match self {
            Target::AtLeast { .. } => "at_least",
            Target::AtMost { .. } => "at_most",
            Target::Between { .. } => "between",
        }
    }

    /// The lower and upper bounds (both the single value for one-sided targets).
    pub fn bounds(self) -> (Decimal, Decimal) {
        match self {
            Target::AtLeast { value } | Target::AtMost { value } => (value, value),
            Target::Between { low, high } => (low, high),
        }
    }

    /// Rebuilds a target from its storage form, validating it.
    pub fn from_parts(kind: &str, low: Decimal, high: Decimal) -> Result<Self, PlanError> {
        match kind {
            "at_least" => Self::at_least(low),
            "at_most" => Self::at_most(low),
            "between" => Self::between(low, high),
            other => Err(PlanError::UnknownValue { what: "target kind", text: other.to_owned() }),
        }
    }
}

/// An individual performance indicator (IKI) of a work result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub description: String,
    pub aspect: Aspect,
    pub target: Target,
    /// Unit of measure of the target and realisations ("dokumen", "%", "jam").
    pub unit_of_measure: String,
    pub accumulation: Accumulation,
}

impl Indicator {
    pub fn new(
        description: impl Into<String>,
        aspect: Aspect,
        target: Target,
        unit_of_measure: impl Into<String>,
        accumulation: Accumulation,
    ) -> Result<Self, PlanError> {
        Ok(Self {
            description: free_text(&description.into(), "indicator description")?,
            aspect,
            target,
            unit_of_measure: free_text(&unit_of_measure.into(), "unit of measure")?,
            accumulation,
        })
    }
}

/// Evidence (bukti dukung) for a realisation: a note, a link to a document or record, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub note: Option<String>,
    pub link: Option<String>,
}

impl Evidence {
    pub fn new(note: Option<String>, link: Option<String>) -> Result<Self, PlanError> {
        let note = optional_free_text(note.as_deref(), "evidence note")?;
        let link = optional_free_text(link.as_deref(), "evidence link")?;
        if let Some(link) = &link
            && !(link.starts_with("https://") || link.starts_with("http://"))
        {
            return Err(PlanError::EvidenceLink(link.clone()));
        }
        if note.is_none() && link.is_none() {
            return Err(PlanError::MissingEvidence);
        }
        Ok(Self { note, link })
    }
}

/// What an employee achieved on one indicator in one period, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Realisation {
    pub period: Period,
    pub value: Decimal,
    pub evidence: Evidence,
}

impl Realisation {
    pub fn new(period: Period, value: Decimal, evidence: Evidence) -> Result<Self, PlanError> {
        if value < Decimal::ZERO {
            return Err(PlanError::NegativeRealisation(value));
        }
        Ok(Self { period, value, evidence })
    }
}

/// The most characters a free-text field keeps: about two pages, ample for a description, a note, a
/// comment or a reason, and small enough that no one field can bloat the records or a response.
pub const MAX_TEXT_CHARS: usize = 4_000;

/// A required free text, trimmed: refused when blank or longer than [`MAX_TEXT_CHARS`].
pub fn free_text(text: &str, what: &'static str) -> Result<String, PlanError> {
    optional_free_text(Some(text), what)?.ok_or(PlanError::Blank { what })
}

/// An optional free text, trimmed; blank is none. Refused when longer than [`MAX_TEXT_CHARS`].
pub fn optional_free_text(text: Option<&str>, what: &'static str) -> Result<Option<String>, PlanError> {
    let Some(trimmed) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let chars = trimmed.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(PlanError::TooLong { what, chars, limit: MAX_TEXT_CHARS });
    }
    Ok(Some(trimmed.to_owned()))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn free_text_is_trimmed_required_and_bounded() {
        assert_eq!(free_text("  Laporan  ", "note"), Ok("Laporan".to_owned()));
        assert_eq!(free_text("   ", "note"), Err(PlanError::Blank { what: "note" }));
        assert_eq!(optional_free_text(Some(" "), "note"), Ok(None));
        let longest = "é".repeat(MAX_TEXT_CHARS);
        assert_eq!(free_text(&longest, "note").map(|t| t.chars().count()), Ok(MAX_TEXT_CHARS), "characters, not bytes");
        let error = free_text(&format!("{longest}x"), "feedback text").unwrap_err().to_string();
        assert_eq!(error, "feedback text is 4001 characters long; at most 4000 are allowed");
    }

    #[test]
    fn plan_years_are_bounded() {
        assert!(Plan::new(2026, Approach::Kuantitatif).is_ok());
        assert_eq!(Plan::new(1999, Approach::Kuantitatif), Err(PlanError::Year(1999)));
        assert_eq!(Plan::new(2026, Approach::Kualitatif).unwrap().status, PlanStatus::Draft);
    }

    #[test]
    fn only_drafts_accept_edits() {
        assert!(PlanStatus::Draft.ensure_editable().is_ok());
        let error = PlanStatus::Approved.ensure_editable().unwrap_err();
        assert_eq!(error.to_string(), "plan is approved; it accepts no changes until the rater reopens it");
        // A final plan cannot be reopened, so the message points to the objection instead.
        let error = PlanStatus::Finalised.ensure_editable().unwrap_err();
        assert_eq!(error.to_string(), "plan is finalised; its year is final and changes only through an objection");
    }

    #[test]
    fn the_lifecycle_allows_only_its_transitions() {
        use PlanAction::*;
        use PlanStatus::*;
        assert_eq!(Draft.after(Submit), Ok(Submitted));
        assert_eq!(Submitted.after(Approve), Ok(Approved));
        assert_eq!(Submitted.after(Return), Ok(Draft));
        assert_eq!(Approved.after(Reopen), Ok(Draft));
        assert_eq!(Approved.after(Finalise), Ok(Finalised));
        let error = Draft.after(Approve).unwrap_err();
        assert_eq!(error.to_string(), "a draft plan cannot be approved");
        assert!(Finalised.after(Reopen).is_err(), "only an objection changes a final result");
        assert!(Approved.ensure_realisable().is_ok());
        assert_eq!(
            Draft.ensure_realisable().unwrap_err().to_string(),
            "plan is draft; realisations are recorded on approved plans"
        );
    }

    #[test]
    fn an_override_needs_a_reason_and_objections_a_window() {
        use crate::RatingLevel::*;
        assert!(check_override((AsExpected, AsExpected), (AsExpected, AsExpected), None).is_ok());
        let error = check_override((AsExpected, AsExpected), (AboveExpectation, AsExpected), Some(" ")).unwrap_err();
        assert!(error.to_string().contains("an override needs a reason"), "{error}");
        assert!(
            check_override((AsExpected, AsExpected), (AboveExpectation, AsExpected), Some("Inovasi layanan")).is_ok()
        );
        let final_on = chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        assert!(check_objection_window(final_on, chrono::NaiveDate::from_ymd_opt(2027, 1, 24).unwrap(), 14).is_ok());
        let late =
            check_objection_window(final_on, chrono::NaiveDate::from_ymd_opt(2027, 1, 25).unwrap(), 14).unwrap_err();
        assert_eq!(late.to_string(), "the objection window closed on 2027-01-24 (14 days after the result was final)");
    }

    #[test]
    fn periods_must_fall_in_the_plan_year() {
        let plan = Plan::new(2026, Approach::Kuantitatif).unwrap();
        assert!(plan.ensure_period_in_year(Period::Quarter(2026, 2)).is_ok());
        assert!(matches!(
            plan.ensure_period_in_year(Period::Quarter(2025, 2)),
            Err(PlanError::PeriodOutsideYear { year: 2026, .. })
        ));
    }

    #[test]
    fn cascade_requires_same_year_and_the_raters_plan() {
        let ok = CascadeEnds { child_year: 2026, child_rater: Some(7), parent_year: 2026, parent_owner: 7 };
        assert!(check_cascade(&ok).is_ok());
        let other_year = CascadeEnds { parent_year: 2025, ..ok };
        assert_eq!(check_cascade(&other_year), Err(PlanError::CascadeYear { child_year: 2026, parent_year: 2025 }));
        let stranger = CascadeEnds { parent_owner: 8, ..ok };
        assert_eq!(check_cascade(&stranger), Err(PlanError::CascadeNotRater));
        let no_rater = CascadeEnds { child_rater: None, ..ok };
        assert_eq!(check_cascade(&no_rater), Err(PlanError::CascadeNotRater));
    }

    #[test]
    fn targets_are_validated() {
        assert!(Target::at_least(dec!(12)).is_ok());
        assert!(matches!(Target::at_least(dec!(0)), Err(PlanError::TargetValue { .. })));
        assert!(Target::at_most(dec!(1)).is_ok());
        assert!(matches!(Target::at_most(dec!(0)), Err(PlanError::TargetValue { .. })));
        assert!(matches!(Target::between(dec!(0), dec!(0)), Err(PlanError::TargetValue { .. })));
        assert!(matches!(Target::at_most(dec!(-1)), Err(PlanError::TargetValue { .. })));
        assert_eq!(Target::between(dec!(90), dec!(80)), Err(PlanError::TargetRange { low: dec!(90), high: dec!(80) }));
        let range = Target::between(dec!(80), dec!(100)).unwrap();
        let (low, high) = range.bounds();
        assert_eq!(Target::from_parts(range.kind_name(), low, high).unwrap(), range);
        assert!(Target::from_parts("about", low, high).is_err());
    }

    #[test]
    fn evidence_needs_a_note_or_a_valid_link() {
        assert_eq!(Evidence::new(Some("  ".into()), None), Err(PlanError::MissingEvidence));
        assert_eq!(Evidence::new(None, Some("ftp://x".into())), Err(PlanError::EvidenceLink("ftp://x".into())));
        let evidence = Evidence::new(Some(" Laporan ".into()), Some("https://dokumen.example/1".into())).unwrap();
        assert_eq!(evidence.note.as_deref(), Some("Laporan"));
    }

    #[test]
    fn realisations_are_not_negative() {
        let evidence = Evidence::new(Some("Rekap".into()), None).unwrap();
        assert!(Realisation::new(Period::Quarter(2026, 1), dec!(0), evidence.clone()).is_ok());
        assert_eq!(
            Realisation::new(Period::Quarter(2026, 1), dec!(-2), evidence),
            Err(PlanError::NegativeRealisation(dec!(-2)))
        );
    }

    #[test]
    fn text_enums_round_trip() {
        for aspect in Aspect::ALL {
            assert_eq!(aspect.as_str().parse::<Aspect>().unwrap(), *aspect);
        }
        assert_eq!(
            "lainnya".parse::<Aspect>(),
            Err(PlanError::UnknownValue { what: "indicator aspect", text: "lainnya".into() })
        );
        assert!(
            Indicator::new("x", Aspect::Waktu, Target::at_most(dec!(24)).unwrap(), " ", Accumulation::Mean).is_err()
        );
    }
}
