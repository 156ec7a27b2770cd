//! Reading the running totals of a view (a dimension value over a range of start months):
//! the months this process keeps at their current versions (`cache`) from memory, the
//! others read from the tables `tally*` and kept; and the open requests falling due this
//! month, which the totals cannot tell overdue or in time until today.

use super::cache::{index_of, month_number, CellRow, DueRow, Entry, Key, MonthDays, MonthTotals, RefusalRow};
use crate::db::conditions::{push_filter, OPEN};
use crate::db::sql::Sql;
use crate::db::{Db, DbError, DbResult};
use crate::domain::{Direction, RequestFilter, Status};
use chrono::{Datelike, NaiveDate};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The rows of a query.
pub(crate) async fn rows(db: &Db, sql: &Sql) -> DbResult<Vec<AnyRow>> {
    Ok(sql.query().fetch_all(&db.pool).await?)
}

/// A view of the running totals: (dimension, value, first start month, last start
/// month; none: unbounded).
pub(crate) type View = (&'static str, String, Option<String>, Option<String>);

/// Which of the running totals answers these filters: (dimension, value, first month,
/// last month), or `None` when the requests must be recounted (a case, or a period that
/// starts or ends mid-month).
pub(crate) fn key_of(filter: &RequestFilter, today: NaiveDate) -> Option<View> {
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
        translation_missing,
        assignee,
        reminder_due,
    } = filter;
    if case_id.is_some() || q.is_some() || status.is_some() || *translation_missing || assignee.is_some() || *reminder_due {
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

pub(crate) fn status_of(code: &str) -> DbResult<Status> {
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
/// every country together): `tally_days`, then the other clocks of `tally_spans`.
async fn read_days(
    db: &Db,
    dim: &str,
    val: &str,
    months: &[String],
    countries: &[String],
) -> DbResult<BTreeMap<(String, String), MonthDays>> {
    let select = |table: &str, packed: &str| {
        let mut sql = Sql::new(&format!("SELECT country, month, {} AS packed FROM {table} WHERE dim = ", db.packed(packed)));
        sql.text(dim).push(" AND val = ").text(val).push(" AND country");
        push_in(&mut sql, countries);
        sql.push(" AND month");
        push_in(&mut sql, months);
        sql.push(" AND n <> 0 GROUP BY country, month");
        sql
    };
    let days = select("tally_days", "SUBSTR(direction, 1, 1) || ',' || answered_month || ',' || days || ',' || n");
    let spans = select("tally_spans", "SUBSTR(direction, 1, 1) || ',' || measure || ',' || days || ',' || n");
    let (days, spans) = tokio::try_join!(rows(db, &days), rows(db, &spans))?;
    type Histogram = BTreeMap<(Direction, i64), i64>;
    type Sums = (Histogram, BTreeMap<(Direction, u32), i64>, Histogram, Histogram);
    let mut sums: BTreeMap<(String, String), Sums> = BTreeMap::new();
    for c in countries {
        for m in months {
            sums.insert((c.clone(), m.clone()), Default::default());
        }
    }
    let key_of = |r: &sqlx::any::AnyRow| -> DbResult<(String, String)> {
        Ok((r.try_get::<String, _>("country")?, r.try_get::<String, _>("month")?))
    };
    for r in days {
        let Some((days, answered, _, _)) = sums.get_mut(&key_of(&r)?) else {
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
    for r in spans {
        let Some((_, _, net, ack)) = sums.get_mut(&key_of(&r)?) else {
            continue;
        };
        let packed: String = r.try_get("packed")?;
        for f in unpack(&packed, 4)? {
            let to = if f[1] == "k" { &mut *ack } else { &mut *net };
            *to.entry((direction_letter(f[0])?, number(f[2])?)).or_default() += number(f[3])?;
        }
    }
    let listed = |h: Histogram| h.into_iter().filter(|(_, n)| *n != 0).map(|((d, k), n)| (d, k, n)).collect();
    Ok(sums
        .into_iter()
        .map(|(key, (days, answered, net, ack))| {
            let answered = answered.into_iter().filter(|(_, n)| *n != 0).map(|((d, k), n)| (d, k, n)).collect();
            (key, MonthDays { days: listed(days), answered, net: listed(net), ack: listed(ack) })
        })
        .collect())
}

/// Reads the open requests falling due this month before today, under the filters other
/// than direction, country and group.
async fn read_due_now(db: &Db, filter: &RequestFilter, today: NaiveDate) -> DbResult<Vec<DueRow>> {
    let month_start = today.with_day(1).expect("day 1");
    let wide = RequestFilter { direction: None, country: None, group_id: None, ..filter.clone() };
    // on SQLite, read the covering index of open requests by due date, whatever else is filtered
    let hint = db.indexed_by(crate::db::schema::OPEN_DUE_ON);
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
pub(crate) struct Totals {
    pub months: Vec<(String, Arc<MonthTotals>)>,
    pub answers: Vec<Arc<MonthDays>>,
    pub due: Arc<Vec<DueRow>>,
}

/// The running totals of a view: the months this process keeps at their current versions
/// from memory, the others read (and kept).
pub(crate) async fn totals(
    db: &Db,
    filter: &RequestFilter,
    today: NaiveDate,
    (dim, val, first, last): View,
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

/// The countries of group `id` (none when no group is chosen).
pub(crate) async fn group_members(db: &Db, id: Option<i64>) -> DbResult<Option<BTreeSet<String>>> {
    let Some(id) = id else { return Ok(None) };
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT country FROM country_group_members WHERE group_id = $1").bind(id).fetch_all(&db.pool).await?;
    Ok(Some(rows.into_iter().collect()))
}

/// Whether a direction and country are within the filter's direction, country and group.
pub(crate) fn main_filter(filter: &RequestFilter, members: &Option<BTreeSet<String>>, direction: &str, country: &str) -> bool {
    let RequestFilter {
        direction: wanted_direction,
        country: wanted_country,
        // the group's countries are `members`
        group_id: _,
        // the rest are in the totals' key (`key_of`) or in the recount's WHERE
        status: _,
        kind: _,
        offence: _,
        case_id: _,
        from: _,
        to: _,
        q: _,
        legal_basis: _,
        translation_missing: _,
        assignee: _,
        reminder_due: _,
    } = filter;
    wanted_direction.is_none_or(|d| d.code() == direction)
        && wanted_country.as_ref().is_none_or(|x| x == country)
        && members.as_ref().is_none_or(|m| m.contains(country))
}
