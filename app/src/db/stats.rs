//! Aggregates for the dashboards. The figures themselves are computed in
//! `domain::figures`; this module only counts.
//!
//! Two sources give the same counts: the running totals (`tally`, kept in every write
//! transaction, see `db::tally`), read whenever the filters map onto them, and a recount of
//! the matching requests otherwise (a case, two or more of kind/offence/legal basis, or a
//! custom period that starts or ends mid-month). Both produce the same [`Source`], from
//! which one function assembles the dashboard; the tests check the two agree.

use super::conditions::push_filter;
use super::sql::Sql;
use super::tally::{days_between, ANSWERED, OPEN};
use super::totals_cache::{index_of, month_number, month_text, CellRow, DueRow, Entry, Key, MonthDays, MonthTotals, RefusalRow};
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
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

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
    // every field named, so that a new filter cannot be left out of the totals unseen
    let RequestFilter {
        // each cell of the totals holds one direction and one country: `main_filter`
        // picks them (and the group's countries) from the cells
        direction: _,
        country: _,
        group_id: _,
        status,
        kind,
        offence,
        case_id,
        from,
        to,
        q,
        legal_basis,
    } = filter;
    if case_id.is_some() || q.is_some() || status.is_some() {
        return None;
    }
    let dims: Vec<(&'static str, String)> = [
        kind.map(|k| ("kind", k.code().to_string())),
        offence.map(|o| ("offence", o.code().to_string())),
        legal_basis.clone().map(|b| ("basis", b)),
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
    if from.is_some_and(|d| d.day() != 1) {
        return None;
    }
    // no request starts after today, so a period ending today (or later) covers its month
    let month_end = |d: NaiveDate| d.succ_opt().is_none_or(|n| n.month() != d.month());
    if to.is_some_and(|d| d < today && !month_end(d)) {
        return None;
    }
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    Some((dim, val, from.map(month), to.map(month)))
}

fn status_of(code: &str) -> DbResult<Status> {
    Status::from_code(code).ok_or_else(|| DbError::Corrupt(format!("status {code:?}")))
}

/// The versions (see `totals_cache`) of the start months from `first` to `last` and of
/// the due month `due`: (start months with their versions, the due month's version).
async fn versions(db: &Db, first: &Option<String>, last: &Option<String>, due: &str) -> DbResult<(Vec<(String, i64)>, i64)> {
    let mut sql = Sql::new("SELECT key, v FROM tally_versions WHERE (key >= ");
    sql.text(format!("s{}", first.as_deref().unwrap_or("")));
    match last {
        Some(l) => sql.push(" AND key <= ").text(format!("s{l}")),
        None => sql.push(" AND key < 't'"),
    };
    sql.push(") OR key = ").text(format!("d{due}"));
    let mut months = Vec::new();
    let mut due_version = 0;
    for r in rows(db, &sql).await? {
        let key: String = r.try_get("key")?;
        let v: i64 = r.try_get("v")?;
        match key.strip_prefix('s') {
            Some(month) => months.push((month.to_string(), v)),
            None => due_version = v,
        }
    }
    Ok((months, due_version))
}

/// ` IN ($n, ...)` over `items`.
fn push_in(sql: &mut Sql, items: &[String]) {
    sql.push(" IN (");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.text(item.as_str());
    }
    sql.push(")");
}

/// The fields of the rows packed by `Db::packed` ("a,b,c;d,e,f"): one list per row.
fn unpack(packed: &str, fields: usize) -> DbResult<Vec<Vec<&str>>> {
    packed
        .split(';')
        .filter(|row| !row.is_empty())
        .map(|row| {
            let parts: Vec<&str> = row.split(',').collect();
            if parts.len() == fields {
                Ok(parts)
            } else {
                Err(DbError::Corrupt(format!("totals row {row:?}")))
            }
        })
        .collect()
}

fn number(text: &str) -> DbResult<i64> {
    text.parse().map_err(|_| DbError::Corrupt(format!("count {text:?}")))
}

/// 'o' / 'i' (the first letter of the direction's code).
fn direction_letter(letter: &str) -> DbResult<Direction> {
    match letter {
        "o" => Ok(Direction::Outgoing),
        "i" => Ok(Direction::Incoming),
        _ => Err(DbError::Corrupt(format!("direction {letter:?}"))),
    }
}

/// The entry of a packed row's month (if it is one of those asked for), and its packed text.
fn month_and_packed<'a, T>(out: &'a mut BTreeMap<String, T>, r: &AnyRow) -> DbResult<Option<(&'a mut T, String)>> {
    let packed: String = r.try_get("packed")?;
    Ok(out.get_mut(&r.try_get::<String, _>("month")?).map(|entry| (entry, packed)))
}

/// A month's totals, with its counts by country and by refusal ground.
type MonthCells = (MonthTotals, HashMap<String, u16>, HashMap<String, u16>);

/// Reads the counts and refusals of `months` under a dimension value. The rows of a month
/// come packed into one text (the database sends few rows; sqlx's SQLite driver hands each
/// row from its own thread, which costs more than the row).
async fn read_months(db: &Db, dim: &str, val: &str, months: &[String]) -> DbResult<BTreeMap<String, MonthTotals>> {
    let mut cells = Sql::new(&format!(
        "SELECT month, {} AS packed FROM tally WHERE dim = ",
        db.packed("SUBSTR(direction, 1, 1) || ',' || country || ',' || status || ',' || due_month || ',' || n")
    ));
    cells.text(dim).push(" AND val = ").text(val).push(" AND month");
    push_in(&mut cells, months);
    cells.push(" AND n <> 0 GROUP BY month");
    let mut refusals = Sql::new(&format!(
        "SELECT month, {} AS packed FROM tally_grounds WHERE dim = ",
        db.packed("SUBSTR(direction, 1, 1) || ',' || country || ',' || ground || ',' || n")
    ));
    refusals.text(dim).push(" AND val = ").text(val).push(" AND month");
    push_in(&mut refusals, months);
    refusals.push(" AND n <> 0 GROUP BY month");
    let (cells, refusals) = tokio::try_join!(rows(db, &cells), rows(db, &refusals))?;

    let mut out: BTreeMap<String, MonthCells> = months.iter().map(|m| (m.clone(), Default::default())).collect();
    for r in cells {
        let Some(((m, countries, _), packed)) = month_and_packed(&mut out, &r)? else {
            continue;
        };
        for f in unpack(&packed, 5)? {
            let country = index_of(&mut m.countries, countries, f[1].to_string());
            m.cells.push(CellRow {
                direction: direction_letter(f[0])?,
                country,
                status: status_of(f[2])?,
                due: month_number(f[3]),
                n: number(f[4])?,
            });
        }
    }
    for r in refusals {
        let Some(((m, countries, grounds), packed)) = month_and_packed(&mut out, &r)? else {
            continue;
        };
        for f in unpack(&packed, 4)? {
            let country = index_of(&mut m.countries, countries, f[1].to_string());
            let ground = index_of(&mut m.grounds, grounds, f[2].to_string());
            m.refusals.push(RefusalRow { direction: direction_letter(f[0])?, country, ground, n: number(f[3])? });
        }
    }
    Ok(out.into_iter().map(|(month, (m, _, _))| (month, m)).collect())
}

/// Reads the answers of `months` under a dimension value, for each of `countries` ('' for
/// every country together).
async fn read_days(
    db: &Db,
    dim: &str,
    val: &str,
    months: &[String],
    countries: &[String],
) -> DbResult<BTreeMap<(String, String), MonthDays>> {
    let mut sql = Sql::new(&format!(
        "SELECT country, month, {} AS packed FROM tally_days WHERE dim = ",
        db.packed("SUBSTR(direction, 1, 1) || ',' || answered_month || ',' || days || ',' || n")
    ));
    sql.text(dim).push(" AND val = ").text(val).push(" AND country");
    push_in(&mut sql, countries);
    sql.push(" AND month");
    push_in(&mut sql, months);
    sql.push(" AND n <> 0 GROUP BY country, month");
    type Sums = (BTreeMap<(Direction, i64), i64>, BTreeMap<(Direction, u32), i64>);
    let mut sums: BTreeMap<(String, String), Sums> = BTreeMap::new();
    for c in countries {
        for m in months {
            sums.insert((c.clone(), m.clone()), Default::default());
        }
    }
    for r in rows(db, &sql).await? {
        let key = (r.try_get::<String, _>("country")?, r.try_get::<String, _>("month")?);
        let Some((days, answered)) = sums.get_mut(&key) else {
            continue;
        };
        let packed: String = r.try_get("packed")?;
        for f in unpack(&packed, 4)? {
            let direction = direction_letter(f[0])?;
            let n = number(f[3])?;
            *days.entry((direction, number(f[2])?)).or_default() += n;
            *answered.entry((direction, month_number(f[1]))).or_default() += n;
        }
    }
    Ok(sums
        .into_iter()
        .map(|(key, (days, answered))| {
            let days = days.into_iter().filter(|(_, n)| *n != 0).map(|((d, k), n)| (d, k, n)).collect();
            let answered = answered.into_iter().filter(|(_, n)| *n != 0).map(|((d, k), n)| (d, k, n)).collect();
            (key, MonthDays { days, answered })
        })
        .collect())
}

/// Reads the open requests falling due this month before today, under the filters other
/// than direction, country and group.
async fn read_due_now(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Vec<DueRow>> {
    let month_start = today.with_day(1).expect("day 1");
    let wide = RequestFilter { direction: None, country: None, group_id: None, ..filter.clone() };
    // on SQLite, read the covering index of open requests by due date, whatever else is filtered
    let hint = db.indexed_by(super::schema::OPEN_DUE_ON);
    let mut due_now = Sql::new(&format!(
        "SELECT r.direction, r.country, COALESCE(SUBSTR(r.start_date, 1, 7), '') AS month, r.status, COUNT(*) AS n FROM requests r{hint}"
    ));
    push_filter(&mut due_now, &wide, &today.to_string());
    due_now.push(&format!(" AND r.status IN {OPEN} AND r.due_on >= ")).text(month_start.to_string());
    due_now.push(" AND r.due_on < ").text(today.to_string());
    due_now.push(" GROUP BY r.direction, r.country, COALESCE(SUBSTR(r.start_date, 1, 7), ''), r.status");
    let mut out = Vec::new();
    for r in rows(db, &due_now).await? {
        out.push(DueRow {
            direction: r.try_get("direction")?,
            country: r.try_get("country")?,
            month: r.try_get("month")?,
            status: status_of(&r.try_get::<String, _>("status")?)?,
            n: r.try_get("n")?,
        });
    }
    Ok(out)
}

/// The running totals of a view: of each start month, and of answers in the countries of
/// `scope` ('' for every country together; none: no answers), and the open requests
/// falling due this month before today.
struct Totals {
    months: Vec<(String, Arc<MonthTotals>)>,
    answers: Vec<Arc<MonthDays>>,
    due: Arc<Vec<DueRow>>,
}

/// The source from the running totals.
async fn from_tally(
    db: &Db,
    filter: &RequestFilter,
    members: &Option<BTreeSet<String>>,
    today: NaiveDate,
    key: (&'static str, String, Option<String>, Option<String>),
) -> DbResult<Source> {
    // answers: every country together (''), or each country of the filter
    let scope: Vec<String> = match (&filter.country, members) {
        (Some(c), m) => m.as_ref().is_none_or(|m| m.contains(c)).then(|| c.clone()).into_iter().collect(),
        (None, Some(m)) => m.iter().cloned().collect(),
        (None, None) => vec![String::new()],
    };
    let t = totals(db, filter, today, key, &scope).await?;
    Ok(source_of(filter, members, month_number(&today.format("%Y-%m").to_string()), &t.months, &t.answers, &t.due))
}

/// The running totals of a view: the months this process keeps at their current versions
/// from memory, the others read (and kept).
async fn totals(
    db: &Db,
    filter: &RequestFilter,
    today: NaiveDate,
    (dim, val, first, last): (&'static str, String, Option<String>, Option<String>),
    scope: &[String],
) -> DbResult<Totals> {
    let this_month = today.format("%Y-%m").to_string();
    let (months, due_version) = versions(db, &first, &last, &this_month).await?;
    let cache = &db.totals;
    let month_key = |month: &str| Key::Month { dim, val: val.clone(), month: month.to_string() };
    let days_key =
        |month: &str, country: &str| Key::Days { dim, val: val.clone(), month: month.to_string(), country: country.to_string() };
    let due_key = Key::DueNow { filter: format!("{dim}|{val}|{:?}|{:?}", filter.from, filter.to), today: today.to_string() };

    let mut totals: Vec<(String, Arc<MonthTotals>)> = Vec::new();
    let mut answers: Vec<Arc<MonthDays>> = Vec::new();
    let (mut missing_months, mut missing_answers) = (Vec::new(), BTreeSet::new());
    for (month, v) in &months {
        match cache.get(&month_key(month), *v) {
            Some(Entry::Month(m)) => totals.push((month.clone(), m)),
            _ => missing_months.push(month.clone()),
        }
        for country in scope {
            match cache.get(&days_key(month, country), *v) {
                Some(Entry::Days(d)) => answers.push(d),
                _ => {
                    missing_answers.insert((country.clone(), month.clone()));
                }
            }
        }
    }
    let due_kept = match cache.get(&due_key, due_version) {
        Some(Entry::DueNow(d)) => Some(d),
        _ => None,
    };
    let missing_days: Vec<String> = missing_answers.iter().map(|(_, m)| m.clone()).collect::<BTreeSet<_>>().into_iter().collect();

    let read_m = async {
        if missing_months.is_empty() {
            Ok(BTreeMap::new())
        } else {
            read_months(db, dim, &val, &missing_months).await
        }
    };
    let read_d = async {
        if missing_days.is_empty() || scope.is_empty() {
            Ok(BTreeMap::new())
        } else {
            read_days(db, dim, &val, &missing_days, scope).await
        }
    };
    let read_due = async {
        match &due_kept {
            Some(d) => Ok(d.clone()),
            None => Ok::<_, DbError>(Arc::new(read_due_now(db, filter, today).await?)),
        }
    };
    let (read_m, read_d, due) = tokio::try_join!(read_m, read_d, read_due)?;
    if due_kept.is_none() {
        cache.put(due_key, due_version, Entry::DueNow(due.clone()));
    }
    let version_of: BTreeMap<&str, i64> = months.iter().map(|(m, v)| (m.as_str(), *v)).collect();
    for (month, m) in read_m {
        let m = Arc::new(m);
        cache.put(month_key(&month), version_of[month.as_str()], Entry::Month(m.clone()));
        totals.push((month, m));
    }
    for ((country, month), d) in read_d {
        let d = Arc::new(d);
        // a month read again for one country may have been kept for the others: count it once
        if missing_answers.contains(&(country.clone(), month.clone())) {
            answers.push(d.clone());
        }
        cache.put(days_key(&month, &country), version_of[month.as_str()], Entry::Days(d));
    }
    Ok(Totals { months: totals, answers, due })
}

/// Names numbered in the order first seen.
#[derive(Default)]
struct Names<'a> {
    names: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    /// The numbers of `names`, numbering the new ones.
    fn numbers(&mut self, names: &'a [String]) -> Vec<usize> {
        names
            .iter()
            .map(|name| {
                *self.index.entry(name.as_str()).or_insert_with(|| {
                    self.names.push(name.as_str());
                    self.names.len() - 1
                })
            })
            .collect()
    }
}

/// Adds up the kept totals into the dashboard's source: overdue when an open request fell
/// due before this month; for those falling due this month, `due` tells.
fn source_of(
    filter: &RequestFilter,
    members: &Option<BTreeSet<String>>,
    this_month: u32,
    totals: &[(String, Arc<MonthTotals>)],
    answers: &[Arc<MonthDays>],
    due: &[DueRow],
) -> Source {
    const STATUSES: usize = Status::ALL.len();
    // every country and ground named, numbered for this view
    let mut countries = Names::default();
    let mut grounds = Names::default();
    let mut local: Vec<(Vec<usize>, Vec<usize>)> = Vec::with_capacity(totals.len());
    for (_, m) in totals {
        let c = countries.numbers(&m.countries);
        let g = grounds.numbers(&m.grounds);
        local.push((c, g));
    }
    let (countries, grounds) = (countries.names, grounds.names);
    let in_main: Vec<[bool; 2]> = countries
        .iter()
        .map(|c| [Direction::Outgoing, Direction::Incoming].map(|d| main_filter(filter, members, d.code(), c)))
        .collect();
    let side = |d: Direction| usize::from(d == Direction::Incoming);

    // cells[((country * 2 + direction) * STATUSES + status) * 2 + overdue]
    let mut cells = vec![0i64; countries.len() * 2 * STATUSES * 2];
    let mut refusals = vec![0i64; countries.len() * 2 * grounds.len()];
    let mut src = Source::default();
    for ((month, m), (c_of, g_of)) in totals.iter().zip(&local) {
        let mut by_status = [[0i64; 2]; STATUSES];
        for row in &m.cells {
            let country = c_of[row.country as usize];
            let overdue = usize::from(row.due != 0 && row.due < this_month);
            let status = row.status as usize;
            cells[((country * 2 + side(row.direction)) * STATUSES + status) * 2 + overdue] += row.n;
            if in_main[country][side(row.direction)] {
                by_status[status][overdue] += row.n;
            }
        }
        for row in &m.refusals {
            refusals[(c_of[row.country as usize] * 2 + side(row.direction)) * grounds.len() + g_of[row.ground as usize]] += row.n;
        }
        for status in Status::ALL {
            for overdue in [false, true] {
                let n = by_status[*status as usize][usize::from(overdue)];
                if n != 0 {
                    src.months.push(MonthCell { month: month.clone(), status: *status, overdue, n });
                }
            }
        }
    }
    let directions = [Direction::Outgoing, Direction::Incoming];
    for (country, name) in countries.iter().enumerate() {
        for direction in directions {
            for status in Status::ALL {
                for overdue in [false, true] {
                    let n = cells[((country * 2 + side(direction)) * STATUSES + *status as usize) * 2 + usize::from(overdue)];
                    if n != 0 {
                        src.cells.push(Cell {
                            direction: direction.code().to_string(),
                            country: name.to_string(),
                            status: *status,
                            overdue,
                            n,
                        });
                    }
                }
            }
            for (ground, ground_name) in grounds.iter().enumerate() {
                let n = refusals[(country * 2 + side(direction)) * grounds.len() + ground];
                if n != 0 {
                    src.grounds.push(GroundCell {
                        direction: direction.code().to_string(),
                        country: name.to_string(),
                        ground: ground_name.to_string(),
                        n,
                    });
                }
            }
        }
    }

    let mut days: HashMap<i64, i64> = HashMap::new();
    let mut answered: HashMap<u32, i64> = HashMap::new();
    let wanted = |d: Direction| filter.direction.is_none_or(|f| f == d);
    for a in answers {
        for (d, k, n) in &a.days {
            if wanted(*d) {
                *days.entry(*k).or_default() += n;
            }
        }
        for (d, k, n) in &a.answered {
            if wanted(*d) {
                *answered.entry(*k).or_default() += n;
            }
        }
    }
    src.days = days.into_iter().collect();
    src.answered = answered.into_iter().map(|(k, n)| (month_text(k), n)).collect();

    // open requests falling due this month before today: overdue, not in time
    for r in due {
        let cell = Cell { direction: r.direction.clone(), country: r.country.clone(), status: r.status, overdue: true, n: r.n };
        if main_filter(filter, members, &cell.direction, &cell.country) {
            let month = MonthCell { month: r.month.clone(), status: cell.status, overdue: true, n: cell.n };
            src.months.push(MonthCell { overdue: false, n: -month.n, ..month.clone() });
            src.months.push(month);
        }
        src.cells.push(Cell { overdue: false, n: -cell.n, ..cell.clone() });
        src.cells.push(cell);
    }
    src
}

/// How many requests match `filter` (the registry's count), from the running totals when
/// they can tell — not for a case, a text search or a period that starts or ends
/// mid-month: then `None`. Drafts (not in the totals) and open requests falling due this
/// month (overdue or not by today's date) are counted from the requests, through small
/// indexes. Exact, whatever the number of requests; a test compares it with a recount.
pub async fn count_from_totals(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Option<i64>> {
    use crate::domain::StatusFilter;
    let any_status = RequestFilter { status: None, ..filter.clone() };
    let Some((dim, val, first, last)) = tally_key(&any_status, today) else {
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
        let hint = db.indexed_by(super::schema::BY_STATUS);
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
    let mut cells =
        Sql::new(&format!("SELECT r.direction, r.country, r.status, {overdue} AS overdue, COUNT(*) AS n FROM requests r"));
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
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT country FROM country_group_members WHERE group_id = $1").bind(id).fetch_all(&db.pool).await?;
    Ok(Some(rows.into_iter().collect()))
}

/// Whether a direction and country are within the filter's direction, country and group.
fn main_filter(filter: &RequestFilter, members: &Option<BTreeSet<String>>, direction: &str, country: &str) -> bool {
    let RequestFilter {
        direction: wanted_direction,
        country: wanted_country,
        // the group's countries are `members`
        group_id: _,
        // the rest are in the totals' key (`tally_key`) or in the recount's WHERE
        status: _,
        kind: _,
        offence: _,
        case_id: _,
        from: _,
        to: _,
        q: _,
        legal_basis: _,
    } = filter;
    wanted_direction.is_none_or(|d| d.code() == direction)
        && wanted_country.as_ref().is_none_or(|x| x == country)
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
        if let Some(ground) =
            RefusalGround::from_code(&g.ground).filter(|_| main_filter(filter, members, &g.direction, &g.country))
        {
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

    let mut grounds: Vec<GroundRow> =
        grounds.into_iter().filter(|(_, n)| *n != 0).map(|(ground, count)| GroundRow { ground, count }).collect();
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
