//! Server functions of the registry: requests, their timeline and the list.

use crate::domain::{
    Event, FormOptions, ListParams, ReminderInput, Request, RequestInput, RequestPage, StatusChangeInput,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{db, respond};
#[cfg(feature = "ssr")]
use crate::db;

/// A request with its timeline, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub request: Request,
    pub events: Vec<Event>,
    pub overdue: bool,
}

/// The choices the request form offers: legal bases, existing cases, answer period.
#[server(input = Json)]
pub async fn get_form_options() -> Result<FormOptions, AppError> {
    respond(
        async {
            let db = db()?;
            Ok(FormOptions {
                legal_bases: db::reference::legal_bases(&db).await?,
                cases: db::cases::options(&db).await?,
                answer_period_days: db::reference::answer_period_days(&db).await?,
            })
        }
        .await,
    )
}

/// Logs a new request. Returns its id.
#[server(input = Json)]
pub async fn create_request(input: RequestInput) -> Result<i64, AppError> {
    respond(
        async {
            let db = db()?;
            let period = db::reference::answer_period_days(&db).await?;
            let valid = input.validate(db::today(), period).map_err(AppError::Validation)?;
            Ok(db::requests::create(&db, &valid, None).await?)
        }
        .await,
    )
}

#[server(input = Json)]
pub async fn get_request(id: i64) -> Result<RequestDetail, AppError> {
    respond(
        async {
            let db = db()?;
            let request = db::requests::get(&db, id).await?;
            let events = db::requests::events(&db, id).await?;
            let overdue = request.is_overdue(db::today());
            Ok(RequestDetail { request, events, overdue })
        }
        .await,
    )
}

/// Saves an edit made from `version`. Returns the new version; a stale version is a
/// conflict and nothing is saved.
#[server(input = Json)]
pub async fn update_request(id: i64, version: i64, input: RequestInput) -> Result<i64, AppError> {
    respond(
        async {
            let db = db()?;
            let period = db::reference::answer_period_days(&db).await?;
            let valid = input.validate(db::today(), period).map_err(AppError::Validation)?;
            Ok(db::requests::update(&db, id, version, &valid, None).await?)
        }
        .await,
    )
}

/// The quick status change, checked against the request as stored.
#[server(input = Json)]
pub async fn change_status(id: i64, version: i64, input: StatusChangeInput) -> Result<(), AppError> {
    respond(
        async {
            let db = db()?;
            let current = db::requests::get(&db, id).await?;
            if current.version != version {
                return Err(db::DbError::Conflict { current_version: current.version }.into());
            }
            let change = input
                .validate(current.status, current.direction, current.start_date, db::today())
                .map_err(AppError::Validation)?;
            let period = db::reference::answer_period_days(&db).await?;
            Ok(db::requests::change_status(&db, id, version, &change, period, None).await?)
        }
        .await,
    )
}

/// "Log a reminder" sent to a silent counterpart.
#[server(input = Json)]
pub async fn log_reminder(id: i64, input: ReminderInput) -> Result<(), AppError> {
    respond(
        async {
            let db = db()?;
            let current = db::requests::get(&db, id).await?;
            let reminder = input
                .validate(current.status, current.start_date, db::today())
                .map_err(AppError::Validation)?;
            Ok(db::requests::add_reminder(&db, id, &reminder, None).await?)
        }
        .await,
    )
}

/// One page of the filtered, sorted registry list.
#[server(input = Json)]
pub async fn list_requests(params: ListParams) -> Result<RequestPage, AppError> {
    respond(
        async {
            let db = db()?;
            Ok(db::requests::list(&db, &params, db::today()).await?)
        }
        .await,
    )
}
