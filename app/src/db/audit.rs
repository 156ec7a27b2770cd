//! The audit trail: who did what, when, from where. Append-only: this module only
//! inserts and reads, and the database refuses updates and deletes.

use super::sql::Sql;
use super::DbResult;
use crate::domain::user::AuditEntry;
use sqlx::{AnyConnection, Row};

/// Who is acting: a signed-in user, or the system (CLI) with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor { user_id: None, username: name.to_string(), ip: None }
    }
}

pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// An entry to append (`record_many`).
pub struct NewEntry<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: Option<&'a str>,
    pub entity_id: Option<String>,
    pub details: Option<serde_json::Value>,
}

/// Appends entries in one statement (100 to a statement), inside the caller's
/// transaction: for writers of many changes at once.
pub async fn record_many(conn: &mut AnyConnection, entries: &[NewEntry<'_>]) -> DbResult<()> {
    let at = now_secs();
    for batch in entries.chunks(100) {
        let mut sql = Sql::new("INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, details, ip) VALUES ");
        for (n, e) in batch.iter().enumerate() {
            sql.push(if n == 0 { "(" } else { ", (" });
            sql.int(at).push(", ").opt_int(e.actor.user_id).push(", ").text(e.actor.username.clone());
            sql.push(", ").text(e.action).push(", ").opt_text(e.entity).push(", ").opt_text(e.entity_id.clone());
            sql.push(", ").opt_text(e.details.as_ref().map(|d| d.to_string())).push(", ").opt_text(e.actor.ip.clone());
            sql.push(")");
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Appends one entry, inside the caller's transaction when it has one, so that the
/// entry and the change it records commit together.
pub async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    entity: Option<&str>,
    entity_id: Option<String>,
    details: Option<serde_json::Value>,
) -> DbResult<()> {
    record_many(conn, &[NewEntry { actor, action, entity, entity_id, details }]).await
}

/// What the audit page filters by.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditFilter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// entries older than this id (keyset paging, newest first)
    pub before_id: Option<i64>,
}

pub const AUDIT_PAGE: i64 = 100;

/// Entries matching the filter, newest first.
pub async fn list(conn: &mut AnyConnection, f: &AuditFilter) -> DbResult<Vec<AuditEntry>> {
    let mut sql = Sql::new("SELECT id, at, username, action, entity, entity_id, details, ip FROM audit_log WHERE 1 = 1");
    if let Some(u) = &f.username {
        sql.push(" AND username = ").text(u.as_str());
    }
    if let Some(a) = &f.action {
        sql.push(" AND action = ").text(a.as_str());
    }
    if let Some(e) = &f.entity {
        sql.push(" AND entity = ").text(e.as_str());
    }
    if let Some(id) = &f.entity_id {
        sql.push(" AND entity_id = ").text(id.as_str());
    }
    if let Some(b) = f.before_id {
        sql.push(" AND id < ").int(b);
    }
    sql.push(" ORDER BY id DESC LIMIT ").int(AUDIT_PAGE);
    let rows = sql.query().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let at: i64 = r.try_get("at")?;
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: chrono::DateTime::from_timestamp(at, 0)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_default(),
                username: r.try_get("username")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                details: r.try_get("details")?,
                ip: r.try_get("ip")?,
            })
        })
        .collect()
}
