//! The dashboard's figures on known data.

use super::*;

#[tokio::test]
async fn dashboard_figures_on_known_data() {
    use crate::domain::dashboard::DashboardParams;
    use crate::domain::figures::format_rate;
    let t = test_db().await;
    let make = |r: &str, c: &str, start: &str, status: &str, answered: &str| {
        let mut i = input(r, c, start);
        i.status = status.into();
        i.answered_on = answered.into();
        if status == "refused" {
            i.refusal_ground = "dual_criminality".into();
        }
        if status == "draft" {
            i.start_date.clear();
        }
        i
    };
    let mut incoming = make("IN-1", "PL", "2025-02-01", "fulfilled", "2025-02-05");
    incoming.direction = "incoming".into();
    for i in [
        make("D1", "DE", "2025-01-01", "fulfilled", "2025-01-11"),
        make("D2", "DE", "2025-01-01", "refused", "2025-01-31"),
        make("D3", "DE", "2025-01-01", "sent", ""),
        make("D4", "DE", "2025-01-01", "withdrawn", ""),
        make("D5", "DE", "", "draft", ""),
        make("L1", "LT", "2025-02-01", "partially_fulfilled", "2025-02-21"),
        make("L2", "LT", "2025-06-01", "sent", ""),
        incoming,
    ] {
        creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    }
    let p = DashboardParams::from_pairs([("period", "all")]);
    let d = crate::db::dashboard::dashboard(&t.db, &p, today()).await.unwrap();
    let c = d.figures.counts;
    assert_eq!((c.total, c.fulfilled, c.partially_fulfilled, c.refused, c.withdrawn), (6, 1, 1, 1, 1));
    assert_eq!((c.open, c.overdue), (2, 1));
    assert_eq!(format_rate(c.fulfilment_rate()), "40.0 %");
    assert_eq!(format_rate(c.response_rate()), "60.0 %");
    assert_eq!(d.figures.days.median(), Some(20.0));
    assert_eq!(d.figures.days.p90(), Some(30.0));
    assert_eq!(d.countries.iter().map(|r| r.country.as_str()).collect::<Vec<_>>(), ["DE", "LT"]);
    assert_eq!(d.countries[0].counts.total, 4);
    assert_eq!(d.grounds.len(), 1);
    assert_eq!((d.grounds[0].ground.code(), d.grounds[0].count), ("dual_criminality", 1));
    assert!(d.reciprocity.is_empty(), "no country has requests both ways");
    let months: Vec<(&str, i64, i64)> = d.months.iter().map(|m| (m.month.as_str(), m.started, m.answered)).collect();
    assert_eq!(
        months,
        [("2025-01", 4, 2), ("2025-02", 1, 1), ("2025-03", 0, 0), ("2025-04", 0, 0), ("2025-05", 0, 0), ("2025-06", 1, 0)]
    );
    let quarters: Vec<(&str, i64)> = d.quarters.iter().map(|q| (q.quarter.as_str(), q.counts.total)).collect();
    assert_eq!(quarters, [("2025-Q1", 5), ("2025-Q2", 1)]);

    // reciprocity: Germany answers one of our requests; we answer its one
    let mut back = make("IN-DE", "DE", "2025-02-01", "fulfilled", "2025-03-01");
    back.direction = "incoming".into();
    back.status = "fulfilled".into();
    creation::create(&t.db, &valid(&back), &clerk()).await.unwrap();
    let d = crate::db::dashboard::dashboard(&t.db, &p, today()).await.unwrap();
    assert_eq!(d.reciprocity.len(), 1, "{:?}", d.reciprocity);
    assert_eq!(d.reciprocity[0].country, "DE");
    assert_eq!(format_rate(d.reciprocity[0].theirs()), "33.3 %");
    assert_eq!(format_rate(d.reciprocity[0].ours()), "100.0 %");

    let incoming = DashboardParams::from_pairs([("period", "all"), ("direction", "incoming")]);
    let d = crate::db::dashboard::dashboard(&t.db, &incoming, today()).await.unwrap();
    assert_eq!(d.figures.counts.total, 2);
    assert_eq!(format_rate(d.figures.counts.fulfilment_rate()), "100.0 %");

    let empty = DashboardParams::from_pairs([("period", "2020")]);
    let d = crate::db::dashboard::dashboard(&t.db, &empty, today()).await.unwrap();
    assert_eq!(d.figures.counts.total, 0);
    assert_eq!(format_rate(d.figures.counts.fulfilment_rate()), "—");
    assert!(d.countries.is_empty());
}
