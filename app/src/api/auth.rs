//! Signing in and out, "who am I", and changing one's own password.

use crate::domain::user::PasswordChangeInput;
use crate::domain::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, request_auth, require_before_enrolment, respond, RequestAuth};
#[cfg(feature = "ssr")]
use crate::db::{actor::Actor, audit, users, DbError};
#[cfg(feature = "ssr")]
use crate::domain::{user::LOCKOUT_FAILURES, FieldError, Role};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "rogatory_session";

#[cfg(feature = "ssr")]
fn set_cookie(auth: &RequestAuth, token: Option<&str>) {
    use axum::http::{header::SET_COOKIE, HeaderValue};
    let secure = if auth.secure { "; Secure" } else { "" };
    let value = match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            crate::domain::user::SESSION_ABSOLUTE_SECS
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    if let (Some(options), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value)) {
        options.append_header(SET_COOKIE, v);
    }
}

#[cfg(feature = "ssr")]
fn field(field: &str, message: &str) -> AppError {
    AppError::Validation(vec![FieldError { field: field.into(), message: message.into() }])
}

/// How many passwords are checked at once: each check holds 19 MiB (Argon2id) and a
/// core for a while, so a crowd of sign-ins waits here instead of taking the server's
/// memory. One per core unless the server was told otherwise (`limit_password_checks`).
#[cfg(feature = "ssr")]
static CHECKS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();

#[cfg(feature = "ssr")]
fn checks() -> &'static tokio::sync::Semaphore {
    CHECKS.get_or_init(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)))
}

/// Sets how many password checks may run at once (the server's `--password-checks`),
/// before the first sign-in; later calls change nothing.
#[cfg(feature = "ssr")]
pub fn limit_password_checks(at_once: usize) {
    let _ = CHECKS.set(tokio::sync::Semaphore::new(at_once.max(1)));
}

/// How long a sign-in waits for its turn to be checked before it is told the server is
/// busy.
#[cfg(feature = "ssr")]
const CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Checks a password against an Argon2 hash off the async threads (it is slow on
/// purpose), at most `CHECKS` at a time. Unknown users are checked against a dummy hash
/// so that timing does not tell which user names exist.
#[cfg(feature = "ssr")]
async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    let Ok(Ok(_turn)) = tokio::time::timeout(CHECK_WAIT, checks().acquire()).await else {
        return Err(AppError::TooMany(crate::tr!(errors.server_busy_signing_in).into()));
    };
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY.get_or_init(|| users::hash_password("not a real password at all")).clone());
    let ok = tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok()).await.unwrap_or(false);
    Ok(ok && known)
}

/// Signs in. A new session (and session id) is made at every sign-in. Five failures
/// within 15 minutes lock the account for 15 minutes. An account with two-step sign-in
/// needs `code` too: without it the answer is a field error on `code` (the page then
/// asks for it); a wrong code is a failure like a wrong password.
#[server(endpoint = "login", input = Json)]
pub async fn login(username: String, password: String, #[server(default)] code: Option<String>) -> Result<CurrentUser, AppError> {
    respond(
        async {
            let db = db()?;
            let auth = request_auth();
            let username = username.trim().to_lowercase();
            if username.is_empty() {
                return Err(field("username", crate::tr!(validation.enter_your_user_name)));
            }
            if password.is_empty() {
                return Err(field("password", crate::tr!(validation.enter_your_password)));
            }
            let who = Actor { user_id: None, username: username.clone(), ip: auth.ip.clone() };
            let attempt = users::count_attempt(&db, &username, auth.ip.as_deref()).await?;
            let users::Attempt::Counted(number) = attempt else {
                let mut tx = db.begin_write().await?;
                audit::record(&mut tx, &who, "login.locked", Some("user"), Some(username.clone()), None).await?;
                tx.commit().await.map_err(DbError::from)?;
                return Err(field("password", crate::tr!(validation.too_many_failed_sign_ins_this)));
            };
            let mut conn = db.connection().await?;
            let creds = users::credentials(&mut conn, &username).await?;
            drop(conn);
            let hash = creds.as_ref().map(|c| c.password_hash.clone());
            let password_ok = verify(password, hash).await?;
            let creds = match creds {
                Some(c) if password_ok && !c.disabled => c,
                _ => {
                    // the attempt is counted already
                    let mut tx = db.begin_write().await?;
                    audit_failure(&mut tx, &who, number, None).await?;
                    tx.commit().await.map_err(DbError::from)?;
                    return Err(field("password", crate::tr!(validation.wrong_user_name_or_password)));
                }
            };
            let mut tx = db.begin_write().await?;
            let how = match second_step(&mut tx, &creds.user, code.as_deref()).await? {
                Ok(how) => how,
                Err(missing_or_wrong) => {
                    if missing_or_wrong.is_some() {
                        audit_failure(&mut tx, &who, number, Some(serde_json::json!({ "second_factor": true }))).await?;
                    }
                    tx.commit().await.map_err(DbError::from)?;
                    return Err(field("code", missing_or_wrong.unwrap_or(crate::tr!(second_factor.enter_the_code))));
                }
            };
            users::clear_failures(&mut tx, &username).await?;
            if let Some(old) = &auth.token {
                users::end_session(&mut tx, old).await?;
            }
            let token = users::start_session(&mut tx, creds.user.id, auth.ip.as_deref(), auth.user_agent.as_deref()).await?;
            let actor = Actor { user_id: Some(creds.user.id), ..who };
            audit::record(
                &mut tx,
                &actor,
                "login",
                Some("user"),
                Some(username),
                how.map(|h| serde_json::json!({ "second_factor": h })),
            )
            .await?;
            tx.commit().await.map_err(DbError::from)?;
            set_cookie(&auth, Some(&token));
            Ok(creds.user)
        }
        .await,
    )
}

/// The audit entries of a failed sign-in: `login.failed`, and `account.lockout` when
/// this attempt (`number` within the window) is the one that locks the account.
#[cfg(feature = "ssr")]
async fn audit_failure(
    conn: &mut sqlx::AnyConnection,
    who: &Actor,
    number: i64,
    details: Option<serde_json::Value>,
) -> Result<(), AppError> {
    audit::record(conn, who, "login.failed", Some("user"), Some(who.username.clone()), details).await?;
    if number == LOCKOUT_FAILURES {
        audit::record(conn, who, "account.lockout", Some("user"), Some(who.username.clone()), None).await?;
    }
    Ok(())
}

/// The second step of a sign-in whose password was right: nothing for an account
/// without it (`Ok(None)`), else the code, which is taken (`Ok(Some("app"))` or
/// `Ok(Some("recovery code"))`). `Err(None)`: no code was given; `Err(Some(why))`: a
/// wrong or used code.
#[cfg(feature = "ssr")]
async fn second_step(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    code: Option<&str>,
) -> Result<Result<Option<&'static str>, Option<&'static str>>, AppError> {
    use crate::db::second_factor;
    use crate::domain::second_factor::{parse_code, Code};
    let Some(secret) = second_factor::secret(conn, user.id).await? else { return Ok(Ok(None)) };
    let Some(typed) = code.map(str::trim).filter(|c| !c.is_empty()) else { return Ok(Err(None)) };
    let wrong = Err(Some(crate::tr!(second_factor.wrong_code)));
    Ok(match parse_code(typed) {
        Some(Code::App(digits)) => match super::second_factor::step_of(secret, &user.username, &digits)? {
            Some(step) if second_factor::take_step(conn, user.id, step).await? => Ok(Some("app")),
            _ => wrong,
        },
        Some(Code::Recovery(bare)) if second_factor::use_recovery_code(conn, user.id, &bare).await? => Ok(Some("recovery code")),
        _ => wrong,
    })
}

/// Signs out: the session is destroyed and the cookie cleared.
#[server(endpoint = "logout", input = Json)]
pub async fn logout() -> Result<(), AppError> {
    respond(
        async {
            let db = db()?;
            let auth = request_auth();
            if let Some(token) = &auth.token {
                let mut tx = db.begin_write().await?;
                users::end_session(&mut tx, token).await?;
                if let Some(u) = &auth.user {
                    let actor = Actor { user_id: Some(u.id), username: u.username.clone(), ip: auth.ip.clone() };
                    audit::record(&mut tx, &actor, "logout", Some("user"), Some(u.username.clone()), None).await?;
                }
                tx.commit().await.map_err(DbError::from)?;
            }
            set_cookie(&auth, None);
            Ok(())
        }
        .await,
    )
}

/// The signed-in user, if any.
#[server(endpoint = "current_user", input = Json)]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    Ok(request_auth().user)
}

/// Changes one's own password after re-entering the current one. Every other session
/// of the user ends; this one continues under a new session id.
#[server(endpoint = "change_password", input = Json)]
pub async fn change_password(input: PasswordChangeInput) -> Result<(), AppError> {
    respond(
        async {
            let (user, actor) = require_before_enrolment(Role::Viewer)?;
            input.validate(&user.username).map_err(AppError::Validation)?;
            let db = db()?;
            let auth = request_auth();
            // a wrong current password counts towards the account's lockout, as at sign-in
            if let users::Attempt::Locked = users::count_attempt(&db, &user.username, auth.ip.as_deref()).await? {
                return Err(field("current", crate::tr!(validation.too_many_password_attempts)));
            }
            let mut conn = db.connection().await?;
            let creds = users::credentials_by_id(&mut conn, user.id).await?;
            drop(conn);
            if !verify(input.current.clone(), Some(creds.password_hash)).await? {
                let mut tx = db.begin_write().await?;
                audit::record(&mut tx, &actor, "password.change_failed", Some("user"), Some(user.username.clone()), None).await?;
                tx.commit().await.map_err(DbError::from)?;
                return Err(field("current", crate::tr!(validation.this_is_not_your_current_password)));
            }
            let mut tx = db.begin_write().await?;
            users::clear_failures(&mut tx, &user.username).await?;
            users::set_password(&mut tx, user.id, &input.new).await?;
            let token = users::start_session(&mut tx, user.id, auth.ip.as_deref(), auth.user_agent.as_deref()).await?;
            audit::record(&mut tx, &actor, "password.change", Some("user"), Some(user.username.clone()), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            set_cookie(&auth, Some(&token));
            Ok(())
        }
        .await,
    )
}
