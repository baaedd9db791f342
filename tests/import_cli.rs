//! `kinerja import` on SQLite and PostgreSQL: the documented samples, every class of bad row reported by
//! file, line and column, all-or-nothing on a failing last row, dry runs, and re-imports that change nothing.

use std::path::Path;
use std::process::{Command, Output};

use kinerja_store::test_support::TestDatabase;
use kinerja_store::{Store, StoreOptions};

fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(args)
        .env("KINERJA__LOG__FILTER", "warn")
        .output()
        .expect("kinerja runs")
}

/// The samples of docs/import.md in the order an agency loads them, with the flags their format needs.
const SAMPLES: [(&str, &str, &[&str]); 13] = [
    ("units", "docs/import/units.csv", &[]),
    ("positions", "docs/import/positions.csv", &[]),
    ("employees", "docs/import/employees.csv", &[]),
    ("plans", "docs/import/plans.csv", &[]),
    ("realisations", "docs/import/realisations.csv", &["--decimal-comma"]),
    ("training-records", "docs/import/training-records.jsonl", &[]),
    ("competency-assessments", "docs/import/competency-assessments.csv", &[]),
    ("talent-assessments", "docs/import/talent-assessments.csv", &[]),
    ("qualifications", "docs/import/qualifications.csv", &[]),
    ("discipline-records", "docs/import/discipline-records.csv", &[]),
    ("past-results", "docs/import/past-results.csv", &[]),
    ("organisation-predikat", "docs/import/organisation-predikat.csv", &[]),
    ("behaviour-ratings", "docs/import/behaviour-ratings.csv", &[]),
];

fn import(url: &str, kind: &str, file: &str, flags: &[&str]) -> Output {
    let mut args = vec!["import", kind, file, "--database", url];
    args.extend_from_slice(flags);
    kinerja(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn row_counts(url: &str) -> Vec<(&'static str, u64)> {
    let store = Store::connect(StoreOptions::new(url)).await.unwrap();
    let counts = store.row_counts().await.unwrap();
    store.close().await.unwrap();
    counts
}

fn write(folder: &Path, name: &str, text: &str) -> String {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

async fn check(url: &str) {
    // Each sample imports into an empty database, in order.
    let mut first = Vec::new();
    for (kind, file, flags) in SAMPLES {
        let output = import(url, kind, file, flags);
        assert!(output.status.success(), "{kind}: {}", stderr(&output));
        first.push(stdout(&output));
    }
    assert_eq!(first[2], "employees: 5 rows: 5 inserted, 0 updated, 0 unchanged");
    assert_eq!(first[4], "realisations: 4 rows: 4 inserted, 0 updated, 0 unchanged");
    assert_eq!(first[10], "past-results: 6 rows: 6 inserted, 0 updated, 0 unchanged");
    assert_eq!(first[11], "organisation-predikat: 1 rows: 1 inserted, 0 updated, 0 unchanged");
    assert_eq!(first[12], "behaviour-ratings: 7 rows: 7 inserted, 0 updated, 0 unchanged");
    let loaded = row_counts(url).await;

    // Importing the same files again changes nothing, not even the audit log.
    for (kind, file, flags) in SAMPLES {
        let output = import(url, kind, file, flags);
        assert!(output.status.success(), "{kind}: {}", stderr(&output));
        assert!(
            stdout(&output).ends_with(" 0 inserted, 0 updated, 4 unchanged")
                || stdout(&output).contains(" 0 inserted, 0 updated,"),
            "{}",
            stdout(&output)
        );
    }
    assert_eq!(row_counts(url).await, loaded);

    let folder = tempfile::tempdir().unwrap();
    // A changed row updates its record; a dry run reports it and writes nothing.
    let changed = write(
        folder.path(),
        "realisations.csv",
        "nip,year,result_code,indicator_code,period,value,evidence_note\n198307112009022001,2025,RHK-1,IKI-1,2025-Q1,3010,Rekap SIMPUS triwulan I (revisi)\n",
    );
    let dry = import(url, "realisations", &changed, &["--dry-run"]);
    assert_eq!(stdout(&dry), "realisations: 1 rows: 0 inserted, 1 updated, 0 unchanged (dry run: nothing was written)");
    assert_eq!(row_counts(url).await, loaded);
    let updated = import(url, "realisations", &changed, &[]);
    assert_eq!(stdout(&updated), "realisations: 1 rows: 0 inserted, 1 updated, 0 unchanged");
    let after: Vec<_> = row_counts(url).await;
    let count = |counts: &[(&str, u64)], table: &str| counts.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(
        count(&after, "realisation_history"),
        count(&loaded, "realisation_history") + 1,
        "the old value is kept"
    );
    let before_bad = row_counts(url).await;

    // Every class of bad row, all reported with file:line:column, and nothing written.
    let bad = write(
        folder.path(),
        "employees.csv",
        "nip,name,employment_type,rank,position_code,unit_code,superior_nip\n\
         199001012015011001,Andi,pns,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-GILINGAN,\n\
         19900101201501100X,Budi,pns,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-GILINGAN,\n\
         199001012015012002,Citra,pns,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-JEBRES,\n\
         199001012015011001,Andi lagi,pns,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-GILINGAN,\n\
         199001012015012003,Dewi,pppk,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-GILINGAN,\n\
         199001012015012004,Eka,pns,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-GILINGAN,199001012015012999\n",
    );
    let refused = import(url, "employees", &bad, &[]);
    assert!(!refused.status.success());
    let report = stderr(&refused);
    for expected in [
        format!("{bad}:3:1: nip: "),
        format!("{bad}:4:6: unit_code: no unit has code DINKES-PKM-JEBRES"),
        format!("{bad}:5:1: nip: repeats the key of line 2"),
        format!("{bad}:6:4: rank: "),
        format!("{bad}:7:7: superior_nip: no employee has NIP 199001012015012999"),
    ] {
        assert!(report.contains(&expected), "missing {expected:?} in:\n{report}");
    }
    assert!(report.contains("nothing was imported"), "{report}");

    // A cycle of superiors across the file and the database.
    let cycle = write(
        folder.path(),
        "cycle.csv",
        "nip,name,employment_type,rank,position_code,unit_code,superior_nip\n\
         197204151998031004,dr. Siti Wahyuningsih,pns,IV/c,DINKES-KADIS,DINKES,199402282019032002\n",
    );
    let refused = import(url, "employees", &cycle, &[]);
    assert!(
        stderr(&refused).contains(":2:7: superior_nip: the chain of superiors from 197204151998031004 comes back"),
        "{}",
        stderr(&refused)
    );

    // A unit placed below its own descendant, and an unknown column.
    let units = write(
        folder.path(),
        "units.csv",
        "code,name,kind,parent_code\nDINKES,Dinas Kesehatan,perangkat_daerah,DINKES-YANKES\n",
    );
    assert!(stderr(&import(url, "units", &units, &[])).contains(":2:4: parent_code: "), "a cycle in the unit tree");
    let columns = write(folder.path(), "positions.csv", "code,title,kind,unit,salary\nX,Y,pelaksana,SKA,1\n");
    let report = stderr(&import(url, "positions", &columns, &[]));
    assert!(
        report.contains(":1:4: unknown column \"unit\"") && report.contains("the required column unit_code is missing"),
        "{report}"
    );

    // The same realisation twice in one file (a waiting time, averaged: months are fine).
    let twice = write(
        folder.path(),
        "twice.csv",
        "nip,year,result_code,indicator_code,period,value,evidence_note\n\
         199402282019032002,2025,RHK-1,IKI-2,2025-06,25,Survei\n\
         199402282019032002,2025,RHK-1,IKI-2,2025-06,26,Survei\n",
    );
    let report = stderr(&import(url, "realisations", &twice, &[]));
    assert!(report.contains("twice.csv:3:5: period: repeats the key of line 2"), "{report}");

    // A large file whose last row is bad leaves the database exactly as it was.
    let mut rows = String::from("nip,year,result_code,indicator_code,period,value,evidence_note\n");
    for month in 1..=12 {
        rows.push_str(&format!("199402282019032002,2025,RHK-1,IKI-2,2025-{month:02},{},Survei\n", 20 + month));
    }
    rows.push_str("199402282019032002,2025,RHK-1,IKI-9,2025-12,1,Register\n");
    let last_bad = write(folder.path(), "last.csv", &rows);
    let refused = import(url, "realisations", &last_bad, &[]);
    assert_eq!(stderr(&refused).lines().filter(|l| l.contains("last.csv:")).count(), 1, "{}", stderr(&refused));
    assert!(stderr(&refused).contains("last.csv:14:4: indicator_code: the work result has no indicator IKI-9"));

    assert_eq!(row_counts(url).await, before_bad, "nothing of any refused file was kept");

    // Import applies the rules the mutations apply: one granularity for a summed indicator (visits,
    // realised per quarter), an approved plan, a period that has begun, a plan year kinerja keeps.
    let next_year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) + 1;
    let plans = write(
        folder.path(),
        "draft.csv",
        &format!(
            "nip,year,status,result_code,result_description,indicator_code,indicator_description,aspect,target_kind,target_low,unit_of_measure\n\
             199610052022031001,2025,draft,RHK-1,Asuhan keperawatan,IKI-1,Pasien dilayani,kuantitas,at_least,900,pasien\n\
             199610052022031001,{next_year},approved,RHK-1,Asuhan keperawatan,IKI-1,Pasien dilayani,kuantitas,at_least,900,pasien\n\
             199610052022031001,2020,approved,RHK-1,Asuhan keperawatan,IKI-1,Pasien dilayani,kuantitas,at_least,900,pasien\n"
        ),
    );
    let report = stderr(&import(url, "plans", &plans, &[]));
    assert!(report.contains(":4:2: year: 2020 falls under Peraturan Pemerintah Nomor 46"), "{report}");
    let plans_now = write(
        folder.path(),
        "draft-now.csv",
        &std::fs::read_to_string(&plans).unwrap().lines().take(3).collect::<Vec<_>>().join("\n"),
    );
    let imported = import(url, "plans", &plans_now, &[]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let ruled = write(
        folder.path(),
        "ruled.csv",
        &format!(
            "nip,year,result_code,indicator_code,period,value,evidence_note\n\
             199402282019032002,2025,RHK-1,IKI-1,2025-06,150,Register\n\
             199610052022031001,2025,RHK-1,IKI-1,2025-Q1,200,Register\n\
             199610052022031001,{next_year},RHK-1,IKI-1,{next_year}-Q4,200,Register\n"
        ),
    );
    let report = stderr(&import(url, "realisations", &ruled, &[]));
    for expected in [
        "ruled.csv:2:5: period: IKI-1 is summed and realised per quarter (2025-Q1), so 2025-06 cannot be added".to_owned(),
        "ruled.csv:3:2: year: the 2025 plan of 199610052022031001 is draft; realisations are recorded on approved plans".to_owned(),
        format!("ruled.csv:4:5: period: {next_year}-Q4 has not begun"),
    ] {
        assert!(report.contains(&expected), "missing {expected:?} in:\n{report}");
    }

    // Past results agree with their year's rule pack and never stand beside a plan kinerja holds.
    let past = write(
        folder.path(),
        "past.csv",
        "nip,year,score,predikat\n\
         198307112009022001,2018,70,baik\n\
         198307112009022001,2022,85,baik\n\
         198307112009022001,2025,,baik\n\
         199610052022031001,2019,90,\n\
         198307112009022001,2010,80,\n",
    );
    let report = stderr(&import(url, "past-results", &past, &[]));
    for expected in [
        "past.csv:2:4: predikat: a score of 70 is Cukup under Peraturan Pemerintah Nomor 46 Tahun 2011",
        "past.csv:3:3: score: 2022 falls under Peraturan Menteri PANRB Nomor 6 Tahun 2022",
        "past.csv:4:2: year: 198307112009022001 has a plan for 2025 in kinerja",
        "past.csv:5:2: year: 199610052022031001 began service on 2022-03-01",
        "past.csv:6:2: year: no rule pack covers the year 2010",
    ] {
        assert!(report.contains(expected), "missing {expected:?} in:\n{report}");
    }

    // The year's judgements are refused as their mutations refuse them.
    let organisation = write(
        folder.path(),
        "organisation.csv",
        &format!(
            "unit_code,year,predikat\nDINKES-PKM-JEBRES,2025,baik\nDINKES,2019,baik\nDINKES,2025,luar_biasa\n\
             DINKES-YANKES,2025,baik\nDINKES,{next_year},baik\n"
        ),
    );
    let report = stderr(&import(url, "organisation-predikat", &organisation, &[]));
    for expected in [
        "organisation.csv:2:1: unit_code: no unit has code DINKES-PKM-JEBRES",
        "organisation.csv:3:2: year: 2019 falls under Peraturan Pemerintah Nomor 46",
        "organisation.csv:4:3: predikat: ",
        "organisation.csv:5:3: predikat: DINKES-YANKES is a bidang; an organisation predikat is given to a perangkat daerah or a kecamatan",
        &format!("organisation.csv:6:2: year: {next_year} has not begun"),
    ] {
        assert!(report.contains(expected), "missing {expected:?} in:\n{report}");
    }
    let behaviour = write(
        folder.path(),
        "behaviour.csv",
        "nip,year,value,level\n\
         199610052022031001,2025,akuntabel,as_expected\n\
         199402282019032002,2025,loyal,as_expected\n\
         199402282019032002,2025,loyal,above_expectation\n\
         197808212005012003,2025,loyal,as_expected\n",
    );
    let report = stderr(&import(url, "behaviour-ratings", &behaviour, &[]));
    for expected in [
        "behaviour.csv:2:2: year: 199610052022031001: the 2025 plan is draft; behaviour is rated on approved plans",
        "behaviour.csv:4:3: value: repeats the key of line 3",
        "behaviour.csv:5:2: year: 197808212005012003 has no plan for 2025",
    ] {
        assert!(report.contains(expected), "missing {expected:?} in:\n{report}");
    }

    let audit = kinerja(&["audit", "verify", "--chain-only", "--database", url]);
    assert!(audit.status.success(), "{}", stdout(&audit));
}

#[tokio::test]
async fn imports_are_validated_atomic_and_idempotent_on_every_database() {
    for database in TestDatabase::all("imports_are_validated_atomic_and_idempotent_on_every_database").await.unwrap() {
        eprintln!("import on {}", database.backend);
        check(&database.url).await;
        database.dispose().await.unwrap();
    }
}

/// An NIP for employee `number` of a generated file: born 1970–1999, service from 23, unique per number.
fn generated_nip(number: u32) -> String {
    let year = 1970 + number % 30;
    let month = 1 + (number / 30) % 12;
    let day = 1 + (number / 360) % 28;
    let service_month = 1 + (number / 10_080) % 12;
    let sex = 1 + (number / 120_960) % 2;
    let sequence = 1 + number / 241_920;
    format!("{year:04}{month:02}{day:02}{:04}{service_month:02}{sex}{sequence:03}", year + 23)
}

#[tokio::test]
async fn an_interrupted_import_keeps_nothing_on_every_database() {
    for database in TestDatabase::all("an_interrupted_import_keeps_nothing_on_every_database").await.unwrap() {
        for (kind, file, flags) in &SAMPLES[..3] {
            assert!(import(&database.url, kind, file, flags).status.success());
        }
        let before = row_counts(&database.url).await;
        let folder = tempfile::tempdir().unwrap();
        let mut rows = String::from("nip,name,employment_type,rank,position_code,unit_code\n");
        for number in 0..400_000 {
            rows.push_str(&format!(
                "{},Pegawai {number},pns,III/a,DINKES-PKM-GILINGAN-PERAWAT,DINKES-PKM-GILINGAN\n",
                generated_nip(number)
            ));
        }
        let file = write(folder.path(), "many.csv", &rows);
        let child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
            .args(["import", "employees", &file, "--database", &database.url])
            .env("KINERJA__LOG__FILTER", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let interrupted = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        assert!(interrupted.success());
        let output = child.wait_with_output().unwrap();
        assert!(!output.status.success(), "the import was still running when interrupted");
        assert!(stderr(&output).contains("interrupted: nothing was imported"), "{}", stderr(&output));
        assert_eq!(row_counts(&database.url).await, before, "{}", database.backend);
        database.dispose().await.unwrap();
    }
}

/// The talent, qualification and discipline kinds refuse values outside their vocabularies, naming the
/// row, column and what is allowed, and write nothing.
#[tokio::test]
async fn talent_and_discipline_rows_outside_their_vocabulary_are_refused() {
    for database in TestDatabase::all("talent_and_discipline_rows_outside_their_vocabulary_are_refused").await.unwrap()
    {
        let url = database.url.as_str();
        for (kind, file, flags) in &SAMPLES[..3] {
            assert!(import(url, kind, file, flags).status.success());
        }
        let folder = tempfile::tempdir().unwrap();
        let before = row_counts(url).await;
        let talent = write(
            folder.path(),
            "talent.csv",
            "nip,assessed_on,potential\n199402282019032002,2025-09-16,tinggi\n199610052022031001,2025-09-16,sedang\n",
        );
        let refused = import(url, "talent-assessments", &talent, &[]);
        assert!(!refused.status.success());
        assert!(
            stderr(&refused).contains("talent.csv:3:3: potential: unknown potential 'sedang'"),
            "{}",
            stderr(&refused)
        );
        let discipline = write(
            folder.path(),
            "discipline.csv",
            "nip,decided_on,level,penalty\n199610052022031001,2025-07-14,none,x\n",
        );
        let refused = import(url, "discipline-records", &discipline, &[]);
        assert!(
            stderr(&refused)
                .contains("discipline.csv:2:3: level: a discipline record has a penalty: ringan, sedang or berat"),
            "{}",
            stderr(&refused)
        );
        let education =
            write(folder.path(), "education.csv", "nip,education,graduated_on\n199610052022031001,s4,2018-09-01\n");
        let refused = import(url, "qualifications", &education, &[]);
        assert!(
            stderr(&refused).contains("education.csv:2:2: education: unknown education 's4'"),
            "{}",
            stderr(&refused)
        );
        assert_eq!(row_counts(url).await, before, "{}: nothing was written", database.backend);
        database.dispose().await.unwrap();
    }
}
