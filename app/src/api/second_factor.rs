//! Two-step sign-in of one's own account (set up, turn off, new recovery codes), an
//! administrator's switches (require it of everyone, reset one account's for a lost
//! phone), and one's own sessions (see them, end them).

use crate::domain::second_factor::{Enrolment, SecondFactorState};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{db, request_auth, require, require_before_enrolment, respond};
#[cfg(feature = "ssr")]
use crate::db::{audit, second_factor, users, DbError};
#[cfg(feature = "ssr")]
use crate::domain::{second_factor::show_recovery_code, FieldError, Role};

/// Who signs in with an app's codes: the TOTP of RFC 6238 as authenticator apps know it
/// (SHA-1, 6 digits, 30 seconds; a step either side is accepted for clocks that drift).
#[cfg(feature = "ssr")]
pub fn totp(secret: Vec<u8>, username: &str) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_issuer(Some("Rogatory"))
        .with_account_name(username.replace(':', "."))
        .build()
        .map_err(|e| AppError::internal("two-step secret", e))
}

/// The 30-second step whose code `code` is, if it is the account's code now.
#[cfg(feature = "ssr")]
pub fn step_of(secret: Vec<u8>, username: &str, code: &str) -> Result<Option<i64>, AppError> {
    Ok(totp(secret, username)?.check_current(code).map(|s| s as i64))
}

#[cfg(feature = "ssr")]
fn code_error(message: &str) -> AppError {
    AppError::Validation(vec![FieldError { field: "code".into(), message: message.into() }])
}

/// Counts an attempt at a code of `user`'s towards the account's lockout, as at sign-in
/// (six digits are guessed in a million tries, and a stolen session must not get them).
#[cfg(feature = "ssr")]
async fn count_code_attempt(db: &crate::db::Db, user: &crate::domain::CurrentUser) -> Result<(), AppError> {
    match users::count_attempt(db, &user.username, request_auth().ip.as_deref()).await? {
        users::Attempt::Locked => Err(code_error(crate::tr!(validation.too_many_failed_sign_ins_this))),
        users::Attempt::Counted(_) => Ok(()),
    }
}

/// Takes a code of `user`'s app (each code once) for a change to their two-step
/// sign-in, counted like a sign-in; a right one forgets the account's failures.
#[cfg(feature = "ssr")]
async fn take_app_code(db: &crate::db::Db, user: &crate::domain::CurrentUser, code: &str) -> Result<(), AppError> {
    count_code_attempt(db, user).await?;
    let mut tx = db.begin_write().await?;
    let Some(secret) = second_factor::secret(&mut tx, user.id).await? else {
        return Err(code_error(crate::tr!(second_factor.not_on)));
    };
    let taken = match step_of(secret, &user.username, code.trim())? {
        Some(step) => second_factor::take_step(&mut tx, user.id, step).await?,
        None => false,
    };
    if taken {
        users::clear_failures(&mut tx, &user.username).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    if taken {
        Ok(())
    } else {
        Err(code_error(crate::tr!(second_factor.wrong_code)))
    }
}

/// One of the signed-in user's sessions as they see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySession {
    /// what names the session to end it (the hash of its token, never the token)
    pub id: String,
    pub ip: Option<String>,
    pub browser: Option<String>,
    /// UTC, RFC 3339
    pub started: String,
    pub last_seen: String,
    /// the session of this page
    pub current: bool,
}

#[server(endpoint = "second_factor_state", input = Json)]
pub async fn get_second_factor_state() -> Result<SecondFactorState, AppError> {
    respond(
        async {
            let (user, _) = require_before_enrolment(Role::Viewer)?;
            let mut conn = db()?.connection().await?;
            Ok(SecondFactorState {
                enabled: user.second_factor,
                recovery_codes_left: second_factor::recovery_codes_left(&mut conn, user.id).await?,
                required: second_factor::required(&mut conn).await?,
            })
        }
        .await,
    )
}

/// Starts setting up two-step sign-in: a new secret, as a QR code and as text.
#[server(endpoint = "begin_enrolment", input = Json)]
pub async fn begin_enrolment() -> Result<Enrolment, AppError> {
    respond(
        async {
            let (user, _) = require_before_enrolment(Role::Viewer)?;
            if user.second_factor {
                return Err(code_error(crate::tr!(second_factor.already_on)));
            }
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let secret = second_factor::offer_secret(&mut tx, user.id).await?;
            tx.commit().await.map_err(DbError::from)?;
            let totp = totp(secret, &user.username)?;
            let url = totp.to_url().map_err(|e| AppError::internal("otpauth url", e))?;
            let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::internal("qr code", e))?;
            let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
            let base32 = totp.secret().to_base32();
            let secret =
                base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).to_string()).collect::<Vec<_>>().join(" ");
            Ok(Enrolment { secret, url, qr_svg })
        }
        .await,
    )
}

/// Finishes setting up with a code from the app; returns the recovery codes, shown once.
#[server(endpoint = "confirm_enrolment", input = Json)]
pub async fn confirm_enrolment(code: String) -> Result<Vec<String>, AppError> {
    respond(
        async {
            let (user, actor) = require_before_enrolment(Role::Viewer)?;
            let db = db()?;
            count_code_attempt(&db, &user).await?;
            let mut tx = db.begin_write().await?;
            let Some(secret) = second_factor::offered_secret(&mut tx, user.id).await? else {
                return Err(code_error(crate::tr!(second_factor.start_again)));
            };
            let Some(step) = step_of(secret, &user.username, code.trim())? else {
                return Err(code_error(crate::tr!(second_factor.wrong_code)));
            };
            users::clear_failures(&mut tx, &user.username).await?;
            let codes = second_factor::confirm(&mut tx, user.id, step).await?;
            audit::record(&mut tx, &actor, "second_factor.on", Some("user"), Some(user.username.clone()), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(codes.iter().map(|c| show_recovery_code(c)).collect())
        }
        .await,
    )
}

/// New recovery codes (the old ones stop working), after a code from the app.
#[server(endpoint = "renew_recovery_codes", input = Json)]
pub async fn renew_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    respond(
        async {
            let (user, actor) = require(Role::Viewer)?;
            let db = db()?;
            take_app_code(&db, &user, &code).await?;
            let mut tx = db.begin_write().await?;
            let codes = second_factor::new_recovery_codes(&mut tx, user.id).await?;
            audit::record(&mut tx, &actor, "second_factor.recovery_codes", Some("user"), Some(user.username.clone()), None)
                .await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(codes.iter().map(|c| show_recovery_code(c)).collect())
        }
        .await,
    )
}

/// Turns one's own two-step sign-in off, after a code from the app (not while an
/// administrator requires it).
#[server(endpoint = "turn_off_second_factor", input = Json)]
pub async fn turn_off_second_factor(code: String) -> Result<(), AppError> {
    respond(
        async {
            let (user, actor) = require(Role::Viewer)?;
            let db = db()?;
            let mut conn = db.connection().await?;
            if second_factor::required(&mut conn).await? {
                return Err(code_error(crate::tr!(second_factor.required_by_admin)));
            }
            drop(conn);
            take_app_code(&db, &user, &code).await?;
            let mut tx = db.begin_write().await?;
            second_factor::turn_off(&mut tx, user.id).await?;
            audit::record(&mut tx, &actor, "second_factor.off", Some("user"), Some(user.username.clone()), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// Requires two-step sign-in of every account, or no longer (administrators).
#[server(endpoint = "set_second_factor_required", input = Json)]
pub async fn set_second_factor_required(on: bool) -> Result<(), AppError> {
    respond(
        async {
            let (user, actor) = require(Role::Admin)?;
            if on && !user.second_factor {
                return Err(AppError::Validation(vec![FieldError {
                    field: "required".into(),
                    message: crate::tr!(second_factor.set_up_yours_first).into(),
                }]));
            }
            let db = db()?;
            let mut tx = db.begin_write().await?;
            second_factor::set_required(&mut tx, on).await?;
            audit::record(&mut tx, &actor, "settings.second_factor", None, None, Some(serde_json::json!({ "required": on })))
                .await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// Resets one account's two-step sign-in (a lost phone): it signs in with its password
/// alone, or sets it up again when it is required (administrators).
#[server(endpoint = "reset_second_factor", input = Json)]
pub async fn reset_second_factor(id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let target = users::credentials_by_id(&mut tx, id).await?.user.username;
            second_factor::turn_off(&mut tx, id).await?;
            users::end_sessions_of(&mut tx, id).await?;
            audit::record(&mut tx, &actor, "second_factor.reset", Some("user"), Some(target), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// One's own live sessions, the newest first.
#[server(endpoint = "my_sessions", input = Json)]
pub async fn my_sessions() -> Result<Vec<MySession>, AppError> {
    respond(
        async {
            let (user, _) = require_before_enrolment(Role::Viewer)?;
            let current = request_auth().token.map(|t| users::token_hash(&t));
            let rows = users::sessions_of(&db()?, user.id).await?;
            let time = |secs: i64| {
                chrono::DateTime::from_timestamp(secs, 0)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default()
            };
            Ok(rows
                .into_iter()
                .map(|s| MySession {
                    current: current.as_deref() == Some(s.token_hash.as_str()),
                    id: s.token_hash,
                    ip: s.ip,
                    browser: s.user_agent,
                    started: time(s.created_at),
                    last_seen: time(s.last_seen_at),
                })
                .collect())
        }
        .await,
    )
}

/// Ends one of one's own sessions (another browser, a forgotten computer).
#[server(endpoint = "end_my_session", input = Json)]
pub async fn end_my_session(id: String) -> Result<(), AppError> {
    respond(
        async {
            let (user, actor) = require_before_enrolment(Role::Viewer)?;
            // a session is named by its token's hash, 64 hexadecimal digits: anything else
            // names none (and never reaches the database, which may refuse its bytes)
            if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(AppError::NotFound(crate::tr!(second_factor.no_such_session).into()));
            }
            let db = db()?;
            let mut tx = db.begin_write().await?;
            if !users::end_own_session(&mut tx, user.id, &id).await? {
                return Err(AppError::NotFound(crate::tr!(second_factor.no_such_session).into()));
            }
            audit::record(&mut tx, &actor, "session.end", Some("user"), Some(user.username.clone()), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}
