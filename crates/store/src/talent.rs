//! The facts of a year that the Indeks Profesionalitas ASN and the talent 9-box are computed from, per
//! person and for a unit's members, read in one statement each; the index itself is the scoring crate's
//! (through `kinerja-app`), for a person and for every member of a unit alike. The 9-box cells are
//! counted in SQL by rating and potential.

use kinerja_domain::{Education, PenaltyLevel, Potential, Predikat, RatingLevel};
use kinerja_scoring::{Catalogue, ProgrammeCategory};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::access::OwnedRecords;
use crate::convert::records;
use crate::entity::employee;
use crate::records::{EmployeeRecord, UnitRecord};
use crate::{Store, StoreError, StoreResult};

/// What the index of one person's year is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfessionalismFacts {
    pub employee_id: Uuid,
    pub education: Option<Education>,
    pub leadership_or_functional_training: bool,
    pub technical_training: bool,
    pub seminar_or_workshop: bool,
    /// The decided predikat of the year, else the annual evaluation's, else (while the year runs) the
    /// latest evaluation's so far; `None` when not scored.
    pub predikat: Option<Predikat>,
    pub penalty: PenaltyLevel,
}

/// One person's facts of a year, with the year's Rating Hasil Kerja and the latest potential.
pub type PersonFacts = (ProfessionalismFacts, Option<RatingLevel>, Option<Potential>);

/// One cell of the 9-box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TalentCell {
    pub rating: RatingLevel,
    pub potential: Potential,
    /// `None` when withheld: too few people outside the caller's reach (or a lone withheld box's
    /// neighbour, which would give it away).
    pub count: Option<u64>,
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn list(names: &[&str]) -> String {
    if names.is_empty() { "''".to_owned() } else { names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(", ") }
}

fn year_end(year: i32) -> String {
    format!("'{year}-12-31'")
}

/// The facts of every employee in the subtree at `path` (one employee when `employee` is given), as
/// SQL selecting `employee_id, education, leadership, technical, seminar, predikat, penalty, rating,
/// potential`.
fn facts_sql(catalogue: &Catalogue, year: i32, path: Option<&str>, employee: Option<Uuid>) -> String {
    let end = year_end(year);
    let two_years = format!("'{}-01-01'", year - 1);
    let leadership = list(
        &[
            catalogue.programme_names(ProgrammeCategory::Leadership),
            catalogue.programme_names(ProgrammeCategory::Functional),
        ]
        .concat(),
    );
    let seminar = list(&catalogue.programme_names(ProgrammeCategory::Seminar));
    let education_rank: String = Education::ALL
        .iter()
        .enumerate()
        .map(|(rank, e)| format!("WHEN '{}' THEN {rank}", e.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let training = |condition: &str| {
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM training_records t WHERE t.employee_id = e.id AND t.finished_on <= {end} AND {condition}) THEN 1 ELSE 0 END"
        )
    };
    let mut conditions = Vec::new();
    if let Some(path) = path {
        conditions.push(format!("u.path LIKE {}", quote(&format!("{path}%"))));
    }
    if employee.is_some() {
        // Bound, not written: ids are binary on SQLite.
        conditions.push("e.id = $1".to_owned());
    }
    format!(
        "SELECT e.id AS employee_id,
           (SELECT q.education FROM qualifications q WHERE q.employee_id = e.id AND q.graduated_on <= {end}
            ORDER BY CASE q.education {education_rank} END LIMIT 1) AS education,
           {} AS leadership,
           {} AS technical,
           {} AS seminar,
           COALESCE((SELECT d.predikat FROM rating_decisions d WHERE d.plan_id = pl.id ORDER BY d.decided_at DESC LIMIT 1), v.predikat) AS predikat,
           COALESCE((SELECT CASE MAX(CASE r.level WHEN 'ringan' THEN 1 WHEN 'sedang' THEN 2 WHEN 'berat' THEN 3 END)
                      WHEN 1 THEN 'ringan' WHEN 2 THEN 'sedang' WHEN 3 THEN 'berat' END
                     FROM discipline_records r WHERE r.employee_id = e.id AND r.decided_on >= '{year}-01-01' AND r.decided_on <= {end}), 'none') AS penalty,
           COALESCE((SELECT d.result_rating FROM rating_decisions d WHERE d.plan_id = pl.id ORDER BY d.decided_at DESC LIMIT 1), v.proposed_result_rating) AS rating,
           (SELECT a.potential FROM talent_assessments a WHERE a.employee_id = e.id AND a.assessed_on <= {end}
            ORDER BY a.assessed_on DESC LIMIT 1) AS potential
         FROM employees e
         JOIN units u ON u.id = e.unit_id
         LEFT JOIN plans pl ON pl.employee_id = e.id AND pl.year = {year}
         LEFT JOIN evaluations v ON v.id = (SELECT y.id FROM evaluations y WHERE y.plan_id = pl.id
           AND (y.period = '{year}' OR y.period LIKE '{year}-%')
           ORDER BY CASE WHEN y.period = '{year}' THEN 0 ELSE 1 END, y.computed_at DESC LIMIT 1)
         {}",
        training(&format!("t.programme IN ({leadership})")),
        training(&format!("t.finished_on >= {two_years} AND t.programme NOT IN ({leadership}) AND t.programme NOT IN ({seminar})")),
        training(&format!("t.finished_on >= {two_years} AND t.programme IN ({seminar})")),
        if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) },
    )
}

#[derive(Debug, FromQueryResult)]
struct FactsRow {
    employee_id: Uuid,
    education: Option<String>,
    leadership: i32,
    technical: i32,
    seminar: i32,
    predikat: Option<String>,
    penalty: String,
    rating: Option<String>,
    potential: Option<String>,
}

impl FactsRow {
    fn facts(self) -> StoreResult<PersonFacts> {
        let corrupt = |e: kinerja_domain::PlanError| Store::corrupt_fact(self.employee_id, e);
        let facts = ProfessionalismFacts {
            employee_id: self.employee_id,
            education: self.education.as_deref().map(str::parse).transpose().map_err(corrupt)?,
            leadership_or_functional_training: self.leadership == 1,
            technical_training: self.technical == 1,
            seminar_or_workshop: self.seminar == 1,
            predikat: self.predikat.as_deref().map(str::parse).transpose().map_err(corrupt)?,
            penalty: self.penalty.parse().map_err(corrupt)?,
        };
        let rating = self.rating.as_deref().map(str::parse).transpose().map_err(corrupt)?;
        let potential = self.potential.as_deref().map(str::parse).transpose().map_err(corrupt)?;
        Ok((facts, rating, potential))
    }
}

#[derive(Debug, FromQueryResult)]
struct CellRow {
    rating: String,
    potential: String,
    n: i64,
}

impl Store {
    fn corrupt_fact(employee: Uuid, reason: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt { table: "employees", id: employee.to_string(), reason: reason.to_string() }
    }

    /// Whether the caller reaches the records of this employee.
    async fn reaches_records_of(&self, employee: Uuid) -> StoreResult<bool> {
        Ok(employee::Entity::find_by_id(employee)
            .records_in_scope(&self.scope, employee::Column::Id)
            .one(&self.db)
            .await?
            .is_some())
    }

    /// The facts of one employee's year for the Indeks Profesionalitas and the talent box, if the
    /// caller reaches their records; with the year's rating and potential.
    pub async fn professionalism_facts(
        &self,
        catalogue: &Catalogue,
        employee: Uuid,
        year: i32,
    ) -> StoreResult<Option<(ProfessionalismFacts, Option<RatingLevel>, Option<Potential>)>> {
        if !self.reaches_records_of(employee).await? {
            return Ok(None);
        }
        let sql = facts_sql(catalogue, year, None, Some(employee));
        let statement = Statement::from_sql_and_values(self.db.get_database_backend(), sql, [employee.into()]);
        let row = FactsRow::find_by_statement(statement).one(&self.db).await?;
        row.map(FactsRow::facts).transpose()
    }

    /// The facts of the year of every member of a unit's subtree, for the unit's Indeks Profesionalitas;
    /// `None` when the group is too small for the caller.
    pub async fn professionalism_facts_of_unit(
        &self,
        catalogue: &Catalogue,
        unit: &UnitRecord,
        year: i32,
    ) -> StoreResult<Option<Vec<PersonFacts>>> {
        let path = self.unit_path(unit).await?;
        let sql = facts_sql(catalogue, year, Some(&path), None);
        let rows = FactsRow::find_by_statement(Statement::from_string(self.db.get_database_backend(), sql))
            .all(&self.db)
            .await?;
        if !self.scope.may_see_group(&path, rows.len() as u64) || !self.subtree_released(unit.id, &path).await? {
            return Ok(None);
        }
        rows.into_iter().map(FactsRow::facts).collect::<StoreResult<Vec<_>>>().map(Some)
    }

    /// Members of a unit's subtree per rating and potential of a year (the 9-box cells that have any);
    /// `None` when the group is too small for the caller.
    pub async fn talent_cells(
        &self,
        catalogue: &Catalogue,
        unit: &UnitRecord,
        year: i32,
    ) -> StoreResult<Option<Vec<TalentCell>>> {
        let path = self.unit_path(unit).await?;
        let sql = format!(
            "SELECT rating, potential, COUNT(*) AS n FROM ({}) facts
             WHERE rating IS NOT NULL AND potential IS NOT NULL GROUP BY rating, potential",
            facts_sql(catalogue, year, Some(&path), None)
        );
        let rows = CellRow::find_by_statement(Statement::from_string(self.db.get_database_backend(), sql))
            .all(&self.db)
            .await?;
        let people: u64 = rows.iter().map(|r| u64::try_from(r.n).unwrap_or_default()).sum();
        if !self.scope.may_see_group(&path, people) || !self.subtree_released(unit.id, &path).await? {
            return Ok(None);
        }
        let sizes: Vec<(&str, u64)> =
            rows.iter().map(|r| (path.as_str(), u64::try_from(r.n).unwrap_or_default())).collect();
        let shown = self.scope.disclosed(&sizes);
        rows.into_iter()
            .zip(shown)
            .map(|(row, shown)| {
                let corrupt = |e: kinerja_domain::PlanError| StoreError::Corrupt {
                    table: "talent_assessments",
                    id: row.potential.clone(),
                    reason: e.to_string(),
                };
                Ok(TalentCell {
                    rating: row.rating.parse().map_err(corrupt)?,
                    potential: row.potential.parse().map_err(corrupt)?,
                    count: shown.then(|| u64::try_from(row.n).unwrap_or_default()),
                })
            })
            .collect::<StoreResult<Vec<_>>>()
            .map(Some)
    }

    /// Members of a unit's subtree with a rating and potential in a year, by NIP, of those whose records
    /// the caller reaches.
    pub async fn talent_members(
        &self,
        catalogue: &Catalogue,
        unit: &UnitRecord,
        year: i32,
        cell: (RatingLevel, Potential),
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<EmployeeRecord>> {
        let members = self.talent_cell(catalogue, unit, year, cell).await?;
        records(members.order_by_asc(self.scope.person_order()).offset(offset).limit(limit).all(&self.db).await?)
    }

    /// How many members of a talent box the caller reaches.
    pub async fn talent_member_count(
        &self,
        catalogue: &Catalogue,
        unit: &UnitRecord,
        year: i32,
        cell: (RatingLevel, Potential),
    ) -> StoreResult<u64> {
        Ok(self.talent_cell(catalogue, unit, year, cell).await?.count(&self.db).await?)
    }

    /// The employees of the subtree in a box of the year, of those the caller reaches.
    async fn talent_cell(
        &self,
        catalogue: &Catalogue,
        unit: &UnitRecord,
        year: i32,
        cell: (RatingLevel, Potential),
    ) -> StoreResult<sea_orm::Select<employee::Entity>> {
        let path = self.unit_path(unit).await?;
        let sql = format!(
            "SELECT employee_id FROM ({}) facts WHERE rating = '{}' AND potential = '{}'",
            facts_sql(catalogue, year, Some(&path), None),
            cell.0.as_str(),
            cell.1.as_str()
        );
        let ids: Vec<Uuid> = IdRow::find_by_statement(Statement::from_string(self.db.get_database_backend(), sql))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| row.employee_id)
            .collect();
        Ok(employee::Entity::find()
            .filter(employee::Column::Id.is_in(ids))
            .records_in_scope(&self.scope, employee::Column::Id))
    }
}

#[derive(Debug, FromQueryResult)]
struct IdRow {
    employee_id: Uuid,
}
