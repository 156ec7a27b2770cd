//! What SQLite makes of the list's main SQL shapes (`EXPLAIN QUERY PLAN`): the index each
//! plan is meant to read, and no sorting of every match where the plan walks an order.
//! On PostgreSQL the planner chooses from statistics; these run on SQLite only.

use super::build::{self, Order};
use super::plan::{Hint, PagePlan, SetAside, SetAsideWay};
use crate::db::backend::Backend;
use crate::db::conditions::Through;
use crate::db::scratch::ScratchDb;
use crate::db::{schema, Db};
use crate::domain::filter::ListParams;

const TODAY: &str = "2025-06-30";

/// The query plan's lines, one per step.
async fn explained(db: &Db, sql: crate::db::sql::Sql) -> String {
    let explain = crate::db::sql::Sql { text: format!("EXPLAIN QUERY PLAN {}", sql.text), params: sql.params };
    let rows: Vec<(i64, i64, i64, String)> = explain.query_as().fetch_all(&db.pool).await.unwrap();
    rows.into_iter().map(|(_, _, _, step)| step).collect::<Vec<_>>().join("\n")
}

async fn page_explained(db: &Db, pairs: &[(&str, &str)], plan: PagePlan) -> String {
    let p = ListParams::from_pairs(pairs.iter().copied());
    explained(db, build::page(db, &p, &plan, &Order::of(&p), TODAY)).await
}

/// A scratch SQLite database, or None when the run is pointed at PostgreSQL.
async fn sqlite() -> Option<ScratchDb> {
    let t = ScratchDb::new("explain").await;
    (t.db.backend == Backend::Sqlite).then_some(t)
}

const SORTED_AGAIN: &str = "USE TEMP B-TREE FOR ORDER BY";

#[tokio::test]
async fn walks_read_their_index_in_order_without_sorting() {
    let Some(t) = sqlite().await else { return };
    let walk = PagePlan::Walk { through: Through::SortOrder, index: None };
    let plan = page_explained(&t.db, &[("direction", "outgoing"), ("kind", "mla"), ("sort", "start")], walk.clone()).await;
    assert!(plan.contains("USING INDEX requests_by_start") || plan.contains("USING COVERING INDEX requests_by_start"), "{plan}");
    assert!(!plan.contains(SORTED_AGAIN), "{plan}");

    let open = PagePlan::Walk { through: Through::OpenRequests, index: Some(schema::OPEN_BY_DUE) };
    let plan = page_explained(&t.db, &[("status", "overdue"), ("country", "DE"), ("sort", "due")], open).await;
    assert!(plan.contains(schema::OPEN_BY_DUE), "{plan}");
    assert!(!plan.contains(SORTED_AGAIN), "{plan}");

    let country = PagePlan::Walk { through: Through::Country, index: Some(schema::BY_COUNTRY_START) };
    let plan = page_explained(&t.db, &[("country", "GE"), ("status", "overdue"), ("sort", "start")], country).await;
    assert!(plan.contains(&format!("INDEX {} (country=?", schema::BY_COUNTRY_START)), "{plan}");
    assert!(!plan.contains(SORTED_AGAIN), "{plan}");
}

#[tokio::test]
async fn a_common_terms_page_by_date_reads_the_trigram_index_in_its_order() {
    let Some(t) = sqlite().await else { return };
    let plan = PagePlan::SearchIndexInOrder { index: "request_search_by_start", query: "\"025\" AND \"202\"".into() };
    let plan = page_explained(&t.db, &[("q", "2025"), ("sort", "start")], plan).await;
    assert!(plan.contains("SCAN s VIRTUAL TABLE INDEX"), "{plan}");
    assert!(plan.contains("SEARCH r USING INTEGER PRIMARY KEY"), "{plan}");
    assert!(!plan.contains(SORTED_AGAIN), "{plan}");
}

#[tokio::test]
async fn through_the_filters_the_page_ids_come_from_the_named_index() {
    let Some(t) = sqlite().await else { return };
    let plan = PagePlan::ThroughFilters { hint: Hint::IndexedBy(schema::OPEN_DUE_ON), fts: false };
    let plan = page_explained(&t.db, &[("status", "open"), ("kind", "mla"), ("sort", "country")], plan).await;
    assert!(
        plan.contains(&format!("SCAN r USING COVERING INDEX {}", schema::OPEN_DUE_ON)),
        "the ids from the index alone: {plan}"
    );
    assert!(plan.contains("SEARCH r USING INTEGER PRIMARY KEY"), "then each page row by id: {plan}");
}

#[tokio::test]
async fn a_common_term_with_a_status_is_set_aside_through_the_statuss_index() {
    let Some(t) = sqlite().await else { return };
    let p = ListParams::from_pairs([("q", "2025"), ("status", "refused")]);
    let way = SetAsideWay::AllFilters { hint: Hint::IndexedBy(schema::BY_STATUS), fts: false, in_id_order: false };
    let plan = SetAside { limit: 10_000, cap: 10_000, keep_page: true, page_first: false, way, bitmap_only: false };
    let plan = explained(&t.db, build::set_aside(&t.db, &p, &plan, &Order::of(&p), TODAY)).await;
    assert!(plan.contains(&format!("INDEX {} (status=?)", schema::BY_STATUS)), "{plan}");
}
