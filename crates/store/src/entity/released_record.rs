use sea_orm::entity::prelude::*;

/// What an analyst may be shown of one person (migration 18); `None` where withheld.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "released_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub employee_id: Uuid,
    pub shown_unit_id: Uuid,
    pub position_kind: Option<String>,
    pub position_category: Option<String>,
    pub rank: Option<String>,
    pub employment_type: Option<String>,
    pub sex: Option<String>,
    pub birth_decade: Option<i32>,
    pub service_decade: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
