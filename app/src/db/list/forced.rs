//! Ways a test forces on the planner, to compare every way's pages.

/// A way forced on the planner (tests compare every way's pages); nothing forced in use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Forced {
    pub page: Option<PageWay>,
    pub search: Option<SearchWay>,
}

/// A forced way to the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) enum PageWay {
    /// walk the sort order's index (where the list is not within or by a case)
    Walk,
    /// the page's ids through the filters' indexes, then sorted
    ThroughFilters,
}

/// A forced way for the text search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) enum SearchWay {
    /// `search_text LIKE` on the rows read for the other filters or in order
    Scan,
    /// as a rare term: every match through the trigram index
    Trigrams,
}
