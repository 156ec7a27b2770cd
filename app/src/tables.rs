//! Figures as plain tables — titled, with keyed columns and rows of typed cells — in the
//! page's language: what the statistics page shows and what its CSV and Excel downloads
//! hold, from one function.

use crate::domain::codes::{Kind, Offence};
use crate::domain::figures::DaysToAnswer;
use crate::domain::statistics::{Pack, Side, StateCounts};
use crate::labels::Label;
use serde::{Deserialize, Serialize};

/// One value of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// days, with a decimal when a median falls between two
    Days(Option<f64>),
    Date(Option<chrono::NaiveDate>),
    /// a share between 0 and 1, or none over zero requests
    Rate(Option<f64>),
    /// an amount of money, in cents (its currency is the row's)
    Money(i64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// the CSV header and the page's `data-col`
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// a code (a country, a kind...) or a name of a figure; the page's `data-key`
    pub key: String,
    /// the first cell is the row's name
    pub cells: Vec<Cell>,
    /// a total of the rows above it
    pub total: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// a short name: the CSV file's and the Excel sheet's, and the page's `data-table`
    pub name: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    fn new(name: &str, title: &str, columns: &[(&str, &str)]) -> Table {
        Table {
            name: name.to_string(),
            title: title.to_string(),
            columns: columns.iter().map(|(k, l)| Column { key: k.to_string(), label: l.to_string() }).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, key: &str, name: &str, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push(Row {
            key: key.to_string(),
            cells: std::iter::once(Cell::Text(name.to_string())).chain(cells).collect(),
            total: false,
        });
    }

    fn total_row(&mut self, name: &str, cells: impl IntoIterator<Item = Cell>) {
        self.row("total", name, cells);
        if let Some(r) = self.rows.last_mut() {
            r.total = true;
        }
    }
}

fn counts(c: &StateCounts) -> impl Iterator<Item = Cell> {
    c.columns().into_iter().map(Cell::Count)
}

/// The columns of a table of requests by their state at the period's end, after the first.
fn state_columns(first: (&'static str, &'static str)) -> Vec<(&'static str, &'static str)> {
    vec![
        first,
        ("requests", crate::tr!(statistics.requests)),
        ("full", crate::tr!(statistics.full)),
        ("part", crate::tr!(statistics.part)),
        ("refused", crate::tr!(statistics.refused)),
        ("withdrawn", crate::tr!(statistics.withdrawn)),
        ("pending", crate::tr!(statistics.pending)),
    ]
}

/// The band names of `figures::ANSWER_BANDS`.
pub fn band_names() -> [&'static str; 5] {
    [
        crate::tr!(dashboard.band_up_to_1_month),
        crate::tr!(dashboard.band_1_to_3_months),
        crate::tr!(dashboard.band_3_to_6_months),
        crate::tr!(dashboard.band_6_to_12_months),
        crate::tr!(dashboard.band_over_12_months),
    ]
}

const BAND_KEYS: [&str; 5] = ["up_to_1_month", "1_to_3_months", "3_to_6_months", "6_to_12_months", "over_12_months"];

fn both_ways() -> [(&'static str, &'static str); 2] {
    [("made", crate::tr!(statistics.made)), ("received", crate::tr!(statistics.received))]
}

/// Both directions' figures side by side: requests, their states, pending, answers.
fn summary(pack: &Pack) -> Table {
    let [made, received] = both_ways();
    let mut t =
        Table::new("summary", crate::tr!(statistics.summary), &[("figure", crate::tr!(statistics.figure)), made, received]);
    let pair = |f: fn(&Side) -> i64| [Cell::Count(f(&pack.made)), Cell::Count(f(&pack.received))];
    let days = |f: fn(&DaysToAnswer) -> Option<f64>| [Cell::Days(f(&pack.made.answers)), Cell::Days(f(&pack.received.answers))];
    t.row("requests", crate::tr!(statistics.requests_in_period), pair(|s| s.counts.requests));
    t.row("full", crate::tr!(statistics.full), pair(|s| s.counts.full));
    t.row("part", crate::tr!(statistics.part), pair(|s| s.counts.part));
    t.row("refused", crate::tr!(statistics.refused), pair(|s| s.counts.refused));
    t.row("withdrawn", crate::tr!(statistics.withdrawn), pair(|s| s.counts.withdrawn));
    t.row("pending", crate::tr!(statistics.pending), pair(|s| s.counts.pending));
    t.row("pending_all", crate::tr!(statistics.pending_all), pair(|s| s.pending_at_end));
    t.row("answers", crate::tr!(statistics.answers_in_period), pair(|s| s.answers.count()));
    t.row("median_days", crate::tr!(statistics.median_days), days(DaysToAnswer::median));
    t.row("p90_days", crate::tr!(statistics.p90_days), days(DaysToAnswer::p90));
    t
}

/// A table by the five bands of months, both directions side by side.
fn by_band(name: &str, title: &str, made: [i64; 5], received: [i64; 5]) -> Table {
    let [m, r] = both_ways();
    let mut t = Table::new(name, title, &[("band", crate::tr!(statistics.band)), m, r]);
    for (i, band) in band_names().into_iter().enumerate() {
        t.row(BAND_KEYS[i], band, [Cell::Count(made[i]), Cell::Count(received[i])]);
    }
    t.total_row(crate::tr!(dashboard.total), [Cell::Count(made.iter().sum()), Cell::Count(received.iter().sum())]);
    t
}

fn grounds(pack: &Pack) -> Table {
    let [m, r] = both_ways();
    let mut t = Table::new("refusal_grounds", crate::tr!(statistics.grounds), &[("ground", crate::tr!(statistics.ground)), m, r]);
    let count = |s: &Side, g| s.grounds.iter().find(|(x, _)| *x == g).map_or(0, |(_, n)| *n);
    let mut all: Vec<_> = pack.made.grounds.iter().chain(&pack.received.grounds).map(|(g, _)| *g).collect();
    all.sort();
    all.dedup();
    all.sort_by_key(|g| -(count(&pack.made, *g) + count(&pack.received, *g)));
    for g in all {
        let (key, name) = match g {
            Some(g) => (g.code(), g.text()),
            None => ("none", crate::tr!(statistics.ground_not_given)),
        };
        t.row(key, name, [Cell::Count(count(&pack.made, g)), Cell::Count(count(&pack.received, g))]);
    }
    t.total_row(crate::tr!(dashboard.total), [Cell::Count(pack.made.counts.refused), Cell::Count(pack.received.counts.refused)]);
    t
}

/// One direction's requests by a key (kind, offence, country), with a total row.
fn by_key<'a>(
    name: String,
    title: &str,
    first: (&'static str, &'static str),
    rows: impl Iterator<Item = (&'a str, String, &'a StateCounts)>,
    total: &StateCounts,
) -> Table {
    let mut t = Table::new(&name, title, &state_columns(first));
    for (key, label, c) in rows {
        t.row(key, &label, counts(c));
    }
    t.total_row(crate::tr!(dashboard.total), counts(total));
    t
}

fn persons(side: &Side, name: String, title: &str) -> Table {
    let mut t = Table::new(
        &name,
        title,
        &[
            ("country", crate::tr!(dashboard.country)),
            ("sought", crate::tr!(dashboard.persons_sought)),
            ("surrendered", crate::tr!(dashboard.persons_surrendered)),
            ("refused", crate::tr!(dashboard.persons_refused)),
        ],
    );
    let mut sum = [0; 3];
    for (country, f) in &side.persons {
        let n = [f.sought, f.surrendered, f.refused];
        (0..3).for_each(|i| sum[i] += n[i]);
        t.row(country, &crate::lang::country(country), n.map(Cell::Count));
    }
    t.total_row(crate::tr!(dashboard.total), sum.map(Cell::Count));
    t
}

/// One direction's measures on assets taken in the period: per currency, the sum of each
/// stage and the number of measures.
fn assets(side: &Side, name: String, title: &str) -> Table {
    use crate::domain::assets::AssetStage;
    let mut columns: Vec<(&str, &str)> = vec![("currency", crate::tr!(assets.currency))];
    columns.extend(AssetStage::ALL.iter().map(|s| (s.code(), s.text())));
    columns.push(("measures", crate::tr!(assets.measures)));
    let mut t = Table::new(&name, title, &columns);
    for (currency, sums, n) in &side.assets.rows {
        t.row(currency, currency, sums.iter().map(|c| Cell::Money(*c)).chain([Cell::Count(*n)]));
    }
    t
}

/// One direction's tables: by kind, offence and country, the persons in extradition and
/// the measures on assets.
fn side_tables(side: &Side) -> Vec<Table> {
    let (prefix, titles) = match side.direction {
        crate::domain::Direction::Outgoing => (
            "made",
            [
                crate::tr!(statistics.made_by_kind),
                crate::tr!(statistics.made_by_offence),
                crate::tr!(statistics.made_by_country),
                crate::tr!(statistics.made_persons),
                crate::tr!(statistics.made_assets),
            ],
        ),
        crate::domain::Direction::Incoming => (
            "received",
            [
                crate::tr!(statistics.received_by_kind),
                crate::tr!(statistics.received_by_offence),
                crate::tr!(statistics.received_by_country),
                crate::tr!(statistics.received_persons),
                crate::tr!(statistics.received_assets),
            ],
        ),
    };
    let kinds = side.by_kind.iter().map(|(k, c): &(Kind, _)| (k.code(), k.text().to_string(), c));
    let offences = side.by_offence.iter().map(|(o, c): &(Offence, _)| (o.code(), o.text().to_string(), c));
    let countries = side.by_country.iter().map(|(k, c)| (k.as_str(), crate::lang::country(k), c));
    vec![
        by_key(format!("{prefix}_by_kind"), titles[0], ("kind", crate::tr!(dashboard.kind)), kinds, &side.counts),
        by_key(format!("{prefix}_by_offence"), titles[1], ("offence", crate::tr!(dashboard.offence)), offences, &side.counts),
        by_key(format!("{prefix}_by_country"), titles[2], ("country", crate::tr!(dashboard.country)), countries, &side.counts),
        persons(side, format!("{prefix}_persons"), titles[3]),
        assets(side, format!("{prefix}_assets"), titles[4]),
    ]
}

/// Every table of the statistics pack, in the page's order.
pub fn pack_tables(pack: &Pack) -> Vec<Table> {
    let mut tables = vec![
        summary(pack),
        by_band("answer_times", crate::tr!(statistics.answer_times), pack.made.answers.bands(), pack.received.answers.bands()),
        by_band("pending_ages", crate::tr!(statistics.pending_ages), pack.made.pending_ages, pack.received.pending_ages),
        grounds(pack),
    ];
    tables.extend(side_tables(&pack.made));
    tables.extend(side_tables(&pack.received));
    tables
}

/// What a workbook of the pack says of itself: its title, and lines of a label and a
/// value (the period, the day it was made, where its figures are defined).
pub fn pack_about(pack: &Pack, today: chrono::NaiveDate) -> (String, Vec<(String, Cell)>) {
    let line = |label: &str, value: Cell| (label.to_string(), value);
    (
        crate::tr!(statistics.statistics_pack).to_string(),
        vec![
            line(crate::tr!(statistics.about_from), Cell::Date(Some(pack.period.from))),
            line(crate::tr!(statistics.about_to), Cell::Date(Some(pack.period.to))),
            line(crate::tr!(statistics.about_made_on), Cell::Date(Some(today))),
            line(
                crate::tr!(statistics.about_definitions),
                Cell::Text(crate::tr!(statistics.about_definitions_where).to_string()),
            ),
        ],
    )
}

/// The dashboard's charts whose numbers are downloaded, with their titles.
pub fn dashboard_charts() -> [(&'static str, &'static str); 6] {
    [
        ("countries", crate::tr!(dashboard.requests_by_country_and_outcome)),
        ("months", crate::tr!(dashboard.requests_started_and_answered_per_month)),
        ("quarters", crate::tr!(dashboard.fulfilment_rate_by_quarter_of_the)),
        ("grounds", crate::tr!(dashboard.refusal_grounds)),
        ("reciprocity", crate::tr!(dashboard.reciprocity)),
        ("groups", crate::tr!(dashboard.country_groups_side_by_side)),
    ]
}

/// Counts in the five bands of months, each with its share of them all.
fn band_shares(name: &str, title: &str, column: (&str, &str), bands: [i64; 5]) -> Table {
    let mut t =
        Table::new(name, title, &[("band", crate::tr!(statistics.band)), column, ("share", crate::tr!(statistics.share))]);
    let total: i64 = bands.iter().sum();
    let share = |n: i64| Cell::Rate(crate::domain::figures::rate(n, total));
    for (i, band) in band_names().into_iter().enumerate() {
        t.row(BAND_KEYS[i], band, [Cell::Count(bands[i]), share(bands[i])]);
    }
    t.total_row(crate::tr!(dashboard.total), [Cell::Count(total), share(total)]);
    t
}

/// The dashboard's time-to-answer table: each band's answers and share.
pub fn answer_times(days: &DaysToAnswer) -> Table {
    band_shares("answer_times", crate::tr!(dashboard.time_to_answer), ("answers", crate::tr!(statistics.answers)), days.bands())
}

/// The dashboard's pending requests by age: each band's requests and share.
pub fn pending_ages(bands: [i64; 5]) -> Table {
    band_shares("pending_ages", crate::tr!(dashboard.pending_ages), ("pending", crate::tr!(dashboard.pending)), bands)
}

/// What a workbook of the dashboard or the registry says of itself: its title, the
/// period (when there is one), the day it was made, and the address of the view.
pub fn download_about(
    title: &str,
    period: Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>,
    today: chrono::NaiveDate,
    view: &str,
) -> (String, Vec<(String, Cell)>) {
    let mut lines = Vec::new();
    if let Some((from, to)) = period {
        lines.push((crate::tr!(statistics.about_from).to_string(), Cell::Date(from)));
        lines.push((crate::tr!(statistics.about_to).to_string(), Cell::Date(to)));
    }
    lines.push((crate::tr!(statistics.about_made_on).to_string(), Cell::Date(Some(today))));
    lines.push((crate::tr!(statistics.about_view).to_string(), Cell::Text(view.to_string())));
    (title.to_string(), lines)
}

/// The registry's title, for its workbook.
pub fn registry_title() -> &'static str {
    crate::tr!(registry.registry)
}

/// The dashboard's title, for its workbook.
pub fn dashboard_title() -> &'static str {
    crate::tr!(dashboard.dashboard)
}

/// A cell as CSV writes it: numbers plain, days with a decimal point, nothing for "—".
pub fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Days(d) => d.map(|d| crate::domain::figures::format_days(Some(d))).unwrap_or_default(),
        Cell::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
        Cell::Rate(r) => r.map(|r| format!("{r:.4}")).unwrap_or_default(),
        Cell::Money(cents) => crate::domain::assets::plain_amount(*cents),
    }
}

/// `table` as CSV: a header of the column keys after `key`, then each row's key and
/// cells (text that a spreadsheet would take for a formula defused, as in every export).
#[cfg(feature = "ssr")]
pub fn csv(table: &Table) -> csv::Result<Vec<u8>> {
    let mut w = crate::db::csv_io::CsvOut::new(Vec::new());
    w.row(std::iter::once("key").chain(table.columns.iter().map(|c| c.key.as_str())))?;
    for r in &table.rows {
        w.row(std::iter::once(r.key.clone()).chain(r.cells.iter().map(csv_text)))?;
    }
    w.into_inner()
}
