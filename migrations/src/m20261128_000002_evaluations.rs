//! Computed results: each plan's evaluation under a rule pack, units' organisation predikat, and the
//! distribution check of each unit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    PlanId,
    Period,
    PackId,
    PackVersion,
    ProposedResultRating,
    ProposedBehaviourRating,
    Predikat,
    PredikatBasis,
    Explanation,
    ComputedAt,
}

#[derive(DeriveIden)]
enum OrganisationRatings {
    Table,
    Id,
    UnitId,
    Year,
    Predikat,
}

#[derive(DeriveIden)]
enum UnitDistributions {
    Table,
    Id,
    UnitId,
    Year,
    PackId,
    PackVersion,
    OrganisationPredikat,
    SangatBaik,
    Baik,
    ButuhPerbaikan,
    Kurang,
    SangatKurang,
    Violations,
    ComputedAt,
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
                    .table(Evaluations::Table)
                    .col(pk_uuid(Evaluations::Id))
                    .col(uuid(Evaluations::PlanId))
                    .col(string_len(Evaluations::Period, 8))
                    .col(string_len(Evaluations::PackId, 64))
                    .col(integer(Evaluations::PackVersion))
                    .col(string_len(Evaluations::ProposedResultRating, 24))
                    .col(string_len(Evaluations::ProposedBehaviourRating, 24))
                    .col(string_len(Evaluations::Predikat, 24))
                    .col(string_len(Evaluations::PredikatBasis, 24))
                    // The scoring crate's explanation, as JSON text.
                    .col(text(Evaluations::Explanation))
                    .col(timestamp_with_time_zone(Evaluations::ComputedAt))
                    .foreign_key(&mut foreign_key(
                        (Evaluations::Table, Evaluations::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_evaluations_plan_period", Evaluations::Table, [Evaluations::PlanId, Evaluations::Period])
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganisationRatings::Table)
                    .col(pk_uuid(OrganisationRatings::Id))
                    .col(uuid(OrganisationRatings::UnitId))
                    .col(integer(OrganisationRatings::Year))
                    .col(string_len(OrganisationRatings::Predikat, 24))
                    .foreign_key(&mut foreign_key(
                        (OrganisationRatings::Table, OrganisationRatings::UnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_organisation_ratings_unit_year",
                    OrganisationRatings::Table,
                    [OrganisationRatings::UnitId, OrganisationRatings::Year],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UnitDistributions::Table)
                    .col(pk_uuid(UnitDistributions::Id))
                    .col(uuid(UnitDistributions::UnitId))
                    .col(integer(UnitDistributions::Year))
                    .col(string_len(UnitDistributions::PackId, 64))
                    .col(integer(UnitDistributions::PackVersion))
                    .col(string_len(UnitDistributions::OrganisationPredikat, 24))
                    .col(integer(UnitDistributions::SangatBaik))
                    .col(integer(UnitDistributions::Baik))
                    .col(integer(UnitDistributions::ButuhPerbaikan))
                    .col(integer(UnitDistributions::Kurang))
                    .col(integer(UnitDistributions::SangatKurang))
                    // The broken constraints with their explanation, as JSON text.
                    .col(text(UnitDistributions::Violations))
                    .col(timestamp_with_time_zone(UnitDistributions::ComputedAt))
                    .foreign_key(&mut foreign_key(
                        (UnitDistributions::Table, UnitDistributions::UnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_unit_distributions_unit_year",
                    UnitDistributions::Table,
                    [UnitDistributions::UnitId, UnitDistributions::Year],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["unit_distributions", "organisation_ratings", "evaluations"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
