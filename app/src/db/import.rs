//! Importing requests: every row checked, then all of them written in one transaction or
//! none. A dry run does the same work and rolls back, so its report is exactly what the
//! import would do.

use super::actor::Actor;
use super::audit;
use super::cases::find_or_create_cached;
use super::requests::{insert_plain_many, touch_version, update_in};
use super::sql::INSERT_BATCH;
use super::timeline::{insert_events, NewEvent};
use super::{now, reference, totals, Db, DbError, DbResult};
use crate::domain::interchange::{column_of, ImportReport, RowIssue};
use crate::domain::request::reference_key;
use crate::domain::{EventKind, RequestInput, ValidRequest};
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// How to import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// check and report, write nothing
    pub dry_run: bool,
    /// a row whose reference exists replaces that request (otherwise it is a conflict)
    pub update: bool,
}

/// One data row of a file: its line number and what it holds, or why it could not even
/// be read as a request.
pub type Row = (usize, Result<RequestInput, Vec<crate::domain::FieldError>>);

fn issue(line: usize, reference: &str, column: &str, message: impl Into<String>) -> RowIssue {
    RowIssue { line, column: column.to_string(), message: message.into(), reference: reference.to_string() }
}

/// The ids of the stored requests among `references`, by their keys (`reference_key`:
/// letter case does not count).
async fn existing_references<'a>(
    conn: &mut AnyConnection,
    references: impl Iterator<Item = &'a str>,
) -> DbResult<HashMap<String, i64>> {
    let all: Vec<String> = references.map(reference_key).collect();
    let mut found = HashMap::new();
    for chunk in all.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!("SELECT reference_key, id FROM requests WHERE reference_key IN ({})", placeholders.join(", "));
        let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
        for r in chunk {
            q = q.bind(r);
        }
        found.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// Writes new requests with their "created" timeline entries; returns their ids.
async fn insert_new(
    conn: &mut AnyConnection,
    rows: &[(&ValidRequest, Option<i64>)],
    note: &str,
    actor: &Actor,
    at: &str,
) -> DbResult<Vec<i64>> {
    let ids = insert_plain_many(conn, rows, at).await?;
    let events: Vec<NewEvent> = rows
        .iter()
        .zip(&ids)
        .map(|((v, _), &request_id)| NewEvent {
            request_id,
            kind: EventKind::Created,
            from: None,
            to: Some(v.status),
            on_date: v.start_date,
            note: Some(note),
            user: Some(&actor.username),
        })
        .collect();
    insert_events(conn, &events, at).await?;
    Ok(ids)
}

/// Imports `rows` (see the module doc). `source` names the file for the timeline and the
/// audit trail; `progress` is called with the number of rows handled so far.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn import(
    db: &Db,
    rows: Vec<Row>,
    options: ImportOptions,
    source: &str,
    actor: &Actor,
    today: NaiveDate,
    mut progress: impl FnMut(usize),
) -> DbResult<ImportReport> {
    let answer_period = reference::answer_period_days(db).await?;
    let mut report = ImportReport { rows: rows.len(), dry_run: options.dry_run, ..Default::default() };

    // the rules of the form, row by row, and references repeated within the file
    let mut valid: Vec<(usize, ValidRequest)> = Vec::with_capacity(rows.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, row) in rows {
        let reference = row.as_ref().map(|i| i.reference.trim().to_string()).unwrap_or_default();
        match row.and_then(|input| input.validate(today, answer_period)) {
            Ok(v) => match seen.insert(reference_key(&v.reference), line) {
                Some(first) => report.errors.push(issue(
                    line,
                    &v.reference,
                    "reference",
                    crate::tr!(import_msg.same_reference, line = first),
                )),
                None => valid.push((line, v)),
            },
            Err(errors) => {
                for e in errors {
                    report.errors.push(issue(line, &reference, column_of(&e.field), e.message));
                }
            }
        }
    }

    let note = format!("Imported from {source}");
    let at = now();
    let mut tx = db.begin_write().await?;
    tx.bulk().await?;
    let bases: HashSet<String> =
        sqlx::query_scalar("SELECT code FROM legal_bases").fetch_all(&mut *tx).await?.into_iter().collect();
    let existing = existing_references(&mut tx, valid.iter().map(|(_, v)| v.reference.as_str())).await?;
    let mut case_ids: HashMap<String, i64> = HashMap::new();
    let mut created: Vec<i64> = Vec::new();
    // new requests, written `INSERT_BATCH` at a time
    let mut pending: Vec<(&ValidRequest, Option<i64>)> = Vec::with_capacity(INSERT_BATCH);
    for (done, (line, v)) in valid.iter().enumerate() {
        if done % 1000 == 0 {
            progress(done);
        }
        if let Some(&id) = existing.get(&reference_key(&v.reference)) {
            if !options.update {
                let message = { crate::tr!(import_msg.a_request_with_this_reference_exists) };
                report.conflicts.push(issue(*line, &v.reference, "reference", message));
                continue;
            }
            touch_version(&mut tx, id, &at).await?;
            match update_in(&mut tx, id, v, actor, &at, &note).await {
                Ok(()) => report.updated += 1,
                Err(DbError::UnknownLegalBasis) => {
                    report.errors.push(issue(*line, &v.reference, "legal_basis", crate::tr!(import_msg.unknown_legal_basis_code)))
                }
                Err(DbError::CaseTitleMissing) => {
                    report.errors.push(issue(*line, &v.reference, "case_title", crate::tr!(import_msg.a_new_case_needs_a_title)))
                }
                Err(e) => return Err(e),
            }
            continue;
        }
        if !bases.contains(&v.legal_basis) {
            report.errors.push(issue(*line, &v.reference, "legal_basis", crate::tr!(import_msg.unknown_legal_basis_code)));
            continue;
        }
        let case_id = match &v.case {
            None => None,
            Some(c) => match find_or_create_cached(&mut tx, &mut case_ids, &c.number, c.title.as_deref()).await {
                Ok(id) => Some(id),
                Err(DbError::CaseTitleMissing) => {
                    report.errors.push(issue(*line, &v.reference, "case_title", crate::tr!(import_msg.a_new_case_needs_a_title)));
                    continue;
                }
                Err(e) => return Err(e),
            },
        };
        pending.push((v, case_id));
        if pending.len() == INSERT_BATCH {
            created.extend(insert_new(&mut tx, &pending, &note, actor, &at).await?);
            pending.clear();
        }
    }
    created.extend(insert_new(&mut tx, &pending, &note, actor, &at).await?);
    report.created = created.len();
    if report.is_clean() {
        totals::add_many(&mut tx, &created).await?;
    }
    progress(valid.len());
    report.errors.sort_by_key(|i| i.line);

    if options.dry_run || !report.is_clean() {
        tx.rollback().await?;
        return Ok(report);
    }
    let details =
        serde_json::json!({ "source": source, "rows": report.rows, "created": report.created, "updated": report.updated });
    audit::record(&mut tx, actor, "request.import", None, None, Some(details)).await?;
    tx.commit().await?;
    report.committed = true;
    Ok(report)
}
