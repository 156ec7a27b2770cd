//! Requests: create, read, edit (optimistic concurrency), status changes, reminders and
//! the timeline. The registry's list is `db::list`.

use super::actor::Actor;
use super::audit;
use super::conditions::push_filter;
use super::decode::{code, corrupt, date, ds, status};
use super::search::search_text;
use super::sql::{Param, Sql, INSERT_BATCH};
use super::timeline::{insert_event, insert_events_at, NewEvent};
use super::{cases, now, totals, Db, DbError, DbResult};
use crate::domain::request::reference_key;
use crate::domain::{Direction, EventKind, Kind, Offence, RefusalGround, Reminder, Request, StatusChange, ValidRequest};
use chrono::{Days, NaiveDate};
use sqlx::{AnyConnection, Row};

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
            direction: code("direction", &r.direction, Direction::from_code)?,
            kind: code("kind", &r.kind, Kind::from_code)?,
            offence: code("offence", &r.offence, Offence::from_code)?,
            status: status(&r.status)?,
            refusal_ground: match r.refusal_ground.as_deref() {
                None | Some("") => None,
                Some(g) => Some(code("refusal ground", g, RefusalGround::from_code)?),
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

/// The request's own columns, in the order every INSERT, UPDATE and SELECT of a request
/// names them; `own_values` gives each its value, `RequestRecord` reads it back. A new
/// column goes here, there, in `RequestRecord` and in a migration of each backend.
const OWN_COLUMNS: [&str; 18] = [
    "reference",
    "their_reference",
    "direction",
    "country",
    "counterpart_authority",
    "kind",
    "legal_basis",
    "legal_basis_note",
    "offence",
    "case_id",
    "summary",
    "urgent",
    "start_date",
    "due_on",
    "status",
    "answered_on",
    "refusal_ground",
    "refusal_note",
];

/// The values of `OWN_COLUMNS` for `v` (with its case's id), in their order.
fn own_values(v: &ValidRequest, case_id: Option<i64>) -> [Param; 18] {
    let text = |s: &str| Param::Text(s.to_string());
    let opt = |s: &Option<String>| Param::OptText(s.clone());
    [
        text(&v.reference),
        opt(&v.their_reference),
        text(v.direction.code()),
        text(&v.country),
        opt(&v.counterpart_authority),
        text(v.kind.code()),
        text(&v.legal_basis),
        opt(&v.legal_basis_note),
        text(v.offence.code()),
        Param::OptInt(case_id),
        opt(&v.summary),
        Param::Int(v.urgent as i64),
        Param::OptText(ds(v.start_date)),
        Param::OptText(ds(v.due_on)),
        text(v.status.code()),
        Param::OptText(ds(v.answered_on)),
        Param::OptText(v.refusal_ground.map(|g| g.code().to_string())),
        opt(&v.refusal_note),
    ]
}

/// What every write of a request's fields also writes, derived from them: the text the
/// search looks in and the registry number's key.
const DERIVED_COLUMNS: [&str; 2] = ["search_text", "reference_key"];

/// The values of `DERIVED_COLUMNS` for `v`, in their order.
fn derived_values(v: &ValidRequest) -> [Param; 2] {
    [
        Param::Text(search_text(&v.reference, v.their_reference.as_deref(), v.summary.as_deref())),
        Param::Text(reference_key(&v.reference)),
    ]
}

/// A request's row with its case and legal basis (`RequestRecord`).
static SELECT_REQUEST: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let own: Vec<String> = OWN_COLUMNS.iter().map(|c| format!("r.{c}")).collect();
    format!(
        "SELECT r.id, {}, lb.label AS legal_basis_label, c.number AS case_number, c.title AS case_title, \
         r.version, r.created_at, r.updated_at \
         FROM requests r LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN legal_bases lb ON lb.code = r.legal_basis",
        own.join(", ")
    )
});

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(db: &Db, id: i64) -> DbResult<Request> {
    let mut conn = db.pool.acquire().await?;
    get_in(&mut conn, id).await
}

async fn get_in(conn: &mut AnyConnection, id: i64) -> DbResult<Request> {
    let record: Option<RequestRecord> =
        sqlx::query_as(&format!("{} WHERE r.id = $1", *SELECT_REQUEST)).bind(id).fetch_optional(&mut *conn).await?;
    record.ok_or(DbError::NotFound("Request"))?.try_into()
}

/// Every request matching `filter` (whatever its page), oldest first: what an export
/// writes.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn matching(db: &Db, filter: &crate::domain::RequestFilter, today: NaiveDate) -> DbResult<Vec<Request>> {
    let mut sql = Sql::new(&SELECT_REQUEST);
    push_filter(&mut sql, filter, &today.to_string());
    sql.push(" ORDER BY r.id");
    let records: Vec<RequestRecord> = sql.query_as().fetch_all(&db.pool).await?;
    records.into_iter().map(Request::try_from).collect()
}

/// The id of the request with this registry number, whatever its letter case.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn id_by_reference(conn: &mut AnyConnection, reference: &str) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM requests WHERE reference_key = $1")
        .bind(reference_key(reference))
        .fetch_optional(&mut *conn)
        .await?)
}

async fn check_legal_basis(conn: &mut AnyConnection, code: &str) -> DbResult<()> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT code FROM legal_bases WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    found.map(|_| ()).ok_or(DbError::UnknownLegalBasis)
}

fn unique_violation(e: sqlx::Error, reference: &str) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::DuplicateReference(reference.to_string()),
        _ => DbError::Sqlx(e),
    }
}

/// Inserts a checked request (its case resolved or created) inside the caller's
/// transaction, with its "created" timeline entry. Returns the new id.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_in(conn: &mut AnyConnection, v: &ValidRequest, actor: &Actor, at: &str) -> DbResult<i64> {
    let id = insert_in_uncounted(conn, v, actor, at).await?;
    totals::add(conn, id).await?;
    Ok(id)
}

/// `insert_in`, the request not yet counted into the dashboard totals: for writers of
/// several requests in one transaction, which count them together (`totals::add_many`)
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

/// The INSERT alone, for callers that made the checks (reference free, legal basis
/// known, case resolved) and count the row into the dashboard totals themselves.
pub(crate) async fn insert_plain(conn: &mut AnyConnection, v: &ValidRequest, case_id: Option<i64>, at: &str) -> DbResult<i64> {
    Ok(insert_plain_many(conn, &[(v, case_id)], at).await?[0])
}

/// `insert_plain` for many requests (each with its case's id), `INSERT_BATCH` to a
/// statement. Returns their ids, in the order given. The caller made `insert_plain`'s
/// checks and counts the rows into the totals (`totals::add_many`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert_plain_many(conn: &mut AnyConnection, rows: &[(&ValidRequest, Option<i64>)], at: &str) -> DbResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for batch in rows.chunks(INSERT_BATCH) {
        let mut sql = Sql::new("INSERT INTO requests (");
        sql.push(&[&OWN_COLUMNS[..], &DERIVED_COLUMNS[..], &["created_at", "updated_at"]].concat().join(", ")).push(") VALUES ");
        for (n, (v, case_id)) in batch.iter().enumerate() {
            sql.push(if n == 0 { "(" } else { ", (" });
            let written = own_values(v, *case_id).into_iter().chain(derived_values(v));
            for (k, value) in written.chain([Param::Text(at.to_string()), Param::Text(at.to_string())]).enumerate() {
                sql.push(if k == 0 { "" } else { ", " }).bind(value);
            }
            sql.push(")");
        }
        sql.push(" RETURNING id, reference");
        let references = || batch.iter().map(|(v, _)| v.reference.as_str()).collect::<Vec<_>>().join(", ");
        // RETURNING's rows come in no promised order: matched up by reference (unique)
        let mut returned = std::collections::HashMap::new();
        for row in sql.query().fetch_all(&mut *conn).await.map_err(|e| unique_violation(e, &references()))? {
            returned.insert(row.try_get::<String, _>("reference")?, row.try_get::<i64, _>("id")?);
        }
        for (v, _) in batch {
            ids.push(*returned.get(&v.reference).ok_or_else(|| corrupt("inserted request", &v.reference))?);
        }
    }
    Ok(ids)
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
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM requests WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    match current {
        Some(current_version) => Err(DbError::Conflict { current_version }),
        None => Err(DbError::NotFound("Request")),
    }
}

/// Saves an edit of request `id` made from `version`. A stale version is rejected with
/// `Conflict` and nothing is written. Returns the new version.
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_in(conn: &mut AnyConnection, id: i64, v: &ValidRequest, actor: &Actor, at: &str, how: &str) -> DbResult<()> {
    let user = Some(actor.username.as_str());
    let old = get_in(conn, id).await?;
    if let Some(other) = id_by_reference(conn, &v.reference).await? {
        if other != id {
            return Err(DbError::DuplicateReference(v.reference.clone()));
        }
    }
    check_legal_basis(conn, &v.legal_basis).await?;
    totals::remove(conn, id).await?;
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
    let mut update = Sql::new("UPDATE requests SET ");
    let written = OWN_COLUMNS.into_iter().chain(DERIVED_COLUMNS).zip(own_values(v, case_id).into_iter().chain(derived_values(v)));
    for (n, (column, value)) in written.enumerate() {
        update.push(if n == 0 { "" } else { ", " }).push(column).push(" = ").bind(value);
    }
    update.push(" WHERE id = ").int(id);
    update.query().execute(&mut *conn).await.map_err(|e| unique_violation(e, &v.reference))?;
    totals::add(conn, id).await?;

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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn touch_version(conn: &mut AnyConnection, id: i64, at: &str) -> DbResult<()> {
    sqlx::query("UPDATE requests SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Applies a checked status change to request `id` seen at `version`, with its timeline
/// entry, in one transaction.
#[tracing::instrument(level = "debug", skip_all)]
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
    totals::remove(&mut tx, id).await?;
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
    totals::add(&mut tx, id).await?;
    // written in the language of the person changing the status, as their own note is
    let note = {
        use crate::labels::Label;
        match (change.refusal_ground, &change.note) {
            (Some(g), Some(n)) => Some(crate::tr!(request.ground_note, ground = g.text(), note = n)),
            (Some(g), None) => Some(crate::tr!(request.ground_only, ground = g.text())),
            (None, n) => n.clone(),
        }
    };
    insert_event(
        &mut tx,
        id,
        EventKind::StatusChanged,
        Some(change.from),
        Some(change.to),
        Some(change.date),
        note.as_deref(),
        user,
        &at,
    )
    .await?;
    let details = serde_json::json!({ "before": { "status": current.status, "answered_on": current.answered_on, "refusal_ground": current.refusal_ground }, "after": change });
    audit::record(&mut tx, actor, "request.status", Some("request"), Some(id.to_string()), Some(details)).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a reminder sent to the counterpart.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_reminder(db: &Db, id: i64, reminder: &Reminder, actor: &Actor) -> DbResult<()> {
    let at = now();
    let mut tx = db.begin_write().await?;
    let current = get_in(&mut tx, id).await?;
    insert_event(
        &mut tx,
        id,
        EventKind::Reminder,
        None,
        Some(current.status),
        Some(reminder.date),
        reminder.note.as_deref(),
        Some(&actor.username),
        &at,
    )
    .await?;
    super::reminders::step_taken(&mut tx, db.backend, id, reminder.date).await?;
    audit::record(&mut tx, actor, "request.reminder", Some("request"), Some(id.to_string()), Some(serde_json::json!(reminder)))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Fills `reference_key` where migration 0016 could not (numbers with letters beyond
/// ASCII), in batches. A number whose key another request holds already (two numbers
/// that differ only in letter case, stored before keys existed) keeps none:
/// `requests_sharing_a_key` names them. Returns how many were filled and how many not.
pub(crate) async fn fill_reference_keys(db: &Db) -> DbResult<(u64, u64)> {
    let (mut filled, mut shared, mut after) = (0, 0, 0i64);
    loop {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, reference FROM requests WHERE reference_key IS NULL AND id > $1 ORDER BY id LIMIT 2000")
                .bind(after)
                .fetch_all(&db.pool)
                .await?;
        let Some(&(last, _)) = rows.last() else { return Ok((filled, shared)) };
        after = last;
        let mut tx = db.begin_write().await?;
        for (id, reference) in &rows {
            let key = reference_key(reference);
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM requests WHERE reference_key = $1")
                .bind(&key)
                .fetch_optional(&mut *tx)
                .await?;
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count_stored(db: &Db) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(&db.pool).await?)
}

/// Requests whose registry number differs from another's only in letter case (stored
/// before that was refused), each with the request holding the number: (id, reference,
/// the other's id, the other's reference).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn requests_sharing_a_key(db: &Db) -> DbResult<Vec<(i64, String, i64, String)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, reference FROM requests WHERE reference_key IS NULL ORDER BY id").fetch_all(&db.pool).await?;
    let mut out = Vec::new();
    let mut conn = db.pool.acquire().await?;
    for (id, reference) in rows {
        if let Some(other) = id_by_reference(&mut conn, &reference).await? {
            let theirs: String =
                sqlx::query_scalar("SELECT reference FROM requests WHERE id = $1").bind(other).fetch_one(&mut *conn).await?;
            out.push((id, reference, other, theirs));
        }
    }
    Ok(out)
}
