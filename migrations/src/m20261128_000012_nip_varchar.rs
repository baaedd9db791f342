//! On PostgreSQL, `employees.nip` becomes `varchar(18)`. As `char(18)` it compared as `bpchar`, and a NIP
//! bound as text made every lookup by NIP cast the column and scan the whole table instead of using its
//! unique index. SQLite compares text either way. The analytics views read the column, so they are
//! dropped and created again around the change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261128_000010_analytics_views::{create_views, drop_views};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

async fn retype(manager: &SchemaManager<'_>, column_type: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    drop_views(db).await?;
    db.execute_unprepared(&format!("ALTER TABLE employees ALTER COLUMN nip TYPE {column_type}")).await?;
    create_views(db).await
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        retype(manager, "varchar(18)").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        retype(manager, "char(18)").await
    }
}
