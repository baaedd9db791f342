//! The use cases of kinerja's evaluation year: one function per flow that changes or derives data —
//! planning, realisations, behaviour ratings, decisions, objections, finalisation, the organisation
//! predikat, scoring a year. Each takes the caller's store (scoped to the caller by the adapter), the
//! rule packs, the acting employee and typed input, so that the GraphQL gateway, the command line and
//! import are thin adapters and each rule of the year is applied in one place.
//!
//! This crate knows neither SQL nor HTTP nor GraphQL: it reads and writes through `kinerja-store`,
//! computes through `kinerja-scoring`, and checks what only the year's calendar can tell (a period not
//! yet begun, a date in the future, a year outside the rule packs).

mod editing;
mod evaluation;
mod grants;
mod growth;
mod history;
mod import;
mod planning;
mod professionalism;
mod scoring_run;

pub use editing::{
    add_indicator, add_work_result, change_plan_status, change_training_need, correct_realisation,
    derive_training_needs, give_feedback, ingest_activities, remove_activity_mapping, remove_indicator,
    remove_work_result, set_activity_mapping, update_indicator, update_work_result,
};
pub use evaluation::{
    BehaviourRatingInput, SelfViewInput, decide_objection, decide_ratings, file_objection, finalise_unit, propose,
    rate_behaviour, set_behaviour_expectations, set_organisation_predikat, write_self_assessment,
};
pub use grants::{grant_role, revoke_role};
pub use growth::{
    ActivityInput, GoalInput, answer_behaviour_feedback, earliest_open_year, invite_behaviour_feedback,
    propose_development_goal, record_development_activity, send_appreciation,
};
pub use history::{GrowthPeriod, GrowthYear, ResultBasis, YearResult, growth_across_years, results_across_years};
pub use import::{import_judgements, recorded_result};
pub use planning::{create_plan, ensure_period_begun, ensure_plan_year, record_dialogue, record_realisation};
pub use professionalism::{TalentPlacement, UnitProfessionalism, employee_professionalism, unit_professionalism};
pub use scoring_run::{ScoreSummary, score_year};

use kinerja_scoring::{Regime, RulePack, RulePacks};
use kinerja_store::StoreError;

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The year's rules do not allow it: no rule pack covers the year, or the year falls under a regime
    /// kinerja keeps no plans for.
    #[error("{0}")]
    Rules(String),
    /// An input that cannot be true on the calendar, named by its field.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
}

pub type AppResult<T> = Result<T, AppError>;

/// Today's date, on which periods begin and dialogues are held.
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The rule pack of `year`.
fn pack_for(packs: &RulePacks, year: i32) -> AppResult<&RulePack> {
    packs.for_year(year).map_err(|e| AppError::Rules(e.to_string()))
}

/// The rule pack of a year whose plans kinerja keeps (PermenPANRB 6/2022 on); an earlier regime's year is
/// refused with its regulation named.
fn current_pack(packs: &RulePacks, year: i32) -> AppResult<&RulePack> {
    let pack = pack_for(packs, year)?;
    if pack.regime != Regime::Current {
        return Err(AppError::Rules(format!(
            "{year} falls under {} (rule pack {}); kinerja keeps plans, decisions and scores from PermenPANRB \
             6/2022 on: a result of an earlier year is recorded with the past-results import (and can be \
             computed case by case with `kinerja evaluate`)",
            pack.regulation, pack.id
        )));
    }
    Ok(pack)
}
