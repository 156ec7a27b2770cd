//! A request's timeline (`request_events`): its entries written one at a time or many to
//! a statement, and read back.

use super::decode::{code, date, ds, status};
use super::sql::INSERT_BATCH;
use super::{Db, DbResult};
use crate::domain::person::PersonEvent;
use crate::domain::{Event, EventKind, Status};
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

/// Appends one entry to a request's timeline.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_event(
    conn: &mut AnyConnection,
    request_id: i64,
    kind: EventKind,
    from: Option<Status>,
    to: Option<Status>,
    on_date: Option<NaiveDate>,
    note: Option<&str>,
    user: Option<&str>,
    created_at: &str,
) -> DbResult<()> {
    insert_events(conn, &[NewEvent { request_id, kind, from, to, on_date, note, user }], created_at).await
}

/// A timeline entry to write (`insert_events`).
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    pub request_id: i64,
    pub kind: EventKind,
    pub from: Option<Status>,
    pub to: Option<Status>,
    pub on_date: Option<NaiveDate>,
    pub note: Option<&'a str>,
    pub user: Option<&'a str>,
}

/// `VALUES` groups for `rows` rows of `width` parameters each, numbered from $1.
fn values(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends timeline entries, `INSERT_BATCH` to a statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_events(conn: &mut AnyConnection, events: &[NewEvent<'_>], created_at: &str) -> DbResult<()> {
    let events: Vec<(NewEvent, &str)> = events.iter().map(|e| (*e, created_at)).collect();
    insert_events_at(conn, &events).await
}

/// `insert_events`, each entry with its own time of writing.
pub(crate) async fn insert_events_at(conn: &mut AnyConnection, events: &[(NewEvent<'_>, &str)]) -> DbResult<()> {
    for batch in events.chunks(INSERT_BATCH) {
        let sql = format!(
            "INSERT INTO request_events (request_id, kind, from_status, to_status, on_date, note, user_name, created_at) VALUES {}",
            values(batch.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (e, created_at) in batch {
            q = q
                .bind(e.request_id)
                .bind(e.kind.code())
                .bind(e.from.map(|s| s.code()))
                .bind(e.to.map(|s| s.code()))
                .bind(ds(e.on_date))
                .bind(e.note)
                .bind(e.user)
                .bind(*created_at);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An event as read from `request_events`.
fn event_of(r: &sqlx::any::AnyRow) -> DbResult<Event> {
    let kind: String = r.try_get("kind")?;
    let from: Option<String> = r.try_get("from_status")?;
    let to: Option<String> = r.try_get("to_status")?;
    Ok(Event {
        id: r.try_get("id")?,
        kind: code("event kind", &kind, EventKind::from_code)?,
        from_status: from.as_deref().map(status).transpose()?,
        to_status: to.as_deref().map(status).transpose()?,
        on_date: date(r.try_get("on_date")?)?,
        note: r.try_get("note")?,
        user_name: r.try_get("user_name")?,
        created_at: r.try_get("created_at")?,
    })
}

/// The timeline of a request, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn events(db: &Db, id: i64) -> DbResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT id, kind, from_status, to_status, on_date, note, user_name, created_at FROM request_events \
         WHERE request_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(event_of).collect()
}

/// The events of every request concerning a person, newest first, each with its
/// request's id and reference.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn events_of_person(db: &Db, person_id: i64) -> DbResult<Vec<PersonEvent>> {
    let rows = sqlx::query(
        "SELECT e.id, e.kind, e.from_status, e.to_status, e.on_date, e.note, e.user_name, e.created_at, \
         r.id AS request_id, r.reference FROM request_persons rp JOIN requests r ON r.id = rp.request_id \
         JOIN request_events e ON e.request_id = r.id WHERE rp.person_id = $1 \
         ORDER BY COALESCE(e.on_date, substr(e.created_at, 1, 10)) DESC, e.id DESC",
    )
    .bind(person_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PersonEvent { request_id: r.try_get("request_id")?, reference: r.try_get("reference")?, event: event_of(r)? })
        })
        .collect()
}
