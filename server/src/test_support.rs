//! Helpers of the server's tests: throwaway databases (SQLite files, or PostgreSQL
//! databases when `ROGATORY_TEST_POSTGRES` names a server; see `app::db::scratch`).

use crate::config::DemoArgs;
pub use app::db::scratch::ScratchDb as TempDb;

/// A fresh database holding `demo` demo requests (none when 0) and the demo groups.
pub async fn temp_db(demo: usize, seed: u64) -> TempDb {
    let t = TempDb::new("srv").await;
    if demo > 0 {
        crate::demo::load(&t.db, &DemoArgs { requests: demo, seed, if_empty: false }).await.unwrap();
        crate::demo::groups(&t.db).await.unwrap();
    }
    t
}
