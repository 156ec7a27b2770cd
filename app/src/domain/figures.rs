//! The ONE implementation of every figure of the domain reference. Every view and
//! export computes its numbers here, from counts the data layer hands over.

use super::status::Status;
use serde::{Deserialize, Serialize};

/// Requests of a set counted by outcome. `total` excludes drafts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: i64,
    pub fulfilled: i64,
    pub partially_fulfilled: i64,
    pub refused: i64,
    pub suspended: i64,
    pub withdrawn: i64,
    /// sent, received or in progress (overdue ones included)
    pub open: i64,
    /// open and past due: "no response"
    pub overdue: i64,
}

impl Counts {
    /// Adds `n` requests of `status` (overdue or not). Drafts are not counted.
    pub fn add(&mut self, status: Status, overdue: bool, n: i64) {
        if status == Status::Draft {
            return;
        }
        self.total += n;
        match status {
            Status::Fulfilled => self.fulfilled += n,
            Status::PartiallyFulfilled => self.partially_fulfilled += n,
            Status::Refused => self.refused += n,
            Status::Suspended => self.suspended += n,
            Status::Withdrawn => self.withdrawn += n,
            Status::Sent | Status::Received | Status::InProgress => {
                self.open += n;
                if overdue {
                    self.overdue += n;
                }
            }
            Status::Draft => {}
        }
    }

    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        self.fulfilled += other.fulfilled;
        self.partially_fulfilled += other.partially_fulfilled;
        self.refused += other.refused;
        self.suspended += other.suspended;
        self.withdrawn += other.withdrawn;
        self.open += other.open;
        self.overdue += other.overdue;
    }

    /// total − withdrawn: the requests a rate is taken over.
    pub fn base(&self) -> i64 {
        self.total - self.withdrawn
    }

    /// fulfilled + partially fulfilled
    pub fn satisfied(&self) -> i64 {
        self.fulfilled + self.partially_fulfilled
    }

    /// fulfilled + partially fulfilled + refused
    pub fn answered(&self) -> i64 {
        self.satisfied() + self.refused
    }

    /// (fulfilled + partially fulfilled) / (total − withdrawn); `None` over no requests.
    pub fn fulfilment_rate(&self) -> Option<f64> {
        rate(self.satisfied(), self.base())
    }

    /// (fulfilled + partially fulfilled + refused) / (total − withdrawn).
    pub fn response_rate(&self) -> Option<f64> {
        rate(self.answered(), self.base())
    }

    /// open and not yet due
    pub fn open_in_time(&self) -> i64 {
        self.open - self.overdue
    }
}

pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A rate as people read it: "13.8 %", or "—" when there is nothing to take it over.
pub fn format_rate(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.1} %", r * 100.0),
        None => "—".to_string(),
    }
}

/// Below this many requests a country's rate is marked as a small sample.
pub const SMALL_SAMPLE: i64 = 10;

/// The lower bound of the 95 % Wilson interval of a rate: ranks 90 of 100 above 1 of 1.
pub fn wilson_lower(part: i64, whole: i64) -> Option<f64> {
    if whole <= 0 {
        return None;
    }
    let n = whole as f64;
    let p = part as f64 / n;
    let z = 1.96_f64;
    let denom = 1.0 + z * z / n;
    let centre = p + z * z / (2.0 * n);
    let margin = z * ((p * (1.0 - p) + z * z / (4.0 * n)) / n).sqrt();
    Some(((centre - margin) / denom).max(0.0))
}

/// Days from start to answer, as a histogram (days, how many requests).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DaysToAnswer {
    pub histogram: Vec<(i64, i64)>,
}

impl DaysToAnswer {
    pub fn count(&self) -> i64 {
        self.histogram.iter().map(|(_, n)| n).sum()
    }

    /// The `q`-quantile (0..=1) by the nearest-rank method on the sorted days; the median
    /// of an even count is the mean of the two middle values.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let mut sorted = self.histogram.clone();
        sorted.sort();
        let at = |rank: i64| -> f64 {
            // rank is 1-based
            let mut seen = 0;
            for (days, count) in &sorted {
                seen += count;
                if seen >= rank {
                    return *days as f64;
                }
            }
            sorted.last().map(|(d, _)| *d as f64).unwrap_or_default()
        };
        if (q - 0.5).abs() < f64::EPSILON {
            if n % 2 == 1 {
                Some(at(n / 2 + 1))
            } else {
                Some((at(n / 2) + at(n / 2 + 1)) / 2.0)
            }
        } else {
            let rank = ((q * n as f64).ceil() as i64).clamp(1, n);
            Some(at(rank))
        }
    }

    pub fn median(&self) -> Option<f64> {
        self.quantile(0.5)
    }

    pub fn p90(&self) -> Option<f64> {
        self.quantile(0.9)
    }

    /// How many answers fall in each of `ANSWER_BANDS`.
    pub fn bands(&self) -> [i64; 5] {
        let mut out = [0; 5];
        for (days, n) in &self.histogram {
            out[answer_band(*days)] += n;
        }
        out
    }
}

/// The time to answer in months, as the statistics questionnaires ask for it, in days:
/// up to 1 month (0–30 days), 1–3 months (31–91), 3–6 (92–182), 6–12 (183–365), over 12
/// months (366 and more) — a month being 30.44 days, rounded down at each limit.
pub const ANSWER_BANDS: [(i64, Option<i64>); 5] = [(0, Some(30)), (31, Some(91)), (92, Some(182)), (183, Some(365)), (366, None)];

/// The band of `ANSWER_BANDS` an answer after `days` falls in.
pub fn answer_band(days: i64) -> usize {
    ANSWER_BANDS.iter().position(|(from, to)| days >= *from && to.is_none_or(|t| days <= t)).unwrap_or(0)
}

/// Days as people read them: "42", "42.5", or "—".
pub fn format_days(d: Option<f64>) -> String {
    match d {
        Some(d) if d.fract() == 0.0 => format!("{d:.0}"),
        Some(d) => format!("{d:.1}"),
        None => "—".to_string(),
    }
}

/// The figures of one set of requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub counts: Counts,
    /// days to answer, in calendar days
    pub days: DaysToAnswer,
    /// days to answer without the days the clock was stopped
    #[serde(default)]
    pub net_days: DaysToAnswer,
    /// days to acknowledge
    #[serde(default)]
    pub ack_days: DaysToAnswer,
}

/// One row of the by-country breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryRow {
    pub country: String,
    pub counts: Counts,
}

impl CountryRow {
    pub fn small_sample(&self) -> bool {
        self.counts.base() < SMALL_SAMPLE
    }
}

/// How the by-country bars are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CountryOrder {
    #[default]
    Volume,
    /// by the lower bound of the fulfilment rate's interval, so small samples do not lead
    Fulfilment,
    Overdue,
}

impl CountryOrder {
    pub fn code(self) -> &'static str {
        match self {
            CountryOrder::Volume => "volume",
            CountryOrder::Fulfilment => "fulfilment",
            CountryOrder::Overdue => "overdue",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "volume" => Some(CountryOrder::Volume),
            "fulfilment" => Some(CountryOrder::Fulfilment),
            "overdue" => Some(CountryOrder::Overdue),
            _ => None,
        }
    }
}

pub fn sort_countries(rows: &mut [CountryRow], order: CountryOrder) {
    match order {
        CountryOrder::Volume => rows.sort_by(|a, b| b.counts.total.cmp(&a.counts.total).then(a.country.cmp(&b.country))),
        CountryOrder::Overdue => {
            rows.sort_by(|a, b| b.counts.overdue.cmp(&a.counts.overdue).then(b.counts.total.cmp(&a.counts.total)))
        }
        CountryOrder::Fulfilment => rows.sort_by(|a, b| {
            let ka = wilson_lower(a.counts.satisfied(), a.counts.base()).unwrap_or(-1.0);
            let kb = wilson_lower(b.counts.satisfied(), b.counts.base()).unwrap_or(-1.0);
            kb.partial_cmp(&ka).unwrap_or(std::cmp::Ordering::Equal).then(b.counts.total.cmp(&a.counts.total))
        }),
    }
}

/// Requests started and answered in one month (YYYY-MM).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    pub month: String,
    pub started: i64,
    pub answered: i64,
}

/// The figures of the requests started in one quarter ("2025-Q1").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterRow {
    pub quarter: String,
    pub counts: Counts,
}

/// The quarter of a month "YYYY-MM": "YYYY-Qn".
pub fn quarter_of(month: &str) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let m: u32 = m.parse().ok()?;
    (1..=12).contains(&m).then(|| format!("{y}-Q{}", (m - 1) / 3 + 1))
}

/// Every month from `first` to `last` ("YYYY-MM"), so a chart has no gaps.
pub fn months_between(first: &str, last: &str) -> Vec<String> {
    let parse = |s: &str| -> Option<(i32, u32)> {
        let (y, m) = s.split_once('-')?;
        Some((y.parse().ok()?, m.parse().ok()?))
    };
    let (Some((mut y, mut m)), Some((ly, lm))) = (parse(first), parse(last)) else { return Vec::new() };
    let mut out = Vec::new();
    while (y, m) <= (ly, lm) && out.len() < 1200 {
        out.push(format!("{y:04}-{m:02}"));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// Refusals by ground.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundRow {
    pub ground: super::codes::RefusalGround,
    pub count: i64,
}

/// Reciprocity with one country: how it answers our requests, and how we answer its.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReciprocityRow {
    pub country: String,
    /// our requests to it
    pub outgoing: Counts,
    /// its requests to us
    pub incoming: Counts,
}

impl ReciprocityRow {
    /// its fulfilment rate of our outgoing requests
    pub fn theirs(&self) -> Option<f64> {
        self.outgoing.fulfilment_rate()
    }

    /// our fulfilment rate of its incoming requests
    pub fn ours(&self) -> Option<f64> {
        self.incoming.fulfilment_rate()
    }
}

/// The best and worst responders among countries with enough requests to judge (the
/// small samples left out): best by the lower bound of the fulfilment rate's interval,
/// worst by the lowest fulfilment rate (then the most overdue). At most `n` each, never
/// the same country in both.
pub fn responders(rows: &[CountryRow], n: usize) -> (Vec<CountryRow>, Vec<CountryRow>) {
    let judged: Vec<&CountryRow> = rows.iter().filter(|r| !r.small_sample()).collect();
    let mut best = judged.clone();
    best.sort_by(|a, b| {
        let (x, y) = (wilson_lower(a.counts.satisfied(), a.counts.base()), wilson_lower(b.counts.satisfied(), b.counts.base()));
        y.partial_cmp(&x).unwrap_or(std::cmp::Ordering::Equal).then(a.country.cmp(&b.country))
    });
    let best: Vec<CountryRow> = best.into_iter().take(n).cloned().collect();
    let mut worst: Vec<&CountryRow> = judged.into_iter().filter(|r| !best.iter().any(|b| b.country == r.country)).collect();
    worst.sort_by(|a, b| {
        let (x, y) = (a.counts.fulfilment_rate().unwrap_or(0.0), b.counts.fulfilment_rate().unwrap_or(0.0));
        x.partial_cmp(&y)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.counts.overdue.cmp(&a.counts.overdue))
            .then(a.country.cmp(&b.country))
    });
    (best, worst.into_iter().take(n).cloned().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(list: &[(Status, bool, i64)]) -> Counts {
        let mut c = Counts::default();
        for (s, o, n) in list {
            c.add(*s, *o, *n);
        }
        c
    }

    /// domain.md's example of the time-to-answer bands: each limit on both sides.
    #[test]
    fn answers_fall_into_month_bands_at_their_limits() {
        let d =
            DaysToAnswer { histogram: vec![(0, 1), (30, 2), (31, 1), (91, 1), (92, 1), (182, 1), (183, 1), (365, 1), (366, 2)] };
        assert_eq!(d.bands(), [3, 2, 2, 2, 2]);
        assert_eq!(d.bands().iter().sum::<i64>(), d.count());
        assert_eq!(DaysToAnswer::default().bands(), [0; 5]);
        assert_eq!((answer_band(4000), answer_band(-1)), (4, 0));
    }

    #[test]
    fn the_reference_example() {
        // "only 33 of our 239 requests were satisfied"
        let c = counts(&[
            (Status::Fulfilled, false, 20),
            (Status::PartiallyFulfilled, false, 13),
            (Status::Refused, false, 60),
            (Status::Suspended, false, 26),
            (Status::Sent, true, 100),
            (Status::InProgress, false, 20),
            (Status::Draft, false, 7),
        ]);
        assert_eq!(c.total, 239, "drafts are not counted");
        assert_eq!(c.satisfied(), 33);
        assert_eq!(format_rate(c.fulfilment_rate()), "13.8 %");
        assert_eq!(format_rate(c.response_rate()), "38.9 %");
        assert_eq!((c.open, c.overdue, c.open_in_time()), (120, 100, 20));
    }

    #[test]
    fn withdrawn_requests_leave_the_base() {
        let c = counts(&[(Status::Fulfilled, false, 1), (Status::Withdrawn, false, 3), (Status::Refused, false, 1)]);
        assert_eq!(c.total, 5);
        assert_eq!(c.base(), 2);
        assert_eq!(c.fulfilment_rate(), Some(0.5));
        assert_eq!(c.response_rate(), Some(1.0));
    }

    #[test]
    fn a_rate_over_zero_requests_is_a_dash() {
        assert_eq!(format_rate(Counts::default().fulfilment_rate()), "—");
        let only_withdrawn = counts(&[(Status::Withdrawn, false, 2)]);
        assert_eq!(format_rate(only_withdrawn.response_rate()), "—");
        assert_eq!(format_rate(Some(0.0)), "0.0 %");
        assert_eq!(format_days(DaysToAnswer::default().median()), "—");
    }

    #[test]
    fn overdue_only_counts_open_requests() {
        let c = counts(&[(Status::Suspended, true, 3), (Status::Sent, true, 2)]);
        assert_eq!(c.overdue, 2);
    }

    #[test]
    fn median_and_p90_of_days() {
        let d = DaysToAnswer { histogram: vec![(10, 1), (20, 1), (30, 1), (40, 1)] };
        assert_eq!(d.median(), Some(25.0));
        assert_eq!(d.p90(), Some(40.0));
        let d = DaysToAnswer { histogram: vec![(5, 9), (100, 1)] };
        assert_eq!(d.median(), Some(5.0));
        assert_eq!(d.p90(), Some(5.0));
        assert_eq!(format_days(Some(25.5)), "25.5");
        let d = DaysToAnswer { histogram: (1..=100).map(|i| (i, 1)).collect() };
        assert_eq!(d.median(), Some(50.5));
        assert_eq!(d.p90(), Some(90.0));
    }

    #[test]
    fn quarters_and_month_ranges() {
        assert_eq!(quarter_of("2025-01").as_deref(), Some("2025-Q1"));
        assert_eq!(quarter_of("2025-12").as_deref(), Some("2025-Q4"));
        assert_eq!(quarter_of("2025-13"), None);
        assert_eq!(months_between("2024-11", "2025-02"), ["2024-11", "2024-12", "2025-01", "2025-02"]);
        assert!(months_between("2025-02", "2024-11").is_empty());
    }

    #[test]
    fn reciprocity_compares_both_directions() {
        let r = ReciprocityRow {
            country: "IS".into(),
            outgoing: counts(&[(Status::Fulfilled, false, 1), (Status::Refused, false, 1)]),
            incoming: counts(&[(Status::Fulfilled, false, 3)]),
        };
        assert_eq!(format_rate(r.theirs()), "50.0 %");
        assert_eq!(format_rate(r.ours()), "100.0 %");
    }

    #[test]
    fn small_samples_do_not_top_the_ranking() {
        let mut rows = vec![
            CountryRow { country: "AA".into(), counts: counts(&[(Status::Fulfilled, false, 1)]) },
            CountryRow { country: "BB".into(), counts: counts(&[(Status::Fulfilled, false, 90), (Status::Refused, false, 10)]) },
        ];
        sort_countries(&mut rows, CountryOrder::Fulfilment);
        assert_eq!(rows[0].country, "BB");
        assert!(rows[1].small_sample());
        assert!(!rows[0].small_sample());
    }

    #[test]
    fn responders_leave_out_small_samples_and_never_overlap() {
        let row = |c: &str, f: i64, r: i64, o: i64| CountryRow {
            country: c.into(),
            counts: counts(&[(Status::Fulfilled, false, f), (Status::Refused, false, r), (Status::Sent, true, o)]),
        };
        let rows =
            vec![row("AA", 1, 0, 0), row("BB", 90, 10, 0), row("CC", 10, 30, 5), row("DD", 20, 20, 0), row("EE", 2, 20, 9)];
        let (best, worst) = responders(&rows, 2);
        assert_eq!(best.iter().map(|r| r.country.as_str()).collect::<Vec<_>>(), vec!["BB", "DD"], "1 of 1 is too few to rank");
        assert_eq!(worst.iter().map(|r| r.country.as_str()).collect::<Vec<_>>(), vec!["EE", "CC"]);
        let (best, worst) = responders(&rows[..2], 5);
        assert_eq!(best.len(), 1);
        assert!(worst.is_empty());
    }
}
