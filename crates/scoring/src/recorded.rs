//! Results of years kinerja did not score (a paper SKP under PP 46/2011, e-Kinerja of 2021 or of later
//! years before the agency adopted kinerja), checked against the rule pack of their year so that a score
//! and its predikat agree with the regulation then in force.

use kinerja_domain::Predikat;
use rust_decimal::Decimal;

use crate::ScoringError;
use crate::pack::{PackRef, Regime, RulePacks, band_of};

/// A past year's result as it will be kept: the pack of its year, the score where its regime had one,
/// and the predikat as that regime labelled it (`sangat_baik` … `buruk`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedResult {
    pub year: i32,
    pub rule_pack: PackRef,
    pub regime: Regime,
    pub score: Option<Decimal>,
    pub predikat: String,
}

/// Checks a recorded result of `year`. Under PP 46/2011 and the 2021 regime the score is required and
/// the predikat follows from it (given, it must agree); under PermenPANRB 6/2022 there is no score and
/// the predikat is required. Errors name the field and the regulation.
pub fn recorded_result(
    packs: &RulePacks,
    year: i32,
    score: Option<Decimal>,
    predikat: Option<&str>,
) -> Result<RecordedResult, ScoringError> {
    let pack = packs.for_year(year)?;
    let impossible = |field: &str, reason: String| ScoringError::Impossible { field: field.to_owned(), reason };
    let regulation = &pack.regulation;
    let predikat = predikat.map(str::trim).filter(|p| !p.is_empty()).map(str::to_lowercase);
    let label = match pack.regime {
        Regime::Current => {
            if let Some(score) = score {
                return Err(impossible(
                    "score",
                    format!("{year} falls under {regulation}, which gives a predikat and no score (found {score})"),
                ));
            }
            let text = predikat.ok_or_else(|| {
                impossible("predikat", format!("required: {year} falls under {regulation}, which gives no score"))
            })?;
            let predikat: Predikat = text.parse().map_err(|e: kinerja_domain::PlanError| {
                impossible("predikat", format!("{e}; under {regulation} it is one of {}", labels_of_current()))
            })?;
            predikat.as_str().to_owned()
        }
        Regime::Pp46 | Regime::Regime2021 => {
            let score = score.ok_or_else(|| {
                impossible(
                    "score",
                    format!("required: {year} falls under {regulation}, whose predikat follows a score"),
                )
            })?;
            if score < Decimal::ZERO {
                return Err(impossible("score", format!("must not be negative, found {score}")));
            }
            let (bands, banded, also) = match pack.regime {
                Regime::Pp46 => {
                    let rules = pack.pp46()?;
                    (&rules.bands, rules.score_rounding.apply(score), None)
                }
                _ => {
                    let rules = pack.regime2021()?;
                    // Sangat Baik needs an innovation too; without one the same score is Baik.
                    let without_innovation = (score >= rules.sangat_baik_from).then_some("baik");
                    (&rules.bands, score, without_innovation)
                }
            };
            let band = band_of(bands, banded)
                .ok_or_else(|| impossible("score", format!("{score} lies in no band of {regulation}")))?;
            match predikat {
                None if also.is_some() => {
                    return Err(impossible(
                        "predikat",
                        format!(
                            "required: a score of {score} is {} with an innovation and {} without under {regulation}",
                            predikat_title(&band.label),
                            predikat_title(also.unwrap_or_default())
                        ),
                    ));
                }
                None => band.label.clone(),
                Some(given) if given == band.label || also == Some(given.as_str()) => given,
                Some(given) => {
                    return Err(impossible(
                        "predikat",
                        format!(
                            "a score of {score} is {} under {regulation}, not {given}",
                            predikat_title(&band.label)
                        ),
                    ));
                }
            }
        }
    };
    Ok(RecordedResult { year, rule_pack: pack.reference(), regime: pack.regime, score, predikat: label })
}

fn labels_of_current() -> String {
    Predikat::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}

/// A predikat label as the regulations write it: `sangat_baik` → "Sangat Baik".
pub fn predikat_title(label: &str) -> String {
    label
        .split('_')
        .map(|word| {
            let mut letters = word.chars();
            letters.next().map(|first| first.to_uppercase().chain(letters).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn packs() -> RulePacks {
        RulePacks::built_in().unwrap()
    }

    #[test]
    fn a_legacy_score_gives_its_band() {
        let result = recorded_result(&packs(), 2019, Some(dec!(88.6)), None).unwrap();
        assert_eq!((result.predikat.as_str(), result.rule_pack.id.as_str()), ("baik", "pp-46-2011"));
        // Rounded half up before banding, as the pack says: 90.5 is Sangat Baik.
        assert_eq!(recorded_result(&packs(), 2019, Some(dec!(90.5)), None).unwrap().predikat, "sangat_baik");
        let wrong = recorded_result(&packs(), 2019, Some(dec!(70)), Some("baik")).unwrap_err().to_string();
        assert!(wrong.starts_with("predikat: a score of 70 is Cukup under Peraturan Pemerintah"), "{wrong}");
        assert!(recorded_result(&packs(), 2018, None, Some("baik")).unwrap_err().to_string().starts_with("score:"));
    }

    #[test]
    fn the_2021_regime_asks_whether_there_was_an_innovation() {
        let unsaid = recorded_result(&packs(), 2021, Some(dec!(112)), None).unwrap_err().to_string();
        assert!(unsaid.contains("Sangat Baik with an innovation and Baik without"), "{unsaid}");
        assert_eq!(recorded_result(&packs(), 2021, Some(dec!(112)), Some("baik")).unwrap().predikat, "baik");
        assert_eq!(
            recorded_result(&packs(), 2021, Some(dec!(112)), Some("Sangat_Baik")).unwrap().predikat,
            "sangat_baik"
        );
        assert!(recorded_result(&packs(), 2021, Some(dec!(95)), Some("sangat_baik")).is_err());
    }

    #[test]
    fn a_current_year_has_a_predikat_and_no_score() {
        let result = recorded_result(&packs(), 2023, None, Some("butuh_perbaikan")).unwrap();
        assert_eq!((result.regime, result.score), (Regime::Current, None));
        assert!(
            recorded_result(&packs(), 2023, Some(dec!(80)), Some("baik"))
                .unwrap_err()
                .to_string()
                .starts_with("score:")
        );
        assert!(
            recorded_result(&packs(), 2023, None, Some("cukup")).unwrap_err().to_string().contains("sangat_baik, baik")
        );
        assert!(matches!(recorded_result(&packs(), 2010, None, Some("baik")), Err(ScoringError::NoPackForYear(2010))));
    }

    #[test]
    fn titles_read_as_written() {
        assert_eq!(predikat_title("butuh_perbaikan"), "Butuh Perbaikan");
        assert_eq!(predikat_title("buruk"), "Buruk");
    }
}
