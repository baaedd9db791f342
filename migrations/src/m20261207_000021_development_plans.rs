//! Individual development plans (rencana pengembangan kompetensi): an employee's goals of a year, each
//! tied to a training need when one raised it, agreed with the rater and carried on from the year
//! before; and each goal's activities, done when a training record (with its JP) shows them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum DevelopmentGoals {
    Table,
    Id,
    EmployeeId,
    Year,
    NeedId,
    Competency,
    Target,
    Status,
    AgreedBy,
    AgreedAt,
    CarriedFrom,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum DevelopmentActivities {
    Table,
    Id,
    GoalId,
    Position,
    Kind,
    Title,
    ProgrammeCode,
    PlannedHours,
    PlannedOn,
    TrainingRecordId,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingNeeds {
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
                    .table(DevelopmentGoals::Table)
                    .col(pk_uuid(DevelopmentGoals::Id))
                    .col(uuid(DevelopmentGoals::EmployeeId))
                    .col(integer(DevelopmentGoals::Year))
                    .col(uuid_null(DevelopmentGoals::NeedId))
                    .col(text(DevelopmentGoals::Competency))
                    .col(text(DevelopmentGoals::Target))
                    .col(string_len(DevelopmentGoals::Status, 16))
                    .col(uuid_null(DevelopmentGoals::AgreedBy))
                    .col(timestamp_with_time_zone_null(DevelopmentGoals::AgreedAt))
                    .col(uuid_null(DevelopmentGoals::CarriedFrom))
                    .col(timestamp_with_time_zone(DevelopmentGoals::CreatedAt))
                    .col(timestamp_with_time_zone(DevelopmentGoals::UpdatedAt))
                    .col(integer(DevelopmentGoals::Version))
                    .foreign_key(&mut foreign_key(
                        (DevelopmentGoals::Table, DevelopmentGoals::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (DevelopmentGoals::Table, DevelopmentGoals::NeedId),
                        (TrainingNeeds::Table, TrainingNeeds::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        (DevelopmentGoals::Table, DevelopmentGoals::AgreedBy),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut foreign_key(
                        (DevelopmentGoals::Table, DevelopmentGoals::CarriedFrom),
                        (DevelopmentGoals::Table, DevelopmentGoals::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ix_development_goals_employee_year",
                    DevelopmentGoals::Table,
                    [DevelopmentGoals::EmployeeId, DevelopmentGoals::Year],
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DevelopmentActivities::Table)
                    .col(pk_uuid(DevelopmentActivities::Id))
                    .col(uuid(DevelopmentActivities::GoalId))
                    .col(integer(DevelopmentActivities::Position))
                    .col(string_len(DevelopmentActivities::Kind, 32))
                    .col(text(DevelopmentActivities::Title))
                    .col(string_len_null(DevelopmentActivities::ProgrammeCode, 32))
                    .col(integer(DevelopmentActivities::PlannedHours))
                    .col(date_null(DevelopmentActivities::PlannedOn))
                    .col(uuid_null(DevelopmentActivities::TrainingRecordId))
                    .foreign_key(&mut foreign_key(
                        (DevelopmentActivities::Table, DevelopmentActivities::GoalId),
                        (DevelopmentGoals::Table, DevelopmentGoals::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (DevelopmentActivities::Table, DevelopmentActivities::TrainingRecordId),
                        (TrainingRecords::Table, TrainingRecords::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_development_activities_goal_position",
                    DevelopmentActivities::Table,
                    [DevelopmentActivities::GoalId, DevelopmentActivities::Position],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DevelopmentActivities::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DevelopmentGoals::Table).to_owned()).await
    }
}
