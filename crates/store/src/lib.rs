//! Persistence of kinerja on SQLite (the embedded default) and PostgreSQL (production), through sea-orm.
//!
//! This is the only crate that knows SQL. Callers get records made of domain types
//! ([`records`]); sea-orm models never leave the crate. Every write that touches several rows runs in
//! one transaction, and every invariant the domain defines is checked before anything is written.

mod access;
mod activities;
mod analytics;
mod audit_chain;
mod audit_checkpoint;
mod batch;
mod behaviour;
mod bulk;
mod connection;
mod convert;
mod culture;
mod decisions;
mod development;
mod development_plans;
mod entity;
mod error;
mod evaluations;
mod events;
mod export;
mod grants;
mod import;
mod needs;
mod org;
mod past_results;
mod peer_feedback;
mod plans;
mod positional;
mod recognition;
pub mod records;
mod release;
mod results;
mod seed;
mod self_assessment;
mod talent;
pub mod test_support;
mod workflow;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use kinerja_migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseBackend, EntityTrait, PaginatorTrait};

pub use access::{Reach, Scope};
pub use activities::{IngestSummary, NewActivity};
pub use analytics::{
    AspectMean, DimensionFigures, GroupPredikat, Grouping, IndicatorFigure, Moments, PeriodFigures, Ranking,
};
pub use audit_chain::AuditVerification;
pub use audit_checkpoint::{Checkpoint, CheckpointFormatError, CheckpointSigner, CheckpointVerifier};
pub use batch::{BehaviourRatingRow, OrganisationRatingRow};
pub use bulk::Batch;
pub use connection::PoolStatus;
pub use culture::CultureFigures;
pub use decisions::NewDecision;
pub use development::{CompetencyAssessment, TrainingRecord};
pub use development_plans::{
    ActivityDone, DevelopmentActivityRecord, DevelopmentGoalRecord, MAX_ACTIVITIES, NewGoal, PlannedActivity,
};
pub use error::{StoreError, StoreResult};
pub use events::EVENT_CHANNEL;
pub use export::{Cell, ColumnType, DECIMAL_SCALE, ExportColumn, ExportFilter, ExportKind, ExportPage};
pub use grants::RoleGrantRecord;
pub use import::{ImportKind, ImportOutcome, ImportRow, ImportSession, ImportSummary, RowProblem};
pub use needs::{NeedChange, NeedFilter, NeedSummary, NeedTopic, ProgrammeDemand, TrainingNeedRecord};
pub use org::{MemberFilter, MemberOrder, MemberPage, NewEmployee};
pub use past_results::PastResultRecord;
pub use peer_feedback::{FeedbackAnswer, FeedbackRequestRecord, FeedbackSummary, MAX_RESPONDENTS, Relation};
pub use plans::FeedbackSubject;
pub use plans::PlanFilter;
pub use recognition::{AppreciationRecord, AppreciationSubject, RecognitionEntry};
pub use release::Release;
pub use seed::Seeder;
pub use self_assessment::{SelfAssessmentRecord, SelfView};
pub use talent::{PersonFacts, ProfessionalismFacts, TalentCell};
pub use workflow::{Actor, AuditFilter, AuditPage, NewDialogue};

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/database`.
    pub url: String,
    pub max_connections: u32,
    /// Counts every SQL statement sent, for tests and diagnostics.
    pub statement_counter: Option<Arc<AtomicU64>>,
}

impl StoreOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 8, statement_counter: None }
    }
}

/// A handle on the database, cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: connection::Db,
    /// Kept for the dedicated connection that listens for events on PostgreSQL.
    url: String,
    /// What this handle's reads return; unrestricted unless [`Store::scoped`] narrowed it.
    scope: Arc<Scope>,
    /// What masked reads show of each person, shared by every scoped handle.
    release: Arc<release::ReleaseCache>,
}

impl Store {
    /// Connects; a SQLite file is created when missing and opened in WAL mode.
    pub async fn connect(options: StoreOptions) -> StoreResult<Self> {
        let db = connection::Db::connect(&options).await?;
        Ok(Self { db, url: options.url, scope: Arc::new(Scope::unrestricted()), release: Arc::default() })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> StoreResult<()> {
        Migrator::up(self.db.pool(), None).await?;
        Ok(())
    }

    /// Whether the organisation is still empty (no unit at all).
    pub async fn is_empty(&self) -> StoreResult<bool> {
        Ok(entity::unit::Entity::find().count(&self.db).await? == 0)
    }

    /// The database connections open and idle now.
    pub fn pool_status(&self) -> PoolStatus {
        self.db.pool_status()
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.db.get_database_backend() {
            DatabaseBackend::Sqlite => "sqlite",
            DatabaseBackend::Postgres => "postgres",
            _ => "other",
        }
    }

    /// Closes every pooled connection.
    pub async fn close(self) -> StoreResult<()> {
        self.db.close().await?;
        Ok(())
    }

    /// This handle without its caller's scope, for what a write must read to check or compute (the whole
    /// plan behind a decision); never handed out.
    pub(crate) fn unrestricted(&self) -> Store {
        Store { scope: Arc::new(Scope::unrestricted()), ..self.clone() }
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// that concurrent writers wait for each other instead of failing on a stale read snapshot.
    pub(crate) async fn write_txn(&self) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        self.db
            .pool()
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
    }

    /// Prepares SQLite's query planner after a bulk load; a no-op on PostgreSQL, whose autovacuum analyses.
    pub async fn optimise(&self) -> StoreResult<()> {
        use sea_orm::ConnectionTrait;
        match self.db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                self.db.execute_unprepared("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA optimize;").await?;
            }
            DatabaseBackend::Postgres => {
                self.db.execute_unprepared("ANALYZE").await?;
            }
            _ => {}
        }
        Ok(())
    }
}
