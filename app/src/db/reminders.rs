//! The office's reminder schedule and each request's next step (`requests.next_reminder_on`,
//! kept after every write of a request by `totals::keep::add`, and for every request when
//! the schedule changes). The rule is `domain::reminders::next_step`; the SQL here
//! mirrors it (a test checks they agree).

use super::actor::Actor;
use super::audit;
use super::backend::Backend;
use super::conditions::OPEN;
use super::{Db, DbResult};
use crate::domain::reminders::Step;
use crate::domain::Direction;
use sqlx::AnyConnection;

/// The next step's date of request `r`, or NULL: `domain::reminders::next_step`.
fn next_on(backend: Backend) -> String {
    let outgoing = Direction::Outgoing.code();
    let add = match backend {
        Backend::Sqlite => "date(COALESCE(r.last_reminder_on, r.due_on), '+' || s.after_days || ' days')",
        Backend::Postgres => {
            "to_char(CAST(COALESCE(r.last_reminder_on, r.due_on) AS DATE) + CAST(s.after_days AS INTEGER), 'YYYY-MM-DD')"
        }
    };
    format!(
        "CASE WHEN r.direction = '{outgoing}' AND r.status IN {OPEN} AND r.due_on IS NOT NULL \
         THEN (SELECT {add} FROM reminder_steps s WHERE s.step = r.reminder_step + 1) END"
    )
}

/// Settles `next_reminder_on` of the requests `r` matching `cond` (only rows it changes
/// are written).
pub(crate) fn refresh(backend: Backend, cond: &str) -> String {
    let next = next_on(backend);
    let differs = match backend {
        Backend::Sqlite => "IS NOT",
        Backend::Postgres => "IS DISTINCT FROM",
    };
    format!("UPDATE requests AS r SET next_reminder_on = {next} WHERE {cond} AND r.next_reminder_on {differs} {next}")
}

/// The schedule, step by step.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn schedule(db: &Db) -> DbResult<Vec<Step>> {
    schedule_in(&mut *db.pool.acquire().await?).await
}

pub(crate) async fn schedule_in(conn: &mut AnyConnection) -> DbResult<Vec<Step>> {
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT step, after_days, action FROM reminder_steps ORDER BY step").fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(step, after_days, action)| Step { step, after_days, action }).collect())
}

/// Replaces the schedule and moves every request's next step to it, in one transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_schedule(db: &Db, steps: &[Step], actor: &Actor) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    let before = schedule_in(&mut tx).await?;
    sqlx::query("DELETE FROM reminder_steps").execute(&mut *tx).await?;
    for s in steps {
        sqlx::query("INSERT INTO reminder_steps (step, after_days, action) VALUES ($1, $2, $3)")
            .bind(s.step)
            .bind(s.after_days)
            .bind(&s.action)
            .execute(&mut *tx)
            .await?;
    }
    let cond = format!("r.direction = '{}' AND r.status IN {OPEN}", Direction::Outgoing.code());
    sqlx::query(&refresh(db.backend, &cond)).execute(&mut *tx).await?;
    let details = serde_json::json!({ "before": before, "after": steps });
    audit::record(&mut tx, actor, "settings.reminders", Some("settings"), None, Some(details)).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts the reminders on the timelines of requests `ids` as the schedule's steps taken
/// (requests written with their timelines in bulk: the demo's); `totals::add_many` then
/// settles their next step.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_logged(conn: &mut AnyConnection, ids: &[i64]) -> DbResult<()> {
    let reminder = crate::domain::EventKind::Reminder.code();
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "UPDATE requests SET \
             reminder_step = (SELECT COUNT(*) FROM request_events e WHERE e.request_id = requests.id AND e.kind = '{reminder}'), \
             last_reminder_on = (SELECT MAX(e.on_date) FROM request_events e WHERE e.request_id = requests.id AND e.kind = '{reminder}') \
             WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Counts a reminder dated `date` as the schedule's next step taken.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn step_taken(conn: &mut AnyConnection, backend: Backend, id: i64, date: chrono::NaiveDate) -> DbResult<()> {
    let last: Option<String> =
        sqlx::query_scalar("SELECT last_reminder_on FROM requests WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
    let date = date.to_string();
    let last = last.filter(|l| *l > date).unwrap_or(date);
    sqlx::query("UPDATE requests SET reminder_step = reminder_step + 1, last_reminder_on = $1 WHERE id = $2")
        .bind(last)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&refresh(backend, "r.id = $1")).bind(id).execute(&mut *conn).await?;
    Ok(())
}
