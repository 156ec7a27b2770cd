//! The registry's list: filters, keyset pages, the text search, and every plan's pages equal.

use super::*;

async fn seed_many(t: &TestDb, n: usize) {
    for k in 0..n {
        let country = ["DE", "LT", "PL"][k % 3];
        let day = 1 + (k % 28);
        let month = 1 + (k / 28) % 5;
        let mut i = input(&format!("R-{k:04}"), country, &format!("2025-{month:02}-{day:02}"));
        if k % 10 == 0 {
            i.direction = "incoming".into();
            i.status = "received".into();
        }
        if k % 7 == 0 {
            i.summary = format!("Bank records of Müller & Co {k}");
        }
        creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
}

fn params(pairs: &[(&str, &str)]) -> ListParams {
    ListParams::from_pairs(pairs.iter().copied())
}

#[tokio::test]
async fn list_filters() {
    let t = test_db().await;
    seed_many(&t, 60).await;
    let page = list::page(&t.db, &params(&[("country", "LT")]), today()).await.unwrap();
    assert_eq!(page.total, 20);
    assert!(!page.total_capped);
    // counted from the running totals: exact, whatever the cap
    let exact = list::page_counting_to(&t.db, &params(&[("country", "LT")]), today(), 5).await.unwrap();
    assert_eq!((exact.total, exact.total_capped), (20, false));
    // a text search is counted from the requests: past the cap the list says "more than";
    // at the cap it still counts exactly
    let search = [("country", "LT"), ("q", "r-0")];
    let capped = list::page_counting_to(&t.db, &params(&search), today(), 19).await.unwrap();
    assert_eq!((capped.total, capped.total_capped), (19, true));
    assert_eq!(capped.rows.len(), 20, "the page itself is not cut");
    let exact = list::page_counting_to(&t.db, &params(&search), today(), 20).await.unwrap();
    assert_eq!((exact.total, exact.total_capped), (20, false));
    // "count them all", past the cap: exact, from the requests (a search) or the totals
    for (pairs, n) in
        [(&search[..], 20), (&[("q", "müller")][..], 9), (&[("country", "LT")][..], 20), (&[("q", "zzz-none")][..], 0)]
    {
        let filter = params(pairs).filter;
        assert_eq!(list::count_exactly(&t.db, &filter, today()).await.unwrap(), n, "{pairs:?}");
    }
    assert!(page.rows.iter().all(|r| r.country == "LT"));
    let page = list::page(&t.db, &params(&[("direction", "incoming")]), today()).await.unwrap();
    assert_eq!(page.total, 6);
    let page = list::page(&t.db, &params(&[("q", "müller")]), today()).await.unwrap();
    assert_eq!(page.total, 9, "summary search (0, 7, ..., 56)");
    let page = list::page(&t.db, &params(&[("q", "R-003")]), today()).await.unwrap();
    assert_eq!(page.total, 10, "reference search");
    let page = list::page(&t.db, &params(&[("q", "%")]), today()).await.unwrap();
    assert_eq!(page.total, 0, "wildcards are literal");
    let page = list::page(&t.db, &params(&[("from", "2025-02-01"), ("to", "2025-02-28")]), today()).await.unwrap();
    assert_eq!(page.total, 28);
    // due = start + 90: starts up to 2025-03-11 are overdue on 2025-06-10
    let overdue = list::page(&t.db, &params(&[("status", "overdue")]), today()).await.unwrap();
    assert!(overdue.rows.iter().all(|r| r.overdue));
    let expected = (0..60).filter(|k| {
        let day = 1 + (k % 28);
        let month = 1 + (k / 28) % 5;
        (month, day) <= (3, 11)
    });
    assert_eq!(overdue.total, expected.count() as i64);
    assert_eq!(params(&[("status", "overdue")]).filter.status, Some(StatusFilter::Overdue));
    // any language's capitals: SQLite's own LOWER would leave "Иванов" as it is
    let mut cyrillic = input("МИД-77", "LT", "2025-03-03");
    cyrillic.summary = "Допрос свидетеля Иванова".into();
    cyrillic.their_reference = "Ärger-5".into();
    creation::create(&t.db, &valid(&cyrillic), &clerk()).await.unwrap();
    for q in ["иванов", "ИВАНОВ", "мид-77", "äRGER", "свидетеля иванова"] {
        let page = list::page(&t.db, &params(&[("q", q)]), today()).await.unwrap();
        assert_eq!(page.rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["МИД-77"], "search {q:?}");
    }
    // a search does not match across the reference and the summary
    let page = list::page(&t.db, &params(&[("q", "77 допрос")]), today()).await.unwrap();
    assert_eq!(page.total, 0);
}

#[tokio::test]
async fn keyset_pages_walk_forward_and_back_over_every_row() {
    let t = test_db().await;
    let n = PAGE_SIZE as usize * 2 + 7;
    seed_many(&t, n).await;
    for sort in [SortColumn::Start, SortColumn::Reference, SortColumn::Country, SortColumn::Due] {
        for desc in [false, true] {
            let base = ListParams { sort, desc, ..Default::default() };
            let mut seen = Vec::new();
            let mut p = base.clone();
            let mut pages = Vec::new();
            loop {
                let page = list::page(&t.db, &p, today()).await.unwrap();
                assert_eq!(page.total, n as i64);
                seen.extend(page.rows.iter().map(|r| r.id));
                pages.push(page.clone());
                match page.next {
                    Some(c) => p = base.page_after(&c),
                    None => break,
                }
            }
            assert_eq!(pages.len(), 3);
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), n, "every row exactly once ({sort:?} desc={desc})");
            // back from the last page gives the middle page again
            let back = list::page(&t.db, &base.page_before(pages[2].prev.as_ref().unwrap()), today()).await.unwrap();
            assert_eq!(
                back.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
                pages[1].rows.iter().map(|r| r.id).collect::<Vec<_>>()
            );
            assert!(back.prev.is_some() && back.next.is_some());
            let first = list::page(&t.db, &base.page_before(back.prev.as_ref().unwrap()), today()).await.unwrap();
            assert_eq!(first.rows, pages[0].rows);
            assert!(first.prev.is_none(), "the first page has no previous page");
        }
    }
}

#[tokio::test]
async fn requests_written_before_the_search_column_are_found_after_start_up() {
    let t = test_db().await;
    seed_many(&t, 30).await;
    sqlx::query("UPDATE requests SET search_text = NULL").execute(&t.db.pool).await.unwrap();
    let page = list::page(&t.db, &params(&[("q", "müller")]), today()).await.unwrap();
    assert_eq!(page.total, 0, "not yet filled");
    t.db.migrate().await.unwrap();
    let page = list::page(&t.db, &params(&[("q", "müller")]), today()).await.unwrap();
    assert_eq!(page.total, 5, "0, 7, 14, 21, 28");
    if t.db.backend == crate::db::backend::Backend::Sqlite {
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert_eq!(search::search_index_problem(&mut conn).await, None, "the trigram indexes in step with the texts");
    }
}

#[tokio::test]
async fn both_ways_of_finding_a_page_give_the_same_pages() {
    use crate::db::list::{page_forced as list_with, PageWay};
    let t = test_db().await;
    seed_many(&t, PAGE_SIZE as usize * 2 + 7).await;
    // closed requests among the open ones, which the open requests' own indexes leave out
    for k in 0..40 {
        let mut i = input(&format!("X-{k:03}"), ["DE", "LT"][k % 2], &format!("2025-0{}-{:02}", 1 + k % 5, 1 + k % 27));
        i.status = if k % 3 == 0 { "refused".into() } else { "fulfilled".into() };
        i.answered_on = "2025-06-01".into();
        if k % 3 == 0 {
            i.refusal_ground = "dual_criminality".into();
        }
        creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    let filters: [&[(&str, &str)]; 12] = [
        &[],
        &[("direction", "outgoing")],
        &[("country", "LT"), ("status", "sent")],
        &[("status", "open")],
        &[("status", "overdue"), ("country", "DE")],
        &[("status", "in_time")],
        &[("status", "open"), ("q", "müller")],
        &[("q", "müller")],
        // a country by a date: its own index by country and date (SQLite), unless a
        // status's walk passes fewer requests
        &[("country", "PL")],
        &[("country", "DE"), ("direction", "incoming")],
        &[("country", "LT"), ("status", "refused")],
        &[("country", "DE"), ("status", "in_time"), ("q", "mü")],
    ];
    for pairs in filters {
        for sort in [SortColumn::Start, SortColumn::Country, SortColumn::Due, SortColumn::Reference] {
            for desc in [false, true] {
                let base = ListParams { sort, desc, ..params(pairs) };
                let mut pages = Vec::new();
                for path in [Some(PageWay::Walk), Some(PageWay::ThroughFilters), None] {
                    let (mut p, mut ids, mut backs) = (base.clone(), Vec::new(), Vec::new());
                    loop {
                        let page = list_with(&t.db, &p, today(), 10_000, path, None).await.unwrap();
                        ids.extend(page.rows.iter().map(|r| r.id));
                        if let Some(prev) = &page.prev {
                            let back = list_with(&t.db, &base.page_before(prev), today(), 10_000, path, None).await.unwrap();
                            backs.push(back.rows.iter().map(|r| r.id).collect::<Vec<_>>());
                        }
                        match page.next {
                            Some(c) => p = base.page_after(&c),
                            None => break,
                        }
                    }
                    pages.push((ids, backs));
                }
                assert_eq!(pages[0], pages[1], "{pairs:?} {sort:?} desc={desc}: walking and through the filters");
                assert_eq!(pages[0], pages[2], "{pairs:?} {sort:?} desc={desc}: as chosen");
                let total = list::count_by_reading(&t.db, &params(pairs).filter, today()).await.unwrap();
                assert_eq!(pages[0].0.len() as i64, total, "{pairs:?}: every match once");
            }
        }
    }
}

/// The requests of `seed_many`, and five with texts where the wildcards of LIKE and GLOB
/// are plain characters.
async fn seed_with_wildcards(t: &TestDb) {
    seed_many(t, 70).await;
    for (k, summary) in
        ["100% of *all* [assets]", "Case a_b? Yes: a*b", "Иванов И. И., fraud", "müller-lüdenscheid", "He said \"no\" AND left"]
            .iter()
            .enumerate()
    {
        let mut i = input(&format!("W-{k}"), "FI", "2025-02-01");
        i.summary = summary.to_string();
        if k % 2 == 0 {
            i.case_number = format!("C-{k}");
            i.case_title = "A case".into();
        }
        creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
}

#[tokio::test]
async fn a_search_finds_the_same_requests_through_the_trigram_index_as_by_reading_them() {
    use crate::db::list::{page_forced as list_with, PageWay, SearchWay};
    let t = test_db().await;
    seed_with_wildcards(&t).await;
    let terms = [
        "müller",
        "MÜLLER",
        "ller & co",
        "r-00",
        "r-0",
        "mü",
        "w-",
        "zzz",
        "100%",
        "%",
        "_",
        "a_b",
        "*all*",
        "[assets]",
        "[a",
        "a*b",
        "b?",
        "иванов",
        "ИВАНОВ",
        "fraud",
        "1",
        "co 2",
        "lüdenscheid",
        "r-0042",
        "\"no\"",
        "d \"n",
        "\"",
        "and",
        "no\" and l",
        "e s",
    ];
    for term in terms {
        for (sort, desc) in [(SortColumn::Start, true), (SortColumn::Reference, false), (SortColumn::Case, true)] {
            let base = ListParams { sort, desc, ..params(&[("q", term)]) };
            let mut found = Vec::new();
            for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams), None] {
                for path in [Some(PageWay::ThroughFilters), None] {
                    let (mut p, mut ids, mut total) = (base.clone(), Vec::new(), None);
                    loop {
                        let page = list_with(&t.db, &p, today(), 10_000, path, search).await.unwrap();
                        total.get_or_insert(page.total);
                        ids.extend(page.rows.iter().map(|r| r.id));
                        match page.next {
                            Some(c) => p = base.page_after(&c),
                            None => break,
                        }
                    }
                    assert_eq!(total, Some(ids.len() as i64), "{term:?} {search:?} {path:?}: the count is the rows'");
                    found.push(ids);
                }
            }
            assert!(found.iter().all(|ids| *ids == found[0]), "{term:?} {sort:?}: {found:?}");
            let expected = list::count_by_reading(&t.db, &params(&[("q", term)]).filter, today()).await.unwrap();
            assert_eq!(found[0].len() as i64, expected, "{term:?}");
        }
    }
    // with other filters: the counts and pages found each way (and the indexes chosen
    // for them) agree with a recount
    for term in ["müller", "r-0", "a*b", "co"] {
        for other in [("status", "open"), ("status", "overdue"), ("status", "sent"), ("country", "LT"), ("direction", "incoming")]
        {
            let pairs = [("q", term), other];
            let expected = list::count_by_reading(&t.db, &params(&pairs).filter, today()).await.unwrap();
            for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams), None] {
                for path in [Some(PageWay::Walk), Some(PageWay::ThroughFilters), None] {
                    let page = list_with(&t.db, &params(&pairs), today(), 10_000, path, search).await.unwrap();
                    assert_eq!(page.total, expected, "{pairs:?} {search:?} {path:?}");
                    assert_eq!(page.rows.len() as i64, expected.min(PAGE_SIZE as i64), "{pairs:?} {search:?} {path:?}");
                }
            }
        }
    }
    // 0, 7, ... 63 and müller-lüdenscheid
    for (q, n) in [("müller", 11), ("[assets]", 1), ("a*b", 1), ("иванов", 1)] {
        assert_eq!(list::page(&t.db, &params(&[("q", q)]), today()).await.unwrap().total, n, "{q}");
    }
}

#[tokio::test]
async fn an_edited_text_and_more_matches_than_the_cap_are_found_alike_every_way() {
    use crate::db::list::{page_forced as list_with, SearchWay};
    let t = test_db().await;
    seed_with_wildcards(&t).await;
    // an edit moves the request in the index: found by its new text, not by its old
    assert_eq!(list::page(&t.db, &params(&[("q", "\"no\" and")]), today()).await.unwrap().total, 1);
    let id = requests::id_by_reference(&mut t.db.pool.acquire().await.unwrap(), "W-3").await.unwrap().unwrap();
    let mut i = input("W-3", "FI", "2025-02-01");
    i.summary = "Schmidt-Lüdenscheid".into();
    requests::update(&t.db, id, 1, &valid(&i), &clerk()).await.unwrap();
    for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams)] {
        for (q, n) in [("müller-lüd", 0), ("schmidt-lüd", 1)] {
            let page = list_with(&t.db, &params(&[("q", q)]), today(), 10_000, None, search).await.unwrap();
            assert_eq!(page.total, n, "{q} {search:?}");
        }
    }

    // more matches than the count's cap: the pages, found through the trigram index (a
    // rare term's matches are all set aside, past the cap) or by reading the requests
    // (walking the sort order), are the same, forwards and backwards, and hold every
    // match once
    for (q, sort, desc) in [
        ("r-00", SortColumn::Country, true),
        ("r-0", SortColumn::Start, true),
        ("müller", SortColumn::Due, true),
        ("r-0", SortColumn::Reference, false),
    ] {
        let mut found = Vec::new();
        for search in [Some(SearchWay::Scan), Some(SearchWay::Trigrams), None] {
            let (pages, totals) = pages_of(&t, q, sort, desc, None, search).await;
            assert!(totals.iter().all(|&total| total == (3, true)), "{q} {search:?}: more than 3");
            found.push(pages);
        }
        let expected = list::count_by_reading(&t.db, &params(&[("q", q)]).filter, today()).await.unwrap();
        assert_eq!(found[0].len(), (expected as usize).div_ceil(PAGE_SIZE as usize), "{q}: pages");
        let found: Vec<Vec<i64>> = found.into_iter().map(|pages| pages.concat()).collect();
        assert_eq!(found[0].len() as i64, expected, "{q}: every match once");
        assert!(found.iter().all(|ids| *ids == found[0]), "{q}: {found:?}");
    }
}

/// What a process keeps of a search term's rarity only chooses the way: kept wrongly, a
/// search gives the same count and pages; and a term searched with more matches than the
/// count's cap is found out about and kept (on SQLite at once, on PostgreSQL in the
/// background).
#[tokio::test]
async fn a_terms_kept_rarity_chooses_the_way_not_the_answer() {
    use crate::db::list::{page_forced as list_with, PageWay, SearchWay};
    let t = test_db().await;
    seed_many(&t, 70).await;
    let pages = |q: &'static str, cap: i64, search: Option<SearchWay>| {
        let db = t.db.clone();
        async move {
            let base = ListParams { sort: SortColumn::Country, desc: true, ..params(&[("q", q)]) };
            let (mut p, mut ids, mut total) = (base.clone(), Vec::new(), None);
            loop {
                let page = list_with(&db, &p, today(), cap, None, search).await.unwrap();
                total.get_or_insert((page.total, page.total_capped));
                ids.extend(page.rows.iter().map(|r| r.id));
                match page.next {
                    Some(c) => p = base.page_after(&c),
                    None => break,
                }
            }
            (total.unwrap(), ids)
        }
    };

    // "r-0" matches all 70, more than a cap of 3: found out about and kept as rare
    assert_eq!(t.db.terms.get("R-0"), None);
    let expected = pages("r-0", 3, Some(SearchWay::Scan)).await;
    assert_eq!(expected.0, (3, true));
    assert_eq!(expected.1.len(), 70);
    assert_eq!(pages("r-0", 3, None).await, expected);
    let mut kept = None;
    for _ in 0..100 {
        kept = t.db.terms.get("R-0");
        if kept.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(kept, Some(true), "found out about after a capped search");

    for (q, rare) in [("r-0", false), ("r-0", true), ("müller", false), ("müller", true), ("zzz", true)] {
        t.db.terms.put(q, rare);
        for cap in [3, 10_000] {
            let expected = pages(q, cap, Some(SearchWay::Scan)).await;
            assert_eq!(pages(q, cap, None).await, expected, "{q} kept as rare: {rare}, cap {cap}");
        }
    }

    // kept as common (on PostgreSQL: the other filters' matches first, then their texts),
    // in every order, with other filters, counted to a cap above and below the matches
    for q in ["r-0", "müller"] {
        t.db.terms.put(q, false);
        for sort in [SortColumn::Case, SortColumn::Country, SortColumn::Start, SortColumn::Reference] {
            for extra in [
                vec![],
                vec![("country", "LT")],
                vec![("status", "received")],
                vec![("direction", "incoming")],
                vec![("country", "LT"), ("status", "sent")],
            ] {
                let mut pairs = vec![("q", q)];
                pairs.extend(extra.iter().copied());
                let base = ListParams { sort, desc: false, ..params(&pairs) };
                // the page as chosen (on PostgreSQL, from all the matches among the few
                // requests passing the other filters) and walked (counted to the cap)
                for (cap, path) in [(3, None), (10_000, None), (3, Some(PageWay::Walk)), (10_000, Some(PageWay::Walk))] {
                    let chosen = list_with(&t.db, &base, today(), cap, path, None).await.unwrap();
                    let scan = list_with(&t.db, &base, today(), cap, None, Some(SearchWay::Scan)).await.unwrap();
                    let ids = |p: &crate::domain::RequestPage| p.rows.iter().map(|r| r.id).collect::<Vec<_>>();
                    assert_eq!(ids(&chosen), ids(&scan), "{q} {sort:?} {extra:?} cap {cap} {path:?}");
                    assert_eq!(
                        (chosen.total, chosen.total_capped),
                        (scan.total, scan.total_capped),
                        "{q} {sort:?} {extra:?} cap {cap} {path:?}"
                    );
                    let all = list::count_by_reading(&t.db, &base.filter, today()).await.unwrap();
                    assert_eq!(chosen.total, all.min(cap), "{q} {sort:?} {extra:?} cap {cap} {path:?}");
                }
            }
        }
    }
}

/// A common term's pages by start or due date come from the trigram index in that date's
/// order (SQLite): the same pages, forwards and backwards, as walking the dates' index and
/// reading every request's text; also after edits and status changes move requests to
/// other dates, drafts without dates among them. The index stays in step (`check`).
#[tokio::test]
async fn a_common_terms_pages_by_date_are_those_of_reading_every_request() {
    let t = test_db().await;
    seed_many(&t, 60).await;
    // drafts (no dates), and requests on the same days as others (ties go by id)
    for k in 0..6 {
        let mut d = input(&format!("R-D{k}"), "FI", if k % 2 == 0 { "" } else { "2025-03-03" });
        if k % 2 == 0 {
            d.status = "draft".into();
        }
        d.summary = format!("Müller draft {k}");
        creation::create(&t.db, &valid(&d), &clerk()).await.unwrap();
    }
    // texts too long for PostgreSQL's indexes that carry the text (over 2,000 bytes: the
    // term at the end, at the start, and not at all)
    for (k, summary) in [format!("{} Müller", "ж".repeat(1_500)), format!("Müller {}", "ж".repeat(1_500)), "ж".repeat(1_500)]
        .into_iter()
        .enumerate()
    {
        let mut i = input(&format!("R-L{k}"), "LT", &format!("2025-0{}-15", 2 + k));
        i.summary = summary;
        creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    compare_by_date(&t, "as created").await;

    // other start and due dates, a text changed with them, and a draft sent
    let mut conn = t.db.pool.acquire().await.unwrap();
    for (k, start, due) in [(3, "2024-12-31", "2025-01-15"), (14, "2025-05-30", ""), (28, "2025-01-01", "2026-02-02")] {
        let id = requests::id_by_reference(&mut conn, &format!("R-{k:04}")).await.unwrap().unwrap();
        let mut i = input(&format!("R-{k:04}"), ["DE", "LT", "PL"][k % 3], start);
        i.due_on = due.into();
        i.summary = if k == 14 { "Müller moved".into() } else { String::new() };
        requests::update(&t.db, id, requests::get(&t.db, id).await.unwrap().version, &valid(&i), &clerk()).await.unwrap();
    }
    let draft = requests::id_by_reference(&mut conn, "R-D2").await.unwrap().unwrap();
    drop(conn);
    let change = StatusChangeInput { status: "sent".into(), date: "2025-06-01".into(), ..Default::default() }
        .validate(Status::Draft, Direction::Outgoing, None, today())
        .unwrap();
    requests::change_status(&t.db, draft, 1, &change, 30, &clerk()).await.unwrap();
    compare_by_date(&t, "after edits").await;
}

/// A bulk write (an import) leaves its new requests' search entries to its commit, which
/// writes them in the indexes' order (SQLite, migration 0014): after a dry run, an import
/// with dates in no order, and an import of updates, the pages by date are those of
/// reading every request and the index is in step; the triggers are at work again after.
#[tokio::test]
async fn an_imports_requests_are_in_the_search_index_after_it() {
    use crate::db::import::{import, ImportOptions, Row};
    let t = test_db().await;
    seed_many(&t, 30).await;
    let rows = |summary: &str| -> Vec<Row> {
        (0..40)
            .map(|k| {
                let (month, day) = (1 + (k * 7) % 5, 1 + (k * 11) % 28);
                let mut i = input(&format!("R-0B{k:02}"), ["DE", "LT", "FI"][k % 3], &format!("2025-{month:02}-{day:02}"));
                if k % 3 == 0 {
                    i.summary = format!("Müller {summary} {k}");
                }
                (k + 2, Ok(i))
            })
            .collect()
    };
    let run = |rows: Vec<Row>, dry_run: bool, update: bool| {
        let db = &t.db;
        async move { import(db, rows, ImportOptions { dry_run, update }, "bulk.csv", &clerk(), today(), |_| {}).await.unwrap() }
    };
    assert!(!run(rows("imported"), true, false).await.committed);
    compare_by_date(&t, "after a dry run").await;
    assert_eq!(run(rows("imported"), false, false).await.created, 40);
    compare_by_date(&t, "after an import").await;
    assert_eq!(run(rows("replaced"), false, true).await.updated, 40);
    compare_by_date(&t, "after an import of updates").await;
    let page = list::page(&t.db, &params(&[("q", "müller replaced")]), today()).await.unwrap();
    assert_eq!(page.total, 14, "0, 3, ..., 39");

    let mut i = input("R-0C01", "LT", "2025-02-02");
    i.summary = "Müller after".into();
    creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    compare_by_date(&t, "after a creation").await;
    let page = list::page(&t.db, &params(&[("q", "müller after")]), today()).await.unwrap();
    assert_eq!(page.total, 1);
    if t.db.backend == crate::db::backend::Backend::Sqlite {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_index_deferred").fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(left, 0, "nothing deferred after the bulk writes");
        // rebuilt from the requests (`rogatory tally`): the same again
        let mut tx = t.db.begin_write().await.unwrap();
        search::rebuild_search_index(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        compare_by_date(&t, "after a rebuild").await;
    }
}

/// The pages of a term's matches (a count capped at 3), forwards, checked backwards.
async fn pages_of(
    t: &TestDb,
    q: &str,
    sort: SortColumn,
    desc: bool,
    extra: Option<(&str, &str)>,
    search: Option<crate::db::list::SearchWay>,
) -> (Vec<Vec<i64>>, Vec<(i64, bool)>) {
    use crate::db::list::page_forced as list_with;
    let mut pairs = vec![("q", q)];
    pairs.extend(extra);
    let base = ListParams { sort, desc, ..params(&pairs) };
    let (mut p, mut pages, mut totals) = (base.clone(), Vec::new(), Vec::new());
    loop {
        let page = list_with(&t.db, &p, today(), 3, None, search).await.unwrap();
        pages.push(page.rows.iter().map(|r| r.id).collect::<Vec<_>>());
        totals.push((page.total, page.total_capped));
        match page.next {
            Some(c) => p = base.page_after(&c),
            None => {
                let mut back = page.prev.clone();
                for expected in pages.iter().rev().skip(1) {
                    let before = list_with(&t.db, &base.page_before(&back.expect("a page before")), today(), 3, None, search)
                        .await
                        .unwrap();
                    assert_eq!(
                        &before.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
                        expected,
                        "{q} {sort:?} {search:?}: backwards"
                    );
                    back = before.prev;
                }
                assert_eq!(back, None, "{q} {sort:?} {search:?}: nothing before the first page");
                return (pages, totals);
            }
        }
    }
}

/// Terms kept as common, by start and due date: the pages as chosen are those of reading
/// every request, and hold every match once.
async fn compare_by_date(t: &TestDb, round: &str) {
    use crate::db::list::SearchWay;
    for q in ["r-0", "müller", "ller"] {
        // kept as common: the pages walk an order rather than setting every match aside
        t.db.terms.put(q, false);
        for sort in [SortColumn::Start, SortColumn::Due] {
            for desc in [true, false] {
                let statuses = [("status", "draft"), ("status", "open"), ("status", "overdue"), ("status", "in_time")];
                for extra in [None, Some(("country", "LT"))].into_iter().chain(statuses.map(Some)) {
                    let (expected, expected_counts) = pages_of(t, q, sort, desc, extra, Some(SearchWay::Scan)).await;
                    let (chosen, counts) = pages_of(t, q, sort, desc, extra, None).await;
                    assert_eq!(chosen, expected, "{round}: {q} {sort:?} desc={desc} {extra:?}");
                    assert_eq!(counts, expected_counts, "{round}: {q} {sort:?} desc={desc} {extra:?}: the counts");
                    let mut pairs = vec![("q", q)];
                    pairs.extend(extra);
                    let total = list::count_by_reading(&t.db, &params(&pairs).filter, today()).await.unwrap();
                    assert_eq!(expected.concat().len() as i64, total, "{round}: {q} {extra:?}: every match once");
                }
            }
        }
    }
    if t.db.backend == crate::db::backend::Backend::Sqlite {
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert_eq!(search::search_index_problem(&mut conn).await, None, "{round}: the index is in step");
    }
}
