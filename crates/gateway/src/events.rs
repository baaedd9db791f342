//! Live events for subscriptions: a bounded broadcast inside the process, fed through PostgreSQL
//! `LISTEN/NOTIFY` when several processes share one database.
//!
//! Writers never wait for subscribers: the channel keeps the last [`EVENT_BUFFER`] events, and a
//! subscriber that falls further behind skips the events it missed and goes on with the newest.

use futures::StreamExt;
use kinerja_store::Store;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// Events kept for slow subscribers before the oldest are dropped for them.
pub const EVENT_BUFFER: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Topic {
    Feedback,
    Realisation,
    Decision,
}

/// Something changed: which entity, whose record, and the path of that employee's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Event {
    pub(crate) topic: Topic,
    pub(crate) entity_id: Uuid,
    pub(crate) employee_id: Uuid,
    pub(crate) unit_path: String,
}

/// The process's event channel.
#[derive(Clone)]
pub(crate) struct EventBus {
    sender: broadcast::Sender<Event>,
    store: Store,
}

impl EventBus {
    /// A bus over `store`; on PostgreSQL it also relays every event sent on the database.
    pub(crate) async fn start(store: Store) -> Result<Self, kinerja_store::StoreError> {
        let (sender, _) = broadcast::channel(EVENT_BUFFER);
        if let Some(payloads) = store.listen().await? {
            let mut payloads = Box::pin(payloads);
            let relay = sender.clone();
            tokio::spawn(async move {
                while let Some(payload) = payloads.next().await {
                    match serde_json::from_str::<Event>(&payload) {
                        Ok(event) => {
                            // No subscriber is not an error.
                            let _ = relay.send(event);
                        }
                        Err(error) => tracing::warn!(%error, "ignoring a malformed event"),
                    }
                }
            });
        }
        Ok(Self { sender, store })
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// Announces a change of a plan's part; a failure to announce is logged, never returned, because the
    /// change itself is already committed.
    pub(crate) async fn publish(&self, topic: Topic, entity_id: Uuid, plan_id: Uuid) {
        let routed = self.store.plan_owner_and_unit_path(plan_id).await;
        let (employee_id, unit_path) = match routed {
            Ok(routed) => routed,
            Err(error) => {
                tracing::warn!(%error, "cannot route an event");
                return;
            }
        };
        let event = Event { topic, entity_id, employee_id, unit_path };
        if self.store.shares_events() {
            match serde_json::to_string(&event) {
                Ok(payload) => {
                    if let Err(error) = self.store.notify(&payload).await {
                        tracing::warn!(%error, "cannot send an event");
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot encode an event"),
            }
        } else {
            let _ = self.sender.send(event);
        }
    }
}
