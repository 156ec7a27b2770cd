//! Measures taken on assets under a request: kept, listed, removed, and read for the
//! statistics pack.

use super::actor::Actor;
use super::audit;
use super::decode::{code, corrupt, date};
use super::{Db, DbError, DbResult};
use crate::domain::assets::{AssetMeasure, AssetStage, KeptMeasure};
use crate::domain::{Direction, Kind};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn measure(r: &AnyRow) -> DbResult<AssetMeasure> {
    let taken_on: String = r.try_get("taken_on")?;
    Ok(AssetMeasure {
        stage: code("asset stage", &r.try_get::<String, _>("stage")?, AssetStage::from_code)?,
        amount_cents: r.try_get("amount_cents")?,
        currency: r.try_get("currency")?,
        taken_on: date(Some(taken_on.clone()))?.ok_or_else(|| corrupt("date", &taken_on))?,
        note: r.try_get("note")?,
    })
}

/// The request's start date and kind, or NotFound.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn request_start(conn: &mut AnyConnection, request_id: i64) -> DbResult<(Option<NaiveDate>, Kind)> {
    let row = sqlx::query("SELECT start_date, kind FROM requests WHERE id = $1")
        .bind(request_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(DbError::NotFound("Request"))?;
    Ok((date(row.try_get("start_date")?)?, code("kind", &row.try_get::<String, _>("kind")?, Kind::from_code)?))
}

/// Keeps a measure on the request's assets, with its audit entry; returns its id.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add(conn: &mut AnyConnection, request_id: i64, m: &AssetMeasure, actor: &Actor) -> DbResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO asset_measures (request_id, stage, amount_cents, currency, taken_on, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(request_id)
    .bind(m.stage.code())
    .bind(m.amount_cents)
    .bind(&m.currency)
    .bind(m.taken_on.to_string())
    .bind(m.note.clone())
    .bind(super::now())
    .fetch_one(&mut *conn)
    .await?;
    let details = serde_json::json!({
        "request_id": request_id, "stage": m.stage.code(), "amount_cents": m.amount_cents,
        "currency": m.currency, "taken_on": m.taken_on,
    });
    audit::record(conn, actor, "assets.add", Some("asset_measure"), Some(id.to_string()), Some(details)).await?;
    Ok(id)
}

/// Removes a measure of the request (one recorded by mistake), with its audit entry.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(conn: &mut AnyConnection, request_id: i64, id: i64, actor: &Actor) -> DbResult<()> {
    let done = sqlx::query("DELETE FROM asset_measures WHERE id = $1 AND request_id = $2")
        .bind(id)
        .bind(request_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("Measure on assets"));
    }
    let details = serde_json::json!({ "request_id": request_id });
    audit::record(conn, actor, "assets.remove", Some("asset_measure"), Some(id.to_string()), Some(details)).await
}

/// The measures of a request, in the order they were taken.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_request(db: &Db, request_id: i64) -> DbResult<Vec<KeptMeasure>> {
    let rows = sqlx::query(
        "SELECT id, stage, amount_cents, currency, taken_on, note FROM asset_measures \
         WHERE request_id = $1 ORDER BY taken_on, id",
    )
    .bind(request_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| Ok(KeptMeasure { id: r.try_get("id")?, measure: measure(r)? })).collect()
}

/// Every measure taken from `from` to `to` (both included), with its request's direction
/// (drafts aside).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn taken_between(db: &Db, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<(Direction, AssetMeasure)>> {
    let rows = sqlx::query(
        "SELECT r.direction, m.stage, m.amount_cents, m.currency, m.taken_on, m.note \
         FROM asset_measures m JOIN requests r ON r.id = m.request_id \
         WHERE m.taken_on >= $1 AND m.taken_on <= $2 AND r.status <> 'draft'",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((code("direction", &r.try_get::<String, _>("direction")?, Direction::from_code)?, measure(r)?)))
        .collect()
}
