//! Work behaviour (the BerAKHLAK core values), rating levels, predikat and feedback.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::plan::{PlanError, text_enum};

text_enum!(
    /// The seven BerAKHLAK core values of the civil service.
    BerakhlakValue, "BerAKHLAK value", {
        /// Berorientasi Pelayanan: service-oriented.
        BerorientasiPelayanan => "berorientasi_pelayanan",
        /// Akuntabel: accountable.
        Akuntabel => "akuntabel",
        /// Kompeten: competent.
        Kompeten => "kompeten",
        /// Harmonis: harmonious.
        Harmonis => "harmonis",
        /// Loyal.
        Loyal => "loyal",
        /// Adaptif: adaptive.
        Adaptif => "adaptif",
        /// Kolaboratif: collaborative.
        Kolaboratif => "kolaboratif",
    }
);

impl BerakhlakValue {
    /// The value's name as the regulation writes it.
    pub fn title(self) -> &'static str {
        match self {
            BerakhlakValue::BerorientasiPelayanan => "Berorientasi Pelayanan",
            BerakhlakValue::Akuntabel => "Akuntabel",
            BerakhlakValue::Kompeten => "Kompeten",
            BerakhlakValue::Harmonis => "Harmonis",
            BerakhlakValue::Loyal => "Loyal",
            BerakhlakValue::Adaptif => "Adaptif",
            BerakhlakValue::Kolaboratif => "Kolaboratif",
        }
    }
}

text_enum!(
    /// The three rating levels of PermenPANRB 6/2022, for work results and for behaviour.
    RatingLevel, "rating level", {
        /// Di Bawah Ekspektasi.
        BelowExpectation => "below_expectation",
        /// Sesuai Ekspektasi.
        AsExpected => "as_expected",
        /// Di Atas Ekspektasi.
        AboveExpectation => "above_expectation",
    }
);

text_enum!(
    /// Predikat Kinerja Pegawai: an employee's performance grade.
    Predikat, "predikat", {
        SangatBaik => "sangat_baik",
        Baik => "baik",
        ButuhPerbaikan => "butuh_perbaikan",
        /// Kurang, or Misconduct where behaviour is below expectation.
        Kurang => "kurang",
        SangatKurang => "sangat_kurang",
    }
);

impl Predikat {
    /// The predikat as the regulation writes it.
    pub fn title(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "Sangat Baik",
            Predikat::Baik => "Baik",
            Predikat::ButuhPerbaikan => "Butuh Perbaikan",
            Predikat::Kurang => "Kurang",
            Predikat::SangatKurang => "Sangat Kurang",
        }
    }
}

text_enum!(
    /// Predikat Kinerja Organisasi: a unit's performance grade for the year.
    OrganisationPredikat, "organisation predikat", {
        Istimewa => "istimewa",
        Baik => "baik",
        ButuhPerbaikan => "butuh_perbaikan",
        Kurang => "kurang",
        SangatKurang => "sangat_kurang",
    }
);

/// The rating of one BerAKHLAK value in a plan, with the leader's specific expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BehaviourRating {
    pub value: BerakhlakValue,
    pub level: RatingLevel,
    /// Ekspektasi khusus pimpinan for this value.
    pub expectation: Option<String>,
    pub note: Option<String>,
}

text_enum!(
    /// Whether a feedback note praises or suggests.
    FeedbackKind, "feedback kind", { Praise => "praise", Suggestion => "suggestion" }
);

/// A piece of continuous feedback (umpan balik berkelanjutan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackNote {
    pub kind: FeedbackKind,
    pub text: String,
    /// The BerAKHLAK value the note is about, when it is about behaviour.
    pub behaviour: Option<BerakhlakValue>,
}

impl FeedbackNote {
    pub fn new(
        kind: FeedbackKind,
        text: impl Into<String>,
        behaviour: Option<BerakhlakValue>,
    ) -> Result<Self, PlanError> {
        let text = crate::plan::free_text(&text.into(), "feedback text")?;
        Ok(Self { kind, text, behaviour })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_seven_berakhlak_values() {
        assert_eq!(BerakhlakValue::ALL.len(), 7);
        assert_eq!(BerakhlakValue::BerorientasiPelayanan.title(), "Berorientasi Pelayanan");
        assert_eq!("kompeten".parse::<BerakhlakValue>().unwrap(), BerakhlakValue::Kompeten);
    }

    #[test]
    fn predikat_and_levels_round_trip() {
        for predikat in Predikat::ALL {
            assert_eq!(predikat.as_str().parse::<Predikat>().unwrap(), *predikat);
        }
        for level in RatingLevel::ALL {
            assert_eq!(level.as_str().parse::<RatingLevel>().unwrap(), *level);
        }
        assert!(RatingLevel::BelowExpectation < RatingLevel::AboveExpectation);
    }

    #[test]
    fn feedback_must_say_something() {
        assert!(FeedbackNote::new(FeedbackKind::Praise, "  ", None).is_err());
        let note = FeedbackNote::new(FeedbackKind::Suggestion, "Ikuti pelatihan SIASN", Some(BerakhlakValue::Kompeten));
        assert_eq!(note.unwrap().behaviour, Some(BerakhlakValue::Kompeten));
    }
}
