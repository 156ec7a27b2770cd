//! The statistics pack on known data, through the real write paths (domain.md, "The
//! statistics pack").

use super::*;
use crate::domain::statistics::{PackPeriod, StateCounts};

async fn make(t: &TestDb, reference: &str, country: &str, start: &str, status: &str, answered: &str) -> i64 {
    let mut i = input(reference, country, start);
    i.status = status.into();
    i.answered_on = answered.into();
    creation::create(&t.db, &valid(&i), &clerk()).await.unwrap()
}

async fn withdraw(t: &TestDb, id: i64, on: &str) {
    let r = requests::get(&t.db, id).await.unwrap();
    let change = StatusChangeInput { status: "withdrawn".into(), date: on.into(), ..Default::default() }
        .validate(r.status, r.direction, r.start_date, today())
        .unwrap();
    requests::change_status(&t.db, id, r.version, &change, 90, &clerk()).await.unwrap();
}

/// The first quarter of 2025: requests of the quarter by their state on 31 March, the
/// answers given in it, and everything pending on 31 March by age.
#[tokio::test]
async fn the_pack_of_a_quarter() {
    let t = test_db().await;
    make(&t, "D1", "DE", "2025-01-01", "fulfilled", "2025-01-11").await; // full, 10 days
    make(&t, "D2", "DE", "2025-01-15", "fulfilled", "2025-04-20").await; // answered after the end
    make(&t, "P1", "PL", "2024-12-01", "fulfilled", "2025-02-01").await; // earlier; answered in it after 62 days
    let w1 = make(&t, "W1", "LT", "2025-02-01", "sent", "").await;
    withdraw(&t, w1, "2025-03-10").await; // withdrawn in the quarter
    let w2 = make(&t, "W2", "LT", "2025-02-01", "sent", "").await;
    withdraw(&t, w2, "2025-05-01").await; // withdrawn after it: pending on 31 March
    make(&t, "O1", "LT", "2024-10-01", "sent", "").await; // earlier, pending: 181 days on 31 March
    make(&t, "Q2", "DE", "2025-04-01", "fulfilled", "2025-04-02").await; // after the quarter
    let mut incoming = input("IN-1", "PL", "2025-03-01");
    incoming.direction = "incoming".into();
    incoming.status = "received".into();
    creation::create(&t.db, &valid(&incoming), &clerk()).await.unwrap();

    let period = PackPeriod { from: "2025-01-01".parse().unwrap(), to: "2025-03-31".parse().unwrap() };
    let pack = crate::db::statistics::pack(&t.db, period, today()).await.unwrap();
    let made = &pack.made;
    assert_eq!(made.counts, StateCounts { requests: 4, full: 1, part: 0, refused: 0, withdrawn: 1, pending: 2 });
    assert_eq!(
        made.by_country.iter().map(|(c, n)| (c.as_str(), n.requests)).collect::<Vec<_>>(),
        [("DE", 2), ("LT", 2)],
        "busiest first, then by code"
    );
    assert_eq!(made.answers.histogram, [(10, 1), (62, 1)]);
    assert_eq!(made.pending_at_end, 3);
    assert_eq!(made.pending_ages, [0, 2, 1, 0, 0]);
    assert_eq!(pack.received.counts, StateCounts { requests: 1, pending: 1, ..Default::default() });
}

/// Measures on assets count in the pack by the day they were taken, summed per currency
/// and stage, on the side of their request's direction.
#[tokio::test]
async fn measures_on_assets_sum_per_currency_and_stage() {
    use crate::domain::assets::AssetMeasureInput;
    let t = test_db().await;
    let mut asset = input("A1", "CY", "2024-11-01");
    asset.kind = "assets".into();
    let id = creation::create(&t.db, &valid(&asset), &clerk()).await.unwrap();
    let mut theirs = input("A2", "CY", "2025-01-05");
    theirs.kind = "assets".into();
    theirs.direction = "incoming".into();
    theirs.status = "received".into();
    let incoming = creation::create(&t.db, &valid(&theirs), &clerk()).await.unwrap();
    let add = |request: i64, stage: &str, amount: &str, currency: &str, on: &str| {
        let i = AssetMeasureInput {
            stage: stage.into(),
            amount: amount.into(),
            currency: currency.into(),
            taken_on: on.into(),
            note: String::new(),
        };
        let db = t.db.clone();
        async move {
            let m = i.validate(today(), None).unwrap();
            let mut tx = db.begin_write().await.unwrap();
            let id = crate::db::assets::add(&mut tx, request, &m, &clerk()).await.unwrap();
            tx.commit().await.unwrap();
            id
        }
    };
    add(id, "frozen", "1 000 000", "EUR", "2024-12-20").await; // before the quarter
    add(id, "frozen", "250 000,50", "EUR", "2025-01-15").await;
    add(id, "confiscated", "200000", "EUR", "2025-03-31").await;
    let wrong = add(id, "seized", "99", "USD", "2025-02-01").await;
    add(incoming, "seized", "5 000", "USD", "2025-02-10").await;
    // one recorded by mistake and removed
    let mut tx = t.db.begin_write().await.unwrap();
    crate::db::assets::remove(&mut tx, id, wrong, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(crate::db::assets::of_request(&t.db, id).await.unwrap().len(), 3);

    let period = PackPeriod { from: "2025-01-01".parse().unwrap(), to: "2025-03-31".parse().unwrap() };
    let pack = crate::db::statistics::pack(&t.db, period, today()).await.unwrap();
    assert_eq!(pack.made.assets.rows, vec![("EUR".to_string(), [25_000_050, 0, 20_000_000, 0, 0], 2)]);
    assert_eq!(pack.received.assets.rows, vec![("USD".to_string(), [0, 500_000, 0, 0, 0], 1)]);
}
