//! SQLite's write-ahead log and page cache around bulk writes; PostgreSQL's connection settings.

use super::*;

/// A bulk write's large page cache (SQLite) lasts only as long as its transaction,
/// however the transaction ends: committed, rolled back, or dropped on an error.
#[tokio::test]
async fn a_bulk_writes_page_cache_is_lowered_when_it_ends() {
    let t = test_db().await;
    if t.db.backend != crate::db::backend::Backend::Sqlite {
        return; // PostgreSQL has no per-connection page cache to raise
    }
    async fn cache(tx: &mut crate::db::pool::WriteTx) -> i64 {
        sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut **tx).await.unwrap()
    }
    let bulk = -i64::from(crate::db::pool::BULK_CACHE_KIB);
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
    if t.db.backend != crate::db::backend::Backend::Sqlite {
        return; // PostgreSQL manages its own log
    }
    let kept: i64 = sqlx::query_scalar("PRAGMA journal_size_limit").fetch_one(&t.db.pool).await.unwrap();
    assert_eq!(kept as u64, crate::db::pool::WAL_KEPT_BYTES, "the pragma and the constant agree");
    let wal = wal_size(&t);
    write_ballast(&t, 96).await;
    assert!(wal() > crate::db::pool::WAL_KEPT_BYTES, "the log holds the large write: {} bytes", wal());
    // what SQLite's automatic checkpoint does after a commit, then the next write
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&t.db.pool).await.unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    sqlx::query("DELETE FROM ballast").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(wal() <= crate::db::pool::WAL_KEPT_BYTES, "the log was cut back: {} bytes", wal());
}

/// Under readers that never all finish at once, SQLite's own checkpoints cannot start
/// the write-ahead log over; `fold_log` waits for the readers of old snapshots, and
/// gives up after its wait while one stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_write_ahead_log_is_folded_back_once_old_readers_finish() {
    use crate::db::pool::Fold;
    use sqlx::Executor;
    use std::time::{Duration, Instant};
    let t = test_db().await;
    if t.db.backend != crate::db::backend::Backend::Sqlite {
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

/// PostgreSQL: every connection of the pool runs its queries without parallel workers
/// (`POSTGRES_SETTINGS`: on a busy server they only compete with other clients' queries).
#[tokio::test]
async fn postgres_connections_run_queries_without_parallel_workers() {
    let t = test_db().await;
    if t.db.backend != crate::db::backend::Backend::Postgres {
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
