//! `kinerja evaluate`: one case as JSON in, its results and explanations as JSON out.

use anyhow::Context;
use kinerja_domain::{OrganisationPredikat, PositionKind, Predikat, RatingLevel};
use kinerja_scoring::{Case2021, IpAsnInput, PlanCase, Potential, Pp46Case, PredikatCounts, RulePacks};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CaseKind {
    Plan,
    Pp46,
    Regime2021,
    Distribution,
    AngkaKredit,
    IpAsn,
    Talent,
    Discipline,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    case: CaseKind,
    /// The year whose rule pack applies.
    year: i32,
    input: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DistributionCase {
    organisation: OrganisationPredikat,
    counts: PredikatCounts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AngkaKreditCase {
    predikat: Predikat,
    position: PositionKind,
    months: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TalentCase {
    rating: RatingLevel,
    potential: Potential,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DisciplineCase {
    absent_days: u32,
    #[serde(default)]
    late_hours: Decimal,
}

/// Parses `value` as `T`, naming the path of a bad field (e.g. `input.work_results[0].section`).
fn parse<T: DeserializeOwned>(value: Value) -> anyhow::Result<T> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        anyhow::anyhow!("invalid case: input.{}: {}", path.trim_start_matches('.'), error.inner())
    })
}

/// Evaluates one case given as JSON text.
pub(crate) fn evaluate(packs: &RulePacks, text: &str) -> anyhow::Result<Value> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let request: Request = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        if error.inner().is_syntax() || error.inner().is_eof() {
            anyhow::anyhow!("invalid JSON: {}", error.inner())
        } else {
            anyhow::anyhow!("invalid case: {}: {}", error.path(), error.inner())
        }
    })?;
    let pack = packs.for_year(request.year)?;
    let result = match request.case {
        CaseKind::Plan => {
            let case: PlanCase = parse(request.input)?;
            anyhow::ensure!(
                case.year == request.year,
                "invalid case: input.year {} differs from year {}",
                case.year,
                request.year
            );
            serde_json::to_value(kinerja_scoring::evaluate_plan(pack, &case)?)?
        }
        CaseKind::Pp46 => serde_json::to_value(kinerja_scoring::pp46(pack, &parse::<Pp46Case>(request.input)?)?)?,
        CaseKind::Regime2021 => {
            serde_json::to_value(kinerja_scoring::regime2021(pack, &parse::<Case2021>(request.input)?)?)?
        }
        CaseKind::Distribution => {
            let case: DistributionCase = parse(request.input)?;
            serde_json::to_value(kinerja_scoring::check_distribution(pack, case.organisation, &case.counts)?)?
        }
        CaseKind::AngkaKredit => {
            let case: AngkaKreditCase = parse(request.input)?;
            serde_json::to_value(kinerja_scoring::angka_kredit(pack, case.predikat, case.position, case.months)?)?
        }
        CaseKind::IpAsn => serde_json::to_value(kinerja_scoring::ip_asn(pack, &parse::<IpAsnInput>(request.input)?)?)?,
        CaseKind::Talent => {
            let case: TalentCase = parse(request.input)?;
            serde_json::to_value(kinerja_scoring::talent_box(pack, case.rating, case.potential)?)?
        }
        CaseKind::Discipline => {
            let case: DisciplineCase = parse(request.input)?;
            serde_json::to_value(kinerja_scoring::discipline(pack, case.absent_days, case.late_hours)?)?
        }
    };
    Ok(json!({ "year": request.year, "pack": pack.reference(), "result": result }))
}

/// Reads the case from a file or, with `-` or nothing, from standard input.
pub(crate) fn read_case(path: Option<&std::path::Path>) -> anyhow::Result<String> {
    match path {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
        }
        _ => std::io::read_to_string(std::io::stdin()).context("reading the case from standard input"),
    }
}
