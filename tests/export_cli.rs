//! `kinerja export` on SQLite and PostgreSQL, over the sample puskesmas of docs/import: every table as CSV
//! and as Parquet, the same rows in both, typed Parquet columns, the unit and year filters, and refusals.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output};

use kinerja_store::test_support::TestDatabase;
use parquet::basic::{ConvertedType, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(args)
        .env("KINERJA__LOG__FILTER", "warn")
        .output()
        .expect("kinerja runs")
}

fn ok(args: &[&str]) -> String {
    let output = kinerja(args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

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

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// A Parquet column: its name, physical type and logical (converted) type.
type ParquetColumn = (String, PhysicalType, ConvertedType);

/// The Parquet rows as text, the way the CSV writes them.
fn parquet_rows(path: &Path) -> (Vec<ParquetColumn>, Vec<Vec<String>>) {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let columns =
        schema.columns().iter().map(|c| (c.name().to_owned(), c.physical_type(), c.converted_type())).collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(_, field)| match field {
                    Field::Null => String::new(),
                    Field::Str(text) => text.clone(),
                    Field::Long(n) => n.to_string(),
                    Field::Decimal(_) => {
                        field.to_string().parse::<rust_decimal::Decimal>().unwrap().normalize().to_string()
                    }
                    Field::Date(days) => (chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
                        + chrono::Duration::days(i64::from(*days)))
                    .to_string(),
                    Field::TimestampMicros(micros) => chrono::DateTime::from_timestamp_micros(*micros)
                        .unwrap()
                        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    other => panic!("unexpected field {other:?}"),
                })
                .collect()
        })
        .collect();
    (columns, rows)
}

fn column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let index = header.iter().position(|h| h == name).unwrap();
    rows.iter().map(|row| row[index].as_str()).collect()
}

/// Exports `table` as CSV and as Parquet and checks both hold `count` identical rows.
fn assert_same_in_both(url: &str, folder: &Path, table: &str, count: usize, backend: &str) {
    let csv_path = folder.join(format!("{table}.csv"));
    let parquet_path = folder.join(format!("{table}.parquet"));
    for path in [&csv_path, &parquet_path] {
        ok(&["export", table, "--database", url, "--year", "2025", "--output", path.to_str().unwrap()]);
    }
    let (header, csv) = csv_rows(&csv_path);
    let (columns, parquet) = parquet_rows(&parquet_path);
    assert_eq!(csv.len(), count, "{backend}: {table}");
    assert_eq!(columns.iter().map(|c| c.0.clone()).collect::<Vec<_>>(), header, "{backend}: {table}");
    assert_eq!(parquet, csv, "{backend}: {table}: Parquet and CSV hold the same rows");
}

#[tokio::test]
async fn evaluations_of_a_scored_city_export_one_row_per_plan() {
    for database in TestDatabase::all("evaluations_of_a_scored_city_export").await.unwrap() {
        let url = database.url.as_str();
        ok(&["demo", "--database", url, "--employees", "600", "--year", "2025", "--quarters", "4"]);
        let store = kinerja_store::Store::connect(kinerja_store::StoreOptions::new(url)).await.unwrap();
        let plans = store.plan_count(2025, None).await.unwrap();
        store.close().await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        assert_same_in_both(url, folder.path(), "evaluations", usize::try_from(plans).unwrap(), database.backend);
        let (columns, _) = parquet_rows(&folder.path().join("evaluations.parquet"));
        assert!(columns.iter().any(|c| c.0 == "computed_at" && c.2 == ConvertedType::TIMESTAMP_MICROS));
        let (header, rows) = csv_rows(&folder.path().join("evaluations.csv"));
        assert!(column(&header, &rows, "unit_code").iter().all(|code| !code.is_empty()), "{}", database.backend);
        // The year's decision stands beside the proposal, empty where the rater has not decided.
        let decided = column(&header, &rows, "decided_predikat");
        let proposed = column(&header, &rows, "predikat");
        assert!(proposed.iter().all(|p| p.chars().all(|c| c.is_ascii_uppercase() || c == '_')), "{proposed:?}");
        assert!(decided.iter().all(|d| d.is_empty() || proposed.contains(d)), "{decided:?}");
        database.dispose().await.unwrap();
    }
}

#[tokio::test]
async fn every_table_exports_as_csv_and_typed_parquet() {
    for database in TestDatabase::all("every_table_exports_as_csv_and_typed_parquet").await.unwrap() {
        let url = database.url.as_str();
        let backend = database.backend;
        for (kind, file, flags) in SAMPLES {
            let mut args = vec!["import", kind, file, "--database", url];
            args.extend_from_slice(flags);
            ok(&args);
        }
        ok(&["score", "--database", url, "--year", "2025"]);
        let folder = tempfile::tempdir().unwrap();
        // Only Ayu's plan has all seven behaviour ratings, so only her year is scored and raises needs (her
        // predikat and her first quarter's kuantitas against the year); at 24 of 20 JP she needs no hours.
        let expected_rows =
            [("employees", 5), ("plans", 5), ("realisations", 4), ("training-needs", 2), ("development-hours", 5)];
        for (table, count) in expected_rows {
            assert_same_in_both(url, folder.path(), table, count, backend);
        }

        // Types: text as UTF-8, decimals exact, dates as dates, timestamps in UTC microseconds.
        let (columns, _) = parquet_rows(&folder.path().join("realisations.parquet"));
        let typed = |name: &str| columns.iter().find(|c| c.0 == name).map(|c| (c.1, c.2)).unwrap();
        assert_eq!(typed("nip"), (PhysicalType::BYTE_ARRAY, ConvertedType::UTF8));
        assert_eq!(typed("value"), (PhysicalType::INT64, ConvertedType::DECIMAL));
        assert_eq!(typed("period_start"), (PhysicalType::INT32, ConvertedType::DATE));
        assert_eq!(typed("recorded_at"), (PhysicalType::INT64, ConvertedType::TIMESTAMP_MICROS));

        // The values of the sample, including the decimal comma and thousands separator of its CSV.
        // Targets and enumerated values as the API gives them: `low` only for AT_LEAST, `high` only for
        // AT_MOST.
        let (header, rows) = csv_rows(&folder.path().join("plans.csv"));
        let targets = column(&header, &rows, "target_kind")
            .into_iter()
            .zip(column(&header, &rows, "target_low"))
            .zip(column(&header, &rows, "target_high"));
        for ((kind, low, high), status) in targets.map(|((k, l), h)| (k, l, h)).zip(column(&header, &rows, "status")) {
            match kind {
                "AT_LEAST" => assert!(!low.is_empty() && high.is_empty(), "{backend}: {kind} {low} {high}"),
                "AT_MOST" => assert!(low.is_empty() && !high.is_empty(), "{backend}: {kind} {low} {high}"),
                "BETWEEN" => assert!(!low.is_empty() && !high.is_empty(), "{backend}: {kind} {low} {high}"),
                other => panic!("{backend}: {other} is not the API's spelling of a target kind"),
            }
            assert!(["DRAFT", "SUBMITTED", "APPROVED", "FINALISED"].contains(&status), "{backend}: {status}");
        }

        let (header, rows) = csv_rows(&folder.path().join("realisations.csv"));
        let mut values = column(&header, &rows, "value");
        values.sort_unstable();
        assert_eq!(values, ["27.5", "2940", "470", "92.5"], "{backend}");
        assert_eq!(column(&header, &rows, "period_start"), ["2025-01-01"; 4], "{backend}");
        let (header, rows) = csv_rows(&folder.path().join("development-hours.csv"));
        let hours: Vec<(&str, &str, &str)> = column(&header, &rows, "nip")
            .into_iter()
            .zip(column(&header, &rows, "hours"))
            .zip(column(&header, &rows, "shortfall"))
            .map(|((nip, hours), shortfall)| (nip, hours, shortfall))
            .filter(|(nip, _, _)| nip.starts_with("1994") || nip.starts_with("1996"))
            .collect();
        assert!(hours.contains(&("199402282019032002", "24", "0")), "{backend}: {hours:?}");
        assert!(hours.contains(&("199610052022031001", "16", "8")), "{backend}: {hours:?}");

        // The unit filter takes the subtree; training needs came with scoring.
        let puskesmas = folder.path().join("puskesmas.csv");
        ok(&[
            "export",
            "employees",
            "--database",
            url,
            "--unit",
            "DINKES-PKM-GILINGAN",
            "--output",
            puskesmas.to_str().unwrap(),
        ]);
        assert_eq!(csv_rows(&puskesmas).1.len(), 3, "{backend}");
        let needs = ok(&["export", "training-needs", "--database", url, "--year", "2025", "--output", "-"]);
        assert!(needs.lines().count() > 1, "{backend}: {needs}");
        assert!(needs.lines().skip(1).all(|l| l.starts_with("199402282019032002,2025,")), "{backend}: {needs}");
        assert!(needs.lines().any(|l| l.starts_with("199402282019032002,2025,PREDIKAT,butuh_perbaikan,")), "{backend}");
        assert!(!needs.lines().any(|l| l.contains(",HOURS,jp,")), "a year not scored raises no hours need: {needs}");

        let refused = kinerja(&["export", "development-hours", "--database", url, "--output", "-"]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("development-hours needs --year"));
        let refused = kinerja(&["export", "employees", "--database", url, "--format", "parquet", "--output", "-"]);
        assert!(String::from_utf8_lossy(&refused.stderr).contains("Parquet is written to a file"));
        let refused = kinerja(&["export", "salaries", "--database", url, "--output", "-"]);
        assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown table \"salaries\""));
        database.dispose().await.unwrap();
    }
}
