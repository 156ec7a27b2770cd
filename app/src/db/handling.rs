//! The handling of a request: its assignee, executing authority, acknowledgement and
//! clock stops (migration 0024). Each change is one transaction with its timeline entry
//! and audit entry; the changes that move the clock's figures recount the request in the
//! running totals.

use super::actor::Actor;
use super::audit;
use super::decode::{date, ds};
use super::timeline::insert_event;
use super::totals::keep;
use super::{now, Db, DbError, DbResult};
use crate::domain::handling::{Assignee, Clock, ClockStop, Execution, Handling, ValidStop};
use crate::domain::reminders::{next_step, Chased};
use crate::domain::{Direction, EventKind, Status};
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

/// The request's own handling columns.
struct Columns {
    direction: Direction,
    status: Status,
    start_date: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    answered_on: Option<NaiveDate>,
    assignee: Option<Assignee>,
    acknowledged_on: Option<NaiveDate>,
    reminder_step: i64,
    last_reminder_on: Option<NaiveDate>,
}

/// The request's columns the handling reads, with its assignee's name.
async fn columns(conn: &mut AnyConnection, id: i64) -> DbResult<Columns> {
    let r = sqlx::query(
        "SELECT r.direction, r.status, r.start_date, r.due_on, r.answered_on, r.assignee_id, u.display_name, \
         r.acknowledged_on, r.reminder_step, r.last_reminder_on \
         FROM requests r LEFT JOIN users u ON u.id = r.assignee_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(DbError::NotFound("request"))?;
    let direction: String = r.try_get("direction")?;
    let assignee = match (r.try_get::<Option<i64>, _>("assignee_id")?, r.try_get::<Option<String>, _>("display_name")?) {
        (Some(id), Some(name)) => Some(Assignee { id, name }),
        _ => None,
    };
    Ok(Columns {
        direction: super::decode::code("direction", &direction, Direction::from_code)?,
        status: super::decode::status(&r.try_get::<String, _>("status")?)?,
        start_date: date(r.try_get("start_date")?)?,
        due_on: date(r.try_get("due_on")?)?,
        answered_on: date(r.try_get("answered_on")?)?,
        assignee,
        acknowledged_on: date(r.try_get("acknowledged_on")?)?,
        reminder_step: r.try_get("reminder_step")?,
        last_reminder_on: date(r.try_get("last_reminder_on")?)?,
    })
}

/// The request's clock stops, oldest first.
pub(crate) async fn stops_in(conn: &mut AnyConnection, id: i64) -> DbResult<Vec<ClockStop>> {
    let rows =
        sqlx::query("SELECT id, stopped_on, reason, resumed_on FROM clock_stops WHERE request_id = $1 ORDER BY stopped_on, id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            let stopped: String = r.try_get("stopped_on")?;
            Ok(ClockStop {
                id: r.try_get("id")?,
                stopped_on: date(Some(stopped.clone()))?.ok_or_else(|| super::decode::corrupt("stopped_on", &stopped))?,
                reason: r.try_get("reason")?,
                resumed_on: date(r.try_get("resumed_on")?)?,
            })
        })
        .collect()
}

async fn execution_in(conn: &mut AnyConnection, id: i64) -> DbResult<Option<Execution>> {
    let row = sqlx::query("SELECT authority, sent_on, due_on FROM executions WHERE request_id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        let sent: String = r.try_get("sent_on")?;
        Ok(Execution {
            authority: r.try_get("authority")?,
            sent_on: date(Some(sent.clone()))?.ok_or_else(|| super::decode::corrupt("sent_on", &sent))?,
            due_on: date(r.try_get("due_on")?)?,
        })
    })
    .transpose()
}

/// The users a request can be given to: clerks and administrators not disabled.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn assignees(db: &Db) -> DbResult<Vec<Assignee>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users WHERE disabled = 0 AND role IN ('clerk', 'admin') ORDER BY display_name, id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| Assignee { id, name }).collect())
}

/// Everything the request's page shows of its handling.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_request(db: &Db, id: i64, today: NaiveDate) -> DbResult<Handling> {
    let mut conn = db.pool.acquire().await?;
    let c = columns(&mut conn, id).await?;
    let stops = stops_in(&mut conn, id).await?;
    let execution = execution_in(&mut conn, id).await?;
    let schedule = super::reminders::schedule_in(&mut conn).await?;
    drop(conn);
    let chased = Chased {
        direction: c.direction,
        status: c.status,
        due_on: c.due_on,
        reminders_sent: c.reminder_step,
        last_reminder_on: c.last_reminder_on,
    };
    Ok(Handling {
        clock: c.start_date.map(|s| Clock::of(s, c.answered_on, c.acknowledged_on, &stops, today)),
        next_reminder: next_step(&schedule, chased),
        assignee: c.assignee,
        acknowledged_on: c.acknowledged_on,
        execution,
        stops,
        reminders_sent: c.reminder_step,
        assignees: assignees(db).await?,
        today,
    })
}

/// What the handling actions check a request against.
pub struct State {
    pub direction: Direction,
    pub status: Status,
    pub start_date: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub stops: Vec<ClockStop>,
}

/// The request as the handling actions check it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn state(db: &Db, id: i64) -> DbResult<State> {
    let mut conn = db.pool.acquire().await?;
    let c = columns(&mut conn, id).await?;
    let stops = stops_in(&mut conn, id).await?;
    Ok(State { direction: c.direction, status: c.status, start_date: c.start_date, answered_on: c.answered_on, stops })
}

/// A timeline entry and an audit entry for one handling change, by `actor`.
struct Entry<'a> {
    kind: EventKind,
    on_date: Option<NaiveDate>,
    note: Option<&'a str>,
    action: &'a str,
    details: serde_json::Value,
}

async fn record(conn: &mut AnyConnection, id: i64, actor: &Actor, e: Entry<'_>) -> DbResult<()> {
    insert_event(conn, id, e.kind, None, None, e.on_date, e.note, Some(&actor.username), &now()).await?;
    audit::record(conn, actor, e.action, Some("request"), Some(id.to_string()), Some(e.details)).await
}

/// Gives the request to `assignee` (None: to nobody).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn assign(db: &Db, id: i64, assignee: Option<&Assignee>, actor: &Actor) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    let before = columns(&mut tx, id).await?.assignee;
    sqlx::query("UPDATE requests SET assignee_id = $1 WHERE id = $2")
        .bind(assignee.map(|a| a.id))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "before": before, "after": assignee });
    let entry = Entry {
        kind: EventKind::Assigned,
        on_date: None,
        note: assignee.map(|a| a.name.as_str()),
        action: "request.assign",
        details,
    };
    record(&mut tx, id, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records the domestic authority executing an incoming request (replacing any before).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_execution(db: &Db, id: i64, e: &Execution, actor: &Actor) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    let before = execution_in(&mut tx, id).await?;
    sqlx::query(
        "INSERT INTO executions (request_id, authority, sent_on, due_on, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (request_id) DO UPDATE SET authority = excluded.authority, sent_on = excluded.sent_on, \
         due_on = excluded.due_on, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(&e.authority)
    .bind(e.sent_on.to_string())
    .bind(ds(e.due_on))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let entry = Entry {
        kind: EventKind::SentForExecution,
        on_date: Some(e.sent_on),
        note: Some(&e.authority),
        action: "request.execution",
        details: serde_json::json!({ "before": before, "after": e }),
    };
    record(&mut tx, id, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Records (or, with None, clears) the counterpart's acknowledgement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn acknowledge(db: &Db, id: i64, on: Option<NaiveDate>, actor: &Actor) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    let before = columns(&mut tx, id).await?.acknowledged_on;
    keep::remove(&mut tx, id).await?;
    sqlx::query("UPDATE requests SET acknowledged_on = $1 WHERE id = $2").bind(ds(on)).bind(id).execute(&mut *tx).await?;
    keep::add(&mut tx, id).await?;
    let entry = Entry {
        kind: EventKind::Acknowledged,
        on_date: on,
        note: None,
        action: "request.acknowledge",
        details: serde_json::json!({ "before": before, "after": on }),
    };
    record(&mut tx, id, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Stops the request's clock.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn stop_clock(db: &Db, id: i64, stop: &ValidStop, actor: &Actor) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    keep::remove(&mut tx, id).await?;
    sqlx::query("INSERT INTO clock_stops (request_id, stopped_on, reason) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(stop.stopped_on.to_string())
        .bind(&stop.reason)
        .execute(&mut *tx)
        .await?;
    keep::add(&mut tx, id).await?;
    let entry = Entry {
        kind: EventKind::ClockStopped,
        on_date: Some(stop.stopped_on),
        note: Some(&stop.reason),
        action: "request.clock_stop",
        details: serde_json::json!(stop),
    };
    record(&mut tx, id, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Resumes the request's clock stopped by stop `stop_id` on `on`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn resume_clock(db: &Db, id: i64, stop_id: i64, on: NaiveDate, actor: &Actor) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    keep::remove(&mut tx, id).await?;
    let done = sqlx::query("UPDATE clock_stops SET resumed_on = $1 WHERE id = $2 AND request_id = $3 AND resumed_on IS NULL")
        .bind(on.to_string())
        .bind(stop_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(DbError::NotFound("clock stop"));
    }
    keep::add(&mut tx, id).await?;
    let entry = Entry {
        kind: EventKind::ClockResumed,
        on_date: Some(on),
        note: None,
        action: "request.clock_resume",
        details: serde_json::json!({ "stop": stop_id, "resumed_on": on }),
    };
    record(&mut tx, id, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}
