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

/// A text field's value trimmed, or `None` when nothing is left.
pub fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Length in characters (not bytes), as people count them.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A path on this site to send someone back to after a redirect, or `None` when the
/// value could lead elsewhere. Browsers drop tabs and line breaks from a URL and read a
/// backslash as a slash, so `/\t/evil.example` and `/\evil.example` are other sites to
/// them: only a path that starts with one slash, has no backslash and no control or
/// white-space character is kept.
pub fn local_path(value: &str) -> Option<&str> {
    let mut chars = value.chars();
    let starts_local = chars.next() == Some('/') && !matches!(chars.next(), Some('/'));
    let clean = !value.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    (starts_local && clean && value.len() <= 2048).then_some(value)
}

/// Parses an ISO date `YYYY-MM-DD`; `Ok(None)` for an empty field.
pub fn parse_date(value: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let shaped =
        v.len() == 10 && v.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    let date = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped)
        .ok_or_else(|| crate::tr!(validation.enter_a_date_as_yyyy_mm).to_string())?;
    if !DATE_YEARS.contains(&chrono::Datelike::year(&date)) {
        return Err(crate::tr!(validation.date_years, from = DATE_YEARS.start(), to = DATE_YEARS.end()));
    }
    Ok(Some(date))
}

/// The years a date of the registry may fall in (a typing slip such as 20225 or
/// +262142 is caught, not stored).
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Whether a text holds a character no form field may: a control character other than
/// the line breaks and tabs of a multi-line text (a NUL byte cannot be stored by
/// PostgreSQL and means a damaged or hostile input everywhere).
pub fn has_control(value: &str, multi_line: bool) -> bool {
    value.chars().any(|c| c.is_control() && !(multi_line && matches!(c, '\n' | '\r' | '\t')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_local() {
        for ok in ["/", "/requests?q=a%20b", "/requests/12", "/dashboard?direction=incoming"] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
        // what browsers read as another site once they drop tabs and line breaks and
        // read a backslash as a slash
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "/\n/evil.example",
            "/\r\n",
            "https://evil.example",
            "evil",
            "",
            "/ /x",
            "/%09ok\u{0}",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_are_iso_and_within_the_registry_s_years() {
        assert_eq!(parse_date(" 2025-03-01 ").unwrap(), chrono::NaiveDate::from_ymd_opt(2025, 3, 1));
        assert_eq!(parse_date("").unwrap(), None);
        assert_eq!(parse_date("+262142-12-31").unwrap_err(), "Enter a date as YYYY-MM-DD.");
        assert_eq!(parse_date("20225-01-01").unwrap_err(), "Enter a date as YYYY-MM-DD.");
        assert_eq!(parse_date("2025-1-1").unwrap_err(), "Enter a date as YYYY-MM-DD.");
        assert_eq!(parse_date("2025-02-30").unwrap_err(), "Enter a date as YYYY-MM-DD.");
        assert_eq!(parse_date("1899-12-31").unwrap_err(), "Enter a date between the years 1900 and 2199.");
        assert_eq!(parse_date("9999-12-31").unwrap_err(), "Enter a date between the years 1900 and 2199.");
        assert!(parse_date("2199-12-31").is_ok());
    }

    #[test]
    fn control_characters() {
        assert!(has_control("a\u{0}b", true));
        assert!(has_control("a\u{7}b", true));
        assert!(!has_control("two\nlines\twith a tab", true));
        assert!(has_control("two\nlines", false));
        assert!(!has_control("Иванов И. И.", false));
    }
}
