//! The request queries' conditions written as SQL: a filter's WHERE (`push_filter`, and
//! `push_filter_with` for the list's walks), the sort orders' keys and the keyset after a
//! cursor. Every value is a bound parameter; only column names and operators are written.

use super::search::{like_pattern, trigram_query, ID_OF_ROW, SEARCH_INDEXES};
use super::sql::{Param, Sql};
use crate::domain::filter::{AssigneeFilter, Cursor, SortColumn, StatusFilter};
use crate::domain::RequestFilter;

/// The open statuses (`Status::is_open`) and the answered ones (`Status::is_answered`)
/// as SQL lists, for `status IN ...`; the one place they are written (a test checks them
/// against `Status`).
pub(crate) const OPEN: &str = "('sent', 'received', 'in_progress')";
pub(crate) const ANSWERED: &str = "('fulfilled', 'partially_fulfilled', 'refused')";

/// The requests lacking a document in a language their country accepts (domain.md,
/// "Documents"): outgoing and
/// open, to a country whose profile names languages, with no document sent in one of them.
pub(crate) fn translation_missing() -> String {
    let outgoing = crate::domain::Direction::Outgoing.code();
    let sent = crate::domain::document::DocumentFlow::Sent.code();
    format!(
        "(r.direction = '{outgoing}' AND r.status IN {OPEN} \
         AND EXISTS (SELECT 1 FROM country_languages cl WHERE cl.country = r.country) \
         AND NOT EXISTS (SELECT 1 FROM documents d JOIN country_languages cl ON cl.country = r.country AND cl.language = d.language \
         WHERE d.request_id = r.id AND d.flow = '{sent}'))"
    )
}

/// The name of request `r`'s assignee ('' for none).
pub(crate) const ASSIGNEE_NAME_KEY: &str = "COALESCE((SELECT u.display_name FROM users u WHERE u.id = r.assignee_id), '')";

/// The SQL expression each sort column orders by (never user text).
pub(crate) fn sort_key(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Reference => "r.reference",
        SortColumn::Direction => "r.direction",
        SortColumn::Country => "r.country",
        SortColumn::Kind => "r.kind",
        SortColumn::Offence => "r.offence",
        SortColumn::Case => "COALESCE(c.number, '')",
        SortColumn::Start => "COALESCE(r.start_date, '')",
        SortColumn::Due => "COALESCE(r.due_on, '')",
        SortColumn::Status => "r.status",
        SortColumn::Answered => "COALESCE(r.answered_on, '')",
        SortColumn::Assignee => ASSIGNEE_NAME_KEY,
    }
}

/// Appends the keyset condition: the rows after `cursor` in the order by `key`, then id.
pub(crate) fn push_keyset(sql: &mut Sql, key: &str, desc: bool, cursor: Option<&Cursor>) {
    if let Some(c) = cursor {
        let op = if desc { "<" } else { ">" };
        sql.push(&format!(" AND ({key} {op} ")).bind(Param::Text(c.key.clone()));
        sql.push(&format!(" OR ({key} = ")).bind(Param::Text(c.key.clone()));
        sql.push(&format!(" AND r.id {op} ")).int(c.id);
        sql.push("))");
    }
}

/// Appends the WHERE conditions of the filter (on `requests r`).
pub(crate) fn push_filter(sql: &mut Sql, f: &RequestFilter, today: &str) {
    push_filter_with(sql, f, today, None, Through::SortOrder, false)
}

/// The index a list page's walk goes through (`push_filter_with`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Through {
    /// the sort order's own index, or the planner's choice when there is no walk
    SortOrder,
    /// an index of the open requests alone, in the sort order
    OpenRequests,
    /// an index by country and the sort order's date
    Country,
}

/// `push_filter`; with `walk` (the sort column of a list page), the equality filters on
/// the coarse columns (direction, country, status, kind, offence, legal basis) other than
/// the sort column itself are written so that no index serves them (`r.kind || ''`): the
/// page then walks the index of its sort order and stops after one page, instead of
/// reading every match through a filter's index and sorting them all
/// (docs/decisions/0004-list-plans.md). The case keeps its index: it is selective.
///
/// `through` names the index the walk goes through when it is not the sort order's own:
/// the open requests' (which SQLite uses only when the status filter is written as the
/// index's condition is), or the country's in date order (whose country is kept).
///
/// With `trigrams`, the text search goes through the trigram index (SQLite).
pub(crate) fn push_filter_with(
    sql: &mut Sql,
    f: &RequestFilter,
    today: &str,
    walk: Option<SortColumn>,
    through: Through,
    trigrams: bool,
) {
    // one status and a date order: its own index (status, date) is walked
    let status_and_date =
        matches!(f.status, Some(StatusFilter::Is(_))) && matches!(walk, Some(SortColumn::Start | SortColumn::Due));
    let col = |name: &str| match walk {
        Some(_) if name == "status" && (status_and_date || through == Through::OpenRequests) => format!("r.{name}"),
        Some(_) if name == "country" && through == Through::Country => format!("r.{name}"),
        Some(sort) if sort_key(sort) != format!("r.{name}") => format!("(r.{name} || '')"),
        _ => format!("r.{name}"),
    };
    // every field named, so that a new filter cannot be left out of the SQL unseen
    let RequestFilter {
        direction,
        country,
        status,
        kind,
        offence,
        case_id,
        from,
        to,
        q,
        legal_basis,
        group_id,
        translation_missing: missing,
        assignee,
        reminder_due,
    } = f;
    sql.push(" WHERE 1 = 1");
    if let Some(d) = direction {
        sql.push(&format!(" AND {} = ", col("direction"))).text(d.code());
    }
    if let Some(c) = country {
        sql.push(&format!(" AND {} = ", col("country"))).text(c.as_str());
    }
    match status {
        Some(StatusFilter::Is(s)) => {
            sql.push(&format!(" AND {} = ", col("status"))).text(s.code());
        }
        Some(StatusFilter::Open) => {
            sql.push(&format!(" AND {} IN {OPEN}", col("status")));
        }
        Some(StatusFilter::Overdue) => {
            sql.push(&format!(" AND {} IN {OPEN} AND r.due_on < ", col("status"))).text(today);
            // the same condition on the key of the indexes by due date (a due date before
            // today is never NULL), so that a walk by due date starts at today's date
            // rather than passing every request due later
            sql.push(" AND COALESCE(r.due_on, '') < ").text(today);
        }
        Some(StatusFilter::InTime) => {
            sql.push(&format!(" AND {} IN {OPEN} AND (r.due_on IS NULL OR r.due_on >= ", col("status"))).text(today);
            sql.push(")");
        }
        None => {}
    }
    if let Some(k) = kind {
        sql.push(&format!(" AND {} = ", col("kind"))).text(k.code());
    }
    if let Some(o) = offence {
        sql.push(&format!(" AND {} = ", col("offence"))).text(o.code());
    }
    if let Some(c) = case_id {
        sql.push(" AND r.case_id = ").int(*c);
    }
    if let Some(d) = from {
        sql.push(" AND r.start_date >= ").text(d.to_string());
    }
    if let Some(d) = to {
        sql.push(" AND r.start_date <= ").text(d.to_string());
    }
    if let Some(b) = legal_basis {
        sql.push(&format!(" AND {} = ", col("legal_basis"))).text(b.as_str());
    }
    if let Some(g) = group_id {
        sql.push(&format!(" AND {} IN (SELECT country FROM country_group_members WHERE group_id = ", col("country"))).int(*g);
        sql.push(")");
    }
    if *missing {
        sql.push(&format!(" AND {}", translation_missing()));
    }
    match assignee {
        Some(AssigneeFilter::User(id)) => {
            sql.push(" AND r.assignee_id = ").int(*id);
        }
        Some(AssigneeFilter::Nobody) => {
            sql.push(" AND r.assignee_id IS NULL");
        }
        None => {}
    }
    if *reminder_due {
        // set only while the request is outgoing and open (`reminders::refresh`)
        sql.push(" AND r.next_reminder_on <= ").text(today);
    }
    if let Some(q) = q {
        if let Some(query) = trigrams.then(|| trigram_query(q)).flatten() {
            let index = SEARCH_INDEXES[0];
            sql.push(&format!(" AND r.id IN (SELECT rowid{ID_OF_ROW} FROM {index} WHERE {index} MATCH ")).text(query).push(")");
        }
        sql.push(" AND r.search_text LIKE ").text(like_pattern(q)).push(" ESCAPE '\\'");
    }
}

#[cfg(test)]
mod status_lists {
    use crate::domain::Status;

    fn sql_list(keep: fn(Status) -> bool) -> String {
        let codes: Vec<String> = Status::ALL.iter().filter(|s| keep(**s)).map(|s| format!("'{}'", s.code())).collect();
        format!("({})", codes.join(", "))
    }

    #[test]
    fn the_sql_lists_are_those_of_the_statuses() {
        assert_eq!(super::OPEN, sql_list(Status::is_open));
        assert_eq!(super::ANSWERED, sql_list(Status::is_answered));
    }
}
