//! The day's work on a request: who handles it, the domestic authority executing an
//! incoming request, the counterpart's acknowledgement, and the clock stopped while the
//! request waits for supplementary information from the requesting side (domain.md,
//! "Handling a request"). The one implementation of the clock's day figures.

use super::codes::Direction;
use super::reminders::NextStep;
use super::request::{AUTHORITY_MAX, NOTE_MAX};
use super::status::Status;
use super::validation::{chars, has_control, optional as opt, parse_date, Errors, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A user a request can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub id: i64,
    pub name: String,
}

/// The domestic authority an incoming request was sent to for execution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Execution {
    pub authority: String,
    pub sent_on: NaiveDate,
    /// the deadline given to it
    pub due_on: Option<NaiveDate>,
}

impl Execution {
    /// Past the executor's deadline on `today` (the request still open).
    pub fn is_late(&self, status: Status, today: NaiveDate) -> bool {
        status.is_open() && self.due_on.is_some_and(|d| d < today)
    }
}

/// One period the request waited for the requesting side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStop {
    pub id: i64,
    pub stopped_on: NaiveDate,
    pub reason: String,
    /// `None` while the clock is still stopped
    pub resumed_on: Option<NaiveDate>,
}

/// Days from `from` to `to` (0 on the same day).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Days the clock stood still between `start` and `end`: each stop from its day (or the
/// start, if later) to its resumption (or `end`, if earlier or still stopped).
pub fn stopped_days(start: NaiveDate, end: NaiveDate, stops: &[ClockStop]) -> i64 {
    stops
        .iter()
        .map(|s| {
            let from = s.stopped_on.max(start);
            let to = s.resumed_on.unwrap_or(end).min(end);
            days_between(from, to).max(0)
        })
        .sum()
}

/// A request's clock figures (domain.md, "The figures"): days to answer in calendar days
/// and excluding stopped time (for an open request, so far), and days to acknowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// calendar days from the start to the answer, or to today while unanswered
    pub days: i64,
    /// the same less the days the clock stood still
    pub net_days: i64,
    /// whether the request is still waiting (the figures run on)
    pub running: bool,
    /// whether the clock stands still today
    pub stopped: bool,
    /// days from the start to the acknowledgement
    pub days_to_acknowledge: Option<i64>,
}

impl Clock {
    /// The figures of a request started on `start`, answered on `answered_on` (if).
    pub fn of(
        start: NaiveDate,
        answered_on: Option<NaiveDate>,
        acknowledged_on: Option<NaiveDate>,
        stops: &[ClockStop],
        today: NaiveDate,
    ) -> Clock {
        let end = answered_on.unwrap_or(today).max(start);
        let days = days_between(start, end);
        Clock {
            days,
            net_days: days - stopped_days(start, end, stops),
            running: answered_on.is_none(),
            stopped: answered_on.is_none() && stops.iter().any(|s| s.resumed_on.is_none()),
            days_to_acknowledge: acknowledged_on.map(|a| days_between(start, a)),
        }
    }
}

/// What the request's page shows of its handling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handling {
    pub assignee: Option<Assignee>,
    pub acknowledged_on: Option<NaiveDate>,
    pub execution: Option<Execution>,
    pub stops: Vec<ClockStop>,
    /// `None` for a draft
    pub clock: Option<Clock>,
    pub reminders_sent: i64,
    pub next_reminder: Option<NextStep>,
    /// the users a request can be given to (clerks and administrators, enabled)
    pub assignees: Vec<Assignee>,
    pub today: NaiveDate,
}

/// The request as the handling actions check it.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    pub direction: Direction,
    pub status: Status,
    pub start_date: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub stops: &'a [ClockStop],
}

/// A date field: required, a real date, not after `today` and not before `not_before`.
fn checked_date(
    e: &mut Errors,
    field: &str,
    text: &str,
    today: NaiveDate,
    not_before: Option<NaiveDate>,
    before_message: impl FnOnce() -> String,
) -> Option<NaiveDate> {
    match parse_date(text) {
        Ok(Some(d)) if d > today => e.add(field, crate::tr!(validation.the_date_cannot_be_in_the)),
        Ok(Some(d)) if not_before.is_some_and(|n| d < n) => e.add(field, before_message()),
        Ok(Some(d)) => return Some(d),
        Ok(None) => e.add(field, crate::tr!(handling.enter_the_date)),
        Err(m) => e.add(field, m),
    }
    None
}

/// "Acknowledged on" as typed; empty clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AcknowledgementInput {
    pub date: String,
}

impl AcknowledgementInput {
    pub fn validate(&self, current: Current<'_>, today: NaiveDate) -> Result<Option<NaiveDate>, Vec<FieldError>> {
        let mut e = Errors::default();
        if self.date.trim().is_empty() {
            return Ok(None);
        }
        if current.status == Status::Draft {
            e.add("date", crate::tr!(handling.a_draft_has_not_been_sent));
            return Err(e.0);
        }
        let date = checked_date(&mut e, "date", &self.date, today, current.start_date, || {
            crate::tr!(validation.the_date_cannot_come_before_the).into()
        });
        if let (Some(d), Some(a)) = (date, current.answered_on) {
            if d > a {
                e.add("date", crate::tr!(handling.the_acknowledgement_cannot_come_after));
            }
        }
        e.into_result(date)
    }
}

/// "Stop the clock" as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StopClockInput {
    pub date: String,
    pub reason: String,
}

/// A stop that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidStop {
    pub stopped_on: NaiveDate,
    pub reason: String,
}

impl StopClockInput {
    /// The clock stops only for a request still waiting, once at a time, on a day after
    /// its start and after the last stop ended.
    pub fn validate(&self, current: Current<'_>, today: NaiveDate) -> Result<ValidStop, Vec<FieldError>> {
        let mut e = Errors::default();
        if !(current.status.is_open() || current.status == Status::Suspended) {
            e.add("date", crate::tr!(handling.the_clock_runs_only_while_the));
        } else if current.stops.iter().any(|s| s.resumed_on.is_none()) {
            e.add("date", crate::tr!(handling.the_clock_is_already_stopped));
        }
        let last_resumed = current.stops.iter().filter_map(|s| s.resumed_on).max();
        let not_before = current.start_date.max(last_resumed);
        let date = checked_date(&mut e, "date", &self.date, today, not_before, || {
            if last_resumed.is_some_and(|r| Some(r) == not_before) {
                crate::tr!(handling.the_clock_cannot_stop_before_it).into()
            } else {
                crate::tr!(validation.the_date_cannot_come_before_the).into()
            }
        });
        let reason = opt(&self.reason);
        match &reason {
            None => e.add("reason", crate::tr!(handling.say_what_the_request_waits_for)),
            Some(r) if chars(r) > NOTE_MAX => e.add("reason", crate::tr!(validation.at_most, max = NOTE_MAX)),
            Some(r) if has_control(r, true) => e.add("reason", crate::tr!(validation.no_control_characters)),
            _ => {}
        }
        match (date, reason) {
            (Some(stopped_on), Some(reason)) if e.is_empty() => Ok(ValidStop { stopped_on, reason }),
            _ => Err(e.0),
        }
    }
}

/// "Resume the clock" as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResumeClockInput {
    pub date: String,
}

impl ResumeClockInput {
    /// Returns the open stop's id and the day the clock runs again.
    pub fn validate(&self, current: Current<'_>, today: NaiveDate) -> Result<(i64, NaiveDate), Vec<FieldError>> {
        let mut e = Errors::default();
        let Some(open) = current.stops.iter().find(|s| s.resumed_on.is_none()) else {
            e.add("date", crate::tr!(handling.the_clock_is_not_stopped));
            return Err(e.0);
        };
        let date = checked_date(&mut e, "date", &self.date, today, Some(open.stopped_on), || {
            crate::tr!(handling.the_clock_cannot_resume_before_it).into()
        });
        e.into_result(()).and_then(|_| date.map(|d| (open.id, d)).ok_or_else(Vec::new))
    }
}

/// The executing authority of an incoming request as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecutionInput {
    pub authority: String,
    pub sent_on: String,
    pub due_on: String,
}

impl ExecutionInput {
    pub fn validate(&self, current: Current<'_>, today: NaiveDate) -> Result<Execution, Vec<FieldError>> {
        let mut e = Errors::default();
        if current.direction != Direction::Incoming {
            e.add("authority", crate::tr!(handling.only_an_incoming_request_is_executed));
        }
        let authority = opt(&self.authority);
        match &authority {
            None => e.add("authority", crate::tr!(handling.name_the_executing_authority)),
            Some(a) if chars(a) > AUTHORITY_MAX => e.add("authority", crate::tr!(validation.at_most, max = AUTHORITY_MAX)),
            Some(a) if has_control(a, false) => e.add("authority", crate::tr!(validation.no_control_characters)),
            _ => {}
        }
        let sent_on = checked_date(&mut e, "sent_on", &self.sent_on, today, current.start_date, || {
            crate::tr!(handling.it_cannot_be_sent_on_before).into()
        });
        let due_on = match parse_date(&self.due_on) {
            Ok(Some(d)) if sent_on.is_some_and(|s| d < s) => {
                e.add("due_on", crate::tr!(handling.the_deadline_cannot_come_before_the));
                None
            }
            Ok(d) => d,
            Err(m) => {
                e.add("due_on", m);
                None
            }
        };
        match (authority, sent_on) {
            (Some(authority), Some(sent_on)) if e.is_empty() => Ok(Execution { authority, sent_on, due_on }),
            _ => Err(e.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn stop(id: i64, from: &str, to: Option<&str>) -> ClockStop {
        ClockStop { id, stopped_on: d(from), reason: "supplementary information".into(), resumed_on: to.map(d) }
    }

    fn current<'a>(status: Status, stops: &'a [ClockStop]) -> Current<'a> {
        Current { direction: Direction::Incoming, status, start_date: Some(d("2026-01-10")), answered_on: None, stops }
    }

    /// domain.md's example: received 10 January, stopped 1–21 February (20 days) and from
    /// 1 April, answered 20 April: 100 calendar days, 61 without the 20 + 19 stopped.
    #[test]
    fn the_clock_without_stopped_time() {
        let stops = [stop(1, "2026-02-01", Some("2026-02-21")), stop(2, "2026-04-01", None)];
        let c = Clock::of(d("2026-01-10"), Some(d("2026-04-20")), Some(d("2026-01-25")), &stops, d("2026-06-01"));
        assert_eq!(c.days, 100);
        assert_eq!(c.net_days, 61);
        assert_eq!(c.days_to_acknowledge, Some(15));
        assert!(!c.running && !c.stopped);
    }

    #[test]
    fn an_open_request_counts_to_today() {
        let stops = [stop(1, "2026-02-01", None)];
        let c = Clock::of(d("2026-01-10"), None, None, &stops, d("2026-02-11"));
        assert_eq!((c.days, c.net_days), (32, 22));
        assert!(c.running && c.stopped);
        assert_eq!(c.days_to_acknowledge, None);
    }

    #[test]
    fn stops_outside_the_request_do_not_count() {
        // a stop dated before the start counts from the start; one resumed after the
        // answer counts to the answer
        let stops = [stop(1, "2026-01-01", Some("2026-01-15")), stop(2, "2026-03-01", Some("2026-05-01"))];
        assert_eq!(stopped_days(d("2026-01-10"), d("2026-03-11"), &stops), 5 + 10);
        assert_eq!(stopped_days(d("2026-01-10"), d("2026-01-10"), &stops), 0);
    }

    #[test]
    fn stopping_and_resuming_are_checked() {
        let today = d("2026-03-01");
        let ok = StopClockInput { date: "2026-02-01".into(), reason: "  Awaiting the translation  ".into() };
        let v = ok.validate(current(Status::InProgress, &[]), today).unwrap();
        assert_eq!(v.reason, "Awaiting the translation");

        let no_reason = StopClockInput { date: "2026-02-01".into(), reason: " ".into() };
        assert_eq!(no_reason.validate(current(Status::InProgress, &[]), today).unwrap_err()[0].field, "reason");
        let before_start = StopClockInput { date: "2026-01-09".into(), ..ok.clone() };
        assert_eq!(before_start.validate(current(Status::InProgress, &[]), today).unwrap_err()[0].field, "date");
        let future = StopClockInput { date: "2026-03-02".into(), ..ok.clone() };
        assert!(future.validate(current(Status::InProgress, &[]), today).is_err());
        assert!(ok.validate(current(Status::Fulfilled, &[]), today).is_err());

        let open = [stop(7, "2026-02-01", None)];
        assert!(ok.validate(current(Status::InProgress, &open), today).is_err());
        let resume = ResumeClockInput { date: "2026-02-10".into() };
        assert_eq!(resume.validate(current(Status::InProgress, &open), today).unwrap(), (7, d("2026-02-10")));
        let early = ResumeClockInput { date: "2026-01-31".into() };
        assert!(early.validate(current(Status::InProgress, &open), today).is_err());
        assert!(resume.validate(current(Status::InProgress, &[]), today).is_err());

        // a new stop may not begin inside the last one
        let closed = [stop(7, "2026-02-01", Some("2026-02-10"))];
        let inside = StopClockInput { date: "2026-02-05".into(), ..ok.clone() };
        assert!(inside.validate(current(Status::InProgress, &closed), today).is_err());
        let after = StopClockInput { date: "2026-02-10".into(), ..ok };
        assert!(after.validate(current(Status::InProgress, &closed), today).is_ok());
    }

    #[test]
    fn acknowledgement_and_execution_are_checked() {
        let today = d("2026-03-01");
        let ack = AcknowledgementInput { date: "2026-01-20".into() };
        assert_eq!(ack.validate(current(Status::Received, &[]), today).unwrap(), Some(d("2026-01-20")));
        assert_eq!(AcknowledgementInput::default().validate(current(Status::Received, &[]), today).unwrap(), None);
        assert!(ack.validate(current(Status::Draft, &[]), today).is_err());
        let answered = Current { answered_on: Some(d("2026-01-15")), ..current(Status::Fulfilled, &[]) };
        assert!(ack.validate(answered, today).is_err());

        let ex =
            ExecutionInput { authority: "Vilnius regional prosecutor".into(), sent_on: "2026-01-12".into(), due_on: "".into() };
        assert_eq!(ex.validate(current(Status::Received, &[]), today).unwrap().due_on, None);
        let late = Execution { authority: "x".into(), sent_on: d("2026-01-12"), due_on: Some(d("2026-02-01")) };
        assert!(late.is_late(Status::InProgress, today));
        assert!(!late.is_late(Status::Fulfilled, today));
        let outgoing = Current { direction: Direction::Outgoing, ..current(Status::Sent, &[]) };
        assert_eq!(ex.validate(outgoing, today).unwrap_err()[0].field, "authority");
        let backwards = ExecutionInput { due_on: "2026-01-11".into(), ..ex };
        assert_eq!(backwards.validate(current(Status::Received, &[]), today).unwrap_err()[0].field, "due_on");
    }
}
