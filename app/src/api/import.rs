//! Server function of the CSV import (the browser sends the file's text).

use crate::domain::interchange::ImportReport;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::context::{db, require, respond};
#[cfg(feature = "ssr")]
use crate::domain::Role;

/// The largest file the browser may send, in bytes (about 150,000 rows).
pub const MAX_IMPORT_BYTES: usize = 48 * 1024 * 1024;

/// Checks (`dry_run`) or imports a CSV file: all rows or none.
#[server(endpoint = "import_requests", input = Json)]
pub async fn import_requests(file_name: String, content: String, dry_run: bool, update: bool) -> Result<ImportReport, AppError> {
    let large = content.len() > GIVE_BACK_FROM_BYTES;
    let result = async move {
        let (_, actor) = require(Role::Clerk)?;
        if content.len() > MAX_IMPORT_BYTES {
            return Err(AppError::BadRequest(crate::tr!(import.too_large, mb = MAX_IMPORT_BYTES / 1024 / 1024)));
        }
        let rows = crate::db::csv_io::read_rows(content.as_bytes()).map_err(AppError::BadRequest)?;
        drop(content);
        let name: String = file_name.chars().filter(|c| !c.is_control()).take(120).collect();
        let options = crate::db::import::ImportOptions { dry_run, update };
        Ok(crate::db::import::import(&db()?, rows, options, &name, &actor, crate::db::today(), |_| {}).await?)
    }
    .await;
    if large {
        // the file's text, its rows and the import's page cache are freed by now
        crate::db::pool::give_back_memory().await;
    }
    respond(result)
}

/// From this size of file on, the memory an import used is given back to the system
/// once it is done (`give_back_memory`); smaller ones are not worth the walk of the heap.
#[cfg(feature = "ssr")]
const GIVE_BACK_FROM_BYTES: usize = 1024 * 1024;
