//! Planning and the year's record: plans made for years and people they can be made for, realisations
//! for periods that have begun, dialogues that have been held.

use kinerja_domain::{Approach, Nip, Period, Realisation};
use kinerja_scoring::RulePacks;
use kinerja_store::records::{DialogueRecord, PlanRecord, RealisationRecord};
use kinerja_store::{Actor, NewDialogue, Store};
use uuid::Uuid;

use crate::{AppError, AppResult, current_pack, today};

/// Creates an employee's draft plan for `year` (the employee or their rater); see [`ensure_plan_year`].
pub async fn create_plan(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    nip: &Nip,
    year: i32,
    approach: Approach,
) -> AppResult<PlanRecord> {
    ensure_plan_year(packs, nip, year)?;
    Ok(store.create_plan_as(actor, nip, year, approach).await?)
}

/// A plan's year, through the API and by import alike: under the current regime's rule packs, not before
/// the employee's service began, and not past next year.
pub fn ensure_plan_year(packs: &RulePacks, nip: &Nip, year: i32) -> AppResult<()> {
    current_pack(packs, year)?;
    let service_start = nip.service_start();
    if year < chrono::Datelike::year(&service_start) {
        return Err(AppError::Invalid {
            field: "year",
            message: format!("{nip} began service on {service_start} (TMT CPNS in the NIP), so has no plan for {year}"),
        });
    }
    let this_year = chrono::Datelike::year(&today());
    if year > this_year + 1 {
        return Err(AppError::Invalid {
            field: "year",
            message: format!("plans are made for this year or the next ({this_year} or {}), not {year}", this_year + 1),
        });
    }
    Ok(())
}

/// The owner records a realisation of an indicator; its period must have begun.
pub async fn record_realisation(
    store: &Store,
    actor: &Actor,
    indicator_id: Uuid,
    realisation: Realisation,
) -> AppResult<RealisationRecord> {
    ensure_period_begun(realisation.period)?;
    Ok(store.record_realisation_as(actor, indicator_id, realisation).await?)
}

/// Realisations are recorded for periods that have begun, through the API and by import alike.
pub fn ensure_period_begun(period: Period) -> AppResult<()> {
    if period.start() > today() {
        return Err(AppError::Invalid {
            field: "period",
            message: format!(
                "{period} has not begun (it begins on {}); realisations are recorded for periods of the plan year \
                 that have begun",
                period.start()
            ),
        });
    }
    Ok(())
}

/// The owner or rater records a performance dialogue that has been held.
pub async fn record_dialogue(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    dialogue: NewDialogue,
) -> AppResult<DialogueRecord> {
    if dialogue.held_on > today() {
        return Err(AppError::Invalid {
            field: "heldOn",
            message: format!("{} is in the future; a dialogue is recorded once it has been held", dialogue.held_on),
        });
    }
    Ok(store.record_dialogue(actor, plan_id, dialogue).await?)
}
