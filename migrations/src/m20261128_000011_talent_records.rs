//! What the talent box and the Indeks Profesionalitas need beyond performance: potential assessments,
//! formal qualifications and discipline penalties, as personnel systems export them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum TalentAssessments {
    Table,
    Id,
    EmployeeId,
    AssessedOn,
    Potential,
    Assessor,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Qualifications {
    Table,
    Id,
    EmployeeId,
    Education,
    Institution,
    GraduatedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DisciplineRecords {
    Table,
    Id,
    EmployeeId,
    DecidedOn,
    Level,
    Penalty,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

fn employee_key<T: IntoIden>(table: T, column: T) -> ForeignKeyCreateStatement {
    foreign_key((table, column), (Employees::Table, Employees::Id), ForeignKeyAction::Cascade)
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TalentAssessments::Table)
                    .col(pk_uuid(TalentAssessments::Id))
                    .col(uuid(TalentAssessments::EmployeeId))
                    .col(date(TalentAssessments::AssessedOn))
                    // rendah, menengah or tinggi.
                    .col(string_len(TalentAssessments::Potential, 16))
                    .col(string_len_null(TalentAssessments::Assessor, 200))
                    .col(timestamp_with_time_zone(TalentAssessments::CreatedAt))
                    .foreign_key(&mut employee_key(TalentAssessments::Table, TalentAssessments::EmployeeId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_talent_assessments_employee_date",
                    TalentAssessments::Table,
                    [TalentAssessments::EmployeeId, TalentAssessments::AssessedOn],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Qualifications::Table)
                    .col(pk_uuid(Qualifications::Id))
                    .col(uuid(Qualifications::EmployeeId))
                    // s3, s2, s1, d4, d3, d2, d1 or slta.
                    .col(string_len(Qualifications::Education, 8))
                    .col(string_len_null(Qualifications::Institution, 200))
                    .col(date(Qualifications::GraduatedOn))
                    .col(timestamp_with_time_zone(Qualifications::CreatedAt))
                    .foreign_key(&mut employee_key(Qualifications::Table, Qualifications::EmployeeId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_qualifications_employee_education",
                    Qualifications::Table,
                    [Qualifications::EmployeeId, Qualifications::Education],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisciplineRecords::Table)
                    .col(pk_uuid(DisciplineRecords::Id))
                    .col(uuid(DisciplineRecords::EmployeeId))
                    .col(date(DisciplineRecords::DecidedOn))
                    // ringan, sedang or berat.
                    .col(string_len(DisciplineRecords::Level, 8))
                    .col(string_len(DisciplineRecords::Penalty, 200))
                    .col(timestamp_with_time_zone(DisciplineRecords::CreatedAt))
                    .foreign_key(&mut employee_key(DisciplineRecords::Table, DisciplineRecords::EmployeeId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_discipline_records_employee_date_level",
                    DisciplineRecords::Table,
                    [DisciplineRecords::EmployeeId, DisciplineRecords::DecidedOn, DisciplineRecords::Level],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["discipline_records", "qualifications", "talent_assessments"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
