//! Results of years kinerja did not score, as imported (`past-results`): read beside the years kinerja
//! scored, in an employee's history across years.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::access::OwnedRecords;
use crate::entity::past_result;
use crate::{Store, StoreResult};

/// One recorded result of a past year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastResultRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub year: i32,
    pub rule_pack: kinerja_scoring::PackRef,
    /// `pp46`, `regime2021` or `current`.
    pub regime: String,
    /// The score, where the year's regime had one.
    pub score: Option<Decimal>,
    /// The predikat as the year's regime labelled it (`sangat_baik` … `buruk`).
    pub predikat: String,
    /// Where the result was taken from, as the import said.
    pub source: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl From<past_result::Model> for PastResultRecord {
    fn from(row: past_result::Model) -> Self {
        PastResultRecord {
            id: row.id,
            employee_id: row.employee_id,
            year: row.year,
            rule_pack: kinerja_scoring::PackRef {
                id: row.rule_pack,
                version: u32::try_from(row.rule_pack_version).unwrap_or_default(),
            },
            regime: row.regime,
            score: row.score.map(|score| score.normalize()),
            predikat: row.predikat,
            source: row.source,
            recorded_at: row.recorded_at,
        }
    }
}

impl Store {
    /// The recorded past results of the given employees, newest year first.
    pub async fn past_results_of_employees(&self, employee_ids: &[Uuid]) -> StoreResult<Vec<PastResultRecord>> {
        let rows = past_result::Entity::find()
            .filter(past_result::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .records_in_scope(&self.scope, past_result::Column::EmployeeId)
            .order_by_desc(past_result::Column::Year)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(PastResultRecord::from).collect())
    }
}
