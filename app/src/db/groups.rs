//! Country groups and their members.

use super::audit::now_secs;
use super::{Db, DbError, DbResult};
use crate::domain::group::{CountryGroup, ValidGroup};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(db: &Db) -> DbResult<Vec<CountryGroup>> {
    let rows = sqlx::query(
        "SELECT g.id, g.name, m.country FROM country_groups g LEFT JOIN country_group_members m ON m.group_id = g.id \
         ORDER BY g.name, m.country",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut groups: BTreeMap<(String, i64), Vec<String>> = BTreeMap::new();
    for r in rows {
        let entry = groups.entry((r.try_get("name")?, r.try_get("id")?)).or_default();
        if let Some(c) = r.try_get::<Option<String>, _>("country")? {
            entry.push(c);
        }
    }
    Ok(groups.into_iter().map(|((name, id), countries)| CountryGroup { id, name, countries }).collect())
}

async fn name_taken(conn: &mut AnyConnection, name: &str, except: Option<i64>) -> DbResult<bool> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM country_groups WHERE name = $1").bind(name).fetch_optional(&mut *conn).await?;
    Ok(id.is_some_and(|id| Some(id) != except))
}

async fn set_members(conn: &mut AnyConnection, id: i64, countries: &[String]) -> DbResult<()> {
    sqlx::query("DELETE FROM country_group_members WHERE group_id = $1").bind(id).execute(&mut *conn).await?;
    for c in countries {
        sqlx::query("INSERT INTO country_group_members (group_id, country) VALUES ($1, $2)")
            .bind(id)
            .bind(c)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Creates (`id` None) or replaces a group, inside the caller's transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save(conn: &mut AnyConnection, id: Option<i64>, g: &ValidGroup) -> DbResult<i64> {
    if name_taken(conn, &g.name, id).await? {
        return Err(DbError::DuplicateGroup(g.name.clone()));
    }
    let id = match id {
        Some(id) => {
            let done = sqlx::query("UPDATE country_groups SET name = $1 WHERE id = $2")
                .bind(&g.name)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            if done.rows_affected() == 0 {
                return Err(DbError::NotFound("Country group"));
            }
            id
        }
        None => {
            sqlx::query_scalar("INSERT INTO country_groups (name, created_at) VALUES ($1, $2) RETURNING id")
                .bind(&g.name)
                .bind(now_secs())
                .fetch_one(&mut *conn)
                .await?
        }
    };
    set_members(conn, id, &g.countries).await?;
    Ok(id)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM country_group_members WHERE group_id = $1").bind(id).execute(&mut *conn).await?;
    let done = sqlx::query("DELETE FROM country_groups WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("Country group"));
    }
    Ok(())
}
