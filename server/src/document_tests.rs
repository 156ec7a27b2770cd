//! Document uploads and downloads through the router: who may, what is refused, what a
//! download carries, and `rogatory export --documents`.

use crate::config::ServeArgs;
use crate::demo_documents::pdf;
use crate::tests::{password_of, spawn_app, spawn_app_with, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

async fn a_request(t: &TestApp) -> i64 {
    crate::demo::load(&t.db, &crate::config::DemoArgs { requests: 3, seed: 7, if_empty: false }).await.unwrap();
    sqlx::query_scalar("SELECT MIN(id) FROM requests WHERE direction = 'outgoing'").fetch_one(t.db.pool()).await.unwrap()
}

fn upload(query: &str, bytes: Vec<u8>, cookie: Option<&str>, site: &str) -> Request<Body> {
    let mut req = Request::post(format!("/api/upload_document?{query}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header("sec-fetch-site", site);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(bytes)).unwrap()
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

async fn documents(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM documents").fetch_one(t.db.pool()).await.unwrap()
}

#[tokio::test]
async fn uploads_are_refused_to_anonymous_callers_viewers_and_other_sites() {
    let t = spawn_app().await;
    let request = a_request(&t).await;
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let q = format!("request={request}&name=a.pdf&kind=letter_of_request&flow=sent");
    let (status, _, _) = t.call(upload(&q, pdf("x"), None, "same-origin")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = t.call(upload(&q, pdf("x"), Some(&viewer), "same-origin")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = t.call(upload(&q, pdf("x"), Some(&clerk), "cross-site")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(documents(&t).await, 0);
    // downloads: anonymous callers are sent to sign in
    let (status, headers, _) = t.call(get("/documents/1", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get(header::LOCATION).unwrap().to_str().unwrap().starts_with("/login"));
}

#[tokio::test]
async fn a_clerk_uploads_and_a_viewer_downloads_an_attachment_both_audited() {
    let t = spawn_app().await;
    let request = a_request(&t).await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    let file = pdf("Letter of request concerning Quarnby");
    let q = format!("request={request}&name=..%2F%D0%97%D0%B0%D0%BF%D1%80%D0%BE%D1%81.pdf&kind=letter_of_request&flow=sent&language=ru&on_date=2025-01-10&our_number=12%2F3");
    let (status, _, body) = t.call(upload(&q, file.clone(), Some(&clerk), "same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored: app::domain::document::StoredDocument = serde_json::from_str(&body).unwrap();
    assert_eq!((stored.file_name.as_str(), stored.size), ("Запрос.pdf", file.len() as u64));
    assert_eq!(stored.details.our_number.as_deref(), Some("12/3"));

    let (status, headers, body) = t.call(get(&format!("/documents/{}", stored.id), Some(&viewer))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_bytes(), &file[..]);
    assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
    let disposition = headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"______.pdf\"; filename*=UTF-8''%D0%97"), "{disposition}");
    assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().starts_with("default-src 'none'"));
    let (_, headers, _) = t.call(get(&format!("/documents/{}/preview", stored.id), Some(&viewer))).await;
    assert!(headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().starts_with("inline"));

    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT action, username FROM audit_log WHERE entity = 'document' ORDER BY id")
            .fetch_all(t.db.pool())
            .await
            .unwrap();
    let expected = [("document.add", "clerk"), ("document.read", "viewer"), ("document.read", "viewer")];
    assert_eq!(actions, expected.map(|(a, u)| (a.to_string(), u.to_string())));
    // the text was read for the search
    let hits = app::db::documents::search(&t.db, "quarnby", 5).await.unwrap();
    assert_eq!(hits.len(), 1);

    // a text file comes back compressed when the browser asks so; a PDF as it is
    let q = format!("request={request}&name=note.txt&kind=other&flow=received");
    let text = "Acknowledged. ".repeat(500);
    let (status, _, body) = t.call(upload(&q, text.clone().into_bytes(), Some(&clerk), "same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let note: app::domain::document::StoredDocument = serde_json::from_str(&body).unwrap();
    for (id, encoding) in [(note.id, Some("gzip")), (stored.id, None)] {
        let req = Request::get(format!("/documents/{id}"))
            .header(header::COOKIE, &viewer)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap();
        let (status, headers, _) = t.call(req).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), encoding);
    }
}

#[tokio::test]
async fn unsafe_empty_oversized_and_badly_described_files_are_refused_and_leave_nothing() {
    let t = spawn_app_with(ServeArgs { max_document_mb: 1, ..ServeArgs::default() }).await;
    let request = a_request(&t).await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let q = format!("request={request}&name=a.pdf&kind=letter_of_request&flow=sent");
    let cases = [
        (q.clone(), b"<html><script>alert(1)</script>".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "file"),
        (q.clone(), Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, "file"),
        (q.clone(), vec![b'a'; 1024 * 1024 + 1], StatusCode::PAYLOAD_TOO_LARGE, "file"),
        (format!("request={request}&name=a.pdf&flow=sent"), pdf("x"), StatusCode::UNPROCESSABLE_ENTITY, "kind"),
        (format!("{q}&language=Klingon"), pdf("x"), StatusCode::UNPROCESSABLE_ENTITY, "language"),
        (format!("{q}&translation_of=999"), pdf("x"), StatusCode::UNPROCESSABLE_ENTITY, "translation_of"),
        ("request=99999&name=a.pdf&kind=other&flow=sent".to_string(), pdf("x"), StatusCode::NOT_FOUND, ""),
    ];
    for (query, bytes, status, field) in cases {
        let (got, _, body) = t.call(upload(&query, bytes, Some(&clerk), "same-origin")).await;
        assert_eq!(got, status, "{query}: {body}");
        if !field.is_empty() {
            assert!(body.contains(&format!("\"field\":\"{field}\"")), "{query}: {body}");
        }
    }
    assert_eq!(documents(&t).await, 0);
    let chunks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM document_chunks").fetch_one(t.db.pool()).await.unwrap();
    assert_eq!(chunks, 0);
}

#[tokio::test]
async fn export_writes_each_requests_documents_beside_an_index() {
    let t = spawn_app().await;
    let request = a_request(&t).await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let q = format!("request={request}&name=letter.pdf&kind=letter_of_request&flow=sent&language=ru");
    let (status, _, body) = t.call(upload(&q, pdf("Original"), Some(&clerk), "same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let original: app::domain::document::StoredDocument = serde_json::from_str(&body).unwrap();
    let q = format!("request={request}&name=letter-lt.pdf&kind=translation&flow=sent&language=lt&translation_of={}", original.id);
    let (status, _, body) = t.call(upload(&q, pdf("Vertimas"), Some(&clerk), "same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let dir = std::env::temp_dir().join(format!("rogatory-export-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let written = crate::interchange::export_documents(&t.db, &dir, &Default::default()).await.unwrap();
    assert_eq!(written, 2);
    let index = std::fs::read_to_string(dir.join("documents.csv")).unwrap();
    let lines: Vec<&str> = index.lines().collect();
    assert_eq!(lines.len(), 3, "{index}");
    assert!(lines[0].starts_with("reference,file,kind,flow,language"));
    let translation: Vec<&str> = lines[2].split(',').collect();
    assert_eq!((translation[2], translation[4]), ("translation", "lt"));
    assert_eq!(translation[7], lines[1].split(',').nth(1).unwrap(), "the translation names its original's file");
    assert_eq!(std::fs::read(dir.join(translation[1])).unwrap(), pdf("Vertimas"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_demo_extraditions_carry_their_letters_translations_and_acknowledgements() {
    use app::domain::document::DocumentKind;
    let t = crate::test_support::temp_db(5, 1).await;
    crate::demo_persons::load(&t.db).await.unwrap();
    let all = app::db::documents::all(&t.db).await.unwrap();
    let of = |kind: DocumentKind| all.iter().filter(|d| d.details.kind == kind).count();
    assert_eq!(of(DocumentKind::LetterOfRequest), 9, "one letter for each demo extradition");
    assert!(of(DocumentKind::Translation) >= 3 && of(DocumentKind::Acknowledgement) >= 3);
    assert!(app::db::documents::verify(&t.db).await.unwrap().is_empty());
    // the three Lithuanian extraditions went with an English translation, found by the name in it
    let hits = app::db::documents::search(&t.db, "Ivanou", 10).await.unwrap();
    assert!(hits.iter().any(|h| h.document.details.kind == DocumentKind::Translation), "{hits:?}");
}
