use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rating_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub year: i32,
    pub result_rating: String,
    pub behaviour_rating: String,
    pub predikat: String,
    pub proposed_result_rating: String,
    pub proposed_behaviour_rating: String,
    pub override_reason: Option<String>,
    pub pack_id: String,
    pub pack_version: i32,
    pub decided_by: Uuid,
    pub decided_at: DateTimeUtc,
    pub finalised_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
