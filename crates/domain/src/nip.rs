//! NIP (Nomor Induk Pegawai): the 18-digit national identity number of a civil servant.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Youngest age at which service may start.
const MINIMUM_SERVICE_AGE: i32 = 18;

/// Why a string is not a valid NIP. Each variant names the part of the NIP that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NipError {
    #[error("NIP must have 18 digits, found {found} characters")]
    Length { found: usize },
    #[error("NIP must contain only digits; character {position} is '{character}'")]
    NotADigit { position: usize, character: char },
    #[error("NIP birth date (digits 1-8) '{digits}' is not a calendar date")]
    BirthDate { digits: String },
    #[error("NIP service start (digits 9-14) '{digits}' is not a calendar month")]
    ServiceStart { digits: String },
    #[error("NIP sex digit (digit 15) must be 1 (male) or 2 (female), found '{digit}'")]
    Sex { digit: char },
    #[error("NIP sequence (digits 16-18) must be 001-999, found '000'")]
    Sequence,
    #[error("NIP service start {service_start} is at age {age}; service starts at {MINIMUM_SERVICE_AGE} or later")]
    ServiceTooEarly { service_start: String, age: i32 },
}

/// Sex as encoded in digit 15 of the NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The NIP digit that encodes this sex.
    pub fn nip_digit(self) -> char {
        match self {
            Sex::Male => '1',
            Sex::Female => '2',
        }
    }
}

/// A validated NIP: `YYYYMMDD` birth date, `YYYYMM` start of service (TMT CPNS), sex digit, sequence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nip(String);

impl Nip {
    /// Validates `text` as a NIP.
    pub fn parse(text: &str) -> Result<Self, NipError> {
        let length = text.chars().count();
        if length != 18 {
            return Err(NipError::Length { found: length });
        }
        if let Some((index, character)) = text.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(NipError::NotADigit { position: index + 1, character });
        }
        let birth_digits = &text[0..8];
        let birth = NaiveDate::parse_from_str(birth_digits, "%Y%m%d")
            .map_err(|_| NipError::BirthDate { digits: birth_digits.to_owned() })?;
        let service_digits = &text[8..14];
        let service_start = parse_year_month(service_digits)
            .ok_or_else(|| NipError::ServiceStart { digits: service_digits.to_owned() })?;
        let sex_digit = text.as_bytes()[14] as char;
        if sex_digit != '1' && sex_digit != '2' {
            return Err(NipError::Sex { digit: sex_digit });
        }
        if &text[15..18] == "000" {
            return Err(NipError::Sequence);
        }
        let age = age_on(birth, service_start);
        if age < MINIMUM_SERVICE_AGE {
            return Err(NipError::ServiceTooEarly { service_start: service_start.format("%Y-%m").to_string(), age });
        }
        Ok(Self(text.to_owned()))
    }

    /// Builds a NIP from its parts, validating the result.
    pub fn compose(birth: NaiveDate, service_start: NaiveDate, sex: Sex, sequence: u16) -> Result<Self, NipError> {
        Self::parse(&format!(
            "{}{}{}{:03}",
            birth.format("%Y%m%d"),
            service_start.format("%Y%m"),
            sex.nip_digit(),
            sequence
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[0..8], "%Y%m%d").expect("validated at construction")
    }

    /// First day of the month in which service started (TMT CPNS).
    pub fn service_start(&self) -> NaiveDate {
        parse_year_month(&self.0[8..14]).expect("validated at construction")
    }

    pub fn sex(&self) -> Sex {
        if self.0.as_bytes()[14] == b'1' { Sex::Male } else { Sex::Female }
    }

    pub fn sequence(&self) -> u16 {
        self.0[15..18].parse().expect("validated at construction")
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: NaiveDate) -> i32 {
        age_on(self.birth_date(), date)
    }
}

fn parse_year_month(digits: &str) -> Option<NaiveDate> {
    let year = digits[0..4].parse().ok()?;
    let month = digits[4..6].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn age_on(birth: NaiveDate, date: NaiveDate) -> i32 {
    let mut age = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

impl FromStr for Nip {
    type Err = NipError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Nip {
    type Error = NipError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Nip> for String {
    fn from(nip: Nip) -> Self {
        nip.0
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "198507142010011003";

    #[test]
    fn accepts_a_valid_nip_and_exposes_its_parts() {
        let nip = Nip::parse(VALID).unwrap();
        assert_eq!(nip.birth_date(), NaiveDate::from_ymd_opt(1985, 7, 14).unwrap());
        assert_eq!(nip.service_start(), NaiveDate::from_ymd_opt(2010, 1, 1).unwrap());
        assert_eq!(nip.sex(), Sex::Male);
        assert_eq!(nip.sequence(), 3);
        assert_eq!(nip.age_on(NaiveDate::from_ymd_opt(2026, 7, 13).unwrap()), 40);
    }

    #[test]
    fn rejects_wrong_length() {
        assert_eq!(Nip::parse("19850714201001100"), Err(NipError::Length { found: 17 }));
    }

    #[test]
    fn rejects_non_digits_naming_the_position() {
        assert_eq!(Nip::parse("19850714201001100X"), Err(NipError::NotADigit { position: 18, character: 'X' }));
    }

    #[test]
    fn rejects_impossible_birth_date() {
        let error = Nip::parse("198502302010011003").unwrap_err();
        assert_eq!(error, NipError::BirthDate { digits: "19850230".into() });
        assert!(error.to_string().contains("birth date"));
    }

    #[test]
    fn rejects_impossible_service_month() {
        assert_eq!(Nip::parse("198507142010131003"), Err(NipError::ServiceStart { digits: "201013".into() }));
    }

    #[test]
    fn rejects_sex_digit_other_than_1_or_2() {
        assert_eq!(Nip::parse("198507142010013003"), Err(NipError::Sex { digit: '3' }));
    }

    #[test]
    fn rejects_sequence_zero() {
        assert_eq!(Nip::parse("198507142010011000"), Err(NipError::Sequence));
    }

    #[test]
    fn rejects_service_before_age_eighteen() {
        let error = Nip::parse("199507142010011003").unwrap_err();
        assert!(matches!(error, NipError::ServiceTooEarly { age: 14, .. }), "{error}");
        assert!(Nip::parse("199201012010011003").is_ok(), "18 years old exactly is allowed");
    }

    #[test]
    fn compose_round_trips() {
        let birth = NaiveDate::from_ymd_opt(1990, 2, 28).unwrap();
        let start = NaiveDate::from_ymd_opt(2015, 3, 1).unwrap();
        let nip = Nip::compose(birth, start, Sex::Female, 42).unwrap();
        assert_eq!(nip.as_str(), "199002282015032042");
        assert_eq!(nip.sex(), Sex::Female);
    }

    #[test]
    fn string_conversion_validates() {
        assert!(Nip::try_from(VALID.to_owned()).is_ok());
        assert!(Nip::try_from("123".to_owned()).is_err());
    }
}
