//! The one error type of the server functions: what a person may be told. Internal
//! failures are logged on the server with a correlation id and shown only as that id.

use crate::domain::FieldError;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Some fields are wrong; each error names its field.
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    NotFound(String),
    /// Someone else changed the record first (optimistic concurrency), or a unique key
    /// is taken.
    #[error("{0}")]
    Conflict(String),
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("You are not allowed to do this.")]
    Forbidden,
    /// The call itself was malformed (missing or undecodable arguments).
    #[error("The request could not be understood: {0}")]
    BadRequest(String),
    /// Logged on the server under this correlation id.
    #[error("Something went wrong on the server (reference {0}). Please try again; if it keeps happening, give this reference to your administrator.")]
    Internal(String),
    /// The browser could not reach the server or read its answer.
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) => errors,
            _ => &[],
        }
    }

    /// The HTTP status the server answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::BadRequest(_) => 400,
            AppError::Internal(_) | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => AppError::BadRequest(m),
            ServerFnErrorErr::Request(m) => AppError::Transport(m),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use crate::db::DbError;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A short id that ties what a person sees to the server log line.
    pub fn correlation_id() -> String {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32).rotate_left(7))
            .unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        format!("{:08x}", nanos.wrapping_mul(2654435761).wrapping_add(n))
    }

    impl AppError {
        /// Logs an internal failure and returns what the person sees.
        pub fn internal(context: &str, error: impl std::fmt::Display) -> AppError {
            let id = correlation_id();
            tracing::error!(correlation_id = %id, "{context}: {error}");
            AppError::Internal(id)
        }
    }

    impl From<DbError> for AppError {
        fn from(e: DbError) -> Self {
            match e {
                DbError::DuplicateReference(r) => AppError::Validation(vec![crate::domain::FieldError {
                    field: "reference".into(),
                    message: format!("A request with the registry number {r} already exists."),
                }]),
                DbError::DuplicateGroup(g) => AppError::Validation(vec![crate::domain::FieldError {
                    field: "name".into(),
                    message: format!("A group named {g} exists already."),
                }]),
                DbError::DuplicateUser(u) => AppError::Validation(vec![crate::domain::FieldError {
                    field: "username".into(),
                    message: format!("The user name {u} is taken."),
                }]),
                DbError::UnknownLegalBasis => AppError::Validation(vec![crate::domain::FieldError {
                    field: "legal_basis".into(),
                    message: "Choose a legal basis from the list.".into(),
                }]),
                DbError::CaseTitleMissing => AppError::Validation(vec![crate::domain::FieldError {
                    field: "case_title".into(),
                    message: "This is a new case: enter its title.".into(),
                }]),
                DbError::NotFound(what) => AppError::NotFound(format!("{what} not found.")),
                DbError::Conflict { current_version } => AppError::Conflict(format!(
                    "Someone else saved this request while you were working on it (it is now at version {current_version}). \
                     Nothing of yours was saved and your changes are still here: open the request in a new tab to see \
                     the current data, then save again."
                )),
                DbError::Sqlx(e) => AppError::internal("database", e),
                DbError::Corrupt(m) => AppError::internal("stored data", m),
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::correlation_id;
