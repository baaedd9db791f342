//! Training needs: why one was raised, how urgent it is, and where it is in its lifecycle
//! (open → planned → completed → closed; an open or planned need may also close directly, when its
//! cause is gone or HR decides so).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::plan::{PlanError, text_enum};

text_enum!(
    /// What raised a training need.
    NeedReason, "training need reason", {
        /// A predikat of Butuh Perbaikan or worse.
        Predikat => "predikat",
        /// A BerAKHLAK value rated below expectation.
        Behaviour => "behaviour",
        /// A dimension (indicator aspect) achieved below expectation.
        Dimension => "dimension",
        /// An assessed competency level below the position's expected level.
        Competency => "competency",
        /// Fewer lesson hours (JP) than the year's minimum.
        Hours => "hours",
    }
);

text_enum!(
    /// How urgent a training need is.
    NeedPriority, "training need priority", { High => "high", Medium => "medium", Low => "low" }
);

text_enum!(
    /// Where a training need is in its lifecycle.
    NeedStatus, "training need status", {
        Open => "open",
        /// A programme and date are chosen.
        Planned => "planned",
        /// A training record shows it was attended.
        Completed => "completed",
        Closed => "closed",
    }
);

text_enum!(
    /// Highest formal education, for the qualification dimension of the Indeks Profesionalitas.
    Education, "education", {
        S3 => "s3",
        S2 => "s2",
        S1 => "s1",
        D4 => "d4",
        D3 => "d3",
        D2 => "d2",
        D1 => "d1",
        Slta => "slta",
    }
);

text_enum!(
    /// Discipline penalty level (PP 94/2021), in increasing weight.
    PenaltyLevel, "penalty level", { None => "none", Ringan => "ringan", Sedang => "sedang", Berat => "berat" }
);

text_enum!(
    /// Potential, the columns of the talent 9-box (PermenPANRB 3/2020).
    Potential, "potential", { Rendah => "rendah", Menengah => "menengah", Tinggi => "tinggi" }
);

/// A change of status that the lifecycle does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from} training need cannot become {to}")]
pub struct NeedTransitionError {
    pub from: NeedStatus,
    pub to: NeedStatus,
}

impl NeedStatus {
    /// Whether the need still asks for something to be done.
    pub fn is_active(self) -> bool {
        matches!(self, NeedStatus::Open | NeedStatus::Planned)
    }

    /// Refuses a change the lifecycle does not allow. Planning again changes the plan; a closed need
    /// reopens only when derivation finds its cause again.
    pub fn ensure_transition(self, to: NeedStatus) -> Result<(), NeedTransitionError> {
        use NeedStatus::*;
        match (self, to) {
            (Open | Planned, Planned | Completed | Closed) | (Completed, Closed) => Ok(()),
            (from, to) => Err(NeedTransitionError { from, to }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_moves_forward_only() {
        use NeedStatus::*;
        assert!(Open.ensure_transition(Planned).is_ok());
        assert!(Planned.ensure_transition(Planned).is_ok());
        assert!(Planned.ensure_transition(Completed).is_ok());
        assert!(Completed.ensure_transition(Closed).is_ok());
        assert!(Open.ensure_transition(Closed).is_ok());
        assert_eq!(
            Completed.ensure_transition(Planned).unwrap_err().to_string(),
            "a completed training need cannot become planned"
        );
        assert!(Closed.ensure_transition(Open).is_err());
        assert!(Planned.ensure_transition(Open).is_err());
        assert_eq!("planned".parse::<NeedStatus>().unwrap(), Planned);
        assert!("done".parse::<NeedStatus>().is_err());
    }
}
