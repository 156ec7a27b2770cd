//! The CSV interchange format of the domain reference (import and export use the same
//! columns): how a header and a record map to a request, and what an import reports.
//! Reading and writing the CSV bytes is the server's job; this module works on fields.

use super::country;
use super::request::{Request, RequestInput};
use super::validation::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The columns of the domain reference, in order.
pub const COLUMNS: [&str; 17] = [
    "reference",
    "their_reference",
    "direction",
    "country",
    "counterpart_authority",
    "kind",
    "legal_basis",
    "offence",
    "case_number",
    "case_title",
    "summary",
    "urgent",
    "start_date",
    "due_on",
    "status",
    "answered_on",
    "refusal_ground",
];

/// Optional columns Rogatory adds after them (export writes them; import reads them when
/// present): the free-text notes a bilateral or "other" legal basis and an "other"
/// refusal ground require.
pub const NOTE_COLUMNS: [&str; 2] = ["legal_basis_note", "refusal_note"];

/// Where each known column is in a file's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    positions: Vec<(&'static str, usize)>,
}

impl Header {
    /// Reads a header row: every column of [`COLUMNS`] must be there (in any order), the
    /// note columns may be, nothing else may.
    pub fn parse(fields: &[String]) -> Result<Header, String> {
        let mut positions = Vec::new();
        let mut unknown = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let name = f.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            match COLUMNS.iter().chain(NOTE_COLUMNS.iter()).find(|c| **c == name) {
                Some(c) if positions.iter().any(|(p, _)| p == c) => return Err(crate::tr!(import_msg.column_twice, column = c)),
                Some(c) => positions.push((*c, i)),
                None => unknown.push(f.trim().to_string()),
            }
        }
        let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !positions.iter().any(|(p, _)| p == c)).collect();
        if !missing.is_empty() {
            return Err(crate::tr!(import_msg.missing_columns, missing = missing.join(", "), expected = COLUMNS.join(",")));
        }
        if !unknown.is_empty() {
            return Err(crate::tr!(import_msg.unknown_columns, unknown = unknown.join(", "), expected = COLUMNS.join(",")));
        }
        Ok(Header { positions })
    }

    fn get<'a>(&self, record: &'a [String], column: &str) -> &'a str {
        self.positions.iter().find(|(c, _)| *c == column).and_then(|(_, i)| record.get(*i)).map(|s| s.as_str()).unwrap_or("")
    }

    /// The record as the request form would hold it, or what is wrong with it before
    /// the request rules are even applied (column count, `urgent`).
    pub fn to_input(&self, record: &[String]) -> Result<RequestInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let expected = self.positions.len();
        if record.len() != expected {
            errors.push(FieldError {
                field: String::new(),
                message: crate::tr!(import_msg.field_count, fields = record.len(), expected = expected),
            });
            return Err(errors);
        }
        let get = |c: &str| cell_in(self.get(record, c)).to_string();
        let urgent = match get("urgent").trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" | "" => false,
            other => {
                errors.push(FieldError { field: "urgent".into(), message: crate::tr!(import_msg.true_false, value = other) });
                false
            }
        };
        let input = RequestInput {
            reference: get("reference"),
            their_reference: get("their_reference"),
            direction: get("direction"),
            country: get("country"),
            counterpart_authority: get("counterpart_authority"),
            kind: get("kind"),
            legal_basis: get("legal_basis"),
            legal_basis_note: get("legal_basis_note"),
            offence: get("offence"),
            case_number: get("case_number"),
            case_title: get("case_title"),
            summary: get("summary"),
            urgent,
            start_date: get("start_date"),
            due_on: get("due_on"),
            status: get("status"),
            answered_on: get("answered_on"),
            refusal_ground: get("refusal_ground"),
            refusal_note: get("refusal_note"),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// The header an export writes.
pub fn export_header() -> Vec<&'static str> {
    COLUMNS.iter().chain(NOTE_COLUMNS.iter()).copied().collect()
}

/// A stored request as an export row (the columns of [`export_header`]).
pub fn export_record(r: &Request) -> Vec<String> {
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        r.reference.clone(),
        text(&r.their_reference),
        r.direction.code().to_string(),
        r.country.clone(),
        text(&r.counterpart_authority),
        r.kind.code().to_string(),
        r.legal_basis.clone(),
        r.offence.code().to_string(),
        text(&r.case_number),
        text(&r.case_title),
        text(&r.summary),
        r.urgent.to_string(),
        date(r.start_date),
        date(r.due_on),
        r.status.code().to_string(),
        date(r.answered_on),
        r.refusal_ground.map(|g| g.code().to_string()).unwrap_or_default(),
        text(&r.legal_basis_note),
        text(&r.refusal_note),
    ]
}

/// What a spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`) or moves
/// into the next cell (tab, carriage return): a cell of a CSV file we write that begins
/// with one of them could run as a formula when the file is opened (OWASP's "CSV
/// injection"), so it is written after an apostrophe, which spreadsheets show as text.
fn starts_a_formula(value: &str) -> bool {
    matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// A cell as every CSV file of Rogatory writes it: a value a spreadsheet would run as a
/// formula gets an apostrophe before it, and so does one that begins with an apostrophe
/// already (so that [`cell_in`] gives every value back exactly).
pub fn cell_out(value: &str) -> std::borrow::Cow<'_, str> {
    if starts_a_formula(value) || value.starts_with('\'') {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// A cell of an imported file as it was before [`cell_out`]: one apostrophe before a
/// formula character or another apostrophe is taken away; any other value is kept.
pub fn cell_in(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if starts_a_formula(rest) || rest.starts_with('\'') => rest,
        _ => value,
    }
}

/// The line (from 1) of a file's byte `offset`, as an editor numbers it.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|b| **b == b'\n').count()
}

/// Where a quoted field that is never closed opens (its line), if one is: CSV readers
/// take every line after such a quote into that one field, so the rows after it would
/// be silently lost. A quote opens a field only at the field's start; `""` inside a
/// quoted field is a quote character.
pub fn unclosed_quote(bytes: &[u8]) -> Option<usize> {
    let (mut line, mut opened_on) = (1, None);
    let (mut field_start, mut quoted) = (true, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        }
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else {
            match b {
                b'"' if field_start => {
                    quoted = true;
                    field_start = false;
                    opened_on = Some(line);
                }
                b',' | b'\n' => field_start = true,
                b'\r' => {}
                _ => field_start = false,
            }
        }
        i += 1;
    }
    if quoted {
        opened_on
    } else {
        None
    }
}

/// One problem with one row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// the line of the file (the header is line 1)
    pub line: usize,
    /// the column, or "" for the whole row
    pub column: String,
    pub message: String,
    /// the row's reference, when it has one
    pub reference: String,
}

/// What an import did, or would do (dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// data rows read
    pub rows: usize,
    pub created: usize,
    /// existing references updated (only when updates were asked for)
    pub updated: usize,
    /// rows whose reference exists already (when updates were not asked for)
    pub conflicts: Vec<RowIssue>,
    pub errors: Vec<RowIssue>,
    /// nothing was written: a dry run, or the file had problems
    pub dry_run: bool,
    pub committed: bool,
}

impl ImportReport {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.conflicts.is_empty()
    }

    /// One line for people: what happened.
    pub fn summary(&self) -> String {
        if self.committed {
            crate::tr!(import_msg.imported, rows = self.rows, created = self.created, updated = self.updated)
        } else if self.is_clean() {
            crate::tr!(import_msg.dry_run, rows = self.rows, created = self.created, updated = self.updated)
        } else {
            crate::tr!(
                import_msg.nothing_imported,
                bad = self.bad_rows(),
                rows = self.rows,
                errors = self.errors.len(),
                conflicts = self.conflicts.len()
            )
        }
    }

    /// How many distinct rows have a problem.
    pub fn bad_rows(&self) -> usize {
        let mut lines: Vec<usize> = self.errors.iter().chain(self.conflicts.iter()).map(|i| i.line).collect();
        lines.sort_unstable();
        lines.dedup();
        lines.len()
    }
}

/// The CSV column a form field's error belongs to.
pub fn column_of(field: &str) -> &str {
    match field {
        "case" => "case_number",
        f => f,
    }
}

/// Whether a country value is accepted (ISO alpha-2 or an English name).
pub fn known_country(value: &str) -> bool {
    country::parse(value).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_in_any_order_with_optional_notes() {
        let mut cols: Vec<&str> = COLUMNS.to_vec();
        cols.reverse();
        cols.push("refusal_note");
        let h = Header::parse(&strings(&cols)).unwrap();
        let mut rec = vec![String::new(); cols.len()];
        rec[cols.iter().position(|c| *c == "reference").unwrap()] = "R-1".into();
        rec[cols.iter().position(|c| *c == "refusal_note").unwrap()] = "why".into();
        rec[cols.iter().position(|c| *c == "urgent").unwrap()] = "TRUE".into();
        let input = h.to_input(&rec).unwrap();
        assert_eq!(input.reference, "R-1");
        assert_eq!(input.refusal_note, "why");
        assert!(input.urgent);
        assert_eq!(input.legal_basis_note, "");
    }

    #[test]
    fn header_problems_are_named() {
        let err = Header::parse(&strings(&["reference", "country"])).unwrap_err();
        assert!(err.contains("lacks the column(s): their_reference, direction"), "{err}");
        let mut cols = COLUMNS.to_vec();
        cols.push("colour");
        assert!(Header::parse(&strings(&cols)).unwrap_err().starts_with("Unknown column(s): colour."));
        let mut cols = COLUMNS.to_vec();
        cols.push("reference");
        assert_eq!(Header::parse(&strings(&cols)).unwrap_err(), "The column \"reference\" appears twice.");
        // a byte-order mark and upper case are forgiven
        let mut cols: Vec<String> = strings(&COLUMNS);
        cols[0] = "\u{feff}Reference".into();
        assert!(Header::parse(&cols).is_ok());
    }

    #[test]
    fn bad_urgent_and_short_rows() {
        let h = Header::parse(&strings(&COLUMNS)).unwrap();
        let mut rec = vec![String::new(); 17];
        rec[11] = "yes".into();
        let errs = h.to_input(&rec).unwrap_err();
        assert_eq!(errs[0].field, "urgent");
        assert_eq!(errs[0].message, "Write true or false, not \"yes\".");
        let errs = h.to_input(&strings(&["a", "b"])).unwrap_err();
        assert_eq!(errs[0].message, "This row has 2 fields; the header has 17.");
    }

    #[test]
    fn formulas_are_written_as_text_and_read_back_unchanged() {
        for (value, written) in [
            ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            ("'", "''"),
            ("''=x", "'''=x"),
            ("R-1", "R-1"),
            ("", ""),
            ("a=b", "a=b"),
        ] {
            assert_eq!(cell_out(value), written, "{value:?}");
            assert_eq!(cell_in(&cell_out(value)), value, "{value:?} back");
        }
        // an apostrophe a person typed before ordinary text is theirs
        assert_eq!(cell_in("'abc"), "'abc");
    }

    #[test]
    fn a_quote_never_closed_is_found_on_its_line() {
        assert_eq!(unclosed_quote(b"a,b\nR-1,\"open,x\nR-2,y\n"), Some(2));
        assert_eq!(unclosed_quote(b"a,b\r\nR-1,x\r\nR-2,\"y"), Some(3));
        // closed quotes, doubled quotes inside, lines inside a quoted field, quotes
        // inside an unquoted field
        assert_eq!(unclosed_quote(b"a,b\nR-1,\"two\nlines, \"\"quoted\"\"\"\nR-2,5\" tall\n"), None);
        assert_eq!(unclosed_quote(b""), None);
        assert_eq!(line_at(b"a\nb\nc", 4), 3);
        assert_eq!(line_at(b"a\nb\nc", 0), 1);
    }

    #[test]
    fn countries_by_code_or_english_name() {
        assert!(known_country("DE"));
        assert!(known_country("Germany"));
        assert!(!known_country("Atlantis"));
    }
}
