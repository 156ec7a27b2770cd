//! One file per route.

pub mod account;
pub mod admin;
pub mod cases;
pub mod dashboard;
pub mod groups;
pub mod import;
pub mod login;
pub mod new_request;
pub mod not_found;
pub mod registry;
pub mod report;
pub mod request;

use crate::domain::ListParams;
use leptos_router::params::ParamsMap;

/// The URL query keys the registry list understands.
pub const LIST_KEYS: &[&str] =
    &["direction", "country", "status", "kind", "offence", "case", "from", "to", "q", "basis", "group", "sort", "dir", "after", "before"];

/// The list parameters in the current URL query.
pub fn list_params(map: &ParamsMap) -> ListParams {
    let pairs: Vec<(&str, String)> =
        LIST_KEYS.iter().filter_map(|k| map.get(k).map(|v| (*k, v.to_string()))).collect();
    ListParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}
