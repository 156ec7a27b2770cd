//! Custody on requests, its deadlines from the legal basis or the country profile,
//! country profiles kept by version, and the persons figures; on both backends.

use super::*;
use crate::db::{countries, custody, persons};
use crate::domain::country_profile::{CountryProfileInput, PersonFigures};
use crate::domain::custody::{CustodyInput, CustodyRule, DeadlineKind};
use crate::domain::person::{PersonInput, PersonRole};
use crate::domain::RequestFilter;

fn extradition(reference: &str, country: &str, basis: &str, status: &str) -> ValidRequest {
    let mut i = input(reference, country, "2025-05-01");
    i.kind = "extradition".into();
    i.legal_basis = basis.into();
    i.status = status.into();
    if status == "fulfilled" || status == "refused" {
        i.answered_on = "2025-06-01".into();
    }
    if status == "refused" {
        i.refusal_ground = "own_national".into();
    }
    valid(&i)
}

async fn person_on(t: &TestDb, request: i64, name: &str, role: PersonRole) -> i64 {
    let v = PersonInput { name: name.into(), ..Default::default() }.validate(today()).unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    let id = persons::create(&mut tx, &v, &clerk()).await.unwrap();
    persons::link(&mut tx, request, id, role, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn held_since(arrested: &str) -> CustodyInput {
    CustodyInput { kind: "provisional_arrest".into(), arrested_on: arrested.into(), ..Default::default() }
}

async fn save(t: &TestDb, request: i64, person: i64, version: Option<i64>, i: &CustodyInput) -> Result<(), DbError> {
    let c = i.validate(today()).unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    let done = custody::save(&mut tx, request, person, version, &c, &clerk()).await;
    tx.commit().await.unwrap();
    done
}

#[tokio::test]
async fn custody_runs_against_the_legal_basis_until_a_country_profile_overrides_it() {
    let t = test_db().await;
    let lt = creation::create(&t.db, &extradition("EXT-LT", "LT", "european_extradition_1957", "sent"), &clerk()).await.unwrap();
    let kz = creation::create(&t.db, &extradition("EXT-KZ", "KZ", "minsk_1993", "sent"), &clerk()).await.unwrap();
    let ivanov = person_on(&t, lt, "Иванов Иван", PersonRole::Wanted).await;
    let petrov = person_on(&t, kz, "Петров Пётр", PersonRole::Wanted).await;
    let witness = person_on(&t, kz, "Smith John", PersonRole::Witness).await;
    save(&t, lt, ivanov, None, &held_since("2025-06-01")).await.unwrap();
    save(&t, kz, petrov, None, &held_since("2025-06-01")).await.unwrap();
    // a second record for the same link needs the version read
    assert!(matches!(save(&t, lt, ivanov, None, &held_since("2025-06-02")).await, Err(DbError::Conflict { current_version: 1 })));
    assert!(matches!(save(&t, lt, witness, None, &held_since("2025-06-01")).await, Err(DbError::NotFound(_))));

    let rules = countries::basis_rules(&t.db).await.unwrap();
    let ece = rules.iter().find(|b| b.code == "european_extradition_1957").unwrap();
    assert_eq!(ece.rule, CustodyRule { arrest_days: Some(18), surrender_days: Some(15) });
    assert_eq!(rules.iter().find(|b| b.code == "reciprocity").unwrap().rule, CustodyRule::default());
    // ECE: 18 days; Minsk: 40 days; counted from the arrest
    let list = custody::held(&t.db, today()).await.unwrap();
    let rows: Vec<(&str, Option<i64>)> = list.held.iter().map(|h| (h.reference.as_str(), h.days_left)).collect();
    assert_eq!(rows, [("EXT-LT", Some(9)), ("EXT-KZ", Some(31))]);
    assert_eq!(list.next_deadline_days(), Some(9));
    let lt_deadline = list.held[0].record.deadline.unwrap();
    assert_eq!((lt_deadline.what, lt_deadline.on.to_string()), (DeadlineKind::RequestArrival, "2025-06-19".into()));

    // Kazakhstan's profile sets 10 days for the request to arrive: its person comes first
    let profile = CountryProfileInput { arrest_days: "10".into(), ..Default::default() }.validate(&[]).unwrap();
    let mut tx = t.db.begin_write().await.unwrap();
    countries::save(&mut tx, "KZ", None, &profile, &clerk()).await.unwrap();
    assert!(matches!(countries::save(&mut tx, "KZ", None, &profile, &clerk()).await, Err(DbError::Conflict { .. })));
    tx.commit().await.unwrap();
    let list = custody::held(&t.db, today()).await.unwrap();
    let rows: Vec<(&str, Option<i64>)> = list.held.iter().map(|h| (h.reference.as_str(), h.days_left)).collect();
    assert_eq!(rows, [("EXT-KZ", Some(1)), ("EXT-LT", Some(9))]);
    assert_eq!(list.held[0].record.rule, CustodyRule { arrest_days: Some(10), surrender_days: Some(15) });
    let (kept, version) = countries::profile(&t.db, "KZ").await.unwrap().unwrap();
    assert_eq!((kept.custody.arrest_days, version), (Some(10), 1));

    // released: off the list; its record stays on the request
    let mut released = held_since("2025-06-01");
    released.released_on = "2025-06-05".into();
    save(&t, kz, petrov, Some(1), &released).await.unwrap();
    let list = custody::held(&t.db, today()).await.unwrap();
    assert_eq!(list.held.len(), 1);
    let on_kz = custody::of_request(&t.db, kz).await.unwrap();
    assert_eq!((on_kz.len(), on_kz[0].version, on_kz[0].deadline), (1, 2, None));

    // taking the person off the request takes their custody with it
    let mut tx = t.db.begin_write().await.unwrap();
    persons::unlink(&mut tx, lt, ivanov, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(custody::held(&t.db, today()).await.unwrap().held.is_empty());
    assert!(custody::of_request(&t.db, lt).await.unwrap().is_empty());
}

#[tokio::test]
async fn persons_are_counted_sought_surrendered_and_refused_per_country() {
    let t = test_db().await;
    let basis = "european_extradition_1957";
    let done = creation::create(&t.db, &extradition("E-1", "LT", basis, "fulfilled"), &clerk()).await.unwrap();
    let refused = creation::create(&t.db, &extradition("E-2", "LT", basis, "refused"), &clerk()).await.unwrap();
    let open = creation::create(&t.db, &extradition("E-3", "LT", basis, "sent"), &clerk()).await.unwrap();
    let mla = creation::create(&t.db, &valid(&input("M-1", "LT", "2025-05-01")), &clerk()).await.unwrap();
    let a = person_on(&t, done, "Один", PersonRole::Wanted).await;
    person_on(&t, refused, "Два", PersonRole::Accused).await;
    let three = person_on(&t, open, "Три", PersonRole::Convicted).await;
    person_on(&t, open, "Свидетель", PersonRole::Witness).await;
    person_on(&t, mla, "Четыре", PersonRole::Accused).await;
    // the first person sought again (refused) stays one surrendered person
    let mut tx = t.db.begin_write().await.unwrap();
    persons::link(&mut tx, refused, a, PersonRole::Wanted, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    // a surrender date counts before the request is closed
    let mut surrendered = held_since("2025-05-10");
    surrendered.kind = "pending_extradition".into();
    surrendered.surrendered_on = "2025-06-01".into();
    save(&t, open, three, None, &surrendered).await.unwrap();

    let lt = RequestFilter { country: Some("LT".into()), ..Default::default() };
    let figures = countries::person_figures(&t.db, &lt, today()).await.unwrap();
    assert_eq!(
        figures.get(&("LT".to_string(), Direction::Outgoing)),
        Some(&PersonFigures { sought: 3, surrendered: 2, refused: 1 })
    );
    let later = RequestFilter { from: Some("2025-05-02".parse().unwrap()), ..Default::default() };
    let later = countries::person_figures(&t.db, &later, today()).await.unwrap();
    assert!(later.is_empty(), "requests started before the period are not counted");
}
