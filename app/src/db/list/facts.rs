//! What the list's planner knows, gathered once per page before it chooses: how many
//! requests match (from the running totals, where they tell), how many there are, how
//! rare the search term is, the sizes of the country's and the status's indexes.

use super::forced::Forced;
use super::rarity;
use crate::db::backend::Backend;
use crate::db::{totals, Db, DbResult};
use crate::domain::filter::{ListParams, SortColumn, StatusFilter};
use crate::domain::RequestFilter;
use chrono::NaiveDate;

/// The planner's inputs (`plan::choose_count`, `plan::choose_page`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Facts {
    pub backend: Backend,
    /// the search term is rare: at most `RARE_TERM` matches, read through the trigram index
    pub rare_term: bool,
    /// PostgreSQL: the search term is known to be common (kept in `Db::terms`)
    pub known_common_term: bool,
    /// how many requests match, from the running totals (None: they cannot tell)
    pub matching: Option<i64>,
    /// with a text search: how many match the other filters, from the running totals
    pub others_matching: Option<i64>,
    /// SQLite: how many requests there are at most (the highest id: one index lookup)
    pub requests: i64,
    /// SQLite, a filter with a country and a status: how many requests the country's
    /// index and the status's hold (the open ones' for open, overdue or in time)
    pub country_and_status: Option<(i64, i64)>,
}

impl Facts {
    /// Facts for a test of the planner: `backend`, `requests` requests, nothing else known.
    #[cfg(test)]
    pub(crate) fn of(backend: Backend, requests: i64) -> Facts {
        Facts {
            backend,
            rare_term: false,
            known_common_term: false,
            matching: None,
            others_matching: None,
            requests,
            country_and_status: None,
        }
    }
}

/// Gathers the facts for `params`' page. A forced search way skips finding out how rare
/// the term is (which a test forcing it must not disturb).
#[tracing::instrument(level = "debug", skip(db, params))]
pub(crate) async fn gather(db: &Db, params: &ListParams, today: NaiveDate, forced: Forced) -> DbResult<Facts> {
    let filter = &params.filter;
    let q = filter.q.as_deref();
    let rare_term = match q {
        Some(q) if forced.search.is_none() => rarity::term_is_rare(db, q).await?,
        _ => false,
    };
    let sqlite = db.backend == Backend::Sqlite;
    let known_common_term = q.is_some_and(|q| rarity::known_common(db, q));
    // each fact only where the planner reads it: the others' count for a common term
    // (SQLite: is the search broad; PostgreSQL: are the candidates few), the country's and
    // status's sizes for a walk by date or a common term's search with both (SQLite), the number of
    // requests for SQLite's choices
    let others_matching = match q {
        Some(_) if (sqlite && !rare_term) || known_common_term => {
            totals::count(db, &RequestFilter { q: None, ..filter.clone() }, today).await?
        }
        _ => None,
    };
    let by_date = matches!(params.sort, SortColumn::Start | SortColumn::Due);
    let sizes_read = sqlite && filter.case_id.is_none() && (by_date || (q.is_some() && !rare_term));
    let country_and_status = if sizes_read { country_and_status(db, filter, today).await? } else { None };
    let requests = if sqlite { requests_at_most(db).await? } else { 0 };
    Ok(Facts {
        backend: db.backend,
        rare_term,
        known_common_term,
        matching: totals::count(db, filter, today).await?,
        others_matching,
        requests,
        country_and_status,
    })
}

/// How many requests there are at most (the highest id: one index lookup, where a count
/// reads them all), for judging how common a filter's matches are.
async fn requests_at_most(db: &Db) -> DbResult<i64> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM requests").fetch_one(&db.pool).await?.unwrap_or(0))
}

/// How many requests the indexes of the filter's country and of its status hold, from the
/// running totals: the most a walk or a count through each of them passes. The status's
/// is that of all open requests for open, overdue or in time (one index holds them).
/// None unless the filter has both a country and a status and the totals tell both.
async fn country_and_status(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Option<(i64, i64)>> {
    let status = match filter.status {
        Some(StatusFilter::Is(s)) => StatusFilter::Is(s),
        Some(StatusFilter::Open | StatusFilter::Overdue | StatusFilter::InTime) => StatusFilter::Open,
        None => return Ok(None),
    };
    let Some(country) = &filter.country else { return Ok(None) };
    let in_country = RequestFilter { country: Some(country.clone()), ..Default::default() };
    let Some(in_country) = totals::count(db, &in_country, today).await? else { return Ok(None) };
    let in_status = RequestFilter { status: Some(status), ..Default::default() };
    Ok(totals::count(db, &in_status, today).await?.map(|in_status| (in_country, in_status)))
}
