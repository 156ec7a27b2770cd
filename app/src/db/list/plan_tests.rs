//! Which plan the list's planner chooses, given facts of a registry of a million requests
//! (the sizes the plans were measured at; docs/decisions/0004-list-plans.md).

use super::*;
use crate::db::backend::Backend::{Postgres, Sqlite};
use crate::db::conditions::Through;

const MILLION: i64 = 1_000_000;
const CAP: i64 = 10_000;

fn params(pairs: &[(&str, &str)]) -> ListParams {
    ListParams::from_pairs(pairs.iter().copied())
}

fn facts(backend: Backend) -> Facts {
    Facts::of(backend, MILLION)
}

/// The facts with the running totals telling `matching`.
fn counted_by_totals(backend: Backend, matching: i64) -> (Facts, Counted) {
    let f = Facts { matching: Some(matching), ..facts(backend) };
    (f, Counted { total: matching, capped: false, set_aside: None })
}

fn chosen(pairs: &[(&str, &str)], f: &Facts, counted: &Counted) -> PagePlan {
    choose_page(&params(pairs), f, counted, Forced::default())
}

fn set_aside(plan: CountPlan) -> SetAside {
    match plan {
        CountPlan::SetAside(s) => s,
        other => panic!("expected the matches set aside, got {other:?}"),
    }
}

const WALK: PagePlan = PagePlan::Walk { through: Through::SortOrder, index: None };

#[test]
fn the_running_totals_count_whenever_they_can_tell() {
    let (f, _) = counted_by_totals(Sqlite, 500_000);
    assert_eq!(choose_count(&params(&[("direction", "outgoing")]), &f, CAP, Forced::default()), CountPlan::FromTotals(500_000));
}

#[test]
fn common_matches_walk_the_sort_orders_index() {
    // "fulfilled, by country": 427,000 of a million
    let (f, c) = counted_by_totals(Sqlite, 427_000);
    assert_eq!(chosen(&[("status", "fulfilled"), ("sort", "country")], &f, &c), WALK);
    // one status by a date walks its own index (status, date) however few
    let (f, c) = counted_by_totals(Sqlite, 3_000);
    assert_eq!(chosen(&[("status", "refused"), ("sort", "due")], &f, &c), WALK);
}

#[test]
fn open_requests_walk_their_own_index_in_the_sort_order() {
    let (f, c) = counted_by_totals(Sqlite, 300_000);
    for (sort, index) in [("start", schema::OPEN_BY_START), ("due", schema::OPEN_BY_DUE), ("country", schema::OPEN_BY_COUNTRY)] {
        let plan = chosen(&[("status", "overdue"), ("sort", sort)], &f, &c);
        assert_eq!(plan, PagePlan::Walk { through: Through::OpenRequests, index: Some(index) }, "{sort}");
    }
    // by reference there is no such index: the rare matches come through the filters'
    let (f, c) = counted_by_totals(Sqlite, 2_000);
    let plan = chosen(&[("status", "open"), ("direction", "incoming"), ("sort", "reference")], &f, &c);
    assert_eq!(plan, PagePlan::WalkIfAhead { hint: Hint::IndexedBy(schema::OPEN_DUE_ON), fts: false });
}

#[test]
fn a_country_by_a_date_walks_the_countrys_index_unless_the_statuss_holds_fewer() {
    let pairs = [("direction", "incoming"), ("country", "GE"), ("status", "overdue"), ("sort", "start")];
    // Georgia's 20,800 requests against 300,000 open ones
    let f = Facts { matching: Some(40), country_and_status: Some((20_800, 300_000)), ..facts(Sqlite) };
    let c = Counted { total: 40, ..Default::default() };
    assert_eq!(chosen(&pairs, &f, &c), PagePlan::Walk { through: Through::Country, index: Some(schema::BY_COUNTRY_START) });
    // refused (30,000) in Latvia (43,000), by due date: the status's index by due date
    let f = Facts { matching: Some(900), country_and_status: Some((43_000, 30_000)), ..facts(Sqlite) };
    let c = Counted { total: 900, ..Default::default() };
    assert_eq!(chosen(&[("country", "LV"), ("status", "refused"), ("sort", "due")], &f, &c), WALK);
    // PostgreSQL's planner chooses between the walk and the filters' indexes itself
    let (f, c) = counted_by_totals(Postgres, 40);
    assert_eq!(chosen(&pairs, &f, &c), PagePlan::ThroughFilters { hint: Hint::IndexedBy(schema::OPEN_DUE_ON), fts: false });
}

#[test]
fn few_matches_look_ahead_on_the_walk_before_choosing() {
    let (f, c) = counted_by_totals(Sqlite, 2_000);
    let plan = chosen(&[("kind", "extradition"), ("sort", "reference")], &f, &c);
    assert_eq!(plan, PagePlan::WalkIfAhead { hint: Hint::None, fts: false });
    assert_eq!(after_looking_ahead(PAGE_SIZE as i64 + 1, Hint::None, false), WALK);
    assert_eq!(after_looking_ahead(3, Hint::None, false), PagePlan::ThroughFilters { hint: Hint::None, fts: false });
    // a fifth of the requests or more, or a count at the cap: common enough to walk
    let (f, c) = counted_by_totals(Sqlite, 200_000);
    assert_eq!(chosen(&[("kind", "mla"), ("sort", "reference")], &f, &c), WALK);
    let c = Counted { total: CAP, capped: true, set_aside: None };
    assert_eq!(chosen(&[("q", "ab"), ("sort", "reference")], &facts(Sqlite), &c), WALK);
}

#[test]
fn a_rare_terms_matches_are_all_set_aside_and_hold_the_page() {
    let p = params(&[("q", "FI-"), ("sort", "country")]);
    let f = Facts { rare_term: true, ..facts(Sqlite) };
    let plan = set_aside(choose_count(&p, &f, CAP, Forced::default()));
    assert_eq!(plan.limit, RARE_TERM, "past the count's cap");
    assert!(plan.keep_page && !plan.bitmap_only);
    assert_eq!(plan.way, SetAsideWay::AllFilters { hint: Hint::None, fts: true, in_id_order: false });
    let c = Counted { total: 12, capped: false, set_aside: Some(vec![4, 8]) };
    assert_eq!(choose_page(&p, &f, &c, Forced::default()), PagePlan::SetAside(vec![4, 8]));
    // PostgreSQL: through pg_trgm's index, the planner given bitmap scans only
    let f = Facts { rare_term: true, ..facts(Postgres) };
    let plan = set_aside(choose_count(&p, &f, CAP, Forced::default()));
    assert!(plan.bitmap_only);
    assert_eq!(plan.way, SetAsideWay::AllFilters { hint: Hint::None, fts: false, in_id_order: false });
}

#[test]
fn a_common_terms_page_by_a_date_comes_from_the_indexes_in_that_dates_order() {
    let p = params(&[("q", "2025"), ("sort", "start")]);
    // SQLite: its other filters match everything: the table in order for the count
    let f = Facts { others_matching: Some(MILLION), ..facts(Sqlite) };
    let plan = set_aside(choose_count(&p, &f, CAP, Forced::default()));
    assert_eq!(plan.limit, CAP);
    assert_eq!(plan.way, SetAsideWay::AllFilters { hint: Hint::NotIndexed, fts: false, in_id_order: false });
    let c = Counted { total: CAP, capped: true, set_aside: None };
    let query = "\"025\" AND \"202\"".to_string();
    assert_eq!(
        choose_page(&p, &f, &c, Forced::default()),
        PagePlan::SearchIndexInOrder { index: "request_search_by_start", query }
    );
    // PostgreSQL: the indexes by start date carrying the texts
    let f = Facts { known_common_term: true, others_matching: Some(MILLION), ..facts(Postgres) };
    assert_eq!(set_aside(choose_count(&p, &f, CAP, Forced::default())).way, SetAsideWay::OthersThenText);
    assert_eq!(choose_page(&p, &f, &c, Forced::default()), PagePlan::TextsInDateIndexes);
    // by reference there is no such index
    let by_reference = params(&[("q", "2025"), ("sort", "reference")]);
    assert_eq!(choose_page(&by_reference, &facts(Sqlite), &c, Forced::default()), WALK);
}

#[test]
fn a_common_term_on_postgres_with_few_candidates_sets_all_of_them_aside() {
    // "2025", outgoing, LV, fulfilled: 3,398 candidates, read from the country's texts
    let p = params(&[("q", "2025"), ("direction", "outgoing"), ("country", "LV"), ("status", "fulfilled")]);
    let f = Facts { known_common_term: true, others_matching: Some(3_398), ..facts(Postgres) };
    let plan = set_aside(choose_count(&p, &f, 1_000, Forced::default()));
    assert_eq!((plan.limit, plan.way), (3_398, SetAsideWay::CountryTexts { every_candidate: true }));
    // without a country, over `FEW_CANDIDATES`: up to the cap, in the order of the ids
    let p = params(&[("q", "2025"), ("status", "fulfilled")]);
    let f = Facts { known_common_term: true, others_matching: Some(427_000), ..facts(Postgres) };
    let plan = set_aside(choose_count(&p, &f, CAP, Forced::default()));
    assert_eq!((plan.limit, plan.way), (CAP, SetAsideWay::OthersThenText));
    // a term not known about yet: every filter at once, in the order of the ids
    let f = Facts { others_matching: Some(427_000), ..facts(Postgres) };
    let plan = set_aside(choose_count(&p, &f, CAP, Forced::default()));
    assert_eq!(plan.way, SetAsideWay::AllFilters { hint: Hint::IndexedBy(schema::BY_STATUS), fts: false, in_id_order: true });
}

#[test]
fn a_common_term_among_open_requests_by_a_date_counts_and_pages_in_one_walk_on_postgres() {
    // "2025", open, by start date: the first matches in the page's order, from the open
    // requests' indexes carrying the texts; a first page comes from them, capped or not
    let f = Facts { known_common_term: true, others_matching: Some(236_000), ..facts(Postgres) };
    for status in ["open", "overdue"] {
        for sort in ["start", "due"] {
            let p = params(&[("q", "2025"), ("status", status), ("sort", sort)]);
            let plan = set_aside(choose_count(&p, &f, 1_000, Forced::default()));
            assert_eq!((plan.limit, &plan.way, plan.page_first), (1_000, &SetAsideWay::OpenTextsByDate, true), "{status} {sort}");
            let next = p.page_after("1:2025-01-01");
            let plan = set_aside(choose_count(&next, &f, 1_000, Forced::default()));
            assert_eq!((&plan.way, plan.page_first), (&SetAsideWay::OpenTextsByDate, false), "a later page: {status} {sort}");
        }
    }
    // not with a country (its own indexes), nor by country, nor with a page way forced
    let in_country = params(&[("q", "2025"), ("status", "open"), ("country", "LV"), ("sort", "start")]);
    assert!(matches!(set_aside(choose_count(&in_country, &f, 1_000, Forced::default())).way, SetAsideWay::CountryTexts { .. }));
    let by_country = params(&[("q", "2025"), ("status", "open"), ("sort", "country")]);
    assert_eq!(set_aside(choose_count(&by_country, &f, 1_000, Forced::default())).way, SetAsideWay::OthersThenText);
    let p = params(&[("q", "2025"), ("status", "open"), ("sort", "start")]);
    let walk = Forced { page: Some(PageWay::Walk), search: None };
    assert_eq!(set_aside(choose_count(&p, &f, 1_000, walk)).way, SetAsideWay::OthersThenText);
    // SQLite has its own way (the trigram index in the date's order)
    let f = Facts { others_matching: Some(236_000), ..facts(Sqlite) };
    assert!(!matches!(set_aside(choose_count(&p, &f, 1_000, Forced::default())).way, SetAsideWay::OpenTextsByDate));
}

#[test]
fn a_common_term_with_a_status_is_read_through_the_narrower_of_status_and_country() {
    let p = params(&[("q", "extradition"), ("country", "RU"), ("status", "fulfilled")]);
    let way = |country_and_status| {
        let f = Facts { others_matching: Some(60_000), country_and_status, ..facts(Sqlite) };
        set_aside(choose_count(&p, &f, CAP, Forced::default())).way
    };
    let through = |index| SetAsideWay::AllFilters { hint: Hint::IndexedBy(index), fts: false, in_id_order: false };
    assert_eq!(way(Some((120_000, 427_000))), through(schema::BY_COUNTRY));
    assert_eq!(way(Some((120_000, 30_000))), through(schema::BY_STATUS));
    assert_eq!(way(None), through(schema::BY_STATUS));
}

#[test]
fn a_case_is_read_through_its_own_index_and_nothing_is_read_for_no_match() {
    let p = params(&[("case", "7"), ("sort", "start")]);
    let plan = set_aside(choose_count(&p, &facts(Sqlite), CAP, Forced::default()));
    assert_eq!(plan.way, SetAsideWay::AllFilters { hint: Hint::None, fts: false, in_id_order: false });
    let c = Counted { total: 30, capped: false, set_aside: None };
    assert_eq!(choose_page(&p, &facts(Sqlite), &c, Forced::default()), PagePlan::InCaseOrder { fts: false });
    let by_case = params(&[("sort", "case")]);
    assert_eq!(choose_page(&by_case, &facts(Sqlite), &c, Forced::default()), PagePlan::InCaseOrder { fts: false });
    let none = Counted::default();
    assert_eq!(choose_page(&params(&[]), &facts(Sqlite), &none, Forced::default()), PagePlan::Empty);
}

#[test]
fn a_forced_way_is_taken_where_it_can_be() {
    let walk = Forced { page: Some(PageWay::Walk), search: None };
    let filters = Forced { page: Some(PageWay::ThroughFilters), search: None };
    let (f, c) = counted_by_totals(Postgres, 2_000);
    assert_eq!(choose_page(&params(&[("kind", "extradition")]), &f, &c, walk), WALK);
    let (f, c) = counted_by_totals(Sqlite, 427_000);
    let plan = choose_page(&params(&[("status", "fulfilled")]), &f, &c, filters);
    assert_eq!(plan, PagePlan::ThroughFilters { hint: Hint::None, fts: false });
    // no walk within a case
    assert_eq!(choose_page(&params(&[("case", "7")]), &f, &c, walk), PagePlan::InCaseOrder { fts: false });
    // a forced page way keeps the page from being taken from the matches set aside
    let f = Facts { rare_term: true, ..facts(Sqlite) };
    assert!(!set_aside(choose_count(&params(&[("q", "fi-")]), &f, CAP, walk)).keep_page);
    // a forced scan of a rare term
    let scan = Forced { page: None, search: Some(SearchWay::Scan) };
    let plan = set_aside(choose_count(&params(&[("q", "fi-")]), &f, CAP, scan));
    let broad = SetAsideWay::AllFilters { hint: Hint::NotIndexed, fts: false, in_id_order: false };
    assert_eq!((plan.limit, plan.way), (CAP, broad), "its other filters cannot be counted: read in order");
}
