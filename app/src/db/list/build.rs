//! The SQL of each list plan (`plan`): the count's setting aside, the look ahead, and the
//! page. Every value is bound; only names of columns, indexes and operators are written.

use super::plan::{Hint, PagePlan, SetAside, SetAsideWay, LOOK_AHEAD};
use crate::db::conditions::{push_filter, push_filter_with, push_keyset, sort_key, Through};
use crate::db::search::{like_pattern, row_number, text_in_index_parts, ID_OF_ROW};
use crate::db::sql::Sql;
use crate::db::Db;
use crate::domain::filter::{Cursor, ListParams, SortColumn, PAGE_SIZE};
use crate::domain::RequestFilter;

/// The page's order: the sort column's key, then the id; reversed to read the page
/// before a cursor (its rows are put back in order after).
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub key: &'static str,
    pub desc: bool,
    pub backwards: bool,
    pub cursor: Option<Cursor>,
    /// whether the list was asked for the page after a cursor
    pub after: bool,
}

impl Order {
    pub(crate) fn of(p: &ListParams) -> Order {
        let after = p.after.as_deref().and_then(Cursor::decode);
        let before = if after.is_none() { p.before.as_deref().and_then(Cursor::decode) } else { None };
        let backwards = before.is_some();
        Order { key: sort_key(p.sort), desc: p.desc != backwards, backwards, after: after.is_some(), cursor: after.or(before) }
    }

    fn dir(&self) -> &'static str {
        if self.desc {
            "DESC"
        } else {
            "ASC"
        }
    }

    /// ` ORDER BY key, id`, in the reading direction.
    fn by(&self) -> String {
        let dir = self.dir();
        format!(" ORDER BY {} {dir}, r.id {dir}", self.key)
    }

    fn keyset(&self, sql: &mut Sql, key: &str) {
        push_keyset(sql, key, self.desc, self.cursor.as_ref());
    }
}

/// The join that gives a row its case's number.
const CASE_JOIN: &str = " LEFT JOIN cases c ON c.id = r.case_id";

/// The columns of a list row (`ListRecord`) and its sort key.
fn selected(order: &Order) -> String {
    format!(
        "SELECT r.id, r.reference, r.direction, r.country, r.kind, r.offence, r.case_id, c.number AS case_number, \
         r.urgent, r.start_date, r.due_on, r.status, r.answered_on, \
         (SELECT u.display_name FROM users u WHERE u.id = r.assignee_id) AS assignee_name, {} AS sort_key FROM",
        order.key
    )
}

fn hint_sql(db: &Db, hint: Hint) -> String {
    match hint {
        Hint::None => String::new(),
        Hint::IndexedBy(index) => db.indexed_by(index),
        Hint::NotIndexed => " NOT INDEXED".to_string(),
    }
}

/// The count's query: the matches set aside up to `plan.limit` and one more (as `m`: id
/// and sort key), answering their number (the row with a NULL id) and the ids of the
/// page among them.
pub(crate) fn set_aside(db: &Db, p: &ListParams, plan: &SetAside, order: &Order, today: &str) -> Sql {
    let key = order.key;
    let join = if matches!(p.sort, SortColumn::Case) { CASE_JOIN } else { "" };
    let mut sql;
    match &plan.way {
        SetAsideWay::CountryTexts { every_candidate } => {
            sql = Sql::new("WITH m AS MATERIALIZED (");
            union_over_text_parts(&mut sql, |sql, texts| {
                sql.push(&format!("SELECT r.id, {key} AS k FROM requests r{join}"));
                push_filter(sql, &p.filter, today);
                sql.push(texts);
                if !every_candidate {
                    sql.push(" ORDER BY r.id LIMIT ").int(plan.limit + 1);
                }
            });
        }
        SetAsideWay::OpenTextsByDate => {
            // in the reading order from its start, whatever the cursor: the count is of all
            sql = Sql::new("WITH m AS MATERIALIZED (");
            let by = order.by();
            union_over_text_parts(&mut sql, |sql, texts| {
                sql.push(&format!("SELECT r.id, {key} AS k FROM requests r"));
                push_filter(sql, &p.filter, today);
                sql.push(texts).push(&by).push(" LIMIT ").int(plan.limit + 1);
            });
        }
        SetAsideWay::OthersThenText => {
            let others = RequestFilter { q: None, ..p.filter.clone() };
            let q = p.filter.q.as_deref().unwrap_or_default();
            sql = Sql::new("WITH f AS MATERIALIZED (SELECT r.id FROM requests r");
            push_filter(&mut sql, &others, today);
            sql.push(&format!(
                " ORDER BY r.id), m AS MATERIALIZED (SELECT x.id, x.k FROM f CROSS JOIN LATERAL \
                 (SELECT r.id, {key} AS k FROM requests r{join} WHERE r.id = f.id AND r.search_text LIKE "
            ));
            sql.text(like_pattern(q)).push(" ESCAPE '\\' LIMIT 1) x");
        }
        SetAsideWay::AllFilters { hint, fts, in_id_order } => {
            let hint = hint_sql(db, *hint);
            sql = Sql::new(&format!("WITH m AS MATERIALIZED (SELECT r.id, {key} AS k FROM requests r{hint}{join}"));
            push_filter_with(&mut sql, &p.filter, today, None, Through::SortOrder, *fts);
            if *in_id_order {
                sql.push(" ORDER BY r.id");
            }
        }
    }
    sql.push(" LIMIT ").int(plan.limit + 1);
    sql.push(") SELECT NULL AS id, COUNT(*) AS n FROM m UNION ALL SELECT * FROM (SELECT r.id, 0 AS n FROM m r WHERE 1 = 1");
    order.keyset(&mut sql, "r.k");
    let dir = order.dir();
    sql.push(&format!(" ORDER BY r.k {dir}, r.id {dir} LIMIT ")).int(PAGE_SIZE as i64 + 1).push(") p");
    sql
}

/// `WalkIfAhead`'s look: how many of the next `LOOK_AHEAD` rows of the sort order's walk
/// match. Only the columns the filters read (a case is never among them here): without a
/// text search all are in the sort order's index, and the rows are judged from it alone.
pub(crate) fn look_ahead(p: &ListParams, order: &Order, today: &str) -> Sql {
    let key = order.key;
    let text = if p.filter.q.is_some() { ", r.search_text" } else { "" };
    let mut sql = Sql::new(&format!(
        "SELECT COUNT(*) AS n FROM (SELECT r.id, r.direction, r.country, r.status, r.kind, r.offence, \
         r.legal_basis, r.start_date, r.due_on{text} FROM requests r WHERE 1 = 1"
    ));
    order.keyset(&mut sql, key);
    let dir = order.dir();
    sql.push(&format!(" ORDER BY {key} {dir}, r.id {dir} LIMIT {LOOK_AHEAD}) r"));
    push_filter(&mut sql, &p.filter, today);
    sql
}

/// The page's query: its rows (`ListRecord`), one more than a page to tell whether there
/// are more. `WalkIfAhead` and `Empty` have none (resolved or answered before).
pub(crate) fn page(db: &Db, p: &ListParams, plan: &PagePlan, order: &Order, today: &str) -> Sql {
    let selected = selected(order);
    let by = order.by();
    let mut sql;
    match plan {
        PagePlan::Empty | PagePlan::WalkIfAhead { .. } => unreachable!("no page query for {plan:?}"),
        PagePlan::SearchIndexInOrder { index, query } => {
            // the index first (CROSS JOIN keeps SQLite's join order), each of its rows'
            // request by id; the cursor as a row number of the index
            sql = Sql::new(&format!("{selected} {index} s CROSS JOIN requests r{CASE_JOIN}"));
            push_filter(&mut sql, &p.filter, today);
            sql.push(&format!(" AND {index} MATCH ")).text(query.clone());
            sql.push(&format!(" AND r.id = (s.rowid{ID_OF_ROW})"));
            if let Some(c) = &order.cursor {
                sql.push(if order.desc { " AND s.rowid < " } else { " AND s.rowid > " }).int(row_number(&c.key, c.id));
            }
            sql.push(&format!(" ORDER BY s.rowid {}", order.dir()));
        }
        PagePlan::TextsInDateIndexes => {
            // walking the index by the date that carries the shorter texts, and beside it
            // the index of the longer ones
            sql = Sql::new(&format!("{selected} requests r{CASE_JOIN} WHERE r.id IN (SELECT id FROM ("));
            union_over_text_parts(&mut sql, |sql, texts| {
                sql.push("SELECT r.id FROM requests r");
                push_filter(sql, &p.filter, today);
                sql.push(texts);
                order.keyset(sql, order.key);
                sql.push(&by).push(" LIMIT ").int(PAGE_SIZE as i64 + 1);
            });
            sql.push(") u)").push(&by);
        }
        PagePlan::SetAside(ids) => {
            sql = Sql::new(&format!("{selected} requests r{CASE_JOIN} WHERE r.id IN (NULL"));
            for id in ids {
                sql.push(", ").int(*id);
            }
            sql.push(")").push(&by);
        }
        PagePlan::Walk { through, index } => {
            let hint = index.map(|i| db.indexed_by(i)).unwrap_or_default();
            sql = Sql::new(&format!("{selected} requests r{hint}{CASE_JOIN}"));
            push_filter_with(&mut sql, &p.filter, today, Some(p.sort), *through, false);
            order.keyset(&mut sql, order.key);
            sql.push(&by);
        }
        PagePlan::InCaseOrder { fts } => {
            sql = Sql::new(&format!("{selected} requests r{CASE_JOIN}"));
            push_filter_with(&mut sql, &p.filter, today, None, Through::SortOrder, *fts);
            order.keyset(&mut sql, order.key);
            sql.push(&by);
        }
        PagePlan::ThroughFilters { hint, fts } => {
            let hint = hint_sql(db, *hint);
            sql = Sql::new(&format!("{selected} requests r{CASE_JOIN} WHERE r.id IN (SELECT r.id FROM requests r{hint}"));
            push_filter_with(&mut sql, &p.filter, today, None, Through::SortOrder, *fts);
            order.keyset(&mut sql, order.key);
            sql.push(&by).push(" LIMIT ").int(PAGE_SIZE as i64 + 1).push(")");
            sql.push(&by);
        }
    }
    sql.push(" LIMIT ").int(PAGE_SIZE as i64 + 1);
    sql
}

/// One SELECT for each part of the texts that indexes carry (`search::text_in_index_parts`),
/// joined by UNION ALL: `part` writes each, given the condition that picks its texts.
fn union_over_text_parts(sql: &mut Sql, mut part: impl FnMut(&mut Sql, &str)) {
    for (n, texts) in text_in_index_parts().iter().enumerate() {
        sql.push(if n == 0 { "(" } else { " UNION ALL (" });
        part(sql, texts);
        sql.push(")");
    }
}
