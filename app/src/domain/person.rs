//! Persons a request concerns: the accused whose extradition is sought, the witness to be
//! heard, the convicted person to transfer. A person is linked to requests with a role;
//! one request may concern several persons, one person many requests in many cases and
//! countries. Their names are kept as written (Cyrillic or Latin) with other spellings,
//! and found by any spelling (`names`).

use super::codes::code_enum;
use super::country;
use super::names;
use super::validation::{chars, has_control, optional as opt, Errors, FieldError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

code_enum!(
    /// What a person is to a request.
    PersonRole {
        Accused => "accused", "Accused or suspect";
        Wanted => "wanted", "Wanted person";
        Convicted => "convicted", "Convicted person";
        Witness => "witness", "Witness";
        Victim => "victim", "Victim";
        Other => "other", "Other";
    }
);

pub const NAME_MAX: usize = 200;
pub const OTHER_NAMES_MAX: usize = 10;
pub const DOCUMENTS_MAX: usize = 500;
pub const PERSON_NOTES_MAX: usize = 2000;

/// A person as the form sends it: every field text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInput {
    /// the name as written in the original script
    pub name: String,
    /// other spellings, one a line
    pub other_names: String,
    /// `YYYY-MM-DD`, or the year alone when only it is known
    pub birth: String,
    /// country codes or names, separated by commas
    pub citizenship: String,
    /// identity documents (kind and number)
    pub documents: String,
    pub notes: String,
}

/// When a person was born, as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Birth {
    Date(NaiveDate),
    Year(i32),
}

impl Birth {
    pub fn year(self) -> i32 {
        match self {
            Birth::Date(d) => d.year(),
            Birth::Year(y) => y,
        }
    }

    /// As stored and shown: `YYYY-MM-DD` or `YYYY`.
    pub fn text(self) -> String {
        match self {
            Birth::Date(d) => d.to_string(),
            Birth::Year(y) => y.to_string(),
        }
    }

    /// Read back from `text`.
    pub fn parse(text: &str) -> Option<Birth> {
        let t = text.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().ok().map(Birth::Year);
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().filter(|_| t.len() == 10).map(Birth::Date)
    }

    /// Whether two births may be one person's: the same date, or the same year where one
    /// of them is a year alone.
    pub fn may_be_same(self, other: Birth) -> bool {
        match (self, other) {
            (Birth::Date(a), Birth::Date(b)) => a == b,
            _ => self.year() == other.year(),
        }
    }
}

/// A checked person, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    pub name: String,
    pub other_names: Vec<String>,
    pub birth: Option<Birth>,
    pub citizenship: Vec<String>,
    pub documents: Option<String>,
    pub notes: Option<String>,
}

impl ValidPerson {
    /// Every spelling's words folded (`names::fold`), each once: what a search reads.
    pub fn name_key(&self) -> String {
        name_key(&self.name, &self.other_names)
    }
}

/// The folded words of a name and its other spellings, each once.
pub fn name_key(name: &str, other_names: &[String]) -> String {
    let mut words: Vec<String> = Vec::new();
    for spelling in std::iter::once(name).chain(other_names.iter().map(String::as_str)) {
        for w in names::fold(spelling).split(' ').filter(|w| !w.is_empty()) {
            if !words.iter().any(|x| x == w) {
                words.push(w.to_string());
            }
        }
    }
    words.join(" ")
}

impl PersonInput {
    /// Checks every field; `today` bounds the date of birth.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPerson, Vec<FieldError>> {
        let mut e = Errors::default();
        for (field, value, multi_line) in [
            ("name", &self.name, false),
            ("other_names", &self.other_names, true),
            ("birth", &self.birth, false),
            ("citizenship", &self.citizenship, false),
            ("documents", &self.documents, true),
            ("notes", &self.notes, true),
        ] {
            if has_control(value, multi_line) {
                e.add(field, crate::tr!(validation.no_control_characters));
            }
        }
        let name = self.name.trim().to_string();
        if names::fold(&name).is_empty() {
            e.add("name", crate::tr!(validation.enter_the_persons_name));
        } else if chars(&name) > NAME_MAX {
            e.add("name", crate::tr!(validation.at_most, max = NAME_MAX));
        }
        let other_names = other_names(&self.other_names, &name, &mut e);
        let birth = birth(&self.birth, today, &mut e);
        let citizenship = citizenship(&self.citizenship, &mut e);
        let documents = opt(&self.documents);
        if documents.as_deref().is_some_and(|d| chars(d) > DOCUMENTS_MAX) {
            e.add("documents", crate::tr!(validation.at_most, max = DOCUMENTS_MAX));
        }
        let notes = opt(&self.notes);
        if notes.as_deref().is_some_and(|n| chars(n) > PERSON_NOTES_MAX) {
            e.add("notes", crate::tr!(validation.at_most, max = PERSON_NOTES_MAX));
        }
        e.into_result(ValidPerson { name, other_names, birth, citizenship, documents, notes })
    }
}

/// The other spellings, one a line, each once and none the name itself.
fn other_names(text: &str, name: &str, e: &mut Errors) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if chars(line) > NAME_MAX {
            e.add("other_names", crate::tr!(validation.at_most, max = NAME_MAX));
        } else if line != name && !out.iter().any(|o| o == line) {
            out.push(line.to_string());
        }
    }
    if out.len() > OTHER_NAMES_MAX {
        e.add("other_names", crate::tr!(validation.at_most_spellings, max = OTHER_NAMES_MAX));
    }
    out
}

fn birth(text: &str, today: NaiveDate, e: &mut Errors) -> Option<Birth> {
    if text.trim().is_empty() {
        return None;
    }
    match Birth::parse(text) {
        None => {
            e.add("birth", crate::tr!(validation.enter_a_birth_date_or_year));
            None
        }
        Some(b) if b.year() < 1900 || b.year() > today.year() || matches!(b, Birth::Date(d) if d > today) => {
            e.add("birth", crate::tr!(validation.birth_not_in_the_future));
            None
        }
        Some(b) => Some(b),
    }
}

fn citizenship(text: &str, e: &mut Errors) -> Vec<String> {
    let mut codes = Vec::new();
    let mut unknown = Vec::new();
    for token in text.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()) {
        match country::parse(token) {
            Some(c) if !codes.iter().any(|x: &String| x == c) => codes.push(c.to_string()),
            Some(_) => {}
            None => unknown.push(token.to_string()),
        }
    }
    if !unknown.is_empty() {
        e.add("citizenship", crate::tr!(validation.unknown_countries, list = unknown.join(", ")));
    }
    codes
}

/// A stored person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub other_names: Vec<String>,
    pub birth: Option<Birth>,
    pub citizenship: Vec<String>,
    pub documents: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
}

impl Person {
    /// The form's fields for this person, to edit them.
    pub fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            other_names: self.other_names.join("\n"),
            birth: self.birth.map(Birth::text).unwrap_or_default(),
            citizenship: self.citizenship.join(", "),
            documents: self.documents.clone().unwrap_or_default(),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }
}

/// A person as a list or a request shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub birth: Option<Birth>,
    pub citizenship: Vec<String>,
    /// on a request: what the person is to it
    pub role: Option<PersonRole>,
}

/// A request concerning a person, as the person's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRequest {
    pub request_id: i64,
    pub reference: String,
    pub direction: super::Direction,
    pub country: String,
    pub kind: super::Kind,
    pub status: super::Status,
    pub case_number: Option<String>,
    pub role: PersonRole,
}

/// An event of a request concerning a person, as the person's timeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonEvent {
    pub request_id: i64,
    pub reference: String,
    pub event: super::Event,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::message_for;

    fn today() -> NaiveDate {
        "2026-12-04".parse().unwrap()
    }

    fn input(name: &str) -> PersonInput {
        PersonInput { name: name.into(), ..Default::default() }
    }

    #[test]
    fn a_person_needs_a_name_with_letters_and_nothing_else() {
        let v = input("  Иванов Иван Иванович ").validate(today()).unwrap();
        assert_eq!(v.name, "Иванов Иван Иванович");
        assert_eq!((v.birth, v.citizenship.len(), v.documents, v.notes), (None, 0, None, None));
        for name in ["", "   ", "123", "--"] {
            let errors = input(name).validate(today()).unwrap_err();
            assert_eq!(message_for(&errors, "name"), Some("Enter the person's name."), "{name:?}");
        }
        let errors = input(&"я".repeat(NAME_MAX + 1)).validate(today()).unwrap_err();
        assert_eq!(message_for(&errors, "name"), Some("At most 200 characters."));
        let errors = input("Ivan\u{7}ov").validate(today()).unwrap_err();
        assert_eq!(message_for(&errors, "name"), Some("Remove the invisible control characters from this text."));
    }

    #[test]
    fn a_birth_is_a_date_or_a_year_and_not_in_the_future() {
        let with = |birth: &str| PersonInput { birth: birth.into(), ..input("Ivanov") }.validate(today());
        assert_eq!(with("1980-02-29").unwrap().birth, Some(Birth::Date("1980-02-29".parse().unwrap())));
        assert_eq!(with(" 1975 ").unwrap().birth, Some(Birth::Year(1975)));
        for bad in ["1981-02-29", "80", "1980-2-3", "19800", "abcd"] {
            let errors = with(bad).unwrap_err();
            assert_eq!(message_for(&errors, "birth"), Some("Enter the date of birth as YYYY-MM-DD, or the year alone."), "{bad}");
        }
        for later in ["2026-12-05", "2027", "1899"] {
            let errors = with(later).unwrap_err();
            assert_eq!(message_for(&errors, "birth"), Some("A date of birth between 1900 and today."), "{later}");
        }
        assert!(Birth::Year(1980).may_be_same(Birth::Date("1980-05-01".parse().unwrap())));
        assert!(!Birth::Date("1980-05-02".parse().unwrap()).may_be_same(Birth::Date("1980-05-01".parse().unwrap())));
        assert_eq!(Birth::parse(&Birth::Year(1975).text()), Some(Birth::Year(1975)));
    }

    #[test]
    fn other_spellings_and_citizenships_are_each_kept_once() {
        let v = PersonInput {
            other_names: "Ivanov Ivan\n\nIvanou Ivan\nIvanov Ivan\nИванов Иван".into(),
            citizenship: "BY, Lithuania, by".into(),
            ..input("Иванов Иван")
        }
        .validate(today())
        .unwrap();
        assert_eq!(v.other_names, ["Ivanov Ivan", "Ivanou Ivan"]);
        assert_eq!(v.citizenship, ["BY", "LT"]);
        assert_eq!(v.name_key(), "ivanov ivan");
        let errors = PersonInput { citizenship: "Atlantis".into(), ..input("X Y") }.validate(today()).unwrap_err();
        assert_eq!(message_for(&errors, "citizenship"), Some("Unknown countries: Atlantis."));
        let many = (0..=OTHER_NAMES_MAX).map(|k| format!("Name {k}")).collect::<Vec<_>>().join("\n");
        let errors = PersonInput { other_names: many, ..input("X Y") }.validate(today()).unwrap_err();
        assert_eq!(message_for(&errors, "other_names"), Some("At most 10 spellings."));
    }

    #[test]
    fn roles_are_codes() {
        for r in PersonRole::ALL {
            assert_eq!(PersonRole::from_code(r.code()), Some(*r));
        }
        assert_eq!(PersonRole::from_code("judge"), None);
    }
}
