//! The leader's specific expectation (ekspektasi khusus pimpinan) per BerAKHLAK value of a plan, set at
//! planning, before any rating exists.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum BehaviourExpectations {
    Table,
    Id,
    PlanId,
    Value,
    Expectation,
    SetBy,
    SetAt,
}

#[derive(DeriveIden)]
enum Plans {
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
                    .table(BehaviourExpectations::Table)
                    .col(pk_uuid(BehaviourExpectations::Id))
                    .col(uuid(BehaviourExpectations::PlanId))
                    .col(string_len(BehaviourExpectations::Value, 32))
                    .col(text(BehaviourExpectations::Expectation))
                    .col(uuid(BehaviourExpectations::SetBy))
                    .col(timestamp_with_time_zone(BehaviourExpectations::SetAt))
                    .foreign_key(&mut foreign_key(
                        (BehaviourExpectations::Table, BehaviourExpectations::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_behaviour_expectations_plan_value",
                    BehaviourExpectations::Table,
                    [BehaviourExpectations::PlanId, BehaviourExpectations::Value],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(BehaviourExpectations::Table).to_owned()).await
    }
}
