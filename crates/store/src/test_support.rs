//! Fresh databases for tests: a SQLite file in a temporary folder, and a PostgreSQL database of its own
//! per test when `KINERJA_TEST_DATABASE_URL` is set.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database};

use crate::entity::audit_event;
use crate::error::StoreResult;
use crate::records::new_record_id;

/// The variable that points tests at a PostgreSQL server, e.g. `postgres://postgres@127.0.0.1:5432/test`.
pub const POSTGRES_URL_VARIABLE: &str = "KINERJA_TEST_DATABASE_URL";

/// A database that exists for one test and is dropped afterwards (PostgreSQL) or deleted with its folder (SQLite).
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    pub backend: &'static str,
    /// The temporary folder holding a SQLite file; removed when the value is dropped.
    _folder: Option<TempFolder>,
    drop_postgres: Option<(String, String)>,
}

#[derive(Debug)]
struct TempFolder(PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestDatabase {
    /// A new SQLite file in its own temporary folder.
    pub fn sqlite() -> Self {
        let folder = std::env::temp_dir().join(format!("kinerja-test-{}", new_record_id()));
        std::fs::create_dir_all(&folder).expect("temporary folder for a test database");
        let url = format!("sqlite://{}?mode=rwc", folder.join("kinerja.db").display());
        Self { url, backend: "sqlite", _folder: Some(TempFolder(folder)), drop_postgres: None }
    }

    /// A new, empty PostgreSQL database on the server named by `KINERJA_TEST_DATABASE_URL`, or `None`
    /// (with a visible notice naming `test_name`) when the variable is unset.
    pub async fn postgres(test_name: &str) -> StoreResult<Option<Self>> {
        let Ok(server_url) = std::env::var(POSTGRES_URL_VARIABLE) else {
            eprintln!(
                "SKIPPED on PostgreSQL: {POSTGRES_URL_VARIABLE} unset, so {test_name} did not run against PostgreSQL"
            );
            return Ok(None);
        };
        let name = format!("kinerja_test_{}", new_record_id().simple());
        let admin = Database::connect(server_url.as_str()).await?;
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
        admin.close().await?;
        let url = replace_database(&server_url, &name);
        Ok(Some(Self { url, backend: "postgres", _folder: None, drop_postgres: Some((server_url, name)) }))
    }

    /// Every database the test should run on: SQLite always, PostgreSQL when configured.
    pub async fn all(test_name: &str) -> StoreResult<Vec<Self>> {
        let mut databases = vec![Self::sqlite()];
        databases.extend(Self::postgres(test_name).await?);
        Ok(databases)
    }

    /// Runs SQL directly, bypassing the store: for tests that tamper with stored data.
    pub async fn execute(&self, sql: &str) -> StoreResult<()> {
        let db = Database::connect(self.url.as_str()).await?;
        db.execute_unprepared(sql).await?;
        db.close().await?;
        Ok(())
    }

    /// Tampers as someone with write access to the table and kinerja's source would: sets the `after`
    /// of event `sequence` and recomputes the hash chain from it to the end, so that the chain itself
    /// verifies again. Only a signed checkpoint can tell.
    pub async fn rewrite_audit_event(&self, sequence: i64, after: &str) -> StoreResult<()> {
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
        let db = Database::connect(self.url.as_str()).await?;
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Sequence.gte(sequence - 1))
            .order_by_asc(audit_event::Column::Sequence)
            .all(&db)
            .await?;
        let mut last = None;
        for mut event in events {
            if event.sequence < Some(sequence) {
                last = Some((event.sequence, event.hash));
                continue;
            }
            if event.sequence == Some(sequence) {
                event.after = Some(after.to_owned());
            }
            crate::audit_chain::link(&mut event, last.take());
            last = Some((event.sequence, event.hash.clone()));
            let mut active = event.into_active_model();
            for column in [audit_event::Column::After, audit_event::Column::Hash, audit_event::Column::PreviousHash] {
                active.reset(column);
            }
            active.update(&db).await?;
        }
        db.close().await?;
        Ok(())
    }

    /// Drops a PostgreSQL test database (SQLite files go with their folder).
    pub async fn dispose(mut self) -> StoreResult<()> {
        if let Some((server_url, name)) = self.drop_postgres.take() {
            let admin = Database::connect(server_url.as_str()).await?;
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
            admin.close().await?;
        }
        Ok(())
    }
}

/// Replaces the database name (the last path segment) of a PostgreSQL URL, keeping any query string.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

/// A scored evaluation of `plan` for `period` under the built-in rule pack, with ratings as expected and
/// `predikat`, as scoring would store it; tests change what they need.
pub fn scored_plan(
    plan: &crate::records::PlanRecord,
    period: kinerja_domain::Period,
    predikat: kinerja_domain::Predikat,
    achievements: Vec<crate::records::AchievementRecord>,
) -> crate::records::ScoredPlan {
    crate::records::ScoredPlan {
        evaluation: crate::records::EvaluationRecord {
            id: new_record_id(),
            plan_id: plan.id,
            period,
            pack_id: "permenpanrb-6-2022".into(),
            pack_version: 1,
            proposed_result_rating: kinerja_domain::RatingLevel::AsExpected,
            proposed_behaviour_rating: kinerja_domain::RatingLevel::AsExpected,
            predikat,
            predikat_basis: "proposed_ratings".into(),
            computed_at: chrono::Utc::now(),
        },
        explanation: "{}".into(),
        employee_id: plan.employee_id,
        achievements,
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(replace_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(replace_database("postgres://u@h/test?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
