//! Activity records from operational systems (a health-service visit, a citizen's report with received
//! and resolved times, a class taught) and the rules that turn them into an indicator's realisation.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActivityError {
    #[error("activity kind '{0}' may contain only a-z, 0-9 and '_' (1 to 40 characters)")]
    Kind(String),
    #[error("attribute '{name}': {reason}")]
    Attribute { name: String, reason: String },
    #[error("'{0}' is not a field: use an attribute name or hours_between:START:END")]
    Field(String),
    #[error("{method} needs {what}")]
    Method { method: &'static str, what: &'static str },
}

/// An activity kind such as `health_service_visit`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActivityKind(String);

impl ActivityKind {
    pub fn parse(text: &str) -> Result<Self, ActivityError> {
        let valid = (1..=40).contains(&text.len())
            && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if valid { Ok(Self(text.to_owned())) } else { Err(ActivityError::Kind(text.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ActivityKind {
    type Error = ActivityError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ActivityKind> for String {
    fn from(kind: ActivityKind) -> Self {
        kind.0
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A typed attribute of an activity record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttributeValue {
    Number(Decimal),
    Time(DateTime<Utc>),
    Text(String),
}

/// The value a mapping aggregates: a numeric attribute, or the hours between two time attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Attribute(String),
    HoursBetween { start: String, end: String },
}

impl Field {
    pub fn parse(text: &str) -> Result<Self, ActivityError> {
        let name_ok = |name: &str| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match text.strip_prefix("hours_between:").map(|rest| rest.split(':').collect::<Vec<_>>()) {
            Some(parts) if parts.len() == 2 && parts.iter().all(|p| name_ok(p)) => {
                Ok(Field::HoursBetween { start: parts[0].to_owned(), end: parts[1].to_owned() })
            }
            Some(_) => Err(ActivityError::Field(text.to_owned())),
            None if name_ok(text) => Ok(Field::Attribute(text.to_owned())),
            None => Err(ActivityError::Field(text.to_owned())),
        }
    }

    /// The field's value in one record, or why the record does not have it.
    pub fn value_in(&self, attributes: &BTreeMap<String, AttributeValue>) -> Result<Decimal, ActivityError> {
        let missing = |name: &str, wanted: &str| ActivityError::Attribute {
            name: name.to_owned(),
            reason: format!("needs a {wanted}"),
        };
        match self {
            Field::Attribute(name) => match attributes.get(name) {
                Some(AttributeValue::Number(value)) => Ok(*value),
                _ => Err(missing(name, "number")),
            },
            Field::HoursBetween { start, end } => {
                let time = |name: &str| match attributes.get(name) {
                    Some(AttributeValue::Time(time)) => Ok(*time),
                    _ => Err(missing(name, "time (RFC 3339)")),
                };
                let (start_time, end_time) = (time(start)?, time(end)?);
                if end_time < start_time {
                    return Err(ActivityError::Attribute { name: end.clone(), reason: format!("is before {start}") });
                }
                let seconds = (end_time - start_time).num_seconds();
                Ok((Decimal::from(seconds) / Decimal::from(3600)).round_dp(4))
            }
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Attribute(name) => f.write_str(name),
            Field::HoursBetween { start, end } => write!(f, "hours_between:{start}:{end}"),
        }
    }
}

/// How a period's records become a realisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aggregation {
    Count,
    Sum(Field),
    Mean(Field),
    /// The 90th percentile (nearest rank) of the field.
    P90(Field),
    /// The percentage of records whose field is at most the limit.
    ShareWithin(Field, Decimal),
}

impl Aggregation {
    /// Builds the aggregation from its stored parts.
    pub fn from_parts(method: &str, field: Option<&str>, limit: Option<Decimal>) -> Result<Self, ActivityError> {
        let field = |method: &'static str| -> Result<Field, ActivityError> {
            Field::parse(field.ok_or(ActivityError::Method { method, what: "a field" })?)
        };
        match method {
            "count" => Ok(Aggregation::Count),
            "sum" => Ok(Aggregation::Sum(field("sum")?)),
            "mean" => Ok(Aggregation::Mean(field("mean")?)),
            "p90" => Ok(Aggregation::P90(field("p90")?)),
            "share_within" => {
                let limit = limit.ok_or(ActivityError::Method { method: "share_within", what: "a limit" })?;
                Ok(Aggregation::ShareWithin(field("share_within")?, limit))
            }
            _ => Err(ActivityError::Method {
                method: "an aggregation",
                what: "one of count, sum, mean, p90, share_within",
            }),
        }
    }

    pub fn method(&self) -> &'static str {
        match self {
            Aggregation::Count => "count",
            Aggregation::Sum(_) => "sum",
            Aggregation::Mean(_) => "mean",
            Aggregation::P90(_) => "p90",
            Aggregation::ShareWithin(..) => "share_within",
        }
    }

    pub fn field(&self) -> Option<&Field> {
        match self {
            Aggregation::Count => None,
            Aggregation::Sum(f) | Aggregation::Mean(f) | Aggregation::P90(f) | Aggregation::ShareWithin(f, _) => {
                Some(f)
            }
        }
    }

    /// The realisation from a period's records; `None` when there is nothing to aggregate.
    pub fn apply(&self, records: &[&BTreeMap<String, AttributeValue>]) -> Result<Option<Decimal>, ActivityError> {
        if records.is_empty() {
            return Ok(None);
        }
        if let Aggregation::Count = self {
            return Ok(Some(Decimal::from(records.len())));
        }
        let field = self.field().expect("every other method has a field");
        let mut values = records.iter().map(|attributes| field.value_in(attributes)).collect::<Result<Vec<_>, _>>()?;
        let count = Decimal::from(values.len());
        Ok(Some(match self {
            Aggregation::Sum(_) => values.iter().sum(),
            Aggregation::Mean(_) => (values.iter().sum::<Decimal>() / count).round_dp(4),
            Aggregation::P90(_) => {
                values.sort();
                // Nearest rank: the ⌈0.9 n⌉-th smallest value.
                let rank = (values.len() * 9).div_ceil(10).max(1);
                values[rank - 1]
            }
            Aggregation::ShareWithin(_, limit) => {
                let within = values.iter().filter(|v| *v <= limit).count();
                (Decimal::from(within) * Decimal::ONE_HUNDRED / count).round_dp(2)
            }
            Aggregation::Count => unreachable!("handled above"),
        }))
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn report(received: &str, resolved: &str) -> BTreeMap<String, AttributeValue> {
        let time = |text: &str| AttributeValue::Time(text.parse().unwrap());
        BTreeMap::from([("received_at".to_owned(), time(received)), ("resolved_at".to_owned(), time(resolved))])
    }

    #[test]
    fn kinds_and_fields_are_validated() {
        assert!(ActivityKind::parse("health_service_visit").is_ok());
        assert!(ActivityKind::parse("Health Visit").is_err());
        assert_eq!(Field::parse("patients").unwrap(), Field::Attribute("patients".into()));
        assert_eq!(
            Field::parse("hours_between:received_at:resolved_at").unwrap().to_string(),
            "hours_between:received_at:resolved_at"
        );
        assert!(Field::parse("hours_between:received_at").is_err());
        assert!(Aggregation::from_parts("share_within", Some("x"), None).is_err());
        assert!(Aggregation::from_parts("median", None, None).is_err());
    }

    #[test]
    fn response_times_aggregate() {
        let reports = [
            report("2026-03-02T08:00:00Z", "2026-03-02T14:00:00Z"),
            report("2026-03-03T08:00:00Z", "2026-03-04T08:00:00Z"),
            report("2026-03-05T08:00:00Z", "2026-03-07T08:00:00Z"),
            report("2026-03-09T08:00:00Z", "2026-03-09T20:00:00Z"),
        ];
        let refs: Vec<_> = reports.iter().collect();
        let hours = Field::parse("hours_between:received_at:resolved_at").unwrap();
        assert_eq!(Aggregation::Count.apply(&refs).unwrap(), Some(dec!(4)));
        assert_eq!(Aggregation::Mean(hours.clone()).apply(&refs).unwrap(), Some(dec!(22.5)), "(6 + 24 + 48 + 12) / 4");
        assert_eq!(Aggregation::P90(hours.clone()).apply(&refs).unwrap(), Some(dec!(48)));
        assert_eq!(Aggregation::ShareWithin(hours.clone(), dec!(24)).apply(&refs).unwrap(), Some(dec!(75)));
        assert_eq!(Aggregation::Count.apply(&[]).unwrap(), None);
        let backwards = [report("2026-03-02T08:00:00Z", "2026-03-01T08:00:00Z")];
        let error = Aggregation::Mean(hours).apply(&backwards.iter().collect::<Vec<_>>()).unwrap_err();
        assert_eq!(error.to_string(), "attribute 'resolved_at': is before received_at");
    }

    #[test]
    fn sums_need_numbers() {
        let visit = BTreeMap::from([("patients".to_owned(), AttributeValue::Number(dec!(3)))]);
        let text = BTreeMap::from([("patients".to_owned(), AttributeValue::Text("tiga".into()))]);
        let sum = Aggregation::Sum(Field::parse("patients").unwrap());
        assert_eq!(sum.apply(&[&visit, &visit]).unwrap(), Some(dec!(6)));
        assert_eq!(sum.apply(&[&visit, &text]).unwrap_err().to_string(), "attribute 'patients': needs a number");
    }
}
