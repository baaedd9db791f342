//! The organisation of the demo city: units, positions and employees with their rater chain.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use kinerja_domain::{Employee, EmploymentType, Nip, Position, PositionKind, Rank, Sex, Unit, UnitCode, UnitKind};
use kinerja_store::records::{EmployeeRecord, PositionRecord, UnitRecord};
use rand::Rng;
use rand::seq::IndexedRandom;
use uuid::Uuid;

use super::{IdSource, names};

const UNITS_CSV: &str = include_str!("surakarta-units.csv");

/// What a unit's work is about; it shapes the plans of its people. Four of these are the situations of
/// BKPSDM Surakarta's own account of why evaluation matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    General,
    /// Dinas Pendidikan: the education-quality programme, where one employee falls behind.
    EducationQuality,
    /// Dinas Lingkungan Hidup: cleanliness staff measured on response time to citizens' reports.
    CleanlinessResponse,
    /// Dinas Kesehatan: realisations counted from recorded health-service visits.
    HealthService,
    /// BKPSDM: HR staff whose IT skills lag behind the HR information systems.
    HrInformationSystems,
    School,
}

pub(crate) struct UnitSpec {
    pub(crate) record: UnitRecord,
    /// What the unit works on, in words that read well after "Terlaksananya ...".
    pub(crate) topic: String,
    pub(crate) focus: Focus,
    parent: Option<usize>,
    head: Option<usize>,
}

pub(crate) struct PersonSpec {
    pub(crate) record: EmployeeRecord,
    pub(crate) unit: usize,
    pub(crate) superior: Option<usize>,
    pub(crate) kind: PositionKind,
    /// Latent performance around 1.0 that drives realisations and ratings.
    pub(crate) performance: f64,
}

pub(crate) struct City {
    pub(crate) units: Vec<UnitSpec>,
    pub(crate) positions: Vec<PositionRecord>,
    pub(crate) people: Vec<PersonSpec>,
}

struct Builder {
    units: Vec<UnitSpec>,
    positions: Vec<PositionRecord>,
    position_ids: HashMap<(usize, String), Uuid>,
    /// Positions created so far in each unit, for numbering their codes.
    positions_per_unit: HashMap<usize, usize>,
    people: Vec<PersonSpec>,
    nip_sequences: HashMap<(NaiveDate, NaiveDate, Sex), u16>,
    year: i32,
    ids: IdSource,
}

fn code(text: &str) -> UnitCode {
    UnitCode::parse(text).expect("demo unit codes are valid")
}

/// A generated unit: code suffix, name and focus.
type SubUnit = (&'static str, &'static str, Focus);

/// Bidang (with their seksi) of the perangkat daerah that the seed situations need, and of the rest.
fn divisions(pd_code: &str) -> Vec<(&'static str, &'static str, Focus, Vec<SubUnit>)> {
    use Focus::*;
    match pd_code {
        "DISDIK" => vec![
            (
                "SD",
                "Bidang Pembinaan Sekolah Dasar",
                General,
                vec![
                    ("KUR", "Seksi Kurikulum dan Penilaian Sekolah Dasar", EducationQuality),
                    ("PD", "Seksi Peserta Didik dan Pembangunan Karakter SD", General),
                ],
            ),
            (
                "SMP",
                "Bidang Pembinaan Sekolah Menengah Pertama",
                General,
                vec![
                    ("KUR", "Seksi Kurikulum dan Penilaian SMP", EducationQuality),
                    ("SAR", "Seksi Sarana dan Prasarana SMP", General),
                ],
            ),
            ("GTK", "Bidang Guru dan Tenaga Kependidikan", General, vec![("PEN", "Seksi Pendidik", General)]),
        ],
        "DINKES" => vec![
            (
                "KESMAS",
                "Bidang Kesehatan Masyarakat",
                General,
                vec![("GIZI", "Seksi Kesehatan Keluarga dan Gizi", General)],
            ),
            (
                "P2P",
                "Bidang Pencegahan dan Pengendalian Penyakit",
                General,
                vec![("SURV", "Seksi Surveilans dan Imunisasi", General)],
            ),
            (
                "YANKES",
                "Bidang Pelayanan Kesehatan",
                HealthService,
                vec![
                    ("PRIMER", "Seksi Pelayanan Kesehatan Primer", HealthService),
                    ("RUJUKAN", "Seksi Pelayanan Kesehatan Rujukan", General),
                ],
            ),
        ],
        "DLH" => vec![
            (
                "KBR",
                "Bidang Pengelolaan Sampah dan Kebersihan",
                CleanlinessResponse,
                vec![
                    ("ADU", "Seksi Penanganan Sampah dan Pengaduan Masyarakat", CleanlinessResponse),
                    ("JLN", "Seksi Kebersihan Jalan dan Ruang Publik", CleanlinessResponse),
                ],
            ),
            (
                "PPL",
                "Bidang Pengendalian Pencemaran Lingkungan",
                General,
                vec![("PMT", "Seksi Pemantauan Kualitas Lingkungan", General)],
            ),
            (
                "TAMAN",
                "Bidang Pertamanan dan Ruang Terbuka Hijau",
                General,
                vec![("RTH", "Seksi Pemeliharaan Taman Kota", General)],
            ),
        ],
        "BKPSDM" => vec![
            (
                "PIK",
                "Bidang Pengadaan dan Informasi Kepegawaian",
                HrInformationSystems,
                vec![
                    ("SI", "Seksi Data dan Sistem Informasi Kepegawaian", HrInformationSystems),
                    ("ADA", "Seksi Pengadaan dan Pemberhentian", HrInformationSystems),
                ],
            ),
            ("MUT", "Bidang Mutasi dan Promosi", General, vec![("KP", "Seksi Kepangkatan", General)]),
            (
                "PKOM",
                "Bidang Pengembangan Kompetensi Aparatur",
                General,
                vec![("DIK", "Seksi Pendidikan dan Pelatihan", General)],
            ),
            (
                "PKIN",
                "Bidang Penilaian Kinerja dan Penghargaan",
                HrInformationSystems,
                vec![("KIN", "Seksi Penilaian Kinerja Aparatur", HrInformationSystems)],
            ),
        ],
        _ => vec![
            ("PRG", "Bidang Program dan Perencanaan", General, vec![("EVA", "Seksi Evaluasi dan Pelaporan", General)]),
            (
                "YAN",
                "Bidang Pelayanan dan Pengendalian",
                General,
                vec![("YAN", "Seksi Pelayanan", General), ("DAL", "Seksi Pengawasan dan Pengendalian", General)],
            ),
        ],
    }
}

const PUSKESMAS: &[&str] = &[
    "Pajang",
    "Penumping",
    "Purwosari",
    "Jayengan",
    "Kratonan",
    "Gajahan",
    "Sangkrah",
    "Pucangsawit",
    "Sibela",
    "Ngoresan",
    "Purwodiningratan",
    "Setabelan",
    "Gambirsari",
    "Manahan",
    "Banyuanyar",
    "Nusukan",
    "Gilingan",
];

/// Heads are one per unit: the smallest city gives every unit a head and some staff.
pub(crate) fn minimum_employees() -> usize {
    let units = skeleton(IdSource::new(0, 2026), 0, 2026).units.len();
    units + units / 2
}

fn topic_of(name: &str) -> String {
    let lowered = name.to_lowercase();
    for prefix in ["bidang ", "seksi ", "kelurahan ", "kecamatan ", "dinas ", "badan ", "sekretariat "] {
        if let Some(rest) = lowered.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
    lowered
}

impl Builder {
    fn add_unit(&mut self, unit_code: &str, name: &str, kind: UnitKind, parent: Option<usize>, focus: Focus) -> usize {
        let depth = parent.map_or(0, |p| self.units[p].record.depth + 1);
        let record = UnitRecord {
            id: self.ids.next_id(),
            unit: Unit::new(code(unit_code), name, kind).expect("demo unit names are not blank"),
            parent_id: parent.map(|p| self.units[p].record.id),
            depth,
        };
        self.units.push(UnitSpec { record, topic: topic_of(name), focus, parent, head: None });
        self.units.len() - 1
    }

    fn position_id(&mut self, unit: usize, title: &str, kind: PositionKind) -> Uuid {
        let key = (unit, title.to_owned());
        if let Some(id) = self.position_ids.get(&key) {
            return *id;
        }
        let id = self.ids.next_id();
        let number = {
            let count = self.positions_per_unit.entry(unit).or_insert(0);
            *count += 1;
            *count
        };
        self.positions.push(PositionRecord {
            id,
            code: format!("{}-J{number:02}", self.units[unit].record.unit.code),
            position: Position::new(title, kind).expect("demo titles are not blank"),
            unit_id: self.units[unit].record.id,
        });
        self.position_ids.insert(key, id);
        id
    }

    fn nip(&mut self, rng: &mut impl Rng, kind: PositionKind, employment: EmploymentType, female: bool) -> Nip {
        let (youngest, oldest) = age_range(kind);
        let sex = if female { Sex::Female } else { Sex::Male };
        loop {
            let age = rng.random_range(youngest..=oldest);
            let birth_year = self.year - age;
            let birth = NaiveDate::from_ymd_opt(birth_year, 1, 1).expect("valid year")
                + chrono::Days::new(rng.random_range(0..365));
            let start = match employment {
                EmploymentType::Pppk => {
                    NaiveDate::from_ymd_opt(rng.random_range(2022..self.year.max(2023)), 1, 1).expect("valid year")
                }
                EmploymentType::Pns => {
                    let start_age = rng.random_range(21..=(age - 1).clamp(21, 32));
                    let month = *[1u32, 3, 4, 12].choose(rng).unwrap_or(&1);
                    NaiveDate::from_ymd_opt((birth_year + start_age).min(self.year - 1), month, 1).expect("valid month")
                }
            };
            if start.year() - birth.year() < 19 {
                continue;
            }
            let sequence = self.nip_sequences.entry((birth, start, sex)).or_insert(0);
            if *sequence >= 999 {
                continue;
            }
            *sequence += 1;
            if let Ok(nip) = Nip::compose(birth, start, sex, *sequence) {
                return nip;
            }
        }
    }

    fn add_person(
        &mut self,
        rng: &mut impl Rng,
        unit: usize,
        title: &str,
        kind: PositionKind,
        employment: EmploymentType,
        superior: Option<usize>,
    ) -> usize {
        let female = rng.random_bool(0.52);
        let nip = self.nip(rng, kind, employment, female);
        let (honorific, degree) = if title.starts_with("Dokter") {
            (Some("dr."), None)
        } else if title.starts_with("Guru") || title.starts_with("Kepala Sekolah") {
            (None, Some("S.Pd."))
        } else if kind.is_managerial() || matches!(kind, PositionKind::AhliMuda | PositionKind::AhliMadya) {
            (None, Some(if rng.random_bool(0.5) { "S.E., M.M." } else { "S.Sos., M.Si." }))
        } else {
            (None, None)
        };
        let name = names::person(rng, female, honorific, degree);
        let rank = rank_for(rng, kind, employment);
        let employee = Employee::new(nip, name, employment, rank).expect("demo ranks fit the employment type");
        let position_id = self.position_id(unit, title, kind);
        let noise: f64 = (0..3).map(|_| rng.random::<f64>()).sum::<f64>() - 1.5;
        let record = EmployeeRecord {
            id: self.ids.next_id(),
            employee,
            position_id,
            unit_id: self.units[unit].record.id,
            superior_id: superior.map(|s| self.people[s].record.id),
        };
        self.people.push(PersonSpec { record, unit, superior, kind, performance: 1.0 + noise * 0.3 });
        self.people.len() - 1
    }
}

fn age_range(kind: PositionKind) -> (i32, i32) {
    use PositionKind::*;
    match kind {
        JptUtama | JptMadya => (48, 58),
        JptPratama => (44, 58),
        Administrator => (40, 56),
        Pengawas => (34, 55),
        Pelaksana => (22, 57),
        AhliPertama => (24, 40),
        AhliMuda => (32, 50),
        AhliMadya | AhliUtama => (42, 58),
        Pemula | Terampil => (22, 45),
        Mahir => (30, 50),
        Penyelia => (38, 57),
    }
}

fn rank_for(rng: &mut impl Rng, kind: PositionKind, employment: EmploymentType) -> Rank {
    use PositionKind::*;
    if employment == EmploymentType::Pppk {
        let grade = match kind {
            AhliPertama => 9,
            AhliMuda => 10,
            Terampil | Pemula => 7,
            _ => 5,
        };
        return Rank::pppk_grade(grade).expect("valid grade");
    }
    let choices: &[(u8, char)] = match kind {
        JptUtama | JptMadya => &[(4, 'd'), (4, 'e')],
        JptPratama => &[(4, 'c'), (4, 'd')],
        Administrator => &[(4, 'a'), (4, 'b')],
        Pengawas => &[(3, 'c'), (3, 'd')],
        Pelaksana => &[(2, 'a'), (2, 'b'), (2, 'c'), (2, 'd'), (3, 'a'), (3, 'b')],
        AhliPertama => &[(3, 'a'), (3, 'b')],
        AhliMuda => &[(3, 'c'), (3, 'd')],
        AhliMadya | AhliUtama => &[(4, 'a'), (4, 'b'), (4, 'c')],
        Pemula | Terampil => &[(2, 'c'), (2, 'd'), (3, 'a'), (3, 'b')],
        Mahir => &[(3, 'a'), (3, 'b'), (3, 'c')],
        Penyelia => &[(3, 'c'), (3, 'd')],
    };
    let (golongan, ruang) = *choices.choose(rng).unwrap_or(&(3, 'a'));
    Rank::golongan(golongan, ruang).expect("valid golongan")
}

/// Units of the city: the reference file plus generated bidang, seksi and UPT.
fn skeleton(ids: IdSource, employees: usize, year: i32) -> Builder {
    let mut builder = Builder {
        units: Vec::new(),
        positions: Vec::new(),
        position_ids: HashMap::new(),
        positions_per_unit: HashMap::new(),
        people: Vec::new(),
        nip_sequences: HashMap::new(),
        year,
        ids,
    };
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for line in UNITS_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let [unit_code, name, kind, parent_code] = fields[..] else { continue };
        let kind: UnitKind = kind.parse().expect("reference unit kinds are valid");
        let parent = (!parent_code.is_empty()).then(|| by_code[parent_code]);
        let index = builder.add_unit(unit_code, name, kind, parent, Focus::General);
        by_code.insert(unit_code.to_owned(), index);
    }
    let top_level: Vec<usize> = (0..builder.units.len()).filter(|&i| builder.units[i].record.depth == 1).collect();
    for unit in top_level {
        let unit_code = builder.units[unit].record.unit.code.to_string();
        let is_kecamatan = builder.units[unit].record.unit.kind == UnitKind::Kecamatan;
        let secretariat_name = if is_kecamatan { "Sekretariat Kecamatan" } else { "Sekretariat" };
        let secretariat = builder.add_unit(
            &format!("{unit_code}-SEK"),
            secretariat_name,
            UnitKind::Bidang,
            Some(unit),
            Focus::General,
        );
        builder.units[secretariat].topic = format!("administrasi umum {}", builder.units[unit].topic);
        let subdivisions: &[(&str, &str)] = if is_kecamatan {
            &[
                ("PEM", "Seksi Pemerintahan"),
                ("TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum"),
                ("PMK", "Seksi Pemberdayaan Masyarakat"),
            ]
        } else {
            &[("UMUM", "Subbagian Umum dan Kepegawaian"), ("KEU", "Subbagian Keuangan")]
        };
        for (suffix, name) in subdivisions {
            builder.add_unit(
                &format!("{unit_code}-SEK-{suffix}"),
                name,
                UnitKind::Seksi,
                Some(secretariat),
                Focus::General,
            );
        }
        if is_kecamatan {
            continue;
        }
        for (suffix, name, focus, sections) in divisions(&unit_code) {
            let division =
                builder.add_unit(&format!("{unit_code}-{suffix}"), name, UnitKind::Bidang, Some(unit), focus);
            for (section_suffix, section_name, section_focus) in sections {
                builder.add_unit(
                    &format!("{unit_code}-{suffix}-{section_suffix}"),
                    section_name,
                    UnitKind::Seksi,
                    Some(division),
                    section_focus,
                );
            }
        }
    }
    // Frontline UPT scale with the city: schools hold about 45% of staff, puskesmas about 20%.
    let disdik = by_code["DISDIK"];
    let dinkes = by_code["DINKES"];
    let dlh = by_code["DLH"];
    let schools = (employees * 45 / 100 / 24).max(3);
    for number in 1..=schools {
        let (unit_code, name) = if number % 5 == 0 {
            (format!("DISDIK-SMPN{:03}", number / 5), format!("SMP Negeri {} Surakarta", number / 5))
        } else {
            let sd = number - number / 5;
            (format!("DISDIK-SDN{sd:03}"), format!("SD Negeri {sd} Surakarta"))
        };
        let school = builder.add_unit(&unit_code, &name, UnitKind::Upt, Some(disdik), Focus::School);
        builder.units[school].topic = "pembelajaran dan mutu pendidikan".to_owned();
    }
    let puskesmas = (employees * 20 / 100 / 40).max(PUSKESMAS.len());
    for number in 0..puskesmas {
        let (unit_code, name) = match PUSKESMAS.get(number) {
            Some(place) => (format!("DINKES-PKM-{}", place.to_uppercase()), format!("Puskesmas {place}")),
            None => (format!("DINKES-PUSTU-{:04}", number + 1), format!("Puskesmas Pembantu {}", number + 1)),
        };
        let centre = builder.add_unit(&unit_code, &name, UnitKind::Upt, Some(dinkes), Focus::HealthService);
        builder.units[centre].topic = "pelayanan kesehatan dasar".to_owned();
    }
    let depot = builder.add_unit(
        "DLH-UPT-TPA",
        "UPT Tempat Pemrosesan Akhir Putri Cempo",
        UnitKind::Upt,
        Some(dlh),
        Focus::CleanlinessResponse,
    );
    builder.units[depot].topic = "pengolahan sampah kota".to_owned();
    builder
}

fn head_title(unit: &UnitSpec, parent: Option<&UnitSpec>) -> (String, PositionKind) {
    let name = &unit.record.unit.name;
    match unit.record.unit.kind {
        UnitKind::City => ("Wali Kota".to_owned(), PositionKind::JptUtama),
        UnitKind::PerangkatDaerah if unit.record.unit.code.as_str() == "SETDA" => {
            ("Sekretaris Daerah".to_owned(), PositionKind::JptMadya)
        }
        UnitKind::PerangkatDaerah if name.starts_with("Sekretariat") => {
            (name.replacen("Sekretariat", "Sekretaris", 1), PositionKind::JptPratama)
        }
        UnitKind::PerangkatDaerah if name.starts_with("Inspektorat") => {
            ("Inspektur".to_owned(), PositionKind::JptPratama)
        }
        UnitKind::PerangkatDaerah if name.starts_with("RSUD") => (format!("Direktur {name}"), PositionKind::JptPratama),
        UnitKind::PerangkatDaerah => (format!("Kepala {name}"), PositionKind::JptPratama),
        UnitKind::Kecamatan => {
            (format!("Camat {}", name.trim_start_matches("Kecamatan ")), PositionKind::Administrator)
        }
        UnitKind::Bidang if name.starts_with("Sekretariat") => {
            let owner = parent.map_or(String::new(), |p| format!(" {}", p.record.unit.name));
            (format!("Sekretaris{owner}"), PositionKind::Administrator)
        }
        UnitKind::Bidang => (format!("Kepala {name}"), PositionKind::Administrator),
        UnitKind::Seksi => (format!("Kepala {name}"), PositionKind::Pengawas),
        UnitKind::Kelurahan => (format!("Lurah {}", name.trim_start_matches("Kelurahan ")), PositionKind::Pengawas),
        UnitKind::Upt if unit.focus == Focus::School => {
            ("Kepala Sekolah (Guru Ahli Madya)".to_owned(), PositionKind::AhliMadya)
        }
        UnitKind::Upt => (format!("Kepala {name}"), PositionKind::Administrator),
    }
}

/// Staff titles of a unit, with their kinds and relative frequency.
fn staff_titles(focus: Focus) -> &'static [(&'static str, PositionKind, u32)] {
    use PositionKind::*;
    match focus {
        Focus::School => &[
            ("Guru Ahli Pertama", AhliPertama, 5),
            ("Guru Ahli Muda", AhliMuda, 4),
            ("Guru Ahli Madya", AhliMadya, 2),
            ("Pengelola Administrasi Sekolah", Pelaksana, 1),
        ],
        Focus::HealthService => &[
            ("Dokter Ahli Pertama", AhliPertama, 2),
            ("Perawat Terampil", Terampil, 4),
            ("Perawat Ahli Pertama", AhliPertama, 2),
            ("Bidan Terampil", Terampil, 3),
            ("Pengelola Layanan Kesehatan", Pelaksana, 2),
        ],
        Focus::CleanlinessResponse => &[
            ("Pengawas Kebersihan Lingkungan", Pelaksana, 4),
            ("Penata Layanan Pengaduan Masyarakat", Pelaksana, 2),
            ("Pengendali Dampak Lingkungan Ahli Pertama", AhliPertama, 1),
        ],
        Focus::HrInformationSystems => &[
            ("Analis Sumber Daya Manusia Aparatur Ahli Pertama", AhliPertama, 3),
            ("Pengolah Data Kepegawaian", Pelaksana, 2),
            ("Pranata Komputer Terampil", Terampil, 1),
        ],
        Focus::EducationQuality => &[
            ("Analis Mutu Pendidikan", Pelaksana, 2),
            ("Pengembang Teknologi Pembelajaran Ahli Pertama", AhliPertama, 1),
        ],
        Focus::General => &[
            ("Pengadministrasi Perkantoran", Pelaksana, 3),
            ("Penata Kelola Sistem dan Teknologi Informasi", Pelaksana, 1),
            ("Analis Kebijakan Ahli Muda", AhliMuda, 1),
            ("Perencana Ahli Pertama", AhliPertama, 1),
        ],
    }
}

/// Staff capacity of a unit relative to others.
fn staff_weight(unit: &UnitSpec) -> usize {
    match (unit.record.unit.kind, unit.focus) {
        (UnitKind::Upt, Focus::School) => 24,
        (UnitKind::Upt, Focus::HealthService) => 40,
        (UnitKind::Upt, _) => 20,
        (UnitKind::Seksi | UnitKind::Kelurahan, _) => 6,
        (UnitKind::Bidang, _) => 2,
        _ => 0,
    }
}

/// Generates the whole city for `employees` people in plan year `year`.
pub(crate) fn generate(rng: &mut impl Rng, ids: IdSource, employees: usize, year: i32) -> City {
    let mut builder = skeleton(ids, employees, year);
    // Heads first, shallowest units first, so that every superior precedes their staff.
    let mut order: Vec<usize> = (1..builder.units.len()).collect();
    order.sort_by_key(|&u| builder.units[u].record.depth);
    for &unit in &order {
        let parent = builder.units[unit].parent;
        let (title, kind) = head_title(&builder.units[unit], parent.map(|p| &builder.units[p]));
        // The Sekretaris Daerah is rated by the Mayor, who is outside the civil-service register.
        let superior = parent.and_then(|p| builder.units[p].head).or_else(|| {
            (builder.units[unit].record.depth == 1 && builder.units[unit].record.unit.code.as_str() != "SETDA")
                .then(|| builder.units.iter().find(|u| u.record.unit.code.as_str() == "SETDA").and_then(|u| u.head))
                .flatten()
        });
        let head = builder.add_person(rng, unit, &title, kind, EmploymentType::Pns, superior);
        builder.units[unit].head = Some(head);
    }
    let staff_total = employees.saturating_sub(builder.people.len());
    let weights: Vec<usize> = builder.units.iter().map(staff_weight).collect();
    let weight_sum: usize = weights.iter().sum::<usize>().max(1);
    let mut assigned = 0;
    let mut counts: Vec<usize> = weights.iter().map(|w| staff_total * w / weight_sum).collect();
    assigned += counts.iter().sum::<usize>();
    for (unit, count) in counts.iter_mut().enumerate() {
        if assigned >= staff_total {
            break;
        }
        if weights[unit] > 0 {
            *count += 1;
            assigned += 1;
        }
    }
    for &unit in &order {
        let titles = staff_titles(builder.units[unit].focus);
        let total_weight: u32 = titles.iter().map(|t| t.2).sum();
        for staff_number in 0..counts[unit] {
            let mut pick = rng.random_range(0..total_weight);
            let &(title, kind, _) = titles
                .iter()
                .find(|t| {
                    if pick < t.2 {
                        true
                    } else {
                        pick -= t.2;
                        false
                    }
                })
                .unwrap_or(&titles[0]);
            let employment = if kind != PositionKind::Pelaksana && rng.random_bool(0.2)
                || kind == PositionKind::Pelaksana && rng.random_bool(0.1)
            {
                EmploymentType::Pppk
            } else {
                EmploymentType::Pns
            };
            let head = builder.units[unit].head;
            let person = builder.add_person(rng, unit, title, kind, employment, head);
            // The education-quality situation: the first analyst of a curriculum section is behind.
            if builder.units[unit].focus == Focus::EducationQuality && staff_number == 0 {
                builder.people[person].performance = 0.45;
            }
        }
    }
    City { units: builder.units, positions: builder.positions, people: builder.people }
}
