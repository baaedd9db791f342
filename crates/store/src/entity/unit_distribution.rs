use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_distributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub pack_id: String,
    pub pack_version: i32,
    pub organisation_predikat: String,
    pub sangat_baik: i32,
    pub baik: i32,
    pub butuh_perbaikan: i32,
    pub kurang: i32,
    pub sangat_kurang: i32,
    pub violations: String,
    pub computed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The people the distribution counts.
    pub(crate) fn counts_total(&self) -> u64 {
        [self.sangat_baik, self.baik, self.butuh_perbaikan, self.kurang, self.sangat_kurang]
            .into_iter()
            .map(|n| u64::try_from(n).unwrap_or_default())
            .sum()
    }
}
