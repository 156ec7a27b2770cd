//! The daily e-mail digest: each person's address and language, and the digests sent
//! (one per person and day, claimed before sending).

use super::audit::now_secs;
use super::{Db, DbResult};
use crate::domain::digest::Notifications;
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

/// A person a digest may go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub language: String,
}

/// A person's address (if any) and language.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn notifications(db: &Db, user_id: i64) -> DbResult<Notifications> {
    let row = sqlx::query("SELECT email, language FROM users WHERE id = $1").bind(user_id).fetch_optional(&db.pool).await?;
    let row = row.ok_or(super::DbError::NotFound("User"))?;
    Ok(Notifications { email: row.try_get("email")?, language: row.try_get("language")? })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_notifications(conn: &mut AnyConnection, user_id: i64, n: &Notifications) -> DbResult<()> {
    let done = sqlx::query("UPDATE users SET email = $1, language = $2, updated_at = $3 WHERE id = $4")
        .bind(n.email.as_deref())
        .bind(&n.language)
        .bind(now_secs())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(super::DbError::NotFound("User"));
    }
    Ok(())
}

/// Everyone who can sign in, has an address and has not had the digest of `day` yet,
/// by user name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recipients(db: &Db, day: NaiveDate) -> DbResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, u.email, u.language FROM users u \
         WHERE u.email IS NOT NULL AND u.disabled = 0 \
         AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.user_id = u.id AND d.day = $1) \
         ORDER BY u.username",
    )
    .bind(day.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Recipient {
                user_id: r.try_get("id")?,
                display_name: r.try_get("display_name")?,
                email: r.try_get("email")?,
                language: r.try_get("language")?,
            })
        })
        .collect()
}

/// Claims a person's digest of `day` for sending: true when no one (no other instance,
/// no earlier run) has claimed it yet.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn claim(db: &Db, user_id: i64, day: NaiveDate) -> DbResult<bool> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("INSERT INTO digests (user_id, day, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(day.to_string())
        .bind(now_secs())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// Notes how many items the claimed digest listed once it is sent.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sent(db: &Db, user_id: i64, day: NaiveDate, items: usize) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE digests SET items = $1 WHERE user_id = $2 AND day = $3")
        .bind(items as i64)
        .bind(user_id)
        .bind(day.to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives up a claim (the digest could not be sent), so a later run tries again.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn release(db: &Db, user_id: i64, day: NaiveDate) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM digests WHERE user_id = $1 AND day = $2")
        .bind(user_id)
        .bind(day.to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
