//! The store's way to the database: sea-orm's pool for transactions (and for everything on SQLite), and on
//! PostgreSQL a pool of its own for single statements. sqlx tests every connection that goes back into its
//! pool with a round trip to the server (a `Sync` sent from a spawned task, sqlx-core `return_to_pool`,
//! with no option to turn it off), which doubled the round trips of every statement; a connection goes back
//! into this pool without one (only a connection idle for a while is tested, as it is taken again). A
//! statement cut off half-way (a request that timed out) leaves its connection unsettled, and such a
//! connection is closed instead of reused.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool::Runtime;
use deadpool::managed::{self, Metrics, Object, Pool, RecycleError, RecycleResult};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgDatabaseError, PgSeverity, Postgres};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DbErr, ExecResult, QueryResult,
    RuntimeErr, Statement,
};
use sea_query_sqlx::SqlxValues;

use crate::StoreOptions;

/// How long a statement waits for a connection, a new connection to open or SQLite's lock, before it fails.
const CONNECTION_WAIT: Duration = Duration::from_secs(30);

/// How long a connection may sit idle before it is tested with a round trip as it is taken again (the
/// server or a proxy may have dropped it); testing every checkout doubled the round trips of a request.
const IDLE_BEFORE_TEST: Duration = Duration::from_secs(30);

/// Opens PostgreSQL connections for single statements.
pub(crate) struct Connector {
    options: PgConnectOptions,
}

/// A connection and whether its last statement ran to its end.
pub(crate) struct StatementConnection {
    connection: PgConnection,
    settled: bool,
}

impl managed::Manager for Connector {
    type Type = StatementConnection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<StatementConnection, sqlx::Error> {
        Ok(StatementConnection { connection: PgConnection::connect_with(&self.options).await?, settled: true })
    }

    async fn recycle(&self, connection: &mut StatementConnection, metrics: &Metrics) -> RecycleResult<sqlx::Error> {
        if !connection.settled {
            return Err(RecycleError::message("its last statement was cut off"));
        }
        // Only a connection that sat idle is tested: the server or a proxy may have dropped it since.
        if metrics.last_used() >= IDLE_BEFORE_TEST {
            connection.connection.ping().await.map_err(RecycleError::Backend)?;
        }
        Ok(())
    }
}

/// Open and idle database connections, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    pub open: u32,
    pub idle: u32,
}

#[derive(Clone)]
pub(crate) struct Db {
    /// Transactions, bulk work, listening; every statement on SQLite.
    pool: DatabaseConnection,
    /// Single statements on PostgreSQL.
    statements: Option<Pool<Connector>>,
    statement_counter: Option<Arc<AtomicU64>>,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db").field("backend", &self.pool.get_database_backend()).finish_non_exhaustive()
    }
}

impl Db {
    /// Connects sea-orm's pool (a SQLite file is created when missing and opened in WAL mode) and, on
    /// PostgreSQL, the statement pool; each opens up to `max_connections`.
    pub(crate) async fn connect(options: &StoreOptions) -> Result<Self, DbErr> {
        let mut connect = ConnectOptions::new(options.url.clone());
        connect
            .max_connections(options.max_connections)
            .min_connections(1)
            .acquire_timeout(CONNECTION_WAIT)
            .test_before_acquire_if_idle_for(IDLE_BEFORE_TEST)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|sqlite| {
                sqlite
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(CONNECTION_WAIT)
                    // 64 MiB of page cache per connection instead of SQLite's 2 MiB: bulk loads and
                    // subtree queries otherwise spend their time re-reading index pages.
                    .pragma("cache_size", "-65536")
            });
        let mut pool = Database::connect(connect).await?;
        if let Some(counter) = options.statement_counter.clone() {
            pool.set_metric_callback(move |_| {
                counter.fetch_add(1, Ordering::Relaxed);
            });
        }
        let statements = match pool.get_database_backend() {
            DatabaseBackend::Postgres => {
                let connect = PgConnectOptions::from_str(&options.url)
                    .map_err(|error| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))))?
                    .disable_statement_logging();
                let built = Pool::builder(Connector { options: connect })
                    .max_size(options.max_connections as usize)
                    .wait_timeout(Some(CONNECTION_WAIT))
                    .create_timeout(Some(CONNECTION_WAIT))
                    .runtime(Runtime::Tokio1)
                    .build()
                    .map_err(|error| DbErr::Conn(RuntimeErr::Internal(error.to_string())))?;
                Some(built)
            }
            _ => None,
        };
        Ok(Self { pool, statements, statement_counter: options.statement_counter.clone() })
    }

    /// How many database connections are open and how many of them idle, over both pools.
    pub(crate) fn pool_status(&self) -> PoolStatus {
        let (mut open, mut idle) = match self.pool.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = self.pool.get_postgres_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
            DatabaseBackend::Sqlite => {
                let pool = self.pool.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
            _ => (0, 0),
        };
        if let Some(statements) = &self.statements {
            let status = statements.status();
            open += status.size as u32;
            idle += status.available as u32;
        }
        PoolStatus { open, idle }
    }

    /// sea-orm's pool, for transactions and migrations.
    pub(crate) fn pool(&self) -> &DatabaseConnection {
        &self.pool
    }

    pub(crate) fn get_database_backend(&self) -> DatabaseBackend {
        self.pool.get_database_backend()
    }

    pub(crate) async fn close(self) -> Result<(), DbErr> {
        if let Some(statements) = &self.statements {
            statements.close();
        }
        self.pool.close().await
    }

    /// A connection of the statement pool for one statement, counted, and unsettled until the statement
    /// has run to its end.
    async fn checkout(&self, statements: &Pool<Connector>) -> Result<Object<Connector>, DbErr> {
        if let Some(counter) = &self.statement_counter {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let mut held = statements
            .get()
            .await
            .map_err(|error| DbErr::Conn(RuntimeErr::Internal(format!("connection: {error}"))))?;
        held.settled = false;
        Ok(held)
    }
}

fn query(statement: &Statement) -> sqlx::query::Query<'_, Postgres, SqlxValues> {
    let values = statement.values.clone().unwrap_or(sea_orm::Values(Vec::new()));
    sqlx::query_with(sqlx::AssertSqlSafe(statement.sql.as_str()), SqlxValues(values))
}

/// Whether a connection is fit for the next statement after `result`: an error the server reports (a
/// violated constraint, say) ends the statement, not the session, unless it is fatal; a broken or cut-off
/// exchange leaves it unfit.
fn settles<T>(result: &Result<T, sqlx::Error>) -> bool {
    match result {
        Ok(_) => true,
        Err(sqlx::Error::Database(error)) => error
            .try_downcast_ref::<PgDatabaseError>()
            .is_none_or(|error| !matches!(error.severity(), PgSeverity::Fatal | PgSeverity::Panic)),
        Err(_) => false,
    }
}

fn failed(error: sqlx::Error) -> RuntimeErr {
    RuntimeErr::SqlxError(Arc::new(error))
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DatabaseBackend {
        self.pool.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        let Some(statements) = &self.statements else { return self.pool.execute_raw(statement).await };
        let mut held = self.checkout(statements).await?;
        let result = query(&statement).execute(&mut held.connection).await;
        held.settled = settles(&result);
        result.map(ExecResult::from).map_err(|error| DbErr::Exec(failed(error)))
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.pool.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        let Some(statements) = &self.statements else { return self.pool.query_one_raw(statement).await };
        let mut held = self.checkout(statements).await?;
        let result = query(&statement).fetch_optional(&mut held.connection).await;
        held.settled = settles(&result);
        result.map(|row| row.map(QueryResult::from)).map_err(|error| DbErr::Query(failed(error)))
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let Some(statements) = &self.statements else { return self.pool.query_all_raw(statement).await };
        let mut held = self.checkout(statements).await?;
        let result = query(&statement).fetch_all(&mut held.connection).await;
        held.settled = settles(&result);
        result
            .map(|rows| rows.into_iter().map(QueryResult::from).collect())
            .map_err(|error| DbErr::Query(failed(error)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::TestDatabase;

    async fn backend_pid(db: &Db) -> Result<i32, DbErr> {
        let row = db.query_one_raw(Statement::from_string(DatabaseBackend::Postgres, "SELECT pg_backend_pid() AS pid"));
        row.await?.expect("one row").try_get("", "pid")
    }

    #[tokio::test]
    async fn single_statements_reuse_a_connection_unless_it_was_cut_off() {
        let Some(database) = TestDatabase::postgres("single_statements_reuse_a_connection").await.unwrap() else {
            return;
        };
        let options = StoreOptions { max_connections: 1, ..StoreOptions::new(&database.url) };
        let db = Db::connect(&options).await.unwrap();
        let first = backend_pid(&db).await.unwrap();
        assert_eq!(backend_pid(&db).await.unwrap(), first, "the connection goes back into the pool");

        let division = Statement::from_string(DatabaseBackend::Postgres, "SELECT 1 / 0");
        assert!(db.query_all_raw(division).await.is_err());
        assert_eq!(backend_pid(&db).await.unwrap(), first, "a database error leaves the connection fit");

        let slow = db.query_all_raw(Statement::from_string(DatabaseBackend::Postgres, "SELECT pg_sleep(5)"));
        assert!(tokio::time::timeout(Duration::from_millis(200), slow).await.is_err(), "cut off");
        let after = backend_pid(&db).await.unwrap();
        assert_ne!(after, first, "a connection cut off mid-statement is closed, not reused");

        // The server drops the connection: the next statement fails, and the one after runs on a new one.
        let admin = Database::connect(database.url.as_str()).await.unwrap();
        admin.execute_unprepared(&format!("SELECT pg_terminate_backend({after})")).await.unwrap();
        admin.close().await.unwrap();
        assert!(backend_pid(&db).await.is_err(), "the dropped connection fails its statement");
        let renewed = backend_pid(&db).await.unwrap();
        assert_ne!(renewed, after, "and is not used again");
        db.close().await.unwrap();
        database.dispose().await.unwrap();
    }
}
