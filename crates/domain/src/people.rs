//! Positions (jabatan), ranks (golongan/ruang and PPPK grades) and employees.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::nip::Nip;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeopleError {
    #[error("unknown position kind '{0}'")]
    UnknownPositionKind(String),
    #[error("unknown employment type '{0}' (expected pns or pppk)")]
    UnknownEmploymentType(String),
    #[error("rank '{0}' is neither a PNS golongan/ruang (I/a … IV/e) nor a PPPK grade (I … XVII)")]
    UnknownRank(String),
    #[error("employee {nip}: a {employment} cannot hold rank {rank}")]
    RankForEmployment { nip: Nip, employment: EmploymentType, rank: Rank },
    #[error("{what} must not be empty")]
    Blank { what: &'static str },
    #[error("this superior would make the rater chain loop: {chain}")]
    RaterCycle { chain: String },
}

/// Kinds of position (jenis jabatan) in the civil service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    JptUtama,
    JptMadya,
    JptPratama,
    Administrator,
    Pengawas,
    Pelaksana,
    /// Functional, expertise track (keahlian).
    AhliPertama,
    AhliMuda,
    AhliMadya,
    AhliUtama,
    /// Functional, skills track (keterampilan).
    Pemula,
    Terampil,
    Mahir,
    Penyelia,
}

impl PositionKind {
    pub const ALL: [PositionKind; 14] = [
        PositionKind::JptUtama,
        PositionKind::JptMadya,
        PositionKind::JptPratama,
        PositionKind::Administrator,
        PositionKind::Pengawas,
        PositionKind::Pelaksana,
        PositionKind::AhliPertama,
        PositionKind::AhliMuda,
        PositionKind::AhliMadya,
        PositionKind::AhliUtama,
        PositionKind::Pemula,
        PositionKind::Terampil,
        PositionKind::Mahir,
        PositionKind::Penyelia,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PositionKind::JptUtama => "jpt_utama",
            PositionKind::JptMadya => "jpt_madya",
            PositionKind::JptPratama => "jpt_pratama",
            PositionKind::Administrator => "administrator",
            PositionKind::Pengawas => "pengawas",
            PositionKind::Pelaksana => "pelaksana",
            PositionKind::AhliPertama => "ahli_pertama",
            PositionKind::AhliMuda => "ahli_muda",
            PositionKind::AhliMadya => "ahli_madya",
            PositionKind::AhliUtama => "ahli_utama",
            PositionKind::Pemula => "pemula",
            PositionKind::Terampil => "terampil",
            PositionKind::Mahir => "mahir",
            PositionKind::Penyelia => "penyelia",
        }
    }

    /// Whether this is a functional position (jabatan fungsional), which earns angka kredit.
    pub fn is_functional(self) -> bool {
        matches!(
            self,
            PositionKind::AhliPertama
                | PositionKind::AhliMuda
                | PositionKind::AhliMadya
                | PositionKind::AhliUtama
                | PositionKind::Pemula
                | PositionKind::Terampil
                | PositionKind::Mahir
                | PositionKind::Penyelia
        )
    }

    /// Whether this position leads a unit (JPT, Administrator, Pengawas).
    pub fn is_managerial(self) -> bool {
        matches!(
            self,
            PositionKind::JptUtama
                | PositionKind::JptMadya
                | PositionKind::JptPratama
                | PositionKind::Administrator
                | PositionKind::Pengawas
        )
    }
}

impl FromStr for PositionKind {
    type Err = PeopleError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PositionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| PeopleError::UnknownPositionKind(text.to_owned()))
    }
}

impl fmt::Display for PositionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// PNS (career civil servant) or PPPK (government employee on contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    Pns,
    Pppk,
}

impl EmploymentType {
    pub const ALL: [EmploymentType; 2] = [EmploymentType::Pns, EmploymentType::Pppk];

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentType::Pns => "pns",
            EmploymentType::Pppk => "pppk",
        }
    }
}

impl FromStr for EmploymentType {
    type Err = PeopleError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "pns" => Ok(EmploymentType::Pns),
            "pppk" => Ok(EmploymentType::Pppk),
            other => Err(PeopleError::UnknownEmploymentType(other.to_owned())),
        }
    }
}

impl fmt::Display for EmploymentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EmploymentType::Pns => "PNS",
            EmploymentType::Pppk => "PPPK",
        })
    }
}

const ROMAN: [&str; 17] =
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"];

/// A PNS golongan/ruang (I/a … IV/e) or a PPPK grade (I … XVII).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Rank {
    /// Golongan 1–4 with ruang 'a'…'e' ('e' only in golongan IV).
    Golongan { golongan: u8, ruang: char },
    /// PPPK grade 1–17.
    PppkGrade(u8),
}

impl Rank {
    pub fn golongan(golongan: u8, ruang: char) -> Result<Self, PeopleError> {
        let valid_ruang = match golongan {
            1..=3 => ('a'..='d').contains(&ruang),
            4 => ('a'..='e').contains(&ruang),
            _ => false,
        };
        if valid_ruang {
            Ok(Rank::Golongan { golongan, ruang })
        } else {
            Err(PeopleError::UnknownRank(format!("{golongan}/{ruang}")))
        }
    }

    pub fn pppk_grade(grade: u8) -> Result<Self, PeopleError> {
        if (1..=17).contains(&grade) {
            Ok(Rank::PppkGrade(grade))
        } else {
            Err(PeopleError::UnknownRank(grade.to_string()))
        }
    }

    pub fn parse(text: &str) -> Result<Self, PeopleError> {
        let unknown = || PeopleError::UnknownRank(text.to_owned());
        let roman_value = |numeral: &str| ROMAN.iter().position(|r| *r == numeral).map(|i| i as u8 + 1);
        match text.split_once('/') {
            Some((numeral, ruang)) => {
                let golongan = roman_value(numeral).filter(|g| *g <= 4).ok_or_else(unknown)?;
                let mut letters = ruang.chars();
                match (letters.next(), letters.next()) {
                    (Some(letter), None) => Self::golongan(golongan, letter).map_err(|_| unknown()),
                    _ => Err(unknown()),
                }
            }
            None => roman_value(text).map(Rank::PppkGrade).ok_or_else(unknown),
        }
    }

    /// The employment type that this kind of rank belongs to.
    pub fn employment_type(self) -> EmploymentType {
        match self {
            Rank::Golongan { .. } => EmploymentType::Pns,
            Rank::PppkGrade(_) => EmploymentType::Pppk,
        }
    }
}

impl FromStr for Rank {
    type Err = PeopleError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Rank {
    type Error = PeopleError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Rank> for String {
    fn from(rank: Rank) -> Self {
        rank.to_string()
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rank::Golongan { golongan, ruang } => write!(f, "{}/{}", ROMAN[*golongan as usize - 1], ruang),
            Rank::PppkGrade(grade) => f.write_str(ROMAN[*grade as usize - 1]),
        }
    }
}

/// A position (jabatan) as a job title of a given kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    pub title: String,
    pub kind: PositionKind,
}

impl Position {
    pub fn new(title: impl Into<String>, kind: PositionKind) -> Result<Self, PeopleError> {
        let title = title.into().trim().to_owned();
        if title.is_empty() {
            return Err(PeopleError::Blank { what: "position title" });
        }
        Ok(Self { title, kind })
    }
}

/// A civil servant's identity and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employee {
    pub nip: Nip,
    pub name: String,
    pub employment: EmploymentType,
    pub rank: Rank,
}

impl Employee {
    /// Builds an employee, refusing a blank name or a rank of the other employment type.
    pub fn new(nip: Nip, name: impl Into<String>, employment: EmploymentType, rank: Rank) -> Result<Self, PeopleError> {
        let name = name.into().trim().to_owned();
        if name.is_empty() {
            return Err(PeopleError::Blank { what: "employee name" });
        }
        if rank.employment_type() != employment {
            return Err(PeopleError::RankForEmployment { nip, employment, rank });
        }
        Ok(Self { nip, name, employment, rank })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_parse_and_print() {
        assert_eq!(Rank::parse("III/a").unwrap(), Rank::Golongan { golongan: 3, ruang: 'a' });
        assert_eq!(Rank::parse("IV/e").unwrap().to_string(), "IV/e");
        assert_eq!(Rank::parse("IX").unwrap(), Rank::PppkGrade(9));
        assert_eq!(Rank::parse("XVII").unwrap().to_string(), "XVII");
    }

    #[test]
    fn impossible_ranks_are_refused() {
        for text in ["III/e", "V/a", "II/", "XVIII", "IV/ab", "", "3/a"] {
            assert_eq!(Rank::parse(text), Err(PeopleError::UnknownRank(text.into())), "{text}");
        }
    }

    #[test]
    fn position_kinds_round_trip() {
        for kind in PositionKind::ALL {
            assert_eq!(kind.as_str().parse::<PositionKind>().unwrap(), kind);
        }
        assert!(PositionKind::AhliMuda.is_functional());
        assert!(!PositionKind::Pengawas.is_functional());
        assert!(PositionKind::Pengawas.is_managerial());
        assert!("guru".parse::<PositionKind>().is_err());
    }

    #[test]
    fn employee_rank_must_match_employment_type() {
        let nip = Nip::parse("198507142010011003").unwrap();
        let pns_rank = Rank::parse("III/b").unwrap();
        assert!(Employee::new(nip.clone(), "Sri Wahyuni", EmploymentType::Pns, pns_rank).is_ok());
        let error = Employee::new(nip.clone(), "Sri Wahyuni", EmploymentType::Pppk, pns_rank).unwrap_err();
        assert_eq!(error.to_string(), "employee 198507142010011003: a PPPK cannot hold rank III/b");
        assert!(matches!(
            Employee::new(nip, " ", EmploymentType::Pns, pns_rank),
            Err(PeopleError::Blank { what: "employee name" })
        ));
    }
}
