//! Imports of what the year's rules judge: past years' results checked against their rule pack, and the
//! organisation predikat and behaviour ratings, which go through the same checked writers as their
//! mutations. The import crate reads the files; the rules are applied here.

use kinerja_domain::Nip;
use kinerja_scoring::{RecordedResult, RulePacks};
use kinerja_store::{
    Actor, BehaviourRatingRow, ImportKind, ImportOutcome, ImportRow, OrganisationRatingRow, RowProblem, Store,
};
use rust_decimal::Decimal;

use crate::{AppError, AppResult, current_pack, today};

/// A recorded result of a past year of `nip`: the year must have ended and fall within the employee's
/// service, and the score and predikat must agree with the year's rule pack. Errors name the field.
pub fn recorded_result(
    packs: &RulePacks,
    nip: &Nip,
    year: i32,
    score: Option<Decimal>,
    predikat: Option<&str>,
) -> AppResult<RecordedResult> {
    let this_year = chrono::Datelike::year(&today());
    if year >= this_year {
        return Err(AppError::Invalid {
            field: "year",
            message: format!("{year} has not ended; a past result is recorded for a year before {this_year}"),
        });
    }
    let service_start = nip.service_start();
    if year < chrono::Datelike::year(&service_start) {
        return Err(AppError::Invalid {
            field: "year",
            message: format!(
                "{nip} began service on {service_start} (TMT CPNS in the NIP), so has no result for {year}"
            ),
        });
    }
    kinerja_scoring::recorded_result(packs, year, score, predikat).map_err(|error| match error {
        kinerja_scoring::ScoringError::Impossible { field, reason } => {
            AppError::Invalid { field: if field == "score" { "score" } else { "predikat" }, message: reason }
        }
        other => AppError::Invalid { field: "year", message: other.to_string() },
    })
}

/// A row refused by the year's rules: on the field the rule names, else on its year.
fn row_problem(line: u64, error: AppError) -> RowProblem {
    match error {
        AppError::Invalid { field, message } => RowProblem { line, field: field.to_owned(), message },
        other => RowProblem { line, field: "year".to_owned(), message: other.to_string() },
    }
}

/// Imports rows of a judged kind (`organisation-predikat`, `behaviour-ratings`): all or none, each
/// refused row reported with its line; with `dry_run` everything is checked and nothing kept.
pub async fn import_judgements(
    store: &Store,
    packs: &RulePacks,
    actor: Option<&Actor>,
    kind: ImportKind,
    rows: Vec<ImportRow>,
    limit: usize,
    dry_run: bool,
) -> AppResult<ImportOutcome> {
    let mut problems = Vec::new();
    let outcome = match kind {
        ImportKind::OrganisationPredikat => {
            let mut judged = Vec::with_capacity(rows.len());
            for row in rows {
                let ImportRow::OrganisationPredikat { line, unit, year, predikat } = row else { continue };
                match crate::evaluation::organisation_year(packs, year) {
                    Ok(pack) => judged.push(OrganisationRatingRow { line, unit, year, predikat, pack }),
                    Err(error) => problems.push(row_problem(line, error)),
                }
            }
            store.import_organisation_ratings(actor, judged, limit, dry_run || !problems.is_empty()).await?
        }
        ImportKind::BehaviourRatings => {
            let mut judged = Vec::with_capacity(rows.len());
            for row in rows {
                let ImportRow::BehaviourRating { line, nip, year, period, rating } = row else { continue };
                match current_pack(packs, year) {
                    Ok(_) => judged.push(BehaviourRatingRow { line, nip, year, period, rating }),
                    Err(error) => problems.push(row_problem(line, error)),
                }
            }
            store.import_behaviour_ratings(actor, judged, limit, dry_run || !problems.is_empty()).await?
        }
        other => {
            return Err(AppError::Rules(format!("{} rows are staged by the store, not judged here", other.as_str())));
        }
    };
    if problems.is_empty() {
        return Ok(outcome);
    }
    problems.extend(outcome.err().unwrap_or_default());
    problems.sort_by_key(|p| p.line);
    problems.truncate(limit);
    Ok(Err(problems))
}
