use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub work_result_id: Uuid,
    pub code: String,
    pub description: String,
    pub aspect: String,
    pub target_kind: String,
    #[sea_orm(column_type = "Decimal(Some((18, 4)))")]
    pub target_low: Decimal,
    #[sea_orm(column_type = "Decimal(Some((18, 4)))")]
    pub target_high: Decimal,
    pub unit_of_measure: String,
    pub accumulation: String,
    pub ordinal: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
