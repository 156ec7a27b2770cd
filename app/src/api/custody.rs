//! Server functions of custody and country profiles: a request's custody records,
//! recording and removing custody, everyone held (the custody page and its dashboard
//! tile), a country's page and its profile, kept by administrators.

use crate::domain::country_profile::{CountryPage, CountryProfileInput};
use crate::domain::custody::{CustodyInput, CustodyList, CustodyRecord};
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

/// A request's custody records, and the day their days left are counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyOnRequest {
    pub today: chrono::NaiveDate,
    pub records: Vec<CustodyRecord>,
}

/// The custody records of a request's persons, with their deadlines.
#[server(endpoint = "request_custody", input = Json)]
pub async fn request_custody(request_id: i64) -> Result<CustodyOnRequest, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let records = db::custody::of_request(&db()?, request_id).await?;
            Ok(CustodyOnRequest { today: db::today(), records })
        }
        .await,
    )
}

/// Records a person's custody on a request (`version` None: the first record), or changes
/// the record read at `version`.
#[server(endpoint = "save_custody", input = Json)]
pub async fn save_custody(request_id: i64, person_id: i64, version: Option<i64>, input: CustodyInput) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let valid = input.validate(db::today()).map_err(AppError::Validation)?;
            let mut tx = db.begin_write().await?;
            db::custody::save(&mut tx, request_id, person_id, version, &valid, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// Deletes a person's custody record on a request (one entered by mistake).
#[server(endpoint = "remove_custody", input = Json)]
pub async fn remove_custody(request_id: i64, person_id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            db::custody::remove(&mut tx, request_id, person_id, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// Everyone held, in both directions, by days left to their deadline.
#[server(endpoint = "list_custody", input = Json)]
pub async fn list_custody() -> Result<CustodyList, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::custody::held(&db()?, db::today()).await?)
        }
        .await,
    )
}

/// A country's page: profile, custody limits in force, persons and requests figures.
#[server(endpoint = "get_country", input = Json)]
pub async fn get_country(code: String) -> Result<CountryPage, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            let code = crate::domain::country::parse(&code).ok_or(db::DbError::NotFound("Country"))?.to_string();
            let db = db()?;
            Ok(db::countries::page(&db, &code, db::today()).await?)
        }
        .await,
    )
}

/// Keeps a country's profile (`version` None: the first one).
#[server(endpoint = "save_country_profile", input = Json)]
pub async fn save_country_profile(code: String, version: Option<i64>, input: CountryProfileInput) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let code = crate::domain::country::parse(&code).ok_or(db::DbError::NotFound("Country"))?.to_string();
            let db = db()?;
            let known: Vec<String> = db::reference::legal_bases(&db).await?.into_iter().map(|b| b.code).collect();
            let valid = input.validate(&known).map_err(AppError::Validation)?;
            let mut tx = db.begin_write().await?;
            db::countries::save(&mut tx, &code, version, &valid, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}
