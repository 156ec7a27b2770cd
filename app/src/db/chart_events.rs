//! Events marked on the time charts: kept, listed, removed.

use super::actor::Actor;
use super::audit;
use super::decode::{corrupt, date};
use super::{Db, DbError, DbResult};
use crate::domain::chart_event::{ChartEvent, KeptEvent};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn kept(r: &AnyRow) -> DbResult<KeptEvent> {
    let on: String = r.try_get("on_date")?;
    let countries: String = r.try_get("countries")?;
    Ok(KeptEvent {
        id: r.try_get("id")?,
        event: ChartEvent {
            on_date: date(Some(on.clone()))?.ok_or_else(|| corrupt("date", &on))?,
            title: r.try_get("title")?,
            countries: countries.split_whitespace().map(str::to_string).collect(),
        },
    })
}

/// Keeps an event, with its audit entry; returns its id.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add(conn: &mut AnyConnection, e: &ChartEvent, actor: &Actor) -> DbResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO chart_events (on_date, title, countries, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(e.on_date.to_string())
    .bind(&e.title)
    .bind(e.countries.join(" "))
    .bind(&actor.username)
    .bind(super::now())
    .fetch_one(&mut *conn)
    .await?;
    let details = serde_json::json!({ "on_date": e.on_date, "title": e.title, "countries": e.countries });
    audit::record(conn, actor, "chart_event.add", Some("chart_event"), Some(id.to_string()), Some(details)).await?;
    Ok(id)
}

/// Removes an event, with its audit entry.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(conn: &mut AnyConnection, id: i64, actor: &Actor) -> DbResult<()> {
    let done = sqlx::query("DELETE FROM chart_events WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("Event"));
    }
    audit::record(conn, actor, "chart_event.remove", Some("chart_event"), Some(id.to_string()), None).await
}

/// Every event, by day.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn all(db: &Db) -> DbResult<Vec<KeptEvent>> {
    let rows =
        sqlx::query("SELECT id, on_date, title, countries FROM chart_events ORDER BY on_date, id").fetch_all(&db.pool).await?;
    rows.iter().map(kept).collect()
}

/// The events from `from` to `to` (both included; None: no limit) that concern `country`
/// (None: every event), by day.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn between(
    db: &Db,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    country: Option<&str>,
) -> DbResult<Vec<ChartEvent>> {
    let rows = sqlx::query(
        "SELECT id, on_date, title, countries FROM chart_events WHERE on_date >= $1 AND on_date <= $2 ORDER BY on_date, id",
    )
    .bind(from.map(|d| d.to_string()).unwrap_or_default())
    .bind(to.map(|d| d.to_string()).unwrap_or_else(|| "9999".into()))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(kept)
        .collect::<DbResult<Vec<_>>>()?
        .into_iter()
        .map(|k| k.event)
        .filter(|e| e.concerns(country))
        .collect())
}
