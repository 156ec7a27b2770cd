//! Opening the database: connecting, bringing the schema up to date, and the start-up
//! work that fills what older rows lack (search texts, registry keys) and the totals.

use super::backend::Backend;
use super::search::search_text;
use super::{creation, requests, totals, Db, DbError, DbResult};
use sqlx::{Executor, Row};

impl Db {
    /// Connects to `url` (`sqlite://file.db`, created if missing, or `postgres://...`).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(url: &str) -> DbResult<Db> {
        Db::open(url, creation::start).await
    }

    /// Brings the schema up to date.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn migrate(&self) -> DbResult<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => sqlx::migrate!("../migrations/postgres").run(&self.pool).await,
        }
        .map_err(|e| DbError::Sqlx(e.into()))?;
        totals::ensure(&mut *self.pool.acquire().await?).await?;
        let filled = fill_search_text(self).await?;
        if filled > 0 {
            tracing::info!("text search: {filled} requests indexed");
        }
        let (keyed, shared) = requests::fill_reference_keys(self).await?;
        if keyed > 0 {
            tracing::info!("registry numbers: {keyed} keyed without letter case");
        }
        if shared > 0 {
            tracing::warn!("registry numbers: {shared} differ from another only in letter case; `rogatory check` names them");
        }
        let languages = super::countries::fill_languages(self).await?;
        if languages > 0 {
            tracing::info!("country profiles: accepted languages read for {languages} countries");
        }
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Sqlite {
            // planner statistics, so that filters pick the selective index
            conn.execute("PRAGMA optimize=0x10002").await?;
        }
        Ok(())
    }
}

/// Fills `search_text` where it is missing (rows written before it existed), in batches.
async fn fill_search_text(db: &Db) -> DbResult<u64> {
    let mut filled = 0;
    loop {
        let rows = sqlx::query(
            "SELECT id, reference, their_reference, summary FROM requests WHERE search_text IS NULL ORDER BY id LIMIT 2000",
        )
        .fetch_all(&db.pool)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let mut tx = db.begin_write().await?;
        for r in &rows {
            let text = search_text(
                &r.try_get::<String, _>("reference")?,
                r.try_get::<Option<String>, _>("their_reference")?.as_deref(),
                r.try_get::<Option<String>, _>("summary")?.as_deref(),
            );
            sqlx::query("UPDATE requests SET search_text = $1 WHERE id = $2")
                .bind(text)
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        filled += rows.len() as u64;
    }
}
