//! Reading stored values back into domain types: a value that does not decode is
//! reported as corrupt data (`DbError::Corrupt`), naming what it was.

use super::{DbError, DbResult};
use crate::domain::Status;
use chrono::NaiveDate;

/// Stored data that is not what it should be: `what` it was, and the value.
pub(crate) fn corrupt(what: &str, value: &str) -> DbError {
    DbError::Corrupt(format!("{what} {value:?}"))
}

pub(crate) fn date(value: Option<String>) -> DbResult<Option<NaiveDate>> {
    value.filter(|v| !v.is_empty()).map(|v| v.parse::<NaiveDate>().map_err(|_| corrupt("date", &v))).transpose()
}

pub(crate) fn ds(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(crate) fn status(v: &str) -> DbResult<Status> {
    Status::from_code(v).ok_or_else(|| corrupt("status", v))
}

/// A stored code read back through its type's `from_code` (a direction, a kind...).
pub(crate) fn code<T>(what: &str, value: &str, from_code: fn(&str) -> Option<T>) -> DbResult<T> {
    from_code(value).ok_or_else(|| corrupt(what, value))
}
