//! Data-layer tests against a real database migrated like production: SQLite, or
//! PostgreSQL when `ROGATORY_TEST_POSTGRES` names a server (see `scratch`), by area.

mod accounts;
mod custody;
mod documents;
mod figures;
mod handling;
mod listing;
mod persons;
mod statistics;
mod wal;
mod writes;

use super::{cases, timeline, DbError};
use super::{creation, list, requests, search};
use crate::domain::filter::{ListParams, SortColumn, StatusFilter, PAGE_SIZE};
use crate::domain::{Direction, EventKind, RequestInput, Status, StatusChangeInput, ValidRequest};
use chrono::NaiveDate;

/// A fresh, migrated database (SQLite, or PostgreSQL when the run is pointed at one).
pub type TestDb = super::scratch::ScratchDb;

pub async fn test_db() -> TestDb {
    TestDb::new("app").await
}

fn clerk() -> super::actor::Actor {
    super::actor::Actor { user_id: None, username: "clerk".into(), ip: Some("127.0.0.1".into()) }
}

fn today() -> NaiveDate {
    "2025-06-10".parse().unwrap()
}

fn input(reference: &str, country: &str, start: &str) -> RequestInput {
    RequestInput {
        reference: reference.into(),
        direction: "outgoing".into(),
        country: country.into(),
        kind: "evidence".into(),
        legal_basis: "european_mla_1959".into(),
        offence: "fraud".into(),
        start_date: start.into(),
        status: "sent".into(),
        ..Default::default()
    }
}

fn valid(i: &RequestInput) -> ValidRequest {
    i.validate(today(), 90).expect("valid input")
}
