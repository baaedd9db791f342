//! The audit log against someone who can write its table: every deletion, edit, reordering and nulling,
//! and a chain recomputed after an edit, is found by the hash chain or by a signed checkpoint. Only a
//! rewrite re-signed with the checkpoint key itself passes, which is why that key lives outside the
//! database. On SQLite and PostgreSQL.

use chrono::Utc;
use kinerja_domain::*;
use kinerja_store::test_support::TestDatabase;
use kinerja_store::{Checkpoint, CheckpointSigner, NewEmployee, Store, StoreOptions};

const ORIGIN: &str = "kinerja-test";
const EVENTS: i64 = 8;
const FIRST: &str = "197001011995031001";
const SECOND: &str = "199005052015032002";

/// How the log is tampered with: SQL run on the table, a rewrite of the chain, and what becomes of the
/// checkpoints (kept, one forged with another key appended, or all re-signed with the real key).
enum Tampering {
    Sql(&'static [&'static str]),
    Rewrite { sequence: i64, checkpoints: Signing },
    SqlThenSigned(&'static [&'static str], Signing),
}

#[derive(Clone, Copy)]
enum Signing {
    Kept,
    ForgedWithAnotherKey,
    ResignedWithTheKey,
}

fn cases() -> Vec<(&'static str, Tampering)> {
    use Tampering::*;
    vec![
        ("delete the first event", Sql(&["DELETE FROM audit_events WHERE sequence = 1"])),
        ("delete a middle event", Sql(&["DELETE FROM audit_events WHERE sequence = 4"])),
        ("delete the last event", Sql(&["DELETE FROM audit_events WHERE sequence = 8"])),
        ("delete the last three events", Sql(&["DELETE FROM audit_events WHERE sequence >= 6"])),
        (
            "edit an event's after",
            Sql(&["UPDATE audit_events SET after = '{\"role\":\"hr-admin\"}' WHERE sequence = 3"]),
        ),
        ("edit an event's before", Sql(&["UPDATE audit_events SET before = NULL WHERE sequence = 6"])),
        ("edit an event's action", Sql(&["UPDATE audit_events SET action = 'role.revoke' WHERE sequence = 5"])),
        ("edit an event's entity type", Sql(&["UPDATE audit_events SET entity_type = 'unit' WHERE sequence = 2"])),
        ("edit an event's actor role", Sql(&["UPDATE audit_events SET actor_role = 'hr-admin' WHERE sequence = 7"])),
        (
            "swap two events",
            Sql(&[
                "UPDATE audit_events SET sequence = 100 WHERE sequence = 2",
                "UPDATE audit_events SET sequence = 2 WHERE sequence = 3",
                "UPDATE audit_events SET sequence = 3 WHERE sequence = 100",
            ]),
        ),
        (
            "null the last event's sequence and hashes",
            Sql(&["UPDATE audit_events SET sequence = NULL, hash = NULL, previous_hash = NULL WHERE sequence = 8"]),
        ),
        ("null a middle event's hash", Sql(&["UPDATE audit_events SET hash = NULL WHERE sequence = 4"])),
        ("null a middle event's sequence", Sql(&["UPDATE audit_events SET sequence = NULL WHERE sequence = 5"])),
        (
            "edit the last event, then delete it",
            Sql(&[
                "UPDATE audit_events SET after = '{}' WHERE sequence = 8",
                "DELETE FROM audit_events WHERE sequence = 8",
            ]),
        ),
        ("recompute the chain after an edit", Rewrite { sequence: 3, checkpoints: Signing::Kept }),
        (
            "recompute the chain and add a checkpoint signed with another key",
            Rewrite { sequence: 3, checkpoints: Signing::ForgedWithAnotherKey },
        ),
        (
            "delete the tail and add a checkpoint signed with another key",
            SqlThenSigned(&["DELETE FROM audit_events WHERE sequence >= 7"], Signing::ForgedWithAnotherKey),
        ),
        (
            "recompute the chain and re-sign every checkpoint with the key",
            Rewrite { sequence: 3, checkpoints: Signing::ResignedWithTheKey },
        ),
    ]
}

/// A store with an organisation of two employees and eight audit events (grants and revocations).
async fn logged(database: &TestDatabase) -> Store {
    let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
    store.migrate().await.unwrap();
    let city = UnitCode::parse("SKA").unwrap();
    store
        .create_unit(Unit::new(city.clone(), "Pemerintah Kota Surakarta", UnitKind::City).unwrap(), None)
        .await
        .unwrap();
    store
        .create_position("SKA-ANALIS", Position::new("Analis Kepegawaian", PositionKind::Pelaksana).unwrap(), &city)
        .await
        .unwrap();
    for nip in [FIRST, SECOND] {
        let employee =
            Employee::new(Nip::parse(nip).unwrap(), "Pegawai", EmploymentType::Pns, Rank::parse("III/a").unwrap());
        let new = NewEmployee {
            employee: employee.unwrap(),
            position_code: "SKA-ANALIS".into(),
            unit_code: city.clone(),
            superior_nip: None,
        };
        store.create_employee(new).await.unwrap();
    }
    let (first, second) = (Nip::parse(FIRST).unwrap(), Nip::parse(SECOND).unwrap());
    store.grant_role(None, &first, Role::HrAdmin, None).await.unwrap();
    store.grant_role(None, &second, Role::Analyst, None).await.unwrap();
    store.grant_role(None, &second, Role::Auditor, None).await.unwrap();
    store.revoke_role(None, &second, Role::Analyst).await.unwrap();
    store.grant_role(None, &first, Role::Auditor, None).await.unwrap();
    store.revoke_role(None, &second, Role::Auditor).await.unwrap();
    store.grant_role(None, &second, Role::HrAdmin, None).await.unwrap();
    store.revoke_role(None, &first, Role::Auditor).await.unwrap();
    store
}

/// Every problem the chain walk and the checkpoints find.
async fn problems(store: &Store, checkpoints: &[Checkpoint], signer: &CheckpointSigner) -> Vec<String> {
    let mut problems = store.verify_audit_chain().await.unwrap().problems;
    problems.extend(store.check_audit_checkpoints(checkpoints, &signer.verifier(), ORIGIN).await.unwrap());
    problems
}

async fn checkpoint(store: &Store, signer: &CheckpointSigner) -> Checkpoint {
    store.checkpoint_audit_chain(signer, ORIGIN, Utc::now()).await.unwrap().expect("a non-empty log")
}

#[tokio::test]
async fn every_tampering_is_found_except_a_rewrite_signed_with_the_key() {
    let signer = CheckpointSigner::from_seed([41; 32]);
    let attacker = CheckpointSigner::from_seed([66; 32]);
    for backend in ["sqlite", "postgres"] {
        let mut detected = 0;
        let cases = cases();
        for (name, tampering) in &cases {
            let Some(database) = (match backend {
                "sqlite" => Some(TestDatabase::sqlite()),
                _ => TestDatabase::postgres("every_tampering_is_found_except_a_rewrite_signed_with_the_key")
                    .await
                    .unwrap(),
            }) else {
                break;
            };
            let store = logged(&database).await;
            let genuine = store.checkpoint_audit_chain(&signer, ORIGIN, Utc::now()).await.unwrap().unwrap();
            assert_eq!(store.audit_chain_head().await.unwrap().map(|(size, _)| size), Some(EVENTS));
            let mut checkpoints = vec![genuine];
            assert!(problems(&store, &checkpoints, &signer).await.is_empty(), "{backend}: the untouched log verifies");

            let signing = match tampering {
                Tampering::Sql(statements) | Tampering::SqlThenSigned(statements, _) => {
                    for statement in *statements {
                        database.execute(statement).await.unwrap();
                    }
                    match tampering {
                        Tampering::SqlThenSigned(_, signing) => *signing,
                        _ => Signing::Kept,
                    }
                }
                Tampering::Rewrite { sequence, checkpoints: signing } => {
                    database.rewrite_audit_event(*sequence, "{\"role\":\"auditor\"}").await.unwrap();
                    assert!(
                        store.verify_audit_chain().await.unwrap().problems.is_empty(),
                        "the rewrite passes the chain walk"
                    );
                    *signing
                }
            };
            match signing {
                Signing::Kept => {}
                Signing::ForgedWithAnotherKey => checkpoints.push(checkpoint(&store, &attacker).await),
                Signing::ResignedWithTheKey => checkpoints = vec![checkpoint(&store, &signer).await],
            }
            let found = problems(&store, &checkpoints, &signer).await;
            let with_the_key = matches!(signing, Signing::ResignedWithTheKey);
            assert_eq!(found.is_empty(), with_the_key, "{backend}: {name}: {found:?}");
            detected += usize::from(!found.is_empty());
            store.close().await.unwrap();
            database.dispose().await.unwrap();
        }
        if backend == "sqlite" || std::env::var(kinerja_store::test_support::POSTGRES_URL_VARIABLE).is_ok() {
            assert_eq!(detected, cases.len() - 1, "{backend}: all but the rewrite signed with the key");
        }
    }
}
