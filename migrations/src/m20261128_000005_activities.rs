//! Activity records from operational systems and the mappings that turn them into realisations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ActivityMappings {
    Table,
    Id,
    ActivityKind,
    IndicatorId,
    Method,
    Field,
    Limit,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ActivityRecords {
    Table,
    Id,
    Kind,
    ExternalId,
    EmployeeId,
    OccurredAt,
    Attributes,
    ReceivedAt,
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

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActivityMappings::Table)
                    .col(pk_uuid(ActivityMappings::Id))
                    .col(string_len(ActivityMappings::ActivityKind, 40))
                    .col(uuid(ActivityMappings::IndicatorId))
                    .col(string_len(ActivityMappings::Method, 16))
                    .col(string_len_null(ActivityMappings::Field, 128))
                    .col(decimal_len_null(ActivityMappings::Limit, 18, 4))
                    .col(uuid_null(ActivityMappings::CreatedBy))
                    .col(timestamp_with_time_zone(ActivityMappings::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (ActivityMappings::Table, ActivityMappings::IndicatorId),
                        (Indicators::Table, Indicators::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_activity_mappings_kind_indicator",
                    ActivityMappings::Table,
                    [ActivityMappings::ActivityKind, ActivityMappings::IndicatorId],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivityRecords::Table)
                    .col(pk_uuid(ActivityRecords::Id))
                    .col(string_len(ActivityRecords::Kind, 40))
                    .col(string_len(ActivityRecords::ExternalId, 128))
                    .col(uuid(ActivityRecords::EmployeeId))
                    .col(timestamp_with_time_zone(ActivityRecords::OccurredAt))
                    // The record's typed attributes, as JSON text.
                    .col(text(ActivityRecords::Attributes))
                    .col(timestamp_with_time_zone(ActivityRecords::ReceivedAt))
                    .foreign_key(&mut foreign_key(
                        (ActivityRecords::Table, ActivityRecords::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_activity_records_kind_external",
                    ActivityRecords::Table,
                    [ActivityRecords::Kind, ActivityRecords::ExternalId],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_activity_records_employee_kind_time",
                ActivityRecords::Table,
                [ActivityRecords::EmployeeId, ActivityRecords::Kind, ActivityRecords::OccurredAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["activity_records", "activity_mappings"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
