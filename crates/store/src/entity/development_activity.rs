use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "development_activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub goal_id: Uuid,
    pub position: i32,
    pub kind: String,
    pub title: String,
    pub programme_code: Option<String>,
    pub planned_hours: i32,
    pub planned_on: Option<Date>,
    pub training_record_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
