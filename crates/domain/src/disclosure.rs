//! Disclosure control: which figures and records may reach a caller outside the people they describe.
//!
//! Two rules, both pure. A partition of people into cells (sibling units, the groups of a breakdown)
//! shows a cell to an outsider only when it covers at least the minimum group, and withholds more cells
//! until what is withheld adds up to nothing or to at least the minimum group, so that no withheld cell
//! can be recovered as the total less the shown ones. Records reach callers who read them masked
//! (analysts) under the unit that such a partition of the unit tree lets them see, with quasi-identifiers
//! (position kind, rank, sex, birth and service decade) generalised until each released record matches
//! at least the minimum group of real people.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use crate::{EmploymentType, PositionKind, Rank, Sex};

/// One cell of a partition: whether it lies outside the caller's reach, and how many people it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionCell {
    pub outside: bool,
    pub people: u64,
}

/// Which cells of a partition may be shown to a caller. Cells within reach are always shown. A cell
/// outside reach is shown when it covers at least `min_group` people, and while the withheld cells
/// outside reach add up to more than nobody but fewer than `min_group`, the smallest shown one outside
/// reach is withheld too.
pub fn disclose(cells: &[PartitionCell], min_group: u64) -> Vec<bool> {
    let mut shown: Vec<bool> = cells.iter().map(|cell| !cell.outside || cell.people >= min_group).collect();
    loop {
        let withheld: u64 =
            cells.iter().zip(&shown).filter(|(cell, shown)| cell.outside && !**shown).map(|(c, _)| c.people).sum();
        if withheld == 0 || withheld >= min_group {
            return shown;
        }
        let smallest = (0..cells.len()).filter(|&i| cells[i].outside && shown[i]).min_by_key(|&i| cells[i].people);
        match smallest {
            Some(i) => shown[i] = false,
            None => return shown,
        }
    }
}

/// The name a breakdown gives the groups it withholds, shown together as one: their own names would tell
/// who is in the unit (that its one PPPK member works there, or that everyone in it is of one sex).
pub const WITHHELD_GROUPS: &str = "(withheld)";

/// A breakdown's groups with their figures, the withheld ones (`None`) merged into one group named
/// [`WITHHELD_GROUPS`], last.
pub fn merge_withheld<T>(groups: Vec<(String, Option<T>)>) -> Vec<(String, Option<T>)> {
    let before = groups.len();
    let mut shown: Vec<(String, Option<T>)> = groups.into_iter().filter(|(_, figure)| figure.is_some()).collect();
    if shown.len() < before {
        shown.push((WITHHELD_GROUPS.to_owned(), None));
    }
    shown
}

/// The units under which records may be listed and shown to a caller who reads them masked.
#[derive(Debug, Clone)]
pub struct ReleasedUnits<K> {
    /// For every unit, the unit its members' records are shown under: itself, or its nearest ancestor
    /// that may be shown.
    pub shown_as: HashMap<K, K>,
    /// Units whose whole subtree may be listed.
    pub listable: HashSet<K>,
    /// Units whose own members (without those of units below) may be listed.
    pub directly_listable: HashSet<K>,
}

/// Which units records may be shown under, from the unit tree (`(unit, parent)`) and each unit's own
/// headcount. A root is listable when its subtree holds at least `min_group` people. Below a listable
/// unit, its own members and each child's subtree form a partition that [`disclose`] decides; a child
/// it withholds is shown as its parent, with all of its subtree.
pub fn released_units<K: Copy + Eq + Hash>(
    units: &[(K, Option<K>)],
    members: &HashMap<K, u64>,
    min_group: u64,
) -> ReleasedUnits<K> {
    let mut children: HashMap<K, Vec<K>> = HashMap::new();
    let mut roots = Vec::new();
    for &(unit, parent) in units {
        match parent {
            Some(parent) => children.entry(parent).or_default().push(unit),
            None => roots.push(unit),
        }
    }
    let mut subtree: HashMap<K, u64> = HashMap::new();
    for &root in &roots {
        count_subtree(root, &children, members, &mut subtree);
    }
    let mut released =
        ReleasedUnits { shown_as: HashMap::new(), listable: HashSet::new(), directly_listable: HashSet::new() };
    // (unit, the unit it is shown as, whether it is itself listable)
    let mut pending: Vec<(K, K, bool)> =
        roots.iter().map(|&root| (root, root, subtree.get(&root).copied().unwrap_or(0) >= min_group)).collect();
    while let Some((unit, shown_as, listable)) = pending.pop() {
        released.shown_as.insert(unit, shown_as);
        let kids = children.get(&unit).map(Vec::as_slice).unwrap_or_default();
        if !listable {
            pending.extend(kids.iter().map(|&kid| (kid, shown_as, false)));
            continue;
        }
        released.listable.insert(unit);
        let cells: Vec<PartitionCell> = std::iter::once(members.get(&unit).copied().unwrap_or(0))
            .chain(kids.iter().map(|kid| subtree.get(kid).copied().unwrap_or(0)))
            .map(|people| PartitionCell { outside: true, people })
            .collect();
        let shown = disclose(&cells, min_group);
        if shown[0] {
            released.directly_listable.insert(unit);
        }
        for (&kid, &kid_shown) in kids.iter().zip(&shown[1..]) {
            pending.push((kid, if kid_shown { kid } else { unit }, kid_shown));
        }
    }
    released
}

/// Fills `subtree` with the people of `unit`'s subtree and of every unit below it.
fn count_subtree<K: Copy + Eq + Hash>(
    unit: K,
    children: &HashMap<K, Vec<K>>,
    members: &HashMap<K, u64>,
    subtree: &mut HashMap<K, u64>,
) -> u64 {
    let below: u64 = children
        .get(&unit)
        .map(|kids| kids.iter().map(|&kid| count_subtree(kid, children, members, subtree)).sum())
        .unwrap_or(0);
    let total = below + members.get(&unit).copied().unwrap_or(0);
    subtree.insert(unit, total);
    total
}

/// The broad class of a position kind, shown where the kind would single someone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PositionCategory {
    /// JPT, Administrator and Pengawas: positions that lead a unit.
    Structural,
    /// Jabatan fungsional, of either track.
    Functional,
    Pelaksana,
}

impl PositionCategory {
    pub fn of(kind: PositionKind) -> Self {
        if kind.is_managerial() {
            PositionCategory::Structural
        } else if kind.is_functional() {
            PositionCategory::Functional
        } else {
            PositionCategory::Pelaksana
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PositionCategory::Structural => "structural",
            PositionCategory::Functional => "functional",
            PositionCategory::Pelaksana => "pelaksana",
        }
    }
}

/// What identifies a person among colleagues, besides name and NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuasiIdentifiers {
    pub kind: PositionKind,
    pub rank: Rank,
    pub sex: Sex,
    pub birth_year: i32,
    pub service_year: i32,
}

/// A record's quasi-identifiers as released to a caller who reads records masked: each `None` is
/// withheld. The rank is released as its golongan (`III`) or PPPK grade band (`PPPK IX–XII`), years as
/// their decade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Released {
    pub kind: Option<PositionKind>,
    pub category: Option<PositionCategory>,
    pub rank: Option<String>,
    pub employment: Option<EmploymentType>,
    pub sex: Option<Sex>,
    pub birth_decade: Option<i32>,
    pub service_decade: Option<i32>,
}

/// How much each step down the ladder keeps, from the most detailed to nothing at all: the position
/// kind, which analyses lean on most, is given up last but for its category.
const LADDER: [[bool; 7]; 8] = [
    // kind, category, rank, employment, sex, birth decade, service decade
    [true, true, true, true, true, true, true],
    [true, true, true, true, true, true, false],
    [true, true, true, true, true, false, false],
    [true, true, false, true, false, false, false],
    [true, true, false, false, false, false, false],
    [false, true, false, true, false, false, false],
    [false, true, false, false, false, false, false],
    [false, false, false, false, false, false, false],
];

fn decade(year: i32) -> i32 {
    year.div_euclid(10) * 10
}

/// The rank as far as it is released: the golongan, or the band of four PPPK grades it falls in.
pub fn rank_band(rank: Rank) -> String {
    const BANDS: [&str; 5] = ["I–IV", "V–VIII", "IX–XII", "XIII–XVI", "XVII"];
    match rank {
        Rank::Golongan { .. } => rank.to_string().split('/').next().unwrap_or_default().to_owned(),
        Rank::PppkGrade(grade) => format!("PPPK {}", BANDS[usize::from(grade.saturating_sub(1) / 4).min(4)]),
    }
}

fn at_level(person: &QuasiIdentifiers, keep: &[bool; 7]) -> Released {
    Released {
        kind: keep[0].then_some(person.kind),
        category: keep[1].then(|| PositionCategory::of(person.kind)),
        rank: keep[2].then(|| rank_band(person.rank)),
        employment: keep[3].then(|| person.rank.employment_type()),
        sex: keep[4].then_some(person.sex),
        birth_decade: keep[5].then(|| decade(person.birth_year)),
        service_decade: keep[6].then(|| decade(person.service_year)),
    }
}

/// The records of one group of people shown under the same unit, each released at the most detailed
/// step of the ladder at which at least `min_group` people of the group share it. A group smaller than
/// `min_group` (which [`released_units`] never shows) is released with nothing.
pub fn generalise(group: &[QuasiIdentifiers], min_group: usize) -> Vec<Released> {
    let counts: Vec<HashMap<Released, usize>> = LADDER
        .iter()
        .map(|keep| {
            let mut count = HashMap::new();
            for person in group {
                *count.entry(at_level(person, keep)).or_insert(0) += 1;
            }
            count
        })
        .collect();
    group
        .iter()
        .map(|person| {
            LADDER
                .iter()
                .zip(&counts)
                .map(|(keep, count)| (at_level(person, keep), count))
                .find(|(released, count)| count.get(released).copied().unwrap_or(0) >= min_group)
                .map_or_else(|| at_level(person, &LADDER[LADDER.len() - 1]), |(released, _)| released)
        })
        .collect()
}

impl Released {
    /// Whether a person's real quasi-identifiers agree with every part of this record that is released.
    pub fn matches(&self, person: &QuasiIdentifiers) -> bool {
        self.kind.is_none_or(|kind| kind == person.kind)
            && self.category.is_none_or(|category| category == PositionCategory::of(person.kind))
            && self.rank.as_ref().is_none_or(|rank| *rank == rank_band(person.rank))
            && self.employment.is_none_or(|employment| employment == person.rank.employment_type())
            && self.sex.is_none_or(|sex| sex == person.sex)
            && self.birth_decade.is_none_or(|year| year == decade(person.birth_year))
            && self.service_decade.is_none_or(|year| year == decade(person.service_year))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(sizes: &[u64]) -> Vec<PartitionCell> {
        sizes.iter().map(|&people| PartitionCell { outside: true, people }).collect()
    }

    #[test]
    fn withheld_groups_are_named_as_one() {
        let groups = vec![("FEMALE".to_owned(), None), ("MALE".to_owned(), Some(7))];
        assert_eq!(merge_withheld(groups), [("MALE".to_owned(), Some(7)), (WITHHELD_GROUPS.to_owned(), None)]);
        let lone = vec![("MALE".to_owned(), None::<u32>)];
        assert_eq!(merge_withheld(lone), [(WITHHELD_GROUPS.to_owned(), None)], "the only group is not named");
        let shown = vec![("PNS".to_owned(), Some(5)), ("PPPK".to_owned(), Some(6))];
        assert_eq!(merge_withheld(shown.clone()), shown);
    }

    #[test]
    fn withheld_cells_add_up_to_nobody_or_a_whole_group() {
        assert_eq!(disclose(&cells(&[9, 7, 12]), 5), [true, true, true]);
        assert_eq!(disclose(&cells(&[9, 1, 12]), 5), [false, false, true], "the 9 would reveal the 1");
        assert_eq!(disclose(&cells(&[2, 1, 12, 6]), 5), [false, false, true, false], "2 and 1 together are 3");
        assert_eq!(disclose(&cells(&[3, 2, 12]), 5), [false, false, true], "3 and 2 together are a group");
        assert_eq!(disclose(&cells(&[0, 8, 8]), 5), [false, true, true], "an empty cell gives nobody away");
        let mixed = [
            PartitionCell { outside: false, people: 1 },
            PartitionCell { outside: true, people: 2 },
            PartitionCell { outside: true, people: 8 },
        ];
        assert_eq!(disclose(&mixed, 5), [true, false, false], "the caller's own cell is shown in full");
    }

    #[test]
    fn small_units_are_shown_as_the_unit_above() {
        // city(0) ─ dinas(10) ─ bidang a(6), bidang b(6) ─ seksi b1(2)
        let units =
            [("city", None), ("dinas", Some("city")), ("a", Some("dinas")), ("b", Some("dinas")), ("b1", Some("b"))];
        let members = HashMap::from([("dinas", 10), ("a", 6), ("b", 4), ("b1", 2)]);
        let released = released_units(&units, &members, 5);
        assert_eq!(released.shown_as["b1"], "b", "a seksi of two is shown as its bidang");
        assert_eq!(released.shown_as["a"], "a");
        assert!(released.listable.contains("b") && !released.listable.contains("b1"));
        assert!(!released.directly_listable.contains("b"), "b's own 4 members, with b1 withheld, are too few");
        assert!(released.listable.contains("city") && !released.directly_listable.contains("city"));
        let tiny = released_units(&[("x", None)], &HashMap::from([("x", 3)]), 5);
        assert!(tiny.listable.is_empty(), "an agency of three lists nobody");
    }

    fn person(kind: PositionKind, rank: &str, sex: Sex, birth_year: i32) -> QuasiIdentifiers {
        QuasiIdentifiers { kind, rank: rank.parse().unwrap(), sex, birth_year, service_year: birth_year + 25 }
    }

    #[test]
    fn every_released_record_matches_a_whole_group() {
        let mut group: Vec<QuasiIdentifiers> =
            (0..6).map(|i| person(PositionKind::Pelaksana, "II/c", Sex::Female, 1990 + i)).collect();
        group.push(person(PositionKind::JptPratama, "IV/c", Sex::Male, 1970));
        group.extend((0..5).map(|i| person(PositionKind::AhliMuda, "III/c", Sex::Male, 1975 + i * 3)));
        let released = generalise(&group, 5);
        for record in &released {
            let matching = group.iter().filter(|person| record.matches(person)).count();
            assert!(matching >= 5, "{record:?} matches {matching}");
        }
        assert_eq!(released[0].kind, Some(PositionKind::Pelaksana), "six pelaksana of one decade keep their kind");
        assert_eq!(released[0].birth_decade, Some(1990));
        assert_eq!(released[6], at_level(&group[6], &LADDER[7]), "the one head is released with nothing");
        assert_eq!(rank_band("III/c".parse().unwrap()), "III");
        assert_eq!(rank_band("IX".parse().unwrap()), "PPPK IX–XII");
    }
}
