//! The PostgreSQL `analytics` views: the same rows as the tables, masked in the `_masked` variants, and
//! the analyst role limited to the masked ones. PostgreSQL only (SQLite has neither schemas nor roles).

use kinerja_migration::MigratorTrait;
use kinerja_store::test_support::TestDatabase;
use kinerja_store::{Store, StoreOptions};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, Statement};

#[tokio::test]
async fn analytics_views_mask_and_grant_as_documented() {
    let Some(database) = TestDatabase::postgres("analytics_views_mask_and_grant_as_documented").await.unwrap() else {
        return;
    };
    let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
    store.migrate().await.unwrap();
    database
        .execute(
            "INSERT INTO units (id, code, name, kind, parent_id, path, depth, created_at) VALUES
             ('019a0000-0000-7000-8000-000000000001', 'SKA', 'Kota Surakarta', 'city', NULL, '/019a0000-0000-7000-8000-000000000001/', 0, now());
             INSERT INTO positions (id, code, title, kind, unit_id) VALUES
             ('019a0000-0000-7000-8000-000000000002', 'SKA-P', 'Analis', 'ahli_pertama', '019a0000-0000-7000-8000-000000000001');
             INSERT INTO employees (id, nip, name, employment_type, rank, birth_date, sex, position_id, unit_id, superior_id, created_at) VALUES
             ('019a0000-0000-7000-8000-000000000003', '199001012015011001', 'Rina', 'pns', 'III/a', '1990-01-01', 'male',
              '019a0000-0000-7000-8000-000000000002', '019a0000-0000-7000-8000-000000000001', NULL, now());
             INSERT INTO training_records (id, employee_id, programme, started_on, finished_on, hours, certificate, created_at) VALUES
             ('019a0000-0000-7000-8000-000000000004', '019a0000-0000-7000-8000-000000000003', 'Pelayanan Prima', '2025-03-01', '2025-03-03', 24, NULL, now()),
             ('019a0000-0000-7000-8000-000000000005', '019a0000-0000-7000-8000-000000000003', 'Integritas', '2025-08-01', '2025-08-01', 12, NULL, now());",
        )
        .await
        .unwrap();
    // What the masked views show of people is what kinerja released: of a lone person, no kind or date.
    assert_eq!(store.publish_release(5).await.unwrap(), 1);
    // One connection, so that SET ROLE holds for the statements after it.
    let db = Database::connect(ConnectOptions::new(&database.url).max_connections(1).to_owned()).await.unwrap();
    let one = |sql: &str| {
        let db = &db;
        let sql = sql.to_owned();
        async move { db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await }
    };
    let full =
        one("SELECT nip, name, position_kind, employment_type, sex FROM analytics.employees").await.unwrap().unwrap();
    assert_eq!(full.try_get::<String>("", "nip").unwrap(), "199001012015011001");
    // Enumerated values in the API's spelling, as `kinerja export` writes them.
    let spelled: Vec<String> =
        ["position_kind", "employment_type", "sex"].iter().map(|c| full.try_get::<String>("", c).unwrap()).collect();
    assert_eq!(spelled, ["AHLI_PERTAMA", "PNS", "MALE"]);
    let masked = one(
        "SELECT nip, name, CAST(birth_date AS TEXT) AS born, position_title, position_kind FROM analytics.employees_masked",
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(masked.try_get::<String>("", "nip").unwrap(), "(masked)");
    assert_eq!(masked.try_get::<String>("", "position_title").unwrap(), "(masked)", "a title names its holder");
    assert_eq!(masked.try_get::<Option<String>>("", "position_kind").unwrap(), None, "one person's kind names them");
    assert_eq!(masked.try_get::<String>("", "name").unwrap(), "(masked)");
    assert_eq!(masked.try_get::<Option<String>>("", "born").unwrap(), None, "no exact birth date");
    let hours = one("SELECT year, CAST(hours AS INTEGER) AS hours FROM analytics.development_hours_masked")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hours.try_get::<i32>("", "year").unwrap(), 2025);
    assert_eq!(hours.try_get::<i32>("", "hours").unwrap(), 36);

    // Every view has its masked twin, and the analyst role reads only the twins.
    let views = one("SELECT COUNT(*) FILTER (WHERE table_name LIKE '%\\_masked') AS masked, COUNT(*) AS every
         FROM information_schema.views WHERE table_schema = 'analytics'")
    .await
    .unwrap()
    .unwrap();
    assert_eq!(views.try_get::<i64>("", "masked").unwrap() * 2, views.try_get::<i64>("", "every").unwrap());
    one("SET ROLE kinerja_analyst").await.unwrap();
    assert!(one("SELECT nip FROM analytics.employees_masked").await.is_ok());
    let refused = one("SELECT nip FROM analytics.employees").await.unwrap_err().to_string();
    assert!(refused.contains("permission denied"), "{refused}");
    let refused = one("SELECT nip FROM employees").await.unwrap_err().to_string();
    assert!(refused.contains("permission denied"), "{refused}");
    one("RESET ROLE").await.unwrap();

    // The views of the API's spelling go back to the first ones and come again.
    let columns = "SELECT COUNT(*) AS n FROM information_schema.columns \
        WHERE table_schema = 'analytics' AND table_name = 'evaluations' AND column_name = 'decided_predikat'";
    let decided = |row: Option<sea_orm::QueryResult>| row.unwrap().try_get::<i64>("", "n").unwrap();
    assert_eq!(decided(one(columns).await.unwrap()), 1);
    // Migration 15 made them; every migration after it goes back first.
    let from_fifteenth = u32::try_from(kinerja_migration::Migrator::migrations().len() - 14).unwrap();
    kinerja_migration::Migrator::down(&db, Some(from_fifteenth)).await.unwrap();
    assert_eq!(decided(one(columns).await.unwrap()), 0);
    assert!(one("SELECT hours FROM analytics.development_hours_masked").await.is_ok());
    kinerja_migration::Migrator::up(&db, None).await.unwrap();
    assert_eq!(decided(one(columns).await.unwrap()), 1);
    db.close().await.unwrap();
    store.close().await.unwrap();
    database.dispose().await.unwrap();
}
