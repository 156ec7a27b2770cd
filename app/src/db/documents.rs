//! Documents and their files. A file is written in chunks of `CHUNK_BYTES` into the
//! caller's transaction while it arrives (`Upload`), its SHA-256 computed on the way: an
//! upload cut off before `finish` is rolled back with its transaction and leaves nothing.
//! Reading streams the chunks back one by one.

use super::actor::Actor;
use super::audit;
use super::conditions::translation_missing;
use super::decode::{code, corrupt, date, ds};
use super::search::like_pattern;
use super::timeline::insert_event;
use super::{hex, now, Db, DbError, DbResult};
pub use crate::domain::document::Owner;
use crate::domain::document::{DocumentDetails, DocumentFlow, DocumentHit, DocumentKind, MediaType, StoredDocument};
use crate::domain::EventKind;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The bytes of one stored chunk.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// A document whose file is being written, in the transaction `begin` was given.
pub struct Upload {
    pub id: i64,
    owner: Owner,
    on_date: Option<chrono::NaiveDate>,
    file_name: String,
    seq: i64,
    size: u64,
    max: u64,
    pending: Vec<u8>,
    hasher: Sha256,
}

/// Starts a document: its row now, its file by `Upload::write` and `Upload::finish` in the
/// same transaction. A file over `max` bytes is refused (`TooLarge`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn begin(
    conn: &mut AnyConnection,
    owner: Owner,
    details: &DocumentDetails,
    file_name: &str,
    media_type: MediaType,
    max: u64,
    actor: &Actor,
) -> DbResult<Upload> {
    let (request_id, case_id) = match owner {
        Owner::Request(id) => (Some(id), None),
        Owner::Case(id) => (None, Some(id)),
    };
    let id: i64 = sqlx::query(
        "INSERT INTO documents (request_id, case_id, kind, flow, language, on_date, our_number, translation_of, \
         file_name, media_type, size, sha256, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, '', $11, $12) RETURNING id",
    )
    .bind(request_id)
    .bind(case_id)
    .bind(details.kind.code())
    .bind(details.flow.code())
    .bind(details.language.clone())
    .bind(ds(details.on_date))
    .bind(details.our_number.clone())
    .bind(details.translation_of)
    .bind(file_name)
    .bind(media_type.code())
    .bind(now())
    .bind(actor.username.clone())
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    Ok(Upload {
        id,
        owner,
        on_date: details.on_date,
        file_name: file_name.to_string(),
        seq: 0,
        size: 0,
        max,
        pending: Vec::with_capacity(CHUNK_BYTES),
        hasher: Sha256::new(),
    })
}

impl Upload {
    /// Adds the next bytes of the file; full chunks are written as they fill.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn write(&mut self, conn: &mut AnyConnection, mut bytes: &[u8]) -> DbResult<()> {
        self.size += bytes.len() as u64;
        if self.size > self.max {
            return Err(DbError::TooLarge { max: self.max });
        }
        self.hasher.update(bytes);
        while !bytes.is_empty() {
            let room = CHUNK_BYTES - self.pending.len();
            let (now, rest) = bytes.split_at(room.min(bytes.len()));
            self.pending.extend_from_slice(now);
            bytes = rest;
            if self.pending.len() == CHUNK_BYTES {
                self.flush(conn).await?;
            }
        }
        Ok(())
    }

    async fn flush(&mut self, conn: &mut AnyConnection) -> DbResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        sqlx::query("INSERT INTO document_chunks (document_id, seq, data) VALUES ($1, $2, $3)")
            .bind(self.id)
            .bind(self.seq)
            .bind(std::mem::take(&mut self.pending))
            .execute(&mut *conn)
            .await?;
        self.seq += 1;
        self.pending = Vec::with_capacity(CHUNK_BYTES);
        Ok(())
    }

    /// Writes the last chunk, the size and the digest, and records the upload in the audit
    /// trail; returns the digest. The caller commits.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn finish(mut self, conn: &mut AnyConnection, actor: &Actor) -> DbResult<String> {
        self.flush(conn).await?;
        let sha256 = hex(&self.hasher.finalize_reset());
        sqlx::query("UPDATE documents SET size = $1, sha256 = $2 WHERE id = $3")
            .bind(self.size as i64)
            .bind(sha256.clone())
            .bind(self.id)
            .execute(&mut *conn)
            .await?;
        if let Owner::Request(request_id) = self.owner {
            let (name, user) = (Some(self.file_name.as_str()), Some(actor.username.as_str()));
            insert_event(conn, request_id, EventKind::Document, None, None, self.on_date, name, user, &now()).await?;
        }
        let details = serde_json::json!({ "size": self.size, "sha256": sha256 });
        audit::record(conn, actor, "document.add", Some("document"), Some(self.id.to_string()), Some(details)).await?;
        Ok(sha256)
    }
}

/// Checks, in the upload's transaction, that its owner exists and that the document it
/// translates (if any) belongs to the same owner.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn check_owner(conn: &mut AnyConnection, owner: Owner, translation_of: Option<i64>) -> DbResult<()> {
    let (table, id, what, column) = match owner {
        Owner::Request(id) => ("requests", id, "Request", "request_id"),
        Owner::Case(id) => ("cases", id, "Case", "case_id"),
    };
    let found: Option<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    found.ok_or(DbError::NotFound(what))?;
    if let Some(original) = translation_of {
        let same: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM documents WHERE id = $1 AND {column} = $2"))
            .bind(original)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        same.ok_or(DbError::NotTranslatable)?;
    }
    Ok(())
}

/// Text as the search keeps and looks for it: lowercased, runs of white space as one space.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The most text kept of a document for the search, in bytes.
pub const TEXT_MAX_BYTES: usize = 1024 * 1024;

/// Keeps a document's text for the search: lowercased, spaces folded, at most
/// `TEXT_MAX_BYTES` (cut at a character boundary).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_text(conn: &mut AnyConnection, id: i64, text: &str) -> DbResult<()> {
    let mut folded = fold(text);
    if folded.len() > TEXT_MAX_BYTES {
        let mut end = TEXT_MAX_BYTES;
        while !folded.is_char_boundary(end) {
            end -= 1;
        }
        folded.truncate(end);
    }
    if folded.is_empty() {
        return Ok(());
    }
    sqlx::query("INSERT INTO document_texts (document_id, text) VALUES ($1, $2)").bind(id).bind(folded).execute(conn).await?;
    Ok(())
}

/// Deletes a document with its file and text (translations of it stay, no longer linked
/// to it), on its request's timeline and in the audit trail.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(conn: &mut AnyConnection, id: i64, actor: &Actor) -> DbResult<StoredDocument> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let document = stored(&row.ok_or(DbError::NotFound("Document"))?)?;
    sqlx::query("UPDATE documents SET translation_of = NULL WHERE translation_of = $1").bind(id).execute(&mut *conn).await?;
    for table in ["document_chunks", "document_texts"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE document_id = $1")).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query("DELETE FROM documents WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if let Owner::Request(request_id) = document.owner {
        let (name, user) = (Some(document.file_name.as_str()), Some(actor.username.as_str()));
        insert_event(conn, request_id, EventKind::DocumentRemoved, None, None, None, name, user, &now()).await?;
    }
    let details = serde_json::json!({ "file_name": document.file_name, "sha256": document.sha256 });
    audit::record(conn, actor, "document.remove", Some("document"), Some(id.to_string()), Some(details)).await?;
    Ok(document)
}

/// Records that a user read a document's file (a download or a preview).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn record_read(conn: &mut AnyConnection, document: &StoredDocument, how: &str, actor: &Actor) -> DbResult<()> {
    let details = serde_json::json!({ "how": how, "file_name": document.file_name });
    audit::record(conn, actor, "document.read", Some("document"), Some(document.id.to_string()), Some(details)).await
}

const COLUMNS: &str = "id, request_id, case_id, kind, flow, language, on_date, our_number, translation_of, file_name, \
     media_type, size, sha256, created_at";

fn stored(r: &AnyRow) -> DbResult<StoredDocument> {
    let owner = match (r.try_get::<Option<i64>, _>("request_id")?, r.try_get::<Option<i64>, _>("case_id")?) {
        (Some(id), _) => Owner::Request(id),
        (None, Some(id)) => Owner::Case(id),
        (None, None) => return Err(corrupt("document owner", "none")),
    };
    let size: i64 = r.try_get("size")?;
    Ok(StoredDocument {
        id: r.try_get("id")?,
        owner,
        details: DocumentDetails {
            kind: code("document kind", &r.try_get::<String, _>("kind")?, DocumentKind::from_code)?,
            flow: code("document flow", &r.try_get::<String, _>("flow")?, DocumentFlow::from_code)?,
            language: r.try_get("language")?,
            on_date: date(r.try_get("on_date")?)?,
            our_number: r.try_get("our_number")?,
            translation_of: r.try_get("translation_of")?,
        },
        file_name: r.try_get("file_name")?,
        media_type: code("media type", &r.try_get::<String, _>("media_type")?, MediaType::from_code)?,
        size: u64::try_from(size).map_err(|_| corrupt("size", &size.to_string()))?,
        sha256: r.try_get("sha256")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A document's details.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(db: &Db, id: i64) -> DbResult<StoredDocument> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE id = $1")).bind(id).fetch_optional(&db.pool).await?;
    stored(&row.ok_or(DbError::NotFound("Document"))?)
}

/// A request's documents, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_request(db: &Db, request_id: i64) -> DbResult<Vec<StoredDocument>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE request_id = $1 ORDER BY id"))
        .bind(request_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored).collect()
}

/// A case's documents, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_case(db: &Db, case_id: i64) -> DbResult<Vec<StoredDocument>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM documents WHERE case_id = $1 ORDER BY id"))
        .bind(case_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored).collect()
}

/// Every document, oldest first (the export).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn all(db: &Db) -> DbResult<Vec<StoredDocument>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM documents ORDER BY id")).fetch_all(&db.pool).await?;
    rows.iter().map(stored).collect()
}

/// The documents whose text holds `term` (any letter case), newest first, at most `limit`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn search(db: &Db, term: &str, limit: i64) -> DbResult<Vec<DocumentHit>> {
    let needle = fold(term);
    if needle.chars().count() < 3 {
        return Ok(Vec::new());
    }
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("d.{}", c.trim())).collect();
    let rows = sqlx::query(&format!(
        "SELECT {}, COALESCE(r.reference, c.number) AS owner_label, t.text FROM document_texts t \
         JOIN documents d ON d.id = t.document_id LEFT JOIN requests r ON r.id = d.request_id \
         LEFT JOIN cases c ON c.id = d.case_id WHERE t.text LIKE $1 ESCAPE '\\' ORDER BY d.id DESC LIMIT $2",
        columns.join(", ")
    ))
    .bind(like_pattern(&needle))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let text: String = r.try_get("text")?;
            Ok(DocumentHit { document: stored(r)?, owner_label: r.try_get("owner_label")?, excerpt: excerpt(&text, &needle) })
        })
        .collect()
}

/// About `EXCERPT_CHARS` characters of `text` around the first `needle`.
fn excerpt(text: &str, needle: &str) -> String {
    const EXCERPT_CHARS: usize = 60;
    let at = text.find(needle).unwrap_or(0);
    let before: Vec<char> = text[..at].chars().rev().take(EXCERPT_CHARS).collect();
    let start = at - before.iter().map(|c| c.len_utf8()).sum::<usize>();
    let after: String = text[at..].chars().take(needle.chars().count() + EXCERPT_CHARS).collect();
    let end = at + after.len();
    format!("{}{}{}", if start > 0 { "…" } else { "" }, &text[start..end], if end < text.len() { "…" } else { "" })
}

/// The languages a request's country accepts when the request lacks a document sent in
/// one of them (`conditions::translation_missing`); none when nothing is missing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn missing_translation(db: &Db, request_id: i64) -> DbResult<Option<Vec<String>>> {
    let missing: Option<String> =
        sqlx::query_scalar(&format!("SELECT r.country FROM requests r WHERE r.id = $1 AND {}", translation_missing()))
            .bind(request_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some(country) = missing else { return Ok(None) };
    let codes: Vec<String> = sqlx::query_scalar("SELECT language FROM country_languages WHERE country = $1 ORDER BY language")
        .bind(country)
        .fetch_all(&db.pool)
        .await?;
    Ok(Some(codes))
}

/// Chunk `seq` of a document's file (None past its end).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn chunk(db: &Db, id: i64, seq: i64) -> DbResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar("SELECT data FROM document_chunks WHERE document_id = $1 AND seq = $2")
        .bind(id)
        .bind(seq)
        .fetch_optional(&db.pool)
        .await?)
}

/// Streams a stored file, a chunk at a time, into `out`: its size and SHA-256 as read.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn copy_to(db: &Db, id: i64, out: &mut impl std::io::Write) -> DbResult<(u64, String)> {
    let (mut hasher, mut read, mut seq) = (Sha256::new(), 0u64, 0i64);
    while let Some(data) = chunk(db, id, seq).await? {
        hasher.update(&data);
        out.write_all(&data).map_err(|e| DbError::WriteFailed(e.to_string()))?;
        read += data.len() as u64;
        seq += 1;
    }
    Ok((read, hex(&hasher.finalize())))
}

/// The documents whose stored bytes do not add up to their size and digest: (id, what
/// is wrong). Reads every file once, a chunk at a time.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn verify(db: &Db) -> DbResult<Vec<(i64, String)>> {
    let ids: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, size, sha256 FROM documents ORDER BY id").fetch_all(&db.pool).await?;
    let mut bad = Vec::new();
    for (id, size, sha256) in ids {
        let (read, digest) = copy_to(db, id, &mut std::io::sink()).await?;
        if read != size as u64 {
            bad.push((id, format!("{read} bytes stored, {size} recorded")));
        } else if digest != sha256 {
            bad.push((id, "the digest differs".to_string()));
        }
    }
    Ok(bad)
}
