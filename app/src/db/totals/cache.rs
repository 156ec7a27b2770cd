//! The running totals as this process last read them, month by month, so that a
//! dashboard reads from the database only the months whose totals changed since.
//!
//! Every change to the totals of the requests starting in a month raises that month's
//! version in `tally_versions` in the same transaction (`tally::bump_versions`). A view
//! first reads the versions of its months (one small query), takes the months it holds at
//! those versions from here, and reads the others. The rows it reads are at least as new as
//! the versions it read first (they are read after them), so what is kept under a version
//! is never older than that version: a process never shows totals older than the
//! database's at the moment it asked. Several servers on one database each keep their own
//! and see each other's writes through the versions.
//!
//! Kept compactly (countries and grounds as indexes into a small table per month) and
//! bounded: beyond [`CAP_ROWS`] rows, the least recently used months are dropped.

use crate::domain::{Direction, Status};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many rows the cache holds at most (about 24 bytes each).
const CAP_ROWS: usize = 600_000;

/// A start month's counts (`tally`) and refusals by ground (`tally_grounds`) under one
/// dimension value.
#[derive(Debug, Default)]
pub(crate) struct MonthTotals {
    /// the countries named by the rows' `country` indexes
    pub countries: Vec<String>,
    /// the grounds named by the refusal rows' `ground` indexes
    pub grounds: Vec<String>,
    pub cells: Vec<CellRow>,
    pub refusals: Vec<RefusalRow>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct CellRow {
    pub direction: Direction,
    pub country: u16,
    pub status: Status,
    /// the month an open request falls due, as a month number (`month_number`); 0 if none
    pub due: u32,
    pub n: i64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RefusalRow {
    pub direction: Direction,
    pub country: u16,
    pub ground: u16,
    pub n: i64,
}

/// A start month's answered requests (`tally_days`) under one dimension value, in one
/// country or every country together (country ''): by days to answer, and by month
/// answered.
#[derive(Debug, Default)]
pub(crate) struct MonthDays {
    pub days: Vec<(Direction, i64, i64)>,
    /// (direction, month answered as a month number, count)
    pub answered: Vec<(Direction, u32, i64)>,
    /// corrections to `days` for the days without stopped time (`tally_spans` 'n')
    pub net: Vec<(Direction, i64, i64)>,
    /// days to acknowledge (`tally_spans` 'k')
    pub ack: Vec<(Direction, i64, i64)>,
}

/// "2026-11" as 2026 * 12 + 10 (months compare as their numbers); 0 for anything else.
pub(crate) fn month_number(month: &str) -> u32 {
    let mut parts = month.splitn(2, '-');
    match (parts.next().and_then(|y| y.parse::<u32>().ok()), parts.next().and_then(|m| m.parse::<u32>().ok())) {
        (Some(y), Some(m)) if month.len() == 7 && (1..=12).contains(&m) => y * 12 + (m - 1),
        _ => 0,
    }
}

/// The "2026-11" of a month number.
pub(crate) fn month_text(n: u32) -> String {
    format!("{:04}-{:02}", n / 12, n % 12 + 1)
}

/// An index into a table of names, adding the name if new.
pub(crate) fn index_of(table: &mut Vec<String>, index: &mut HashMap<String, u16>, name: String) -> u16 {
    if let Some(i) = index.get(&name) {
        return *i;
    }
    let i = u16::try_from(table.len()).unwrap_or(u16::MAX);
    table.push(name.clone());
    index.insert(name, i);
    i
}

/// What a view keeps: a start month under a dimension value, by kind of totals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Month {
        dim: &'static str,
        val: String,
        month: String,
    },
    Days {
        dim: &'static str,
        val: String,
        month: String,
        country: String,
    },
    /// the open requests falling due this month (the overdue split), under the filters
    /// other than direction and country, as of a day
    DueNow {
        filter: String,
        today: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Month(Arc<MonthTotals>),
    Days(Arc<MonthDays>),
    DueNow(Arc<Vec<DueRow>>),
}

impl Entry {
    fn rows(&self) -> usize {
        match self {
            Entry::Month(m) => m.cells.len() + m.refusals.len() + 1,
            Entry::Days(d) => d.days.len() + d.answered.len() + d.net.len() + d.ack.len() + 1,
            Entry::DueNow(d) => d.len() + 1,
        }
    }
}

/// Open requests falling due this month before today, by direction, country, start month
/// and status.
#[derive(Debug, Clone)]
pub(crate) struct DueRow {
    pub direction: String,
    pub country: String,
    pub month: String,
    pub status: Status,
    pub n: i64,
}

struct Kept {
    version: i64,
    entry: Entry,
    used: u64,
}

#[derive(Default)]
struct Inner {
    kept: HashMap<Key, Kept>,
    rows: usize,
    clock: u64,
}

/// The totals this process has read (see the module's documentation).
#[derive(Default)]
pub struct TotalsCache {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for TotalsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows = self.inner.lock().map(|i| i.rows).unwrap_or(0);
        write!(f, "TotalsCache {{ rows: {rows} }}")
    }
}

impl TotalsCache {
    /// What is kept under `key` at `version`, if anything.
    pub(crate) fn get(&self, key: &Key, version: i64) -> Option<Entry> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.clock += 1;
        let clock = inner.clock;
        let kept = inner.kept.get_mut(key)?;
        if kept.version != version {
            return None;
        }
        kept.used = clock;
        Some(kept.entry.clone())
    }

    /// Keeps `entry` under `key` at `version` (unless something newer is kept already).
    pub(crate) fn put(&self, key: Key, version: i64, entry: Entry) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.clock += 1;
        let clock = inner.clock;
        let rows = entry.rows();
        if let Some(old) = inner.kept.get(&key) {
            if old.version > version {
                return;
            }
            let old_rows = old.entry.rows();
            inner.rows -= old_rows;
        }
        inner.kept.insert(key, Kept { version, entry, used: clock });
        inner.rows += rows;
        if inner.rows > CAP_ROWS {
            // drop the least recently used down to three quarters of the cap
            let mut by_use: Vec<(u64, Key)> = inner.kept.iter().map(|(k, v)| (v.used, k.clone())).collect();
            by_use.sort_by_key(|(used, _)| *used);
            for (_, k) in by_use {
                if inner.rows <= CAP_ROWS * 3 / 4 {
                    break;
                }
                if let Some(old) = inner.kept.remove(&k) {
                    inner.rows -= old.entry.rows();
                }
            }
        }
    }

    /// How many rows are kept (tests).
    #[cfg(any(test, feature = "test-support"))]
    pub fn rows(&self) -> usize {
        self.inner.lock().map(|i| i.rows).unwrap_or(0)
    }

    /// Forgets everything (for the benchmark's cold runs).
    pub fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.kept.clear();
        inner.rows = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_number_in_order_and_back() {
        assert_eq!(month_number("2026-01"), 2026 * 12);
        assert_eq!(month_number("2026-12"), 2026 * 12 + 11);
        assert!(month_number("2025-12") < month_number("2026-01"));
        assert_eq!(month_text(month_number("2026-07")), "2026-07");
        for bad in ["", "2026", "2026-13", "2026-00", "20x6-01", "2026-1"] {
            assert_eq!(month_number(bad), 0, "{bad}");
        }
    }

    #[test]
    fn keeps_the_newest_version_and_forgets_the_least_used_beyond_the_cap() {
        let cache = TotalsCache::default();
        let key = |m: &str| Key::Month { dim: "", val: String::new(), month: m.to_string() };
        let month = |cells: usize| {
            let row = CellRow { direction: Direction::Outgoing, country: 0, status: Status::Sent, due: 0, n: 1 };
            Entry::Month(Arc::new(MonthTotals { cells: vec![row; cells], ..Default::default() }))
        };
        cache.put(key("2026-01"), 2, month(10));
        assert!(cache.get(&key("2026-01"), 2).is_some());
        assert!(cache.get(&key("2026-01"), 3).is_none(), "another version is not what is kept");
        cache.put(key("2026-01"), 1, month(5));
        assert!(cache.get(&key("2026-01"), 2).is_some(), "an older read does not replace a newer one");
        assert_eq!(cache.rows(), 11);

        cache.put(key("2026-02"), 1, month(CAP_ROWS / 2));
        assert!(cache.get(&key("2026-01"), 2).is_some()); // used more recently than 2026-02
        cache.put(key("2026-03"), 1, month(CAP_ROWS / 2));
        assert!(cache.rows() <= CAP_ROWS);
        assert!(cache.get(&key("2026-02"), 1).is_none(), "the least recently used month was dropped");
        assert!(cache.get(&key("2026-01"), 2).is_some());
        assert!(cache.get(&key("2026-03"), 1).is_some());
    }
}
