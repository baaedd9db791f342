//! The rater's decisions, unit finalisation and objections (keberatan).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum RatingDecisions {
    Table,
    Id,
    PlanId,
    Year,
    ResultRating,
    BehaviourRating,
    Predikat,
    ProposedResultRating,
    ProposedBehaviourRating,
    OverrideReason,
    PackId,
    PackVersion,
    DecidedBy,
    DecidedAt,
    FinalisedAt,
    Version,
}

#[derive(DeriveIden)]
enum UnitFinalisations {
    Table,
    Id,
    UnitId,
    Year,
    FinalisedBy,
    FinalisedAt,
    OverrideReason,
    Violations,
}

#[derive(DeriveIden)]
enum Objections {
    Table,
    Id,
    DecisionId,
    FiledBy,
    FiledAt,
    Reasons,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionReasons,
    PreviousResultRating,
    PreviousBehaviourRating,
    PreviousPredikat,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
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
                    .table(RatingDecisions::Table)
                    .col(pk_uuid(RatingDecisions::Id))
                    .col(uuid(RatingDecisions::PlanId))
                    .col(integer(RatingDecisions::Year))
                    .col(string_len(RatingDecisions::ResultRating, 24))
                    .col(string_len(RatingDecisions::BehaviourRating, 24))
                    .col(string_len(RatingDecisions::Predikat, 24))
                    .col(string_len(RatingDecisions::ProposedResultRating, 24))
                    .col(string_len(RatingDecisions::ProposedBehaviourRating, 24))
                    .col(text_null(RatingDecisions::OverrideReason))
                    .col(string_len(RatingDecisions::PackId, 64))
                    .col(integer(RatingDecisions::PackVersion))
                    .col(uuid(RatingDecisions::DecidedBy))
                    .col(timestamp_with_time_zone(RatingDecisions::DecidedAt))
                    .col(timestamp_with_time_zone_null(RatingDecisions::FinalisedAt))
                    .col(integer(RatingDecisions::Version))
                    .foreign_key(&mut foreign_key(
                        (RatingDecisions::Table, RatingDecisions::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_rating_decisions_plan_year",
                    RatingDecisions::Table,
                    [RatingDecisions::PlanId, RatingDecisions::Year],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UnitFinalisations::Table)
                    .col(pk_uuid(UnitFinalisations::Id))
                    .col(uuid(UnitFinalisations::UnitId))
                    .col(integer(UnitFinalisations::Year))
                    .col(uuid(UnitFinalisations::FinalisedBy))
                    .col(timestamp_with_time_zone(UnitFinalisations::FinalisedAt))
                    .col(text_null(UnitFinalisations::OverrideReason))
                    // The distribution check's broken constraints at finalisation, as JSON text.
                    .col(text(UnitFinalisations::Violations))
                    .foreign_key(&mut foreign_key(
                        (UnitFinalisations::Table, UnitFinalisations::UnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_unit_finalisations_unit_year",
                    UnitFinalisations::Table,
                    [UnitFinalisations::UnitId, UnitFinalisations::Year],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Objections::Table)
                    .col(pk_uuid(Objections::Id))
                    .col(uuid(Objections::DecisionId))
                    .col(uuid(Objections::FiledBy))
                    .col(timestamp_with_time_zone(Objections::FiledAt))
                    .col(text(Objections::Reasons))
                    .col(string_len(Objections::Status, 16))
                    .col(uuid_null(Objections::DecidedBy))
                    .col(timestamp_with_time_zone_null(Objections::DecidedAt))
                    .col(text_null(Objections::DecisionReasons))
                    .col(string_len_null(Objections::PreviousResultRating, 24))
                    .col(string_len_null(Objections::PreviousBehaviourRating, 24))
                    .col(string_len_null(Objections::PreviousPredikat, 24))
                    .foreign_key(&mut foreign_key(
                        (Objections::Table, Objections::DecisionId),
                        (RatingDecisions::Table, RatingDecisions::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_objections_decision", Objections::Table, [Objections::DecisionId])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["objections", "unit_finalisations", "rating_decisions"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
