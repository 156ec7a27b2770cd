//! Server functions of persons: search, a person's page (its viewing audited), adding
//! and changing a person (with the "possible same person" hint), and linking persons to
//! requests with a role.

use crate::domain::person::{Person, PersonEvent, PersonInput, PersonRequest, PersonRole, PersonRow};
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

/// A person with the requests concerning them, as their page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub person: Person,
    pub requests: Vec<PersonRequest>,
    /// the events of those requests, newest first
    pub timeline: Vec<PersonEvent>,
}

/// What adding a person did: added them, or found persons who may be the same (nothing
/// added: the form shows them, and adding again with `anyway` adds the new person).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PersonSaved {
    Added(i64),
    Alike(Vec<PersonRow>),
}

/// Persons whose name, in any spelling, answers `q`.
#[server(endpoint = "search_persons", input = Json)]
pub async fn search_persons(q: String) -> Result<Vec<PersonRow>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::persons::search(&db()?, &q).await?)
        }
        .await,
    )
}

/// A person and their requests. Persons are personal data: each viewing is recorded.
#[server(endpoint = "get_person", input = Json)]
pub async fn get_person(id: i64) -> Result<PersonDetail, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Viewer)?;
            let db = db()?;
            let person = db::persons::get(&db, id).await?;
            let requests = db::persons::requests_of(&db, id).await?;
            let timeline = db::timeline::events_of_person(&db, id).await?;
            let mut tx = db.begin_write().await?;
            db::audit::record(&mut tx, &actor, "person.view", Some("person"), Some(id.to_string()), None).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(PersonDetail { person, requests, timeline })
        }
        .await,
    )
}

/// Adds a person, unless persons alike in name and birth exist and `anyway` is false.
#[server(endpoint = "add_person", input = Json)]
pub async fn add_person(input: PersonInput, anyway: bool) -> Result<PersonSaved, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let valid = input.validate(db::today()).map_err(AppError::Validation)?;
            if !anyway {
                let alike = db::persons::alike(&db, &valid, None).await?;
                if !alike.is_empty() {
                    return Ok(PersonSaved::Alike(alike));
                }
            }
            let mut tx = db.begin_write().await?;
            let id = db::persons::create(&mut tx, &valid, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(PersonSaved::Added(id))
        }
        .await,
    )
}

/// Saves a change made from `version`; a stale version is a conflict and nothing is saved.
#[server(endpoint = "update_person", input = Json)]
pub async fn update_person(id: i64, version: i64, input: PersonInput) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let valid = input.validate(db::today()).map_err(AppError::Validation)?;
            let mut tx = db.begin_write().await?;
            db::persons::update(&mut tx, id, version, &valid, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// The persons a request concerns, with their roles.
#[server(endpoint = "request_persons", input = Json)]
pub async fn request_persons(request_id: i64) -> Result<Vec<PersonRow>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::persons::of_request(&db()?, request_id).await?)
        }
        .await,
    )
}

/// Links a person to a request with a role (or changes the role).
#[server(endpoint = "link_person", input = Json)]
pub async fn link_person(request_id: i64, person_id: i64, role: PersonRole) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            db::persons::link(&mut tx, request_id, person_id, role, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// Takes a person off a request.
#[server(endpoint = "unlink_person", input = Json)]
pub async fn unlink_person(request_id: i64, person_id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Clerk)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            db::persons::unlink(&mut tx, request_id, person_id, &actor).await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}
