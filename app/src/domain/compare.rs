//! Comparing two periods (domain.md, "Comparing periods"): the change in a rate between
//! them and whether it is larger than chance, by the two-proportion z-test.

use serde::{Deserialize, Serialize};

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
    let (z, p) = if se == 0.0 { (0.0, 1.0) } else { let z = (p2 - p1) / se; (z, erfc(z.abs() / std::f64::consts::SQRT_2)) };
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
                    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
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

    #[test]
    fn erfc_matches_known_values() {
        for (x, want) in [(0.0, 1.0), (0.5, 0.4795001222), (1.0, 0.1572992071), (2.0, 0.0046777350), (-1.0, 1.8427007929)] {
            assert!((erfc(x) - want).abs() < 2e-7, "erfc({x}) = {} not {want}", erfc(x));
        }
    }
}
