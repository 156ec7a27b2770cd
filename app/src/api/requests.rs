//! Server functions of the registry: requests, their timeline and the list.

use crate::domain::{
    Event, FormOptions, ListParams, ReminderInput, Request, RequestFilter, RequestInput, RequestPage, StatusChangeInput,
};
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

/// A request with its timeline, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub request: Request,
    pub events: Vec<Event>,
    pub overdue: bool,
}

/// The choices the request form offers: legal bases, existing cases, answer period.
#[server(endpoint = "get_form_options", input = Json)]
pub async fn get_form_options() -> Result<FormOptions, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
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
#[server(endpoint = "create_request", input = Json)]
pub async fn create_request(input: RequestInput) -> Result<i64, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let period = db::reference::answer_period_days(&db).await?;
            let valid = input.validate(db::today(), period).map_err(AppError::Validation)?;
            Ok(db::creation::create(&db, &valid, &actor).await?)
        }
        .await,
    )
}

#[server(endpoint = "get_request", input = Json)]
pub async fn get_request(id: i64) -> Result<RequestDetail, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let db = db()?;
            let request = db::requests::get(&db, id).await?;
            let events = db::timeline::events(&db, id).await?;
            let overdue = request.is_overdue(db::today());
            Ok(RequestDetail { request, events, overdue })
        }
        .await,
    )
}

/// Saves an edit made from `version`. Returns the new version; a stale version is a
/// conflict and nothing is saved.
#[server(endpoint = "update_request", input = Json)]
pub async fn update_request(id: i64, version: i64, input: RequestInput) -> Result<i64, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let period = db::reference::answer_period_days(&db).await?;
            let valid = input.validate(db::today(), period).map_err(AppError::Validation)?;
            Ok(db::requests::update(&db, id, version, &valid, &actor).await?)
        }
        .await,
    )
}

/// The quick status change, checked against the request as stored.
#[server(endpoint = "change_status", input = Json)]
pub async fn change_status(id: i64, version: i64, input: StatusChangeInput) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let current = db::requests::get(&db, id).await?;
            if current.version != version {
                return Err(db::DbError::Conflict { current_version: current.version }.into());
            }
            let change = input
                .validate(current.status, current.direction, current.start_date, db::today())
                .map_err(AppError::Validation)?;
            let period = db::reference::answer_period_days(&db).await?;
            Ok(db::requests::change_status(&db, id, version, &change, period, &actor).await?)
        }
        .await,
    )
}

/// "Log a reminder" sent to a silent counterpart.
#[server(endpoint = "log_reminder", input = Json)]
pub async fn log_reminder(id: i64, input: ReminderInput) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let current = db::requests::get(&db, id).await?;
            let reminder = input.validate(current.status, current.start_date, db::today()).map_err(AppError::Validation)?;
            Ok(db::requests::add_reminder(&db, id, &reminder, &actor).await?)
        }
        .await,
    )
}

/// One page of the filtered, sorted registry list.
#[server(endpoint = "list_requests", input = Json)]
pub async fn list_requests(params: ListParams) -> Result<RequestPage, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            params.filter.validate().map_err(AppError::Validation)?;
            let db = db()?;
            Ok(db::list::page(&db, &params, db::today()).await?)
        }
        .await,
    )
}

/// How many requests match the filter, exactly: asked for when the list's count stopped
/// at its cap ("more than 1,000").
#[server(endpoint = "count_requests", input = Json)]
pub async fn count_requests(filter: RequestFilter) -> Result<i64, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            filter.validate().map_err(AppError::Validation)?;
            let db = db()?;
            Ok(db::list::count_exactly(&db, &filter, db::today()).await?)
        }
        .await,
    )
}

/// The audit entries of one request: who changed what, and when; from which address
/// only for administrators (an address is personal data of the colleague who made the
/// change).
#[server(endpoint = "request_history", input = Json)]
pub async fn request_history(id: i64) -> Result<Vec<crate::domain::user::AuditEntry>, AppError> {
    respond(
        async {
            let (me, _) = require(Role::Viewer)?;
            let db = db()?;
            let mut conn = db.connection().await?;
            let filter =
                db::audit::AuditFilter { entity: Some("request".into()), entity_id: Some(id.to_string()), ..Default::default() };
            let mut entries = db::audit::list(&mut conn, &filter).await?;
            if !me.can(Role::Admin) {
                entries.iter_mut().for_each(|e| e.ip = None);
            }
            Ok(entries)
        }
        .await,
    )
}
