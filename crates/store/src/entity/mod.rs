//! sea-orm entities, one per table. They stay inside the store: callers see records built of domain types.

pub(crate) mod activity_mapping;
pub(crate) mod activity_record;
pub(crate) mod audit_event;
pub(crate) mod behaviour_expectation;
pub(crate) mod behaviour_rating;
pub(crate) mod competency_assessment;
pub(crate) mod dialogue;
pub(crate) mod employee;
pub(crate) mod evaluation;
pub(crate) mod feedback_note;
pub(crate) mod indicator;
pub(crate) mod indicator_achievement;
pub(crate) mod objection;
pub(crate) mod organisation_rating;
pub(crate) mod past_result;
pub(crate) mod plan;
pub(crate) mod position;
pub(crate) mod rating_decision;
pub(crate) mod realisation;
pub(crate) mod realisation_history;
pub(crate) mod training_need;
pub(crate) mod training_record;
pub(crate) mod unit;
pub(crate) mod unit_distribution;
pub(crate) mod unit_finalisation;
pub(crate) mod work_result;
