//! Server functions of measures on assets: a request's measures, recording and removing
//! one.

use crate::domain::assets::{AssetMeasureInput, KeptMeasure};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::Role;

/// A request's measures on assets, and the day forms are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetsOnRequest {
    pub today: chrono::NaiveDate,
    pub measures: Vec<KeptMeasure>,
}

#[server(endpoint = "request_assets", input = Json)]
pub async fn request_assets(request_id: i64) -> Result<AssetsOnRequest, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let measures = db::assets::of_request(&db()?, request_id).await?;
            Ok(AssetsOnRequest { today: db::today(), measures })
        }
        .await,
    )
}

/// Records a measure on the request's assets (checked against the request's start).
#[server(endpoint = "add_asset_measure", input = Json)]
pub async fn add_asset_measure(request_id: i64, input: AssetMeasureInput) -> Result<i64, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let (start, _) = db::assets::request_start(&mut tx, request_id).await?;
            let valid = input.validate(db::today(), start).map_err(AppError::Validation)?;
            let id = db::assets::add(&mut tx, request_id, &valid, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(id)
        }
        .await,
    )
}

/// Removes a measure recorded by mistake.
#[server(endpoint = "remove_asset_measure", input = Json)]
pub async fn remove_asset_measure(request_id: i64, measure_id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            db::assets::remove(&mut tx, request_id, measure_id, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}
