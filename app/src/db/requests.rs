//! Requests: create, read, edit (optimistic concurrency), status changes, reminders,
//! the timeline, and the filtered, sorted, keyset-paginated list.

use super::audit::{self, Actor};
use super::sql::{Param, Sql};
use super::{cases, now, schema, tally, Db, DbError, DbResult};
use crate::domain::filter::{Cursor, ListParams, RequestPage, SortColumn, StatusFilter, PAGE_SIZE};
use crate::domain::status::is_overdue;
use crate::domain::request::reference_key;
use crate::domain::{
    Direction, Event, EventKind, Kind, Offence, RefusalGround, Reminder, Request, RequestRow, Status, StatusChange,
    ValidRequest,
};
use chrono::{Days, NaiveDate};
use sqlx::{AnyConnection, Row};

use super::tally::OPEN;

fn corrupt(what: &str, value: &str) -> DbError {
    DbError::Corrupt(format!("{what} {value:?}"))
}

fn date(value: Option<String>) -> DbResult<Option<NaiveDate>> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<NaiveDate>().map_err(|_| corrupt("date", &v)))
        .transpose()
}

fn ds(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn status(v: &str) -> DbResult<Status> {
    Status::from_code(v).ok_or_else(|| corrupt("status", v))
}

#[derive(sqlx::FromRow)]
struct RequestRecord {
    id: i64,
    reference: String,
    their_reference: Option<String>,
    direction: String,
    country: String,
    counterpart_authority: Option<String>,
    kind: String,
    legal_basis: String,
    legal_basis_label: Option<String>,
    legal_basis_note: Option<String>,
    offence: String,
    case_id: Option<i64>,
    case_number: Option<String>,
    case_title: Option<String>,
    summary: Option<String>,
    urgent: i64,
    start_date: Option<String>,
    due_on: Option<String>,
    status: String,
    answered_on: Option<String>,
    refusal_ground: Option<String>,
    refusal_note: Option<String>,
    version: i64,
    created_at: String,
    updated_at: String,
}

impl TryFrom<RequestRecord> for Request {
    type Error = DbError;

    fn try_from(r: RequestRecord) -> DbResult<Request> {
        Ok(Request {
            direction: Direction::from_code(&r.direction).ok_or_else(|| corrupt("direction", &r.direction))?,
            kind: Kind::from_code(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?,
            offence: Offence::from_code(&r.offence).ok_or_else(|| corrupt("offence", &r.offence))?,
            status: status(&r.status)?,
            refusal_ground: match r.refusal_ground.as_deref() {
                None | Some("") => None,
                Some(g) => Some(RefusalGround::from_code(g).ok_or_else(|| corrupt("refusal ground", g))?),
            },
            start_date: date(r.start_date)?,
            due_on: date(r.due_on)?,
            answered_on: date(r.answered_on)?,
            id: r.id,
            reference: r.reference,
            their_reference: r.their_reference,
            country: r.country,
            counterpart_authority: r.counterpart_authority,
            legal_basis_label: r.legal_basis_label.unwrap_or_else(|| r.legal_basis.clone()),
            legal_basis: r.legal_basis,
            legal_basis_note: r.legal_basis_note,
            case_id: r.case_id,
            case_number: r.case_number,
            case_title: r.case_title,
            summary: r.summary,
            urgent: r.urgent != 0,
            refusal_note: r.refusal_note,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT_REQUEST: &str = "SELECT r.id, r.reference, r.their_reference, r.direction, r.country, \
    r.counterpart_authority, r.kind, r.legal_basis, lb.label AS legal_basis_label, r.legal_basis_note, r.offence, \
    r.case_id, c.number AS case_number, c.title AS case_title, r.summary, r.urgent, r.start_date, r.due_on, \
    r.status, r.answered_on, r.refusal_ground, r.refusal_note, r.version, r.created_at, r.updated_at \
    FROM requests r LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN legal_bases lb ON lb.code = r.legal_basis";

pub async fn get(db: &Db, id: i64) -> DbResult<Request> {
    let mut conn = db.pool.acquire().await?;
    get_in(&mut conn, id).await
}

async fn get_in(conn: &mut AnyConnection, id: i64) -> DbResult<Request> {
    let record: Option<RequestRecord> = sqlx::query_as(&format!("{SELECT_REQUEST} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    record.ok_or(DbError::NotFound("Request"))?.try_into()
}

/// Every request matching `filter` (whatever its page), oldest first: what an export
/// writes.
pub async fn matching(db: &Db, filter: &crate::domain::RequestFilter, today: NaiveDate) -> DbResult<Vec<Request>> {
    let mut sql = Sql::new(SELECT_REQUEST);
    push_filter(&mut sql, filter, &today.to_string());
    sql.push(" ORDER BY r.id");
    let records: Vec<RequestRecord> = sql.query_as().fetch_all(&db.pool).await?;
    records.into_iter().map(Request::try_from).collect()
}

/// The id of the request with this registry number, if any.
/// The request with this registry number, whatever its letter case.
pub async fn id_by_reference(conn: &mut AnyConnection, reference: &str) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM requests WHERE reference_key = $1")
        .bind(reference_key(reference))
        .fetch_optional(&mut *conn)
        .await?)
}

async fn check_legal_basis(conn: &mut AnyConnection, code: &str) -> DbResult<()> {
    let found: Option<String> = sqlx::query_scalar("SELECT code FROM legal_bases WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    found.map(|_| ()).ok_or(DbError::UnknownLegalBasis)
}

fn unique_violation(e: sqlx::Error, reference: &str) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::DuplicateReference(reference.to_string()),
        _ => DbError::Sqlx(e),
    }
}

/// Appends one entry to a request's timeline.
#[allow(clippy::too_many_arguments)]
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

/// Rows written by one INSERT in bulk writes (an import, the demo load): one statement
/// for many rows costs far less than one for each (each is a round trip to SQLite's
/// worker thread, or to PostgreSQL). 100 requests are 2,000 parameters, well under
/// either backend's limit.
pub const INSERT_BATCH: usize = 100;

/// `VALUES` groups for `rows` rows of `width` parameters each, numbered from $1.
fn values(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=width).map(|c| format!("${}", r * width + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends timeline entries, `INSERT_BATCH` to a statement.
pub async fn insert_events(conn: &mut AnyConnection, events: &[NewEvent<'_>], created_at: &str) -> DbResult<()> {
    let events: Vec<(NewEvent, &str)> = events.iter().map(|e| (*e, created_at)).collect();
    insert_events_at(conn, &events).await
}

/// `insert_events`, each entry with its own time of writing.
async fn insert_events_at(conn: &mut AnyConnection, events: &[(NewEvent<'_>, &str)]) -> DbResult<()> {
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

/// Inserts a checked request (its case resolved or created) inside the caller's
/// transaction, with its "created" timeline entry. Returns the new id.
pub async fn insert_in(conn: &mut AnyConnection, v: &ValidRequest, actor: &Actor, at: &str) -> DbResult<i64> {
    let id = insert_in_uncounted(conn, v, actor, at).await?;
    tally::add(conn, id).await?;
    Ok(id)
}

/// `insert_in`, the request not yet counted into the dashboard totals: for writers of
/// several requests in one transaction, which count them together (`tally::add_many`)
/// before committing.
pub(crate) async fn insert_in_uncounted(conn: &mut AnyConnection, v: &ValidRequest, actor: &Actor, at: &str) -> DbResult<i64> {
    let (id, case_created) = insert_created_row(conn, v, at).await?;
    record_creations(conn, &[Created { id, v, actor, at, case_created }]).await?;
    Ok(id)
}

/// A request just inserted (`insert_created_row`), for `record_creations`.
pub(crate) struct Created<'a> {
    pub id: i64,
    pub v: &'a ValidRequest,
    pub actor: &'a Actor,
    pub at: &'a str,
    pub case_created: bool,
}

/// Inserts a new request's row (its case found or created), not yet counted into the
/// totals nor recorded (`record_creations`). Returns its id and whether its case was
/// created with it.
pub(crate) async fn insert_created_row(conn: &mut AnyConnection, v: &ValidRequest, at: &str) -> DbResult<(i64, bool)> {
    if id_by_reference(conn, &v.reference).await?.is_some() {
        return Err(DbError::DuplicateReference(v.reference.clone()));
    }
    check_legal_basis(conn, &v.legal_basis).await?;
    let (case_id, case_created) = match &v.case {
        Some(c) => {
            let (id, created) = cases::find_or_create_telling(conn, &c.number, c.title.as_deref()).await?;
            (Some(id), created)
        }
        None => (None, false),
    };
    Ok((insert_plain(conn, v, case_id, at).await?, case_created))
}

/// Writes what records new requests: each one's "created" timeline entry and its audit
/// entries (its case's creation, then its own), a statement for each kind rather than
/// one for each request.
pub(crate) async fn record_creations(conn: &mut AnyConnection, created: &[Created<'_>]) -> DbResult<()> {
    let events: Vec<(NewEvent, &str)> = created
        .iter()
        .map(|c| {
            let event = NewEvent {
                request_id: c.id,
                kind: EventKind::Created,
                from: None,
                to: Some(c.v.status),
                on_date: c.v.start_date,
                note: None,
                user: Some(c.actor.username.as_str()),
            };
            (event, c.at)
        })
        .collect();
    insert_events_at(conn, &events).await?;
    let mut entries = Vec::new();
    for c in created {
        if let (true, Some(case)) = (c.case_created, &c.v.case) {
            entries.push(audit::NewEntry {
                actor: c.actor,
                action: "case.create",
                entity: Some("case"),
                entity_id: Some(case.number.clone()),
                details: Some(serde_json::json!({ "title": case.title })),
            });
        }
        entries.push(audit::NewEntry {
            actor: c.actor,
            action: "request.create",
            entity: Some("request"),
            entity_id: Some(c.id.to_string()),
            details: Some(serde_json::json!({ "after": c.v })),
        });
    }
    audit::record_many(conn, &entries).await
}

/// Binds a request's own fields, `reference` to `refusal_note` in the order of the
/// table's columns (placeholders $1 to $18), to an INSERT or UPDATE of the request.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    v: &'q ValidRequest,
    case_id: Option<i64>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(&v.reference)
        .bind(&v.their_reference)
        .bind(v.direction.code())
        .bind(&v.country)
        .bind(&v.counterpart_authority)
        .bind(v.kind.code())
        .bind(&v.legal_basis)
        .bind(&v.legal_basis_note)
        .bind(v.offence.code())
        .bind(case_id)
        .bind(&v.summary)
        .bind(v.urgent as i64)
        .bind(ds(v.start_date))
        .bind(ds(v.due_on))
        .bind(v.status.code())
        .bind(ds(v.answered_on))
        .bind(v.refusal_ground.map(|g| g.code()))
        .bind(&v.refusal_note)
}

/// The INSERT alone, for callers that made the checks (reference free, legal basis
/// known, case resolved) and count the row into the dashboard totals themselves.
pub(crate) async fn insert_plain(conn: &mut AnyConnection, v: &ValidRequest, case_id: Option<i64>, at: &str) -> DbResult<i64> {
    Ok(insert_plain_many(conn, &[(v, case_id)], at).await?[0])
}

/// `insert_plain` for many requests (each with its case's id), `INSERT_BATCH` to a
/// statement. Returns their ids, in the order given. The caller made `insert_plain`'s
/// checks and counts the rows into the totals (`tally::add_many`).
pub async fn insert_plain_many(conn: &mut AnyConnection, rows: &[(&ValidRequest, Option<i64>)], at: &str) -> DbResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for batch in rows.chunks(INSERT_BATCH) {
        let sql = format!(
            "INSERT INTO requests (reference, their_reference, direction, country, counterpart_authority, kind, \
             legal_basis, legal_basis_note, offence, case_id, summary, urgent, start_date, due_on, status, answered_on, \
             refusal_ground, refusal_note, created_at, updated_at, search_text, reference_key) VALUES {} RETURNING id, reference",
            values(batch.len(), 22)
        );
        let mut q = sqlx::query(&sql);
        for (v, case_id) in batch {
            q = bind_fields(q, v, *case_id)
                .bind(at)
                .bind(at)
                .bind(search_text(&v.reference, v.their_reference.as_deref(), v.summary.as_deref()))
                .bind(reference_key(&v.reference));
        }
        let references = || batch.iter().map(|(v, _)| v.reference.as_str()).collect::<Vec<_>>().join(", ");
        // RETURNING's rows come in no promised order: matched up by reference (unique)
        let mut returned = std::collections::HashMap::new();
        for row in q.fetch_all(&mut *conn).await.map_err(|e| unique_violation(e, &references()))? {
            returned.insert(row.try_get::<String, _>("reference")?, row.try_get::<i64, _>("id")?);
        }
        for (v, _) in batch {
            ids.push(*returned.get(&v.reference).ok_or_else(|| corrupt("inserted request", &v.reference))?);
        }
    }
    Ok(ids)
}

/// Creates a request (and its case, if new) in one transaction.
pub async fn create(db: &Db, v: &ValidRequest, actor: &Actor) -> DbResult<i64> {
    if let Some(creations) = &db.creations {
        // SQLite: written with the other creations waiting at this moment (group_commit)
        let (reply, answer) = tokio::sync::oneshot::channel();
        let creation = super::group_commit::Creation { v: v.clone(), actor: actor.clone(), at: now(), reply };
        let stopped = || DbError::WriteFailed("the writer has stopped".into());
        creations.send(creation).map_err(|_| stopped())?;
        return answer.await.map_err(|_| stopped())?;
    }
    let mut tx = db.begin_write().await?;
    let id = insert_in(&mut tx, v, actor, &now()).await?;
    tx.commit().await?;
    Ok(id)
}

/// The fields an edit changed, for the timeline note.
fn changed_fields(old: &Request, new: &ValidRequest) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name: &'static str, same: bool| {
        if !same {
            out.push(name)
        }
    };
    check("reference", old.reference == new.reference);
    check("their reference", old.their_reference == new.their_reference);
    check("direction", old.direction == new.direction);
    check("country", old.country == new.country);
    check("authority", old.counterpart_authority == new.counterpart_authority);
    check("kind", old.kind == new.kind);
    check("legal basis", old.legal_basis == new.legal_basis && old.legal_basis_note == new.legal_basis_note);
    check("offence", old.offence == new.offence);
    check("case", old.case_number.as_deref() == new.case.as_ref().map(|c| c.number.as_str()));
    check("summary", old.summary == new.summary);
    check("urgent", old.urgent == new.urgent);
    check("start date", old.start_date == new.start_date);
    check("due date", old.due_on == new.due_on);
    check("answer date", old.answered_on == new.answered_on);
    check("refusal", old.refusal_ground == new.refusal_ground && old.refusal_note == new.refusal_note);
    out
}

/// The version check of every write: the request must still be at `version`.
async fn bump_version(conn: &mut AnyConnection, id: i64, version: i64, at: &str) -> DbResult<()> {
    let done = sqlx::query("UPDATE requests SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
        .bind(at)
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let current: Option<i64> = sqlx::query_scalar("SELECT version FROM requests WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match current {
        Some(current_version) => Err(DbError::Conflict { current_version }),
        None => Err(DbError::NotFound("Request")),
    }
}

/// Saves an edit of request `id` made from `version`. A stale version is rejected with
/// `Conflict` and nothing is written. Returns the new version.
pub async fn update(db: &Db, id: i64, version: i64, v: &ValidRequest, actor: &Actor) -> DbResult<i64> {
    let at = now();
    let mut tx = db.begin_write().await?;
    bump_version(&mut tx, id, version, &at).await?;
    update_in(&mut tx, id, v, actor, &at, "Changed in the edit form").await?;
    tx.commit().await?;
    Ok(version + 1)
}

/// Replaces request `id` with `v` inside the caller's transaction (its version already
/// moved on), with its timeline entries and audit record; `how` notes a status change.
pub async fn update_in(conn: &mut AnyConnection, id: i64, v: &ValidRequest, actor: &Actor, at: &str, how: &str) -> DbResult<()> {
    let user = Some(actor.username.as_str());
    let old = get_in(conn, id).await?;
    if let Some(other) = id_by_reference(conn, &v.reference).await? {
        if other != id {
            return Err(DbError::DuplicateReference(v.reference.clone()));
        }
    }
    check_legal_basis(conn, &v.legal_basis).await?;
    tally::remove(conn, id).await?;
    let case_id = match &v.case {
        Some(c) => {
            if cases::id_by_number(conn, &c.number).await?.is_none() {
                let details = serde_json::json!({ "title": c.title });
                audit::record(conn, actor, "case.create", Some("case"), Some(c.number.clone()), Some(details)).await?;
            }
            Some(cases::find_or_create(conn, &c.number, c.title.as_deref()).await?)
        }
        None => None,
    };
    bind_fields(
        sqlx::query(
            "UPDATE requests SET reference = $1, their_reference = $2, direction = $3, country = $4, \
             counterpart_authority = $5, kind = $6, legal_basis = $7, legal_basis_note = $8, offence = $9, case_id = $10, \
             summary = $11, urgent = $12, start_date = $13, due_on = $14, status = $15, answered_on = $16, \
             refusal_ground = $17, refusal_note = $18, search_text = $20, reference_key = $21 WHERE id = $19",
        ),
        v,
        case_id,
    )
    .bind(id)
    .bind(search_text(&v.reference, v.their_reference.as_deref(), v.summary.as_deref()))
    .bind(reference_key(&v.reference))
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_violation(e, &v.reference))?;
    tally::add(conn, id).await?;

    let changed = changed_fields(&old, v);
    if old.status != v.status {
        let on = if v.status.is_answered() { v.answered_on } else { Some(super::today()) };
        insert_event(conn, id, EventKind::StatusChanged, Some(old.status), Some(v.status), on, Some(how), user, at).await?;
    }
    if !changed.is_empty() {
        let note = format!("Edited: {}", changed.join(", "));
        insert_event(conn, id, EventKind::Edited, None, None, None, Some(&note), user, at).await?;
    }
    let details = serde_json::json!({ "changed": changed, "before": old, "after": v });
    audit::record(conn, actor, "request.update", Some("request"), Some(id.to_string()), Some(details)).await?;
    Ok(())
}

/// Moves request `id` to its next version without a check (an import's update).
pub async fn touch_version(conn: &mut AnyConnection, id: i64, at: &str) -> DbResult<()> {
    sqlx::query("UPDATE requests SET version = version + 1, updated_at = $1 WHERE id = $2").bind(at).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Applies a checked status change to request `id` seen at `version`, with its timeline
/// entry, in one transaction.
pub async fn change_status(
    db: &Db,
    id: i64,
    version: i64,
    change: &StatusChange,
    answer_period_days: u32,
    actor: &Actor,
) -> DbResult<()> {
    let user = Some(actor.username.as_str());
    let at = now();
    let mut tx = db.begin_write().await?;
    bump_version(&mut tx, id, version, &at).await?;
    let current = get_in(&mut tx, id).await?;
    if current.status != change.from {
        // the version matched, so this cannot happen unless the caller checked another row
        return Err(DbError::Conflict { current_version: current.version });
    }
    let (start, due) = if change.sets_start_date() {
        let due = current.due_on.or_else(|| change.date.checked_add_days(Days::new(answer_period_days as u64)));
        (Some(change.date), due)
    } else {
        (current.start_date, current.due_on)
    };
    let answered = if change.to.is_answered() { Some(change.date) } else { None };
    tally::remove(&mut tx, id).await?;
    sqlx::query(
        "UPDATE requests SET status = $1, start_date = $2, due_on = $3, answered_on = $4, refusal_ground = $5, \
         refusal_note = $6 WHERE id = $7",
    )
    .bind(change.to.code())
    .bind(ds(start))
    .bind(ds(due))
    .bind(ds(answered))
    .bind(change.refusal_ground.map(|g| g.code()))
    .bind(&change.refusal_note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tally::add(&mut tx, id).await?;
    // written in the language of the person changing the status, as their own note is
    let note = {
        use crate::labels::Label;
        match (change.refusal_ground, &change.note) {
            (Some(g), Some(n)) => Some(crate::tr!(request.ground_note, ground = g.text(), note = n)),
            (Some(g), None) => Some(crate::tr!(request.ground_only, ground = g.text())),
            (None, n) => n.clone(),
        }
    };
    insert_event(&mut tx, id, EventKind::StatusChanged, Some(change.from), Some(change.to), Some(change.date), note.as_deref(), user, &at)
        .await?;
    let details = serde_json::json!({ "before": { "status": current.status, "answered_on": current.answered_on, "refusal_ground": current.refusal_ground }, "after": change });
    audit::record(&mut tx, actor, "request.status", Some("request"), Some(id.to_string()), Some(details)).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a reminder sent to the counterpart.
pub async fn add_reminder(db: &Db, id: i64, reminder: &Reminder, actor: &Actor) -> DbResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    let current = get_in(&mut tx, id).await?;
    insert_event(&mut tx, id, EventKind::Reminder, None, Some(current.status), Some(reminder.date), reminder.note.as_deref(), Some(&actor.username), &at)
        .await?;
    audit::record(&mut tx, actor, "request.reminder", Some("request"), Some(id.to_string()), Some(serde_json::json!(reminder))).await?;
    tx.commit().await?;
    Ok(())
}

/// The timeline of a request, oldest first.
pub async fn events(db: &Db, id: i64) -> DbResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT id, kind, from_status, to_status, on_date, note, user_name, created_at FROM request_events \
         WHERE request_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let from: Option<String> = r.try_get("from_status")?;
            let to: Option<String> = r.try_get("to_status")?;
            Ok(Event {
                id: r.try_get("id")?,
                kind: EventKind::from_code(&kind).ok_or_else(|| corrupt("event kind", &kind))?,
                from_status: from.as_deref().map(status).transpose()?,
                to_status: to.as_deref().map(status).transpose()?,
                on_date: date(r.try_get("on_date")?)?,
                note: r.try_get("note")?,
                user_name: r.try_get("user_name")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// The SQL expression each sort column orders by (never user text).
fn sort_key(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Reference => "r.reference",
        SortColumn::Direction => "r.direction",
        SortColumn::Country => "r.country",
        SortColumn::Kind => "r.kind",
        SortColumn::Offence => "r.offence",
        SortColumn::Case => "COALESCE(c.number, '')",
        SortColumn::Start => "COALESCE(r.start_date, '')",
        SortColumn::Due => "COALESCE(r.due_on, '')",
        SortColumn::Status => "r.status",
        SortColumn::Answered => "COALESCE(r.answered_on, '')",
    }
}

/// Appends the keyset condition: the rows after `cursor` in the order by `key`, then id.
fn push_keyset(sql: &mut Sql, key: &str, desc: bool, cursor: Option<&Cursor>) {
    if let Some(c) = cursor {
        let op = if desc { "<" } else { ">" };
        sql.push(&format!(" AND ({key} {op} ")).bind(Param::Text(c.key.clone()));
        sql.push(&format!(" OR ({key} = ")).bind(Param::Text(c.key.clone()));
        sql.push(&format!(" AND r.id {op} ")).int(c.id);
        sql.push("))");
    }
}

/// What the text search looks in (`requests.search_text`): the reference, the other
/// side's reference and the summary, lowercased here — in every language, which SQLite's
/// LOWER is not — one per line, so that a search never matches across two of them.
pub(crate) fn search_text(reference: &str, their_reference: Option<&str>, summary: Option<&str>) -> String {
    [Some(reference), their_reference, summary].into_iter().flatten().collect::<Vec<_>>().join("\n").to_lowercase()
}

/// Fills `search_text` where it is missing (rows written before it existed), in batches.
pub(crate) async fn fill_search_text(db: &Db) -> DbResult<u64> {
    let mut filled = 0;
    loop {
        let rows = sqlx::query(
            "SELECT id, reference, their_reference, summary FROM requests WHERE search_text IS NULL ORDER BY id LIMIT 2000",
        )
        .fetch_all(&db.pool)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let mut tx = db.begin_write().await?;
        for r in &rows {
            let text = search_text(
                &r.try_get::<String, _>("reference")?,
                r.try_get::<Option<String>, _>("their_reference")?.as_deref(),
                r.try_get::<Option<String>, _>("summary")?.as_deref(),
            );
            sqlx::query("UPDATE requests SET search_text = $1 WHERE id = $2")
                .bind(text)
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        filled += rows.len() as u64;
    }
}

/// Fills `reference_key` where migration 0016 could not (numbers with letters beyond
/// ASCII), in batches. A number whose key another request holds already (two numbers
/// that differ only in letter case, stored before keys existed) keeps none:
/// `requests_sharing_a_key` names them. Returns how many were filled and how many not.
pub(crate) async fn fill_reference_keys(db: &Db) -> DbResult<(u64, u64)> {
    let (mut filled, mut shared, mut after) = (0, 0, 0i64);
    loop {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, reference FROM requests WHERE reference_key IS NULL AND id > $1 ORDER BY id LIMIT 2000",
        )
        .bind(after)
        .fetch_all(&db.pool)
        .await?;
        let Some(&(last, _)) = rows.last() else { return Ok((filled, shared)) };
        after = last;
        let mut tx = db.begin_write().await?;
        for (id, reference) in &rows {
            let key = reference_key(reference);
            let taken: Option<i64> =
                sqlx::query_scalar("SELECT id FROM requests WHERE reference_key = $1").bind(&key).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                shared += 1;
                continue;
            }
            sqlx::query("UPDATE requests SET reference_key = $1 WHERE id = $2").bind(&key).bind(id).execute(&mut *tx).await?;
            filled += 1;
        }
        tx.commit().await?;
    }
}

/// How many requests are stored.
pub async fn count_stored(db: &Db) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(&db.pool).await?)
}

/// Requests whose registry number differs from another's only in letter case (stored
/// before that was refused), each with the request holding the number: (id, reference,
/// the other's id, the other's reference).
pub async fn requests_sharing_a_key(db: &Db) -> DbResult<Vec<(i64, String, i64, String)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, reference FROM requests WHERE reference_key IS NULL ORDER BY id").fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    let mut conn = db.pool.acquire().await?;
    for (id, reference) in rows {
        if let Some(other) = id_by_reference(&mut conn, &reference).await? {
            let theirs: String = sqlx::query_scalar("SELECT reference FROM requests WHERE id = $1").bind(other).fetch_one(&mut *conn).await?;
            out.push((id, reference, other, theirs));
        }
    }
    Ok(out)
}

/// The search's trigram indexes (SQLite, migration 0013): the same index in the order of
/// the start date and in that of the due date. A row number there is the date's digits
/// (none: 0) times 2^32 plus the request's id (`ID_OF_ROW` takes it back), so the
/// requests holding a term come out in the list's order by that date.
const SEARCH_INDEXES: [&str; 2] = ["request_search_by_start", "request_search_by_due"];

/// The views that give each of `SEARCH_INDEXES` its row numbers (`k`) and texts.
const SEARCH_INDEX_KEYS: [&str; 2] = ["request_search_start_keys", "request_search_due_keys"];

/// SQLite: until this transaction ends, the search indexes' entries of the requests it
/// creates are left to `write_deferred_search_entries` (migration 0014: the triggers
/// pass over requests above the highest id there was).
pub(crate) async fn defer_search_entries(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO search_index_deferred (after_id) SELECT COALESCE(MAX(id), 0) FROM requests \
         WHERE NOT EXISTS (SELECT 1 FROM search_index_deferred)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// SQLite: the search indexes' entries of the requests created since
/// `defer_search_entries`, each index's in its own order (so FTS5 keeps them in memory
/// and writes one segment), and the triggers back at work. Before the commit.
pub(crate) async fn write_deferred_search_entries(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for (index, keys) in SEARCH_INDEXES.iter().zip(SEARCH_INDEX_KEYS) {
        fill_in_order(conn, index, keys, "id > (SELECT after_id FROM search_index_deferred)").await?;
    }
    sqlx::query("DELETE FROM search_index_deferred").execute(conn).await?;
    Ok(())
}

/// SQLite: adds to the search's trigram `index` the entries of the requests meeting
/// `which` (SQL on the view `keys`, never user text), in the index's order: FTS5 writes
/// its pending entries out whenever a row number is lower than the one before it.
async fn fill_in_order(conn: &mut AnyConnection, index: &str, keys: &str, which: &str) -> Result<(), sqlx::Error> {
    let sql = format!("INSERT INTO {index} (rowid, search_text) SELECT k, search_text FROM {keys} WHERE {which} ORDER BY k");
    sqlx::query(&sql).execute(conn).await?;
    Ok(())
}

/// PostgreSQL: the longest search text (in bytes) that the indexes by start and due date
/// carry (migration 0013; an index entry holds at most about 2,700 bytes).
const TEXT_IN_INDEX: i64 = 2000;

/// PostgreSQL: the requests whose text the indexes carrying it hold, and the others (read
/// beside them through the small indexes of the longer texts): a query reading the first
/// through such an index reads the second too, with `UNION ALL`.
fn text_in_index_parts() -> [String; 2] {
    [format!(" AND octet_length(r.search_text) <= {TEXT_IN_INDEX}"), format!(" AND octet_length(r.search_text) > {TEXT_IN_INDEX}")]
}

/// The request's id in a row number of the search's trigram indexes (appended to it).
const ID_OF_ROW: &str = " & 4294967295";

/// The search's trigram index in the order of `sort`, if there is one (SQLite).
fn search_index_in_order(sort: SortColumn) -> Option<&'static str> {
    match sort {
        SortColumn::Start => Some(SEARCH_INDEXES[0]),
        SortColumn::Due => Some(SEARCH_INDEXES[1]),
        _ => None,
    }
}

/// What is wrong with the search's trigram indexes (SQLite), if anything: checked against
/// the requests' text and dates, which SQLite's own integrity check does not do.
pub async fn search_index_problem(conn: &mut AnyConnection) -> Option<String> {
    for index in SEARCH_INDEXES {
        let check = format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = sqlx::query(&check).execute(&mut *conn).await {
            return Some(format!("{index}: {e}"));
        }
    }
    None
}

/// Rebuilds the search's trigram indexes from the requests' text and dates (SQLite):
/// emptied, then filled in each index's order. FTS5's own `rebuild` reads the requests in
/// the order of their ids, whose row numbers there come in no order (they begin with a
/// date), and wrote an index segment for nearly every row: over ten minutes at a million
/// requests (this way, 27 s). Then merged into one segment (`optimize`, 5 s): the fill
/// leaves many, whose merging FTS5 otherwise spreads over the next writes (each
/// creation's commit took over a second for a while).
pub async fn rebuild_search_index(conn: &mut AnyConnection) -> DbResult<()> {
    for (index, keys) in SEARCH_INDEXES.iter().zip(SEARCH_INDEX_KEYS) {
        sqlx::query(&format!("INSERT INTO {index} ({index}) VALUES ('delete-all')")).execute(&mut *conn).await?;
        fill_in_order(conn, index, keys, "1 = 1").await?;
        sqlx::query(&format!("INSERT INTO {index} ({index}) VALUES ('optimize')")).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Escapes LIKE wildcards in user text.
fn like_pattern(q: &str) -> String {
    let mut s = String::from("%");
    for ch in q.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(ch);
    }
    s.push('%');
    s
}

/// The trigram index's query for a search term: every three characters in a row of the
/// lowercased term (as `search_text` is), all required. What it finds contains every
/// match (and rarely a few more, whose trigrams are there but not in a row: the search's
/// LIKE on the text decides). A term shorter than three characters has none.
fn trigram_query(q: &str) -> Option<String> {
    let chars: Vec<char> = q.to_lowercase().chars().collect();
    let mut trigrams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    trigrams.sort();
    trigrams.dedup();
    let quoted: Vec<String> = trigrams.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect();
    (!quoted.is_empty()).then(|| quoted.join(" AND "))
}

/// A search finding at most this many requests in the trigram index reads them through
/// it; a commoner one reads the requests in order (where a page of matches soon turns up:
/// at a million requests "2025" matches a third of them; reading its 333,000 ids from the
/// index would cost over 100 ms, while a page walks in 1 ms and its count, capped at
/// 10,000, reads 30,000 rows).
const RARE_TERM: i64 = 20_000;

/// PostgreSQL: the other filters of a common term's search matching at most this many
/// requests, all the term's matches among them are set aside, and the page comes from
/// them (see `list_with`): reading that many texts costs about as much as a walk to a
/// page in the worst orders.
const FEW_CANDIDATES: i64 = 5_000;

/// `FEW_CANDIDATES` with a country filter, whose requests' texts are read from an index
/// (migration 0014): at a million requests, the 43,000 in LV in about 20 ms, where
/// reading 5,000 requests' rows took 35-70 ms.
const FEW_CANDIDATES_IN_A_COUNTRY: i64 = 100_000;

/// How a list's text search finds its matches (see `list_with`); tests force each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchPath {
    Choose,
    /// `search_text LIKE`, on the rows read for the other filters or in order.
    #[cfg_attr(not(test), allow(dead_code))]
    Scan,
    /// As a rare term: every match set aside through the trigram index (SQLite's FTS5
    /// table; on PostgreSQL pg_trgm's index, the planner given bitmap scans only).
    #[cfg_attr(not(test), allow(dead_code))]
    Trigrams,
}

/// Whether this list's search goes through the trigram index, as a rare term whose
/// matches are all set aside: for a term the index can narrow and that is rare there
/// (at most `RARE_TERM` matches). What was found out is kept for a while in `Db::terms`,
/// so that the next search for the term is not counted again. On SQLite it is counted
/// here (a few ms); on PostgreSQL, where that count costs more for a common term, only
/// what is kept is used, and a term not known about is found out about in the background
/// when it is first searched for (`find_out_on_postgres`).
async fn through_trigrams(db: &Db, q: Option<&str>, path: SearchPath) -> DbResult<bool> {
    let Some(q) = q else { return Ok(false) };
    Ok(match path {
        SearchPath::Scan => false,
        SearchPath::Trigrams => true,
        SearchPath::Choose => match trigram_query(q) {
            None => false,
            Some(_) if db.backend != super::pool::Backend::Sqlite => db.terms.get(q) == Some(true),
            Some(query) => match db.terms.get(q) {
                Some(rare) => rare,
                None => {
                    let index = SEARCH_INDEXES[0];
                    let found: i64 = sqlx::query_scalar(&format!(
                        "SELECT COUNT(*) FROM (SELECT rowid FROM {index} WHERE {index} MATCH $1 LIMIT $2) t"
                    ))
                    .bind(query)
                    .bind(RARE_TERM + 1)
                    .fetch_one(&db.pool)
                    .await?;
                    let rare = found <= RARE_TERM;
                    db.terms.put(q, rare);
                    rare
                }
            },
        },
    })
}

/// PostgreSQL: the rest of the transaction plans with bitmap scans only. A rare term's
/// matches are then read through pg_trgm's index (with the other filters' indexes, when
/// they narrow further) rather than by walking an order: on 2026-12-01 the planner,
/// which cannot tell how rare `LIKE '%fi-%'` is, walked the requests by country for
/// "FI-" at a million requests, past 900,000 others (2 s; on a freshly analysed database
/// the next day it chose pg_trgm's index itself).
async fn only_bitmap_scans(conn: &mut AnyConnection) -> DbResult<()> {
    sqlx::query(
        "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), \
         set_config('enable_indexonlyscan', 'off', true)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// PostgreSQL: finds out in the background whether `q` is rare (at most `RARE_TERM`
/// matches, counted through pg_trgm's index) and keeps the answer in `Db::terms`, once at
/// a time per term. Started by the first search for a term not known about; until the
/// answer is there, the planner chooses the way for it, given every filter at once (for a
/// rare term, pg_trgm's index; for a common one, often a slower walk than the one taken
/// for a term known to be common).
fn find_out_on_postgres(db: &Db, q: &str) {
    if !db.terms.start_finding_out(q) {
        return;
    }
    let (db, q) = (db.clone(), q.to_string());
    tokio::spawn(async move {
        let counted: DbResult<i64> = async {
            let mut tx = db.pool.begin().await?;
            only_bitmap_scans(&mut tx).await?;
            let n = sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests r WHERE r.search_text LIKE $1 ESCAPE '\\' LIMIT $2) t",
            )
            .bind(like_pattern(&q))
            .bind(RARE_TERM + 1)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(n)
        }
        .await;
        match counted {
            Ok(n) => db.terms.put(&q, n <= RARE_TERM),
            Err(e) => tracing::warn!(error = %e, "could not count a search term's matches"),
        }
        db.terms.end_finding_out(&q);
    });
}

/// Whether `filter`'s conditions other than its text search match a third of the
/// requests or more (or cannot be counted from the running totals).
async fn broad_filters(db: &Db, filter: &crate::domain::RequestFilter, today: NaiveDate) -> DbResult<bool> {
    let others = crate::domain::RequestFilter { q: None, ..filter.clone() };
    let Some(matching) = super::stats::count_matching(db, &others, today).await? else { return Ok(true) };
    Ok(matching * 3 >= requests_at_most(db).await?)
}

/// How many requests there are at most (the highest id: one index lookup, where a count
/// reads them all), for judging how common a filter's matches are.
async fn requests_at_most(db: &Db) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM requests").fetch_one(&db.pool).await?.unwrap_or(0))
}

/// Appends the WHERE conditions of the filter (on `requests r`).
pub(crate) fn push_filter(sql: &mut Sql, f: &crate::domain::RequestFilter, today: &str) {
    push_filter_with(sql, f, today, None, Through::SortOrder, false)
}

/// The index a list page's walk goes through (`push_filter_with`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Through {
    /// the sort order's own index, or the planner's choice when there is no walk
    SortOrder,
    /// an index of the open requests alone, in the sort order
    OpenRequests,
    /// an index by country and the sort order's date
    Country,
}

/// `push_filter`; with `walk` (the sort column of a list page), the equality filters on
/// the coarse columns (direction, country, status, kind, offence, legal basis) other than
/// the sort column itself are written so that no index serves them (`r.kind || ''`): the
/// page then walks the index of its sort order and stops after one page, instead of
/// reading every match through a filter's index and sorting them all (at a million
/// requests, 3 ms instead of 250 ms for "outgoing"). The case keeps its index: it is
/// selective.
///
/// `through` names the index the walk goes through when it is not the sort order's own:
/// the open requests' (which SQLite uses only when the status filter is written as the
/// index's condition is), or the country's in date order (whose country is kept).
///
/// With `trigrams`, the text search goes through the trigram index (SQLite).
pub(crate) fn push_filter_with(
    sql: &mut Sql,
    f: &crate::domain::RequestFilter,
    today: &str,
    walk: Option<SortColumn>,
    through: Through,
    trigrams: bool,
) {
    // one status and a date order: its own index (status, date) is walked
    let status_and_date = matches!(f.status, Some(StatusFilter::Is(_))) && matches!(walk, Some(SortColumn::Start | SortColumn::Due));
    let col = |name: &str| match walk {
        Some(_) if name == "status" && (status_and_date || through == Through::OpenRequests) => format!("r.{name}"),
        Some(_) if name == "country" && through == Through::Country => format!("r.{name}"),
        Some(sort) if sort_key(sort) != format!("r.{name}") => format!("(r.{name} || '')"),
        _ => format!("r.{name}"),
    };
    // every field named, so that a new filter cannot be left out of the SQL unseen
    let crate::domain::RequestFilter { direction, country, status, kind, offence, case_id, from, to, q, legal_basis, group_id } = f;
    sql.push(" WHERE 1 = 1");
    if let Some(d) = direction {
        sql.push(&format!(" AND {} = ", col("direction"))).text(d.code());
    }
    if let Some(c) = country {
        sql.push(&format!(" AND {} = ", col("country"))).text(c.as_str());
    }
    match status {
        Some(StatusFilter::Is(s)) => {
            sql.push(&format!(" AND {} = ", col("status"))).text(s.code());
        }
        Some(StatusFilter::Open) => {
            sql.push(&format!(" AND {} IN {OPEN}", col("status")));
        }
        Some(StatusFilter::Overdue) => {
            sql.push(&format!(" AND {} IN {OPEN} AND r.due_on < ", col("status"))).text(today);
            // the same condition on the key of the indexes by due date (a due date before
            // today is never NULL), so that a walk by due date starts at today's date
            // rather than passing every request due later
            sql.push(" AND COALESCE(r.due_on, '') < ").text(today);
        }
        Some(StatusFilter::InTime) => {
            sql.push(&format!(" AND {} IN {OPEN} AND (r.due_on IS NULL OR r.due_on >= ", col("status"))).text(today);
            sql.push(")");
        }
        None => {}
    }
    if let Some(k) = kind {
        sql.push(&format!(" AND {} = ", col("kind"))).text(k.code());
    }
    if let Some(o) = offence {
        sql.push(&format!(" AND {} = ", col("offence"))).text(o.code());
    }
    if let Some(c) = case_id {
        sql.push(" AND r.case_id = ").int(*c);
    }
    if let Some(d) = from {
        sql.push(" AND r.start_date >= ").text(d.to_string());
    }
    if let Some(d) = to {
        sql.push(" AND r.start_date <= ").text(d.to_string());
    }
    if let Some(b) = legal_basis {
        sql.push(&format!(" AND {} = ", col("legal_basis"))).text(b.as_str());
    }
    if let Some(g) = group_id {
        sql.push(&format!(" AND {} IN (SELECT country FROM country_group_members WHERE group_id = ", col("country"))).int(*g);
        sql.push(")");
    }
    match q {
        Some(q) => {
            if let Some(query) = trigrams.then(|| trigram_query(q)).flatten() {
                let index = SEARCH_INDEXES[0];
                sql.push(&format!(" AND r.id IN (SELECT rowid{ID_OF_ROW} FROM {index} WHERE {index} MATCH ")).text(query).push(")");
            }
            sql.push(" AND r.search_text LIKE ").text(like_pattern(q)).push(" ESCAPE '\\'");
        }
        None => {}
    }
}

#[derive(sqlx::FromRow)]
struct ListRecord {
    id: i64,
    reference: String,
    direction: String,
    country: String,
    kind: String,
    offence: String,
    case_id: Option<i64>,
    case_number: Option<String>,
    urgent: i64,
    start_date: Option<String>,
    due_on: Option<String>,
    status: String,
    answered_on: Option<String>,
    sort_key: String,
}

/// How many requests match `filter`, counted from the requests themselves (what the
/// registry's count from the running totals must equal).
pub async fn count_recounted(db: &Db, filter: &crate::domain::RequestFilter, today: NaiveDate) -> DbResult<i64> {
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM requests r");
    push_filter(&mut count, filter, &today.to_string());
    Ok(count.query().fetch_one(&db.pool).await?.try_get("n")?)
}

/// How many requests match `filter`, exactly and without a cap: the registry's "count
/// them all" when its count stopped at the cap. From the running totals when they can
/// tell; else counted from the requests (a rare term's matches through SQLite's trigram
/// index). At a million requests a common term is a read of every request: on demand only.
pub async fn count_all(db: &Db, filter: &crate::domain::RequestFilter, today: NaiveDate) -> DbResult<i64> {
    if let Some(n) = super::stats::count_matching(db, filter, today).await? {
        return Ok(n);
    }
    let fts = db.backend == super::pool::Backend::Sqlite
        && through_trigrams(db, filter.q.as_deref(), SearchPath::Choose).await?;
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM requests r");
    push_filter_with(&mut count, filter, &today.to_string(), None, Through::SortOrder, fts);
    Ok(count.query().fetch_one(&db.pool).await?.try_get("n")?)
}

/// One page of the filtered list, by keyset: the cost of a page does not grow with its
/// position, so page 500 is as fast as page 1.
pub async fn list(db: &Db, params: &ListParams, today: NaiveDate) -> DbResult<RequestPage> {
    list_with(db, params, today, params.filter.count_cap(), PagePath::Choose, SearchPath::Choose).await
}

/// How a list page finds its rows (see `list_with`); tests force each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PagePath {
    Choose,
    Walk,
    #[cfg_attr(not(test), allow(dead_code))]
    ThroughFilters,
}

/// How many requests the indexes of the filter's country and of its status hold, from the
/// running totals: the most a walk or a count through each of them passes. The status's
/// is that of all open requests for open, overdue or in time (one index holds them).
/// None unless the filter has both a country and a status and the totals tell both (the
/// totals are not asked when the filter lacks either).
async fn country_and_status_sizes(
    db: &Db,
    filter: &crate::domain::RequestFilter,
    today: NaiveDate,
) -> DbResult<Option<(i64, i64)>> {
    use crate::domain::RequestFilter;
    let status = match filter.status {
        Some(StatusFilter::Is(s)) => StatusFilter::Is(s),
        Some(StatusFilter::Open | StatusFilter::Overdue | StatusFilter::InTime) => StatusFilter::Open,
        None => return Ok(None),
    };
    let Some(country) = &filter.country else { return Ok(None) };
    let size = |f: RequestFilter| async move { super::stats::count_matching(db, &f, today).await };
    let Some(in_country) = size(RequestFilter { country: Some(country.clone()), ..Default::default() }).await? else {
        return Ok(None);
    };
    Ok(size(RequestFilter { status: Some(status), ..Default::default() }).await?.map(|in_status| (in_country, in_status)))
}

/// `list`, counting the matches up to `cap`.
#[cfg(test)]
pub(crate) async fn list_counting_to(db: &Db, params: &ListParams, today: NaiveDate, cap: i64) -> DbResult<RequestPage> {
    list_with(db, params, today, cap, PagePath::Choose, SearchPath::Choose).await
}

/// `list`, counting the matches up to `cap`, the page found the way `path` says and its
/// text search the way `search` says.
pub(crate) async fn list_with(
    db: &Db,
    params: &ListParams,
    today: NaiveDate,
    cap: i64,
    path: PagePath,
    search: SearchPath,
) -> DbResult<RequestPage> {
    let today_s = today.to_string();
    let key = sort_key(params.sort);
    let case_join = " LEFT JOIN cases c ON c.id = r.case_id";

    // a rare search term: its matches through the trigram index, for the count and the
    // page
    let trigrams = through_trigrams(db, params.filter.q.as_deref(), search).await?;
    if db.backend == super::pool::Backend::Postgres && search == SearchPath::Choose {
        if let Some(q) = params.filter.q.as_deref().filter(|q| trigram_query(q).is_some() && db.terms.get(q).is_none()) {
            find_out_on_postgres(db, q);
        }
    }
    // SQLite reads a rare term's matches through its FTS5 table, named in the query;
    // PostgreSQL through pg_trgm's index, by the planner's choice when only bitmap scans
    // are left to it
    let fts = trigrams && db.backend == super::pool::Backend::Sqlite;
    let open_only = matches!(params.filter.status, Some(StatusFilter::Open | StatusFilter::Overdue | StatusFilter::InTime));
    // a common one, with broad other filters: read the table in order (see below)
    let broad_search = params.filter.q.is_some()
        && !trigrams
        && db.backend == super::pool::Backend::Sqlite
        && broad_filters(db, &params.filter, today).await?;
    // How the count and the page's ids read the requests. A rare search term: its ids
    // from the trigram index. Open requests: the open-by-due index, which holds every
    // filter's column. A common term with filters matching under a third of the
    // requests: through a filter's index, which holds the other filters' columns, so
    // only the rows passing them are read for the text; with broader filters, the table
    // in order, one pass rather than hundreds of thousands of lookups through an index.
    // Within a case: the case's index.
    let hint = if trigrams || params.filter.case_id.is_some() {
        String::new()
    } else if open_only {
        db.indexed_by(schema::OPEN_DUE_ON)
    } else if broad_search {
        " NOT INDEXED".to_string()
    } else {
        String::new()
    };
    let after = params.after.as_deref().and_then(Cursor::decode);
    let before = if after.is_none() { params.before.as_deref().and_then(Cursor::decode) } else { None };
    // Walking backwards (the page before a cursor) reverses the order, then the rows.
    let backwards = before.is_some();
    let desc = params.desc != backwards;
    let dir = if desc { "DESC" } else { "ASC" };
    let cursor = after.as_ref().or(before.as_ref());

    // exact from the running totals when they can tell; else counted up to the cap and
    // one more, to know whether there are more (through the filter's own index is best)
    let mut page_ids: Option<Vec<i64>> = None;
    let (total, total_capped) = match super::stats::count_matching(db, &params.filter, today).await? {
        Some(n) => (n, false),
        None => {
            // Counted and the page's ids found in one pass over the matches (text
            // searches, cases, periods starting mid-month): the matches, up to the cap and
            // one more, are set aside once; their number is the count and, unless there
            // are more than the cap, the page comes from them (when the way to the page is
            // chosen; tests force the others). Counting and then finding the page read
            // the same rows twice, and PostgreSQL's planner, guessing a common term's
            // frequency, walked a date index through 290,000 rows for it.
            //
            // A rare search term's matches (through the trigram index: at most
            // `RARE_TERM`) are all set aside, even past the count's cap, and its page
            // always comes from them: walking the sort order for them passed whatever lay
            // before them in that order ("FI-" by country walked past 900,000 other
            // countries' requests: 840 ms at a million requests).
            //
            // A term known to be common on PostgreSQL, whose other filters match at most
            // `FEW_CANDIDATES` requests (told by the running totals): all its matches
            // among them are set aside too, and its page comes from them. Walking the
            // order of a date for the page passed whatever lay before the matches:
            // "2025", outgoing, LV, fulfilled by due date, newest first, passed the
            // 317,000 requests due from 2026 on (99-122 ms at a million requests;
            // reading the texts of its 3,398 candidates, 35-69 ms).
            let common_on_postgres = match params.filter.q.as_deref() {
                Some(q) => db.backend == super::pool::Backend::Postgres && !trigrams && search != SearchPath::Scan && db.terms.get(q) == Some(false),
                None => false,
            };
            // With a country, the index by country that carries the texts (migration 0014)
            // is read instead, many more of them at the same cost.
            let by_country = common_on_postgres && params.filter.country.is_some();
            // the filter without its text search
            let others = crate::domain::RequestFilter { q: None, ..params.filter.clone() };
            let few_candidates = if common_on_postgres && path == PagePath::Choose {
                let few = if by_country { FEW_CANDIDATES_IN_A_COUNTRY } else { FEW_CANDIDATES };
                super::stats::count_matching(db, &others, today).await?.filter(|n| *n <= few)
            } else {
                None
            };
            let set_aside = if trigrams { cap.max(RARE_TERM) } else { cap.max(few_candidates.unwrap_or(0)) };
            let join = if matches!(params.sort, SortColumn::Case) { case_join } else { "" };
            // A common term with a status filter narrower than that: the matches through
            // the statuses' index in the order of the ids, so that the requests' rows are
            // read in the table's order. Through the open requests' index by due date, or
            // the index by status and a date, SQLite read them in an order of dates, each
            // from another page: at a million requests "2025", refused, 140 ms instead of
            // 32; "2025", open, 182 instead of 58. With a country as well, through the
            // country's index when it holds fewer requests than the statuses' (told by
            // the running totals): "extradition", outgoing, RU, fulfilled, fraud read
            // the 427,000 fulfilled requests' entries (112 ms) where RU has 120,000
            // (44 ms); "2025", outgoing, LV, fulfilled 64 ms, through LV's 13 ms.
            let status_filter = params.filter.status.is_some();
            let hint = if status_filter && params.filter.q.is_some() && !trigrams && !broad_search && params.filter.case_id.is_none() {
                let in_country = match &params.filter.country {
                    Some(_) if db.backend == super::pool::Backend::Sqlite => {
                        matches!(country_and_status_sizes(db, &params.filter, today).await?, Some((c, s)) if c < s)
                    }
                    _ => false,
                };
                db.indexed_by(if in_country { schema::BY_COUNTRY } else { schema::BY_STATUS })
            } else {
                hint.clone()
            };
            let mut one;
            match params.filter.q.as_deref() {
                Some(_) if by_country => {
                    // A term known to be common, in one country, on PostgreSQL: from the
                    // index by country that carries the texts of at most `TEXT_IN_INDEX`
                    // bytes, and beside it that of the longer ones; in the order of the
                    // ids unless every match is set aside.
                    one = Sql::new("WITH m AS MATERIALIZED (");
                    for (n, texts) in text_in_index_parts().iter().enumerate() {
                        one.push(if n == 0 { "(" } else { " UNION ALL (" });
                        one.push(&format!("SELECT r.id, {key} AS k FROM requests r{join}"));
                        push_filter_with(&mut one, &params.filter, &today_s, None, Through::SortOrder, false);
                        one.push(texts);
                        if few_candidates.is_none() {
                            one.push(" ORDER BY r.id LIMIT ").int(set_aside + 1);
                        }
                        one.push(")");
                    }
                }
                Some(q) if common_on_postgres => {
                    // A term known to be common, on PostgreSQL: the requests passing the
                    // other filters, in the order of the ids, from a filter's index alone
                    // (each carries the other filters' columns), and only those requests'
                    // rows read for the text, one by one (LATERAL ... LIMIT 1 keeps it a
                    // nested loop), until the cap's matches are found. Given every filter
                    // at once, the planner walked the table by id, reading each row (it
                    // cannot check an index's other columns before the row): at a million
                    // requests "2025", outgoing, LV, fulfilled read 775,000 rows for its
                    // 1,001 matches (346 ms; this way 2,650 rows, 33 ms), and
                    // "extradition", outgoing, LT 147 ms (56 ms).
                    one = Sql::new("WITH f AS MATERIALIZED (SELECT r.id FROM requests r");
                    push_filter_with(&mut one, &others, &today_s, None, Through::SortOrder, false);
                    one.push(&format!(
                        " ORDER BY r.id), m AS MATERIALIZED (SELECT x.id, x.k FROM f CROSS JOIN LATERAL \
                         (SELECT r.id, {key} AS k FROM requests r{join} WHERE r.id = f.id AND r.search_text LIKE "
                    ));
                    one.text(like_pattern(q)).push(" ESCAPE '\\' LIMIT 1) x");
                }
                _ => {
                    one = Sql::new(&format!("WITH m AS MATERIALIZED (SELECT r.id, {key} AS k FROM requests r{hint}{join}"));
                    push_filter_with(&mut one, &params.filter, &today_s, None, Through::SortOrder, fts);
                    if db.backend == super::pool::Backend::Postgres && !trigrams {
                        // PostgreSQL, a term not known to be common, a case or a period
                        // starting mid-month: in the order of the ids, the table's order
                        // (for "2025", refused, the planner took the index by status and
                        // due date: 156 ms; in the order of the ids, 32 ms)
                        one.push(" ORDER BY r.id");
                    }
                }
            }
            one.push(" LIMIT ").int(set_aside + 1);
            one.push(") SELECT NULL AS id, COUNT(*) AS n FROM m UNION ALL SELECT * FROM (SELECT r.id, 0 AS n FROM m r WHERE 1 = 1");
            push_keyset(&mut one, "r.k", desc, cursor);
            one.push(&format!(" ORDER BY r.k {dir}, r.id {dir} LIMIT ")).int(PAGE_SIZE as i64 + 1).push(") p");
            let found: Vec<(Option<i64>, i64)> = if trigrams && !fts {
                let mut tx = db.pool.begin().await?;
                only_bitmap_scans(&mut tx).await?;
                let found = one.query_as().fetch_all(&mut *tx).await?;
                tx.commit().await?;
                found
            } else {
                one.query_as().fetch_all(&db.pool).await?
            };
            let counted = found.iter().find(|(id, _)| id.is_none()).map_or(0, |(_, n)| *n);
            if counted <= set_aside && path == PagePath::Choose {
                page_ids = Some(found.into_iter().filter_map(|(id, _)| id).collect());
            }
            (counted.min(cap), counted > cap)
        }
    };

    if total == 0 {
        return Ok(RequestPage { rows: Vec::new(), total, total_capped, next: None, prev: None });
    }

    // How the page finds its rows. Walking the index of its sort order and stopping after
    // a page is best when matches are common where the walk goes; when they are rare
    // there (statuses go with age: the newest requests are rarely overdue or refused),
    // reading the matches through the filters' own indexes and sorting them is. So the
    // next 2,000 rows of the walk are looked at first (a millisecond): a page's worth of
    // matches there, or matches making a fifth of all requests, and the page walks (as it
    // does for one status by a date: the index by status and date). At a
    // million requests: "fulfilled, by country" 1 ms walking instead of 600 ms.
    // Open requests by start, due date or country walk the open requests' own index
    // (below). Within a case, or sorted by case, the case's index. Either way, the same
    // pages (tested).
    let walkable = !matches!(params.sort, SortColumn::Case) && params.filter.case_id.is_none();
    // A common search term by start or due date (SQLite): the page is the next matches
    // of the trigram index in that date's order, each checked against the other filters
    // and LIKE. Walking the dates' index instead passed every request not holding the
    // term: "2025" newest first passed the 316,000 requests started in 2026 at a million
    // requests (0.3 s; through the index in date order, 1-5 ms).
    // On PostgreSQL, the indexes by those dates that carry the search text are walked
    // (migration 0013): the index alone, not each request's row.
    let common_term_by_date = params.filter.q.is_some()
        && page_ids.is_none()
        && walkable
        && path == PagePath::Choose
        && search != SearchPath::Scan
        && matches!(params.sort, SortColumn::Start | SortColumn::Due);
    let in_order = match params.filter.q.as_deref() {
        Some(q) if common_term_by_date && db.backend == super::pool::Backend::Sqlite => {
            search_index_in_order(params.sort).zip(trigram_query(q))
        }
        _ => None,
    };
    let text_in_index = common_term_by_date && db.backend == super::pool::Backend::Postgres && !trigrams;
    // Open requests (open, overdue, in time) by start, due date or country: an index of
    // the open requests alone in that order, which carries every filter's column, is
    // walked. The walk passes over only open requests, so it soon finds a page where
    // reading every open match through the open-by-due index and sorting them cost
    // 7-9 ms at a million requests (300,000 open); at worst it reads as many entries.
    let open_index = match params.sort {
        SortColumn::Start if open_only && walkable => Some(schema::OPEN_BY_START),
        SortColumn::Due if open_only && walkable => Some(schema::OPEN_BY_DUE),
        SortColumn::Country if open_only && walkable => Some(schema::OPEN_BY_COUNTRY),
        _ => None,
    };
    // A country, by start or due date (SQLite): the country's requests in that date's
    // order, from an index by country and date that carries every filter's column
    // (migration 0015), judged from it alone and stopping after one page. Walking every
    // country's requests in that order passed the other countries' requests; reading the
    // country's matches and sorting them read all of them. At a million requests:
    // "incoming, Georgia, overdue, corruption, by start date" walked 278,000 open
    // requests (53 ms) for a page that this walk finds among Georgia's 20,800 (4 ms);
    // "incoming, France, fraud, by start date" 5 ms, now 1 ms. Unless the walk of one
    // status (its index by status and date) or of the open requests passes fewer: the
    // index holding fewer requests (told by the running totals) is walked.
    let country_index = match (&params.filter.country, params.sort) {
        (Some(_), SortColumn::Start) => Some(schema::BY_COUNTRY_START),
        (Some(_), SortColumn::Due) => Some(schema::BY_COUNTRY_DUE),
        _ => None,
    };
    let country_index = match country_index {
        Some(index)
            if db.backend == super::pool::Backend::Sqlite
                && walkable
                && path == PagePath::Choose
                && page_ids.is_none()
                && in_order.is_none() =>
        {
            match country_and_status_sizes(db, &params.filter, today).await? {
                Some((c, s)) if s < c => None,
                _ => Some(index),
            }
        }
        _ => None,
    };
    let walk = if page_ids.is_some() || in_order.is_some() || text_in_index {
        None
    } else if !walkable || path != PagePath::Choose {
        (walkable && path == PagePath::Walk).then_some(params.sort)
    } else if db.backend == super::pool::Backend::Postgres {
        // PostgreSQL's planner knows how common each value is (SQLite's, without
        // statistics, does not): given the page's ids query with every filter as it is,
        // it picks the walk or the filters' indexes itself, from the indexes alone (index-
        // only scans of the covering indexes). Hiding the filters from it as a walk does
        // made it guess one match and read 134,000 rows (190 ms instead of 40).
        None
    } else if country_index.is_some() || open_index.is_some() {
        Some(params.sort)
    } else {
        let requests = requests_at_most(db).await?;
        let one_status_by_date = matches!(params.filter.status, Some(StatusFilter::Is(_)))
            && matches!(params.sort, SortColumn::Start | SortColumn::Due);
        let common = total_capped || total * 5 >= requests || one_status_by_date;
        let ahead = if common {
            0
        } else {
            // only the columns the filters read (a case is never among them here): without
            // a text search, all are in the sort order's index, and the 2,000 rows are
            // judged from it alone rather than each read from the table
            let text = if params.filter.q.is_some() { ", r.search_text" } else { "" };
            let mut probe = Sql::new(&format!(
                "SELECT COUNT(*) AS n FROM (SELECT r.id, r.direction, r.country, r.status, r.kind, r.offence, \
                 r.legal_basis, r.start_date, r.due_on{text} FROM requests r WHERE 1 = 1"
            ));
            push_keyset(&mut probe, key, desc, cursor);
            probe.push(&format!(" ORDER BY {key} {dir}, r.id {dir} LIMIT 2000) r"));
            push_filter(&mut probe, &params.filter, &today_s);
            probe.query().fetch_one(&db.pool).await?.try_get::<i64, _>("n")?
        };
        (common || ahead > PAGE_SIZE as i64).then_some(params.sort)
    };

    let (walk_hint, through) = match (walk, country_index, open_index) {
        (Some(_), Some(index), _) => (db.indexed_by(index), Through::Country),
        (Some(_), None, Some(index)) => (db.indexed_by(index), Through::OpenRequests),
        _ => (String::new(), Through::SortOrder),
    };
    let selected = format!(
        "SELECT r.id, r.reference, r.direction, r.country, r.kind, r.offence, r.case_id, c.number AS case_number, \
         r.urgent, r.start_date, r.due_on, r.status, r.answered_on, {key} AS sort_key FROM"
    );
    let columns = format!("{selected} requests r{walk_hint}{case_join}");
    let order = format!(" ORDER BY {key} {dir}, r.id {dir}");
    let mut sql;
    if let Some((index, query)) = in_order {
        // the index first (CROSS JOIN keeps SQLite's join order), each of its rows' request
        // by id; the cursor as a row number of the index
        sql = Sql::new(&format!("{selected} {index} s CROSS JOIN requests r{case_join}"));
        push_filter_with(&mut sql, &params.filter, &today_s, None, Through::SortOrder, false);
        sql.push(&format!(" AND {index} MATCH ")).text(query);
        sql.push(&format!(" AND r.id = (s.rowid{ID_OF_ROW})"));
        if let Some(c) = cursor {
            let op = if desc { "<" } else { ">" };
            sql.push(&format!(" AND s.rowid {op} ((CAST(replace(")).text(c.key.clone());
            sql.push(", '-', '') AS INTEGER) << 32) | ").int(c.id).push(")");
        }
        sql.push(&format!(" ORDER BY s.rowid {dir}"));
    } else if text_in_index {
        // the page's ids: walking the index by the date that carries the texts of at most
        // `TEXT_IN_INDEX` bytes, and beside it the index of the longer ones
        sql = Sql::new(&format!("{columns} WHERE r.id IN (SELECT id FROM ("));
        for (n, texts) in text_in_index_parts().iter().enumerate() {
            sql.push(if n == 0 { "(" } else { " UNION ALL (" });
            sql.push("SELECT r.id FROM requests r");
            push_filter_with(&mut sql, &params.filter, &today_s, None, Through::SortOrder, false);
            sql.push(texts);
            push_keyset(&mut sql, key, desc, cursor);
            sql.push(&order).push(" LIMIT ").int(PAGE_SIZE as i64 + 1).push(")");
        }
        sql.push(") u)").push(&order);
    } else if let Some(ids) = &page_ids {
        sql = Sql::new(&format!("{columns} WHERE r.id IN (NULL"));
        for id in ids {
            sql.push(", ").int(*id);
        }
        sql.push(")").push(&order);
    } else if walk.is_some() || params.filter.case_id.is_some() || matches!(params.sort, SortColumn::Case) {
        sql = Sql::new(&columns);
        push_filter_with(&mut sql, &params.filter, &today_s, walk, through, fts && walk.is_none());
        push_keyset(&mut sql, key, desc, cursor);
        sql.push(&order);
    } else {
        // The page's ids first, from the indexes alone where they cover the filters and
        // the order (open requests: the open-by-due index), then those rows: reading
        // every match's row only to sort them cost ten times more.
        sql = Sql::new(&format!("{columns} WHERE r.id IN (SELECT r.id FROM requests r{hint}"));
        push_filter_with(&mut sql, &params.filter, &today_s, None, Through::SortOrder, fts);
        push_keyset(&mut sql, key, desc, cursor);
        sql.push(&order).push(" LIMIT ").int(PAGE_SIZE as i64 + 1).push(")");
        sql.push(&order);
    }
    sql.push(" LIMIT ").int(PAGE_SIZE as i64 + 1);

    let mut records: Vec<ListRecord> = sql.query_as().fetch_all(&db.pool).await?;
    let more = records.len() > PAGE_SIZE as usize;
    records.truncate(PAGE_SIZE as usize);
    if backwards {
        records.reverse();
    }
    let cursor = |r: &ListRecord| Cursor { id: r.id, key: r.sort_key.clone() }.encode();
    let (prev, next) = match (records.first(), records.last()) {
        (Some(first), Some(last)) => {
            let has_prev = if backwards { more } else { after.is_some() };
            let has_next = if backwards { true } else { more };
            (has_prev.then(|| cursor(first)), has_next.then(|| cursor(last)))
        }
        _ => (None, None),
    };
    let rows = records
        .into_iter()
        .map(|r| {
            let st = status(&r.status)?;
            let due_on = date(r.due_on)?;
            Ok(RequestRow {
                id: r.id,
                direction: Direction::from_code(&r.direction).ok_or_else(|| corrupt("direction", &r.direction))?,
                kind: Kind::from_code(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?,
                offence: Offence::from_code(&r.offence).ok_or_else(|| corrupt("offence", &r.offence))?,
                overdue: is_overdue(st, due_on, today),
                status: st,
                due_on,
                start_date: date(r.start_date)?,
                answered_on: date(r.answered_on)?,
                reference: r.reference,
                country: r.country,
                case_id: r.case_id,
                case_number: r.case_number,
                urgent: r.urgent != 0,
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    Ok(RequestPage { rows, total, total_capped, next, prev })
}
