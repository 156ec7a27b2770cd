//! Measures taken on assets under a request (domain.md, "Assets"): what was frozen,
//! seized, confiscated, repatriated or shared, how much of which currency, and when.

use super::codes::code_enum;
use super::validation::{chars, has_control, optional, Errors, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum!(
    /// How far a measure on assets went.
    AssetStage {
        Frozen => "frozen", "Frozen";
        Seized => "seized", "Seized";
        Confiscated => "confiscated", "Confiscated";
        Repatriated => "repatriated", "Repatriated (returned)";
        Shared => "shared", "Shared";
    }
);

/// The largest amount a measure may record, in cents (a thousand billion units).
pub const AMOUNT_MAX_CENTS: i64 = 100_000_000_000_000;
pub const NOTE_MAX: usize = 500;

/// An amount in cents, read as people write it: digits, grouped or not by spaces,
/// apostrophes or the other separator, with at most two decimals after a point or a
/// comma ("1 250 000", "1,250,000.50", "1.250.000,5", "0.99"). None when it is not a
/// positive amount written so.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\'' && *c != '\u{2019}').collect();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    // the decimal separator is the last point or comma followed by one or two digits
    let split = t.rfind(['.', ',']).filter(|&i| (1..=2).contains(&(t.len() - i - 1)) && i > 0);
    let (whole, cents) = match split {
        // a separator of decimals is not also one of thousands
        Some(i) if t[..i].contains(&t[i..=i]) => return None,
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t.as_str(), ""),
    };
    // what is left of the whole part may only use separators between groups of three
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    let grouped_well = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3))
            && whole.chars().filter(|c| !c.is_ascii_digit()).collect::<std::collections::BTreeSet<_>>().len() == 1;
    if !grouped_well || groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    let units: i64 = groups.concat().parse().ok()?;
    let cents: i64 = if cents.is_empty() { 0 } else { format!("{cents:0<2}").parse().ok()? };
    let total = units.checked_mul(100)?.checked_add(cents)?;
    (total > 0 && total <= AMOUNT_MAX_CENTS).then_some(total)
}

/// Cents as a plain decimal ("1250000.50"), as CSV and the command line write it.
pub fn plain_amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The measure form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetMeasureInput {
    pub stage: String,
    pub amount: String,
    pub currency: String,
    pub taken_on: String,
    pub note: String,
}

/// A measure that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetMeasure {
    pub stage: AssetStage,
    pub amount_cents: i64,
    /// ISO 4217 code, upper case
    pub currency: String,
    pub taken_on: NaiveDate,
    pub note: Option<String>,
}

/// A kept measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptMeasure {
    pub id: i64,
    pub measure: AssetMeasure,
}

impl AssetMeasureInput {
    /// Checks every field: a stage, a positive amount, a currency code of three letters, a
    /// date not in the future and not before the request's `start` (when it has one).
    pub fn validate(&self, today: NaiveDate, start: Option<NaiveDate>) -> Result<AssetMeasure, Vec<FieldError>> {
        let mut e = Errors::default();
        let stage = AssetStage::from_code(self.stage.trim());
        if stage.is_none() {
            e.add("stage", crate::tr!(assets.choose_the_stage));
        }
        let amount_cents = parse_amount(&self.amount);
        if self.amount.trim().is_empty() {
            e.add("amount", crate::tr!(assets.enter_the_amount));
        } else if amount_cents.is_none() {
            e.add("amount", crate::tr!(assets.amount_format));
        }
        let currency = self.currency.trim().to_uppercase();
        if currency.is_empty() {
            e.add("currency", crate::tr!(assets.enter_the_currency));
        } else if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            e.add("currency", crate::tr!(assets.currency_format));
        }
        let taken_on = match self.taken_on.trim() {
            "" => {
                e.add("taken_on", crate::tr!(assets.enter_the_date));
                None
            }
            t => match t.parse::<NaiveDate>() {
                Err(_) => {
                    e.add("taken_on", crate::tr!(validation.enter_a_date_as_yyyy_mm));
                    None
                }
                Ok(d) if d > today => {
                    e.add("taken_on", crate::tr!(validation.the_date_cannot_be_in_the));
                    None
                }
                Ok(d) if start.is_some_and(|s| d < s) => {
                    e.add("taken_on", crate::tr!(validation.the_date_cannot_come_before_the));
                    None
                }
                Ok(d) => Some(d),
            },
        };
        if has_control(&self.note, false) {
            e.add("note", crate::tr!(validation.no_control_characters));
        } else if chars(self.note.trim()) > NOTE_MAX {
            e.add("note", crate::tr!(validation.at_most, max = NOTE_MAX));
        }
        match (stage, amount_cents, taken_on) {
            (Some(stage), Some(amount_cents), Some(taken_on)) if e.is_empty() => {
                Ok(AssetMeasure { stage, amount_cents, currency, taken_on, note: optional(&self.note) })
            }
            _ => Err(e.0),
        }
    }
}

/// Sums per currency and stage: for each currency (in code order), the cents of each
/// stage in `AssetStage::ALL`'s order, and how many measures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetSums {
    pub rows: Vec<(String, [i64; 5], i64)>,
}

impl AssetSums {
    pub fn of<'a>(measures: impl IntoIterator<Item = &'a AssetMeasure>) -> AssetSums {
        let mut by: std::collections::BTreeMap<String, ([i64; 5], i64)> = std::collections::BTreeMap::new();
        for m in measures {
            let entry = by.entry(m.currency.clone()).or_default();
            let i = AssetStage::ALL.iter().position(|s| *s == m.stage).unwrap_or(0);
            entry.0[i] = entry.0[i].saturating_add(m.amount_cents);
            entry.1 += 1;
        }
        AssetSums { rows: by.into_iter().map(|(c, (sums, n))| (c, sums, n)).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_write_them() {
        assert_eq!(parse_amount("1250000"), Some(125_000_000));
        assert_eq!(parse_amount("1 250 000"), Some(125_000_000));
        assert_eq!(parse_amount("1,250,000.50"), Some(125_000_050));
        assert_eq!(parse_amount("1.250.000,5"), Some(125_000_050));
        assert_eq!(parse_amount("1\u{a0}250\u{a0}000,05"), Some(125_000_005));
        assert_eq!(parse_amount("1'250'000"), Some(125_000_000));
        assert_eq!(parse_amount("0.99"), Some(99));
        assert_eq!(parse_amount("12,5"), Some(1250));
        // a thousands separator, not decimals
        assert_eq!(parse_amount("1,250"), Some(125_000));
        for bad in ["", "0", "0.00", "-5", "1.2.3", "12.345.6", "1,25,000", "abc", "1e6", "12.", ".5", "1.250,000.5"] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
        assert_eq!(parse_amount("1000000000000"), Some(AMOUNT_MAX_CENTS));
        assert_eq!(parse_amount("1000000000000.01"), None);
        assert_eq!(plain_amount(125_000_050), "1250000.50");
    }

    #[test]
    fn a_measure_is_checked_field_by_field() {
        let today: NaiveDate = "2026-12-04".parse().unwrap();
        let start = Some("2026-01-10".parse().unwrap());
        let good = AssetMeasureInput {
            stage: "frozen".into(),
            amount: "1 250 000,50".into(),
            currency: "eur".into(),
            taken_on: "2026-02-01".into(),
            note: "  account at Bank X ".into(),
        };
        let m = good.validate(today, start).unwrap();
        assert_eq!((m.amount_cents, m.currency.as_str(), m.note.as_deref()), (125_000_050, "EUR", Some("account at Bank X")));
        let bad = AssetMeasureInput {
            stage: "stolen".into(),
            amount: "12.345.6".into(),
            currency: "EURO".into(),
            taken_on: "2026-01-09".into(),
            note: String::new(),
        };
        let fields: Vec<String> = bad.validate(today, start).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["stage", "amount", "currency", "taken_on"]);
        let future = AssetMeasureInput { taken_on: "2026-12-05".into(), ..good };
        assert_eq!(future.validate(today, start).unwrap_err()[0].field, "taken_on");
    }

    #[test]
    fn sums_per_currency_and_stage() {
        let m = |stage, cents, currency: &str| AssetMeasure {
            stage,
            amount_cents: cents,
            currency: currency.into(),
            taken_on: "2025-03-01".parse().unwrap(),
            note: None,
        };
        let all = [
            m(AssetStage::Frozen, 10_000_000, "EUR"),
            m(AssetStage::Frozen, 5_000_050, "EUR"),
            m(AssetStage::Confiscated, 8_000_000, "EUR"),
            m(AssetStage::Seized, 250_000, "USD"),
        ];
        let sums = AssetSums::of(&all);
        assert_eq!(
            sums.rows,
            vec![("EUR".to_string(), [15_000_050, 0, 8_000_000, 0, 0], 3), ("USD".to_string(), [0, 250_000, 0, 0, 0], 1)]
        );
    }
}
