//! The one error type of the server functions: what a person may be told. Internal
//! failures are logged on the server with a correlation id and shown only as that id.

use crate::domain::FieldError;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// Some fields are wrong; each error names its field.
    Validation(Vec<FieldError>),
    NotFound(String),
    /// Someone else changed the record first (optimistic concurrency), or a unique key
    /// is taken.
    Conflict(String),
    Unauthenticated,
    Forbidden,
    /// Two-step sign-in is required of every account and the caller's is not set up.
    SecondFactorFirst,
    /// The call itself was malformed (missing or undecodable arguments).
    BadRequest(String),
    /// Too many calls of this kind (sign-ins from one address, password checks at
    /// once): try again a little later.
    TooMany(String),
    /// Logged on the server under this correlation id.
    Internal(String),
    /// The browser could not reach the server or read its answer.
    Transport(String),
}

/// What the person reads, in the language of the page (or of the call).
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            AppError::Validation(_) => crate::tr!(errors.validation).to_string(),
            AppError::NotFound(m) | AppError::Conflict(m) | AppError::TooMany(m) => m.clone(),
            AppError::Unauthenticated => crate::tr!(errors.unauthenticated).to_string(),
            AppError::Forbidden => crate::tr!(errors.forbidden).to_string(),
            AppError::SecondFactorFirst => crate::tr!(errors.second_factor_first).to_string(),
            AppError::BadRequest(m) => crate::tr!(errors.bad_request, detail = m),
            AppError::Internal(id) => crate::tr!(errors.internal, reference = id),
            AppError::Transport(m) => crate::tr!(errors.transport, detail = m),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for AppError {}

/// Refusals the server's gate gives before any server function runs, in the language of
/// the request (`lang::of_request`).
impl AppError {
    pub fn too_large(locale: crate::i18n::Locale) -> AppError {
        AppError::BadRequest(crate::i18n::td_string!(locale, errors.too_large).to_string())
    }

    pub fn too_many_sign_ins(locale: crate::i18n::Locale) -> AppError {
        AppError::TooMany(crate::i18n::td_string!(locale, errors.too_many_sign_in_attempts).to_string())
    }

    pub fn post_only(locale: crate::i18n::Locale) -> AppError {
        AppError::BadRequest(crate::i18n::td_string!(locale, errors.post_only).to_string())
    }
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
            AppError::Forbidden | AppError::SecondFactorFirst => 403,
            AppError::BadRequest(_) => 400,
            AppError::TooMany(_) => 429,
            AppError::Internal(_) | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => AppError::BadRequest(m),
            // on the server, what cannot be decoded is the call's arguments: the caller's fault
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
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
                    message: crate::tr!(errors.duplicate_reference, reference = r),
                }]),
                DbError::DuplicateGroup(g) => AppError::Validation(vec![crate::domain::FieldError {
                    field: "name".into(),
                    message: crate::tr!(errors.duplicate_group, name = g),
                }]),
                DbError::DuplicateUser(u) => AppError::Validation(vec![crate::domain::FieldError {
                    field: "username".into(),
                    message: crate::tr!(errors.duplicate_user, name = u),
                }]),
                DbError::UnknownLegalBasis => AppError::Validation(vec![crate::domain::FieldError {
                    field: "legal_basis".into(),
                    message: crate::tr!(errors.unknown_legal_basis).into(),
                }]),
                DbError::CaseTitleMissing => AppError::Validation(vec![crate::domain::FieldError {
                    field: "case_title".into(),
                    message: crate::tr!(errors.case_title_missing).into(),
                }]),
                DbError::NotFound(what) => AppError::NotFound(
                    match what {
                        "Request" => crate::tr!(errors.request_not_found),
                        "Case" => crate::tr!(errors.case_not_found),
                        "User" => crate::tr!(errors.user_not_found),
                        "Country group" => crate::tr!(errors.group_not_found),
                        _ => crate::tr!(errors.record_not_found),
                    }
                    .to_string(),
                ),
                DbError::TooLarge { max } => AppError::Validation(vec![crate::domain::FieldError {
                    field: "file".into(),
                    message: crate::tr!(errors.file_too_large, mb = max / (1024 * 1024)),
                }]),
                DbError::NotTranslatable => AppError::Validation(vec![crate::domain::FieldError {
                    field: "translation_of".into(),
                    message: crate::tr!(validation.choose_the_translated_document).into(),
                }]),
                DbError::Conflict { current_version } => {
                    AppError::Conflict(crate::tr!(errors.conflict, version = current_version))
                }
                DbError::Sqlx(e) => AppError::internal("database", e),
                DbError::Corrupt(m) => AppError::internal("stored data", m),
                DbError::WriteFailed(m) => AppError::internal("database", m),
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::correlation_id;
