use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "training_needs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub year: i32,
    pub reason: String,
    pub topic: String,
    pub detail: String,
    pub priority: String,
    pub suggested_programmes: String,
    pub status: String,
    pub planned_programme: Option<String>,
    pub planned_on: Option<Date>,
    pub training_record_id: Option<Uuid>,
    pub closed_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
