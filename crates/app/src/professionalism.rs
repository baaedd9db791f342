//! The Indeks Profesionalitas ASN and the talent 9-box of a year, for a person and for a unit's members,
//! computed by the scoring crate from the facts the store reads: a unit's index is the summary of its
//! members' own indexes, so the two never disagree.

use kinerja_domain::{Potential, RatingLevel};
use kinerja_scoring::{Explained, IpAsnResult, IpAsnSummary, RulePack, RulePacks};
use kinerja_store::records::UnitRecord;
use kinerja_store::{PersonFacts, Store};
use uuid::Uuid;

use crate::{AppError, AppResult, pack_for};

/// Where a person stands in the 9-box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TalentPlacement {
    pub r#box: u8,
    pub rating: RatingLevel,
    pub potential: Potential,
}

/// A unit's index: the summary of its members' indexes, and how many have none (no annual result or no
/// recorded qualification).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProfessionalism {
    pub summary: IpAsnSummary,
    pub unscored: u64,
    /// The members in each band of the summary, in its order; `None` where withheld from the caller
    /// (too few people outside their reach).
    pub band_counts: Vec<(String, Option<u64>)>,
}

fn rules(error: kinerja_scoring::ScoringError) -> AppError {
    AppError::Rules(error.to_string())
}

/// A person's index from their facts; `None` without an annual predikat or a recorded qualification.
fn index_of(pack: &RulePack, facts: &PersonFacts) -> AppResult<Option<Explained<IpAsnResult>>> {
    let (facts, _, _) = facts;
    let (Some(predikat), Some(education)) = (facts.predikat, facts.education) else { return Ok(None) };
    let input = kinerja_scoring::IpAsnInput {
        education,
        leadership_or_functional_training: facts.leadership_or_functional_training,
        technical_training: facts.technical_training,
        seminar_or_workshop: facts.seminar_or_workshop,
        predikat,
        penalty: facts.penalty,
    };
    kinerja_scoring::ip_asn(pack, &input).map(Some).map_err(rules)
}

/// An employee's index and 9-box placement of `year`, each `None` when its facts are missing (or the
/// caller does not reach the employee's records).
pub async fn employee_professionalism(
    store: &Store,
    packs: &RulePacks,
    employee_id: Uuid,
    year: i32,
) -> AppResult<(Option<Explained<IpAsnResult>>, Option<TalentPlacement>)> {
    let pack = pack_for(packs, year)?;
    let Some(facts) = store.professionalism_facts(packs.catalogue(), employee_id, year).await? else {
        return Ok((None, None));
    };
    let index = index_of(pack, &facts)?;
    let placement = match (facts.1, facts.2) {
        (Some(rating), Some(potential)) => {
            let r#box = kinerja_scoring::talent_box(pack, rating, potential).map_err(rules)?.value;
            Some(TalentPlacement { r#box, rating, potential })
        }
        _ => None,
    };
    Ok((index, placement))
}

/// The index of a unit's subtree for `year`, from every member's own index; `None` when the group is
/// too small for the caller.
pub async fn unit_professionalism(
    store: &Store,
    packs: &RulePacks,
    unit: &UnitRecord,
    year: i32,
) -> AppResult<Option<UnitProfessionalism>> {
    let pack = pack_for(packs, year)?;
    let Some(members) = store.professionalism_facts_of_unit(packs.catalogue(), unit, year).await? else {
        return Ok(None);
    };
    let mut indexes = Vec::with_capacity(members.len());
    for facts in &members {
        if let Some(index) = index_of(pack, facts)? {
            indexes.push(index.value);
        }
    }
    let summary = kinerja_scoring::ip_asn_summary(pack, &indexes).map_err(rules)?;
    // The average describes the scored members only: it is shown by how many they are, and each band
    // by its own members, the bands being one partition.
    let path = store.unit_path(unit).await?;
    if !store.scope().disclosed(&[(path.as_str(), summary.people)]).iter().all(|shown| *shown) {
        return Ok(None);
    }
    let bands: Vec<(&str, u64)> = summary.bands.iter().map(|(_, people)| (path.as_str(), *people)).collect();
    let shown = store.scope().disclosed(&bands);
    let band_counts = summary
        .bands
        .iter()
        .zip(shown)
        .map(|((band, people), shown)| (band.clone(), shown.then_some(*people)))
        .collect();
    Ok(Some(UnitProfessionalism { unscored: members.len() as u64 - summary.people, summary, band_counts }))
}
