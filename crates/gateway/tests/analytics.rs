//! Unit dimensions, standings, trends and training needs on a small agency computed by hand: a dinas
//! with three puskesmas of two nurses each, every nurse with a quantity and a timeliness indicator.
//!
//! | unit | nurse | kuantitas | waktu | predikat |
//! |------|-------|-----------|-------|----------|
//! | P1   | a1    | 100       | 80    | kurang   |
//! | P1   | a2    | 110       | 90    | baik     |
//! | P2   | b1    | 90        | 100   | baik     |
//! | P2   | b2    | 100       | 100   | baik     |
//! | P3   | c1    | 120       | 110   | baik     |
//! | P3   | c2    | 100       | 100   | baik     |
//!
//! Kuantitas means 105 / 95 / 110: median 105, median absolute deviation 5, spread 5 × 1.4826 = 7.413;
//! P2 stands at (95 − 105) ÷ 7.413 = −1.35, a weakness. Waktu means 85 / 100 / 105: median 100,
//! spread 7.413; P1 stands at −2.02. Agency means: kuantitas 620 ÷ 6 = 103.33, waktu 580 ÷ 6 = 96.67.

mod common;

use common::query;

use kinerja_domain::{Aspect, Nip, Period, Predikat, Role};
use kinerja_gateway::{GatewayConfig, build_schema, execute};
use kinerja_import::{Format, ImportOptions, ReadOptions};
use kinerja_store::records::{AchievementRecord, ScoredPlan};
use kinerja_store::test_support::{TestDatabase, scored_plan};
use kinerja_store::{ImportKind, Store, StoreOptions};
use rust_decimal::Decimal;
use serde_json::{Value, json};

const UNITS: &str = "code,name,kind,parent_code
SKA,Kota Surakarta,city,
DINKES,Dinas Kesehatan,perangkat_daerah,SKA
P1,UPT Puskesmas Satu,upt,DINKES
P2,UPT Puskesmas Dua,upt,DINKES
P3,UPT Puskesmas Tiga,upt,DINKES
";

const NURSES: [(&str, &str, [i64; 2], Predikat); 6] = [
    ("199001012015011001", "P1", [100, 80], Predikat::Kurang),
    ("199001012015011002", "P1", [110, 90], Predikat::Baik),
    ("199001012015011003", "P2", [90, 100], Predikat::Baik),
    ("199001012015011004", "P2", [100, 100], Predikat::Baik),
    ("199001012015011005", "P3", [120, 110], Predikat::Baik),
    ("199001012015011006", "P3", [100, 100], Predikat::Baik),
];
const A1: &str = "199001012015011001";

async fn import(store: &Store, kind: ImportKind, data: &str) {
    let options = ImportOptions { dry_run: false, max_problems: 10, source: "test".to_owned() };
    let read = ReadOptions { format: Format::Csv, decimal_comma: false };
    kinerja_import::import(
        store,
        &kinerja_scoring::RulePacks::built_in().unwrap(),
        None,
        kind,
        data.as_bytes(),
        read,
        &options,
        |_| {},
    )
    .await
    .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"));
}

/// Loads the agency and stores each nurse's evaluation of 2025 with the achievements of the table.
async fn load(store: &Store) {
    import(store, ImportKind::Units, UNITS).await;
    let mut positions = String::from("code,title,kind,unit_code\n");
    let mut employees = String::from("nip,name,employment_type,rank,position_code,unit_code,superior_nip\n");
    let mut plans = String::from(
        "nip,year,approach,status,result_code,section,result_description,parent_result_code,indicator_code,\
         indicator_description,aspect,target_kind,target_low,target_high,unit_of_measure,accumulation\n",
    );
    for unit in ["P1", "P2", "P3"] {
        positions.push_str(&format!("{unit}-PERAWAT,Perawat Ahli Pertama,ahli_pertama,{unit}\n"));
    }
    for (i, (nip, unit, _, _)) in NURSES.iter().enumerate() {
        employees.push_str(&format!("{nip},Perawat {i},pns,III/a,{unit}-PERAWAT,{unit},\n"));
        plans.push_str(&format!(
            "{nip},2025,kuantitatif,approved,RHK-1,utama,Asuhan keperawatan,,IKI-1,Pasien dilayani,kuantitas,at_least,100,,pasien,sum\n\
             {nip},2025,kuantitatif,approved,RHK-1,utama,Asuhan keperawatan,,IKI-2,Waktu tunggu,waktu,at_most,30,,menit,mean\n"
        ));
    }
    import(store, ImportKind::Positions, &positions).await;
    import(store, ImportKind::Employees, &employees).await;
    import(store, ImportKind::Plans, &plans).await;
    let bundles = store.plan_bundles(2025, None, None, 100).await.unwrap();
    let scored: Vec<ScoredPlan> = bundles
        .iter()
        .map(|bundle| {
            let (_, _, achievements, predikat) =
                NURSES.iter().find(|n| n.0 == bundle.employee.employee.nip.as_str()).unwrap();
            scored(bundle, achievements, *predikat)
        })
        .collect();
    store.save_evaluations(&scored).await.unwrap();
}

fn scored(bundle: &kinerja_store::records::PlanBundle, achievements: &[i64; 2], predikat: Predikat) -> ScoredPlan {
    let achievement = |aspect: Aspect| {
        let indicator = bundle.indicators.iter().find(|i| i.indicator.aspect == aspect).unwrap();
        let value = achievements[usize::from(aspect == Aspect::Waktu)];
        AchievementRecord { indicator_id: indicator.id, aspect, achievement: Some(Decimal::from(value)) }
    };
    scored_plan(
        &bundle.plan,
        Period::Year(2025),
        predikat,
        vec![achievement(Aspect::Kuantitas), achievement(Aspect::Waktu)],
    )
}

const DIMENSIONS: &str = r#"{ unit(code: "UNIT") { dimensions(period: "2025") {
    aspect mean people indicators withheld peerCount peerMedian peerSpread standing rank verdict agencyMean
    indicatorsBehind(first: 1) { nodes { achievement employee { nip } } } } } }"#;

fn dimensions(unit: &str) -> String {
    DIMENSIONS.replace("UNIT", unit)
}

#[tokio::test]
async fn unit_dimensions_stand_against_sibling_units_as_computed_by_hand() {
    for database in TestDatabase::all("unit_dimensions_stand_against_sibling_units").await.unwrap() {
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        load(&store).await;
        let backend = database.backend;

        let mut p2 = query(&store, A1, Role::HrAdmin, &dimensions("P2")).await;
        // Both members achieved 100 on time, so either is the weakest; ties fall in record-id order.
        let tied = &mut p2["unit"]["dimensions"][1]["indicatorsBehind"]["nodes"][0]["employee"]["nip"];
        assert!(["199001012015011003", "199001012015011004"].contains(&tied.as_str().unwrap()), "{backend}: {tied}");
        *tied = json!("199001012015011003");
        assert_eq!(
            p2["unit"]["dimensions"],
            json!([
                { "aspect": "KUANTITAS", "mean": "95", "people": 2, "indicators": 2, "withheld": false, "peerCount": 3,
                  "peerMedian": "105", "peerSpread": "7.41", "standing": "-1.35", "rank": 3, "verdict": "WEAKNESS",
                  "agencyMean": "103.33", "indicatorsBehind": { "nodes": [{ "achievement": "90", "employee": { "nip": "199001012015011003" } }] } },
                { "aspect": "WAKTU", "mean": "100", "people": 2, "indicators": 2, "withheld": false, "peerCount": 3,
                  "peerMedian": "100", "peerSpread": "7.41", "standing": "0", "rank": 2, "verdict": "TYPICAL",
                  "agencyMean": "96.67", "indicatorsBehind": { "nodes": [{ "achievement": "100", "employee": { "nip": "199001012015011003" } }] } },
            ]),
            "{backend}"
        );
        let p1 = query(&store, A1, Role::HrAdmin, &dimensions("P1")).await;
        assert_eq!(p1["unit"]["dimensions"][1]["standing"], "-2.02", "{backend}");
        assert_eq!(p1["unit"]["dimensions"][1]["verdict"], "WEAKNESS", "{backend}");
        // The dinas has no siblings: its means stand unranked.
        let dinkes = query(&store, A1, Role::HrAdmin, &dimensions("DINKES")).await;
        assert_eq!(dinkes["unit"]["dimensions"][0]["mean"], "103.33", "{backend}");
        assert_eq!(dinkes["unit"]["dimensions"][0]["verdict"], "UNRANKED", "{backend}");
        // Analysts see no puskesmas of two: its figures and its peers' are withheld.
        let analyst = query(&store, A1, Role::Analyst, &dimensions("P2")).await;
        assert_eq!(analyst["unit"]["dimensions"][0]["withheld"], true, "{backend}");
        assert_eq!(analyst["unit"]["dimensions"][0]["mean"], Value::Null, "{backend}");
        assert_eq!(analyst["unit"]["dimensions"][0]["peerCount"], 0, "{backend}");
        assert_eq!(analyst["unit"]["dimensions"][0]["agencyMean"], "103.33", "{backend}");

        let groups = query(
            &store,
            A1,
            Role::HrAdmin,
            r#"{ unit(code: "DINKES") { dimensionsByGroup(period: "2025", by: POSITION_KIND) { group withheld dimensions { aspect mean people } } } }"#,
        )
        .await;
        assert_eq!(
            groups["unit"]["dimensionsByGroup"],
            json!([{ "group": "ahli_pertama", "withheld": false, "dimensions": [
                { "aspect": "KUANTITAS", "mean": "103.33", "people": 6 }, { "aspect": "WAKTU", "mean": "96.67", "people": 6 }] }]),
            "{backend}"
        );
        let trend = query(
            &store,
            A1,
            Role::HrAdmin,
            r#"{ unit(code: "P1") { trend { period people withheld counts { baik kurang headcount } dimensions { aspect mean } } } }"#,
        )
        .await;
        assert_eq!(
            trend["unit"]["trend"],
            json!([{ "period": "2025", "people": 2, "withheld": false, "counts": { "baik": 1, "kurang": 1, "headcount": 2 },
                     "dimensions": [{ "aspect": "KUANTITAS", "mean": "105" }, { "aspect": "WAKTU", "mean": "85" }] }]),
            "{backend}"
        );

        // a1 against the six nurses: kuantitas mean 103.33, deviation √(64600/6 − 103.33²) = 9.43.
        let own = query(
            &store,
            A1,
            Role::Employee,
            &format!(
                r#"{{ employee(nip: "{A1}") {{ indicatorStandings(period: "2025") {{
                    indicator {{ aspect achievement }} peerCount peerMean peerDeviation standing verdict }} }} }}"#
            ),
        )
        .await;
        assert_eq!(
            own["employee"]["indicatorStandings"],
            json!([
                { "indicator": { "aspect": "KUANTITAS", "achievement": "100" }, "peerCount": 6, "peerMean": "103.33",
                  "peerDeviation": "9.43", "standing": "-0.35", "verdict": "TYPICAL" },
                { "indicator": { "aspect": "WAKTU", "achievement": "80" }, "peerCount": 6, "peerMean": "96.67",
                  "peerDeviation": "9.43", "standing": "-1.77", "verdict": "WEAKNESS" },
            ]),
            "{backend}"
        );
        // The same achievements under the employee's own evaluation.
        let evaluation = query(
            &store,
            A1,
            Role::Employee,
            &format!(
                r#"{{ employee(nip: "{A1}") {{ plans(year: 2025) {{ evaluation(period: "2025") {{
                    predikat achievements {{ indicator {{ code }} aspect achievement }} }} }} }} }}"#
            ),
        )
        .await;
        let evaluation = &evaluation["employee"]["plans"][0]["evaluation"];
        assert_eq!(evaluation["predikat"], "KURANG", "{backend}");
        let mut achievements = evaluation["achievements"].as_array().unwrap().clone();
        achievements.sort_by_key(|a| a["indicator"]["code"].as_str().unwrap().to_owned());
        assert_eq!(
            achievements,
            vec![
                json!({ "indicator": { "code": "IKI-1" }, "aspect": "KUANTITAS", "achievement": "100" }),
                json!({ "indicator": { "code": "IKI-2" }, "aspect": "WAKTU", "achievement": "80" }),
            ],
            "{backend}"
        );
        // Someone else's indicators stay out of an employee's reach.
        let other = query(
            &store,
            A1,
            Role::Employee,
            r#"{ unit(code: "P3") { indicatorAchievements(period: "2025", strongest: true) { nodes { achievement } } } }"#,
        )
        .await;
        assert_eq!(other["unit"]["indicatorAchievements"]["nodes"], json!([]), "{backend}");
        store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}

const NEEDS: &str = r#"{ employee(nip: "199001012015011001") { trainingNeeds(year: 2025) {
    id reason topic priority status version suggestedProgrammes { code } } } }"#;

#[tokio::test]
async fn training_needs_are_derived_once_and_follow_their_lifecycle() {
    for database in TestDatabase::all("training_needs_are_derived_once").await.unwrap() {
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        load(&store).await;
        let backend = database.backend;
        let packs = kinerja_scoring::RulePacks::built_in().unwrap();
        let pack = packs.for_year(2025).unwrap();

        // a1: predikat kurang, waktu 80 < 90, and no lesson hours; the five others lack only hours.
        let first = store.derive_training_needs(pack, packs.catalogue(), 2025, None, None).await.unwrap();
        assert_eq!((first.employees, first.raised, first.unchanged), (6, 8, 0), "{backend}");
        let again = store.derive_training_needs(pack, packs.catalogue(), 2025, None, None).await.unwrap();
        assert_eq!((again.raised, again.updated, again.closed, again.unchanged), (0, 0, 0, 8), "{backend}");

        let needs = query(&store, A1, Role::HrAdmin, NEEDS).await;
        let needs = needs["employee"]["trainingNeeds"].as_array().unwrap().clone();
        let summary: Vec<Value> =
            needs.iter().map(|n| json!([n["reason"], n["topic"], n["priority"], n["status"]])).collect();
        assert_eq!(
            summary,
            vec![
                json!(["PREDIKAT", "kurang", "HIGH", "OPEN"]),
                json!(["DIMENSION", "waktu", "MEDIUM", "OPEN"]),
                json!(["HOURS", "jp", "LOW", "OPEN"]),
            ],
            "{backend}"
        );
        assert_eq!(
            needs[1]["suggestedProgrammes"],
            json!([{ "code": "MANKIN" }, { "code": "ADAPT" }, { "code": "WAKTU" }])
        );

        let dinkes = query(
            &store,
            A1,
            Role::HrAdmin,
            r#"{ unit(code: "DINKES") { trainingNeedTopics(year: 2025) { reason topic employees }
                 programmeDemand(year: 2025) { programme { code hours } needs employees } } }"#,
        )
        .await;
        assert_eq!(
            dinkes["unit"]["trainingNeedTopics"],
            json!([
                { "reason": "HOURS", "topic": "jp", "employees": 6 },
                { "reason": "PREDIKAT", "topic": "kurang", "employees": 1 },
                { "reason": "DIMENSION", "topic": "waktu", "employees": 1 },
            ]),
            "{backend}"
        );
        // The six nurses' hours needs call first for the nurses' own programme.
        assert_eq!(
            dinkes["unit"]["programmeDemand"][0],
            json!({ "programme": { "code": "ASKEP", "hours": 24 }, "needs": 6, "employees": 6 })
        );
        let demand = dinkes["unit"]["programmeDemand"].as_array().unwrap();
        let mankin = demand.iter().find(|d| d["programme"]["code"] == "MANKIN").expect("MANKIN is in demand");
        assert_eq!(mankin["needs"], 3, "{backend}: predikat, dimension and hours needs of one person");
        assert_eq!(mankin["employees"], 1, "{backend}");

        // Planned, then completed with the training record, then a step back is refused.
        const UPDATE: &str = "mutation($input: UpdateTrainingNeedInput!) { updateTrainingNeed(input: $input) { status version plannedProgramme completedWithTraining } }";
        let waktu = needs[1]["id"].as_str().unwrap();
        let call = |input: Value| {
            let store = store.clone();
            async move {
                let request = async_graphql::Request::new(UPDATE)
                    .variables(async_graphql::Variables::from_json(json!({ "input": input })));
                let schema = build_schema(
                    store.clone(),
                    kinerja_scoring::RulePacks::built_in().unwrap(),
                    &GatewayConfig::default(),
                )
                .await
                .unwrap();
                let nip = Nip::parse("199001012015011002").unwrap();
                store.grant_role(None, &nip, Role::HrAdmin, None).await.unwrap();
                let (actor, scope) = store.access(&nip, Role::HrAdmin, 5).await.unwrap();
                execute(&schema, &store.scoped(scope), Some(actor), request).await
            }
        };
        let planned = call(json!({ "id": waktu, "status": "PLANNED", "programme": "Manajemen Waktu dan Prioritas Kerja", "plannedOn": "2025-05-01", "expectedVersion": 1 })).await;
        assert!(planned.errors.is_empty(), "{:?}", planned.errors);
        assert_eq!(planned.data.into_json().unwrap()["updateTrainingNeed"]["status"], "PLANNED");
        let stale = call(json!({ "id": waktu, "status": "CLOSED", "reason": "x", "expectedVersion": 1 })).await;
        assert_eq!(stale.errors[0].extensions.as_ref().unwrap().get("code").unwrap().to_string(), "\"CONFLICT\"");
        let missing = call(json!({ "id": waktu, "status": "COMPLETED", "trainingProgramme": "Manajemen Waktu dan Prioritas Kerja", "trainingStartedOn": "2025-05-01" })).await;
        assert!(missing.errors[0].message.contains("training record of the employee"), "{:?}", missing.errors);
        import(&store, ImportKind::TrainingRecords, &format!("nip,programme,started_on,finished_on,hours\n{A1},Manajemen Waktu dan Prioritas Kerja,2025-05-01,2025-05-02,8\n")).await;
        let completed = call(json!({ "id": waktu, "status": "COMPLETED", "trainingProgramme": "Manajemen Waktu dan Prioritas Kerja", "trainingStartedOn": "2025-05-01" })).await;
        assert!(completed.errors.is_empty(), "{:?}", completed.errors);
        assert_eq!(
            completed.data.into_json().unwrap()["updateTrainingNeed"],
            json!({ "status": "COMPLETED", "version": 3, "plannedProgramme": "Manajemen Waktu dan Prioritas Kerja", "completedWithTraining": true })
        );
        let back = call(json!({ "id": waktu, "status": "PLANNED", "programme": "x", "plannedOn": "2025-06-01" })).await;
        assert_eq!(back.errors[0].message, "a completed training need cannot become planned", "{backend}");

        // A better year closes what no longer applies; the completed need stays completed.
        let bundles = store.plan_bundles(2025, None, None, 100).await.unwrap();
        let a1 = bundles.iter().find(|b| b.employee.employee.nip.as_str() == A1).unwrap();
        store.save_evaluations(&[scored(a1, &[100, 95], Predikat::Baik)]).await.unwrap();
        let later = store.derive_training_needs(pack, packs.catalogue(), 2025, None, None).await.unwrap();
        assert_eq!((later.raised, later.closed), (0, 1), "{backend}: the predikat need closes");
        let after = query(&store, A1, Role::HrAdmin, NEEDS).await;
        let statuses: Vec<Value> = after["employee"]["trainingNeeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| json!([n["reason"], n["status"]]))
            .collect();
        assert_eq!(
            statuses,
            vec![json!(["PREDIKAT", "CLOSED"]), json!(["DIMENSION", "COMPLETED"]), json!(["HOURS", "OPEN"])],
            "{backend}"
        );

        // An employee cannot move needs, not even their own.
        let (actor, scope) = store.access(&Nip::parse(A1).unwrap(), Role::Employee, 5).await.unwrap();
        let schema = build_schema(store.clone(), packs.clone(), &GatewayConfig::default()).await.unwrap();
        let refused = execute(
            &schema,
            &store.scoped(scope),
            Some(actor),
            r#"mutation { deriveTrainingNeeds(input: { year: 2025 }) { raised } }"#,
        )
        .await;
        assert_eq!(refused.errors[0].extensions.as_ref().unwrap().get("code").unwrap().to_string(), "\"FORBIDDEN\"");
        store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}
