//! The data-access layer (server only): the pool, and the queries of each resource.
//! SQL lives here and nowhere else; business rules live in `domain`.
//! Queries use `$n` placeholders and portable SQL through sqlx's `Any` driver, so the
//! same code serves SQLite (default) and PostgreSQL.

pub mod actor;
pub mod assets;
pub mod audit;
pub mod backend;
pub mod cases;
pub mod chart_events;
pub(crate) mod conditions;
pub mod countries;
pub mod creation;
pub mod csv_io;
pub mod custody;
pub mod dashboard;
mod decode;
pub mod digest;
pub mod documents;
pub mod groups;
pub mod handling;
pub mod import;
pub mod list;
pub mod person_csv;
pub mod persons;
pub mod pool;
pub mod reference;
pub mod reminders;
pub mod requests;
pub(crate) mod schema;
#[cfg(any(test, feature = "test-support"))]
pub mod scratch;
pub mod search;
pub mod second_factor;
mod sql;
mod start;
pub mod statistics;
pub mod term_rarity;
pub mod timeline;
pub mod totals;
pub mod users;
pub mod work;

pub use backend::Backend;
pub use pool::{Db, Fold, WriteTx, WAL_FOLD_BYTES};
pub use sql::INSERT_BATCH;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("duplicate group {0}")]
    DuplicateGroup(String),
    #[error("duplicate user {0}")]
    DuplicateUser(String),
    #[error("duplicate reference {0}")]
    DuplicateReference(String),
    #[error("unknown legal basis")]
    UnknownLegalBasis,
    #[error("new case without a title")]
    CaseTitleMissing,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("a file over {max} bytes")]
    TooLarge { max: u64 },
    #[error("the translated document is not one of the same request or case")]
    NotTranslatable,
    #[error("stale version; current is {current_version}")]
    Conflict { current_version: i64 },
    #[error("the write failed: {0}")]
    WriteFailed(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

pub type DbResult<T> = Result<T, DbError>;

/// The current UTC time as stored in `created_at` / `updated_at` columns.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `bytes` in lower-case hexadecimal (tokens, digests, the audit trail's hashes).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A date the server was told to take for today (`serve --today`), if any.
static FIXED_TODAY: std::sync::OnceLock<chrono::NaiveDate> = std::sync::OnceLock::new();

/// Makes `today()` answer `date` from now on (once per process; later calls are ignored).
pub fn fix_today(date: chrono::NaiveDate) {
    let _ = FIXED_TODAY.set(date);
}

/// Today's date for the derived "overdue" flag, custody deadlines and "not in the
/// future" checks: the fixed date if one was set, else the local date.
pub fn today() -> chrono::NaiveDate {
    FIXED_TODAY.get().copied().unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(test)]
mod structure_tests;
#[cfg(test)]
pub mod tests;
