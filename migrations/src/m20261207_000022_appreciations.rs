//! Appreciations (apresiasi) that leaders and colleagues send an employee, tied to one of the year's work
//! results or to a BerAKHLAK value.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Appreciations {
    Table,
    Id,
    SenderId,
    RecipientId,
    Year,
    WorkResultId,
    Value,
    Message,
    SentAt,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WorkResults {
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
                    .table(Appreciations::Table)
                    .col(pk_uuid(Appreciations::Id))
                    .col(uuid(Appreciations::SenderId))
                    .col(uuid(Appreciations::RecipientId))
                    .col(integer(Appreciations::Year))
                    .col(uuid_null(Appreciations::WorkResultId))
                    .col(string_len_null(Appreciations::Value, 32))
                    .col(text(Appreciations::Message))
                    .col(timestamp_with_time_zone(Appreciations::SentAt))
                    .foreign_key(&mut foreign_key(
                        (Appreciations::Table, Appreciations::SenderId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (Appreciations::Table, Appreciations::RecipientId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (Appreciations::Table, Appreciations::WorkResultId),
                        (WorkResults::Table, WorkResults::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "ix_appreciations_recipient_year",
                    Appreciations::Table,
                    [Appreciations::RecipientId, Appreciations::Year],
                )
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Appreciations::Table).to_owned()).await
    }
}
