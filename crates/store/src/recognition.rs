//! Recognition: appreciations (apresiasi) that leaders and colleagues send an employee, tied to a work
//! result or a BerAKHLAK value, and the agency's recognition list (daftar penghargaan) of a year — who
//! was rated Sangat Baik and who kept their development plan, as the follow-up of results asks.

use chrono::{DateTime, Utc};
use kinerja_domain::{BerakhlakValue, Capability, GoalStatus, Predikat};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::Store;
use crate::access::OwnedRecords;
use crate::entity::{appreciation, development_goal, employee, plan, rating_decision, unit, work_result};
use crate::error::{StoreError, StoreResult};
use crate::org::{agency_of, subtree_employee_ids};
use crate::records::{EmployeeRecord, UnitRecord, new_record_id};
use crate::workflow::{Actor, audit};

/// What an appreciation thanks the employee for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppreciationSubject {
    WorkResult(Uuid),
    Value(BerakhlakValue),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppreciationRecord {
    pub id: Uuid,
    pub recipient_id: Uuid,
    /// Who sent it, by name: an appreciation is never anonymous.
    pub sender_name: String,
    pub year: i32,
    pub subject: AppreciationSubject,
    pub message: String,
    pub sent_at: DateTime<Utc>,
}

/// Why someone is on the recognition list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecognitionEntry {
    pub employee: EmployeeRecord,
    /// The year's predikat, when decided.
    pub predikat: Option<Predikat>,
    /// Whether every agreed goal of the year's development plan was achieved.
    pub kept_development_plan: bool,
    pub appreciations: u64,
}

impl Store {
    /// Sends an appreciation from the acting employee to a colleague of the same perangkat daerah, from
    /// a superior to whom they rate, or from the city's own leaders to anyone. A work result must be one
    /// of the recipient's of the year.
    pub async fn send_appreciation(
        &self,
        actor: &Actor,
        recipient_id: Uuid,
        year: i32,
        subject: AppreciationSubject,
        message: &str,
    ) -> StoreResult<AppreciationRecord> {
        Store::require(actor, Capability::EditPlans)?;
        if recipient_id == actor.employee_id {
            return Err(StoreError::InvalidInput("nip: an appreciation goes to someone else".into()));
        }
        let message = kinerja_domain::free_text(message, "message").map_err(StoreError::invalid)?;
        if message.trim().is_empty() {
            return Err(StoreError::InvalidInput("message: an appreciation says what it thanks for".into()));
        }
        let txn = self.write_txn().await?;
        let path_of = |employee_id: Uuid| {
            let txn = &txn;
            async move {
                let row = employee::Entity::find_by_id(employee_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("employee", employee_id))?;
                let unit = unit::Entity::find_by_id(row.unit_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("unit", row.unit_id))?;
                StoreResult::Ok((row, unit.path))
            }
        };
        let (sender, sender_path) = path_of(actor.employee_id).await?;
        let (recipient, recipient_path) = path_of(recipient_id).await?;
        let (from, to) = (agency_of(&sender_path), agency_of(&recipient_path));
        let superior = recipient.superior_id == Some(sender.id);
        if from.is_some() && to.is_some() && from != to && !superior {
            return Err(StoreError::Forbidden {
                reason: "appreciations go to colleagues of one's own perangkat daerah".into(),
            });
        }
        let (work_result_id, value) = match subject {
            AppreciationSubject::WorkResult(id) => {
                let result = work_result::Entity::find_by_id(id)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("work result", id))?;
                let owner = plan::Entity::find_by_id(result.plan_id).one(&txn).await?;
                if !owner.is_some_and(|p| p.employee_id == recipient_id && p.year == year) {
                    return Err(StoreError::FailedPrecondition(format!(
                        "workResultId: {id} is not a work result of the recipient's {year} plan"
                    )));
                }
                (Some(id), None)
            }
            AppreciationSubject::Value(value) => (None, Some(value.as_str().to_owned())),
        };
        let model = appreciation::Model {
            id: new_record_id(),
            sender_id: actor.employee_id,
            recipient_id,
            year,
            work_result_id,
            value,
            message: message.clone(),
            sent_at: Utc::now(),
        };
        let record = AppreciationRecord {
            id: model.id,
            recipient_id,
            sender_name: sender.name,
            year,
            subject,
            message,
            sent_at: model.sent_at,
        };
        appreciation::Entity::insert(model.into_active_model()).exec_without_returning(&txn).await?;
        audit(
            &txn,
            Some(actor),
            "appreciation.sent",
            "employee",
            recipient_id,
            None,
            Some(json!({ "appreciation": record.id, "year": year })),
        )
        .await?;
        txn.commit().await?;
        Ok(record)
    }

    /// The appreciations the given employees received in `year` (or in any year), of those the caller
    /// reaches, newest first.
    pub async fn appreciations_of_employees(
        &self,
        employee_ids: &[Uuid],
        year: Option<i32>,
    ) -> StoreResult<Vec<AppreciationRecord>> {
        let mut query =
            appreciation::Entity::find().filter(appreciation::Column::RecipientId.is_in(employee_ids.iter().copied()));
        if let Some(year) = year {
            query = query.filter(appreciation::Column::Year.eq(year));
        }
        let rows = query
            .records_in_scope(&self.scope, appreciation::Column::RecipientId)
            .order_by_desc(appreciation::Column::SentAt)
            .all(&self.db)
            .await?;
        let senders = employee::Entity::find()
            .filter(employee::Column::Id.is_in(rows.iter().map(|r| r.sender_id)))
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let subject = match (row.work_result_id, &row.value) {
                    (Some(id), _) => AppreciationSubject::WorkResult(id),
                    (None, Some(value)) => AppreciationSubject::Value(value.parse().map_err(|e| {
                        StoreError::Corrupt { table: "appreciations", id: row.id.to_string(), reason: format!("{e}") }
                    })?),
                    (None, None) => {
                        return Err(StoreError::Corrupt {
                            table: "appreciations",
                            id: row.id.to_string(),
                            reason: "neither a work result nor a value".into(),
                        });
                    }
                };
                let sender_name =
                    senders.iter().find(|s| s.id == row.sender_id).map(|s| s.name.clone()).unwrap_or_default();
                Ok(AppreciationRecord {
                    id: row.id,
                    recipient_id: row.recipient_id,
                    sender_name,
                    year: row.year,
                    subject,
                    message: row.message,
                    sent_at: row.sent_at,
                })
            })
            .collect()
    }

    /// The recognition list of a unit's subtree for `year`, of the employees the caller reaches: rated
    /// Sangat Baik, or with a kept development plan; by NIP.
    pub async fn recognition_list(&self, unit: &UnitRecord, year: i32) -> StoreResult<Vec<RecognitionEntry>> {
        let path = self.unit_path(unit).await?;
        let members = employee::Entity::find()
            .filter(employee::Column::Id.in_subquery(subtree_employee_ids(&path)))
            .records_in_scope(&self.scope, employee::Column::Id)
            .order_by_asc(employee::Column::Nip)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();
        let mut entries = Vec::new();
        for chunk in ids.chunks(500) {
            let plans = plan::Entity::find()
                .filter(plan::Column::EmployeeId.is_in(chunk.iter().copied()))
                .filter(plan::Column::Year.eq(year))
                .all(&self.db)
                .await?;
            let decisions = rating_decision::Entity::find()
                .filter(rating_decision::Column::PlanId.is_in(plans.iter().map(|p| p.id)))
                .filter(rating_decision::Column::Year.eq(year))
                .all(&self.db)
                .await?;
            let goals = development_goal::Entity::find()
                .filter(development_goal::Column::EmployeeId.is_in(chunk.iter().copied()))
                .filter(development_goal::Column::Year.eq(year))
                .all(&self.db)
                .await?;
            let thanks = appreciation::Entity::find()
                .filter(appreciation::Column::RecipientId.is_in(chunk.iter().copied()))
                .filter(appreciation::Column::Year.eq(year))
                .all(&self.db)
                .await?;
            for id in chunk {
                let predikat = plans
                    .iter()
                    .filter(|p| p.employee_id == *id)
                    .find_map(|p| decisions.iter().find(|d| d.plan_id == p.id))
                    .map(|d| d.predikat.parse::<Predikat>())
                    .transpose()
                    .map_err(StoreError::invalid)?;
                let statuses: Vec<GoalStatus> = goals
                    .iter()
                    .filter(|g| g.employee_id == *id)
                    .map(|g| g.status.parse::<GoalStatus>())
                    .collect::<Result<_, _>>()
                    .map_err(StoreError::invalid)?;
                let kept = kinerja_domain::plan_kept(&statuses);
                if predikat != Some(Predikat::SangatBaik) && !kept {
                    continue;
                }
                let member = members
                    .iter()
                    .find(|m| m.id == *id)
                    .cloned()
                    .ok_or_else(|| StoreError::not_found("employee", id))?;
                entries.push(RecognitionEntry {
                    employee: member.try_into()?,
                    predikat,
                    kept_development_plan: kept,
                    appreciations: thanks.iter().filter(|t| t.recipient_id == *id).count() as u64,
                });
            }
        }
        Ok(entries)
    }
}
