//! The registry list's filters, sort and page cursor, as they live in the URL so that a
//! view can be bookmarked and shared.

use super::codes::{Direction, Kind, Offence};
use super::country;
use super::request::RequestRow;
use super::status::Status;
use super::validation::{chars, has_control, Errors, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: u32 = 50;

/// "Status" in the filter: one status, or the derived groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusFilter {
    Is(Status),
    /// sent, received or in progress
    Open,
    /// open and past its due date ("no response")
    Overdue,
    /// open and not yet past its due date
    InTime,
}

impl StatusFilter {
    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::Is(s) => s.code(),
            StatusFilter::Open => "open",
            StatusFilter::Overdue => "overdue",
            StatusFilter::InTime => "in_time",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "open" => Some(StatusFilter::Open),
            "overdue" => Some(StatusFilter::Overdue),
            "in_time" => Some(StatusFilter::InTime),
            other => Status::from_code(other).map(StatusFilter::Is),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFilter {
    pub direction: Option<Direction>,
    pub country: Option<String>,
    pub status: Option<StatusFilter>,
    pub kind: Option<Kind>,
    pub offence: Option<Offence>,
    pub case_id: Option<i64>,
    /// start date from (inclusive)
    pub from: Option<NaiveDate>,
    /// start date to (inclusive)
    pub to: Option<NaiveDate>,
    /// free text over references and summary
    pub q: Option<String>,
    /// legal basis code
    pub legal_basis: Option<String>,
    /// only countries of this group
    pub group_id: Option<i64>,
    /// only requests lacking a document in a language their country accepts
    #[serde(default)]
    pub translation_missing: bool,
    /// only the requests given to this user (`AssigneeFilter::Nobody`: to no one)
    #[serde(default)]
    pub assignee: Option<AssigneeFilter>,
    /// only requests whose reminder schedule's next step falls due by today
    #[serde(default)]
    pub reminder_due: bool,
}

/// "Assigned to" in the filter: a user, or no one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssigneeFilter {
    Nobody,
    User(i64),
}

impl AssigneeFilter {
    /// "none", or the user's id, as in the URL.
    pub fn code(self) -> String {
        match self {
            AssigneeFilter::Nobody => "none".to_string(),
            AssigneeFilter::User(id) => id.to_string(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "none" => Some(AssigneeFilter::Nobody),
            id => id.parse().ok().filter(|id| *id > 0).map(AssigneeFilter::User),
        }
    }
}

/// The longest text search, in characters.
pub const SEARCH_MAX: usize = 200;

impl RequestFilter {
    /// What a filter sent to the server must meet (one read from a URL always does):
    /// a text search of at most `SEARCH_MAX` characters with no control character, and a
    /// legal basis code of at most 64.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if let Some(q) = &self.q {
            if chars(q) > SEARCH_MAX {
                e.add("q", crate::tr!(validation.at_most, max = SEARCH_MAX));
            } else if has_control(q, false) {
                e.add("q", crate::tr!(validation.no_control_characters));
            }
        }
        if let Some(b) = &self.legal_basis {
            if b.len() > 64 || has_control(b, false) {
                e.add("basis", crate::tr!(validation.choose_the_legal_basis));
            }
        }
        e.into_result(())
    }

    /// Up to how many matches the registry counts: `SEARCH_COUNT_CAP` with a text search,
    /// else `COUNT_CAP`.
    pub fn count_cap(&self) -> i64 {
        if self.q.is_some() {
            SEARCH_COUNT_CAP
        } else {
            COUNT_CAP
        }
    }
}

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortColumn {
    Reference,
    Direction,
    Country,
    Kind,
    Offence,
    Case,
    #[default]
    Start,
    Due,
    Status,
    Answered,
    /// the assignee's name (requests no one has first)
    Assignee,
}

impl SortColumn {
    pub const ALL: &'static [SortColumn] = &[
        SortColumn::Reference,
        SortColumn::Direction,
        SortColumn::Country,
        SortColumn::Kind,
        SortColumn::Offence,
        SortColumn::Case,
        SortColumn::Start,
        SortColumn::Due,
        SortColumn::Status,
        SortColumn::Answered,
        SortColumn::Assignee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortColumn::Reference => "reference",
            SortColumn::Direction => "direction",
            SortColumn::Country => "country",
            SortColumn::Kind => "kind",
            SortColumn::Offence => "offence",
            SortColumn::Case => "case",
            SortColumn::Start => "start",
            SortColumn::Due => "due",
            SortColumn::Status => "status",
            SortColumn::Answered => "answered",
            SortColumn::Assignee => "assignee",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        SortColumn::ALL.iter().copied().find(|c| c.code() == code)
    }
}

/// Everything that selects one page of the registry list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListParams {
    pub filter: RequestFilter,
    pub sort: SortColumn,
    pub desc: bool,
    /// cursor: the page after this row
    pub after: Option<String>,
    /// cursor: the page before this row
    pub before: Option<String>,
}

impl Default for ListParams {
    /// Everything, newest first.
    fn default() -> Self {
        let (sort, desc) = ListParams::default_sort();
        ListParams { filter: RequestFilter::default(), sort, desc, after: None, before: None }
    }
}

/// A page cursor: the sort key and id of the row at the page's edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub id: i64,
    pub key: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}:{}", self.id, self.key)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (id, key) = s.split_once(':')?;
        Some(Cursor { id: id.parse().ok()?, key: key.to_string() })
    }
}

/// The registry counts the matching requests up to this many: an exact count over a
/// million requests on every page view costs up to a second; beyond the cap the list
/// says "more than". (The dashboard gives exact figures for any set, from its totals.)
pub const COUNT_CAP: i64 = 10_000;

/// A text search is counted up to this many. Counting a common word's matches with other
/// filters reads every request the filters leave (at a million requests, "extradition"
/// among the refused: 100,000 rows) while a search is for finding
/// requests, not for figures: past a thousand the list says "more than 1,000" and the
/// page is still the exact one.
pub const SEARCH_COUNT_CAP: i64 = 1_000;

/// One page of the list with the total that matched and the neighbouring cursors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestPage {
    pub rows: Vec<RequestRow>,
    /// how many requests match, counted up to the filter's `count_cap`
    pub total: i64,
    /// more than the cap match (`total` is then the cap)
    pub total_capped: bool,
    pub next: Option<String>,
    pub prev: Option<String>,
}

/// A search typed or pasted into the URL as the search box would send it: control
/// characters (a NUL, a line break) become spaces, at most `SEARCH_MAX` characters.
fn search_text_of(q: &str) -> String {
    let spaced: String = q.chars().map(|c| if c.is_control() { ' ' } else { c }).take(SEARCH_MAX).collect();
    spaced.trim().to_string()
}

fn nonempty(v: Option<&String>) -> Option<&str> {
    v.map(|s| s.trim()).filter(|s| !s.is_empty())
}

impl ListParams {
    /// Reads the URL query, ignoring what it does not understand (a shared link with a
    /// stale or mistyped value still opens).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ListParams {
        let map: std::collections::HashMap<&str, String> = pairs.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        let get = |k: &str| nonempty(map.get(k));
        let filter = RequestFilter {
            direction: get("direction").and_then(Direction::from_code),
            country: get("country").and_then(country::parse).map(str::to_string),
            status: get("status").and_then(StatusFilter::from_code),
            kind: get("kind").and_then(Kind::from_code),
            offence: get("offence").and_then(Offence::from_code),
            case_id: get("case").and_then(|c| c.parse().ok()),
            from: get("from").and_then(|d| d.parse().ok()),
            to: get("to").and_then(|d| d.parse().ok()),
            q: get("q").map(search_text_of).filter(|q| !q.is_empty()),
            legal_basis: get("basis").filter(|b| b.len() <= 64).map(str::to_string),
            group_id: get("group").and_then(|g| g.parse().ok()),
            translation_missing: get("translation") == Some("missing"),
            assignee: get("assignee").and_then(AssigneeFilter::from_code),
            reminder_due: get("reminder") == Some("due"),
        };
        let sort = get("sort").and_then(SortColumn::from_code).unwrap_or_default();
        let desc = match get("dir") {
            Some("asc") => false,
            Some("desc") => true,
            _ => sort == SortColumn::Start && get("sort").is_none(),
        };
        ListParams {
            filter,
            sort,
            desc,
            after: get("after").filter(|c| Cursor::decode(c).is_some()).map(str::to_string),
            before: get("before").filter(|c| Cursor::decode(c).is_some()).map(str::to_string),
        }
    }

    /// The URL query for these parameters (only what differs from the defaults).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let f = &self.filter;
        let mut out = Vec::new();
        if let Some(d) = f.direction {
            out.push(("direction", d.code().to_string()));
        }
        if let Some(c) = &f.country {
            out.push(("country", c.clone()));
        }
        if let Some(s) = f.status {
            out.push(("status", s.code().to_string()));
        }
        if let Some(k) = f.kind {
            out.push(("kind", k.code().to_string()));
        }
        if let Some(o) = f.offence {
            out.push(("offence", o.code().to_string()));
        }
        if let Some(c) = f.case_id {
            out.push(("case", c.to_string()));
        }
        if let Some(d) = f.from {
            out.push(("from", d.to_string()));
        }
        if let Some(d) = f.to {
            out.push(("to", d.to_string()));
        }
        if let Some(q) = &f.q {
            out.push(("q", q.clone()));
        }
        if let Some(b) = &f.legal_basis {
            out.push(("basis", b.clone()));
        }
        if let Some(g) = f.group_id {
            out.push(("group", g.to_string()));
        }
        if f.translation_missing {
            out.push(("translation", "missing".to_string()));
        }
        if let Some(a) = f.assignee {
            out.push(("assignee", a.code()));
        }
        if f.reminder_due {
            out.push(("reminder", "due".to_string()));
        }
        let default = ListParams::default_sort();
        if (self.sort, self.desc) != default {
            out.push(("sort", self.sort.code().to_string()));
            out.push(("dir", if self.desc { "desc" } else { "asc" }.to_string()));
        }
        if let Some(a) = &self.after {
            out.push(("after", a.clone()));
        }
        if let Some(b) = &self.before {
            out.push(("before", b.clone()));
        }
        out
    }

    /// Newest first by start date.
    pub fn default_sort() -> (SortColumn, bool) {
        (SortColumn::Start, true)
    }

    pub fn href(&self, path: &str) -> String {
        let pairs = self.to_pairs();
        if pairs.is_empty() {
            return path.to_string();
        }
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        format!("{path}?{}", query.join("&"))
    }

    /// The same view sorted by `column` (toggling the direction when it already is),
    /// from its first page.
    pub fn sorted_by(&self, column: SortColumn) -> ListParams {
        let desc = if self.sort == column {
            !self.desc
        } else {
            matches!(column, SortColumn::Start | SortColumn::Due | SortColumn::Answered)
        };
        ListParams { sort: column, desc, after: None, before: None, ..self.clone() }
    }

    pub fn page_after(&self, cursor: &str) -> ListParams {
        ListParams { after: Some(cursor.to_string()), before: None, ..self.clone() }
    }

    pub fn page_before(&self, cursor: &str) -> ListParams {
        ListParams { after: None, before: Some(cursor.to_string()), ..self.clone() }
    }
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_from_the_url_has_no_control_characters_and_one_sent_with_them_is_refused() {
        let p = ListParams::from_pairs([("q", "a\u{0}b\nc")]);
        assert_eq!(p.filter.q.as_deref(), Some("a b c"));
        assert!(p.filter.validate().is_ok());
        assert_eq!(ListParams::from_pairs([("q", "\u{0}")]).filter.q, None);
        let long = "ж".repeat(SEARCH_MAX + 5);
        assert_eq!(ListParams::from_pairs([("q", long.as_str())]).filter.q.map(|q| q.chars().count()), Some(SEARCH_MAX));

        let sent = RequestFilter { q: Some("a\u{0}b".into()), ..Default::default() };
        let errors = sent.validate().unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].message.as_str()),
            ("q", "Remove the invisible control characters from this text.")
        );
        let sent = RequestFilter { q: Some("x".repeat(SEARCH_MAX + 1)), ..Default::default() };
        assert_eq!(sent.validate().unwrap_err()[0].field, "q");
        let sent = RequestFilter { legal_basis: Some("b\u{0}".into()), ..Default::default() };
        assert_eq!(sent.validate().unwrap_err()[0].field, "basis");
    }

    #[test]
    fn query_round_trip() {
        let p = ListParams::from_pairs([
            ("direction", "incoming"),
            ("country", "Germany"),
            ("status", "overdue"),
            ("q", "2-16/2025"),
            ("sort", "reference"),
            ("dir", "asc"),
            ("bogus", "x"),
            ("kind", "not-a-kind"),
            ("translation", "missing"),
            ("assignee", "7"),
            ("reminder", "due"),
        ]);
        assert!(p.filter.translation_missing && p.filter.reminder_due);
        assert_eq!(p.filter.assignee, Some(AssigneeFilter::User(7)));
        assert_eq!(p.filter.direction, Some(Direction::Incoming));
        assert_eq!(p.filter.country.as_deref(), Some("DE"));
        assert_eq!(p.filter.status, Some(StatusFilter::Overdue));
        assert_eq!(p.filter.kind, None);
        assert_eq!(p.sort, SortColumn::Reference);
        assert!(!p.desc);
        let href = p.href("/requests");
        assert_eq!(
            href,
            "/requests?direction=incoming&country=DE&status=overdue&q=2-16%2F2025&translation=missing&assignee=7&reminder=due\
             &sort=reference&dir=asc"
        );
        let nobody = ListParams::from_pairs([("assignee", "none")]);
        assert_eq!(nobody.filter.assignee, Some(AssigneeFilter::Nobody));
        for bad in ["0", "-3", "me", ""] {
            assert_eq!(ListParams::from_pairs([("assignee", bad)]).filter.assignee, None, "{bad}");
        }
    }

    #[test]
    fn a_text_search_is_counted_to_its_own_cap() {
        let search = ListParams::from_pairs([("q", "extradition"), ("status", "refused")]);
        assert_eq!(search.filter.count_cap(), SEARCH_COUNT_CAP);
        let filters = ListParams::from_pairs([("status", "refused")]);
        assert_eq!(filters.filter.count_cap(), COUNT_CAP);
        const { assert!(SEARCH_COUNT_CAP < COUNT_CAP) };
    }

    #[test]
    fn default_sort_is_newest_first_and_not_in_url() {
        let p = ListParams::from_pairs([]);
        assert_eq!((p.sort, p.desc), (SortColumn::Start, true));
        assert_eq!(p.href("/requests"), "/requests");
    }

    #[test]
    fn sorting_toggles_and_resets_the_page() {
        let p = ListParams { after: Some("3:x".into()), ..ListParams::from_pairs([]) };
        let s = p.sorted_by(SortColumn::Start);
        assert!(!s.desc);
        assert_eq!(s.after, None);
        assert!(!p.sorted_by(SortColumn::Country).desc);
    }

    #[test]
    fn cursor_round_trip_and_bad_cursors_ignored() {
        let c = Cursor { id: 42, key: "2025-01-01:x".into() };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        let p = ListParams::from_pairs([("after", "nonsense")]);
        assert_eq!(p.after, None);
    }
}
