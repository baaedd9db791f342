//! Domain model of kinerja: the organisation, civil servants and their yearly performance plans (SKP),
//! with every invariant enforced when a value is built.
//!
//! This crate does no IO and knows nothing of storage, HTTP or GraphQL. Indonesian terms are kept
//! where they are the domain's proper names: NIP (civil-servant number), SKP (performance plan),
//! RHK (planned work result), IKI (individual performance indicator), BerAKHLAK (the core values),
//! predikat (performance grade).

pub mod access;
pub mod activity;
pub mod behaviour;
pub mod development;
pub mod development_plan;
pub mod disclosure;
pub mod nip;
pub mod people;
pub mod period;
pub mod plan;
pub mod reading;
pub mod self_assessment;
pub mod unit;

pub use access::{Capability, GrantError, Role, UnknownRole, check_grant};
pub use activity::{ActivityError, ActivityKind, Aggregation, AttributeValue, Field};
pub use behaviour::{
    BehaviourRating, BerakhlakValue, FeedbackKind, FeedbackNote, OrganisationPredikat, Predikat, RatingLevel,
};
pub use development::{Education, NeedPriority, NeedReason, NeedStatus, NeedTransitionError, PenaltyLevel, Potential};
pub use development_plan::{GoalStatus, GoalTransitionError, LearningKind, plan_kept};
pub use disclosure::{
    PartitionCell, PositionCategory, QuasiIdentifiers, Released, ReleasedUnits, WITHHELD_GROUPS, disclose, generalise,
    merge_withheld, released_units,
};
pub use nip::{Nip, NipError, Sex};
pub use people::{Employee, EmploymentType, PeopleError, Position, PositionKind, Rank};
pub use period::{Period, PeriodError};
pub use plan::{
    Accumulation, Approach, Aspect, CascadeEnds, Evidence, Indicator, MAX_TEXT_CHARS, Plan, PlanAction, PlanError,
    PlanStatus, Realisation, Target, WorkResult, WorkResultSection, check_cascade, check_objection_window,
    check_override, free_text, optional_free_text,
};
pub use reading::development_reading;
pub use self_assessment::{AgendaItem, dialogue_agenda};
pub use unit::{PlacedUnit, Unit, UnitCode, UnitError, UnitKind, check_placement};

/// Any violation of a domain invariant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Nip(#[from] NipError),
    #[error(transparent)]
    Unit(#[from] UnitError),
    #[error(transparent)]
    People(#[from] PeopleError),
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Activity(#[from] ActivityError),
    #[error(transparent)]
    NeedTransition(#[from] NeedTransitionError),
    #[error(transparent)]
    GoalTransition(#[from] GoalTransitionError),
    #[error(transparent)]
    Grant(#[from] GrantError),
}
