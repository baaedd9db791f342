//! The columns of each kind, as documented in `docs/import.md`.

use kinerja_store::ImportKind;

/// One column of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub meaning: &'static str,
}

const fn required(name: &'static str, meaning: &'static str) -> Column {
    Column { name, required: true, meaning }
}

const fn optional(name: &'static str, meaning: &'static str) -> Column {
    Column { name, required: false, meaning }
}

const UNITS: &[Column] = &[
    required("code", "unit code, the natural key (e.g. DINKES-PKM-GILINGAN)"),
    required("name", "unit name"),
    required("kind", "city, perangkat_daerah, bidang, seksi, upt, kecamatan or kelurahan"),
    optional("parent_code", "code of the parent unit (in the database or the file); empty only for the city"),
];

const POSITIONS: &[Column] = &[
    required("code", "position code, the natural key"),
    required("title", "position title"),
    required("kind", "jenis jabatan, e.g. pengawas, pelaksana, ahli_pertama"),
    required("unit_code", "the unit the position belongs to"),
];

const EMPLOYEES: &[Column] = &[
    required("nip", "18-digit NIP, the natural key"),
    required("name", "full name"),
    required("employment_type", "pns or pppk"),
    required("rank", "golongan/ruang (III/a) or PPPK grade (IX)"),
    required("position_code", "the employee's position"),
    required("unit_code", "the employee's unit (the position's unit)"),
    optional("superior_nip", "NIP of the direct superior (the rater), in the database or the file"),
];

const PLANS: &[Column] = &[
    required("nip", "the plan's employee"),
    required("year", "plan year"),
    optional("approach", "kuantitatif (default) or kualitatif"),
    optional("status", "draft, submitted, approved (default) or finalised"),
    required("result_code", "work result (RHK) code within the plan, e.g. RHK-1"),
    optional("section", "utama (default) or tambahan"),
    required("result_description", "the work result"),
    optional("perspective", "perspective of a JPT's work result"),
    optional("parent_result_code", "the rater's work result this one cascades from"),
    required("indicator_code", "indicator (IKI) code within the work result, e.g. IKI-1"),
    required("indicator_description", "the indicator"),
    required("aspect", "kuantitas, kualitas, waktu or biaya"),
    required("target_kind", "at_least, at_most or between"),
    optional("target_low", "the target of at_least, or the lower bound of between"),
    optional("target_high", "the target of at_most, or the upper bound of between"),
    required("unit_of_measure", "e.g. dokumen, %, jam"),
    optional("accumulation", "sum (default), latest or mean: how periodic realisations add up"),
];

const REALISATIONS: &[Column] = &[
    required("nip", "the plan's employee"),
    required("year", "plan year"),
    required("result_code", "work result code"),
    required("indicator_code", "indicator code"),
    required("period", "2026, 2026-S1, 2026-Q3 or 2026-07, within the plan year"),
    required("value", "the realised value"),
    optional("evidence_note", "what the evidence is"),
    optional("evidence_link", "where the evidence is (http or https)"),
];

const TRAINING_RECORDS: &[Column] = &[
    required("nip", "the employee"),
    required("programme", "training programme"),
    required("started_on", "first day (YYYY-MM-DD or DD/MM/YYYY)"),
    required("finished_on", "last day"),
    required("hours", "lesson hours (JP) credited"),
    optional("certificate", "certificate number or reference"),
];

const COMPETENCY_ASSESSMENTS: &[Column] = &[
    required("nip", "the employee"),
    required("competency", "competency assessed, e.g. Integritas, Kerja Sama, Manajemen SDM"),
    required("level", "assessed level, 1 to 5"),
    required("assessed_on", "date of the assessment"),
    optional("assessor", "who assessed"),
];

const TALENT_ASSESSMENTS: &[Column] = &[
    required("nip", "the employee"),
    required("assessed_on", "date of the talent assessment"),
    required("potential", "rendah, menengah or tinggi"),
    optional("assessor", "who assessed"),
];

const QUALIFICATIONS: &[Column] = &[
    required("nip", "the employee"),
    required("education", "s3, s2, s1, d4, d3, d2, d1 or slta"),
    optional("institution", "where"),
    required("graduated_on", "date of graduation"),
];

const DISCIPLINE_RECORDS: &[Column] = &[
    required("nip", "the employee"),
    required("decided_on", "date of the decision"),
    required("level", "ringan, sedang or berat (PP 94/2021)"),
    required("penalty", "the penalty imposed, e.g. teguran tertulis"),
];

const PAST_RESULTS: &[Column] = &[
    required("nip", "the employee"),
    required("year", "a year that has ended and that kinerja holds no plan for"),
    optional("score", "Nilai Prestasi Kerja (PP 46/2011) or Nilai Kinerja (2021); none from 2022 on"),
    optional(
        "predikat",
        "the predikat; follows from the score when omitted, required from 2022 on and for a 2021 score of Sangat Baik",
    ),
    optional("source", "where the result comes from, e.g. e-Kinerja BKN or the signed SKP"),
];

const ORGANISATION_PREDIKAT: &[Column] = &[
    required("unit_code", "the perangkat daerah"),
    required("year", "the year"),
    required("predikat", "istimewa, baik, butuh_perbaikan, kurang or sangat_kurang"),
];

const BEHAVIOUR_RATINGS: &[Column] = &[
    required("nip", "the plan's employee"),
    required("year", "plan year; the plan must be approved"),
    optional("period", "the period rated (the plan year by default), e.g. 2026-Q2 for a periodic evaluation"),
    required("value", "berorientasi_pelayanan, akuntabel, kompeten, harmonis, loyal, adaptif or kolaboratif"),
    required("level", "below_expectation, as_expected or above_expectation"),
    optional("expectation", "the leader's specific expectation; the one set at planning when omitted"),
    optional("note", "the rater's note"),
];

/// The columns (CSV header names, JSON Lines field names) of a kind.
pub fn columns(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Units => UNITS,
        ImportKind::Positions => POSITIONS,
        ImportKind::Employees => EMPLOYEES,
        ImportKind::Plans => PLANS,
        ImportKind::Realisations => REALISATIONS,
        ImportKind::TrainingRecords => TRAINING_RECORDS,
        ImportKind::CompetencyAssessments => COMPETENCY_ASSESSMENTS,
        ImportKind::TalentAssessments => TALENT_ASSESSMENTS,
        ImportKind::Qualifications => QUALIFICATIONS,
        ImportKind::DisciplineRecords => DISCIPLINE_RECORDS,
        ImportKind::PastResults => PAST_RESULTS,
        ImportKind::OrganisationPredikat => ORGANISATION_PREDIKAT,
        ImportKind::BehaviourRatings => BEHAVIOUR_RATINGS,
    }
}
