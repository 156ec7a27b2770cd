//! Server functions, one file per resource. Each is thin: check, validate with the
//! shared domain rules, call the data layer, map errors to `AppError`.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod cases;
pub mod chart_events;
pub mod custody;
pub mod documents;
pub mod groups;
pub mod handling;
pub mod import;
pub mod notifications;
pub mod persons;
pub mod policy;
pub mod requests;
pub mod second_factor;
pub mod stats;

#[cfg(feature = "ssr")]
pub mod context {
    use crate::db::actor::Actor;
    use crate::db::Db;
    use crate::domain::{CurrentUser, Role};
    use crate::error::AppError;
    use leptos::prelude::use_context;

    /// What the server's gate learnt about the caller; it is put into the request's
    /// extensions before any page or server function runs.
    #[derive(Debug, Clone, Default)]
    pub struct RequestAuth {
        pub user: Option<CurrentUser>,
        /// the session cookie's token, to end the session at sign-out or sign-in
        pub token: Option<String>,
        pub ip: Option<String>,
        /// the browser's User-Agent, for the list of one's sessions
        pub user_agent: Option<String>,
        /// mark cookies Secure (served over HTTPS)
        pub secure: bool,
    }

    pub fn request_auth() -> RequestAuth {
        use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<RequestAuth>().cloned()).unwrap_or_default()
    }

    /// The signed-in user with at least `role`, and the actor for the audit trail. A user
    /// who must set up two-step sign-in first is refused (`require_before_enrolment`
    /// serves what they may do until then).
    pub fn require(role: Role) -> Result<(CurrentUser, Actor), AppError> {
        let (user, actor) = require_before_enrolment(role)?;
        if user.must_enrol {
            return Err(AppError::SecondFactorFirst);
        }
        Ok((user, actor))
    }

    /// `require` for what is open to a user who must still set up two-step sign-in:
    /// setting it up, their password and sessions (`policy::OPEN_BEFORE_ENROLMENT`).
    pub fn require_before_enrolment(role: Role) -> Result<(CurrentUser, Actor), AppError> {
        let auth = request_auth();
        let user = auth.user.ok_or(AppError::Unauthenticated)?;
        if !user.can(role) {
            return Err(AppError::Forbidden);
        }
        let actor = Actor { user_id: Some(user.id), username: user.username.clone(), ip: auth.ip };
        Ok((user, actor))
    }

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
