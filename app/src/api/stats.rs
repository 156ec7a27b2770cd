//! Server functions of the dashboards.

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
            let mut d = db::dashboard::dashboard(&db, &params, today).await?;
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
