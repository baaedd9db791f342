//! The repository suite: every test runs on SQLite and, when `KINERJA_TEST_DATABASE_URL` is set, on a
//! fresh PostgreSQL database of its own.

use std::future::Future;

use kinerja_domain::*;
use kinerja_scoring::FinalRatings;
use kinerja_store::records::*;
use kinerja_store::test_support::{TestDatabase, scored_plan};
use kinerja_store::{
    Actor, Batch, FeedbackSubject, MemberFilter, MemberOrder, MemberPage, NewActivity, NewDecision, NewDialogue,
    NewEmployee, Store, StoreError, StoreOptions,
};
use rust_decimal_macros::dec;
use uuid::Uuid;

async fn on_every_database<F, Fut>(test_name: &str, test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    for database in TestDatabase::all(test_name).await.expect("test database") {
        eprintln!("{test_name}: running on {}", database.backend);
        let store = Store::connect(StoreOptions::new(&database.url)).await.expect("connect");
        store.migrate().await.expect("migrate");
        test(store.clone()).await;
        store.close().await.expect("close");
        database.dispose().await.expect("dispose");
    }
}

fn code(text: &str) -> UnitCode {
    UnitCode::parse(text).unwrap()
}

fn nip(text: &str) -> Nip {
    Nip::parse(text).unwrap()
}

const HEAD_NIP: &str = "197001011995031001";
const STAFF_NIP: &str = "199005052015032002";
const OTHER_NIP: &str = "198812122012121003";

struct Organisation {
    head_plan: PlanRecord,
    head_work_result: WorkResultRecord,
    staff_plan: PlanRecord,
}

/// A city with one dinas and one bidang, a head and two staff, and plans for 2026.
async fn organisation(store: &Store) -> Organisation {
    store
        .create_unit(Unit::new(code("SKA"), "Pemerintah Kota Surakarta", UnitKind::City).unwrap(), None)
        .await
        .unwrap();
    store
        .create_unit(
            Unit::new(code("DINKES"), "Dinas Kesehatan", UnitKind::PerangkatDaerah).unwrap(),
            Some(&code("SKA")),
        )
        .await
        .unwrap();
    store
        .create_unit(
            Unit::new(code("DINKES-YANKES"), "Bidang Pelayanan Kesehatan", UnitKind::Bidang).unwrap(),
            Some(&code("DINKES")),
        )
        .await
        .unwrap();
    store
        .create_position(
            "DINKES-KADIN",
            Position::new("Kepala Dinas Kesehatan", PositionKind::JptPratama).unwrap(),
            &code("DINKES"),
        )
        .await
        .unwrap();
    store
        .create_position(
            "DINKES-YANKES-STAF",
            Position::new("Analis Pelayanan Kesehatan", PositionKind::Pelaksana).unwrap(),
            &code("DINKES-YANKES"),
        )
        .await
        .unwrap();
    let pns = |text: &str, name: &str, rank: &str| {
        Employee::new(nip(text), name, EmploymentType::Pns, Rank::parse(rank).unwrap()).unwrap()
    };
    store
        .create_employee(NewEmployee {
            employee: pns(HEAD_NIP, "dr. Siti Wahyuningsih", "IV/c"),
            position_code: "DINKES-KADIN".into(),
            unit_code: code("DINKES"),
            superior_nip: None,
        })
        .await
        .unwrap();
    for (text, name) in [(STAFF_NIP, "Rina Kusumawati"), (OTHER_NIP, "Agus Prasetyo")] {
        store
            .create_employee(NewEmployee {
                employee: pns(text, name, "III/a"),
                position_code: "DINKES-YANKES-STAF".into(),
                unit_code: code("DINKES-YANKES"),
                superior_nip: Some(nip(HEAD_NIP)),
            })
            .await
            .unwrap();
    }
    let head_plan = store.seeder().create_plan(&nip(HEAD_NIP), 2026, Approach::Kuantitatif).await.unwrap();
    let head_work_result = store
        .seeder()
        .add_work_result(
            head_plan.id,
            "RHK-1",
            WorkResult::new(
                "Meningkatnya cakupan pelayanan kesehatan dasar",
                WorkResultSection::Utama,
                Some("Penerima Layanan".into()),
            )
            .unwrap(),
            None,
        )
        .await
        .unwrap();
    let staff_plan = store.seeder().create_plan(&nip(STAFF_NIP), 2026, Approach::Kuantitatif).await.unwrap();
    Organisation { head_plan, head_work_result, staff_plan }
}

async fn counts(store: &Store) -> Vec<(&'static str, u64)> {
    store.row_counts().await.unwrap()
}

#[tokio::test]
async fn the_organisation_round_trips() {
    on_every_database("the_organisation_round_trips", |store| async move {
        organisation(&store).await;
        let bidang = store.unit_by_code(&code("DINKES-YANKES")).await.unwrap();
        assert_eq!(bidang.unit.kind, UnitKind::Bidang);
        assert_eq!(bidang.depth, 2);
        let ancestors: Vec<String> =
            store.unit_ancestors(bidang.id).await.unwrap().into_iter().map(|u| u.unit.code.to_string()).collect();
        assert_eq!(ancestors, ["SKA", "DINKES"]);
        let dinkes = store.unit_by_code(&code("DINKES")).await.unwrap();
        let children = store.children_of_units(&[dinkes.id]).await.unwrap();
        assert_eq!(children.len(), 1);
        assert_eq!(children[0].id, bidang.id);

        let head = store.employee_by_nip(&nip(HEAD_NIP)).await.unwrap();
        assert_eq!(head.employee.name, "dr. Siti Wahyuningsih");
        assert_eq!(head.employee.rank.to_string(), "IV/c");
        let staff = store.employee_by_nip(&nip(STAFF_NIP)).await.unwrap();
        assert_eq!(staff.superior_id, Some(head.id));

        let unit_only = MemberFilter::default();
        let subtree = MemberFilter { include_descendants: true, ..MemberFilter::default() };
        let page = |after: Option<Uuid>, limit: u64| MemberPage { after, limit, ..MemberPage::default() };
        assert_eq!(store.unit_member_count(&dinkes, &unit_only).await.unwrap(), 1);
        assert_eq!(store.unit_member_count(&dinkes, &subtree).await.unwrap(), 3);
        let first_page = store.unit_members(&dinkes, &subtree, &page(None, 2)).await.unwrap();
        let second_page = store.unit_members(&dinkes, &subtree, &page(Some(first_page[1].id), 2)).await.unwrap();
        let mut nips: Vec<String> = first_page.iter().chain(&second_page).map(|e| e.employee.nip.to_string()).collect();
        assert_eq!(nips.len(), 3);
        let sorted = {
            let mut s = nips.clone();
            s.sort();
            s
        };
        assert_eq!(nips, sorted, "members are ordered by NIP");
        nips.dedup();
        assert_eq!(nips.len(), 3, "pages do not overlap");
        // Read with their units, pages hold the same members (the subtree is told by the joined unit).
        for (unit, include_descendants, expected) in [(&dinkes, true, 3), (&dinkes, false, 1), (&bidang, true, 2)] {
            let filter = MemberFilter { include_descendants, ..MemberFilter::default() };
            for after in [None, Some(first_page[0].id)] {
                let plain = store.unit_members(unit, &filter, &page(after, 10)).await.unwrap();
                let joined = store.unit_members_with_units(unit, &filter, &page(after, 10)).await.unwrap();
                let ids = |members: Vec<&EmployeeRecord>| members.into_iter().map(|e| e.id).collect::<Vec<_>>();
                assert_eq!(ids(joined.iter().map(|(e, _)| e).collect()), ids(plain.iter().collect()));
                assert!(joined.iter().all(|(member, own)| member.unit_id == own.id), "each member with their own unit");
                if after.is_none() {
                    assert_eq!(
                        joined.len(),
                        expected,
                        "members of {} (subtree: {include_descendants})",
                        unit.unit.code
                    );
                }
            }
        }

        // By name, from the end, before a member, and filtered by part of a name.
        let by_name = |before: Option<Uuid>, limit: u64, from_end: bool| MemberPage {
            order: MemberOrder::Name,
            before,
            limit,
            from_end,
            ..MemberPage::default()
        };
        let all = store.unit_members(&dinkes, &subtree, &by_name(None, 10, false)).await.unwrap();
        let names: Vec<&str> = all.iter().map(|e| e.employee.name.as_str()).collect();
        assert!(names.windows(2).all(|pair| pair[0] <= pair[1]), "by name: {names:?}");
        let ids = |members: &[EmployeeRecord]| members.iter().map(|e| e.id).collect::<Vec<_>>();
        let last_two = store.unit_members(&dinkes, &subtree, &by_name(None, 2, true)).await.unwrap();
        assert_eq!(ids(&last_two), ids(&all[1..]), "the last two, in order");
        let before_last = store.unit_members(&dinkes, &subtree, &by_name(Some(all[2].id), 1, true)).await.unwrap();
        assert_eq!(ids(&before_last), ids(&all[1..2]));
        let part: String = all[0].employee.name.chars().skip(1).take(3).collect::<String>().to_uppercase();
        let named = MemberFilter { name_contains: Some(part), ..subtree.clone() };
        let found = store.unit_members(&dinkes, &named, &by_name(None, 10, false)).await.unwrap();
        assert!(ids(&found).contains(&all[0].id), "a part of a name, in any case, finds the member");
        assert!(found.len() as u64 == store.unit_member_count(&dinkes, &named).await.unwrap());

        let found: Vec<String> = store
            .search_units("pelayanan", 0, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.unit.code.to_string())
            .collect();
        assert_eq!(found, ["DINKES-YANKES"]);
        assert!(
            store.search_units("100%", 0, 10).await.unwrap().is_empty(),
            "wildcards in the search text are literal"
        );
        let every = store.search_units("", 0, 100).await.unwrap();
        assert_eq!(every.len() as u64, store.search_units_count("").await.unwrap());
        let second: Vec<_> = store.search_units("", 1, 2).await.unwrap().into_iter().map(|u| u.id).collect();
        assert_eq!(second, every[1..3].iter().map(|u| u.id).collect::<Vec<_>>(), "an offset skips that many");
    })
    .await;
}

#[tokio::test]
async fn plans_cascade_and_keep_decimals_exact() {
    on_every_database("plans_cascade_and_keep_decimals_exact", |store| async move {
        let org = organisation(&store).await;
        let child = store
            .seeder()
            .add_work_result(
                org.staff_plan.id,
                "RHK-1",
                WorkResult::new("Terlaksananya pelayanan kesehatan dasar di puskesmas", WorkResultSection::Utama, None)
                    .unwrap(),
                Some(org.head_work_result.id),
            )
            .await
            .unwrap();
        let indicator = store
            .seeder()
            .add_indicator(
                child.id,
                "IKI-1",
                Indicator::new(
                    "Jumlah kunjungan pelayanan",
                    Aspect::Kuantitas,
                    Target::at_least(dec!(1200.5)).unwrap(),
                    "kunjungan",
                    Accumulation::Sum,
                )
                .unwrap(),
            )
            .await
            .unwrap();
        let evidence =
            Evidence::new(Some("Rekap aplikasi pelayanan".into()), Some("https://simpus.example/rekap/1".into()))
                .unwrap();
        store
            .seeder()
            .record_realisation(
                indicator.id,
                Realisation::new(Period::Quarter(2026, 1), dec!(0.1), evidence.clone()).unwrap(),
                "manual",
            )
            .await
            .unwrap();
        store
            .seeder()
            .record_realisation(
                indicator.id,
                Realisation::new(Period::Quarter(2026, 2), dec!(312.3456), evidence).unwrap(),
                "activity:health_visit",
            )
            .await
            .unwrap();

        let work_results = store.work_results_of_plans(&[org.staff_plan.id]).await.unwrap();
        assert_eq!(work_results[0].parent_id, Some(org.head_work_result.id));
        let indicators = store.indicators_of_work_results(&[child.id]).await.unwrap();
        assert_eq!(indicators[0].indicator.target, Target::AtLeast { value: dec!(1200.5) });
        let realisations = store.realisations_of_indicators(&[indicator.id]).await.unwrap();
        let values: Vec<_> = realisations.iter().map(|r| r.realisation.value).collect();
        assert_eq!(values, [dec!(0.1), dec!(312.3456)]);
        assert_eq!(realisations[1].source, "activity:health_visit");

        store
            .seeder()
            .add_feedback(
                FeedbackSubject::Indicator(indicator.id),
                FeedbackNote::new(FeedbackKind::Praise, "Capaian kunjungan sangat baik", None).unwrap(),
                Some(&nip(HEAD_NIP)),
            )
            .await
            .unwrap();
        let feedback = store.feedback_of_plans(&[org.staff_plan.id]).await.unwrap();
        assert_eq!(feedback.len(), 1);
        assert_eq!(feedback[0].indicator_id, Some(indicator.id));

        let rating = BehaviourRating {
            value: BerakhlakValue::Kompeten,
            level: RatingLevel::AsExpected,
            expectation: None,
            note: None,
        };
        store.seeder().rate_behaviour(org.staff_plan.id, Period::Year(2026), rating.clone()).await.unwrap();
        let raised = BehaviourRating { level: RatingLevel::AboveExpectation, ..rating };
        store.seeder().rate_behaviour(org.staff_plan.id, Period::Year(2026), raised).await.unwrap();
        let ratings = store.behaviour_of_plans(&[org.staff_plan.id]).await.unwrap();
        assert_eq!(ratings.len(), 1, "a second rating of the same value replaces the first");
        assert_eq!(ratings[0].rating.level, RatingLevel::AboveExpectation);

        let plans = store.plans_of_employees(&[org.head_plan.employee_id], Some(2026)).await.unwrap();
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].plan.status, PlanStatus::Draft);
        assert_eq!(plans[0].version, 1);
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_nip_is_refused_and_nothing_is_written() {
    on_every_database("a_duplicate_nip_is_refused_and_nothing_is_written", |store| async move {
        organisation(&store).await;
        let before = counts(&store).await;
        let error = store
            .create_employee(NewEmployee {
                employee: Employee::new(nip(STAFF_NIP), "Nama Lain", EmploymentType::Pns, Rank::parse("II/c").unwrap())
                    .unwrap(),
                position_code: "DINKES-YANKES-STAF".into(),
                unit_code: code("DINKES-YANKES"),
                superior_nip: None,
            })
            .await
            .unwrap_err();
        assert!(matches!(&error, StoreError::Duplicate { key, .. } if key == STAFF_NIP), "{error}");
        assert_eq!(error.to_string(), format!("employee with NIP '{STAFF_NIP}' already exists"));
        assert_eq!(counts(&store).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_unit_move_that_makes_a_cycle_is_refused() {
    on_every_database("a_unit_move_that_makes_a_cycle_is_refused", |store| async move {
        organisation(&store).await;
        store
            .create_unit(
                Unit::new(code("DINKES-YANKES-RUJ"), "Seksi Pelayanan Rujukan", UnitKind::Seksi).unwrap(),
                Some(&code("DINKES-YANKES")),
            )
            .await
            .unwrap();
        let error = store.move_unit(&code("DINKES-YANKES"), &code("DINKES-YANKES-RUJ")).await.unwrap_err();
        assert!(
            error.to_string().contains("would make a cycle (DINKES-YANKES → DINKES-YANKES-RUJ → DINKES-YANKES)"),
            "{error}"
        );
        let seksi = store.unit_by_code(&code("DINKES-YANKES-RUJ")).await.unwrap();
        assert_eq!(seksi.depth, 3, "the tree is unchanged");

        // A legal move carries the subtree along.
        store
            .create_unit(
                Unit::new(code("DINSOS"), "Dinas Sosial", UnitKind::PerangkatDaerah).unwrap(),
                Some(&code("SKA")),
            )
            .await
            .unwrap();
        store.move_unit(&code("DINKES-YANKES"), &code("DINSOS")).await.unwrap();
        let ancestors: Vec<String> =
            store.unit_ancestors(seksi.id).await.unwrap().into_iter().map(|u| u.unit.code.to_string()).collect();
        assert_eq!(ancestors, ["SKA", "DINSOS", "DINKES-YANKES"]);
        let dinsos = store.unit_by_code(&code("DINSOS")).await.unwrap();
        assert_eq!(
            store
                .unit_member_count(&dinsos, &MemberFilter { include_descendants: true, ..MemberFilter::default() })
                .await
                .unwrap(),
            2
        );
        let unplaced = store
            .create_unit(Unit::new(code("KEL-X"), "Kelurahan X", UnitKind::Kelurahan).unwrap(), Some(&code("DINSOS")))
            .await;
        assert!(matches!(unplaced, Err(StoreError::Invalid(DomainError::Unit(UnitError::ParentKind { .. })))));
    })
    .await;
}

#[tokio::test]
async fn a_rater_chain_loop_is_refused() {
    on_every_database("a_rater_chain_loop_is_refused", |store| async move {
        organisation(&store).await;
        let error = store.set_superior(&nip(HEAD_NIP), &nip(STAFF_NIP)).await.unwrap_err();
        assert!(error.to_string().contains("loop"), "{error}");
        assert_eq!(store.employee_by_nip(&nip(HEAD_NIP)).await.unwrap().superior_id, None);
    })
    .await;
}

#[tokio::test]
async fn a_work_result_linked_across_years_is_refused() {
    on_every_database("a_work_result_linked_across_years_is_refused", |store| async move {
        let org = organisation(&store).await;
        let next_year = store.seeder().create_plan(&nip(STAFF_NIP), 2027, Approach::Kuantitatif).await.unwrap();
        let before = counts(&store).await;
        let error = store
            .seeder()
            .add_work_result(
                next_year.id,
                "RHK-1",
                WorkResult::new("Hasil kerja 2027", WorkResultSection::Utama, None).unwrap(),
                Some(org.head_work_result.id),
            )
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "work result of the 2027 plan cannot intervene a work result of the 2026 plan");
        let other = store.seeder().create_plan(&nip(OTHER_NIP), 2026, Approach::Kuantitatif).await.unwrap();
        let staff_result = store
            .seeder()
            .add_work_result(
                org.staff_plan.id,
                "RHK-1",
                WorkResult::new("Hasil", WorkResultSection::Utama, None).unwrap(),
                None,
            )
            .await
            .unwrap();
        let sideways = store
            .seeder()
            .add_work_result(
                other.id,
                "RHK-1",
                WorkResult::new("Hasil", WorkResultSection::Utama, None).unwrap(),
                Some(staff_result.id),
            )
            .await
            .unwrap_err();
        assert!(matches!(sideways, StoreError::Invalid(DomainError::Plan(PlanError::CascadeNotRater))));
        let after = counts(&store).await;
        let work_results = |c: &[(&str, u64)]| c.iter().find(|(t, _)| *t == "work_results").unwrap().1;
        assert_eq!(work_results(&after), work_results(&before) + 1, "only the legal work result was written");
    })
    .await;
}

#[tokio::test]
async fn a_realisation_for_an_unknown_indicator_or_wrong_year_is_refused() {
    on_every_database("a_realisation_for_an_unknown_indicator_or_wrong_year_is_refused", |store| async move {
        let org = organisation(&store).await;
        let before = counts(&store).await;
        let evidence = Evidence::new(Some("Laporan".into()), None).unwrap();
        let missing = Uuid::now_v7();
        let error = store
            .seeder()
            .record_realisation(
                missing,
                Realisation::new(Period::Quarter(2026, 1), dec!(3), evidence.clone()).unwrap(),
                "manual",
            )
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), "indicator not found", "a person cannot act on an id");
        let indicator = store
            .seeder()
            .add_indicator(
                org.head_work_result.id,
                "IKI-1",
                Indicator::new(
                    "Cakupan",
                    Aspect::Kualitas,
                    Target::between(dec!(80), dec!(100)).unwrap(),
                    "%",
                    Accumulation::Latest,
                )
                .unwrap(),
            )
            .await
            .unwrap();
        let wrong_year = store
            .seeder()
            .record_realisation(
                indicator.id,
                Realisation::new(Period::Quarter(2025, 4), dec!(90), evidence).unwrap(),
                "manual",
            )
            .await
            .unwrap_err();
        assert_eq!(wrong_year.to_string(), "period 2025-Q4 lies outside the plan year 2026");
        let after = counts(&store).await;
        let realisations = |c: &[(&str, u64)]| c.iter().find(|(t, _)| *t == "realisations").unwrap().1;
        assert_eq!(realisations(&after), realisations(&before));
    })
    .await;
}

#[tokio::test]
async fn a_batch_with_a_broken_row_writes_nothing() {
    on_every_database("a_batch_with_a_broken_row_writes_nothing", |store| async move {
        organisation(&store).await;
        let before = counts(&store).await;
        let ska = store.unit_by_code(&code("SKA")).await.unwrap();
        let unit_id = Uuid::now_v7();
        let batch = Batch {
            units: vec![UnitRecord {
                id: unit_id,
                unit: Unit::new(code("DLH"), "Dinas Lingkungan Hidup", UnitKind::PerangkatDaerah).unwrap(),
                parent_id: Some(ska.id),
                depth: 1,
            }],
            employees: vec![EmployeeRecord {
                id: Uuid::now_v7(),
                employee: Employee::new(
                    nip("199101012016011001"),
                    "Budi",
                    EmploymentType::Pns,
                    Rank::parse("II/a").unwrap(),
                )
                .unwrap(),
                position_id: Uuid::now_v7(), // no such position
                unit_id,
                superior_id: None,
            }],
            ..Batch::default()
        };
        assert!(store.seeder().insert_batch(batch).await.is_err());
        assert_eq!(counts(&store).await, before, "the unit written before the broken row was rolled back");
    })
    .await;
}

#[tokio::test]
async fn evaluations_are_replaced_and_counted_by_unit_subtree() {
    on_every_database("evaluations_are_replaced_and_counted_by_unit_subtree", |store| async move {
        let org = organisation(&store).await;
        let other = store.seeder().create_plan(&nip(OTHER_NIP), 2026, Approach::Kuantitatif).await.unwrap();
        let evaluation =
            |plan: &PlanRecord, predikat: Predikat| scored_plan(plan, Period::Quarter(2026, 3), predikat, Vec::new());
        store
            .save_evaluations(&[
                evaluation(&org.staff_plan, Predikat::ButuhPerbaikan),
                evaluation(&other, Predikat::Baik),
                evaluation(&org.head_plan, Predikat::Baik),
            ])
            .await
            .unwrap();
        // Scoring again replaces the period's evaluation instead of adding a second one.
        store.save_evaluations(&[evaluation(&org.staff_plan, Predikat::SangatBaik)]).await.unwrap();
        let stored = store.evaluations_of_plans(&[org.staff_plan.id], None).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].predikat, Predikat::SangatBaik);
        assert_eq!(stored[0].period, Period::Quarter(2026, 3));

        // Plans read with the evaluations of a period: the one scored, or none when the joined row is
        // missing (a period never scored).
        let employees = [org.staff_plan.employee_id, other.employee_id];
        let scored = async |period: Period| {
            let found = store.plans_of_employees_with_evaluations(&employees, Some(2026), Some(period)).await;
            let mut plans: Vec<_> = found
                .unwrap()
                .into_iter()
                .map(|(plan, evaluations)| (plan.id, evaluations.iter().map(|e| e.predikat).collect::<Vec<_>>()))
                .collect();
            plans.sort();
            plans
        };
        let mut expected = vec![(org.staff_plan.id, vec![Predikat::SangatBaik]), (other.id, vec![Predikat::Baik])];
        expected.sort();
        assert_eq!(scored(Period::Quarter(2026, 3)).await, expected);
        let mut unscored = vec![(org.staff_plan.id, vec![]), (other.id, vec![])];
        unscored.sort();
        assert_eq!(scored(Period::Year(2026)).await, unscored);

        let dinkes = store.unit_by_code(&code("DINKES")).await.unwrap();
        let bidang = store.unit_by_code(&code("DINKES-YANKES")).await.unwrap();
        let packs = kinerja_scoring::RulePacks::built_in().unwrap();
        let pack = packs.for_year(2026).unwrap();
        store.set_organisation_rating(None, pack, &dinkes, 2026, OrganisationPredikat::Baik).await.unwrap();
        let checked =
            store.set_organisation_rating(None, pack, &dinkes, 2026, OrganisationPredikat::Istimewa).await.unwrap();
        // Counted over the subtree from each plan's latest evaluation (the third quarter's), against the new
        // predikat, and kept once (the second setting replaced the first check).
        assert_eq!((checked.counts, checked.organisation_predikat), ([1, 2, 0, 0, 0], OrganisationPredikat::Istimewa));
        let ratings = store.organisation_ratings(2026).await.unwrap();
        assert_eq!(ratings.len(), 1);
        assert_eq!(ratings[0].predikat, OrganisationPredikat::Istimewa);
        let stored = store.distributions_of_units(&[dinkes.id], 2026).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].counts, [1, 2, 0, 0, 0]);

        let bundles = store.plan_bundles(2026, Some(&bidang), None, 10).await.unwrap();
        assert_eq!(bundles.len(), 2, "the two staff of the bidang have 2026 plans");
        assert_eq!(store.plan_count(2026, None).await.unwrap(), 3);
        let first = store.plan_bundles(2026, None, None, 2).await.unwrap();
        let rest = store.plan_bundles(2026, None, Some(first[1].plan.id), 2).await.unwrap();
        assert_eq!(first.len() + rest.len(), 3, "pages by plan id cover every plan once");
    })
    .await;
}

/// The staff plan with one utama work result intervening the head's and one indicator.
async fn staff_draft(store: &Store, org: &Organisation) -> (Actor, Actor, WorkResultRecord, IndicatorRecord) {
    let staff = store.actor(&nip(STAFF_NIP)).await.unwrap();
    let head = store.actor(&nip(HEAD_NIP)).await.unwrap();
    let result = store
        .add_work_result_as(
            &staff,
            org.staff_plan.id,
            1,
            "RHK-1",
            WorkResult::new("Pelayanan dasar", WorkResultSection::Utama, None).unwrap(),
            Some(org.head_work_result.id),
        )
        .await
        .unwrap();
    let indicator = store
        .add_indicator_as(
            &staff,
            result.id,
            2,
            "IKI-1",
            Indicator::new(
                "Jumlah kunjungan",
                Aspect::Kuantitas,
                Target::at_least(dec!(1200)).unwrap(),
                "kunjungan",
                Accumulation::Sum,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    (staff, head, result, indicator)
}

#[tokio::test]
async fn a_plan_moves_through_its_lifecycle_with_versions_and_audit() {
    on_every_database("a_plan_moves_through_its_lifecycle_with_versions_and_audit", |store| async move {
        let org = organisation(&store).await;
        let (staff, head, result, indicator) = staff_draft(&store, &org).await;
        let plan_id = org.staff_plan.id;

        // A stale version is refused with the current one.
        let stale = store.change_plan_status(&staff, plan_id, 1, PlanAction::Submit, None).await.unwrap_err();
        assert!(matches!(stale, StoreError::Conflict { current_version: 3, .. }), "{stale}");
        // Only the rater approves; only the owner submits.
        let not_owner = store.change_plan_status(&head, plan_id, 3, PlanAction::Submit, None).await.unwrap_err();
        assert!(matches!(not_owner, StoreError::Forbidden { .. }), "{not_owner}");
        let submitted = store.change_plan_status(&staff, plan_id, 3, PlanAction::Submit, None).await.unwrap();
        assert_eq!((submitted.plan.status, submitted.version), (PlanStatus::Submitted, 4));
        let self_approval = store.change_plan_status(&staff, plan_id, 4, PlanAction::Approve, None).await.unwrap_err();
        assert!(matches!(self_approval, StoreError::Forbidden { .. }));
        let no_comment =
            store.change_plan_status(&head, plan_id, 4, PlanAction::Return, Some("  ".into())).await.unwrap_err();
        assert_eq!(no_comment.to_string(), "returned needs a comment");
        let returned = store
            .change_plan_status(&head, plan_id, 4, PlanAction::Return, Some("Tambahkan target kualitas".into()))
            .await
            .unwrap();
        assert_eq!(returned.plan.status, PlanStatus::Draft);
        store.change_plan_status(&staff, plan_id, 5, PlanAction::Submit, None).await.unwrap();
        let approved = store.change_plan_status(&head, plan_id, 6, PlanAction::Approve, None).await.unwrap();
        assert_eq!(approved.plan.status, PlanStatus::Approved);

        // Edits after approval are refused until the rater reopens the plan.
        let frozen = store
            .update_indicator(
                &staff,
                indicator.id,
                7,
                Indicator::new(
                    "Jumlah kunjungan",
                    Aspect::Kuantitas,
                    Target::at_least(dec!(900)).unwrap(),
                    "kunjungan",
                    Accumulation::Sum,
                )
                .unwrap(),
            )
            .await
            .unwrap_err();
        assert_eq!(frozen.to_string(), "plan is approved; it accepts no changes until the rater reopens it");
        let reopened =
            store.change_plan_status(&head, plan_id, 8, PlanAction::Reopen, Some("Target disesuaikan".into())).await;
        assert!(
            matches!(reopened, Err(StoreError::Conflict { current_version: 7, .. })),
            "the refused edit did not move the version"
        );
        store
            .change_plan_status(&head, plan_id, 7, PlanAction::Reopen, Some("Target disesuaikan".into()))
            .await
            .unwrap();
        let lowered = store
            .update_indicator(
                &staff,
                indicator.id,
                8,
                Indicator::new(
                    "Jumlah kunjungan",
                    Aspect::Kuantitas,
                    Target::at_least(dec!(900)).unwrap(),
                    "kunjungan",
                    Accumulation::Sum,
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(lowered.indicator.target, Target::AtLeast { value: dec!(900) });
        let removal = store.remove_work_result(&head, org.head_work_result.id, 1).await.unwrap_err();
        assert!(
            matches!(removal, StoreError::FailedPrecondition(_)),
            "a work result that others intervene stays: {removal}"
        );

        let trail: Vec<String> = store.audit_trail(plan_id).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(trail, ["plan.submitted", "plan.returned", "plan.submitted", "plan.approved", "plan.reopened"]);
        let indicator_trail = store.audit_trail(indicator.id).await.unwrap();
        assert_eq!(indicator_trail.len(), 2);
        assert!(indicator_trail[1].before.as_deref().unwrap().contains("\"target_low\":\"1200"));
        assert!(indicator_trail[1].after.as_deref().unwrap().contains("\"target_low\":\"900"));
        assert_eq!(indicator_trail[1].actor_id, Some(staff.employee_id));
        let _ = result;
    })
    .await;
}

/// Brings the staff plan to approval and returns its indicator.
async fn approved_staff_plan(store: &Store, org: &Organisation) -> (Actor, Actor, IndicatorRecord) {
    let (staff, head, _, indicator) = staff_draft(store, org).await;
    store.change_plan_status(&staff, org.staff_plan.id, 3, PlanAction::Submit, None).await.unwrap();
    store.change_plan_status(&head, org.staff_plan.id, 4, PlanAction::Approve, None).await.unwrap();
    (staff, head, indicator)
}

#[tokio::test]
async fn realisations_are_corrected_with_history_and_never_lost_under_concurrency() {
    on_every_database("realisations_are_corrected_with_history_and_never_lost_under_concurrency", |store| async move {
        let org = organisation(&store).await;
        let (staff, head, indicator) = approved_staff_plan(&store, &org).await;
        let evidence = || Evidence::new(Some("Rekap aplikasi".into()), None).unwrap();
        let recorded = store
            .record_realisation_as(
                &staff,
                indicator.id,
                Realisation::new(Period::Quarter(2026, 1), dec!(100), evidence()).unwrap(),
            )
            .await
            .unwrap();
        let not_owner = store
            .record_realisation_as(
                &head,
                indicator.id,
                Realisation::new(Period::Quarter(2026, 2), dec!(1), evidence()).unwrap(),
            )
            .await;
        assert!(matches!(not_owner, Err(StoreError::Forbidden { .. })));

        // Sixteen clients each add 1 five times, retrying on conflict: nothing may be lost.
        let clients: Vec<_> = (0..16)
            .map(|client| {
                let store = store.clone();
                let actor = if client % 2 == 0 { staff.clone() } else { head.clone() };
                let id = recorded.id;
                tokio::spawn(async move {
                    let mut conflicts = 0;
                    for _ in 0..5 {
                        loop {
                            let current = store.realisations_by_ids(&[id]).await.unwrap().remove(0);
                            let next = current.realisation.value + dec!(1);
                            match store
                                .correct_realisation(
                                    &actor,
                                    id,
                                    current.version,
                                    next,
                                    Evidence::new(Some(format!("koreksi klien {client}")), None).unwrap(),
                                )
                                .await
                            {
                                Ok(_) => break,
                                Err(StoreError::Conflict { .. }) => conflicts += 1,
                                Err(other) => panic!("unexpected: {other}"),
                            }
                        }
                    }
                    conflicts
                })
            })
            .collect();
        let mut conflicts = 0;
        for client in clients {
            conflicts += client.await.unwrap();
        }
        let final_value = store.realisations_by_ids(&[recorded.id]).await.unwrap().remove(0);
        assert_eq!(final_value.realisation.value, dec!(180), "100 + 16 × 5 increments, none lost");
        assert_eq!(final_value.version, 81);
        let history = store.realisation_history(&[recorded.id]).await.unwrap();
        assert_eq!(history.len(), 80, "every replaced value is kept");
        assert_eq!(history[0].value, dec!(100));
        eprintln!("{conflicts} conflicts were detected and retried");
        assert_eq!(
            store.realisations_of_indicators(&[indicator.id]).await.unwrap().len(),
            1,
            "no duplicate realisation"
        );
    })
    .await;
}

#[tokio::test]
async fn feedback_and_dialogues_are_recorded_with_their_author() {
    on_every_database("feedback_and_dialogues_are_recorded_with_their_author", |store| async move {
        let org = organisation(&store).await;
        let head = store.actor(&nip(HEAD_NIP)).await.unwrap();
        let other = store.actor(&nip(OTHER_NIP)).await.unwrap();
        let feedback = store
            .give_feedback(
                &head,
                FeedbackSubject::Plan(org.staff_plan.id),
                FeedbackNote::new(FeedbackKind::Suggestion, "Ikuti pelatihan SIASN", Some(BerakhlakValue::Kompeten))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(feedback.author_id, Some(head.employee_id));
        let dialogue = NewDialogue {
            held_on: chrono::NaiveDate::from_ymd_opt(2026, 7, 2).unwrap(),
            participants: "Kepala Dinas; Rina Kusumawati".into(),
            summary: "Capaian triwulan II di bawah target".into(),
            agreed_actions: "Pendampingan aplikasi; evaluasi ulang Agustus".into(),
        };
        let stranger = store.record_dialogue(&other, org.staff_plan.id, dialogue.clone()).await;
        assert!(matches!(stranger, Err(StoreError::Forbidden { .. })), "a colleague is not party to the plan");
        store.record_dialogue(&head, org.staff_plan.id, dialogue).await.unwrap();
        assert_eq!(store.dialogues_of_plans(&[org.staff_plan.id]).await.unwrap().len(), 1);
        assert_eq!(store.audit_trail(feedback.id).await.unwrap()[0].action, "feedback.given");
    })
    .await;
}

#[tokio::test]
async fn decisions_finalisation_and_objections_follow_the_rules() {
    on_every_database("decisions_finalisation_and_objections_follow_the_rules", |store| async move {
        organisation(&store).await;
        let head = store.actor(&nip(HEAD_NIP)).await.unwrap();
        let mut plans = Vec::new();
        for staff_nip in [STAFF_NIP, OTHER_NIP] {
            let staff = store.actor(&nip(staff_nip)).await.unwrap();
            let plan = store.seeder().create_plan(&nip(staff_nip), 2027, Approach::Kuantitatif).await.unwrap();
            let result = store
                .add_work_result_as(
                    &staff,
                    plan.id,
                    1,
                    "RHK-1",
                    WorkResult::new("Pelayanan", WorkResultSection::Utama, None).unwrap(),
                    None,
                )
                .await
                .unwrap();
            let indicator = store
                .add_indicator_as(
                    &staff,
                    result.id,
                    2,
                    "IKI-1",
                    Indicator::new(
                        "Kunjungan",
                        Aspect::Kuantitas,
                        Target::at_least(dec!(10)).unwrap(),
                        "kunjungan",
                        Accumulation::Sum,
                    )
                    .unwrap(),
                )
                .await
                .unwrap();
            store.change_plan_status(&staff, plan.id, 3, PlanAction::Submit, None).await.unwrap();
            store.change_plan_status(&head, plan.id, 4, PlanAction::Approve, None).await.unwrap();
            let evidence = Evidence::new(Some("Rekap kunjungan".into()), None).unwrap();
            let met = Realisation::new(Period::Year(2027), dec!(10), evidence).unwrap();
            store.record_realisation_as(&staff, indicator.id, met).await.unwrap();
            let as_expected = BerakhlakValue::ALL
                .iter()
                .map(|&value| BehaviourRating { value, level: RatingLevel::AsExpected, expectation: None, note: None })
                .collect();
            store.rate_behaviour_as(&head, plan.id, Period::Year(2027), as_expected).await.unwrap();
            plans.push((staff, plan));
        }
        let packs = kinerja_scoring::RulePacks::built_in().unwrap();
        let pack = packs.for_year(2027).unwrap();
        // The store computes the proposal (as expected on both) and the predikat; the caller names only
        // the ratings it decides.
        let ratings = (RatingLevel::AsExpected, RatingLevel::AsExpected);
        let decision = |plan_id: Uuid, (result, behaviour): (RatingLevel, RatingLevel), reason: Option<&str>| {
            NewDecision { plan_id, result, behaviour, override_reason: reason.map(str::to_owned) }
        };
        let (staff, staff_plan) = &plans[0];
        let self_rating =
            store.decide_ratings(staff, pack, decision(staff_plan.id, ratings, None), None).await.unwrap_err();
        assert!(matches!(self_rating, StoreError::Forbidden { .. }));
        let above = (RatingLevel::AboveExpectation, RatingLevel::AsExpected);
        let unexplained =
            store.decide_ratings(&head, pack, decision(staff_plan.id, above, None), None).await.unwrap_err();
        assert!(unexplained.to_string().contains("an override needs a reason"), "{unexplained}");
        let first = store.decide_ratings(&head, pack, decision(staff_plan.id, ratings, None), None).await.unwrap();
        assert_eq!(first.predikat, Predikat::Baik);
        let stale =
            store.decide_ratings(&head, pack, decision(staff_plan.id, above, Some("Inovasi")), None).await.unwrap_err();
        assert!(matches!(stale, StoreError::VersionRequired { current_version: 1, .. }), "{stale}");
        let revised = store
            .decide_ratings(
                &head,
                pack,
                decision(staff_plan.id, above, Some("Inovasi antrean daring")),
                Some(first.version),
            )
            .await
            .unwrap();
        assert_eq!(revised.proposed_result_rating, RatingLevel::AsExpected, "the proposal is the store's own");
        // The year's evaluation carries the decision.
        let annual = store.evaluations_of_plans(&[staff_plan.id], Some(Period::Year(2027))).await.unwrap();
        assert_eq!(
            annual.iter().map(|e| (e.predikat, e.predikat_basis.as_str())).collect::<Vec<_>>(),
            [(Predikat::Baik, "final_ratings")]
        );

        // Finalising needs every plan decided, then the distribution check or the head's reason.
        let dinkes = store.unit_by_code(&code("DINKES")).await.unwrap();
        let undecided = store.finalise_unit(&head, &dinkes, 2027, pack, None).await.unwrap_err();
        assert_eq!(undecided.to_string(), "1 of 2 plans of 2027 in DINKES have no decision yet");
        store.decide_ratings(&head, pack, decision(plans[1].1.id, ratings, None), None).await.unwrap();
        let not_head = store.finalise_unit(staff, &dinkes, 2027, pack, None).await.unwrap_err();
        assert!(matches!(not_head, StoreError::Forbidden { .. }));
        let distribution =
            store.set_organisation_rating(None, pack, &dinkes, 2027, OrganisationPredikat::Baik).await.unwrap();
        assert_eq!(distribution.counts, [0, 2, 0, 0, 0], "the decisions are counted");
        let breaks = store.finalise_unit(&head, &dinkes, 2027, pack, None).await.unwrap_err();
        assert!(breaks.to_string().contains("butuh_perbaikan + kurang ≥ 1 (actual 0, limit 1)"), "{breaks}");
        let finalised = store
            .finalise_unit(&head, &dinkes, 2027, pack, Some("Unit kecil; semua memenuhi target".into()))
            .await
            .unwrap();
        assert_eq!(finalised.plans_finalised, 2);
        assert!(finalised.violations.contains("baik ≤ 70% of 2"));
        let final_plan = store.plans_by_ids(&[staff_plan.id]).await.unwrap().remove(0);
        assert_eq!(final_plan.plan.status, PlanStatus::Finalised);
        let decided = store.decisions_of_plans(&[staff_plan.id]).await.unwrap().remove(0);
        assert!(decided.finalised_at.is_some());
        let frozen = store
            .decide_ratings(&head, pack, decision(staff_plan.id, ratings, Some("x")), Some(decided.version))
            .await
            .unwrap_err();
        assert!(matches!(frozen, StoreError::FailedPrecondition(_)));

        // An objection: filed by the employee, decided by the rater's superior.
        let by_rater = store.file_objection(&head, decided.id, "Tidak setuju", 14).await.unwrap_err();
        assert!(matches!(by_rater, StoreError::Forbidden { .. }));
        let objection =
            store.file_objection(staff, decided.id, "Capaian kunjungan melampaui target", 14).await.unwrap();
        assert!(store.file_objection(staff, decided.id, "Lagi", 14).await.is_err(), "one objection per decision");
        store
            .create_position(
                "SKA-SEKDA",
                Position::new("Sekretaris Daerah", PositionKind::JptMadya).unwrap(),
                &code("SKA"),
            )
            .await
            .unwrap();
        store
            .create_employee(NewEmployee {
                employee: Employee::new(
                    nip("196801011990031001"),
                    "Drs. Budi Santoso",
                    EmploymentType::Pns,
                    Rank::parse("IV/d").unwrap(),
                )
                .unwrap(),
                position_code: "SKA-SEKDA".into(),
                unit_code: code("SKA"),
                superior_nip: None,
            })
            .await
            .unwrap();
        store.set_superior(&nip(HEAD_NIP), &nip("196801011990031001")).await.unwrap();
        let rater_decides = store.decide_objection(&head, &packs, objection.id, None, "Ditolak").await.unwrap_err();
        assert!(matches!(rater_decides, StoreError::Forbidden { .. }), "the rater does not judge their own decision");
        let sekda = store.actor(&nip("196801011990031001")).await.unwrap();
        let sangat_baik =
            FinalRatings { result: RatingLevel::AboveExpectation, behaviour: RatingLevel::AboveExpectation };
        let (upheld, changed) = store
            .decide_objection(&sekda, &packs, objection.id, Some(sangat_baik), "Bukti dukung kunjungan sah")
            .await
            .unwrap();
        assert_eq!(upheld.status, "upheld");
        assert_eq!(upheld.previous.unwrap().predikat, Predikat::Baik);
        assert_eq!(changed.predikat, Predikat::SangatBaik, "the predikat follows the matrix");
        let annual = store.evaluations_of_plans(&[staff_plan.id], Some(Period::Year(2027))).await.unwrap();
        assert_eq!(annual[0].predikat, Predikat::SangatBaik, "the year's evaluation follows the objection");
        let dinkes_now = store.distributions_of_units(&[dinkes.id], 2027).await.unwrap();
        assert_eq!(dinkes_now[0].counts, [1, 1, 0, 0, 0], "the distribution follows the objection");
        assert!(
            store.decide_objection(&sekda, &packs, objection.id, None, "Ubah lagi").await.is_err(),
            "the decision is final"
        );
        let trail: Vec<String> = store.audit_trail(decided.id).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(trail, ["decision.made", "decision.revised", "decision.changed_by_objection"]);
    })
    .await;
}

fn report(line: usize, id: &str, nip_text: &str, received: &str, hours: i64) -> NewActivity {
    let received: chrono::DateTime<chrono::Utc> = received.parse().unwrap();
    let resolved = received + chrono::Duration::hours(hours);
    NewActivity {
        line,
        kind: "cleanliness_report".into(),
        external_id: id.into(),
        nip: nip_text.into(),
        occurred_at: received,
        attributes: std::collections::BTreeMap::from([
            ("received_at".to_owned(), AttributeValue::Time(received)),
            ("resolved_at".to_owned(), AttributeValue::Time(resolved)),
        ]),
    }
}

#[tokio::test]
async fn activity_feeds_derive_realisations_and_refuse_bad_batches_whole() {
    on_every_database("activity_feeds_derive_realisations_and_refuse_bad_batches_whole", |store| async move {
        let org = organisation(&store).await;
        let (staff, _, indicator) = approved_staff_plan(&store, &org).await;
        let hours = Aggregation::Mean(Field::parse("hours_between:received_at:resolved_at").unwrap());
        store
            .set_activity_mapping(&staff, indicator.id, ActivityKind::parse("cleanliness_report").unwrap(), hours)
            .await
            .unwrap();

        let first = store
            .ingest_activities(
                None,
                vec![
                    report(1, "LAP-1", STAFF_NIP, "2026-02-02T08:00:00Z", 6),
                    report(2, "LAP-2", STAFF_NIP, "2026-02-03T08:00:00Z", 24),
                    report(3, "LAP-3", OTHER_NIP, "2026-02-03T08:00:00Z", 2),
                ],
            )
            .await
            .unwrap();
        assert_eq!(first.accepted, 3);
        assert_eq!(first.realisations.len(), 1, "only the staff member's indicator is mapped");
        assert_eq!(first.realisations[0].realisation.value, dec!(15));
        assert_eq!(first.realisations[0].realisation.period, Period::Quarter(2026, 1));
        assert_eq!(first.realisations[0].source, "activity:cleanliness_report");

        let second = store
            .ingest_activities(None, vec![report(1, "LAP-4", STAFF_NIP, "2026-03-30T08:00:00Z", 48)])
            .await
            .unwrap();
        assert_eq!(second.realisations[0].realisation.value, dec!(26), "(6 + 24 + 48) / 3");
        assert_eq!(second.realisations[0].version, 2);
        let history = store.realisation_history(&[second.realisations[0].id]).await.unwrap();
        assert_eq!(history[0].value, dec!(15));
        let records = store.activity_records_of_realisation(&second.realisations[0], staff.employee_id).await.unwrap();
        assert_eq!(records.iter().map(|r| r.external_id.as_str()).collect::<Vec<_>>(), ["LAP-1", "LAP-2", "LAP-4"]);

        let before = counts(&store).await;
        let error = store
            .ingest_activities(
                None,
                vec![
                    report(1, "LAP-5", STAFF_NIP, "2026-04-01T08:00:00Z", 3),
                    report(2, "LAP-6", "199912312025011001", "2026-04-01T08:00:00Z", 3),
                    report(3, "LAP-1", STAFF_NIP, "2026-04-01T08:00:00Z", 3),
                    report(4, "LAP-5", STAFF_NIP, "2026-04-02T08:00:00Z", 3),
                ],
            )
            .await
            .unwrap_err();
        let StoreError::InvalidBatch(problems) = error else { panic!("a batch error") };
        assert_eq!(
            problems,
            [
                "line 2: nip: no employee has NIP 199912312025011001",
                "line 3: cleanliness_report record 'LAP-1' was already received",
                "line 4: cleanliness_report record 'LAP-5' appears twice in the batch",
            ]
        );
        assert_eq!(counts(&store).await, before, "nothing of the refused batch was kept");

        let kind = ActivityKind::parse("cleanliness_report").unwrap();
        store.remove_activity_mapping(&staff, indicator.id, &kind).await.unwrap();
        assert!(store.activity_mappings_of_indicators(&[indicator.id]).await.unwrap().is_empty());
        let later = store
            .ingest_activities(None, vec![report(1, "LAP-9", STAFF_NIP, "2026-03-31T08:00:00Z", 1)])
            .await
            .unwrap();
        assert!(later.realisations.is_empty(), "an unmapped kind changes no realisation");
        assert!(matches!(
            store.remove_activity_mapping(&staff, indicator.id, &kind).await,
            Err(StoreError::NotFound { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn the_audit_chain_names_deleted_altered_and_reordered_events() {
    for database in TestDatabase::all("the_audit_chain_names_deleted_altered_and_reordered_events").await.unwrap() {
        eprintln!("audit chain on {}", database.backend);
        let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
        store.migrate().await.unwrap();
        let org = organisation(&store).await;
        let (staff, head, _) = approved_staff_plan(&store, &org).await;
        for text in ["Bagus", "Pertahankan", "Lengkapi bukti"] {
            store
                .give_feedback(
                    &head,
                    FeedbackSubject::Plan(org.staff_plan.id),
                    FeedbackNote::new(FeedbackKind::Praise, text, None).unwrap(),
                )
                .await
                .unwrap();
        }
        let _ = staff;
        let clean = store.verify_audit_chain().await.unwrap();
        assert!(clean.problems.is_empty(), "{:?}", clean.problems);
        assert_eq!(clean.checked, 7, "2 edits, submit, approve, 3 feedback notes");

        database.execute("UPDATE audit_events SET after = '{\"text\":\"diubah\"}' WHERE sequence = 5").await.unwrap();
        let altered = store.verify_audit_chain().await.unwrap();
        assert_eq!(altered.problems.len(), 1, "{:?}", altered.problems);
        assert!(
            altered.problems[0].starts_with("event #5 (")
                && altered.problems[0].ends_with("feedback.given) was altered"),
            "{:?}",
            altered.problems
        );

        database.execute("DELETE FROM audit_events WHERE sequence = 6").await.unwrap();
        let deleted = store.verify_audit_chain().await.unwrap();
        assert!(
            deleted.problems.iter().any(|p| p.starts_with("events #6..#6 are missing (deleted) before event #7")),
            "{:?}",
            deleted.problems
        );

        database.execute("UPDATE audit_events SET sequence = 100 WHERE sequence = 1").await.unwrap();
        database.execute("UPDATE audit_events SET sequence = 1 WHERE sequence = 2").await.unwrap();
        database.execute("UPDATE audit_events SET sequence = 2 WHERE sequence = 100").await.unwrap();
        let reordered = store.verify_audit_chain().await.unwrap();
        assert!(
            reordered.problems.iter().any(|p| p.starts_with("event #1 (") && p.contains("does not follow")),
            "{:?}",
            reordered.problems
        );
        store.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}
