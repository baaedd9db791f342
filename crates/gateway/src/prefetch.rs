//! Look-ahead reads for lists. A resolver that holds a page of rows reads what the query's selection
//! asks of them — each nested level for all rows at once, one statement per level — and feeds the
//! request's DataLoader cache, so the nested fields resolve from memory. Left to the DataLoader alone,
//! every nesting level waits for its own batch (a spawned task and a timer each), which on a page of 50
//! rows costs more than the statement itself.
//!
//! Only queries prefetch: their loader caches for the length of the request ([`CachedReads`]).
//! Mutations and subscription connections read through an uncached loader, since what they read may
//! change between their steps. Reads go through the caller's scoped store, as the loader's do.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputType, Lookahead, Result, SelectionField};
use kinerja_domain::{Nip, Period};
use kinerja_store::records::{EmployeeRecord, EvaluationRecord, PlanRecord, UnitRecord};
use kinerja_store::{Store, StoreError};
use uuid::Uuid;

use crate::error::OrGraphqlError;
use crate::loaders::*;
use crate::types::{latest_evaluation, loader};

/// Marks a request whose loader caches, so that prefetched rows are used.
pub(crate) struct CachedReads;

/// Whether this request's loader caches, so that reading ahead pays.
fn prefetching(ctx: &Context<'_>) -> bool {
    ctx.data_opt::<CachedReads>().is_some()
}

/// Reads `keys` with the loader's own batch function, so the records are exactly those a nested field
/// would get from the loader.
async fn read<K>(ctx: &Context<'_>, keys: HashSet<K>) -> Result<HashMap<K, <StoreLoader as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let keys: Vec<K> = keys.into_iter().collect();
    loader(ctx).loader().load(&keys).await.or_graphql()
}

/// Hands records read by [`read`] to the request's loader cache.
async fn feed<K>(ctx: &Context<'_>, found: HashMap<K, <StoreLoader as Loader<K>>::Value>)
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K>,
{
    loader(ctx).feed_many(found).await;
}

/// Reads and caches `keys`.
async fn prime<K>(ctx: &Context<'_>, keys: HashSet<K>) -> Result<()>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    let found = read(ctx, keys).await?;
    feed(ctx, found).await;
    Ok(())
}

/// The value of an optional argument as its resolver will read it; `None` for a value the resolver
/// will refuse (it reports the error, the prefetch only skips the field).
fn argument<T: InputType>(field: &SelectionField<'_>, name: &str) -> Option<Option<T>> {
    let arguments = field.arguments().ok()?;
    let value = arguments.into_iter().find(|(argument, _)| argument.as_str() == name).map(|(_, value)| value);
    Option::<T>::parse(value).ok()
}

/// The employee with `nip`, if the caller may see them, with what the query's selection asks of them
/// read ahead. A person's card — the employee, their unit and one year's plans with the evaluations shown —
/// is one statement.
pub(crate) async fn employee_by_nip(ctx: &Context<'_>, nip: &Nip) -> Result<Option<EmployeeRecord>> {
    let store = ctx.data_unchecked::<Store>();
    let prefetch = prefetching(ctx);
    let selection = ctx.look_ahead();
    let plans_selection = selection.field("plans");
    let years = plan_years(&plans_selection);
    let shown = evaluations_shown(&plans_selection);
    // The card's year: the first asked, when its plans' evaluations are shown.
    let card = years.first().copied().zip(shown).filter(|_| prefetch);
    let found = match card {
        Some((year, shown)) => {
            let read = store.employee_card(nip, year, shown.period()).await;
            read.map(|card| (card.employee, vec![card.unit], card.plans))
        }
        None if prefetch && selection.field("unit").exists() => {
            store.employee_by_nip_with_unit(nip).await.map(|(employee, unit)| (employee, vec![unit], Vec::new()))
        }
        None => store.employee_by_nip(nip).await.map(|employee| (employee, Vec::new(), Vec::new())),
    };
    let (employee, units, card_plans) = match found {
        Ok(found) => found,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(error) => return Err(error).or_graphql(),
    };
    if !prefetch {
        return Ok(Some(employee));
    }
    feed_units(ctx, units).await;
    links(ctx, &selection, &[&employee]).await?;
    let mut card = card.map(|(year, shown)| (year, shown, card_plans));
    for year in years {
        match card.take_if(|(card_year, ..)| *card_year == year) {
            Some((_, shown, joined)) => {
                plans_read_with_evaluations(ctx, &plans_selection, &[employee.id], year, shown, joined).await?;
            }
            None => plans_of_year(ctx, &plans_selection, &[&employee], year, shown).await?,
        }
    }
    Ok(Some(employee))
}

/// A page of at most `first` of a unit's members (see [`Store::unit_members`]) and whether more follow,
/// with what the selection of the connection's nodes (under `edges { node }` and `nodes`) asks of them
/// read ahead; their units in the same statement.
pub(crate) async fn unit_members(
    ctx: &Context<'_>,
    unit: &UnitRecord,
    filter: &kinerja_store::MemberFilter,
    page: &kinerja_store::MemberPage,
) -> Result<(Vec<EmployeeRecord>, bool)> {
    let store = ctx.data_unchecked::<Store>();
    let size = page.limit as usize;
    // One more than the page, to tell whether there are more in the direction of travel.
    let page = kinerja_store::MemberPage { limit: page.limit + 1, ..page.clone() };
    let connection = ctx.look_ahead();
    let mut nodes = connection.field("edges").field("node").selection_fields();
    nodes.extend(connection.field("nodes").selection_fields());
    let selection = Lookahead::try_from(nodes.as_slice()).ok().filter(|_| prefetching(ctx));
    let (mut rows, mut units): (Vec<EmployeeRecord>, Vec<UnitRecord>) =
        if selection.as_ref().is_some_and(|nodes| nodes.field("unit").exists()) {
            let found = store.unit_members_with_units(unit, filter, &page).await;
            found.or_graphql()?.into_iter().unzip()
        } else {
            (store.unit_members(unit, filter, &page).await.or_graphql()?, Vec::new())
        };
    let more = rows.len() > size;
    if more && page.from_end {
        rows.remove(0);
        if !units.is_empty() {
            units.remove(0);
        }
    }
    rows.truncate(size);
    if let Some(selection) = selection {
        feed_units(ctx, units).await;
        employees(ctx, &selection, &rows.iter().collect::<Vec<_>>()).await?;
    }
    Ok((rows, more))
}

async fn feed_units(ctx: &Context<'_>, units: Vec<UnitRecord>) {
    feed(ctx, units.into_iter().map(|unit| (UnitById(unit.id), unit)).collect()).await;
}

/// Prefetches what `selection` (an `Employee` selection) asks of `employees`, but their unit, which is
/// read with them.
async fn employees(ctx: &Context<'_>, selection: &Lookahead<'_>, employees: &[&EmployeeRecord]) -> Result<()> {
    if !prefetching(ctx) || employees.is_empty() {
        return Ok(());
    }
    links(ctx, selection, employees).await?;
    let plans_selection = selection.field("plans");
    let shown = evaluations_shown(&plans_selection);
    for year in plan_years(&plans_selection) {
        plans_of_year(ctx, &plans_selection, employees, year, shown).await?;
    }
    Ok(())
}

/// Prefetches the positions and superiors of `employees` when `selection` asks for them.
async fn links(ctx: &Context<'_>, selection: &Lookahead<'_>, employees: &[&EmployeeRecord]) -> Result<()> {
    if selection.field("position").exists() {
        prime(ctx, employees.iter().map(|e| PositionById(e.position_id)).collect()).await?;
    }
    if selection.field("superior").exists() {
        prime(ctx, employees.iter().filter_map(|e| e.superior_id.map(EmployeeById)).collect()).await?;
    }
    Ok(())
}

/// The years whose plans a `Plan` selection asks for, each once; `None` stands for every year.
fn plan_years(selection: &Lookahead<'_>) -> Vec<Option<i32>> {
    let mut years = Vec::new();
    for field in selection.selection_fields() {
        if let Some(year) = argument::<i32>(&field, "year")
            && !years.contains(&year)
        {
            years.push(year);
        }
    }
    years
}

/// Prefetches the plans of `year` of `employees`, with what `selection` (a `Plan` selection) asks of
/// them; with the evaluations it shows in the same statement.
async fn plans_of_year(
    ctx: &Context<'_>,
    selection: &Lookahead<'_>,
    employees: &[&EmployeeRecord],
    year: Option<i32>,
    shown: Option<EvaluationsShown>,
) -> Result<()> {
    let Some(shown) = shown else {
        let found = read(ctx, employees.iter().map(|e| PlansOfEmployee(e.id, year)).collect()).await?;
        plans(ctx, selection, &found.values().flatten().collect::<Vec<_>>()).await?;
        feed(ctx, found).await;
        return Ok(());
    };
    let ids: Vec<Uuid> = employees.iter().map(|e| e.id).collect();
    let store = ctx.data_unchecked::<Store>();
    let joined = store.plans_of_employees_with_evaluations(&ids, year, shown.period()).await.or_graphql()?;
    plans_read_with_evaluations(ctx, selection, &ids, year, shown, joined).await
}

/// Caches the plans of `year` of the employees `ids`, `joined` with the evaluations `shown`, and
/// prefetches what `selection` (a `Plan` selection) asks of them.
async fn plans_read_with_evaluations(
    ctx: &Context<'_>,
    selection: &Lookahead<'_>,
    ids: &[Uuid],
    year: Option<i32>,
    shown: EvaluationsShown,
    joined: Vec<(PlanRecord, Vec<EvaluationRecord>)>,
) -> Result<()> {
    let mut plans_found: HashMap<PlansOfEmployee, Vec<PlanRecord>> =
        ids.iter().map(|id| (PlansOfEmployee(*id, year), Vec::new())).collect();
    let mut evaluations_found = HashMap::new();
    for (plan, evaluations) in joined {
        evaluations_found.insert(plan.id, evaluations);
        plans_found.entry(PlansOfEmployee(plan.employee_id, year)).or_default().push(plan);
    }
    plans(ctx, selection, &plans_found.values().flatten().collect::<Vec<_>>()).await?;
    evaluations_of_plans(ctx, selection, shown, evaluations_found).await?;
    feed(ctx, plans_found).await;
    Ok(())
}

/// Prefetches what `selection` (a `Plan` selection) asks of `plans`, besides their evaluations.
async fn plans(ctx: &Context<'_>, selection: &Lookahead<'_>, plans: &[&PlanRecord]) -> Result<()> {
    if plans.is_empty() {
        return Ok(());
    }
    if selection.field("feedback").exists() {
        prime(ctx, plans.iter().map(|p| FeedbackOfPlan(p.id)).collect()).await?;
    }
    if selection.field("behaviourRatings").exists() {
        prime(ctx, plans.iter().map(|p| BehaviourOfPlan(p.id)).collect()).await?;
    }
    let results = selection.field("workResults");
    if results.exists() {
        let results_found = read(ctx, plans.iter().map(|p| WorkResultsOfPlan(p.id)).collect()).await?;
        let indicators = results.field("indicators");
        if indicators.exists() {
            let keys = results_found.values().flatten().map(|result| IndicatorsOfWorkResult(result.id)).collect();
            let indicators_found = read(ctx, keys).await?;
            // Realised values and achievements are computed from the realisations.
            if ["realisations", "realised", "achievement"].iter().any(|name| indicators.field(name).exists()) {
                let keys = indicators_found.values().flatten().map(|indicator| RealisationsOfIndicator(indicator.id));
                prime(ctx, keys.collect()).await?;
            }
            feed(ctx, indicators_found).await;
        }
        feed(ctx, results_found).await;
    }
    Ok(())
}

/// Which evaluations of its plans a `Plan` selection shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EvaluationsShown {
    /// Those of one period: every `evaluation` field names the same period.
    Period(Period),
    /// Every one, or the latest (which is chosen among every one).
    All,
}

impl EvaluationsShown {
    /// The one period shown; `None` when every period is read.
    fn period(self) -> Option<Period> {
        match self {
            EvaluationsShown::Period(period) => Some(period),
            EvaluationsShown::All => None,
        }
    }
}

/// What `selection` (a `Plan` selection) shows of the plans' evaluations; `None` when nothing.
fn evaluations_shown(selection: &Lookahead<'_>) -> Option<EvaluationsShown> {
    if selection.field("evaluations").exists() {
        return Some(EvaluationsShown::All);
    }
    let mut shown = None;
    for field in selection.field("evaluation").selection_fields() {
        let Some(period) = argument::<String>(&field, "period") else { continue };
        let Ok(period) = period.as_deref().map(Period::parse).transpose() else { continue };
        shown = match (shown, period) {
            (None, Some(period)) => Some(EvaluationsShown::Period(period)),
            (Some(EvaluationsShown::Period(earlier)), Some(period)) if earlier == period => shown,
            _ => return Some(EvaluationsShown::All),
        };
    }
    shown
}

/// Caches the evaluations `found` for each plan (those `shown` says) for the fields of `selection` (a
/// `Plan` selection) that show them, and prefetches what those fields ask of them.
async fn evaluations_of_plans(
    ctx: &Context<'_>,
    selection: &Lookahead<'_>,
    shown: EvaluationsShown,
    found: HashMap<Uuid, Vec<EvaluationRecord>>,
) -> Result<()> {
    let single = selection.field("evaluation");
    let all = selection.field("evaluations");
    let mut displayed: HashMap<Uuid, &EvaluationRecord> = HashMap::new();
    if all.exists() {
        displayed.extend(found.values().flatten().map(|e| (e.id, e)));
    }
    let mut in_period = HashMap::new();
    for field in single.selection_fields() {
        let Some(period) = argument::<String>(&field, "period") else { continue };
        let Ok(wanted) = period.as_deref().map(Period::parse).transpose() else { continue };
        for (plan, of_plan) in &found {
            let evaluation = match wanted {
                Some(period) => {
                    let evaluation = of_plan.iter().find(|e| e.period == period);
                    in_period.insert(EvaluationOfPlanInPeriod(*plan, period), evaluation.cloned());
                    evaluation
                }
                None => latest_evaluation(of_plan),
            };
            displayed.extend(evaluation.map(|e| (e.id, e)));
        }
    }
    let displayed: Vec<&EvaluationRecord> = displayed.into_values().collect();
    evaluations(ctx, &[single, all], &displayed).await?;
    feed(ctx, in_period).await;
    if shown == EvaluationsShown::All {
        feed(ctx, found.into_iter().map(|(plan, of_plan)| (EvaluationsOfPlan(plan), of_plan)).collect()).await;
    }
    Ok(())
}

/// Prefetches what `selections` (`Evaluation` selections) ask of `evaluations`: their achievements, with
/// the indicators in the same statement when asked.
async fn evaluations(ctx: &Context<'_>, selections: &[Lookahead<'_>], evaluations: &[&EvaluationRecord]) -> Result<()> {
    if !selections.iter().any(|s| s.field("achievements").exists()) || evaluations.is_empty() {
        return Ok(());
    }
    let keys: Vec<AchievementsOfEvaluation> = evaluations.iter().map(|e| AchievementsOfEvaluation(e.id)).collect();
    if !selections.iter().any(|s| s.field("achievements").field("indicator").exists()) {
        return prime(ctx, keys.into_iter().collect()).await;
    }
    let ids: Vec<Uuid> = keys.iter().map(|key| key.0).collect();
    let store = ctx.data_unchecked::<Store>();
    let joined = store.achievements_of_evaluations_with_indicators(&ids).await.or_graphql()?;
    let mut achievements: HashMap<AchievementsOfEvaluation, Vec<_>> =
        keys.into_iter().map(|k| (k, Vec::new())).collect();
    let mut indicators = HashMap::new();
    for (figure, indicator) in joined {
        indicators.extend(indicator.map(|indicator| (IndicatorById(indicator.id), indicator)));
        achievements.entry(AchievementsOfEvaluation(figure.evaluation_id)).or_default().push(figure);
    }
    feed(ctx, indicators).await;
    feed(ctx, achievements).await;
    Ok(())
}
