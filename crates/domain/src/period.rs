//! Evaluation periods: a year and its semesters, quarters and months.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Years that a plan or period may cover; outside it a year is almost surely a typing error.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("period '{text}' is not valid: {reason} (expected YYYY, YYYY-S1..S2, YYYY-Q1..Q4 or YYYY-MM)")]
pub struct PeriodError {
    pub text: String,
    pub reason: &'static str,
}

/// A span of an evaluation year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Period {
    Year(i32),
    Semester(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl Period {
    pub fn parse(text: &str) -> Result<Self, PeriodError> {
        let error = |reason| PeriodError { text: text.to_owned(), reason };
        let (year_text, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year_text.len() != 4 {
            return Err(error("the year must have four digits"));
        }
        let year: i32 = year_text.parse().map_err(|_| error("the year must have four digits"))?;
        if !YEAR_RANGE.contains(&year) {
            return Err(error("the year is outside 2000-2100"));
        }
        let number = |digits: &str, max: u8| -> Result<u8, PeriodError> {
            digits
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| error("the number is out of range"))
        };
        match rest {
            None => Ok(Period::Year(year)),
            Some(rest) => {
                if let Some(digits) = rest.strip_prefix('S') {
                    Ok(Period::Semester(year, number(digits, 2)?))
                } else if let Some(digits) = rest.strip_prefix('Q') {
                    Ok(Period::Quarter(year, number(digits, 4)?))
                } else if rest.len() == 2 {
                    Ok(Period::Month(year, number(rest, 12)?))
                } else {
                    Err(error("unknown period kind"))
                }
            }
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(year) | Period::Semester(year, _) | Period::Quarter(year, _) | Period::Month(year, _) => year,
        }
    }

    /// The first and last month (1–12) that the period covers.
    fn months(self) -> (u32, u32) {
        match self {
            Period::Year(_) => (1, 12),
            Period::Semester(_, s) => (u32::from(s) * 6 - 5, u32::from(s) * 6),
            Period::Quarter(_, q) => (u32::from(q) * 3 - 2, u32::from(q) * 3),
            Period::Month(_, m) => (u32::from(m), u32::from(m)),
        }
    }

    /// Whether both periods are of the same length (both quarters, both months, …).
    pub fn same_granularity(self, other: Period) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }

    /// The kind of period, in words: year, semester, quarter or month.
    pub fn granularity(self) -> &'static str {
        match self {
            Period::Year(_) => "year",
            Period::Semester(..) => "semester",
            Period::Quarter(..) => "quarter",
            Period::Month(..) => "month",
        }
    }

    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.months().0, 1).expect("validated period")
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        let (_, last_month) = self.months();
        let next = if last_month == 12 {
            NaiveDate::from_ymd_opt(self.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year(), last_month + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).expect("validated period")
    }

    pub fn contains(self, other: Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// The quarters of a year, in order.
    pub fn quarters(year: i32) -> [Period; 4] {
        [1, 2, 3, 4].map(|q| Period::Quarter(year, q))
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Period {
    type Error = PeriodError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Period> for String {
    fn from(period: Period) -> Self {
        period.to_string()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Semester(y, s) => write!(f, "{y}-S{s}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_and_prints_every_kind() {
        for text in ["2025", "2025-S2", "2025-Q3", "2025-07"] {
            assert_eq!(Period::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn spans_are_calendar_exact() {
        assert_eq!(Period::parse("2024-02").unwrap().end(), date(2024, 2, 29));
        let q4 = Period::Quarter(2025, 4);
        assert_eq!((q4.start(), q4.end()), (date(2025, 10, 1), date(2025, 12, 31)));
        assert_eq!(Period::Semester(2025, 2).start(), date(2025, 7, 1));
        assert!(Period::Year(2025).contains(q4));
        assert!(!Period::Semester(2025, 1).contains(q4));
    }

    #[test]
    fn rejects_bad_periods_with_the_reason() {
        assert_eq!(Period::parse("2025-Q5").unwrap_err().reason, "the number is out of range");
        assert_eq!(Period::parse("2025-13").unwrap_err().reason, "the number is out of range");
        assert_eq!(Period::parse("25").unwrap_err().reason, "the year must have four digits");
        assert_eq!(Period::parse("1999").unwrap_err().reason, "the year is outside 2000-2100");
        assert!(Period::parse("2025-W1").unwrap_err().to_string().contains("2025-W1"));
    }
}
