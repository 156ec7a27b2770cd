//! Times a CSV import: N generated rows (default 100,000) into a fresh SQLite database,
//! through the same functions as `rogatory import` (read, check, one transaction).
//!
//!   cargo bench -p server --bench import -- [rows]

use app::db::actor::Actor;
use app::db::import::{import, ImportOptions};
use app::db::{csv_io, today, Db};
use app::domain::interchange::COLUMNS;
use std::time::Instant;

const COUNTRIES: [&str; 8] = ["DE", "FR", "KZ", "LT", "Poland", "US", "CN", "Armenia"];
const KINDS: [&str; 4] = ["evidence", "documents", "information", "assets"];
const OFFENCES: [&str; 4] = ["fraud", "corruption", "cybercrime", "money_laundering"];

fn generate(rows: usize) -> String {
    let mut csv = COLUMNS.join(",") + "\n";
    for n in 0..rows {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        let (status, answered, ground) = match n % 5 {
            0 => ("fulfilled", format!("2025-{month:02}-{:02}", day.min(28)), ""),
            1 => ("refused", format!("2025-{month:02}-{:02}", day.min(28)), "dual_criminality"),
            2 => ("in_progress", String::new(), ""),
            _ if n % 4 == 0 => ("received", String::new(), ""),
            _ => ("sent", String::new(), ""),
        };
        csv.push_str(&format!(
            "B-{n:07},,{},{},,{},european_mla_1959,{},C-{},Case {},\"Summary of request {n}, with a comma\",{},2024-{month:02}-{day:02},,{status},{answered},{ground}\n",
            if n % 4 == 0 { "incoming" } else { "outgoing" },
            COUNTRIES[n % COUNTRIES.len()],
            KINDS[n % KINDS.len()],
            OFFENCES[n % OFFENCES.len()],
            n % 500,
            n % 500,
            n % 10 == 0,
        ));
    }
    csv
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let rows: usize = args.first().and_then(|r| r.parse().ok()).unwrap_or(100_000);
    let csv = generate(rows);
    let path = std::env::temp_dir().join(format!("rogatory-import-bench-{}.db", std::process::id()));
    let db = Db::connect(&format!("sqlite://{}", path.display())).await.expect("connect");
    db.migrate().await.expect("migrate");
    let actor = Actor { user_id: None, username: "bench".into(), ip: None };

    let start = Instant::now();
    let parsed = csv_io::read_rows(csv.as_bytes()).expect("read");
    let read = start.elapsed();
    // the pace every 10,000 rows (and the end: the totals and the commit), to see a slowdown
    let mut lap = Instant::now();
    let report = import(&db, parsed, ImportOptions::default(), "bench.csv", &actor, today(), |done| {
        if done > 0 && (done % 10_000 == 0 || done == rows) {
            println!("  {done:>8} rows: {:.2} s since the last line", lap.elapsed().as_secs_f64());
            lap = Instant::now();
        }
    })
    .await
    .expect("import");
    let total = start.elapsed();
    assert!(report.committed, "{:?}", report.errors.first());
    println!(
        "{} rows ({:.1} MB): read {:.2} s, whole import {:.2} s ({:.0} rows/s)",
        rows,
        csv.len() as f64 / 1e6,
        read.as_secs_f64(),
        total.as_secs_f64(),
        rows as f64 / total.as_secs_f64()
    );
    db.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
