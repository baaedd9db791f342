//! Feedback on behaviour from peers and subordinates (PermenPANRB 6/2022 lets the rater draw on it):
//! the rater invites colleagues on a plan; each answers once with a level per BerAKHLAK value.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum FeedbackRequests {
    Table,
    Id,
    PlanId,
    RespondentId,
    Relation,
    InvitedBy,
    InvitedAt,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum FeedbackAnswers {
    Table,
    Id,
    RequestId,
    Value,
    Level,
    Note,
}

#[derive(DeriveIden)]
enum Plans {
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
                    .table(FeedbackRequests::Table)
                    .col(pk_uuid(FeedbackRequests::Id))
                    .col(uuid(FeedbackRequests::PlanId))
                    .col(uuid(FeedbackRequests::RespondentId))
                    .col(string_len(FeedbackRequests::Relation, 16))
                    .col(uuid(FeedbackRequests::InvitedBy))
                    .col(timestamp_with_time_zone(FeedbackRequests::InvitedAt))
                    .col(timestamp_with_time_zone_null(FeedbackRequests::AnsweredAt))
                    .foreign_key(&mut foreign_key(
                        (FeedbackRequests::Table, FeedbackRequests::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (FeedbackRequests::Table, FeedbackRequests::RespondentId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (FeedbackRequests::Table, FeedbackRequests::InvitedBy),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_feedback_requests_plan_respondent",
                    FeedbackRequests::Table,
                    [FeedbackRequests::PlanId, FeedbackRequests::RespondentId],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("ix_feedback_requests_respondent", FeedbackRequests::Table, [FeedbackRequests::RespondentId])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FeedbackAnswers::Table)
                    .col(pk_uuid(FeedbackAnswers::Id))
                    .col(uuid(FeedbackAnswers::RequestId))
                    .col(string_len(FeedbackAnswers::Value, 32))
                    .col(string_len(FeedbackAnswers::Level, 32))
                    .col(text_null(FeedbackAnswers::Note))
                    .foreign_key(&mut foreign_key(
                        (FeedbackAnswers::Table, FeedbackAnswers::RequestId),
                        (FeedbackRequests::Table, FeedbackRequests::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_feedback_answers_request_value",
                    FeedbackAnswers::Table,
                    [FeedbackAnswers::RequestId, FeedbackAnswers::Value],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FeedbackAnswers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(FeedbackRequests::Table).to_owned()).await
    }
}
