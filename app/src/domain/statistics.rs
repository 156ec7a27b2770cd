//! The statistics pack (domain.md, "The statistics pack"): what oversight questionnaires
//! ask of a period — requests made and received, their state at the period's end (executed
//! in full or in part, refused by ground, withdrawn, pending) by kind, offence and country,
//! the time answers given in the period took, and the age of the requests pending at its
//! end.

use super::codes::{Direction, Kind, Offence, RefusalGround};
use super::country_profile::PersonFigures;
use super::figures::{answer_band, DaysToAnswer};
use super::status::Status;
use super::validation::{Errors, FieldError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The pack's period, both days included, by start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl PackPeriod {
    /// The period when none is chosen: the last whole calendar year.
    pub fn default_for(today: NaiveDate) -> PackPeriod {
        let year = today.year() - 1;
        PackPeriod {
            from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today),
            to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today),
        }
    }

    /// Reads the period's two dates as typed (`YYYY-MM-DD`): both required, the first not
    /// after the second, the end not after `today` (what is pending at a day to come is
    /// not known yet).
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<PackPeriod, Vec<FieldError>> {
        let mut e = Errors::default();
        let mut date = |field: &str, value: &str| match value.trim() {
            "" => {
                e.add(field, crate::tr!(statistics.enter_the_date));
                None
            }
            v => match v.parse::<NaiveDate>() {
                Ok(d) => Some(d),
                Err(_) => {
                    e.add(field, crate::tr!(validation.enter_a_date_as_yyyy_mm));
                    None
                }
            },
        };
        let (from, to) = (date("from", from), date("to", to));
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                e.add("to", crate::tr!(statistics.end_before_start));
            } else if t > today {
                e.add("to", crate::tr!(statistics.end_after_today));
            }
        }
        match (from, to) {
            (Some(from), Some(to)) => e.into_result(PackPeriod { from, to }),
            _ => Err(e.0),
        }
    }

    /// The pack's URL.
    pub fn href(&self) -> String {
        format!("/statistics?from={}&to={}", self.from, self.to)
    }
}

/// One request as the pack reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackRow {
    pub direction: Direction,
    pub country: String,
    pub kind: Kind,
    pub offence: Offence,
    pub status: Status,
    pub start: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    /// the day of its withdrawal (its timeline's last change to withdrawn), for
    /// withdrawn requests
    pub withdrawn_on: Option<NaiveDate>,
    pub ground: Option<RefusalGround>,
}

/// Where a request stood at the end of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateAt {
    Full,
    Part,
    Refused(Option<RefusalGround>),
    Withdrawn,
    /// no answer and not withdrawn by then
    Pending,
}

impl PackRow {
    /// Where this request stood at the end of `day`: its answer if it came by then, its
    /// withdrawal if it was withdrawn by then (a withdrawal the timeline does not date
    /// counts from the start), else pending.
    pub fn state_at(&self, day: NaiveDate) -> StateAt {
        let answered = self.answered_on.is_some_and(|a| a <= day);
        match self.status {
            Status::Fulfilled if answered => StateAt::Full,
            Status::PartiallyFulfilled if answered => StateAt::Part,
            Status::Refused if answered => StateAt::Refused(self.ground),
            Status::Withdrawn if self.withdrawn_on.unwrap_or(self.start) <= day => StateAt::Withdrawn,
            _ => StateAt::Pending,
        }
    }
}

/// Requests and their state at the period's end: `requests` = `full` + `part` +
/// `refused` + `withdrawn` + `pending`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub requests: i64,
    pub full: i64,
    pub part: i64,
    pub refused: i64,
    pub withdrawn: i64,
    pub pending: i64,
}

impl StateCounts {
    fn add(&mut self, state: StateAt) {
        self.requests += 1;
        match state {
            StateAt::Full => self.full += 1,
            StateAt::Part => self.part += 1,
            StateAt::Refused(_) => self.refused += 1,
            StateAt::Withdrawn => self.withdrawn += 1,
            StateAt::Pending => self.pending += 1,
        }
    }

    /// The counts as the pack's columns list them.
    pub fn columns(&self) -> [i64; 6] {
        [self.requests, self.full, self.part, self.refused, self.withdrawn, self.pending]
    }
}

/// One direction of the pack: requests made (outgoing) or received (incoming).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub direction: Direction,
    /// the requests started in the period, by their state at its end
    pub counts: StateCounts,
    pub by_kind: Vec<(Kind, StateCounts)>,
    pub by_offence: Vec<(Offence, StateCounts)>,
    /// busiest first
    pub by_country: Vec<(String, StateCounts)>,
    /// the refusals among them, by ground (most first); `None` when no ground was given
    pub grounds: Vec<(Option<RefusalGround>, i64)>,
    /// the answers given in the period (whatever the request's start), by calendar days
    pub answers: DaysToAnswer,
    /// every request started by the period's end and pending at it, earlier ones too
    pub pending_at_end: i64,
    /// those by their age at the period's end, in `figures::ANSWER_BANDS`
    pub pending_ages: [i64; 5],
    /// persons in the extradition requests started in the period, by country
    pub persons: Vec<(String, PersonFigures)>,
    /// the measures on assets taken in the period (whatever the request's start), summed
    /// per currency and stage
    #[serde(default)]
    pub assets: super::assets::AssetSums,
}

/// The whole pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pack {
    pub period: PackPeriod,
    pub made: Side,
    pub received: Side,
}

fn tally<K: Ord + Clone>(map: &mut BTreeMap<K, StateCounts>, key: &K, state: StateAt) {
    map.entry(key.clone()).or_default().add(state);
}

/// One direction's side of the pack from `rows` (of any direction and start; the rows
/// the side does not count are passed over).
fn side(direction: Direction, rows: &[PackRow], period: PackPeriod) -> Side {
    let mut counts = StateCounts::default();
    let (mut kinds, mut offences, mut countries) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut grounds: BTreeMap<Option<RefusalGround>, i64> = BTreeMap::new();
    let mut answers: BTreeMap<i64, i64> = BTreeMap::new();
    let (mut pending_at_end, mut pending_ages) = (0, [0; 5]);
    for r in rows.iter().filter(|r| r.direction == direction && r.status != Status::Draft && r.start <= period.to) {
        let state = r.state_at(period.to);
        if r.start >= period.from {
            counts.add(state);
            tally(&mut kinds, &r.kind, state);
            tally(&mut offences, &r.offence, state);
            tally(&mut countries, &r.country, state);
            if let StateAt::Refused(ground) = state {
                *grounds.entry(ground).or_default() += 1;
            }
        }
        if state == StateAt::Pending {
            pending_at_end += 1;
            pending_ages[answer_band((period.to - r.start).num_days())] += 1;
        }
        if let Some(answered) = r.answered_on.filter(|a| r.status.is_answered() && (period.from..=period.to).contains(a)) {
            *answers.entry((answered - r.start).num_days()).or_default() += 1;
        }
    }
    let mut by_country: Vec<(String, StateCounts)> = countries.into_iter().collect();
    by_country.sort_by(|a, b| b.1.requests.cmp(&a.1.requests).then_with(|| a.0.cmp(&b.0)));
    let mut grounds: Vec<(Option<RefusalGround>, i64)> = grounds.into_iter().collect();
    grounds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Side {
        direction,
        counts,
        by_kind: kinds.into_iter().collect(),
        by_offence: offences.into_iter().collect(),
        by_country,
        grounds,
        answers: DaysToAnswer { histogram: answers.into_iter().collect() },
        pending_at_end,
        pending_ages,
        persons: Vec::new(),
        assets: Default::default(),
    }
}

/// The pack of `period` from `rows`: every request started by the period's end that was
/// not answered or withdrawn before its start may be among them (others are passed over
/// too). Persons are added by the caller.
pub fn build(rows: &[PackRow], period: PackPeriod) -> Pack {
    Pack { period, made: side(Direction::Outgoing, rows, period), received: side(Direction::Incoming, rows, period) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(direction: Direction, country: &str, kind: Kind, status: Status, start: &str, answered: Option<&str>) -> PackRow {
        PackRow {
            direction,
            country: country.into(),
            kind,
            offence: Offence::Fraud,
            status,
            start: d(start),
            answered_on: answered.map(d),
            withdrawn_on: None,
            ground: (status == Status::Refused).then_some(RefusalGround::DualCriminality),
        }
    }

    /// domain.md's example: the year 2025, outgoing requests.
    fn example() -> Vec<PackRow> {
        use Direction::Outgoing as O;
        use Status::*;
        let mut rows = vec![
            // started in 2025
            row(O, "DE", Kind::Evidence, Fulfilled, "2025-01-10", Some("2025-03-01")), // 50 days
            row(O, "DE", Kind::Evidence, PartiallyFulfilled, "2025-02-01", Some("2025-12-31")), // 333 days
            row(O, "DE", Kind::Extradition, Refused, "2025-03-01", Some("2025-04-10")), // 40 days
            row(O, "LT", Kind::Evidence, Fulfilled, "2025-06-01", Some("2026-02-01")), // answered after the end
            row(O, "LT", Kind::Evidence, InProgress, "2025-09-01", None),
            row(O, "LT", Kind::Evidence, Draft, "2025-05-01", None),
            // started before 2025
            row(O, "PL", Kind::Evidence, Fulfilled, "2024-11-01", Some("2025-01-20")), // answered in 2025: 80 days
            row(O, "PL", Kind::Evidence, Sent, "2023-12-01", None),                    // pending at the end, 761 days old
            // incoming: another side
            row(Direction::Incoming, "DE", Kind::Evidence, Received, "2025-05-05", None),
        ];
        // withdrawn in 2025, and withdrawn only after it ended
        let mut w = row(O, "LT", Kind::Evidence, Withdrawn, "2025-04-01", None);
        w.withdrawn_on = Some(d("2025-07-01"));
        rows.push(w.clone());
        w.withdrawn_on = Some(d("2026-01-15"));
        rows.push(w);
        rows
    }

    fn year_2025() -> PackPeriod {
        PackPeriod { from: d("2025-01-01"), to: d("2025-12-31") }
    }

    #[test]
    fn requests_of_the_period_by_their_state_at_its_end() {
        let pack = build(&example(), year_2025());
        let c = pack.made.counts;
        // 7 started in 2025 (the draft aside): 1 + 1 + 1 + 1 + 3 pending
        assert_eq!(c, StateCounts { requests: 7, full: 1, part: 1, refused: 1, withdrawn: 1, pending: 3 });
        assert_eq!(c.requests, c.full + c.part + c.refused + c.withdrawn + c.pending);
        assert_eq!(pack.made.grounds, vec![(Some(RefusalGround::DualCriminality), 1)]);
        assert_eq!(pack.received.counts, StateCounts { requests: 1, pending: 1, ..Default::default() });
    }

    #[test]
    fn breakdowns_add_up_to_the_whole() {
        let pack = build(&example(), year_2025());
        let s = &pack.made;
        assert_eq!(
            s.by_kind,
            vec![
                (Kind::Evidence, StateCounts { requests: 6, full: 1, part: 1, refused: 0, withdrawn: 1, pending: 3 }),
                (Kind::Extradition, StateCounts { requests: 1, refused: 1, ..Default::default() }),
            ]
        );
        // busiest first: LT 4, DE 3
        assert_eq!(s.by_country.iter().map(|(c, n)| (c.as_str(), n.requests)).collect::<Vec<_>>(), vec![("LT", 4), ("DE", 3)]);
        assert_eq!(s.by_offence, vec![(Offence::Fraud, s.counts)]);
    }

    #[test]
    fn answers_given_in_the_period_and_pending_ages_at_its_end() {
        let pack = build(&example(), year_2025());
        let s = &pack.made;
        // answered in 2025 after 50, 333, 40 and 80 days (the January 2026 answer not)
        assert_eq!(s.answers.histogram, vec![(40, 1), (50, 1), (80, 1), (333, 1)]);
        assert_eq!(s.answers.bands(), [0, 3, 0, 1, 0]);
        assert_eq!(s.answers.median(), Some(65.0));
        // pending on 31 December 2025: LT (answered 2026; 213 days), LT in progress (121),
        // LT withdrawn in 2026 (274), PL sent in 2023 (761)
        assert_eq!(s.pending_at_end, 4);
        assert_eq!(s.pending_ages, [0, 0, 1, 2, 1]);
    }

    #[test]
    fn the_state_at_a_day() {
        let r = row(Direction::Outgoing, "DE", Kind::Evidence, Status::Fulfilled, "2025-01-10", Some("2025-03-01"));
        assert_eq!(r.state_at(d("2025-02-28")), StateAt::Pending);
        assert_eq!(r.state_at(d("2025-03-01")), StateAt::Full);
        let mut w = row(Direction::Outgoing, "DE", Kind::Evidence, Status::Withdrawn, "2025-01-10", None);
        assert_eq!(w.state_at(d("2025-01-10")), StateAt::Withdrawn, "an undated withdrawal counts from the start");
        w.withdrawn_on = Some(d("2025-02-01"));
        assert_eq!(w.state_at(d("2025-01-31")), StateAt::Pending);
    }

    #[test]
    fn the_period_is_checked() {
        let today = d("2026-12-04");
        assert_eq!(PackPeriod::default_for(today), PackPeriod { from: d("2025-01-01"), to: d("2025-12-31") });
        assert_eq!(
            PackPeriod::parse("2025-01-01", "2025-06-30", today),
            Ok(PackPeriod { from: d("2025-01-01"), to: d("2025-06-30") })
        );
        let fields = |r: Result<PackPeriod, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(PackPeriod::parse("", "2025-13-01", today)), vec!["from", "to"]);
        assert_eq!(fields(PackPeriod::parse("2025-02-01", "2025-01-31", today)), vec!["to"]);
        assert_eq!(fields(PackPeriod::parse("2026-01-01", "2026-12-05", today)), vec!["to"]);
    }
}
