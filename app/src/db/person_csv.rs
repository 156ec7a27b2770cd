//! Persons files: importing persons with their links to requests (all rows or none, in
//! one transaction), and exporting every person with theirs.

use super::actor::Actor;
use super::csv_io::PersonRowRead;
use super::{persons, requests, Db, DbError, DbResult};
use crate::domain::interchange::RowIssue;
use crate::domain::person::{Birth, PersonRole};
use crate::domain::person_interchange::LinkedPerson;
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

/// What a persons import did, or would do (dry run, or a file with errors: nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonImport {
    pub added: usize,
    /// rows that are a person already kept (the same name and birth): only their links added
    pub matched: usize,
    pub links: usize,
    pub issues: Vec<RowIssue>,
    pub written: bool,
}

fn issue(line: usize, column: &str, message: impl Into<String>) -> RowIssue {
    RowIssue { line, column: column.into(), message: message.into(), reference: String::new() }
}

/// The person kept with exactly this name and birth, if any.
async fn same(conn: &mut AnyConnection, name: &str, birth: Option<Birth>) -> DbResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM persons WHERE name = $1 AND COALESCE(birth, '') = $2 ORDER BY id LIMIT 1")
        .bind(name)
        .bind(birth.map(Birth::text).unwrap_or_default())
        .fetch_optional(&mut *conn)
        .await?)
}

/// Imports a persons file's rows: each person is added (or found, when one with the same
/// name and birth is kept) and linked to its requests. Every row is checked; with any
/// problem, or `dry_run`, nothing is written.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn import(db: &Db, rows: Vec<PersonRowRead>, dry_run: bool, actor: &Actor, today: NaiveDate) -> DbResult<PersonImport> {
    let mut report = PersonImport::default();
    let mut tx = db.begin_write().await?;
    for (line, row) in rows {
        let row = match row {
            Ok(r) => r,
            Err(errors) => {
                report.issues.extend(errors.into_iter().map(|e| issue(line, &e.field, e.message)));
                continue;
            }
        };
        let mut ids = Vec::new();
        for (reference, role) in &row.links {
            match requests::id_by_reference(&mut tx, reference).await? {
                Some(id) => ids.push((id, *role)),
                None => {
                    report.issues.push(issue(line, "requests", crate::tr!(import_msg.unknown_reference, reference = reference)))
                }
            }
        }
        let person = match row.input.validate(today) {
            Ok(p) => p,
            Err(errors) => {
                report.issues.extend(errors.into_iter().map(|e| issue(line, &e.field, e.message)));
                continue;
            }
        };
        let id = match same(&mut tx, &person.name, person.birth).await? {
            Some(id) => {
                report.matched += 1;
                id
            }
            None => {
                report.added += 1;
                persons::create(&mut tx, &person, actor).await?
            }
        };
        for (request_id, role) in ids {
            persons::link(&mut tx, request_id, id, role, actor).await?;
            report.links += 1;
        }
    }
    if report.issues.is_empty() && !dry_run {
        tx.commit().await.map_err(DbError::from)?;
        report.written = true;
    }
    Ok(report)
}

/// Every person, by name, with their links (reference and role).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn all_with_links(db: &Db) -> DbResult<Vec<LinkedPerson>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM persons ORDER BY name, id").fetch_all(&db.pool).await?;
    let links = sqlx::query(
        "SELECT rp.person_id, r.reference, rp.role FROM request_persons rp JOIN requests r ON r.id = rp.request_id \
         ORDER BY r.reference",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut by_person: std::collections::HashMap<i64, Vec<(String, PersonRole)>> = std::collections::HashMap::new();
    for r in links {
        let role = super::decode::code("person role", &r.try_get::<String, _>("role")?, PersonRole::from_code)?;
        by_person.entry(r.try_get("person_id")?).or_default().push((r.try_get("reference")?, role));
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(LinkedPerson { person: persons::get(db, id).await?, links: by_person.remove(&id).unwrap_or_default() });
    }
    Ok(out)
}
