//! The connections: the pool of readers (and PostgreSQL's writers), SQLite's writers'
//! connection that they take turns on, and the write transaction.

use super::actor::Actor;
use super::backend::Backend;
use super::DbResult;
use crate::domain::ValidRequest;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The connection pool with the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    /// for reads (and, on PostgreSQL, writes)
    pub(in crate::db) pool: AnyPool,
    pub(in crate::db) backend: Backend,
    /// SQLite takes one writer at a time: this process's writers take turns on a
    /// connection of their own, held by this lock (waiting writers hold no pooled
    /// connection, and wait here rather than in SQLite's busy handler). None on PostgreSQL.
    writer: Option<Arc<Mutex<Writer>>>,
    /// SQLite: where new requests go to be written in groups (`creation`)
    pub(in crate::db) creations: Option<UnboundedSender<Creation>>,
    /// the dashboard totals this process has read, month by month
    pub(in crate::db) totals: Arc<super::totals::cache::TotalsCache>,
    /// whether recently searched terms are rare (`term_rarity`)
    pub(in crate::db) terms: Arc<super::term_rarity::TermRarity>,
}

impl Db {
    /// The backend this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection, for the functions of `db` that take one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connection(&self) -> DbResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Closes the pool: every connection, once returned.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(&self) {
        self.pool.close().await
    }

    /// Forgets the dashboard totals this process has read (benchmarks of a cold start).
    pub fn forget_read_totals(&self) {
        self.totals.clear()
    }

    /// After a bulk load, the database left ready for use. SQLite: the write-ahead log
    /// folded back into the file (a server started on a long log, under readers that
    /// never let it be folded back, wrote slowly). PostgreSQL: the planner's statistics
    /// and the visibility map brought up to date (autovacuum may not have run since most
    /// of the load; index-only scans read each row not yet marked visible).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn settle_after_bulk_load(&self) -> DbResult<()> {
        let sql = match self.backend {
            Backend::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE)",
            Backend::Postgres => "VACUUM (ANALYZE)",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// SQLite: a consistent copy of the database into the new file `target`, while it
    /// is in use (`VACUUM INTO`). False on PostgreSQL, which has its own tools.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn copy_into(&self, target: &str) -> DbResult<bool> {
        if self.backend != Backend::Sqlite {
            return Ok(false);
        }
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
        Ok(true)
    }

    /// How many rows of the dashboard totals this process keeps (tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn read_totals_rows(&self) -> usize {
        self.totals.rows()
    }

    /// The pool itself, for tests that arrange or inspect rows directly.
    #[cfg(any(test, feature = "test-support"))]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// A request waiting for the SQLite writers' group commit (`creation`), and where its
/// answer goes.
pub(crate) struct Creation {
    pub v: ValidRequest,
    pub actor: Actor,
    pub at: String,
    pub reply: tokio::sync::oneshot::Sender<DbResult<i64>>,
}

/// The SQLite writers' connection, and whether a transaction is open on it.
#[derive(Debug)]
pub(crate) struct Writer {
    conn: AnyConnection,
    open: bool,
    /// the page cache was raised for a bulk write (`WriteTx::bulk`) and not yet lowered
    bulk: bool,
}

/// SQLite's page cache per connection, in KiB: its default, and what a bulk write (an
/// import, the demo load) has while it runs. One long transaction writes each row into a
/// dozen indexes at scattered places; in the default 2 MB those pages are written out
/// to the log and read back again and again, slower with every row
/// (docs/decisions/0006-sqlite-writes.md).
const CACHE_KIB: u32 = 2000;
pub const BULK_CACHE_KIB: u32 = 128 * 1024;

/// Lowers the writer's page cache back to the default after a bulk write.
async fn end_bulk(w: &mut Writer) {
    if w.bulk && w.conn.execute(format!("PRAGMA cache_size = -{CACHE_KIB}").as_str()).await.is_ok() {
        w.bulk = false;
    }
}

/// Gives the memory that the process has freed back to the system (glibc keeps it
/// otherwise: after a large import the server's resident memory stayed at the import's
/// height; docs/decisions/0007-server-memory.md). For after a
/// large one-off piece of work — an import — not for every call: it walks the heap.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's own to the system.
    let _ = tokio::task::spawn_blocking(|| unsafe { libc::malloc_trim(0) }).await;
}

/// Readies the writers' connection for whoever has the turn: rolls back what the last
/// writer left open (it went away without finishing, and its rollback has not run, or
/// failed: then there may be nothing to roll back) and lowers a bulk write's page cache.
async fn settle(w: &mut Writer) {
    if w.open {
        let _ = w.conn.execute("ROLLBACK").await;
        w.open = false;
    }
    end_bulk(w).await;
}

/// A write transaction (see `Db::begin_write`); used as the connection it runs on.
/// Dropped without `commit`, it rolls back.
pub struct WriteTx {
    inner: TxInner,
}

enum TxInner {
    /// the writers' turn, holding their connection (None once finished)
    Sqlite(Option<OwnedMutexGuard<Writer>>),
    Postgres(sqlx::Transaction<'static, sqlx::Any>),
}

impl WriteTx {
    /// Raises SQLite's page cache to `BULK_CACHE_KIB` for the rest of this transaction,
    /// which writes many rows, and leaves the search index's entries of the requests it
    /// creates to its commit, which writes them in the index's order (nothing on
    /// PostgreSQL). The cache is lowered again when it ends.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn bulk(&mut self) -> Result<(), sqlx::Error> {
        if let TxInner::Sqlite(Some(w)) = &mut self.inner {
            w.bulk = true;
            w.conn.execute(format!("PRAGMA cache_size = -{BULK_CACHE_KIB}").as_str()).await?;
            super::search::defer_search_entries(&mut w.conn).await?;
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        match &mut self.inner {
            TxInner::Sqlite(turn) => {
                let mut w = turn.take().expect("an open transaction");
                let done = if w.bulk { super::search::write_deferred_search_entries(&mut w.conn).await } else { Ok(()) };
                let done = match done {
                    Ok(()) => w.conn.execute("COMMIT").await.map(|_| ()),
                    Err(e) => Err(e),
                };
                // committed, or rolled back after a failed commit: no transaction left open
                if done.is_ok() || w.conn.execute("ROLLBACK").await.is_ok() {
                    w.open = false;
                }
                end_bulk(&mut w).await;
                done
            }
            TxInner::Postgres(_) => match std::mem::replace(&mut self.inner, TxInner::Sqlite(None)) {
                TxInner::Postgres(tx) => tx.commit().await,
                TxInner::Sqlite(_) => unreachable!(),
            },
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        match &mut self.inner {
            TxInner::Sqlite(turn) => {
                let mut w = turn.take().expect("an open transaction");
                w.conn.execute("ROLLBACK").await?;
                w.open = false;
                end_bulk(&mut w).await;
                Ok(())
            }
            TxInner::Postgres(_) => match std::mem::replace(&mut self.inner, TxInner::Sqlite(None)) {
                TxInner::Postgres(tx) => tx.rollback().await,
                TxInner::Sqlite(_) => unreachable!(),
            },
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // neither committed nor rolled back (an error, or the caller went away): roll back
        // before the next writer's turn (which otherwise does it when it begins)
        if let TxInner::Sqlite(Some(mut w)) = std::mem::replace(&mut self.inner, TxInner::Sqlite(None)) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if w.conn.execute("ROLLBACK").await.is_ok() {
                        w.open = false;
                    }
                    end_bulk(&mut w).await;
                });
            }
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.inner {
            TxInner::Sqlite(Some(w)) => &w.conn,
            TxInner::Postgres(tx) => tx,
            TxInner::Sqlite(None) => unreachable!("a finished transaction is not used"),
        }
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            TxInner::Sqlite(Some(w)) => &mut w.conn,
            TxInner::Postgres(tx) => tx,
            TxInner::Sqlite(None) => unreachable!("a finished transaction is not used"),
        }
    }
}

/// Every SQLite connection's settings. WAL: readers never wait for the writer. FULL: a
/// committed write survives a crash of the process or the machine. The write-ahead log
/// is cut back to `WAL_KEPT_BYTES` each time it starts over (once all of it is in the
/// database file): a large import or demo load grows it to hundreds of megabytes, and
/// SQLite otherwise keeps the file at its largest size for good.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    BUSY_TIMEOUT,
    "PRAGMA journal_size_limit = 67108864",
];

/// Each PostgreSQL connection's settings. No parallel workers for one query: the
/// registry's queries read a page or count up to a cap, and on a busy server the workers
/// only compete with the other clients' queries for the same cores (the load benchmark's
/// p99 halved without them).
const POSTGRES_SETTINGS: &str = "SET max_parallel_workers_per_gather = 0";

/// How long an SQLite connection waits for another process's lock (`fold_log` sets a
/// shorter wait for itself, then this again).
const BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// The size the write-ahead log is cut back to (`journal_size_limit` above; a test
/// checks that the two agree).
pub const WAL_KEPT_BYTES: u64 = 64 * 1024 * 1024;

/// The write-ahead log's size past which the server folds it back (`Db::fold_log`).
pub const WAL_FOLD_BYTES: u64 = 64 * 1024 * 1024;

/// What `Db::fold_log` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// the log was shorter than the limit (or the database is not an SQLite file)
    NotNeeded,
    /// the log is in the database file and empty
    Folded { bytes: u64 },
    /// readers on older snapshots were still there after the wait: the log was copied
    /// into the file as far as they allow, and stays as long
    Busy { bytes: u64 },
}

impl Db {
    /// Opens the pools of `url` (`Db::connect`); `start_creations` starts the SQLite
    /// writers' group commit on their connection (`creation::start`).
    pub(crate) async fn open(url: &str, start_creations: fn(Arc<Mutex<Writer>>) -> UnboundedSender<Creation>) -> DbResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_of = |size: u32| {
            AnyPoolOptions::new().max_connections(size).acquire_timeout(Duration::from_secs(30)).after_connect(
                move |conn, _meta| {
                    Box::pin(async move {
                        match backend {
                            Backend::Sqlite => {
                                for pragma in SQLITE_PRAGMAS {
                                    conn.execute(*pragma).await?;
                                }
                            }
                            Backend::Postgres => {
                                conn.execute(POSTGRES_SETTINGS).await?;
                            }
                        }
                        Ok(())
                    })
                },
            )
        };
        let pool = pool_of(if backend == Backend::Sqlite { 8 } else { 16 }).connect_with(options.clone()).await?;
        // SQLite writes one transaction at a time: the writers have a connection of their
        // own, so that a writer never queues for a connection behind the readers
        let writer = match backend {
            Backend::Sqlite => {
                let mut conn = AnyConnection::connect_with(&options).await?;
                for pragma in SQLITE_PRAGMAS {
                    conn.execute(*pragma).await?;
                }
                Some(Arc::new(Mutex::new(Writer { conn, open: false, bulk: false })))
            }
            Backend::Postgres => None,
        };
        let creations = writer.clone().map(start_creations);
        Ok(Db { pool, backend, writer, creations, totals: Default::default(), terms: Default::default() })
    }

    /// Begins a transaction that will write. On SQLite, the writers of this process
    /// take turns on their own connection (an async lock: waiting writers hold no
    /// connection and never queue behind readers, and the next writer starts the moment
    /// the last commits, rather than when SQLite's busy handler next wakes it), and the
    /// transaction takes SQLite's write lock at once (`BEGIN IMMEDIATE`): a read inside it can then never fail to turn into a write
    /// ("database is locked"), and another process (the CLI) is waited for on the busy
    /// timeout. PostgreSQL writers run side by side.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn begin_write(&self) -> DbResult<WriteTx> {
        match &self.writer {
            Some(writer) => Self::begin_in_turn(writer.clone().lock_owned().await).await,
            None => Ok(WriteTx { inner: TxInner::Postgres(self.pool.begin().await?) }),
        }
    }

    /// A write transaction if one can begin without waiting for another writer of this
    /// process (SQLite), else none: for writes that may be skipped, such as touching a
    /// session's idle timer.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn try_begin_write(&self) -> DbResult<Option<WriteTx>> {
        match &self.writer {
            Some(writer) => match writer.clone().try_lock_owned() {
                Ok(turn) => Ok(Some(Self::begin_in_turn(turn).await?)),
                Err(_) => Ok(None),
            },
            None => Ok(Some(WriteTx { inner: TxInner::Postgres(self.pool.begin().await?) })),
        }
    }

    /// Begins SQLite's write transaction, taking the write lock at once (`BEGIN
    /// IMMEDIATE`): a read inside it can then never fail to turn into a write.
    pub(crate) async fn begin_in_turn(mut turn: OwnedMutexGuard<Writer>) -> DbResult<WriteTx> {
        settle(&mut turn).await;
        // Marked open before BEGIN is sent: a caller that goes away while it runs (a
        // closed browser tab drops the handler's future at this await) may leave it begun
        // on the connection, and only a writer that knows rolls it back. Should BEGIN not
        // have run, the next writer's rollback finds nothing to undo.
        turn.open = true;
        turn.conn.execute("BEGIN IMMEDIATE").await?;
        Ok(WriteTx { inner: TxInner::Sqlite(Some(turn)) })
    }

    /// ` INDEXED BY index` on SQLite (whose planner cannot know how few rows the index
    /// holds for a bound value), nothing on PostgreSQL.
    pub(crate) fn indexed_by(&self, index: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!(" INDEXED BY {index}"),
            Backend::Postgres => String::new(),
        }
    }

    /// An aggregate joining the text `expr` of a group's rows with ';' (the order does not
    /// matter): for reading many small rows as one.
    pub(crate) fn packed(&self, expr: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("group_concat({expr}, ';')"),
            Backend::Postgres => format!("string_agg({expr}, ';')"),
        }
    }

    /// SQLite: folds the write-ahead log back into the database file and empties it,
    /// once it has grown past `limit` bytes. SQLite's own checkpoint after a commit copies
    /// the log into the file only as far as the oldest reader's snapshot, and starts the
    /// log over only at a moment when no reader is on an older snapshot. Under steady
    /// reading and writing (every read its own snapshot, some of them seconds long) that
    /// moment never comes: the log grew steadily under the load benchmark, and past a few
    /// hundred megabytes every write crawled (docs/decisions/0006-sqlite-writes.md). This takes the writers' turn, waits up to `wait` for
    /// the readers of older snapshots to finish (readers never wait for it: new ones
    /// read the file), and empties the log. Writers wait for it at most `wait`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn fold_log(&self, limit: u64, wait: Duration) -> DbResult<Fold> {
        let Some(writer) = &self.writer else { return Ok(Fold::NotNeeded) };
        let file: String =
            sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'").fetch_one(&self.pool).await?;
        if file.is_empty() {
            return Ok(Fold::NotNeeded);
        }
        let size = || std::fs::metadata(format!("{file}-wal")).map(|m| m.len()).unwrap_or(0);
        let bytes = size();
        if bytes <= limit {
            return Ok(Fold::NotNeeded);
        }
        let mut turn = writer.clone().lock_owned().await;
        settle(&mut turn).await;
        turn.conn.execute(format!("PRAGMA busy_timeout = {}", wait.as_millis()).as_str()).await?;
        let folded: Result<(i64, i64, i64), sqlx::Error> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut turn.conn).await;
        turn.conn.execute(BUSY_TIMEOUT).await?;
        let (busy, _, _) = folded?;
        Ok(if busy != 0 { Fold::Busy { bytes: size() } } else { Fold::Folded { bytes } })
    }

    /// Checks that the database answers (used at start-up).
    /// SQLite's own check of the database file: `None` when it is sound (or on
    /// PostgreSQL, which checks its pages itself), else what SQLite found.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn file_problem(&self) -> DbResult<Option<String>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&self.pool).await?;
        Ok((lines != ["ok"]).then(|| lines.join("; ")))
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> DbResult<()> {
        let mut conn = self.pool.acquire().await?;
        conn.ping().await?;
        Ok(())
    }
}
