//! A NIP bound as text (as sqlx binds every string) must reach `employees` through its unique index on
//! PostgreSQL. With the column as `char(18)` it compared as `nip::text` and every lookup by NIP scanned the
//! whole table (955 ms at 1,000,000 employees). PostgreSQL only: SQLite compares text either way.

use kinerja_store::test_support::TestDatabase;
use kinerja_store::{Store, StoreOptions};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, Statement};

#[tokio::test]
async fn a_nip_bound_as_text_is_looked_up_through_the_unique_index() {
    let Some(database) =
        TestDatabase::postgres("a_nip_bound_as_text_is_looked_up_through_the_unique_index").await.unwrap()
    else {
        return;
    };
    let store = Store::connect(StoreOptions::new(&database.url)).await.unwrap();
    store.migrate().await.unwrap();
    // One connection, so that the setting and the prepared statement hold for the EXPLAIN after them.
    let db = Database::connect(ConnectOptions::new(&database.url).max_connections(1).to_owned()).await.unwrap();
    let run = |sql: &'static str| {
        let db = &db;
        async move { db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap() }
    };
    // Without table scans to fall back on, the plan shows whether the index can serve the comparison.
    run("SET enable_seqscan = off").await;
    run("PREPARE by_nip(text) AS SELECT id FROM employees WHERE nip = $1").await;
    let plan: Vec<String> = run("EXPLAIN EXECUTE by_nip('199001012015011001')")
        .await
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect();
    let plan = plan.join("\n");
    assert!(plan.contains("employees_nip_key"), "the lookup does not use the NIP index:\n{plan}");
    drop(db);
    store.close().await.unwrap();
    database.dispose().await.unwrap();
}
