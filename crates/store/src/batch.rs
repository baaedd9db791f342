//! Imports of the year's judgements — a perangkat daerah's organisation predikat, behaviour ratings —
//! through the same checked writers as their mutations: all rows in one transaction, each refused row
//! reported with its line and field, nothing kept unless every row passes.

use std::collections::HashMap;

use kinerja_domain::{BehaviourRating, Capability, Nip, OrganisationPredikat, Period, UnitCode};
use kinerja_scoring::RulePack;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::behaviour::{Change, rate_plan_in};
use crate::entity::{employee, plan, unit};
use crate::evaluations::set_organisation_rating_in;
use crate::import::{ImportOutcome, ImportSummary, RowProblem};
use crate::records::UnitRecord;
use crate::workflow::Actor;
use crate::{Store, StoreError, StoreResult};

/// A row of an organisation predikat import, with the rule pack of its year.
#[derive(Debug, Clone)]
pub struct OrganisationRatingRow<'p> {
    pub line: u64,
    pub unit: UnitCode,
    pub year: i32,
    pub predikat: OrganisationPredikat,
    pub pack: &'p RulePack,
}

/// A row of a behaviour ratings import: one value of the plan of `nip` and `year`, for `period` (the
/// year when `None`).
#[derive(Debug, Clone)]
pub struct BehaviourRatingRow {
    pub line: u64,
    pub nip: Nip,
    pub year: i32,
    pub period: Option<Period>,
    pub rating: BehaviourRating,
}

/// What the rows of one import did, and what was refused.
#[derive(Default)]
struct Tally {
    summary: ImportSummary,
    problems: Vec<RowProblem>,
}

impl Tally {
    fn count(&mut self, change: Change) {
        self.summary.rows += 1;
        match change {
            Change::Inserted => self.summary.inserted += 1,
            Change::Updated => self.summary.updated += 1,
            Change::Unchanged => self.summary.unchanged += 1,
        }
    }

    fn refuse(&mut self, line: u64, field: &str, message: impl Into<String>) {
        self.problems.push(RowProblem { line, field: field.to_owned(), message: message.into() });
    }

    /// A writer's refusal becomes the row's problem; a failure of the database stays an error.
    fn refused(&mut self, line: u64, field: &str, error: StoreError) -> StoreResult<()> {
        match error {
            StoreError::Database(_) | StoreError::Corrupt { .. } => Err(error),
            refusal => {
                self.refuse(line, field, refusal.to_string());
                Ok(())
            }
        }
    }

    fn outcome(mut self, limit: usize) -> ImportOutcome {
        if self.problems.is_empty() {
            return Ok(self.summary);
        }
        self.problems.sort_by_key(|p| p.line);
        self.problems.truncate(limit);
        Err(self.problems)
    }
}

impl Store {
    /// Sets the organisation predikat of each row's unit and year, as `setOrganisationPredikat` does one:
    /// refused for a unit with a final plan of the year, audited per unit, each distribution recounted.
    pub async fn import_organisation_ratings(
        &self,
        actor: Option<&Actor>,
        rows: Vec<OrganisationRatingRow<'_>>,
        limit: usize,
        dry_run: bool,
    ) -> StoreResult<ImportOutcome> {
        if let Some(actor) = actor {
            Store::require(actor, Capability::ManageIntegrations)?;
            Store::require(actor, Capability::RateOrganisation)?;
        }
        let txn = self.write_txn().await?;
        let codes: Vec<&str> = rows.iter().map(|row| row.unit.as_str()).collect();
        let units: HashMap<String, unit::Model> = unit::Entity::find()
            .filter(unit::Column::Code.is_in(codes))
            .all(&txn)
            .await?
            .into_iter()
            .map(|unit| (unit.code.clone(), unit))
            .collect();
        let mut tally = Tally::default();
        let mut first_line: HashMap<(&str, i32), u64> = HashMap::new();
        for row in &rows {
            if let Some(first) = first_line.insert((row.unit.as_str(), row.year), row.line) {
                tally.refuse(row.line, "year", format!("repeats the key of line {first}"));
                continue;
            }
            let Some(model) = units.get(row.unit.as_str()) else {
                tally.refuse(row.line, "unit_code", format!("no unit has code {}", row.unit));
                continue;
            };
            let unit = UnitRecord::try_from(model.clone())?;
            match set_organisation_rating_in(&txn, actor, row.pack, &unit, row.year, row.predikat).await {
                Ok((_, change)) => tally.count(change),
                Err(error) => tally.refused(row.line, "predikat", error)?,
            }
        }
        let outcome = tally.outcome(limit);
        if outcome.is_ok() && !dry_run {
            txn.commit().await?;
        }
        Ok(outcome)
    }

    /// Rates BerAKHLAK values as `rateBehaviour` does, for the approved plan of each row's NIP and year:
    /// the rows of one plan and period are rated together, a value named twice is refused, a rating
    /// without its own expectation carries the one set at planning, and each plan's rating is audited.
    pub async fn import_behaviour_ratings(
        &self,
        actor: Option<&Actor>,
        rows: Vec<BehaviourRatingRow>,
        limit: usize,
        dry_run: bool,
    ) -> StoreResult<ImportOutcome> {
        if let Some(actor) = actor {
            Store::require(actor, Capability::ManageIntegrations)?;
        }
        let txn = self.write_txn().await?;
        let nips: Vec<&str> = rows.iter().map(|row| row.nip.as_str()).collect();
        let employees: HashMap<String, uuid::Uuid> = employee::Entity::find()
            .filter(employee::Column::Nip.is_in(nips))
            .all(&txn)
            .await?
            .into_iter()
            .map(|employee| (employee.nip, employee.id))
            .collect();
        let plans: HashMap<(uuid::Uuid, i32), plan::Model> = plan::Entity::find()
            .filter(plan::Column::EmployeeId.is_in(employees.values().copied()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|plan| ((plan.employee_id, plan.year), plan))
            .collect();
        let mut tally = Tally::default();
        // The rows of each plan and period, in file order, with the line that first named each value.
        let mut groups: Vec<(&plan::Model, Period, Vec<&BehaviourRatingRow>)> = Vec::new();
        let mut group_of: HashMap<(uuid::Uuid, Period), usize> = HashMap::new();
        let mut first_line: HashMap<(uuid::Uuid, Period, &str), u64> = HashMap::new();
        for row in &rows {
            let Some(employee_id) = employees.get(row.nip.as_str()) else {
                tally.refuse(row.line, "nip", format!("no employee has NIP {}", row.nip));
                continue;
            };
            let Some(plan) = plans.get(&(*employee_id, row.year)) else {
                tally.refuse(row.line, "year", format!("{} has no plan for {}", row.nip, row.year));
                continue;
            };
            let period = row.period.unwrap_or(Period::Year(row.year));
            if let Some(first) = first_line.insert((plan.id, period, row.rating.value.as_str()), row.line) {
                tally.refuse(row.line, "value", format!("repeats the key of line {first}"));
                continue;
            }
            match group_of.get(&(plan.id, period)) {
                Some(index) => groups[*index].2.push(row),
                None => {
                    group_of.insert((plan.id, period), groups.len());
                    groups.push((plan, period, vec![row]));
                }
            }
        }
        for (plan, period, members) in groups {
            let ratings = members.iter().map(|row| row.rating.clone()).collect();
            match rate_plan_in(&txn, actor, plan.clone(), period, ratings).await {
                Ok(rated) => rated.into_iter().for_each(|(_, change)| tally.count(change)),
                Err(error @ (StoreError::Database(_) | StoreError::Corrupt { .. })) => return Err(error),
                Err(refusal) => {
                    let message = format!("{}: {refusal}", members[0].nip);
                    for row in members {
                        tally.refuse(row.line, "year", message.clone());
                    }
                }
            }
        }
        let outcome = tally.outcome(limit);
        if outcome.is_ok() && !dry_run {
            txn.commit().await?;
        }
        Ok(outcome)
    }
}
