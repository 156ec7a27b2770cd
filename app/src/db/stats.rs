//! Aggregates for the dashboards: counts by country and status, and days to answer.
//! The figures themselves are computed in `domain::figures`.

use super::pool::Backend;
use super::requests::push_filter;
use super::sql::Sql;
use super::{Db, DbError, DbResult};
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{sort_countries, CountryRow, Counts, DaysToAnswer, Figures};
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

    let (from, to) = p.range(today);
    Ok(Dashboard { figures: Figures { counts: all, days: DaysToAnswer { histogram } }, countries, from, to, today })
}
