//! The development records of the demo city, so that training needs, the Indeks Profesionalitas and the
//! talent box have something to work on: qualifications fitting each position, training attended in the
//! year, competency assessments around the expected levels, potential assessments and a few discipline
//! penalties. They are written as import files and loaded through the import path.

use chrono::{Datelike, NaiveDate};
use kinerja_domain::PositionKind;
use kinerja_scoring::{Catalogue, CompetencyKind, Job, ProgrammeCategory};
use kinerja_store::ImportKind;
use rand::Rng;
use rand::seq::IndexedRandom;

use super::DemoOptions;
use super::org::City;

/// Import files in load order: kind and CSV text.
pub(crate) fn files(
    city: &City,
    catalogue: &Catalogue,
    options: &DemoOptions,
    rng: &mut impl Rng,
) -> Vec<(ImportKind, String)> {
    let year = options.year;
    let last_month = u32::from(options.completed_quarters.clamp(1, 4)) * 3;
    let day_in_year = |rng: &mut dyn rand::RngCore| {
        let month = rng.random_range(1..=last_month);
        NaiveDate::from_ymd_opt(year, month, rng.random_range(1..=20)).unwrap_or_default()
    };
    let titles: std::collections::HashMap<uuid::Uuid, &str> =
        city.positions.iter().map(|p| (p.id, p.position.title.as_str())).collect();
    let parents: std::collections::HashMap<uuid::Uuid, (&str, Option<uuid::Uuid>)> =
        city.units.iter().map(|u| (u.record.id, (u.record.unit.code.as_str(), u.record.parent_id))).collect();
    // A unit's code and those above it, which a programme's `for_units` names.
    let unit_codes = |mut unit: Option<uuid::Uuid>| {
        let mut codes = Vec::new();
        while let Some((code, parent)) = unit.and_then(|u| parents.get(&u)) {
            codes.push((*code).to_owned());
            unit = *parent;
        }
        codes
    };
    let courses: Vec<_> = catalogue
        .programmes
        .iter()
        .filter(|p| !matches!(p.category, ProgrammeCategory::Leadership | ProgrammeCategory::Functional))
        .collect();
    let managerial: Vec<_> = catalogue.competencies.iter().filter(|c| c.kind == CompetencyKind::Managerial).collect();

    let mut qualifications = String::from("nip,education,institution,graduated_on\n");
    let mut training = String::from("nip,programme,started_on,finished_on,hours\n");
    let mut assessments = String::from("nip,competency,level,assessed_on,assessor\n");
    let mut talent = String::from("nip,assessed_on,potential,assessor\n");
    let mut discipline = String::from("nip,decided_on,level,penalty\n");
    for person in &city.people {
        let nip = person.record.employee.nip.as_str();
        let roll: f64 = rng.random();
        let (education, age) = match person.kind {
            PositionKind::JptUtama | PositionKind::JptMadya | PositionKind::JptPratama if roll < 0.2 => ("s3", 35),
            PositionKind::JptUtama | PositionKind::JptMadya | PositionKind::JptPratama => ("s2", 30),
            PositionKind::Administrator if roll < 0.6 => ("s2", 30),
            PositionKind::Administrator | PositionKind::Pengawas if roll < 0.7 => ("s1", 23),
            PositionKind::Pengawas | PositionKind::Administrator => ("s2", 30),
            PositionKind::AhliPertama | PositionKind::AhliMuda | PositionKind::AhliMadya | PositionKind::AhliUtama
                if roll < 0.8 =>
            {
                ("s1", 23)
            }
            PositionKind::AhliPertama | PositionKind::AhliMuda | PositionKind::AhliMadya | PositionKind::AhliUtama => {
                ("s2", 30)
            }
            PositionKind::Pemula | PositionKind::Terampil | PositionKind::Mahir | PositionKind::Penyelia
                if roll < 0.8 =>
            {
                ("d3", 21)
            }
            PositionKind::Pemula | PositionKind::Terampil | PositionKind::Mahir | PositionKind::Penyelia => ("d4", 22),
            PositionKind::Pelaksana if roll < 0.4 => ("slta", 18),
            PositionKind::Pelaksana if roll < 0.7 => ("d3", 21),
            PositionKind::Pelaksana => ("s1", 23),
        };
        let born = person.record.employee.nip.birth_date();
        let graduated = NaiveDate::from_ymd_opt((born.year() + age).min(year - 1), 8, 31).unwrap_or(born);
        qualifications.push_str(&format!("{nip},{education},,{graduated}\n"));

        // Leadership training for a share of the structural heads, one to three courses for most.
        let leadership = match person.kind {
            PositionKind::Administrator => catalogue.programme("PKA"),
            PositionKind::Pengawas => catalogue.programme("PKP"),
            _ => None,
        };
        let mut taken = Vec::new();
        if let Some(programme) = leadership.filter(|_| rng.random_bool(0.1)) {
            taken.push(programme);
        }
        // Courses that fit the person's job: nobody attends another profession's training.
        let title = titles.get(&person.record.position_id).copied().unwrap_or_default();
        let units = unit_codes(Some(person.record.unit_id));
        let job = Job { kind: person.kind, title, units: &units };
        let fitting: Vec<_> = courses.iter().copied().filter(|p| p.fits(&job)).collect();
        let courses_taken = if rng.random_bool(0.65) { rng.random_range(1..=3) } else { 0 };
        for programme in fitting.choose_multiple(rng, courses_taken) {
            taken.push(programme);
        }
        for programme in taken {
            let start = day_in_year(rng);
            let days = i64::from(programme.hours.div_ceil(8).max(1)) - 1;
            let end = start + chrono::Duration::days(days);
            training.push_str(&format!("{nip},{},{start},{end},{}\n", programme.name, programme.hours));
        }

        let expected = catalogue.expected_levels(person.kind, title);
        if rng.random_bool(0.25) {
            let on = day_in_year(rng);
            for competency in managerial.choose_multiple(rng, 3) {
                let want = i32::from(expected.get(competency.code.as_str()).copied().unwrap_or(1));
                let level = match rng.random_range(0..100) {
                    0..25 => want - 1,
                    25..80 => want,
                    _ => want + 1,
                }
                .clamp(1, 5);
                assessments
                    .push_str(&format!("{nip},{},{level},{on},UPT Penilaian Kompetensi BKPSDM\n", competency.name));
            }
        }

        if person.kind.is_managerial() || rng.random_bool(0.2) {
            // Potential leans on the latent performance that also drives the year's results.
            let potential = match person.performance + rng.random_range(-0.2..0.2) {
                p if p >= 1.15 => "tinggi",
                p if p >= 0.85 => "menengah",
                _ => "rendah",
            };
            talent.push_str(&format!("{nip},{},{potential},Tim Penilai Kinerja\n", day_in_year(rng)));
        }

        let penalty = match rng.random_range(0..10_000) {
            0..150 => Some(("ringan", "teguran tertulis")),
            150..180 => Some(("sedang", "pemotongan tunjangan kinerja 25% selama 6 bulan")),
            180..185 => Some(("berat", "penurunan jabatan setingkat lebih rendah selama 12 bulan")),
            _ => None,
        };
        if let Some((level, text)) = penalty {
            discipline.push_str(&format!("{nip},{},{level},{text}\n", day_in_year(rng)));
        }
    }
    vec![
        (ImportKind::Qualifications, qualifications),
        (ImportKind::TrainingRecords, training),
        (ImportKind::CompetencyAssessments, assessments),
        (ImportKind::TalentAssessments, talent),
        (ImportKind::DisciplineRecords, discipline),
    ]
}
