//! Writers without an actor: no capability check, no relation to the record checked, no audit event.
//! They load datasets — the demo city, benchmarks, test fixtures — whose records no person wrote.
//! Request code never holds a [`Seeder`] (`tests/architecture.rs` keeps the gateway, the use cases and
//! import from naming it); people's writes go through the checked writers and `kinerja-app`.

use kinerja_domain::{Approach, BehaviourRating, FeedbackNote, Indicator, Nip, Period, Realisation, WorkResult};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::Store;
use crate::entity::employee;
use crate::error::{StoreError, StoreResult};
use crate::plans::{
    FeedbackSubject, insert_feedback, insert_indicator, insert_plan, insert_realisation, insert_work_result, plan_row,
    work_result_row,
};
use crate::records::{
    BehaviourRatingRecord, FeedbackRecord, IndicatorRecord, PlanRecord, RealisationRecord, WorkResultRecord,
};

/// The unchecked writers of a store.
#[derive(Debug, Clone, Copy)]
pub struct Seeder<'s> {
    pub(crate) store: &'s Store,
}

impl Store {
    /// The writers for loading datasets; see [`Seeder`].
    pub fn seeder(&self) -> Seeder<'_> {
        Seeder { store: self }
    }
}

impl Seeder<'_> {
    /// Creates the draft plan of an employee for `year`, rated by the employee's current superior.
    pub async fn create_plan(&self, nip: &Nip, year: i32, approach: Approach) -> StoreResult<PlanRecord> {
        let txn = self.store.write_txn().await?;
        let record = insert_plan(&txn, nip, year, approach).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Adds a work result (RHK) to a draft plan, optionally intervening a work result of the rater's plan
    /// of the same year.
    pub async fn add_work_result(
        &self,
        plan_id: Uuid,
        code: &str,
        work_result: WorkResult,
        parent_id: Option<Uuid>,
    ) -> StoreResult<WorkResultRecord> {
        let txn = self.store.write_txn().await?;
        let plan = plan_row(&txn, plan_id).await?;
        let record = insert_work_result(&txn, &plan, code, work_result, parent_id).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Adds an indicator (IKI) with its target to a work result of a draft plan.
    pub async fn add_indicator(
        &self,
        work_result_id: Uuid,
        code: &str,
        indicator: Indicator,
    ) -> StoreResult<IndicatorRecord> {
        let txn = self.store.write_txn().await?;
        let work_result = work_result_row(&txn, work_result_id).await?;
        let plan = plan_row(&txn, work_result.plan_id).await?;
        let record = insert_indicator(&txn, &plan, work_result_id, code, indicator).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Records what was achieved on an indicator in one period of an approved plan's year (for imports and
    /// activity feeds; a person records through [`Store::record_realisation_as`]).
    pub async fn record_realisation(
        &self,
        indicator_id: Uuid,
        realisation: Realisation,
        source: &str,
    ) -> StoreResult<RealisationRecord> {
        let txn = self.store.write_txn().await?;
        let (_, record) = insert_realisation(&txn, indicator_id, realisation, source, false).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Adds a feedback note about a plan, one of its work results or one of its indicators.
    pub async fn add_feedback(
        &self,
        subject: FeedbackSubject,
        note: FeedbackNote,
        author: Option<&Nip>,
    ) -> StoreResult<FeedbackRecord> {
        let txn = self.store.write_txn().await?;
        let author_id = match author {
            Some(nip) => Some(
                employee::Entity::find()
                    .filter(employee::Column::Nip.eq(nip.as_str()))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("author with NIP", nip))?
                    .id,
            ),
            None => None,
        };
        let record = insert_feedback(&txn, subject, note, author_id).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Rates one BerAKHLAK value of a plan for a period, replacing an earlier rating of that value.
    pub async fn rate_behaviour(
        &self,
        plan_id: Uuid,
        period: Period,
        rating: BehaviourRating,
    ) -> StoreResult<BehaviourRatingRecord> {
        let txn = self.store.write_txn().await?;
        let plan = PlanRecord::try_from(plan_row(&txn, plan_id).await?)?;
        plan.plan.ensure_period_in_year(period).map_err(StoreError::invalid)?;
        let record = crate::behaviour::replace_rating(&txn, plan_id, period, rating).await?;
        txn.commit().await?;
        Ok(record)
    }
}
