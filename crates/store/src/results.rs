//! The year's results as they stand. An evaluation of the whole year carries the rater's decision once
//! there is one (`predikat_basis` `final_ratings`), whoever wrote the evaluation; a rated unit's
//! distribution counts each plan's current result: its decision, or before one its latest evaluation.
//! Every writer of evaluations or decisions goes through here, so no view can show a proposal where a
//! decision exists.

use std::collections::HashMap;

use chrono::Utc;
use kinerja_domain::{OrganisationPredikat, Period, Predikat};
use kinerja_scoring::{PlanEvaluation, PredikatBasis, PredikatCounts, RulePack};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter,
    Statement,
};
use uuid::Uuid;

use crate::Store;
use crate::entity::{evaluation, indicator_achievement, organisation_rating, unit, unit_distribution};
use crate::error::{StoreError, StoreResult};
use crate::org::path_ids;
use crate::records::*;

/// Rows per multi-row insert.
const ROWS_PER_STATEMENT: usize = 2_000;

impl ScoredPlan {
    /// The stored form of `evaluation`, the plan's evaluation through the period `through`.
    pub fn new(bundle: &PlanBundle, through: Period, evaluation: &PlanEvaluation) -> StoreResult<Self> {
        let explanation = serde_json::to_string(evaluation).map_err(|e| StoreError::Corrupt {
            table: "evaluations",
            id: bundle.plan.id.to_string(),
            reason: e.to_string(),
        })?;
        let achievements = evaluation
            .achievements
            .iter()
            .filter_map(|scored| {
                let result = bundle.work_results.iter().find(|r| r.code == scored.work_result)?;
                let indicator =
                    bundle.indicators.iter().find(|i| i.work_result_id == result.id && i.code == scored.indicator)?;
                Some(AchievementRecord {
                    indicator_id: indicator.id,
                    aspect: indicator.indicator.aspect,
                    achievement: scored.achievement.value,
                })
            })
            .collect();
        let predikat_basis = match evaluation.predikat_from {
            PredikatBasis::FinalRatings => "final_ratings",
            PredikatBasis::ProposedRatings => "proposed_ratings",
        };
        Ok(ScoredPlan {
            evaluation: EvaluationRecord {
                id: new_record_id(),
                plan_id: bundle.plan.id,
                period: through,
                pack_id: evaluation.pack.id.clone(),
                pack_version: i32::try_from(evaluation.pack.version).unwrap_or(i32::MAX),
                proposed_result_rating: evaluation.proposed_result_rating.value,
                proposed_behaviour_rating: evaluation.proposed_behaviour_rating.value,
                predikat: evaluation.predikat.value,
                predikat_basis: predikat_basis.to_owned(),
                computed_at: Utc::now(),
            },
            explanation,
            employee_id: bundle.employee.id,
            achievements,
        })
    }
}

fn evaluation_model(scored: &ScoredPlan) -> evaluation::Model {
    let record = &scored.evaluation;
    evaluation::Model {
        id: record.id,
        plan_id: record.plan_id,
        period: record.period.to_string(),
        pack_id: record.pack_id.clone(),
        pack_version: record.pack_version,
        proposed_result_rating: record.proposed_result_rating.as_str().to_owned(),
        proposed_behaviour_rating: record.proposed_behaviour_rating.as_str().to_owned(),
        predikat: record.predikat.as_str().to_owned(),
        predikat_basis: record.predikat_basis.clone(),
        explanation: scored.explanation.clone(),
        computed_at: record.computed_at,
    }
}

/// Writes evaluations with their achievements in `txn`, replacing earlier ones of the same plan and
/// period; evaluations of a whole year then take the decisions made on their plans.
pub(crate) async fn write_evaluations(txn: &DatabaseTransaction, scored: &[ScoredPlan]) -> StoreResult<()> {
    for chunk in scored.chunks(ROWS_PER_STATEMENT) {
        let mut by_period: HashMap<Period, Vec<Uuid>> = HashMap::new();
        for plan in chunk {
            by_period.entry(plan.evaluation.period).or_default().push(plan.evaluation.plan_id);
        }
        for (period, plan_ids) in &by_period {
            // Their achievements go with them (ON DELETE CASCADE).
            evaluation::Entity::delete_many()
                .filter(evaluation::Column::Period.eq(period.to_string()))
                .filter(evaluation::Column::PlanId.is_in(plan_ids.iter().copied()))
                .exec(txn)
                .await?;
        }
        let models: Vec<evaluation::ActiveModel> =
            chunk.iter().map(|plan| evaluation_model(plan).into_active_model()).collect();
        evaluation::Entity::insert_many(models).exec_without_returning(txn).await?;
        let achievements: Vec<indicator_achievement::ActiveModel> = chunk
            .iter()
            .flat_map(|plan| {
                plan.achievements.iter().map(|a| {
                    indicator_achievement::Model {
                        evaluation_id: plan.evaluation.id,
                        indicator_id: a.indicator_id,
                        employee_id: plan.employee_id,
                        period: plan.evaluation.period.to_string(),
                        aspect: a.aspect.as_str().to_owned(),
                        achievement: a.achievement.map(|v| v.round_dp(2)),
                    }
                    .into_active_model()
                })
            })
            .collect();
        for rows in achievements.chunks(ROWS_PER_STATEMENT) {
            indicator_achievement::Entity::insert_many(rows.to_vec()).exec_without_returning(txn).await?;
        }
        for (period, plan_ids) in by_period {
            if let Period::Year(year) = period {
                carry_decisions(txn, year, &plan_ids).await?;
            }
        }
    }
    Ok(())
}

/// Sets the predikat of the given plans' evaluations of the whole `year` to their decisions, where a
/// decision exists.
pub(crate) async fn carry_decisions(db: &impl ConnectionTrait, year: i32, plan_ids: &[Uuid]) -> StoreResult<()> {
    for chunk in plan_ids.chunks(ROWS_PER_STATEMENT) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "UPDATE evaluations SET predikat_basis = 'final_ratings', predikat = \
               (SELECT d.predikat FROM rating_decisions d WHERE d.plan_id = evaluations.plan_id AND d.year = $1) \
             WHERE period = $2 AND plan_id IN ({}) \
               AND plan_id IN (SELECT d.plan_id FROM rating_decisions d WHERE d.year = $1)",
            placeholders.join(", ")
        );
        let mut values: Vec<sea_orm::Value> = vec![year.into(), Period::Year(year).to_string().into()];
        values.extend(chunk.iter().map(|id| sea_orm::Value::from(*id)));
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
    }
    Ok(())
}

/// A unit that has an organisation predikat for a year, and so a distribution to keep.
#[derive(Debug, Clone)]
pub(crate) struct RatedUnit {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) path: String,
    pub(crate) predikat: OrganisationPredikat,
}

/// The units with an organisation predikat for `year`, of those among `unit_ids` when given.
async fn rated_units(db: &impl ConnectionTrait, year: i32, unit_ids: Option<Vec<Uuid>>) -> StoreResult<Vec<RatedUnit>> {
    let mut query = organisation_rating::Entity::find().filter(organisation_rating::Column::Year.eq(year));
    if let Some(ids) = unit_ids {
        query = query.filter(organisation_rating::Column::UnitId.is_in(ids));
    }
    let ratings = query.all(db).await?;
    let units: HashMap<Uuid, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(ratings.iter().map(|r| r.unit_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let mut rated = Vec::with_capacity(ratings.len());
    for rating in ratings {
        let Some(row) = units.get(&rating.unit_id) else { continue };
        rated.push(RatedUnit {
            id: row.id,
            code: row.code.clone(),
            path: row.path.clone(),
            predikat: rating.predikat.parse().map_err(|e| StoreError::Corrupt {
                table: "organisation_ratings",
                id: rating.id.to_string(),
                reason: format!("{e}"),
            })?,
        });
    }
    Ok(rated)
}

/// The rated units of `year` on the path from the root to the unit with `path` (itself included),
/// nearest first.
pub(crate) async fn rated_units_holding(
    db: &impl ConnectionTrait,
    path: &str,
    year: i32,
) -> StoreResult<Vec<RatedUnit>> {
    let mut rated = rated_units(db, year, Some(path_ids(path))).await?;
    rated.sort_by_key(|unit| std::cmp::Reverse(unit.path.len()));
    Ok(rated)
}

#[derive(FromQueryResult)]
struct CurrentCount {
    predikat: Option<String>,
    n: i64,
}

/// How many plans of `year` in the subtree at `path` stand at each predikat: the decision's, or before
/// one the plan's latest evaluation. Plans with neither are not counted.
pub(crate) async fn current_counts(db: &impl ConnectionTrait, path: &str, year: i32) -> StoreResult<PredikatCounts> {
    let sql = "SELECT COALESCE(d.predikat, (SELECT e.predikat FROM evaluations e WHERE e.plan_id = p.id \
                   ORDER BY e.computed_at DESC, e.id DESC LIMIT 1)) AS predikat, COUNT(*) AS n \
               FROM plans p \
               JOIN employees m ON m.id = p.employee_id \
               JOIN units u ON u.id = m.unit_id \
               LEFT JOIN rating_decisions d ON d.plan_id = p.id AND d.year = p.year \
               WHERE p.year = $1 AND u.path LIKE $2 \
               GROUP BY 1";
    let rows = CurrentCount::find_by_statement(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        vec![year.into(), format!("{path}%").into()],
    ))
    .all(db)
    .await?;
    let mut counts = PredikatCounts::default();
    for row in rows {
        let Some(text) = row.predikat else { continue };
        let predikat: Predikat = text.parse().map_err(|e| StoreError::Corrupt {
            table: "evaluations",
            id: text.clone(),
            reason: format!("{e}"),
        })?;
        counts.add_count(predikat, u32::try_from(row.n).unwrap_or(u32::MAX));
    }
    Ok(counts)
}

/// Counts a rated unit's current results, checks them against its organisation predikat and keeps the
/// check, replacing the earlier one of the year.
pub(crate) async fn refresh_distribution(
    db: &impl ConnectionTrait,
    pack: &RulePack,
    rated: &RatedUnit,
    year: i32,
) -> StoreResult<DistributionRecord> {
    let counts = current_counts(db, &rated.path, year).await?;
    let checked = kinerja_scoring::check_distribution(pack, rated.predikat, &counts)
        .map_err(|e| StoreError::FailedPrecondition(format!("{}: {e}", pack.id)))?;
    let record = DistributionRecord {
        id: new_record_id(),
        unit_id: rated.id,
        year,
        pack_id: pack.id.clone(),
        pack_version: i32::try_from(pack.version).unwrap_or(i32::MAX),
        organisation_predikat: rated.predikat,
        counts: [counts.sangat_baik, counts.baik, counts.butuh_perbaikan, counts.kurang, counts.sangat_kurang],
        violations: serde_json::to_string(&checked).map_err(|e| StoreError::Corrupt {
            table: "unit_distributions",
            id: rated.code.clone(),
            reason: e.to_string(),
        })?,
        computed_at: Utc::now(),
    };
    unit_distribution::Entity::delete_many()
        .filter(unit_distribution::Column::UnitId.eq(rated.id))
        .filter(unit_distribution::Column::Year.eq(year))
        .exec(db)
        .await?;
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let model = unit_distribution::Model {
        id: record.id,
        unit_id: record.unit_id,
        year,
        pack_id: record.pack_id.clone(),
        pack_version: record.pack_version,
        organisation_predikat: rated.predikat.as_str().to_owned(),
        sangat_baik: count(record.counts[0]),
        baik: count(record.counts[1]),
        butuh_perbaikan: count(record.counts[2]),
        kurang: count(record.counts[3]),
        sangat_kurang: count(record.counts[4]),
        violations: record.violations.clone(),
        computed_at: record.computed_at,
    };
    unit_distribution::Entity::insert(model.into_active_model()).exec_without_returning(db).await?;
    Ok(record)
}

/// Keeps a decided year in `txn`: the plan's evaluation of the whole year (the decision's predikat
/// beside the proposal it answered), and the recounted distributions of every rated unit holding the
/// employee.
pub(crate) async fn record_decided_year(
    txn: &DatabaseTransaction,
    pack: &RulePack,
    bundle: &PlanBundle,
    evaluation: &PlanEvaluation,
) -> StoreResult<()> {
    let year = bundle.plan.plan.year;
    let annual = ScoredPlan::new(bundle, Period::Year(year), evaluation)?;
    write_evaluations(txn, std::slice::from_ref(&annual)).await?;
    let path = unit::Entity::find_by_id(bundle.employee.unit_id)
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::missing("unit of the employee"))?
        .path;
    for rated in rated_units_holding(txn, &path, year).await? {
        refresh_distribution(txn, pack, &rated, year).await?;
    }
    Ok(())
}

impl PlanBundle {
    /// The period through which the plan's realisations are recorded: the latest period with a
    /// realisation, or the whole year once that period reaches the year's end (or nothing is recorded).
    /// A proposal through it pro-rates the targets of summed indicators to the months covered, so that a
    /// year on track is proposed as on track before its last quarter is in.
    pub fn recorded_through(&self) -> Period {
        let year = Period::Year(self.plan.plan.year);
        self.realisations
            .iter()
            .map(|r| r.realisation.period)
            .max_by_key(|period| period.end())
            .filter(|latest| latest.end() < year.end())
            .unwrap_or(year)
    }
}

impl Store {
    /// Evaluates a stored plan now under `pack` through the period `through`, or without one through
    /// the periods recorded so far ([`PlanBundle::recorded_through`]): what the rater is proposed, and
    /// with `decided` the predikat of those ratings.
    pub async fn evaluate_stored_plan(
        &self,
        pack: &RulePack,
        plan_id: Uuid,
        through: Option<Period>,
        decided: Option<kinerja_scoring::FinalRatings>,
    ) -> StoreResult<(PlanBundle, PlanEvaluation)> {
        let bundle = self.plan_bundles_by_ids(&[plan_id]).await?.pop().ok_or_else(|| StoreError::missing("plan"))?;
        let evaluation = self.evaluate_bundle(pack, &bundle, through, decided).await?;
        Ok((bundle, evaluation))
    }

    /// [`Store::evaluate_stored_plan`] of a bundle already read. The head of a unit with an organisation
    /// predikat is rated on the unit's result.
    pub(crate) async fn evaluate_bundle(
        &self,
        pack: &RulePack,
        bundle: &PlanBundle,
        through: Option<Period>,
        decided: Option<kinerja_scoring::FinalRatings>,
    ) -> StoreResult<PlanEvaluation> {
        let year = bundle.plan.plan.year;
        let organisation = organisation_rating::Entity::find()
            .filter(organisation_rating::Column::UnitId.eq(bundle.employee.unit_id))
            .filter(organisation_rating::Column::Year.eq(year))
            .one(&self.db)
            .await?
            .map(|row| row.predikat.parse::<OrganisationPredikat>())
            .transpose()
            .map_err(StoreError::invalid)?;
        let unscorable = |e: kinerja_scoring::ScoringError| {
            StoreError::FailedPrecondition(format!(
                "the {year} plan of {} cannot be scored yet: {e}",
                bundle.employee.employee.nip
            ))
        };
        let unit_result =
            kinerja_scoring::unit_result(pack, bundle.position.position.kind, organisation).map_err(unscorable)?;
        let through = through.unwrap_or_else(|| bundle.recorded_through());
        let mut case = bundle.scoring_case(through, unit_result);
        case.final_ratings = decided;
        kinerja_scoring::evaluate_plan(pack, &case).map_err(unscorable)
    }

    /// Recounts and checks the distributions of `year` of the rated units inside `within`'s subtree and
    /// of those holding it (all rated units without `within`).
    pub async fn refresh_distributions(
        &self,
        pack: &RulePack,
        year: i32,
        within: Option<&UnitRecord>,
    ) -> StoreResult<Vec<DistributionRecord>> {
        let path = match within {
            Some(unit) => Some(self.unit_path(unit).await?),
            None => None,
        };
        let rated = rated_units(&self.db, year, None).await?;
        let txn = self.write_txn().await?;
        let mut refreshed = Vec::new();
        // Inside the subtree, or above it: scoring a seksi changes its dinas's counts, not its neighbours'.
        let concerned = |unit: &RatedUnit| {
            path.as_deref().is_none_or(|p| unit.path.starts_with(p) || p.starts_with(unit.path.as_str()))
        };
        for unit in rated.iter().filter(|unit| concerned(unit)) {
            refreshed.push(refresh_distribution(&txn, pack, unit, year).await?);
        }
        txn.commit().await?;
        Ok(refreshed)
    }
}
