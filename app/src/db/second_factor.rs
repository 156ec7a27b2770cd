//! Two-step sign-in's stored state: each account's TOTP secret (and the one offered
//! while it is being set up), the last step accepted, the recovery codes (hashed), and
//! whether every account must have it.

use super::audit::now_secs;
use super::{hex, DbError, DbResult};
use crate::domain::second_factor::{RECOVERY_ALPHABET, RECOVERY_CODES};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

const REQUIRED: &str = "require_second_factor";

fn random_bytes<const N: usize>() -> DbResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| DbError::Corrupt(format!("no randomness: {e}")))?;
    Ok(bytes)
}

fn code_hash(code: &str) -> String {
    hex(&Sha256::digest(code.as_bytes()))
}

/// A new secret of 160 bits (RFC 4226's recommendation), offered to `user_id` until it
/// is confirmed (`confirm`); replaces any offered before.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn offer_secret(conn: &mut AnyConnection, user_id: i64) -> DbResult<Vec<u8>> {
    let secret = random_bytes::<20>()?.to_vec();
    sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2").bind(hex(&secret)).bind(user_id).execute(&mut *conn).await?;
    Ok(secret)
}

fn unhex(text: &str) -> DbResult<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| text.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| DbError::Corrupt("a two-step secret".into()))
}

/// The secret offered to `user_id` and not yet confirmed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn offered_secret(conn: &mut AnyConnection, user_id: i64) -> DbResult<Option<Vec<u8>>> {
    let text: Option<String> = sqlx::query_scalar("SELECT totp_pending FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    text.map(|t| unhex(&t)).transpose()
}

/// The confirmed secret of `user_id`, if two-step sign-in is on.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn secret(conn: &mut AnyConnection, user_id: i64) -> DbResult<Option<Vec<u8>>> {
    let text: Option<String> = sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    text.map(|t| unhex(&t)).transpose()
}

/// Turns two-step sign-in on with the offered secret, the code of `step` already
/// accepted; returns the new recovery codes (bare, to be shown once).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn confirm(conn: &mut AnyConnection, user_id: i64, step: i64) -> DbResult<Vec<String>> {
    sqlx::query("UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 WHERE id = $2")
        .bind(step)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    new_recovery_codes(conn, user_id).await
}

/// Replaces the recovery codes of `user_id`; returns the new ones (bare).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn new_recovery_codes(conn: &mut AnyConnection, user_id: i64) -> DbResult<Vec<String>> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    while codes.len() < RECOVERY_CODES {
        let code: String =
            random_bytes::<12>()?.iter().map(|b| RECOVERY_ALPHABET[*b as usize % RECOVERY_ALPHABET.len()] as char).collect();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    for code in &codes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(code_hash(code))
            .execute(&mut *conn)
            .await?;
    }
    Ok(codes)
}

/// Takes the code of `step` for `user_id` if no code of this or a later step was taken
/// before (a code is good once, even within its 30 seconds).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn take_step(conn: &mut AnyConnection, user_id: i64, step: i64) -> DbResult<bool> {
    let done =
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
            .bind(step)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses up a recovery code of `user_id` (bare); false if it is not one, or used.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn use_recovery_code(conn: &mut AnyConnection, user_id: i64, code: &str) -> DbResult<bool> {
    let done = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(now_secs())
        .bind(user_id)
        .bind(code_hash(code))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn recovery_codes_left(conn: &mut AnyConnection, user_id: i64) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?)
}

/// Turns two-step sign-in off for `user_id` (by its owner, or an administrator's reset
/// for a lost phone): the secret and the recovery codes go.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn turn_off(conn: &mut AnyConnection, user_id: i64) -> DbResult<()> {
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(())
}

/// Whether every account must sign in in two steps.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn required(conn: &mut AnyConnection) -> DbResult<bool> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(REQUIRED).fetch_optional(&mut *conn).await?;
    Ok(value.as_deref() == Some("true"))
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_required(conn: &mut AnyConnection, on: bool) -> DbResult<()> {
    sqlx::query("UPDATE settings SET value = $1 WHERE key = $2")
        .bind(if on { "true" } else { "false" })
        .bind(REQUIRED)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
