//! A request for legal assistance: what the form sends, the rules it must meet, and what
//! the registry stores and shows.

use super::codes::{legal_basis_needs_note, Direction, Kind, Offence, RefusalGround};
use super::country;
use super::status::{is_overdue, Status};
use super::validation::{chars, has_control, optional as opt, parse_date, Errors, FieldError};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub const REFERENCE_MAX: usize = 64;
pub const THEIR_REFERENCE_MAX: usize = 64;
pub const AUTHORITY_MAX: usize = 200;
pub const NOTE_MAX: usize = 500;
pub const SUMMARY_MAX: usize = 2000;
pub const CASE_NUMBER_MAX: usize = 64;
pub const CASE_TITLE_MAX: usize = 300;
/// The office's answer period when no setting says otherwise.
pub const DEFAULT_ANSWER_PERIOD_DAYS: u32 = 90;

/// The request form as typed: every field as text, so that nothing a person types is
/// lost before it is checked. The same shape is used for a new request and an edit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestInput {
    pub reference: String,
    pub their_reference: String,
    pub direction: String,
    pub country: String,
    pub counterpart_authority: String,
    pub kind: String,
    pub legal_basis: String,
    pub legal_basis_note: String,
    pub offence: String,
    pub case_number: String,
    pub case_title: String,
    pub summary: String,
    pub urgent: bool,
    pub start_date: String,
    pub due_on: String,
    pub status: String,
    pub answered_on: String,
    pub refusal_ground: String,
    pub refusal_note: String,
}

/// A request that passed every rule: typed, trimmed, with its due date settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidRequest {
    pub reference: String,
    pub their_reference: Option<String>,
    pub direction: Direction,
    pub country: String,
    pub counterpart_authority: Option<String>,
    pub kind: Kind,
    pub legal_basis: String,
    pub legal_basis_note: Option<String>,
    pub offence: Offence,
    pub case: Option<CaseRef>,
    pub summary: Option<String>,
    pub urgent: bool,
    pub start_date: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub status: Status,
    pub answered_on: Option<NaiveDate>,
    pub refusal_ground: Option<RefusalGround>,
    pub refusal_note: Option<String>,
}

/// The case a request serves, by its number; the title is used only when the case does
/// not exist yet and is created with the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    pub number: String,
    pub title: Option<String>,
}

/// What makes two registry numbers the same: letter case does not count ("R-1/2025"
/// and "r-1/2025" are one request), in any alphabet.
pub fn reference_key(reference: &str) -> String {
    reference.trim().to_lowercase()
}

/// A request's outcome as entered: its status, its start and answer dates, its refusal.
pub struct Outcome<'a> {
    pub status: Status,
    pub start: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub refusal_ground: Option<RefusalGround>,
    pub refusal_note: Option<&'a str>,
}

/// Checks the answer date and refusal fields against the status and start date: the
/// rules shared by the full form and the quick status change. The answer date's errors
/// go to `answered_field`.
pub fn check_outcome(errors: &mut Errors, outcome: Outcome<'_>, today: NaiveDate, answered_field: &str) {
    let Outcome { status, start, answered_on, refusal_ground, refusal_note } = outcome;
    if status.is_answered() {
        match answered_on {
            None => errors.add(answered_field, crate::tr!(validation.enter_the_date_of_the_answer)),
            Some(a) if a > today => errors.add(answered_field, crate::tr!(validation.the_answer_date_cannot_be_in)),
            Some(a) if start.is_some_and(|s| a < s) => {
                errors.add(answered_field, crate::tr!(validation.the_answer_cannot_come_before_the))
            }
            _ => {}
        }
    }
    if status == Status::Refused {
        match refusal_ground {
            None => errors.add("refusal_ground", crate::tr!(validation.choose_the_ground_of_refusal)),
            Some(RefusalGround::Other) if refusal_note.is_none_or(|n| n.trim().is_empty()) => {
                errors.add("refusal_note", crate::tr!(validation.describe_the_ground_of_refusal))
            }
            _ => {}
        }
    } else if refusal_ground.is_some() {
        errors.add("refusal_ground", crate::tr!(validation.only_a_refused_request_has_a));
    }
    if let Some(n) = refusal_note {
        if chars(n) > NOTE_MAX {
            errors.add("refusal_note", crate::tr!(validation.at_most, max = NOTE_MAX));
        }
    }
}

impl RequestInput {
    /// Applies every rule of the domain reference. `today` is the clerk's date (no date
    /// may be in the future); `answer_period_days` fills an empty due date.
    pub fn validate(&self, today: NaiveDate, answer_period_days: u32) -> Result<ValidRequest, Vec<FieldError>> {
        let mut e = Errors::default();
        for (field, value, multi_line) in [
            ("reference", &self.reference, false),
            ("their_reference", &self.their_reference, false),
            ("counterpart_authority", &self.counterpart_authority, false),
            ("legal_basis_note", &self.legal_basis_note, true),
            ("case_number", &self.case_number, false),
            ("case_title", &self.case_title, false),
            ("summary", &self.summary, true),
            ("refusal_note", &self.refusal_note, true),
        ] {
            if has_control(value, multi_line) {
                e.add(field, crate::tr!(validation.no_control_characters));
            }
        }

        let reference = self.reference.trim().to_string();
        if reference.is_empty() {
            e.add("reference", crate::tr!(validation.enter_the_registry_number));
        } else if chars(&reference) > REFERENCE_MAX {
            e.add("reference", crate::tr!(validation.at_most, max = REFERENCE_MAX));
        }
        let their_reference = opt(&self.their_reference);
        if their_reference.as_deref().is_some_and(|r| chars(r) > THEIR_REFERENCE_MAX) {
            e.add("their_reference", crate::tr!(validation.at_most, max = THEIR_REFERENCE_MAX));
        }

        let direction = Direction::from_code(&self.direction);
        if direction.is_none() {
            e.add("direction", crate::tr!(validation.choose_outgoing_or_incoming));
        }

        let country = country::parse(&self.country);
        if self.country.trim().is_empty() {
            e.add("country", crate::tr!(validation.choose_the_country));
        } else if country.is_none() {
            e.add("country", crate::tr!(validation.unknown_country_choose_one_from_the));
        }

        let authority = opt(&self.counterpart_authority);
        if authority.as_deref().is_some_and(|a| chars(a) > AUTHORITY_MAX) {
            e.add("counterpart_authority", crate::tr!(validation.at_most, max = AUTHORITY_MAX));
        }

        let kind = Kind::from_code(&self.kind);
        if kind.is_none() {
            e.add("kind", crate::tr!(validation.choose_the_kind_of_assistance));
        }

        let legal_basis = self.legal_basis.trim().to_string();
        let legal_basis_note = opt(&self.legal_basis_note);
        if legal_basis.is_empty() {
            e.add("legal_basis", crate::tr!(validation.choose_the_legal_basis));
        } else if legal_basis_needs_note(&legal_basis) && legal_basis_note.is_none() {
            e.add(
                "legal_basis_note",
                if legal_basis == "bilateral" {
                    crate::tr!(validation.name_the_treaty)
                } else {
                    crate::tr!(validation.describe_the_legal_basis)
                },
            );
        }
        if legal_basis_note.as_deref().is_some_and(|n| chars(n) > NOTE_MAX) {
            e.add("legal_basis_note", crate::tr!(validation.at_most, max = NOTE_MAX));
        }

        let offence = Offence::from_code(&self.offence);
        if offence.is_none() {
            e.add("offence", crate::tr!(validation.choose_the_offence_category));
        }

        let case = opt(&self.case_number).map(|number| CaseRef { number, title: opt(&self.case_title) });
        if let Some(c) = &case {
            if chars(&c.number) > CASE_NUMBER_MAX {
                e.add("case_number", crate::tr!(validation.at_most, max = CASE_NUMBER_MAX));
            }
            if c.title.as_deref().is_some_and(|t| chars(t) > CASE_TITLE_MAX) {
                e.add("case_title", crate::tr!(validation.at_most, max = CASE_TITLE_MAX));
            }
        }

        let summary = opt(&self.summary);
        if summary.as_deref().is_some_and(|s| chars(s) > SUMMARY_MAX) {
            e.add("summary", crate::tr!(validation.at_most, max = SUMMARY_MAX));
        }

        let status = Status::from_code(&self.status);
        match (status, direction) {
            (None, _) => e.add("status", crate::tr!(validation.choose_the_status)),
            (Some(s), Some(d)) if !s.fits(d) => e.add(
                "status",
                match d {
                    Direction::Outgoing => crate::tr!(validation.an_outgoing_request_is_sent_not),
                    Direction::Incoming => crate::tr!(validation.an_incoming_request_is_received_not),
                },
            ),
            _ => {}
        }

        let start_date = match parse_date(&self.start_date) {
            Ok(d) => d,
            Err(m) => {
                e.add("start_date", m);
                None
            }
        };
        let start_invalid = !self.start_date.trim().is_empty() && start_date.is_none();
        if let Some(s) = start_date {
            if s > today {
                e.add("start_date", crate::tr!(validation.the_date_cannot_be_in_the));
            }
        } else if !start_invalid && status.is_some_and(|s| s != Status::Draft) {
            e.add(
                "start_date",
                match direction {
                    Some(Direction::Incoming) => crate::tr!(validation.enter_date_received),
                    _ => crate::tr!(validation.enter_date_sent),
                },
            );
        }

        let due_on = match parse_date(&self.due_on) {
            Ok(Some(due)) => {
                if start_date.is_some_and(|s| due < s) {
                    e.add("due_on", crate::tr!(validation.the_due_date_cannot_come_before));
                }
                Some(due)
            }
            Ok(None) => start_date.and_then(|s| s.checked_add_days(Days::new(answer_period_days as u64))),
            Err(m) => {
                e.add("due_on", m);
                None
            }
        };

        let answered_on = match parse_date(&self.answered_on) {
            Ok(d) => d,
            Err(m) => {
                e.add("answered_on", m);
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
        if let Some(st) = status {
            if !st.is_answered() && answered_on.is_some() {
                e.add("answered_on", crate::tr!(validation.only_a_fulfilled_partially_fulfilled_or));
            }
            let outcome =
                Outcome { status: st, start: start_date, answered_on, refusal_ground, refusal_note: refusal_note.as_deref() };
            check_outcome(&mut e, outcome, today, "answered_on");
        }

        if !e.is_empty() {
            return Err(e.0);
        }
        let status = status.expect("checked");
        Ok(ValidRequest {
            reference,
            their_reference,
            direction: direction.expect("checked"),
            country: country.expect("checked").to_string(),
            counterpart_authority: authority,
            kind: kind.expect("checked"),
            legal_basis,
            legal_basis_note,
            offence: offence.expect("checked"),
            case,
            summary,
            urgent: self.urgent,
            start_date,
            due_on,
            answered_on: if status.is_answered() { answered_on } else { None },
            refusal_ground: if status == Status::Refused { refusal_ground } else { None },
            refusal_note: if status == Status::Refused { refusal_note } else { None },
            status,
        })
    }
}

/// A stored request, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: i64,
    pub reference: String,
    pub their_reference: Option<String>,
    pub direction: Direction,
    pub country: String,
    pub counterpart_authority: Option<String>,
    pub kind: Kind,
    pub legal_basis: String,
    pub legal_basis_label: String,
    pub legal_basis_note: Option<String>,
    pub offence: Offence,
    pub case_id: Option<i64>,
    pub case_number: Option<String>,
    pub case_title: Option<String>,
    pub summary: Option<String>,
    pub urgent: bool,
    pub start_date: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub status: Status,
    pub answered_on: Option<NaiveDate>,
    pub refusal_ground: Option<RefusalGround>,
    pub refusal_note: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Request {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        is_overdue(self.status, self.due_on, today)
    }

    /// The form pre-filled with this request, for an edit.
    pub fn to_input(&self) -> RequestInput {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        RequestInput {
            reference: self.reference.clone(),
            their_reference: self.their_reference.clone().unwrap_or_default(),
            direction: self.direction.code().to_string(),
            country: country::option_label(&self.country),
            counterpart_authority: self.counterpart_authority.clone().unwrap_or_default(),
            kind: self.kind.code().to_string(),
            legal_basis: self.legal_basis.clone(),
            legal_basis_note: self.legal_basis_note.clone().unwrap_or_default(),
            offence: self.offence.code().to_string(),
            case_number: self.case_number.clone().unwrap_or_default(),
            case_title: String::new(),
            summary: self.summary.clone().unwrap_or_default(),
            urgent: self.urgent,
            start_date: date(self.start_date),
            due_on: date(self.due_on),
            status: self.status.code().to_string(),
            answered_on: date(self.answered_on),
            refusal_ground: self.refusal_ground.map(|g| g.code().to_string()).unwrap_or_default(),
            refusal_note: self.refusal_note.clone().unwrap_or_default(),
        }
    }
}

/// One row of the registry list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: i64,
    pub reference: String,
    pub direction: Direction,
    pub country: String,
    pub kind: Kind,
    pub offence: Offence,
    pub case_id: Option<i64>,
    pub case_number: Option<String>,
    pub urgent: bool,
    pub start_date: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub status: Status,
    pub answered_on: Option<NaiveDate>,
    pub overdue: bool,
    /// the assignee's name
    #[serde(default)]
    pub assignee: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::message_for;

    fn today() -> NaiveDate {
        "2025-06-10".parse().unwrap()
    }

    fn good() -> RequestInput {
        RequestInput {
            reference: " 2-16/2025/0173 ".into(),
            direction: "outgoing".into(),
            country: "Germany".into(),
            kind: "evidence".into(),
            legal_basis: "european_mla_1959".into(),
            offence: "fraud".into(),
            start_date: "2025-03-01".into(),
            status: "sent".into(),
            ..Default::default()
        }
    }

    fn errors_of(input: &RequestInput) -> Vec<FieldError> {
        input.validate(today(), 90).expect_err("should fail")
    }

    fn has(errors: &[FieldError], field: &str) -> bool {
        errors.iter().any(|e| e.field == field)
    }

    #[test]
    fn a_good_request_passes_trimmed_with_due_date_from_the_answer_period() {
        let v = good().validate(today(), 90).unwrap();
        assert_eq!(v.reference, "2-16/2025/0173");
        assert_eq!(v.country, "DE");
        assert_eq!(v.due_on, Some("2025-05-30".parse().unwrap()));
        assert_eq!(v.status, Status::Sent);
        assert!(v.case.is_none());
    }

    #[test]
    fn control_characters_and_far_dates_are_refused_field_by_field() {
        let bad = RequestInput {
            reference: "R\u{0}1".into(),
            summary: "two lines\nand a tab\tare fine, a bell \u{7} is not".into(),
            due_on: "+262142-12-31".into(),
            ..good()
        };
        let errors = errors_of(&bad);
        assert_eq!(message_for(&errors, "reference"), Some("Remove the invisible control characters from this text."));
        assert_eq!(message_for(&errors, "summary"), Some("Remove the invisible control characters from this text."));
        assert_eq!(message_for(&errors, "due_on"), Some("Enter a date as YYYY-MM-DD."));
        let fine = RequestInput { summary: "two lines\nand a tab\t".into(), due_on: "2199-12-31".into(), ..good() };
        assert!(fine.validate(today(), 90).is_ok());
        let far = RequestInput { due_on: "9999-12-31".into(), ..good() };
        assert_eq!(message_for(&errors_of(&far), "due_on"), Some("Enter a date between the years 1900 and 2199."));
    }

    #[test]
    fn registry_numbers_differing_in_letter_case_are_one() {
        assert_eq!(reference_key("R-1/2025"), reference_key("r-1/2025"));
        assert_eq!(reference_key("ЗАПРОС-7/Нд"), reference_key("запрос-7/нД"));
        assert_eq!(reference_key(" A-1 "), "a-1");
        assert_ne!(reference_key("A-1"), reference_key("A-2"));
    }

    #[test]
    fn required_fields() {
        let errs = errors_of(&RequestInput::default());
        for f in ["reference", "direction", "country", "kind", "legal_basis", "offence", "status"] {
            assert!(has(&errs, f), "missing error for {f}: {errs:?}");
        }
    }

    #[test]
    fn reference_length_counts_characters() {
        let mut i = good();
        i.reference = "Ж".repeat(64);
        assert!(i.validate(today(), 90).is_ok());
        i.reference = "Ж".repeat(65);
        assert!(has(&errors_of(&i), "reference"));
    }

    #[test]
    fn unknown_country_is_rejected() {
        let mut i = good();
        i.country = "Atlantis".into();
        assert!(has(&errors_of(&i), "country"));
    }

    #[test]
    fn future_start_date_is_rejected() {
        let mut i = good();
        i.start_date = "2025-06-11".into();
        let errs = errors_of(&i);
        assert_eq!(crate::domain::validation::message_for(&errs, "start_date"), Some("The date cannot be in the future."));
    }

    #[test]
    fn start_date_required_unless_draft() {
        let mut i = good();
        i.start_date.clear();
        assert!(has(&errors_of(&i), "start_date"));
        i.status = "draft".into();
        let v = i.validate(today(), 90).unwrap();
        assert_eq!(v.start_date, None);
        assert_eq!(v.due_on, None);
    }

    #[test]
    fn bad_date_format() {
        let mut i = good();
        i.start_date = "01.03.2025".into();
        assert_eq!(crate::domain::validation::message_for(&errors_of(&i), "start_date"), Some("Enter a date as YYYY-MM-DD."));
    }

    #[test]
    fn answered_needs_date_not_before_start() {
        let mut i = good();
        i.status = "fulfilled".into();
        assert!(has(&errors_of(&i), "answered_on"));
        i.answered_on = "2025-02-01".into();
        assert_eq!(
            crate::domain::validation::message_for(&errors_of(&i), "answered_on"),
            Some("The answer cannot come before the request was sent or received.")
        );
        i.answered_on = "2025-04-01".into();
        assert_eq!(i.validate(today(), 90).unwrap().answered_on, Some("2025-04-01".parse().unwrap()));
    }

    #[test]
    fn refused_needs_ground_and_other_needs_text() {
        let mut i = good();
        i.status = "refused".into();
        i.answered_on = "2025-04-01".into();
        assert!(has(&errors_of(&i), "refusal_ground"));
        i.refusal_ground = "other".into();
        assert!(has(&errors_of(&i), "refusal_note"));
        i.refusal_note = "Request lost in transit".into();
        let v = i.validate(today(), 90).unwrap();
        assert_eq!(v.refusal_ground, Some(RefusalGround::Other));
    }

    #[test]
    fn ground_only_for_refused() {
        let mut i = good();
        i.refusal_ground = "dual_criminality".into();
        assert!(has(&errors_of(&i), "refusal_ground"));
    }

    #[test]
    fn status_must_fit_direction() {
        let mut i = good();
        i.status = "received".into();
        assert!(has(&errors_of(&i), "status"));
    }

    #[test]
    fn due_date_not_before_start_and_explicit_due_kept() {
        let mut i = good();
        i.due_on = "2025-02-01".into();
        assert!(has(&errors_of(&i), "due_on"));
        i.due_on = "2025-04-15".into();
        assert_eq!(i.validate(today(), 90).unwrap().due_on, Some("2025-04-15".parse().unwrap()));
    }

    #[test]
    fn bilateral_and_other_bases_need_a_note() {
        let mut i = good();
        i.legal_basis = "bilateral".into();
        assert_eq!(crate::domain::validation::message_for(&errors_of(&i), "legal_basis_note"), Some("Name the treaty."));
        i.legal_basis_note = "Treaty between X and Y, 1998".into();
        assert!(i.validate(today(), 90).is_ok());
    }

    #[test]
    fn summary_limit() {
        let mut i = good();
        i.summary = "a".repeat(2001);
        assert!(has(&errors_of(&i), "summary"));
    }

    #[test]
    fn case_is_kept_with_title() {
        let mut i = good();
        i.case_number = " 12-2024-77 ".into();
        i.case_title = "Bridge collapse".into();
        let v = i.validate(today(), 90).unwrap();
        assert_eq!(v.case, Some(CaseRef { number: "12-2024-77".into(), title: Some("Bridge collapse".into()) }));
    }
}
