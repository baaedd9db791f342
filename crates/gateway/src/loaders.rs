//! DataLoaders: every nested list or link is fetched for all parents at once, so a page costs a fixed
//! number of statements however many rows it shows.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use kinerja_domain::Period;
use kinerja_store::records::*;
use kinerja_store::{IndicatorFigure, Store, StoreError};
use uuid::Uuid;

pub(crate) struct StoreLoader {
    pub(crate) store: Store,
}

/// The loader of one request or subscription connection. It caches only for query requests (see
/// `prefetch`); elsewhere its cache is switched off. Its keys are ids the store handed out, so the cache
/// hashes them with foldhash rather than SipHash (a page looks its cache up thousands of times).
pub(crate) type RequestLoader = DataLoader<StoreLoader, HashMapCache<foldhash::fast::RandomState>>;

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<StoreError>>;

fn ids<K: Copy>(keys: &[K], id: impl Fn(K) -> Uuid) -> Vec<Uuid> {
    keys.iter().map(|k| id(*k)).collect()
}

/// The ids of `keys` grouped by the part each key adds to its id (a year, a period), so that each group
/// is one statement.
fn ids_by<K, G: Hash + Eq>(keys: &[K], split: impl Fn(&K) -> (Uuid, G)) -> HashMap<G, Vec<Uuid>> {
    let mut groups: HashMap<G, Vec<Uuid>> = HashMap::new();
    for key in keys {
        let (id, group) = split(key);
        groups.entry(group).or_default().push(id);
    }
    groups
}

fn by_key<K: Hash + Eq, V>(records: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, V> {
    records.into_iter().map(|r| (key(&r), r)).collect()
}

fn grouped<K: Hash + Eq + Clone, V>(keys: &[K], records: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut groups: HashMap<K, Vec<V>> = keys.iter().map(|k| (k.clone(), Vec::new())).collect();
    for record in records {
        groups.entry(key(&record)).or_default().push(record);
    }
    groups
}

macro_rules! key {
    ($name:ident) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub(crate) struct $name(pub(crate) Uuid);
    };
}

key!(UnitById);
key!(ChildrenOfUnit);
key!(PositionById);
key!(EmployeeById);
key!(PlanById);
key!(WorkResultById);
key!(WorkResultsOfPlan);
key!(IndicatorById);
key!(IndicatorsOfWorkResult);
key!(RealisationsOfIndicator);
key!(FeedbackOfPlan);
key!(BehaviourOfPlan);
key!(BehaviourExpectationsOfPlan);
key!(EvaluationsOfPlan);
key!(ExplanationOfEvaluation);
key!(AchievementsOfEvaluation);
key!(DecisionsOfPlan);
key!(ObjectionsOfDecision);

/// The distribution check of one unit for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DistributionOfUnit(pub(crate) Uuid, pub(crate) i32);

impl Loader<DistributionOfUnit> for StoreLoader {
    type Value = DistributionRecord;
    type Error = Arc<StoreError>;
    async fn load(&self, keys: &[DistributionOfUnit]) -> LoadResult<DistributionOfUnit, DistributionRecord> {
        let by_year = ids_by(keys, |key| (key.0, key.1));
        let mut found = HashMap::new();
        for (year, units) in by_year {
            for record in self.store.distributions_of_units(&units, year).await? {
                found.insert(DistributionOfUnit(record.unit_id, year), record);
            }
        }
        Ok(found)
    }
}

/// The plans of one employee, for one year or for all years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PlansOfEmployee(pub(crate) Uuid, pub(crate) Option<i32>);

macro_rules! by_id_loader {
    ($key:ident, $value:ty, $method:ident, $id:ident) => {
        impl Loader<$key> for StoreLoader {
            type Value = $value;
            type Error = Arc<StoreError>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, $value> {
                let records = self.store.$method(&ids(keys, |k| k.0)).await?;
                Ok(by_key(records, |r| $key(r.$id)))
            }
        }
    };
}

macro_rules! children_loader {
    ($key:ident, $value:ty, $method:ident, $parent:ident) => {
        impl Loader<$key> for StoreLoader {
            type Value = Vec<$value>;
            type Error = Arc<StoreError>;
            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Vec<$value>> {
                let records = self.store.$method(&ids(keys, |k| k.0)).await?;
                Ok(grouped(keys, records, |r| $key(r.$parent)))
            }
        }
    };
}

by_id_loader!(UnitById, UnitRecord, units_by_ids, id);
by_id_loader!(PositionById, PositionRecord, positions_by_ids, id);
by_id_loader!(EmployeeById, EmployeeRecord, employees_by_ids, id);
by_id_loader!(PlanById, PlanRecord, plans_by_ids, id);
by_id_loader!(WorkResultById, WorkResultRecord, work_results_by_ids, id);
by_id_loader!(IndicatorById, IndicatorRecord, indicators_by_ids, id);
children_loader!(WorkResultsOfPlan, WorkResultRecord, work_results_of_plans, plan_id);
children_loader!(IndicatorsOfWorkResult, IndicatorRecord, indicators_of_work_results, work_result_id);
children_loader!(RealisationsOfIndicator, RealisationRecord, realisations_of_indicators, indicator_id);
children_loader!(FeedbackOfPlan, FeedbackRecord, feedback_of_plans, plan_id);
children_loader!(BehaviourOfPlan, BehaviourRatingRecord, behaviour_of_plans, plan_id);
children_loader!(BehaviourExpectationsOfPlan, BehaviourExpectationRecord, behaviour_expectations_of_plans, plan_id);
children_loader!(AchievementsOfEvaluation, IndicatorFigure, achievements_of_evaluations, evaluation_id);
children_loader!(DecisionsOfPlan, DecisionRecord, decisions_of_plans, plan_id);
children_loader!(ObjectionsOfDecision, ObjectionRecord, objections_of_decisions, decision_id);

impl Loader<EvaluationsOfPlan> for StoreLoader {
    type Value = Vec<EvaluationRecord>;
    type Error = Arc<StoreError>;
    async fn load(&self, keys: &[EvaluationsOfPlan]) -> LoadResult<EvaluationsOfPlan, Vec<EvaluationRecord>> {
        let records = self.store.evaluations_of_plans(&ids(keys, |k| k.0), None).await?;
        Ok(grouped(keys, records, |r| EvaluationsOfPlan(r.plan_id)))
    }
}

/// The evaluation of one plan for one period; `None` (cached as such) when there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct EvaluationOfPlanInPeriod(pub(crate) Uuid, pub(crate) Period);

impl Loader<EvaluationOfPlanInPeriod> for StoreLoader {
    type Value = Option<EvaluationRecord>;
    type Error = Arc<StoreError>;
    async fn load(
        &self,
        keys: &[EvaluationOfPlanInPeriod],
    ) -> LoadResult<EvaluationOfPlanInPeriod, Option<EvaluationRecord>> {
        let by_period = ids_by(keys, |key| (key.0, key.1));
        let mut found: HashMap<_, _> = keys.iter().map(|k| (*k, None)).collect();
        for (period, plans) in by_period {
            for record in self.store.evaluations_of_plans(&plans, Some(period)).await? {
                found.insert(EvaluationOfPlanInPeriod(record.plan_id, period), Some(record));
            }
        }
        Ok(found)
    }
}

impl Loader<ExplanationOfEvaluation> for StoreLoader {
    type Value = String;
    type Error = Arc<StoreError>;
    async fn load(&self, keys: &[ExplanationOfEvaluation]) -> LoadResult<ExplanationOfEvaluation, String> {
        let explanations = self.store.evaluation_explanations(&ids(keys, |k| k.0)).await?;
        Ok(explanations.into_iter().map(|(id, text)| (ExplanationOfEvaluation(id), text)).collect())
    }
}

impl Loader<ChildrenOfUnit> for StoreLoader {
    type Value = Vec<UnitRecord>;
    type Error = Arc<StoreError>;
    async fn load(&self, keys: &[ChildrenOfUnit]) -> LoadResult<ChildrenOfUnit, Vec<UnitRecord>> {
        let records = self.store.children_of_units(&ids(keys, |k| k.0)).await?;
        let mut groups: HashMap<ChildrenOfUnit, Vec<UnitRecord>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for record in records {
            if let Some(parent) = record.parent_id {
                groups.entry(ChildrenOfUnit(parent)).or_default().push(record);
            }
        }
        Ok(groups)
    }
}

impl Loader<PlansOfEmployee> for StoreLoader {
    type Value = Vec<PlanRecord>;
    type Error = Arc<StoreError>;
    async fn load(&self, keys: &[PlansOfEmployee]) -> LoadResult<PlansOfEmployee, Vec<PlanRecord>> {
        let by_year = ids_by(keys, |key| (key.0, key.1));
        let mut groups: HashMap<PlansOfEmployee, Vec<PlanRecord>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for (year, employees) in by_year {
            for plan in self.store.plans_of_employees(&employees, year).await? {
                groups.entry(PlansOfEmployee(plan.employee_id, year)).or_default().push(plan);
            }
        }
        Ok(groups)
    }
}

/// The training of one employee, finished in one year or in any year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct TrainingOfEmployee(pub(crate) Uuid, pub(crate) Option<i32>);

impl Loader<TrainingOfEmployee> for StoreLoader {
    type Value = Vec<kinerja_store::TrainingRecord>;
    type Error = Arc<StoreError>;
    async fn load(
        &self,
        keys: &[TrainingOfEmployee],
    ) -> LoadResult<TrainingOfEmployee, Vec<kinerja_store::TrainingRecord>> {
        let by_year = ids_by(keys, |key| (key.0, key.1));
        let mut groups: HashMap<TrainingOfEmployee, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for (year, employees) in by_year {
            for record in self.store.training_of_employees(&employees, year).await? {
                groups.entry(TrainingOfEmployee(record.employee_id, year)).or_default().push(record);
            }
        }
        Ok(groups)
    }
}

key!(CompetenciesOfEmployee);
children_loader!(CompetenciesOfEmployee, kinerja_store::CompetencyAssessment, competencies_of_employees, employee_id);

/// The training needs of one employee in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct NeedsOfEmployee(pub(crate) Uuid, pub(crate) i32);

impl Loader<NeedsOfEmployee> for StoreLoader {
    type Value = Vec<kinerja_store::TrainingNeedRecord>;
    type Error = Arc<StoreError>;
    async fn load(&self, keys: &[NeedsOfEmployee]) -> LoadResult<NeedsOfEmployee, Self::Value> {
        let by_year = ids_by(keys, |key| (key.0, key.1));
        let mut groups: HashMap<NeedsOfEmployee, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for (year, employees) in by_year {
            for need in self.store.training_needs_of_employees(&employees, year, None).await? {
                groups.entry(NeedsOfEmployee(need.employee_id, year)).or_default().push(need);
            }
        }
        Ok(groups)
    }
}
