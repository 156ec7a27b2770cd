//! Server functions of a person's notifications: the address and language of their
//! daily e-mail digest.

use crate::domain::digest::{NotificationSettings, NotificationsInput};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::Role;

#[cfg(feature = "ssr")]
static SENT_AT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Tells the account page when this server sends the digests (its configuration).
#[cfg(feature = "ssr")]
pub fn set_digest_time(at: String) {
    let _ = SENT_AT.set(at);
}

/// The signed-in person's digest settings, and when digests go out.
#[server(endpoint = "get_notifications", input = Json)]
pub async fn get_notifications() -> Result<NotificationSettings, AppError> {
    respond(
        async {
            let (user, _) = require(Role::Viewer)?;
            let n = db::digest::notifications(&db()?, user.id).await?;
            Ok(NotificationSettings { email: n.email, language: n.language, sent_at: SENT_AT.get().cloned() })
        }
        .await,
    )
}

/// Sets the signed-in person's digest address (empty: none) and language.
#[server(endpoint = "save_notifications", input = Json)]
pub async fn save_notifications(input: NotificationsInput) -> Result<(), AppError> {
    respond(
        async {
            let (user, actor) = require(Role::Viewer)?;
            let n = input.validate().map_err(AppError::Validation)?;
            let mut tx = db()?.begin_write().await?;
            db::digest::set_notifications(&mut tx, user.id, &n).await?;
            let detail = serde_json::json!({ "email": n.email, "language": n.language });
            db::audit::record(&mut tx, &actor, "notifications.change", Some("user"), Some(user.username.clone()), Some(detail))
                .await?;
            tx.commit().await.map_err(db::DbError::from)?;
            Ok(())
        }
        .await,
    )
}
