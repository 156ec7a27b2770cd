//! `rogatory stats --pack`: the statistics pack of a period on standard output (text,
//! CSV or JSON), and as an Excel workbook.

use crate::config::{StatsFilters, StatsFormat};
use app::db::{self, Db};
use app::domain::statistics::{Pack, PackPeriod};
use app::tables::{csv_text, Table};
use std::io::Write;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The period of `--from` and `--to` (neither: the last whole calendar year), or the
/// reasons it is not one, as field messages.
fn period(f: &StatsFilters, today: chrono::NaiveDate) -> std::result::Result<PackPeriod, Vec<String>> {
    match (f.from, f.to) {
        (None, None) => Ok(PackPeriod::default_for(today)),
        (from, to) => {
            let text = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            PackPeriod::parse(&text(from), &text(to), today)
                .map_err(|errors| errors.into_iter().map(|e| format!("--{}: {}", e.field, e.message)).collect())
        }
    }
}

/// A table as aligned text: the title, the header, the rows.
fn write_table(out: &mut impl Write, t: &Table) -> std::io::Result<()> {
    let mut lines: Vec<Vec<String>> = vec![t.columns.iter().map(|c| c.label.clone()).collect()];
    lines.extend(t.rows.iter().map(|r| r.cells.iter().map(csv_text).collect()));
    let widths: Vec<usize> = (0..t.columns.len())
        .map(|i| lines.iter().map(|l| l.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0))
        .collect();
    writeln!(out, "{}", t.title)?;
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 { format!("{c:<w$}", w = widths[i]) } else { format!("{c:>w$}", w = widths[i]) })
            .collect();
        writeln!(out, "  {}", cells.join("  ").trim_end())?;
    }
    writeln!(out)
}

fn print(pack: &Pack, tables: &[Table], format: StatsFormat) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        StatsFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(pack)?)?,
        StatsFormat::Csv => {
            let mut w = app::db::csv_io::CsvOut::new(out);
            w.row(["table", "row", "column", "value"])?;
            for t in tables {
                for r in &t.rows {
                    for (c, cell) in t.columns.iter().zip(&r.cells).skip(1) {
                        w.row([t.name.as_str(), r.key.as_str(), c.key.as_str(), &csv_text(cell)])?;
                    }
                }
            }
            w.flush()?;
        }
        StatsFormat::Table => {
            writeln!(out, "Statistics pack, {} – {}\n", pack.period.from, pack.period.to)?;
            for t in tables {
                write_table(&mut out, t)?;
            }
        }
    }
    Ok(())
}

/// Prints the pack of the filters' period (and writes the workbook); false, with the
/// reasons on standard error, when the period is not one.
pub async fn run(db: &Db, f: &StatsFilters, xlsx: Option<&std::path::Path>, format: StatsFormat) -> Result<bool> {
    let today = db::today();
    let period = match period(f, today) {
        Ok(p) => p,
        Err(reasons) => {
            for r in reasons {
                eprintln!("{r}");
            }
            return Ok(false);
        }
    };
    let pack = db::statistics::pack(db, period, today).await?;
    let tables = app::tables::pack_tables(&pack);
    print(&pack, &tables, format)?;
    if let Some(path) = xlsx {
        std::fs::write(path, crate::export::pack_workbook(&pack, today)?)?;
        eprintln!("Wrote the workbook to {}.", path.display());
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_period_of_the_command_line() {
        let today = d("2026-12-04");
        let none = StatsFilters::default();
        assert_eq!(period(&none, today), Ok(PackPeriod { from: d("2025-01-01"), to: d("2025-12-31") }));
        let from_only = StatsFilters { from: Some(d("2025-01-01")), ..Default::default() };
        assert_eq!(period(&from_only, today), Err(vec!["--to: Enter the date.".to_string()]));
        let backwards = StatsFilters { from: Some(d("2025-02-01")), to: Some(d("2025-01-01")), ..Default::default() };
        assert_eq!(period(&backwards, today), Err(vec!["--to: The period cannot end before it starts.".to_string()]));
    }

    #[test]
    fn tables_print_aligned() {
        let pack = app::domain::statistics::build(&[], PackPeriod { from: d("2025-01-01"), to: d("2025-12-31") });
        let tables = app::tables::pack_tables(&pack);
        let mut out = Vec::new();
        write_table(&mut out, &tables[1]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Time to answer (answers given in the period)\n  Time            Made  Received\n"), "{text}");
        assert!(text.contains("\n  Total              0         0\n"), "{text}");
    }
}
