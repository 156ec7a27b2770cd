//! Persons and the requests they are linked to, with a role. Every change is recorded in
//! the audit trail. A search by name reads every person's folded name key and matches it
//! in Rust (`domain::names`: any spelling, one letter forgiven), which no index of either
//! backend can do.

use super::actor::Actor;
use super::audit;
use super::decode::{code, status};
use super::sql::{Param, Sql};
use super::{now, Db, DbError, DbResult};
use crate::domain::person::{name_key, Birth, Person, PersonRequest, PersonRole, PersonRow, ValidPerson};
use crate::domain::{names, Direction, Kind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The most persons a search answers.
pub const SEARCH_LIMIT: usize = 50;

fn joined(items: &[String], by: &str) -> String {
    items.join(by)
}

fn split(text: &str, by: char) -> Vec<String> {
    text.split(by).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn birth(text: Option<String>) -> DbResult<Option<Birth>> {
    text.filter(|t| !t.is_empty()).map(|t| Birth::parse(&t).ok_or_else(|| super::decode::corrupt("birth", &t))).transpose()
}

/// A person's own columns, in the order of `values`.
const COLUMNS: [&str; 7] = ["name", "other_names", "name_key", "birth", "citizenship", "documents", "notes"];

/// The values of `COLUMNS` for `v`.
fn values(v: &ValidPerson) -> [Param; 7] {
    [
        Param::Text(v.name.clone()),
        Param::Text(joined(&v.other_names, "\n")),
        Param::Text(v.name_key()),
        Param::OptText(v.birth.map(Birth::text)),
        Param::Text(joined(&v.citizenship, ",")),
        Param::OptText(v.documents.clone()),
        Param::OptText(v.notes.clone()),
    ]
}

/// Adds a person; returns the id.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(conn: &mut AnyConnection, v: &ValidPerson, actor: &Actor) -> DbResult<i64> {
    let at = now();
    let mut sql = Sql::new(&format!("INSERT INTO persons ({}, created_at, updated_at) VALUES (", COLUMNS.join(", ")));
    for value in values(v) {
        sql.bind(value).push(", ");
    }
    sql.text(at.clone()).push(", ").text(at).push(") RETURNING id");
    let id: i64 = sql.query().fetch_one(&mut *conn).await?.try_get("id")?;
    audit::record(conn, actor, "person.create", Some("person"), Some(id.to_string()), None).await?;
    Ok(id)
}

/// Changes a person, if nobody changed them since `version` was read (else `Conflict`,
/// and nothing is written).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update(conn: &mut AnyConnection, id: i64, version: i64, v: &ValidPerson, actor: &Actor) -> DbResult<()> {
    let mut sql = Sql::new("UPDATE persons SET ");
    for (column, value) in COLUMNS.into_iter().zip(values(v)) {
        sql.push(column).push(" = ").bind(value).push(", ");
    }
    sql.push("updated_at = ")
        .text(now())
        .push(", version = version + 1 WHERE id = ")
        .int(id)
        .push(" AND version = ")
        .int(version);
    let done = sql.query().execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        let current: Option<i64> =
            sqlx::query_scalar("SELECT version FROM persons WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
        return Err(match current {
            Some(current_version) => DbError::Conflict { current_version },
            None => DbError::NotFound("Person"),
        });
    }
    audit::record(conn, actor, "person.update", Some("person"), Some(id.to_string()), None).await
}

fn to_person(r: &AnyRow) -> DbResult<Person> {
    Ok(Person {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        other_names: split(&r.try_get::<String, _>("other_names")?, '\n'),
        birth: birth(r.try_get("birth")?)?,
        citizenship: split(&r.try_get::<String, _>("citizenship")?, ','),
        documents: r.try_get("documents")?,
        notes: r.try_get("notes")?,
        version: r.try_get("version")?,
    })
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(db: &Db, id: i64) -> DbResult<Person> {
    let row =
        sqlx::query("SELECT id, name, other_names, birth, citizenship, documents, notes, version FROM persons WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    to_person(&row.ok_or(DbError::NotFound("Person"))?)
}

fn to_row(r: &AnyRow, with_role: bool) -> DbResult<PersonRow> {
    let role = if with_role { Some(code("person role", &r.try_get::<String, _>("role")?, PersonRole::from_code)?) } else { None };
    Ok(PersonRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        birth: birth(r.try_get("birth")?)?,
        citizenship: split(&r.try_get::<String, _>("citizenship")?, ','),
        role,
    })
}

/// Links a person to a request with a role (or changes the role of a link).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn link(conn: &mut AnyConnection, request_id: i64, person_id: i64, role: PersonRole, actor: &Actor) -> DbResult<()> {
    let request: Option<i64> =
        sqlx::query_scalar("SELECT id FROM requests WHERE id = $1").bind(request_id).fetch_optional(&mut *conn).await?;
    request.ok_or(DbError::NotFound("Request"))?;
    let person: Option<i64> =
        sqlx::query_scalar("SELECT id FROM persons WHERE id = $1").bind(person_id).fetch_optional(&mut *conn).await?;
    person.ok_or(DbError::NotFound("Person"))?;
    sqlx::query(
        "INSERT INTO request_persons (request_id, person_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (request_id, person_id) DO UPDATE SET role = excluded.role",
    )
    .bind(request_id)
    .bind(person_id)
    .bind(role.code())
    .execute(&mut *conn)
    .await?;
    let details = serde_json::json!({ "request_id": request_id, "role": role.code() });
    audit::record(conn, actor, "person.link", Some("person"), Some(person_id.to_string()), Some(details)).await
}

/// Takes a person off a request, with their custody on it (nothing if they were not on it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn unlink(conn: &mut AnyConnection, request_id: i64, person_id: i64, actor: &Actor) -> DbResult<()> {
    super::custody::remove(conn, request_id, person_id, actor).await?;
    let done = sqlx::query("DELETE FROM request_persons WHERE request_id = $1 AND person_id = $2")
        .bind(request_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(());
    }
    let details = serde_json::json!({ "request_id": request_id });
    audit::record(conn, actor, "person.unlink", Some("person"), Some(person_id.to_string()), Some(details)).await
}

/// The persons a request concerns, with their roles, by name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_request(db: &Db, request_id: i64) -> DbResult<Vec<PersonRow>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.birth, p.citizenship, rp.role FROM request_persons rp \
         JOIN persons p ON p.id = rp.person_id WHERE rp.request_id = $1 ORDER BY p.name, p.id",
    )
    .bind(request_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| to_row(r, true)).collect()
}

/// The requests concerning a person, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn requests_of(db: &Db, person_id: i64) -> DbResult<Vec<PersonRequest>> {
    let rows = sqlx::query(
        "SELECT r.id, r.reference, r.direction, r.country, r.kind, r.status, c.number AS case_number, rp.role \
         FROM request_persons rp JOIN requests r ON r.id = rp.request_id LEFT JOIN cases c ON c.id = r.case_id \
         WHERE rp.person_id = $1 ORDER BY COALESCE(r.start_date, '') DESC, r.id DESC",
    )
    .bind(person_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PersonRequest {
                request_id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                direction: code("direction", &r.try_get::<String, _>("direction")?, Direction::from_code)?,
                country: r.try_get("country")?,
                kind: code("kind", &r.try_get::<String, _>("kind")?, Kind::from_code)?,
                status: status(&r.try_get::<String, _>("status")?)?,
                case_number: r.try_get("case_number")?,
                role: code("person role", &r.try_get::<String, _>("role")?, PersonRole::from_code)?,
            })
        })
        .collect()
}

/// Every person's id and folded name key, for matching in Rust.
async fn keys(db: &Db) -> DbResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, name_key FROM persons ORDER BY id").fetch_all(&db.pool).await?)
}

/// The persons with these ids, by name.
async fn rows(db: &Db, ids: &[i64]) -> DbResult<Vec<PersonRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT id, name, birth, citizenship FROM persons WHERE id IN (NULL");
    for id in ids {
        sql.push(", ").int(*id);
    }
    sql.push(") ORDER BY name, id");
    sql.query().fetch_all(&db.pool).await?.iter().map(|r| to_row(r, false)).collect()
}

/// Persons whose name, in any of its spellings, answers `query` (`names::key_matches`),
/// at most `SEARCH_LIMIT`, by name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn search(db: &Db, query: &str) -> DbResult<Vec<PersonRow>> {
    let ids: Vec<i64> = keys(db)
        .await?
        .into_iter()
        .filter(|(_, key)| names::key_matches(query, key))
        .map(|(id, _)| id)
        .take(SEARCH_LIMIT)
        .collect();
    rows(db, &ids).await
}

/// Persons who may be the one described by `v` (a spelling of the name alike and the same
/// birth), other than `except`: the "possible same person" hint.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn alike(db: &Db, v: &ValidPerson, except: Option<i64>) -> DbResult<Vec<PersonRow>> {
    let Some(born) = v.birth else { return Ok(Vec::new()) };
    let key = name_key(&v.name, &v.other_names);
    let ids: Vec<i64> = keys(db)
        .await?
        .into_iter()
        .filter(|(id, k)| Some(*id) != except && names::keys_alike(&key, k))
        .map(|(id, _)| id)
        .collect();
    let found = rows(db, &ids).await?;
    Ok(found.into_iter().filter(|p| p.birth.is_some_and(|b| b.may_be_same(born))).take(SEARCH_LIMIT).collect())
}
