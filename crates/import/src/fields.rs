//! Reading one row's fields into domain values; every bad field of the row is reported, not only the first.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use chrono::NaiveDate;
use kinerja_domain::{
    Accumulation, Approach, Aspect, Employee, EmploymentType, Evidence, Indicator, Nip, Period, Plan, PlanError,
    PlanStatus, Position, PositionKind, Rank, Realisation, Target, Unit, UnitCode, UnitKind, WorkResult,
    WorkResultSection,
};
use kinerja_scoring::RulePacks;
use kinerja_store::{ImportKind, ImportRow};
use rust_decimal::Decimal;

type FieldProblems = Vec<(&'static str, String)>;

struct Fields<'a> {
    values: &'a HashMap<&'a str, &'a str>,
    decimal_comma: bool,
    problems: FieldProblems,
}

impl Fields<'_> {
    fn raw(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|value| value.trim()).filter(|value| !value.is_empty())
    }

    fn text(&mut self, name: &'static str) -> Option<String> {
        let value = self.raw(name).map(str::to_owned);
        if value.is_none() {
            self.problems.push((name, "is required".to_owned()));
        }
        value
    }

    fn optional_text(&self, name: &str) -> Option<String> {
        self.raw(name).map(str::to_owned)
    }

    fn parsed<T: FromStr>(&mut self, name: &'static str, required: bool) -> Option<T>
    where
        T::Err: Display,
    {
        let Some(text) = self.raw(name) else {
            if required {
                self.problems.push((name, "is required".to_owned()));
            }
            return None;
        };
        match text.to_lowercase().parse::<T>() {
            Ok(value) => Some(value),
            Err(error) => {
                self.problems.push((name, error.to_string()));
                None
            }
        }
    }

    /// A value that keeps its case (codes, NIPs).
    fn exact<T: FromStr>(&mut self, name: &'static str, required: bool) -> Option<T>
    where
        T::Err: Display,
    {
        let Some(text) = self.raw(name) else {
            if required {
                self.problems.push((name, "is required".to_owned()));
            }
            return None;
        };
        match text.parse::<T>() {
            Ok(value) => Some(value),
            Err(error) => {
                self.problems.push((name, error.to_string()));
                None
            }
        }
    }

    fn number(&mut self, name: &'static str, required: bool) -> Option<Decimal> {
        let Some(text) = self.raw(name) else {
            if required {
                self.problems.push((name, "is required".to_owned()));
            }
            return None;
        };
        let normalised = if self.decimal_comma { text.replace('.', "").replace(',', ".") } else { text.to_owned() };
        match normalised.parse::<Decimal>() {
            Ok(value) => Some(value),
            Err(_) => {
                let hint = if !self.decimal_comma && text.contains(',') { " (declare a decimal comma?)" } else { "" };
                self.problems.push((name, format!("{text:?} is not a number{hint}")));
                None
            }
        }
    }

    fn integer(&mut self, name: &'static str) -> Option<i64> {
        let text = self.raw(name).map(str::to_owned);
        match text {
            None => {
                self.problems.push((name, "is required".to_owned()));
                None
            }
            Some(text) => match text.parse::<i64>() {
                Ok(value) => Some(value),
                Err(_) => {
                    self.problems.push((name, format!("{text:?} is not a whole number")));
                    None
                }
            },
        }
    }

    /// `YYYY-MM-DD`, or `DD/MM/YYYY` as spreadsheets in Indonesian locale write it.
    fn date(&mut self, name: &'static str) -> Option<NaiveDate> {
        let text = self.raw(name).map(str::to_owned);
        let Some(text) = text else {
            self.problems.push((name, "is required".to_owned()));
            return None;
        };
        let parsed =
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(&text, "%d/%m/%Y"));
        match parsed {
            Ok(date) => Some(date),
            Err(_) => {
                self.problems.push((name, format!("{text:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)")));
                None
            }
        }
    }

    /// Records a domain refusal against the field it concerns.
    fn check<T, E: Display>(&mut self, name: &'static str, result: Result<T, E>) -> Option<T> {
        result.map_err(|error| self.problems.push((name, error.to_string()))).ok()
    }

    /// Records a use case's refusal against the field it names (or `name` when it names none).
    fn app<T>(&mut self, name: &'static str, result: kinerja_app::AppResult<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(kinerja_app::AppError::Invalid { field, message }) => {
                self.problems.push((field, message));
                None
            }
            Err(other) => {
                self.problems.push((name, other.to_string()));
                None
            }
        }
    }

    fn done<T>(self, row: Option<T>) -> Result<T, FieldProblems> {
        match row {
            Some(row) if self.problems.is_empty() => Ok(row),
            _ => Err(self.problems),
        }
    }
}

fn year(fields: &mut Fields<'_>) -> Option<i32> {
    let value = fields.integer("year")?;
    match i32::try_from(value) {
        Ok(year) => Some(year),
        Err(_) => {
            fields.problems.push(("year", format!("{value} is not a year")));
            None
        }
    }
}

/// Reads one row of `kind`; past results are checked against the rule pack of their year.
pub(crate) fn build(
    kind: ImportKind,
    line: u64,
    decimal_comma: bool,
    packs: &RulePacks,
    values: &HashMap<&str, &str>,
) -> Result<ImportRow, FieldProblems> {
    let mut f = Fields { values, decimal_comma, problems: Vec::new() };
    let row = match kind {
        ImportKind::Units => {
            let code: Option<UnitCode> = f.exact("code", true);
            let name = f.text("name");
            let unit_kind: Option<UnitKind> = f.parsed("kind", true);
            let parent: Option<UnitCode> = f.exact("parent_code", false);
            match (code, name, unit_kind) {
                (Some(code), Some(name), Some(unit_kind)) => {
                    f.check("name", Unit::new(code, name, unit_kind)).map(|unit| ImportRow::Unit { line, unit, parent })
                }
                _ => None,
            }
        }
        ImportKind::Positions => {
            let code = f.text("code");
            let title = f.text("title");
            let position_kind: Option<PositionKind> = f.parsed("kind", true);
            let unit: Option<UnitCode> = f.exact("unit_code", true);
            match (code, title, position_kind, unit) {
                (Some(code), Some(title), Some(position_kind), Some(unit)) => f
                    .check("title", Position::new(title, position_kind))
                    .map(|position| ImportRow::Position { line, code, position, unit }),
                _ => None,
            }
        }
        ImportKind::Employees => {
            let nip: Option<Nip> = f.exact("nip", true);
            let name = f.text("name");
            let employment: Option<EmploymentType> = f.parsed("employment_type", true);
            let rank: Option<Rank> = f.exact("rank", true);
            let position = f.text("position_code");
            let unit: Option<UnitCode> = f.exact("unit_code", true);
            let superior: Option<Nip> = f.exact("superior_nip", false);
            match (nip, name, employment, rank, position, unit) {
                (Some(nip), Some(name), Some(employment), Some(rank), Some(position), Some(unit)) => f
                    .check("rank", Employee::new(nip, name, employment, rank))
                    .map(|employee| ImportRow::Employee { line, employee, position, unit, superior }),
                _ => None,
            }
        }
        ImportKind::Plans => {
            let nip: Option<Nip> = f.exact("nip", true);
            let year = year(&mut f);
            if let (Some(nip), Some(year)) = (&nip, year) {
                f.app("year", kinerja_app::ensure_plan_year(packs, nip, year));
            }
            let approach: Approach = f.parsed("approach", false).unwrap_or(Approach::Kuantitatif);
            let status: PlanStatus = f.parsed("status", false).unwrap_or(PlanStatus::Approved);
            let result_code = f.text("result_code");
            let section: WorkResultSection = f.parsed("section", false).unwrap_or(WorkResultSection::Utama);
            let result_description = f.text("result_description");
            let perspective = f.optional_text("perspective");
            let parent_result = f.optional_text("parent_result_code");
            let indicator_code = f.text("indicator_code");
            let indicator_description = f.text("indicator_description");
            let aspect: Option<Aspect> = f.parsed("aspect", true);
            let target_kind = f.raw("target_kind").map(str::to_lowercase);
            let low = f.number("target_low", false);
            let high = f.number("target_high", false);
            let unit_of_measure = f.text("unit_of_measure");
            let accumulation: Accumulation = f.parsed("accumulation", false).unwrap_or(Accumulation::Sum);
            // As in the API: at_least has a lower bound (target_low), at_most an upper one (target_high),
            // between both. An at_most target in target_low, as files once wrote it, is taken too.
            let target = match (target_kind.as_deref(), low, high) {
                (None, ..) => {
                    f.problems.push(("target_kind", "is required".to_owned()));
                    None
                }
                (Some("between"), Some(low), Some(high)) => f.check("target_high", Target::between(low, high)),
                (Some("between"), None, _) => {
                    f.problems.push(("target_low", "is required for a between target".to_owned()));
                    None
                }
                (Some("between"), Some(_), None) => {
                    f.problems.push(("target_high", "is required for a between target".to_owned()));
                    None
                }
                (Some("at_least"), Some(value), None) => f.check("target_low", Target::at_least(value)),
                (Some("at_most"), None, Some(value)) | (Some("at_most"), Some(value), None) => {
                    f.check("target_high", Target::at_most(value))
                }
                (Some("at_least"), Some(_), Some(_)) => {
                    f.problems.push((
                        "target_high",
                        "is for at_most and between targets; at_least has target_low only".to_owned(),
                    ));
                    None
                }
                (Some("at_most"), Some(_), Some(_)) => {
                    f.problems.push((
                        "target_low",
                        "is for at_least and between targets; at_most has target_high only".to_owned(),
                    ));
                    None
                }
                (Some("at_least"), None, _) => {
                    f.problems.push(("target_low", "is required for an at_least target".to_owned()));
                    None
                }
                (Some("at_most"), None, None) => {
                    f.problems.push(("target_high", "is required for an at_most target".to_owned()));
                    None
                }
                (Some(kind), ..) => f.check("target_kind", Target::from_parts(kind, Decimal::ZERO, Decimal::ZERO)),
            };
            let plan =
                year.and_then(|year| f.check("year", Plan::new(year, approach))).map(|plan| Plan { status, ..plan });
            let work_result = result_description.and_then(|description| {
                f.check("result_description", WorkResult::new(description, section, perspective))
            });
            let indicator = match (indicator_description, aspect, target, unit_of_measure) {
                (Some(description), Some(aspect), Some(target), Some(unit_of_measure)) => f.check(
                    "indicator_description",
                    Indicator::new(description, aspect, target, unit_of_measure, accumulation),
                ),
                _ => None,
            };
            match (nip, plan, result_code, work_result, indicator_code, indicator) {
                (
                    Some(nip),
                    Some(plan),
                    Some(result_code),
                    Some(work_result),
                    Some(indicator_code),
                    Some(indicator),
                ) => Some(ImportRow::PlanIndicator {
                    line,
                    nip,
                    plan,
                    result_code,
                    work_result,
                    parent_result,
                    indicator_code,
                    indicator,
                }),
                _ => None,
            }
        }
        ImportKind::Realisations => {
            let nip: Option<Nip> = f.exact("nip", true);
            let year = year(&mut f);
            let result_code = f.text("result_code");
            let indicator_code = f.text("indicator_code");
            let period: Option<Period> = f.exact("period", true);
            let value = f.number("value", true);
            let evidence = Evidence::new(f.optional_text("evidence_note"), f.optional_text("evidence_link"));
            // A bad link is the link's problem; evidence missing altogether is reported with the note.
            let evidence_column =
                if matches!(evidence, Err(PlanError::EvidenceLink(_))) { "evidence_link" } else { "evidence_note" };
            let evidence = f.check(evidence_column, evidence);
            if let (Some(year), Some(period)) = (year, period)
                && period.year() != year
            {
                f.problems.push(("period", format!("{period} lies outside the plan year {year}")));
            }
            let period =
                period.and_then(|period| f.app("period", kinerja_app::ensure_period_begun(period)).map(|()| period));
            match (nip, year, result_code, indicator_code, period, value, evidence) {
                (
                    Some(nip),
                    Some(year),
                    Some(result_code),
                    Some(indicator_code),
                    Some(period),
                    Some(value),
                    Some(evidence),
                ) => f.check("value", Realisation::new(period, value, evidence)).map(|realisation| {
                    ImportRow::Realisation { line, nip, year, result_code, indicator_code, realisation }
                }),
                _ => None,
            }
        }
        ImportKind::TrainingRecords => {
            let nip: Option<Nip> = f.exact("nip", true);
            let programme = f.text("programme");
            let started_on = f.date("started_on");
            let finished_on = f.date("finished_on");
            let hours = f.integer("hours");
            let certificate = f.optional_text("certificate");
            if let (Some(start), Some(end)) = (started_on, finished_on)
                && end < start
            {
                f.problems.push(("finished_on", format!("{end} is before the start {start}")));
            }
            let hours = hours.and_then(|hours| match i32::try_from(hours) {
                Ok(hours) if (1..=1_000).contains(&hours) => Some(hours),
                _ => {
                    f.problems.push(("hours", format!("{hours} lesson hours is not between 1 and 1000")));
                    None
                }
            });
            match (nip, programme, started_on, finished_on, hours) {
                (Some(nip), Some(programme), Some(started_on), Some(finished_on), Some(hours)) => {
                    Some(ImportRow::Training { line, nip, programme, started_on, finished_on, hours, certificate })
                }
                _ => None,
            }
        }
        ImportKind::CompetencyAssessments => {
            let nip: Option<Nip> = f.exact("nip", true);
            let competency = f.text("competency");
            let level = f.integer("level").and_then(|level| match i32::try_from(level) {
                Ok(level) if (1..=5).contains(&level) => Some(level),
                _ => {
                    f.problems.push(("level", format!("{level} is not a level from 1 to 5")));
                    None
                }
            });
            let assessed_on = f.date("assessed_on");
            let assessor = f.optional_text("assessor");
            match (nip, competency, level, assessed_on) {
                (Some(nip), Some(competency), Some(level), Some(assessed_on)) => {
                    Some(ImportRow::Competency { line, nip, competency, level, assessed_on, assessor })
                }
                _ => None,
            }
        }
        ImportKind::TalentAssessments => {
            let nip: Option<Nip> = f.exact("nip", true);
            let assessed_on = f.date("assessed_on");
            let potential = f.exact("potential", true);
            let assessor = f.optional_text("assessor");
            match (nip, assessed_on, potential) {
                (Some(nip), Some(assessed_on), Some(potential)) => {
                    Some(ImportRow::Talent { line, nip, assessed_on, potential, assessor })
                }
                _ => None,
            }
        }
        ImportKind::Qualifications => {
            let nip: Option<Nip> = f.exact("nip", true);
            let education = f.exact("education", true);
            let institution = f.optional_text("institution");
            let graduated_on = f.date("graduated_on");
            match (nip, education, graduated_on) {
                (Some(nip), Some(education), Some(graduated_on)) => {
                    Some(ImportRow::Qualification { line, nip, education, institution, graduated_on })
                }
                _ => None,
            }
        }
        ImportKind::DisciplineRecords => {
            let nip: Option<Nip> = f.exact("nip", true);
            let decided_on = f.date("decided_on");
            let level = f.exact::<kinerja_domain::PenaltyLevel>("level", true).and_then(|level| {
                if level == kinerja_domain::PenaltyLevel::None {
                    f.problems.push(("level", "a discipline record has a penalty: ringan, sedang or berat".to_owned()));
                    None
                } else {
                    Some(level)
                }
            });
            let penalty = f.text("penalty");
            match (nip, decided_on, level, penalty) {
                (Some(nip), Some(decided_on), Some(level), Some(penalty)) => {
                    Some(ImportRow::Discipline { line, nip, decided_on, level, penalty })
                }
                _ => None,
            }
        }
        ImportKind::PastResults => {
            let nip: Option<Nip> = f.exact("nip", true);
            let year = year(&mut f);
            let score = f.number("score", false);
            let predikat = f.optional_text("predikat");
            let source = f.optional_text("source");
            // A score that could not be read is reported once, not again as missing.
            let unreadable_score = score.is_none() && f.raw("score").is_some();
            match (nip, year) {
                (Some(nip), Some(year)) if !unreadable_score => {
                    let recorded = kinerja_app::recorded_result(packs, &nip, year, score, predikat.as_deref());
                    f.app("predikat", recorded).map(|result| ImportRow::PastResult { line, nip, result, source })
                }
                _ => None,
            }
        }
        ImportKind::OrganisationPredikat => {
            let unit: Option<UnitCode> = f.exact("unit_code", true);
            let year = year(&mut f);
            let predikat = f.parsed("predikat", true);
            match (unit, year, predikat) {
                (Some(unit), Some(year), Some(predikat)) => {
                    Some(ImportRow::OrganisationPredikat { line, unit, year, predikat })
                }
                _ => None,
            }
        }
        ImportKind::BehaviourRatings => {
            let nip: Option<Nip> = f.exact("nip", true);
            let year = year(&mut f);
            let period: Option<Period> = f.exact("period", false);
            let value = f.parsed("value", true);
            let level = f.parsed("level", true);
            let expectation = f.optional_text("expectation");
            let note = f.optional_text("note");
            if let (Some(year), Some(period)) = (year, period)
                && period.year() != year
            {
                f.problems.push(("period", format!("{period} lies outside the plan year {year}")));
            }
            match (nip, year, value, level) {
                (Some(nip), Some(year), Some(value), Some(level)) => Some(ImportRow::BehaviourRating {
                    line,
                    nip,
                    year,
                    period,
                    rating: kinerja_domain::BehaviourRating { value, level, expectation, note },
                }),
                _ => None,
            }
        }
    };
    f.done(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The target of a plan row with these target cells, or the problems of the row.
    fn target(kind: &str, low: &str, high: &str) -> Result<Target, Vec<(&'static str, String)>> {
        let packs = RulePacks::built_in().unwrap();
        let mut values: HashMap<&str, &str> = [
            ("nip", "199402282019032002"),
            ("year", "2026"),
            ("result_code", "RHK-1"),
            ("result_description", "Terlaksananya pelayanan"),
            ("indicator_code", "IKI-1"),
            ("indicator_description", "Waktu tunggu"),
            ("aspect", "waktu"),
            ("target_kind", kind),
            ("unit_of_measure", "menit"),
        ]
        .into();
        for (column, value) in [("target_low", low), ("target_high", high)] {
            if !value.is_empty() {
                values.insert(column, value);
            }
        }
        match build(ImportKind::Plans, 2, false, &packs, &values)? {
            ImportRow::PlanIndicator { indicator, .. } => Ok(indicator.target),
            other => panic!("not a plan row: {other:?}"),
        }
    }

    #[test]
    fn targets_take_the_bounds_the_api_gives_them() {
        let value = |v: i64| Decimal::from(v);
        assert_eq!(target("at_least", "90", ""), Ok(Target::AtLeast { value: value(90) }));
        assert_eq!(target("AT_MOST", "", "30"), Ok(Target::AtMost { value: value(30) }));
        assert_eq!(target("at_most", "30", ""), Ok(Target::AtMost { value: value(30) }), "as files once wrote it");
        assert_eq!(target("between", "10", "14"), Ok(Target::Between { low: value(10), high: value(14) }));

        let problem = |result: Result<Target, Vec<(&'static str, String)>>| result.unwrap_err()[0].clone();
        assert_eq!(problem(target("at_least", "90", "95")).0, "target_high");
        assert_eq!(problem(target("at_most", "30", "40")).0, "target_low");
        assert_eq!(problem(target("at_most", "", "")).0, "target_high");
        assert_eq!(problem(target("between", "10", "")).0, "target_high");
    }
}
