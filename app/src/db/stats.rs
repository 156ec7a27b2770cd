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

pub async fn dashboard(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<Dashboard> {
    let today_s = today.to_string();
    let filter = p.filter(today);

    let mut sql = Sql::new(&format!("SELECT r.country, r.status, CASE WHEN r.status IN {OPEN} AND r.due_on < "));
    sql.text(today_s.as_str());
    sql.push(" THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n FROM requests r");
    push_filter(&mut sql, &filter, &today_s);
    sql.push(" AND r.status <> 'draft' GROUP BY r.country, r.status, overdue");
    let rows = sql.query().fetch_all(&db.pool).await?;
    let mut by_country: BTreeMap<String, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    for r in &rows {
        let country: String = r.try_get("country")?;
        let status_code: String = r.try_get("status")?;
        let status = Status::from_code(&status_code).ok_or_else(|| DbError::Corrupt(format!("status {status_code:?}")))?;
        let overdue: i64 = r.try_get("overdue")?;
        let n: i64 = r.try_get("n")?;
        by_country.entry(country).or_default().add(status, overdue == 1, n);
        all.add(status, overdue == 1, n);
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
    let mut sql = Sql::new(&format!("SELECT SUBSTR(r.start_date, 1, 7) AS m, r.status, CASE WHEN r.status IN {OPEN} AND r.due_on < "));
    sql.text(today);
    sql.push(" THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n FROM requests r");
    push_filter(&mut sql, filter, today);
    sql.push(" AND r.status <> 'draft' AND r.start_date IS NOT NULL GROUP BY m, r.status, overdue");
    let mut by_month: BTreeMap<String, Counts> = BTreeMap::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        let status: String = r.try_get("status")?;
        let overdue: i64 = r.try_get("overdue")?;
        by_month.entry(r.try_get("m")?).or_default().add(status_of(&status)?, overdue == 1, r.try_get("n")?);
    }
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
    let mut sql = Sql::new(&format!("SELECT r.country, r.direction, r.status, CASE WHEN r.status IN {OPEN} AND r.due_on < "));
    sql.text(today);
    sql.push(" THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n FROM requests r");
    push_filter(&mut sql, filter, today);
    sql.push(" AND r.status <> 'draft' GROUP BY r.country, r.direction, r.status, overdue");
    let mut map: BTreeMap<String, (Counts, Counts)> = BTreeMap::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        let status: String = r.try_get("status")?;
        let direction: String = r.try_get("direction")?;
        let overdue: i64 = r.try_get("overdue")?;
        let entry = map.entry(r.try_get("country")?).or_default();
        let side = if direction == Direction::Outgoing.code() { &mut entry.0 } else { &mut entry.1 };
        side.add(status_of(&status)?, overdue == 1, r.try_get("n")?);
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
    let mut sql = Sql::new(&format!("SELECT m.group_id AS gid, r.status, CASE WHEN r.status IN {OPEN} AND r.due_on < "));
    sql.text(today);
    sql.push(" THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n FROM requests r JOIN country_group_members m ON m.country = r.country");
    push_filter(&mut sql, filter, today);
    sql.push(" AND r.status <> 'draft' GROUP BY m.group_id, r.status, overdue");
    let mut by_group: BTreeMap<i64, Counts> = BTreeMap::new();
    for r in sql.query().fetch_all(&db.pool).await? {
        let status: String = r.try_get("status")?;
        let overdue: i64 = r.try_get("overdue")?;
        by_group.entry(r.try_get("gid")?).or_default().add(status_of(&status)?, overdue == 1, r.try_get("n")?);
    }
    Ok(groups
        .iter()
        .map(|g| crate::domain::group::GroupRow { id: g.id, name: g.name.clone(), counts: by_group.get(&g.id).copied().unwrap_or_default() })
        .collect())
}
