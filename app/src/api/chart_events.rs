//! Server functions of the events marked on the time charts: everyone reads them with
//! the dashboard; administrators list, add and remove them.

use crate::domain::chart_event::{ChartEventInput, KeptEvent};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::Role;

#[server(endpoint = "list_chart_events", input = Json)]
pub async fn list_chart_events() -> Result<Vec<KeptEvent>, AppError> {
    respond(
        async {
            require(Role::Admin)?;
            Ok(db::chart_events::all(&db()?).await?)
        }
        .await,
    )
}

#[server(endpoint = "add_chart_event", input = Json)]
pub async fn add_chart_event(input: ChartEventInput) -> Result<i64, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let valid = input.validate().map_err(AppError::Validation)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let id = db::chart_events::add(&mut tx, &valid, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(id)
        }
        .await,
    )
}

#[server(endpoint = "remove_chart_event", input = Json)]
pub async fn remove_chart_event(id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            db::chart_events::remove(&mut tx, id, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}
