//! Documents: a 50 MB file written in chunks and read back whole; an upload cut off
//! before its commit leaves nothing; the size limit; `verify` finds a changed byte. On
//! both backends.

use super::*;
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
