//! Cases and their request counts.

use super::sql::Sql;
use super::{now, Db, DbError, DbResult};
use crate::domain::{CaseOption, CaseSummary};
use sqlx::{AnyConnection, Row};

use super::conditions::{ANSWERED, OPEN};

fn summary_sql(today: &str, one: Option<i64>) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT c.id, c.number, c.title, COUNT(r.id) AS requests, COUNT(DISTINCT r.country) AS countries, \
         COALESCE(SUM(CASE WHEN r.status IN {OPEN} THEN 1 ELSE 0 END), 0) AS open, \
         COALESCE(SUM(CASE WHEN r.status IN {OPEN} AND r.due_on < "
    ));
    sql.text(today);
    sql.push(&format!(
        " THEN 1 ELSE 0 END), 0) AS overdue, \
         COALESCE(SUM(CASE WHEN r.status IN {ANSWERED} THEN 1 ELSE 0 END), 0) AS answered \
         FROM cases c LEFT JOIN requests r ON r.case_id = c.id"
    ));
    if let Some(id) = one {
        sql.push(" WHERE c.id = ").int(id);
    }
    sql.push(" GROUP BY c.id, c.number, c.title ORDER BY c.number");
    sql
}

fn to_summary(r: &sqlx::any::AnyRow) -> DbResult<CaseSummary> {
    Ok(CaseSummary {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        requests: r.try_get("requests")?,
        countries: r.try_get("countries")?,
        open: r.try_get("open")?,
        overdue: r.try_get("overdue")?,
        answered: r.try_get("answered")?,
    })
}

/// Every case with its request counts, by case number.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(db: &Db, today: chrono::NaiveDate) -> DbResult<Vec<CaseSummary>> {
    let sql = summary_sql(&today.to_string(), None);
    sql.query().fetch_all(&db.pool).await?.iter().map(to_summary).collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(db: &Db, id: i64, today: chrono::NaiveDate) -> DbResult<CaseSummary> {
    let sql = summary_sql(&today.to_string(), Some(id));
    match sql.query().fetch_optional(&db.pool).await? {
        Some(r) => to_summary(&r),
        None => Err(DbError::NotFound("Case")),
    }
}

/// Number and title of every case, for the request form's picker.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn options(db: &Db) -> DbResult<Vec<CaseOption>> {
    let rows = sqlx::query("SELECT number, title FROM cases ORDER BY number").fetch_all(&db.pool).await?;
    rows.iter().map(|r| Ok(CaseOption { number: r.try_get("number")?, title: r.try_get("title")? })).collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn id_by_number(conn: &mut AnyConnection, number: &str) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM cases WHERE number = $1").bind(number).fetch_optional(&mut *conn).await?)
}

/// `find_or_create` for bulk writes: the ids found so far are kept in `known`, so each
/// case number is looked up once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_or_create_cached(
    conn: &mut AnyConnection,
    known: &mut std::collections::HashMap<String, i64>,
    number: &str,
    title: Option<&str>,
) -> DbResult<i64> {
    if let Some(id) = known.get(number) {
        return Ok(*id);
    }
    let id = find_or_create(conn, number, title).await?;
    known.insert(number.to_string(), id);
    Ok(id)
}

/// The id of the case with this number, creating it (with `title`) if it is new.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_or_create(conn: &mut AnyConnection, number: &str, title: Option<&str>) -> DbResult<i64> {
    Ok(find_or_create_telling(conn, number, title).await?.0)
}

/// `find_or_create`, and whether this call created the case (not another writer at the
/// same moment: on PostgreSQL several creations naming a new case can run side by side,
/// and only the one whose insert took records the case's creation).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn find_or_create_telling(conn: &mut AnyConnection, number: &str, title: Option<&str>) -> DbResult<(i64, bool)> {
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM cases WHERE number = $1").bind(number).fetch_optional(&mut *conn).await?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let title = title.ok_or(DbError::CaseTitleMissing)?;
    // another writer may create the same case at the same moment (PostgreSQL writers run
    // side by side): then theirs is the case
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO cases (number, title, created_at) VALUES ($1, $2, $3) ON CONFLICT (number) DO NOTHING RETURNING id",
    )
    .bind(number)
    .bind(title)
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    match created {
        Some(id) => Ok((id, true)),
        None => {
            Ok((sqlx::query_scalar("SELECT id FROM cases WHERE number = $1").bind(number).fetch_one(&mut *conn).await?, false))
        }
    }
}
