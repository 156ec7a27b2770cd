//! The dashboards' counts. The figures themselves are computed in `domain::figures`;
//! this module only counts.
//!
//! Two sources give the same counts: the running totals (`db::totals`, kept in every
//! write transaction), read whenever the filters map onto them, and a recount of the
//! matching requests otherwise (a case, two or more of kind/offence/legal basis, or a
//! custom period that starts or ends mid-month). Both produce the same [`Source`], from
//! which one function assembles the dashboard; the tests check the two agree.

use super::conditions::{push_filter, ANSWERED, OPEN};
use super::sql::Sql;
use super::totals::cache::{month_number, month_text, DueRow, MonthDays, MonthTotals};
use super::totals::keep::{days_between, days_to_acknowledge, stopped_days};
use super::totals::read::{group_members, key_of, main_filter, rows, status_of, totals, View};
use super::{Db, DbResult};
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{
    months_between, quarter_of, sort_countries, CountryRow, Counts, DaysToAnswer, Figures, GroundRow, MonthRow, QuarterRow,
    ReciprocityRow,
};
use crate::domain::group::{CountryGroup, GroupRow};
use crate::domain::{Direction, RefusalGround, RequestFilter, Status};
use chrono::NaiveDate;
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
    /// answered requests under every filter, by days to answer without stopped time
    net: Vec<(i64, i64)>,
    /// acknowledged requests under every filter, by days to acknowledge
    ack: Vec<(i64, i64)>,
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

    /// Rows of k (days, or the month answered) and n.
    fn pairs<K: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>>(rows: Vec<AnyRow>) -> DbResult<Vec<(K, i64)>> {
        rows.into_iter().map(|r| Ok((r.try_get("k")?, r.try_get("n")?))).collect()
    }
}

/// The source from the running totals.
async fn from_tally(
    db: &Db,
    filter: &RequestFilter,
    members: &Option<BTreeSet<String>>,
    today: NaiveDate,
    key: View,
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
    let (mut net, mut ack): (HashMap<i64, i64>, HashMap<i64, i64>) = Default::default();
    let wanted = |d: Direction| filter.direction.is_none_or(|f| f == d);
    let add = |into: &mut HashMap<i64, i64>, from: &[(Direction, i64, i64)]| {
        for (d, k, n) in from {
            if wanted(*d) {
                *into.entry(*k).or_default() += n;
            }
        }
    };
    for a in answers {
        add(&mut days, &a.days);
        // the days without stopped time: the calendar days, corrected
        add(&mut net, &a.days);
        add(&mut net, &a.net);
        add(&mut ack, &a.ack);
        for (d, k, n) in &a.answered {
            if wanted(*d) {
                *answered.entry(*k).or_default() += n;
            }
        }
    }
    src.days = days.into_iter().collect();
    src.net = net.into_iter().collect();
    src.ack = ack.into_iter().collect();
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
    let net = answers(&format!("{} - {}", days_between(db.backend), stopped_days(db.backend)));
    let mut ack = Sql::new(&format!("SELECT {} AS k, COUNT(*) AS n FROM requests r", days_to_acknowledge(db.backend)));
    push_filter(&mut ack, filter, &today_s);
    ack.push(" AND r.status <> 'draft' AND r.acknowledged_on IS NOT NULL AND r.start_date IS NOT NULL GROUP BY 1");

    let (cells, grounds, months, days, answered, net, ack) = tokio::try_join!(
        rows(db, &cells),
        rows(db, &grounds),
        rows(db, &months),
        rows(db, &days),
        rows(db, &answered),
        rows(db, &net),
        rows(db, &ack)
    )?;
    let mut src = Source::default();
    src.add_cells(cells)?;
    src.add_grounds(grounds)?;
    src.add_months(months)?;
    src.days = Source::pairs(days)?;
    src.answered = Source::pairs(answered)?;
    src.net = Source::pairs(net)?;
    src.ack = Source::pairs(ack)?;
    Ok(src)
}

/// The dashboard of `p`: from the running totals when they answer its filters, else
/// recounted from the requests.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn dashboard(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<Dashboard> {
    let filter = p.filter(today);
    let (groups, members, legal_bases) =
        tokio::try_join!(super::groups::list(db), group_members(db, filter.group_id), super::reference::legal_bases(db))?;
    let src = match key_of(&filter, today) {
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

    let OverTime { histogram, months, quarters, from, to } = over_time(p, today, &src);
    let histogram_of = |pairs: &[(i64, i64)]| {
        let mut h: BTreeMap<i64, i64> = BTreeMap::new();
        for (k, n) in pairs {
            *h.entry(*k).or_default() += n;
        }
        DaysToAnswer { histogram: h.into_iter().filter(|(_, n)| *n != 0).collect() }
    };

    Dashboard {
        legal_bases: Vec::new(),
        groups,
        group_rows,
        extradition_persons: Vec::new(),
        pending_ages: [0; 5],
        events: Vec::new(),
        figures: Figures {
            counts: all,
            days: DaysToAnswer { histogram },
            net_days: histogram_of(&src.net),
            ack_days: histogram_of(&src.ack),
        },
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

/// The dashboard's figures over time: days to answer, and requests started and answered
/// by month and by quarter over the view's period.
struct OverTime {
    histogram: Vec<(i64, i64)>,
    months: Vec<MonthRow>,
    quarters: Vec<QuarterRow>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

fn over_time(p: &DashboardParams, today: NaiveDate, src: &Source) -> OverTime {
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
    OverTime { histogram, months, quarters, from, to }
}

/// The dashboard recounted from the requests, whatever the filters: what the running
/// totals must always agree with (`rogatory tally --check`, and the tests).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recounted(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<Dashboard> {
    let filter = p.filter(today);
    let src = from_requests(db, &filter, today).await?;
    let groups = super::groups::list(db).await?;
    let members = group_members(db, filter.group_id).await?;
    let legal_bases = super::reference::legal_bases(db).await?;
    Ok(Dashboard { legal_bases, ..assemble(p, &filter, today, src, groups, &members) })
}

/// Whether the running totals answer these filters (for the benchmark's report).
pub fn uses_totals(p: &DashboardParams, today: NaiveDate) -> bool {
    key_of(&p.filter(today), today).is_some()
}

/// The view's pending requests — open or suspended: not answered, not withdrawn — by
/// their age today (days since their start) in `figures::ANSWER_BANDS`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_ages(db: &Db, p: &DashboardParams, today: NaiveDate) -> DbResult<[i64; 5]> {
    let filter = p.filter(today);
    let mut sql = Sql::new("SELECT r.start_date AS k, COUNT(*) AS n FROM requests r");
    push_filter(&mut sql, &filter, &today.to_string());
    sql.push(" AND r.start_date IS NOT NULL AND (r.status IN ");
    sql.push(OPEN).push(" OR r.status = ").text(Status::Suspended.code()).push(") GROUP BY r.start_date");
    let mut bands = [0; 5];
    for r in sql.query().fetch_all(&db.pool).await? {
        let start: String = r.try_get("k")?;
        let start: NaiveDate = start.parse().map_err(|_| super::decode::corrupt("start date", &start))?;
        bands[crate::domain::figures::answer_band((today - start).num_days())] += r.try_get::<i64, _>("n")?;
    }
    Ok(bands)
}
