//! Each evaluation's indicator achievements as rows, so that dimensions and indicators can be grouped
//! in SQL; and the training needs derived from a year's results, with their progress.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum IndicatorAchievements {
    Table,
    EvaluationId,
    IndicatorId,
    EmployeeId,
    Period,
    Aspect,
    Achievement,
}

#[derive(DeriveIden)]
enum TrainingNeeds {
    Table,
    Id,
    EmployeeId,
    Year,
    Reason,
    Topic,
    Detail,
    Priority,
    SuggestedProgrammes,
    Status,
    PlannedProgramme,
    PlannedOn,
    TrainingRecordId,
    ClosedReason,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Indicators {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingRecords {
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
                    .table(IndicatorAchievements::Table)
                    .col(uuid(IndicatorAchievements::EvaluationId))
                    .col(uuid(IndicatorAchievements::IndicatorId))
                    // Copied from the evaluation and its plan so that roll-ups join fewer tables.
                    .col(uuid(IndicatorAchievements::EmployeeId))
                    .col(string_len(IndicatorAchievements::Period, 8))
                    .col(string_len(IndicatorAchievements::Aspect, 16))
                    // Null while the indicator has no realisation yet.
                    .col(decimal_len_null(IndicatorAchievements::Achievement, 9, 2))
                    .primary_key(
                        Index::create()
                            .col(IndicatorAchievements::EvaluationId)
                            .col(IndicatorAchievements::IndicatorId),
                    )
                    .foreign_key(&mut foreign_key(
                        (IndicatorAchievements::Table, IndicatorAchievements::EvaluationId),
                        (Evaluations::Table, Evaluations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (IndicatorAchievements::Table, IndicatorAchievements::IndicatorId),
                        (Indicators::Table, Indicators::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (IndicatorAchievements::Table, IndicatorAchievements::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ix_indicator_achievements_period_employee",
                    IndicatorAchievements::Table,
                    [IndicatorAchievements::Period, IndicatorAchievements::EmployeeId],
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ix_indicator_achievements_indicator",
                    IndicatorAchievements::Table,
                    [IndicatorAchievements::IndicatorId],
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingNeeds::Table)
                    .col(pk_uuid(TrainingNeeds::Id))
                    .col(uuid(TrainingNeeds::EmployeeId))
                    .col(integer(TrainingNeeds::Year))
                    // predikat, behaviour, dimension, competency or hours.
                    .col(string_len(TrainingNeeds::Reason, 16))
                    // What the need is about within its reason: a BerAKHLAK value, an aspect, a competency.
                    .col(string_len(TrainingNeeds::Topic, 120))
                    .col(text(TrainingNeeds::Detail))
                    .col(string_len(TrainingNeeds::Priority, 8))
                    // Programme codes of the development catalogue, comma-separated.
                    .col(text(TrainingNeeds::SuggestedProgrammes))
                    .col(string_len(TrainingNeeds::Status, 12))
                    .col(string_len_null(TrainingNeeds::PlannedProgramme, 200))
                    .col(date_null(TrainingNeeds::PlannedOn))
                    .col(uuid_null(TrainingNeeds::TrainingRecordId))
                    .col(text_null(TrainingNeeds::ClosedReason))
                    .col(timestamp_with_time_zone(TrainingNeeds::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingNeeds::UpdatedAt))
                    .col(integer(TrainingNeeds::Version))
                    .foreign_key(&mut foreign_key(
                        (TrainingNeeds::Table, TrainingNeeds::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (TrainingNeeds::Table, TrainingNeeds::TrainingRecordId),
                        (TrainingRecords::Table, TrainingRecords::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_training_needs_employee_year_reason_topic",
                    TrainingNeeds::Table,
                    [TrainingNeeds::EmployeeId, TrainingNeeds::Year, TrainingNeeds::Reason, TrainingNeeds::Topic],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ix_training_needs_year_status",
                    TrainingNeeds::Table,
                    [TrainingNeeds::Year, TrainingNeeds::Status],
                )
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["training_needs", "indicator_achievements"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
