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
use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

fn rate_cell(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.4}")).unwrap_or_default()
}

fn record(w: &mut CsvOut<Vec<u8>>, keys: &[&str], c: &Counts) -> csv::Result<()> {
    let keys = keys.iter().map(|k| k.to_string());
    w.row(keys.chain([
        c.total.to_string(),
        c.fulfilled.to_string(),
        c.partially_fulfilled.to_string(),
        c.refused.to_string(),
        c.suspended.to_string(),
        c.withdrawn.to_string(),
        c.open.to_string(),
        c.overdue.to_string(),
        rate_cell(c.fulfilment_rate()),
        rate_cell(c.response_rate()),
        rate_cell(rate(c.satisfied(), c.base()).and_then(|_| app::domain::figures::wilson_lower(c.satisfied(), c.base()))),
    ]))
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

/// The numbers of one chart of the dashboard as CSV: `countries` (also the map's),
/// `months`, `quarters`, `grounds`, `reciprocity` or `groups`.
fn chart_csv(chart: &str, data: &Dashboard) -> Result<(Vec<u8>, usize), csv::Error> {
    let mut w = CsvOut::new(Vec::new());
    fn header(first: &[&'static str]) -> Vec<&'static str> {
        first.iter().copied().chain(COUNT_COLUMNS).collect()
    }
    let rows = match chart {
        "months" => {
            w.row(["month", "started", "answered"])?;
            for m in &data.months {
                w.row([m.month.clone(), m.started.to_string(), m.answered.to_string()])?;
            }
            data.months.len()
        }
        "quarters" => {
            w.row(header(&["quarter"]))?;
            for q in &data.quarters {
                record(&mut w, &[&q.quarter], &q.counts)?;
            }
            data.quarters.len()
        }
        "grounds" => {
            w.row(["ground_code", "ground", "refusals"])?;
            for g in &data.grounds {
                w.row([g.ground.code(), g.ground.label(), &g.count.to_string()])?;
            }
            data.grounds.len()
        }
        "reciprocity" => {
            w.row(["country_code", "country", "our_requests", "they_fulfil_rate", "their_requests", "we_fulfil_rate"])?;
            for r in &data.reciprocity {
                w.row([
                    r.country.clone(),
                    country::display(&r.country),
                    r.outgoing.total.to_string(),
                    rate_cell(r.theirs()),
                    r.incoming.total.to_string(),
                    rate_cell(r.ours()),
                ])?;
            }
            data.reciprocity.len()
        }
        "groups" => {
            w.row(header(&["group"]))?;
            for g in &data.group_rows {
                record(&mut w, &[&g.name], &g.counts)?;
            }
            data.group_rows.len()
        }
        _ => {
            w.row(header(&["country_code", "country"]))?;
            for row in &data.countries {
                record(&mut w, &[&row.country, &country::display(&row.country)], &row.counts)?;
            }
            record(&mut w, &["", "All countries"], &data.figures.counts)?;
            data.countries.len()
        }
    };
    Ok((w.into_inner()?, rows))
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
    let chart = pairs
        .iter()
        .find(|(k, _)| k == "chart")
        .map(|(_, v)| v.as_str())
        .filter(|c| ["months", "quarters", "grounds", "reciprocity", "groups"].contains(c))
        .unwrap_or("countries")
        .to_string();
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

/// The period of a statistics download (`from`, `to`; both left out: the last whole
/// calendar year), or the answer to a bad one.
fn pack_period(pairs: &[(String, String)]) -> Result<PackPeriod, Response> {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let today = db::today();
    if get("from").trim().is_empty() && get("to").trim().is_empty() {
        return Ok(PackPeriod::default_for(today));
    }
    PackPeriod::parse(get("from"), get("to"), today).map_err(|errors| {
        let text = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("\n");
        (StatusCode::UNPROCESSABLE_ENTITY, text).into_response()
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
        Err(bad) => return bad,
    };
    let locale = app::lang::of_request(&headers);
    let name = pairs.iter().find(|(k, _)| k == "table").map(|(_, v)| v.clone()).unwrap_or_else(|| "summary".into());
    let filename = format!(
        "rogatory-statistics-{}-{}-{}.csv",
        period.from,
        period.to,
        name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "")
    );
    download(&db, actor_of(auth), "export.statistics", &filename, async {
        let pack = db::statistics::pack(&db, period, db::today()).await?;
        let tables = app::lang::in_language(locale, || app::tables::pack_tables(&pack));
        let table = tables.iter().find(|t| t.name == name).ok_or_else(|| db::DbError::NotFound("Table".into()))?;
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
        Err(bad) => return bad,
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
