//! Downloads: the dashboard's by-country figures as CSV (the same numbers as the page,
//! from the same functions).

use app::api::context::RequestAuth;
use app::db::audit::{self, Actor};
use app::db::{self, Db};
use app::domain::country;
use app::domain::dashboard::DashboardParams;
use app::domain::figures::{Counts, rate};
use app::error::AppError;
use axum::extract::Query;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

fn rate_cell(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.4}")).unwrap_or_default()
}

fn record(w: &mut csv::Writer<Vec<u8>>, code: &str, name: &str, c: &Counts) -> csv::Result<()> {
    w.write_record([
        code.to_string(),
        name.to_string(),
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
    ])
}

pub async fn dashboard_csv(db: Db, auth: Option<Extension<RequestAuth>>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let Some(user) = auth.and_then(|Extension(a)| a.user.map(|u| (u, a.ip))) else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let params = DashboardParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let result = async {
        let data = db::stats::dashboard(&db, &params, db::today()).await?;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "country_code", "country", "total", "fulfilled", "partially_fulfilled", "refused", "suspended", "withdrawn",
            "open", "overdue", "fulfilment_rate", "response_rate", "fulfilment_rate_lower_95",
        ])
        .map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        for row in &data.countries {
            record(&mut w, &row.country, &country::display(&row.country), &row.counts).map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        }
        record(&mut w, "", "All countries", &data.figures.counts).map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        let bytes = w.into_inner().map_err(|e| db::DbError::Corrupt(e.to_string()))?;
        let (u, ip) = &user;
        let actor = Actor { user_id: Some(u.id), username: u.username.clone(), ip: ip.clone() };
        let mut conn = db.pool.acquire().await?;
        let details = serde_json::json!({ "params": params, "rows": data.countries.len() });
        audit::record(&mut conn, &actor, "export.dashboard", None, None, Some(details)).await?;
        Ok::<_, db::DbError>(bytes)
    }
    .await;
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"rogatory-by-country.csv\""),
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
