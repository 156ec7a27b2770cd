//! Creating, editing and changing the status of requests: what is kept, what is refused, and that nothing is half-saved.

use super::*;

#[tokio::test]
async fn create_and_read_back_with_its_created_event() {
    let t = test_db().await;
    let mut i = input("2-16/2025/0001", "DE", "2025-03-01");
    i.summary = "Bank records of X".into();
    i.urgent = true;
    let id = creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.reference, "2-16/2025/0001");
    assert_eq!(r.country, "DE");
    assert_eq!(r.status, Status::Sent);
    assert_eq!(r.due_on, Some("2025-05-30".parse().unwrap()));
    assert_eq!(r.legal_basis_label, "European Convention on Mutual Assistance in Criminal Matters (1959)");
    assert!(r.urgent);
    assert_eq!(r.version, 1);
    let events = timeline::events(&t.db, id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::Created);
    assert_eq!(events[0].user_name.as_deref(), Some("clerk"));
}

#[tokio::test]
async fn duplicate_reference_is_rejected_and_nothing_is_saved() {
    let t = test_db().await;
    creation::create(&t.db, &valid(&input("R-1", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let mut dup = input("R-1", "LT", "2025-03-02");
    dup.case_number = "NEW-CASE".into();
    dup.case_title = "Should not be created".into();
    let err = creation::create(&t.db, &valid(&dup), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(ref r) if r == "R-1"), "{err:?}");
    assert!(cases::options(&t.db).await.unwrap().is_empty(), "the case of a rejected request is not created");
}

#[tokio::test]
async fn registry_numbers_differing_only_in_letter_case_are_one_request() {
    let t = test_db().await;
    let first = creation::create(&t.db, &valid(&input("R-1/Ab", "DE", "2025-03-01")), &clerk()).await.unwrap();
    for dup in ["r-1/ab", "R-1/AB"] {
        let err = creation::create(&t.db, &valid(&input(dup, "LT", "2025-03-02")), &clerk()).await.unwrap_err();
        assert!(matches!(err, DbError::DuplicateReference(ref r) if r == dup), "{err:?}");
    }
    creation::create(&t.db, &valid(&input("ЗАП-7/Нд", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let err = creation::create(&t.db, &valid(&input("зап-7/нД", "DE", "2025-03-01")), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(_)), "Cyrillic letters too: {err:?}");
    // renaming another request to the number in other letters is refused; renaming the
    // request itself to its own number in other letters is allowed
    let other = creation::create(&t.db, &valid(&input("R-2", "DE", "2025-03-01")), &clerk()).await.unwrap();
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
    let a = creation::create(&t.db, &valid(&input("ЗАП-1", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let b = creation::create(&t.db, &valid(&input("ЗАП-2", "DE", "2025-03-01")), &clerk()).await.unwrap();
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

/// Creations arriving together are written together (on SQLite, in one transaction: see
/// `creation`); each is answered on its own, and the rejected ones leave nothing.
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
        calls.push(tokio::spawn(async move { (i, creation::create(&db, &valid(&input), &clerk()).await) }));
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
        let events = timeline::events(&t.db, *id).await.unwrap();
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
    let kept = crate::db::totals::snapshot(&mut conn).await.unwrap();
    crate::db::totals::rebuild(&mut conn).await.unwrap();
    assert_eq!(kept, crate::db::totals::snapshot(&mut conn).await.unwrap(), "the totals count each creation once");
}

#[tokio::test]
async fn cases_are_created_inline_and_reused() {
    let t = test_db().await;
    let mut a = input("A", "DE", "2025-03-01");
    a.case_number = "12-2023-0111".into();
    a.case_title = "War crimes".into();
    creation::create(&t.db, &valid(&a), &clerk()).await.unwrap();
    let mut b = input("B", "LT", "2025-03-01");
    b.case_number = "12-2023-0111".into();
    creation::create(&t.db, &valid(&b), &clerk()).await.unwrap();
    let mut c = input("C", "LT", "2025-03-01");
    c.case_number = "UNKNOWN".into();
    assert!(matches!(creation::create(&t.db, &valid(&c), &clerk()).await, Err(DbError::CaseTitleMissing)));
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
    assert!(matches!(creation::create(&t.db, &valid(&i), &clerk()).await, Err(DbError::UnknownLegalBasis)));
}

#[tokio::test]
async fn a_stale_edit_is_a_conflict_and_changes_nothing() {
    let t = test_db().await;
    let id = creation::create(&t.db, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap();
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
    let events = timeline::events(&t.db, id).await.unwrap();
    assert_eq!(events.last().unwrap().note.as_deref(), Some("Edited: summary"));
}

#[tokio::test]
async fn edit_to_an_existing_reference_is_rejected() {
    let t = test_db().await;
    creation::create(&t.db, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let b = creation::create(&t.db, &valid(&input("B", "DE", "2025-03-01")), &clerk()).await.unwrap();
    let err = requests::update(&t.db, b, 1, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap_err();
    assert!(matches!(err, DbError::DuplicateReference(_)));
    assert_eq!(requests::get(&t.db, b).await.unwrap().version, 1, "rolled back");
}

#[tokio::test]
async fn status_changes_update_the_request_and_the_timeline() {
    let t = test_db().await;
    let id = creation::create(&t.db, &valid(&input("A", "DE", "2025-03-01")), &clerk()).await.unwrap();
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
    let events = timeline::events(&t.db, id).await.unwrap();
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
    let id = creation::create(&t.db, &valid(&d), &clerk()).await.unwrap();
    let change = StatusChangeInput { status: "sent".into(), date: "2025-06-01".into(), ..Default::default() }
        .validate(Status::Draft, Direction::Outgoing, None, today())
        .unwrap();
    requests::change_status(&t.db, id, 1, &change, 30, &clerk()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.start_date, Some("2025-06-01".parse().unwrap()));
    assert_eq!(r.due_on, Some("2025-07-01".parse().unwrap()));
}

/// A writer that goes away while its BEGIN runs (a browser closed mid-call drops the
/// handler's future there) leaves no transaction behind for the next writer to trip on.
#[tokio::test]
async fn a_writer_cut_off_while_beginning_leaves_the_connection_usable() {
    let t = test_db().await;
    for i in 0..300u64 {
        let cut = std::time::Duration::from_micros(i % 60);
        let _ = tokio::time::timeout(cut, t.db.begin_write()).await;
        tokio::task::yield_now().await;
        let tx = t.db.begin_write().await.unwrap_or_else(|e| panic!("after a writer cut off at {cut:?}: {e}"));
        tx.commit().await.unwrap();
    }
}
