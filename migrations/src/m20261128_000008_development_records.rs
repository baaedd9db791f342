//! What employees did to develop: training attended (with its lesson hours, JP) and competency
//! assessments, as personnel systems export them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum TrainingRecords {
    Table,
    Id,
    EmployeeId,
    Programme,
    StartedOn,
    FinishedOn,
    Hours,
    Certificate,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CompetencyAssessments {
    Table,
    Id,
    EmployeeId,
    Competency,
    Level,
    AssessedOn,
    Assessor,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingRecords::Table)
                    .col(pk_uuid(TrainingRecords::Id))
                    .col(uuid(TrainingRecords::EmployeeId))
                    .col(string_len(TrainingRecords::Programme, 200))
                    .col(date(TrainingRecords::StartedOn))
                    .col(date(TrainingRecords::FinishedOn))
                    // Lesson hours (jam pelajaran) the training counts for.
                    .col(integer(TrainingRecords::Hours))
                    .col(string_len_null(TrainingRecords::Certificate, 200))
                    .col(timestamp_with_time_zone(TrainingRecords::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (TrainingRecords::Table, TrainingRecords::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_training_records_employee_programme_start",
                    TrainingRecords::Table,
                    [TrainingRecords::EmployeeId, TrainingRecords::Programme, TrainingRecords::StartedOn],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencyAssessments::Table)
                    .col(pk_uuid(CompetencyAssessments::Id))
                    .col(uuid(CompetencyAssessments::EmployeeId))
                    .col(string_len(CompetencyAssessments::Competency, 120))
                    .col(integer(CompetencyAssessments::Level))
                    .col(date(CompetencyAssessments::AssessedOn))
                    .col(string_len_null(CompetencyAssessments::Assessor, 200))
                    .col(timestamp_with_time_zone(CompetencyAssessments::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (CompetencyAssessments::Table, CompetencyAssessments::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_competency_assessments_employee_competency_date",
                    CompetencyAssessments::Table,
                    [
                        CompetencyAssessments::EmployeeId,
                        CompetencyAssessments::Competency,
                        CompetencyAssessments::AssessedOn,
                    ],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["competency_assessments", "training_records"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
