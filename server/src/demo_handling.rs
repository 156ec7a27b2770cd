//! The demo's handling: open requests given to the demo clerk and administrator (the
//! clerk's incoming ones sent to a regional prosecutor's office for execution), the
//! counterpart's acknowledgement on a third of the requests, and the clock stopped for a
//! while on some incoming requests — through the same data layer as the pages.

use app::db::actor::Actor;
use app::db::{handling, requests, today, Db, DbResult};
use app::domain::filter::StatusFilter;
use app::domain::handling::{Assignee, Execution, ValidStop};
use app::domain::{Direction, Request, RequestFilter};
use chrono::{Days, NaiveDate};

/// Regional offices an incoming request is sent to for execution.
const EXECUTORS: &[&str] = &[
    "Prosecutor's Office of the Minsk Region",
    "Prosecutor's Office of the Brest Region",
    "Prosecutor's Office of the Gomel Region",
    "Investigative Committee, Vitebsk Regional Department",
];

fn after(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

/// The demo account named `name`, among the people requests can be given to.
fn person<'a>(people: &'a [Assignee], name: &str) -> Option<&'a Assignee> {
    people.iter().find(|a| a.name == name)
}

async fn assign_open(db: &Db, open: &[Request], people: &[Assignee], actor: &Actor, today: NaiveDate) -> DbResult<()> {
    let (clerk, admin) = (person(people, "Demo Clerk"), person(people, "Demo Administrator"));
    let (mut to_clerk, mut to_admin) = (0, 0);
    for (n, r) in open.iter().enumerate() {
        let who = if n % 5 == 0 && to_clerk < 40 {
            to_clerk += 1;
            clerk
        } else if n % 11 == 0 && to_admin < 15 {
            to_admin += 1;
            admin
        } else {
            None
        };
        let (Some(who), Some(start)) = (who, r.start_date) else {
            continue;
        };
        handling::assign(db, r.id, Some(who), actor).await?;
        if r.direction == Direction::Incoming && Some(who) == clerk {
            let sent_on = after(start, 3).min(today);
            let execution = Execution {
                authority: EXECUTORS[r.id as usize % EXECUTORS.len()].to_string(),
                sent_on,
                due_on: Some(after(sent_on, 30)),
            };
            handling::set_execution(db, r.id, &execution, actor).await?;
        }
    }
    Ok(())
}

async fn acknowledge_some(db: &Db, all: &[Request], actor: &Actor, today: NaiveDate) -> DbResult<()> {
    for r in all.iter().filter(|r| r.id % 3 == 0).take(300) {
        let Some(start) = r.start_date else { continue };
        let on = after(start, 5 + (r.id % 20) as u64).min(r.answered_on.unwrap_or(today)).min(today);
        handling::acknowledge(db, r.id, Some(on), actor).await?;
    }
    Ok(())
}

async fn stop_some_clocks(db: &Db, all: &[Request], actor: &Actor, today: NaiveDate) -> DbResult<()> {
    let incoming = all.iter().filter(|r| r.direction == Direction::Incoming && r.id % 7 == 0);
    for r in incoming.take(40) {
        let Some(start) = r.start_date else { continue };
        let end = r.answered_on.unwrap_or(today);
        let (stopped_on, resumed_on) = (after(start, 10), after(start, 10 + 15 + (r.id % 25) as u64));
        if resumed_on >= end {
            continue;
        }
        let stop = ValidStop { stopped_on, reason: "Awaiting supplementary information from the requesting side".into() };
        handling::stop_clock(db, r.id, &stop, actor).await?;
        let stops = handling::state(db, r.id).await?.stops;
        if let Some(open) = stops.iter().find(|s| s.resumed_on.is_none()) {
            handling::resume_clock(db, r.id, open.id, resumed_on, actor).await?;
        }
    }
    Ok(())
}

/// Loads the demo's handling (call once, after the demo's requests).
pub async fn load(db: &Db) -> DbResult<()> {
    let today = today();
    let actor = Actor { user_id: None, username: "demo".into(), ip: None };
    let people = handling::assignees(db).await?;
    let open = RequestFilter { status: Some(StatusFilter::Open), ..Default::default() };
    assign_open(db, &requests::matching(db, &open, today).await?, &people, &actor, today).await?;
    let all = requests::matching(db, &RequestFilter::default(), today).await?;
    let started: Vec<Request> = all.into_iter().filter(|r| r.start_date.is_some()).collect();
    acknowledge_some(db, &started, &actor, today).await?;
    stop_some_clocks(db, &started, &actor, today).await
}
