//! The command-line side of import, export, statistics and backup.

use crate::config::{StatsBy, StatsFilters, StatsFormat};
use app::db::actor::Actor;
use app::db::import::{import, ImportOptions};
use app::db::{cases, csv_io, dashboard, groups, requests, today, Db};
use app::domain::dashboard::{DashboardParams, Period};
use app::domain::figures::{format_days, Counts};
use app::domain::interchange::ImportReport;
use app::domain::{country, Direction, Kind, Offence, RequestFilter};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::Path;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn cli_actor() -> Actor {
    Actor { user_id: None, username: "command line".into(), ip: None }
}

/// Prints what an import found: the summary, then every problem with its line.
pub fn print_report(report: &ImportReport) {
    for i in report.errors.iter().chain(report.conflicts.iter()) {
        let column = if i.column.is_empty() { String::new() } else { format!(", column {}", i.column) };
        eprintln!("line {}{column}: {}", i.line, i.message);
    }
    println!("{}", report.summary());
}

/// `rogatory import FILE`: returns whether every row was good.
pub async fn import_file(db: &Db, file: &Path, dry_run: bool, update: bool) -> Result<bool> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let rows = csv_io::read_rows(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let total = rows.len();
    let tty = std::io::stderr().is_terminal();
    let source = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "a file".into());
    let report = import(db, rows, ImportOptions { dry_run, update }, &source, &cli_actor(), today(), |done| {
        if tty {
            let width = 30;
            let filled = (done * width).checked_div(total).unwrap_or(width);
            eprint!("\r[{}{}] {done}/{total} rows", "#".repeat(filled), " ".repeat(width - filled));
            let _ = std::io::stderr().flush();
        }
    })
    .await?;
    if tty {
        eprintln!();
    }
    print_report(&report);
    Ok(report.is_clean())
}

/// `rogatory import --persons FILE`: returns whether every row was good.
pub async fn import_persons(db: &Db, file: &Path, dry_run: bool) -> Result<bool> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let rows = csv_io::read_person_rows(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let report = app::db::person_csv::import(db, rows, dry_run, &cli_actor(), today()).await?;
    for i in &report.issues {
        let column = if i.column.is_empty() { String::new() } else { format!(", column {}", i.column) };
        eprintln!("line {}{column}: {}", i.line, i.message);
    }
    let verb = if report.written { "Imported" } else { "Checked" };
    println!(
        "{verb}: {} persons new, {} already kept, {} links to requests; {} problems{}.",
        report.added,
        report.matched,
        report.links,
        report.issues.len(),
        if report.written { "" } else { " — nothing written" }
    );
    Ok(report.issues.is_empty())
}

/// `rogatory export --persons [FILE]`: every person with their links; returns how many.
pub async fn export_persons(db: &Db, file: Option<&Path>) -> Result<usize> {
    let persons = app::db::person_csv::all_with_links(db).await?;
    let bytes = csv_io::write_persons(&persons)?;
    match file {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(persons.len())
}

/// The dashboard parameters of the command-line filters.
async fn params_of(db: &Db, f: &StatsFilters, default_direction: Option<Direction>) -> Result<DashboardParams> {
    let direction = match f.direction.as_deref() {
        None => default_direction,
        Some(d) => Some(Direction::from_code(d).ok_or_else(|| format!("--direction takes outgoing or incoming, not {d:?}"))?),
    };
    let group_id = match &f.group {
        None => None,
        Some(name) => {
            let all = groups::list(db).await?;
            let g = all.iter().find(|g| g.name.eq_ignore_ascii_case(name.trim()));
            let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
            Some(g.ok_or_else(|| format!("no group named {name:?} (groups: {})", names.join(", ")))?.id)
        }
    };
    let case_id = match &f.case {
        None => None,
        Some(number) => {
            let mut conn = db.connection().await?;
            Some(cases::id_by_number(&mut conn, number.trim()).await?.ok_or_else(|| format!("no case numbered {number:?}"))?)
        }
    };
    let period = if f.from.is_some() || f.to.is_some() { Period::Custom } else { Period::All };
    Ok(DashboardParams { direction, period, from: f.from, to: f.to, group_id, case_id, ..DashboardParams::default() })
}

/// `rogatory export [FILE]`.
pub async fn export(db: &Db, file: Option<&Path>, f: &StatsFilters) -> Result<usize> {
    let params = params_of(db, f, None).await?;
    let filter = RequestFilter { direction: params.direction, ..params.filter(today()) };
    let rows = requests::matching(db, &filter, today()).await?;
    let bytes = csv_io::write_requests(&rows)?;
    match file {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(rows.len())
}

/// `rogatory export --documents DIR`: the documents of the requests `export` writes,
/// each request's in a folder named after its reference, with an index `documents.csv`
/// (reference, file, kind, flow, language, date, our number, the file it translates,
/// size, SHA-256). Every file is read back through its digest. The number written.
pub async fn export_documents(db: &Db, dir: &Path, f: &StatsFilters) -> Result<usize> {
    let params = params_of(db, f, None).await?;
    let filter = RequestFilter { direction: params.direction, ..params.filter(today()) };
    let rows = requests::matching(db, &filter, today()).await?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut index = csv_io::CsvOut::new(Vec::new());
    index.row(DOCUMENT_COLUMNS)?;
    let mut written = 0;
    for request in rows {
        let documents = app::db::documents::of_request(db, request.id).await?;
        let folder = app::domain::document::clean_file_name(&request.reference.replace('/', "-"));
        let mut paths = std::collections::HashMap::new();
        for d in &documents {
            std::fs::create_dir_all(dir.join(&folder))?;
            let relative = format!("{folder}/{}-{}", d.id, d.file_name);
            write_document(db, d, &dir.join(&relative)).await?;
            paths.insert(d.id, relative.clone());
            let original = d.details.translation_of.and_then(|t| paths.get(&t).cloned()).unwrap_or_default();
            index.row([
                request.reference.clone(),
                relative,
                d.details.kind.code().to_string(),
                d.details.flow.code().to_string(),
                d.details.language.clone().unwrap_or_default(),
                d.details.on_date.map(|d| d.to_string()).unwrap_or_default(),
                d.details.our_number.clone().unwrap_or_default(),
                original,
                d.size.to_string(),
                d.sha256.clone(),
            ])?;
            written += 1;
        }
    }
    std::fs::write(dir.join("documents.csv"), index.into_inner()?)?;
    Ok(written)
}

/// The columns of `documents.csv`.
pub const DOCUMENT_COLUMNS: [&str; 10] =
    ["reference", "file", "kind", "flow", "language", "date", "our_number", "translation_of", "size", "sha256"];

/// Writes a stored file to `path`, a chunk at a time, checking its digest.
async fn write_document(db: &Db, d: &app::domain::document::StoredDocument, path: &Path) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let (_, digest) = app::db::documents::copy_to(db, d.id, &mut out).await?;
    out.flush()?;
    if digest != d.sha256 {
        return Err(format!("document {} ({}) does not match its digest; run `rogatory check`", d.id, d.file_name).into());
    }
    Ok(())
}

/// One line of `rogatory stats`: a key and its figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatsRow {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub counts: Counts,
    pub fulfilment_rate: Option<f64>,
    pub response_rate: Option<f64>,
    pub median_days: Option<f64>,
}

impl StatsRow {
    fn new(key: String, label: String, c: &Counts, median_days: Option<f64>) -> StatsRow {
        StatsRow { key, label, counts: *c, fulfilment_rate: c.fulfilment_rate(), response_rate: c.response_rate(), median_days }
    }
}

/// The figures by `by` under the filters: each row is the dashboard of that key (the same
/// function, so the same numbers). Keys without requests are left out.
pub async fn stats_rows(db: &Db, f: &StatsFilters, by: StatsBy) -> Result<Vec<StatsRow>> {
    let base = params_of(db, f, Some(Direction::Outgoing)).await?;
    let day = today();
    let whole = dashboard::dashboard(db, &base, day).await?;
    let mut keyed: Vec<(String, String, DashboardParams)> = Vec::new();
    match by {
        StatsBy::Country => {
            for r in &whole.countries {
                keyed.push((
                    r.country.clone(),
                    country::display(&r.country),
                    DashboardParams { country: Some(r.country.clone()), ..base.clone() },
                ));
            }
        }
        StatsBy::Kind => {
            for k in Kind::ALL {
                keyed.push((k.code().into(), k.label().into(), DashboardParams { kind: Some(*k), ..base.clone() }));
            }
        }
        StatsBy::Offence => {
            for o in Offence::ALL {
                keyed.push((o.code().into(), o.label().into(), DashboardParams { offence: Some(*o), ..base.clone() }));
            }
        }
        StatsBy::Case => {
            for c in cases::list(db, day).await? {
                if base.case_id.is_none_or(|id| id == c.id) {
                    keyed.push((c.number.clone(), c.title.clone(), DashboardParams { case_id: Some(c.id), ..base.clone() }));
                }
            }
        }
        StatsBy::Month => {
            for m in &whole.months {
                let first = format!("{}-01", m.month).parse::<chrono::NaiveDate>().map_err(|e| e.to_string())?;
                let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
                let from = base.from.map_or(first, |f| f.max(first));
                let to = base.to.map_or(last, |t| t.min(last));
                let p = DashboardParams { period: Period::Custom, from: Some(from), to: Some(to), ..base.clone() };
                keyed.push((m.month.clone(), m.month.clone(), p));
            }
        }
        StatsBy::RefusalGround => {
            // refusals only: every row is refused requests of one ground
            return Ok(whole
                .grounds
                .iter()
                .map(|g| {
                    let mut c = Counts::default();
                    c.add(app::domain::Status::Refused, false, g.count);
                    StatsRow::new(g.ground.code().into(), g.ground.label().into(), &c, None)
                })
                .collect());
        }
    }
    let mut out = Vec::new();
    for (key, label, params) in keyed {
        let d = dashboard::dashboard(db, &params, day).await?;
        if d.figures.counts.total > 0 {
            out.push(StatsRow::new(key, label, &d.figures.counts, d.figures.days.median()));
        }
    }
    Ok(out)
}

pub fn print_stats(rows: &[StatsRow], format: StatsFormat) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let rate = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
    match format {
        StatsFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(rows)?)?,
        StatsFormat::Csv => {
            let mut w = app::db::csv_io::CsvOut::new(out);
            // the dashboard export's count columns up to the response rate
            let counts = &crate::export::COUNT_COLUMNS[..10];
            w.row(["key", "label"].iter().chain(counts).chain(&["median_days"]))?;
            for r in rows {
                w.row([
                    r.key.clone(),
                    r.label.clone(),
                    r.counts.total.to_string(),
                    r.counts.fulfilled.to_string(),
                    r.counts.partially_fulfilled.to_string(),
                    r.counts.refused.to_string(),
                    r.counts.suspended.to_string(),
                    r.counts.withdrawn.to_string(),
                    r.counts.open.to_string(),
                    r.counts.overdue.to_string(),
                    rate(r.fulfilment_rate),
                    rate(r.response_rate),
                    r.median_days.map(|d| d.to_string()).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        StatsFormat::Table => {
            let pct = |r: Option<f64>| app::domain::figures::format_rate(r);
            writeln!(
                out,
                "{:<34} {:>7} {:>9} {:>7} {:>7} {:>9} {:>9} {:>5} {:>7} {:>10} {:>9} {:>6}",
                "key",
                "total",
                "fulfilled",
                "partial",
                "refused",
                "suspended",
                "withdrawn",
                "open",
                "overdue",
                "fulfilment",
                "response",
                "median"
            )?;
            for r in rows {
                let label: String =
                    format!("{} {}", r.key, if r.key == r.label { "" } else { &r.label }).chars().take(34).collect();
                writeln!(
                    out,
                    "{:<34} {:>7} {:>9} {:>7} {:>7} {:>9} {:>9} {:>5} {:>7} {:>10} {:>9} {:>6}",
                    label.trim_end(),
                    r.counts.total,
                    r.counts.fulfilled,
                    r.counts.partially_fulfilled,
                    r.counts.refused,
                    r.counts.suspended,
                    r.counts.withdrawn,
                    r.counts.open,
                    r.counts.overdue,
                    pct(r.fulfilment_rate),
                    pct(r.response_rate),
                    format_days(r.median_days)
                )?;
            }
        }
    }
    Ok(())
}

/// `rogatory backup FILE`: a consistent copy while the server keeps running.
pub async fn backup(db: &Db, file: &Path) -> Result<()> {
    if file.exists() {
        return Err(format!("{} exists already; choose a new file name", file.display()).into());
    }
    let target = file.to_str().ok_or("the backup path must be valid UTF-8")?;
    if db.copy_into(target).await? {
        Ok(())
    } else {
        Err("on PostgreSQL, use pg_dump (or your provider's managed backups); see docs/operations.md".into())
    }
}
