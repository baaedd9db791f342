//! Change events between server processes: PostgreSQL `NOTIFY` carries them to every process listening
//! on the same database. SQLite serves one process, which delivers its events itself.

use futures::Stream;
use futures::StreamExt;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, Statement};
use uuid::Uuid;

use crate::Store;
use crate::entity::{employee, unit};
use crate::error::{StoreError, StoreResult};

/// The channel that carries kinerja's change events.
pub const EVENT_CHANNEL: &str = "kinerja_events";

impl Store {
    /// Whether events cross processes through the database (PostgreSQL) rather than staying in this one.
    pub fn shares_events(&self) -> bool {
        self.db.get_database_backend() == DatabaseBackend::Postgres
    }

    /// Sends an event payload to every process listening on this database (PostgreSQL only).
    pub async fn notify(&self, payload: &str) -> StoreResult<()> {
        if self.shares_events() {
            self.db
                .execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [EVENT_CHANNEL.into(), payload.into()],
                ))
                .await?;
        }
        Ok(())
    }

    /// The event payloads sent on this database, as they arrive (PostgreSQL only; `None` on SQLite).
    pub async fn listen(&self) -> StoreResult<Option<impl Stream<Item = String> + Send + use<>>> {
        if !self.shares_events() {
            return Ok(None);
        }
        let mut listener = PgListener::connect(&self.url)
            .await
            .map_err(|e| StoreError::FailedPrecondition(format!("listening for events: {e}")))?;
        listener
            .listen(EVENT_CHANNEL)
            .await
            .map_err(|e| StoreError::FailedPrecondition(format!("listening for events: {e}")))?;
        // A lost connection is re-established by the listener; notifications sent meanwhile are lost.
        Ok(Some(
            listener
                .into_stream()
                .filter_map(|notification| async move { notification.ok().map(|n| n.payload().to_owned()) }),
        ))
    }

    /// The owner of a plan and the path of the owner's unit, for routing events.
    pub async fn plan_owner_and_unit_path(&self, plan_id: Uuid) -> StoreResult<(Uuid, String)> {
        let plan_row = crate::plans::plan_row(&self.db, plan_id).await?;
        let owner = employee::Entity::find_by_id(plan_row.employee_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("employee", plan_row.employee_id))?;
        let unit_row = unit::Entity::find_by_id(owner.unit_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("unit", owner.unit_id))?;
        Ok((owner.id, unit_row.path))
    }

    /// The plan an indicator belongs to.
    pub async fn plan_of_indicator(&self, indicator_id: Uuid) -> StoreResult<Uuid> {
        let (_, _, plan) = crate::plans::indicator_chain(&self.db, indicator_id).await?;
        Ok(plan.id)
    }
}
