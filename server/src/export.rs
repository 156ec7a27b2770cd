//! Downloads, each in the audit trail: the numbers of each chart of the dashboard as CSV
//! (the same numbers as the page, from the same functions), and the registry list in the
//! import format.

use app::api::context::RequestAuth;
use app::db::actor::Actor;
use app::db::audit;
use app::db::csv_io::CsvOut;
use app::db::{self, Db};
use app::domain::country;
use app::domain::dashboard::{Dashboard, DashboardParams};
use app::domain::figures::{rate, Counts};
use app::domain::statistics::PackPeriod;
use app::domain::ListParams;
use app::error::AppError;
use app::tables::{Cell, Column, Row, Table};
use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

/// A row's counts as the cells of `COUNT_COLUMNS`.
fn count_cells(c: &Counts) -> Vec<Cell> {
    let lower = rate(c.satisfied(), c.base()).and_then(|_| app::domain::figures::wilson_lower(c.satisfied(), c.base()));
    [c.total, c.fulfilled, c.partially_fulfilled, c.refused, c.suspended, c.withdrawn, c.open, c.overdue]
        .into_iter()
        .map(Cell::Count)
        .chain([Cell::Rate(c.fulfilment_rate()), Cell::Rate(c.response_rate()), Cell::Rate(lower)])
        .collect()
}

/// The count columns of a dashboard export (and, up to the response rate, of `rogatory stats`).
pub(crate) const COUNT_COLUMNS: [&str; 11] = [
    "total",
    "fulfilled",
    "partially_fulfilled",
    "refused",
    "suspended",
    "withdrawn",
    "open",
    "overdue",
    "fulfilment_rate",
    "response_rate",
    "fulfilment_rate_lower_95",
];

/// A table whose column labels are its keys (as the CSV headers are), each row keyed by
/// its first cell.
fn keyed_table(name: &str, title: &str, keys: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        name: name.to_string(),
        title: title.to_string(),
        columns: keys.iter().map(|k| Column { key: k.to_string(), label: k.to_string() }).collect(),
        rows: rows
            .into_iter()
            .map(|cells| Row { key: cells.first().map(app::tables::csv_text).unwrap_or_default(), cells, total: false })
            .collect(),
    }
}

/// The numbers of one chart of the dashboard: `countries` (also the map's), `months`,
/// `quarters`, `grounds`, `reciprocity` or `groups` — downloaded as CSV, or a sheet of
/// the dashboard's workbook.
fn chart_table(chart: &str, title: &str, data: &Dashboard) -> Table {
    let text = |s: &str| Cell::Text(s.to_string());
    let with_counts = |first: Vec<Cell>, c: &Counts| first.into_iter().chain(count_cells(c)).collect::<Vec<_>>();
    let header = |first: &[&'static str]| first.iter().copied().chain(COUNT_COLUMNS).collect::<Vec<_>>();
    match chart {
        "months" => keyed_table(
            chart,
            title,
            &["month", "started", "answered"],
            data.months.iter().map(|m| vec![text(&m.month), Cell::Count(m.started), Cell::Count(m.answered)]).collect(),
        ),
        "quarters" => keyed_table(
            chart,
            title,
            &header(&["quarter"]),
            data.quarters.iter().map(|q| with_counts(vec![text(&q.quarter)], &q.counts)).collect(),
        ),
        "grounds" => keyed_table(
            chart,
            title,
            &["ground_code", "ground", "refusals"],
            data.grounds.iter().map(|g| vec![text(g.ground.code()), text(g.ground.label()), Cell::Count(g.count)]).collect(),
        ),
        "reciprocity" => keyed_table(
            chart,
            title,
            &["country_code", "country", "our_requests", "they_fulfil_rate", "their_requests", "we_fulfil_rate"],
            data.reciprocity
                .iter()
                .map(|r| {
                    vec![
                        text(&r.country),
                        text(&country::display(&r.country)),
                        Cell::Count(r.outgoing.total),
                        Cell::Rate(r.theirs()),
                        Cell::Count(r.incoming.total),
                        Cell::Rate(r.ours()),
                    ]
                })
                .collect(),
        ),
        "groups" => keyed_table(
            chart,
            title,
            &header(&["group"]),
            data.group_rows.iter().map(|g| with_counts(vec![text(&g.name)], &g.counts)).collect(),
        ),
        _ => {
            let mut rows: Vec<Vec<Cell>> = data
                .countries
                .iter()
                .map(|r| with_counts(vec![text(&r.country), text(&country::display(&r.country))], &r.counts))
                .collect();
            rows.push(with_counts(vec![text(""), text("All countries")], &data.figures.counts));
            let mut t = keyed_table("countries", title, &header(&["country_code", "country"]), rows);
            if let Some(all) = t.rows.last_mut() {
                all.total = true;
            }
            t
        }
    }
}

/// A chart's numbers as CSV: the column keys, then the rows.
fn chart_csv(chart: &str, data: &Dashboard) -> Result<(Vec<u8>, usize), csv::Error> {
    let t = chart_table(chart, chart, data);
    let mut w = CsvOut::new(Vec::new());
    w.row(t.columns.iter().map(|c| c.key.as_str()))?;
    for r in &t.rows {
        w.row(r.cells.iter().map(app::tables::csv_text))?;
    }
    // the last row of the countries is all of them, not a country
    let rows = t.rows.len() - usize::from(chart_key(chart) == "countries");
    Ok((w.into_inner()?, rows))
}

/// The chart a download names; the countries' when it names none or another.
fn chart_key(chart: &str) -> &str {
    if ["months", "quarters", "grounds", "reciprocity", "groups"].contains(&chart) {
        chart
    } else {
        "countries"
    }
}

/// The signed-in user as the audit trail's actor, if any.
fn actor_of(auth: Option<Extension<RequestAuth>>) -> Option<Actor> {
    auth.and_then(|Extension(a)| a.user.map(|u| Actor { user_id: Some(u.id), username: u.username, ip: a.ip }))
}

/// A download made by `make` (bytes, audit details), recorded in the audit trail as
/// `action`; CSV unless `filename` ends in `.xlsx`.
async fn download<F>(db: &Db, actor: Option<Actor>, action: &str, filename: &str, make: F) -> Response
where
    F: std::future::Future<Output = Result<(Vec<u8>, serde_json::Value), db::DbError>>,
{
    let Some(actor) = actor else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let result = async {
        let (bytes, details) = make.await?;
        let mut conn = db.connection().await?;
        audit::record(&mut conn, &actor, action, None, None, Some(details)).await?;
        Ok::<_, db::DbError>(bytes)
    }
    .await;
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(filename).to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            let err = AppError::from(e);
            (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response()
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn content_type(filename: &str) -> &'static str {
    if filename.ends_with(".xlsx") {
        XLSX
    } else {
        "text/csv; charset=utf-8"
    }
}

pub async fn dashboard_csv(db: Db, auth: Option<Extension<RequestAuth>>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let params = DashboardParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let chart = chart_key(pairs.iter().find(|(k, _)| k == "chart").map_or("", |(_, v)| v.as_str())).to_string();
    let filename = format!("rogatory-{chart}.csv");
    download(&db, actor_of(auth), "export.dashboard", &filename, async {
        let data = db::dashboard::dashboard(&db, &params, db::today()).await?;
        let (bytes, rows) = chart_csv(&chart, &data).map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        Ok((bytes, serde_json::json!({ "params": params, "chart": chart, "rows": rows })))
    })
    .await
}

/// The registry list under its filters (any page), in the import format.
pub async fn requests_csv(db: Db, auth: Option<Extension<RequestAuth>>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let params = ListParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    download(&db, actor_of(auth), "export.requests", "rogatory-requests.csv", async {
        let rows = db::requests::matching(&db, &params.filter, db::today()).await?;
        let bytes = db::csv_io::write_requests(&rows).map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        Ok((bytes, serde_json::json!({ "filter": params.filter, "rows": rows.len() })))
    })
    .await
}

/// The address of a view, for a workbook's first sheet.
fn view_address(path: &str, pairs: &[(String, String)]) -> String {
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", app::domain::filter::url_encode(v))).collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The workbook of the tables `make` gives, written in `locale`: its first sheet names
/// `title`, the `period` (when there is one), today and the `view`'s address.
fn workbook_in(
    locale: app::i18n::Locale,
    title: fn() -> &'static str,
    period: Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>,
    view: &str,
    make: impl FnOnce() -> Vec<Table>,
) -> Result<Vec<u8>, db::DbError> {
    app::lang::in_language(locale, || {
        let (title, lines) = app::tables::download_about(title(), period, db::today(), view);
        crate::workbook::workbook(&crate::workbook::About { title, lines }, &make())
    })
    .map_err(|e| db::DbError::Corrupt(e.to_string()))
}

/// The numbers of every chart of the dashboard under its filters as an Excel workbook,
/// one sheet per chart, in the language of the person downloading it.
pub async fn dashboard_xlsx(
    db: Db,
    auth: Option<Extension<RequestAuth>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = DashboardParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let locale = app::lang::of_request(&headers);
    let view = view_address("/", &pairs);
    download(&db, actor_of(auth), "export.dashboard", "rogatory-dashboard.xlsx", async {
        let today = db::today();
        let (data, pending) =
            tokio::try_join!(db::dashboard::dashboard(&db, &params, today), db::dashboard::pending_ages(&db, &params, today))?;
        let bytes = workbook_in(locale, app::tables::dashboard_title, Some((data.from, data.to)), &view, || {
            let mut tables = vec![app::tables::answer_times(&data.figures.days), app::tables::pending_ages(pending)];
            tables.extend(app::tables::dashboard_charts().into_iter().map(|(chart, title)| chart_table(chart, title, &data)));
            tables
        })?;
        Ok((bytes, serde_json::json!({ "params": params, "format": "xlsx" })))
    })
    .await
}

/// The registry list under its filters as an Excel workbook: the import format's
/// columns, dates as dates.
pub async fn requests_xlsx(
    db: Db,
    auth: Option<Extension<RequestAuth>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let params = ListParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let locale = app::lang::of_request(&headers);
    let view = view_address("/requests", &pairs);
    download(&db, actor_of(auth), "export.requests", "rogatory-requests.xlsx", async {
        let today = db::today();
        let rows = db::requests::matching(&db, &params.filter, today).await?;
        let count = rows.len();
        let bytes = workbook_in(locale, app::tables::registry_title, None, &view, || vec![requests_table(&rows)])?;
        Ok((bytes, serde_json::json!({ "filter": params.filter, "rows": count, "format": "xlsx" })))
    })
    .await
}

/// Requests in the columns of the import format, dates as dates and `urgent` as text.
fn requests_table(rows: &[app::domain::Request]) -> Table {
    use app::domain::interchange::{export_header, export_record};
    let keys = export_header();
    let date_column = |k: &str| matches!(k, "start_date" | "due_on" | "answered_on");
    let cells = rows
        .iter()
        .map(|r| {
            export_record(r)
                .into_iter()
                .zip(&keys)
                .map(|(v, k)| if date_column(k) { Cell::Date(v.parse().ok()) } else { Cell::Text(v) })
                .collect()
        })
        .collect();
    keyed_table("requests", app::tables::registry_title(), &keys, cells)
}

/// The period of a statistics download (`from`, `to`; both left out: the last whole
/// calendar year), or the answer to a bad one.
fn pack_period(pairs: &[(String, String)]) -> Result<PackPeriod, Box<Response>> {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let today = db::today();
    if get("from").trim().is_empty() && get("to").trim().is_empty() {
        return Ok(PackPeriod::default_for(today));
    }
    PackPeriod::parse(get("from"), get("to"), today).map_err(|errors| {
        let text = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("\n");
        Box::new((StatusCode::UNPROCESSABLE_ENTITY, text).into_response())
    })
}

/// One table of the statistics pack (`table`, default the summary) as CSV, in the
/// language of the person downloading it.
pub async fn statistics_csv(
    db: Db,
    auth: Option<Extension<RequestAuth>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let period = match pack_period(&pairs) {
        Ok(p) => p,
        Err(bad) => return *bad,
    };
    let locale = app::lang::of_request(&headers);
    let name = pairs.iter().find(|(k, _)| k == "table").map(|(_, v)| v.clone()).unwrap_or_else(|| "summary".into());
    let empty = app::domain::statistics::build(&[], period);
    if !app::tables::pack_tables(&empty).iter().any(|t| t.name == name) {
        return (StatusCode::NOT_FOUND, "The statistics pack has no such table.").into_response();
    }
    let filename = format!("rogatory-statistics-{}-{}-{name}.csv", period.from, period.to);
    download(&db, actor_of(auth), "export.statistics", &filename, async {
        let pack = db::statistics::pack(&db, period, db::today()).await?;
        let tables = app::lang::in_language(locale, || app::tables::pack_tables(&pack));
        let table = tables.iter().find(|t| t.name == name).ok_or(db::DbError::NotFound("Table"))?;
        let bytes = app::tables::csv(table).map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        Ok((bytes, serde_json::json!({ "period": period, "table": name, "rows": table.rows.len() })))
    })
    .await
}

/// The whole statistics pack as an Excel workbook, one sheet per table, in the language
/// of the person downloading it.
pub async fn statistics_xlsx(
    db: Db,
    auth: Option<Extension<RequestAuth>>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let period = match pack_period(&pairs) {
        Ok(p) => p,
        Err(bad) => return *bad,
    };
    let locale = app::lang::of_request(&headers);
    let filename = format!("rogatory-statistics-{}-{}.xlsx", period.from, period.to);
    download(&db, actor_of(auth), "export.statistics", &filename, async {
        let today = db::today();
        let pack = db::statistics::pack(&db, period, today).await?;
        let bytes =
            app::lang::in_language(locale, || pack_workbook(&pack, today)).map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        Ok((bytes, serde_json::json!({ "period": period, "format": "xlsx" })))
    })
    .await
}

/// The statistics pack's workbook, in the current language.
pub(crate) fn pack_workbook(
    pack: &app::domain::statistics::Pack,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let (title, lines) = app::tables::pack_about(pack, today);
    let about = crate::workbook::About { title, lines };
    crate::workbook::workbook(&about, &app::tables::pack_tables(pack))
}
