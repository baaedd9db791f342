//! An employee's results across years: the years kinerja evaluated beside the results recorded for years
//! before it (`past-results`), newest first; and their growth over those years.

use kinerja_domain::{GoalStatus, Period, PlanStatus, PositionKind, Predikat};
use kinerja_scoring::{PackRef, RulePacks};
use kinerja_store::{Store, StoreError};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{AppError, AppResult};

/// Where a year's result comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultBasis {
    /// The rater's decision (or an objection's) on the plan kinerja holds.
    Decided,
    /// Kinerja's proposal for the year; no decision yet.
    Proposed,
    /// Recorded from the system or paper of its time, as the import named it.
    Recorded { source: Option<String> },
}

/// One year's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearResult {
    pub year: i32,
    pub rule_pack: PackRef,
    /// The score, where the year's regime had one (PP 46/2011, 2021).
    pub score: Option<Decimal>,
    /// The predikat as the year's regime labelled it (`sangat_baik` … `buruk`).
    pub predikat: String,
    pub basis: ResultBasis,
    /// The angka kredit the predikat earns a functional post over a full year, under the year's pack,
    /// for the post the employee holds now; `None` for other posts, or a year whose pack sets none.
    pub angka_kredit: Option<Decimal>,
}

/// The angka kredit of a year's predikat in a post of `kind`, where the year's pack has the rule and the
/// post is functional.
fn angka_kredit(packs: &RulePacks, year: i32, predikat: &str, kind: PositionKind) -> Option<Decimal> {
    let pack = packs.for_year(year).ok().filter(|pack| pack.angka_kredit.is_some())?;
    let predikat: Predikat = predikat.parse().ok()?;
    kinerja_scoring::angka_kredit(pack, predikat, kind, 12).ok().map(|earned| earned.value)
}

/// The results of the employee's years, newest first: each plan's annual evaluation (a year not scored
/// yet shows the proposal computed now, through the periods recorded so far, once it can be computed)
/// and each recorded past result (a year has one or the other; the store refuses both).
pub async fn results_across_years(store: &Store, packs: &RulePacks, employee_id: Uuid) -> AppResult<Vec<YearResult>> {
    let plans = store.plans_of_employees_with_evaluations(&[employee_id], None, None).await?;
    let employee = store.employees_by_ids(&[employee_id]).await?.pop();
    let post = match employee {
        Some(employee) => store.positions_by_ids(&[employee.position_id]).await?.pop(),
        None => None,
    };
    let kind = post.map(|post| post.position.kind);
    let credit = |year: i32, predikat: &str| kind.and_then(|kind| angka_kredit(packs, year, predikat, kind));
    let mut results = Vec::with_capacity(plans.len());
    for (plan, evaluations) in plans {
        let year = plan.plan.year;
        if let Some(annual) = evaluations.into_iter().find(|e| e.period == Period::Year(year)) {
            let basis = if annual.is_decided() { ResultBasis::Decided } else { ResultBasis::Proposed };
            results.push(YearResult {
                year,
                rule_pack: PackRef {
                    id: annual.pack_id,
                    version: u32::try_from(annual.pack_version).unwrap_or_default(),
                },
                score: None,
                predikat: annual.predikat.as_str().to_owned(),
                basis,
                angka_kredit: credit(year, annual.predikat.as_str()),
            });
        } else if matches!(plan.plan.status, PlanStatus::Approved | PlanStatus::Finalised) {
            match crate::propose(store, packs, plan.id, None).await {
                Ok((_, proposal)) => results.push(YearResult {
                    year,
                    rule_pack: proposal.pack,
                    score: None,
                    predikat: proposal.predikat.value.as_str().to_owned(),
                    basis: ResultBasis::Proposed,
                    angka_kredit: credit(year, proposal.predikat.value.as_str()),
                }),
                Err(AppError::Store(error @ (StoreError::Database(_) | StoreError::Corrupt { .. }))) => {
                    return Err(error.into());
                }
                // Without realisations or all seven behaviour ratings there is no proposal yet, and no row.
                Err(_) => {}
            }
        }
    }
    results.extend(store.past_results_of_employees(&[employee_id]).await?.into_iter().map(|recorded| YearResult {
        year: recorded.year,
        rule_pack: recorded.rule_pack,
        score: recorded.score,
        angka_kredit: credit(recorded.year, &recorded.predikat),
        predikat: recorded.predikat,
        basis: ResultBasis::Recorded { source: recorded.source },
    }));
    results.sort_by_key(|result| std::cmp::Reverse(result.year));
    Ok(results)
}

/// One period's proposal as stored by scoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrowthPeriod {
    pub period: Period,
    pub result_rating: kinerja_domain::RatingLevel,
    pub behaviour_rating: kinerja_domain::RatingLevel,
    pub predikat: Predikat,
}

/// A year of an employee's growth: its result, its periods as scored, the lesson hours learnt, the
/// development goals set and met, and the appreciations received.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthYear {
    pub year: i32,
    pub result: Option<YearResult>,
    /// The periods of the year's plan as scored, in the order they end (the year itself last).
    pub periods: Vec<GrowthPeriod>,
    /// Lesson hours (JP) of training finished in the year.
    pub hours: i64,
    /// Goals of the year's development plan agreed (achieved and carried ones included).
    pub goals_agreed: u64,
    pub goals_achieved: u64,
    pub appreciations: u64,
}

/// An employee's growth across the years they have anything in, newest first: the results of
/// [`results_across_years`] beside what they learnt, planned and were thanked for each year.
pub async fn growth_across_years(store: &Store, packs: &RulePacks, employee_id: Uuid) -> AppResult<Vec<GrowthYear>> {
    let results = results_across_years(store, packs, employee_id).await?;
    let plans = store.plans_of_employees_with_evaluations(&[employee_id], None, None).await?;
    let training = store.training_of_employees(&[employee_id], None).await?;
    let goals = store.development_goals_of_employees(&[employee_id], None).await?;
    let thanks = store.appreciations_of_employees(&[employee_id], None).await?;
    let mut years: Vec<i32> = results
        .iter()
        .map(|r| r.year)
        .chain(plans.iter().map(|(plan, _)| plan.plan.year))
        .chain(training.iter().map(|t| chrono::Datelike::year(&t.finished_on)))
        .chain(goals.iter().map(|g| g.year))
        .chain(thanks.iter().map(|a| a.year))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years
        .into_iter()
        .map(|year| {
            let mut periods: Vec<GrowthPeriod> = plans
                .iter()
                .filter(|(plan, _)| plan.plan.year == year)
                .flat_map(|(_, evaluations)| evaluations)
                .map(|e| GrowthPeriod {
                    period: e.period,
                    result_rating: e.proposed_result_rating,
                    behaviour_rating: e.proposed_behaviour_rating,
                    predikat: e.predikat,
                })
                .collect();
            periods.sort_by_key(|p| (p.period.end(), p.period == Period::Year(year)));
            let own_goals = goals.iter().filter(|g| g.year == year && g.status != GoalStatus::Proposed);
            GrowthYear {
                year,
                result: results.iter().find(|r| r.year == year).cloned(),
                periods,
                hours: training
                    .iter()
                    .filter(|t| chrono::Datelike::year(&t.finished_on) == year)
                    .map(|t| i64::from(t.hours))
                    .sum(),
                goals_agreed: own_goals.clone().count() as u64,
                goals_achieved: own_goals.filter(|g| g.status == GoalStatus::Achieved).count() as u64,
                appreciations: thanks.iter().filter(|a| a.year == year).count() as u64,
            }
        })
        .collect())
}
