//! `rogatory demo`: a realistic, reproducible data set, so that a new user sees a living
//! registry at once: three years of requests to and from 36 countries, both directions,
//! every status, reminders to silent counterparts, and one large multi-country case.

use crate::config::DemoArgs;
use app::db::requests::insert_plain_many;
use app::db::timeline::{insert_events, NewEvent};
use app::db::INSERT_BATCH;
use app::db::{now, today, Db, DbResult};
use app::domain::request::CaseRef;
use app::domain::{Direction, EventKind, Kind, Offence, RefusalGround, Status, ValidRequest};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

/// splitmix64: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// How a counterpart behaves: shares of outcomes among answered-or-not requests, and
/// the typical number of days to an answer.
struct Profile {
    fulfil: f64,
    partial: f64,
    refuse: f64,
    suspend: f64,
    silent: f64,
    days: f64,
}

const COOPERATIVE: Profile = Profile { fulfil: 0.62, partial: 0.14, refuse: 0.06, suspend: 0.02, silent: 0.12, days: 75.0 };
const SLOW: Profile = Profile { fulfil: 0.45, partial: 0.12, refuse: 0.08, suspend: 0.03, silent: 0.28, days: 140.0 };
const RESTRICTIVE: Profile = Profile { fulfil: 0.12, partial: 0.06, refuse: 0.34, suspend: 0.18, silent: 0.26, days: 120.0 };
const PARTNER: Profile = Profile { fulfil: 0.70, partial: 0.12, refuse: 0.04, suspend: 0.01, silent: 0.09, days: 55.0 };

struct Counterpart {
    code: &'static str,
    authority: &'static str,
    profile: &'static Profile,
    basis: &'static str,
    weight: u32,
}

const COUNTERPARTS: &[Counterpart] = &[
    Counterpart { code: "RU", authority: "Prosecutor General's Office", profile: &PARTNER, basis: "minsk_1993", weight: 14 },
    Counterpart { code: "KZ", authority: "Prosecutor General's Office", profile: &PARTNER, basis: "minsk_1993", weight: 8 },
    Counterpart {
        code: "UZ",
        authority: "Prosecutor General's Office",
        profile: &COOPERATIVE,
        basis: "chisinau_2002",
        weight: 5,
    },
    Counterpart { code: "KG", authority: "Prosecutor General's Office", profile: &COOPERATIVE, basis: "minsk_1993", weight: 3 },
    Counterpart { code: "TJ", authority: "Prosecutor General's Office", profile: &SLOW, basis: "minsk_1993", weight: 2 },
    Counterpart { code: "AM", authority: "Prosecutor General's Office", profile: &COOPERATIVE, basis: "minsk_1993", weight: 3 },
    Counterpart { code: "AZ", authority: "Prosecutor General's Office", profile: &SLOW, basis: "minsk_1993", weight: 3 },
    Counterpart { code: "MD", authority: "Prosecutor General's Office", profile: &SLOW, basis: "european_mla_1959", weight: 3 },
    Counterpart { code: "TM", authority: "Prosecutor General's Office", profile: &SLOW, basis: "minsk_1993", weight: 1 },
    Counterpart { code: "CN", authority: "Ministry of Justice", profile: &SLOW, basis: "bilateral", weight: 4 },
    Counterpart {
        code: "TR",
        authority: "Ministry of Justice, Directorate General for Foreign Relations",
        profile: &SLOW,
        basis: "european_mla_1959",
        weight: 4,
    },
    Counterpart { code: "AE", authority: "Ministry of Justice", profile: &SLOW, basis: "untoc_2000", weight: 3 },
    Counterpart { code: "RS", authority: "Ministry of Justice", profile: &COOPERATIVE, basis: "european_mla_1959", weight: 2 },
    Counterpart { code: "IN", authority: "Ministry of Home Affairs", profile: &SLOW, basis: "untoc_2000", weight: 1 },
    Counterpart { code: "VN", authority: "Supreme People's Procuracy", profile: &COOPERATIVE, basis: "bilateral", weight: 1 },
    Counterpart {
        code: "IL",
        authority: "Department of International Affairs, State Attorney",
        profile: &SLOW,
        basis: "european_mla_1959",
        weight: 1,
    },
    Counterpart {
        code: "DE",
        authority: "Federal Office of Justice",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 6,
    },
    Counterpart {
        code: "PL",
        authority: "National Prosecutor's Office",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 7,
    },
    Counterpart {
        code: "LT",
        authority: "Prosecutor General's Office",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 7,
    },
    Counterpart {
        code: "LV",
        authority: "Prosecutor General's Office",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 5,
    },
    Counterpart { code: "EE", authority: "Ministry of Justice", profile: &RESTRICTIVE, basis: "european_mla_1959", weight: 2 },
    Counterpart { code: "FI", authority: "Ministry of Justice", profile: &RESTRICTIVE, basis: "european_mla_1959", weight: 2 },
    Counterpart {
        code: "CZ",
        authority: "Supreme Public Prosecutor's Office",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 3,
    },
    Counterpart { code: "SK", authority: "General Prosecutor's Office", profile: &SLOW, basis: "european_mla_1959", weight: 2 },
    Counterpart {
        code: "AT",
        authority: "Federal Ministry of Justice",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 2,
    },
    Counterpart {
        code: "NL",
        authority: "International Legal Assistance Centre",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 2,
    },
    Counterpart {
        code: "FR",
        authority: "Ministry of Justice, Bureau of International Mutual Assistance",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 2,
    },
    Counterpart { code: "IT", authority: "Ministry of Justice", profile: &RESTRICTIVE, basis: "european_mla_1959", weight: 2 },
    Counterpart { code: "ES", authority: "Ministry of Justice", profile: &RESTRICTIVE, basis: "european_mla_1959", weight: 1 },
    Counterpart {
        code: "SE",
        authority: "Swedish Prosecution Authority",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 1,
    },
    Counterpart {
        code: "UA",
        authority: "Office of the Prosecutor General",
        profile: &RESTRICTIVE,
        basis: "minsk_1993",
        weight: 4,
    },
    Counterpart { code: "GE", authority: "Prosecutor's Office", profile: &SLOW, basis: "european_mla_1959", weight: 2 },
    Counterpart {
        code: "US",
        authority: "Department of Justice, Office of International Affairs",
        profile: &RESTRICTIVE,
        basis: "untoc_2000",
        weight: 3,
    },
    Counterpart { code: "GB", authority: "UK Central Authority", profile: &RESTRICTIVE, basis: "european_mla_1959", weight: 2 },
    Counterpart {
        code: "CH",
        authority: "Federal Office of Justice",
        profile: &RESTRICTIVE,
        basis: "european_mla_1959",
        weight: 2,
    },
    Counterpart {
        code: "CY",
        authority: "Ministry of Justice and Public Order",
        profile: &SLOW,
        basis: "european_mla_1959",
        weight: 2,
    },
];

const CASE_TITLES: &[&str] = &[
    "Cross-border VAT fraud scheme",
    "Laundering of proceeds through shell companies",
    "Synthetic drug laboratory network",
    "Trafficking of women for sexual exploitation",
    "Embezzlement at a state-owned energy company",
    "Ransomware attack on a regional hospital",
    "Illegal arms shipment by rail",
    "Bribery in public procurement of medical equipment",
    "Migrant smuggling across the eastern border",
    "Contract killing of a businessman",
    "Investment fraud targeting pensioners",
    "Financing of a banned organisation",
    "Online child sexual abuse material",
    "Smuggling of cigarettes and excise fraud",
    "Fraudulent bankruptcy of a construction holding",
];

fn offence_for_title(i: usize) -> Offence {
    [
        Offence::Fraud,
        Offence::MoneyLaundering,
        Offence::DrugTrafficking,
        Offence::HumanTrafficking,
        Offence::Corruption,
        Offence::Cybercrime,
        Offence::ArmsTrafficking,
        Offence::Corruption,
        Offence::MigrantSmuggling,
        Offence::ViolentCrime,
        Offence::Fraud,
        Offence::TerroristFinancing,
        Offence::SexualCrime,
        Offence::Other,
        Offence::Fraud,
    ][i % 15]
}

const SUMMARIES: &[(Kind, &str)] = &[
    (Kind::Evidence, "Interview of a witness and obtaining of bank records"),
    (Kind::Evidence, "Expert examination of seized devices"),
    (Kind::Documents, "Service of procedural documents on the accused"),
    (Kind::SearchSeizure, "Search of premises and seizure of accounting records"),
    (Kind::Information, "Criminal-record data and identity confirmation"),
    (Kind::Information, "Information on company ownership and directors"),
    (Kind::Assets, "Tracing and freezing of bank accounts"),
    (Kind::Assets, "Confiscation and return of a real-estate property"),
    (Kind::Extradition, "Extradition of a person wanted for prosecution"),
    (Kind::TransferOfProceedings, "Transfer of criminal proceedings"),
    (Kind::TransferOfSentenced, "Transfer of a sentenced person to serve the sentence"),
    (Kind::JointInvestigation, "Setting up of a joint investigation team"),
    (Kind::ControlledDelivery, "Controlled delivery of a consignment"),
];

const GROUNDS: &[RefusalGround] = &[
    RefusalGround::PoliticalMotivation,
    RefusalGround::PoliticalMotivation,
    RefusalGround::EssentialInterests,
    RefusalGround::DualCriminality,
    RefusalGround::InsufficientInformation,
    RefusalGround::FormalDefects,
    RefusalGround::OwnNational,
    RefusalGround::HumanRights,
    RefusalGround::LimitationPeriod,
    RefusalGround::NeBisInIdem,
];

/// The big case every demo has: 111 requests to 20 countries.
const BIG_CASE: (&str, &str) = ("12-2023-0111", "War crimes against civilians in the border region");
const BIG_CASE_REQUESTS: usize = 111;

fn weighted(rng: &mut Rng) -> &'static Counterpart {
    let total: u32 = COUNTERPARTS.iter().map(|c| c.weight).sum();
    let mut n = (rng.next() % total as u64) as u32;
    for c in COUNTERPARTS {
        if n < c.weight {
            return c;
        }
        n -= c.weight;
    }
    &COUNTERPARTS[0]
}

fn add(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new((-days) as u64)).unwrap_or(d)
    }
}

/// A generated timeline's event: kind, from and to statuses, date, note.
pub(crate) type GeneratedEvent = (EventKind, Option<Status>, Option<Status>, Option<NaiveDate>, Option<String>);

/// One generated request and the timeline it went through.
pub(crate) struct Generated {
    pub(crate) request: ValidRequest,
    pub(crate) events: Vec<GeneratedEvent>,
}

fn generate(
    rng: &mut Rng,
    seq: usize,
    today: NaiveDate,
    big_case: bool,
    force_draft: bool,
    cases: &[(String, String, Offence)],
) -> Generated {
    let direction = if !big_case && rng.chance(0.27) { Direction::Incoming } else { Direction::Outgoing };
    let cp = if big_case { &COUNTERPARTS[16 + rng.below(20)] } else { weighted(rng) };
    let age = rng.below(3 * 365) as i64;
    let start = add(today, -age);
    let (kind, summary) = *rng.pick(SUMMARIES);
    let case_pick = if big_case {
        Some((BIG_CASE.0.to_string(), BIG_CASE.1.to_string(), Offence::GenocideWarCrimes))
    } else if rng.chance(0.65) {
        Some(rng.pick(cases).clone())
    } else {
        None
    };
    let offence = match &case_pick {
        Some((_, _, o)) => *o,
        None => *rng.pick(Offence::ALL),
    };
    let urgent = kind == Kind::Extradition || rng.chance(0.08);
    let due = add(start, if urgent { 30 } else { 90 });
    // incoming requests: we are the ones answering, and we answer most of them
    let profile = if direction == Direction::Incoming { &PARTNER } else { cp.profile };
    let registered = Status::registered(direction);
    let mut events = vec![(EventKind::Created, None, Some(registered), Some(start), None)];

    let draft = force_draft || (!big_case && age < 20 && rng.chance(0.2));
    let roll = rng.unit();
    let mut cumulative = 0.0;
    let mut outcome = Status::Withdrawn;
    for (share, status) in [
        (profile.fulfil, Status::Fulfilled),
        (profile.partial, Status::PartiallyFulfilled),
        (profile.refuse, Status::Refused),
        (profile.suspend, Status::Suspended),
        (profile.silent, Status::Sent),
    ] {
        cumulative += share;
        if roll < cumulative {
            outcome = status;
            break;
        }
    }
    // days to answer: skewed, long tail
    let days = (profile.days * (0.35 + 1.3 * rng.unit() * rng.unit() + 0.4 * rng.unit())).round() as i64 + 3;
    let acknowledged = add(start, 7 + rng.below(25) as i64);
    let mut status = registered;
    let mut answered_on = None;
    let mut refusal_ground = None;
    let mut refusal_note = None;
    if draft {
        status = Status::Draft;
        events.clear();
        events.push((EventKind::Created, None, Some(Status::Draft), None, None));
    } else {
        match outcome {
            Status::Fulfilled | Status::PartiallyFulfilled | Status::Refused => {
                let answer = add(start, days);
                if answer <= today {
                    if acknowledged < answer && rng.chance(0.6) {
                        events.push((
                            EventKind::StatusChanged,
                            Some(status),
                            Some(Status::InProgress),
                            Some(acknowledged),
                            Some("Acknowledged by the counterpart".into()),
                        ));
                        status = Status::InProgress;
                    }
                    let mut note = None;
                    if outcome == Status::Refused {
                        let g = *rng.pick(GROUNDS);
                        refusal_ground = Some(g);
                        note = Some(format!("Ground: {}", g.label()));
                    }
                    events.push((EventKind::StatusChanged, Some(status), Some(outcome), Some(answer), note));
                    status = outcome;
                    answered_on = Some(answer);
                } else if acknowledged <= today {
                    events.push((EventKind::StatusChanged, Some(status), Some(Status::InProgress), Some(acknowledged), None));
                    status = Status::InProgress;
                }
            }
            Status::Suspended => {
                let when = add(start, (days / 2).max(10));
                if when <= today {
                    events.push((
                        EventKind::StatusChanged,
                        Some(status),
                        Some(Status::Suspended),
                        Some(when),
                        Some("Execution postponed by the counterpart".into()),
                    ));
                    status = Status::Suspended;
                }
            }
            Status::Withdrawn => {
                let when = add(start, 20 + rng.below(60) as i64);
                if when <= today {
                    events.push((
                        EventKind::StatusChanged,
                        Some(status),
                        Some(Status::Withdrawn),
                        Some(when),
                        Some("Withdrawn: no longer needed for the case".into()),
                    ));
                    status = Status::Withdrawn;
                }
            }
            _ => {
                // silent: maybe acknowledged, never answered
                if rng.chance(0.3) && acknowledged <= today {
                    events.push((EventKind::StatusChanged, Some(status), Some(Status::InProgress), Some(acknowledged), None));
                    status = Status::InProgress;
                }
            }
        }
    }
    // chase-ups to counterparts that are late
    if status.is_open() {
        let mut reminder = add(due, 14);
        while reminder <= today && events.len() < 6 {
            events.push((
                EventKind::Reminder,
                None,
                Some(status),
                Some(reminder),
                Some("Reminder sent through the central authority".into()),
            ));
            reminder = add(reminder, 60 + rng.below(60) as i64);
        }
    }
    if status == Status::Refused && rng.chance(0.3) {
        refusal_note = Some("See the counterpart's letter in the case file".into());
    }
    let year = start.format("%Y");
    let reference = match direction {
        Direction::Outgoing => format!("2-16/{year}/{seq:04}"),
        Direction::Incoming => format!("IN/{year}/{seq:04}"),
    };
    let legal_basis = if big_case { "european_mla_1959" } else { cp.basis }.to_string();
    let request = ValidRequest {
        reference,
        their_reference: (status != Status::Draft && status != registered && rng.chance(0.7))
            .then(|| format!("{}-{}/{}", cp.code, 1000 + rng.below(9000), start.format("%y"))),
        direction,
        country: cp.code.to_string(),
        counterpart_authority: Some(cp.authority.to_string()),
        kind,
        legal_basis_note: (legal_basis == "bilateral")
            .then(|| format!("Bilateral treaty on legal assistance with {}", app::domain::country::display(cp.code))),
        legal_basis,
        offence,
        case: case_pick.map(|(number, title, _)| CaseRef { number, title: Some(title) }),
        summary: Some(summary.to_string()),
        urgent,
        start_date: (status != Status::Draft).then_some(start),
        due_on: (status != Status::Draft).then_some(due),
        status,
        answered_on,
        refusal_ground,
        refusal_note: refusal_note.filter(|_| status == Status::Refused),
    };
    Generated { request, events }
}

/// Demo requests are written this many to a transaction: a million in one transaction
/// would hold every version of the summary rows it updates again and again (PostgreSQL
/// slowed to a crawl), and SQLite's write-ahead log would grow to the size of the data.
const DEMO_CHUNK: usize = 10_000;

/// Loads `args.requests` demo requests, `DEMO_CHUNK` to a transaction, each counted in
/// the dashboard totals in the transaction that writes it (an interrupted load leaves
/// whole chunks, consistent with the totals). Returns how many, or `None` when
/// `--if-empty` was given and the database already holds requests.
pub async fn load(db: &Db, args: &DemoArgs) -> DbResult<Option<usize>> {
    load_chunked(db, args, DEMO_CHUNK).await
}

/// Writes generated requests (their cases found or created, `case_ids` remembering them)
/// and their timelines, `INSERT_BATCH` rows to a statement; returns the requests' ids.
pub(crate) async fn write_batch(
    conn: &mut sqlx::AnyConnection,
    batch: &[Generated],
    case_ids: &mut HashMap<String, i64>,
    at: &str,
) -> DbResult<Vec<i64>> {
    let mut rows = Vec::with_capacity(batch.len());
    for g in batch {
        let case_id = match &g.request.case {
            None => None,
            Some(c) => Some(app::db::cases::find_or_create_cached(conn, case_ids, &c.number, c.title.as_deref()).await?),
        };
        rows.push((&g.request, case_id));
    }
    let ids = insert_plain_many(conn, &rows, at).await?;
    let events: Vec<NewEvent> = batch
        .iter()
        .zip(&ids)
        .flat_map(|(g, &request_id)| {
            g.events.iter().map(move |(kind, from, to, on_date, note)| NewEvent {
                request_id,
                kind: *kind,
                from: *from,
                to: *to,
                on_date: *on_date,
                note: note.as_deref(),
                user: Some("demo"),
            })
        })
        .collect();
    insert_events(conn, &events, at).await?;
    app::db::reminders::count_logged(conn, &ids).await?;
    Ok(ids)
}

/// `load`, `chunk` requests to a transaction.
pub(crate) async fn load_chunked(db: &Db, args: &DemoArgs, chunk: usize) -> DbResult<Option<usize>> {
    let existing = app::db::requests::count_stored(db).await?;
    if args.if_empty && existing > 0 {
        return Ok(None);
    }
    let mut rng = Rng(args.seed);
    let today = today();
    let cases: Vec<(String, String, Offence)> = (0..40)
        .map(|i| {
            let year = 2022 + (i % 4);
            (
                format!("{}-{year}-{:04}", 10 + i % 7, 100 + i * 37),
                CASE_TITLES[i % CASE_TITLES.len()].to_string(),
                offence_for_title(i),
            )
        })
        .collect();
    let at = now();
    let mut tx = db.begin_write().await?;
    // a large page cache while it runs (see `WriteTx::bulk`)
    tx.bulk().await?;
    // sequence numbers continue after any existing rows, so a second load adds, never clashes
    let base = existing as usize + 1;
    let mut uncounted = Vec::with_capacity(500);
    let mut case_ids: HashMap<String, i64> = HashMap::new();
    let mut batch: Vec<Generated> = Vec::with_capacity(INSERT_BATCH);
    for n in 0..args.requests {
        let big = n < BIG_CASE_REQUESTS.min(args.requests / 2);
        // the last few are drafts still being written, so every status is there
        let force_draft = args.requests >= 20 && n + 3 >= args.requests;
        batch.push(generate(&mut rng, base + n, today, big, force_draft, &cases));
        let chunk_ends = (n + 1) % chunk == 0 || n + 1 == args.requests;
        if batch.len() == INSERT_BATCH || chunk_ends {
            uncounted.extend(write_batch(&mut tx, &batch, &mut case_ids, &at).await?);
            batch.clear();
            if uncounted.len() >= 500 {
                // the dashboard totals, 500 requests at a time
                app::db::totals::add_many(&mut tx, &uncounted).await?;
                uncounted.clear();
            }
        }
        if (n + 1) % chunk == 0 && n + 1 < args.requests {
            app::db::totals::add_many(&mut tx, &uncounted).await?;
            uncounted.clear();
            tx.commit().await?;
            tx = db.begin_write().await?;
            tx.bulk().await?;
        }
    }
    app::db::totals::add_many(&mut tx, &uncounted).await?;
    tx.commit().await?;
    // the file whole, or the planner's statistics current
    db.settle_after_bulk_load().await?;
    Ok(Some(args.requests))
}

/// The demo accounts, one per role, printed so that a new user can sign in. Created only
/// when missing; their passwords are public, so they are for demonstrations only.
pub const DEMO_USERS: &[(&str, &str, app::domain::Role, &str)] = &[
    ("admin", "Demo Administrator", app::domain::Role::Admin, "demo-admin-password"),
    ("clerk", "Demo Clerk", app::domain::Role::Clerk, "demo-clerk-password"),
    ("viewer", "Demo Viewer", app::domain::Role::Viewer, "demo-viewer-password"),
];

pub async fn users(db: &Db) -> DbResult<()> {
    let mut tx = db.begin_write().await?;
    for (username, name, role, password) in DEMO_USERS {
        if app::db::users::credentials(&mut tx, username).await?.is_none() {
            let new = app::domain::user::NewUser {
                username: username.to_string(),
                display_name: name.to_string(),
                role: *role,
                password: password.to_string(),
            };
            app::db::users::create(&mut tx, &new).await?;
        }
    }
    tx.commit().await?;
    println!("Demo users (for demonstrations only; their passwords are public):");
    for (username, _, role, password) in DEMO_USERS {
        println!("  {:<8} {:<28} password: {password}", username, role.short());
    }
    Ok(())
}

/// Country groups offices commonly report on, created when the database has none.
pub async fn groups(db: &Db) -> DbResult<()> {
    if !app::db::groups::list(db).await?.is_empty() {
        return Ok(());
    }
    let presets: &[(&str, &str)] = &[
        (
            "EU member states",
            "AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL, PT, RO, SK, SI, ES, SE",
        ),
        ("CIS", "AM, AZ, BY, KZ, KG, MD, RU, TJ, UZ"),
        ("Baltic states", "EE, LV, LT"),
        ("Central Asia", "KZ, KG, TJ, TM, UZ"),
    ];
    let mut tx = db.begin_write().await?;
    for (name, countries) in presets {
        let input = app::domain::group::GroupInput { name: name.to_string(), countries: countries.to_string() };
        let valid = input.validate().map_err(|e| app::db::DbError::Corrupt(format!("{e:?}")))?;
        app::db::groups::save(&mut tx, None, &valid).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_requests_pass_the_domain_rules() {
        let mut rng = Rng(7);
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let cases = vec![("1-2024-1".to_string(), "A case".to_string(), Offence::Fraud)];
        let mut statuses = std::collections::HashSet::new();
        for n in 0..2000 {
            let g = generate(&mut rng, n, today, n < 111, n % 500 == 0, &cases);
            let r = &g.request;
            statuses.insert(r.status);
            if let Some(s) = r.start_date {
                assert!(s <= today);
            }
            if let (Some(a), Some(s)) = (r.answered_on, r.start_date) {
                assert!(a >= s && a <= today);
            }
            assert_eq!(r.status.is_answered(), r.answered_on.is_some());
            assert_eq!(r.status == Status::Refused, r.refusal_ground.is_some());
            assert!(r.status.fits(r.direction));
        }
        assert_eq!(statuses.len(), Status::ALL.len(), "every status appears: {statuses:?}");
    }
}
