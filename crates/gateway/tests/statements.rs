//! A unit page costs a fixed number of SQL statements, however many members it shows.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kinerja_domain::*;
use kinerja_gateway::{GatewayConfig, build_schema, execute};
use kinerja_store::records::*;
use kinerja_store::test_support::{TestDatabase, scored_plan};
use kinerja_store::{Batch, Store, StoreOptions};
use rust_decimal_macros::dec;
use uuid::Uuid;

const PAGE: &str = r#"
query Page($first: Int!) {
  unit(code: "UNIT") {
    name
    members(first: $first) {
      totalCount
      edges { node {
        nip name rank position { title } unit { code } superior { nip }
        plans(year: 2026) {
          year status
          workResults { code indicators { code target { kind low } realised achievement realisations { period value } } }
          feedback { text } behaviourRatings { value level } evaluation { predikat }
        }
      } }
    }
  }
}"#;

/// A unit with `members` employees, each with a plan of two work results with two indicators each.
fn unit_with_members(members: usize) -> Batch {
    let mut batch = Batch::default();
    let city = UnitRecord {
        id: Uuid::now_v7(),
        unit: Unit::new(UnitCode::parse("CITY").unwrap(), "Kota", UnitKind::City).unwrap(),
        parent_id: None,
        depth: 0,
    };
    let unit = UnitRecord {
        id: Uuid::now_v7(),
        unit: Unit::new(UnitCode::parse("UNIT").unwrap(), "Dinas", UnitKind::PerangkatDaerah).unwrap(),
        parent_id: Some(city.id),
        depth: 1,
    };
    let position = PositionRecord {
        id: Uuid::now_v7(),
        code: "UNIT-J01".into(),
        position: Position::new("Analis", PositionKind::AhliPertama).unwrap(),
        unit_id: unit.id,
    };
    for number in 0..members {
        let nip = Nip::parse(&format!("19900101201501{}{:03}", 1 + number % 2, number + 1)).unwrap();
        let employee = EmployeeRecord {
            id: Uuid::now_v7(),
            employee: Employee::new(
                nip,
                format!("Pegawai {number}"),
                EmploymentType::Pns,
                Rank::parse("III/a").unwrap(),
            )
            .unwrap(),
            position_id: position.id,
            unit_id: unit.id,
            superior_id: batch.employees.first().map(|e: &EmployeeRecord| e.id),
        };
        let plan = PlanRecord::new(employee.id, employee.superior_id, Plan::new(2026, Approach::Kuantitatif).unwrap());
        for result_number in 0..2 {
            let result = WorkResultRecord {
                id: Uuid::now_v7(),
                plan_id: plan.id,
                code: format!("RHK-{result_number}"),
                work_result: WorkResult::new("Hasil", WorkResultSection::Utama, None).unwrap(),
                parent_id: None,
                ordinal: result_number,
            };
            for indicator_number in 0..2 {
                let indicator = IndicatorRecord {
                    id: Uuid::now_v7(),
                    work_result_id: result.id,
                    code: format!("IKI-{indicator_number}"),
                    indicator: Indicator::new(
                        "Jumlah",
                        Aspect::Kuantitas,
                        Target::at_least(dec!(10)).unwrap(),
                        "dokumen",
                        Accumulation::Sum,
                    )
                    .unwrap(),
                    ordinal: indicator_number,
                };
                for quarter in 1..=2 {
                    batch.realisations.push(RealisationRecord {
                        id: Uuid::now_v7(),
                        indicator_id: indicator.id,
                        realisation: Realisation::new(
                            Period::Quarter(2026, quarter),
                            dec!(3),
                            Evidence::new(Some("Laporan".into()), None).unwrap(),
                        )
                        .unwrap(),
                        source: "manual".into(),
                        recorded_at: chrono::Utc::now(),
                        version: 1,
                    });
                }
                batch.indicators.push(indicator);
            }
            batch.work_results.push(result);
        }
        batch.plans.push(plan);
        batch.employees.push(employee);
    }
    batch.units = vec![city, unit];
    batch.positions = vec![position];
    batch
}

async fn statements_for_page(members: usize, batch_delay: Duration) -> u64 {
    let database = TestDatabase::sqlite();
    let counter = Arc::new(AtomicU64::new(0));
    let store =
        Store::connect(StoreOptions { statement_counter: Some(counter.clone()), ..StoreOptions::new(&database.url) })
            .await
            .unwrap();
    store.migrate().await.unwrap();
    store.seeder().insert_batch(unit_with_members(members)).await.unwrap();
    let config = GatewayConfig { batch_delay, ..GatewayConfig::default() };
    let schema = build_schema(store.clone(), kinerja_scoring::RulePacks::built_in().unwrap(), &config).await.unwrap();
    let request = async_graphql::Request::new(PAGE)
        .variables(async_graphql::Variables::from_json(serde_json::json!({ "first": members })));
    // The first member rates the others: a rater's scope puts the access filters in every statement.
    let rater = Nip::parse("199001012015011001").unwrap();
    let (actor, scope) = store.access(&rater, Role::Rater, 5).await.unwrap();
    let scoped = store.scoped(scope);
    counter.store(0, Ordering::SeqCst);
    let response = execute(&schema, &scoped, Some(actor), request).await;
    let statements = counter.load(Ordering::SeqCst);
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    let edges = data["unit"]["members"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), members);
    let indicator = &edges[0]["node"]["plans"][0]["workResults"][0]["indicators"][0];
    assert_eq!(indicator["realised"], "6");
    assert_eq!(indicator["achievement"], "60");
    store.close().await.unwrap();
    statements
}

#[tokio::test]
async fn a_unit_page_costs_the_same_statements_for_5_or_50_members() {
    // A generous batching window: unoptimised test builds enqueue sibling keys slowly.
    let few = statements_for_page(5, Duration::from_millis(50)).await;
    let many = statements_for_page(50, Duration::from_millis(50)).await;
    assert_eq!(few, many, "statements must not grow with the number of members");
    assert!(many <= 16, "a unit page with plans costs {many} statements");
}

#[tokio::test]
async fn a_unit_page_reads_its_nested_lists_ahead_without_a_batching_window() {
    // With no window a DataLoader splits a level's keys into several batches (async-graphql yields
    // between sibling fields); the members resolver reads the page's nested lists ahead instead.
    let few = statements_for_page(5, Duration::ZERO).await;
    let many = statements_for_page(70, Duration::ZERO).await;
    assert_eq!(few, many, "statements must not grow with the number of members");
}

/// Scores every plan of the batch twice, for the first quarter (`Kurang`) and for the year (`Baik`),
/// with an achievement for each indicator.
fn evaluations_of(batch: &Batch) -> Vec<ScoredPlan> {
    let scored = |plan: &PlanRecord, period: Period, predikat: Predikat| {
        let results: Vec<Uuid> = batch.work_results.iter().filter(|r| r.plan_id == plan.id).map(|r| r.id).collect();
        let achievements = batch
            .indicators
            .iter()
            .filter(|indicator| results.contains(&indicator.work_result_id))
            .map(|indicator| AchievementRecord {
                indicator_id: indicator.id,
                aspect: Aspect::Kuantitas,
                achievement: Some(dec!(60)),
            })
            .collect();
        scored_plan(plan, period, predikat, achievements)
    };
    batch
        .plans
        .iter()
        .flat_map(|plan| {
            [scored(plan, Period::Quarter(2026, 1), Predikat::Kurang), scored(plan, Period::Year(2026), Predikat::Baik)]
        })
        .collect()
}

/// A unit of scored employees, queried as its first member (who rates the others), counting statements.
struct ScoredUnit {
    store: Store,
    counter: Arc<AtomicU64>,
    schema: kinerja_gateway::KinerjaSchema,
    caller: (kinerja_store::Actor, Store),
}

impl ScoredUnit {
    async fn new(database: &TestDatabase, members: usize) -> Self {
        let counter = Arc::new(AtomicU64::new(0));
        let options = StoreOptions { statement_counter: Some(counter.clone()), ..StoreOptions::new(&database.url) };
        let store = Store::connect(options).await.unwrap();
        store.migrate().await.unwrap();
        let batch = unit_with_members(members);
        let scored = evaluations_of(&batch);
        store.seeder().insert_batch(batch).await.unwrap();
        store.save_evaluations(&scored).await.unwrap();
        let packs = kinerja_scoring::RulePacks::built_in().unwrap();
        let schema = build_schema(store.clone(), packs, &GatewayConfig::default()).await.unwrap();
        let rater = Nip::parse("199001012015011001").unwrap();
        let (actor, scope) = store.access(&rater, Role::Rater, 5).await.unwrap();
        let caller = (actor, store.scoped(scope));
        Self { store, counter, schema, caller }
    }

    /// The answer to `query` and the statements it cost.
    async fn query(&self, query: &str) -> (serde_json::Value, u64) {
        self.query_with(query, serde_json::json!({})).await
    }

    async fn query_with(&self, query: &str, variables: serde_json::Value) -> (serde_json::Value, u64) {
        self.counter.store(0, Ordering::SeqCst);
        let (actor, scoped) = &self.caller;
        let request = async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(variables));
        let response = execute(&self.schema, scoped, Some(actor.clone()), request).await;
        let statements = self.counter.load(Ordering::SeqCst);
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        (response.data.into_json().unwrap(), statements)
    }
}

#[tokio::test]
async fn dashboard_queries_join_one_to_one_links_into_their_parents_statement() {
    const EMPLOYEE: &str = r#"{ employee(nip: "199001012015012002") {
        nip unit { code name } plans(year: 2026) { evaluation { period predikat } } } }"#;
    const TEAM: &str = r#"{ unit(code: "UNIT") { code members(first: 50) { edges { node {
        nip plans(year: 2026) { evaluation(period: "2026-Q1") {
          predikat achievements { indicator { code } aspect achievement } } } } } } } }"#;
    const CITY: &str = r#"{ unit(code: "CITY") { members(first: 50, includeDescendants: true) { edges { node {
        nip rank unit { code } plans(year: 2026) { evaluation(period: "2026") { predikat proposedResultRating } }
      } } } } }"#;
    for database in TestDatabase::all("dashboard_queries_join_one_to_one_links").await.unwrap() {
        let unit = ScoredUnit::new(&database, 12).await;
        // A person's card: the employee, their unit, their plans and every evaluation (the latest is shown).
        let (employee, statements) = unit.query(EMPLOYEE).await;
        assert_eq!(employee["employee"]["unit"]["code"], "UNIT");
        let evaluation = &employee["employee"]["plans"][0]["evaluation"];
        assert_eq!((&evaluation["period"], &evaluation["predikat"]), (&"2026".into(), &"BAIK".into()));
        assert_eq!(statements, 1, "one employee with unit, plans and latest evaluation");
        // A year without plans still finds the employee; a second year is read on its own.
        let (no_plans, statements) = unit.query(&EMPLOYEE.replace("plans(year: 2026)", "plans(year: 2025)")).await;
        assert_eq!(no_plans["employee"]["nip"], "199001012015012002");
        assert_eq!(no_plans["employee"]["plans"], serde_json::json!([]));
        assert_eq!(statements, 1);
        let two_years = EMPLOYEE.replace("plans(year: 2026) {", "old: plans(year: 2025) { year } plans(year: 2026) {");
        let (both, statements) = unit.query(&two_years).await;
        assert_eq!(both["employee"]["old"], serde_json::json!([]));
        assert_eq!(both["employee"]["plans"][0]["evaluation"]["predikat"], "BAIK");
        assert_eq!(statements, 2);

        // The unit; the page; plans joined with the quarter's evaluation; achievements joined with indicators.
        let (team, statements) = unit.query(TEAM).await;
        let edges = team["unit"]["members"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 12);
        for edge in edges {
            let evaluation = &edge["node"]["plans"][0]["evaluation"];
            assert_eq!(evaluation["predikat"], "KURANG", "the first quarter's evaluation, not the year's");
            let achievements = evaluation["achievements"].as_array().unwrap();
            assert_eq!(achievements.len(), 4);
            for achievement in achievements {
                assert!(achievement["indicator"]["code"].as_str().unwrap().starts_with("IKI-"), "{achievement}");
                assert_eq!((&achievement["aspect"], &achievement["achievement"]), (&"KUANTITAS".into(), &"60".into()));
            }
        }
        assert_eq!(statements, 4, "unit, page, plans with evaluations, achievements with indicators");

        // The city; its path; the subtree's page joined with units; plans joined with the year's evaluation.
        let (city, statements) = unit.query(CITY).await;
        let edges = city["unit"]["members"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 12);
        assert!(edges.iter().all(|edge| edge["node"]["unit"]["code"] == "UNIT"));
        assert!(edges.iter().all(|edge| edge["node"]["plans"][0]["evaluation"]["predikat"] == "BAIK"));
        assert_eq!(statements, 4, "unit, unit path, page with units, plans with evaluations");
        unit.store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}

#[tokio::test]
async fn a_repeated_query_text_answers_each_requests_variables() {
    // The parsed document is kept by its text; skipping a field must still follow each request's variables.
    const CARD: &str = r#"query($full: Boolean!, $nip: String!) {
        employee(nip: $nip) { nip unit @include(if: $full) { code } } }"#;
    let database = TestDatabase::sqlite();
    let unit = ScoredUnit::new(&database, 3).await;
    let (full, _) = unit.query_with(CARD, serde_json::json!({ "full": true, "nip": "199001012015012002" })).await;
    assert_eq!(full["employee"]["unit"]["code"], "UNIT");
    let (short, _) = unit.query_with(CARD, serde_json::json!({ "full": false, "nip": "199001012015011003" })).await;
    assert_eq!(short["employee"]["nip"], "199001012015011003");
    assert!(short["employee"].get("unit").is_none(), "unit skipped: {short}");
    let (again, _) = unit.query_with(CARD, serde_json::json!({ "full": true, "nip": "199001012015011001" })).await;
    assert_eq!(again["employee"]["unit"]["code"], "UNIT");
    unit.store.close().await.unwrap();
}
