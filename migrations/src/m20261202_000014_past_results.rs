//! Results of years kinerja did not score, recorded as they were decided then: the year's rule pack and
//! regime, the score where that regime had one, and its predikat. One per employee and year.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum PastResults {
    Table,
    Id,
    EmployeeId,
    Year,
    RulePack,
    RulePackVersion,
    Regime,
    Score,
    Predikat,
    Source,
    RecordedAt,
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
                    .table(PastResults::Table)
                    .col(pk_uuid(PastResults::Id))
                    .col(uuid(PastResults::EmployeeId))
                    .col(integer(PastResults::Year))
                    .col(string_len(PastResults::RulePack, 64))
                    .col(integer(PastResults::RulePackVersion))
                    .col(string_len(PastResults::Regime, 16))
                    .col(decimal_len_null(PastResults::Score, 18, 4))
                    .col(string_len(PastResults::Predikat, 32))
                    .col(text_null(PastResults::Source))
                    .col(timestamp_with_time_zone(PastResults::RecordedAt))
                    .foreign_key(&mut foreign_key(
                        (PastResults::Table, PastResults::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_past_results_employee_year",
                    PastResults::Table,
                    [PastResults::EmployeeId, PastResults::Year],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PastResults::Table).to_owned()).await
    }
}
