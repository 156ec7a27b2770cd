//! Administration: users and the audit trail.

use crate::domain::user::{AuditEntry, NewUserInput, UserRow};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db::{audit, users, DbError};
#[cfg(feature = "ssr")]
use crate::domain::{user::check_password, FieldError, Role};

/// A change to one account: its role, or whether it is disabled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UserChange {
    Role(String),
    Disabled(bool),
}

/// What the audit page filters by (all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_id: Option<i64>,
}

#[server(endpoint = "list_users", input = Json)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    respond(
        async {
            require(Role::Admin)?;
            Ok(users::list(&db()?).await?)
        }
        .await,
    )
}

#[server(endpoint = "create_user", input = Json)]
pub async fn create_user(input: NewUserInput) -> Result<i64, AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let new = input.validate().map_err(AppError::Validation)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let id = users::create(&mut tx, &new).await?;
            let details = serde_json::json!({ "display_name": new.display_name, "role": new.role });
            audit::record(&mut tx, &actor, "user.create", Some("user"), Some(new.username.clone()), Some(details)).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(id)
        }
        .await,
    )
}

/// Changes a user's role, or disables / enables the account (a disabled user's sessions
/// end at once). Nobody can demote or disable themselves, and the last administrator stays.
#[server(endpoint = "update_user", input = Json)]
pub async fn update_user(id: i64, change: UserChange) -> Result<(), AppError> {
    respond(
        async {
            let (me, actor) = require(Role::Admin)?;
            if id == me.id {
                return Err(AppError::Conflict(crate::tr!(validation.you_cannot_change_your_own_role).into()));
            }
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let before = users::credentials_by_id(&mut tx, id).await?;
            let target = before.user.username.clone();
            let (action, details) = match &change {
                UserChange::Role(code) => {
                    let role = Role::parse(code).ok_or_else(|| {
                        AppError::Validation(vec![FieldError {
                            field: "role".into(),
                            message: crate::tr!(validation.choose_a_role).into(),
                        }])
                    })?;
                    users::set_role(&mut tx, id, role).await?;
                    ("user.role", serde_json::json!({ "before": before.user.role, "after": role }))
                }
                UserChange::Disabled(disabled) => {
                    users::set_disabled(&mut tx, id, *disabled).await?;
                    (
                        if *disabled { "user.disable" } else { "user.enable" },
                        serde_json::json!({ "before": before.disabled, "after": disabled }),
                    )
                }
            };
            if users::active_admins(&mut tx).await? == 0 {
                return Err(AppError::Conflict(crate::tr!(validation.at_least_one_active_administrator_must).into()));
            }
            audit::record(&mut tx, &actor, action, Some("user"), Some(target), Some(details)).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}

/// Sets a new password for a user (who gives it to them in person); their sessions end.
#[server(endpoint = "reset_password", input = Json)]
pub async fn reset_password(id: i64, password: String) -> Result<(), AppError> {
    respond(
        async {
            let (_, actor) = require(Role::Admin)?;
            let db = db()?;
            let mut tx = db.begin_write().await?;
            let target = users::credentials_by_id(&mut tx, id).await?.user.username;
            check_password(&password, &target)
                .map_err(|m| AppError::Validation(vec![FieldError { field: "password".into(), message: m }]))?;
            users::set_password(&mut tx, id, &password).await?;
            users::clear_failures(&mut tx, &target).await?;
            audit::record(&mut tx, &actor, "user.password_reset", Some("user"), Some(target), None).await?;
            tx.commit().await.map_err(DbError::from)?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_audit", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<Vec<AuditEntry>, AppError> {
    respond(
        async {
            require(Role::Admin)?;
            let db = db()?;
            let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            let filter = audit::AuditFilter {
                username: nonempty(&query.username),
                action: nonempty(&query.action),
                entity: nonempty(&query.entity),
                entity_id: nonempty(&query.entity_id),
                before_id: query.before_id,
            };
            let mut conn = db.connection().await?;
            Ok(audit::list(&mut conn, &filter).await?)
        }
        .await,
    )
}
