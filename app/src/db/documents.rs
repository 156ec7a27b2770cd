//! Documents and their files. A file is written in chunks of `CHUNK_BYTES` into the
//! caller's transaction while it arrives (`Upload`), its SHA-256 computed on the way: an
//! upload cut off before `finish` is rolled back with its transaction and leaves nothing.
//! Reading streams the chunks back one by one.

use super::actor::Actor;
use super::audit;
use super::decode::{code, corrupt, date, ds};
use super::{hex, now, Db, DbError, DbResult};
use crate::domain::document::{DocumentDetails, DocumentFlow, DocumentKind, MediaType};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The bytes of one stored chunk.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// What a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Request(i64),
    Case(i64),
}

/// A stored document, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDocument {
    pub id: i64,
    pub owner: Owner,
    pub details: DocumentDetails,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u64,
    pub sha256: String,
    pub created_at: String,
}

/// A document whose file is being written, in the transaction `begin` was given.
pub struct Upload {
    pub id: i64,
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
    Ok(Upload { id, seq: 0, size: 0, max, pending: Vec::with_capacity(CHUNK_BYTES), hasher: Sha256::new() })
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
        let details = serde_json::json!({ "size": self.size, "sha256": sha256 });
        audit::record(conn, actor, "document.add", Some("document"), Some(self.id.to_string()), Some(details)).await?;
        Ok(sha256)
    }
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

/// Chunk `seq` of a document's file (None past its end).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn chunk(db: &Db, id: i64, seq: i64) -> DbResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar("SELECT data FROM document_chunks WHERE document_id = $1 AND seq = $2")
        .bind(id)
        .bind(seq)
        .fetch_optional(&db.pool)
        .await?)
}

/// The documents whose stored bytes do not add up to their size and digest: (id, what
/// is wrong). Reads every file once, a chunk at a time.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn verify(db: &Db) -> DbResult<Vec<(i64, String)>> {
    let ids: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, size, sha256 FROM documents ORDER BY id").fetch_all(&db.pool).await?;
    let mut bad = Vec::new();
    for (id, size, sha256) in ids {
        let (mut hasher, mut read, mut seq) = (Sha256::new(), 0i64, 0i64);
        while let Some(data) = chunk(db, id, seq).await? {
            hasher.update(&data);
            read += data.len() as i64;
            seq += 1;
        }
        let digest = hex(&hasher.finalize());
        if read != size {
            bad.push((id, format!("{read} bytes stored, {size} recorded")));
        } else if digest != sha256 {
            bad.push((id, "the digest differs".to_string()));
        }
    }
    Ok(bad)
}
