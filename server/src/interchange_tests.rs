//! Import, export, stats and backup, on real SQLite files.

use crate::config::{StatsBy, StatsFilters};
use crate::interchange;
use crate::test_support::TempDb;
use app::db::actor::Actor;
use app::db::import::{import, ImportOptions};
use app::db::{creation, csv_io, dashboard, requests, today, Db};
use app::domain::dashboard::DashboardParams;
use app::domain::interchange::COLUMNS;
use app::domain::RequestFilter;
use std::sync::atomic::Ordering;

async fn temp_db(demo: usize) -> TempDb {
    crate::test_support::temp_db(demo, 11).await
}

fn actor() -> Actor {
    Actor { user_id: None, username: "test".into(), ip: None }
}

async fn count(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(db.pool()).await.unwrap()
}

async fn run(db: &Db, csv: &str, options: ImportOptions) -> app::domain::interchange::ImportReport {
    let rows = csv_io::read_rows(csv.as_bytes()).unwrap();
    import(db, rows, options, "test.csv", &actor(), today(), |_| {}).await.unwrap()
}

fn file(rows: &[&str]) -> String {
    format!("{}\n{}\n", COLUMNS.join(","), rows.join("\n"))
}

const GOOD: [&str; 3] = [
    "IMP-1,THEIR-1,outgoing,DE,Bundesamt für Justiz,evidence,european_mla_1959,fraud,C-1,Fraud ring,\"Bank records, 2024\",true,2025-01-10,,sent,,",
    "IMP-2,,outgoing,Germany,,extradition,european_extradition_1957,violent_crime,C-1,,,false,2025-02-01,2025-03-01,refused,2025-04-01,own_national",
    "IMP-3,,incoming,kz,,documents,minsk_1993,fraud,,,,false,2025-03-05,,fulfilled,2025-05-20,",
];

#[tokio::test]
async fn a_good_file_is_imported_and_counted_on_the_dashboard() {
    let t = temp_db(0).await;
    let dry = run(&t.db, &file(&GOOD), ImportOptions { dry_run: true, update: false }).await;
    assert_eq!((dry.rows, dry.created, dry.committed), (3, 3, false), "{dry:?}");
    assert_eq!(count(&t.db).await, 0, "a dry run writes nothing");

    let report = run(&t.db, &file(&GOOD), ImportOptions::default()).await;
    assert!(report.committed && report.is_clean(), "{report:?}");
    assert_eq!(report.summary(), "Imported 3 rows: 3 created, 0 updated.");
    let id =
        sqlx::query_scalar::<_, i64>("SELECT id FROM requests WHERE reference = 'IMP-2'").fetch_one(t.db.pool()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.country, "DE", "English names are accepted");
    assert_eq!(r.case_title.as_deref(), Some("Fraud ring"), "the case made by the first row");
    assert_eq!(r.refusal_ground.map(|g| g.code()), Some("own_national"));
    let d = dashboard::dashboard(&t.db, &DashboardParams::from_pairs([("period", "all")]), today()).await.unwrap();
    assert_eq!((d.figures.counts.total, d.figures.counts.refused, d.figures.counts.open), (2, 1, 1));
    let events = app::db::timeline::events(&t.db, id).await.unwrap();
    assert_eq!(events[0].note.as_deref(), Some("Imported from test.csv"));
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_names_every_problem() {
    let t = temp_db(0).await;
    let bad = file(&[
        GOOD[0],
        "BAD-1,,sideways,Atlantis,,evidence,european_mla_1959,fraud,,,,maybe,2025-01-10,,sent,,",
        GOOD[1],
        "BAD-2,,outgoing,FR,,evidence,no_such_treaty,fraud,NEW-CASE,,,false,2099-01-01,,sent,,",
        "BAD-3,,outgoing,FR",
        "IMP-1,,outgoing,FR,,evidence,european_mla_1959,fraud,,,,false,2025-01-10,,sent,,",
    ]);
    let report = run(&t.db, &bad, ImportOptions::default()).await;
    assert!(!report.committed);
    assert_eq!(count(&t.db).await, 0, "all or nothing");
    let found: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert!(found.contains(&(3, "urgent")), "{found:?}");
    assert!(
        !found.iter().any(|(l, c)| *l == 3 && *c == "direction"),
        "a row that cannot be read is not validated further: {found:?}"
    );
    assert!(found.contains(&(5, "start_date")), "{found:?}");
    assert!(found.contains(&(6, "")), "{found:?}");
    assert!(found.contains(&(7, "reference")), "the same reference twice in the file: {found:?}");
    let message =
        |line: usize, column: &str| report.errors.iter().find(|e| e.line == line && e.column == column).unwrap().message.clone();
    assert_eq!(message(6, ""), "This row has 4 fields; the header has 17.");
    assert_eq!(message(7, "reference"), "The same reference is on line 2.");
    assert_eq!(report.bad_rows(), 4);
    assert!(report.summary().starts_with("Nothing was imported: 4 of 6 rows have problems"), "{}", report.summary());

    // with the bad rows fixed but an unknown legal basis and a new case without a title
    let db_level = file(&[
        "DB-1,,outgoing,FR,,evidence,no_such_treaty,fraud,,,,false,2025-01-10,,sent,,",
        "DB-2,,outgoing,FR,,evidence,european_mla_1959,fraud,NEW-CASE,,,false,2025-01-10,,sent,,",
    ]);
    let report = run(&t.db, &db_level, ImportOptions::default()).await;
    let found: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(found, vec![(2, "legal_basis"), (3, "case_title")]);
    assert_eq!(count(&t.db).await, 0);
}

#[tokio::test]
async fn reimporting_reports_conflicts_or_updates_with_the_update_option() {
    let t = temp_db(0).await;
    assert!(run(&t.db, &file(&GOOD), ImportOptions::default()).await.committed);
    let again = run(&t.db, &file(&GOOD), ImportOptions::default()).await;
    assert!(!again.committed);
    assert_eq!(again.conflicts.len(), 3);
    assert_eq!(count(&t.db).await, 3, "no duplicates");

    let changed = GOOD[0].replace(",sent,,", ",fulfilled,2025-03-01,");
    let report = run(&t.db, &file(&[&changed]), ImportOptions { dry_run: false, update: true }).await;
    assert_eq!((report.updated, report.created, report.committed), (1, 0, true), "{report:?}");
    let id =
        sqlx::query_scalar::<_, i64>("SELECT id FROM requests WHERE reference = 'IMP-1'").fetch_one(t.db.pool()).await.unwrap();
    let r = requests::get(&t.db, id).await.unwrap();
    assert_eq!(r.status.code(), "fulfilled");
    assert_eq!(r.version, 2);
    assert_eq!(count(&t.db).await, 3);
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_gives_identical_data() {
    let source = temp_db(300).await;
    let all = RequestFilter::default();
    let exported = csv_io::write_requests(&requests::matching(&source.db, &all, today()).await.unwrap()).unwrap();
    let target = temp_db(0).await;
    let report =
        import(&target.db, csv_io::read_rows(&exported).unwrap(), ImportOptions::default(), "x.csv", &actor(), today(), |_| {})
            .await
            .unwrap();
    assert!(report.committed, "{:?}", report.errors.first());
    assert_eq!(report.created, 300);
    // written in batches (`INSERT_BATCH`): ids in the file's order, and each request's
    // "created" entry on its own timeline
    let in_file: Vec<String> = csv_io::read_rows(&exported).unwrap().into_iter().map(|(_, row)| row.unwrap().reference).collect();
    let by_id: Vec<String> =
        sqlx::query_scalar("SELECT reference FROM requests ORDER BY id").fetch_all(target.db.pool()).await.unwrap();
    assert_eq!(by_id, in_file);
    let created: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM requests r JOIN request_events e ON e.request_id = r.id \
         WHERE e.kind = 'created' AND e.to_status = r.status AND COALESCE(e.on_date, '') = COALESCE(r.start_date, '')",
    )
    .fetch_one(target.db.pool())
    .await
    .unwrap();
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM request_events").fetch_one(target.db.pool()).await.unwrap();
    assert_eq!((created, events), (300, 300));
    let again = csv_io::write_requests(&requests::matching(&target.db, &all, today()).await.unwrap()).unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), String::from_utf8(exported).unwrap());
    // and the dashboards agree
    let p = DashboardParams::from_pairs([("period", "all")]);
    let a = dashboard::dashboard(&source.db, &p, today()).await.unwrap();
    let b = dashboard::dashboard(&target.db, &p, today()).await.unwrap();
    assert_eq!(a.figures, b.figures);
    assert_eq!(a.countries, b.countries);
}

#[tokio::test]
async fn stats_give_the_dashboard_figures() {
    let t = temp_db(400).await;
    let filters =
        StatsFilters { from: Some("2025-01-01".parse().unwrap()), to: Some("2025-12-31".parse().unwrap()), ..Default::default() };
    let rows = interchange::stats_rows(&t.db, &filters, StatsBy::Country).await.unwrap();
    let d = dashboard::dashboard(&t.db, &DashboardParams::from_pairs([("period", "2025")]), today()).await.unwrap();
    assert_eq!(rows.len(), d.countries.len());
    for (row, c) in rows.iter().zip(&d.countries) {
        assert_eq!(row.key, c.country);
        assert_eq!(row.counts, c.counts);
        assert_eq!(row.fulfilment_rate, c.counts.fulfilment_rate());
    }
    let by_kind = interchange::stats_rows(&t.db, &filters, StatsBy::Kind).await.unwrap();
    assert_eq!(by_kind.iter().map(|r| r.counts.total).sum::<i64>(), d.figures.counts.total, "every request under one kind");
    let by_month = interchange::stats_rows(&t.db, &filters, StatsBy::Month).await.unwrap();
    assert_eq!(by_month.iter().map(|r| r.counts.overdue).sum::<i64>(), d.figures.counts.overdue);
    let grounds = interchange::stats_rows(&t.db, &filters, StatsBy::RefusalGround).await.unwrap();
    assert_eq!(grounds.iter().map(|r| r.counts.refused).sum::<i64>(), d.grounds.iter().map(|g| g.count).sum::<i64>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_is_whole_and_consistent() {
    let t = temp_db(200).await;
    let db = t.db.clone();
    if db.backend() == app::db::Backend::Postgres {
        // PostgreSQL has its own tools; the command says so instead of copying
        let path = std::env::temp_dir().join(format!("rogatory-backup-pg-{}.db", std::process::id()));
        let err = interchange::backup(&db, &path).await.unwrap_err().to_string();
        assert!(err.contains("pg_dump"), "{err}");
        return;
    }
    // a document's file, in chunks, goes into the copy with the rest
    let details = app::domain::document::DocumentInput { kind: "other".into(), flow: "sent".into(), ..Default::default() }
        .validate(today())
        .unwrap();
    let file: Vec<u8> = (0..2_500_000u32).map(|i| (i % 251) as u8).collect();
    let mut tx = db.begin_write().await.unwrap();
    let owner = app::db::documents::Owner::Request(1);
    let mut upload =
        app::db::documents::begin(&mut tx, owner, &details, "a.pdf", app::domain::document::MediaType::Pdf, 1 << 30, &actor())
            .await
            .unwrap();
    upload.write(&mut tx, &file).await.unwrap();
    let sha256 = upload.finish(&mut tx, &actor()).await.unwrap();
    tx.commit().await.unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let input = app::domain::RequestInput {
                    reference: format!("BK-{n}"),
                    direction: "outgoing".into(),
                    country: "DE".into(),
                    kind: "evidence".into(),
                    legal_basis: "european_mla_1959".into(),
                    offence: "fraud".into(),
                    start_date: "2025-01-10".into(),
                    status: "sent".into(),
                    ..Default::default()
                };
                creation::create(&db, &input.validate(today(), 90).unwrap(), &actor()).await.unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let committed_before = count(&db).await;
    let path = std::env::temp_dir().join(format!("rogatory-backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    interchange::backup(&db, &path).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0);

    let copy = Db::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(copy.pool()).await.unwrap();
    assert_eq!(check, "ok");
    let in_copy = count(&copy).await;
    let documents = app::db::documents::all(&copy).await.unwrap();
    assert_eq!((documents.len(), documents[0].size, documents[0].sha256.clone()), (1, file.len() as u64, sha256));
    assert!(app::db::documents::verify(&copy).await.unwrap().is_empty(), "the copy's file reads back whole");
    assert!(in_copy >= committed_before, "{in_copy} rows in the copy, {committed_before} committed before it began");
    let mut conn = copy.pool().acquire().await.unwrap();
    let kept = app::db::totals::snapshot(&mut conn).await.unwrap();
    app::db::totals::rebuild(&mut conn).await.unwrap();
    assert_eq!(kept, app::db::totals::snapshot(&mut conn).await.unwrap(), "the copy's totals match its requests");
    assert!(interchange::backup(&db, &path).await.unwrap_err().to_string().contains("exists already"));
    drop(conn);
    copy.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn the_example_file_of_the_docs_imports_cleanly() {
    let t = temp_db(0).await;
    let report = run(&t.db, include_str!("../../public/import-example.csv"), ImportOptions::default()).await;
    assert!(report.committed, "{:?}", report.errors);
    assert_eq!(report.created, 4);
}

#[tokio::test]
async fn the_import_command_says_whether_the_file_was_clean() {
    let t = temp_db(0).await;
    let dir = std::env::temp_dir().join(format!("rogatory-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (good, bad) = (dir.join("good.csv"), dir.join("bad.csv"));
    std::fs::write(&good, file(&GOOD)).unwrap();
    std::fs::write(&bad, file(&[GOOD[0], "X,,outgoing,Atlantis,,evidence,european_mla_1959,fraud,,,,false,2025-01-10,,sent,,"]))
        .unwrap();
    assert!(!interchange::import_file(&t.db, &bad, false, false).await.unwrap(), "a bad row fails the command");
    assert_eq!(count(&t.db).await, 0);
    assert!(interchange::import_file(&t.db, &good, true, false).await.unwrap(), "a clean dry run succeeds");
    assert_eq!(count(&t.db).await, 0);
    assert!(interchange::import_file(&t.db, &good, false, false).await.unwrap());
    assert_eq!(count(&t.db).await, 3);
    assert!(interchange::import_file(&t.db, &dir.join("missing.csv"), false, false)
        .await
        .unwrap_err()
        .to_string()
        .contains("cannot read"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn values_that_look_like_formulas_are_exported_as_text_and_import_back_unchanged() {
    let source = temp_db(0).await;
    let values = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "'quoted", "''=x"];
    for (n, v) in values.iter().enumerate() {
        let row = format!(
            "F-{n},\"{q}\",outgoing,DE,\"{q}\",evidence,european_mla_1959,fraud,C-{n},\"{q}\",\"{q}\",false,2025-01-10,,sent,,",
            q = app::domain::interchange::cell_out(v).replace('"', "\"\"")
        );
        let report = run(&source.db, &file(&[&row]), ImportOptions::default()).await;
        assert!(report.committed, "{v}: {:?}", report.errors);
    }
    let all = RequestFilter::default();
    let stored = requests::matching(&source.db, &all, today()).await.unwrap();
    let mut summaries: Vec<String> = stored.iter().map(|r| r.summary.clone().unwrap()).collect();
    summaries.sort();
    let mut expected: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    expected.sort();
    assert_eq!(summaries, expected, "the apostrophe of the file is not stored");

    let exported = csv_io::write_requests(&stored).unwrap();
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(text.contains("'=HYPERLINK") && text.contains("'@SUM(1+1)") && text.contains("'''=x"), "{text}");
    let target = temp_db(0).await;
    let report =
        import(&target.db, csv_io::read_rows(&exported).unwrap(), ImportOptions::default(), "x.csv", &actor(), today(), |_| {})
            .await
            .unwrap();
    assert!(report.committed, "{:?}", report.errors);
    let again = csv_io::write_requests(&requests::matching(&target.db, &all, today()).await.unwrap()).unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), text);
}

async fn persons_count(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM persons").fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_persons_file_is_imported_with_its_links_all_or_nothing_and_exported_back() {
    let t = temp_db(0).await;
    let dir = std::env::temp_dir().join(format!("rogatory-persons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("requests.csv"), file(&GOOD)).unwrap();
    assert!(interchange::import_file(&t.db, &dir.join("requests.csv"), false, false).await.unwrap());
    let reference = requests::matching(&t.db, &RequestFilter::default(), today()).await.unwrap()[0].reference.clone();
    let lower = reference.to_lowercase();

    let (good, bad, out) = (dir.join("persons.csv"), dir.join("bad.csv"), dir.join("out.csv"));
    let good_rows = format!(
        "name,other_names,birth,citizenship,requests\n\
         Іваноў Іван,Ivanou Ivan; Iwanow Iwan,1980-03-14,BY,{lower}:wanted\n\
         \"Smith, John\",,,GB,\n"
    );
    std::fs::write(&good, &good_rows).unwrap();
    std::fs::write(&bad, format!("{good_rows}Петров,,2999,BY,NO-SUCH-REF:wanted\nСидоров,,,,{reference}:chief\n")).unwrap();

    // a bad birth, an unknown reference, a link without a known role: nothing written
    assert!(!interchange::import_persons(&t.db, &bad, false).await.unwrap());
    assert_eq!(persons_count(&t.db).await, 0);
    let rows = csv_io::read_person_rows(&std::fs::read(&bad).unwrap()).unwrap();
    let report = app::db::person_csv::import(&t.db, rows, true, &actor(), today()).await.unwrap();
    let lines: Vec<(usize, &str)> = report.issues.iter().map(|i| (i.line, i.column.as_str())).collect();
    assert_eq!(lines, [(4, "requests"), (4, "birth"), (5, "requests")]);

    assert!(interchange::import_persons(&t.db, &good, true).await.unwrap(), "a clean dry run");
    assert_eq!(persons_count(&t.db).await, 0);
    assert!(interchange::import_persons(&t.db, &good, false).await.unwrap());
    assert_eq!(persons_count(&t.db).await, 2);
    // again: the same persons are found, not added twice
    assert!(interchange::import_persons(&t.db, &good, false).await.unwrap());
    assert_eq!(persons_count(&t.db).await, 2);

    assert_eq!(interchange::export_persons(&t.db, Some(&out)).await.unwrap(), 2);
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        exported,
        format!(
            "name,other_names,birth,citizenship,documents,notes,requests\n\
             \"Smith, John\",,,GB,,,\n\
             Іваноў Іван,Ivanou Ivan; Iwanow Iwan,1980-03-14,BY,,,{reference}:wanted\n"
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}
