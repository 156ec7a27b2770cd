//! The text search: what it looks in (`requests.search_text`), SQLite's trigram indexes
//! (FTS5 tables in the order of a date, kept by triggers, deferred during bulk writes,
//! checked and rebuilt), PostgreSQL's indexes carrying the texts, the LIKE pattern and
//! trigram query of a term, and whether a term is rare (kept in `Db::terms`).

use super::DbResult;
use crate::domain::filter::SortColumn;
use sqlx::AnyConnection;

/// What the text search looks in (`requests.search_text`): the reference, the other
/// side's reference and the summary, lowercased here — in every language, which SQLite's
/// LOWER is not — one per line, so that a search never matches across two of them.
pub(crate) fn search_text(reference: &str, their_reference: Option<&str>, summary: Option<&str>) -> String {
    [Some(reference), their_reference, summary].into_iter().flatten().collect::<Vec<_>>().join("\n").to_lowercase()
}

/// The search's trigram indexes (SQLite, migration 0013): the same index in the order of
/// the start date and in that of the due date. A row number there is the date's digits
/// (none: 0) times 2^32 plus the request's id (`ID_OF_ROW` takes it back), so the
/// requests holding a term come out in the list's order by that date.
pub(crate) const SEARCH_INDEXES: [&str; 2] = ["request_search_by_start", "request_search_by_due"];

/// The views that give each of `SEARCH_INDEXES` its row numbers (`k`) and texts.
const SEARCH_INDEX_KEYS: [&str; 2] = ["request_search_start_keys", "request_search_due_keys"];

/// SQLite: until this transaction ends, the search indexes' entries of the requests it
/// creates are left to `write_deferred_search_entries` (migration 0014: the triggers
/// pass over requests above the highest id there was).
pub(crate) async fn defer_search_entries(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO search_index_deferred (after_id) SELECT COALESCE(MAX(id), 0) FROM requests \
         WHERE NOT EXISTS (SELECT 1 FROM search_index_deferred)",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// SQLite: the search indexes' entries of the requests created since
/// `defer_search_entries`, each index's in its own order (so FTS5 keeps them in memory
/// and writes one segment), and the triggers back at work. Before the commit.
pub(crate) async fn write_deferred_search_entries(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for (index, keys) in SEARCH_INDEXES.iter().zip(SEARCH_INDEX_KEYS) {
        fill_in_order(conn, index, keys, "id > (SELECT after_id FROM search_index_deferred)").await?;
    }
    sqlx::query("DELETE FROM search_index_deferred").execute(conn).await?;
    Ok(())
}

/// SQLite: adds to the search's trigram `index` the entries of the requests meeting
/// `which` (SQL on the view `keys`, never user text), in the index's order: FTS5 writes
/// its pending entries out whenever a row number is lower than the one before it.
async fn fill_in_order(conn: &mut AnyConnection, index: &str, keys: &str, which: &str) -> Result<(), sqlx::Error> {
    let sql = format!("INSERT INTO {index} (rowid, search_text) SELECT k, search_text FROM {keys} WHERE {which} ORDER BY k");
    sqlx::query(&sql).execute(conn).await?;
    Ok(())
}

/// PostgreSQL: the longest search text (in bytes) that the indexes by start and due date
/// carry (migration 0013; an index entry holds at most about 2,700 bytes).
pub(crate) const TEXT_IN_INDEX: i64 = 2000;

/// PostgreSQL: the requests whose text the indexes carrying it hold, and the others (read
/// beside them through the small indexes of the longer texts): a query reading the first
/// through such an index reads the second too, with `UNION ALL`.
pub(crate) fn text_in_index_parts() -> [String; 2] {
    [
        format!(" AND octet_length(r.search_text) <= {TEXT_IN_INDEX}"),
        format!(" AND octet_length(r.search_text) > {TEXT_IN_INDEX}"),
    ]
}

/// The request's id in a row number of the search's trigram indexes (appended to it):
/// the inverse of `row_number`'s low half.
pub(crate) const ID_OF_ROW: &str = " & 4294967295";

/// The row number of the search's trigram indexes for a request with the sort `key` (a
/// date as `YYYY-MM-DD`, or empty for none) and `id`: the date's digits times 2^32 plus
/// the id, as the views `SEARCH_INDEX_KEYS` and the triggers of migration 0014 write it.
/// A key that is not a date counts as none.
pub(crate) fn row_number(key: &str, id: i64) -> i64 {
    let digits: i64 = key.replace('-', "").parse().unwrap_or(0);
    (digits << 32) | (id & 0xFFFF_FFFF)
}

/// The search's trigram index in the order of `sort`, if there is one (SQLite).
pub(crate) fn search_index_in_order(sort: SortColumn) -> Option<&'static str> {
    match sort {
        SortColumn::Start => Some(SEARCH_INDEXES[0]),
        SortColumn::Due => Some(SEARCH_INDEXES[1]),
        _ => None,
    }
}

/// What is wrong with the search's trigram indexes (SQLite), if anything: checked against
/// the requests' text and dates, which SQLite's own integrity check does not do.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn search_index_problem(conn: &mut AnyConnection) -> Option<String> {
    for index in SEARCH_INDEXES {
        let check = format!("INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = sqlx::query(&check).execute(&mut *conn).await {
            return Some(format!("{index}: {e}"));
        }
    }
    None
}

/// Rebuilds the search's trigram indexes from the requests' text and dates (SQLite):
/// emptied, then filled in each index's order. FTS5's own `rebuild` reads the requests in
/// the order of their ids, whose row numbers there come in no order (they begin with a
/// date), and wrote an index segment for nearly every row, many times slower than filling
/// in order. Then merged into one segment (`optimize`): the fill leaves many, whose
/// merging FTS5 otherwise spreads over the next writes, making each commit slow for a
/// while (docs/decisions/0006-sqlite-writes.md).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rebuild_search_index(conn: &mut AnyConnection) -> DbResult<()> {
    for (index, keys) in SEARCH_INDEXES.iter().zip(SEARCH_INDEX_KEYS) {
        sqlx::query(&format!("INSERT INTO {index} ({index}) VALUES ('delete-all')")).execute(&mut *conn).await?;
        fill_in_order(conn, index, keys, "1 = 1").await?;
        sqlx::query(&format!("INSERT INTO {index} ({index}) VALUES ('optimize')")).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Escapes LIKE wildcards in user text.
pub(crate) fn like_pattern(q: &str) -> String {
    let mut s = String::from("%");
    for ch in q.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(ch);
    }
    s.push('%');
    s
}

/// The trigram index's query for a search term: every three characters in a row of the
/// lowercased term (as `search_text` is), all required. What it finds contains every
/// match (and rarely a few more, whose trigrams are there but not in a row: the search's
/// LIKE on the text decides). A term shorter than three characters has none.
pub(crate) fn trigram_query(q: &str) -> Option<String> {
    let chars: Vec<char> = q.to_lowercase().chars().collect();
    let mut trigrams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    trigrams.sort();
    trigrams.dedup();
    let quoted: Vec<String> = trigrams.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect();
    (!quoted.is_empty()).then(|| quoted.join(" AND "))
}

/// A search finding at most this many requests in the trigram index reads them through
/// it; a commoner one reads the requests in order (where a page of matches soon turns up:
/// at a million requests "2025" matches a third of them, and reading all their ids from
/// the index costs far more than walking to a page and counting to the cap).
pub(crate) const RARE_TERM: i64 = 20_000;

/// PostgreSQL: the rest of the transaction plans with bitmap scans only. A rare term's
/// matches are then read through pg_trgm's index (with the other filters' indexes, when
/// they narrow further) rather than by walking an order: the planner, which cannot tell
/// how rare `LIKE '%fi-%'` is, has walked the requests by country for "FI-" past
/// 900,000 others (docs/decisions/0004-list-plans.md).
pub(crate) async fn only_bitmap_scans(conn: &mut AnyConnection) -> DbResult<()> {
    sqlx::query(
        "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), \
         set_config('enable_indexonlyscan', 'off', true)",
    )
    .execute(conn)
    .await?;
    Ok(())
}
