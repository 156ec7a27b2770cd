//! Excel workbooks of tables (`app::tables`): a first sheet saying what the workbook
//! holds, then one sheet per table named after it — its title, then its header row,
//! frozen, then its rows as typed cells (numbers as numbers, dates as dates).

use app::tables::{Cell, Table};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

/// What the first sheet ("about") says: a title, then lines of a label and a value.
pub struct About {
    pub title: String,
    pub lines: Vec<(String, Cell)>,
}

struct Formats {
    bold: Format,
    header: Format,
    date: Format,
    days: Format,
    total: Format,
    total_days: Format,
    rate: Format,
    money: Format,
}

impl Formats {
    fn new() -> Formats {
        let bold = Format::new().set_bold();
        Formats {
            header: Format::new().set_bold().set_border_bottom(FormatBorder::Thin).set_text_wrap(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            days: Format::new().set_num_format("0.#"),
            total_days: Format::new().set_bold().set_num_format("0.#"),
            rate: Format::new().set_num_format("0.0%"),
            money: Format::new().set_num_format("#,##0.00"),
            total: bold.clone(),
            bold,
        }
    }
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell, total: bool, f: &Formats) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) if total => sheet.write_string_with_format(row, col, s, &f.total).map(drop),
        Cell::Text(s) => sheet.write_string(row, col, s).map(drop),
        Cell::Count(n) if total => sheet.write_number_with_format(row, col, *n as f64, &f.total).map(drop),
        Cell::Count(n) => sheet.write_number(row, col, *n as f64).map(drop),
        Cell::Days(Some(d)) => {
            sheet.write_number_with_format(row, col, *d, if total { &f.total_days } else { &f.days }).map(drop)
        }
        Cell::Date(Some(d)) => {
            use chrono::Datelike;
            let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_datetime_with_format(row, col, &date, &f.date).map(drop)
        }
        Cell::Money(cents) => sheet.write_number_with_format(row, col, *cents as f64 / 100.0, &f.money).map(drop),
        Cell::Rate(Some(r)) => sheet.write_number_with_format(row, col, *r, &f.rate).map(drop),
        Cell::Days(None) | Cell::Date(None) | Cell::Rate(None) => Ok(()),
    }
}

fn about_sheet(book: &mut Workbook, about: &About, tables: &[Table], f: &Formats) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name("about")?;
    sheet.write_string_with_format(0, 0, &about.title, &f.bold)?;
    let mut row = 2;
    for (label, value) in &about.lines {
        sheet.write_string(row, 0, label)?;
        write_cell(sheet, row, 1, value, false, f)?;
        row += 1;
    }
    row += 1;
    for t in tables {
        sheet.write_string(row, 0, &t.name)?;
        sheet.write_string(row, 1, &t.title)?;
        row += 1;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 60)?;
    Ok(())
}

/// The sheet of one table: the title in the first row, the header in the second, frozen.
fn table_sheet(book: &mut Workbook, table: &Table, f: &Formats) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name(&table.name)?;
    sheet.write_string_with_format(0, 0, &table.title, &f.bold)?;
    for (col, c) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, &c.label, &f.header)?;
    }
    for (i, r) in table.rows.iter().enumerate() {
        for (col, cell) in r.cells.iter().enumerate() {
            write_cell(sheet, i as u32 + 2, col as u16, cell, r.total, f)?;
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofit();
    // the title runs across; the first column is as wide as its names, within reason
    sheet.set_column_width(0, 14.0_f64.max(first_column_width(table)))?;
    Ok(())
}

fn first_column_width(table: &Table) -> f64 {
    let longest = table
        .rows
        .iter()
        .filter_map(|r| match r.cells.first() {
            Some(Cell::Text(s)) => Some(s.chars().count()),
            _ => None,
        })
        .chain(table.columns.first().map(|c| c.label.chars().count()))
        .max()
        .unwrap_or(10);
    (longest as f64 + 2.0).min(60.0)
}

/// The workbook of `tables`, as the bytes of an `.xlsx` file.
pub fn workbook(about: &About, tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    about_sheet(&mut book, about, tables, &f)?;
    for t in tables {
        table_sheet(&mut book, t, &f)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_is_an_xlsx_archive_with_a_sheet_per_table() {
        let pack = app::domain::statistics::build(
            &[],
            app::domain::statistics::PackPeriod { from: "2025-01-01".parse().unwrap(), to: "2025-12-31".parse().unwrap() },
        );
        let tables = app::tables::pack_tables(&pack);
        let about =
            About { title: "Statistics pack".into(), lines: vec![("Period from".into(), Cell::Date(Some(pack.period.from)))] };
        let bytes = workbook(&about, &tables).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let sheets =
            (0..zip.len()).filter(|&i| zip.by_index(i).unwrap().name().unwrap().starts_with("xl/worksheets/sheet")).count();
        assert_eq!(sheets, 1 + tables.len());
    }

    #[test]
    fn text_that_looks_like_a_formula_stays_text() {
        let table = Table {
            name: "requests".into(),
            title: "Registry".into(),
            columns: vec![app::tables::Column { key: "summary".into(), label: "summary".into() }],
            rows: vec![app::tables::Row {
                key: "x".into(),
                cells: vec![Cell::Text("=HYPERLINK(\"http://evil.example\",\"x\")".into())],
                total: false,
            }],
        };
        let bytes = workbook(&About { title: "t".into(), lines: vec![] }, &[table]).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            if name.starts_with("xl/") && name.ends_with(".xml") {
                std::io::Read::read_to_string(&mut f, &mut xml).unwrap();
            }
        }
        assert!(xml.contains("=HYPERLINK"), "the text is kept");
        assert!(!xml.contains("<f>"), "and is no formula");
    }
}
