//! Development hours against the year's minimum, on the sample puskesmas of docs/import, computed by
//! hand: Ayu (PNS) trained 24 JP in 2025 against 20, Dimas (PPPK) 16 against 24, the others none.

mod common;

use std::io::BufReader;

use common::{query, run};

use kinerja_domain::{Approach, Nip, Period, Predikat, RatingLevel, Role};
use kinerja_import::{Format, ImportOptions, ReadOptions};
use kinerja_store::test_support::{TestDatabase, scored_plan};
use kinerja_store::{ImportKind, Store, StoreOptions};
use serde_json::{Value, json};

const SAMPLES: [(ImportKind, &str, bool); 10] = [
    (ImportKind::Units, "units.csv", false),
    (ImportKind::Positions, "positions.csv", false),
    (ImportKind::Employees, "employees.csv", false),
    (ImportKind::Plans, "plans.csv", false),
    (ImportKind::Realisations, "realisations.csv", true),
    (ImportKind::TrainingRecords, "training-records.jsonl", false),
    (ImportKind::CompetencyAssessments, "competency-assessments.csv", false),
    (ImportKind::TalentAssessments, "talent-assessments.csv", false),
    (ImportKind::Qualifications, "qualifications.csv", false),
    (ImportKind::DisciplineRecords, "discipline-records.csv", false),
];

const AYU: &str = "199402282019032002";
const DIMAS: &str = "199610052022031001";

async fn load(store: &Store) {
    for (kind, file, decimal_comma) in SAMPLES {
        let path = format!("{}/../../docs/import/{file}", env!("CARGO_MANIFEST_DIR"));
        let format = if file.ends_with(".jsonl") { Format::JsonLines } else { Format::Csv };
        let input = BufReader::new(std::fs::File::open(&path).unwrap());
        let options = ImportOptions { dry_run: false, max_problems: 10, source: file.to_owned() };
        kinerja_import::import(
            store,
            &kinerja_scoring::RulePacks::built_in().unwrap(),
            None,
            kind,
            input,
            ReadOptions { format, decimal_comma },
            &options,
            |_| {},
        )
        .await
        .unwrap_or_else(|e| panic!("{file}: {e:?}"));
    }
}

const BELOW: &str = r#"{ unit(code: "DINKES") { belowDevelopmentMinimum(year: 2025) { totalCount nodes { employee { nip } hours minimum } } } }"#;

#[tokio::test]
async fn development_hours_are_summed_against_the_minimum_within_scope() {
    for database in TestDatabase::all("development_hours_are_summed_against_the_minimum_within_scope").await.unwrap() {
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        load(&store).await;
        let admin = "197204151998031004";

        let below = query(&store, admin, Role::HrAdmin, BELOW).await;
        assert_eq!(
            below["unit"]["belowDevelopmentMinimum"]["nodes"],
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
        assert_eq!(own["unit"]["belowDevelopmentMinimum"], json!({ "totalCount": 0, "nodes": [] }));
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
        let nips: Vec<&str> = head["unit"]["belowDevelopmentMinimum"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["employee"]["nip"].as_str().unwrap())
            .collect();
        assert_eq!(nips, ["198307112009022001", DIMAS]);
        let refused = run(&store, admin, Role::Analyst, &hours).await;
        assert!(refused.errors.iter().all(|e| e.message.contains("may not look a person up by NIP")), "{refused:?}");
        let masked = query(
            &store,
            admin,
            Role::Analyst,
            r#"{ unit(code: "DINKES") { members(first: 50, includeDescendants: true) { nodes { training(year: 2025) { certificate } } } } }"#,
        )
        .await;
        let certificates: Vec<&Value> = masked["unit"]["members"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|member| member["training"].as_array().unwrap())
            .map(|record| &record["certificate"])
            .collect();
        assert!(certificates.iter().any(|c| *c == "(masked)"), "{masked}");
        assert!(certificates.iter().all(|c| c.is_null() || *c == "(masked)"), "{masked}");
        store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}

/// Stores an annual evaluation for each sample employee with the given result rating and predikat.
async fn evaluate(store: &Store, results: &[(&str, RatingLevel, Predikat)]) {
    let bundles = store.plan_bundles(2025, None, None, 100).await.unwrap();
    let mut scored = Vec::new();
    for (nip, rating, predikat) in results {
        let plan = match bundles.iter().find(|b| b.employee.employee.nip.as_str() == *nip) {
            Some(bundle) => bundle.plan.clone(),
            None => store.seeder().create_plan(&Nip::parse(nip).unwrap(), 2025, Approach::Kuantitatif).await.unwrap(),
        };
        let mut plan_scored = scored_plan(&plan, Period::Year(2025), *predikat, Vec::new());
        plan_scored.evaluation.proposed_result_rating = *rating;
        scored.push(plan_scored);
    }
    store.save_evaluations(&scored).await.unwrap();
}

/// Hand-computed from the samples (pack permenpanrb-6-2022): kualifikasi s2 20, s1 15, d3 10; technical
/// training in 2025 or 2024 20; kinerja Sangat Baik 30, Baik 25, Butuh Perbaikan 15; disiplin none 5,
/// ringan 3. Kadis 20+0+25+5 = 50, Kabid 15+0+30+5 = 50, Ratna 15+0+25+5 = 45, Ayu 15+20+25+5 = 65,
/// Dimas 10+20+15+3 = 48; the dinas averages 258 ÷ 5 = 51.6.
#[tokio::test]
async fn professionalism_and_talent_boxes_follow_the_rule_pack() {
    for database in TestDatabase::all("professionalism_and_talent_boxes_follow_the_rule_pack").await.unwrap() {
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        load(&store).await;
        let backend = database.backend;
        let admin = "197204151998031004";
        evaluate(
            &store,
            &[
                (admin, RatingLevel::AsExpected, Predikat::Baik),
                ("197808212005012003", RatingLevel::AboveExpectation, Predikat::SangatBaik),
                ("198307112009022001", RatingLevel::AsExpected, Predikat::Baik),
                (AYU, RatingLevel::AboveExpectation, Predikat::Baik),
                (DIMAS, RatingLevel::BelowExpectation, Predikat::ButuhPerbaikan),
            ],
        )
        .await;

        let ayu = query(
            &store,
            admin,
            Role::HrAdmin,
            &format!(
                r#"{{ employee(nip: "{AYU}") {{ professionalism(year: 2025) {{ kualifikasi kompetensi kinerja disiplin index band }}
                   talentBox(year: 2025) {{ box rating potential }} }} }}"#
            ),
        )
        .await;
        assert_eq!(
            ayu["employee"]["professionalism"],
            json!({ "kualifikasi": "15", "kompetensi": "20", "kinerja": "25", "disiplin": "5", "index": "65", "band": "rendah" }),
            "{backend}"
        );
        assert_eq!(
            ayu["employee"]["talentBox"],
            json!({ "box": 9, "rating": "ABOVE_EXPECTATION", "potential": "TINGGI" })
        );
        let dimas = query(
            &store,
            admin,
            Role::HrAdmin,
            &format!(r#"{{ employee(nip: "{DIMAS}") {{ professionalism(year: 2025) {{ disiplin index band }} talentBox(year: 2025) {{ box }} }} }}"#),
        )
        .await;
        assert_eq!(
            dimas["employee"]["professionalism"],
            json!({ "disiplin": "3", "index": "48", "band": "sangat_rendah" })
        );
        assert_eq!(dimas["employee"]["talentBox"]["box"], 1);

        const UNIT: &str = r#"{ unit(code: "DINKES") { professionalism(year: 2025) { withheld people unscored average band bands { band people } }
            talentBoxes(year: 2025) { box rating potential count members { nodes { nip } } } } }"#;
        let unit = query(&store, admin, Role::HrAdmin, UNIT).await;
        assert_eq!(
            unit["unit"]["professionalism"],
            json!({ "withheld": false, "people": 5, "unscored": 0, "average": "51.6", "band": "sangat_rendah",
                    "bands": [{ "band": "sangat_tinggi", "people": 0 }, { "band": "tinggi", "people": 0 }, { "band": "sedang", "people": 0 },
                              { "band": "rendah", "people": 1 }, { "band": "sangat_rendah", "people": 4 }] }),
            "{backend}"
        );
        assert_eq!(
            unit["unit"]["talentBoxes"],
            json!([
                { "box": 9, "rating": "ABOVE_EXPECTATION", "potential": "TINGGI", "count": 2,
                  "members": { "nodes": [{ "nip": "197808212005012003" }, { "nip": AYU }] } },
                { "box": 5, "rating": "AS_EXPECTED", "potential": "MENENGAH", "count": 1,
                  "members": { "nodes": [{ "nip": "198307112009022001" }] } },
                { "box": 1, "rating": "BELOW_EXPECTATION", "potential": "RENDAH", "count": 1, "members": { "nodes": [{ "nip": DIMAS }] } },
            ]),
            "{backend}"
        );
        // The unit's average agrees with the people's own indexes.
        let mut total = rust_decimal::Decimal::ZERO;
        for nip in [admin, "197808212005012003", "198307112009022001", AYU, DIMAS] {
            let one = query(
                &store,
                admin,
                Role::HrAdmin,
                &format!(r#"{{ employee(nip: "{nip}") {{ professionalism(year: 2025) {{ index }} }} }}"#),
            )
            .await;
            total +=
                one["employee"]["professionalism"]["index"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
        }
        assert_eq!(total / rust_decimal::Decimal::from(5), "51.6".parse::<rust_decimal::Decimal>().unwrap());

        // Analysts see the index of the dinas's five, but not its 9-box of four (the Kadis has no potential
        // assessed), nor anything of the puskesmas of three.
        let analyst = query(&store, admin, Role::Analyst, UNIT).await;
        assert_eq!(analyst["unit"]["professionalism"]["average"], "51.6", "{backend}");
        assert_eq!(analyst["unit"]["talentBoxes"], Value::Null, "{backend}");
        let small = query(
            &store,
            admin,
            Role::Analyst,
            r#"{ unit(code: "DINKES-PKM-GILINGAN") { professionalism(year: 2025) { withheld average } talentBoxes(year: 2025) { box } } }"#,
        )
        .await;
        assert_eq!(
            small["unit"],
            json!({ "professionalism": { "withheld": true, "average": null }, "talentBoxes": null })
        );
        store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}
