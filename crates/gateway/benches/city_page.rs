//! W6 in process: the city page (the first 1,000 employees of the city by NIP with rank, unit code and
//! the year's predikat and proposed ratings) on SQLite, answered through GraphQL and serialised, beside
//! the reference — the same rows read through the store, without GraphQL. The ratio between the two is
//! what the GraphQL layer costs; `scripts/bench.sh` measures the same page over HTTP and PostgreSQL.

use criterion::{Criterion, criterion_group, criterion_main};
use kinerja_domain::*;
use kinerja_gateway::{GatewayConfig, KinerjaSchema, build_schema, execute};
use kinerja_store::records::*;
use kinerja_store::test_support::{TestDatabase, scored_plan};
use kinerja_store::{Actor, Batch, Store, StoreOptions};
use uuid::Uuid;

const EMPLOYEES: usize = 1_200;
const PAGE: usize = 1_000;
const YEAR: i32 = 2025;
const DEPARTMENTS: usize = 8;

const CITY_PAGE: &str = r#"{ unit(code: "CITY") { members(first: 1000, includeDescendants: true) { edges { node {
  nip name rank unit { code }
  plans(year: 2025) { evaluation(period: "2025") { predikat proposedResultRating proposedBehaviourRating } }
} } } } }"#;

/// A city of `DEPARTMENTS` departments sharing `EMPLOYEES` employees, each with a plan for `YEAR`
/// scored for the year; the first employee heads the city.
fn scored_city() -> (Batch, Vec<ScoredPlan>) {
    let mut batch = Batch::default();
    let unit = |code: &str, kind, parent_id, depth| UnitRecord {
        id: Uuid::now_v7(),
        unit: Unit::new(UnitCode::parse(code).unwrap(), format!("Unit {code}"), kind).unwrap(),
        parent_id,
        depth,
    };
    let city = unit("CITY", UnitKind::City, None, 0);
    let departments: Vec<UnitRecord> = (0..DEPARTMENTS)
        .map(|number| unit(&format!("DINAS-{number}"), UnitKind::PerangkatDaerah, Some(city.id), 1))
        .collect();
    let position = PositionRecord {
        id: Uuid::now_v7(),
        code: "CITY-J01".into(),
        position: Position::new("Analis", PositionKind::AhliPertama).unwrap(),
        unit_id: city.id,
    };
    let mut scored = Vec::new();
    for number in 0..EMPLOYEES {
        // Birth day and sequence number spread the NIPs over more than the 999 a day holds.
        let nip = format!("199001{:02}201501{}{:03}", 1 + number / 500, 1 + number % 2, 1 + number % 500);
        let employee = EmployeeRecord {
            id: Uuid::now_v7(),
            employee: Employee::new(
                Nip::parse(&nip).unwrap(),
                format!("Pegawai {number}"),
                EmploymentType::Pns,
                Rank::parse("III/a").unwrap(),
            )
            .unwrap(),
            position_id: position.id,
            unit_id: departments[number % DEPARTMENTS].id,
            superior_id: batch.employees.first().map(|e: &EmployeeRecord| e.id),
        };
        let plan = PlanRecord::new(employee.id, employee.superior_id, Plan::new(YEAR, Approach::Kuantitatif).unwrap());
        scored.push(scored_plan(&plan, Period::Year(YEAR), Predikat::Baik, Vec::new()));
        batch.plans.push(plan);
        batch.employees.push(employee);
    }
    batch.units = std::iter::once(city).chain(departments).collect();
    batch.positions = vec![position];
    (batch, scored)
}

struct City {
    store: Store,
    schema: KinerjaSchema,
    caller: (Actor, Store),
    _database: TestDatabase,
}

impl City {
    async fn new() -> Self {
        let database = TestDatabase::sqlite();
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        let (batch, scored) = scored_city();
        let head = batch.employees[0].employee.nip.clone();
        store.seeder().insert_batch(batch).await.unwrap();
        store.save_evaluations(&scored).await.unwrap();
        let packs = kinerja_scoring::RulePacks::built_in().unwrap();
        let schema = build_schema(store.clone(), packs, &GatewayConfig::default()).await.unwrap();
        let (actor, scope) = store.access(&head, Role::HrAdmin, 5).await.unwrap();
        let caller = (actor, store.scoped(scope));
        Self { store, schema, caller, _database: database }
    }

    /// The page through GraphQL, serialised as the server sends it; its size in bytes.
    async fn page(&self) -> usize {
        let (actor, store) = &self.caller;
        let response = execute(&self.schema, store, Some(actor.clone()), CITY_PAGE).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        serde_json::to_vec(&response).unwrap().len()
    }

    /// The same rows through the store alone: the city, the page of members with their units, and their
    /// plans of the year with the year's evaluation.
    async fn rows(&self) -> usize {
        let store = &self.caller.1;
        let city = store.unit_by_code(&UnitCode::parse("CITY").unwrap()).await.unwrap();
        let subtree = kinerja_store::MemberFilter { include_descendants: true, ..Default::default() };
        let page = kinerja_store::MemberPage { limit: PAGE as u64 + 1, ..Default::default() };
        let members = store.unit_members_with_units(&city, &subtree, &page).await.unwrap();
        let ids: Vec<Uuid> = members.iter().take(PAGE).map(|(employee, _)| employee.id).collect();
        let plans =
            store.plans_of_employees_with_evaluations(&ids, Some(YEAR), Some(Period::Year(YEAR))).await.unwrap();
        assert_eq!(plans.len(), PAGE);
        plans.len()
    }
}

fn city_page(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let city = runtime.block_on(City::new());
    let mut group = c.benchmark_group("w6_city_page_1000");
    group.bench_function("store_rows_reference", |b| b.to_async(&runtime).iter(|| city.rows()));
    group.bench_function("graphql_page", |b| b.to_async(&runtime).iter(|| city.page()));
    group.finish();
    runtime.block_on(city.store.close()).unwrap();
}

criterion_group!(benches, city_page);
criterion_main!(benches);
