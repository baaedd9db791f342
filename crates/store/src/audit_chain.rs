//! The audit log as a hash chain: every event's hash covers its content and the previous event's hash,
//! and sequence numbers leave no gap, so a deleted, altered or reordered event is found and named.

use chrono::{DurationRound, TimeDelta};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use sha2::{Digest, Sha256};

use crate::Store;
use crate::entity::audit_event;
use crate::error::StoreResult;

/// Any constant: the advisory lock that makes PostgreSQL writers append to the chain one at a time.
pub(crate) const CHAIN_LOCK: i64 = 0x006b_696e_6572_6a61;
/// Events read per round when verifying.
const VERIFY_PAGE: u64 = 5_000;
/// Problems listed at most.
const MAX_PROBLEMS: usize = 100;

fn content_hash(event: &audit_event::Model, sequence: i64, previous: &str) -> String {
    let mut text = format!(
        "{sequence}|{}|{}|{}|{}|{}|{}|{}|{}|{previous}",
        event.id,
        event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        event.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        event.action,
        event.entity_type,
        event.entity_id,
        event.before.as_deref().unwrap_or(""),
        event.after.as_deref().unwrap_or(""),
    );
    // Appended only when present, so events from before roles were recorded keep their hashes.
    if let Some(role) = &event.actor_role {
        text.push('|');
        text.push_str(role);
    }
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Appends `event` after the last chained event, inside the caller's transaction.
pub(crate) async fn append(txn: &DatabaseTransaction, mut event: audit_event::Model) -> StoreResult<()> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [CHAIN_LOCK.into()],
        ))
        .await?;
    }
    let last = audit_event::Entity::find()
        .filter(audit_event::Column::Sequence.is_not_null())
        .order_by_desc(audit_event::Column::Sequence)
        .limit(1)
        .one(txn)
        .await?;
    link(&mut event, last.map(|e| (e.sequence, e.hash)));
    audit_event::Entity::insert(event.into_active_model()).exec_without_returning(txn).await?;
    Ok(())
}

/// Chains `event` after the last chained event (its sequence number and hash): sets its sequence,
/// previous hash and hash.
pub(crate) fn link(event: &mut audit_event::Model, last: Option<(Option<i64>, Option<String>)>) {
    let (last_sequence, last_hash) = last.unwrap_or((None, None));
    let sequence = last_sequence.unwrap_or(0) + 1;
    let previous = last_hash.unwrap_or_default();
    // Stored instants keep microseconds on every database; hash what will be read back.
    event.occurred_at = event.occurred_at.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(event.occurred_at);
    event.hash = Some(content_hash(event, sequence, &previous));
    event.sequence = Some(sequence);
    event.previous_hash = Some(previous);
}

/// What a verification of the audit chain found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditVerification {
    /// Chained events checked.
    pub checked: u64,
    /// Events written before the chain existed, which cannot be checked.
    pub unchained: u64,
    /// Each deleted, altered or reordered event, named.
    pub problems: Vec<String>,
}

impl Store {
    /// Walks the whole audit chain in sequence order and reports every break.
    pub async fn verify_audit_chain(&self) -> StoreResult<AuditVerification> {
        let mut report = AuditVerification {
            unchained: audit_event::Entity::find()
                .filter(audit_event::Column::Sequence.is_null())
                .count(&self.db)
                .await?,
            ..AuditVerification::default()
        };
        let mut previous: Option<(i64, String)> = None;
        loop {
            let after = previous.as_ref().map_or(0, |(sequence, _)| *sequence);
            let page = audit_event::Entity::find()
                .filter(audit_event::Column::Sequence.gt(after))
                .order_by_asc(audit_event::Column::Sequence)
                .limit(VERIFY_PAGE)
                .all(&self.db)
                .await?;
            if page.is_empty() {
                break;
            }
            for event in page {
                let sequence = event.sequence.unwrap_or_default();
                let stored_previous = event.previous_hash.clone().unwrap_or_default();
                let (expected_sequence, expected_previous) = match &previous {
                    Some((last, hash)) => (last + 1, hash.clone()),
                    None => (1, String::new()),
                };
                if sequence != expected_sequence {
                    report.problems.push(format!(
                        "events #{expected_sequence}..#{} are missing (deleted) before event #{sequence} ({})",
                        sequence - 1,
                        event.id
                    ));
                } else if stored_previous != expected_previous {
                    report.problems.push(format!(
                        "event #{sequence} ({}) does not follow event #{} in the chain (reordered, or its predecessor was altered)",
                        event.id,
                        sequence - 1
                    ));
                }
                if event.hash.as_deref() != Some(content_hash(&event, sequence, &stored_previous).as_str()) {
                    report.problems.push(format!("event #{sequence} ({}, {}) was altered", event.id, event.action));
                }
                report.checked += 1;
                previous = Some((sequence, event.hash.clone().unwrap_or_default()));
                if report.problems.len() >= MAX_PROBLEMS {
                    return Ok(report);
                }
            }
        }
        Ok(report)
    }
}
