//! Training needs from a year's results: which results raise one, why, how urgently, and which
//! programmes of the agency's development catalogue address it. Pure: the caller gathers the facts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kinerja_domain::{
    Aspect, BerakhlakValue, EmploymentType, NeedPriority, NeedReason, PositionKind, Predikat, RatingLevel,
};
use serde::Deserialize;

use crate::ScoringError;
use crate::pack::RulePack;

/// Kinds of competency (PermenPANRB 38/2017).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyKind {
    Technical,
    Managerial,
    SocioCultural,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    pub code: String,
    pub name: String,
    pub kind: CompetencyKind,
}

/// The level a position must reach in a competency: by position kind for every competency of a kind,
/// or for positions whose title contains one of `titles` for a single competency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    #[serde(default)]
    pub kind: Option<CompetencyKind>,
    #[serde(default)]
    pub competency: Option<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub levels: HashMap<PositionKind, u8>,
    #[serde(default)]
    pub level: Option<u8>,
}

/// Delivery of a programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Classical,
    ELearning,
    Blended,
    Coaching,
    Mentoring,
}

/// What kind of development a programme is, for the competence dimension of the Indeks
/// Profesionalitas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeCategory {
    /// Leadership training (Pelatihan Kepemimpinan).
    Leadership,
    /// Training of a functional position.
    Functional,
    #[default]
    Technical,
    /// Seminars, workshops, conferences.
    Seminar,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub code: String,
    pub name: String,
    /// Technical when not given.
    #[serde(default)]
    pub category: ProgrammeCategory,
    /// Lesson hours (JP) credited.
    pub hours: u32,
    pub mode: Mode,
    /// Competency codes the programme builds.
    #[serde(default)]
    pub builds: Vec<String>,
    /// Other needs it answers: `predikat`, `behaviour:<value>`, `dimension:<aspect>`.
    #[serde(default)]
    pub addresses: Vec<String>,
    /// For whom, when not for everyone: positions of these kinds, ...
    #[serde(default)]
    pub for_kinds: Vec<PositionKind>,
    /// ... positions whose title contains one of these, ...
    #[serde(default)]
    pub for_titles: Vec<String>,
    /// ... or positions in one of these units (by code) or below them.
    #[serde(default)]
    pub for_units: Vec<String>,
    /// Words of a rater's note the programme answers (what it teaches, e.g. `SIASN`), ignoring case.
    #[serde(default)]
    pub answers: Vec<String>,
}

/// The post a need is raised for, which a suggested programme must fit.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    pub kind: PositionKind,
    pub title: &'a str,
    /// The codes of the unit and of every unit above it.
    pub units: &'a [String],
}

impl Programme {
    /// Whether the programme names no audience: it is then for everyone.
    pub fn is_for_everyone(&self) -> bool {
        self.for_kinds.is_empty() && self.for_titles.is_empty() && self.for_units.is_empty()
    }

    /// Whether the programme is for holders of `job`: it is for everyone, or the job is of one of its
    /// kinds, its title names one of its titles, or it lies in one of its units.
    pub fn fits(&self, job: &Job<'_>) -> bool {
        self.is_for_everyone()
            || self.for_kinds.contains(&job.kind)
            || self.for_titles.iter().any(|t| names(job.title, t))
            || self.for_units.iter().any(|unit| job.units.iter().any(|u| u.eq_ignore_ascii_case(unit)))
    }

    /// Whether one of `notes` names what the programme teaches.
    fn answers_any(&self, notes: &[&str]) -> bool {
        notes.iter().any(|note| self.answers.iter().any(|words| names(note, words)))
    }
}

/// Whether `text` holds `words` as whole words, ignoring case: "Kepala Bidang" does not name "Bidan".
fn names(text: &str, words: &str) -> bool {
    let split = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (text, words) = (split(text), split(words));
    !words.is_empty() && text.windows(words.len()).any(|window| window == words.as_slice())
}

/// An agency's competency dictionary, position standards and training programmes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub id: String,
    pub version: u32,
    pub source: String,
    #[serde(rename = "competency")]
    pub competencies: Vec<Competency>,
    #[serde(rename = "standard")]
    pub standards: Vec<Standard>,
    #[serde(rename = "programme")]
    pub programmes: Vec<Programme>,
}

const BUILT_IN: (&str, &str) =
    ("rules/development-catalogue.toml", include_str!("../../../rules/development-catalogue.toml"));

impl Catalogue {
    /// The catalogue shipped in `rules/`.
    pub fn built_in() -> Result<Self, ScoringError> {
        Self::from_toml(BUILT_IN.0, BUILT_IN.1)
    }

    /// Parses a catalogue and checks that every code it refers to is defined once; `source` names the
    /// file in errors.
    pub fn from_toml(source: &str, text: &str) -> Result<Self, ScoringError> {
        let catalogue: Catalogue = toml::from_str(text).map_err(|error| ScoringError::PackParse {
            file: source.to_owned(),
            message: error.to_string().trim().replace('\n', " "),
        })?;
        let invalid = |key: String, reason: String| ScoringError::PackInvalid { file: source.to_owned(), key, reason };
        let mut codes = BTreeSet::new();
        for competency in &catalogue.competencies {
            if !codes.insert(competency.code.as_str()) {
                return Err(invalid(format!("competency {}", competency.code), "is defined twice".into()));
            }
        }
        for (i, standard) in catalogue.standards.iter().enumerate() {
            let key = format!("standard[{i}]");
            match (&standard.kind, &standard.competency) {
                (Some(_), None) if standard.level.is_none() && !standard.levels.is_empty() => {}
                (None, Some(code)) if standard.level.is_some() && !standard.titles.is_empty() => {
                    if !codes.contains(code.as_str()) {
                        return Err(invalid(key, format!("names competency {code}, which the catalogue lacks")));
                    }
                }
                _ => {
                    return Err(invalid(
                        key,
                        "needs either `kind` with `levels`, or `competency` with `titles` and `level`".into(),
                    ));
                }
            }
            if standard.levels.values().chain(standard.level.iter()).any(|l| !(1..=5).contains(l)) {
                return Err(invalid(key, "levels run from 1 to 5".into()));
            }
        }
        let mut programme_codes = BTreeSet::new();
        for programme in &catalogue.programmes {
            let key = format!("programme {}", programme.code);
            if !programme_codes.insert(programme.code.as_str()) {
                return Err(invalid(key, "is defined twice".into()));
            }
            if let Some(code) = programme.builds.iter().find(|c| !codes.contains(c.as_str())) {
                return Err(invalid(key, format!("builds competency {code}, which the catalogue lacks")));
            }
            if programme
                .for_titles
                .iter()
                .chain(&programme.for_units)
                .chain(&programme.answers)
                .any(|t| t.trim().is_empty())
            {
                return Err(invalid(key, "for_titles, for_units and answers hold no empty text".into()));
            }
            if let Some(topic) = programme.addresses.iter().find(|t| !known_topic(t)) {
                return Err(invalid(
                    key,
                    format!(
                        "addresses {topic:?}; use predikat, behaviour:<BerAKHLAK value> or dimension:<indicator aspect>"
                    ),
                ));
            }
        }
        Ok(catalogue)
    }

    /// A competency by code or by name (assessment centres report names), ignoring case.
    pub fn competency(&self, code_or_name: &str) -> Option<&Competency> {
        self.competencies.iter().find(|c| {
            c.code.eq_ignore_ascii_case(code_or_name) || c.name.to_lowercase() == code_or_name.trim().to_lowercase()
        })
    }

    /// Names of the programmes of a category, for matching training records.
    pub fn programme_names(&self, category: ProgrammeCategory) -> Vec<&str> {
        self.programmes.iter().filter(|p| p.category == category).map(|p| p.name.as_str()).collect()
    }

    pub fn programme(&self, code: &str) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.code == code)
    }

    /// The level each competency is expected at in a position, by competency code.
    pub fn expected_levels(&self, kind: PositionKind, title: &str) -> BTreeMap<&str, u8> {
        let mut expected = BTreeMap::new();
        for standard in &self.standards {
            if let (Some(competency_kind), Some(level)) = (standard.kind, standard.levels.get(&kind)) {
                for competency in self.competencies.iter().filter(|c| c.kind == competency_kind) {
                    expected.insert(competency.code.as_str(), *level);
                }
            }
            if let (Some(code), Some(level)) = (&standard.competency, standard.level)
                && standard.titles.iter().any(|t| names(title, t))
            {
                expected.insert(code.as_str(), level);
            }
        }
        expected
    }

    /// The programmes that answer `topic` (`predikat`, `behaviour:<value>`, `dimension:<aspect>`) or
    /// build the competency `topic`, as suggested for `job` with the rater's `notes` behind the need
    /// (docs/analytics.md, "Suggestions that fit the job"): only those that fit the job; first those a
    /// note names, then those made for the job, then the rest, each in catalogue order.
    pub fn suggest(&self, topic: &str, job: &Job<'_>, notes: &[&str]) -> Vec<String> {
        let mut found: Vec<&Programme> = self
            .programmes
            .iter()
            .filter(|p| p.addresses.iter().chain(&p.builds).any(|t| t == topic) && p.fits(job))
            .collect();
        found.sort_by_key(|p| (!p.answers_any(notes), p.is_for_everyone()));
        found.into_iter().map(|p| p.code.clone()).collect()
    }

    /// The programmes made for `job` (not those for everyone), those a note names first.
    fn made_for(&self, job: &Job<'_>, notes: &[&str]) -> Vec<String> {
        let mut found: Vec<&Programme> =
            self.programmes.iter().filter(|p| !p.is_for_everyone() && p.fits(job)).collect();
        found.sort_by_key(|p| !p.answers_any(notes));
        found.into_iter().map(|p| p.code.clone()).collect()
    }
}

fn known_topic(topic: &str) -> bool {
    match topic.split_once(':') {
        None => topic == "predikat",
        Some(("behaviour", value)) => value.parse::<BerakhlakValue>().is_ok(),
        Some(("dimension", aspect)) => aspect.parse::<Aspect>().is_ok(),
        Some(_) => false,
    }
}

/// What is known of one employee's year.
#[derive(Debug, Clone)]
pub struct DevelopmentFacts {
    pub position_kind: PositionKind,
    pub position_title: String,
    /// The codes of the employee's unit and of every unit above it.
    pub unit_codes: Vec<String>,
    pub employment: EmploymentType,
    /// The predikat of the year's latest evaluation, if scored.
    pub predikat: Option<Predikat>,
    pub behaviour: Vec<(BerakhlakValue, RatingLevel)>,
    /// The employee's mean achievement (percent) per indicator aspect.
    pub dimensions: Vec<(Aspect, f64)>,
    /// The latest assessed level per competency, as assessed (by code or name).
    pub assessed: Vec<(String, u8)>,
    /// Training finished in the year: programme name and lesson hours.
    pub training: Vec<(String, u32)>,
    /// What the rater wrote of the year (behaviour notes, feedback), with the BerAKHLAK value it is
    /// about where it names one.
    pub notes: Vec<(Option<BerakhlakValue>, String)>,
}

impl DevelopmentFacts {
    fn job(&self) -> Job<'_> {
        Job { kind: self.position_kind, title: &self.position_title, units: &self.unit_codes }
    }

    /// The notes behind a need about `value` (those about it, and those about no value), or about the
    /// whole year with `None` (every note).
    fn notes_on(&self, value: Option<BerakhlakValue>) -> Vec<&str> {
        let about = |of: &Option<BerakhlakValue>| value.is_none() || of.is_none() || *of == value;
        self.notes.iter().filter(|(of, _)| about(of)).map(|(_, note)| note.as_str()).collect()
    }
}

/// A training need the facts call for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedDraft {
    pub reason: NeedReason,
    /// What within the reason: the predikat, the BerAKHLAK value, the aspect, the competency code, `jp`.
    pub topic: String,
    pub detail: String,
    pub priority: NeedPriority,
    /// Programme codes of the catalogue, best first.
    pub suggested: Vec<String>,
    /// The index in `facts.training` of a training that answers it (a suggested programme attended).
    pub completed_by: Option<usize>,
}

/// The training needs one employee's year calls for, under the year's pack and the catalogue.
pub fn derive_needs(
    pack: &RulePack,
    catalogue: &Catalogue,
    facts: &DevelopmentFacts,
) -> Result<Vec<NeedDraft>, ScoringError> {
    let rules = pack.development()?;
    let priorities = &rules.priority;
    let job = facts.job();
    let year_notes = facts.notes_on(None);
    let mut needs = Vec::new();
    let need = |reason: NeedReason, topic: String, detail: String, priority: NeedPriority, suggested| NeedDraft {
        reason,
        topic,
        detail,
        priority,
        suggested,
        completed_by: None,
    };
    if let Some(predikat) = facts.predikat.filter(|p| rules.needs_from_predikat.contains(p)) {
        needs.push(need(
            NeedReason::Predikat,
            predikat.as_str().to_owned(),
            format!(
                "Predikat kinerja tahun ini {}: pengembangan yang terarah membantu mencapai Baik",
                predikat.title()
            ),
            priorities.predikat,
            catalogue.suggest("predikat", &job, &year_notes),
        ));
    }
    for (value, _) in facts.behaviour.iter().filter(|(_, level)| *level == RatingLevel::BelowExpectation) {
        let notes = facts.notes_on(Some(*value));
        let mut detail = format!("Nilai BerAKHLAK {} masih di bawah ekspektasi: ruang untuk berkembang", value.title());
        if let Some(note) = facts.notes.iter().find(|(of, _)| *of == Some(*value)) {
            detail.push_str(&format!(". Catatan penilai: {}", note.1));
        }
        needs.push(need(
            NeedReason::Behaviour,
            value.as_str().to_owned(),
            detail,
            priorities.behaviour,
            catalogue.suggest(&format!("behaviour:{value}"), &job, &notes),
        ));
    }
    for (aspect, mean) in facts.dimensions.iter().filter(|(_, mean)| *mean < rules.weak_dimension_below) {
        needs.push(need(
            NeedReason::Dimension,
            aspect.as_str().to_owned(),
            format!(
                "Capaian indikator aspek {aspect} rata-rata {}%, di bawah {}%",
                format!("{mean:.2}").replace('.', ","),
                rules.weak_dimension_below
            ),
            priorities.dimension,
            catalogue.suggest(&format!("dimension:{aspect}"), &job, &year_notes),
        ));
    }
    let expected = catalogue.expected_levels(facts.position_kind, &facts.position_title);
    let assessed: BTreeMap<&str, u8> = facts
        .assessed
        .iter()
        .filter_map(|(name, level)| catalogue.competency(name).map(|c| (c.code.as_str(), *level)))
        .collect();
    for (code, want) in &expected {
        // Only assessed competencies: an unassessed one is unknown, not a gap.
        let Some(&have) = assessed.get(code) else { continue };
        if have >= *want {
            continue;
        }
        let gap = want - have;
        let name = catalogue.competency(code).map_or(*code, |c| c.name.as_str());
        needs.push(need(
            NeedReason::Competency,
            (*code).to_owned(),
            format!("{name} pada level {have}; jabatan ini membutuhkan level {want}"),
            if u32::from(gap) >= rules.high_priority_gap { NeedPriority::High } else { priorities.competency },
            catalogue.suggest(code, &job, &year_notes),
        ));
    }
    let minimum = rules.minimum_jp.for_employment(facts.employment);
    let hours: u32 = facts.training.iter().map(|(_, h)| h).sum();
    // Needs follow a year's results: an employee whose year was not scored has no hours need either.
    if facts.predikat.is_some() && hours < minimum {
        // The programmes suggested for the other needs first, as hours spent there count twice over;
        // then those made for the job.
        let mut suggested: Vec<String> = needs.iter().flat_map(|n| n.suggested.iter().cloned()).collect();
        suggested.extend(catalogue.made_for(&job, &year_notes));
        let mut seen = BTreeSet::new();
        suggested.retain(|code| seen.insert(code.clone()));
        needs.push(need(
            NeedReason::Hours,
            "jp".to_owned(),
            format!("{hours} dari minimal {minimum} JP pengembangan kompetensi tahun ini"),
            priorities.hours,
            suggested,
        ));
    }
    // The hours need is met by reaching the minimum (it is then no longer raised), not by one programme.
    for draft in needs.iter_mut().filter(|draft| draft.reason != NeedReason::Hours) {
        draft.completed_by = facts.training.iter().position(|(attended, _)| {
            draft
                .suggested
                .iter()
                .any(|code| catalogue.programme(code).is_some_and(|p| p.name.eq_ignore_ascii_case(attended.trim())))
        });
    }
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RulePacks;

    fn facts() -> DevelopmentFacts {
        DevelopmentFacts {
            position_kind: PositionKind::Administrator,
            position_title: "Kepala Bidang Pelayanan Kesehatan".into(),
            unit_codes: vec!["DINKES-YANKES".into(), "DINKES".into(), "SKA".into()],
            employment: EmploymentType::Pns,
            predikat: Some(Predikat::Kurang),
            behaviour: vec![
                (BerakhlakValue::Akuntabel, RatingLevel::BelowExpectation),
                (BerakhlakValue::Harmonis, RatingLevel::AsExpected),
            ],
            dimensions: vec![(Aspect::Kuantitas, 95.0), (Aspect::Waktu, 80.5)],
            assessed: vec![("integritas".into(), 1), ("M2".into(), 3), ("Manajemen Pelayanan Kesehatan".into(), 2)],
            training: vec![("Penguatan Integritas dan Antikorupsi".into(), 12)],
            notes: Vec::new(),
        }
    }

    /// An HR clerk of BKPSDM's data and information section, as in BKPSDM Surakarta's own account.
    fn hr_clerk() -> DevelopmentFacts {
        DevelopmentFacts {
            position_kind: PositionKind::Pelaksana,
            position_title: "Pengolah Data Kepegawaian".into(),
            unit_codes: vec!["BKPSDM-PIK-SI".into(), "BKPSDM-PIK".into(), "BKPSDM".into(), "SKA".into()],
            predikat: Some(Predikat::ButuhPerbaikan),
            behaviour: vec![(BerakhlakValue::Kompeten, RatingLevel::BelowExpectation)],
            dimensions: vec![(Aspect::Kualitas, 70.0)],
            assessed: Vec::new(),
            training: Vec::new(),
            notes: vec![(
                Some(BerakhlakValue::Kompeten),
                "Belum menguasai aplikasi SIASN dan e-Kinerja; perlu pelatihan perangkat lunak manajemen SDM".into(),
            )],
            ..facts()
        }
    }

    fn suggested(needs: &[NeedDraft], reason: NeedReason) -> Vec<&str> {
        let need = needs.iter().find(|n| n.reason == reason).expect("the need is raised");
        need.suggested.iter().map(String::as_str).collect()
    }

    #[test]
    fn an_hr_clerk_weak_in_hr_software_is_offered_the_hr_software_programme_first() {
        let packs = RulePacks::built_in().unwrap();
        let catalogue = Catalogue::built_in().unwrap();
        let needs = derive_needs(packs.for_year(2025).unwrap(), &catalogue, &hr_clerk()).unwrap();
        assert_eq!(suggested(&needs, NeedReason::Behaviour), ["SIASN", "ADAPT"], "the note names SIASN");
        let behaviour = needs.iter().find(|n| n.reason == NeedReason::Behaviour).unwrap();
        assert!(
            behaviour.detail.starts_with("Nilai BerAKHLAK Kompeten masih di bawah ekspektasi"),
            "{}",
            behaviour.detail
        );
        assert!(behaviour.detail.contains("Catatan penilai: Belum menguasai aplikasi SIASN"), "{}", behaviour.detail);
        // Quality: the HR programmes, never the nurses' or the teachers'.
        assert_eq!(suggested(&needs, NeedReason::Dimension), ["SIASN", "MERIT", "PRIMA"]);
        let hours = suggested(&needs, NeedReason::Hours);
        assert_eq!(hours, ["MANKIN", "COACH", "SIASN", "ADAPT", "MERIT", "PRIMA"], "the other needs' first");
        assert!(needs.iter().flat_map(|n| &n.suggested).all(|code| !["PPI", "AJAR", "KIA"].contains(&code.as_str())));
    }

    #[test]
    fn programmes_for_some_jobs_fit_only_those() {
        let catalogue = Catalogue::built_in().unwrap();
        let fits = |code: &str, kind, title: &str, units: &[&str]| {
            let units: Vec<String> = units.iter().map(|u| (*u).to_owned()).collect();
            catalogue.programme(code).unwrap().fits(&Job { kind, title, units: &units })
        };
        assert!(fits("SIASN", PositionKind::Pelaksana, "Pengadministrasi Perkantoran", &["BKPSDM-MUT", "BKPSDM"]));
        assert!(fits("SIASN", PositionKind::Pengawas, "Kepala Subbagian Umum dan Kepegawaian", &["DLH-SEK", "DLH"]));
        assert!(!fits("SIASN", PositionKind::Pelaksana, "Pengadministrasi Perkantoran", &["DLH-SEK", "DLH"]));
        assert!(fits("AJAR", PositionKind::AhliMuda, "Guru Ahli Muda SD Negeri Kestalan", &["DISDIK"]));
        assert!(!fits("AJAR", PositionKind::AhliPertama, "Perawat Ahli Pertama", &["DINKES"]));
        assert!(fits("PKA", PositionKind::Administrator, "Camat Jebres", &[]));
        assert!(!fits("PKA", PositionKind::Pengawas, "Lurah Jebres", &[]));
        assert!(fits("MANKIN", PositionKind::Terampil, "Bidan Terampil", &[]), "a programme for everyone");
    }

    #[test]
    fn a_teacher_is_offered_teaching_and_a_nurse_nursing() {
        let packs = RulePacks::built_in().unwrap();
        let catalogue = Catalogue::built_in().unwrap();
        let weak = |kind, title: &str, unit: &str| DevelopmentFacts {
            position_kind: kind,
            position_title: title.into(),
            unit_codes: vec![unit.into(), "SKA".into()],
            dimensions: vec![(Aspect::Kualitas, 60.0)],
            ..hr_clerk()
        };
        let pack = packs.for_year(2025).unwrap();
        let teacher =
            derive_needs(pack, &catalogue, &weak(PositionKind::AhliMuda, "Guru Ahli Muda", "DISDIK")).unwrap();
        assert_eq!(suggested(&teacher, NeedReason::Dimension), ["AJAR", "PRIMA"]);
        let nurse =
            derive_needs(pack, &catalogue, &weak(PositionKind::Terampil, "Perawat Terampil", "DINKES")).unwrap();
        assert_eq!(suggested(&nurse, NeedReason::Dimension), ["PPI", "PRIMA"]);
    }

    #[test]
    fn every_cause_raises_one_need_with_its_programmes() {
        let packs = RulePacks::built_in().unwrap();
        let catalogue = Catalogue::built_in().unwrap();
        let needs = derive_needs(packs.for_year(2025).unwrap(), &catalogue, &facts()).unwrap();
        type Summary<'a> = (NeedReason, &'a str, NeedPriority, Vec<&'a str>, Option<usize>);
        let summary: Vec<Summary<'_>> = needs
            .iter()
            .map(|n| {
                (
                    n.reason,
                    n.topic.as_str(),
                    n.priority,
                    n.suggested.iter().map(String::as_str).collect(),
                    n.completed_by,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (NeedReason::Predikat, "kurang", NeedPriority::High, vec!["MANKIN", "COACH"], None),
                (NeedReason::Behaviour, "akuntabel", NeedPriority::Medium, vec!["INTEG"], Some(0)),
                (NeedReason::Dimension, "waktu", NeedPriority::Medium, vec!["MANKIN", "ADAPT", "WAKTU"], None),
                // Integritas 1 against 3 for an administrator: a gap of two levels is high priority.
                (NeedReason::Competency, "M1", NeedPriority::High, vec!["INTEG"], Some(0)),
                // Kerja Sama 3 meets 3; Manajemen Pelayanan Kesehatan 2 against 3 for this title.
                (NeedReason::Competency, "T-YANKES", NeedPriority::Medium, vec!["PPI", "MANPKM"], None),
                (
                    NeedReason::Hours,
                    "jp",
                    NeedPriority::Low,
                    // Then the programmes made for the job: leadership for an administrator.
                    vec!["MANKIN", "COACH", "INTEG", "ADAPT", "WAKTU", "PPI", "MANPKM", "PKA", "PBJ"],
                    // 12 of 20 JP: attending a suggested programme does not reach the minimum.
                    None
                ),
            ]
        );
        assert_eq!(needs[2].detail, "Capaian indikator aspek waktu rata-rata 80,50%, di bawah 90%");
        assert_eq!(needs[5].detail, "12 dari minimal 20 JP pengembangan kompetensi tahun ini");
    }

    #[test]
    fn a_year_not_scored_raises_no_hours_need() {
        let packs = RulePacks::built_in().unwrap();
        let catalogue = Catalogue::built_in().unwrap();
        let unscored = DevelopmentFacts { predikat: None, behaviour: Vec::new(), dimensions: Vec::new(), ..facts() };
        let needs = derive_needs(packs.for_year(2025).unwrap(), &catalogue, &unscored).unwrap();
        assert!(needs.iter().all(|need| need.reason != NeedReason::Hours), "{needs:?}");
    }

    #[test]
    fn a_good_year_raises_nothing() {
        let packs = RulePacks::built_in().unwrap();
        let catalogue = Catalogue::built_in().unwrap();
        let good = DevelopmentFacts {
            predikat: Some(Predikat::Baik),
            behaviour: vec![(BerakhlakValue::Akuntabel, RatingLevel::AboveExpectation)],
            dimensions: vec![(Aspect::Waktu, 90.0)],
            assessed: vec![("Integritas".into(), 3)],
            training: vec![("Pelatihan Kepemimpinan Administrator".into(), 190)],
            ..facts()
        };
        assert_eq!(derive_needs(packs.for_year(2025).unwrap(), &catalogue, &good).unwrap(), vec![]);
    }

    #[test]
    fn a_catalogue_naming_an_unknown_competency_is_refused() {
        let text = r#"
            id = "x"
            version = 1
            source = "test"
            competency = [{ code = "M1", name = "Integritas", kind = "managerial" }]
            standard = []
            programme = [{ code = "P", name = "P", hours = 8, mode = "classical", builds = ["M9"] }]
        "#;
        assert_eq!(
            Catalogue::from_toml("agency.toml", text).unwrap_err().to_string(),
            "agency.toml: programme P: builds competency M9, which the catalogue lacks"
        );
        let topic = text.replace(r#"builds = ["M9"]"#, r#"addresses = ["dimension:speed"]"#);
        assert!(Catalogue::from_toml("agency.toml", &topic).unwrap_err().to_string().contains("dimension:speed"));
    }
}
