//! The office's reminder schedule (domain.md, "Reminders"): the steps taken for an
//! outgoing request left unanswered, and which one falls due next.

use super::codes::Direction;
use super::status::Status;
use super::validation::{chars, has_control, Errors, FieldError};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub const MAX_STEPS: usize = 10;
pub const MAX_AFTER_DAYS: i64 = 365;
pub const ACTION_MAX: usize = 200;

/// One step of the schedule: due `after_days` after the answer's due date (the first
/// step) or after the reminder before it (the others).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub step: i64,
    pub after_days: i64,
    pub action: String,
}

/// The step a request is at and the day it falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub step: i64,
    pub action: String,
    pub on: NaiveDate,
}

impl NextStep {
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.on <= today
    }
}

/// What of a request the schedule reads.
#[derive(Debug, Clone, Copy)]
pub struct Chased {
    pub direction: Direction,
    pub status: Status,
    pub due_on: Option<NaiveDate>,
    /// reminders logged so far
    pub reminders_sent: i64,
    pub last_reminder_on: Option<NaiveDate>,
}

/// The next step for a request: only an outgoing request still waiting (sent or in
/// progress) with a due date is chased; after the last step there is none.
pub fn next_step(schedule: &[Step], r: Chased) -> Option<NextStep> {
    if r.direction != Direction::Outgoing || !r.status.is_open() {
        return None;
    }
    let due = r.due_on?;
    let step = schedule.iter().find(|s| s.step == r.reminders_sent + 1)?;
    let from = r.last_reminder_on.unwrap_or(due);
    let on = from.checked_add_days(Days::new(step.after_days.max(0) as u64))?;
    Some(NextStep { step: step.step, action: step.action.clone(), on })
}

/// The schedule as an administrator types it: one step a line, "days, action".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduleInput {
    pub lines: String,
}

impl ScheduleInput {
    pub fn of(schedule: &[Step]) -> ScheduleInput {
        let lines: Vec<String> = schedule.iter().map(|s| format!("{}, {}", s.after_days, s.action)).collect();
        ScheduleInput { lines: lines.join("\n") }
    }

    /// Steps numbered in order; 1 to `MAX_STEPS` of them, each with a number of days
    /// (0–365) and an action.
    pub fn validate(&self) -> Result<Vec<Step>, Vec<FieldError>> {
        let mut e = Errors::default();
        let mut steps = Vec::new();
        for (n, line) in self.lines.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let (days, action) = line.split_once(',').unwrap_or((line, ""));
            let action = action.trim();
            let line_no = n + 1;
            match days.trim().parse::<i64>() {
                Ok(d) if (0..=MAX_AFTER_DAYS).contains(&d) && !action.is_empty() => {
                    if chars(action) > ACTION_MAX || has_control(action, false) {
                        e.add("lines", crate::tr!(reminders.line_action_too_long, line = line_no, max = ACTION_MAX));
                    }
                    steps.push(Step { step: line_no as i64, after_days: d, action: action.to_string() });
                }
                _ => e.add("lines", crate::tr!(reminders.line_is_not_days_and_action, line = line_no)),
            }
        }
        if steps.is_empty() && e.is_empty() {
            e.add("lines", crate::tr!(reminders.at_least_one_step));
        } else if steps.len() > MAX_STEPS {
            e.add("lines", crate::tr!(reminders.at_most_steps, max = MAX_STEPS));
        }
        e.into_result(steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn office() -> Vec<Step> {
        ScheduleInput { lines: "0, First reminder\n30, Second reminder\n30, Escalation through the diplomatic channel".into() }
            .validate()
            .unwrap()
    }

    fn chased(sent: i64, last: Option<&str>) -> Chased {
        Chased {
            direction: Direction::Outgoing,
            status: Status::Sent,
            due_on: Some(d("2026-03-01")),
            reminders_sent: sent,
            last_reminder_on: last.map(d),
        }
    }

    /// domain.md's example: due 1 March; first reminder due that day, logged 5 March;
    /// the second due 4 April; logged 10 April, the escalation due 10 May; then none.
    #[test]
    fn the_schedule_advances_with_each_reminder() {
        let s = office();
        let first = next_step(&s, chased(0, None)).unwrap();
        assert_eq!((first.step, first.on), (1, d("2026-03-01")));
        assert!(first.is_due(d("2026-03-01")) && !first.is_due(d("2026-02-28")));
        let second = next_step(&s, chased(1, Some("2026-03-05"))).unwrap();
        assert_eq!((second.step, second.action.as_str(), second.on), (2, "Second reminder", d("2026-04-04")));
        let third = next_step(&s, chased(2, Some("2026-04-10"))).unwrap();
        assert_eq!((third.step, third.on), (3, d("2026-05-10")));
        assert_eq!(next_step(&s, chased(3, Some("2026-05-12"))), None);
    }

    #[test]
    fn only_outgoing_requests_still_waiting_are_chased() {
        let s = office();
        assert_eq!(next_step(&s, Chased { direction: Direction::Incoming, status: Status::Received, ..chased(0, None) }), None);
        assert_eq!(next_step(&s, Chased { status: Status::Fulfilled, ..chased(0, None) }), None);
        assert_eq!(next_step(&s, Chased { status: Status::Suspended, ..chased(0, None) }), None);
        assert_eq!(next_step(&s, Chased { due_on: None, ..chased(0, None) }), None);
        assert!(next_step(&s, Chased { status: Status::InProgress, ..chased(0, None) }).is_some());
    }

    #[test]
    fn the_schedule_is_typed_a_step_a_line() {
        let s = office();
        assert_eq!(s.len(), 3);
        assert_eq!(ScheduleInput::of(&s).validate().unwrap(), s);
        for bad in ["", "x, First", "400, Too late", "5", "-1, Before"] {
            let errs = ScheduleInput { lines: bad.into() }.validate().unwrap_err();
            assert_eq!(errs[0].field, "lines", "{bad}");
        }
        let eleven: Vec<String> = (0..11).map(|n| format!("{n}, Step")).collect();
        assert!(ScheduleInput { lines: eleven.join("\n") }.validate().is_err());
    }
}
