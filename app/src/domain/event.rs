//! The timeline of a request: status changes, reminders, creation and edits, and the
//! inputs of the quick actions that add to it.

use super::codes::{Direction, RefusalGround};
use super::request::{check_outcome, Outcome, NOTE_MAX};
use super::status::Status;
use super::validation::{chars, optional as opt, parse_date, Errors, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    StatusChanged,
    Reminder,
    Edited,
    /// a document added (its note: the file's name)
    Document,
    /// a document deleted (its note: the file's name)
    DocumentRemoved,
    /// given to a user (its note: their name; none: to nobody)
    Assigned,
    /// the counterpart's acknowledgement recorded (its date; none: cleared)
    Acknowledged,
    /// the clock stopped (its date; its note: what the request waits for)
    ClockStopped,
    /// the clock resumed (its date)
    ClockResumed,
    /// sent to a domestic authority for execution (its date; its note: the authority)
    SentForExecution,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::StatusChanged => "status_changed",
            EventKind::Reminder => "reminder",
            EventKind::Edited => "edited",
            EventKind::Document => "document",
            EventKind::DocumentRemoved => "document_removed",
            EventKind::Assigned => "assigned",
            EventKind::Acknowledged => "acknowledged",
            EventKind::ClockStopped => "clock_stopped",
            EventKind::ClockResumed => "clock_resumed",
            EventKind::SentForExecution => "sent_for_execution",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "created" => EventKind::Created,
            "status_changed" => EventKind::StatusChanged,
            "reminder" => EventKind::Reminder,
            "edited" => EventKind::Edited,
            "document" => EventKind::Document,
            "document_removed" => EventKind::DocumentRemoved,
            "assigned" => EventKind::Assigned,
            "acknowledged" => EventKind::Acknowledged,
            "clock_stopped" => EventKind::ClockStopped,
            "clock_resumed" => EventKind::ClockResumed,
            "sent_for_execution" => EventKind::SentForExecution,
            _ => return None,
        })
    }
}

/// One entry of a request's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub kind: EventKind,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// The date the event happened (the answer date, the reminder's date...).
    pub on_date: Option<NaiveDate>,
    pub note: Option<String>,
    pub user_name: Option<String>,
    /// When it was recorded (UTC, RFC 3339).
    pub created_at: String,
}

/// The quick "change status" action as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusChangeInput {
    pub status: String,
    pub date: String,
    pub refusal_ground: String,
    pub refusal_note: String,
    pub note: String,
}

/// A status change that passed the rules, with what it does to the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    pub date: NaiveDate,
    pub refusal_ground: Option<RefusalGround>,
    pub refusal_note: Option<String>,
    pub note: Option<String>,
}

impl StatusChange {
    /// A draft that is sent or received gets its start date from the change.
    pub fn sets_start_date(&self) -> bool {
        self.from == Status::Draft && (self.to == Status::Sent || self.to == Status::Received)
    }
}

impl StatusChangeInput {
    /// Checks the change against the request as it stands now.
    pub fn validate(
        &self,
        current: Status,
        direction: Direction,
        start_date: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<StatusChange, Vec<FieldError>> {
        let mut e = Errors::default();
        let to = Status::from_code(&self.status);
        match to {
            None => e.add("status", crate::tr!(validation.choose_the_new_status)),
            Some(s) if !current.next(direction).contains(&s) => e.add("status", {
                use crate::labels::Label;
                crate::tr!(validation.cannot_become, from = current.text().to_lowercase(), to = s.text().to_lowercase())
            }),
            _ => {}
        }
        let date = match parse_date(&self.date) {
            Ok(Some(d)) => {
                if d > today {
                    e.add("date", crate::tr!(validation.the_date_cannot_be_in_the));
                } else if current != Status::Draft && start_date.is_some_and(|s| d < s) {
                    e.add("date", crate::tr!(validation.the_date_cannot_come_before_the));
                }
                Some(d)
            }
            Ok(None) => {
                e.add("date", crate::tr!(validation.enter_the_date_of_the_change));
                None
            }
            Err(m) => {
                e.add("date", m);
                None
            }
        };
        let refusal_ground = if self.refusal_ground.trim().is_empty() {
            None
        } else {
            let g = RefusalGround::from_code(&self.refusal_ground);
            if g.is_none() {
                e.add("refusal_ground", crate::tr!(validation.choose_a_ground_from_the_list));
            }
            g
        };
        let refusal_note = opt(&self.refusal_note);
        if let (Some(to), Some(_)) = (to, date) {
            let start = if current == Status::Draft { date } else { start_date };
            let outcome = Outcome { status: to, start, answered_on: date, refusal_ground, refusal_note: refusal_note.as_deref() };
            check_outcome(&mut e, outcome, today, "date");
        }
        let note = opt(&self.note);
        if note.as_deref().is_some_and(|n| chars(n) > NOTE_MAX) {
            e.add("note", crate::tr!(validation.at_most, max = NOTE_MAX));
        }
        if !e.is_empty() {
            return Err(e.0);
        }
        let to = to.expect("checked");
        Ok(StatusChange {
            from: current,
            to,
            date: date.expect("checked"),
            refusal_ground: if to == Status::Refused { refusal_ground } else { None },
            refusal_note: if to == Status::Refused { refusal_note } else { None },
            note,
        })
    }
}

/// "Log a reminder": a chase-up sent to a silent counterpart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReminderInput {
    pub date: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub date: NaiveDate,
    pub note: Option<String>,
}

impl ReminderInput {
    pub fn validate(&self, status: Status, start_date: Option<NaiveDate>, today: NaiveDate) -> Result<Reminder, Vec<FieldError>> {
        let mut e = Errors::default();
        if !(status.is_open() || status == Status::Suspended) {
            e.add("date", crate::tr!(validation.reminders_are_for_requests_still_waiting));
        }
        let date = match parse_date(&self.date) {
            Ok(Some(d)) if d > today => {
                e.add("date", crate::tr!(validation.the_date_cannot_be_in_the));
                None
            }
            Ok(Some(d)) if start_date.is_some_and(|s| d < s) => {
                e.add("date", crate::tr!(validation.the_date_cannot_come_before_the));
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                e.add("date", crate::tr!(validation.enter_the_date_of_the_reminder));
                None
            }
            Err(m) => {
                e.add("date", m);
                None
            }
        };
        let note = opt(&self.note);
        if note.as_deref().is_some_and(|n| chars(n) > NOTE_MAX) {
            e.add("note", crate::tr!(validation.at_most, max = NOTE_MAX));
        }
        match date {
            Some(date) if e.is_empty() => Ok(Reminder { date, note }),
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

    fn change(status: &str, date: &str) -> StatusChangeInput {
        StatusChangeInput { status: status.into(), date: date.into(), ..Default::default() }
    }

    #[test]
    fn refusing_needs_a_ground() {
        let today = d("2025-06-10");
        let errs = change("refused", "2025-06-01")
            .validate(Status::InProgress, Direction::Outgoing, Some(d("2025-01-01")), today)
            .unwrap_err();
        assert_eq!(errs[0].field, "refusal_ground");
        let mut c = change("refused", "2025-06-01");
        c.refusal_ground = "dual_criminality".into();
        let ok = c.validate(Status::InProgress, Direction::Outgoing, Some(d("2025-01-01")), today).unwrap();
        assert_eq!(ok.refusal_ground, Some(RefusalGround::DualCriminality));
    }

    #[test]
    fn answer_before_start_is_rejected() {
        let errs = change("fulfilled", "2024-12-31")
            .validate(Status::Sent, Direction::Outgoing, Some(d("2025-01-01")), d("2025-06-10"))
            .unwrap_err();
        assert_eq!(errs[0].field, "date");
    }

    #[test]
    fn transitions_are_checked() {
        let errs =
            change("received", "2025-06-01").validate(Status::Draft, Direction::Outgoing, None, d("2025-06-10")).unwrap_err();
        assert_eq!(errs[0].field, "status");
        let ok = change("sent", "2025-06-01").validate(Status::Draft, Direction::Outgoing, None, d("2025-06-10")).unwrap();
        assert!(ok.sets_start_date());
    }

    #[test]
    fn future_dates_are_rejected() {
        let errs = change("in_progress", "2025-06-11")
            .validate(Status::Sent, Direction::Outgoing, Some(d("2025-01-01")), d("2025-06-10"))
            .unwrap_err();
        assert_eq!(errs[0].message, "The date cannot be in the future.");
    }

    #[test]
    fn reminders_only_while_waiting() {
        let r = ReminderInput { date: "2025-06-01".into(), note: "Second chase-up".into() };
        assert!(r.validate(Status::Sent, Some(d("2025-01-01")), d("2025-06-10")).is_ok());
        assert!(r.validate(Status::Fulfilled, Some(d("2025-01-01")), d("2025-06-10")).is_err());
        let empty = ReminderInput::default();
        assert!(empty.validate(Status::Sent, None, d("2025-06-10")).is_err());
    }
}
