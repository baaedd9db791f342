//! On PostgreSQL, the `analytics` schema: read-only views for BI tools, each with a `_masked` variant
//! (names, NIPs and free text masked, birth dates cut to the year), and two roles to grant them through:
//! `kinerja_analyst` reads only the masked views, `kinerja_reader` all of them. SQLite has no schemas or
//! roles; its analysts use `kinerja export`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Each view: name, select list of the full view, select list of the masked one, and FROM clause.
const VIEWS: [(&str, &str, &str, &str); 6] = [
    (
        "employees",
        "e.id AS employee_key, e.nip, e.name, e.employment_type, e.rank, e.sex, e.birth_date, u.code AS unit_code, \
         u.name AS unit_name, p.code AS position_code, p.title AS position_title, p.kind AS position_kind, \
         e.superior_id AS superior_key",
        "e.id AS employee_key, '(masked)'::text AS nip, '(masked)'::text AS name, e.employment_type, e.rank, e.sex, \
         date_trunc('year', e.birth_date)::date AS birth_date, u.code AS unit_code, u.name AS unit_name, \
         p.code AS position_code, p.title AS position_title, p.kind AS position_kind, e.superior_id AS superior_key",
        "employees e JOIN units u ON u.id = e.unit_id JOIN positions p ON p.id = e.position_id",
    ),
    (
        "indicators",
        "i.id AS indicator_key, pl.employee_id AS employee_key, e.nip, pl.year, pl.status, w.code AS result_code, \
         w.section, w.description AS result_description, i.code AS indicator_code, i.description AS indicator_description, \
         i.aspect, i.target_kind, i.target_low, i.target_high, i.unit_of_measure, i.accumulation",
        "i.id AS indicator_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, pl.year, pl.status, \
         w.code AS result_code, w.section, '(masked)'::text AS result_description, i.code AS indicator_code, \
         '(masked)'::text AS indicator_description, i.aspect, i.target_kind, i.target_low, i.target_high, \
         i.unit_of_measure, i.accumulation",
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
        "v.id AS evaluation_key, pl.employee_id AS employee_key, e.nip, pl.year, v.period, v.predikat, \
         v.proposed_result_rating, v.proposed_behaviour_rating, v.predikat_basis, v.pack_id, v.pack_version, v.computed_at",
        "v.id AS evaluation_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, pl.year, v.period, v.predikat, \
         v.proposed_result_rating, v.proposed_behaviour_rating, v.predikat_basis, v.pack_id, v.pack_version, v.computed_at",
        "evaluations v JOIN plans pl ON pl.id = v.plan_id JOIN employees e ON e.id = pl.employee_id",
    ),
    (
        "indicator_achievements",
        "a.evaluation_id AS evaluation_key, a.indicator_id AS indicator_key, a.employee_id AS employee_key, e.nip, \
         a.period, a.aspect, a.achievement",
        "a.evaluation_id AS evaluation_key, a.indicator_id AS indicator_key, a.employee_id AS employee_key, \
         '(masked)'::text AS nip, a.period, a.aspect, a.achievement",
        "indicator_achievements a JOIN employees e ON e.id = a.employee_id",
    ),
    (
        "training_needs",
        "n.id AS need_key, n.employee_id AS employee_key, e.nip, n.year, n.reason, n.topic, n.detail, n.priority, \
         n.suggested_programmes, n.status, n.planned_programme, n.planned_on, n.closed_reason, n.updated_at",
        "n.id AS need_key, n.employee_id AS employee_key, '(masked)'::text AS nip, n.year, n.reason, n.topic, \
         '(masked)'::text AS detail, n.priority, n.suggested_programmes, n.status, n.planned_programme, n.planned_on, \
         '(masked)'::text AS closed_reason, n.updated_at",
        "training_needs n JOIN employees e ON e.id = n.employee_id",
    ),
];

/// Lesson hours per employee and year, from the training records.
const DEVELOPMENT_HOURS: &str = "SELECT t.employee_id AS employee_key, NIP, \
    CAST(EXTRACT(YEAR FROM t.finished_on) AS INTEGER) AS year, SUM(t.hours) AS hours, COUNT(*) AS trainings \
    FROM training_records t JOIN employees e ON e.id = t.employee_id \
    GROUP BY t.employee_id, e.nip, EXTRACT(YEAR FROM t.finished_on)";

/// Roles belong to the cluster, so another database may have created them already, perhaps just now.
const ROLES: [&str; 2] = [
    "DO $$ BEGIN CREATE ROLE kinerja_analyst NOLOGIN;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
    "DO $$ BEGIN CREATE ROLE kinerja_reader NOLOGIN;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
];

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared("CREATE SCHEMA analytics").await?;
        for role in ROLES {
            db.execute_unprepared(role).await?;
        }
        create_views(db).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared("DROP SCHEMA analytics CASCADE").await?;
        Ok(())
    }
}

/// Creates every view of the `analytics` schema and grants them to the two roles.
pub(crate) async fn create_views(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    let mut masked = Vec::new();
    let mut full = Vec::new();
    for (name, columns, masked_columns, from) in VIEWS {
        db.execute_unprepared(&format!("CREATE VIEW analytics.{name} AS SELECT {columns} FROM {from}")).await?;
        db.execute_unprepared(&format!("CREATE VIEW analytics.{name}_masked AS SELECT {masked_columns} FROM {from}"))
            .await?;
        full.push(format!("analytics.{name}"));
        masked.push(format!("analytics.{name}_masked"));
    }
    db.execute_unprepared(&format!(
        "CREATE VIEW analytics.development_hours AS {}",
        DEVELOPMENT_HOURS.replace("NIP", "e.nip")
    ))
    .await?;
    db.execute_unprepared(&format!(
        "CREATE VIEW analytics.development_hours_masked AS {}",
        DEVELOPMENT_HOURS.replace("NIP", "'(masked)'::text AS nip")
    ))
    .await?;
    full.push("analytics.development_hours".into());
    masked.push("analytics.development_hours_masked".into());
    db.execute_unprepared("GRANT USAGE ON SCHEMA analytics TO kinerja_analyst, kinerja_reader").await?;
    db.execute_unprepared(&format!("GRANT SELECT ON {} TO kinerja_analyst, kinerja_reader", masked.join(", "))).await?;
    db.execute_unprepared(&format!("GRANT SELECT ON {} TO kinerja_reader", full.join(", "))).await?;
    Ok(())
}

/// Drops every view of the `analytics` schema, keeping the schema and its roles.
pub(crate) async fn drop_views(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    for (name, ..) in VIEWS {
        db.execute_unprepared(&format!("DROP VIEW analytics.{name}, analytics.{name}_masked")).await?;
    }
    db.execute_unprepared("DROP VIEW analytics.development_hours, analytics.development_hours_masked").await?;
    Ok(())
}
