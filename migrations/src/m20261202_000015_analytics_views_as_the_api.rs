//! On PostgreSQL, the `analytics` views speak as the API and `kinerja export` do: enumerated values in
//! the API's spelling (`AT_LEAST`, `SANGAT_BAIK`), a target's lower bound empty for `AT_MOST` and its
//! upper bound empty for `AT_LEAST`, and each evaluation with the employee's unit and the year's
//! decision. The views of migration 10 are dropped and these created in their place (and back on down).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261128_000010_analytics_views as first_views;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Each view: name, select list of the full view, select list of the masked one, and FROM clause.
pub(crate) const VIEWS: [(&str, &str, &str, &str); 6] = [
    (
        "employees",
        "e.id AS employee_key, e.nip, e.name, UPPER(e.employment_type) AS employment_type, e.rank, UPPER(e.sex) AS sex, \
         e.birth_date, u.code AS unit_code, u.name AS unit_name, p.code AS position_code, p.title AS position_title, \
         UPPER(p.kind) AS position_kind, e.superior_id AS superior_key",
        "e.id AS employee_key, '(masked)'::text AS nip, '(masked)'::text AS name, UPPER(e.employment_type) AS employment_type, \
         e.rank, UPPER(e.sex) AS sex, date_trunc('year', e.birth_date)::date AS birth_date, u.code AS unit_code, \
         u.name AS unit_name, p.code AS position_code, p.title AS position_title, UPPER(p.kind) AS position_kind, \
         e.superior_id AS superior_key",
        "employees e JOIN units u ON u.id = e.unit_id JOIN positions p ON p.id = e.position_id",
    ),
    (
        "indicators",
        "i.id AS indicator_key, pl.employee_id AS employee_key, e.nip, pl.year, UPPER(pl.status) AS status, \
         w.code AS result_code, UPPER(w.section) AS section, w.description AS result_description, i.code AS indicator_code, \
         i.description AS indicator_description, UPPER(i.aspect) AS aspect, UPPER(i.target_kind) AS target_kind, TARGETS, \
         i.unit_of_measure, UPPER(i.accumulation) AS accumulation",
        "i.id AS indicator_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, pl.year, UPPER(pl.status) AS status, \
         w.code AS result_code, UPPER(w.section) AS section, '(masked)'::text AS result_description, \
         i.code AS indicator_code, '(masked)'::text AS indicator_description, UPPER(i.aspect) AS aspect, \
         UPPER(i.target_kind) AS target_kind, TARGETS, i.unit_of_measure, UPPER(i.accumulation) AS accumulation",
        "indicators i JOIN work_results w ON w.id = i.work_result_id JOIN plans pl ON pl.id = w.plan_id \
         JOIN employees e ON e.id = pl.employee_id",
    ),
    (
        "realisations",
        "x.id AS realisation_key, x.indicator_id AS indicator_key, pl.employee_id AS employee_key, e.nip, pl.year, \
         x.period, x.period_start, x.period_end, x.value, x.evidence_note, x.evidence_link, x.source, x.recorded_at",
        "x.id AS realisation_key, x.indicator_id AS indicator_key, pl.employee_id AS employee_key, \
         '(masked)'::text AS nip, pl.year, x.period, x.period_start, x.period_end, x.value, \
         '(masked)'::text AS evidence_note, '(masked)'::text AS evidence_link, x.source, x.recorded_at",
        "realisations x JOIN indicators i ON i.id = x.indicator_id JOIN work_results w ON w.id = i.work_result_id \
         JOIN plans pl ON pl.id = w.plan_id JOIN employees e ON e.id = pl.employee_id",
    ),
    (
        "evaluations",
        "v.id AS evaluation_key, pl.employee_id AS employee_key, e.nip, u.code AS unit_code, pl.year, v.period, EVALUATION",
        "v.id AS evaluation_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, u.code AS unit_code, pl.year, \
         v.period, EVALUATION",
        // The year's decision, when the rater has made it, beside each evaluation of the plan.
        "evaluations v JOIN plans pl ON pl.id = v.plan_id JOIN employees e ON e.id = pl.employee_id \
         JOIN units u ON u.id = e.unit_id LEFT JOIN rating_decisions d ON d.plan_id = pl.id AND d.year = pl.year",
    ),
    (
        "indicator_achievements",
        "a.evaluation_id AS evaluation_key, a.indicator_id AS indicator_key, a.employee_id AS employee_key, e.nip, \
         a.period, UPPER(a.aspect) AS aspect, a.achievement",
        "a.evaluation_id AS evaluation_key, a.indicator_id AS indicator_key, a.employee_id AS employee_key, \
         '(masked)'::text AS nip, a.period, UPPER(a.aspect) AS aspect, a.achievement",
        "indicator_achievements a JOIN employees e ON e.id = a.employee_id",
    ),
    (
        "training_needs",
        "n.id AS need_key, n.employee_id AS employee_key, e.nip, n.year, UPPER(n.reason) AS reason, n.topic, n.detail, \
         UPPER(n.priority) AS priority, n.suggested_programmes, UPPER(n.status) AS status, n.planned_programme, \
         n.planned_on, n.closed_reason, n.updated_at",
        "n.id AS need_key, n.employee_id AS employee_key, '(masked)'::text AS nip, n.year, UPPER(n.reason) AS reason, \
         n.topic, '(masked)'::text AS detail, UPPER(n.priority) AS priority, n.suggested_programmes, \
         UPPER(n.status) AS status, n.planned_programme, n.planned_on, '(masked)'::text AS closed_reason, n.updated_at",
        "training_needs n JOIN employees e ON e.id = n.employee_id",
    ),
];

/// A target's bounds as the API gives them.
const TARGETS: &str = "CASE WHEN i.target_kind = 'at_most' THEN NULL ELSE i.target_low END AS target_low, \
    CASE WHEN i.target_kind = 'at_least' THEN NULL ELSE i.target_high END AS target_high";

/// An evaluation's proposal and the year's decision (no free text: the override reason stays out).
const EVALUATION: &str = "UPPER(v.predikat) AS predikat, UPPER(v.proposed_result_rating) AS proposed_result_rating, \
    UPPER(v.proposed_behaviour_rating) AS proposed_behaviour_rating, v.predikat_basis, \
    v.pack_id, v.pack_version, v.computed_at, UPPER(d.result_rating) AS decided_result_rating, \
    UPPER(d.behaviour_rating) AS decided_behaviour_rating, UPPER(d.predikat) AS decided_predikat, d.decided_at, \
    d.finalised_at";

pub(crate) fn expand(columns: &str) -> String {
    columns.replace("TARGETS", TARGETS).replace("EVALUATION", EVALUATION)
}

/// Creates the views of this migration and grants them to the two roles of migration 10.
async fn create_views(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    let mut masked = Vec::new();
    let mut full = Vec::new();
    for (name, columns, masked_columns, from) in VIEWS {
        let (columns, masked_columns) = (expand(columns), expand(masked_columns));
        db.execute_unprepared(&format!("CREATE VIEW analytics.{name} AS SELECT {columns} FROM {from}")).await?;
        db.execute_unprepared(&format!("CREATE VIEW analytics.{name}_masked AS SELECT {masked_columns} FROM {from}"))
            .await?;
        full.push(format!("analytics.{name}"));
        masked.push(format!("analytics.{name}_masked"));
    }
    db.execute_unprepared(&format!("GRANT SELECT ON {} TO kinerja_analyst, kinerja_reader", masked.join(", "))).await?;
    db.execute_unprepared(&format!("GRANT SELECT ON {} TO kinerja_reader", full.join(", "))).await?;
    Ok(())
}

/// Drops the six views both migrations define; `development_hours` stays as migration 10 made it.
async fn drop_views(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    for (name, ..) in VIEWS {
        db.execute_unprepared(&format!("DROP VIEW analytics.{name}, analytics.{name}_masked")).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        drop_views(db).await?;
        create_views(db).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        drop_views(db).await?;
        // Migration 10's set again, development_hours included.
        db.execute_unprepared("DROP VIEW analytics.development_hours, analytics.development_hours_masked").await?;
        first_views::create_views(db).await
    }
}
