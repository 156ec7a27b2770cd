//! "My work" and the workload: a person's open requests by what is due, and the open
//! requests of everyone by age.

use super::conditions::OPEN;
use super::decode::{code, date, status};
use super::{Db, DbResult};
use crate::domain::work::{MyWork, WorkItem, Workload, WorkloadRow, AGE_BANDS, DUE_SOON_DAYS};
use crate::domain::{Direction, Kind};
use chrono::{Days, NaiveDate};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The longest list My work shows of one kind.
const LIST_MAX: i64 = 1000;

fn item(r: &AnyRow) -> DbResult<WorkItem> {
    let on: String = r.try_get("on_date")?;
    Ok(WorkItem {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        direction: code("direction", &r.try_get::<String, _>("direction")?, Direction::from_code)?,
        country: r.try_get("country")?,
        kind: code("kind", &r.try_get::<String, _>("kind")?, Kind::from_code)?,
        status: status(&r.try_get::<String, _>("status")?)?,
        on: date(Some(on.clone()))?.ok_or_else(|| super::decode::corrupt("date", &on))?,
        detail: r.try_get("detail")?,
    })
}

/// One list of `user`'s open requests: `on` the date column that put them there,
/// `detail` a text column, `joins` and `cond` what selects them (parameters: $1 the user,
/// then `dates`).
async fn list(
    db: &Db,
    user: i64,
    on: &str,
    detail: &str,
    joins: &str,
    cond: &str,
    dates: &[NaiveDate],
) -> DbResult<Vec<WorkItem>> {
    let sql = format!(
        "SELECT r.id, r.reference, r.direction, r.country, r.kind, r.status, {on} AS on_date, {detail} AS detail \
         FROM requests r{joins} WHERE r.assignee_id = $1 AND r.status IN {OPEN} AND {cond} ORDER BY {on}, r.id LIMIT {LIST_MAX}"
    );
    let mut q = sqlx::query(&sql).bind(user);
    for d in dates {
        q = q.bind(d.to_string());
    }
    q.fetch_all(&db.pool).await?.iter().map(item).collect()
}

/// What `user` must see to on `today`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn my_work(db: &Db, user: i64, today: NaiveDate) -> DbResult<MyWork> {
    let soon = today.checked_add_days(Days::new(DUE_SOON_DAYS - 1)).unwrap_or(today);
    let none = "CAST(NULL AS TEXT)";
    let (today_only, soon_range) = ([today], [today, soon]);
    let late = format!("r.direction = '{}' AND e.due_on < $2", Direction::Incoming.code());
    let (overdue, due_soon, reminders_due, execution_late, custody) = tokio::try_join!(
        list(db, user, "r.due_on", none, "", "r.due_on < $2", &today_only),
        list(db, user, "r.due_on", none, "", "r.due_on >= $2 AND r.due_on <= $3", &soon_range),
        list(
            db,
            user,
            "r.next_reminder_on",
            "s.action",
            " LEFT JOIN reminder_steps s ON s.step = r.reminder_step + 1",
            "r.next_reminder_on <= $2",
            &today_only
        ),
        list(db, user, "e.due_on", "e.authority", " JOIN executions e ON e.request_id = r.id", &late, &today_only),
        super::custody::held_by(db, today, Some(user)),
    )?;
    let custody = custody.held.into_iter().filter(|h| h.days_left.is_some()).collect();
    Ok(MyWork { today, overdue, due_soon, reminders_due, execution_late, custody })
}

/// Everyone's open requests by age (days since their start) and how many are overdue;
/// the requests no one has last.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn workload(db: &Db, today: NaiveDate) -> DbResult<Workload> {
    // band n holds the requests started on or after `today - from` of the band before
    let limits: Vec<String> = AGE_BANDS
        .iter()
        .filter_map(|(_, to)| *to)
        .map(|to| today.checked_sub_days(Days::new(to as u64)).unwrap_or(today).to_string())
        .collect();
    let band = String::from(
        "CAST(CASE WHEN r.start_date >= $1 THEN 0 WHEN r.start_date >= $2 THEN 1 WHEN r.start_date >= $3 THEN 2 \
         WHEN r.start_date >= $4 THEN 3 ELSE 4 END AS BIGINT)",
    );
    let sql = format!(
        "SELECT r.assignee_id, u.display_name, {band} AS band, COUNT(*) AS n, \
         CAST(SUM(CASE WHEN r.due_on < $5 THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
         FROM requests r LEFT JOIN users u ON u.id = r.assignee_id WHERE r.status IN {OPEN} GROUP BY 1, 2, 3"
    );
    let mut q = sqlx::query(&sql);
    for l in &limits {
        q = q.bind(l.clone());
    }
    let rows = q.bind(today.to_string()).fetch_all(&db.pool).await?;
    let mut out: Vec<WorkloadRow> = Vec::new();
    for r in rows {
        let (id, name): (Option<i64>, Option<String>) = (r.try_get("assignee_id")?, r.try_get("display_name")?);
        let band: i64 = r.try_get("band")?;
        let n: i64 = r.try_get("n")?;
        let overdue: i64 = r.try_get::<Option<i64>, _>("overdue")?.unwrap_or(0);
        let at = match out.iter().position(|w| w.assignee_id == id) {
            Some(at) => at,
            None => {
                out.push(WorkloadRow { assignee_id: id, name, by_age: [0; 5], overdue: 0 });
                out.len() - 1
            }
        };
        out[at].by_age[band.clamp(0, 4) as usize] += n;
        out[at].overdue += overdue;
    }
    out.sort_by(|a, b| {
        a.assignee_id
            .is_none()
            .cmp(&b.assignee_id.is_none())
            .then_with(|| a.name.cmp(&b.name))
            .then(a.assignee_id.cmp(&b.assignee_id))
    });
    Ok(Workload { today, rows: out })
}
