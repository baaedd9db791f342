//! On PostgreSQL, the masked `analytics` views carry no time of a person's record and no quantity of a
//! plan, as the API shows none to analysts (docs/api.md, Disclosure): when something happened ties a
//! record to what a colleague saw happen, and a plan's targets, values and units of measure tell whose
//! plan it is; achievements in percent stay. The masked views of indicators, realisations, evaluations
//! and training needs are made again (and back as before on down).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261202_000015_analytics_views_as_the_api::VIEWS;
use crate::m20261203_000017_masked_views_name_no_post::replace;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The masked views made again: name and select list (over the FROM clause they had).
const MASKED: [(&str, &str); 4] = [
    (
        "indicators",
        "i.id AS indicator_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, pl.year, UPPER(pl.status) AS status, \
         w.code AS result_code, UPPER(w.section) AS section, '(masked)'::text AS result_description, \
         i.code AS indicator_code, '(masked)'::text AS indicator_description, UPPER(i.aspect) AS aspect, \
         UPPER(i.target_kind) AS target_kind, NULL::numeric AS target_low, NULL::numeric AS target_high, \
         '(masked)'::text AS unit_of_measure, UPPER(i.accumulation) AS accumulation",
    ),
    (
        "realisations",
        "x.id AS realisation_key, x.indicator_id AS indicator_key, pl.employee_id AS employee_key, \
         '(masked)'::text AS nip, pl.year, x.period, x.period_start, x.period_end, NULL::numeric AS value, \
         '(masked)'::text AS evidence_note, '(masked)'::text AS evidence_link, x.source, \
         NULL::timestamptz AS recorded_at",
    ),
    (
        "evaluations",
        "v.id AS evaluation_key, pl.employee_id AS employee_key, '(masked)'::text AS nip, u.code AS unit_code, pl.year, \
         v.period, UPPER(v.predikat) AS predikat, UPPER(v.proposed_result_rating) AS proposed_result_rating, \
         UPPER(v.proposed_behaviour_rating) AS proposed_behaviour_rating, v.predikat_basis, v.pack_id, v.pack_version, \
         NULL::timestamptz AS computed_at, UPPER(d.result_rating) AS decided_result_rating, \
         UPPER(d.behaviour_rating) AS decided_behaviour_rating, UPPER(d.predikat) AS decided_predikat, \
         NULL::timestamptz AS decided_at, NULL::timestamptz AS finalised_at",
    ),
    (
        "training_needs",
        "n.id AS need_key, n.employee_id AS employee_key, '(masked)'::text AS nip, n.year, UPPER(n.reason) AS reason, \
         n.topic, '(masked)'::text AS detail, UPPER(n.priority) AS priority, n.suggested_programmes, \
         UPPER(n.status) AS status, '(masked)'::text AS planned_programme, NULL::date AS planned_on, \
         '(masked)'::text AS closed_reason, NULL::timestamptz AS updated_at",
    ),
];

/// The select list and FROM clause each masked view had before this migration.
fn before(name: &str) -> (&'static str, &'static str) {
    let released = crate::m20261204_000018_released_records::MASKED.iter().find(|view| view.0 == name);
    let unposted = crate::m20261203_000017_masked_views_name_no_post::MASKED.iter().find(|view| view.0 == name);
    let first = VIEWS.iter().find(|view| view.0 == name).expect("a view of migration 15");
    match (released, unposted) {
        (Some(view), _) => (view.1, view.2),
        (None, Some(view)) => (view.1, first.3),
        (None, None) => (first.2, first.3),
    }
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (name, columns) in MASKED {
            replace(manager.get_connection(), name, columns, before(name).1).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (name, _) in MASKED {
            let (columns, from) = before(name);
            replace(manager.get_connection(), name, columns, from).await?;
        }
        Ok(())
    }
}
