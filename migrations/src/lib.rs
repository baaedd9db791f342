//! Database migrations of kinerja. The same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261127_000001_organisation_and_plans;
mod m20261128_000002_evaluations;
mod m20261128_000003_workflow;
mod m20261128_000004_decisions;
mod m20261128_000005_activities;
mod m20261128_000006_audit_chain;
mod m20261128_000007_audit_roles;
mod m20261128_000008_development_records;
mod m20261128_000009_achievements_and_needs;
mod m20261128_000010_analytics_views;
mod m20261128_000011_talent_records;
mod m20261128_000012_nip_varchar;
mod m20261201_000013_behaviour_expectations;
mod m20261202_000014_past_results;
mod m20261202_000015_analytics_views_as_the_api;
mod m20261203_000016_role_grants;
mod m20261203_000017_masked_views_name_no_post;
mod m20261204_000018_released_records;
mod m20261205_000019_masked_views_no_time_or_quantity;
mod m20261206_000020_self_assessments;
mod m20261207_000021_development_plans;
mod m20261207_000022_appreciations;
mod m20261207_000023_behaviour_feedback;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_organisation_and_plans::Migration),
            Box::new(m20261128_000002_evaluations::Migration),
            Box::new(m20261128_000003_workflow::Migration),
            Box::new(m20261128_000004_decisions::Migration),
            Box::new(m20261128_000005_activities::Migration),
            Box::new(m20261128_000006_audit_chain::Migration),
            Box::new(m20261128_000007_audit_roles::Migration),
            Box::new(m20261128_000008_development_records::Migration),
            Box::new(m20261128_000009_achievements_and_needs::Migration),
            Box::new(m20261128_000010_analytics_views::Migration),
            Box::new(m20261128_000011_talent_records::Migration),
            Box::new(m20261128_000012_nip_varchar::Migration),
            Box::new(m20261201_000013_behaviour_expectations::Migration),
            Box::new(m20261202_000014_past_results::Migration),
            Box::new(m20261202_000015_analytics_views_as_the_api::Migration),
            Box::new(m20261203_000016_role_grants::Migration),
            Box::new(m20261203_000017_masked_views_name_no_post::Migration),
            Box::new(m20261204_000018_released_records::Migration),
            Box::new(m20261205_000019_masked_views_no_time_or_quantity::Migration),
            Box::new(m20261206_000020_self_assessments::Migration),
            Box::new(m20261207_000021_development_plans::Migration),
            Box::new(m20261207_000022_appreciations::Migration),
            Box::new(m20261207_000023_behaviour_feedback::Migration),
        ]
    }
}
