//! Server functions of cases.

use crate::domain::CaseSummary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::db;
#[cfg(feature = "ssr")]
use crate::domain::Role;

#[server(endpoint = "list_cases", input = Json)]
pub async fn list_cases() -> Result<Vec<CaseSummary>, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::cases::list(&db()?, db::today()).await?)
        }
        .await,
    )
}

#[server(endpoint = "get_case", input = Json)]
pub async fn get_case(id: i64) -> Result<CaseSummary, AppError> {
    respond(
        async {
            require(Role::Viewer)?;
            Ok(db::cases::get(&db()?, id, db::today()).await?)
        }
        .await,
    )
}
