//! Server functions of the dashboards.

use crate::domain::compare::{ComparePeriods, CompareRow};
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::Role;

#[server(endpoint = "dashboard", input = Json)]
pub async fn get_dashboard(params: DashboardParams) -> Result<Dashboard, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let (db, today) = (db()?, db::today());
            let (mut d, pending_ages) = tokio::try_join!(
                db::dashboard::dashboard(&db, &params, today),
                db::dashboard::pending_ages(&db, &params, today)
            )?;
            d.pending_ages = pending_ages;
            d.events = db::chart_events::between(&db, d.from, d.to, params.country.as_deref()).await?;
            if params.kind.is_none_or(|k| k == crate::domain::Kind::Extradition) {
                let direction = params.direction.unwrap_or(crate::domain::Direction::Outgoing);
                let persons = db::countries::person_figures(&db, &params.filter(today), today).await?;
                d.extradition_persons =
                    persons.into_iter().filter(|((_, dir), _)| *dir == direction).map(|((c, _), f)| (c, f)).collect();
            }
            Ok(d)
        }
        .await,
    )
}

/// Two periods compared per country (`/compare`): the periods as read (defaults filled
/// in) and a row for all countries, then one per country.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub periods: ComparePeriods,
    pub rows: Vec<CompareRow>,
}

/// The comparison of the periods the URL's `query` gives (`ComparePeriods::KEYS`).
#[server(endpoint = "compare_periods", input = Json)]
pub async fn get_comparison(query: Vec<(String, String)>) -> Result<Comparison, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let (db, today) = (db()?, db::today());
            let periods = ComparePeriods::from_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())), today);
            let (params_a, params_b) = (periods.params(periods.a), periods.params(periods.b));
            let (a, b) = tokio::try_join!(
                db::dashboard::dashboard(&db, &params_a, today),
                db::dashboard::dashboard(&db, &params_b, today),
            )?;
            let rows = crate::domain::compare::rows(a.figures.counts, b.figures.counts, &a.countries, &b.countries);
            Ok(Comparison { periods, rows })
        }
        .await,
    )
}

/// The statistics pack of the period `from`–`to` (`YYYY-MM-DD`; both empty: the last
/// whole calendar year), with the period as read.
#[server(endpoint = "statistics_pack", input = Json)]
pub async fn get_statistics(from: String, to: String) -> Result<crate::domain::statistics::Pack, AppError> {
    use crate::domain::statistics::PackPeriod;
    respond(
        async {
            require(Role::Viewer)?;
            let (db, today) = (db()?, db::today());
            let period = if from.trim().is_empty() && to.trim().is_empty() {
                PackPeriod::default_for(today)
            } else {
                PackPeriod::parse(&from, &to, today).map_err(AppError::Validation)?
            };
            Ok(db::statistics::pack(&db, period, today).await?)
        }
        .await,
    )
}
