use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_achievements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub evaluation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub indicator_id: Uuid,
    pub employee_id: Uuid,
    pub period: String,
    pub aspect: String,
    pub achievement: Option<Decimal>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
