//! The registry's list: one page of the filtered, sorted requests, by keyset (page 500
//! costs what page 1 does), with the count of all matches; and the exact count behind
//! "count them all".
//!
//! A page is read as a pipeline: the planner's facts gathered once (`facts`), the count's
//! way chosen from them (`plan::choose_count`) and run, the page's way chosen knowing the
//! count (`plan::choose_page`), its SQL built (`build`) and run. The chosen plans are
//! logged at debug level. Why each plan exists is in docs/decisions/0004-list-plans.md.

mod build;
mod facts;
mod forced;
mod plan;
mod rarity;

use self::build::Order;
use self::forced::Forced;
#[cfg(test)]
pub(crate) use self::forced::{PageWay, SearchWay};
use self::plan::{CountPlan, Counted, PagePlan};
use super::conditions::{push_filter_with, Through};
use super::decode::{code, date, status};
use super::{search, totals, Db, DbResult};
use crate::domain::filter::{Cursor, ListParams, RequestPage};
use crate::domain::status::is_overdue;
use crate::domain::{Direction, Kind, Offence, RequestFilter, RequestRow};
use chrono::NaiveDate;
use sqlx::Row;

/// One page of the filtered list, with the count of its matches (capped at the filter's
/// `count_cap`).
#[tracing::instrument(level = "debug", skip(db))]
pub async fn page(db: &Db, params: &ListParams, today: NaiveDate) -> DbResult<RequestPage> {
    page_with(db, params, today, params.filter.count_cap(), Forced::default()).await
}

/// `page`, counting up to `cap`, with the ways `forced` forced on the planner (tests).
pub(crate) async fn page_with(db: &Db, params: &ListParams, today: NaiveDate, cap: i64, forced: Forced) -> DbResult<RequestPage> {
    let today_s = today.to_string();
    let order = Order::of(params);
    let facts = facts::gather(db, params, today, forced).await?;
    let count_plan = plan::choose_count(params, &facts, cap, forced);
    tracing::debug!(?facts, ?count_plan, "list count");
    let counted = count(db, params, &count_plan, &order, &today_s).await?;
    let mut page_plan = plan::choose_page(params, &facts, &counted, forced);
    if let PagePlan::WalkIfAhead { hint, fts } = page_plan {
        let found: i64 = build::look_ahead(params, &order, &today_s).query().fetch_one(&db.pool).await?.try_get("n")?;
        page_plan = plan::after_looking_ahead(found, hint, fts);
    }
    tracing::debug!(?page_plan, "list page");
    let records = match page_plan {
        PagePlan::Empty => Vec::new(),
        _ => build::page(db, params, &page_plan, &order, &today_s).query_as().fetch_all(&db.pool).await?,
    };
    let Counted { total, capped, .. } = counted;
    paged(records, &order, total, capped, today)
}

/// The count's plan run: from the running totals, or the matches set aside.
async fn count(db: &Db, params: &ListParams, plan: &CountPlan, order: &Order, today: &str) -> DbResult<Counted> {
    let plan = match plan {
        CountPlan::FromTotals(n) => return Ok(Counted { total: *n, capped: false, set_aside: None }),
        CountPlan::SetAside(plan) => plan,
    };
    let sql = build::set_aside(db, params, plan, order, today);
    let found: Vec<(Option<i64>, i64)> = if plan.bitmap_only {
        let mut tx = db.pool.begin().await?;
        search::only_bitmap_scans(&mut tx).await?;
        let found = sql.query_as().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        found
    } else {
        sql.query_as().fetch_all(&db.pool).await?
    };
    let n = found.iter().find(|(id, _)| id.is_none()).map_or(0, |(_, n)| *n);
    let page_set_aside = plan.keep_page && (n <= plan.limit || plan.page_first);
    Ok(Counted {
        total: n.min(plan.cap),
        capped: n > plan.cap,
        set_aside: page_set_aside.then(|| found.into_iter().filter_map(|(id, _)| id).collect()),
    })
}

#[derive(sqlx::FromRow)]
struct ListRecord {
    id: i64,
    reference: String,
    direction: String,
    country: String,
    kind: String,
    offence: String,
    case_id: Option<i64>,
    case_number: Option<String>,
    urgent: i64,
    start_date: Option<String>,
    due_on: Option<String>,
    status: String,
    answered_on: Option<String>,
    assignee_name: Option<String>,
    sort_key: String,
}

impl ListRecord {
    fn row(self, today: NaiveDate) -> DbResult<RequestRow> {
        let st = status(&self.status)?;
        let due_on = date(self.due_on)?;
        Ok(RequestRow {
            id: self.id,
            direction: code("direction", &self.direction, Direction::from_code)?,
            kind: code("kind", &self.kind, Kind::from_code)?,
            offence: code("offence", &self.offence, Offence::from_code)?,
            overdue: is_overdue(st, due_on, today),
            status: st,
            due_on,
            start_date: date(self.start_date)?,
            answered_on: date(self.answered_on)?,
            reference: self.reference,
            country: self.country,
            case_id: self.case_id,
            case_number: self.case_number,
            urgent: self.urgent != 0,
            assignee: self.assignee_name,
        })
    }
}

/// The page from its rows as read (one more than a page tells that there are more; read
/// backwards, they are put back in order), with the cursors to the pages either side.
fn paged(mut records: Vec<ListRecord>, order: &Order, total: i64, total_capped: bool, today: NaiveDate) -> DbResult<RequestPage> {
    let page_size = crate::domain::filter::PAGE_SIZE as usize;
    let more = records.len() > page_size;
    records.truncate(page_size);
    if order.backwards {
        records.reverse();
    }
    let cursor = |r: &ListRecord| Cursor { id: r.id, key: r.sort_key.clone() }.encode();
    let (prev, next) = match (records.first(), records.last()) {
        (Some(first), Some(last)) => {
            let has_prev = if order.backwards { more } else { order.after };
            let has_next = if order.backwards { true } else { more };
            (has_prev.then(|| cursor(first)), has_next.then(|| cursor(last)))
        }
        _ => (None, None),
    };
    let rows = records.into_iter().map(|r| r.row(today)).collect::<DbResult<Vec<_>>>()?;
    Ok(RequestPage { rows, total, total_capped, next, prev })
}

/// How many requests match `filter`, counted by reading the requests themselves: what
/// the count from the running totals must equal (tests), and nothing faster.
#[tracing::instrument(level = "debug", skip(db))]
pub async fn count_by_reading(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<i64> {
    count_rows(db, filter, today, false).await
}

/// How many requests match `filter`, exactly and without a cap: the registry's "count
/// them all" when its count stopped at the cap. From the running totals when they can
/// tell; else counted from the requests (a rare term's matches through SQLite's trigram
/// index). At a million requests a common term is a read of every request: on demand only.
#[tracing::instrument(level = "debug", skip(db))]
pub async fn count_exactly(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<i64> {
    if let Some(n) = totals::count(db, filter, today).await? {
        return Ok(n);
    }
    let fts = match filter.q.as_deref() {
        Some(q) if db.backend == super::backend::Backend::Sqlite => rarity::term_is_rare(db, q).await?,
        _ => false,
    };
    count_rows(db, filter, today, fts).await
}

/// Counts the requests matching `filter` (a search through SQLite's trigram index if `fts`).
async fn count_rows(db: &Db, filter: &RequestFilter, today: NaiveDate, fts: bool) -> DbResult<i64> {
    let mut count = super::sql::Sql::new("SELECT COUNT(*) AS n FROM requests r");
    push_filter_with(&mut count, filter, &today.to_string(), None, Through::SortOrder, fts);
    Ok(count.query().fetch_one(&db.pool).await?.try_get("n")?)
}

/// `page`, counting the matches up to `cap`.
#[cfg(test)]
pub(crate) async fn page_counting_to(db: &Db, params: &ListParams, today: NaiveDate, cap: i64) -> DbResult<RequestPage> {
    page_with(db, params, today, cap, Forced::default()).await
}

/// `page_with` forcing `page` and `search` ways (None: the planner's choice).
#[cfg(test)]
pub(crate) async fn page_forced(
    db: &Db,
    params: &ListParams,
    today: NaiveDate,
    cap: i64,
    page: Option<PageWay>,
    search: Option<SearchWay>,
) -> DbResult<RequestPage> {
    page_with(db, params, today, cap, Forced { page, search }).await
}

#[cfg(test)]
mod explain_tests;
