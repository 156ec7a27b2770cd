//! Criminal cases: many requests serve one case.

use serde::{Deserialize, Serialize};

/// A case with the counts of its requests, for the cases list and the case page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub requests: i64,
    pub countries: i64,
    pub open: i64,
    pub overdue: i64,
    pub answered: i64,
}

/// A case as the request form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOption {
    pub number: String,
    pub title: String,
}
