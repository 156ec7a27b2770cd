//! How a list page is read: chosen from the page's parameters and the facts gathered for
//! it (`Facts`), by pure functions a test can call with any sizes. First the count
//! (`choose_count`), then, knowing it, the page (`choose_page`). Every plan gives the same
//! rows and count (tests force each one and compare); they differ in what they read.

use super::facts::Facts;
use super::forced::{Forced, PageWay, SearchWay};
use crate::db::backend::Backend;
use crate::db::conditions::Through;
use crate::db::schema;
use crate::db::search::{search_index_in_order, trigram_query, RARE_TERM};
use crate::domain::filter::{ListParams, SortColumn, StatusFilter, PAGE_SIZE};

/// PostgreSQL: the other filters of a common term's search matching at most this many
/// requests, all the term's matches among them are set aside, and the page comes from
/// them: reading that many texts costs about as much as a walk to a page in the worst
/// orders.
pub(crate) const FEW_CANDIDATES: i64 = 5_000;

/// `FEW_CANDIDATES` with a country filter, whose requests' texts are read from an index
/// carrying them (migration 0014), many more at the same cost.
pub(crate) const FEW_CANDIDATES_IN_A_COUNTRY: i64 = 100_000;

/// How many rows of the walk `PagePlan::WalkIfAhead` looks at before choosing.
pub(crate) const LOOK_AHEAD: i64 = 2_000;

/// An index a query is told to read through (SQLite's `INDEXED BY`; nothing on
/// PostgreSQL, whose planner knows the values' frequencies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    /// the planner's choice
    None,
    IndexedBy(&'static str),
    /// SQLite: no index, the table read in order
    NotIndexed,
}

/// How the count is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CountPlan {
    /// The running totals tell it exactly (no text search, no case, whole months).
    FromTotals(i64),
    /// The matches are read and set aside, up to `limit` and one more: their number is
    /// the count (capped at `cap`), and when all were set aside and `keep_page`, the page
    /// comes from them. Counting and then finding the page read the same rows twice.
    SetAside(SetAside),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SetAside {
    /// how many matches are set aside at most (one more tells that there are more)
    pub limit: i64,
    /// the count shown stops here ("10,000+")
    pub cap: i64,
    /// whether the page comes from the matches set aside when all were (unless a way is
    /// forced)
    pub keep_page: bool,
    /// the matches are set aside in the page's order from its start (a first page): the
    /// page comes from them even when there were more
    pub page_first: bool,
    pub way: SetAsideWay,
    /// PostgreSQL: the planner given bitmap scans only (a rare term, through pg_trgm)
    pub bitmap_only: bool,
}

/// Which matches are set aside, and how they are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SetAsideWay {
    /// Every filter at once, through `hint`. `fts`: a rare term's ids from SQLite's trigram
    /// index. `in_id_order`: PostgreSQL reads them in the table's order (for a term not
    /// known to be rare, the planner otherwise took a date index and read in its order).
    AllFilters { hint: Hint, fts: bool, in_id_order: bool },
    /// PostgreSQL, a term known to be common, in one country: from the index by country
    /// that carries the texts (and beside it that of the longer texts); every candidate
    /// when the other filters match few, else in the order of the ids up to the limit.
    CountryTexts { every_candidate: bool },
    /// PostgreSQL, a term known to be common: the requests passing the other filters in
    /// the order of the ids, from a filter's index alone, and only their rows read for the
    /// text, one by one, until the limit's matches are found. Given every filter at once
    /// the planner walked the table by id, reading each row.
    OthersThenText,
    /// PostgreSQL, a term known to be common, open requests (open, overdue, in time) by
    /// start or due date, no country: the first matches in the page's order, from the open
    /// requests' indexes by that date that carry the texts (migration 0019; and beside
    /// them the index of the longer texts). One walk answers the count and, for a first
    /// page, the page: a date's newest open requests may hold no match at all ("2025"
    /// in December 2026), and counting in the order of the ids and then walking the date
    /// passed them twice.
    OpenTextsByDate,
}

/// What counting found: the count shown, whether it stopped at the cap, and the page's
/// candidates when every match was set aside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Counted {
    pub total: i64,
    pub capped: bool,
    pub set_aside: Option<Vec<i64>>,
}

/// How the page's rows are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PagePlan {
    /// Nothing matches: nothing to read.
    Empty,
    /// Every match was set aside while counting: the page is sorted out of them.
    SetAside(Vec<i64>),
    /// SQLite, a common term by start or due date: the next entries of the trigram index
    /// kept in that date's order, each request checked against the other filters. Walking
    /// the date's index instead passes every request not holding the term.
    SearchIndexInOrder { index: &'static str, query: String },
    /// PostgreSQL, a common term by start or due date: the indexes by that date that carry
    /// the texts are walked (the index alone, not each request's row).
    TextsInDateIndexes,
    /// Walk an index in the sort order and stop after one page: the sort order's own
    /// (the other filters written so that no index serves them), the open requests' alone
    /// or one country's by date (`through`, `index`). Best where matches are common along
    /// the walk.
    Walk { through: Through, index: Option<&'static str> },
    /// SQLite: look at the next `LOOK_AHEAD` rows of the sort order's walk (a
    /// millisecond); a page's worth of matches there, and the page walks, else it comes
    /// through the filters. Statuses go with age: the newest requests are rarely overdue.
    WalkIfAhead { hint: Hint, fts: bool },
    /// Within a case, or sorted by case: the filters as they are, in the order (the
    /// case's index serves both).
    InCaseOrder { fts: bool },
    /// The page's ids first, from the filters' indexes alone where they cover the filters
    /// and the order, then those rows: reading every match's row only to sort them cost
    /// ten times more. PostgreSQL's planner, knowing how common each value is, chooses
    /// between the walk and the filters' indexes itself from this shape.
    ThroughFilters { hint: Hint, fts: bool },
}

/// The filter's status is open, overdue or in time (the open requests' indexes serve it).
fn open_only(p: &ListParams) -> bool {
    matches!(p.filter.status, Some(StatusFilter::Open | StatusFilter::Overdue | StatusFilter::InTime))
}

/// Whether the term goes through the trigram index as a rare one.
fn rare(f: &Facts, forced: Forced) -> bool {
    match forced.search {
        Some(SearchWay::Scan) => false,
        Some(SearchWay::Trigrams) => true,
        None => f.rare_term,
    }
}

/// SQLite reads a rare term's matches through its trigram table, named in the query;
/// PostgreSQL through pg_trgm's index, chosen by its planner given bitmap scans only.
fn fts(f: &Facts, forced: Forced) -> bool {
    rare(f, forced) && f.backend == Backend::Sqlite
}

/// SQLite, a common term whose other filters match a third of the requests or more (or
/// cannot be counted): the table read in order, one pass rather than hundreds of
/// thousands of lookups through an index.
fn broad_search(p: &ListParams, f: &Facts, forced: Forced) -> bool {
    p.filter.q.is_some()
        && !rare(f, forced)
        && f.backend == Backend::Sqlite
        && f.others_matching.is_none_or(|n| n * 3 >= f.requests)
}

/// The index the count and the page's ids read through, unless a narrower choice is
/// made: none for a rare term (its trigram index) or a case (its index); the open
/// requests by due date, which holds every filter's column; the table in order for a
/// broad search.
fn filters_hint(p: &ListParams, f: &Facts, forced: Forced) -> Hint {
    if rare(f, forced) || p.filter.case_id.is_some() {
        Hint::None
    } else if open_only(p) {
        Hint::IndexedBy(schema::OPEN_DUE_ON)
    } else if broad_search(p, f, forced) {
        Hint::NotIndexed
    } else {
        Hint::None
    }
}

/// A common term with a status filter: its matches through the statuses' index in the
/// order of the ids, so that the requests' rows are read in the table's order (through an
/// index by date, SQLite read them in an order of dates, each from another page). With a
/// country holding fewer requests than the status, through the country's index.
fn set_aside_hint(p: &ListParams, f: &Facts, forced: Forced) -> Hint {
    let narrow = p.filter.status.is_some()
        && p.filter.q.is_some()
        && !rare(f, forced)
        && !broad_search(p, f, forced)
        && p.filter.case_id.is_none();
    if !narrow {
        return filters_hint(p, f, forced);
    }
    let in_country =
        p.filter.country.is_some() && f.backend == Backend::Sqlite && matches!(f.country_and_status, Some((c, s)) if c < s);
    Hint::IndexedBy(if in_country { schema::BY_COUNTRY } else { schema::BY_STATUS })
}

/// How the count is found: from the running totals when they tell; else by setting the
/// matches aside up to `cap` (or, for a rare term, all of them: at most `RARE_TERM`; for a
/// term known to be common on PostgreSQL whose other filters match few, all of those).
pub(crate) fn choose_count(p: &ListParams, f: &Facts, cap: i64, forced: Forced) -> CountPlan {
    if let Some(n) = f.matching {
        return CountPlan::FromTotals(n);
    }
    let rare = rare(f, forced);
    let common_on_postgres = p.filter.q.is_some()
        && f.backend == Backend::Postgres
        && !rare
        && forced.search != Some(SearchWay::Scan)
        && f.known_common_term;
    let in_country = common_on_postgres && p.filter.country.is_some();
    let open_by_date = common_on_postgres
        && !in_country
        && open_only(p)
        && matches!(p.sort, SortColumn::Start | SortColumn::Due)
        && p.filter.case_id.is_none()
        && forced.page.is_none();
    let few = if in_country { FEW_CANDIDATES_IN_A_COUNTRY } else { FEW_CANDIDATES };
    // (the open requests by a date: up to the cap, in the page's order, which answers the
    // first page whatever the count)
    let few_candidates = (common_on_postgres && !open_by_date && forced.page.is_none())
        .then_some(f.others_matching)
        .flatten()
        .filter(|n| *n <= few);
    let limit = if rare {
        cap.max(RARE_TERM)
    } else if open_by_date {
        // a first page's worth at least, and one more
        cap.max(PAGE_SIZE as i64)
    } else {
        cap.max(few_candidates.unwrap_or(0))
    };
    let way = if in_country {
        SetAsideWay::CountryTexts { every_candidate: few_candidates.is_some() }
    } else if open_by_date {
        SetAsideWay::OpenTextsByDate
    } else if common_on_postgres {
        SetAsideWay::OthersThenText
    } else {
        SetAsideWay::AllFilters {
            hint: set_aside_hint(p, f, forced),
            fts: fts(f, forced),
            in_id_order: f.backend == Backend::Postgres && !rare,
        }
    };
    CountPlan::SetAside(SetAside {
        limit,
        cap,
        keep_page: forced.page.is_none(),
        page_first: open_by_date && p.after.is_none() && p.before.is_none(),
        way,
        bitmap_only: rare && f.backend == Backend::Postgres,
    })
}

/// The open requests' own index in the sort order, if there is one.
fn open_index(p: &ListParams, walkable: bool) -> Option<&'static str> {
    match p.sort {
        SortColumn::Start if open_only(p) && walkable => Some(schema::OPEN_BY_START),
        SortColumn::Due if open_only(p) && walkable => Some(schema::OPEN_BY_DUE),
        SortColumn::Country if open_only(p) && walkable => Some(schema::OPEN_BY_COUNTRY),
        _ => None,
    }
}

/// SQLite, a country by start or due date: the index by country and that date (carrying
/// every filter's column), unless the status's index holds fewer requests (told by the
/// running totals).
fn country_index(p: &ListParams, f: &Facts) -> Option<&'static str> {
    let index = match (&p.filter.country, p.sort) {
        (Some(_), SortColumn::Start) => schema::BY_COUNTRY_START,
        (Some(_), SortColumn::Due) => schema::BY_COUNTRY_DUE,
        _ => return None,
    };
    match f.country_and_status {
        Some((c, s)) if s < c => None,
        _ => Some(index),
    }
}

/// How the page's rows are found, knowing the count.
pub(crate) fn choose_page(p: &ListParams, f: &Facts, counted: &Counted, forced: Forced) -> PagePlan {
    if counted.total == 0 {
        return PagePlan::Empty;
    }
    if let Some(ids) = &counted.set_aside {
        return PagePlan::SetAside(ids.clone());
    }
    // no index is in the order of a case's number or an assignee's name
    let walkable = !matches!(p.sort, SortColumn::Case | SortColumn::Assignee) && p.filter.case_id.is_none();
    let choosing = forced.page.is_none();
    let (hint, fts) = (filters_hint(p, f, forced), fts(f, forced));
    let common_term_by_date = p.filter.q.is_some()
        && walkable
        && choosing
        && forced.search != Some(SearchWay::Scan)
        && matches!(p.sort, SortColumn::Start | SortColumn::Due);
    if common_term_by_date {
        let q = p.filter.q.as_deref().unwrap_or_default();
        match f.backend {
            Backend::Sqlite => {
                if let Some((index, query)) = search_index_in_order(p.sort).zip(trigram_query(q)) {
                    return PagePlan::SearchIndexInOrder { index, query };
                }
            }
            Backend::Postgres if !rare(f, forced) => return PagePlan::TextsInDateIndexes,
            Backend::Postgres => {}
        }
    }
    let open_index = open_index(p, walkable);
    let country_index = (f.backend == Backend::Sqlite && walkable && choosing).then(|| country_index(p, f)).flatten();
    let walk = if !walkable || !choosing {
        walkable && forced.page == Some(PageWay::Walk)
    } else if f.backend == Backend::Postgres {
        false
    } else if country_index.is_some() || open_index.is_some() {
        true
    } else {
        let one_status_by_date =
            matches!(p.filter.status, Some(StatusFilter::Is(_))) && matches!(p.sort, SortColumn::Start | SortColumn::Due);
        let common = counted.capped || counted.total * 5 >= f.requests || one_status_by_date;
        if !common {
            return PagePlan::WalkIfAhead { hint, fts };
        }
        true
    };
    match (walk, country_index, open_index) {
        (true, Some(index), _) => PagePlan::Walk { through: Through::Country, index: Some(index) },
        (true, None, Some(index)) => PagePlan::Walk { through: Through::OpenRequests, index: Some(index) },
        (true, None, None) => PagePlan::Walk { through: Through::SortOrder, index: None },
        (false, ..) if !walkable => PagePlan::InCaseOrder { fts },
        (false, ..) => PagePlan::ThroughFilters { hint, fts },
    }
}

/// `WalkIfAhead`'s choice, knowing how many matches the look ahead found.
pub(crate) fn after_looking_ahead(found: i64, hint: Hint, fts: bool) -> PagePlan {
    if found > PAGE_SIZE as i64 {
        PagePlan::Walk { through: Through::SortOrder, index: None }
    } else {
        PagePlan::ThroughFilters { hint, fts }
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
