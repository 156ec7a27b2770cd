//! Server functions, one file per resource. Each is thin: check, validate with the
//! shared domain rules, call the data layer, map errors to `AppError`.

pub mod cases;
pub mod requests;

#[cfg(feature = "ssr")]
pub(crate) mod context {
    use crate::db::Db;
    use crate::error::AppError;
    use leptos::prelude::use_context;

    /// The database pool the server put into the request's context.
    pub fn db() -> Result<Db, AppError> {
        use_context::<Db>().ok_or_else(|| AppError::internal("server context", "database pool missing"))
    }

    /// Sets the HTTP status of a failed call, so that clients and logs see 4xx for the
    /// caller's mistakes and 500 only for ours.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(code) = axum::http::StatusCode::from_u16(e.status_code()) {
                    options.set_status(code);
                }
            }
        }
        result
    }
}
