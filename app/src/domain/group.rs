//! Country groups: named sets of countries an administrator defines.

use super::country;
use super::figures::Counts;
use super::validation::{chars, Errors, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryGroup {
    pub id: i64,
    pub name: String,
    /// alpha-2 codes, sorted
    pub countries: Vec<String>,
}

/// A group as the administrator types it: countries as codes or names, separated by
/// commas, semicolons or new lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupInput {
    pub name: String,
    pub countries: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidGroup {
    pub name: String,
    pub countries: Vec<String>,
}

impl GroupInput {
    pub fn validate(&self) -> Result<ValidGroup, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            e.add("name", crate::tr!(validation.name_the_group));
        } else if chars(&name) > 100 {
            e.add("name", crate::tr!(validation.at_most, max = 100));
        }
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for token in self.countries.split([',', ';', '\n']).map(str::trim).filter(|t| !t.is_empty()) {
            match country::parse(token) {
                Some(c) => codes.push(c.to_string()),
                None => unknown.push(token.to_string()),
            }
        }
        codes.sort();
        codes.dedup();
        if !unknown.is_empty() {
            e.add("countries", crate::tr!(validation.unknown_countries, list = unknown.join(", ")));
        } else if codes.is_empty() {
            e.add("countries", crate::tr!(validation.list_at_least_one_country));
        }
        match e.is_empty() {
            true => Ok(ValidGroup { name, countries: codes }),
            false => Err(e.0),
        }
    }
}

/// A group's figures, for comparing groups side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub counts: Counts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_code_or_name() {
        let g = GroupInput { name: " Baltic states ".into(), countries: "LT, Latvia;ee\nLT".into() }.validate().unwrap();
        assert_eq!(g.name, "Baltic states");
        assert_eq!(g.countries, ["EE", "LT", "LV"]);
        let errs = GroupInput { name: "".into(), countries: "LT, Atlantis".into() }.validate().unwrap_err();
        assert_eq!(errs[0].field, "name");
        assert_eq!(errs[1].message, "Unknown countries: Atlantis.");
        let errs = GroupInput { name: "X".into(), countries: " , ".into() }.validate().unwrap_err();
        assert_eq!(errs[0].message, "List at least one country.");
    }
}
