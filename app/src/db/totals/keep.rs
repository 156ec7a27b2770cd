//! Keeping the running totals (tables `tally`, `tally_grounds`, `tally_days`, see
//! migrations/*/0004_tally.sql, and `tally_spans`, 0024_handling.sql) equal to a recount:
//! how they are kept up to date and rebuilt.
//!
//! Every write to a request goes through [`remove`] (before) and [`add`] (after), in the
//! writer's transaction, so the totals always equal a recount of the requests; [`rebuild`]
//! recounts from scratch (after a bulk load, or on demand) and the tests check both agree.

use crate::db::backend::Backend;
use crate::db::conditions::{ANSWERED, OPEN};
use crate::db::DbResult;
use sqlx::AnyConnection;

/// Days from start to answer of request `r`, in the backend's SQL.
pub(crate) fn days_between(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(julianday(r.answered_on) - julianday(r.start_date) AS INTEGER)",
        Backend::Postgres => "(CAST(r.answered_on AS DATE) - CAST(r.start_date AS DATE))",
    }
}

/// Days from start to acknowledgement of request `r`, in the backend's SQL.
pub(crate) fn days_to_acknowledge(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(julianday(r.acknowledged_on) - julianday(r.start_date) AS INTEGER)",
        Backend::Postgres => "(CAST(r.acknowledged_on AS DATE) - CAST(r.start_date AS DATE))",
    }
}

/// Days the clock of answered request `r` stood still between its start and its answer,
/// in the backend's SQL: `domain::handling::stopped_days` (a test checks they agree).
pub(crate) fn stopped_days(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "COALESCE((SELECT SUM(MAX(0, CAST(julianday(MIN(COALESCE(s.resumed_on, r.answered_on), r.answered_on)) \
             - julianday(MAX(s.stopped_on, r.start_date)) AS INTEGER))) FROM clock_stops s WHERE s.request_id = r.id), 0)"
        }
        Backend::Postgres => {
            "COALESCE((SELECT SUM(GREATEST(0, CAST(LEAST(COALESCE(s.resumed_on, r.answered_on), r.answered_on) AS DATE) \
             - CAST(GREATEST(s.stopped_on, r.start_date) AS DATE))) FROM clock_stops s WHERE s.request_id = r.id), 0)"
        }
    }
}

/// The value of request `r` under dimension `d.dim`.
/// Under a combined dimension ("kind+offence"), the values joined by '|'.
const VAL: &str = "CASE d.dim WHEN 'kind' THEN r.kind WHEN 'offence' THEN r.offence WHEN 'basis' THEN r.legal_basis \
    WHEN 'kind+offence' THEN r.kind || '|' || r.offence WHEN 'kind+basis' THEN r.kind || '|' || r.legal_basis \
    WHEN 'offence+basis' THEN r.offence || '|' || r.legal_basis \
    WHEN 'kind+offence+basis' THEN r.kind || '|' || r.offence || '|' || r.legal_basis ELSE '' END";

/// The counts of the requests matching `cond` (an SQL condition on `r`), times `sign`.
fn counts_select(cond: &str, sign: i64) -> String {
    format!(
        "SELECT d.dim, {VAL}, COALESCE(SUBSTR(r.start_date, 1, 7), ''), r.direction, r.country, r.status, \
         CASE WHEN r.status IN {OPEN} THEN COALESCE(SUBSTR(r.due_on, 1, 7), '') ELSE '' END, {sign} * COUNT(*) \
         FROM requests r CROSS JOIN tally_dims d WHERE r.status <> 'draft' AND {cond} GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
}

/// The refusals by ground of the requests matching `cond`, times `sign`.
fn grounds_select(cond: &str, sign: i64) -> String {
    format!(
        "SELECT d.dim, {VAL}, COALESCE(SUBSTR(r.start_date, 1, 7), ''), r.direction, r.country, r.refusal_ground, \
         {sign} * COUNT(*) FROM requests r CROSS JOIN tally_dims d \
         WHERE r.status = 'refused' AND r.refusal_ground IS NOT NULL AND {cond} GROUP BY 1, 2, 3, 4, 5, 6"
    )
}

/// The days-to-answer histogram of the answered requests matching `cond`, times `sign`,
/// once per country and once for all countries ('').
fn days_select(backend: Backend, cond: &str, sign: i64) -> String {
    format!(
        "SELECT d.dim, {VAL}, CASE WHEN c.every = 1 THEN '' ELSE r.country END, SUBSTR(r.start_date, 1, 7), r.direction, \
         SUBSTR(r.answered_on, 1, 7), {days}, {sign} * COUNT(*) \
         FROM requests r CROSS JOIN tally_dims d CROSS JOIN (SELECT 0 AS every UNION ALL SELECT 1) c \
         WHERE r.status IN {ANSWERED} AND r.answered_on IS NOT NULL AND r.start_date IS NOT NULL AND {cond} \
         GROUP BY 1, 2, 3, 4, 5, 6, 7",
        days = days_between(backend)
    )
}

/// The corrections that turn the days-to-answer histogram into the one without stopped
/// time (measure 'n'): for each answered request matching `cond` whose clock stood still,
/// one at its days without the stops and minus one at its calendar days; times `sign`.
fn net_select(backend: Backend, cond: &str, sign: i64) -> String {
    format!(
        "SELECT d.dim, {VAL}, CASE WHEN c.every = 1 THEN '' ELSE r.country END, SUBSTR(r.start_date, 1, 7), r.direction, \
         'n', CASE WHEN w.w = 1 THEN r.days - r.stopped ELSE r.days END, {sign} * SUM(w.w) \
         FROM (SELECT r.kind, r.offence, r.legal_basis, r.country, r.start_date, r.direction, {days} AS days, \
         {stopped} AS stopped FROM requests r \
         WHERE r.status IN {ANSWERED} AND r.answered_on IS NOT NULL AND r.start_date IS NOT NULL AND {cond}) r \
         CROSS JOIN tally_dims d CROSS JOIN (SELECT 0 AS every UNION ALL SELECT 1) c \
         CROSS JOIN (SELECT 1 AS w UNION ALL SELECT -1) w WHERE r.stopped > 0 GROUP BY 1, 2, 3, 4, 5, 6, 7",
        days = days_between(backend),
        stopped = stopped_days(backend)
    )
}

/// The days-to-acknowledge histogram (measure 'k') of the acknowledged requests matching
/// `cond`, times `sign`.
fn ack_select(backend: Backend, cond: &str, sign: i64) -> String {
    format!(
        "SELECT d.dim, {VAL}, CASE WHEN c.every = 1 THEN '' ELSE r.country END, SUBSTR(r.start_date, 1, 7), r.direction, \
         'k', {days}, {sign} * COUNT(*) \
         FROM requests r CROSS JOIN tally_dims d CROSS JOIN (SELECT 0 AS every UNION ALL SELECT 1) c \
         WHERE r.status <> 'draft' AND r.acknowledged_on IS NOT NULL AND r.start_date IS NOT NULL AND {cond} \
         GROUP BY 1, 2, 3, 4, 5, 6, 7",
        days = days_to_acknowledge(backend)
    )
}

/// Raises the versions of the start and due months of the requests matching `cond` (see
/// migration 0007 and `totals_cache`): whoever kept the totals of those months reads them
/// again.
fn bump_versions(cond: &str) -> String {
    format!(
        "INSERT INTO tally_versions (key, v) SELECT k, 1 FROM (\
         SELECT 's' || COALESCE(SUBSTR(r.start_date, 1, 7), '') AS k FROM requests r WHERE r.status <> 'draft' AND {cond} \
         UNION SELECT 'd' || COALESCE(SUBSTR(r.due_on, 1, 7), '') FROM requests r WHERE r.status <> 'draft' AND {cond}) x \
         WHERE true ON CONFLICT (key) DO UPDATE SET v = tally_versions.v + 1"
    )
}

const COUNTS_INTO: &str = "INSERT INTO tally (dim, val, month, direction, country, status, due_month, n) ";
const COUNTS_MERGE: &str =
    " ON CONFLICT (dim, val, month, direction, country, status, due_month) DO UPDATE SET n = tally.n + excluded.n";
const GROUNDS_INTO: &str = "INSERT INTO tally_grounds (dim, val, month, direction, country, ground, n) ";
const GROUNDS_MERGE: &str =
    " ON CONFLICT (dim, val, month, direction, country, ground) DO UPDATE SET n = tally_grounds.n + excluded.n";
const DAYS_INTO: &str = "INSERT INTO tally_days (dim, val, country, month, direction, answered_month, days, n) ";
const DAYS_MERGE: &str =
    " ON CONFLICT (dim, val, country, month, direction, answered_month, days) DO UPDATE SET n = tally_days.n + excluded.n";

const SPANS_INTO: &str = "INSERT INTO tally_spans (dim, val, country, month, direction, measure, days, n) ";
const SPANS_MERGE: &str =
    " ON CONFLICT (dim, val, country, month, direction, measure, days) DO UPDATE SET n = tally_spans.n + excluded.n";

/// The backend a connection talks to.
fn backend_of(conn: &AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

async fn apply(conn: &mut AnyConnection, id: i64, sign: i64) -> DbResult<()> {
    let backend = backend_of(conn);
    let counts = format!("{COUNTS_INTO}{}{COUNTS_MERGE}", counts_select("r.id = $1", sign));
    sqlx::query(&counts).bind(id).execute(&mut *conn).await?;
    let grounds = format!("{GROUNDS_INTO}{}{GROUNDS_MERGE}", grounds_select("r.id = $1", sign));
    sqlx::query(&grounds).bind(id).execute(&mut *conn).await?;
    let days = format!("{DAYS_INTO}{}{DAYS_MERGE}", days_select(backend, "r.id = $1", sign));
    sqlx::query(&days).bind(id).execute(&mut *conn).await?;
    for spans in [net_select(backend, "r.id = $1", sign), ack_select(backend, "r.id = $1", sign)] {
        sqlx::query(&format!("{SPANS_INTO}{spans}{SPANS_MERGE}")).bind(id).execute(&mut *conn).await?;
    }
    sqlx::query(&bump_versions("r.id = $1")).bind(id).execute(&mut *conn).await?;
    if sign > 0 {
        // the reminder schedule's next step follows the request's status and due date
        sqlx::query(&crate::db::reminders::refresh(backend, "r.id = $1")).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Counts request `id` as it is now (call after inserting or updating it), and settles
/// the date of its next reminder.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    apply(conn, id, 1).await
}

/// Uncounts request `id` as it is now (call before updating it).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    apply(conn, id, -1).await
}

/// Counts the requests `ids` as they are now (after a bulk insert), in chunks.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_many(conn: &mut AnyConnection, ids: &[i64]) -> DbResult<()> {
    let backend = backend_of(conn);
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let cond = format!("r.id IN ({})", placeholders.join(", "));
        for statement in [
            format!("{COUNTS_INTO}{}{COUNTS_MERGE}", counts_select(&cond, 1)),
            format!("{GROUNDS_INTO}{}{GROUNDS_MERGE}", grounds_select(&cond, 1)),
            format!("{DAYS_INTO}{}{DAYS_MERGE}", days_select(backend, &cond, 1)),
            format!("{SPANS_INTO}{}{SPANS_MERGE}", net_select(backend, &cond, 1)),
            format!("{SPANS_INTO}{}{SPANS_MERGE}", ack_select(backend, &cond, 1)),
            bump_versions(&cond),
            crate::db::reminders::refresh(backend, &cond),
        ] {
            let mut q = sqlx::query(&statement);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Recounts every request from scratch.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn rebuild(conn: &mut AnyConnection) -> DbResult<()> {
    let backend = backend_of(conn);
    sqlx::query("DELETE FROM tally").execute(&mut *conn).await?;
    sqlx::query("DELETE FROM tally_days").execute(&mut *conn).await?;
    sqlx::query("DELETE FROM tally_grounds").execute(&mut *conn).await?;
    sqlx::query("DELETE FROM tally_spans").execute(&mut *conn).await?;
    sqlx::query(&format!("{COUNTS_INTO}{}", counts_select("1 = 1", 1))).execute(&mut *conn).await?;
    sqlx::query(&format!("{GROUNDS_INTO}{}", grounds_select("1 = 1", 1))).execute(&mut *conn).await?;
    sqlx::query(&format!("{DAYS_INTO}{}", days_select(backend, "1 = 1", 1))).execute(&mut *conn).await?;
    sqlx::query(&format!("{SPANS_INTO}{}{SPANS_MERGE}", net_select(backend, "1 = 1", 1))).execute(&mut *conn).await?;
    sqlx::query(&format!("{SPANS_INTO}{}{SPANS_MERGE}", ack_select(backend, "1 = 1", 1))).execute(&mut *conn).await?;
    sqlx::query(&crate::db::reminders::refresh(backend, "1 = 1")).execute(&mut *conn).await?;
    // every month read before may have changed
    sqlx::query("UPDATE tally_versions SET v = v + 1").execute(&mut *conn).await?;
    sqlx::query(&bump_versions("1 = 1")).execute(&mut *conn).await?;
    Ok(())
}

/// Rebuilds the totals if they are empty while requests exist (a database made before
/// the totals existed). Called after migrating.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ensure(conn: &mut AnyConnection) -> DbResult<()> {
    let built: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM tally LIMIT 1) t").fetch_one(&mut *conn).await?;
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE status <> 'draft' LIMIT 1) t")
        .fetch_one(&mut *conn)
        .await?;
    if built == 0 && counted > 0 {
        tracing::info!("building the dashboard totals from the requests");
        rebuild(conn).await?;
    }
    Ok(())
}

/// The totals as lines of text (key and count, zero rows left out), for comparing with
/// a recount.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn snapshot(conn: &mut AnyConnection) -> DbResult<Vec<String>> {
    use sqlx::Row;
    let mut out = Vec::new();
    for r in sqlx::query(
        "SELECT dim || '|' || val || '|' || month || '|' || direction || '|' || country || '|' || status || '|' || \
         due_month || '|' || CAST(n AS TEXT) AS line FROM tally WHERE n <> 0 \
         UNION ALL SELECT dim || '|' || val || '|' || month || '|' || direction || '|' || country || '|' || ground || '|' || \
         CAST(n AS TEXT) FROM tally_grounds WHERE n <> 0 ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.push(r.try_get("line")?);
    }
    for r in sqlx::query(
        "SELECT dim || '|' || val || '|' || country || '|' || month || '|' || direction || '|' || answered_month || '|' || \
         CAST(days AS TEXT) || '|' || CAST(n AS TEXT) AS line FROM tally_days WHERE n <> 0 \
         UNION ALL SELECT dim || '|' || val || '|' || country || '|' || month || '|' || direction || '|' || measure || '|' || \
         CAST(days AS TEXT) || '|' || CAST(n AS TEXT) FROM tally_spans WHERE n <> 0 ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        out.push(r.try_get("line")?);
    }
    Ok(out)
}
