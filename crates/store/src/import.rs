//! Bulk import by natural key. Rows stream into a temporary staging table inside one transaction
//! (`COPY` on PostgreSQL, multi-row prepared inserts on SQLite), are checked against each other and the
//! database in SQL, then merged: new keys inserted, changed rows updated, identical rows left alone. A
//! file imports completely or not at all; importing it twice changes nothing the second time.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use kinerja_domain::{Employee, Indicator, Nip, Plan, Position, Realisation, Unit, UnitCode, WorkResult};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::sqlx::{self, Postgres, Row, Sqlite};
use uuid::Uuid;

use crate::records::new_record_id;
use crate::workflow::Actor;
use crate::{Store, StoreError, StoreResult};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    Units,
    Positions,
    Employees,
    Plans,
    Realisations,
    TrainingRecords,
    CompetencyAssessments,
    TalentAssessments,
    Qualifications,
    DisciplineRecords,
    PastResults,
    OrganisationPredikat,
    BehaviourRatings,
}

impl ImportKind {
    pub const ALL: [ImportKind; 13] = [
        ImportKind::Units,
        ImportKind::Positions,
        ImportKind::Employees,
        ImportKind::Plans,
        ImportKind::Realisations,
        ImportKind::TrainingRecords,
        ImportKind::CompetencyAssessments,
        ImportKind::TalentAssessments,
        ImportKind::Qualifications,
        ImportKind::DisciplineRecords,
        ImportKind::PastResults,
        ImportKind::OrganisationPredikat,
        ImportKind::BehaviourRatings,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Units => "units",
            ImportKind::Positions => "positions",
            ImportKind::Employees => "employees",
            ImportKind::Plans => "plans",
            ImportKind::Realisations => "realisations",
            ImportKind::TrainingRecords => "training-records",
            ImportKind::CompetencyAssessments => "competency-assessments",
            ImportKind::TalentAssessments => "talent-assessments",
            ImportKind::Qualifications => "qualifications",
            ImportKind::DisciplineRecords => "discipline-records",
            ImportKind::PastResults => "past-results",
            ImportKind::OrganisationPredikat => "organisation-predikat",
            ImportKind::BehaviourRatings => "behaviour-ratings",
        }
    }

    /// Whether rows of this kind are staged and merged in SQL by an [`ImportSession`]. The others are
    /// judgements of the year (an organisation predikat, behaviour ratings) and go through the same
    /// checked writers as their mutations: [`Store::import_organisation_ratings`] and
    /// [`Store::import_behaviour_ratings`].
    pub fn staged(self) -> bool {
        !matches!(self, ImportKind::OrganisationPredikat | ImportKind::BehaviourRatings)
    }
}

/// One validated row of an import file; `line` is where it came from.
#[derive(Debug, Clone)]
pub enum ImportRow {
    Unit {
        line: u64,
        unit: Unit,
        parent: Option<UnitCode>,
    },
    Position {
        line: u64,
        code: String,
        position: Position,
        unit: UnitCode,
    },
    Employee {
        line: u64,
        employee: Employee,
        position: String,
        unit: UnitCode,
        superior: Option<Nip>,
    },
    /// One indicator of a plan, with its work result (repeated on each of the result's indicators).
    PlanIndicator {
        line: u64,
        nip: Nip,
        plan: Plan,
        result_code: String,
        work_result: WorkResult,
        /// The code of the rater's work result this one cascades from, in the rater's plan of the year.
        parent_result: Option<String>,
        indicator_code: String,
        indicator: Indicator,
    },
    Realisation {
        line: u64,
        nip: Nip,
        year: i32,
        result_code: String,
        indicator_code: String,
        realisation: Realisation,
    },
    Training {
        line: u64,
        nip: Nip,
        programme: String,
        started_on: NaiveDate,
        finished_on: NaiveDate,
        hours: i32,
        certificate: Option<String>,
    },
    Competency {
        line: u64,
        nip: Nip,
        competency: String,
        level: i32,
        assessed_on: NaiveDate,
        assessor: Option<String>,
    },
    Talent {
        line: u64,
        nip: Nip,
        assessed_on: NaiveDate,
        potential: kinerja_domain::Potential,
        assessor: Option<String>,
    },
    Qualification {
        line: u64,
        nip: Nip,
        education: kinerja_domain::Education,
        institution: Option<String>,
        graduated_on: NaiveDate,
    },
    Discipline {
        line: u64,
        nip: Nip,
        decided_on: NaiveDate,
        level: kinerja_domain::PenaltyLevel,
        penalty: String,
    },
    /// A result of a year kinerja did not score, checked against its year's rule pack.
    PastResult {
        line: u64,
        nip: Nip,
        result: kinerja_scoring::RecordedResult,
        source: Option<String>,
    },
    OrganisationPredikat {
        line: u64,
        unit: UnitCode,
        year: i32,
        predikat: kinerja_domain::OrganisationPredikat,
    },
    /// One BerAKHLAK value of a plan rated for a period (the plan's year when `None`).
    BehaviourRating {
        line: u64,
        nip: Nip,
        year: i32,
        period: Option<kinerja_domain::Period>,
        rating: kinerja_domain::BehaviourRating,
    },
}

impl ImportRow {
    pub fn line(&self) -> u64 {
        match self {
            ImportRow::Unit { line, .. }
            | ImportRow::Position { line, .. }
            | ImportRow::Employee { line, .. }
            | ImportRow::PlanIndicator { line, .. }
            | ImportRow::Realisation { line, .. }
            | ImportRow::Training { line, .. }
            | ImportRow::Competency { line, .. }
            | ImportRow::Talent { line, .. }
            | ImportRow::Qualification { line, .. }
            | ImportRow::Discipline { line, .. }
            | ImportRow::PastResult { line, .. }
            | ImportRow::OrganisationPredikat { line, .. }
            | ImportRow::BehaviourRating { line, .. } => *line,
        }
    }

    fn kind(&self) -> ImportKind {
        match self {
            ImportRow::Unit { .. } => ImportKind::Units,
            ImportRow::Position { .. } => ImportKind::Positions,
            ImportRow::Employee { .. } => ImportKind::Employees,
            ImportRow::PlanIndicator { .. } => ImportKind::Plans,
            ImportRow::Realisation { .. } => ImportKind::Realisations,
            ImportRow::Training { .. } => ImportKind::TrainingRecords,
            ImportRow::Competency { .. } => ImportKind::CompetencyAssessments,
            ImportRow::Talent { .. } => ImportKind::TalentAssessments,
            ImportRow::Qualification { .. } => ImportKind::Qualifications,
            ImportRow::Discipline { .. } => ImportKind::DisciplineRecords,
            ImportRow::PastResult { .. } => ImportKind::PastResults,
            ImportRow::OrganisationPredikat { .. } => ImportKind::OrganisationPredikat,
            ImportRow::BehaviourRating { .. } => ImportKind::BehaviourRatings,
        }
    }
}

/// A row the database refused: the line, the field (column name) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// An import's outcome: the summary, or every problem found (up to the limit), in line order.
pub type ImportOutcome = Result<ImportSummary, Vec<RowProblem>>;

/// A staged value, bound or copied with the same encoding the store's entities use.
#[derive(Debug, Clone)]
enum Cell {
    Text(Option<String>),
    Int(i64),
    Id(Uuid),
    Date(NaiveDate),
    Number(Option<Decimal>),
}

#[derive(Clone, Copy)]
enum CellType {
    Text,
    Int,
    Id,
    Date,
    Number,
}

use CellType as T;

/// Staging columns of each staged kind (after `line`).
fn staging_columns(kind: ImportKind) -> &'static [(&'static str, CellType)] {
    match kind {
        ImportKind::Units => &[],
        ImportKind::Positions => {
            &[("new_id", T::Id), ("code", T::Text), ("title", T::Text), ("kind", T::Text), ("unit_code", T::Text)]
        }
        ImportKind::Employees => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("name", T::Text),
            ("employment_type", T::Text),
            ("rank", T::Text),
            ("birth_date", T::Date),
            ("sex", T::Text),
            ("position_code", T::Text),
            ("unit_code", T::Text),
            ("superior_nip", T::Text),
        ],
        ImportKind::Plans => &[
            ("new_id", T::Id),
            ("new_plan_id", T::Id),
            ("new_result_id", T::Id),
            ("nip", T::Text),
            ("year", T::Int),
            ("approach", T::Text),
            ("status", T::Text),
            ("result_code", T::Text),
            ("section", T::Text),
            ("result_description", T::Text),
            ("perspective", T::Text),
            ("parent_result_code", T::Text),
            ("indicator_code", T::Text),
            ("indicator_description", T::Text),
            ("aspect", T::Text),
            ("target_kind", T::Text),
            ("target_low", T::Number),
            ("target_high", T::Number),
            ("unit_of_measure", T::Text),
            ("accumulation", T::Text),
        ],
        ImportKind::Realisations => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("year", T::Int),
            ("result_code", T::Text),
            ("indicator_code", T::Text),
            ("period", T::Text),
            ("period_start", T::Date),
            ("period_end", T::Date),
            ("value", T::Number),
            ("evidence_note", T::Text),
            ("evidence_link", T::Text),
        ],
        ImportKind::TrainingRecords => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("programme", T::Text),
            ("started_on", T::Date),
            ("finished_on", T::Date),
            ("hours", T::Int),
            ("certificate", T::Text),
        ],
        ImportKind::CompetencyAssessments => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("competency", T::Text),
            ("level", T::Int),
            ("assessed_on", T::Date),
            ("assessor", T::Text),
        ],
        ImportKind::TalentAssessments => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("assessed_on", T::Date),
            ("potential", T::Text),
            ("assessor", T::Text),
        ],
        ImportKind::Qualifications => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("education", T::Text),
            ("institution", T::Text),
            ("graduated_on", T::Date),
        ],
        ImportKind::DisciplineRecords => {
            &[("new_id", T::Id), ("nip", T::Text), ("decided_on", T::Date), ("level", T::Text), ("penalty", T::Text)]
        }
        ImportKind::PastResults => &[
            ("new_id", T::Id),
            ("nip", T::Text),
            ("year", T::Int),
            ("rule_pack", T::Text),
            ("rule_pack_version", T::Int),
            ("regime", T::Text),
            ("score", T::Number),
            ("predikat", T::Text),
            ("source", T::Text),
        ],
        ImportKind::OrganisationPredikat | ImportKind::BehaviourRatings => &[],
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(Some(value.into()))
}

fn optional(value: Option<impl Into<String>>) -> Cell {
    Cell::Text(value.map(Into::into))
}

fn cells(row: &ImportRow) -> Vec<Cell> {
    match row {
        ImportRow::Unit { .. } => Vec::new(),
        ImportRow::Position { code, position, unit, .. } => vec![
            Cell::Id(new_record_id()),
            text(code.clone()),
            text(position.title.clone()),
            text(position.kind.as_str()),
            text(unit.as_str()),
        ],
        ImportRow::Employee { employee, position, unit, superior, .. } => vec![
            Cell::Id(new_record_id()),
            text(employee.nip.as_str()),
            text(employee.name.clone()),
            text(employee.employment.as_str()),
            text(employee.rank.to_string()),
            Cell::Date(employee.nip.birth_date()),
            text(crate::convert::sex_text(employee.nip.sex())),
            text(position.clone()),
            text(unit.as_str()),
            optional(superior.as_ref().map(Nip::to_string)),
        ],
        ImportRow::PlanIndicator {
            nip,
            plan,
            result_code,
            work_result,
            parent_result,
            indicator_code,
            indicator,
            ..
        } => {
            let (low, high) = indicator.target.bounds();
            vec![
                Cell::Id(new_record_id()),
                Cell::Id(new_record_id()),
                Cell::Id(new_record_id()),
                text(nip.as_str()),
                Cell::Int(i64::from(plan.year)),
                text(plan.approach.as_str()),
                text(plan.status.as_str()),
                text(result_code.clone()),
                text(work_result.section.as_str()),
                text(work_result.description.clone()),
                optional(work_result.perspective.clone()),
                optional(parent_result.clone()),
                text(indicator_code.clone()),
                text(indicator.description.clone()),
                text(indicator.aspect.as_str()),
                text(indicator.target.kind_name()),
                Cell::Number(Some(low)),
                Cell::Number(Some(high)),
                text(indicator.unit_of_measure.clone()),
                text(indicator.accumulation.as_str()),
            ]
        }
        ImportRow::Realisation { nip, year, result_code, indicator_code, realisation, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            Cell::Int(i64::from(*year)),
            text(result_code.clone()),
            text(indicator_code.clone()),
            text(realisation.period.to_string()),
            Cell::Date(realisation.period.start()),
            Cell::Date(realisation.period.end()),
            Cell::Number(Some(realisation.value)),
            optional(realisation.evidence.note.clone()),
            optional(realisation.evidence.link.clone()),
        ],
        ImportRow::Training { nip, programme, started_on, finished_on, hours, certificate, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            text(programme.clone()),
            Cell::Date(*started_on),
            Cell::Date(*finished_on),
            Cell::Int(i64::from(*hours)),
            optional(certificate.clone()),
        ],
        ImportRow::Competency { nip, competency, level, assessed_on, assessor, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            text(competency.clone()),
            Cell::Int(i64::from(*level)),
            Cell::Date(*assessed_on),
            optional(assessor.clone()),
        ],
        ImportRow::Talent { nip, assessed_on, potential, assessor, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            Cell::Date(*assessed_on),
            text(potential.as_str()),
            optional(assessor.clone()),
        ],
        ImportRow::Qualification { nip, education, institution, graduated_on, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            text(education.as_str()),
            optional(institution.clone()),
            Cell::Date(*graduated_on),
        ],
        ImportRow::Discipline { nip, decided_on, level, penalty, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            Cell::Date(*decided_on),
            text(level.as_str()),
            text(penalty.clone()),
        ],
        ImportRow::PastResult { nip, result, source, .. } => vec![
            Cell::Id(new_record_id()),
            text(nip.as_str()),
            Cell::Int(i64::from(result.year)),
            text(result.rule_pack.id.clone()),
            Cell::Int(i64::from(result.rule_pack.version)),
            text(result.regime.as_str()),
            Cell::Number(result.score),
            text(result.predikat.clone()),
            optional(source.clone()),
        ],
        ImportRow::OrganisationPredikat { .. } | ImportRow::BehaviourRating { .. } => Vec::new(),
    }
}

/// A check run on the staged rows: each returned `(line, detail)` is a problem with `field`, told by
/// `message` with the detail.
struct Check {
    field: &'static str,
    sql: &'static str,
    message: fn(&str) -> String,
}

/// The statements of one staged kind, in order: resolve the staged rows against the database into
/// `import_resolved` (with `existing_id` and `changed`), check, then merge.
struct KindStatements {
    resolve: &'static [&'static str],
    checks: &'static [Check],
    merge: &'static [&'static str],
    /// Checks that need the merged state (cycles), run before committing.
    after_merge: &'static [Check],
}

const DUPLICATE: fn(&str) -> String = |detail| format!("repeats the key of line {detail}");

/// A row whose NIP no employee has (for kinds whose resolved rows carry `employee_id`).
const UNKNOWN_EMPLOYEE: Check = Check {
    field: "nip",
    sql: "SELECT line, nip FROM import_resolved WHERE employee_id IS NULL",
    message: |nip| format!("no employee has NIP {nip}"),
};

fn statements(kind: ImportKind) -> KindStatements {
    match kind {
        ImportKind::Units => KindStatements { resolve: &[], checks: &[], merge: &[], after_merge: &[] },
        ImportKind::Positions => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (code)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, r.code, r.title, r.kind, u.id AS unit_id,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.title <> r.title OR x.kind <> r.kind OR x.unit_id <> u.id THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN units u ON u.code = r.unit_code LEFT JOIN positions x ON x.code = r.code",
            ],
            checks: &[
                Check {
                    field: "code",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.code = r.code AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                Check {
                    field: "unit_code",
                    sql: "SELECT r.line, r.unit_code FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = r.unit_code)",
                    message: |code| format!("no unit has code {code}"),
                },
            ],
            merge: &[
                "UPDATE positions SET title = r.title, kind = r.kind, unit_id = r.unit_id FROM import_resolved r WHERE positions.id = r.existing_id AND r.changed = 1",
                "INSERT INTO positions (id, code, title, kind, unit_id) SELECT id, code, title, kind, unit_id FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::Employees => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, r.nip, r.name, r.employment_type, r.rank,
                   r.birth_date, r.sex, p.id AS position_id, u.id AS unit_id, COALESCE(se.id, sr.new_id) AS superior_id,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.name <> r.name OR x.employment_type <> r.employment_type OR x.rank <> r.rank
                          OR x.position_id <> p.id OR x.unit_id <> u.id
                          OR COALESCE(x.superior_id, x.id) <> COALESCE(se.id, sr.new_id, x.id) THEN 1 ELSE 0 END AS changed
                 FROM import_rows r
                 LEFT JOIN units u ON u.code = r.unit_code
                 LEFT JOIN positions p ON p.code = r.position_code
                 LEFT JOIN employees x ON x.nip = r.nip
                 LEFT JOIN employees se ON se.nip = r.superior_nip
                 LEFT JOIN import_rows sr ON sr.nip = r.superior_nip AND se.id IS NULL",
            ],
            checks: &[
                Check {
                    field: "nip",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                Check {
                    field: "unit_code",
                    sql: "SELECT r.line, r.unit_code FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.code = r.unit_code)",
                    message: |code| format!("no unit has code {code}"),
                },
                Check {
                    field: "position_code",
                    sql: "SELECT r.line, r.position_code FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.code = r.position_code)",
                    message: |code| format!("no position has code {code}"),
                },
                Check {
                    field: "position_code",
                    sql: "SELECT r.line, r.position_code || ' is a position of another unit than ' || r.unit_code FROM import_rows r
                          JOIN positions p ON p.code = r.position_code JOIN units u ON u.code = r.unit_code WHERE p.unit_id <> u.id",
                    message: |detail| detail.to_owned(),
                },
                Check {
                    field: "superior_nip",
                    sql: "SELECT r.line, r.superior_nip FROM import_rows r WHERE r.superior_nip IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM employees e WHERE e.nip = r.superior_nip)
                          AND NOT EXISTS (SELECT 1 FROM import_rows s WHERE s.nip = r.superior_nip)",
                    message: |nip| format!("no employee has NIP {nip}, in the database or the file"),
                },
                Check {
                    field: "superior_nip",
                    sql: "SELECT line, nip FROM import_rows WHERE superior_nip = nip",
                    message: |_| "an employee cannot be their own superior".to_owned(),
                },
            ],
            merge: &[
                "UPDATE employees SET name = r.name, employment_type = r.employment_type, rank = r.rank, position_id = r.position_id,
                   unit_id = r.unit_id, superior_id = r.superior_id FROM import_resolved r WHERE employees.id = r.existing_id AND r.changed = 1",
                "INSERT INTO employees (id, nip, name, employment_type, rank, birth_date, sex, position_id, unit_id, superior_id, created_at)
                 SELECT id, nip, name, employment_type, rank, birth_date, sex, position_id, unit_id, superior_id, $1
                 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[Check {
                field: "superior_nip",
                sql: "WITH RECURSIVE walk (start, current, depth) AS (
                        SELECT e.id, e.superior_id, 1 FROM employees e JOIN import_resolved r ON r.id = e.id WHERE e.superior_id IS NOT NULL
                        UNION ALL
                        SELECT w.start, e.superior_id, w.depth + 1 FROM walk w JOIN employees e ON e.id = w.current
                        WHERE w.current <> w.start AND w.depth < 64 AND e.superior_id IS NOT NULL)
                      SELECT r.line, r.nip FROM walk w JOIN import_resolved r ON r.id = w.start WHERE w.current = w.start",
                message: |nip| format!("the chain of superiors from {nip} comes back to {nip}"),
            }],
        },
        ImportKind::Plans => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, year, result_code, indicator_code)",
                // One row per plan and per work result, taking the ids of their first line.
                "CREATE TEMP TABLE import_plans AS
                 SELECT r.nip, r.year, MIN(r.line) AS first_line FROM import_rows r GROUP BY r.nip, r.year",
                "CREATE TEMP TABLE import_results AS
                 SELECT r.nip, r.year, r.result_code, MIN(r.line) AS first_line FROM import_rows r GROUP BY r.nip, r.year, r.result_code",
                "CREATE INDEX import_rows_line ON import_rows (line)",
                "CREATE INDEX import_plans_key ON import_plans (nip, year)",
                "CREATE INDEX import_results_key ON import_results (nip, year, result_code)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.*, e.id AS employee_id, e.superior_id AS rater_id,
                   COALESCE(xp.id, fp.new_plan_id) AS plan_id, xp.id AS existing_plan_id,
                   COALESCE(xw.id, fw.new_result_id) AS result_id, xw.id AS existing_result_id,
                   COALESCE(xi.id, r.new_id) AS id, xi.id AS existing_id,
                   COALESCE(pw.id, pf.new_result_id) AS parent_result_id,
                   CASE WHEN xi.id IS NULL THEN NULL
                        WHEN xi.description <> r.indicator_description OR xi.aspect <> r.aspect OR xi.target_kind <> r.target_kind
                          OR xi.target_low <> r.target_low OR xi.target_high <> r.target_high
                          OR xi.unit_of_measure <> r.unit_of_measure OR xi.accumulation <> r.accumulation
                          OR xw.section <> r.section OR xw.description <> r.result_description
                          OR COALESCE(xw.perspective, '') <> COALESCE(r.perspective, '')
                          OR COALESCE(xw.parent_id, xw.id) <> COALESCE(pw.id, pf.new_result_id, xw.id)
                          OR xp.approach <> r.approach OR xp.status <> r.status THEN 1 ELSE 0 END AS changed
                 FROM import_rows r
                 LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN plans xp ON xp.employee_id = e.id AND xp.year = r.year
                 JOIN import_plans gp ON gp.nip = r.nip AND gp.year = r.year
                 JOIN import_rows fp ON fp.line = gp.first_line
                 LEFT JOIN work_results xw ON xw.plan_id = xp.id AND xw.code = r.result_code
                 JOIN import_results gw ON gw.nip = r.nip AND gw.year = r.year AND gw.result_code = r.result_code
                 JOIN import_rows fw ON fw.line = gw.first_line
                 LEFT JOIN indicators xi ON xi.work_result_id = xw.id AND xi.code = r.indicator_code
                 LEFT JOIN plans pp ON pp.employee_id = e.superior_id AND pp.year = r.year
                 LEFT JOIN work_results pw ON pw.plan_id = pp.id AND pw.code = r.parent_result_code
                 LEFT JOIN employees se ON se.id = e.superior_id
                 LEFT JOIN import_results pg ON pw.id IS NULL AND pg.nip = se.nip AND pg.year = r.year AND pg.result_code = r.parent_result_code
                 LEFT JOIN import_rows pf ON pf.line = pg.first_line",
            ],
            checks: &[
                Check {
                    field: "indicator_code",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip AND o.year = r.year
                          AND o.result_code = r.result_code AND o.indicator_code = r.indicator_code AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                Check {
                    field: "result_description",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip AND o.year = r.year
                          AND o.result_code = r.result_code AND o.line < r.line
                          WHERE o.section <> r.section OR o.result_description <> r.result_description
                             OR COALESCE(o.perspective, '') <> COALESCE(r.perspective, '')
                             OR COALESCE(o.parent_result_code, '') <> COALESCE(r.parent_result_code, '')
                          GROUP BY r.line",
                    message: |first| format!("describes the work result differently from line {first}"),
                },
                Check {
                    field: "approach",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip AND o.year = r.year
                          AND o.line < r.line WHERE o.approach <> r.approach OR o.status <> r.status GROUP BY r.line",
                    message: |first| format!("gives the plan another approach or status than line {first}"),
                },
                UNKNOWN_EMPLOYEE,
                Check {
                    field: "parent_result_code",
                    sql: "SELECT line, parent_result_code FROM import_resolved
                          WHERE employee_id IS NOT NULL AND parent_result_code IS NOT NULL AND parent_result_id IS NULL",
                    message: |code| format!("the rater's plan of that year has no work result {code}, in the database or the file"),
                },
            ],
            merge: &[
                "INSERT INTO plans (id, employee_id, year, rater_id, approach, status, version, created_at, updated_at)
                 SELECT plan_id, employee_id, year, rater_id, approach, status, 1, $1, $1 FROM import_resolved
                 WHERE existing_plan_id IS NULL AND line IN (SELECT first_line FROM import_plans)",
                "UPDATE plans SET approach = r.approach, status = r.status, version = plans.version + 1, updated_at = $1
                 FROM import_resolved r WHERE plans.id = r.existing_plan_id AND r.line IN (SELECT first_line FROM import_plans)
                 AND (plans.approach <> r.approach OR plans.status <> r.status)",
                "INSERT INTO work_results (id, plan_id, code, section, description, perspective, parent_id, ordinal)
                 SELECT result_id, plan_id, result_code, section, result_description, perspective, parent_result_id,
                   (SELECT COUNT(*) FROM work_results w WHERE w.plan_id = r.plan_id)
                   + (SELECT COUNT(*) FROM import_results g WHERE g.nip = r.nip AND g.year = r.year AND g.first_line < r.line)
                 FROM import_resolved r WHERE existing_result_id IS NULL AND line IN (SELECT first_line FROM import_results)",
                "UPDATE work_results SET section = r.section, description = r.result_description, perspective = r.perspective,
                   parent_id = r.parent_result_id
                 FROM import_resolved r WHERE work_results.id = r.existing_result_id AND r.line IN (SELECT first_line FROM import_results)",
                "INSERT INTO indicators (id, work_result_id, code, description, aspect, target_kind, target_low, target_high,
                   unit_of_measure, accumulation, ordinal)
                 SELECT id, result_id, indicator_code, indicator_description, aspect, target_kind, target_low, target_high,
                   unit_of_measure, accumulation,
                   (SELECT COUNT(*) FROM indicators i WHERE i.work_result_id = r.result_id)
                   + (SELECT COUNT(*) FROM import_rows o WHERE o.nip = r.nip AND o.year = r.year AND o.result_code = r.result_code AND o.line < r.line)
                 FROM import_resolved r WHERE existing_id IS NULL",
                "UPDATE indicators SET description = r.indicator_description, aspect = r.aspect, target_kind = r.target_kind,
                   target_low = r.target_low, target_high = r.target_high, unit_of_measure = r.unit_of_measure, accumulation = r.accumulation
                 FROM import_resolved r WHERE indicators.id = r.existing_id AND r.changed = 1",
            ],
            after_merge: &[],
        },
        ImportKind::Realisations => KindStatements {
            resolve: &[
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, r.new_id, r.nip, r.year, r.result_code, r.indicator_code, r.period, r.period_start, r.period_end,
                   r.value, r.evidence_note, r.evidence_link, e.id AS employee_id, p.id AS plan_id, w.id AS work_result_id,
                   i.id AS indicator_id, i.accumulation, p.status AS plan_status, x.id AS existing_id,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.value <> r.value OR COALESCE(x.evidence_note, '') <> COALESCE(r.evidence_note, '')
                          OR COALESCE(x.evidence_link, '') <> COALESCE(r.evidence_link, '') THEN 1 ELSE 0 END AS changed
                 FROM import_rows r
                 LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN plans p ON p.employee_id = e.id AND p.year = r.year
                 LEFT JOIN work_results w ON w.plan_id = p.id AND w.code = r.result_code
                 LEFT JOIN indicators i ON i.work_result_id = w.id AND i.code = r.indicator_code
                 LEFT JOIN realisations x ON x.indicator_id = i.id AND x.period = r.period",
                "CREATE INDEX import_resolved_indicator ON import_resolved (indicator_id)",
            ],
            checks: &[
                UNKNOWN_EMPLOYEE,
                Check {
                    field: "year",
                    sql: "SELECT line, nip || ' has no plan for ' || CAST(year AS TEXT) FROM import_resolved WHERE employee_id IS NOT NULL AND plan_id IS NULL",
                    message: |detail| detail.to_owned(),
                },
                Check {
                    field: "result_code",
                    sql: "SELECT line, result_code FROM import_resolved WHERE plan_id IS NOT NULL AND work_result_id IS NULL",
                    message: |code| format!("the plan has no work result {code}"),
                },
                Check {
                    field: "indicator_code",
                    sql: "SELECT line, indicator_code FROM import_resolved WHERE work_result_id IS NOT NULL AND indicator_id IS NULL",
                    message: |code| format!("the work result has no indicator {code}"),
                },
                Check {
                    field: "year",
                    sql: "SELECT line, 'the ' || CAST(year AS TEXT) || ' plan of ' || nip || ' is ' || plan_status
                          || '; realisations are recorded on approved plans (a final plan changes only through an objection)'
                          FROM import_resolved WHERE plan_id IS NOT NULL AND plan_status <> 'approved'",
                    message: |detail| detail.to_owned(),
                },
                Check {
                    field: "period",
                    // A summed indicator adds its realisations up over the year: periods of two lengths
                    // would count the same months twice. The first granularity of each is that of its recorded
                    // realisations, else that of its first row in the file.
                    sql: "SELECT s.line, s.indicator_code || ' is summed and realised per ' || f.granularity || ' (' || f.period
                            || '), so ' || s.period || ' cannot be added'
                          FROM (SELECT line, indicator_id, indicator_code, period, CASE WHEN LENGTH(period) = 4 THEN 'year' WHEN SUBSTR(period, 6, 1) = 'S' THEN 'semester' WHEN SUBSTR(period, 6, 1) = 'Q' THEN 'quarter' ELSE 'month' END AS granularity
                                FROM import_resolved WHERE accumulation = 'sum') s
                          JOIN (SELECT indicator_id, granularity, period FROM (
                                  SELECT indicator_id, granularity, period, ROW_NUMBER() OVER (PARTITION BY indicator_id ORDER BY line) AS n
                                  FROM (SELECT x.indicator_id, CASE WHEN LENGTH(x.period) = 4 THEN 'year' WHEN SUBSTR(x.period, 6, 1) = 'S' THEN 'semester' WHEN SUBSTR(x.period, 6, 1) = 'Q' THEN 'quarter' ELSE 'month' END AS granularity, x.period, 0 AS line
                                        FROM realisations x
                                        WHERE x.indicator_id IN (SELECT indicator_id FROM import_resolved WHERE accumulation = 'sum')
                                        UNION ALL
                                        SELECT indicator_id, CASE WHEN LENGTH(period) = 4 THEN 'year' WHEN SUBSTR(period, 6, 1) = 'S' THEN 'semester' WHEN SUBSTR(period, 6, 1) = 'Q' THEN 'quarter' ELSE 'month' END, period, line
                                        FROM import_resolved WHERE accumulation = 'sum') candidates) ranked
                                WHERE n = 1) f
                            ON f.indicator_id = s.indicator_id AND f.granularity <> s.granularity",
                    message: |detail| detail.to_owned(),
                },
                Check {
                    field: "period",
                    // One aggregation instead of a self-join: the last repeat of each key is reported.
                    sql: "SELECT MAX(line), CAST(MIN(line) AS TEXT) FROM import_resolved WHERE indicator_id IS NOT NULL
                          GROUP BY indicator_id, period HAVING COUNT(*) > 1",
                    message: DUPLICATE,
                },
            ],
            merge: &[
                // A changed realisation keeps its earlier value in its history, as a correction does.
                "INSERT INTO realisation_history (id, realisation_id, value, evidence_note, evidence_link, source, recorded_at, replaced_at, replaced_by)
                 SELECT r.new_id, x.id, x.value, x.evidence_note, x.evidence_link, x.source, x.recorded_at, $1, NULL
                 FROM import_resolved r JOIN realisations x ON x.id = r.existing_id WHERE r.changed = 1",
                "UPDATE realisations SET value = r.value, evidence_note = r.evidence_note, evidence_link = r.evidence_link,
                   source = 'import', recorded_at = $1, version = realisations.version + 1
                 FROM import_resolved r WHERE realisations.id = r.existing_id AND r.changed = 1",
                "INSERT INTO realisations (id, indicator_id, period, period_start, period_end, value, evidence_note, evidence_link, source, recorded_at, version)
                 SELECT new_id, indicator_id, period, period_start, period_end, value, evidence_note, evidence_link, 'import', $1, 1
                 FROM import_resolved WHERE existing_id IS NULL ORDER BY indicator_id, period",
            ],
            after_merge: &[],
        },
        ImportKind::TrainingRecords => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, programme, started_on)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, e.id AS employee_id, r.nip, r.programme,
                   r.started_on, r.finished_on, r.hours, r.certificate,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.finished_on <> r.finished_on OR x.hours <> r.hours
                          OR COALESCE(x.certificate, '') <> COALESCE(r.certificate, '') THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN training_records x ON x.employee_id = e.id AND x.programme = r.programme AND x.started_on = r.started_on",
            ],
            checks: &[
                Check {
                    field: "started_on",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip
                          AND o.programme = r.programme AND o.started_on = r.started_on AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                UNKNOWN_EMPLOYEE,
            ],
            merge: &[
                "UPDATE training_records SET finished_on = r.finished_on, hours = r.hours, certificate = r.certificate
                 FROM import_resolved r WHERE training_records.id = r.existing_id AND r.changed = 1",
                "INSERT INTO training_records (id, employee_id, programme, started_on, finished_on, hours, certificate, created_at)
                 SELECT id, employee_id, programme, started_on, finished_on, hours, certificate, $1 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::CompetencyAssessments => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, competency, assessed_on)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, e.id AS employee_id, r.nip, r.competency,
                   r.level, r.assessed_on, r.assessor,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.level <> r.level OR COALESCE(x.assessor, '') <> COALESCE(r.assessor, '') THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN competency_assessments x ON x.employee_id = e.id AND x.competency = r.competency AND x.assessed_on = r.assessed_on",
            ],
            checks: &[
                Check {
                    field: "assessed_on",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip
                          AND o.competency = r.competency AND o.assessed_on = r.assessed_on AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                UNKNOWN_EMPLOYEE,
            ],
            merge: &[
                "UPDATE competency_assessments SET level = r.level, assessor = r.assessor
                 FROM import_resolved r WHERE competency_assessments.id = r.existing_id AND r.changed = 1",
                "INSERT INTO competency_assessments (id, employee_id, competency, level, assessed_on, assessor, created_at)
                 SELECT id, employee_id, competency, level, assessed_on, assessor, $1 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::TalentAssessments => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, assessed_on)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, e.id AS employee_id, r.nip,
                   r.assessed_on, r.potential, r.assessor,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.potential <> r.potential OR COALESCE(x.assessor, '') <> COALESCE(r.assessor, '') THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN talent_assessments x ON x.employee_id = e.id AND x.assessed_on = r.assessed_on",
            ],
            checks: &[
                Check {
                    field: "assessed_on",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip
                          AND o.assessed_on = r.assessed_on AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                UNKNOWN_EMPLOYEE,
            ],
            merge: &[
                "UPDATE talent_assessments SET potential = r.potential, assessor = r.assessor
                 FROM import_resolved r WHERE talent_assessments.id = r.existing_id AND r.changed = 1",
                "INSERT INTO talent_assessments (id, employee_id, assessed_on, potential, assessor, created_at)
                 SELECT id, employee_id, assessed_on, potential, assessor, $1 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::Qualifications => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, education)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, e.id AS employee_id, r.nip,
                   r.education, r.institution, r.graduated_on,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.graduated_on <> r.graduated_on OR COALESCE(x.institution, '') <> COALESCE(r.institution, '') THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN qualifications x ON x.employee_id = e.id AND x.education = r.education",
            ],
            checks: &[
                Check {
                    field: "education",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip
                          AND o.education = r.education AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                UNKNOWN_EMPLOYEE,
            ],
            merge: &[
                "UPDATE qualifications SET institution = r.institution, graduated_on = r.graduated_on
                 FROM import_resolved r WHERE qualifications.id = r.existing_id AND r.changed = 1",
                "INSERT INTO qualifications (id, employee_id, education, institution, graduated_on, created_at)
                 SELECT id, employee_id, education, institution, graduated_on, $1 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::DisciplineRecords => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, decided_on, level)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, e.id AS employee_id, r.nip,
                   r.decided_on, r.level, r.penalty,
                   CASE WHEN x.id IS NULL THEN NULL WHEN x.penalty <> r.penalty THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN discipline_records x ON x.employee_id = e.id AND x.decided_on = r.decided_on AND x.level = r.level",
            ],
            checks: &[
                Check {
                    field: "level",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip
                          AND o.decided_on = r.decided_on AND o.level = r.level AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                UNKNOWN_EMPLOYEE,
            ],
            merge: &[
                "UPDATE discipline_records SET penalty = r.penalty
                 FROM import_resolved r WHERE discipline_records.id = r.existing_id AND r.changed = 1",
                "INSERT INTO discipline_records (id, employee_id, decided_on, level, penalty, created_at)
                 SELECT id, employee_id, decided_on, level, penalty, $1 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::PastResults => KindStatements {
            resolve: &[
                "CREATE INDEX import_rows_key ON import_rows (nip, year)",
                "CREATE TEMP TABLE import_resolved AS
                 SELECT r.line, COALESCE(x.id, r.new_id) AS id, x.id AS existing_id, e.id AS employee_id, r.nip, r.year,
                   r.rule_pack, r.rule_pack_version, r.regime, r.score, r.predikat, r.source,
                   CASE WHEN x.id IS NULL THEN NULL
                        WHEN x.rule_pack <> r.rule_pack OR x.rule_pack_version <> r.rule_pack_version OR x.predikat <> r.predikat
                          OR COALESCE(x.score, -1) <> COALESCE(r.score, -1) OR COALESCE(x.source, '') <> COALESCE(r.source, '')
                        THEN 1 ELSE 0 END AS changed
                 FROM import_rows r LEFT JOIN employees e ON e.nip = r.nip
                 LEFT JOIN past_results x ON x.employee_id = e.id AND x.year = r.year",
            ],
            checks: &[
                Check {
                    field: "year",
                    sql: "SELECT r.line, CAST(MIN(o.line) AS TEXT) FROM import_rows r JOIN import_rows o ON o.nip = r.nip
                          AND o.year = r.year AND o.line < r.line GROUP BY r.line",
                    message: DUPLICATE,
                },
                UNKNOWN_EMPLOYEE,
                Check {
                    field: "year",
                    // A year kinerja holds a plan for takes its result from that plan.
                    sql: "SELECT r.line, r.nip || ' has a plan for ' || CAST(r.year AS TEXT) || ' in kinerja, and that year''s result comes from it'
                          FROM import_resolved r JOIN plans p ON p.employee_id = r.employee_id AND p.year = r.year",
                    message: |detail| detail.to_owned(),
                },
            ],
            merge: &[
                "UPDATE past_results SET rule_pack = r.rule_pack, rule_pack_version = r.rule_pack_version, regime = r.regime,
                   score = r.score, predikat = r.predikat, source = r.source, recorded_at = $1
                 FROM import_resolved r WHERE past_results.id = r.existing_id AND r.changed = 1",
                "INSERT INTO past_results (id, employee_id, year, rule_pack, rule_pack_version, regime, score, predikat, source, recorded_at)
                 SELECT id, employee_id, year, rule_pack, rule_pack_version, regime, score, predikat, source, $1
                 FROM import_resolved WHERE existing_id IS NULL",
            ],
            after_merge: &[],
        },
        ImportKind::OrganisationPredikat | ImportKind::BehaviourRatings => {
            KindStatements { resolve: &[], checks: &[], merge: &[], after_merge: &[] }
        }
    }
}

/// The temporary tables an import works in, dropped before it starts and before it commits.
const WORK_TABLES: [&str; 4] = ["import_rows", "import_resolved", "import_plans", "import_results"];

/// Rows staged per statement on SQLite (its bound-parameter limit is 32,766).
const SQLITE_ROWS_PER_INSERT: usize = 400;
/// Bytes of COPY data sent per round on PostgreSQL.
const COPY_CHUNK_BYTES: usize = 1 << 20;

enum Transaction {
    Postgres(sqlx::Transaction<'static, Postgres>),
    Sqlite(sqlx::Transaction<'static, Sqlite>),
}

/// Runs the same code on either backend's transaction (the code is compiled once for each).
macro_rules! on_transaction {
    ($transaction:expr, $txn:ident => $body:expr) => {
        match $transaction {
            Transaction::Postgres($txn) => $body,
            Transaction::Sqlite($txn) => $body,
        }
    };
}

impl Transaction {
    async fn execute(&mut self, sql: &str, now: Option<DateTime<Utc>>) -> StoreResult<u64> {
        let started = std::time::Instant::now();
        let affected = self.execute_timed(sql, now).await?;
        tracing::debug!(elapsed = ?started.elapsed(), affected, statement = first_words(sql), "import statement");
        Ok(affected)
    }

    async fn execute_timed(&mut self, sql: &str, now: Option<DateTime<Utc>>) -> StoreResult<u64> {
        Ok(on_transaction!(self, txn => {
            let mut query = sqlx::query(safe(sql));
            if let Some(now) = now {
                query = query.bind(now);
            }
            query.execute(&mut **txn).await.map_err(database)?.rows_affected()
        }))
    }

    /// Rows of `(line, detail)`.
    async fn problems(&mut self, sql: &str, limit: usize) -> StoreResult<Vec<(i64, String)>> {
        let started = std::time::Instant::now();
        let found = self.problems_timed(sql, limit).await?;
        tracing::debug!(elapsed = ?started.elapsed(), found = found.len(), check = first_words(sql), "import check");
        Ok(found)
    }

    async fn problems_timed(&mut self, sql: &str, limit: usize) -> StoreResult<Vec<(i64, String)>> {
        let sql = format!("{sql} ORDER BY 1 LIMIT {limit}");
        let pairs = |line: i64, detail: Option<String>| (line, detail.unwrap_or_default());
        Ok(on_transaction!(self, txn => sqlx::query(safe(&sql))
            .fetch_all(&mut **txn)
            .await
            .map_err(database)?
            .iter()
            .map(|row| pairs(row.get(0), row.get(1)))
            .collect()))
    }

    async fn count(&mut self, sql: &str) -> StoreResult<u64> {
        let count: i64 =
            on_transaction!(self, txn => sqlx::query_scalar(safe(sql)).fetch_one(&mut **txn).await.map_err(database)?);
        Ok(u64::try_from(count).unwrap_or_default())
    }
}

/// The start of a statement, to name it in the debug log.
fn first_words(sql: &str) -> String {
    sql.split_whitespace().take(12).collect::<Vec<_>>().join(" ")
}

/// Import statements are built from this module's constants and column lists only, never from input.
fn safe(sql: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.to_owned())
}

fn database(error: sqlx::Error) -> StoreError {
    StoreError::Database(sea_orm::DbErr::Custom(error.to_string()))
}

fn sql_type(cell: CellType, postgres: bool) -> &'static str {
    match (cell, postgres) {
        (T::Text, _) => "TEXT",
        (T::Int, _) => "BIGINT",
        (T::Id, true) => "UUID",
        (T::Id, false) => "BLOB",
        (T::Date, true) => "DATE",
        (T::Date, false) => "TEXT",
        (T::Number, true) => "NUMERIC",
        (T::Number, false) => "REAL",
    }
}

/// Appends a CSV field for `COPY … (FORMAT csv)`: NULL unquoted and empty, text always quoted.
fn copy_field(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Text(None) | Cell::Number(None) => {}
        Cell::Text(Some(text)) => {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        }
        Cell::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Cell::Id(id) => {
            let _ = write!(out, "{id}");
        }
        Cell::Date(date) => {
            let _ = write!(out, "{date}");
        }
        Cell::Number(Some(value)) => {
            let _ = write!(out, "{value}");
        }
    }
}

/// An import in progress: rows are staged as they come; nothing is visible to others until
/// [`ImportSession::finish`] commits, and dropping the session rolls everything back.
pub struct ImportSession {
    kind: ImportKind,
    txn: Transaction,
    pending: Vec<(u64, Vec<Cell>)>,
    units: Vec<ImportRow>,
    rows: u64,
    actor: Option<Actor>,
    started: std::time::Instant,
}

impl Store {
    /// Starts an import of one kind in its own transaction, with an empty staging table.
    pub async fn begin_import(&self, kind: ImportKind, actor: Option<Actor>) -> StoreResult<ImportSession> {
        if let Some(actor) = &actor {
            Store::require(actor, kinerja_domain::Capability::ManageIntegrations)?;
        }
        if !kind.staged() {
            return Err(StoreError::FailedPrecondition(format!(
                "{} are imported through their checked writers, not staged",
                kind.as_str()
            )));
        }
        let columns = staging_columns(kind);
        let mut txn = match self.db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                Transaction::Postgres(self.db.pool().get_postgres_connection_pool().begin().await.map_err(database)?)
            }
            _ => {
                let txn = self
                    .db
                    .pool()
                    .get_sqlite_connection_pool()
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(database)?;
                Transaction::Sqlite(txn)
            }
        };
        let postgres = matches!(txn, Transaction::Postgres(_));
        if !postgres {
            // Rows of one file may refer to each other (superiors); keys are checked at commit.
            txn.execute("PRAGMA defer_foreign_keys = ON", None).await?;
        }
        for table in WORK_TABLES {
            txn.execute(&format!("DROP TABLE IF EXISTS {table}"), None).await?;
        }
        let mut ddl = String::from("CREATE TEMP TABLE import_rows (line BIGINT NOT NULL");
        for (name, cell) in columns {
            let _ = write!(ddl, ", {name} {}", sql_type(*cell, postgres));
        }
        ddl.push(')');
        if postgres {
            ddl.push_str(" ON COMMIT DROP");
        }
        txn.execute(&ddl, None).await?;
        Ok(ImportSession {
            kind,
            txn,
            pending: Vec::new(),
            units: Vec::new(),
            rows: 0,
            actor,
            started: std::time::Instant::now(),
        })
    }
}

impl ImportSession {
    /// Stages one row (of this session's kind).
    pub async fn push(&mut self, row: ImportRow) -> StoreResult<()> {
        if row.kind() != self.kind {
            return Err(StoreError::FailedPrecondition(format!(
                "a {} row in an import of {}",
                row.kind().as_str(),
                self.kind.as_str()
            )));
        }
        self.rows += 1;
        if self.kind == ImportKind::Units {
            self.units.push(row);
            return Ok(());
        }
        self.pending.push((row.line(), cells(&row)));
        let full = match self.txn {
            Transaction::Postgres(_) => self.pending.len() >= 20_000,
            Transaction::Sqlite(_) => self.pending.len() >= SQLITE_ROWS_PER_INSERT,
        };
        if full {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> StoreResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let columns = staging_columns(self.kind);
        let names: Vec<&str> = std::iter::once("line").chain(columns.iter().map(|(name, _)| *name)).collect();
        let pending = std::mem::take(&mut self.pending);
        match &mut self.txn {
            Transaction::Postgres(txn) => {
                let statement = format!("COPY import_rows ({}) FROM STDIN (FORMAT csv)", names.join(", "));
                let mut copy = txn.copy_in_raw(&statement).await.map_err(database)?;
                let mut buffer = String::with_capacity(COPY_CHUNK_BYTES + 4096);
                for (line, cells) in &pending {
                    let _ = write!(buffer, "{line}");
                    for cell in cells {
                        buffer.push(',');
                        copy_field(&mut buffer, cell);
                    }
                    buffer.push('\n');
                    if buffer.len() >= COPY_CHUNK_BYTES {
                        copy.send(buffer.as_bytes()).await.map_err(database)?;
                        buffer.clear();
                    }
                }
                if !buffer.is_empty() {
                    copy.send(buffer.as_bytes()).await.map_err(database)?;
                }
                copy.finish().await.map_err(database)?;
            }
            Transaction::Sqlite(txn) => {
                let placeholders = format!("({})", vec!["?"; names.len()].join(", "));
                let statement = format!(
                    "INSERT INTO import_rows ({}) VALUES {}",
                    names.join(", "),
                    vec![placeholders.as_str(); pending.len()].join(", ")
                );
                let mut query = sqlx::query(safe(&statement));
                for (line, cells) in pending {
                    query = query.bind(i64::try_from(line).unwrap_or(i64::MAX));
                    for cell in cells {
                        query = match cell {
                            Cell::Text(text) => query.bind(text),
                            Cell::Int(value) => query.bind(value),
                            Cell::Id(id) => query.bind(id),
                            Cell::Date(date) => query.bind(date),
                            Cell::Number(value) => query.bind(value.and_then(|v| v.to_f64())),
                        };
                    }
                }
                query.execute(&mut **txn).await.map_err(database)?;
            }
        }
        Ok(())
    }

    /// Checks the staged rows and reports every problem, in line order, at most `limit`. With no problem
    /// the rows are merged and, unless `dry_run`, committed.
    pub async fn finish(mut self, limit: usize, dry_run: bool) -> StoreResult<ImportOutcome> {
        self.flush().await?;
        tracing::debug!(rows = self.rows, elapsed = ?self.started.elapsed(), "import rows read and staged");
        if self.kind == ImportKind::Units {
            return self.finish_units(limit, dry_run).await;
        }
        let statements = statements(self.kind);
        for statement in statements.resolve {
            self.txn.execute(statement, None).await?;
        }
        let mut problems = Vec::new();
        for check in statements.checks {
            for (line, detail) in self.txn.problems(check.sql, limit).await? {
                problems.push(problem(line, check, &detail));
            }
        }
        if !problems.is_empty() {
            return Ok(Err(sorted(problems, limit)));
        }
        let summary = self.summary().await?;
        let now = Utc::now();
        for statement in statements.merge {
            self.txn.execute(statement, statement.contains("$1").then_some(now)).await?;
        }
        if self.kind == ImportKind::TrainingRecords {
            for statement in crate::development_plans::credit_statements("SELECT employee_id FROM import_resolved") {
                self.txn.execute(&statement, Some(now)).await?;
            }
        }
        for check in statements.after_merge {
            for (line, detail) in self.txn.problems(check.sql, limit).await? {
                problems.push(problem(line, check, &detail));
            }
        }
        if !problems.is_empty() {
            return Ok(Err(sorted(problems, limit)));
        }
        self.commit(summary, dry_run).await
    }

    async fn summary(&mut self) -> StoreResult<ImportSummary> {
        let inserted = self.txn.count("SELECT COUNT(*) FROM import_resolved WHERE existing_id IS NULL").await?;
        let updated = self.txn.count("SELECT COUNT(*) FROM import_resolved WHERE changed = 1").await?;
        Ok(ImportSummary { rows: self.rows, inserted, updated, unchanged: self.rows - inserted - updated })
    }

    async fn commit(mut self, summary: ImportSummary, dry_run: bool) -> StoreResult<ImportOutcome> {
        for table in WORK_TABLES {
            self.txn.execute(&format!("DROP TABLE IF EXISTS {table}"), None).await?;
        }
        if dry_run {
            on_transaction!(self.txn, txn => txn.rollback().await.map_err(database)?);
            return Ok(Ok(summary));
        }
        if summary.inserted + summary.updated > 0 {
            self.audit(summary).await?;
        }
        on_transaction!(self.txn, txn => txn.commit().await.map_err(database)?);
        Ok(Ok(summary))
    }

    /// One audit event per import, in the chain like every other change.
    async fn audit(&mut self, summary: ImportSummary) -> StoreResult<()> {
        let after = serde_json::json!({
            "kind": self.kind.as_str(),
            "rows": summary.rows,
            "inserted": summary.inserted,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
        });
        let event = crate::entity::audit_event::Model {
            id: new_record_id(),
            occurred_at: Utc::now(),
            actor_id: self.actor.as_ref().map(|a| a.employee_id),
            actor_role: self.actor.as_ref().and_then(|a| a.role).map(|r| r.as_str().to_owned()),
            action: format!("import.{}", self.kind.as_str()),
            entity_type: "import".to_owned(),
            entity_id: new_record_id(),
            before: None,
            after: Some(after.to_string()),
            sequence: None,
            previous_hash: None,
            hash: None,
        };
        let mut event = event;
        let last_sql =
            "SELECT sequence, hash FROM audit_events WHERE sequence IS NOT NULL ORDER BY sequence DESC LIMIT 1";
        if let Transaction::Postgres(txn) = &mut self.txn {
            // Writers append to the chain one at a time, as everywhere else.
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(crate::audit_chain::CHAIN_LOCK)
                .execute(&mut **txn)
                .await
                .map_err(database)?;
        }
        let last: Option<(Option<i64>, Option<String>)> = on_transaction!(&mut self.txn, txn =>
            sqlx::query_as(safe(last_sql)).fetch_optional(&mut **txn).await.map_err(database)?);
        crate::audit_chain::link(&mut event, last);
        let insert = "INSERT INTO audit_events (id, occurred_at, actor_id, actor_role, action, entity_type, entity_id, before, after, sequence, previous_hash, hash)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11)";
        on_transaction!(&mut self.txn, txn => {
                sqlx::query(safe(insert))
                    .bind(event.id)
                    .bind(event.occurred_at)
                    .bind(event.actor_id)
                    .bind(event.actor_role.clone())
                    .bind(event.action.clone())
                    .bind(event.entity_type.clone())
                    .bind(event.entity_id)
                    .bind(event.after.clone())
                    .bind(event.sequence)
                    .bind(event.previous_hash.clone())
                    .bind(event.hash.clone())
                    .execute(&mut **txn)
                    .await
                    .map_err(database)?;
        });
        Ok(())
    }
}

fn problem(line: i64, check: &Check, detail: &str) -> RowProblem {
    RowProblem {
        line: u64::try_from(line).unwrap_or_default(),
        field: check.field.to_owned(),
        message: (check.message)(detail),
    }
}

fn sorted(mut problems: Vec<RowProblem>, limit: usize) -> Vec<RowProblem> {
    problems.sort_by_key(|p| p.line);
    problems.truncate(limit);
    problems
}

/// A unit as the tree will be after the import.
struct TreeUnit {
    id: Uuid,
    code: UnitCode,
    kind: kinerja_domain::UnitKind,
    parent: Option<UnitCode>,
}

impl ImportSession {
    /// Units are few (thousands even for a province), so they are merged in memory: the whole tree after
    /// the import is checked (parents exist, kinds fit, no cycles) and every path recomputed.
    async fn finish_units(mut self, limit: usize, dry_run: bool) -> StoreResult<ImportOutcome> {
        type Existing = (Uuid, String, String, String, Option<Uuid>, String, i32);
        let mut problems = Vec::new();
        let sql = "SELECT id, code, name, kind, parent_id, path, depth FROM units";
        let existing: Vec<Existing> = on_transaction!(&mut self.txn, txn => sqlx::query_as(safe(sql)).fetch_all(&mut **txn).await.map_err(database)?);
        let code_of: std::collections::HashMap<Uuid, String> =
            existing.iter().map(|(id, code, ..)| (*id, code.clone())).collect();
        let mut tree: std::collections::BTreeMap<String, TreeUnit> = std::collections::BTreeMap::new();
        for (id, code, _, kind, parent_id, _, _) in &existing {
            let (Ok(code), Ok(kind)) = (UnitCode::parse(code), kind.parse()) else {
                return Err(StoreError::Corrupt {
                    table: "units",
                    id: id.to_string(),
                    reason: "unreadable code or kind".to_owned(),
                });
            };
            let parent = parent_id.and_then(|p| code_of.get(&p)).and_then(|c| UnitCode::parse(c).ok());
            tree.insert(code.to_string(), TreeUnit { id: *id, code, kind, parent });
        }
        let field = |line: u64, field: &str, message: String| RowProblem { line, field: field.to_owned(), message };
        let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        let rows = std::mem::take(&mut self.units);
        for row in &rows {
            let ImportRow::Unit { line, unit, parent } = row else { continue };
            if let Some(first) = seen.insert(unit.code.to_string(), *line) {
                problems.push(field(*line, "code", format!("repeats the key of line {first}")));
                continue;
            }
            let id = tree.get(unit.code.as_str()).map_or_else(new_record_id, |u| u.id);
            tree.insert(
                unit.code.to_string(),
                TreeUnit { id, code: unit.code.clone(), kind: unit.kind, parent: parent.clone() },
            );
        }
        for row in &rows {
            let ImportRow::Unit { line, unit, parent } = row else { continue };
            let parent_unit = match parent {
                Some(code) => match tree.get(code.as_str()) {
                    Some(found) => Some(found),
                    None => {
                        problems.push(field(
                            *line,
                            "parent_code",
                            format!("no unit has code {code}, in the database or the file"),
                        ));
                        continue;
                    }
                },
                None => None,
            };
            let mut ancestors: Vec<&UnitCode> = Vec::new();
            let mut cursor = parent_unit.and_then(|p| p.parent.as_ref());
            while let Some(code) = cursor {
                if ancestors.contains(&code) || ancestors.len() > tree.len() {
                    break;
                }
                ancestors.push(code);
                cursor = tree.get(code.as_str()).and_then(|u| u.parent.as_ref());
            }
            let placed = kinerja_domain::PlacedUnit { code: &unit.code, kind: unit.kind };
            let parent_placed = parent_unit.map(|p| kinerja_domain::PlacedUnit { code: &p.code, kind: p.kind });
            if let Err(error) = kinerja_domain::check_placement(placed, parent_placed, &ancestors) {
                problems.push(field(*line, "parent_code", error.to_string()));
            }
        }
        if !problems.is_empty() {
            return Ok(Err(sorted(problems, limit)));
        }
        // Paths from the roots down, for the whole tree after the import.
        let mut paths: std::collections::HashMap<String, (String, i32)> = std::collections::HashMap::new();
        let mut remaining: Vec<&TreeUnit> = tree.values().collect();
        while !remaining.is_empty() {
            let before = remaining.len();
            remaining.retain(|unit| {
                let parent_path = match &unit.parent {
                    None => Some(("/".to_owned(), -1)),
                    Some(parent) => paths.get(parent.as_str()).cloned(),
                };
                match parent_path {
                    Some((path, depth)) => {
                        paths.insert(unit.code.to_string(), (crate::org::child_path(&path, unit.id), depth + 1));
                        false
                    }
                    None => true,
                }
            });
            if remaining.len() == before {
                return Err(StoreError::FailedPrecondition("the unit tree has a cycle outside the file".to_owned()));
            }
        }
        let stored: std::collections::HashMap<&str, &Existing> = existing.iter().map(|e| (e.1.as_str(), e)).collect();
        let mut summary = ImportSummary { rows: self.rows, ..ImportSummary::default() };
        let now = Utc::now();
        let mut row_of: std::collections::HashMap<&str, &Unit> = std::collections::HashMap::new();
        for row in &rows {
            if let ImportRow::Unit { unit, .. } = row {
                row_of.insert(unit.code.as_str(), unit);
            }
        }
        // Parents before children: foreign keys are checked row by row on PostgreSQL.
        let mut ordered: Vec<&TreeUnit> = tree.values().collect();
        ordered.sort_by_key(|unit| paths[unit.code.as_str()].1);
        for unit in ordered {
            let (path, depth) = paths[unit.code.as_str()].clone();
            let parent_id = unit.parent.as_ref().map(|p| tree[p.as_str()].id);
            let in_file = row_of.get(unit.code.as_str());
            let name = match (in_file, stored.get(unit.code.as_str())) {
                (Some(row), _) => row.name.clone(),
                (None, Some(existing)) => existing.2.clone(),
                (None, None) => continue,
            };
            match stored.get(unit.code.as_str()) {
                None => {
                    summary.inserted += 1;
                    let sql = "INSERT INTO units (id, code, name, kind, parent_id, path, depth, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
                    self.unit_statement(sql, unit, &name, parent_id, &path, depth, Some(now)).await?;
                }
                Some(existing) => {
                    let changed = existing.2 != name || existing.3 != unit.kind.as_str() || existing.4 != parent_id;
                    if changed && in_file.is_some() {
                        summary.updated += 1;
                    }
                    if changed || existing.5 != path || existing.6 != depth {
                        let sql = "UPDATE units SET code = $2, name = $3, kind = $4, parent_id = $5, path = $6, depth = $7 WHERE id = $1";
                        self.unit_statement(sql, unit, &name, parent_id, &path, depth, None).await?;
                    }
                }
            }
        }
        summary.unchanged = summary.rows - summary.inserted - summary.updated;
        self.commit(summary, dry_run).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn unit_statement(
        &mut self,
        sql: &str,
        unit: &TreeUnit,
        name: &str,
        parent_id: Option<Uuid>,
        path: &str,
        depth: i32,
        created_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        on_transaction!(&mut self.txn, txn => {
                let mut query = sqlx::query(safe(sql))
                    .bind(unit.id)
                    .bind(unit.code.as_str())
                    .bind(name)
                    .bind(unit.kind.as_str())
                    .bind(parent_id)
                    .bind(path)
                    .bind(depth);
                if let Some(created_at) = created_at {
                    query = query.bind(created_at);
                }
                query.execute(&mut **txn).await.map_err(database)?;
        });
        Ok(())
    }
}
