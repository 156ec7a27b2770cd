//! Server functions of country groups.

use crate::domain::group::{CountryGroup, GroupInput};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db::{audit, groups, DbError};
#[cfg(feature = "ssr")]
use crate::domain::Role;

#[server(endpoint = "list_groups", input = Json)]
pub async fn list_groups() -> Result<Vec<CountryGroup>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(groups::list(&db()?).await?)
        }
        .await,
    )
}

/// Creates a group (`id` None) or replaces one.
#[server(endpoint = "save_group", input = Json)]
pub async fn save_group(id: Option<i64>, input: GroupInput) -> Result<i64, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let valid = input.validate().map_err(AppError::Validation)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let saved = groups::save(&mut tx, id, &valid).await?;
            let action = if id.is_some() { "group.update" } else { "group.create" };
            audit::record(&mut tx, &actor, action, Some("group"), Some(saved.to_string()), Some(serde_json::json!(valid)))
                .await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(saved)
        }
        .await,
    )
}

#[server(endpoint = "delete_group", input = Json)]
pub async fn delete_group(id: i64) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            groups::delete(&mut tx, id).await?;
            audit::record(&mut tx, &actor, "group.delete", Some("group"), Some(id.to_string()), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}
