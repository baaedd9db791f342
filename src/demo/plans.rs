//! Plans of the demo city: work results cascading from the rater's, indicators with targets, quarterly
//! realisations with evidence, behaviour ratings and feedback.

use chrono::{TimeZone, Utc};
use kinerja_domain::{
    Accumulation, Approach, Aspect, BehaviourRating, BerakhlakValue, Evidence, FeedbackKind, FeedbackNote, Indicator,
    Period, Plan, PlanStatus, PositionKind, RatingLevel, Realisation, Target, WorkResult, WorkResultSection,
};
use kinerja_store::Batch;
use kinerja_store::records::*;
use rand::Rng;
use rand::seq::IndexedRandom;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::org::{City, Focus};
use super::{DemoOptions, IdSource};

/// One indicator to plan: description, aspect, target, unit of measure, accumulation, and the activity
/// kind it is counted from, if any.
struct IndicatorTemplate {
    description: String,
    aspect: Aspect,
    target: Target,
    unit_of_measure: &'static str,
    accumulation: Accumulation,
    activity: Option<&'static str>,
}

fn number(value: i64) -> Decimal {
    Decimal::from(value)
}

fn at_least(value: i64) -> Target {
    Target::at_least(number(value)).expect("positive target")
}

fn templates(rng: &mut impl Rng, focus: Focus, topic: &str, managerial: bool) -> Vec<IndicatorTemplate> {
    use Accumulation::*;
    use Aspect::*;
    let template = |description: String, aspect, target, unit_of_measure, accumulation, activity| IndicatorTemplate {
        description,
        aspect,
        target,
        unit_of_measure,
        accumulation,
        activity,
    };
    match focus {
        Focus::EducationQuality => vec![
            template(
                "Persentase sekolah dasar binaan yang memenuhi standar nasional pendidikan".into(),
                Kualitas,
                at_least(80),
                "%",
                Latest,
                None,
            ),
            template(
                "Jumlah guru yang mendapat pendampingan implementasi kurikulum".into(),
                Kuantitas,
                at_least(rng.random_range(8..16) * 10),
                "orang",
                Sum,
                None,
            ),
            template(
                "Persentase rekomendasi hasil supervisi akademik yang ditindaklanjuti".into(),
                Kualitas,
                at_least(85),
                "%",
                Latest,
                None,
            ),
        ],
        Focus::CleanlinessResponse => vec![
            template(
                "Rata-rata waktu tanggap laporan kebersihan dari warga".into(),
                Waktu,
                Target::at_most(number(24)).expect("target"),
                "jam",
                Mean,
                Some("cleanliness_report"),
            ),
            template(
                "Persentase laporan kebersihan warga yang tuntas dalam 48 jam".into(),
                Kualitas,
                at_least(90),
                "%",
                Latest,
                Some("cleanliness_report"),
            ),
            template(
                format!("Luas area {topic} yang dibersihkan sesuai jadwal"),
                Kuantitas,
                at_least(rng.random_range(20..60) * 10),
                "hektare",
                Sum,
                None,
            ),
        ],
        Focus::HealthService => vec![
            template(
                "Jumlah kunjungan pelayanan kesehatan yang dilayani".into(),
                Kuantitas,
                at_least(rng.random_range(10..16) * 100),
                "kunjungan",
                Sum,
                Some("health_service_visit"),
            ),
            template(
                "Indeks kepuasan pasien terhadap pelayanan".into(),
                Kualitas,
                Target::between(number(80), number(100)).expect("range"),
                "indeks",
                Mean,
                None,
            ),
            template(
                "Persentase rekam medis elektronik yang lengkap".into(),
                Kualitas,
                at_least(95),
                "%",
                Latest,
                Some("health_service_visit"),
            ),
        ],
        Focus::HrInformationSystems => vec![
            template(
                "Persentase data kepegawaian yang dimutakhirkan di SIASN".into(),
                Kualitas,
                at_least(95),
                "%",
                Latest,
                None,
            ),
            template(
                "Jumlah layanan kepegawaian yang diselesaikan melalui aplikasi".into(),
                Kuantitas,
                at_least(rng.random_range(30..60) * 10),
                "layanan",
                Sum,
                None,
            ),
            template(
                "Rata-rata waktu penyelesaian usulan layanan kepegawaian".into(),
                Waktu,
                Target::at_most(number(5)).expect("target"),
                "hari kerja",
                Mean,
                None,
            ),
        ],
        Focus::School => vec![
            template(
                "Jumlah jam pembelajaran tatap muka yang dilaksanakan".into(),
                Kuantitas,
                at_least(rng.random_range(22..26) * 32),
                "jam pelajaran",
                Sum,
                Some("class_taught"),
            ),
            template(
                "Persentase peserta didik yang mencapai kriteria ketuntasan".into(),
                Kualitas,
                at_least(80),
                "%",
                Latest,
                None,
            ),
            template(
                "Jumlah perangkat pembelajaran yang disusun".into(),
                Kuantitas,
                at_least(rng.random_range(4..8) * 2),
                "dokumen",
                Sum,
                None,
            ),
        ],
        Focus::General => {
            let mut list = vec![
                template(
                    format!("Jumlah dokumen {topic} yang diselesaikan"),
                    Kuantitas,
                    at_least(rng.random_range(3..13) * 2),
                    "dokumen",
                    Sum,
                    None,
                ),
                template(
                    format!("Persentase kegiatan {topic} yang sesuai standar"),
                    Kualitas,
                    at_least(90),
                    "%",
                    Latest,
                    None,
                ),
                template(
                    format!("Rata-rata waktu penyelesaian layanan {topic}"),
                    Waktu,
                    Target::at_most(number(rng.random_range(3..8))).expect("target"),
                    "hari kerja",
                    Mean,
                    None,
                ),
            ];
            if managerial {
                list.push(template(
                    format!("Persentase realisasi anggaran {topic}"),
                    Biaya,
                    Target::between(number(90), number(100)).expect("range"),
                    "%",
                    Latest,
                    None,
                ));
            }
            list
        }
    }
}

const RESULT_VERBS: &[&str] = &["Terlaksananya", "Meningkatnya kualitas", "Tersusunnya laporan", "Terselesaikannya"];
const PERSPECTIVES: &[&str] = &["Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Anggaran"];

fn expectation(value: BerakhlakValue) -> &'static str {
    match value {
        BerakhlakValue::BerorientasiPelayanan => "Melayani warga dengan cepat, ramah dan tuntas",
        BerakhlakValue::Akuntabel => "Menyelesaikan pekerjaan tepat waktu dengan bukti dukung yang lengkap",
        BerakhlakValue::Kompeten => "Menguasai aplikasi kerja dan terus meningkatkan keterampilan",
        BerakhlakValue::Harmonis => "Menjaga suasana kerja yang saling menghargai",
        BerakhlakValue::Loyal => "Menjaga nama baik instansi dan rahasia jabatan",
        BerakhlakValue::Adaptif => "Cepat menyesuaikan diri dengan perubahan prosedur",
        BerakhlakValue::Kolaboratif => "Aktif bekerja sama lintas bidang",
    }
}

pub(crate) struct Planner<'a> {
    city: &'a City,
    options: DemoOptions,
    /// Work result ids of every person planned so far, to link subordinates' results to them.
    work_results: Vec<Vec<Uuid>>,
    timestamp: chrono::DateTime<Utc>,
    ids: IdSource,
}

impl<'a> Planner<'a> {
    pub(crate) fn new(city: &'a City, options: DemoOptions, ids: IdSource) -> Self {
        let timestamp = Utc.with_ymd_and_hms(options.year, 1, 15, 2, 0, 0).single().unwrap_or_else(Utc::now);
        Self { city, options, work_results: vec![Vec::new(); city.people.len()], timestamp, ids }
    }

    /// Adds the plan of person `index` (whose rater was planned before) to `batch`.
    pub(crate) fn plan_for(&mut self, index: usize, rng: &mut impl Rng, batch: &mut Batch) {
        let person = &self.city.people[index];
        let unit = &self.city.units[person.unit];
        let year = self.options.year;
        let mut plan = Plan::new(year, Approach::Kuantitatif).expect("demo year is valid");
        plan.status = PlanStatus::Approved;
        let plan_record = PlanRecord {
            id: self.ids.next_id(),
            employee_id: person.record.id,
            rater_id: person.record.superior_id,
            plan,
            version: 1,
            created_at: self.timestamp,
            updated_at: self.timestamp,
        };
        let managerial = person.kind.is_managerial();
        let parent_results = person.superior.map(|s| self.work_results[s].clone()).unwrap_or_default();
        let is_top = parent_results.is_empty();
        let main_results = if is_top { 3 } else { 2 };
        let mut indicators = templates(rng, unit.focus, &unit.topic, managerial);
        let indicator_count = rng.random_range(3..=6).min(indicators.len() + main_results);
        while indicators.len() < indicator_count {
            let extra =
                templates(rng, Focus::General, &unit.topic, false).into_iter().next().expect("general templates");
            indicators.push(IndicatorTemplate { description: format!("{} (lanjutan)", extra.description), ..extra });
        }
        indicators.truncate(indicator_count);

        let mut result_ids = Vec::new();
        for ordinal in 0..main_results {
            let verb = RESULT_VERBS[(index + ordinal) % RESULT_VERBS.len()];
            let description = match unit.focus {
                Focus::EducationQuality if ordinal == 0 => format!(
                    "Meningkatnya mutu pembelajaran melalui program peningkatan kualitas pendidikan ({})",
                    unit.topic
                ),
                _ => format!(
                    "{verb} {} {}",
                    unit.topic,
                    if ordinal == 0 { "sesuai target kinerja" } else { "yang akuntabel" }
                ),
            };
            let perspective = is_top.then(|| PERSPECTIVES[ordinal % PERSPECTIVES.len()].to_owned());
            let record = WorkResultRecord {
                id: self.ids.next_id(),
                plan_id: plan_record.id,
                code: format!("RHK-{}", ordinal + 1),
                work_result: WorkResult::new(description, WorkResultSection::Utama, perspective).expect("description"),
                parent_id: (!parent_results.is_empty())
                    .then(|| parent_results[(index + ordinal) % parent_results.len()]),
                ordinal: ordinal as i32,
            };
            result_ids.push(record.id);
            batch.work_results.push(record);
        }
        if !managerial && rng.random_bool(0.3) {
            batch.work_results.push(WorkResultRecord {
                id: self.ids.next_id(),
                plan_id: plan_record.id,
                code: format!("RHK-{}", main_results + 1),
                work_result: WorkResult::new(
                    "Membantu kegiatan lintas bidang atas penugasan pimpinan",
                    WorkResultSection::Tambahan,
                    None,
                )
                .expect("description"),
                parent_id: None,
                ordinal: main_results as i32,
            });
        }
        self.work_results[index] = result_ids.clone();

        let performance = person.performance;
        for (ordinal, template) in indicators.into_iter().enumerate() {
            let work_result = result_ids[ordinal % result_ids.len()];
            let indicator = Indicator::new(
                template.description,
                template.aspect,
                template.target,
                template.unit_of_measure,
                template.accumulation,
            )
            .expect("demo indicators are valid");
            let record = IndicatorRecord {
                id: self.ids.next_id(),
                work_result_id: work_result,
                code: format!("IKI-{}", ordinal + 1),
                indicator,
                ordinal: ordinal as i32,
            };
            self.realise(rng, &record, performance, template.activity, batch);
            batch.indicators.push(record);
        }

        for value in BerakhlakValue::ALL {
            let mut level = if performance > 1.12 && rng.random_bool(0.5) {
                RatingLevel::AboveExpectation
            } else if performance < 0.8 && rng.random_bool(0.4) {
                RatingLevel::BelowExpectation
            } else {
                RatingLevel::AsExpected
            };
            let mut note = None;
            if unit.focus == Focus::HrInformationSystems
                && *value == BerakhlakValue::Kompeten
                && person.kind != PositionKind::Administrator
            {
                level = RatingLevel::BelowExpectation;
                note = Some(
                    "Belum menguasai aplikasi SIASN dan e-Kinerja; perlu pelatihan perangkat lunak manajemen SDM"
                        .to_owned(),
                );
            }
            batch.behaviour_ratings.push(BehaviourRatingRecord {
                id: self.ids.next_id(),
                plan_id: plan_record.id,
                period: Period::Year(year),
                rating: BehaviourRating {
                    value: *value,
                    level,
                    expectation: Some(expectation(*value).to_owned()),
                    note,
                },
            });
        }

        let rater = person.record.superior_id;
        if unit.focus == Focus::HrInformationSystems && person.kind != PositionKind::Administrator {
            batch.feedback.push(self.feedback(
                &plan_record,
                FeedbackNote::new(
                    FeedbackKind::Suggestion,
                    "Pemutakhiran data di SIASN masih lambat. Mohon ikuti pelatihan aplikasi manajemen SDM dan minta pendampingan Pranata Komputer.",
                    Some(BerakhlakValue::Kompeten),
                )
                .expect("text"),
                rater,
            ));
        } else if rater.is_some() && rng.random_bool(0.25) {
            let (kind, text) = if performance >= 1.0 {
                (FeedbackKind::Praise, "Capaian triwulan ini baik dan bukti dukung lengkap. Pertahankan.")
            } else {
                (FeedbackKind::Suggestion, *["Capaian masih di bawah target; mari susun rencana tindak lanjut pada dialog kinerja berikutnya.", "Lengkapi bukti dukung realisasi sebelum akhir triwulan."].choose(rng).unwrap_or(&""))
            };
            batch.feedback.push(self.feedback(&plan_record, FeedbackNote::new(kind, text, None).expect("text"), rater));
        }
        // A performance dialogue in most completed quarters, held by the rater; drawn from the index, not
        // from `rng`, so that the rest of the city stays as it was for a seed.
        if let Some(rater) = rater {
            for quarter in 1..=self.options.completed_quarters.clamp(1, 4) {
                if (index + usize::from(quarter)).is_multiple_of(3) {
                    continue;
                }
                let held_on =
                    chrono::NaiveDate::from_ymd_opt(year, u32::from(quarter) * 3, 10).expect("a day of the year");
                batch.dialogues.push(DialogueRecord {
                    id: self.ids.next_id(),
                    plan_id: plan_record.id,
                    held_on,
                    participants: "Atasan langsung; pegawai".to_owned(),
                    summary: format!(
                        "Dialog kinerja triwulan {quarter}: capaian, hambatan dan dukungan yang dibutuhkan"
                    ),
                    agreed_actions: "Tindak lanjut dan langkah pengembangan dicatat untuk triwulan berikutnya"
                        .to_owned(),
                    recorded_by: Some(rater),
                    created_at: self.timestamp,
                });
            }
        }
        batch.plans.push(plan_record);
    }

    fn feedback(&mut self, plan: &PlanRecord, note: FeedbackNote, author: Option<Uuid>) -> FeedbackRecord {
        FeedbackRecord {
            id: self.ids.next_id(),
            plan_id: plan.id,
            work_result_id: None,
            indicator_id: None,
            note,
            author_id: author,
            created_at: self.timestamp,
        }
    }

    fn realise(
        &mut self,
        rng: &mut impl Rng,
        indicator: &IndicatorRecord,
        performance: f64,
        activity: Option<&str>,
        batch: &mut Batch,
    ) {
        let quarters = usize::from(self.options.completed_quarters.clamp(1, 4));
        for (number, period) in Period::quarters(self.options.year).into_iter().take(quarters).enumerate() {
            let noise = rng.random_range(0.88..1.12);
            let (low, high) = indicator.indicator.target.bounds();
            let to_f64 = |d: Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
            let raw = match (indicator.indicator.accumulation, indicator.indicator.target) {
                (Accumulation::Sum, _) => to_f64(low) / 4.0 * performance * noise,
                (_, Target::AtMost { .. }) => to_f64(high) / performance * noise,
                (_, Target::Between { .. }) => (to_f64(low) + to_f64(high)) / 2.0 * performance.min(1.05) * noise,
                _ => (to_f64(low) * performance * noise).min(if indicator.indicator.unit_of_measure == "%" {
                    100.0
                } else {
                    f64::MAX
                }),
            };
            let value = Decimal::from_f64_retain(raw.max(0.0))
                .unwrap_or_default()
                .round_dp(if indicator.indicator.accumulation == Accumulation::Sum { 0 } else { 1 });
            let (note, source) = match activity {
                Some("health_service_visit") => (
                    format!(
                        "Rekap {value} catatan dari aplikasi pelayanan kesehatan Dinas Kesehatan, triwulan {}",
                        number + 1
                    ),
                    "activity:health_service_visit",
                ),
                Some("cleanliness_report") => (
                    format!(
                        "Dihitung dari {} laporan warga (waktu diterima–ditangani) di aplikasi pengaduan kebersihan",
                        rng.random_range(20..80)
                    ),
                    "activity:cleanliness_report",
                ),
                Some("class_taught") => {
                    (format!("Jurnal mengajar: {value} jam pelajaran tercatat"), "activity:class_taught")
                }
                _ => (format!("Laporan capaian triwulan {}", number + 1), "manual"),
            };
            let evidence = Evidence::new(
                Some(note),
                Some(format!("https://kinerja.surakarta.go.id/bukti/{}", self.ids.next_id())),
            )
            .expect("evidence");
            batch.realisations.push(RealisationRecord {
                id: self.ids.next_id(),
                indicator_id: indicator.id,
                realisation: Realisation::new(period, value, evidence).expect("non-negative"),
                source: source.to_owned(),
                recorded_at: self.timestamp,
                version: 1,
            });
        }
    }
}
