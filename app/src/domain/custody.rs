//! Custody of a person a request concerns, and the time limits that follow from it. A
//! provisionally arrested person must be released if the extradition request does not
//! arrive in time (European Convention on Extradition art. 16, Minsk Convention art. 62);
//! once surrender is decided, the requesting side must take the person over in time
//! (ECE art. 18, Minsk art. 67). The number of days comes from the legal basis' rule or
//! the country profile's override; the day of arrest (or of the decision) is day 0.

use super::codes::code_enum;
use super::validation::{chars, has_control, optional, parse_date, Errors, FieldError};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Why a person is held.
    DetentionKind {
        ProvisionalArrest => "provisional_arrest", "Provisional arrest";
        PendingExtradition => "pending_extradition", "Detention pending extradition";
        Other => "other", "Other detention";
    }
);

/// Days left at or below which a deadline is shown as urgent.
pub const URGENT_DAYS: i64 = 5;
/// The longest time limit a rule may set, in days.
pub const LIMIT_DAYS_MAX: u32 = 365;
pub const CUSTODY_NOTES_MAX: usize = 2000;

/// Custody as the form sends it: every field text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyInput {
    pub kind: String,
    pub arrested_on: String,
    /// the day surrender was decided (granted), which starts the surrender clock
    pub decided_on: String,
    pub released_on: String,
    pub surrendered_on: String,
    pub notes: String,
}

/// Checked custody, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Custody {
    pub kind: DetentionKind,
    pub arrested_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    pub released_on: Option<NaiveDate>,
    pub surrendered_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// A date field: parsed, not in the future, not before `from` (the arrest or the decision).
fn date(e: &mut Errors, field: &str, value: &str, today: NaiveDate, from: Option<NaiveDate>) -> Option<NaiveDate> {
    match parse_date(value) {
        Err(message) => {
            e.add(field, message);
            None
        }
        Ok(Some(d)) if d > today => {
            e.add(field, crate::tr!(validation.the_date_cannot_be_in_the));
            None
        }
        Ok(Some(d)) if from.is_some_and(|f| d < f) => {
            e.add(field, crate::tr!(validation.not_before_the_arrest));
            None
        }
        Ok(d) => d,
    }
}

impl CustodyInput {
    /// Checks every field; no date may lie after `today`, none before the arrest, and a
    /// person is either released or surrendered, not both.
    pub fn validate(&self, today: NaiveDate) -> Result<Custody, Vec<FieldError>> {
        let mut e = Errors::default();
        let kind = DetentionKind::from_code(&self.kind);
        if kind.is_none() {
            e.add("kind", crate::tr!(validation.choose_the_kind_of_detention));
        }
        let arrested_on = date(&mut e, "arrested_on", &self.arrested_on, today, None);
        if arrested_on.is_none() && self.arrested_on.trim().is_empty() {
            e.add("arrested_on", crate::tr!(validation.enter_the_date_of_arrest));
        }
        let decided_on = date(&mut e, "decided_on", &self.decided_on, today, arrested_on);
        let released_on = date(&mut e, "released_on", &self.released_on, today, arrested_on);
        let surrendered_on = date(&mut e, "surrendered_on", &self.surrendered_on, today, decided_on.or(arrested_on));
        if released_on.is_some() && surrendered_on.is_some() {
            e.add("surrendered_on", crate::tr!(validation.released_or_surrendered_not_both));
        }
        if has_control(&self.notes, true) {
            e.add("notes", crate::tr!(validation.no_control_characters));
        }
        let notes = optional(&self.notes);
        if notes.as_deref().is_some_and(|n| chars(n) > CUSTODY_NOTES_MAX) {
            e.add("notes", crate::tr!(validation.at_most, max = CUSTODY_NOTES_MAX));
        }
        match (kind, arrested_on) {
            (Some(kind), Some(arrested_on)) => {
                e.into_result(Custody { kind, arrested_on, decided_on, released_on, surrendered_on, notes })
            }
            _ => Err(e.0),
        }
    }
}

impl Custody {
    /// The form's fields for this custody, to edit it.
    pub fn input(&self) -> CustodyInput {
        let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        CustodyInput {
            kind: self.kind.code().to_string(),
            arrested_on: self.arrested_on.to_string(),
            decided_on: text(self.decided_on),
            released_on: text(self.released_on),
            surrendered_on: text(self.surrendered_on),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }

    /// Whether the person is still held.
    pub fn is_held(&self) -> bool {
        self.released_on.is_none() && self.surrendered_on.is_none()
    }

    /// The running time limit, if any: after a decision, the surrender; before it, for a
    /// provisional arrest, the extradition request's arrival. None once the person is
    /// released or surrendered, or when the rule sets no limit.
    pub fn deadline(&self, rule: &CustodyRule) -> Option<Deadline> {
        if !self.is_held() {
            return None;
        }
        let (what, from, days) = match self.decided_on {
            Some(decided) => (DeadlineKind::Surrender, decided, rule.surrender_days?),
            None if self.kind == DetentionKind::ProvisionalArrest => {
                (DeadlineKind::RequestArrival, self.arrested_on, rule.arrest_days?)
            }
            None => return None,
        };
        Some(Deadline { what, on: from.checked_add_days(Days::new(u64::from(days)))? })
    }
}

/// How many days a legal basis (or a country profile, which overrides it) allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyRule {
    /// from a provisional arrest to the extradition request's arrival
    pub arrest_days: Option<u32>,
    /// from the decision to surrender to the surrender
    pub surrender_days: Option<u32>,
}

impl CustodyRule {
    /// The country's override where it sets a number, the legal basis' rule elsewhere.
    pub fn overridden_by(self, country: CustodyRule) -> CustodyRule {
        CustodyRule {
            arrest_days: country.arrest_days.or(self.arrest_days),
            surrender_days: country.surrender_days.or(self.surrender_days),
        }
    }
}

code_enum!(
    /// What a custody deadline is the last day for.
    DeadlineKind {
        RequestArrival => "request_arrival", "Extradition request to arrive";
        Surrender => "surrender", "Surrender";
    }
);

/// The last day for something to happen while a person is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub what: DeadlineKind,
    pub on: NaiveDate,
}

impl Deadline {
    /// Days from `today` to the deadline: 0 on its day, negative once it has passed.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.on - today).num_days()
    }

    pub fn is_urgent(&self, today: NaiveDate) -> bool {
        self.days_left(today) <= URGENT_DAYS
    }
}

/// A number of days as a form sends it: empty for none, else 1..=`LIMIT_DAYS_MAX`.
pub fn parse_days(e: &mut Errors, field: &str, value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) if (1..=LIMIT_DAYS_MAX).contains(&n) => Some(n),
        _ => {
            e.add(field, crate::tr!(validation.days_between, max = LIMIT_DAYS_MAX));
            None
        }
    }
}

/// A person's custody on one request, with what the custody page and the request page
/// show of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyRecord {
    pub request_id: i64,
    pub person_id: i64,
    pub custody: Custody,
    pub rule: CustodyRule,
    pub deadline: Option<Deadline>,
    pub version: i64,
}

/// "17 days left", "due today", "3 days overdue", in the current language.
pub fn days_left_text(days: i64) -> String {
    match days {
        0 => crate::tr!(custody.due_today).to_string(),
        1 => crate::tr!(custody.one_day_left).to_string(),
        n if n > 1 => crate::tr!(custody.days_left, n = n),
        n => crate::tr!(custody.days_overdue, n = -n),
    }
}

/// One held person as the custody page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldPerson {
    pub person_name: String,
    pub reference: String,
    pub direction: super::Direction,
    pub country: String,
    pub kind: super::Kind,
    pub record: CustodyRecord,
    /// days to the deadline; None when no limit runs
    pub days_left: Option<i64>,
}

/// Everyone held, by days left (no limit last), with the date the days are counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyList {
    pub today: NaiveDate,
    pub held: Vec<HeldPerson>,
}

impl CustodyList {
    /// The fewest days left of any running deadline.
    pub fn next_deadline_days(&self) -> Option<i64> {
        self.held.iter().filter_map(|h| h.days_left).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::message_for;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input(kind: &str, arrested: &str) -> CustodyInput {
        CustodyInput { kind: kind.into(), arrested_on: arrested.into(), ..Default::default() }
    }

    const ECE: CustodyRule = CustodyRule { arrest_days: Some(18), surrender_days: Some(15) };

    #[test]
    fn a_provisional_arrest_runs_until_the_request_must_arrive() {
        let c = input("provisional_arrest", "2026-03-01").validate(day("2026-03-02")).unwrap();
        let d = c.deadline(&ECE).unwrap();
        assert_eq!(d, Deadline { what: DeadlineKind::RequestArrival, on: day("2026-03-19") });
        assert_eq!(d.days_left(day("2026-03-02")), 17);
        assert!(!d.is_urgent(day("2026-03-13")));
        assert!(d.is_urgent(day("2026-03-14")));
        assert_eq!(d.days_left(day("2026-03-21")), -2);
    }

    #[test]
    fn a_decision_starts_the_surrender_clock_and_an_end_stops_every_clock() {
        let mut i = input("pending_extradition", "2026-01-10");
        assert_eq!(i.validate(day("2026-03-01")).unwrap().deadline(&ECE), None, "no decision, no limit");
        i.decided_on = "2026-02-20".into();
        let c = i.validate(day("2026-03-01")).unwrap();
        assert_eq!(c.deadline(&ECE), Some(Deadline { what: DeadlineKind::Surrender, on: day("2026-03-07") }));
        assert_eq!(c.deadline(&CustodyRule { surrender_days: None, ..ECE }), None);
        i.surrendered_on = "2026-03-01".into();
        assert_eq!(i.validate(day("2026-03-01")).unwrap().deadline(&ECE), None);
        let mut released = input("provisional_arrest", "2026-01-10");
        released.released_on = "2026-01-20".into();
        assert_eq!(released.validate(day("2026-03-01")).unwrap().deadline(&ECE), None);
    }

    #[test]
    fn a_country_override_wins_where_it_sets_a_number() {
        let country = CustodyRule { arrest_days: Some(30), surrender_days: None };
        assert_eq!(ECE.overridden_by(country), CustodyRule { arrest_days: Some(30), surrender_days: Some(15) });
        assert_eq!(ECE.overridden_by(CustodyRule::default()), ECE);
    }

    #[test]
    fn bad_input_is_answered_field_by_field() {
        let today = day("2026-03-01");
        let errors = input("", "").validate(today).unwrap_err();
        assert!(message_for(&errors, "kind").is_some());
        assert!(message_for(&errors, "arrested_on").is_some());
        let errors = input("provisional_arrest", "2026-03-02").validate(today).unwrap_err();
        assert!(message_for(&errors, "arrested_on").is_some(), "not in the future");
        let mut i = input("provisional_arrest", "2026-02-01");
        i.released_on = "2026-01-31".into();
        i.decided_on = "01.02.2026".into();
        let errors = i.validate(today).unwrap_err();
        assert!(message_for(&errors, "released_on").is_some(), "not before the arrest");
        assert!(message_for(&errors, "decided_on").is_some(), "a date as YYYY-MM-DD");
        let mut both = input("provisional_arrest", "2026-02-01");
        both.released_on = "2026-02-10".into();
        both.surrendered_on = "2026-02-11".into();
        assert!(message_for(&both.validate(today).unwrap_err(), "surrendered_on").is_some());
        let mut noisy = input("other", "2026-02-01");
        noisy.notes = "a\u{7}b".into();
        assert!(message_for(&noisy.validate(today).unwrap_err(), "notes").is_some());
    }

    #[test]
    fn a_stored_custody_gives_back_its_form() {
        let mut i = input("pending_extradition", "2026-01-10");
        i.decided_on = "2026-02-20".into();
        i.notes = "held in Vilnius".into();
        let c = i.validate(day("2026-03-01")).unwrap();
        assert_eq!(c.input(), i);
    }

    #[test]
    fn days_are_one_to_a_year() {
        let mut e = Errors::default();
        assert_eq!(parse_days(&mut e, "a", " 40 "), Some(40));
        assert_eq!(parse_days(&mut e, "b", ""), None);
        assert!(e.is_empty());
        for bad in ["0", "366", "-3", "ten", "4.5"] {
            let mut e = Errors::default();
            assert_eq!(parse_days(&mut e, "a", bad), None);
            assert!(!e.is_empty(), "{bad}");
        }
    }
}
