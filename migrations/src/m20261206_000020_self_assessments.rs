//! The employee's own view of their year (penilaian diri): per work result what they achieved, per
//! BerAKHLAK value the level they see and why. One row per plan and subject (`result:<id>` or
//! `value:<value>`), rewritten until the rater decides.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum SelfAssessments {
    Table,
    Id,
    PlanId,
    Subject,
    WorkResultId,
    Value,
    Level,
    Text,
    EvidenceLink,
    WrittenAt,
}

#[derive(DeriveIden)]
enum Plans {
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
                    .table(SelfAssessments::Table)
                    .col(pk_uuid(SelfAssessments::Id))
                    .col(uuid(SelfAssessments::PlanId))
                    .col(string_len(SelfAssessments::Subject, 64))
                    .col(uuid_null(SelfAssessments::WorkResultId))
                    .col(string_len_null(SelfAssessments::Value, 32))
                    .col(string_len_null(SelfAssessments::Level, 32))
                    .col(text(SelfAssessments::Text))
                    .col(text_null(SelfAssessments::EvidenceLink))
                    .col(timestamp_with_time_zone(SelfAssessments::WrittenAt))
                    .foreign_key(&mut foreign_key(
                        (SelfAssessments::Table, SelfAssessments::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (SelfAssessments::Table, SelfAssessments::WorkResultId),
                        (WorkResults::Table, WorkResults::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_self_assessments_plan_subject",
                    SelfAssessments::Table,
                    [SelfAssessments::PlanId, SelfAssessments::Subject],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SelfAssessments::Table).to_owned()).await
    }
}
