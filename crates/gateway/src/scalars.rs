//! The date and time scalars, named as GraphQL tools expect (`Date`, `DateTime`) and pointing with
//! `@specifiedBy` to the specifications their text follows.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{NaiveDate, SecondsFormat, Utc};

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date(pub(crate) NaiveDate);

/// A calendar date as `YYYY-MM-DD` (RFC 3339 `full-date`), such as `2026-03-31`.
#[Scalar(name = "Date", specified_by_url = "https://scalars.graphql.org/andimarek/local-date.html")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else { return Err(InputValueError::expected_type(value)) };
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| InputValueError::custom(format!("'{text}' is not a date as YYYY-MM-DD")))
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

/// An instant in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTime(pub(crate) chrono::DateTime<Utc>);

/// An instant as an RFC 3339 `date-time` with its offset, such as `2026-03-31T09:30:00Z`; written in UTC.
#[Scalar(name = "DateTime", specified_by_url = "https://scalars.graphql.org/chillicream/date-time.html")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else { return Err(InputValueError::expected_type(value)) };
        chrono::DateTime::parse_from_rfc3339(text).map(|instant| DateTime(instant.with_timezone(&Utc))).map_err(|_| {
            InputValueError::custom(format!("'{text}' is not an RFC 3339 date-time such as 2026-03-31T09:30:00Z"))
        })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(instant: chrono::DateTime<Utc>) -> Self {
        Self(instant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants_round_trip_and_malformed_text_is_named() {
        let date = Date::parse(Value::from("2026-03-31")).unwrap();
        assert_eq!(date.to_value(), Value::from("2026-03-31"));
        let refused = Date::parse(Value::from("31/03/2026")).unwrap_err();
        assert!(refused.into_server_error(Default::default()).message.contains("31/03/2026"));

        let instant = DateTime::parse(Value::from("2026-03-31T16:30:00+07:00")).unwrap();
        assert_eq!(instant.to_value(), Value::from("2026-03-31T09:30:00Z"));
        assert!(DateTime::parse(Value::from("2026-03-31")).is_err());
    }
}
