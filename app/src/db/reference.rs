//! Reference data and settings: legal bases and the office's answer period.

use super::{Db, DbResult};
use crate::domain::request::DEFAULT_ANSWER_PERIOD_DAYS;
use crate::domain::LegalBasis;
use sqlx::Row;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn legal_bases(db: &Db) -> DbResult<Vec<LegalBasis>> {
    let rows = sqlx::query("SELECT code, label FROM legal_bases ORDER BY position, label").fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok(LegalBasis { code: r.try_get("code")?, label: r.try_get("label")? })).collect()
}

/// The office's answer period in days (the default due date is start + this).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn answer_period_days(db: &Db) -> DbResult<u32> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind("answer_period_days")
        .fetch_optional(&db.pool)
        .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_ANSWER_PERIOD_DAYS))
}
