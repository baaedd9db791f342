//! Who holds the roles that reach beyond one's own work — `hr-admin`, `analyst`, `auditor` — recorded
//! by an HR administrator, so that a token claiming such a role is honoured only with a grant. An
//! analyst's grant may be limited to the subtree of a unit; the others cover the agency.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    EmployeeId,
    Role,
    UnitId,
    GrantedBy,
    GrantedAt,
}

#[derive(DeriveIden)]
enum Employees {
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
                    .table(RoleGrants::Table)
                    .col(pk_uuid(RoleGrants::Id))
                    .col(uuid(RoleGrants::EmployeeId))
                    .col(string_len(RoleGrants::Role, 16))
                    .col(uuid_null(RoleGrants::UnitId))
                    .col(uuid_null(RoleGrants::GrantedBy))
                    .col(timestamp_with_time_zone(RoleGrants::GrantedAt))
                    .foreign_key(&mut foreign_key(
                        (RoleGrants::Table, RoleGrants::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (RoleGrants::Table, RoleGrants::UnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_role_grants_employee_role", RoleGrants::Table, [RoleGrants::EmployeeId, RoleGrants::Role])
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RoleGrants::Table).to_owned()).await
    }
}
