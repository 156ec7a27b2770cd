//! Events an administrator marks on the time charts (domain.md, "Events on the time
//! charts"): a day, a short title and the countries it concerns (none: every country).

use super::country;
use super::validation::{chars, has_control, Errors, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 120;

/// The event form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartEventInput {
    pub on_date: String,
    pub title: String,
    /// names or codes, separated by commas, semicolons or lines; empty for every country
    pub countries: String,
}

/// An event that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartEvent {
    pub on_date: NaiveDate,
    pub title: String,
    /// codes, sorted; empty for every country
    pub countries: Vec<String>,
}

/// A kept event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptEvent {
    pub id: i64,
    pub event: ChartEvent,
}

impl ChartEventInput {
    /// A date between 1990 and 2199, a title of at most `TITLE_MAX` characters, and
    /// countries the registry knows.
    pub fn validate(&self) -> Result<ChartEvent, Vec<FieldError>> {
        let mut e = Errors::default();
        let on_date = match self.on_date.trim() {
            "" => {
                e.add("on_date", crate::tr!(events.enter_the_date));
                None
            }
            t => match t.parse::<NaiveDate>() {
                Ok(d) if (1990..=2199).contains(&chrono::Datelike::year(&d)) => Some(d),
                Ok(_) => {
                    e.add("on_date", crate::tr!(validation.date_years, from = 1990, to = 2199));
                    None
                }
                Err(_) => {
                    e.add("on_date", crate::tr!(validation.enter_a_date_as_yyyy_mm));
                    None
                }
            },
        };
        let title = self.title.trim().to_string();
        if title.is_empty() {
            e.add("title", crate::tr!(events.enter_the_title));
        } else if has_control(&title, false) {
            e.add("title", crate::tr!(validation.no_control_characters));
        } else if chars(&title) > TITLE_MAX {
            e.add("title", crate::tr!(validation.at_most, max = TITLE_MAX));
        }
        let (mut countries, mut unknown) = (Vec::new(), Vec::new());
        for token in self.countries.split([',', ';', '\n']).map(str::trim).filter(|t| !t.is_empty()) {
            match country::parse(token) {
                Some(c) => countries.push(c.to_string()),
                None => unknown.push(token.to_string()),
            }
        }
        countries.sort();
        countries.dedup();
        if !unknown.is_empty() {
            e.add("countries", crate::tr!(validation.unknown_countries, list = unknown.join(", ")));
        }
        match on_date {
            Some(on_date) if e.is_empty() => Ok(ChartEvent { on_date, title, countries }),
            _ => Err(e.0),
        }
    }
}

impl ChartEvent {
    /// Whether the event belongs on a chart of `country` (None: of every country).
    pub fn concerns(&self, country: Option<&str>) -> bool {
        match country {
            None => true,
            Some(c) => self.countries.is_empty() || self.countries.iter().any(|x| x == c),
        }
    }

    /// The month it falls in, as the charts label months ("2025-03").
    pub fn month(&self) -> String {
        self.on_date.format("%Y-%m").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_checked() {
        let i = ChartEventInput {
            on_date: "2022-03-01".into(),
            title: " Sanctions imposed ".into(),
            countries: "Lithuania; PL, lt".into(),
        };
        let ev = i.validate().unwrap();
        assert_eq!((ev.title.as_str(), ev.countries.clone()), ("Sanctions imposed", vec!["LT".to_string(), "PL".to_string()]));
        assert_eq!(ev.month(), "2022-03");
        assert!(ev.concerns(None) && ev.concerns(Some("PL")) && !ev.concerns(Some("DE")));
        let everywhere = ChartEventInput { countries: String::new(), ..i.clone() }.validate().unwrap();
        assert!(everywhere.concerns(Some("DE")));
        let bad = ChartEventInput { on_date: "1989-12-31".into(), title: String::new(), countries: "Atlantis".into() };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["on_date", "title", "countries"]);
    }
}
