//! `kinerja score` on a demo city: periodic and annual evaluations, a unit filter, and refusals.

use std::process::{Command, Output};

use kinerja_domain::{Period, UnitCode};
use kinerja_store::test_support::TestDatabase;
use kinerja_store::{Store, StoreOptions};

fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(args)
        .env("KINERJA__LOG__FILTER", "warn")
        .output()
        .expect("kinerja runs")
}

#[tokio::test]
async fn score_evaluates_a_year_and_a_unit_through_a_period() {
    let database = TestDatabase::sqlite();
    let demo =
        kinerja(&["demo", "--database", &database.url, "--employees", "700", "--year", "2025", "--quarters", "4"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));

    let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
    let dlh = store.unit_by_code(&UnitCode::parse("DLH").unwrap()).await.unwrap();
    let plans = store.plan_bundles(2025, Some(&dlh), None, 1_000).await.unwrap();
    assert!(!plans.is_empty());
    let plan_ids: Vec<_> = plans.iter().map(|bundle| bundle.plan.id).collect();
    let annual = store.evaluations_of_plans(&plan_ids, None).await.unwrap();
    assert_eq!(annual.len(), plan_ids.len(), "the demo scores every plan of a completed year");
    assert!(annual.iter().all(|e| e.period == Period::Year(2025) && e.pack_id == "permenpanrb-6-2022"));

    let periodic =
        kinerja(&["score", "--database", &database.url, "--year", "2025", "--through", "2025-Q2", "--unit", "DLH"]);
    assert!(periodic.status.success(), "{}", String::from_utf8_lossy(&periodic.stderr));
    let evaluations = store.evaluations_of_plans(&plan_ids, None).await.unwrap();
    let half_year = evaluations.iter().filter(|e| e.period == Period::Quarter(2025, 2)).count();
    assert_eq!(half_year, plan_ids.len(), "every DLH plan gained a second-quarter evaluation");
    let dinkes = store.unit_by_code(&UnitCode::parse("DINKES").unwrap()).await.unwrap();
    let other = store.plan_bundles(2025, Some(&dinkes), None, 1).await.unwrap();
    let other_evaluations = store.evaluations_of_plans(&[other[0].plan.id], None).await.unwrap();
    assert_eq!(other_evaluations.len(), 1, "plans outside the unit keep only their annual evaluation");

    let verified = kinerja(&["audit", "verify", "--chain-only", "--database", &database.url]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).starts_with("audit chain intact: "));
    database
        .execute(r#"UPDATE audit_events SET after = '{"year":2025,"predikat":"istimewa"}' WHERE sequence = 1"#)
        .await
        .unwrap();
    let broken = kinerja(&["audit", "verify", "--chain-only", "--database", &database.url]);
    assert!(!broken.status.success());
    assert!(
        String::from_utf8_lossy(&broken.stdout).contains("event #1 ("),
        "{}",
        String::from_utf8_lossy(&broken.stdout)
    );

    let legacy = kinerja(&["score", "--database", &database.url, "--year", "2019"]);
    assert!(!legacy.status.success());
    assert!(
        String::from_utf8_lossy(&legacy.stderr).contains("kinerja evaluate"),
        "{}",
        String::from_utf8_lossy(&legacy.stderr)
    );
    let mismatch = kinerja(&["score", "--database", &database.url, "--year", "2025", "--through", "2024-Q2"]);
    assert!(String::from_utf8_lossy(&mismatch.stderr).contains("--through 2024-Q2 is not in 2025"));
    store.close().await.unwrap();
}
