//! Data-layer tests against a real database migrated like production: SQLite, or
//! PostgreSQL when `ROGATORY_TEST_POSTGRES` names a server (see `scratch`).

use super::{cases, DbError};
use super::{list, requests, search};
use crate::domain::filter::{ListParams, SortColumn, StatusFilter, PAGE_SIZE};
use crate::domain::{Direction, EventKind, RequestInput, Status, StatusChangeInput, ValidRequest};
use chrono::NaiveDate;

/// A fresh, migrated database (SQLite, or PostgreSQL when the run is pointed at one).
pub type TestDb = super::scratch::ScratchDb;

pub async fn test_db() -> TestDb {
    TestDb::new("app").await
}

fn clerk() -> super::audit::Actor {
    super::audit::Actor { user_id: None, username: "clerk".into(), ip: Some("127.0.0.1".into()) }
}

fn today() -> NaiveDate {
    "2025-06-10".parse().unwrap()
}

fn input(reference: &str, country: &str, start: &str) -> RequestInput {
    RequestInput {
        reference: reference.into(),
        direction: "outgoing".into(),
        country: country.into(),
        kind: "evidence".into(),
        legal_basis: "european_mla_1959".into(),
        offence: "fraud".into(),
        start_date: start.into(),
        status: "sent".into(),
        ..Default::default()
    }
}

fn valid(i: &RequestInput) -> ValidRequest {
    i.validate(today(), 90).expect("valid input")
}

#[tokio::test]
async fn create_and_read_back_with_its_created_event() {
    let t = test_db().await;
    let mut i = input("2-16/2025/0001", "DE", "2025-03-01");
    i.summary = "Bank records of X".into();
    i.urgent = true;
    let id = requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.reference, "2-16/2025/0001");
    assert_eq!(r.country, "DE");
    assert_eq!(r.status, Status::Sent);
    assert_eq!(r.due_on, Some("2025-05-30".parse().unwrap()));
    assert_eq!(r.legal_basis_label, "European Convention on Mutual Assistance in Criminal Matters (1959)");
    assert!(r.urgent);
    assert_eq!(r.version, 1);
    let events = requests::events(&t.db, id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Created);
    assert_eq!(events[0].user_name.as_deref(), Some("clerk"));
}

#[tokio::test]
async fn duplicate_reference_is_rejected_and_nothing_is_saved() {
    let t = test_db().await;
    requests::create(&t.db, &valid(&input("R-1", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let mut dup = input("R-1", "LT", "2025-03-02");
    dup.case_number = "NEW-CASE".into();
    dup.case_title = "Should not be created".into();
    let err = requests::create(&t.db, &valid(&dup), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(ref r) if r == "R-1"), "{err:?}");
    assert!(cases::options(&t.db).await.unwrap().is_empty(), "the case of a rejected request is not created");
}

#[tokio::test]
async fn registry_numbers_differing_only_in_letter_case_are_one_request() {
    let t = test_db().await;
    let first = requests::create(&t.db, &valid(&input("R-1/Ab", "DE", "2025-03-01")), &clerk()).await.unwrap();
    for dup in ["r-1/ab", "R-1/AB"] {
        let err = requests::create(&t.db, &valid(&input(dup, "LT", "2025-03-02")), &clerk()).await.unwrap_err();
        assert!(matches!(err, DbError::DuplicateReference(ref r) if r == dup), "{err:?}");
    }
    requests::create(&t.db, &valid(&input("ЗАП-7/Нд", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let err = requests::create(&t.db, &valid(&input("зап-7/нД", "DE", "2025-03-01")), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(_)), "Cyrillic letters too: {err:?}");
    // renaming another request to the number in other letters is refused; renaming the
    // request itself to its own number in other letters is allowed
    let other = requests::create(&t.db, &valid(&input("R-2", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let err = requests::update(&t.db, other, 1, &valid(&input("R-1/AB", "DE", "2025-03-01")), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(_)), "{err:?}");
    requests::update(&t.db, first, 1, &valid(&input("R-1/AB", "DE", "2025-03-01")), &clerk()).await.unwrap();
    assert_eq!(requests::get(&t.db, first).await.unwrap().reference, "R-1/AB");
    let mut conn = t.db.pool.acquire().await.unwrap();
    assert_eq!(requests::id_by_reference(&mut conn, "r-1/ab").await.unwrap(), Some(first));
}

#[tokio::test]
async fn numbers_stored_before_keys_get_them_at_start_and_shared_ones_are_named() {
    let t = test_db().await;
    let a = requests::create(&t.db, &valid(&input("ЗАП-1", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let b = requests::create(&t.db, &valid(&input("ЗАП-2", "DE", "2025-03-01")), &clerk()).await.unwrap();
    // as a database from before migration 0016 had them: no keys, and two numbers that
    // differ only in letter case
    sqlx::query("UPDATE requests SET reference_key = NULL").execute(&t.db.pool).await.unwrap();
    sqlx::query("UPDATE requests SET reference = 'зап-1' WHERE id = $1").bind(b).execute(&t.db.pool).await.unwrap();
    assert_eq!(requests::fill_reference_keys(&t.db).await.unwrap(), (1, 1));
    let shared = requests::requests_sharing_a_key(&t.db).await.unwrap();
    assert_eq!(shared, vec![(b, "зап-1".to_string(), a, "ЗАП-1".to_string())]);
    // once renamed, the request gets its key with its next save
    requests::update(&t.db, b, 1, &valid(&input("ЗАП-2", "DE", "2025-03-01")), &clerk()).await.unwrap();
    assert!(requests::requests_sharing_a_key(&t.db).await.unwrap().is_empty());
    assert_eq!(requests::fill_reference_keys(&t.db).await.unwrap(), (0, 0));
}

/// A bulk write's large page cache (SQLite) lasts only as long as its transaction,
/// however the transaction ends: committed, rolled back, or dropped on an error.
#[tokio::test]
async fn a_bulk_writes_page_cache_is_lowered_when_it_ends() {
    let t = test_db().await;
    if t.db.backend != super::pool::Backend::Sqlite {
        return; // PostgreSQL has no per-connection page cache to raise
    }
    async fn cache(tx: &mut super::pool::WriteTx) -> i64 {
        sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut **tx).await.unwrap()
    }
    let bulk = -i64::from(super::pool::BULK_CACHE_KIB);
    for ending in ["commit", "rollback", "drop"] {
        let mut tx = t.db.begin_write().await.unwrap();
        assert_eq!(cache(&mut tx).await, -2000, "before a bulk write ({ending})");
        tx.bulk().await.unwrap();
        assert_eq!(cache(&mut tx).await, bulk);
        match ending {
            "commit" => tx.commit().await.unwrap(),
            "rollback" => tx.rollback().await.unwrap(),
            _ => drop(tx),
        }
        let mut next = t.db.begin_write().await.unwrap();
        assert_eq!(cache(&mut next).await, -2000, "the next writer after a {ending}");
        next.commit().await.unwrap();
    }
}

/// The size of a test database's SQLite write-ahead log, read when called.
fn wal_size(t: &TestDb) -> impl Fn() -> u64 {
    let path = t.url.trim_start_matches("sqlite://").split('?').next().unwrap().to_string();
    move || std::fs::metadata(format!("{path}-wal")).map(|m| m.len()).unwrap_or(0)
}

/// Writes `megabytes` of random bytes into a new table `ballast`, in one transaction.
async fn write_ballast(t: &TestDb, megabytes: u32) {
    let mut tx = t.db.begin_write().await.unwrap();
    sqlx::query("CREATE TABLE ballast (b BLOB)").execute(&mut *tx).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO ballast SELECT randomblob(1048576) FROM n",
    )
    .bind(i64::from(megabytes))
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A large write grows SQLite's write-ahead log; once it is all in the database file,
/// the next write starts the log over and cuts the file back to `WAL_KEPT_BYTES`.
#[tokio::test]
async fn the_write_ahead_log_is_cut_back_after_a_large_write() {
    let t = test_db().await;
    if t.db.backend != super::pool::Backend::Sqlite {
        return; // PostgreSQL manages its own log
    }
    let kept: i64 = sqlx::query_scalar("PRAGMA journal_size_limit").fetch_one(&t.db.pool).await.unwrap();
    assert_eq!(kept as u64, super::pool::WAL_KEPT_BYTES, "the pragma and the constant agree");
    let wal = wal_size(&t);
    write_ballast(&t, 96).await;
    assert!(wal() > super::pool::WAL_KEPT_BYTES, "the log holds the large write: {} bytes", wal());
    // what SQLite's automatic checkpoint does after a commit, then the next write
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&t.db.pool).await.unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    sqlx::query("DELETE FROM ballast").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(wal() <= super::pool::WAL_KEPT_BYTES, "the log was cut back: {} bytes", wal());
}

/// Under readers that never all finish at once, SQLite's own checkpoints cannot start
/// the write-ahead log over; `fold_log` waits for the readers of old snapshots, and
/// gives up after its wait while one stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_write_ahead_log_is_folded_back_once_old_readers_finish() {
    use super::pool::Fold;
    use sqlx::Executor;
    use std::time::{Duration, Instant};
    let t = test_db().await;
    if t.db.backend != super::pool::Backend::Sqlite {
        assert_eq!(t.db.fold_log(0, Duration::from_millis(10)).await.unwrap(), Fold::NotNeeded);
        return;
    }
    let wal = wal_size(&t);
    let limit = 8 * 1024 * 1024;
    assert_eq!(t.db.fold_log(limit, Duration::from_millis(10)).await.unwrap(), Fold::NotNeeded);
    // a reader holding a snapshot from before the large write
    let mut reader = t.db.pool.acquire().await.unwrap();
    reader.execute("BEGIN").await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(&mut *reader).await.unwrap();
    write_ballast(&t, 24).await;
    let long = wal();
    assert!(long > limit, "the log holds the write: {long} bytes");
    let began = Instant::now();
    match t.db.fold_log(limit, Duration::from_millis(300)).await.unwrap() {
        Fold::Busy { bytes } => assert!(bytes > limit),
        other => panic!("an old reader is still there: {other:?}"),
    }
    assert!(began.elapsed() < Duration::from_secs(5), "it gave up after its wait: {:?}", began.elapsed());
    // writers go on as before
    let mut tx = t.db.begin_write().await.unwrap();
    sqlx::query("INSERT INTO ballast VALUES (x'00')").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    reader.execute("COMMIT").await.unwrap();
    drop(reader);
    match t.db.fold_log(limit, Duration::from_millis(300)).await.unwrap() {
        Fold::Folded { bytes } => assert!(bytes > limit),
        other => panic!("no reader is left: {other:?}"),
    }
    assert_eq!(wal(), 0, "the log is empty");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ballast").fetch_one(&t.db.pool).await.unwrap();
    assert_eq!(n, 25, "every write is in the file");
    assert_eq!(t.db.fold_log(limit, Duration::from_millis(10)).await.unwrap(), Fold::NotNeeded);
}

/// Creations arriving together are written together (on SQLite, in one transaction: see
/// `group_commit`); each is answered on its own, and the rejected ones leave nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creations_at_the_same_moment_are_each_answered_and_rejections_leave_nothing() {
    let t = test_db().await;
    let db = t.db.clone();
    let mut calls = Vec::new();
    for i in 0..120 {
        let db = db.clone();
        // 0..80 new; 80..100 the references of 0..20 again; 100..120 an unknown legal basis
        let mut input = input(&format!("G-{}", if (80..100).contains(&i) { i - 80 } else { i }), "DE", "2025-03-01");
        if i >= 100 {
            input.legal_basis = "made_up".into();
            input.case_number = format!("CASE-{i}");
            input.case_title = "Never created".into();
        } else if i % 7 == 0 {
            input.case_number = "SHARED".into();
            input.case_title = "One case for several requests".into();
        }
        calls.push(tokio::spawn(async move { (i, requests::create(&db, &valid(&input), &clerk()).await) }));
    }
    let mut created = std::collections::BTreeMap::new();
    for call in calls {
        let (i, answer) = call.await.unwrap();
        match answer {
            Ok(id) => {
                assert!(i < 100, "{i} was created");
                let reference = requests::get(&t.db, id).await.unwrap().reference;
                assert!(created.insert(reference, id).is_none(), "one creation per reference");
            }
            Err(DbError::DuplicateReference(r)) => {
                assert!((0..20).contains(&r[2..].parse::<i32>().unwrap()) && i < 100, "{i}: {r}")
            }
            Err(DbError::UnknownLegalBasis) => assert!(i >= 100),
            Err(e) => panic!("{i}: {e:?}"),
        }
    }
    assert_eq!(created.len(), 80, "each of the 80 references once");
    let count = |sql: &'static str| {
        let db = t.db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db.pool).await.unwrap() }
    };
    assert_eq!(count("SELECT COUNT(*) FROM requests").await, 80);
    assert_eq!(count("SELECT COUNT(*) FROM request_events").await, 80, "one timeline entry each");
    assert_eq!(count("SELECT COUNT(*) FROM audit_log WHERE action = 'request.create'").await, 80);
    assert_eq!(count("SELECT COUNT(*) FROM cases").await, 1, "the shared case once; the rejected ones' cases never");
    assert_eq!(count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.create'").await, 1, "its creation audited once");
    // each request's own entries (written for the group together on SQLite)
    for (reference, id) in &created {
        let events = requests::events(&t.db, *id).await.unwrap();
        assert_eq!(events.len(), 1, "{reference}");
        assert_eq!(
            (events[0].kind, events[0].to_status, events[0].on_date),
            (EventKind::Created, Some(Status::Sent), Some("2025-03-01".parse().unwrap())),
            "{reference}"
        );
        assert_eq!(events[0].user_name.as_deref(), Some("clerk"), "{reference}");
        let details: String =
            sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'request.create' AND entity_id = $1")
                .bind(id.to_string())
                .fetch_one(&t.db.pool)
                .await
                .unwrap();
        assert!(details.contains(&format!("\"{reference}\"")), "{reference}: {details}");
    }
    let mut conn = t.db.pool.acquire().await.unwrap();
    let kept = super::tally::snapshot(&mut conn).await.unwrap();
    super::tally::rebuild(&mut conn).await.unwrap();
    assert_eq!(kept, super::tally::snapshot(&mut conn).await.unwrap(), "the totals count each creation once");
}

#[tokio::test]
async fn cases_are_created_inline_and_reused() {
    let t = test_db().await;
    let mut a = input("A", "DE", "2025-03-01");
    a.case_number = "12-2023-0111".into();
    a.case_title = "War crimes".into();
    requests::create(&t.db, &valid(&a), &clerk()).await.unwrap();
    let mut b = input("B", "LT", "2025-03-01");
    b.case_number = "12-2023-0111".into();
    requests::create(&t.db, &valid(&b), &clerk()).await.unwrap();
    let mut c = input("C", "LT", "2025-03-01");
    c.case_number = "UNKNOWN".into();
    assert!(matches!(requests::create(&t.db, &valid(&c), &clerk()).await, Err(DbError::CaseTitleMissing)));
    let list = cases::list(&t.db, today()).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].requests, 2);
    assert_eq!(list[0].countries, 2);
    assert_eq!(list[0].open, 2);
}

#[tokio::test]
async fn unknown_legal_basis_is_rejected() {
    let t = test_db().await;
    let mut i = input("A", "DE", "2025-03-01");
    i.legal_basis = "made_up".into();
    assert!(matches!(requests::create(&t.db, &valid(&i), &clerk()).await, Err(DbError::UnknownLegalBasis)));
}

#[tokio::test]
async fn a_stale_edit_is_a_conflict_and_changes_nothing() {
    let t = test_db().await;
    let id = requests::create(&t.db, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let mut first = input("A", "DE", "2025-03-01");
    first.summary = "first".into();
    assert_eq!(requests::update(&t.db, id, 1, &valid(&first), &clerk()).await.unwrap(), 2);
    let mut second = input("A", "PL", "2025-03-01");
    second.summary = "second".into();
    let err = requests::update(&t.db, id, 1, &valid(&second), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::Conflict { current_version: 2 }), "{err:?}");
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.summary.as_deref(), Some("first"));
    assert_eq!(r.country, "DE");
    let events = requests::events(&t.db, id).await.unwrap();
    assert_eq!(events.last().unwrap().note.as_deref(), Some("Edited: summary"));
}

#[tokio::test]
async fn edit_to_an_existing_reference_is_rejected() {
    let t = test_db().await;
    requests::create(&t.db, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let b = requests::create(&t.db, &valid(&input("B", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let err = requests::update(&t.db, b, 1, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(_)));
    assert_eq!(requests::get(&t.db, b).await.unwrap().version, 1, "rolled back");
}

#[tokio::test]
async fn status_changes_update_the_request_and_the_timeline() {
    let t = test_db().await;
    let id = requests::create(&t.db, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let change = StatusChangeInput {
        status: "refused".into(),
        date: "2025-05-01".into(),
        refusal_ground: "political_motivation".into(),
        note: "Letter of 1 May".into(),
        ..Default::default()
    }
    .validate(Status::Sent, Direction::Outgoing, Some("2025-03-01".parse().unwrap()), today())
    .unwrap();
    requests::change_status(&t.db, id, 1, &change, 90, &clerk()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.status, Status::Refused);
    assert_eq!(r.answered_on, Some("2025-05-01".parse().unwrap()));
    assert_eq!(r.refusal_ground.map(|g| g.code()), Some("political_motivation"));
    assert_eq!(r.version, 2);
    let events = requests::events(&t.db, id).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!((last.from_status, last.to_status), (Some(Status::Sent), Some(Status::Refused)));
    assert_eq!(last.note.as_deref(), Some("Ground: Political motivation (incl. sanctions). Letter of 1 May"));
    // the same change from the old version is a conflict
    assert!(matches!(
        requests::change_status(&t.db, id, 1, &change, 90, &clerk()).await,
        Err(DbError::Conflict { current_version: 2 })
    ));
}

#[tokio::test]
async fn sending_a_draft_sets_its_start_and_due_dates() {
    let t = test_db().await;
    let mut d = input("D", "DE", "");
    d.status = "draft".into();
    let id = requests::create(&t.db, &valid(&d), &clerk()).await.unwrap();
    let change = StatusChangeInput { status: "sent".into(), date: "2025-06-01".into(), ..Default::default() }
        .validate(Status::Draft, Direction::Outgoing, None, today())
        .unwrap();
    requests::change_status(&t.db, id, 1, &change, 30, &clerk()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.start_date, Some("2025-06-01".parse().unwrap()));
    assert_eq!(r.due_on, Some("2025-07-01".parse().unwrap()));
}

async fn seed_many(t: &TestDb, n: usize) {
    for k in 0..n {
        let country = ["DE", "LT", "PL"][k % 3];
        let day = 1 + (k % 28);
        let month = 1 + (k / 28) % 5;
        let mut i = input(&format!("R-{k:04}"), country, &format!("2025-{month:02}-{day:02}"));
        if k % 10 == 0 {
            i.direction = "incoming".into();
            i.status = "received".into();
        }
        if k % 7 == 0 {
            i.summary = format!("Bank records of Müller & Co {k}");
        }
        requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
}

fn params(pairs: &[(&str, &str)]) -> ListParams {
    ListParams::from_pairs(pairs.iter().copied())
}

#[tokio::test]
async fn list_filters() {
    let t = test_db().await;
    seed_many(&t, 60).await;
    let page = list::page(&t.db, &params(&[("country", "LT")]), today()).await.unwrap();
    assert_eq!(page.total, 20);
    assert!(!page.total_capped);
    // counted from the running totals: exact, whatever the cap
    let exact = list::page_counting_to(&t.db, &params(&[("country", "LT")]), today(), 5).await.unwrap();
    assert_eq!((exact.total, exact.total_capped), (20, false));
    // a text search is counted from the requests: past the cap the list says "more than";
    // at the cap it still counts exactly
    let search = [("country", "LT"), ("q", "r-0")];
    let capped = list::page_counting_to(&t.db, &params(&search), today(), 19).await.unwrap();
    assert_eq!((capped.total, capped.total_capped), (19, true));
    assert_eq!(capped.rows.len(), 20, "the page itself is not cut");
    let exact = list::page_counting_to(&t.db, &params(&search), today(), 20).await.unwrap();
    assert_eq!((exact.total, exact.total_capped), (20, false));
    // "count them all", past the cap: exact, from the requests (a search) or the totals
    for (pairs, n) in
        [(&search[..], 20), (&[("q", "müller")][..], 9), (&[("country", "LT")][..], 20), (&[("q", "zzz-none")][..], 0)]
    {
        let filter = params(pairs).filter;
        assert_eq!(list::count_exactly(&t.db, &filter, today()).await.unwrap(), n, "{pairs:?}");
    }
    assert!(page.rows.iter().all(|r| r.country == "LT"));
    let page = list::page(&t.db, &params(&[("direction", "incoming")]), today()).await.unwrap();
    assert_eq!(page.total, 6);
    let page = list::page(&t.db, &params(&[("q", "müller")]), today()).await.unwrap();
    assert_eq!(page.total, 9, "summary search (0, 7, ..., 56)");
    let page = list::page(&t.db, &params(&[("q", "R-003")]), today()).await.unwrap();
    assert_eq!(page.total, 10, "reference search");
    let page = list::page(&t.db, &params(&[("q", "%")]), today()).await.unwrap();
    assert_eq!(page.total, 0, "wildcards are literal");
    let page = list::page(&t.db, &params(&[("from", "2025-02-01"), ("to", "2025-02-28")]), today()).await.unwrap();
    assert_eq!(page.total, 28);
    // due = start + 90: starts up to 2025-03-11 are overdue on 2025-06-10
    let overdue = list::page(&t.db, &params(&[("status", "overdue")]), today()).await.unwrap();
    assert!(overdue.rows.iter().all(|r| r.overdue));
    let expected = (0..60).filter(|k| {
        let day = 1 + (k % 28);
        let month = 1 + (k / 28) % 5;
        (month, day) <= (3, 11)
    });
    assert_eq!(overdue.total, expected.count() as i64);
    assert_eq!(params(&[("status", "overdue")]).filter.status, Some(StatusFilter::Overdue));
    // any language's capitals: SQLite's own LOWER would leave "Иванов" as it is
    let mut cyrillic = input("МИД-77", "LT", "2025-03-03");
    cyrillic.summary = "Допрос свидетеля Иванова".into();
    cyrillic.their_reference = "Ärger-5".into();
    requests::create(&t.db, &valid(&cyrillic), &clerk()).await.unwrap();
    for q in ["иванов", "ИВАНОВ", "мид-77", "äRGER", "свидетеля иванова"] {
        let page = list::page(&t.db, &params(&[("q", q)]), today()).await.unwrap();
        assert_eq!(page.rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["МИД-77"], "search {q:?}");
    }
    // a search does not match across the reference and the summary
    let page = list::page(&t.db, &params(&[("q", "77 допрос")]), today()).await.unwrap();
    assert_eq!(page.total, 0);
}

#[tokio::test]
async fn keyset_pages_walk_forward_and_back_over_every_row() {
    let t = test_db().await;
    let n = PAGE_SIZE as usize * 2 + 7;
    seed_many(&t, n).await;
    for sort in [SortColumn::Start, SortColumn::Reference, SortColumn::Country, SortColumn::Due] {
        for desc in [false, true] {
            let base = ListParams { sort, desc, ..Default::default() };
            let mut seen = Vec::new();
            let mut p = base.clone();
            let mut pages = Vec::new();
            loop {
                let page = list::page(&t.db, &p, today()).await.unwrap();
                assert_eq!(page.total, n as i64);
                seen.extend(page.rows.iter().map(|r| r.id));
                pages.push(page.clone());
                match page.next {
                    Some(c) => p = base.page_after(&c),
                    None => break,
                }
            }
            assert_eq!(pages.len(), 3);
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), n, "every row exactly once ({sort:?} desc={desc})");
            // back from the last page gives the middle page again
            let back = list::page(&t.db, &base.page_before(pages[2].prev.as_ref().unwrap()), today()).await.unwrap();
            assert_eq!(
                back.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
                pages[1].rows.iter().map(|r| r.id).collect::<Vec<_>>()
            );
            assert!(back.prev.is_some() && back.next.is_some());
            let first = list::page(&t.db, &base.page_before(back.prev.as_ref().unwrap()), today()).await.unwrap();
            assert_eq!(first.rows, pages[0].rows);
            assert!(first.prev.is_none(), "the first page has no previous page");
        }
    }
}

#[tokio::test]
async fn requests_written_before_the_search_column_are_found_after_start_up() {
    let t = test_db().await;
    seed_many(&t, 30).await;
    sqlx::query("UPDATE requests SET search_text = NULL").execute(&t.db.pool).await.unwrap();
    let page = list::page(&t.db, &params(&[("q", "müller")]), today()).await.unwrap();
    assert_eq!(page.total, 0, "not yet filled");
    t.db.migrate().await.unwrap();
    let page = list::page(&t.db, &params(&[("q", "müller")]), today()).await.unwrap();
    assert_eq!(page.total, 5, "0, 7, 14, 21, 28");
    if t.db.backend == super::pool::Backend::Sqlite {
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert_eq!(search::search_index_problem(&mut conn).await, None, "the trigram indexes in step with the texts");
    }
}

#[tokio::test]
async fn both_ways_of_finding_a_page_give_the_same_pages() {
    use super::list::{page_forced as list_with, PageWay};
    let t = test_db().await;
    seed_many(&t, PAGE_SIZE as usize * 2 + 7).await;
    // closed requests among the open ones, which the open requests' own indexes leave out
    for k in 0..40 {
        let mut i = input(&format!("X-{k:03}"), ["DE", "LT"][k % 2], &format!("2025-0{}-{:02}", 1 + k % 5, 1 + k % 27));
        i.status = if k % 3 == 0 { "refused".into() } else { "fulfilled".into() };
        i.answered_on = "2025-06-01".into();
        if k % 3 == 0 {
            i.refusal_ground = "dual_criminality".into();
        }
        requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    let filters: [&[(&str, &str)]; 12] = [
        &[],
        &[("direction", "outgoing")],
        &[("country", "LT"), ("status", "sent")],
        &[("status", "open")],
        &[("status", "overdue"), ("country", "DE")],
        &[("status", "in_time")],
        &[("status", "open"), ("q", "müller")],
        &[("q", "müller")],
        // a country by a date: its own index by country and date (SQLite), unless a
        // status's walk passes fewer requests
        &[("country", "PL")],
        &[("country", "DE"), ("direction", "incoming")],
        &[("country", "LT"), ("status", "refused")],
        &[("country", "DE"), ("status", "in_time"), ("q", "mü")],
    ];
    for pairs in filters {
        for sort in [SortColumn::Start, SortColumn::Country, SortColumn::Due, SortColumn::Reference] {
            for desc in [false, true] {
                let base = ListParams { sort, desc, ..params(pairs) };
                let mut pages = Vec::new();
                for path in [Some(PageWay::Walk), Some(PageWay::ThroughFilters), None] {
                    let (mut p, mut ids, mut backs) = (base.clone(), Vec::new(), Vec::new());
                    loop {
                        let page = list_with(&t.db, &p, today(), 10_000, path, None).await.unwrap();
                        ids.extend(page.rows.iter().map(|r| r.id));
                        if let Some(prev) = &page.prev {
                            let back = list_with(&t.db, &base.page_before(prev), today(), 10_000, path, None).await.unwrap();
                            backs.push(back.rows.iter().map(|r| r.id).collect::<Vec<_>>());
                        }
                        match page.next {
                            Some(c) => p = base.page_after(&c),
                            None => break,
                        }
                    }
                    pages.push((ids, backs));
                }
                assert_eq!(pages[0], pages[1], "{pairs:?} {sort:?} desc={desc}: walking and through the filters");
                assert_eq!(pages[0], pages[2], "{pairs:?} {sort:?} desc={desc}: as chosen");
                let total = list::count_by_reading(&t.db, &params(pairs).filter, today()).await.unwrap();
                assert_eq!(pages[0].0.len() as i64, total, "{pairs:?}: every match once");
            }
        }
    }
}

#[tokio::test]
async fn a_search_finds_the_same_requests_through_the_trigram_index_as_by_reading_them() {
    use super::list::{page_forced as list_with, PageWay, SearchWay};
    let t = test_db().await;
    seed_many(&t, 70).await;
    // texts where the wildcards of LIKE and GLOB are plain characters
    for (k, summary) in
        ["100% of *all* [assets]", "Case a_b? Yes: a*b", "Иванов И. И., fraud", "müller-lüdenscheid", "He said \"no\" AND left"]
            .iter()
            .enumerate()
    {
        let mut i = input(&format!("W-{k}"), "FI", "2025-02-01");
        i.summary = summary.to_string();
        if k % 2 == 0 {
            i.case_number = format!("C-{k}");
            i.case_title = "A case".into();
        }
        requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    let terms = [
        "müller",
        "MÜLLER",
        "ller & co",
        "r-00",
        "r-0",
        "mü",
        "w-",
        "zzz",
        "100%",
        "%",
        "_",
        "a_b",
        "*all*",
        "[assets]",
        "[a",
        "a*b",
        "b?",
        "иванов",
        "ИВАНОВ",
        "fraud",
        "1",
        "co 2",
        "lüdenscheid",
        "r-0042",
        "\"no\"",
        "d \"n",
        "\"",
        "and",
        "no\" and l",
        "e s",
    ];
    for term in terms {
        for (sort, desc) in [(SortColumn::Start, true), (SortColumn::Reference, false), (SortColumn::Case, true)] {
            let base = ListParams { sort, desc, ..params(&[("q", term)]) };
            let mut found = Vec::new();
            for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams), None] {
                for path in [Some(PageWay::ThroughFilters), None] {
                    let (mut p, mut ids, mut total) = (base.clone(), Vec::new(), None);
                    loop {
                        let page = list_with(&t.db, &p, today(), 10_000, path, search).await.unwrap();
                        total.get_or_insert(page.total);
                        ids.extend(page.rows.iter().map(|r| r.id));
                        match page.next {
                            Some(c) => p = base.page_after(&c),
                            None => break,
                        }
                    }
                    assert_eq!(total, Some(ids.len() as i64), "{term:?} {search:?} {path:?}: the count is the rows'");
                    found.push(ids);
                }
            }
            assert!(found.iter().all(|ids| *ids == found[0]), "{term:?} {sort:?}: {found:?}");
            let expected = list::count_by_reading(&t.db, &params(&[("q", term)]).filter, today()).await.unwrap();
            assert_eq!(found[0].len() as i64, expected, "{term:?}");
        }
    }
    // with other filters: the counts and pages found each way (and the indexes chosen
    // for them) agree with a recount
    for term in ["müller", "r-0", "a*b", "co"] {
        for other in [("status", "open"), ("status", "overdue"), ("status", "sent"), ("country", "LT"), ("direction", "incoming")]
        {
            let pairs = [("q", term), other];
            let expected = list::count_by_reading(&t.db, &params(&pairs).filter, today()).await.unwrap();
            for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams), None] {
                for path in [Some(PageWay::Walk), Some(PageWay::ThroughFilters), None] {
                    let page = list_with(&t.db, &params(&pairs), today(), 10_000, path, search).await.unwrap();
                    assert_eq!(page.total, expected, "{pairs:?} {search:?} {path:?}");
                    assert_eq!(page.rows.len() as i64, expected.min(PAGE_SIZE as i64), "{pairs:?} {search:?} {path:?}");
                }
            }
        }
    }
    // 0, 7, ... 63 and müller-lüdenscheid
    for (q, n) in [("müller", 11), ("[assets]", 1), ("a*b", 1), ("иванов", 1)] {
        assert_eq!(list::page(&t.db, &params(&[("q", q)]), today()).await.unwrap().total, n, "{q}");
    }

    // an edit moves the request in the index: found by its new text, not by its old
    assert_eq!(list::page(&t.db, &params(&[("q", "\"no\" and")]), today()).await.unwrap().total, 1);
    let id = requests::id_by_reference(&mut t.db.pool.acquire().await.unwrap(), "W-3").await.unwrap().unwrap();
    let mut i = input("W-3", "FI", "2025-02-01");
    i.summary = "Schmidt-Lüdenscheid".into();
    requests::update(&t.db, id, 1, &valid(&i), &clerk()).await.unwrap();
    for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams)] {
        for (q, n) in [("müller-lüd", 0), ("schmidt-lüd", 1)] {
            let page = list_with(&t.db, &params(&[("q", q)]), today(), 10_000, None, search).await.unwrap();
            assert_eq!(page.total, n, "{q} {search:?}");
        }
    }

    // more matches than the count's cap: the pages, found through the trigram index (a
    // rare term's matches are all set aside, past the cap) or by reading the requests
    // (walking the sort order), are the same, forwards and backwards, and hold every
    // match once
    for (q, sort, desc) in [
        ("r-00", SortColumn::Country, true),
        ("r-0", SortColumn::Start, true),
        ("müller", SortColumn::Due, true),
        ("r-0", SortColumn::Reference, false),
    ] {
        let mut found = Vec::new();
        for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams), None] {
            let (pages, totals) = pages_of(&t, q, sort, desc, None, search).await;
            assert!(totals.iter().all(|&total| total == (3, true)), "{q} {search:?}: more than 3");
            found.push(pages);
        }
        let expected = list::count_by_reading(&t.db, &params(&[("q", q)]).filter, today()).await.unwrap();
        assert_eq!(found[0].len(), (expected as usize).div_ceil(PAGE_SIZE as usize), "{q}: pages");
        let found: Vec<Vec<i64>> = found.into_iter().map(|pages| pages.concat()).collect();
        assert_eq!(found[0].len() as i64, expected, "{q}: every match once");
        assert!(found.iter().all(|ids| *ids == found[0]), "{q}: {found:?}");
    }
}

/// What a process keeps of a search term's rarity only chooses the way: kept wrongly, a
/// search gives the same count and pages; and a term searched with more matches than the
/// count's cap is found out about and kept (on SQLite at once, on PostgreSQL in the
/// background).
#[tokio::test]
async fn a_terms_kept_rarity_chooses_the_way_not_the_answer() {
    use super::list::{page_forced as list_with, PageWay, SearchWay};
    let t = test_db().await;
    seed_many(&t, 70).await;
    let pages = |q: &'static str, cap: i64, search: Option<SearchWay>| {
        let db = t.db.clone();
        async move {
            let base = ListParams { sort: SortColumn::Country, desc: true, ..params(&[("q", q)]) };
            let (mut p, mut ids, mut total) = (base.clone(), Vec::new(), None);
            loop {
                let page = list_with(&db, &p, today(), cap, None, search).await.unwrap();
                total.get_or_insert((page.total, page.total_capped));
                ids.extend(page.rows.iter().map(|r| r.id));
                match page.next {
                    Some(c) => p = base.page_after(&c),
                    None => break,
                }
            }
            (total.unwrap(), ids)
        }
    };

    // "r-0" matches all 70, more than a cap of 3: found out about and kept as rare
    assert_eq!(t.db.terms.get("R-0"), None);
    let expected = pages("r-0", 3, Some(SearchWay::Scan)).await;
    assert_eq!(expected.0, (3, true));
    assert_eq!(expected.1.len(), 70);
    assert_eq!(pages("r-0", 3, None).await, expected);
    let mut kept = None;
    for _ in 0..100 {
        kept = t.db.terms.get("R-0");
        if kept.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(kept, Some(true), "found out about after a capped search");

    for (q, rare) in [("r-0", false), ("r-0", true), ("müller", false), ("müller", true), ("zzz", true)] {
        t.db.terms.put(q, rare);
        for cap in [3, 10_000] {
            let expected = pages(q, cap, Some(SearchWay::Scan)).await;
            assert_eq!(pages(q, cap, None).await, expected, "{q} kept as rare: {rare}, cap {cap}");
        }
    }

    // kept as common (on PostgreSQL: the other filters' matches first, then their texts),
    // in every order, with other filters, counted to a cap above and below the matches
    for q in ["r-0", "müller"] {
        t.db.terms.put(q, false);
        for sort in [SortColumn::Case, SortColumn::Country, SortColumn::Start, SortColumn::Reference] {
            for extra in [
                vec![],
                vec![("country", "LT")],
                vec![("status", "received")],
                vec![("direction", "incoming")],
                vec![("country", "LT"), ("status", "sent")],
            ] {
                let mut pairs = vec![("q", q)];
                pairs.extend(extra.iter().copied());
                let base = ListParams { sort, desc: false, ..params(&pairs) };
                // the page as chosen (on PostgreSQL, from all the matches among the few
                // requests passing the other filters) and walked (counted to the cap)
                for (cap, path) in [(3, None), (10_000, None), (3, Some(PageWay::Walk)), (10_000, Some(PageWay::Walk))] {
                    let chosen = list_with(&t.db, &base, today(), cap, path, None).await.unwrap();
                    let scan = list_with(&t.db, &base, today(), cap, None, Some(SearchWay::Scan)).await.unwrap();
                    let ids = |p: &crate::domain::RequestPage| p.rows.iter().map(|r| r.id).collect::<Vec<_>>();
                    assert_eq!(ids(&chosen), ids(&scan), "{q} {sort:?} {extra:?} cap {cap} {path:?}");
                    assert_eq!(
                        (chosen.total, chosen.total_capped),
                        (scan.total, scan.total_capped),
                        "{q} {sort:?} {extra:?} cap {cap} {path:?}"
                    );
                    let all = list::count_by_reading(&t.db, &base.filter, today()).await.unwrap();
                    assert_eq!(chosen.total, all.min(cap), "{q} {sort:?} {extra:?} cap {cap} {path:?}");
                }
            }
        }
    }
}

/// A common term's pages by start or due date come from the trigram index in that date's
/// order (SQLite): the same pages, forwards and backwards, as walking the dates' index and
/// reading every request's text; also after edits and status changes move requests to
/// other dates, drafts without dates among them. The index stays in step (`check`).
#[tokio::test]
async fn a_common_terms_pages_by_date_are_those_of_reading_every_request() {
    let t = test_db().await;
    seed_many(&t, 60).await;
    // drafts (no dates), and requests on the same days as others (ties go by id)
    for k in 0..6 {
        let mut d = input(&format!("R-D{k}"), "FI", if k % 2 == 0 { "" } else { "2025-03-03" });
        if k % 2 == 0 {
            d.status = "draft".into();
        }
        d.summary = format!("Müller draft {k}");
        requests::create(&t.db, &valid(&d), &clerk()).await.unwrap();
    }
    // texts too long for PostgreSQL's indexes that carry the text (over 2,000 bytes: the
    // term at the end, at the start, and not at all)
    for (k, summary) in [format!("{} Müller", "ж".repeat(1_500)), format!("Müller {}", "ж".repeat(1_500)), "ж".repeat(1_500)]
        .into_iter()
        .enumerate()
    {
        let mut i = input(&format!("R-L{k}"), "LT", &format!("2025-0{}-15", 2 + k));
        i.summary = summary;
        requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    compare_by_date(&t, "as created").await;

    // other start and due dates, a text changed with them, and a draft sent
    let mut conn = t.db.pool.acquire().await.unwrap();
    for (k, start, due) in [(3, "2024-12-31", "2025-01-15"), (14, "2025-05-30", ""), (28, "2025-01-01", "2026-02-02")] {
        let id = requests::id_by_reference(&mut conn, &format!("R-{k:04}")).await.unwrap().unwrap();
        let mut i = input(&format!("R-{k:04}"), ["DE", "LT", "PL"][k % 3], start);
        i.due_on = due.into();
        i.summary = if k == 14 { "Müller moved".into() } else { String::new() };
        requests::update(&t.db, id, requests::get(&t.db, id).await.unwrap().version, &valid(&i), &clerk()).await.unwrap();
    }
    let draft = requests::id_by_reference(&mut conn, "R-D2").await.unwrap().unwrap();
    drop(conn);
    let change = StatusChangeInput { status: "sent".into(), date: "2025-06-01".into(), ..Default::default() }
        .validate(Status::Draft, Direction::Outgoing, None, today())
        .unwrap();
    requests::change_status(&t.db, draft, 1, &change, 30, &clerk()).await.unwrap();
    compare_by_date(&t, "after edits").await;
}

/// A bulk write (an import) leaves its new requests' search entries to its commit, which
/// writes them in the indexes' order (SQLite, migration 0014): after a dry run, an import
/// with dates in no order, and an import of updates, the pages by date are those of
/// reading every request and the index is in step; the triggers are at work again after.
#[tokio::test]
async fn an_imports_requests_are_in_the_search_index_after_it() {
    use super::import::{import, ImportOptions, Row};
    let t = test_db().await;
    seed_many(&t, 30).await;
    let rows = |summary: &str| -> Vec<Row> {
        (0..40)
            .map(|k| {
                let (month, day) = (1 + (k * 7) % 5, 1 + (k * 11) % 28);
                let mut i = input(&format!("R-0B{k:02}"), ["DE", "LT", "FI"][k % 3], &format!("2025-{month:02}-{day:02}"));
                if k % 3 == 0 {
                    i.summary = format!("Müller {summary} {k}");
                }
                (k + 2, Ok(i))
            })
            .collect()
    };
    let run = |rows: Vec<Row>, dry_run: bool, update: bool| {
        let db = &t.db;
        async move { import(db, rows, ImportOptions { dry_run, update }, "bulk.csv", &clerk(), today(), |_| {}).await.unwrap() }
    };
    assert!(!run(rows("imported"), true, false).await.committed);
    compare_by_date(&t, "after a dry run").await;
    assert_eq!(run(rows("imported"), false, false).await.created, 40);
    compare_by_date(&t, "after an import").await;
    assert_eq!(run(rows("replaced"), false, true).await.updated, 40);
    compare_by_date(&t, "after an import of updates").await;
    let page = list::page(&t.db, &params(&[("q", "müller replaced")]), today()).await.unwrap();
    assert_eq!(page.total, 14, "0, 3, ..., 39");

    let mut i = input("R-0C01", "LT", "2025-02-02");
    i.summary = "Müller after".into();
    requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    compare_by_date(&t, "after a creation").await;
    let page = list::page(&t.db, &params(&[("q", "müller after")]), today()).await.unwrap();
    assert_eq!(page.total, 1);
    if t.db.backend == super::pool::Backend::Sqlite {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_index_deferred").fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(left, 0, "nothing deferred after the bulk writes");
        // rebuilt from the requests (`rogatory tally`): the same again
        let mut tx = t.db.begin_write().await.unwrap();
        search::rebuild_search_index(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        compare_by_date(&t, "after a rebuild").await;
    }
}

/// The pages of a term's matches (a count capped at 3), forwards, checked backwards.
async fn pages_of(
    t: &TestDb,
    q: &str,
    sort: SortColumn,
    desc: bool,
    extra: Option<(&str, &str)>,
    search: Option<super::list::SearchWay>,
) -> (Vec<Vec<i64>>, Vec<(i64, bool)>) {
    use super::list::page_forced as list_with;
    let mut pairs = vec![("q", q)];
    pairs.extend(extra);
    let base = ListParams { sort, desc, ..params(&pairs) };
    let (mut p, mut pages, mut totals) = (base.clone(), Vec::new(), Vec::new());
    loop {
        let page = list_with(&t.db, &p, today(), 3, None, search).await.unwrap();
        pages.push(page.rows.iter().map(|r| r.id).collect::<Vec<_>>());
        totals.push((page.total, page.total_capped));
        match page.next {
            Some(c) => p = base.page_after(&c),
            None => {
                let mut back = page.prev.clone();
                for expected in pages.iter().rev().skip(1) {
                    let before = list_with(&t.db, &base.page_before(&back.expect("a page before")), today(), 3, None, search)
                        .await
                        .unwrap();
                    assert_eq!(
                        &before.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
                        expected,
                        "{q} {sort:?} {search:?}: backwards"
                    );
                    back = before.prev;
                }
                assert_eq!(back, None, "{q} {sort:?} {search:?}: nothing before the first page");
                return (pages, totals);
            }
        }
    }
}

/// Terms kept as common, by start and due date: the pages as chosen are those of reading
/// every request, and hold every match once.
async fn compare_by_date(t: &TestDb, round: &str) {
    use super::list::SearchWay;
    for q in ["r-0", "müller", "ller"] {
        // kept as common: the pages walk an order rather than setting every match aside
        t.db.terms.put(q, false);
        for sort in [SortColumn::Start, SortColumn::Due] {
            for desc in [true, false] {
                for extra in [None, Some(("country", "LT")), Some(("status", "draft")), Some(("status", "open"))] {
                    let expected = pages_of(t, q, sort, desc, extra, Some(SearchWay::Scan)).await.0;
                    let chosen = pages_of(t, q, sort, desc, extra, None).await.0;
                    assert_eq!(chosen, expected, "{round}: {q} {sort:?} desc={desc} {extra:?}");
                    let mut pairs = vec![("q", q)];
                    pairs.extend(extra);
                    let total = list::count_by_reading(&t.db, &params(&pairs).filter, today()).await.unwrap();
                    assert_eq!(expected.concat().len() as i64, total, "{round}: {q} {extra:?}: every match once");
                }
            }
        }
    }
    if t.db.backend == super::pool::Backend::Sqlite {
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert_eq!(search::search_index_problem(&mut conn).await, None, "{round}: the index is in step");
    }
}

mod accounts {
    use super::super::audit::{self, Actor, AuditFilter};
    use super::super::users;
    use super::test_db;
    use crate::domain::user::{NewUser, Role};

    fn new_user(name: &str, role: Role) -> NewUser {
        NewUser { username: name.into(), display_name: name.to_uppercase(), role, password: "a good long passphrase".into() }
    }

    #[tokio::test]
    async fn sessions_live_and_die() {
        let t = test_db().await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        let id = users::create(&mut conn, &new_user("ann", Role::Clerk)).await.unwrap();
        assert!(matches!(users::create(&mut conn, &new_user("ann", Role::Viewer)).await, Err(super::DbError::DuplicateUser(_))));
        let token = users::start_session(&mut conn, id, None, None).await.unwrap();
        drop(conn);
        let user = users::session_user(&t.db, &token).await.unwrap().unwrap();
        assert_eq!((user.username.as_str(), user.role), ("ann", Role::Clerk));
        assert!(users::session_user(&t.db, "not-a-token").await.unwrap().is_none());

        // 31 minutes idle: over
        users::age_session(&t.db, &token, 31 * 60, 31 * 60).await.unwrap();
        assert!(users::session_user(&t.db, &token).await.unwrap().is_none());

        // active but 12 hours old: over
        let mut conn = t.db.pool.acquire().await.unwrap();
        let token = users::start_session(&mut conn, id, None, None).await.unwrap();
        drop(conn);
        users::age_session(&t.db, &token, 60, 12 * 3600 + 1).await.unwrap();
        assert!(users::session_user(&t.db, &token).await.unwrap().is_none());

        // disabling ends every session at once
        let mut conn = t.db.pool.acquire().await.unwrap();
        let token = users::start_session(&mut conn, id, None, None).await.unwrap();
        users::set_disabled(&mut conn, id, true).await.unwrap();
        drop(conn);
        assert!(users::session_user(&t.db, &token).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn passwords_are_argon2id_hashes() {
        let t = test_db().await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        users::create(&mut conn, &new_user("bob", Role::Viewer)).await.unwrap();
        let creds = users::credentials(&mut conn, "bob").await.unwrap().unwrap();
        assert!(creds.password_hash.starts_with("$argon2id$"), "{}", creds.password_hash);
        assert!(password_auth::verify_password("a good long passphrase", &creds.password_hash).is_ok());
    }

    #[tokio::test]
    async fn failures_count_within_the_window() {
        let t = test_db().await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        for _ in 0..5 {
            users::record_failure(&mut conn, "ann", Some("10.0.0.1")).await.unwrap();
        }
        assert_eq!(users::recent_failures(&mut conn, "ann").await.unwrap(), 5);
        sqlx::query("UPDATE login_failures SET at = at - 901").execute(&mut *conn).await.unwrap();
        assert_eq!(users::recent_failures(&mut conn, "ann").await.unwrap(), 0, "older than 15 minutes");
    }

    #[tokio::test]
    async fn the_audit_trail_is_append_only() {
        let t = test_db().await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        let actor = Actor { user_id: None, username: "ann".into(), ip: Some("10.0.0.1".into()) };
        audit::record(&mut conn, &actor, "login", Some("user"), Some("ann".into()), None).await.unwrap();
        assert!(sqlx::query("UPDATE audit_log SET action = 'x'").execute(&mut *conn).await.is_err());
        assert!(sqlx::query("DELETE FROM audit_log").execute(&mut *conn).await.is_err());
        let entries = audit::list(&mut conn, &AuditFilter::default()).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!((entries[0].action.as_str(), entries[0].ip.as_deref()), ("login", Some("10.0.0.1")));
    }

    /// Runs `sql` with the append-only triggers out of the way, as someone with the
    /// database's own rights could.
    async fn behind_the_applications_back(t: &super::TestDb, sql: &str) {
        let postgres = t.db.backend == crate::db::pool::Backend::Postgres;
        let mut conn = t.db.pool.acquire().await.unwrap();
        if postgres {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER").execute(&mut *conn).await.unwrap();
        } else {
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut *conn).await.unwrap();
            sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut *conn).await.unwrap();
        }
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }

    async fn five_entries(t: &super::TestDb) -> Vec<i64> {
        let actor = Actor { user_id: Some(1), username: "ann".into(), ip: Some("10.0.0.1".into()) };
        let mut tx = t.db.begin_write().await.unwrap();
        audit::record(&mut tx, &actor, "login", Some("user"), Some("ann".into()), None).await.unwrap();
        let many: Vec<audit::NewEntry> = (0..3)
            .map(|n| audit::NewEntry {
                actor: &actor,
                action: "request.create",
                entity: Some("request"),
                entity_id: Some(n.to_string()),
                details: Some(serde_json::json!({ "n": n })),
            })
            .collect();
        audit::record_many(&mut tx, &many).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = t.db.pool.acquire().await.unwrap();
        audit::record(&mut conn, &actor, "logout", Some("user"), Some("ann".into()), None).await.unwrap();
        sqlx::query_scalar("SELECT id FROM audit_log ORDER BY seq").fetch_all(&mut *conn).await.unwrap()
    }

    #[tokio::test]
    async fn the_audit_chain_names_the_first_entry_changed_or_removed_behind_the_applications_back() {
        let t = test_db().await;
        let ids = five_entries(&t).await;
        assert_eq!(ids.len(), 5);
        let sound = audit::verify_chain(&t.db).await.unwrap();
        assert_eq!((sound.chained, sound.broken.clone()), (5, None));

        behind_the_applications_back(&t, &format!("UPDATE audit_log SET details = '{{\"n\":9}}' WHERE id = {}", ids[2])).await;
        let check = audit::verify_chain(&t.db).await.unwrap();
        assert_eq!(check.broken.as_ref().unwrap().0, Some(ids[2]), "{check:?}");
        assert_eq!(check.chained, 2);
    }

    #[tokio::test]
    async fn the_audit_chain_tells_a_removed_entry_and_a_removed_end() {
        let t = test_db().await;
        let ids = five_entries(&t).await;
        behind_the_applications_back(&t, &format!("DELETE FROM audit_log WHERE id = {}", ids[1])).await;
        let check = audit::verify_chain(&t.db).await.unwrap();
        let (id, why) = check.broken.unwrap();
        assert_eq!(id, Some(ids[2]));
        assert!(why.contains("number 2 of the chain) is missing"), "{why}");

        let t = test_db().await;
        let ids = five_entries(&t).await;
        behind_the_applications_back(&t, &format!("DELETE FROM audit_log WHERE id = {}", ids[4])).await;
        let (id, why) = audit::verify_chain(&t.db).await.unwrap().broken.unwrap();
        assert_eq!(id, None);
        assert!(why.contains("the chain ends at entry number 4, but 5 were written"), "{why}");
    }

    #[tokio::test]
    async fn concurrent_writers_keep_one_chain() {
        let t = test_db().await;
        let writers: Vec<_> = (0..8)
            .map(|w| {
                let db = t.db.clone();
                tokio::spawn(async move {
                    let actor = Actor { user_id: None, username: format!("w{w}"), ip: None };
                    for n in 0..10 {
                        let mut tx = db.begin_write().await.unwrap();
                        audit::record(&mut tx, &actor, "request.update", Some("request"), Some(n.to_string()), None)
                            .await
                            .unwrap();
                        tx.commit().await.unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.await.unwrap();
        }
        let check = audit::verify_chain(&t.db).await.unwrap();
        assert_eq!((check.chained, check.broken), (80, None));
    }

    #[tokio::test]
    async fn request_changes_are_audited_with_before_and_after() {
        let t = test_db().await;
        let clerk = super::clerk();
        let id = super::requests::create(&t.db, &super::valid(&super::input("A", "DE", "2025-03-01")), &clerk).await.unwrap();
        let mut edit = super::input("A", "PL", "2025-03-01");
        edit.summary = "moved".into();
        super::requests::update(&t.db, id, 1, &super::valid(&edit), &clerk).await.unwrap();
        let mut conn = t.db.pool.acquire().await.unwrap();
        let f = AuditFilter { entity: Some("request".into()), entity_id: Some(id.to_string()), ..Default::default() };
        let entries = audit::list(&mut conn, &f).await.unwrap();
        assert_eq!(entries.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["request.update", "request.create"]);
        let details: serde_json::Value = serde_json::from_str(entries[0].details.as_deref().unwrap()).unwrap();
        assert_eq!(details["before"]["country"], "DE");
        assert_eq!(details["after"]["country"], "PL");
        assert_eq!(details["changed"], serde_json::json!(["country", "summary"]));
        assert_eq!(entries[0].username.as_deref(), Some("clerk"));
    }
}

#[tokio::test]
async fn dashboard_figures_on_known_data() {
    use crate::domain::dashboard::DashboardParams;
    use crate::domain::figures::format_rate;
    let t = test_db().await;
    let make = |r: &str, c: &str, start: &str, status: &str, answered: &str| {
        let mut i = input(r, c, start);
        i.status = status.into();
        i.answered_on = answered.into();
        if status == "refused" {
            i.refusal_ground = "dual_criminality".into();
        }
        if status == "draft" {
            i.start_date.clear();
        }
        i
    };
    let mut incoming = make("IN-1", "PL", "2025-02-01", "fulfilled", "2025-02-05");
    incoming.direction = "incoming".into();
    for i in [
        make("D1", "DE", "2025-01-01", "fulfilled", "2025-01-11"),
        make("D2", "DE", "2025-01-01", "refused", "2025-01-31"),
        make("D3", "DE", "2025-01-01", "sent", ""),
        make("D4", "DE", "2025-01-01", "withdrawn", ""),
        make("D5", "DE", "", "draft", ""),
        make("L1", "LT", "2025-02-01", "partially_fulfilled", "2025-02-21"),
        make("L2", "LT", "2025-06-01", "sent", ""),
        incoming,
    ] {
        requests::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    let p = DashboardParams::from_pairs([("period", "all")]);
    let d = super::stats::dashboard(&t.db, &p, today()).await.unwrap();
    let c = d.figures.counts;
    assert_eq!((c.total, c.fulfilled, c.partially_fulfilled, c.refused, c.withdrawn), (6, 1, 1, 1, 1));
    assert_eq!((c.open, c.overdue), (2, 1));
    assert_eq!(format_rate(c.fulfilment_rate()), "40.0 %");
    assert_eq!(format_rate(c.response_rate()), "60.0 %");
    assert_eq!(d.figures.days.median(), Some(20.0));
    assert_eq!(d.figures.days.p90(), Some(30.0));
    assert_eq!(d.countries.iter().map(|r| r.country.as_str()).collect::<Vec<_>>(), ["DE", "LT"]);
    assert_eq!(d.countries[0].counts.total, 4);
    assert_eq!(d.grounds.len(), 1);
    assert_eq!((d.grounds[0].ground.code(), d.grounds[0].count), ("dual_criminality", 1));
    assert!(d.reciprocity.is_empty(), "no country has requests both ways");
    let months: Vec<(&str, i64, i64)> = d.months.iter().map(|m| (m.month.as_str(), m.started, m.answered)).collect();
    assert_eq!(
        months,
        [("2025-01", 4, 2), ("2025-02", 1, 1), ("2025-03", 0, 0), ("2025-04", 0, 0), ("2025-05", 0, 0), ("2025-06", 1, 0)]
    );
    let quarters: Vec<(&str, i64)> = d.quarters.iter().map(|q| (q.quarter.as_str(), q.counts.total)).collect();
    assert_eq!(quarters, [("2025-Q1", 5), ("2025-Q2", 1)]);

    // reciprocity: Germany answers one of our requests; we answer its one
    let mut back = make("IN-DE", "DE", "2025-02-01", "fulfilled", "2025-03-01");
    back.direction = "incoming".into();
    back.status = "fulfilled".into();
    requests::create(&t.db, &valid(&back), &clerk()).await.unwrap();
    let d = super::stats::dashboard(&t.db, &p, today()).await.unwrap();
    assert_eq!(d.reciprocity.len(), 1, "{:?}", d.reciprocity);
    assert_eq!(d.reciprocity[0].country, "DE");
    assert_eq!(format_rate(d.reciprocity[0].theirs()), "33.3 %");
    assert_eq!(format_rate(d.reciprocity[0].ours()), "100.0 %");

    let incoming = DashboardParams::from_pairs([("period", "all"), ("direction", "incoming")]);
    let d = super::stats::dashboard(&t.db, &incoming, today()).await.unwrap();
    assert_eq!(d.figures.counts.total, 2);
    assert_eq!(format_rate(d.figures.counts.fulfilment_rate()), "100.0 %");

    let empty = DashboardParams::from_pairs([("period", "2020")]);
    let d = super::stats::dashboard(&t.db, &empty, today()).await.unwrap();
    assert_eq!(d.figures.counts.total, 0);
    assert_eq!(format_rate(d.figures.counts.fulfilment_rate()), "—");
    assert!(d.countries.is_empty());
}

/// PostgreSQL: every connection of the pool runs its queries without parallel workers
/// (`POSTGRES_SETTINGS`: on a busy server they only compete with other clients' queries).
#[tokio::test]
async fn postgres_connections_run_queries_without_parallel_workers() {
    let t = test_db().await;
    if t.db.backend != super::pool::Backend::Postgres {
        return;
    }
    let mut conns = Vec::new();
    for _ in 0..3 {
        conns.push(t.db.pool.acquire().await.unwrap());
    }
    for conn in &mut conns {
        let workers: String =
            sqlx::query_scalar("SELECT current_setting('max_parallel_workers_per_gather')").fetch_one(&mut **conn).await.unwrap();
        assert_eq!(workers, "0");
    }
}
