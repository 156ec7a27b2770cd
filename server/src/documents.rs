//! Document files going up and coming down, outside the server functions: an upload is
//! the file itself as the request body, streamed to a temporary file (its type told by
//! its first bytes, its size held to the limit), its text read, then copied into the
//! database in one short transaction; a download streams the stored chunks back as an
//! attachment. Both are in the audit trail. The gate has already checked the caller:
//! signed in, a clerk for an upload (`policy::POLICY`), not cross-site.

use crate::gate::error_response as refuse;
use app::api::context::RequestAuth;
use app::db::actor::Actor;
use app::db::{self, Db, DbError};
use app::domain::document::{
    clean_file_name, empty_file, not_a_safe_file, sniff, DocumentInput, MediaType, Owner, StoredDocument,
};
use app::domain::Role;
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::prelude::{provide_context, Owner as Scope};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The bytes read to tell a file's type.
const SNIFF_BYTES: usize = 4096;

/// Files whose text is read at once; more uploads wait their turn (reading a PDF holds it
/// in memory).
static READERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The query of an upload: what the document belongs to, its details (`DocumentInput`'s
/// fields: a flattened struct cannot read numbers from a query), the file's name.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadQuery {
    pub request: Option<i64>,
    pub case: Option<i64>,
    pub name: String,
    pub kind: String,
    pub flow: String,
    pub language: String,
    pub on_date: String,
    pub our_number: String,
    pub translation_of: Option<i64>,
}

impl UploadQuery {
    fn details(&self) -> DocumentInput {
        DocumentInput {
            kind: self.kind.clone(),
            flow: self.flow.clone(),
            language: self.language.clone(),
            on_date: self.on_date.clone(),
            our_number: self.our_number.clone(),
            translation_of: self.translation_of,
        }
    }
}

/// Runs `f` where `tr!` speaks the caller's language.
fn in_language<T>(headers: &HeaderMap, f: impl FnOnce() -> T) -> T {
    let (mut parts, ()) = axum::http::Request::new(()).into_parts();
    parts.headers = headers.clone();
    let scope = Scope::new();
    scope.with(|| {
        provide_context(parts);
        f()
    })
}

fn actor(auth: &RequestAuth, role: Role) -> Result<Actor, AppError> {
    let user = auth.user.as_ref().ok_or(AppError::Unauthenticated)?;
    if !user.can(role) {
        return Err(AppError::Forbidden);
    }
    Ok(Actor { user_id: Some(user.id), username: user.username.clone(), ip: auth.ip.clone() })
}

/// A temporary file removed when dropped.
struct Staged(PathBuf);

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn staging_path() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("rogatory-upload-{}-{n}", std::process::id()))
}

/// What went wrong while receiving a file.
enum Received {
    TooLarge,
    Empty,
    NotSafe,
    Failed(String),
}

/// Writes the body to a temporary file, at most `max` bytes: the file, its size and type.
async fn receive(body: Body, max: u64) -> Result<(Staged, u64, MediaType), Received> {
    use futures_util::StreamExt;
    let staged = Staged(staging_path());
    let mut out = tokio::fs::File::create(&staged.0).await.map_err(|e| Received::Failed(e.to_string()))?;
    let (mut size, mut head, mut stream) = (0u64, Vec::with_capacity(SNIFF_BYTES), body.into_data_stream());
    while let Some(piece) = stream.next().await {
        let piece = piece.map_err(|e| Received::Failed(e.to_string()))?;
        size += piece.len() as u64;
        if size > max {
            return Err(Received::TooLarge);
        }
        if head.len() < SNIFF_BYTES {
            head.extend_from_slice(&piece[..piece.len().min(SNIFF_BYTES - head.len())]);
        }
        out.write_all(&piece).await.map_err(|e| Received::Failed(e.to_string()))?;
    }
    out.flush().await.map_err(|e| Received::Failed(e.to_string()))?;
    if size == 0 {
        return Err(Received::Empty);
    }
    let media = sniff(&head).ok_or(Received::NotSafe)?;
    Ok((staged, size, media))
}

/// The text of a received file, read off the request's task, one file at a time.
async fn read_text(path: &Path, media: MediaType, size: u64) -> Option<String> {
    let _turn = READERS.acquire().await.ok()?;
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || crate::extract::text_of(&path, media, size)).await.ok().flatten()
}

/// Copies a received file into the database with its details and text, in one
/// transaction.
async fn store(
    db: &Db,
    owner: Owner,
    details: &app::domain::document::DocumentDetails,
    name: &str,
    (path, media): (&Path, MediaType),
    text: Option<String>,
    actor: &Actor,
) -> Result<StoredDocument, DbError> {
    let mut file = tokio::fs::File::open(path).await.map_err(|e| DbError::WriteFailed(e.to_string()))?;
    let mut buf = vec![0u8; db::documents::CHUNK_BYTES];
    let mut tx = db.begin_write().await?;
    db::documents::check_owner(&mut tx, owner, details.translation_of).await?;
    let mut upload = db::documents::begin(&mut tx, owner, details, name, media, u64::MAX, actor).await?;
    loop {
        let n = file.read(&mut buf).await.map_err(|e| DbError::WriteFailed(e.to_string()))?;
        if n == 0 {
            break;
        }
        upload.write(&mut tx, &buf[..n]).await?;
    }
    let id = upload.id;
    upload.finish(&mut tx, actor).await?;
    if let Some(text) = text {
        db::documents::set_text(&mut tx, id, &text).await?;
    }
    tx.commit().await?;
    db::documents::get(db, id).await
}

/// `POST /api/upload_document?request=ID&name=…&kind=…&flow=…&language=…&on_date=…&
/// our_number=…&translation_of=…` (or `case=ID`) with the file as the body: the stored
/// document as JSON, or the server functions' error JSON with field-level messages.
pub async fn upload(db: Db, max: u64, Query(query): Query<UploadQuery>, req: Request) -> Response {
    let headers = req.headers().clone();
    let auth = req.extensions().get::<RequestAuth>().cloned().unwrap_or_default();
    let actor = match actor(&auth, Role::Clerk) {
        Ok(a) => a,
        Err(e) => return refuse(StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN), e),
    };
    let owner = match (query.request, query.case) {
        (Some(id), None) => Owner::Request(id),
        (None, Some(id)) => Owner::Case(id),
        _ => {
            return refuse(
                StatusCode::BAD_REQUEST,
                AppError::NotFound("Say which request or case the document belongs to.".into()),
            )
        }
    };
    let details = match in_language(&headers, || query.details().validate(db::today())) {
        Ok(d) => d,
        Err(errors) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, AppError::Validation(errors)),
    };
    let name = clean_file_name(&query.name);
    let (staged, size, media) = match receive(req.into_body(), max).await {
        Ok(received) => received,
        Err(why) => {
            let (status, error) = in_language(&headers, || match why {
                Received::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, AppError::from(DbError::TooLarge { max })),
                Received::Empty => (StatusCode::UNPROCESSABLE_ENTITY, AppError::Validation(vec![empty_file()])),
                Received::NotSafe => (StatusCode::UNSUPPORTED_MEDIA_TYPE, AppError::Validation(vec![not_a_safe_file(&name)])),
                Received::Failed(e) => (StatusCode::BAD_REQUEST, AppError::internal("receiving a document", e)),
            });
            return refuse(status, error);
        }
    };
    let text = read_text(&staged.0, media, size).await;
    match store(&db, owner, &details, &name, (&staged.0, media), text, &actor).await {
        Ok(document) => axum::Json(document).into_response(),
        Err(e) => {
            let error = in_language(&headers, || AppError::from(e));
            refuse(StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), error)
        }
    }
}

/// `filename*` of a Content-Disposition header (RFC 6266/5987), with an ASCII fallback.
fn disposition(how: &str, name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let encoded = app::domain::filter::url_encode(name);
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The Content-Type a stored file is sent with.
fn content_type(media: MediaType) -> &'static str {
    match media {
        MediaType::Text => "text/plain; charset=utf-8",
        other => other.code(),
    }
}

/// Streams a document's chunks one at a time.
fn chunks(db: Db, id: i64) -> Body {
    let stream = futures_util::stream::unfold(Some(0i64), move |seq| {
        let db = db.clone();
        async move {
            let seq = seq?;
            match db::documents::chunk(&db, id, seq).await {
                Ok(Some(data)) => Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(data)), Some(seq + 1))),
                Ok(None) => None,
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    // fused: a compressing layer may poll again after the last chunk
    Body::from_stream(futures_util::StreamExt::fuse(stream))
}

/// `GET /documents/{id}`: the file as an attachment; `GET /documents/{id}/preview`: a
/// PDF or an image shown by the browser (any other type is sent as an attachment). Never
/// HTML or SVG (they are refused on upload), always `nosniff` and a sandboxing policy.
pub async fn download(db: Db, UrlPath(id): UrlPath<String>, req: Request) -> Response {
    let auth = req.extensions().get::<RequestAuth>().cloned().unwrap_or_default();
    let preview = req.uri().path().ends_with("/preview");
    let Ok(actor) = actor(&auth, Role::Viewer) else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let Some(id) = id.parse::<i64>().ok() else {
        return (StatusCode::NOT_FOUND, "No such document.").into_response();
    };
    let document = match db::documents::get(&db, id).await {
        Ok(d) => d,
        Err(DbError::NotFound(_)) => return (StatusCode::NOT_FOUND, "No such document.").into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, AppError::from(e).to_string()).into_response(),
    };
    let inline = preview && matches!(document.media_type, MediaType::Pdf | MediaType::Png | MediaType::Jpeg | MediaType::Gif);
    let recorded = async {
        let mut tx = db.begin_write().await?;
        db::documents::record_read(&mut tx, &document, if inline { "preview" } else { "download" }, &actor).await?;
        tx.commit().await?;
        Ok::<_, DbError>(())
    };
    if let Err(e) = recorded.await {
        return (StatusCode::INTERNAL_SERVER_ERROR, AppError::from(e).to_string()).into_response();
    }
    let mut response = chunks(db, id).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(document.media_type)));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(document.size));
    let how = if inline { "inline" } else { "attachment" };
    if let Ok(v) = HeaderValue::from_str(&disposition(how, &document.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // no script, no connection, no form, in a sandbox; a PDF's viewer may still draw it
    let policy = if document.media_type == MediaType::Pdf {
        "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:"
    } else {
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    };
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    response
}
