//! "My work" and the workload (domain.md, "Handling a request"): what is due for each
//! person, and how the open requests are shared among them.

use super::codes::{Direction, Kind};
use super::custody::HeldPerson;
use super::status::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// "Due soon": an answer due within this many days (today included).
pub const DUE_SOON_DAYS: u64 = 14;

/// One request in a list of My work, with the date that put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    pub id: i64,
    pub reference: String,
    pub direction: Direction,
    pub country: String,
    pub kind: Kind,
    pub status: Status,
    /// the answer's due date, the reminder's date or the executor's deadline
    pub on: NaiveDate,
    /// the reminder step's action, or the executing authority
    pub detail: Option<String>,
}

/// What a person must see to today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWork {
    pub today: NaiveDate,
    /// open, past the answer's due date
    pub overdue: Vec<WorkItem>,
    /// open, due within `DUE_SOON_DAYS`
    pub due_soon: Vec<WorkItem>,
    /// the reminder schedule's next step falls due
    pub reminders_due: Vec<WorkItem>,
    /// incoming, still open, past the executing authority's deadline
    pub execution_late: Vec<WorkItem>,
    /// persons held on these requests with a deadline running
    pub custody: Vec<HeldPerson>,
}

impl MyWork {
    /// The count in the header: what needs doing now (overdue, reminders due, late
    /// executions, custody deadlines of `URGENT_DAYS` or fewer).
    pub fn needs_action(&self) -> usize {
        let urgent = self.custody.iter().filter(|h| h.days_left.is_some_and(|d| d <= super::custody::URGENT_DAYS)).count();
        self.overdue.len() + self.reminders_due.len() + self.execution_late.len() + urgent
    }
}

/// Ages of open requests (days since their start) in the workload view.
pub const AGE_BANDS: [(i64, Option<i64>); 5] = [(0, Some(30)), (31, Some(90)), (91, Some(180)), (181, Some(365)), (366, None)];

/// The band an age falls in.
pub fn age_band(days: i64) -> usize {
    AGE_BANDS.iter().position(|(from, to)| days >= *from && to.is_none_or(|t| days <= t)).unwrap_or(0)
}

/// One person's open requests by age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkloadRow {
    /// None: requests no one has
    pub assignee_id: Option<i64>,
    pub name: Option<String>,
    pub by_age: [i64; 5],
    pub overdue: i64,
}

impl WorkloadRow {
    pub fn total(&self) -> i64 {
        self.by_age.iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    pub today: NaiveDate,
    pub rows: Vec<WorkloadRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_fall_into_bands() {
        assert_eq!(age_band(0), 0);
        assert_eq!(age_band(30), 0);
        assert_eq!(age_band(31), 1);
        assert_eq!(age_band(180), 2);
        assert_eq!(age_band(365), 3);
        assert_eq!(age_band(366), 4);
        assert_eq!(age_band(5000), 4);
    }
}
