//! Aggregates for the dashboards: counts by country and status, and days to answer.
//! The figures themselves are computed in `domain::figures`.

use super::pool::Backend;
use super::requests::push_filter;
use super::sql::Sql;
use super::{Db, DbError, DbResult};
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{
    months_between, quarter_of, sort_countries, CountryRow, Counts, DaysToAnswer, Figures, GroundRow, MonthRow, QuarterRow,
    ReciprocityRow,
};
use crate::domain::{Direction, RefusalGround, RequestFilter};
use crate::domain::Status;
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::BTreeMap;

const OPEN: &str = "('sent', 'received', 'in_progress')";
const ANSWERED: &str = "('fulfilled', 'partially_fulfilled', 'refused')";

fn days_between(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(julianday(r.answered_on) - julianday(r.start_date) AS INTEGER)",
        Backend::Postgres => "(CAST(r.answered_on AS DATE) - CAST(r.start_date AS DATE))",
    }
}

/// Counts of the filtered requests (drafts aside) by status and overdue, grouped by a
/// key (an SQL expression of text over `requests r` and `join`). Every breakdown of the
/// dashboards comes from here.
async fn counts_by(db: &Db, key: &str, join: &str, filter: &RequestFilter, today: &str) -> DbResult<BTreeMap<String, Counts>> {
    let mut sql = Sql::new(&format!("SELECT COALESCE({key}, '') AS k, r.status, CASE WHEN r.status IN {OPEN} AND r.due_on < "));
    sql.text(today);
    sql.push(&format!(" THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n FROM requests r{join}"));
    push_filter(&mut sql, filter, today);
    sql.push(&format!(" AND r.status <> 'draft' GROUP BY COALESCE({key}, ''), r.status, overdue"));
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        let status: String = r.try_get("status")?;
        let overdue: i64 = r.try_get("overdue")?;
        out.entry(r.try_get("k")?).or_default().add(status_of(&status)?, overdue == 1, r.try_get("n")?);
    }
    Ok(out)
}

pub async fn dashboard(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<Dashboard> {
    let today_s = today.to_string();
    let filter = p.filter(today);

    let by_country = counts_by(db, "r.country", "", &filter, &today_s).await?;
    let mut all = Counts::default();
    for c in by_country.values() {
        all.merge(c);
    }
    let mut countries: Vec<CountryRow> = by_country.into_iter().map(|(country, counts)| CountryRow { country, counts }).collect();
    sort_countries(&mut countries, p.order);

    let mut sql = Sql::new(&format!("SELECT {} AS days, COUNT(*) AS n FROM requests r", days_between(db.backend)));
    push_filter(&mut sql, &filter, &today_s);
    sql.push(&format!(" AND r.status IN {ANSWERED} AND r.answered_on IS NOT NULL AND r.start_date IS NOT NULL GROUP BY days"));
    let histogram = sql
        .query()
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<i64, _>("days")?, r.try_get::<i64, _>("n")?)))
        .collect::<DbResult<Vec<_>>>()?;

    let (months, quarters) = over_time(db, &filter, &today_s, p.range(today)).await?;
    let grounds = grounds(db, &filter, &today_s).await?;
    let reciprocity = reciprocity(db, &RequestFilter { direction: None, country: p.country.clone(), ..filter.clone() }, &today_s).await?;

    let groups = super::groups::list(db).await?;
    let group_rows = group_rows(db, &RequestFilter { group_id: None, ..filter.clone() }, &today_s, &groups).await?;
    let (from, to) = p.range(today);
    Ok(Dashboard {
        groups,
        group_rows,
        figures: Figures { counts: all, days: DaysToAnswer { histogram } },
        countries,
        months,
        quarters,
        grounds,
        reciprocity,
        from,
        to,
        today,
    })
}

fn status_of(code: &str) -> DbResult<Status> {
    Status::from_code(code).ok_or_else(|| DbError::Corrupt(format!("status {code:?}")))
}

/// Requests started and answered per month, and the figures per quarter of start.
async fn over_time(
    db: &Db,
    filter: &RequestFilter,
    today: &str,
    range: (Option<NaiveDate>, Option<NaiveDate>),
) -> DbResult<(Vec<MonthRow>, Vec<QuarterRow>)> {
    let mut by_month = counts_by(db, "SUBSTR(r.start_date, 1, 7)", "", filter, today).await?;
    by_month.remove(""); // no start date (cannot happen outside drafts, which are not counted)
    let mut sql = Sql::new("SELECT SUBSTR(r.answered_on, 1, 7) AS m, COUNT(*) AS n FROM requests r");
    push_filter(&mut sql, filter, today);
    sql.push(&format!(" AND r.status IN {ANSWERED} AND r.answered_on IS NOT NULL GROUP BY m"));
    let mut answered: BTreeMap<String, i64> = BTreeMap::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        answered.insert(r.try_get("m")?, r.try_get("n")?);
    }
    let first = range
        .0
        .map(|d| d.format("%Y-%m").to_string())
        .or_else(|| by_month.keys().next().cloned());
    let last = [range.1.map(|d| d.format("%Y-%m").to_string()), answered.keys().last().cloned(), by_month.keys().last().cloned()]
        .into_iter()
        .flatten()
        .max();
    let months = match (first, last) {
        (Some(f), Some(l)) => months_between(&f, &l)
            .into_iter()
            .map(|m| MonthRow {
                started: by_month.get(&m).map(|c| c.total).unwrap_or(0),
                answered: answered.get(&m).copied().unwrap_or(0),
                month: m,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut by_quarter: BTreeMap<String, Counts> = BTreeMap::new();
    for (m, c) in &by_month {
        if let Some(q) = quarter_of(m) {
            by_quarter.entry(q).or_default().merge(c);
        }
    }
    let quarters = by_quarter.into_iter().map(|(quarter, counts)| QuarterRow { quarter, counts }).collect();
    Ok((months, quarters))
}

/// Refusals by ground, most frequent first.
async fn grounds(db: &Db, filter: &RequestFilter, today: &str) -> DbResult<Vec<GroundRow>> {
    let mut sql = Sql::new("SELECT r.refusal_ground AS g, COUNT(*) AS n FROM requests r");
    push_filter(&mut sql, filter, today);
    sql.push(" AND r.status = 'refused' AND r.refusal_ground IS NOT NULL GROUP BY r.refusal_ground");
    let mut out = Vec::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        let code: String = r.try_get("g")?;
        let ground = RefusalGround::from_code(&code).ok_or_else(|| DbError::Corrupt(format!("refusal ground {code:?}")))?;
        out.push(GroundRow { ground, count: r.try_get("n")? });
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.ground.cmp(&b.ground)));
    Ok(out)
}

/// For each country with requests both ways: its answers to ours, ours to its.
async fn reciprocity(db: &Db, filter: &RequestFilter, today: &str) -> DbResult<Vec<ReciprocityRow>> {
    let mut map: BTreeMap<String, (Counts, Counts)> = BTreeMap::new();
    for (key, counts) in counts_by(db, "r.direction || ':' || r.country", "", filter, today).await? {
        let Some((direction, country)) = key.split_once(':') else { continue };
        let entry = map.entry(country.to_string()).or_default();
        if direction == Direction::Outgoing.code() {
            entry.0 = counts;
        } else {
            entry.1 = counts;
        }
    }
    Ok(map
        .into_iter()
        .filter(|(_, (o, i))| o.total > 0 && i.total > 0)
        .map(|(country, (outgoing, incoming))| ReciprocityRow { country, outgoing, incoming })
        .collect())
}

/// Each group's counts under the same filters (except the group itself).
async fn group_rows(
    db: &Db,
    filter: &RequestFilter,
    today: &str,
    groups: &[crate::domain::group::CountryGroup],
) -> DbResult<Vec<crate::domain::group::GroupRow>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let join = " JOIN country_group_members m ON m.country = r.country";
    let by_group = counts_by(db, "CAST(m.group_id AS TEXT)", join, filter, today).await?;
    Ok(groups
        .iter()
        .map(|g| crate::domain::group::GroupRow { id: g.id, name: g.name.clone(), counts: by_group.get(&g.id.to_string()).copied().unwrap_or_default() })
        .collect())
}
