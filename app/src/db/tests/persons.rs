//! Persons: stored with their spellings, linked to requests with a role, found by any
//! spelling, hinted at when alike, every change audited; on both backends.

use super::*;
use crate::db::audit::{self, AuditFilter};
use crate::db::persons;
use crate::domain::person::{Birth, PersonInput, PersonRole, ValidPerson};

fn person(name: &str, other_names: &str, birth: &str) -> ValidPerson {
    PersonInput {
        name: name.into(),
        other_names: other_names.into(),
        birth: birth.into(),
        citizenship: "BY".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

async fn add(t: &TestDb, v: &ValidPerson) -> i64 {
    let mut tx = t.db.begin_write().await.unwrap();
    let id = persons::create(&mut tx, v, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn a_person_is_kept_with_their_spellings_and_changed_by_version() {
    let t = test_db().await;
    let v = person("Іваноў Іван", "Ivanou Ivan\nIwanow Iwan", "1980-03-14");
    let id = add(&t, &v).await;
    let p = persons::get(&t.db, id).await.unwrap();
    assert_eq!(
        (p.name.as_str(), p.other_names.len(), p.birth, p.version),
        ("Іваноў Іван", 2, Some(Birth::Date("1980-03-14".parse().unwrap())), 1)
    );
    assert_eq!(p.citizenship, ["BY"]);

    let changed = person("Іваноў Іван", "Ivanou Ivan", "1980");
    let mut tx = t.db.begin_write().await.unwrap();
    persons::update(&mut tx, id, 1, &changed, &clerk()).await.unwrap();
    let stale = persons::update(&mut tx, id, 1, &changed, &clerk()).await.unwrap_err();
    assert!(matches!(stale, DbError::Conflict { current_version: 2 }), "{stale:?}");
    assert!(matches!(persons::update(&mut tx, id + 99, 1, &changed, &clerk()).await, Err(DbError::NotFound("Person"))));
    tx.commit().await.unwrap();
    let p = persons::get(&t.db, id).await.unwrap();
    assert_eq!((p.birth, p.other_names.len(), p.version), (Some(Birth::Year(1980)), 1, 2));
    assert!(matches!(persons::get(&t.db, id + 99).await, Err(DbError::NotFound("Person"))));
}

#[tokio::test]
async fn a_person_is_found_by_any_spelling_and_a_slip_of_one_letter() {
    let t = test_db().await;
    let ivanov = add(&t, &person("Иванов Иван Иванович", "", "1980-03-14")).await;
    let petrov = add(&t, &person("Petrov Petr", "Пятроў Пётр", "")).await;
    for query in ["Ivanov", "Ivanou", "Iwanow", "Іваноў", "иванов иван", "Ivonov", "ivanovich"] {
        let found: Vec<i64> = persons::search(&t.db, query).await.unwrap().iter().map(|p| p.id).collect();
        assert_eq!(found, [ivanov], "{query}");
    }
    // by another spelling of the name
    let found: Vec<i64> = persons::search(&t.db, "Пятроў").await.unwrap().iter().map(|p| p.id).collect();
    assert_eq!(found, [petrov]);
    assert!(persons::search(&t.db, "Sidorov").await.unwrap().is_empty());
    assert!(persons::search(&t.db, "").await.unwrap().is_empty());
}

#[tokio::test]
async fn a_new_person_alike_in_name_and_birth_is_hinted_at() {
    let t = test_db().await;
    let ivanov = add(&t, &person("Иванов Иван", "", "1980-03-14")).await;
    add(&t, &person("Иванов Иван", "", "1991-01-01")).await;
    add(&t, &person("Петров Иван", "", "1980-03-14")).await;
    let hint = |v: ValidPerson, except| {
        let db = t.db.clone();
        async move { persons::alike(&db, &v, except).await.unwrap().iter().map(|p| p.id).collect::<Vec<_>>() }
    };
    assert_eq!(hint(person("Ivanou Ivan", "", "1980-03-14"), None).await, [ivanov]);
    assert_eq!(hint(person("Iwanow Iwan", "", "1980"), None).await, [ivanov], "a year alone may be the same");
    assert!(hint(person("Ivanov Ivan", "", "1980-03-15"), None).await.is_empty(), "another day");
    assert!(hint(person("Ivanov Ivan", "", ""), None).await.is_empty(), "no birth, no hint");
    assert!(hint(person("Ivanov Ivan", "", "1980-03-14"), Some(ivanov)).await.is_empty(), "not the person themselves");
}

#[tokio::test]
async fn persons_are_linked_to_requests_with_a_role_and_every_change_is_audited() {
    let t = test_db().await;
    let a = creation::create(&t.db, &valid(&input("EXT-1", "LT", "2025-03-01")), &clerk()).await.unwrap();
    let b = creation::create(&t.db, &valid(&input("MLA-2", "PL", "2025-04-01")), &clerk()).await.unwrap();
    let ivanov = add(&t, &person("Иванов Иван", "", "1980-03-14")).await;
    let witness = add(&t, &person("Smith John", "", "")).await;
    let mut tx = t.db.begin_write().await.unwrap();
    persons::link(&mut tx, a, ivanov, PersonRole::Wanted, &clerk()).await.unwrap();
    persons::link(&mut tx, b, ivanov, PersonRole::Accused, &clerk()).await.unwrap();
    persons::link(&mut tx, b, witness, PersonRole::Witness, &clerk()).await.unwrap();
    // the same link again changes its role
    persons::link(&mut tx, b, ivanov, PersonRole::Convicted, &clerk()).await.unwrap();
    assert!(matches!(
        persons::link(&mut tx, a + 99, ivanov, PersonRole::Other, &clerk()).await,
        Err(DbError::NotFound("Request"))
    ));
    assert!(matches!(
        persons::link(&mut tx, a, ivanov + 99, PersonRole::Other, &clerk()).await,
        Err(DbError::NotFound("Person"))
    ));
    tx.commit().await.unwrap();

    let on_b: Vec<(String, Option<PersonRole>)> =
        persons::of_request(&t.db, b).await.unwrap().into_iter().map(|p| (p.name, p.role)).collect();
    assert_eq!(
        on_b,
        [("Smith John".to_string(), Some(PersonRole::Witness)), ("Иванов Иван".to_string(), Some(PersonRole::Convicted))]
    );
    let requests: Vec<(String, PersonRole)> =
        persons::requests_of(&t.db, ivanov).await.unwrap().into_iter().map(|r| (r.reference, r.role)).collect();
    assert_eq!(requests, [("MLA-2".to_string(), PersonRole::Convicted), ("EXT-1".to_string(), PersonRole::Wanted)]);
    // the person's timeline: both requests' events, newest first
    let events = crate::db::timeline::events_of_person(&t.db, ivanov).await.unwrap();
    let references: Vec<&str> = events.iter().map(|e| e.reference.as_str()).collect();
    assert_eq!(references, ["MLA-2", "EXT-1"]);
    assert!(crate::db::timeline::events_of_person(&t.db, witness + 99).await.unwrap().is_empty());

    let mut tx = t.db.begin_write().await.unwrap();
    persons::unlink(&mut tx, b, ivanov, &clerk()).await.unwrap();
    persons::unlink(&mut tx, b, ivanov, &clerk()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(persons::of_request(&t.db, b).await.unwrap().len(), 1);

    let mut conn = t.db.connection().await.unwrap();
    let entries = audit::list(&mut conn, &AuditFilter::default()).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("person.")).collect();
    assert_eq!(actions.iter().filter(|a| **a == "person.create").count(), 2);
    assert_eq!(actions.iter().filter(|a| **a == "person.link").count(), 4);
    assert_eq!(actions.iter().filter(|a| **a == "person.unlink").count(), 1, "an unlink that did nothing is not recorded");
}
