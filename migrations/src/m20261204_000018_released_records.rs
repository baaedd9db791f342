//! What an analyst may be shown of each person, as kinerja works it out (`kinerja_domain::generalise`):
//! the unit the record is shown under and the quasi-identifiers released, `NULL` where withheld. The
//! store rewrites the table (`Store::publish_release`); on PostgreSQL the masked views of employees and
//! evaluations read it instead of the exact unit, rank, sex and birth date, and name no superior.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::helpers::foreign_key;
use crate::m20261202_000015_analytics_views_as_the_api::VIEWS;
use crate::m20261203_000017_masked_views_name_no_post::replace;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ReleasedRecords {
    Table,
    EmployeeId,
    ShownUnitId,
    PositionKind,
    PositionCategory,
    Rank,
    EmploymentType,
    Sex,
    BirthDecade,
    ServiceDecade,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

/// The masked views read from the released records: name, select list, FROM clause.
pub(crate) const MASKED: [(&str, &str, &str); 2] = [
    (
        "employees",
        "e.id AS employee_key, '(masked)'::text AS nip, '(masked)'::text AS name, r.employment_type, r.rank, r.sex, \
         NULL::date AS birth_date, r.birth_decade, r.service_decade, u.code AS unit_code, u.name AS unit_name, \
         '(masked)'::text AS position_code, '(masked)'::text AS position_title, r.position_kind, \
         r.position_category, NULL::uuid AS superior_key",
        "employees e JOIN released_records r ON r.employee_id = e.id JOIN units u ON u.id = r.shown_unit_id",
    ),
    (
        "evaluations",
        "v.id AS evaluation_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, u.code AS unit_code, pl.year, \
         v.period, EVALUATION",
        "evaluations v JOIN plans pl ON pl.id = v.plan_id JOIN employees e ON e.id = pl.employee_id \
         JOIN released_records r ON r.employee_id = e.id JOIN units u ON u.id = r.shown_unit_id \
         LEFT JOIN rating_decisions d ON d.plan_id = pl.id AND d.year = pl.year",
    ),
];

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReleasedRecords::Table)
                    .col(pk_uuid(ReleasedRecords::EmployeeId))
                    .col(uuid(ReleasedRecords::ShownUnitId))
                    .col(string_len_null(ReleasedRecords::PositionKind, 16))
                    .col(string_len_null(ReleasedRecords::PositionCategory, 16))
                    .col(string_len_null(ReleasedRecords::Rank, 16))
                    .col(string_len_null(ReleasedRecords::EmploymentType, 8))
                    .col(string_len_null(ReleasedRecords::Sex, 8))
                    .col(integer_null(ReleasedRecords::BirthDecade))
                    .col(integer_null(ReleasedRecords::ServiceDecade))
                    .foreign_key(&mut foreign_key(
                        (ReleasedRecords::Table, ReleasedRecords::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (ReleasedRecords::Table, ReleasedRecords::ShownUnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            for (name, columns, from) in MASKED {
                replace(manager.get_connection(), name, columns, from).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            let view = |name: &str| VIEWS.iter().find(|view| view.0 == name).expect("a view of migration 15");
            let employees = crate::m20261203_000017_masked_views_name_no_post::MASKED[0].1;
            replace(db, "employees", employees, view("employees").3).await?;
            let evaluations = view("evaluations");
            replace(db, "evaluations", evaluations.2, evaluations.3).await?;
        }
        manager.drop_table(Table::drop().table(ReleasedRecords::Table).to_owned()).await
    }
}
