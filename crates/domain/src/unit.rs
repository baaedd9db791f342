//! The organisation tree: the city, its perangkat daerah, their bidang and seksi, UPT, kecamatan and
//! kelurahan.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest accepted unit code.
const MAX_CODE_LENGTH: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitError {
    #[error("unit code must not be empty")]
    EmptyCode,
    #[error("unit code '{code}' is longer than {MAX_CODE_LENGTH} characters")]
    CodeTooLong { code: String },
    #[error("unit code '{code}' may contain only A-Z, 0-9, '-' and '_'; found '{character}'")]
    CodeCharacter { code: String, character: char },
    #[error("unit name of '{code}' must not be empty")]
    EmptyName { code: String },
    #[error("unknown unit kind '{0}'")]
    UnknownKind(String),
    #[error("unit '{code}' of kind {kind} cannot have a parent; only the root of the tree is a city")]
    RootWithParent { code: String, kind: UnitKind },
    #[error("unit '{code}' of kind {kind} needs a parent unit")]
    MissingParent { code: String, kind: UnitKind },
    #[error("unit '{code}' of kind {kind} cannot be placed under '{parent}' of kind {parent_kind}")]
    ParentKind { code: String, kind: UnitKind, parent: String, parent_kind: UnitKind },
    #[error("placing unit '{code}' under '{parent}' would make a cycle ({path})")]
    Cycle { code: String, parent: String, path: String },
}

/// A unit's natural key, stable across renames: upper-case letters, digits, '-' and '_'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(text: &str) -> Result<Self, UnitError> {
        if text.is_empty() {
            return Err(UnitError::EmptyCode);
        }
        if text.len() > MAX_CODE_LENGTH {
            return Err(UnitError::CodeTooLong { code: text.to_owned() });
        }
        if let Some(character) =
            text.chars().find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-' || *c == '_'))
        {
            return Err(UnitError::CodeCharacter { code: text.to_owned(), character });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for UnitCode {
    type Err = UnitError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for UnitCode {
    type Error = UnitError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<UnitCode> for String {
    fn from(code: UnitCode) -> Self {
        code.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Kinds of unit in a regional government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The government itself (Pemerintah Kota/Kabupaten/Provinsi) or a central agency.
    City,
    /// A regional apparatus: dinas, badan, sekretariat, inspektorat, RSUD.
    PerangkatDaerah,
    /// A division (bidang) or, in a secretariat, a bagian.
    Bidang,
    /// A section (seksi) or sub-division (subbagian).
    Seksi,
    /// A technical implementation unit (unit pelaksana teknis): puskesmas, school, depot.
    Upt,
    /// A district.
    Kecamatan,
    /// A sub-district under a kecamatan.
    Kelurahan,
}

impl UnitKind {
    pub const ALL: [UnitKind; 7] = [
        UnitKind::City,
        UnitKind::PerangkatDaerah,
        UnitKind::Bidang,
        UnitKind::Seksi,
        UnitKind::Upt,
        UnitKind::Kecamatan,
        UnitKind::Kelurahan,
    ];

    /// The stable text form used in files and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::PerangkatDaerah => "perangkat_daerah",
            UnitKind::Bidang => "bidang",
            UnitKind::Seksi => "seksi",
            UnitKind::Upt => "upt",
            UnitKind::Kecamatan => "kecamatan",
            UnitKind::Kelurahan => "kelurahan",
        }
    }

    /// Whether the unit is a perangkat daerah (a dinas, badan, or a kecamatan), which is given a Predikat
    /// Kinerja Organisasi and whose distribution of predikat the guidance binds.
    pub fn holds_organisation_predikat(self) -> bool {
        matches!(self, UnitKind::PerangkatDaerah | UnitKind::Kecamatan)
    }

    /// Whether a unit of this kind may sit directly under a unit of `parent` kind.
    pub fn may_be_placed_under(self, parent: UnitKind) -> bool {
        use UnitKind::*;
        match self {
            City => false,
            PerangkatDaerah | Kecamatan => parent == City,
            Bidang => matches!(parent, PerangkatDaerah | Kecamatan | Upt),
            Seksi => matches!(parent, PerangkatDaerah | Bidang | Kecamatan | Upt),
            Upt => matches!(parent, PerangkatDaerah | Bidang),
            Kelurahan => parent == Kecamatan,
        }
    }
}

impl FromStr for UnitKind {
    type Err = UnitError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        UnitKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| UnitError::UnknownKind(text.to_owned()))
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A unit as it is planned to exist: its identity, kind and place in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub code: UnitCode,
    pub name: String,
    pub kind: UnitKind,
}

impl Unit {
    pub fn new(code: UnitCode, name: impl Into<String>, kind: UnitKind) -> Result<Self, UnitError> {
        let name = name.into().trim().to_owned();
        if name.is_empty() {
            return Err(UnitError::EmptyName { code: code.0 });
        }
        Ok(Self { code, name, kind })
    }
}

/// A unit already in the tree, as seen when checking a placement.
#[derive(Debug, Clone, Copy)]
pub struct PlacedUnit<'a> {
    pub code: &'a UnitCode,
    pub kind: UnitKind,
}

/// Checks that `unit` may be placed under `parent`, whose ancestors (nearest first) are `parent_ancestors`.
///
/// Refuses a root that is not a city, a parent of the wrong kind, and a parent that is the unit itself or
/// lies below it (a cycle).
pub fn check_placement(
    unit: PlacedUnit<'_>,
    parent: Option<PlacedUnit<'_>>,
    parent_ancestors: &[&UnitCode],
) -> Result<(), UnitError> {
    let Some(parent) = parent else {
        return if unit.kind == UnitKind::City {
            Ok(())
        } else {
            Err(UnitError::MissingParent { code: unit.code.0.clone(), kind: unit.kind })
        };
    };
    if unit.kind == UnitKind::City {
        return Err(UnitError::RootWithParent { code: unit.code.0.clone(), kind: unit.kind });
    }
    if parent.code == unit.code || parent_ancestors.contains(&unit.code) {
        let mut path: Vec<&str> = vec![unit.code.as_str(), parent.code.as_str()];
        for ancestor in parent_ancestors {
            path.push(ancestor.as_str());
            if *ancestor == unit.code {
                break;
            }
        }
        if parent.code == unit.code {
            path.truncate(2);
        }
        return Err(UnitError::Cycle {
            code: unit.code.0.clone(),
            parent: parent.code.0.clone(),
            path: path.join(" → "),
        });
    }
    if !unit.kind.may_be_placed_under(parent.kind) {
        return Err(UnitError::ParentKind {
            code: unit.code.0.clone(),
            kind: unit.kind,
            parent: parent.code.0.clone(),
            parent_kind: parent.kind,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> UnitCode {
        UnitCode::parse(text).unwrap()
    }

    #[test]
    fn codes_are_validated() {
        assert!(UnitCode::parse("KEL-LWY-BUMI").is_ok());
        assert_eq!(UnitCode::parse(""), Err(UnitError::EmptyCode));
        assert!(matches!(UnitCode::parse("dinkes"), Err(UnitError::CodeCharacter { character: 'd', .. })));
        assert!(matches!(UnitCode::parse(&"A".repeat(41)), Err(UnitError::CodeTooLong { .. })));
    }

    #[test]
    fn kinds_round_trip_through_text() {
        for kind in UnitKind::ALL {
            assert_eq!(kind.as_str().parse::<UnitKind>().unwrap(), kind);
        }
        assert_eq!("dinas".parse::<UnitKind>(), Err(UnitError::UnknownKind("dinas".into())));
    }

    #[test]
    fn names_must_not_be_blank() {
        assert!(matches!(Unit::new(code("X"), "  ", UnitKind::Upt), Err(UnitError::EmptyName { .. })));
    }

    #[test]
    fn only_a_city_is_a_root() {
        let city = code("SKA");
        assert!(check_placement(PlacedUnit { code: &city, kind: UnitKind::City }, None, &[]).is_ok());
        let dinas = code("DINKES");
        let unplaced = check_placement(PlacedUnit { code: &dinas, kind: UnitKind::PerangkatDaerah }, None, &[]);
        assert!(matches!(unplaced, Err(UnitError::MissingParent { .. })));
        let nested_city = check_placement(
            PlacedUnit { code: &city, kind: UnitKind::City },
            Some(PlacedUnit { code: &dinas, kind: UnitKind::PerangkatDaerah }),
            &[],
        );
        assert!(matches!(nested_city, Err(UnitError::RootWithParent { .. })));
    }

    #[test]
    fn kelurahan_belongs_under_a_kecamatan() {
        let kelurahan = code("KEL-LWY-BUMI");
        let dinas = code("DINKES");
        let result = check_placement(
            PlacedUnit { code: &kelurahan, kind: UnitKind::Kelurahan },
            Some(PlacedUnit { code: &dinas, kind: UnitKind::PerangkatDaerah }),
            &[&code("SKA")],
        );
        assert!(matches!(result, Err(UnitError::ParentKind { .. })));
    }

    #[test]
    fn a_parent_below_the_unit_is_a_cycle() {
        // SKA → DINKES → DINKES-YANKES → DINKES-YANKES-RUJ; move DINKES-YANKES under DINKES-YANKES-RUJ.
        let bidang = code("DINKES-YANKES");
        let seksi = code("DINKES-YANKES-RUJ");
        let error = check_placement(
            PlacedUnit { code: &bidang, kind: UnitKind::Bidang },
            Some(PlacedUnit { code: &seksi, kind: UnitKind::Seksi }),
            &[&bidang, &code("DINKES"), &code("SKA")],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "placing unit 'DINKES-YANKES' under 'DINKES-YANKES-RUJ' would make a cycle \
             (DINKES-YANKES → DINKES-YANKES-RUJ → DINKES-YANKES)"
        );
    }

    #[test]
    fn a_unit_cannot_be_its_own_parent() {
        let bidang = code("B");
        let result = check_placement(
            PlacedUnit { code: &bidang, kind: UnitKind::Bidang },
            Some(PlacedUnit { code: &bidang, kind: UnitKind::Bidang }),
            &[],
        );
        assert!(matches!(result, Err(UnitError::Cycle { .. })));
    }
}
