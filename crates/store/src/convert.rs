//! Rows to records and back. A stored value that no longer parses is reported as corrupt, not hidden.

use std::str::FromStr;

use kinerja_domain::{
    BehaviourRating, Employee, Evidence, FeedbackNote, Indicator, Nip, Period, Plan, Position, Realisation, Sex,
    Target, Unit, UnitCode, WorkResult,
};
use rust_decimal::Decimal;

use crate::entity::{
    behaviour_rating, dialogue, employee, feedback_note, indicator, plan, position, realisation, unit, work_result,
};
use crate::error::{StoreError, StoreResult};
use crate::records::*;

/// Scale of every stored decimal; values read back are normalised so that both databases agree.
pub(crate) const DECIMAL_SCALE: u32 = 4;

pub(crate) fn normalise(value: Decimal) -> Decimal {
    value.round_dp(DECIMAL_SCALE).normalize()
}

fn parse<T: FromStr>(table: &'static str, id: uuid::Uuid, text: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|error: T::Err| corrupt(table, id, error))
}

fn corrupt(table: &'static str, id: uuid::Uuid, reason: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt { table, id: id.to_string(), reason: reason.to_string() }
}

pub(crate) fn sex_text(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

impl TryFrom<unit::Model> for UnitRecord {
    type Error = StoreError;
    fn try_from(row: unit::Model) -> StoreResult<Self> {
        let code: UnitCode = parse("units", row.id, &row.code)?;
        let unit =
            Unit::new(code, row.name, parse("units", row.id, &row.kind)?).map_err(|e| corrupt("units", row.id, e))?;
        Ok(UnitRecord { id: row.id, unit, parent_id: row.parent_id, depth: row.depth })
    }
}

impl TryFrom<position::Model> for PositionRecord {
    type Error = StoreError;
    fn try_from(row: position::Model) -> StoreResult<Self> {
        let position = Position::new(row.title, parse("positions", row.id, &row.kind)?)
            .map_err(|e| corrupt("positions", row.id, e))?;
        Ok(PositionRecord { id: row.id, code: row.code, position, unit_id: row.unit_id })
    }
}

impl TryFrom<employee::Model> for EmployeeRecord {
    type Error = StoreError;
    fn try_from(row: employee::Model) -> StoreResult<Self> {
        let nip: Nip = parse("employees", row.id, &row.nip)?;
        let employee = Employee::new(
            nip,
            row.name,
            parse("employees", row.id, &row.employment_type)?,
            parse("employees", row.id, &row.rank)?,
        )
        .map_err(|e| corrupt("employees", row.id, e))?;
        Ok(EmployeeRecord {
            id: row.id,
            employee,
            position_id: row.position_id,
            unit_id: row.unit_id,
            superior_id: row.superior_id,
        })
    }
}

impl TryFrom<plan::Model> for PlanRecord {
    type Error = StoreError;
    fn try_from(row: plan::Model) -> StoreResult<Self> {
        let mut plan =
            Plan::new(row.year, parse("plans", row.id, &row.approach)?).map_err(|e| corrupt("plans", row.id, e))?;
        plan.status = parse("plans", row.id, &row.status)?;
        Ok(PlanRecord {
            id: row.id,
            employee_id: row.employee_id,
            rater_id: row.rater_id,
            plan,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl TryFrom<work_result::Model> for WorkResultRecord {
    type Error = StoreError;
    fn try_from(row: work_result::Model) -> StoreResult<Self> {
        let work_result =
            WorkResult::new(row.description, parse("work_results", row.id, &row.section)?, row.perspective)
                .map_err(|e| corrupt("work_results", row.id, e))?;
        Ok(WorkResultRecord {
            id: row.id,
            plan_id: row.plan_id,
            code: row.code,
            work_result,
            parent_id: row.parent_id,
            ordinal: row.ordinal,
        })
    }
}

impl TryFrom<indicator::Model> for IndicatorRecord {
    type Error = StoreError;
    fn try_from(row: indicator::Model) -> StoreResult<Self> {
        let target = Target::from_parts(&row.target_kind, normalise(row.target_low), normalise(row.target_high))
            .map_err(|e| corrupt("indicators", row.id, e))?;
        let indicator = Indicator::new(
            row.description,
            parse("indicators", row.id, &row.aspect)?,
            target,
            row.unit_of_measure,
            parse("indicators", row.id, &row.accumulation)?,
        )
        .map_err(|e| corrupt("indicators", row.id, e))?;
        Ok(IndicatorRecord {
            id: row.id,
            work_result_id: row.work_result_id,
            code: row.code,
            indicator,
            ordinal: row.ordinal,
        })
    }
}

impl TryFrom<realisation::Model> for RealisationRecord {
    type Error = StoreError;
    fn try_from(row: realisation::Model) -> StoreResult<Self> {
        let evidence =
            Evidence::new(row.evidence_note, row.evidence_link).map_err(|e| corrupt("realisations", row.id, e))?;
        let period: Period = parse("realisations", row.id, &row.period)?;
        let realisation =
            Realisation::new(period, normalise(row.value), evidence).map_err(|e| corrupt("realisations", row.id, e))?;
        Ok(RealisationRecord {
            id: row.id,
            indicator_id: row.indicator_id,
            realisation,
            source: row.source,
            recorded_at: row.recorded_at,
            version: row.version,
        })
    }
}

impl TryFrom<feedback_note::Model> for FeedbackRecord {
    type Error = StoreError;
    fn try_from(row: feedback_note::Model) -> StoreResult<Self> {
        let behaviour = row.behaviour.as_deref().map(|b| parse("feedback_notes", row.id, b)).transpose()?;
        let note = FeedbackNote::new(parse("feedback_notes", row.id, &row.kind)?, row.text, behaviour)
            .map_err(|e| corrupt("feedback_notes", row.id, e))?;
        Ok(FeedbackRecord {
            id: row.id,
            plan_id: row.plan_id,
            work_result_id: row.work_result_id,
            indicator_id: row.indicator_id,
            note,
            author_id: row.author_id,
            created_at: row.created_at,
        })
    }
}

impl TryFrom<behaviour_rating::Model> for BehaviourRatingRecord {
    type Error = StoreError;
    fn try_from(row: behaviour_rating::Model) -> StoreResult<Self> {
        Ok(BehaviourRatingRecord {
            id: row.id,
            plan_id: row.plan_id,
            period: parse("behaviour_ratings", row.id, &row.period)?,
            rating: BehaviourRating {
                value: parse("behaviour_ratings", row.id, &row.value)?,
                level: parse("behaviour_ratings", row.id, &row.level)?,
                expectation: row.expectation,
                note: row.note,
            },
        })
    }
}

/// Converts every row, stopping at the first unreadable one.
pub(crate) fn records<M, R: TryFrom<M, Error = StoreError>>(rows: Vec<M>) -> StoreResult<Vec<R>> {
    rows.into_iter().map(R::try_from).collect()
}

pub(crate) fn unit_model(record: &UnitRecord, path: String, now: chrono::DateTime<chrono::Utc>) -> unit::Model {
    unit::Model {
        id: record.id,
        code: record.unit.code.to_string(),
        name: record.unit.name.clone(),
        kind: record.unit.kind.as_str().to_owned(),
        parent_id: record.parent_id,
        path,
        depth: record.depth,
        created_at: now,
    }
}

pub(crate) fn position_model(record: &PositionRecord) -> position::Model {
    position::Model {
        id: record.id,
        code: record.code.clone(),
        title: record.position.title.clone(),
        kind: record.position.kind.as_str().to_owned(),
        unit_id: record.unit_id,
    }
}

pub(crate) fn employee_model(record: &EmployeeRecord, now: chrono::DateTime<chrono::Utc>) -> employee::Model {
    let employee = &record.employee;
    employee::Model {
        id: record.id,
        nip: employee.nip.to_string(),
        name: employee.name.clone(),
        employment_type: employee.employment.as_str().to_owned(),
        rank: employee.rank.to_string(),
        birth_date: employee.nip.birth_date(),
        sex: sex_text(employee.nip.sex()).to_owned(),
        position_id: record.position_id,
        unit_id: record.unit_id,
        superior_id: record.superior_id,
        created_at: now,
    }
}

pub(crate) fn plan_model(record: &PlanRecord) -> plan::Model {
    plan::Model {
        id: record.id,
        employee_id: record.employee_id,
        year: record.plan.year,
        rater_id: record.rater_id,
        approach: record.plan.approach.as_str().to_owned(),
        status: record.plan.status.as_str().to_owned(),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

pub(crate) fn work_result_model(record: &WorkResultRecord) -> work_result::Model {
    work_result::Model {
        id: record.id,
        plan_id: record.plan_id,
        code: record.code.clone(),
        section: record.work_result.section.as_str().to_owned(),
        description: record.work_result.description.clone(),
        perspective: record.work_result.perspective.clone(),
        parent_id: record.parent_id,
        ordinal: record.ordinal,
    }
}

pub(crate) fn indicator_model(record: &IndicatorRecord) -> indicator::Model {
    let indicator = &record.indicator;
    let (low, high) = indicator.target.bounds();
    indicator::Model {
        id: record.id,
        work_result_id: record.work_result_id,
        code: record.code.clone(),
        description: indicator.description.clone(),
        aspect: indicator.aspect.as_str().to_owned(),
        target_kind: indicator.target.kind_name().to_owned(),
        target_low: low,
        target_high: high,
        unit_of_measure: indicator.unit_of_measure.clone(),
        accumulation: indicator.accumulation.as_str().to_owned(),
        ordinal: record.ordinal,
    }
}

pub(crate) fn realisation_model(record: &RealisationRecord) -> realisation::Model {
    let realisation = &record.realisation;
    realisation::Model {
        id: record.id,
        indicator_id: record.indicator_id,
        period: realisation.period.to_string(),
        period_start: realisation.period.start(),
        period_end: realisation.period.end(),
        value: realisation.value,
        evidence_note: realisation.evidence.note.clone(),
        evidence_link: realisation.evidence.link.clone(),
        source: record.source.clone(),
        recorded_at: record.recorded_at,
        version: record.version,
    }
}

pub(crate) fn feedback_model(record: &FeedbackRecord) -> feedback_note::Model {
    feedback_note::Model {
        id: record.id,
        plan_id: record.plan_id,
        work_result_id: record.work_result_id,
        indicator_id: record.indicator_id,
        behaviour: record.note.behaviour.map(|b| b.as_str().to_owned()),
        kind: record.note.kind.as_str().to_owned(),
        text: record.note.text.clone(),
        author_id: record.author_id,
        created_at: record.created_at,
    }
}

pub(crate) fn dialogue_model(record: &DialogueRecord) -> dialogue::Model {
    dialogue::Model {
        id: record.id,
        plan_id: record.plan_id,
        held_on: record.held_on,
        participants: record.participants.clone(),
        summary: record.summary.clone(),
        agreed_actions: record.agreed_actions.clone(),
        recorded_by: record.recorded_by,
        created_at: record.created_at,
    }
}

pub(crate) fn behaviour_model(record: &BehaviourRatingRecord) -> behaviour_rating::Model {
    behaviour_rating::Model {
        id: record.id,
        plan_id: record.plan_id,
        period: record.period.to_string(),
        value: record.rating.value.as_str().to_owned(),
        level: record.rating.level.as_str().to_owned(),
        expectation: record.rating.expectation.clone(),
        note: record.rating.note.clone(),
    }
}
