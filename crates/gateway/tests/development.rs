//! Development hours against the year's minimum, on the sample puskesmas of docs/import, computed by
//! hand: Ayu (PNS) trained 24 JP in 2025 against 20, Dimas (PPPK) 16 against 24, the others none.

use std::io::BufReader;

use kinerja_domain::{Nip, Role};
use kinerja_gateway::{GatewayConfig, build_schema, execute};
use kinerja_import::{Format, ImportOptions, ReadOptions};
use kinerja_store::test_support::TestDatabase;
use kinerja_store::{ImportKind, Store, StoreOptions};
use serde_json::{Value, json};

const SAMPLES: [(ImportKind, &str, bool); 7] = [
    (ImportKind::Units, "units.csv", false),
    (ImportKind::Positions, "positions.csv", false),
    (ImportKind::Employees, "employees.csv", false),
    (ImportKind::Plans, "plans.csv", false),
    (ImportKind::Realisations, "realisations.csv", true),
    (ImportKind::TrainingRecords, "training-records.jsonl", false),
    (ImportKind::CompetencyAssessments, "competency-assessments.csv", false),
];

const AYU: &str = "199402282019032002";
const DIMAS: &str = "199610052022031001";

async fn load(store: &Store) {
    for (kind, file, decimal_comma) in SAMPLES {
        let path = format!("{}/../../docs/import/{file}", env!("CARGO_MANIFEST_DIR"));
        let format = if file.ends_with(".jsonl") { Format::JsonLines } else { Format::Csv };
        let input = BufReader::new(std::fs::File::open(&path).unwrap());
        let options = ImportOptions { dry_run: false, max_problems: 10, source: file.to_owned() };
        kinerja_import::import(store, None, kind, input, ReadOptions { format, decimal_comma }, &options, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
    }
}

async fn query(store: &Store, nip: &str, role: Role, document: &str) -> Value {
    let schema =
        build_schema(store.clone(), kinerja_scoring::RulePacks::built_in().unwrap(), &GatewayConfig::default())
            .await
            .unwrap();
    let (actor, scope) = store.access(&Nip::parse(nip).unwrap(), role, 5).await.unwrap();
    let response = execute(&schema, &store.scoped(scope), Some(actor), document).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    response.data.into_json().unwrap()
}

const BELOW: &str =
    r#"{ unit(code: "DINKES") { belowDevelopmentMinimum(year: 2025) { employee { nip } hours minimum } } }"#;

#[tokio::test]
async fn development_hours_are_summed_against_the_minimum_within_scope() {
    for database in TestDatabase::all("development_hours_are_summed_against_the_minimum_within_scope").await.unwrap() {
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        load(&store).await;
        let admin = "197204151998031004";

        let below = query(&store, admin, Role::HrAdmin, BELOW).await;
        assert_eq!(
            below["unit"]["belowDevelopmentMinimum"],
            json!([
                { "employee": { "nip": "197204151998031004" }, "hours": 0, "minimum": 20 },
                { "employee": { "nip": "197808212005012003" }, "hours": 0, "minimum": 20 },
                { "employee": { "nip": "198307112009022001" }, "hours": 0, "minimum": 20 },
                { "employee": { "nip": DIMAS }, "hours": 16, "minimum": 24 },
            ]),
            "{}",
            database.backend
        );
        let hours = format!(
            r#"{{ ayu: employee(nip: "{AYU}") {{ developmentHours(year: 2025) {{ hours minimum shortfall }}
                training(year: 2025) {{ programme hours certificate }} competencies {{ competency level }} }}
               dimas: employee(nip: "{DIMAS}") {{ developmentHours(year: 2025) {{ hours minimum shortfall }} }} }}"#
        );
        let data = query(&store, admin, Role::HrAdmin, &hours).await;
        assert_eq!(data["ayu"]["developmentHours"], json!({ "hours": 24, "minimum": 20, "shortfall": 0 }));
        assert_eq!(data["dimas"]["developmentHours"], json!({ "hours": 16, "minimum": 24, "shortfall": 8 }));
        assert_eq!(data["ayu"]["training"][0]["certificate"], "PPI/2025/0311");
        assert_eq!(data["ayu"]["competencies"].as_array().unwrap().len(), 2);

        // The nurse sees her own development only: not her superior's shortfall, not her colleague's.
        let own = query(&store, AYU, Role::Employee, BELOW).await;
        assert_eq!(own["unit"]["belowDevelopmentMinimum"], json!([]));
        let superior = query(
            &store,
            AYU,
            Role::Employee,
            r#"{ employee(nip: "198307112009022001") { nip training { programme } competencies { level } } }"#,
        )
        .await;
        assert_eq!(superior["employee"]["training"], json!([]));
        // The head of the puskesmas sees her own shortfall and her staff's, and analysts see certificates masked.
        let head = query(&store, "198307112009022001", Role::UnitHead, BELOW).await;
        let nips: Vec<&str> = head["unit"]["belowDevelopmentMinimum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["employee"]["nip"].as_str().unwrap())
            .collect();
        assert_eq!(nips, ["198307112009022001", DIMAS]);
        let masked = query(&store, admin, Role::Analyst, &hours).await;
        assert_eq!(masked["ayu"]["training"][0]["certificate"], "(masked)");
        store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}
