//! Field-level validation errors, shared by the browser form and the server.

use serde::{Deserialize, Serialize};

/// One problem with one field of a form: `field` names the input, `message` is what the
/// person reads next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects field errors while a form is checked.
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        // the first problem of a field is the one worth showing
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError { field: field.to_string(), message: message.into() });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// The message for `field` in a list of errors, if any.
pub fn message_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

/// Length in characters (not bytes), as people count them.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Parses an ISO date `YYYY-MM-DD`; `Ok(None)` for an empty field.
pub fn parse_date(value: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| crate::tr!(validation.enter_a_date_as_yyyy_mm).to_string())
}
