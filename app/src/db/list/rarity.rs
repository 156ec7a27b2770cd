//! Whether a search term is rare (read through the trigram index) or common (read in
//! order), found out once and kept for a while in `Db::terms`.

use crate::db::backend::Backend;
use crate::db::search::{like_pattern, only_bitmap_scans, trigram_query, RARE_TERM, SEARCH_INDEXES};
use crate::db::{Db, DbResult};

/// Whether `q` is a rare term, whose matches a list reads through the trigram index: one
/// the index can narrow and that is rare there (at most `RARE_TERM` matches). What was
/// found out is kept for a while in `Db::terms`, so that the next search for the term is
/// not counted again. On SQLite it is counted here (a few ms); on PostgreSQL, where that
/// count costs more for a common term, only what is kept is used, and a term not known
/// about is found out about in the background (`find_out_on_postgres`).
#[tracing::instrument(level = "debug", skip(db))]
pub(crate) async fn term_is_rare(db: &Db, q: &str) -> DbResult<bool> {
    let Some(query) = trigram_query(q) else { return Ok(false) };
    if db.backend != Backend::Sqlite {
        if db.terms.get(q).is_none() {
            find_out_on_postgres(db, q);
        }
        return Ok(db.terms.get(q) == Some(true));
    }
    if let Some(rare) = db.terms.get(q) {
        return Ok(rare);
    }
    let index = SEARCH_INDEXES[0];
    let found: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM (SELECT rowid FROM {index} WHERE {index} MATCH $1 LIMIT $2) t"))
            .bind(query)
            .bind(RARE_TERM + 1)
            .fetch_one(&db.pool)
            .await?;
    let rare = found <= RARE_TERM;
    db.terms.put(q, rare);
    Ok(rare)
}

/// Whether `q` is known to be a common term (PostgreSQL: kept in `Db::terms`).
pub(crate) fn known_common(db: &Db, q: &str) -> bool {
    db.terms.get(q) == Some(false)
}

/// PostgreSQL: finds out in the background whether `q` is rare (at most `RARE_TERM`
/// matches, counted through pg_trgm's index) and keeps the answer in `Db::terms`, once at
/// a time per term. Started by the first search for a term not known about; until the
/// answer is there, the planner chooses the way for it, given every filter at once (for a
/// rare term, pg_trgm's index; for a common one, often a slower walk than the one taken
/// for a term known to be common).
fn find_out_on_postgres(db: &Db, q: &str) {
    if !db.terms.start_finding_out(q) {
        return;
    }
    let (db, q) = (db.clone(), q.to_string());
    tokio::spawn(async move {
        let counted: DbResult<i64> = async {
            let mut tx = db.pool.begin().await?;
            only_bitmap_scans(&mut tx).await?;
            let n = sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM requests r WHERE r.search_text LIKE $1 ESCAPE '\\' LIMIT $2) t",
            )
            .bind(like_pattern(&q))
            .bind(RARE_TERM + 1)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(n)
        }
        .await;
        match counted {
            Ok(n) => db.terms.put(&q, n <= RARE_TERM),
            Err(e) => tracing::warn!(error = %e, "could not count a search term's matches"),
        }
        db.terms.end_finding_out(&q);
    });
}
