//! The evaluation year's workflow: an append-only audit log, realisation versions and their history,
//! and recorded performance dialogues.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorId,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
}

#[derive(DeriveIden)]
enum Realisations {
    Table,
    Id,
    Version,
}

#[derive(DeriveIden)]
enum RealisationHistory {
    Table,
    Id,
    RealisationId,
    Value,
    EvidenceNote,
    EvidenceLink,
    Source,
    RecordedAt,
    ReplacedAt,
    ReplacedBy,
}

#[derive(DeriveIden)]
enum Dialogues {
    Table,
    Id,
    PlanId,
    HeldOn,
    Participants,
    Summary,
    AgreedActions,
    RecordedBy,
    CreatedAt,
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
                    .table(AuditEvents::Table)
                    .col(pk_uuid(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(uuid_null(AuditEvents::ActorId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::EntityType, 32))
                    .col(uuid(AuditEvents::EntityId))
                    // The entity before and after the change, as JSON text.
                    .col(text_null(AuditEvents::Before))
                    .col(text_null(AuditEvents::After))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_audit_events_entity",
                AuditEvents::Table,
                [AuditEvents::EntityId, AuditEvents::OccurredAt],
            ))
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Realisations::Table)
                    .add_column(integer(Realisations::Version).default(1))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RealisationHistory::Table)
                    .col(pk_uuid(RealisationHistory::Id))
                    .col(uuid(RealisationHistory::RealisationId))
                    .col(decimal_len(RealisationHistory::Value, 18, 4))
                    .col(text_null(RealisationHistory::EvidenceNote))
                    .col(text_null(RealisationHistory::EvidenceLink))
                    .col(string_len(RealisationHistory::Source, 64))
                    .col(timestamp_with_time_zone(RealisationHistory::RecordedAt))
                    .col(timestamp_with_time_zone(RealisationHistory::ReplacedAt))
                    .col(uuid_null(RealisationHistory::ReplacedBy))
                    .foreign_key(&mut foreign_key(
                        (RealisationHistory::Table, RealisationHistory::RealisationId),
                        (Realisations::Table, Realisations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_realisation_history_realisation",
                RealisationHistory::Table,
                [RealisationHistory::RealisationId],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Dialogues::Table)
                    .col(pk_uuid(Dialogues::Id))
                    .col(uuid(Dialogues::PlanId))
                    .col(date(Dialogues::HeldOn))
                    .col(text(Dialogues::Participants))
                    .col(text(Dialogues::Summary))
                    .col(text(Dialogues::AgreedActions))
                    .col(uuid_null(Dialogues::RecordedBy))
                    .col(timestamp_with_time_zone(Dialogues::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (Dialogues::Table, Dialogues::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_dialogues_plan", Dialogues::Table, [Dialogues::PlanId])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["dialogues", "realisation_history", "audit_events"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Realisations::Table).drop_column(Realisations::Version).to_owned())
            .await
    }
}
