//! What the office knows of a country it works with: the treaties that bind both, its
//! central authority and contacts, the languages it accepts, its own custody limits
//! (which override the legal basis' rule for that country's requests) and notes.
//! Administrators keep it; every signed-in user reads it.

use super::custody::{parse_days, CustodyRule};
use super::validation::{chars, has_control, optional, Errors, FieldError};
use serde::{Deserialize, Serialize};

pub const AUTHORITY_MAX: usize = 300;
pub const CONTACTS_MAX: usize = 2000;
pub const LANGUAGES_MAX: usize = 200;
pub const PROFILE_NOTES_MAX: usize = 4000;

/// A country profile as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryProfileInput {
    /// legal basis codes
    pub treaties: Vec<String>,
    pub central_authority: String,
    pub contacts: String,
    pub languages: String,
    pub arrest_days: String,
    pub surrender_days: String,
    pub notes: String,
}

/// A checked (or stored) country profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryProfile {
    pub treaties: Vec<String>,
    pub central_authority: Option<String>,
    pub contacts: Option<String>,
    pub languages: Option<String>,
    pub custody: CustodyRule,
    pub notes: Option<String>,
}

/// A bounded text field, trimmed; None when empty.
fn text(e: &mut Errors, field: &str, value: &str, max: usize, multi_line: bool) -> Option<String> {
    if has_control(value, multi_line) {
        e.add(field, crate::tr!(validation.no_control_characters));
    }
    let v = optional(value);
    if v.as_deref().is_some_and(|v| chars(v) > max) {
        e.add(field, crate::tr!(validation.at_most, max = max));
    }
    v
}

impl CountryProfileInput {
    /// Checks every field; `known_treaties` are the legal basis codes on record.
    pub fn validate(&self, known_treaties: &[String]) -> Result<CountryProfile, Vec<FieldError>> {
        let mut e = Errors::default();
        let mut treaties: Vec<String> = Vec::new();
        for t in &self.treaties {
            if !known_treaties.contains(t) {
                e.add("treaties", crate::tr!(validation.choose_the_legal_basis));
            } else if !treaties.contains(t) {
                treaties.push(t.clone());
            }
        }
        let profile = CountryProfile {
            treaties,
            central_authority: text(&mut e, "central_authority", &self.central_authority, AUTHORITY_MAX, false),
            contacts: text(&mut e, "contacts", &self.contacts, CONTACTS_MAX, true),
            languages: text(&mut e, "languages", &self.languages, LANGUAGES_MAX, false),
            custody: CustodyRule {
                arrest_days: parse_days(&mut e, "arrest_days", &self.arrest_days),
                surrender_days: parse_days(&mut e, "surrender_days", &self.surrender_days),
            },
            notes: text(&mut e, "notes", &self.notes, PROFILE_NOTES_MAX, true),
        };
        if let Err(unknown) = super::languages::accepted(&self.languages) {
            e.add("languages", crate::tr!(validation.unknown_languages, names = unknown.join(", ")));
        }
        e.into_result(profile)
    }
}

impl CountryProfile {
    /// The form's fields for this profile, to edit it.
    pub fn input(&self) -> CountryProfileInput {
        let days = |d: Option<u32>| d.map(|d| d.to_string()).unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        CountryProfileInput {
            treaties: self.treaties.clone(),
            central_authority: text(&self.central_authority),
            contacts: text(&self.contacts),
            languages: text(&self.languages),
            arrest_days: days(self.custody.arrest_days),
            surrender_days: days(self.custody.surrender_days),
            notes: text(&self.notes),
        }
    }
}

/// A legal basis with its custody rule, as a country page shows the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisRule {
    pub code: String,
    pub label: String,
    pub rule: CustodyRule,
}

/// Persons in extradition requests with one country (domain.md, "Persons in the figures").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFigures {
    pub sought: i64,
    pub surrendered: i64,
    pub refused: i64,
}

/// A country's page: its profile (empty when none is kept yet), the custody limits in
/// force for it, the persons figures and its requests' figures over all time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryPage {
    pub code: String,
    pub profile: CountryProfile,
    /// None until a profile is saved
    pub version: Option<i64>,
    pub rules: Vec<BasisRule>,
    /// outgoing, incoming
    pub persons: [PersonFigures; 2],
    pub requests: [super::figures::Figures; 2],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::message_for;

    fn known() -> Vec<String> {
        vec!["minsk_1993".into(), "european_extradition_1957".into()]
    }

    #[test]
    fn a_profile_is_checked_field_by_field_and_gives_back_its_form() {
        let input = CountryProfileInput {
            treaties: vec!["minsk_1993".into(), "minsk_1993".into()],
            central_authority: " Prosecutor General's Office ".into(),
            contacts: "+370 5 266 2305\nla@prokuraturos.lt".into(),
            languages: "Lithuanian, Russian".into(),
            arrest_days: "30".into(),
            surrender_days: "".into(),
            notes: "".into(),
        };
        let p = input.validate(&known()).unwrap();
        assert_eq!(p.treaties, vec!["minsk_1993".to_string()]);
        assert_eq!(p.central_authority.as_deref(), Some("Prosecutor General's Office"));
        assert_eq!(p.custody, CustodyRule { arrest_days: Some(30), surrender_days: None });
        assert_eq!(p.input().validate(&known()).unwrap(), p);

        let bad = CountryProfileInput {
            treaties: vec!["atlantis_2099".into()],
            languages: "x\u{1}".into(),
            arrest_days: "0".into(),
            surrender_days: "999".into(),
            central_authority: "a".repeat(AUTHORITY_MAX + 1),
            ..Default::default()
        };
        let errors = bad.validate(&known()).unwrap_err();
        for field in ["treaties", "languages", "arrest_days", "surrender_days", "central_authority"] {
            assert!(message_for(&errors, field).is_some(), "{field}");
        }
        let klingon = CountryProfileInput { languages: "English, Klingon".into(), ..Default::default() };
        let errors = klingon.validate(&known()).unwrap_err();
        assert!(message_for(&errors, "languages").unwrap().contains("Klingon"));
    }
}
