//! The demo's persons and extraditions: persons with Cyrillic names and the spellings
//! other countries use for them, linked to extradition requests in both directions;
//! custody with deadlines running (some urgent) and ended; three extradition requests to
//! Lithuania, all fulfilled and the persons surrendered; country profiles of the main
//! extradition partners. Loaded once, when the database has no persons yet.

use crate::demo::{write_batch, Generated, GeneratedEvent};
use app::db::actor::Actor;
use app::db::{now, today, Db, DbResult};
use app::domain::country_profile::CountryProfileInput;
use app::domain::custody::CustodyInput;
use app::domain::person::{PersonInput, PersonRole};
use app::domain::{Direction, EventKind, Kind, Offence, RefusalGround, Status, ValidRequest};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

/// One demo extradition: the request, the person it seeks, their custody.
struct Extradition {
    direction: Direction,
    country: &'static str,
    basis: &'static str,
    offence: Offence,
    /// days before today the request was sent or received
    started: u64,
    /// the answer and its day after the start, if answered
    answer: Option<(Status, u64)>,
    person: (&'static str, &'static str, &'static str, &'static str),
    custody: Option<Held>,
}

/// A demo person's custody: its kind and the days before today of the arrest, the
/// decision, the release and the surrender.
struct Held(&'static str, u64, Option<u64>, Option<u64>, Option<u64>);

const EXTRADITIONS: &[Extradition] = &[
    // the three requests to Lithuania, all fulfilled
    Extradition {
        direction: Direction::Outgoing,
        country: "LT",
        basis: "european_extradition_1957",
        offence: Offence::Fraud,
        started: 520,
        answer: Some((Status::Fulfilled, 64)),
        person: ("Іваноў Іван Сяргеевіч", "Ivanou Ivan Siarhieievich\nIvanov Ivan Sergeevich\nIwanow Iwan", "1984-05-12", "BY"),
        custody: Some(Held("provisional_arrest", 530, Some(470), None, Some(460))),
    },
    Extradition {
        direction: Direction::Outgoing,
        country: "LT",
        basis: "european_extradition_1957",
        offence: Offence::DrugTrafficking,
        started: 410,
        answer: Some((Status::Fulfilled, 55)),
        person: ("Пятроў Аляксандр Міхайлавіч", "Piatrou Aliaksandr\nPetrov Aleksandr Mikhailovich", "1979", "BY"),
        custody: Some(Held("provisional_arrest", 418, Some(360), None, Some(349))),
    },
    Extradition {
        direction: Direction::Outgoing,
        country: "LT",
        basis: "european_extradition_1957",
        offence: Offence::MoneyLaundering,
        started: 300,
        answer: Some((Status::Fulfilled, 71)),
        person: ("Шчарбакоў Дзмітрый", "Shcharbakou Dzmitry\nShcherbakov Dmitriy\nSzczerbakow Dmitrij", "1990-11-02", "BY"),
        custody: Some(Held("pending_extradition", 305, Some(232), None, Some(221))),
    },
    // held now: the deadlines the custody page counts down
    Extradition {
        direction: Direction::Incoming,
        country: "RU",
        basis: "minsk_1993",
        offence: Offence::ViolentCrime,
        started: 20,
        answer: None,
        person: ("Жуков Андрей Викторович", "Zhukov Andrei\nŽukov Andrej\nSchukow Andrej", "1975-02-28", "RU"),
        custody: Some(Held("provisional_arrest", 37, None, None, None)),
    },
    Extradition {
        direction: Direction::Incoming,
        country: "KZ",
        basis: "minsk_1993",
        offence: Offence::Corruption,
        started: 25,
        answer: None,
        person: ("Хмельницкий Сергей Олегович", "Khmelnitskiy Sergey\nChmielnicki Siergiej", "1968", "KZ"),
        custody: Some(Held("provisional_arrest", 28, None, None, None)),
    },
    Extradition {
        direction: Direction::Outgoing,
        country: "DE",
        basis: "european_extradition_1957",
        offence: Offence::Cybercrime,
        started: 6,
        answer: None,
        person: ("Мельник Виктор", "Melnik Viktar\nMelnyk Viktor", "1993-07-19", "BY"),
        custody: Some(Held("provisional_arrest", 10, None, None, None)),
    },
    Extradition {
        direction: Direction::Outgoing,
        country: "PL",
        basis: "european_extradition_1957",
        offence: Offence::HumanTrafficking,
        started: 70,
        answer: None,
        person: ("Ковальчук Олег Петрович", "Kovalchuk Oleh\nKowalczuk Oleg", "1986-09-30", "UA"),
        custody: Some(Held("pending_extradition", 75, Some(11), None, None)),
    },
    Extradition {
        direction: Direction::Outgoing,
        country: "AE",
        basis: "reciprocity",
        offence: Offence::Fraud,
        started: 140,
        answer: None,
        person: ("Ахмедов Рустам", "Akhmedov Rustam\nAhmedov Rustam", "1981", "UZ"),
        custody: Some(Held("pending_extradition", 150, None, None, None)),
    },
    // refused: the person released
    Extradition {
        direction: Direction::Outgoing,
        country: "LV",
        basis: "european_extradition_1957",
        offence: Offence::Fraud,
        started: 260,
        answer: Some((Status::Refused, 48)),
        person: ("Сидоренко Ирина", "Sidorenko Iryna\nSydorenko Iryna", "1991-04-04", "UA"),
        custody: Some(Held("provisional_arrest", 265, None, Some(212), None)),
    },
];

fn ago(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

fn day_text(today: NaiveDate, days: Option<u64>) -> String {
    days.map(|d| ago(today, d).to_string()).unwrap_or_default()
}

/// The request of one demo extradition, with its timeline.
fn request(e: &Extradition, n: usize, today: NaiveDate) -> Generated {
    let start = ago(today, e.started);
    let registered = Status::registered(e.direction);
    let mut events: Vec<GeneratedEvent> = vec![(EventKind::Created, None, Some(registered), Some(start), None)];
    let (status, answered_on) = match e.answer {
        Some((status, after)) => {
            let on = start.checked_add_days(Days::new(after)).unwrap_or(start);
            events.push((EventKind::StatusChanged, Some(registered), Some(status), Some(on), None));
            (status, Some(on))
        }
        None => (registered, None),
    };
    let year = start.format("%Y");
    let reference = match e.direction {
        Direction::Outgoing => format!("2-16/{year}/EXT-{n:02}"),
        Direction::Incoming => format!("IN/{year}/EXT-{n:02}"),
    };
    let refused = status == Status::Refused;
    Generated {
        request: ValidRequest {
            reference,
            their_reference: None,
            direction: e.direction,
            country: e.country.to_string(),
            counterpart_authority: Some("Prosecutor General's Office".into()),
            kind: Kind::Extradition,
            legal_basis: e.basis.to_string(),
            legal_basis_note: None,
            offence: e.offence,
            case: None,
            summary: Some(format!("Extradition of {} for prosecution", e.person.0)),
            urgent: true,
            start_date: Some(start),
            due_on: start.checked_add_days(Days::new(30)),
            status,
            answered_on,
            refusal_ground: refused.then_some(RefusalGround::OwnNational),
            refusal_note: None,
        },
        events,
    }
}

/// Loads the demo's persons, extraditions, custody and country profiles, unless the
/// database holds persons already.
pub async fn load(db: &Db) -> DbResult<()> {
    let mut conn = db.connection().await?;
    let any: Option<i64> = sqlx::query_scalar("SELECT id FROM persons LIMIT 1").fetch_optional(&mut *conn).await?;
    drop(conn);
    if any.is_some() {
        return Ok(());
    }
    let today = today();
    let actor = Actor { user_id: None, username: "demo".into(), ip: None };
    let mut tx = db.begin_write().await?;
    let batch: Vec<Generated> = EXTRADITIONS.iter().enumerate().map(|(i, e)| request(e, i + 1, today)).collect();
    let ids = write_batch(&mut tx, &batch, &mut HashMap::new(), &now()).await?;
    app::db::totals::add_many(&mut tx, &ids).await?;
    for (e, request_id) in EXTRADITIONS.iter().zip(ids) {
        let (name, other_names, birth, citizenship) = e.person;
        let person = PersonInput {
            name: name.into(),
            other_names: other_names.into(),
            birth: birth.into(),
            citizenship: citizenship.into(),
            ..Default::default()
        };
        let person = person.validate(today).map_err(invalid)?;
        let person_id = app::db::persons::create(&mut tx, &person, &actor).await?;
        app::db::persons::link(&mut tx, request_id, person_id, PersonRole::Wanted, &actor).await?;
        let start = ago(today, e.started);
        let answered = e.answer.map(|(_, after)| start.checked_add_days(Days::new(after)).unwrap_or(start));
        let latin = other_names.lines().next().unwrap_or(name);
        let (side, dates) = ((e.direction, e.country), (start, answered));
        crate::demo_documents::attach(&mut tx, request_id, side, (name, latin), dates, today, &actor).await?;
        if let Some(Held(kind, arrested, decided, released, surrendered)) = e.custody {
            let custody = CustodyInput {
                kind: kind.into(),
                arrested_on: day_text(today, Some(arrested)),
                decided_on: day_text(today, decided),
                released_on: day_text(today, released),
                surrendered_on: day_text(today, surrendered),
                notes: String::new(),
            };
            let custody = custody.validate(today).map_err(invalid)?;
            app::db::custody::save(&mut tx, request_id, person_id, None, &custody, &actor).await?;
        }
    }
    for (country, treaties, authority, languages) in PROFILES {
        let profile = CountryProfileInput {
            treaties: treaties.iter().map(|t| t.to_string()).collect(),
            central_authority: authority.to_string(),
            languages: languages.to_string(),
            ..Default::default()
        };
        let known: Vec<String> = treaties.iter().map(|t| t.to_string()).collect();
        let profile = profile.validate(&known).map_err(invalid)?;
        app::db::countries::save(&mut tx, country, None, &profile, &actor).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo's country profiles: treaties, central authority, accepted languages.
const PROFILES: &[(&str, &[&str], &str, &str)] = &[
    (
        "LT",
        &["european_extradition_1957", "european_mla_1959", "untoc_2000"],
        "Prosecutor General's Office of the Republic of Lithuania",
        "Lithuanian, English, Russian",
    ),
    (
        "KZ",
        &["minsk_1993", "chisinau_2002", "untoc_2000"],
        "Prosecutor General's Office of the Republic of Kazakhstan",
        "Russian, Kazakh",
    ),
    ("RU", &["minsk_1993", "european_extradition_1957"], "Prosecutor General's Office of the Russian Federation", "Russian"),
    ("PL", &["european_extradition_1957", "european_mla_1959"], "National Prosecutor's Office", "Polish, English"),
];

fn invalid(e: Vec<app::domain::FieldError>) -> app::db::DbError {
    app::db::DbError::Corrupt(format!("demo data does not pass the domain rules: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_extraditions_pass_the_domain_rules() {
        let today: NaiveDate = "2026-12-04".parse().unwrap();
        for (i, e) in EXTRADITIONS.iter().enumerate() {
            let r = request(e, i + 1, today).request;
            let (start, answered) = (r.start_date.unwrap(), r.answered_on);
            assert!(start <= today && answered.is_none_or(|a| a >= start && a <= today), "{}", r.reference);
            assert_eq!(r.status.is_answered(), answered.is_some());
            assert_eq!(r.status == Status::Refused, r.refusal_ground.is_some());
            assert!(r.status.fits(r.direction));
        }
        let lithuanian = EXTRADITIONS.iter().filter(|e| e.country == "LT").collect::<Vec<_>>();
        assert_eq!(lithuanian.len(), 3);
        assert!(lithuanian.iter().all(|e| matches!(e.answer, Some((Status::Fulfilled, _)))));
    }
}
