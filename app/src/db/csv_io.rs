//! Reading and writing the CSV interchange format (columns in `domain::interchange`).

use super::import::Row;
use crate::domain::interchange::{cell_out, export_header, export_record, line_at, unclosed_quote, Header};
use crate::domain::person_interchange::{header_positions, row_in, row_out, LinkedPerson, PersonRowIn, PERSON_COLUMNS};
use crate::domain::{FieldError, Request};

/// The data rows of a CSV file, with their line numbers, or what is wrong with the file
/// as a whole (not UTF-8, damaged by a lossy conversion, no header, an unknown or
/// missing column). A quote that is never closed is the error of the row it opens in,
/// and the lines after it are not read.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(crate::tr!(import_msg.not_utf_8, line = line_at(bytes, e.valid_up_to())));
    }
    if let Some(at) = bytes.windows(3).position(|w| w == "\u{FFFD}".as_bytes()) {
        return Err(crate::tr!(import_msg.replacement_character, line = line_at(bytes, at)));
    }
    let mut rows = read_records(bytes)?;
    if let Some(line) = unclosed_quote(bytes) {
        // the last record is the one that took the rest of the file
        rows.pop();
        rows.push((line, Err(vec![FieldError { field: String::new(), message: crate::tr!(import_msg.unclosed_quote).into() }])));
    }
    Ok(rows)
}

fn read_records(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err(crate::tr!(import_msg.the_file_is_empty_it_needs).into()),
        Some(Err(e)) => return Err(crate::tr!(import_msg.header_unreadable, error = e)),
        Some(Ok(h)) => Header::parse(&fields(&h).map_err(|e| crate::tr!(import_msg.line1, error = e))?)?,
    };
    // line numbers as an editor shows them, from the byte offset of each record (the csv
    // crate does not count blank lines)
    let mut counted = (0usize, 1usize); // (offset, line at that offset)
    let mut line_at = |offset: u64| {
        let mut offset = (offset as usize).min(bytes.len());
        // a record's position may be where the blank lines before it begin
        while offset < bytes.len() && (bytes[offset] == b'\n' || bytes[offset] == b'\r') {
            offset += 1;
        }
        if offset >= counted.0 {
            counted.1 += bytes[counted.0..offset].iter().filter(|b| **b == b'\n').count();
            counted.0 = offset;
        }
        counted.1
    };
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(r) => {
                let line = r.position().map(|p| line_at(p.byte())).unwrap_or(rows.len() + 2);
                if r.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue; // blank lines
                }
                let row = match fields(&r) {
                    Ok(f) => header.to_input(&f),
                    Err(e) => Err(vec![FieldError { field: String::new(), message: e }]),
                };
                rows.push((line, row));
            }
            Err(e) => {
                let line = e.position().map(|p| line_at(p.byte())).unwrap_or(rows.len() + 2);
                rows.push((
                    line,
                    Err(vec![FieldError { field: String::new(), message: crate::tr!(import_msg.row_unreadable, error = e) }]),
                ));
            }
        }
    }
    Ok(rows)
}

fn fields(record: &csv::ByteRecord) -> Result<Vec<String>, String> {
    record
        .iter()
        .map(|f| String::from_utf8(f.to_vec()).map_err(|_| crate::tr!(import_msg.the_file_is_not_utf_8).to_string()))
        .collect()
}

/// A CSV file being written: every cell goes through `cell_out`, so that no value is
/// run as a formula by the spreadsheet that opens the file. Every CSV file Rogatory
/// writes is written through it.
pub struct CsvOut<W: std::io::Write>(csv::Writer<W>);

impl<W: std::io::Write> CsvOut<W> {
    pub fn new(out: W) -> Self {
        CsvOut(csv::Writer::from_writer(out))
    }

    pub fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.0.write_record(cells.into_iter().map(|c| cell_out(c.as_ref()).into_owned()))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }

    pub fn into_inner(self) -> csv::Result<W> {
        self.0.into_inner().map_err(|e| e.into_error().into())
    }
}

/// Requests as a CSV file with a header row.
pub fn write_requests(requests: &[Request]) -> Result<Vec<u8>, csv::Error> {
    let mut w = CsvOut::new(Vec::new());
    w.row(export_header())?;
    for r in requests {
        w.row(export_record(r))?;
    }
    w.into_inner()
}

/// The data rows of a persons file (`domain::person_interchange`), with their line
/// numbers, or what is wrong with the file as a whole.
pub fn read_person_rows(bytes: &[u8]) -> Result<Vec<PersonRowRead>, String> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(crate::tr!(import_msg.not_utf_8, line = line_at(bytes, e.valid_up_to())));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        None => return Err(crate::tr!(import_msg.the_file_is_empty_it_needs).into()),
        Some(Err(e)) => return Err(crate::tr!(import_msg.header_unreadable, error = e)),
        Some(Ok(h)) => h.iter().map(String::from).collect(),
    };
    let at = header_positions(&header)?;
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) => {
                let line = r.position().map_or(rows.len() + 2, |p| p.line() as usize);
                let cells: Vec<String> = r.iter().map(String::from).collect();
                rows.push((line, row_in(&at, &cells)));
            }
            Err(e) => {
                let line = e.position().map_or(rows.len() + 2, |p| p.line() as usize);
                let message = crate::tr!(import_msg.row_unreadable, error = e);
                rows.push((line, Err(vec![FieldError { field: String::new(), message }])));
            }
        }
    }
    Ok(rows)
}

/// A persons file's row: its line, and the person with their links or what is wrong.
pub type PersonRowRead = (usize, Result<PersonRowIn, Vec<FieldError>>);

/// Persons, each with their links, as a persons file with a header row.
pub fn write_persons(persons: &[LinkedPerson]) -> Result<Vec<u8>, csv::Error> {
    let mut out = CsvOut::new(Vec::new());
    out.row(PERSON_COLUMNS)?;
    for p in persons {
        out.row(row_out(&p.person, &p.links))?;
    }
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::interchange::COLUMNS;

    #[test]
    fn rows_carry_their_line_numbers_and_problems() {
        let text = format!(
            "{}\nR-1,,outgoing,DE,,evidence,european_mla_1959,fraud,,,\"a, b\",false,2025-01-10,,sent,,\n\nR-2,,outgoing\n",
            COLUMNS.join(",")
        );
        let rows = read_rows(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.as_ref().unwrap().summary, "a, b");
        assert_eq!(rows[1].0, 4);
        assert_eq!(rows[1].1.as_ref().unwrap_err()[0].message, "This row has 3 fields; the header has 17.");
    }

    #[test]
    fn whole_file_problems() {
        assert!(read_rows(b"").unwrap_err().starts_with("The file is empty"));
        assert!(read_rows(b"reference,country\n").unwrap_err().starts_with("The header lacks"));
        let mut bad = COLUMNS.join(",").into_bytes();
        bad.extend_from_slice(b"\n\nR-1,\xcf\xf0\xe8\xe2\xe5\xf2,x\n"); // "Привет" in Windows-1251
        assert_eq!(
            read_rows(&bad).unwrap_err(),
            "The file is not UTF-8 text (line 3): save it as \"CSV UTF-8\" and choose it again."
        );
        let damaged = format!("{}\nR-1,\u{FFFD}\u{FFFD},x\n", COLUMNS.join(","));
        assert!(
            read_rows(damaged.as_bytes()).unwrap_err().starts_with("Line 2 holds the character"),
            "{:?}",
            read_rows(damaged.as_bytes())
        );
    }

    #[test]
    fn an_unclosed_quote_is_the_error_of_its_line_not_a_silent_merge() {
        let row = |r: &str, summary: &str| {
            format!("{r},,outgoing,DE,,evidence,european_mla_1959,fraud,,,{summary},false,2025-01-10,,sent,,")
        };
        let text = format!(
            "{}\n{}\n{}\n{}\n",
            COLUMNS.join(","),
            row("R-1", "fine"),
            row("R-2", "\"never closed"),
            row("R-3", "swallowed")
        );
        let rows = read_rows(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].1.as_ref().unwrap().reference, "R-1");
        assert_eq!(rows[1].0, 3);
        assert!(rows[1].1.as_ref().unwrap_err()[0].message.starts_with("A quotation mark opens a field on this line"));
    }
}
