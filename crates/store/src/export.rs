//! Tables for analysts, read page by page in key order so that an export of any size runs in constant
//! memory. Each kind has fixed, typed columns; the writer (CSV, Parquet) lives with the caller.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, QueryResult, Statement};
use uuid::Uuid;

use crate::records::UnitRecord;
use crate::{Store, StoreResult};
use kinerja_scoring::MinimumJp;

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Employees,
    /// One row per indicator, with its work result and plan.
    Plans,
    Realisations,
    Evaluations,
    TrainingNeeds,
    /// Lesson hours of the year per employee against the minimum.
    DevelopmentHours,
}

impl ExportKind {
    pub const ALL: [ExportKind; 6] = [
        ExportKind::Employees,
        ExportKind::Plans,
        ExportKind::Realisations,
        ExportKind::Evaluations,
        ExportKind::TrainingNeeds,
        ExportKind::DevelopmentHours,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Employees => "employees",
            ExportKind::Plans => "plans",
            ExportKind::Realisations => "realisations",
            ExportKind::Evaluations => "evaluations",
            ExportKind::TrainingNeeds => "training-needs",
            ExportKind::DevelopmentHours => "development-hours",
        }
    }

    /// The columns of the kind, in order.
    pub fn columns(self) -> &'static [ExportColumn] {
        use ColumnType::*;
        const fn c(name: &'static str, kind: ColumnType, nullable: bool) -> ExportColumn {
            ExportColumn { name, kind, nullable }
        }
        match self {
            ExportKind::Employees => {
                const {
                    &[
                        c("nip", Text, false),
                        c("name", Text, false),
                        c("employment_type", Text, false),
                        c("rank", Text, false),
                        c("sex", Text, false),
                        c("birth_date", Date, false),
                        c("unit_code", Text, false),
                        c("unit_name", Text, false),
                        c("position_code", Text, false),
                        c("position_title", Text, false),
                        c("position_kind", Text, false),
                        c("superior_nip", Text, true),
                    ]
                }
            }
            ExportKind::Plans => {
                const {
                    &[
                        c("nip", Text, false),
                        c("year", Integer, false),
                        c("status", Text, false),
                        c("approach", Text, false),
                        c("rater_nip", Text, true),
                        c("result_code", Text, false),
                        c("section", Text, false),
                        c("result_description", Text, false),
                        c("indicator_code", Text, false),
                        c("indicator_description", Text, false),
                        c("aspect", Text, false),
                        c("target_kind", Text, false),
                        c("target_low", Decimal, true),
                        c("target_high", Decimal, true),
                        c("unit_of_measure", Text, false),
                        c("accumulation", Text, false),
                    ]
                }
            }
            ExportKind::Realisations => {
                const {
                    &[
                        c("nip", Text, false),
                        c("year", Integer, false),
                        c("result_code", Text, false),
                        c("indicator_code", Text, false),
                        c("period", Text, false),
                        c("period_start", Date, false),
                        c("period_end", Date, false),
                        c("value", Decimal, false),
                        c("evidence_note", Text, true),
                        c("evidence_link", Text, true),
                        c("source", Text, false),
                        c("recorded_at", Timestamp, false),
                        c("version", Integer, false),
                    ]
                }
            }
            ExportKind::Evaluations => {
                const {
                    &[
                        c("nip", Text, false),
                        c("unit_code", Text, false),
                        c("year", Integer, false),
                        c("period", Text, false),
                        c("predikat", Text, false),
                        c("proposed_result_rating", Text, false),
                        c("proposed_behaviour_rating", Text, false),
                        c("predikat_basis", Text, false),
                        c("pack_id", Text, false),
                        c("pack_version", Integer, false),
                        c("computed_at", Timestamp, false),
                        c("decided_result_rating", Text, true),
                        c("decided_behaviour_rating", Text, true),
                        c("decided_predikat", Text, true),
                        c("decided_at", Timestamp, true),
                        c("finalised_at", Timestamp, true),
                    ]
                }
            }
            ExportKind::TrainingNeeds => {
                const {
                    &[
                        c("nip", Text, false),
                        c("year", Integer, false),
                        c("reason", Text, false),
                        c("topic", Text, false),
                        c("detail", Text, false),
                        c("priority", Text, false),
                        c("suggested_programmes", Text, false),
                        c("status", Text, false),
                        c("planned_programme", Text, true),
                        c("planned_on", Date, true),
                        c("closed_reason", Text, true),
                        c("updated_at", Timestamp, false),
                    ]
                }
            }
            ExportKind::DevelopmentHours => {
                const {
                    &[
                        c("nip", Text, false),
                        c("year", Integer, false),
                        c("employment_type", Text, false),
                        c("hours", Integer, false),
                        c("minimum", Integer, false),
                        c("shortfall", Integer, false),
                    ]
                }
            }
        }
    }
}

/// The type of an exported column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    /// Exact, with [`DECIMAL_SCALE`] places.
    Decimal,
    Date,
    /// UTC.
    Timestamp,
}

/// Places of every exported decimal (the database keeps 4).
pub const DECIMAL_SCALE: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportColumn {
    pub name: &'static str,
    pub kind: ColumnType,
    pub nullable: bool,
}

/// One exported value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Integer(i64),
    Decimal(Decimal),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
}

/// Which rows: a unit's subtree, a year (kinds with one; development hours need it).
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    pub unit: Option<UnitRecord>,
    pub year: Option<i32>,
    /// The year's minimum lesson hours, for development hours.
    pub hours_minimum: Option<MinimumJp>,
}

/// One page of rows and the key to continue after.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPage {
    pub rows: Vec<Vec<Cell>>,
    pub next: Option<Uuid>,
}

impl ExportKind {
    /// The select list, the FROM clause (aliases: `e` the employee, `u` their unit) and the key column.
    fn source(self, year: Option<i32>, minimum: Option<MinimumJp>) -> (String, &'static str, &'static str) {
        match self {
            ExportKind::Employees => (
                "e.nip, e.name, UPPER(e.employment_type) AS employment_type, e.rank, UPPER(e.sex) AS sex, e.birth_date, \
                 u.code AS unit_code, u.name AS unit_name, p.code AS position_code, p.title AS position_title, \
                 UPPER(p.kind) AS position_kind, s.nip AS superior_nip"
                    .into(),
                "employees e JOIN units u ON u.id = e.unit_id JOIN positions p ON p.id = e.position_id \
                 LEFT JOIN employees s ON s.id = e.superior_id",
                "e.id",
            ),
            ExportKind::Plans => (
                "e.nip, pl.year, UPPER(pl.status) AS status, UPPER(pl.approach) AS approach, r.nip AS rater_nip, \
                 w.code AS result_code, UPPER(w.section) AS section, w.description AS result_description, \
                 i.code AS indicator_code, i.description AS indicator_description, UPPER(i.aspect) AS aspect, \
                 UPPER(i.target_kind) AS target_kind, \
                 CASE WHEN i.target_kind = 'at_most' THEN NULL ELSE i.target_low END AS target_low, \
                 CASE WHEN i.target_kind = 'at_least' THEN NULL ELSE i.target_high END AS target_high, \
                 i.unit_of_measure, UPPER(i.accumulation) AS accumulation"
                    .into(),
                "indicators i JOIN work_results w ON w.id = i.work_result_id JOIN plans pl ON pl.id = w.plan_id \
                 JOIN employees e ON e.id = pl.employee_id JOIN units u ON u.id = e.unit_id \
                 LEFT JOIN employees r ON r.id = pl.rater_id",
                "i.id",
            ),
            ExportKind::Realisations => (
                "e.nip, pl.year, w.code AS result_code, i.code AS indicator_code, x.period, x.period_start, \
                 x.period_end, x.value, x.evidence_note, x.evidence_link, x.source, x.recorded_at, x.version"
                    .into(),
                "realisations x JOIN indicators i ON i.id = x.indicator_id JOIN work_results w ON w.id = i.work_result_id \
                 JOIN plans pl ON pl.id = w.plan_id JOIN employees e ON e.id = pl.employee_id JOIN units u ON u.id = e.unit_id",
                "x.id",
            ),
            ExportKind::Evaluations => (
                "e.nip, u.code AS unit_code, pl.year, v.period, UPPER(v.predikat) AS predikat, \
                 UPPER(v.proposed_result_rating) AS proposed_result_rating, \
                 UPPER(v.proposed_behaviour_rating) AS proposed_behaviour_rating, \
                 v.predikat_basis, v.pack_id, v.pack_version, v.computed_at, \
                 UPPER(d.result_rating) AS decided_result_rating, UPPER(d.behaviour_rating) AS decided_behaviour_rating, \
                 UPPER(d.predikat) AS decided_predikat, d.decided_at, d.finalised_at"
                    .into(),
                // The year's decision, when the rater has made it, beside each evaluation of the plan.
                "evaluations v JOIN plans pl ON pl.id = v.plan_id JOIN employees e ON e.id = pl.employee_id \
                 JOIN units u ON u.id = e.unit_id LEFT JOIN rating_decisions d ON d.plan_id = pl.id AND d.year = pl.year",
                "v.id",
            ),
            ExportKind::TrainingNeeds => (
                "e.nip, n.year AS year, UPPER(n.reason) AS reason, n.topic, n.detail, UPPER(n.priority) AS priority, \
                 n.suggested_programmes, UPPER(n.status) AS status, n.planned_programme, n.planned_on, n.closed_reason, \
                 n.updated_at"
                    .into(),
                "training_needs n JOIN employees e ON e.id = n.employee_id JOIN units u ON u.id = e.unit_id",
                "n.id",
            ),
            ExportKind::DevelopmentHours => {
                let year = year.unwrap_or_default();
                let minimum = minimum.unwrap_or(MinimumJp { pns: 0, pppk: 0 });
                let (hours, required) = crate::development::hours_sql("e", year, minimum);
                // MinimumJp::shortfall, written in SQL so that each page stays one statement.
                (
                    format!(
                        "e.nip, {year} AS year, UPPER(e.employment_type) AS employment_type, {hours} AS hours, {required} AS minimum, \
                         CASE WHEN {hours} < {required} THEN {required} - {hours} ELSE 0 END AS shortfall"
                    ),
                    "employees e JOIN units u ON u.id = e.unit_id",
                    "e.id",
                )
            }
        }
    }

    /// The column holding the year of a row, for kinds filtered by year.
    fn year_column(self) -> Option<&'static str> {
        match self {
            ExportKind::Plans | ExportKind::Realisations | ExportKind::Evaluations => Some("pl.year"),
            ExportKind::TrainingNeeds => Some("n.year"),
            ExportKind::Employees | ExportKind::DevelopmentHours => None,
        }
    }
}

impl Store {
    async fn export_statement(
        &self,
        kind: ExportKind,
        filter: &ExportFilter,
        select: &str,
        tail: &str,
        after: Option<Uuid>,
    ) -> StoreResult<Statement> {
        let (columns, from, key) = kind.source(filter.year, filter.hours_minimum);
        let mut conditions = Vec::new();
        let mut values: Vec<sea_orm::Value> = Vec::new();
        if let Some(unit) = &filter.unit {
            values.push(format!("{}%", self.unit_path(unit).await?).into());
            conditions.push(format!("u.path LIKE ${}", values.len()));
        }
        if let (Some(year), Some(column)) = (filter.year, kind.year_column()) {
            values.push(year.into());
            conditions.push(format!("{column} = ${}", values.len()));
        }
        if let Some(after) = after {
            values.push(after.into());
            conditions.push(format!("{key} > ${}", values.len()));
        }
        let select = select.replace("{key}", key).replace("{columns}", &columns);
        let tail = tail.replace("{key}", key);
        let condition =
            if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let sql = format!("SELECT {select} FROM {from} {condition} {tail}");
        Ok(Statement::from_sql_and_values(self.db.get_database_backend(), sql, values))
    }

    /// How many rows an export will hold.
    pub async fn export_count(&self, kind: ExportKind, filter: &ExportFilter) -> StoreResult<u64> {
        let statement = self.export_statement(kind, filter, "COUNT(*) AS n", "", None).await?;
        let row = self.db.query_one_raw(statement).await?;
        Ok(row.and_then(|r| r.try_get::<i64>("", "n").ok()).and_then(|n| u64::try_from(n).ok()).unwrap_or_default())
    }

    /// Up to `limit` rows after the key `after`, in key order.
    pub async fn export_page(
        &self,
        kind: ExportKind,
        filter: &ExportFilter,
        after: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<ExportPage> {
        let tail = format!("ORDER BY {{key}} LIMIT {limit}");
        let statement = self.export_statement(kind, filter, "{key} AS k, {columns}", &tail, after).await?;
        let rows = self.db.query_all_raw(statement).await?;
        let next = rows.last().map(|row| row.try_get::<Uuid>("", "k")).transpose()?;
        let rows = rows.iter().map(|row| cells(kind, row)).collect::<StoreResult<Vec<_>>>()?;
        Ok(ExportPage { next: next.filter(|_| rows.len() as u64 == limit), rows })
    }
}

fn cells(kind: ExportKind, row: &QueryResult) -> StoreResult<Vec<Cell>> {
    kind.columns()
        .iter()
        .map(|column| {
            let name = column.name;
            Ok(match column.kind {
                ColumnType::Text => row.try_get::<Option<String>>("", name)?.map_or(Cell::Null, Cell::Text),
                // Integers come back as 32 or 64 bits depending on the database and the expression.
                ColumnType::Integer => match row.try_get::<Option<i64>>("", name) {
                    Ok(value) => value.map_or(Cell::Null, Cell::Integer),
                    Err(_) => row.try_get::<Option<i32>>("", name)?.map_or(Cell::Null, |v| Cell::Integer(v.into())),
                },
                ColumnType::Decimal => row.try_get::<Option<Decimal>>("", name)?.map_or(Cell::Null, Cell::Decimal),
                ColumnType::Date => row.try_get::<Option<NaiveDate>>("", name)?.map_or(Cell::Null, Cell::Date),
                ColumnType::Timestamp => {
                    row.try_get::<Option<DateTime<Utc>>>("", name)?.map_or(Cell::Null, Cell::Timestamp)
                }
            })
        })
        .collect()
}
