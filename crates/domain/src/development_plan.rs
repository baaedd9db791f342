//! The individual development plan (rencana pengembangan kompetensi) that an employee owns: goals tied
//! to their needs, each reached through activities — classical (training, courses, seminars, workshops)
//! or non-classical (coaching, mentoring, e-learning, job attachment, …) as the civil service's
//! competency-development rules (PermenPANRB 38/2017, Peraturan LAN 10/2018) recognise them.
//!
//! A goal is proposed by the employee, agreed with the rater, achieved when every one of its activities
//! is done, and carried into the next year when the year ends without it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::plan::{PlanError, text_enum};

text_enum!(
    /// How a development activity is learnt.
    LearningKind, "development activity kind", {
        /// Pelatihan: structured training (struktural, fungsional, teknis).
        Training => "training",
        /// Kursus.
        Course => "course",
        /// Seminar, konferensi or sarasehan.
        Seminar => "seminar",
        /// Lokakarya.
        Workshop => "workshop",
        /// Coaching by the superior or a coach.
        Coaching => "coaching",
        /// Mentoring by a senior colleague.
        Mentoring => "mentoring",
        /// E-learning or distance learning.
        ELearning => "e_learning",
        /// Magang or praktik kerja: learning at another unit's work.
        JobAttachment => "job_attachment",
        /// Detasering: a secondment.
        Secondment => "secondment",
        /// Patok banding: a visit to learn from another agency.
        Benchmarking => "benchmarking",
        /// Belajar mandiri.
        SelfStudy => "self_study",
        /// Komunitas belajar.
        LearningCommunity => "learning_community",
    }
);

impl LearningKind {
    /// Whether the activity is classical (klasikal: face to face, in a class) rather than learnt at and
    /// around work (nonklasikal).
    pub fn is_classical(self) -> bool {
        matches!(self, LearningKind::Training | LearningKind::Course | LearningKind::Seminar | LearningKind::Workshop)
    }

    /// The name the employee and the rater read.
    pub fn title(self) -> &'static str {
        match self {
            LearningKind::Training => "Pelatihan",
            LearningKind::Course => "Kursus",
            LearningKind::Seminar => "Seminar",
            LearningKind::Workshop => "Lokakarya",
            LearningKind::Coaching => "Coaching",
            LearningKind::Mentoring => "Mentoring",
            LearningKind::ELearning => "E-learning",
            LearningKind::JobAttachment => "Magang",
            LearningKind::Secondment => "Detasering",
            LearningKind::Benchmarking => "Patok banding",
            LearningKind::SelfStudy => "Belajar mandiri",
            LearningKind::LearningCommunity => "Komunitas belajar",
        }
    }
}

text_enum!(
    /// Where a development goal is in its year.
    GoalStatus, "development goal status", {
        /// Written by the employee, not yet agreed with the rater.
        Proposed => "proposed",
        /// Agreed with the rater: the employee works on it.
        Agreed => "agreed",
        /// Every activity done.
        Achieved => "achieved",
        /// The year ended without it; a copy goes on in the next year's plan.
        Carried => "carried",
    }
);

/// A change of a goal's status that its year does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the development goal is {from} and cannot become {to}")]
pub struct GoalTransitionError {
    pub from: GoalStatus,
    pub to: GoalStatus,
}

impl GoalStatus {
    /// Whether the goal is still to be worked on.
    pub fn is_open(self) -> bool {
        matches!(self, GoalStatus::Proposed | GoalStatus::Agreed)
    }

    /// Whether the employee may still change or withdraw it: only before it is agreed.
    pub fn accepts_edits(self) -> bool {
        self == GoalStatus::Proposed
    }

    /// Refuses a change the year does not allow: agreement comes once, achievement follows agreement, and
    /// only an open goal is carried.
    pub fn ensure_transition(self, to: GoalStatus) -> Result<(), GoalTransitionError> {
        use GoalStatus::*;
        match (self, to) {
            (Proposed, Agreed) | (Agreed, Achieved) | (Proposed | Agreed, Carried) => Ok(()),
            (from, to) => Err(GoalTransitionError { from, to }),
        }
    }
}

/// Whether a development plan was kept: it had agreed goals and every one of them was achieved.
pub fn plan_kept(statuses: &[GoalStatus]) -> bool {
    let agreed: Vec<&GoalStatus> = statuses.iter().filter(|s| **s != GoalStatus::Proposed).collect();
    !agreed.is_empty() && agreed.iter().all(|s| **s == GoalStatus::Achieved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_agreed_before_they_are_achieved() {
        use GoalStatus::*;
        assert!(Proposed.ensure_transition(Agreed).is_ok());
        assert!(Agreed.ensure_transition(Achieved).is_ok());
        assert!(Agreed.ensure_transition(Carried).is_ok());
        assert_eq!(
            Proposed.ensure_transition(Achieved).unwrap_err().to_string(),
            "the development goal is proposed and cannot become achieved"
        );
        assert!(Achieved.ensure_transition(Carried).is_err());
        assert!(Agreed.ensure_transition(Agreed).is_err());
        assert!(Proposed.accepts_edits() && !Agreed.accepts_edits());
    }

    #[test]
    fn classical_learning_happens_in_a_class() {
        let classical: Vec<&str> = LearningKind::ALL.iter().filter(|k| k.is_classical()).map(|k| k.as_str()).collect();
        assert_eq!(classical, ["training", "course", "seminar", "workshop"]);
        assert_eq!("e_learning".parse::<LearningKind>().unwrap().title(), "E-learning");
        assert!("webinar".parse::<LearningKind>().is_err());
    }

    #[test]
    fn a_plan_is_kept_when_every_agreed_goal_is_achieved() {
        use GoalStatus::*;
        assert!(plan_kept(&[Achieved, Achieved, Proposed]));
        assert!(!plan_kept(&[Achieved, Carried]));
        assert!(!plan_kept(&[Proposed]));
        assert!(!plan_kept(&[]));
    }
}
