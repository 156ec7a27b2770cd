//! Server functions of documents: a request's documents with the translation warning,
//! deleting one, and finding documents by a word inside them. Files go up and come down
//! outside the server functions, as raw bodies (the server's `documents` routes).

use crate::domain::document::DEFAULT_MAX_BYTES;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

pub use crate::domain::document::DocumentHit;
use crate::domain::document::{Owner, StoredDocument};

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::Role;

static MAX_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_BYTES);

/// Sets the largest file accepted (the server's configuration).
pub fn set_max_bytes(bytes: u64) {
    MAX_BYTES.store(bytes, Ordering::Relaxed);
}

/// The largest file accepted, in bytes.
pub fn max_bytes() -> u64 {
    MAX_BYTES.load(Ordering::Relaxed)
}

/// A request's or a case's documents, for a request the languages its country accepts
/// when none of its sent documents is in one of them, and the largest file accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsOf {
    /// the server's date (a document's date may not be later)
    pub today: chrono::NaiveDate,
    pub documents: Vec<StoredDocument>,
    pub missing_languages: Option<Vec<String>>,
    pub max_bytes: u64,
}

/// A request's or a case's documents, oldest first.
#[server(endpoint = "list_documents", input = Json)]
pub async fn list_documents(owner: Owner) -> Result<DocumentsOf, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let db = db()?;
            let (documents, missing_languages) = match owner {
                Owner::Request(id) => {
                    tokio::try_join!(db::documents::of_request(&db, id), db::documents::missing_translation(&db, id))?
                }
                Owner::Case(id) => (db::documents::of_case(&db, id).await?, None),
            };
            Ok(DocumentsOf { today: db::today(), documents, missing_languages, max_bytes: max_bytes() })
        }
        .await,
    )
}

/// Deletes a document (one attached by mistake).
#[server(endpoint = "remove_document", input = Json)]
pub async fn remove_document(id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            db::documents::remove(&mut tx, id, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// The most documents a search shows.
pub const DOCUMENT_HITS: i64 = 20;

/// The documents whose text holds `q`, newest first.
#[server(endpoint = "find_documents", input = Json)]
pub async fn find_documents(q: String) -> Result<Vec<DocumentHit>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            if q.chars().count() > crate::domain::filter::SEARCH_MAX {
                return Ok(Vec::new());
            }
            Ok(db::documents::search(&db()?, &q, DOCUMENT_HITS).await?)
        }
        .await,
    )
}
