//! Throwaway databases for tests, on the backend the test run is pointed at.
//!
//! By default each one is a fresh SQLite file in the temporary directory. When
//! `ROGATORY_TEST_POSTGRES` holds the URL of a PostgreSQL server (a role allowed to
//! create databases, e.g. `postgres://postgres@127.0.0.1:55432/postgres`), each one is a
//! fresh database on that server instead, so that the same tests run against both
//! backends (`scripts/test` does both). Either way it is migrated, and removed on drop.

use super::Db;
use sqlx::{Connection, Executor};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the PostgreSQL server the tests use.
pub const POSTGRES_VAR: &str = "ROGATORY_TEST_POSTGRES";

/// A migrated, empty database that disappears with the value.
pub struct ScratchDb {
    pub db: Db,
    /// `sqlite://...` or `postgres://...`: for a second connection to the same database
    pub url: String,
    place: Place,
}

enum Place {
    File(std::path::PathBuf),
    Postgres { server: String, name: String },
}

/// The PostgreSQL server of this test run, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var(POSTGRES_VAR).ok().filter(|v| !v.trim().is_empty())
}

impl ScratchDb {
    /// A new database; `tag` goes into its name, to tell test runs apart.
    pub async fn new(tag: &str) -> ScratchDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let unique = format!(
            "rogatory_{tag}_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            chrono::Utc::now().timestamp_micros() % 1_000_000_000
        );
        sqlx::any::install_default_drivers();
        let (url, place) = match postgres_server() {
            Some(server) => {
                let mut admin = sqlx::AnyConnection::connect(&server).await.expect("connect to the test PostgreSQL server");
                admin.execute(format!("CREATE DATABASE {unique}").as_str()).await.expect("create a test database");
                let _ = admin.close().await;
                (with_database(&server, &unique), Place::Postgres { server, name: unique })
            }
            None => {
                let path = std::env::temp_dir().join(format!("{unique}.db"));
                (format!("sqlite://{}", path.display()), Place::File(path))
            }
        };
        let db = Db::connect(&url).await.expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        ScratchDb { db, url, place }
    }
}

/// `server` (a PostgreSQL URL) with its database replaced by `name`.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server, String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    format!("{base}/{name}{query}")
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        match &self.place {
            Place::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Place::Postgres { server, name } => {
                // Drop runs inside the test's runtime, which cannot be blocked on: drop the
                // database from a thread of its own (FORCE closes the pool's connections).
                let (server, name) = (server.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    rt.block_on(async {
                        if let Ok(mut admin) = sqlx::AnyConnection::connect(&server).await {
                            let _ = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(super::with_database("postgres://u@h:5/postgres", "x"), "postgres://u@h:5/x");
        assert_eq!(super::with_database("postgres://u@h:5/postgres?sslmode=disable", "x"), "postgres://u@h:5/x?sslmode=disable");
        assert_eq!(super::with_database("postgres://u@h:5", "x"), "postgres://u@h:5/x");
    }
}
