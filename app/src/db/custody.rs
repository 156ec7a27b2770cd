//! Custody of persons on requests, and the deadlines it runs against. A custody record
//! belongs to a person's link to a request; its rule is the request's legal basis' limits
//! overridden by the request's country profile. Every change is audited.

use super::actor::Actor;
use super::audit;
use super::decode::{code, corrupt, date, ds};
use super::sql::{Param, Sql};
use super::{now, Db, DbError, DbResult};
use crate::domain::custody::{Custody, CustodyList, CustodyRecord, CustodyRule, DetentionKind, HeldPerson};
use crate::domain::{Direction, Kind};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A limit in days as stored (NULL: none).
pub(crate) fn days(r: &AnyRow, column: &str) -> DbResult<Option<u32>> {
    let v: Option<i64> = r.try_get(column)?;
    v.map(|n| u32::try_from(n).map_err(|_| corrupt(column, &n.to_string()))).transpose()
}

/// The rule columns `lb_arrest, lb_surrender, cp_arrest, cp_surrender` read into a rule.
pub(crate) fn rule(r: &AnyRow) -> DbResult<CustodyRule> {
    let basis = CustodyRule { arrest_days: days(r, "lb_arrest")?, surrender_days: days(r, "lb_surrender")? };
    let country = CustodyRule { arrest_days: days(r, "cp_arrest")?, surrender_days: days(r, "cp_surrender")? };
    Ok(basis.overridden_by(country))
}

/// The columns and joins every custody read shares: custody `c`, its request `r`, the
/// rule of `r`'s legal basis and country profile.
const FROM: &str = "c.request_id, c.person_id, c.kind, c.arrested_on, c.decided_on, c.released_on, c.surrendered_on, \
     c.notes, c.version, lb.arrest_days AS lb_arrest, lb.surrender_days AS lb_surrender, \
     cp.arrest_days AS cp_arrest, cp.surrender_days AS cp_surrender";
const JOINS: &str = "FROM custody c JOIN requests r ON r.id = c.request_id \
     LEFT JOIN legal_bases lb ON lb.code = r.legal_basis LEFT JOIN country_profiles cp ON cp.country = r.country";

fn record(r: &AnyRow) -> DbResult<CustodyRecord> {
    let arrested: String = r.try_get("arrested_on")?;
    let custody = Custody {
        kind: code("detention kind", &r.try_get::<String, _>("kind")?, DetentionKind::from_code)?,
        arrested_on: date(Some(arrested.clone()))?.ok_or_else(|| corrupt("arrested_on", &arrested))?,
        decided_on: date(r.try_get("decided_on")?)?,
        released_on: date(r.try_get("released_on")?)?,
        surrendered_on: date(r.try_get("surrendered_on")?)?,
        notes: r.try_get("notes")?,
    };
    let rule = rule(r)?;
    Ok(CustodyRecord {
        request_id: r.try_get("request_id")?,
        person_id: r.try_get("person_id")?,
        deadline: custody.deadline(&rule),
        custody,
        rule,
        version: r.try_get("version")?,
    })
}

/// The custody columns' values for `c`, in the order `kind, arrested_on, decided_on,
/// released_on, surrendered_on, notes`.
fn values(c: &Custody) -> [(&'static str, Param); 6] {
    [
        ("kind", Param::Text(c.kind.code().to_string())),
        ("arrested_on", Param::Text(c.arrested_on.to_string())),
        ("decided_on", Param::OptText(ds(c.decided_on))),
        ("released_on", Param::OptText(ds(c.released_on))),
        ("surrendered_on", Param::OptText(ds(c.surrendered_on))),
        ("notes", Param::OptText(c.notes.clone())),
    ]
}

/// Records a person's custody on a request (`version` None: a new record), or changes it
/// if nobody changed it since `version` was read (else `Conflict`, nothing written). The
/// person must be linked to the request.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save(
    conn: &mut AnyConnection,
    request_id: i64,
    person_id: i64,
    version: Option<i64>,
    c: &Custody,
    actor: &Actor,
) -> DbResult<()> {
    let linked: Option<i64> =
        sqlx::query_scalar("SELECT person_id FROM request_persons WHERE request_id = $1 AND person_id = $2")
            .bind(request_id)
            .bind(person_id)
            .fetch_optional(&mut *conn)
            .await?;
    linked.ok_or(DbError::NotFound("Person on this request"))?;
    let current: Option<i64> = sqlx::query_scalar("SELECT version FROM custody WHERE request_id = $1 AND person_id = $2")
        .bind(request_id)
        .bind(person_id)
        .fetch_optional(&mut *conn)
        .await?;
    match (current, version) {
        (None, None) => insert(conn, request_id, person_id, c).await?,
        (Some(current), Some(read)) if current == read => update(conn, request_id, person_id, c).await?,
        (Some(current_version), _) => return Err(DbError::Conflict { current_version }),
        (None, Some(_)) => return Err(DbError::NotFound("Custody")),
    }
    let details = serde_json::json!({ "request_id": request_id, "kind": c.kind.code(), "held": c.is_held() });
    audit::record(conn, actor, "custody.save", Some("person"), Some(person_id.to_string()), Some(details)).await
}

async fn insert(conn: &mut AnyConnection, request_id: i64, person_id: i64, c: &Custody) -> DbResult<()> {
    let columns: Vec<&str> = values(c).iter().map(|(name, _)| *name).collect();
    let mut sql = Sql::new(&format!("INSERT INTO custody (request_id, person_id, {}, updated_at) VALUES (", columns.join(", ")));
    sql.int(request_id).push(", ").int(person_id).push(", ");
    for (_, value) in values(c) {
        sql.bind(value).push(", ");
    }
    sql.text(now()).push(")");
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

async fn update(conn: &mut AnyConnection, request_id: i64, person_id: i64, c: &Custody) -> DbResult<()> {
    let mut sql = Sql::new("UPDATE custody SET ");
    for (column, value) in values(c) {
        sql.push(column).push(" = ").bind(value).push(", ");
    }
    sql.push("updated_at = ")
        .text(now())
        .push(", version = version + 1 WHERE request_id = ")
        .int(request_id)
        .push(" AND person_id = ")
        .int(person_id);
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

/// Deletes a person's custody record on a request (nothing if there is none).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(conn: &mut AnyConnection, request_id: i64, person_id: i64, actor: &Actor) -> DbResult<()> {
    let done = sqlx::query("DELETE FROM custody WHERE request_id = $1 AND person_id = $2")
        .bind(request_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(());
    }
    let details = serde_json::json!({ "request_id": request_id });
    audit::record(conn, actor, "custody.remove", Some("person"), Some(person_id.to_string()), Some(details)).await
}

/// The custody records of a request's persons.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_request(db: &Db, request_id: i64) -> DbResult<Vec<CustodyRecord>> {
    let rows = sqlx::query(&format!("SELECT {FROM} {JOINS} WHERE c.request_id = $1 ORDER BY c.person_id"))
        .bind(request_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(record).collect()
}

/// Everyone still held (neither released nor surrendered), in both directions, by days
/// left to their deadline as of `today`; those with no running limit last, longest held first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn held(db: &Db, today: NaiveDate) -> DbResult<CustodyList> {
    held_by(db, today, None).await
}

/// `held`, on the requests given to `assignee` only (when some).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn held_by(db: &Db, today: NaiveDate, assignee: Option<i64>) -> DbResult<CustodyList> {
    let mine = if assignee.is_some() { " AND r.assignee_id = $1" } else { "" };
    let sql = format!(
        "SELECT {FROM}, p.name AS person_name, r.reference, r.direction, r.country, r.kind AS request_kind {JOINS} \
         JOIN persons p ON p.id = c.person_id WHERE c.released_on IS NULL AND c.surrendered_on IS NULL{mine}"
    );
    let mut q = sqlx::query(&sql);
    if let Some(a) = assignee {
        q = q.bind(a);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let mut held = rows
        .iter()
        .map(|r| {
            let record = record(r)?;
            Ok(HeldPerson {
                person_name: r.try_get("person_name")?,
                reference: r.try_get("reference")?,
                direction: code("direction", &r.try_get::<String, _>("direction")?, Direction::from_code)?,
                country: r.try_get("country")?,
                kind: code("kind", &r.try_get::<String, _>("request_kind")?, Kind::from_code)?,
                days_left: record.deadline.map(|d| d.days_left(today)),
                record,
            })
        })
        .collect::<DbResult<Vec<_>>>()?;
    held.sort_by_key(|h| (h.days_left.is_none(), h.days_left, h.record.custody.arrested_on, h.reference.clone()));
    Ok(CustodyList { today, held })
}
