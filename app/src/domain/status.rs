//! The life of a request: its statuses, which changes are allowed, and the derived
//! "overdue" flag.

use super::codes::{code_enum, Direction};
use chrono::NaiveDate;

code_enum!(
    /// Where a request stands. `Overdue` is not a status: see [`is_overdue`].
    Status {
        Draft => "draft", "Draft";
        Sent => "sent", "Sent";
        Received => "received", "Received";
        InProgress => "in_progress", "In progress";
        Suspended => "suspended", "Suspended";
        Fulfilled => "fulfilled", "Fulfilled";
        PartiallyFulfilled => "partially_fulfilled", "Partially fulfilled";
        Refused => "refused", "Refused";
        Withdrawn => "withdrawn", "Withdrawn";
    }
);

impl Status {
    /// Sent, received or in progress: waiting for an answer.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Sent | Status::Received | Status::InProgress)
    }

    /// Fulfilled, partially fulfilled or refused: a final answer with an answer date.
    pub fn is_answered(self) -> bool {
        matches!(self, Status::Fulfilled | Status::PartiallyFulfilled | Status::Refused)
    }

    /// No further change is expected (answered or withdrawn).
    pub fn is_final(self) -> bool {
        self.is_answered() || self == Status::Withdrawn
    }

    /// Whether this status exists for requests of that direction: `sent` is for
    /// outgoing requests only, `received` for incoming ones.
    pub fn fits(self, direction: Direction) -> bool {
        match self {
            Status::Sent => direction == Direction::Outgoing,
            Status::Received => direction == Direction::Incoming,
            _ => true,
        }
    }

    /// The status a request takes when it leaves draft.
    pub fn registered(direction: Direction) -> Status {
        match direction {
            Direction::Outgoing => Status::Sent,
            Direction::Incoming => Status::Received,
        }
    }

    /// The statuses a quick status change may move a request to from this one.
    /// Final outcomes can be reopened (to in progress) to correct a mistake.
    pub fn next(self, direction: Direction) -> Vec<Status> {
        use Status::*;
        let list: &[Status] = match self {
            Draft => &[Sent, Received, Withdrawn],
            Sent | Received => &[InProgress, Suspended, Fulfilled, PartiallyFulfilled, Refused, Withdrawn],
            InProgress => &[Suspended, Fulfilled, PartiallyFulfilled, Refused, Withdrawn],
            Suspended => &[InProgress, Fulfilled, PartiallyFulfilled, Refused, Withdrawn],
            Fulfilled | PartiallyFulfilled | Refused | Withdrawn => &[InProgress],
        };
        list.iter().copied().filter(|s| s.fits(direction)).collect()
    }

    /// The statuses a request of this direction may have at all, in display order.
    pub fn for_direction(direction: Direction) -> Vec<Status> {
        Status::ALL.iter().copied().filter(|s| s.fits(direction)).collect()
    }
}

/// Overdue ("no response"): open and today is after the due date.
pub fn is_overdue(status: Status, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    status.is_open() && due_on.is_some_and(|due| today > due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn overdue_needs_open_and_past_due() {
        let today = d("2025-06-10");
        assert!(is_overdue(Status::Sent, Some(d("2025-06-09")), today));
        assert!(!is_overdue(Status::Sent, Some(d("2025-06-10")), today), "due today is not late yet");
        assert!(!is_overdue(Status::Fulfilled, Some(d("2025-01-01")), today));
        assert!(!is_overdue(Status::Suspended, Some(d("2025-01-01")), today));
        assert!(!is_overdue(Status::Draft, None, today));
        assert!(is_overdue(Status::InProgress, Some(d("2024-01-01")), today));
    }

    #[test]
    fn direction_specific_statuses() {
        assert!(Status::Sent.fits(Direction::Outgoing));
        assert!(!Status::Sent.fits(Direction::Incoming));
        assert!(!Status::Received.fits(Direction::Outgoing));
        assert_eq!(Status::Draft.next(Direction::Incoming), vec![Status::Received, Status::Withdrawn]);
        assert!(!Status::for_direction(Direction::Outgoing).contains(&Status::Received));
    }

    #[test]
    fn classification() {
        assert!(Status::InProgress.is_open());
        assert!(!Status::Suspended.is_open());
        assert!(Status::Refused.is_answered());
        assert!(!Status::Withdrawn.is_answered());
        assert!(Status::Withdrawn.is_final());
    }
}
