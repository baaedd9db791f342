use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "realisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub indicator_id: Uuid,
    pub period: String,
    pub period_start: Date,
    pub period_end: Date,
    #[sea_orm(column_type = "Decimal(Some((18, 4)))")]
    pub value: Decimal,
    pub evidence_note: Option<String>,
    pub evidence_link: Option<String>,
    pub source: String,
    pub recorded_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
