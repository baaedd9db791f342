//! What employees did to develop: training attended with its lesson hours (JP), competency assessments,
//! and who is below the year's minimum hours. Sums run in the database.

use chrono::NaiveDate;
use kinerja_scoring::MinimumJp;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::access::OwnedRecords;
use crate::convert::records;
use crate::entity::{competency_assessment, employee, training_record};
use crate::org::subtree_unit_ids;
use crate::records::{EmployeeRecord, UnitRecord};
use crate::{Store, StoreResult};

/// Training attended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub programme: String,
    pub started_on: NaiveDate,
    pub finished_on: NaiveDate,
    /// Lesson hours (JP) credited.
    pub hours: i32,
    pub certificate: Option<String>,
}

/// A competency assessed at a level from 1 to 5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyAssessment {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub competency: String,
    pub level: i32,
    pub assessed_on: NaiveDate,
    pub assessor: Option<String>,
}

/// SQL for the lesson hours finished in `year` by the employee whose row is `employees` (the table or its
/// alias), and for the minimum of that employee's employment type. Literals, not placeholders: the
/// values are dates and counts formatted here, and SQLite would share numbered placeholders between the
/// two expressions.
pub(crate) fn hours_sql(employees: &str, year: i32, minimum: MinimumJp) -> (String, String) {
    let (first, last) = year_span(year);
    let hours = format!(
        "COALESCE((SELECT SUM(t.hours) FROM training_records t WHERE t.employee_id = {employees}.id \
         AND t.finished_on >= '{first}' AND t.finished_on <= '{last}'), 0)"
    );
    let arms: String = kinerja_domain::EmploymentType::ALL
        .iter()
        .map(|employment| format!(" WHEN '{}' THEN {}", employment.as_str(), minimum.for_employment(*employment)))
        .collect();
    let required = format!("CASE {employees}.employment_type{arms} END");
    (hours, required)
}

fn year_span(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

impl Store {
    /// Training of the given employees finished in `year` (or in any year), newest first.
    pub async fn training_of_employees(
        &self,
        employee_ids: &[Uuid],
        year: Option<i32>,
    ) -> StoreResult<Vec<TrainingRecord>> {
        let mut query = training_record::Entity::find()
            .filter(training_record::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .records_in_scope(&self.scope, training_record::Column::EmployeeId);
        if let Some(year) = year {
            let (first, last) = year_span(year);
            query = query.filter(training_record::Column::FinishedOn.between(first, last));
        }
        let rows = query.order_by_desc(training_record::Column::FinishedOn).all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| TrainingRecord {
                id: row.id,
                employee_id: row.employee_id,
                programme: row.programme,
                started_on: row.started_on,
                finished_on: row.finished_on,
                hours: row.hours,
                certificate: row.certificate,
            })
            .collect())
    }

    /// Competency assessments of the given employees, newest first.
    pub async fn competencies_of_employees(&self, employee_ids: &[Uuid]) -> StoreResult<Vec<CompetencyAssessment>> {
        let rows = competency_assessment::Entity::find()
            .filter(competency_assessment::Column::EmployeeId.is_in(employee_ids.iter().copied()))
            .records_in_scope(&self.scope, competency_assessment::Column::EmployeeId)
            .order_by_desc(competency_assessment::Column::AssessedOn)
            .order_by_asc(competency_assessment::Column::Competency)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| CompetencyAssessment {
                id: row.id,
                employee_id: row.employee_id,
                competency: row.competency,
                level: row.level,
                assessed_on: row.assessed_on,
                assessor: row.assessor,
            })
            .collect())
    }

    /// Members of a unit's subtree whose lesson hours finished in `year` fall short of the minimum of
    /// their employment type, by NIP, with their hours. The sums run in the database.
    pub async fn below_hours_minimum(
        &self,
        unit: &UnitRecord,
        year: i32,
        minimum: MinimumJp,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<(EmployeeRecord, i64)>> {
        let (below, hours) = self.below_hours(unit, year, minimum).await?;
        let rows: Vec<(employee::Model, i64)> = below
            .column_as(hours, "hours")
            .order_by_asc(self.scope.person_order())
            .offset(offset)
            .limit(limit)
            .into_model::<EmployeeWithHours>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.employee(), row.hours))
            .collect();
        let hours: Vec<i64> = rows.iter().map(|(_, h)| *h).collect();
        let employees: Vec<EmployeeRecord> = records(rows.into_iter().map(|(e, _)| e).collect())?;
        Ok(employees.into_iter().zip(hours).collect())
    }

    /// How many employees [`Store::below_hours_minimum`] finds in all.
    pub async fn below_hours_minimum_count(
        &self,
        unit: &UnitRecord,
        year: i32,
        minimum: MinimumJp,
    ) -> StoreResult<u64> {
        Ok(self.below_hours(unit, year, minimum).await?.0.count(&self.db).await?)
    }

    /// The employees of the subtree below the minimum, and their hours as an expression.
    async fn below_hours(
        &self,
        unit: &UnitRecord,
        year: i32,
        minimum: MinimumJp,
    ) -> StoreResult<(sea_orm::Select<employee::Entity>, Expr)> {
        let path = self.unit_path(unit).await?;
        let (hours, required) = hours_sql("employees", year, minimum);
        let (hours, required) = (Expr::cust(hours), Expr::cust(required));
        let below = employee::Entity::find()
            .filter(employee::Column::UnitId.in_subquery(subtree_unit_ids(&path)))
            .records_in_scope(&self.scope, employee::Column::Id)
            .filter(hours.clone().lt(required));
        Ok((below, hours))
    }
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct EmployeeWithHours {
    id: Uuid,
    nip: String,
    name: String,
    employment_type: String,
    rank: String,
    birth_date: NaiveDate,
    sex: String,
    position_id: Uuid,
    unit_id: Uuid,
    superior_id: Option<Uuid>,
    created_at: chrono::DateTime<chrono::Utc>,
    hours: i64,
}

impl EmployeeWithHours {
    fn employee(&self) -> employee::Model {
        employee::Model {
            id: self.id,
            nip: self.nip.clone(),
            name: self.name.clone(),
            employment_type: self.employment_type.clone(),
            rank: self.rank.clone(),
            birth_date: self.birth_date,
            sex: self.sex.clone(),
            position_id: self.position_id,
            unit_id: self.unit_id,
            superior_id: self.superior_id,
            created_at: self.created_at,
        }
    }
}
