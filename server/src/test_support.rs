//! Helpers of the server's tests: throwaway SQLite databases.

use crate::config::DemoArgs;
use app::db::Db;
use std::sync::atomic::{AtomicU32, Ordering};

/// A migrated SQLite database in a temporary file, removed when dropped.
pub struct TempDb {
    pub db: Db,
    pub path: std::path::PathBuf,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// A fresh database holding `demo` demo requests (none when 0) and the demo groups.
pub async fn temp_db(demo: usize, seed: u64) -> TempDb {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!("rogatory-test-{}-{}.db", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
    let path = std::env::temp_dir().join(name);
    let db = Db::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    db.migrate().await.unwrap();
    if demo > 0 {
        crate::demo::load(&db, &DemoArgs { requests: demo, seed, if_empty: false }).await.unwrap();
        crate::demo::groups(&db).await.unwrap();
    }
    TempDb { db, path }
}
