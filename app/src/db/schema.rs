//! Names of the schema that queries rely on by name: the indexes a query names (SQLite's
//! `INDEXED BY`, whose planner cannot know how few rows an index holds for a bound
//! value). A test checks that each is created, and not dropped, by the migrations of both
//! backends, so that a renamed index fails the tests rather than a query at run time.

/// Open requests by due date (migration 0004).
pub(crate) const OPEN_DUE_ON: &str = "requests_open_due_on";
/// Requests by country, carrying the filters' columns (0009).
pub(crate) const BY_COUNTRY: &str = "requests_by_country";
/// Requests by status, carrying the filters' columns (0009).
pub(crate) const BY_STATUS: &str = "requests_by_status";
/// Open requests alone, in the order of the start date, the due date, the country (0010).
pub(crate) const OPEN_BY_START: &str = "requests_open_by_start";
pub(crate) const OPEN_BY_DUE: &str = "requests_open_by_due";
pub(crate) const OPEN_BY_COUNTRY: &str = "requests_open_by_country";
/// One country's requests in the order of the start date, the due date (0015).
pub(crate) const BY_COUNTRY_START: &str = "requests_by_country_start";
pub(crate) const BY_COUNTRY_DUE: &str = "requests_by_country_due";

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The indexes the migrations of `backend` leave, in the order they run.
    fn live_indexes(backend: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(backend);
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut live = BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let words: Vec<&str> = text.split_whitespace().collect();
            for (i, w) in words.iter().enumerate() {
                let next = |n: usize| words.get(i + n).map(|s| s.trim_end_matches(';').to_string());
                match (*w, words.get(i + 1).copied()) {
                    ("CREATE", Some("INDEX")) => live.insert(next(2).unwrap()),
                    ("CREATE", Some("UNIQUE")) => live.insert(next(3).unwrap()),
                    ("DROP", Some("INDEX")) => {
                        let name = if words.get(i + 2) == Some(&"IF") { next(4) } else { next(2) };
                        live.remove(&name.unwrap())
                    }
                    _ => false,
                };
            }
        }
        live
    }

    #[test]
    fn every_index_a_query_names_exists_on_both_backends() {
        let named = [
            super::OPEN_DUE_ON,
            super::BY_COUNTRY,
            super::BY_STATUS,
            super::OPEN_BY_START,
            super::OPEN_BY_DUE,
            super::OPEN_BY_COUNTRY,
            super::BY_COUNTRY_START,
            super::BY_COUNTRY_DUE,
        ];
        for backend in ["sqlite", "postgres"] {
            let live = live_indexes(backend);
            assert!(live.contains("requests_by_reference_key"), "{backend}: the migrations are read");
            for index in named {
                assert!(live.contains(index), "{backend}: no index {index}");
            }
        }
    }
}
