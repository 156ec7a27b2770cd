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
            Ok(db::dashboard::dashboard(&db()?, &params, db::today()).await?)
        }
        .await,
    )
}
