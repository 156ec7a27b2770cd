//! One file per route.

pub mod account;
pub mod account_security;
pub mod admin;
pub mod assets;
pub mod cases;
pub mod chart_events;
pub mod compare;
pub mod countries;
pub mod custody;
pub mod dashboard;
pub mod documents;
pub mod groups;
pub mod handling;
pub mod import;
pub mod login;
pub mod my_work;
pub mod new_request;
pub mod not_found;
pub mod notifications;
pub mod persons;
pub mod registry;
pub mod report;
pub mod request;
pub mod search;
pub mod statistics;

use crate::domain::ListParams;
use leptos_router::params::ParamsMap;

/// The URL query keys the registry list understands.
pub const LIST_KEYS: &[&str] = &[
    "direction",
    "translation",
    "assignee",
    "reminder",
    "country",
    "status",
    "kind",
    "offence",
    "case",
    "from",
    "to",
    "q",
    "basis",
    "group",
    "sort",
    "dir",
    "after",
    "before",
];

/// The list parameters in the current URL query.
pub fn list_params(map: &ParamsMap) -> ListParams {
    let pairs: Vec<(&str, String)> = LIST_KEYS.iter().filter_map(|k| map.get(k).map(|v| (*k, v.to_string()))).collect();
    ListParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// The period a dashboard or report covers, in the page's language ("2025-12-01 – 2026-11-30",
/// "from …", "up to …", "all time").
pub(crate) fn period_label(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> String {
    let locale = crate::lang::current();
    let d = |x| crate::lang::date(locale, x);
    match (from, to) {
        (Some(f), Some(t)) => crate::tr!(period.range, from = d(f), to = d(t)).to_string(),
        (Some(f), None) => crate::tr!(period.from, from = d(f)).to_string(),
        (None, Some(t)) => crate::tr!(period.to, to = d(t)).to_string(),
        (None, None) => crate::tr!(period.all).to_string(),
    }
}

/// A headline's figures in the page's language: the requests satisfied, the base they are
/// counted against (both grouped by thousands, as the tiles are) and the fulfilment rate.
pub(crate) fn headline_figures(c: &crate::domain::figures::Counts) -> (String, String, String) {
    let locale = crate::lang::current();
    (crate::lang::integer(locale, c.satisfied()), crate::lang::integer(locale, c.base()), crate::lang::rate(c.fulfilment_rate()))
}

/// The text with its first letter in capitals (whatever the script).
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::LIST_KEYS;
    use crate::domain::ListParams;

    #[test]
    fn the_page_reads_every_key_a_list_url_holds() {
        let every = [
            ("direction", "incoming"),
            ("country", "DE"),
            ("status", "open"),
            ("kind", "evidence"),
            ("offence", "fraud"),
            ("case", "3"),
            ("from", "2025-01-01"),
            ("to", "2025-12-31"),
            ("q", "x"),
            ("basis", "reciprocity"),
            ("group", "2"),
            ("translation", "missing"),
            ("sort", "reference"),
            ("dir", "asc"),
        ];
        let params = ListParams::from_pairs(every);
        for (key, _) in params.to_pairs() {
            assert!(LIST_KEYS.contains(&key), "{key} is written into list URLs but not read back from them");
        }
        assert_eq!(params.to_pairs().len(), every.len());
    }
}
