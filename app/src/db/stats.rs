//! Aggregates for the dashboards. The figures themselves are computed in
//! `domain::figures`; this module only counts.
//!
//! Two sources give the same counts: the running totals (`tally`, kept in every write
//! transaction, see `db::tally`), read whenever the filters map onto them, and a recount of
//! the matching requests otherwise (a case, two or more of kind/offence/legal basis, or a
//! custom period that starts or ends mid-month). Both produce the same [`Source`], from
//! which one function assembles the dashboard; the tests check the two agree.

use super::requests::push_filter;
use super::sql::Sql;
use super::tally::{days_between, ANSWERED, OPEN};
use super::{Db, DbError, DbResult};
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{
    months_between, quarter_of, sort_countries, CountryRow, Counts, DaysToAnswer, Figures, GroundRow, MonthRow, QuarterRow,
    ReciprocityRow,
};
use crate::domain::group::{CountryGroup, GroupRow};
use crate::domain::{Direction, RefusalGround, RequestFilter, Status};
use chrono::{Datelike, NaiveDate};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Requests of one direction, country, status and overdue flag.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    direction: String,
    country: String,
    status: Status,
    overdue: bool,
    n: i64,
}

/// Refusals of one direction and country on one ground.
#[derive(Debug, Clone, PartialEq)]
struct GroundCell {
    direction: String,
    country: String,
    ground: String,
    n: i64,
}

/// Requests of the main filter started in one month, by status and overdue flag.
#[derive(Debug, Clone, PartialEq)]
struct MonthCell {
    month: String,
    status: Status,
    overdue: bool,
    n: i64,
}

/// What the dashboard is assembled from.
#[derive(Debug, Default)]
struct Source {
    /// every direction and country, under the filters other than direction, country and group
    cells: Vec<Cell>,
    /// likewise
    grounds: Vec<GroundCell>,
    /// under every filter
    months: Vec<MonthCell>,
    /// answered requests under every filter, by days to answer
    days: Vec<(i64, i64)>,
    /// answered requests under every filter, by month answered
    answered: Vec<(String, i64)>,
}

/// The rows of a query.
async fn rows(db: &Db, sql: &Sql) -> DbResult<Vec<AnyRow>> {
    Ok(sql.query().fetch_all(&db.pool).await?)
}

impl Source {
    /// Adds rows of direction, country, status, overdue (0/1), n.
    fn add_cells(&mut self, rows: Vec<AnyRow>) -> DbResult<()> {
        for r in rows {
            self.cells.push(Cell {
                direction: r.try_get("direction")?,
                country: r.try_get("country")?,
                status: status_of(&r.try_get::<String, _>("status")?)?,
                overdue: r.try_get::<i64, _>("overdue")? == 1,
                n: r.try_get("n")?,
            });
        }
        Ok(())
    }

    /// Adds rows of direction, country, ground, n.
    fn add_grounds(&mut self, rows: Vec<AnyRow>) -> DbResult<()> {
        for r in rows {
            self.grounds.push(GroundCell {
                direction: r.try_get("direction")?,
                country: r.try_get("country")?,
                ground: r.try_get("ground")?,
                n: r.try_get("n")?,
            });
        }
        Ok(())
    }

    /// Adds rows of month, status, overdue (0/1), n.
    fn add_months(&mut self, rows: Vec<AnyRow>) -> DbResult<()> {
        for r in rows {
            self.months.push(MonthCell {
                month: r.try_get("month")?,
                status: status_of(&r.try_get::<String, _>("status")?)?,
                overdue: r.try_get::<i64, _>("overdue")? == 1,
                n: r.try_get("n")?,
            });
        }
        Ok(())
    }

    /// Adds rows of k (days to answer, or the month answered) and n.
    fn add_answers(&mut self, rows: Vec<AnyRow>, by_days: bool) -> DbResult<()> {
        for r in rows {
            if by_days {
                self.days.push((r.try_get("k")?, r.try_get("n")?));
            } else {
                self.answered.push((r.try_get("k")?, r.try_get("n")?));
            }
        }
        Ok(())
    }
}

/// Which of the running totals answers these filters: (dimension, value, first month,
/// last month), or `None` when the requests must be recounted (a case, or a period that
/// starts or ends mid-month).
fn tally_key(filter: &RequestFilter, today: NaiveDate) -> Option<(&'static str, String, Option<String>, Option<String>)> {
    if filter.case_id.is_some() || filter.q.is_some() || filter.status.is_some() {
        return None;
    }
    let dims: Vec<(&'static str, String)> = [
        filter.kind.map(|k| ("kind", k.code().to_string())),
        filter.offence.map(|o| ("offence", o.code().to_string())),
        filter.legal_basis.clone().map(|b| ("basis", b)),
    ]
    .into_iter()
    .flatten()
    .collect();
    // the dimension named by the filters present, e.g. "kind+basis" = "extradition|minsk_1993"
    let names: Vec<&str> = dims.iter().map(|(n, _)| *n).collect();
    let dim = match names.join("+").as_str() {
        "" => "",
        "kind" => "kind",
        "offence" => "offence",
        "basis" => "basis",
        "kind+offence" => "kind+offence",
        "kind+basis" => "kind+basis",
        "offence+basis" => "offence+basis",
        _ => "kind+offence+basis",
    };
    let val = dims.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join("|");
    if filter.from.is_some_and(|d| d.day() != 1) {
        return None;
    }
    // no request starts after today, so a period ending today (or later) covers its month
    let month_end = |d: NaiveDate| d.succ_opt().is_none_or(|n| n.month() != d.month());
    if filter.to.is_some_and(|d| d < today && !month_end(d)) {
        return None;
    }
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    Some((dim, val, filter.from.map(month), filter.to.map(month)))
}

fn status_of(code: &str) -> DbResult<Status> {
    Status::from_code(code).ok_or_else(|| DbError::Corrupt(format!("status {code:?}")))
}

/// Restricts `tally t` to the main filter's direction, country and group.
fn push_main(sql: &mut Sql, filter: &RequestFilter) {
    if let Some(d) = filter.direction {
        sql.push(" AND t.direction = ").text(d.code());
    }
    if let Some(c) = &filter.country {
        sql.push(" AND t.country = ").text(c.as_str());
    }
    if let Some(g) = filter.group_id {
        sql.push(" AND t.country IN (SELECT country FROM country_group_members WHERE group_id = ").int(g);
        sql.push(")");
    }
}

/// Restricts `tally t` to a dimension's value and a range of start months.
fn tally_where(sql: &mut Sql, dim: &str, val: &str, first: &Option<String>, last: &Option<String>) {
    sql.push(" WHERE t.dim = ").text(dim);
    sql.push(" AND t.val = ").text(val);
    if let Some(f) = first {
        sql.push(" AND t.month >= ").text(f.as_str());
    }
    if let Some(l) = last {
        sql.push(" AND t.month <= ").text(l.as_str());
    }
}

/// The source from the running totals.
async fn from_tally(
    db: &Db,
    filter: &RequestFilter,
    members: &Option<BTreeSet<String>>,
    today: NaiveDate,
    (dim, val, first, last): (&'static str, String, Option<String>, Option<String>),
) -> DbResult<Source> {
    let this_month = today.format("%Y-%m").to_string();
    // an open request is overdue when it fell due in an earlier month; for those falling
    // due this month, the requests themselves tell (below)
    let overdue = |sql: &mut Sql| {
        sql.push("CASE WHEN t.due_month <> '' AND t.due_month < ").text(this_month.as_str());
        sql.push(" THEN 1 ELSE 0 END AS overdue");
    };

    let mut cells = Sql::new("SELECT t.direction, t.country, t.status, ");
    overdue(&mut cells);
    cells.push(", CAST(SUM(t.n) AS BIGINT) AS n FROM tally t");
    tally_where(&mut cells, dim, &val, &first, &last);
    cells.push(" GROUP BY 1, 2, 3, 4");

    let mut grounds = Sql::new("SELECT t.direction, t.country, t.ground, CAST(SUM(t.n) AS BIGINT) AS n FROM tally_grounds t");
    tally_where(&mut grounds, dim, &val, &first, &last);
    grounds.push(" GROUP BY 1, 2, 3");

    let mut months = Sql::new("SELECT t.month, t.status, ");
    overdue(&mut months);
    months.push(", CAST(SUM(t.n) AS BIGINT) AS n FROM tally t");
    tally_where(&mut months, dim, &val, &first, &last);
    push_main(&mut months, filter);
    months.push(" GROUP BY 1, 2, 3");

    let answers = |column: &str| {
        let mut sql = Sql::new(&format!("SELECT {column} AS k, CAST(SUM(t.n) AS BIGINT) AS n FROM tally_days t"));
        tally_where(&mut sql, dim, &val, &first, &last);
        if filter.country.is_some() || filter.group_id.is_some() {
            push_main(&mut sql, filter);
        } else {
            sql.push(" AND t.country = ''");
            if let Some(d) = filter.direction {
                sql.push(" AND t.direction = ").text(d.code());
            }
        }
        sql.push(&format!(" GROUP BY {column}"));
        sql
    };
    let (days, answered) = (answers("t.days"), answers("t.answered_month"));

    // open requests falling due this month: overdue if due before today
    let month_start = today.with_day(1).expect("day 1");
    let wide = RequestFilter { direction: None, country: None, group_id: None, ..filter.clone() };
    // on SQLite, read the covering index of open requests by due date, whatever else is filtered
    let hint = db.indexed_by("requests_open_due_on");
    let mut due_now = Sql::new(&format!(
        "SELECT r.direction, r.country, COALESCE(SUBSTR(r.start_date, 1, 7), '') AS month, r.status, COUNT(*) AS n FROM requests r{hint}"
    ));
    push_filter(&mut due_now, &wide, &today.to_string());
    due_now.push(&format!(" AND r.status IN {OPEN} AND r.due_on >= ")).text(month_start.to_string());
    due_now.push(" AND r.due_on < ").text(today.to_string());
    due_now.push(" GROUP BY r.direction, r.country, COALESCE(SUBSTR(r.start_date, 1, 7), ''), r.status");

    // independent reads, side by side on the pool's connections
    let (cells, grounds, months, days, answered, due_now) = tokio::try_join!(
        rows(db, &cells),
        rows(db, &grounds),
        rows(db, &months),
        rows(db, &days),
        rows(db, &answered),
        rows(db, &due_now)
    )?;
    let mut src = Source::default();
    src.add_cells(cells)?;
    src.add_grounds(grounds)?;
    src.add_months(months)?;
    src.add_answers(days, true)?;
    src.add_answers(answered, false)?;
    for r in due_now {
        let cell = Cell {
            direction: r.try_get("direction")?,
            country: r.try_get("country")?,
            status: status_of(&r.try_get::<String, _>("status")?)?,
            overdue: true,
            n: r.try_get("n")?,
        };
        if main_filter(filter, members, &cell.direction, &cell.country) {
            let month = MonthCell { month: r.try_get("month")?, status: cell.status, overdue: true, n: cell.n };
            src.months.push(MonthCell { overdue: false, n: -month.n, ..month.clone() });
            src.months.push(month);
        }
        src.cells.push(Cell { overdue: false, n: -cell.n, ..cell.clone() });
        src.cells.push(cell);
    }
    Ok(src)
}

/// How many requests match `filter` (the registry's count), from the running totals when
/// they can tell — not for a case, a text search or a period that starts or ends
/// mid-month: then `None`. Drafts (not in the totals) and open requests falling due this
/// month (overdue or not by today's date) are counted from the requests, through small
/// indexes. Exact, whatever the number of requests; a test compares it with a recount.
pub async fn count_matching(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Option<i64>> {
    use crate::domain::StatusFilter;
    let any_status = RequestFilter { status: None, ..filter.clone() };
    let Some((dim, val, first, last)) = tally_key(&any_status, today) else {
        return Ok(None);
    };
    let this_month = today.format("%Y-%m").to_string();
    let today_s = today.to_string();

    let mut counted = Sql::new("SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) AS n FROM tally t");
    tally_where(&mut counted, dim, &val, &first, &last);
    push_main(&mut counted, filter);
    match filter.status {
        None => {}
        Some(StatusFilter::Is(s)) => {
            counted.push(" AND t.status = ").text(s.code());
        }
        Some(StatusFilter::Open) => {
            counted.push(&format!(" AND t.status IN {OPEN}"));
        }
        Some(StatusFilter::Overdue) => {
            counted.push(&format!(" AND t.status IN {OPEN} AND t.due_month <> '' AND t.due_month < ")).text(this_month.as_str());
        }
        Some(StatusFilter::InTime) => {
            counted.push(&format!(" AND t.status IN {OPEN} AND (t.due_month = '' OR t.due_month >= ")).text(this_month.as_str());
            counted.push(")");
        }
    }
    let mut n = scalar(db, &counted).await?;

    // open requests falling due this month before today: overdue, not in time
    if matches!(filter.status, Some(StatusFilter::Overdue | StatusFilter::InTime)) {
        let hint = db.indexed_by("requests_open_due_on");
        let mut due_now = Sql::new(&format!("SELECT COUNT(*) AS n FROM requests r{hint}"));
        push_filter(&mut due_now, &any_status, &today_s);
        due_now.push(&format!(" AND r.status IN {OPEN} AND r.due_on >= ")).text(today.with_day(1).expect("day 1").to_string());
        due_now.push(" AND r.due_on < ").text(today_s.as_str());
        let k = scalar(db, &due_now).await?;
        n += if filter.status == Some(StatusFilter::Overdue) { k } else { -k };
    }
    // drafts are not in the totals
    if matches!(filter.status, None | Some(StatusFilter::Is(Status::Draft))) {
        // through the status index (drafts are few), whatever else is filtered
        let hint = db.indexed_by("requests_by_status");
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

/// The source from a recount of the matching requests.
async fn from_requests(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Source> {
    let today_s = today.to_string();
    let overdue = format!("CASE WHEN r.status IN {OPEN} AND r.due_on < $1 THEN 1 ELSE 0 END");

    let wide = RequestFilter { direction: None, country: None, group_id: None, ..filter.clone() };
    let mut cells = Sql::new(&format!("SELECT r.direction, r.country, r.status, {overdue} AS overdue, COUNT(*) AS n FROM requests r"));
    cells.params.push(super::sql::Param::Text(today_s.clone()));
    push_filter(&mut cells, &wide, &today_s);
    cells.push(" AND r.status <> 'draft' GROUP BY 1, 2, 3, 4");

    let mut grounds = Sql::new("SELECT r.direction, r.country, r.refusal_ground AS ground, COUNT(*) AS n FROM requests r");
    push_filter(&mut grounds, &wide, &today_s);
    grounds.push(" AND r.status = 'refused' AND r.refusal_ground IS NOT NULL GROUP BY 1, 2, 3");

    let mut months = Sql::new(&format!(
        "SELECT COALESCE(SUBSTR(r.start_date, 1, 7), '') AS month, r.status, {overdue} AS overdue, COUNT(*) AS n FROM requests r"
    ));
    months.params.push(super::sql::Param::Text(today_s.clone()));
    push_filter(&mut months, filter, &today_s);
    months.push(" AND r.status <> 'draft' GROUP BY 1, 2, 3");

    let answers = |column: &str| {
        let mut sql = Sql::new(&format!("SELECT {column} AS k, COUNT(*) AS n FROM requests r"));
        push_filter(&mut sql, filter, &today_s);
        sql.push(&format!(" AND r.status IN {ANSWERED} AND r.answered_on IS NOT NULL AND r.start_date IS NOT NULL GROUP BY 1"));
        sql
    };
    let (days, answered) = (answers(days_between(db.backend)), answers("SUBSTR(r.answered_on, 1, 7)"));

    let (cells, grounds, months, days, answered) =
        tokio::try_join!(rows(db, &cells), rows(db, &grounds), rows(db, &months), rows(db, &days), rows(db, &answered))?;
    let mut src = Source::default();
    src.add_cells(cells)?;
    src.add_grounds(grounds)?;
    src.add_months(months)?;
    src.add_answers(days, true)?;
    src.add_answers(answered, false)?;
    Ok(src)
}

/// The countries of group `id` (none when no group is chosen).
async fn group_members(db: &Db, id: Option<i64>) -> DbResult<Option<BTreeSet<String>>> {
    let Some(id) = id else { return Ok(None) };
    let rows: Vec<String> = sqlx::query_scalar("SELECT country FROM country_group_members WHERE group_id = $1")
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    Ok(Some(rows.into_iter().collect()))
}

/// Whether a direction and country are within the filter's direction, country and group.
fn main_filter(filter: &RequestFilter, members: &Option<BTreeSet<String>>, direction: &str, country: &str) -> bool {
    filter.direction.is_none_or(|d| d.code() == direction)
        && filter.country.as_ref().is_none_or(|x| x == country)
        && members.as_ref().is_none_or(|m| m.contains(country))
}

pub async fn dashboard(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<Dashboard> {
    let filter = p.filter(today);
    let (groups, members, legal_bases) =
        tokio::try_join!(super::groups::list(db), group_members(db, filter.group_id), super::reference::legal_bases(db))?;
    let src = match tally_key(&filter, today) {
        Some(key) => from_tally(db, &filter, &members, today, key).await?,
        None => from_requests(db, &filter, today).await?,
    };
    Ok(Dashboard { legal_bases, ..assemble(p, &filter, today, src, groups, &members) })
}

fn assemble(
    p: &DashboardParams,
    filter: &RequestFilter,
    today: NaiveDate,
    src: Source,
    groups: Vec<CountryGroup>,
    members: &Option<BTreeSet<String>>,
) -> Dashboard {
    let mut by_country: BTreeMap<String, Counts> = BTreeMap::new();
    let mut grounds: BTreeMap<RefusalGround, i64> = BTreeMap::new();
    let mut both_ways: BTreeMap<String, (Counts, Counts)> = BTreeMap::new();
    let mut by_group_country: BTreeMap<String, Counts> = BTreeMap::new();
    let any_direction = RequestFilter { direction: None, ..filter.clone() };
    let any_group = RequestFilter { group_id: None, ..filter.clone() };
    for c in &src.cells {
        if main_filter(filter, members, &c.direction, &c.country) {
            by_country.entry(c.country.clone()).or_default().add(c.status, c.overdue, c.n);
        }
        if main_filter(&any_direction, members, &c.direction, &c.country) {
            let entry = both_ways.entry(c.country.clone()).or_default();
            let side = if c.direction == Direction::Outgoing.code() { &mut entry.0 } else { &mut entry.1 };
            side.add(c.status, c.overdue, c.n);
        }
        if main_filter(&any_group, &None, &c.direction, &c.country) {
            by_group_country.entry(c.country.clone()).or_default().add(c.status, c.overdue, c.n);
        }
    }
    for g in &src.grounds {
        if let Some(ground) = RefusalGround::from_code(&g.ground).filter(|_| main_filter(filter, members, &g.direction, &g.country)) {
            *grounds.entry(ground).or_default() += g.n;
        }
    }
    by_country.retain(|_, c| c.total != 0);
    let mut all = Counts::default();
    for c in by_country.values() {
        all.merge(c);
    }
    let mut countries: Vec<CountryRow> = by_country.into_iter().map(|(country, counts)| CountryRow { country, counts }).collect();
    sort_countries(&mut countries, p.order);

    let mut grounds: Vec<GroundRow> = grounds.into_iter().filter(|(_, n)| *n != 0).map(|(ground, count)| GroundRow { ground, count }).collect();
    grounds.sort_by(|a, b| b.count.cmp(&a.count).then(a.ground.cmp(&b.ground)));

    let reciprocity = both_ways
        .into_iter()
        .filter(|(_, (o, i))| o.total > 0 && i.total > 0)
        .map(|(country, (outgoing, incoming))| ReciprocityRow { country, outgoing, incoming })
        .collect();

    let group_rows = groups
        .iter()
        .map(|g| {
            let mut counts = Counts::default();
            for country in &g.countries {
                if let Some(c) = by_group_country.get(country) {
                    counts.merge(c);
                }
            }
            GroupRow { id: g.id, name: g.name.clone(), counts }
        })
        .collect();

    let mut histogram: BTreeMap<i64, i64> = BTreeMap::new();
    let mut answered: BTreeMap<String, i64> = BTreeMap::new();
    for (days, n) in &src.days {
        *histogram.entry(*days).or_default() += n;
    }
    for (month, n) in &src.answered {
        *answered.entry(month.clone()).or_default() += n;
    }
    let histogram = histogram.into_iter().filter(|(_, n)| *n != 0).collect();

    let mut by_month: BTreeMap<String, Counts> = BTreeMap::new();
    for m in &src.months {
        if !m.month.is_empty() {
            by_month.entry(m.month.clone()).or_default().add(m.status, m.overdue, m.n);
        }
    }
    by_month.retain(|_, c| c.total != 0);
    answered.retain(|_, n| *n != 0);
    let (from, to) = p.range(today);
    let first = from.map(|d| d.format("%Y-%m").to_string()).or_else(|| by_month.keys().next().cloned());
    let last = [to.map(|d| d.format("%Y-%m").to_string()), answered.keys().last().cloned(), by_month.keys().last().cloned()]
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

    Dashboard {
        legal_bases: Vec::new(),
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
    }
}

/// The dashboard recounted from the requests, whatever the filters: what the running
/// totals must always agree with (`rogatory tally --check`, and the tests).
pub async fn dashboard_recounted(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<Dashboard> {
    let filter = p.filter(today);
    let src = from_requests(db, &filter, today).await?;
    let groups = super::groups::list(db).await?;
    let members = group_members(db, filter.group_id).await?;
    let legal_bases = super::reference::legal_bases(db).await?;
    Ok(Dashboard { legal_bases, ..assemble(p, &filter, today, src, groups, &members) })
}

/// Whether the running totals answer these filters (for the benchmark's report).
pub fn uses_totals(p: &DashboardParams, today: NaiveDate) -> bool {
    tally_key(&p.filter(today), today).is_some()
}
