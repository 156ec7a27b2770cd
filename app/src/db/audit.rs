//! The audit trail: who did what, when, from where. Append-only: this module only
//! inserts and reads, and the database refuses updates and deletes. Tamper-evident:
//! each entry carries its place in a chain and a hash over its content and the entry
//! before it (`entry_hash`), which `verify_chain` recomputes.

use super::actor::Actor;
use super::sql::Sql;
use super::{Db, DbResult};
use crate::domain::user::AuditEntry;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

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

/// An entry's content as it is stored, which its hash covers.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stored {
    pub seq: i64,
    pub at: i64,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub details: Option<String>,
    pub ip: Option<String>,
}

/// The hash of an entry: SHA-256, in hex, over the previous entry's hash (empty for the
/// first), a line break, and the entry's content as a JSON array.
pub fn entry_hash(previous: &str, e: &Stored) -> String {
    let content = serde_json::json!([e.seq, e.at, e.user_id, e.username, e.action, e.entity, e.entity_id, e.details, e.ip]);
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(content.to_string().as_bytes());
    super::hex(&h.finalize())
}

/// The end of the chain, taken for the caller's transaction: other writers of entries
/// wait for it (PostgreSQL locks its row; SQLite writes one transaction at a time).
async fn chain_end(conn: &mut AnyConnection) -> DbResult<(i64, String)> {
    let lock = if conn.backend_name() == "PostgreSQL" { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1{lock}");
    Ok(sqlx::query_as(&sql).fetch_one(&mut *conn).await?)
}

/// Appends entries in one statement (100 to a statement), inside the caller's
/// transaction: for writers of many changes at once. Each is chained to the one before.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_many(conn: &mut AnyConnection, entries: &[NewEntry<'_>]) -> DbResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let at = now_secs();
    let (mut seq, mut hash) = chain_end(conn).await?;
    for batch in entries.chunks(100) {
        let mut sql =
            Sql::new("INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, details, ip, seq, hash) VALUES ");
        for (n, e) in batch.iter().enumerate() {
            seq += 1;
            let stored = Stored {
                seq,
                at,
                user_id: e.actor.user_id,
                username: Some(e.actor.username.clone()),
                action: e.action.to_string(),
                entity: e.entity.map(str::to_string),
                entity_id: e.entity_id.clone(),
                details: e.details.as_ref().map(|d| d.to_string()),
                ip: e.actor.ip.clone(),
            };
            hash = entry_hash(&hash, &stored);
            sql.push(if n == 0 { "(" } else { ", (" });
            sql.int(at).push(", ").opt_int(stored.user_id).push(", ").opt_text(stored.username);
            sql.push(", ").text(stored.action).push(", ").opt_text(stored.entity).push(", ").opt_text(stored.entity_id);
            sql.push(", ").opt_text(stored.details).push(", ").opt_text(stored.ip);
            sql.push(", ").int(seq).push(", ").text(hash.clone()).push(")");
        }
        sql.query().execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE audit_chain SET last_seq = $1, last_hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What `verify_chain` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// entries in the chain, as verified
    pub chained: i64,
    /// entries from before the chain began (migration 0017)
    pub before_chain: i64,
    /// the first entry that does not fit: its id (None when entries at the chain's end
    /// are missing) and what is wrong
    pub broken: Option<(Option<i64>, String)>,
}

/// Recomputes the chain from its first entry, in order, and compares every hash with
/// the one stored and the chain's end with `audit_chain`: an entry changed, removed or
/// inserted behind the application's back is named (the first one that does not fit).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn verify_chain(db: &Db) -> DbResult<ChainCheck> {
    let before_chain: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL").fetch_one(&db.pool).await?;
    let (last_seq, last_hash): (i64, String) =
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1").fetch_one(&db.pool).await?;
    let (mut previous, mut expected_seq, mut after) = (String::new(), 1i64, 0i64);
    loop {
        let rows: Vec<(i64, Option<String>, Stored)> = sqlx::query(
            "SELECT id, hash, seq, at, user_id, username, action, entity, entity_id, details, ip FROM audit_log \
             WHERE seq > $1 ORDER BY seq LIMIT 5000",
        )
        .bind(after)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("hash")?, <Stored as sqlx::FromRow<_>>::from_row(r)?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let Some(last) = rows.last() else { break };
        after = last.2.seq;
        for (id, hash, stored) in rows {
            let broken =
                |why: &str| Ok(ChainCheck { chained: expected_seq - 1, before_chain, broken: Some((Some(id), why.to_string())) });
            if stored.seq != expected_seq {
                return broken(&format!("the entry before it (number {expected_seq} of the chain) is missing"));
            }
            let recomputed = entry_hash(&previous, &stored);
            if hash.as_deref() != Some(recomputed.as_str()) {
                return broken("its content or the entry before it was changed after it was written");
            }
            previous = recomputed;
            expected_seq += 1;
        }
    }
    let chained = expected_seq - 1;
    let broken = if chained < last_seq {
        Some((None, format!("the chain ends at entry number {chained}, but {last_seq} were written: the last ones were removed")))
    } else if chained > last_seq || previous != last_hash {
        Some((None, format!("the chain's last entry (number {chained}) is not the one written last")))
    } else {
        None
    };
    Ok(ChainCheck { chained, before_chain, broken })
}

/// Appends one entry, inside the caller's transaction when it has one, so that the
/// entry and the change it records commit together.
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
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
