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
use kinerja_domain::Period;
use kinerja_store::StoreError;
use kinerja_store::records::{EmployeeRecord, EvaluationRecord, PlanRecord};
use uuid::Uuid;

use crate::error::OrGraphqlError;
use crate::loaders::*;
use crate::types::{chosen_evaluation, loader};

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

/// Prefetches what the selection of a connection's nodes (under `edges { node }` and `nodes`) asks of a
/// page of employees.
pub(crate) async fn page_of_employees(ctx: &Context<'_>, page: &[EmployeeRecord]) -> Result<()> {
    if !prefetching(ctx) {
        return Ok(());
    }
    let connection = ctx.look_ahead();
    let mut nodes = connection.field("edges").field("node").selection_fields();
    nodes.extend(connection.field("nodes").selection_fields());
    let Ok(selection) = Lookahead::try_from(nodes.as_slice()) else { return Ok(()) };
    employees(ctx, &selection, &page.iter().collect::<Vec<_>>()).await
}

/// Prefetches what `selection` (an `Employee` selection) asks of `employees`.
pub(crate) async fn employees(
    ctx: &Context<'_>,
    selection: &Lookahead<'_>,
    employees: &[&EmployeeRecord],
) -> Result<()> {
    if !prefetching(ctx) || employees.is_empty() {
        return Ok(());
    }
    if selection.field("unit").exists() {
        prime(ctx, employees.iter().map(|e| UnitById(e.unit_id)).collect()).await?;
    }
    if selection.field("position").exists() {
        prime(ctx, employees.iter().map(|e| PositionById(e.position_id)).collect()).await?;
    }
    if selection.field("superior").exists() {
        prime(ctx, employees.iter().filter_map(|e| e.superior_id.map(EmployeeById)).collect()).await?;
    }
    let mut years_read = HashSet::new();
    for field in selection.field("plans").selection_fields() {
        let Some(year) = argument::<i32>(&field, "year") else { continue };
        if !years_read.insert(year) {
            continue;
        }
        let found = read(ctx, employees.iter().map(|e| PlansOfEmployee(e.id, year)).collect()).await?;
        let plans: Vec<&PlanRecord> = found.values().flatten().collect();
        self::plans(ctx, &selection.field("plans"), &plans).await?;
        feed(ctx, found).await;
    }
    Ok(())
}

/// Prefetches what `selection` (a `Plan` selection) asks of `plans`.
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
    let single = selection.field("evaluation");
    let all = selection.field("evaluations");
    if !single.exists() && !all.exists() {
        return Ok(());
    }
    let found = read(ctx, plans.iter().map(|p| EvaluationsOfPlan(p.id)).collect()).await?;
    let mut shown: HashMap<Uuid, &EvaluationRecord> = HashMap::new();
    if all.exists() {
        shown.extend(found.values().flatten().map(|e| (e.id, e)));
    }
    for field in single.selection_fields() {
        let Some(period) = argument::<String>(&field, "period") else { continue };
        let Ok(wanted) = period.as_deref().map(Period::parse).transpose() else { continue };
        shown.extend(found.values().filter_map(|of_plan| chosen_evaluation(of_plan, wanted)).map(|e| (e.id, e)));
    }
    let shown: Vec<&EvaluationRecord> = shown.into_values().collect();
    evaluations(ctx, &[single, all], &shown).await?;
    feed(ctx, found).await;
    Ok(())
}

/// Prefetches what `selections` (`Evaluation` selections) ask of `evaluations`.
async fn evaluations(ctx: &Context<'_>, selections: &[Lookahead<'_>], evaluations: &[&EvaluationRecord]) -> Result<()> {
    if !selections.iter().any(|s| s.field("achievements").exists()) {
        return Ok(());
    }
    let found = read(ctx, evaluations.iter().map(|e| AchievementsOfEvaluation(e.id)).collect()).await?;
    if selections.iter().any(|s| s.field("achievements").field("indicator").exists()) {
        prime(ctx, found.values().flatten().map(|figure| IndicatorById(figure.indicator_id)).collect()).await?;
    }
    feed(ctx, found).await;
    Ok(())
}
