//! Evaluation as self-development: the individual development plan, appreciations, and feedback on
//! behaviour from peers and subordinates. The calendar and the catalogue are checked here; who may do
//! what, in the store.

use chrono::{Datelike, NaiveDate};
use kinerja_domain::{LearningKind, Nip};
use kinerja_scoring::{Mode, RulePacks};
use kinerja_store::{
    Actor, AppreciationRecord, AppreciationSubject, DevelopmentGoalRecord, FeedbackAnswer, FeedbackRequestRecord,
    NewGoal, PlannedActivity, Store,
};
use uuid::Uuid;

use crate::{AppError, AppResult, pack_for, today};

/// An activity as the employee writes it: a catalogue programme (its name, hours and way of learning
/// come from the catalogue) or an activity of their own.
#[derive(Debug, Clone)]
pub enum ActivityInput {
    Programme { code: String, planned_on: Option<NaiveDate> },
    Own { kind: LearningKind, title: String, planned_hours: i32, planned_on: Option<NaiveDate> },
}

/// A development goal as the employee proposes it.
#[derive(Debug, Clone)]
pub struct GoalInput {
    /// Whose plan: the employee's own.
    pub nip: Nip,
    pub year: i32,
    pub need_id: Option<Uuid>,
    pub competency: String,
    pub target: String,
    pub activities: Vec<ActivityInput>,
}

/// How a catalogue programme is learnt, as a development plan names it.
fn learning_kind(mode: Mode) -> LearningKind {
    match mode {
        Mode::Classical | Mode::Blended => LearningKind::Training,
        Mode::ELearning => LearningKind::ELearning,
        Mode::Coaching => LearningKind::Coaching,
        Mode::Mentoring => LearningKind::Mentoring,
    }
}

/// The earliest year development is still planned and appreciated for: this year, or in its first
/// quarter last year, whose plan is completed with the year's closing dialogue.
pub fn earliest_open_year() -> i32 {
    let today = today();
    if today.month() <= 3 { today.year() - 1 } else { today.year() }
}

/// Refuses a year that has ended (see [`earliest_open_year`]) or that no rule pack covers.
fn ensure_open_year(packs: &RulePacks, year: i32) -> AppResult<()> {
    pack_for(packs, year)?;
    let earliest = earliest_open_year();
    if year < earliest {
        return Err(AppError::Invalid {
            field: "year",
            message: format!("{year} has ended; goals are planned for {earliest} or later"),
        });
    }
    Ok(())
}

/// The employee proposes a goal of their development plan, its programmes taken from the catalogue.
pub async fn propose_development_goal(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    input: GoalInput,
) -> AppResult<DevelopmentGoalRecord> {
    store.ensure_own_development_plan(actor, &input.nip).await?;
    ensure_open_year(packs, input.year)?;
    let catalogue = packs.catalogue();
    let activities = input
        .activities
        .into_iter()
        .enumerate()
        .map(|(at, activity)| match activity {
            ActivityInput::Programme { code, planned_on } => {
                let programme = catalogue.programme(code.trim()).ok_or_else(|| AppError::Invalid {
                    field: "programme",
                    message: format!("{code} (activities[{at}]) is not a programme of the development catalogue"),
                })?;
                Ok(PlannedActivity {
                    kind: learning_kind(programme.mode),
                    title: programme.name.clone(),
                    programme_code: Some(programme.code.clone()),
                    planned_hours: i32::try_from(programme.hours).unwrap_or(i32::MAX),
                    planned_on,
                })
            }
            ActivityInput::Own { kind, title, planned_hours, planned_on } => {
                Ok(PlannedActivity { kind, title, programme_code: None, planned_hours, planned_on })
            }
        })
        .collect::<AppResult<Vec<_>>>()?;
    let goal = NewGoal {
        year: input.year,
        need_id: input.need_id,
        competency: input.competency,
        target: input.target,
        activities,
    };
    Ok(store.propose_development_goal(actor, goal).await?)
}

/// The rater (or whoever manages the employee's development) records an activity done on a day that
/// has come.
pub async fn record_development_activity(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    started_on: NaiveDate,
    finished_on: NaiveDate,
    hours: i32,
    evidence: Option<String>,
) -> AppResult<DevelopmentGoalRecord> {
    if finished_on > today() {
        return Err(AppError::Invalid {
            field: "finishedOn",
            message: format!("{finished_on} has not come; an activity is recorded once done"),
        });
    }
    Ok(store.record_development_activity(actor, activity_id, started_on, finished_on, hours, evidence).await?)
}

/// Sends an appreciation for this year's work (or, in the first quarter, last year's).
pub async fn send_appreciation(
    store: &Store,
    packs: &RulePacks,
    actor: &Actor,
    recipient: &Nip,
    year: i32,
    subject: AppreciationSubject,
    message: &str,
) -> AppResult<AppreciationRecord> {
    ensure_open_year(packs, year)?;
    if year > today().year() {
        return Err(AppError::Invalid { field: "year", message: format!("{year} has not begun") });
    }
    let recipient = store.actor(recipient).await?.employee_id;
    Ok(store.send_appreciation(actor, recipient, year, subject, message).await?)
}

/// The rater invites colleagues, by NIP, to give feedback on an employee's behaviour; a round every
/// colleague answered with at least `min_answers` answers is closed.
pub async fn invite_behaviour_feedback(
    store: &Store,
    actor: &Actor,
    plan_id: Uuid,
    respondents: &[Nip],
    min_answers: u32,
) -> AppResult<Vec<FeedbackRequestRecord>> {
    let mut ids = Vec::with_capacity(respondents.len());
    for nip in respondents {
        ids.push(store.actor(nip).await?.employee_id);
    }
    Ok(store.invite_behaviour_feedback(actor, plan_id, &ids, min_answers).await?)
}

/// A colleague answers the request sent to them.
pub async fn answer_behaviour_feedback(
    store: &Store,
    actor: &Actor,
    request_id: Uuid,
    answers: Vec<FeedbackAnswer>,
) -> AppResult<FeedbackRequestRecord> {
    Ok(store.answer_behaviour_feedback(actor, request_id, answers).await?)
}
