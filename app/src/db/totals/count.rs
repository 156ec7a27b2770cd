//! The registry's count from the running totals.

use super::cache::month_number;
use super::read::{group_members, key_of, main_filter, totals};
use crate::db::conditions::push_filter;
use crate::db::sql::Sql;
use crate::db::{schema, Db, DbResult};
use crate::domain::{Direction, RequestFilter, Status};
use chrono::NaiveDate;
use sqlx::Row;

/// How many requests match `filter` (the registry's count), from the running totals when
/// they can tell — not for a case, a text search or a period that starts or ends
/// mid-month: then `None`. Drafts (not in the totals) and open requests falling due this
/// month (overdue or not by today's date) are counted from the requests, through small
/// indexes. Exact, whatever the number of requests; a test compares it with a recount.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn count(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Option<i64>> {
    use crate::domain::StatusFilter;
    let any_status = RequestFilter { status: None, ..filter.clone() };
    let Some((dim, val, first, last)) = key_of(&any_status, today) else {
        return Ok(None);
    };
    let today_s = today.to_string();
    let this_month = month_number(&today.format("%Y-%m").to_string());
    let members = group_members(db, filter.group_id).await?;
    let t = totals(db, &any_status, today, (dim, val, first, last), &[]).await?;
    let wanted = |status: Status, overdue: bool| match filter.status {
        None => true,
        Some(StatusFilter::Is(s)) => status == s,
        Some(StatusFilter::Open) => status.is_open(),
        Some(StatusFilter::Overdue) => status.is_open() && overdue,
        Some(StatusFilter::InTime) => status.is_open() && !overdue,
    };
    let mut n = 0;
    for (_, m) in &t.months {
        let in_main: Vec<[bool; 2]> = m
            .countries
            .iter()
            .map(|c| [Direction::Outgoing, Direction::Incoming].map(|d| main_filter(filter, &members, d.code(), c)))
            .collect();
        for c in &m.cells {
            if in_main[c.country as usize][usize::from(c.direction == Direction::Incoming)]
                && wanted(c.status, c.due != 0 && c.due < this_month)
            {
                n += c.n;
            }
        }
    }
    // open requests falling due this month before today: overdue, not in time
    for r in t.due.iter() {
        if main_filter(filter, &members, &r.direction, &r.country) {
            if wanted(r.status, true) {
                n += r.n;
            }
            if wanted(r.status, false) {
                n -= r.n;
            }
        }
    }
    // drafts are not in the totals
    if matches!(filter.status, None | Some(StatusFilter::Is(Status::Draft))) {
        // through the status index (drafts are few), whatever else is filtered
        let hint = db.indexed_by(schema::BY_STATUS);
        let mut drafts = Sql::new(&format!("SELECT COUNT(*) AS n FROM requests r{hint}"));
        push_filter(&mut drafts, &any_status, &today_s);
        drafts.push(" AND r.status = 'draft'");
        n += scalar(db, &drafts).await?;
    }
    Ok(Some(n))
}

async fn scalar(db: &Db, sql: &Sql) -> DbResult<i64> {
    Ok(sql.query().fetch_one(&db.pool).await?.try_get("n")?)
}
