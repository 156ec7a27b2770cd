//! Comparing two periods (domain.md, "Comparing periods"): the change in a rate between
//! them and whether it is larger than chance, by the two-proportion z-test.

use super::dashboard::{DashboardParams, Period};
use super::figures::{CountryRow, Counts};
use super::Direction;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The months of each period when none are chosen: the last 18 against the 18 before.
pub const DEFAULT_MONTHS: u32 = 18;

/// Two periods of one direction, as the comparison's URL gives them
/// (`direction`, `a_from`, `a_to`, `b_from`, `b_to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparePeriods {
    pub direction: Direction,
    pub a: (NaiveDate, NaiveDate),
    pub b: (NaiveDate, NaiveDate),
}

impl ComparePeriods {
    pub const KEYS: &'static [&'static str] = &["direction", "a_from", "a_to", "b_from", "b_to"];

    /// The periods of the URL; a missing or unreadable date takes its default (the last
    /// `DEFAULT_MONTHS` months to `today` against the as many before them), and a period
    /// given backwards is turned round.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, today: NaiveDate) -> ComparePeriods {
        let map: std::collections::HashMap<&str, &str> = pairs.into_iter().map(|(k, v)| (k, v.trim())).collect();
        let date = |k: &str| map.get(k).and_then(|v| v.parse::<NaiveDate>().ok());
        let b_from_default = today.checked_sub_months(Months::new(DEFAULT_MONTHS)).and_then(|d| d.succ_opt()).unwrap_or(today);
        let a_to_default = b_from_default.pred_opt().unwrap_or(b_from_default);
        let a_from_default = b_from_default.checked_sub_months(Months::new(DEFAULT_MONTHS)).unwrap_or(a_to_default);
        let ordered = |x: NaiveDate, y: NaiveDate| if x <= y { (x, y) } else { (y, x) };
        ComparePeriods {
            direction: map.get("direction").and_then(|d| Direction::from_code(d)).unwrap_or(Direction::Outgoing),
            a: ordered(date("a_from").unwrap_or(a_from_default), date("a_to").unwrap_or(a_to_default)),
            b: ordered(date("b_from").unwrap_or(b_from_default), date("b_to").unwrap_or(today)),
        }
    }

    /// The dashboard's parameters of one period.
    pub fn params(&self, (from, to): (NaiveDate, NaiveDate)) -> DashboardParams {
        DashboardParams {
            direction: Some(self.direction),
            period: Period::Custom,
            from: Some(from),
            to: Some(to),
            ..DashboardParams::from_pairs([])
        }
    }

    /// The comparison's URL.
    pub fn href(&self) -> String {
        format!(
            "/compare?direction={}&a_from={}&a_to={}&b_from={}&b_to={}",
            self.direction.code(),
            self.a.0,
            self.a.1,
            self.b.0,
            self.b.1
        )
    }
}

/// One country (or, with `country` None, every country) in both periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub country: Option<String>,
    pub a: Counts,
    pub b: Counts,
}

impl CompareRow {
    /// The fulfilment rate's change (fulfilled in full or in part of the requests less
    /// the withdrawn ones).
    pub fn fulfilment(&self) -> Option<Change> {
        two_proportions(self.a.satisfied(), self.a.base(), self.b.satisfied(), self.b.base())
    }

    /// The response rate's change (answered of the requests less the withdrawn ones).
    pub fn response(&self) -> Option<Change> {
        two_proportions(self.a.answered(), self.a.base(), self.b.answered(), self.b.base())
    }
}

/// Every country with requests in either period, by their requests in both (most first),
/// after the row of all countries.
pub fn rows(all_a: Counts, all_b: Counts, a: &[CountryRow], b: &[CountryRow]) -> Vec<CompareRow> {
    let mut by_country: std::collections::BTreeMap<&str, (Counts, Counts)> = std::collections::BTreeMap::new();
    for r in a {
        by_country.entry(&r.country).or_default().0 = r.counts;
    }
    for r in b {
        by_country.entry(&r.country).or_default().1 = r.counts;
    }
    let mut countries: Vec<CompareRow> =
        by_country.into_iter().map(|(c, (a, b))| CompareRow { country: Some(c.to_string()), a, b }).collect();
    countries.sort_by(|x, y| (y.a.total + y.b.total).cmp(&(x.a.total + x.b.total)).then(x.country.cmp(&y.country)));
    let mut out = vec![CompareRow { country: None, a: all_a, b: all_b }];
    out.extend(countries);
    out
}

/// Below this p-value a change is called larger than chance.
pub const SIGNIFICANCE: f64 = 0.05;

/// A rate's change from period A to period B and the test of it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub before: f64,
    pub after: f64,
    /// after − before, in percentage points
    pub points: f64,
    pub z: f64,
    /// two-sided
    pub p: f64,
}

impl Change {
    pub fn larger_than_chance(&self) -> bool {
        self.p < SIGNIFICANCE
    }
}

/// `x1` of `n1` in period A against `x2` of `n2` in period B (pooled two-proportion
/// z-test, two-sided); None when a period has no requests.
pub fn two_proportions(x1: i64, n1: i64, x2: i64, n2: i64) -> Option<Change> {
    if n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2 {
        return None;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    let (z, p) = if se == 0.0 {
        (0.0, 1.0)
    } else {
        let z = (p2 - p1) / se;
        (z, erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
    };
    Some(Change { before: p1, after: p2, points: (p2 - p1) * 100.0, z, p })
}

/// The complementary error function (W. J. Cody's rational approximations as given in
/// Numerical Recipes' `erfcc`, fractional error under 1.2e-7).
fn erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.26551223
        + t * (1.00002368
            + t * (0.37409196
                + t * (0.09678418
                    + t * (-0.18628806
                        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// domain.md's example: 33 of 239 before, 60 of 240 after.
    #[test]
    fn a_change_from_33_of_239_to_60_of_240_is_larger_than_chance() {
        let c = two_proportions(33, 239, 60, 240).unwrap();
        assert!((c.points - 11.19).abs() < 0.01, "{c:?}");
        assert!((c.z - 3.0964).abs() < 1e-3, "{c:?}");
        assert!((c.p - 0.00196).abs() < 1e-5, "{c:?}");
        assert!(c.larger_than_chance());
    }

    #[test]
    fn a_small_change_on_few_requests_could_be_chance() {
        let c = two_proportions(10, 40, 14, 40).unwrap();
        assert!((c.p - 0.3291).abs() < 1e-3, "{c:?}");
        assert!(!c.larger_than_chance());
        let same = two_proportions(5, 10, 5, 10).unwrap();
        assert_eq!((same.z, same.p), (0.0, 1.0));
        let all = two_proportions(10, 10, 4, 4).unwrap();
        assert_eq!(all.p, 1.0, "no variation: nothing to test");
        assert_eq!(two_proportions(1, 0, 1, 5), None);
        assert_eq!(two_proportions(6, 5, 1, 5), None);
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_periods_are_the_last_18_months_and_the_18_before() {
        let p = ComparePeriods::from_pairs([], day("2026-12-04"));
        assert_eq!(p.direction, Direction::Outgoing);
        assert_eq!(p.b, (day("2025-06-05"), day("2026-12-04")));
        assert_eq!(p.a, (day("2023-12-05"), day("2025-06-04")));
        let q = ComparePeriods::from_pairs(
            [("direction", "incoming"), ("a_from", "2024-12-31"), ("a_to", "2024-01-01"), ("b_from", "nonsense")],
            day("2026-12-04"),
        );
        assert_eq!((q.direction, q.a), (Direction::Incoming, (day("2024-01-01"), day("2024-12-31"))));
        assert_eq!(q.b.0, day("2025-06-05"));
        assert_eq!(
            ComparePeriods::from_pairs(
                q.href().split_once('?').unwrap().1.split('&').filter_map(|kv| kv.split_once('=')),
                day("2026-12-04")
            ),
            q
        );
        let params = q.params(q.a);
        assert_eq!((params.period, params.from, params.to), (Period::Custom, Some(day("2024-01-01")), Some(day("2024-12-31"))));
    }

    #[test]
    fn rows_join_the_countries_of_both_periods_busiest_first() {
        let c = |total, fulfilled| Counts { total, fulfilled, ..Counts::default() };
        let a = [CountryRow { country: "DE".into(), counts: c(10, 5) }, CountryRow { country: "LT".into(), counts: c(3, 1) }];
        let b = [CountryRow { country: "LT".into(), counts: c(20, 10) }, CountryRow { country: "PL".into(), counts: c(1, 1) }];
        let rows = rows(c(13, 6), c(21, 11), &a, &b);
        let order: Vec<Option<&str>> = rows.iter().map(|r| r.country.as_deref()).collect();
        assert_eq!(order, [None, Some("LT"), Some("DE"), Some("PL")]);
        assert_eq!((rows[2].a.total, rows[2].b.total), (10, 0));
        assert_eq!(rows[2].fulfilment(), None, "no requests in period B");
        let lt = rows[1].fulfilment().unwrap();
        assert!((lt.before - 1.0 / 3.0).abs() < 1e-9 && (lt.after - 0.5).abs() < 1e-9);
    }

    #[test]
    fn erfc_matches_known_values() {
        for (x, want) in [(0.0, 1.0), (0.5, 0.4795001222), (1.0, 0.1572992071), (2.0, 0.0046777350), (-1.0, 1.8427007929)] {
            assert!((erfc(x) - want).abs() < 2e-7, "erfc({x}) = {} not {want}", erfc(x));
        }
    }
}
