//! What a result means for the employee's development, in the words the employee and the rater read
//! (Bahasa Indonesia): the ratings and predikat of a period, and the next step they point to. A result
//! is the start of a conversation about growth, not a verdict.

use crate::{Predikat, RatingLevel};

/// A rating level as the employee reads it.
pub(crate) fn level_title(level: RatingLevel) -> &'static str {
    match level {
        RatingLevel::BelowExpectation => "di bawah ekspektasi",
        RatingLevel::AsExpected => "sesuai ekspektasi",
        RatingLevel::AboveExpectation => "di atas ekspektasi",
    }
}

/// The next step a predikat points to.
fn next_step(predikat: Predikat) -> &'static str {
    match predikat {
        Predikat::SangatBaik => {
            "Pertahankan capaian ini, bagikan praktik baik Anda kepada rekan, dan bahas bersama atasan tantangan serta pengembangan karier berikutnya."
        }
        Predikat::Baik => {
            "Kinerja Anda sesuai harapan. Pilih satu kompetensi untuk dikembangkan bersama atasan pada dialog kinerja berikutnya."
        }
        Predikat::ButuhPerbaikan => {
            "Ada bagian yang perlu dikembangkan. Susun rencana pengembangan kompetensi bersama atasan, dengan coaching dan pelatihan yang disarankan."
        }
        Predikat::Kurang | Predikat::SangatKurang => {
            "Anda berhak atas pendampingan: bersama atasan, tetapkan langkah perbaikan yang konkret, coaching rutin dan pelatihan yang sesuai, lalu tinjau kemajuannya setiap triwulan."
        }
    }
}

/// The reading of a period's result: its ratings, its predikat and the development step it points to.
pub fn development_reading(result: RatingLevel, behaviour: RatingLevel, predikat: Predikat) -> String {
    format!(
        "Hasil kerja {} dan perilaku kerja {}, sehingga predikat kinerja {}. {}",
        level_title(result),
        level_title(behaviour),
        predikat.title(),
        next_step(predikat)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_reads_as_a_step_of_development() {
        let reading =
            development_reading(RatingLevel::AsExpected, RatingLevel::BelowExpectation, Predikat::ButuhPerbaikan);
        assert!(
            reading.starts_with("Hasil kerja sesuai ekspektasi dan perilaku kerja di bawah ekspektasi"),
            "{reading}"
        );
        assert!(reading.contains("predikat kinerja Butuh Perbaikan"), "{reading}");
        assert!(reading.contains("rencana pengembangan kompetensi"), "{reading}");
        let best =
            development_reading(RatingLevel::AboveExpectation, RatingLevel::AboveExpectation, Predikat::SangatBaik);
        assert!(best.contains("bagikan praktik baik"), "{best}");
        let worst =
            development_reading(RatingLevel::BelowExpectation, RatingLevel::BelowExpectation, Predikat::SangatKurang);
        assert!(worst.contains("berhak atas pendampingan"), "{worst}");
    }
}
