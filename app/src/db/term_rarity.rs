//! Whether each recently searched term is rare among the requests, as this process last
//! found out, so that a search chooses its way through the requests without counting the
//! term again on every call (a person paging through a search, or many people searching
//! for this year's references, ask with the same term again and again).
//!
//! What is kept only chooses the way: every way gives the same matches, the same count and
//! the same pages (tested). A term's rarity changes slowly, as requests are written, so
//! an answer is kept for [`KEPT_FOR`] and then found out again; at worst a term that
//! became common or rare in between is searched the slower way until then.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an answer is kept.
pub(crate) const KEPT_FOR: Duration = Duration::from_secs(300);

/// How many terms are kept at most; past that, the oldest answers go first.
const CAP_TERMS: usize = 2_000;

#[derive(Debug, Default)]
pub struct TermRarity {
    terms: Mutex<HashMap<String, (bool, Instant)>>,
    /// terms being found out about now (PostgreSQL counts them in the background)
    pending: Mutex<HashSet<String>>,
}

impl TermRarity {
    /// Whether `term` (as the user typed it: compared lowercased) was found rare, if that
    /// was found out less than [`KEPT_FOR`] ago.
    pub(crate) fn get(&self, term: &str) -> Option<bool> {
        let terms = self.terms.lock().unwrap_or_else(|e| e.into_inner());
        terms.get(&term.to_lowercase()).filter(|(_, at)| at.elapsed() < KEPT_FOR).map(|(rare, _)| *rare)
    }

    /// Keeps what was found out about `term`.
    pub(crate) fn put(&self, term: &str, rare: bool) {
        let mut terms = self.terms.lock().unwrap_or_else(|e| e.into_inner());
        if terms.len() >= CAP_TERMS {
            terms.retain(|_, (_, at)| at.elapsed() < KEPT_FOR);
            if terms.len() >= CAP_TERMS {
                // still full of fresh answers: drop the older half
                let mut ages: Vec<Instant> = terms.values().map(|(_, at)| *at).collect();
                ages.sort_unstable();
                let cut = ages[ages.len() / 2];
                terms.retain(|_, (_, at)| *at > cut);
            }
        }
        terms.insert(term.to_lowercase(), (rare, Instant::now()));
    }

    /// Whether the caller is the one to find out about `term` now: false while another
    /// is at it (100 clients searching for the same new term start one count, not 100).
    pub(crate) fn start_finding_out(&self, term: &str) -> bool {
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).insert(term.to_lowercase())
    }

    pub(crate) fn end_finding_out(&self, term: &str) {
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&term.to_lowercase());
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.terms.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_kept_whatever_its_letter_case() {
        let kept = TermRarity::default();
        assert_eq!(kept.get("FI-"), None);
        kept.put("FI-", true);
        assert_eq!(kept.get("fi-"), Some(true));
        kept.put("Müller", false);
        assert_eq!(kept.get("MÜLLER"), Some(false));
    }

    #[test]
    fn a_term_is_found_out_about_once_at_a_time() {
        let kept = TermRarity::default();
        assert!(kept.start_finding_out("FI-"));
        assert!(!kept.start_finding_out("fi-"));
        kept.end_finding_out("FI-");
        assert!(kept.start_finding_out("fi-"));
    }

    #[test]
    fn an_old_answer_is_not_used() {
        let kept = TermRarity::default();
        kept.terms.lock().unwrap().insert("2025".into(), (false, Instant::now() - KEPT_FOR - Duration::from_secs(1)));
        assert_eq!(kept.get("2025"), None);
    }

    #[test]
    fn the_number_of_terms_is_bounded() {
        let kept = TermRarity::default();
        for n in 0..CAP_TERMS * 3 {
            kept.put(&format!("term {n}"), n % 2 == 0);
        }
        assert!(kept.len() <= CAP_TERMS, "{} terms kept", kept.len());
        // the newest answer is always there
        assert_eq!(kept.get(&format!("term {}", CAP_TERMS * 3 - 1)), Some(false));
    }
}
