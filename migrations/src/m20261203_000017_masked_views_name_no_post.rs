//! On PostgreSQL, the masked `analytics` views name no post and carry no free text an analyst could
//! recognise someone by: `employees_masked` masks the position's code and title (its kind stays), and
//! `training_needs_masked` the planned programme, as the API masks them for analysts. Migration 15's
//! masked views of these two are dropped and made again (and back on down).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261202_000015_analytics_views_as_the_api::VIEWS;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The masked views made again: name, select list, FROM clause.
pub(crate) const MASKED: [(&str, &str); 2] = [
    (
        "employees",
        "e.id AS employee_key, '(masked)'::text AS nip, '(masked)'::text AS name, UPPER(e.employment_type) AS employment_type, \
         e.rank, UPPER(e.sex) AS sex, date_trunc('year', e.birth_date)::date AS birth_date, u.code AS unit_code, \
         u.name AS unit_name, '(masked)'::text AS position_code, '(masked)'::text AS position_title, \
         UPPER(p.kind) AS position_kind, e.superior_id AS superior_key",
    ),
    (
        "training_needs",
        "n.id AS need_key, n.employee_id AS employee_key, '(masked)'::text AS nip, n.year, UPPER(n.reason) AS reason, \
         n.topic, '(masked)'::text AS detail, UPPER(n.priority) AS priority, n.suggested_programmes, \
         UPPER(n.status) AS status, '(masked)'::text AS planned_programme, n.planned_on, \
         '(masked)'::text AS closed_reason, n.updated_at",
    ),
];

/// Replaces the masked view `name` with `columns` over `from`, granted as before.
pub(crate) async fn replace(
    db: &SchemaManagerConnection<'_>,
    name: &str,
    columns: &str,
    from: &str,
) -> Result<(), DbErr> {
    let columns = crate::m20261202_000015_analytics_views_as_the_api::expand(columns);
    db.execute_unprepared(&format!("DROP VIEW analytics.{name}_masked")).await?;
    db.execute_unprepared(&format!("CREATE VIEW analytics.{name}_masked AS SELECT {columns} FROM {from}")).await?;
    db.execute_unprepared(&format!("GRANT SELECT ON analytics.{name}_masked TO kinerja_analyst, kinerja_reader"))
        .await?;
    Ok(())
}

/// The FROM clause of migration 15's view `name`.
fn from_of(name: &str) -> &'static str {
    VIEWS.iter().find(|view| view.0 == name).map(|view| view.3).expect("a view of migration 15")
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (name, columns) in MASKED {
            replace(manager.get_connection(), name, columns, from_of(name)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (name, _) in MASKED {
            let columns = VIEWS.iter().find(|view| view.0 == name).map(|view| view.2).expect("a view of migration 15");
            replace(manager.get_connection(), name, columns, from_of(name)).await?;
        }
        Ok(())
    }
}
