//! Activity feeds: records from operational systems, validated as a whole batch, and the realisations
//! derived from them by the indicators' mapping rules.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Utc};
use kinerja_domain::{
    ActivityKind, Aggregation, AttributeValue, Capability, Evidence, Nip, Period, PlanStatus, Realisation,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::convert::{normalise, realisation_model};
use crate::entity::{activity_mapping, activity_record, employee, indicator, plan, realisation, work_result};
use crate::error::{StoreError, StoreResult};
use crate::records::*;
use crate::workflow::{Actor, audit};

/// Records per multi-row insert (7 columns, far under every bind-parameter limit).
const RECORDS_PER_STATEMENT: usize = 1_000;
/// At most this many problems are listed when a batch is refused.
const MAX_REPORTED_PROBLEMS: usize = 50;

/// One record as an operational system sends it; `line` numbers it within its batch for messages.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub line: usize,
    pub kind: String,
    pub external_id: String,
    pub nip: String,
    pub occurred_at: DateTime<Utc>,
    pub attributes: BTreeMap<String, AttributeValue>,
}

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    pub accepted: usize,
    /// Realisations created or updated from the batch's records.
    pub realisations: Vec<RealisationRecord>,
    /// Indicators left as they were, with the reason (e.g. a manual realisation for the period).
    pub skipped: Vec<String>,
}

fn corrupt(table: &'static str, id: Uuid, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { table, id: id.to_string(), reason: reason.to_string() }
}

fn mapping_record(row: activity_mapping::Model) -> StoreResult<ActivityMappingRecord> {
    let aggregation = Aggregation::from_parts(&row.method, row.field.as_deref(), row.limit.map(normalise))
        .map_err(|e| corrupt("activity_mappings", row.id, e))?;
    Ok(ActivityMappingRecord {
        id: row.id,
        activity_kind: ActivityKind::parse(&row.activity_kind).map_err(|e| corrupt("activity_mappings", row.id, e))?,
        indicator_id: row.indicator_id,
        aggregation,
        created_by: row.created_by,
        created_at: row.created_at,
    })
}

fn activity_record(row: activity_record::Model) -> StoreResult<ActivityRecord> {
    Ok(ActivityRecord {
        id: row.id,
        kind: ActivityKind::parse(&row.kind).map_err(|e| corrupt("activity_records", row.id, e))?,
        external_id: row.external_id,
        employee_id: row.employee_id,
        occurred_at: row.occurred_at,
        attributes: serde_json::from_str(&row.attributes).map_err(|e| corrupt("activity_records", row.id, e))?,
        received_at: row.received_at,
    })
}

/// The quarter holding an instant: the period derived realisations are counted in.
fn quarter_of(instant: DateTime<Utc>) -> Period {
    Period::Quarter(instant.year(), u8::try_from(instant.month0() / 3 + 1).unwrap_or(1))
}

impl Store {
    /// Says how one activity kind feeds an indicator (owner or rater of the indicator's plan); replaces an
    /// earlier rule for the same kind and indicator.
    pub async fn set_activity_mapping(
        &self,
        actor: &Actor,
        indicator_id: Uuid,
        kind: ActivityKind,
        aggregation: Aggregation,
    ) -> StoreResult<ActivityMappingRecord> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let (_, _, plan_row) = crate::plans::indicator_chain(&txn, indicator_id).await?;
        crate::workflow::ensure_owner_or_rater_to(actor, &plan_row, "maps activities to its indicators")?;
        activity_mapping::Entity::delete_many()
            .filter(activity_mapping::Column::IndicatorId.eq(indicator_id))
            .filter(activity_mapping::Column::ActivityKind.eq(kind.as_str()))
            .exec(&txn)
            .await?;
        let limit = match &aggregation {
            Aggregation::ShareWithin(_, limit) => Some(*limit),
            _ => None,
        };
        let model = activity_mapping::Model {
            id: new_record_id(),
            activity_kind: kind.to_string(),
            indicator_id,
            method: aggregation.method().to_owned(),
            field: aggregation.field().map(ToString::to_string),
            limit,
            created_by: Some(actor.employee_id),
            created_at: Utc::now(),
        };
        activity_mapping::Entity::insert(model.clone().into_active_model()).exec_without_returning(&txn).await?;
        audit(&txn, Some(actor), "activity_mapping.set", "indicator", indicator_id, None, Some(json!({ "kind": model.activity_kind, "method": model.method, "field": model.field, "limit": limit.map(|l| l.to_string()) }))).await?;
        txn.commit().await?;
        mapping_record(model)
    }

    /// Stops an activity kind from feeding an indicator; realisations already derived stay.
    pub async fn remove_activity_mapping(
        &self,
        actor: &Actor,
        indicator_id: Uuid,
        kind: &ActivityKind,
    ) -> StoreResult<()> {
        Store::require(actor, Capability::EditPlans)?;
        let txn = self.write_txn().await?;
        let (_, _, plan_row) = crate::plans::indicator_chain(&txn, indicator_id).await?;
        crate::workflow::ensure_owner_or_rater_to(actor, &plan_row, "maps activities to its indicators")?;
        let removed = activity_mapping::Entity::delete_many()
            .filter(activity_mapping::Column::IndicatorId.eq(indicator_id))
            .filter(activity_mapping::Column::ActivityKind.eq(kind.as_str()))
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(StoreError::not_found("activity mapping", format!("{kind} → {indicator_id}")));
        }
        audit(
            &txn,
            Some(actor),
            "activity_mapping.removed",
            "indicator",
            indicator_id,
            Some(json!({ "kind": kind.as_str() })),
            None,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn activity_mappings_of_indicators(
        &self,
        indicator_ids: &[Uuid],
    ) -> StoreResult<Vec<ActivityMappingRecord>> {
        let rows = activity_mapping::Entity::find()
            .filter(activity_mapping::Column::IndicatorId.is_in(indicator_ids.iter().copied()))
            .within(activity_mapping::Column::IndicatorId, self.scope.indicator_ids())
            .all(&self.db)
            .await?;
        rows.into_iter().map(mapping_record).collect()
    }

    /// The activity records a derived realisation was computed from.
    pub async fn activity_records_of_realisation(
        &self,
        realisation: &RealisationRecord,
        employee_id: Uuid,
    ) -> StoreResult<Vec<ActivityRecord>> {
        let Some(kind) = realisation.source.strip_prefix("activity:") else { return Ok(Vec::new()) };
        let period = realisation.realisation.period;
        let start = period.start().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let end = period.end().succ_opt().expect("a next day").and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let rows = activity_record::Entity::find()
            .filter(activity_record::Column::EmployeeId.eq(employee_id))
            .visible_employees(&self.scope, activity_record::Column::EmployeeId)
            .filter(activity_record::Column::Kind.eq(kind))
            .filter(activity_record::Column::OccurredAt.gte(start))
            .filter(activity_record::Column::OccurredAt.lt(end))
            .order_by_asc(activity_record::Column::OccurredAt)
            .all(&self.db)
            .await?;
        rows.into_iter().map(activity_record).collect()
    }

    /// Takes a batch of activity records: all of them or, when any is invalid, none (the error lists each
    /// bad line and why). Realisations of mapped indicators are then recomputed for the quarters touched.
    pub async fn ingest_activities(
        &self,
        actor: Option<&Actor>,
        batch: Vec<NewActivity>,
    ) -> StoreResult<IngestSummary> {
        if !self.scope.permits(Capability::ManageIntegrations) {
            return Err(StoreError::Forbidden {
                reason: "feeding activity records needs the hr-admin role".to_owned(),
            });
        }
        let txn = self.write_txn().await?;
        let mut problems = Vec::new();
        let nips: HashSet<String> = batch.iter().map(|r| r.nip.clone()).collect();
        let employees: HashMap<String, Uuid> = employee::Entity::find()
            .filter(employee::Column::Nip.is_in(nips.iter().cloned()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| (e.nip, e.id))
            .collect();
        let mut seen = HashSet::new();
        let mut rows = Vec::with_capacity(batch.len());
        let now = Utc::now();
        for record in &batch {
            let mut problem = |reason: String| problems.push(format!("line {}: {reason}", record.line));
            let kind = match ActivityKind::parse(&record.kind) {
                Ok(kind) => kind,
                Err(error) => {
                    problem(error.to_string());
                    continue;
                }
            };
            if let Err(error) = Nip::parse(&record.nip) {
                problem(format!("nip: {error}"));
                continue;
            }
            let Some(employee_id) = employees.get(&record.nip) else {
                problem(format!("nip: no employee has NIP {}", record.nip));
                continue;
            };
            if record.external_id.trim().is_empty() {
                problem("external_id must not be empty".into());
                continue;
            }
            if !seen.insert((kind.to_string(), record.external_id.clone())) {
                problem(format!("{kind} record '{}' appears twice in the batch", record.external_id));
                continue;
            }
            rows.push(activity_record::Model {
                id: new_record_id(),
                kind: kind.to_string(),
                external_id: record.external_id.clone(),
                employee_id: *employee_id,
                occurred_at: record.occurred_at,
                attributes: serde_json::to_string(&record.attributes)
                    .map_err(|e| StoreError::FailedPrecondition(e.to_string()))?,
                received_at: now,
            });
        }
        // Records already received (a resend) are refused too, naming their lines.
        for chunk in rows.chunks(RECORDS_PER_STATEMENT) {
            let ids: Vec<String> = chunk.iter().map(|r| r.external_id.clone()).collect();
            let existing = activity_record::Entity::find()
                .filter(activity_record::Column::ExternalId.is_in(ids))
                .all(&txn)
                .await?;
            for old in existing {
                if let Some(record) = batch.iter().find(|r| r.kind == old.kind && r.external_id == old.external_id) {
                    problems.push(format!(
                        "line {}: {} record '{}' was already received",
                        record.line, old.kind, old.external_id
                    ));
                }
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| {
                p.split(':').next().and_then(|l| l.trim_start_matches("line ").parse::<usize>().ok()).unwrap_or(0)
            });
            problems.truncate(MAX_REPORTED_PROBLEMS);
            return Err(StoreError::InvalidBatch(problems));
        }
        for chunk in rows.chunks(RECORDS_PER_STATEMENT) {
            let models: Vec<activity_record::ActiveModel> =
                chunk.iter().cloned().map(IntoActiveModel::into_active_model).collect();
            activity_record::Entity::insert_many(models).exec_without_returning(&txn).await?;
        }
        let mut touched: HashSet<(Uuid, String, Period)> = HashSet::new();
        for row in &rows {
            touched.insert((row.employee_id, row.kind.clone(), quarter_of(row.occurred_at)));
        }
        let mut summary = IngestSummary { accepted: rows.len(), ..IngestSummary::default() };
        for (employee_id, kind, period) in touched {
            derive_realisations(&txn, employee_id, &kind, period, &mut summary).await?;
        }
        audit(
            &txn,
            actor,
            "activities.ingested",
            "activity_batch",
            new_record_id(),
            None,
            Some(json!({ "records": rows.len(), "realisations": summary.realisations.len() })),
        )
        .await?;
        txn.commit().await?;
        Ok(summary)
    }
}

/// Recomputes the realisations that `kind` feeds in the employee's plan for `period`.
async fn derive_realisations(
    txn: &DatabaseTransaction,
    employee_id: Uuid,
    kind: &str,
    period: Period,
    summary: &mut IngestSummary,
) -> StoreResult<()> {
    let Some(plan_row) = plan::Entity::find()
        .filter(plan::Column::EmployeeId.eq(employee_id))
        .filter(plan::Column::Year.eq(period.year()))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let result_ids: Vec<Uuid> = work_result::Entity::find()
        .filter(work_result::Column::PlanId.eq(plan_row.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let indicator_ids: Vec<Uuid> = indicator::Entity::find()
        .filter(indicator::Column::WorkResultId.is_in(result_ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let mappings = activity_mapping::Entity::find()
        .filter(activity_mapping::Column::ActivityKind.eq(kind))
        .filter(activity_mapping::Column::IndicatorId.is_in(indicator_ids))
        .all(txn)
        .await?;
    if mappings.is_empty() {
        return Ok(());
    }
    let status: PlanStatus = plan_row.status.parse().map_err(StoreError::invalid)?;
    if status == PlanStatus::Finalised {
        summary.skipped.push(format!(
            "plan {} is final; {kind} records for {period} were kept but change no realisation",
            plan_row.id
        ));
        return Ok(());
    }
    let start = period.start().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let end = period.end().succ_opt().expect("a next day").and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let records: Vec<BTreeMap<String, AttributeValue>> = activity_record::Entity::find()
        .filter(activity_record::Column::EmployeeId.eq(employee_id))
        .filter(activity_record::Column::Kind.eq(kind))
        .filter(activity_record::Column::OccurredAt.gte(start))
        .filter(activity_record::Column::OccurredAt.lt(end))
        .all(txn)
        .await?
        .into_iter()
        .map(|row| serde_json::from_str(&row.attributes).map_err(|e| corrupt("activity_records", row.id, e)))
        .collect::<StoreResult<_>>()?;
    let refs: Vec<&BTreeMap<String, AttributeValue>> = records.iter().collect();
    let source = format!("activity:{kind}");
    for mapping in mappings {
        let mapping = mapping_record(mapping)?;
        // A record without the mapped field makes the batch invalid as a whole.
        let Some(value) = mapping
            .aggregation
            .apply(&refs)
            .map_err(|e| StoreError::InvalidBatch(vec![format!("{kind} for {period}: {e}")]))?
        else {
            continue;
        };
        let note = format!(
            "Dihitung dari {} catatan {kind} ({} {}) triwulan {period}",
            refs.len(),
            mapping.aggregation.method(),
            mapping.aggregation.field().map(ToString::to_string).unwrap_or_default()
        );
        let evidence = Evidence::new(Some(note), None).map_err(StoreError::invalid)?;
        let realisation = Realisation::new(period, value, evidence).map_err(StoreError::invalid)?;
        let existing = realisation::Entity::find()
            .filter(realisation::Column::IndicatorId.eq(mapping.indicator_id))
            .filter(realisation::Column::Period.eq(period.to_string()))
            .one(txn)
            .await?;
        match existing {
            Some(before) if before.source != source => {
                summary.skipped.push(format!(
                    "indicator {} has a {} realisation for {period}; the activity value {value} was not applied",
                    mapping.indicator_id, before.source
                ));
            }
            Some(before) => {
                crate::workflow::keep_in_history(txn, &before, None).await?;
                realisation::Entity::update_many()
                    .col_expr(realisation::Column::Value, Expr::value(realisation.value))
                    .col_expr(realisation::Column::EvidenceNote, Expr::value(realisation.evidence.note.clone()))
                    .col_expr(realisation::Column::RecordedAt, Expr::value(Utc::now()))
                    .col_expr(realisation::Column::Version, Expr::col(realisation::Column::Version).add(1))
                    .filter(realisation::Column::Id.eq(before.id))
                    .exec(txn)
                    .await?;
                let after = realisation::Entity::find_by_id(before.id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("realisation", before.id))?;
                summary.realisations.push(RealisationRecord::try_from(after)?);
            }
            None => {
                let record = RealisationRecord {
                    id: new_record_id(),
                    indicator_id: mapping.indicator_id,
                    realisation,
                    source: source.clone(),
                    recorded_at: Utc::now(),
                    version: 1,
                };
                sea_orm::ActiveModelTrait::insert(realisation_model(&record).into_active_model(), txn).await?;
                summary.realisations.push(record);
            }
        }
    }
    Ok(())
}
