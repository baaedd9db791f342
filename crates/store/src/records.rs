//! What the store hands out: domain values with their ids and links, never sea-orm models.

use chrono::{DateTime, Utc};
use kinerja_domain::{
    BehaviourRating, Employee, FeedbackNote, Indicator, OrganisationPredikat, Period, Plan, Position, Predikat,
    RatingLevel, Realisation, Unit, WorkResult,
};
use uuid::Uuid;

/// A new record's id: random, since an id that carries its creation time (UUIDv7) would put records in
/// the order they were imported, which for people imported by NIP is the order of their birth dates.
pub fn new_record_id() -> Uuid {
    Uuid::new_v4()
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitRecord {
    pub id: Uuid,
    pub unit: Unit,
    pub parent_id: Option<Uuid>,
    /// Distance from the root (the root has depth 0).
    pub depth: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PositionRecord {
    pub id: Uuid,
    pub code: String,
    pub position: Position,
    pub unit_id: Uuid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeRecord {
    pub id: Uuid,
    pub employee: Employee,
    pub position_id: Uuid,
    pub unit_id: Uuid,
    /// The direct superior, who is also the rater (Pejabat Penilai Kinerja).
    pub superior_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub rater_id: Option<Uuid>,
    pub plan: Plan,
    /// Incremented on every change, for optimistic concurrency.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PlanRecord {
    /// A new plan of `employee_id`, rated by `rater_id`: a fresh id, version 1, created now.
    pub fn new(employee_id: Uuid, rater_id: Option<Uuid>, plan: Plan) -> Self {
        let now = Utc::now();
        Self { id: new_record_id(), employee_id, rater_id, plan, version: 1, created_at: now, updated_at: now }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkResultRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub code: String,
    pub work_result: WorkResult,
    /// The superior's work result that this one intervenes.
    pub parent_id: Option<Uuid>,
    pub ordinal: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRecord {
    pub id: Uuid,
    pub work_result_id: Uuid,
    pub code: String,
    pub indicator: Indicator,
    pub ordinal: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RealisationRecord {
    pub id: Uuid,
    pub indicator_id: Uuid,
    pub realisation: Realisation,
    /// `manual`, or `activity:<kind>` when derived from an operational system's records.
    pub source: String,
    pub recorded_at: DateTime<Utc>,
    /// Incremented on every correction, for optimistic concurrency.
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub work_result_id: Option<Uuid>,
    pub indicator_id: Option<Uuid>,
    pub note: FeedbackNote,
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BehaviourRatingRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub period: Period,
    pub rating: BehaviourRating,
}

/// A plan's evaluation under one rule pack.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub period: Period,
    pub pack_id: String,
    pub pack_version: i32,
    pub proposed_result_rating: RatingLevel,
    pub proposed_behaviour_rating: RatingLevel,
    pub predikat: Predikat,
    /// `final_ratings` or `proposed_ratings`.
    pub predikat_basis: String,
    pub computed_at: DateTime<Utc>,
}

impl EvaluationRecord {
    /// Whether the predikat is the rater's decision rather than the proposal.
    pub fn is_decided(&self) -> bool {
        self.predikat_basis == "final_ratings"
    }
}

/// What a person's card shows, read in one statement: the employee, their unit, and their plans (of the
/// year asked), each with its evaluations (of the period asked, or of every period in period order).
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeCard {
    pub employee: EmployeeRecord,
    pub unit: UnitRecord,
    pub plans: Vec<(PlanRecord, Vec<EvaluationRecord>)>,
}

/// An evaluation with the achievement of each of the plan's indicators, as scoring produced them.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredPlan {
    pub evaluation: EvaluationRecord,
    /// The scoring crate's explanation, as JSON; read back on its own, being the bulk of the row.
    pub explanation: String,
    pub employee_id: Uuid,
    pub achievements: Vec<AchievementRecord>,
}

/// One indicator's achievement (percent of target) in an evaluation; `None` before any realisation.
#[derive(Debug, Clone, PartialEq)]
pub struct AchievementRecord {
    pub indicator_id: Uuid,
    pub aspect: kinerja_domain::Aspect,
    pub achievement: Option<rust_decimal::Decimal>,
}

/// The organisation predikat of a unit for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationRatingRecord {
    pub unit_id: Uuid,
    pub year: i32,
    pub predikat: OrganisationPredikat,
}

/// A unit's predikat counts (its whole subtree) checked against its organisation predikat.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionRecord {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub pack_id: String,
    pub pack_version: i32,
    pub organisation_predikat: OrganisationPredikat,
    /// Counts in the order of [`Predikat::ALL`].
    pub counts: [u32; 5],
    /// The broken constraints with their explanation, as JSON.
    pub violations: String,
    pub computed_at: DateTime<Utc>,
}

/// Everything scoring needs about one plan.
#[derive(Debug, Clone)]
pub struct PlanBundle {
    pub plan: PlanRecord,
    pub employee: EmployeeRecord,
    pub position: PositionRecord,
    pub work_results: Vec<WorkResultRecord>,
    pub indicators: Vec<IndicatorRecord>,
    pub realisations: Vec<RealisationRecord>,
    pub behaviour: Vec<BehaviourRatingRecord>,
}

/// A value a realisation had before a correction.
#[derive(Debug, Clone, PartialEq)]
pub struct RealisationHistoryRecord {
    pub id: Uuid,
    pub realisation_id: Uuid,
    pub value: rust_decimal::Decimal,
    pub evidence_note: Option<String>,
    pub evidence_link: Option<String>,
    pub source: String,
    pub recorded_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
    pub replaced_by: Option<Uuid>,
}

/// A recorded performance dialogue (dialog kinerja).
#[derive(Debug, Clone, PartialEq)]
pub struct DialogueRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub held_on: chrono::NaiveDate,
    pub participants: String,
    pub summary: String,
    pub agreed_actions: String,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// One entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: Uuid,
    /// Position in the hash chain; empty for events written before the chain existed.
    pub sequence: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// The role the actor acted in; empty for the command-line tools.
    pub actor_role: Option<String>,
    /// What happened, e.g. `plan.approved` or `realisation.corrected`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// The entity before and after, as JSON; absent for a creation or a removal respectively.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The rater's decision on a plan's year: the ratings, the predikat, and the proposal they answer.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub year: i32,
    pub result_rating: RatingLevel,
    pub behaviour_rating: RatingLevel,
    pub predikat: Predikat,
    pub proposed_result_rating: RatingLevel,
    pub proposed_behaviour_rating: RatingLevel,
    pub override_reason: Option<String>,
    pub pack_id: String,
    pub pack_version: i32,
    pub decided_by: Uuid,
    pub decided_at: DateTime<Utc>,
    /// Set when the unit is finalised; the decision is then changed only through an objection.
    pub finalised_at: Option<DateTime<Utc>>,
    pub version: i32,
}

/// The ratings a decision or an upheld objection sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratings {
    pub result: RatingLevel,
    pub behaviour: RatingLevel,
    pub predikat: Predikat,
}

/// An employee's objection (keberatan) to a final decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectionRecord {
    pub id: Uuid,
    pub decision_id: Uuid,
    pub filed_by: Uuid,
    pub filed_at: DateTime<Utc>,
    pub reasons: String,
    /// `filed`, `upheld` or `rejected`.
    pub status: String,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reasons: Option<String>,
    /// The ratings before an upheld objection changed them.
    pub previous: Option<Ratings>,
}

/// A unit's finalisation for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalisationRecord {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub finalised_by: Uuid,
    pub finalised_at: DateTime<Utc>,
    pub override_reason: Option<String>,
    /// The broken distribution constraints at finalisation, as JSON.
    pub violations: String,
    /// Plans whose decisions became final.
    pub plans_finalised: u64,
    /// The decisions made final, with their plans: `(decision id, plan id)`.
    pub decisions: Vec<(Uuid, Uuid)>,
}

/// A rule that turns one activity kind into the realisations of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityMappingRecord {
    pub id: Uuid,
    pub activity_kind: kinerja_domain::ActivityKind,
    pub indicator_id: Uuid,
    pub aggregation: kinerja_domain::Aggregation,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A record posted by an operational system.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRecord {
    pub id: Uuid,
    pub kind: kinerja_domain::ActivityKind,
    /// The sending system's id of the record; a resend of the same id is refused.
    pub external_id: String,
    pub employee_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub attributes: std::collections::BTreeMap<String, kinerja_domain::AttributeValue>,
    pub received_at: DateTime<Utc>,
}

/// The leader's specific expectation (ekspektasi khusus pimpinan) of one BerAKHLAK value in a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviourExpectationRecord {
    pub plan_id: Uuid,
    pub value: kinerja_domain::BerakhlakValue,
    pub expectation: String,
    pub set_by: Uuid,
    pub set_at: DateTime<Utc>,
}

impl DistributionRecord {
    /// Whether the counts keep to the guidance (no constraint broken).
    pub fn within_guidance(&self) -> bool {
        serde_json::from_str::<serde_json::Value>(&self.violations)
            .ok()
            .is_some_and(|checked| checked["value"].as_array().is_some_and(Vec::is_empty))
    }
}
