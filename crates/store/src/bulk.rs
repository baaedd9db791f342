//! Bulk loading: many records in one transaction, written as multi-row statements.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use crate::Store;
use crate::convert::{
    behaviour_model, dialogue_model, employee_model, feedback_model, indicator_model, plan_model, position_model,
    realisation_model, unit_model, work_result_model,
};
use crate::entity::{
    behaviour_rating, dialogue, employee, feedback_note, indicator, plan, position, realisation, unit, work_result,
};
use crate::error::{StoreError, StoreResult};
use crate::org::child_path;
use crate::records::*;
use crate::seed::Seeder;

/// Bind parameters per statement, under both SQLite's (32,766) and PostgreSQL's (65,535) limits.
const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// Records to write together. Ids are chosen by the caller; parents must come before their children
/// (in the same batch or an earlier one).
#[derive(Debug, Default)]
pub struct Batch {
    pub units: Vec<UnitRecord>,
    pub positions: Vec<PositionRecord>,
    pub employees: Vec<EmployeeRecord>,
    pub plans: Vec<PlanRecord>,
    pub work_results: Vec<WorkResultRecord>,
    pub indicators: Vec<IndicatorRecord>,
    pub realisations: Vec<RealisationRecord>,
    pub feedback: Vec<FeedbackRecord>,
    pub behaviour_ratings: Vec<BehaviourRatingRecord>,
    pub dialogues: Vec<DialogueRecord>,
}

impl Batch {
    /// How many rows the batch holds.
    pub fn len(&self) -> usize {
        self.units.len()
            + self.positions.len()
            + self.employees.len()
            + self.plans.len()
            + self.work_results.len()
            + self.indicators.len()
            + self.realisations.len()
            + self.feedback.len()
            + self.behaviour_ratings.len()
            + self.dialogues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

async fn insert_chunked<E, M>(txn: &DatabaseTransaction, models: Vec<M>, columns: usize) -> StoreResult<()>
where
    E: EntityTrait<Model = M>,
    M: IntoActiveModel<E::ActiveModel> + sea_orm::ModelTrait<Entity = E>,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let rows_per_statement = (PARAMETERS_PER_STATEMENT / columns).max(1);
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<E::ActiveModel> =
            models.by_ref().take(rows_per_statement).map(IntoActiveModel::into_active_model).collect();
        E::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

impl Seeder<'_> {
    /// Writes every record of the batch in one transaction: all of them or none.
    pub async fn insert_batch(&self, batch: Batch) -> StoreResult<()> {
        let txn = self.store.write_txn().await?;
        let now = Utc::now();

        let mut paths: HashMap<Uuid, String> = HashMap::new();
        let missing_parents: Vec<Uuid> = batch
            .units
            .iter()
            .filter_map(|u| u.parent_id)
            .filter(|parent| !batch.units.iter().any(|u| u.id == *parent))
            .collect();
        if !missing_parents.is_empty() {
            for row in unit::Entity::find().filter(unit::Column::Id.is_in(missing_parents)).all(&txn).await? {
                paths.insert(row.id, row.path);
            }
        }
        let mut unit_rows = Vec::with_capacity(batch.units.len());
        for record in &batch.units {
            let parent_path = match record.parent_id {
                Some(parent) => paths
                    .get(&parent)
                    .cloned()
                    .ok_or_else(|| StoreError::not_found("parent unit of", &record.unit.code))?,
                None => "/".to_owned(),
            };
            let path = child_path(&parent_path, record.id);
            paths.insert(record.id, path.clone());
            unit_rows.push(unit_model(record, path, now));
        }
        insert_chunked::<unit::Entity, _>(&txn, unit_rows, 8).await?;
        insert_chunked::<position::Entity, _>(&txn, batch.positions.iter().map(position_model).collect(), 5).await?;
        insert_chunked::<employee::Entity, _>(
            &txn,
            batch.employees.iter().map(|e| employee_model(e, now)).collect(),
            11,
        )
        .await?;
        insert_chunked::<plan::Entity, _>(&txn, batch.plans.iter().map(plan_model).collect(), 9).await?;
        insert_chunked::<work_result::Entity, _>(&txn, batch.work_results.iter().map(work_result_model).collect(), 8)
            .await?;
        insert_chunked::<indicator::Entity, _>(&txn, batch.indicators.iter().map(indicator_model).collect(), 12)
            .await?;
        insert_chunked::<realisation::Entity, _>(&txn, batch.realisations.iter().map(realisation_model).collect(), 12)
            .await?;
        insert_chunked::<feedback_note::Entity, _>(&txn, batch.feedback.iter().map(feedback_model).collect(), 10)
            .await?;
        insert_chunked::<behaviour_rating::Entity, _>(
            &txn,
            batch.behaviour_ratings.iter().map(behaviour_model).collect(),
            7,
        )
        .await?;
        insert_chunked::<dialogue::Entity, _>(&txn, batch.dialogues.iter().map(dialogue_model).collect(), 8).await?;
        txn.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Rows in each table, for summaries after a load.
    pub async fn row_counts(&self) -> StoreResult<Vec<(&'static str, u64)>> {
        let mut counts = Vec::new();
        for table in [
            "units",
            "positions",
            "employees",
            "plans",
            "work_results",
            "indicators",
            "realisations",
            "realisation_history",
            "feedback_notes",
            "behaviour_ratings",
            "dialogues",
            "training_records",
            "competency_assessments",
            "talent_assessments",
            "qualifications",
            "discipline_records",
            "past_results",
            "organisation_ratings",
            "training_needs",
            "audit_events",
        ] {
            let row = self
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    self.db.get_database_backend(),
                    format!("SELECT COUNT(*) AS n FROM {table}"),
                ))
                .await?
                .ok_or_else(|| StoreError::not_found("table", table))?;
            let count: i64 = row.try_get("", "n")?;
            counts.push((table, u64::try_from(count).unwrap_or_default()));
        }
        Ok(counts)
    }
}
