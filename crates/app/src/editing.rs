//! Shaping and keeping a plan through the year: the lifecycle, work results and indicators, corrections,
//! feedback, activity feeds and the training needs that follow the year. The store applies the lifecycle
//! and the relation of the actor to the record in the same transaction as the write; what only the
//! calendar can tell is checked here.

use kinerja_domain::{ActivityKind, Aggregation, Evidence, FeedbackNote, Indicator, PlanAction, UnitCode, WorkResult};
use kinerja_scoring::RulePacks;
use kinerja_store::records::{
    ActivityMappingRecord, FeedbackRecord, IndicatorRecord, PlanRecord, RealisationRecord, WorkResultRecord,
};
use kinerja_store::{
    Actor, FeedbackSubject, IngestSummary, NeedChange, NeedSummary, NewActivity, Store, StoreError, TrainingNeedRecord,
};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{AppResult, pack_for};

/// Moves a plan through its lifecycle: the owner submits; the rater approves, returns (with a comment)
/// or reopens (with a reason).
pub async fn change_plan_status(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    expected_version: i32,
    action: PlanAction,
    comment: Option<String>,
) -> AppResult<PlanRecord> {
    Ok(store.change_plan_status(actor, plan_id, expected_version, action, comment).await?)
}

/// Adds a work result (RHK) to a draft plan, optionally intervening one of the rater's plan.
pub async fn add_work_result(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    expected_version: i32,
    code: &str,
    work_result: WorkResult,
    parent_id: Option<Uuid>,
) -> AppResult<WorkResultRecord> {
    Ok(store.add_work_result_as(actor, plan_id, expected_version, code.trim(), work_result, parent_id).await?)
}

pub async fn update_work_result(
    store: &Store,
    actor: &Actor,
    work_result_id: Uuid,
    expected_version: i32,
    work_result: WorkResult,
) -> AppResult<WorkResultRecord> {
    Ok(store.update_work_result(actor, work_result_id, expected_version, work_result).await?)
}

pub async fn remove_work_result(
    store: &Store,
    actor: &Actor,
    work_result_id: Uuid,
    expected_version: i32,
) -> AppResult<PlanRecord> {
    Ok(store.remove_work_result(actor, work_result_id, expected_version).await?)
}

/// Adds an indicator (IKI) with its target to a work result of a draft plan.
pub async fn add_indicator(
    store: &Store,
    actor: &Actor,
    work_result_id: Uuid,
    expected_version: i32,
    code: &str,
    indicator: Indicator,
) -> AppResult<IndicatorRecord> {
    Ok(store.add_indicator_as(actor, work_result_id, expected_version, code.trim(), indicator).await?)
}

pub async fn update_indicator(
    store: &Store,
    actor: &Actor,
    indicator_id: Uuid,
    expected_version: i32,
    indicator: Indicator,
) -> AppResult<IndicatorRecord> {
    Ok(store.update_indicator(actor, indicator_id, expected_version, indicator).await?)
}

/// Removes an indicator from a draft plan (after `reopenPlan`, with its realisations, audited).
pub async fn remove_indicator(
    store: &Store,
    actor: &Actor,
    indicator_id: Uuid,
    expected_version: i32,
) -> AppResult<PlanRecord> {
    Ok(store.remove_indicator(actor, indicator_id, expected_version).await?)
}

/// The owner or rater corrects a realisation; the replaced value stays in its history.
pub async fn correct_realisation(
    store: &Store,
    actor: &Actor,
    realisation_id: Uuid,
    expected_version: i32,
    value: Decimal,
    evidence: Evidence,
) -> AppResult<RealisationRecord> {
    Ok(store.correct_realisation(actor, realisation_id, expected_version, value, evidence).await?)
}

/// Praise or a suggestion on a plan or a part of it, by the rater or a unit head above the employee.
pub async fn give_feedback(
    store: &Store,
    actor: &Actor,
    subject: FeedbackSubject,
    note: FeedbackNote,
) -> AppResult<FeedbackRecord> {
    Ok(store.give_feedback(actor, subject, note).await?)
}

/// Says how an activity kind feeds an indicator's realisations.
pub async fn set_activity_mapping(
    store: &Store,
    actor: &Actor,
    indicator_id: Uuid,
    kind: ActivityKind,
    aggregation: Aggregation,
) -> AppResult<ActivityMappingRecord> {
    Ok(store.set_activity_mapping(actor, indicator_id, kind, aggregation).await?)
}

pub async fn remove_activity_mapping(
    store: &Store,
    actor: &Actor,
    indicator_id: Uuid,
    kind: &ActivityKind,
) -> AppResult<()> {
    Ok(store.remove_activity_mapping(actor, indicator_id, kind).await?)
}

/// Takes a batch of activity records from an operational system, refused whole if any record is bad:
/// among them one that has not happened yet (its realisation would fall in a period not begun).
pub async fn ingest_activities(store: &Store, actor: &Actor, batch: Vec<NewActivity>) -> AppResult<IngestSummary> {
    let now = chrono::Utc::now();
    let future: Vec<String> = batch
        .iter()
        .filter(|record| record.occurred_at > now)
        .map(|record| format!("line {}: occurred_at {} is in the future", record.line, record.occurred_at))
        .collect();
    if !future.is_empty() {
        return Err(StoreError::InvalidBatch(future).into());
    }
    Ok(store.ingest_activities(Some(actor), batch).await?)
}

/// Moves a training need on (planned, completed, closed); the lesson-hours need completes only at the
/// year's minimum under `packs`.
pub async fn change_training_need(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    need_id: Uuid,
    change: NeedChange,
    expected_version: Option<i32>,
) -> AppResult<TrainingNeedRecord> {
    Ok(store.change_training_need(actor, packs, need_id, change, expected_version).await?)
}

/// Derives the training needs of a year again for everyone the caller reaches (within `unit` when
/// given), under the year's rule pack and the development catalogue.
pub async fn derive_training_needs(
    store: &Store,
    packs: &RulePacks,
    actor: Option<&Actor>,
    year: i32,
    unit: Option<&UnitCode>,
) -> AppResult<NeedSummary> {
    let pack = pack_for(packs, year)?;
    let unit = match unit {
        Some(code) => Some(store.unit_by_code(code).await?),
        None => None,
    };
    Ok(store.derive_training_needs(pack, packs.catalogue(), year, unit.as_ref(), actor).await?)
}
