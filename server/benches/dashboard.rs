//! Times the by-country dashboard (the same function the server function calls) on an
//! existing database, e.g. one made with `rogatory demo --requests 1000000`.
//!
//!   cargo bench -p server --bench dashboard -- sqlite:///tmp/bench1m.db [runs]
//!
//! Prints, for several filter sets, the median, 90th percentile and maximum over the runs
//! of a view as the server answers it again (the totals of unchanged months kept from the
//! view before: `kept`), the median of a view after a request of this month changed (its
//! month read again: `written`), and the median of a view with nothing kept (`cold`: the
//! first view after start-up).

use app::db::{dashboard, today, Db};
use app::domain::dashboard::DashboardParams;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let Some(url) = args.first() else {
        eprintln!("usage: cargo bench -p server --bench dashboard -- DATABASE_URL [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(20);
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(db.pool()).await.unwrap();
    println!("database: {url} ({total} requests), {runs} runs each");
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("outgoing, last 12 months (default)", &[]),
        ("outgoing, all time", &[("period", "all")]),
        ("incoming, last 24 months", &[("direction", "incoming"), ("period", "24m")]),
        ("outgoing, 2025, extradition", &[("period", "2025"), ("kind", "extradition")]),
        ("outgoing, all time, one country", &[("period", "all"), ("country", "DE")]),
        ("outgoing, 18 months, group 1", &[("period", "18m"), ("group", "1")]),
        ("outgoing, 12 months, one offence", &[("offence", "fraud")]),
        ("outgoing, 12 months, Minsk 1993", &[("basis", "minsk_1993")]),
        ("outgoing, all time, case 1", &[("period", "all"), ("case", "1")]),
        ("all time, kind + offence", &[("period", "all"), ("kind", "extradition"), ("offence", "fraud")]),
        ("12 months, kind + offence + basis", &[("kind", "evidence"), ("offence", "fraud"), ("basis", "minsk_1993")]),
    ];
    println!("{:<40} {:>9} {:>9} {:>9} {:>9} {:>9}  source", "filters", "kept ms", "p90 ms", "max ms", "written", "cold ms");
    for (name, pairs) in cases {
        let params = DashboardParams::from_pairs(pairs.iter().copied());
        let this_month = format!("s{}", &today().to_string()[..7]);
        let time = |before: &'static str| {
            let (db, params, this_month) = (&db, &params, &this_month);
            async move {
                let mut times = Vec::with_capacity(runs);
                for _ in 0..runs {
                    match before {
                        "cold" => db.forget_read_totals(),
                        // what a change to a request started this month does to the versions
                        "written" => {
                            sqlx::query("UPDATE tally_versions SET v = v + 1 WHERE key = $1")
                                .bind(this_month)
                                .execute(db.pool())
                                .await
                                .expect("version");
                        }
                        _ => {}
                    }
                    let start = Instant::now();
                    let d = dashboard::dashboard(db, params, today()).await.expect("dashboard");
                    std::hint::black_box(d);
                    times.push(start.elapsed().as_secs_f64() * 1000.0);
                }
                times.sort_by(|a, b| a.partial_cmp(b).unwrap());
                times
            }
        };
        let cold = time("cold").await;
        let kept = time("kept").await;
        let written = time("written").await;
        let q = |times: &[f64], p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        let source = if dashboard::uses_totals(&params, today()) { "totals" } else { "recount" };
        println!(
            "{:<40} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9.1}  {source}",
            name,
            q(&kept, 0.5),
            q(&kept, 0.9),
            kept[kept.len() - 1],
            q(&written, 0.5),
            q(&cold, 0.5)
        );
    }
}
