//! The employee's own view of their year (penilaian diri), written before the rater decides, and what
//! the gap between it and the rater's view puts on the agenda of the next performance dialogue. The gap
//! is a conversation, never a score: nothing here feeds a rating.

use crate::reading::level_title;
use crate::{BerakhlakValue, RatingLevel};

/// A BerAKHLAK value the employee sees otherwise than the rater rated it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaItem {
    pub value: BerakhlakValue,
    /// The level the employee sees in themselves.
    pub own: RatingLevel,
    /// The level the rater rated.
    pub rated: RatingLevel,
}

impl AgendaItem {
    /// What to talk about, in the words the employee and the rater read.
    pub fn topic(&self) -> String {
        let direction = if rank(self.own) > rank(self.rated) {
            "Anda menilai diri lebih tinggi daripada penilai"
        } else {
            "Penilai melihat lebih dari yang Anda nilai sendiri"
        };
        format!(
            "{}: {direction} ({} menurut Anda, {} menurut penilai). Bahas contoh nyata dan langkah pengembangannya pada dialog kinerja berikutnya.",
            self.value.title(),
            level_title(self.own),
            level_title(self.rated),
        )
    }
}

fn rank(level: RatingLevel) -> i8 {
    match level {
        RatingLevel::BelowExpectation => -1,
        RatingLevel::AsExpected => 0,
        RatingLevel::AboveExpectation => 1,
    }
}

/// The agenda of the next dialogue: each value the employee assessed whose level differs from the
/// rater's rating of it, in BerAKHLAK order. A value only one side has seen is not on it.
pub fn dialogue_agenda(
    own: &[(BerakhlakValue, RatingLevel)],
    rated: &[(BerakhlakValue, RatingLevel)],
) -> Vec<AgendaItem> {
    BerakhlakValue::ALL
        .iter()
        .filter_map(|value| {
            let own = own.iter().find(|(v, _)| v == value)?.1;
            let rated = rated.iter().find(|(v, _)| v == value)?.1;
            (own != rated).then_some(AgendaItem { value: *value, own, rated })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agenda_holds_the_values_seen_otherwise() {
        let own = [
            (BerakhlakValue::Kompeten, RatingLevel::AsExpected),
            (BerakhlakValue::Harmonis, RatingLevel::AsExpected),
            (BerakhlakValue::Adaptif, RatingLevel::BelowExpectation),
        ];
        let rated = [
            (BerakhlakValue::Kompeten, RatingLevel::BelowExpectation),
            (BerakhlakValue::Harmonis, RatingLevel::AsExpected),
            (BerakhlakValue::Adaptif, RatingLevel::AsExpected),
            (BerakhlakValue::Loyal, RatingLevel::AboveExpectation),
        ];
        let agenda = dialogue_agenda(&own, &rated);
        let values: Vec<BerakhlakValue> = agenda.iter().map(|item| item.value).collect();
        assert_eq!(
            values,
            [BerakhlakValue::Kompeten, BerakhlakValue::Adaptif],
            "same levels and one-sided values stay off"
        );
        assert!(
            agenda[0].topic().starts_with("Kompeten: Anda menilai diri lebih tinggi daripada penilai"),
            "{}",
            agenda[0].topic()
        );
        assert!(agenda[1].topic().contains("Penilai melihat lebih"), "{}", agenda[1].topic());
    }
}
