//! Javanese and Indonesian personal names for the demo city.

use rand::Rng;
use rand::seq::IndexedRandom;

const MALE: &[&str] = &[
    "Agus",
    "Bambang",
    "Budi",
    "Dwi",
    "Eko",
    "Fajar",
    "Hadi",
    "Hendra",
    "Joko",
    "Kurniawan",
    "Slamet",
    "Sutrisno",
    "Teguh",
    "Wahyu",
    "Yusuf",
    "Arif",
    "Bayu",
    "Dimas",
    "Galih",
    "Heru",
    "Imam",
    "Rudi",
    "Sigit",
    "Tri",
    "Yoga",
    "Aditya",
    "Bagus",
    "Danang",
    "Purnomo",
    "Suryo",
];
const FEMALE: &[&str] = &[
    "Sri",
    "Siti",
    "Dewi",
    "Endang",
    "Fitri",
    "Indah",
    "Lestari",
    "Nur",
    "Ratna",
    "Rina",
    "Sari",
    "Tri",
    "Wulan",
    "Yuni",
    "Ani",
    "Dian",
    "Estu",
    "Kartika",
    "Maya",
    "Novi",
    "Puji",
    "Retno",
    "Setyaningsih",
    "Umi",
    "Wahyuni",
    "Ayu",
    "Citra",
    "Handayani",
    "Kusuma",
    "Larasati",
];
const FAMILY: &[&str] = &[
    "Wibowo",
    "Santoso",
    "Prasetyo",
    "Susanto",
    "Nugroho",
    "Hartono",
    "Wijaya",
    "Setiawan",
    "Saputra",
    "Purnama",
    "Rahayu",
    "Kusumawati",
    "Wulandari",
    "Hidayat",
    "Pratama",
    "Utomo",
    "Sulistyo",
    "Haryanto",
    "Suryani",
    "Handoko",
    "Mulyono",
    "Sudarsono",
    "Winarno",
    "Kristanti",
    "Budiarti",
    "Permatasari",
    "Anggraini",
    "Setyowati",
    "Raharjo",
    "Siswanto",
];

/// A full name; `honorific` is a prefix such as "dr." and `degree` a suffix such as "S.Pd.".
pub(crate) fn person(rng: &mut impl Rng, female: bool, honorific: Option<&str>, degree: Option<&str>) -> String {
    let first = if female { FEMALE } else { MALE }.choose(rng).copied().unwrap_or("Sri");
    let family = FAMILY.choose(rng).copied().unwrap_or("Wibowo");
    let mut name = format!("{first} {family}");
    if let Some(prefix) = honorific {
        name = format!("{prefix} {name}");
    }
    if let Some(suffix) = degree {
        name = format!("{name}, {suffix}");
    }
    name
}
