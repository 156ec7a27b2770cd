//! Documents: a 50 MB file written in chunks and read back whole; an upload cut off
//! before its commit leaves nothing; the size limit; `verify` finds a changed byte. On
//! both backends.

use super::*;
use crate::db::countries;
use crate::db::documents::{self, Owner, CHUNK_BYTES};
use crate::domain::document::{DocumentInput, MediaType};
use sha2::{Digest, Sha256};

fn details() -> crate::domain::document::DocumentDetails {
    DocumentInput { kind: "letter_of_request".into(), flow: "sent".into(), ..Default::default() }.validate(today()).unwrap()
}

/// `n` bytes of a fixed pseudo-random pattern (no run of chunks alike).
fn bytes(n: usize) -> Vec<u8> {
    let mut x: u32 = 12345;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect()
}

async fn count(t: &TestDb, table: &str) -> i64 {
    let mut conn = t.db.connection().await.unwrap();
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *conn).await.unwrap()
}

#[tokio::test]
async fn a_50_mb_file_is_kept_in_chunks_and_read_back_whole() {
    let t = test_db().await;
    let request = creation::create(&t.db, &valid(&input("DOC-1", "LT", "2025-03-01")), &clerk()).await.unwrap();
    let file = bytes(50 * 1024 * 1024);
    let mut tx = t.db.begin_write().await.unwrap();
    let mut upload =
        documents::begin(&mut tx, Owner::Request(request), &details(), "Запрос.pdf", MediaType::Pdf, 50 * 1024 * 1024, &clerk())
            .await
            .unwrap();
    for piece in file.chunks(64 * 1024 + 7) {
        upload.write(&mut tx, piece).await.unwrap();
    }
    let id = upload.id;
    let digest = upload.finish(&mut tx, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(digest, crate::db::hex(&Sha256::digest(&file)));

    let stored = documents::get(&t.db, id).await.unwrap();
    assert_eq!(
        (stored.size, stored.file_name.as_str(), stored.owner),
        (file.len() as u64, "Запрос.pdf", Owner::Request(request))
    );
    assert_eq!(count(&t, "document_chunks").await, (file.len() / CHUNK_BYTES) as i64);
    let mut back = Vec::with_capacity(file.len());
    let mut seq = 0;
    while let Some(data) = documents::chunk(&t.db, id, seq).await.unwrap() {
        back.extend_from_slice(&data);
        seq += 1;
    }
    assert!(back == file, "the file read back differs");
    assert_eq!(documents::of_request(&t.db, request).await.unwrap().len(), 1);
    assert!(documents::verify(&t.db).await.unwrap().is_empty());

    // a byte changed behind the application's back is found
    let mut conn = t.db.connection().await.unwrap();
    let mut first: Vec<u8> = documents::chunk(&t.db, id, 0).await.unwrap().unwrap();
    first[10] ^= 1;
    sqlx::query("UPDATE document_chunks SET data = $1 WHERE document_id = $2 AND seq = 0")
        .bind(first)
        .bind(id)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(documents::verify(&t.db).await.unwrap(), [(id, "the digest differs".to_string())]);
}

#[tokio::test]
async fn an_upload_cut_off_or_too_large_leaves_nothing() {
    let t = test_db().await;
    let request = creation::create(&t.db, &valid(&input("DOC-2", "LT", "2025-03-01")), &clerk()).await.unwrap();
    {
        let mut tx = t.db.begin_write().await.unwrap();
        let mut upload =
            documents::begin(&mut tx, Owner::Request(request), &details(), "a.pdf", MediaType::Pdf, u64::MAX, &clerk())
                .await
                .unwrap();
        upload.write(&mut tx, &bytes(3 * CHUNK_BYTES + 5)).await.unwrap();
        // the connection drops here, mid-upload: no commit
    }
    assert_eq!((count(&t, "documents").await, count(&t, "document_chunks").await), (0, 0));

    let mut tx = t.db.begin_write().await.unwrap();
    let mut upload =
        documents::begin(&mut tx, Owner::Request(request), &details(), "b.pdf", MediaType::Pdf, CHUNK_BYTES as u64, &clerk())
            .await
            .unwrap();
    upload.write(&mut tx, &bytes(CHUNK_BYTES)).await.unwrap();
    let too_large = upload.write(&mut tx, b"one byte more").await.unwrap_err();
    assert!(matches!(too_large, DbError::TooLarge { max } if max == CHUNK_BYTES as u64), "{too_large:?}");
    drop(tx);
    assert_eq!((count(&t, "documents").await, count(&t, "document_chunks").await), (0, 0));
}

/// Uploads `text` as a plain-text document of `request` in `language`, sent or received.
async fn upload_text(t: &TestDb, request: i64, language: &str, flow: &str, text: &str) -> i64 {
    let details = DocumentInput { kind: "other".into(), flow: flow.into(), language: language.into(), ..Default::default() }
        .validate(today())
        .unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    documents::check_owner(&mut tx, Owner::Request(request), None).await.unwrap();
    let mut upload = documents::begin(&mut tx, Owner::Request(request), &details, "note.txt", MediaType::Text, 1 << 20, &clerk())
        .await
        .unwrap();
    upload.write(&mut tx, text.as_bytes()).await.unwrap();
    let id = upload.id;
    upload.finish(&mut tx, &clerk()).await.unwrap();
    documents::set_text(&mut tx, id, text).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn missing_listed(t: &TestDb, reference: &str) -> bool {
    let filter = crate::domain::RequestFilter { translation_missing: true, ..Default::default() };
    let rows = requests::matching(&t.db, &filter, today()).await.unwrap();
    rows.iter().any(|r| r.reference == reference)
}

#[tokio::test]
async fn a_translation_is_missing_until_a_document_is_sent_in_an_accepted_language() {
    let t = test_db().await;
    let request = creation::create(&t.db, &valid(&input("DOC-TR", "LT", "2025-03-01")), &clerk()).await.unwrap();
    // no profile naming languages: nothing is missing
    assert_eq!(documents::missing_translation(&t.db, request).await.unwrap(), None);
    let profile =
        crate::domain::country_profile::CountryProfileInput { languages: "Lithuanian, English".into(), ..Default::default() }
            .validate(&[])
            .unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    countries::save(&mut tx, "LT", None, &profile, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(documents::missing_translation(&t.db, request).await.unwrap(), Some(vec!["en".into(), "lt".into()]));
    assert!(missing_listed(&t, "DOC-TR").await);

    // received, or in another language: still missing
    upload_text(&t, request, "en", "received", "Acknowledgement of receipt").await;
    upload_text(&t, request, "ru", "sent", "Запрос о правовой помощи").await;
    assert!(documents::missing_translation(&t.db, request).await.unwrap().is_some());
    // sent in Lithuanian: no longer
    let lithuanian = upload_text(&t, request, "lt", "sent", "Prašymas dėl teisinės pagalbos Kowalskiui").await;
    assert_eq!(documents::missing_translation(&t.db, request).await.unwrap(), None);
    assert!(!missing_listed(&t, "DOC-TR").await);

    // found by a word inside, any letter case; the words around it
    let hits = documents::search(&t.db, "KOWALSK", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].document.id, hits[0].owner_label.as_str()), (lithuanian, "DOC-TR"));
    assert_eq!(hits[0].excerpt, "prašymas dėl teisinės pagalbos kowalskiui");
    assert!(documents::search(&t.db, "правовой", 10).await.unwrap().len() == 1);
    assert!(documents::search(&t.db, "nowhere", 10).await.unwrap().is_empty());

    // deleted: gone with its chunks and text, missing again, both on the timeline
    let mut tx = t.db.begin_write().await.unwrap();
    documents::remove(&mut tx, lithuanian, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(documents::search(&t.db, "kowalsk", 10).await.unwrap().is_empty());
    assert!(documents::missing_translation(&t.db, request).await.unwrap().is_some());
    assert_eq!(count(&t, "documents").await, 2);
    let kinds: Vec<EventKind> = timeline::events(&t.db, request).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == EventKind::Document).count(), 3);
    assert_eq!(kinds.last(), Some(&EventKind::DocumentRemoved));
}

#[tokio::test]
async fn a_translation_must_be_of_a_document_of_the_same_request() {
    let t = test_db().await;
    let one = creation::create(&t.db, &valid(&input("DOC-A", "LT", "2025-03-01")), &clerk()).await.unwrap();
    let other = creation::create(&t.db, &valid(&input("DOC-B", "LT", "2025-03-01")), &clerk()).await.unwrap();
    let original = upload_text(&t, one, "ru", "sent", "Запрос").await;
    let mut tx = t.db.begin_write().await.unwrap();
    assert!(documents::check_owner(&mut tx, Owner::Request(one), Some(original)).await.is_ok());
    assert!(matches!(
        documents::check_owner(&mut tx, Owner::Request(other), Some(original)).await,
        Err(DbError::NotTranslatable)
    ));
    assert!(matches!(documents::check_owner(&mut tx, Owner::Request(9999), None).await, Err(DbError::NotFound("Request"))));
}
