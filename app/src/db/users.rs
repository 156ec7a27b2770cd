//! Accounts, sign-in failures (for the lockout) and sessions.

use super::audit::now_secs;
use super::{Db, DbError, DbResult};
use crate::domain::user::{
    CurrentUser, NewUser, Role, UserRow, LOCKOUT_FAILURES, LOCKOUT_WINDOW_SECS, SESSION_ABSOLUTE_SECS, SESSION_IDLE_SECS,
};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

fn role(code: &str) -> DbResult<Role> {
    super::decode::code("role", code, Role::from_code)
}

/// Hashes a password with Argon2id (the password-auth crate's parameters: 19 MiB, 2
/// passes, 1 lane — OWASP's recommendation).
pub fn hash_password(password: &str) -> String {
    password_auth::generate_hash(password)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(conn: &mut AnyConnection, u: &NewUser) -> DbResult<i64> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(&u.username).fetch_optional(&mut *conn).await?;
    if taken.is_some() {
        return Err(DbError::DuplicateUser(u.username.clone()));
    }
    let hash = hash_password(&u.password);
    let now = now_secs();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, disabled, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(hash)
    .bind(u.role.code())
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// A user with the stored hash, for sign-in.
pub struct Credentials {
    pub user: CurrentUser,
    pub password_hash: String,
    pub disabled: bool,
}

/// Whether a user signs in in two steps, and whether every account must, as columns
/// `second_factor` and `required` (0 or 1) of a query on `users` as `u`.
const SECOND_FACTOR_COLUMNS: &str = "CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS second_factor, \
     CAST(CASE WHEN (SELECT value FROM settings WHERE key = 'require_second_factor') = 'true' THEN 1 ELSE 0 END AS BIGINT) AS required";

fn user_of(r: &sqlx::any::AnyRow) -> DbResult<CurrentUser> {
    let code: String = r.try_get("role")?;
    let second_factor = r.try_get::<i64, _>("second_factor")? != 0;
    Ok(CurrentUser {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: role(&code)?,
        second_factor,
        must_enrol: !second_factor && r.try_get::<i64, _>("required")? != 0,
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn credentials(conn: &mut AnyConnection, username: &str) -> DbResult<Option<Credentials>> {
    let sql = format!("SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.disabled, {SECOND_FACTOR_COLUMNS} FROM users u WHERE u.username = $1");
    let row = sqlx::query(&sql).bind(username).fetch_optional(&mut *conn).await?;
    row.map(|r| {
        Ok(Credentials {
            user: user_of(&r)?,
            password_hash: r.try_get("password_hash")?,
            disabled: r.try_get::<i64, _>("disabled")? != 0,
        })
    })
    .transpose()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn credentials_by_id(conn: &mut AnyConnection, id: i64) -> DbResult<Credentials> {
    let username: Option<String> =
        sqlx::query_scalar("SELECT username FROM users WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    match username {
        Some(u) => credentials(conn, &u).await?.ok_or(DbError::NotFound("User")),
        None => Err(DbError::NotFound("User")),
    }
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(db: &Db) -> DbResult<Vec<UserRow>> {
    let since = now_secs() - LOCKOUT_WINDOW_SECS;
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.disabled, \
         (SELECT COUNT(*) FROM login_failures f WHERE f.username = u.username AND f.at > $1) AS failures, \
         CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS second_factor \
         FROM users u ORDER BY u.username",
    )
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("role")?;
            Ok(UserRow {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                role: role(&code)?,
                disabled: r.try_get::<i64, _>("disabled")? != 0,
                locked: r.try_get::<i64, _>("failures")? >= LOCKOUT_FAILURES,
                second_factor: r.try_get::<i64, _>("second_factor")? != 0,
            })
        })
        .collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_role(conn: &mut AnyConnection, id: i64, r: Role) -> DbResult<()> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(r.code())
        .bind(now_secs())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("User"));
    }
    Ok(())
}

/// Disables (and signs out at once) or enables an account.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_disabled(conn: &mut AnyConnection, id: i64, disabled: bool) -> DbResult<()> {
    let done = sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(disabled as i64)
        .bind(now_secs())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("User"));
    }
    if disabled {
        end_sessions_of(conn, id).await?;
    }
    Ok(())
}

/// Sets a new password; every session of the user ends.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_password(conn: &mut AnyConnection, id: i64, password: &str) -> DbResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash_password(password))
        .bind(now_secs())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    end_sessions_of(conn, id).await
}

/// Counts the admins who can still sign in (the last one may not be demoted or disabled).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn active_admins(conn: &mut AnyConnection) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0").fetch_one(&mut *conn).await?)
}

/// Failed sign-ins of `username` within the lockout window.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recent_failures(conn: &mut AnyConnection, username: &str) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
        .bind(username)
        .bind(now_secs() - LOCKOUT_WINDOW_SECS)
        .fetch_one(&mut *conn)
        .await?)
}

/// An attempt at `username`'s password, counted before the password is checked.
pub enum Attempt {
    /// The account is locked: too many failures within the window; nothing was counted.
    Locked,
    /// Counted as a failure until `clear_failures` forgets it (the password was right):
    /// the attempt's number within the window, from 1.
    Counted(i64),
}

/// Counts an attempt at `username`'s password as a failure before the password is
/// checked, unless the account is locked already. Counting and recording are one
/// transaction that attempts at the same account take in turn (SQLite writes one at a
/// time; PostgreSQL locks the user name for the transaction), so that however many
/// attempts arrive at once, no more than `LOCKOUT_FAILURES` are checked.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_attempt(db: &Db, username: &str, ip: Option<&str>) -> DbResult<Attempt> {
    let mut tx = db.begin_write().await?;
    if db.backend == super::backend::Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))").bind(username).execute(&mut *tx).await?;
    }
    let failures = recent_failures(&mut tx, username).await?;
    if failures >= LOCKOUT_FAILURES {
        return Ok(Attempt::Locked);
    }
    record_failure(&mut tx, username, ip).await?;
    tx.commit().await?;
    Ok(Attempt::Counted(failures + 1))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_failure(conn: &mut AnyConnection, username: &str, ip: Option<&str>) -> DbResult<()> {
    sqlx::query("INSERT INTO login_failures (username, at, ip) VALUES ($1, $2, $3)")
        .bind(username)
        .bind(now_secs())
        .bind(ip)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn clear_failures(conn: &mut AnyConnection, username: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&mut *conn).await?;
    Ok(())
}

/// What a session is stored and named by: the SHA-256 of its token (the token itself
/// is only in the cookie).
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    super::hex(&digest)
}

/// Starts a session for the user; returns the token for the cookie (only its hash is
/// stored).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn start_session(
    conn: &mut AnyConnection,
    user_id: i64,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> DbResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| DbError::Corrupt(format!("no randomness: {e}")))?;
    let token = super::hex(&bytes);
    let now = now_secs();
    let user_agent = user_agent.map(|a| a.chars().filter(|c| !c.is_control()).take(300).collect::<String>());
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now)
    .bind(ip)
    .bind(user_agent)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// The user of a live session, touching its idle timer. A session idle for 30 minutes,
/// older than 12 hours, or of a disabled user is over (and removed).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn session_user(db: &Db, token: &str) -> DbResult<Option<CurrentUser>> {
    let hash = token_hash(token);
    let sql = format!(
        "SELECT s.created_at, s.last_seen_at, u.id, u.username, u.display_name, u.role, u.disabled, {SECOND_FACTOR_COLUMNS} \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
    );
    let row = sqlx::query(&sql).bind(&hash).fetch_optional(&db.pool).await?;
    let Some(r) = row else { return Ok(None) };
    let now = now_secs();
    let created: i64 = r.try_get("created_at")?;
    let seen: i64 = r.try_get("last_seen_at")?;
    let disabled = r.try_get::<i64, _>("disabled")? != 0;
    if disabled || now - seen > SESSION_IDLE_SECS || now - created > SESSION_ABSOLUTE_SECS {
        let mut tx = db.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(&mut *tx).await?;
        tx.commit().await?;
        return Ok(None);
    }
    if now - seen >= 15 {
        // While another write is under way a later call touches it; after five minutes
        // untouched, this one waits its turn (the idle limit is thirty).
        let tx = if now - seen >= 300 { Some(db.begin_write().await?) } else { db.try_begin_write().await? };
        if let Some(mut tx) = tx {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
    }
    Ok(Some(user_of(&r)?))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn end_session(conn: &mut AnyConnection, token: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&mut *conn).await?;
    Ok(())
}

/// A live session as its owner's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The live sessions of `user_id` (neither idle too long nor too old), newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sessions_of(db: &Db, user_id: i64) -> DbResult<Vec<SessionRow>> {
    let now = now_secs();
    Ok(sqlx::query_as(
        "SELECT token_hash, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 AND last_seen_at > $2 AND created_at > $3 ORDER BY created_at DESC",
    )
    .bind(user_id)
    .bind(now - SESSION_IDLE_SECS)
    .bind(now - SESSION_ABSOLUTE_SECS)
    .fetch_all(&db.pool)
    .await?)
}

/// Ends the session named `hash` if it is one of `user_id`'s; whether it was.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn end_own_session(conn: &mut AnyConnection, user_id: i64, hash: &str) -> DbResult<bool> {
    let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn end_sessions_of(conn: &mut AnyConnection, user_id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Test support: ages a session as if `secs` had passed since it was last used and
/// since it was created.
#[cfg(test)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn age_session(db: &Db, token: &str, idle: i64, since_start: i64) -> DbResult<()> {
    let now = now_secs();
    sqlx::query("UPDATE sessions SET last_seen_at = $1, created_at = $2 WHERE token_hash = $3")
        .bind(now - idle)
        .bind(now - since_start)
        .bind(token_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}
