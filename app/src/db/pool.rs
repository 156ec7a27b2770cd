//! Connecting to the database and running the migrations.

use super::DbResult;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool with the backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    /// for reads (and, on PostgreSQL, writes)
    pub pool: AnyPool,
    /// for write transactions: on SQLite a connection of their own
    writer: AnyPool,
    pub backend: Backend,
    /// SQLite takes one writer at a time: this process's writers wait their turn here,
    /// without holding a pooled connection, instead of in SQLite's busy handler.
    write_turn: Arc<Mutex<()>>,
    /// the dashboard totals this process has read, month by month
    pub totals: Arc<super::totals_cache::TotalsCache>,
}

/// A write transaction (see `Db::begin_write`); used as the connection it runs on.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    // declared after `tx`, so released after it
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl Db {
    /// Connects to `url` (`sqlite://file.db`, created if missing, or `postgres://...`).
    pub async fn connect(url: &str) -> DbResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_of = |size: u32| {
            AnyPoolOptions::new()
                .max_connections(size)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            // WAL: readers never wait for the writer. FULL: a committed write
                            // survives a crash of the process or the machine.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = FULL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                        }
                        Ok(())
                    })
                })
        };
        let pool = pool_of(if backend == Backend::Sqlite { 8 } else { 16 })
            .connect_with(options.clone())
            .await?;
        // SQLite writes one transaction at a time: the writers have a connection of their
        // own, so that a writer never queues for a connection behind the readers
        let writer = match backend {
            Backend::Sqlite => pool_of(1).connect_with(options).await?,
            Backend::Postgres => pool.clone(),
        };
        Ok(Db {
            pool,
            writer,
            backend,
            write_turn: Arc::new(Mutex::new(())),
            totals: Default::default(),
        })
    }

    /// Begins a transaction that will write. On SQLite, the writers of this process
    /// take turns on their own connection (an async lock: waiting writers hold no
    /// connection and never queue behind readers, and the next writer starts the moment
    /// the last commits, rather than when SQLite's busy handler next wakes it), and the
    /// transaction takes SQLite's write lock at once (`BEGIN IMMEDIATE`): a read inside it can then never fail to turn into a write
    /// ("database is locked"), and another process (the CLI) is waited for on the busy
    /// timeout. PostgreSQL writers run side by side.
    pub async fn begin_write(&self) -> DbResult<WriteTx> {
        let turn = match self.backend {
            Backend::Sqlite => Some(self.write_turn.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        self.begin_in_turn(turn).await
    }

    /// A write transaction if one can begin without waiting for another writer of this
    /// process (SQLite), else none: for writes that may be skipped, such as touching a
    /// session's idle timer.
    pub async fn try_begin_write(&self) -> DbResult<Option<WriteTx>> {
        let turn = match self.backend {
            Backend::Sqlite => match self.write_turn.clone().try_lock_owned() {
                Ok(turn) => Some(turn),
                Err(_) => return Ok(None),
            },
            Backend::Postgres => None,
        };
        Ok(Some(self.begin_in_turn(turn).await?))
    }

    async fn begin_in_turn(&self, turn: Option<OwnedMutexGuard<()>>) -> DbResult<WriteTx> {
        let tx = match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx, _turn: turn })
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

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> DbResult<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        }
        .map_err(|e| super::DbError::Sqlx(e.into()))?;
        super::tally::ensure(&mut *self.pool.acquire().await?).await?;
        let filled = super::requests::fill_search_text(self).await?;
        if filled > 0 {
            tracing::info!("text search: {filled} requests indexed");
        }
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Sqlite {
            // planner statistics, so that filters pick the selective index
            conn.execute("PRAGMA optimize=0x10002").await?;
        }
        Ok(())
    }

    /// Checks that the database answers (used at start-up).
    pub async fn ping(&self) -> DbResult<()> {
        let mut conn = self.pool.acquire().await?;
        conn.ping().await?;
        Ok(())
    }
}
