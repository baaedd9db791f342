//! Chains the audit log: each event carries a sequence number and a hash over its content and the
//! previous event's hash, so that a deleted, altered or reordered event is detectable.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Sequence,
    PreviousHash,
    Hash,
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Events written before the chain existed keep empty columns and are reported as unchained.
        for column in [
            big_integer_null(AuditEvents::Sequence),
            string_len_null(AuditEvents::PreviousHash, 64),
            string_len_null(AuditEvents::Hash, 64),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table(AuditEvents::Table).add_column(&mut column).to_owned()).await?;
        }
        manager
            .create_index(
                index("uq_audit_events_sequence", AuditEvents::Table, [AuditEvents::Sequence]).unique().to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("uq_audit_events_sequence").table(AuditEvents::Table).to_owned()).await?;
        for column in [AuditEvents::Hash, AuditEvents::PreviousHash, AuditEvents::Sequence] {
            manager.alter_table(Table::alter().table(AuditEvents::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
