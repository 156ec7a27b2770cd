//! The handling of requests: assignment, My work and the workload, the executing
//! authority, the acknowledgement and the stopped clock in the dashboard's figures, and
//! the reminder schedule's steps; on both backends.

use super::*;
use crate::db::totals::keep;
use crate::db::{handling, reminders, users, work};
use crate::domain::dashboard::DashboardParams;
use crate::domain::filter::AssigneeFilter;
use crate::domain::handling::{AcknowledgementInput, Assignee, Current, ExecutionInput, ResumeClockInput, StopClockInput};
use crate::domain::reminders::ScheduleInput;
use crate::domain::user::{NewUser, Role};
use crate::domain::{ReminderInput, RequestFilter};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn user(t: &TestDb, name: &str) -> Assignee {
    let mut conn = t.db.pool.acquire().await.unwrap();
    let u = NewUser {
        username: name.into(),
        display_name: name.to_uppercase(),
        role: Role::Clerk,
        password: "a good long passphrase".into(),
    };
    Assignee { id: users::create(&mut conn, &u).await.unwrap(), name: name.to_uppercase() }
}

async fn current(t: &TestDb, id: i64) -> handling::State {
    handling::state(&t.db, id).await.unwrap()
}

fn as_current(s: &handling::State) -> Current<'_> {
    Current { direction: s.direction, status: s.status, start_date: s.start_date, answered_on: s.answered_on, stops: &s.stops }
}

async fn stop(t: &TestDb, id: i64, on: &str) {
    let s = current(t, id).await;
    let v = StopClockInput { date: on.into(), reason: "Awaiting the requesting side's translation".into() }
        .validate(as_current(&s), today())
        .unwrap();
    handling::stop_clock(&t.db, id, &v, &clerk()).await.unwrap();
}

async fn resume(t: &TestDb, id: i64, on: &str) {
    let s = current(t, id).await;
    let (stop_id, on) = ResumeClockInput { date: on.into() }.validate(as_current(&s), today()).unwrap();
    handling::resume_clock(&t.db, id, stop_id, on, &clerk()).await.unwrap();
}

async fn answer(t: &TestDb, id: i64, on: &str) {
    let r = requests::get(&t.db, id).await.unwrap();
    let change = StatusChangeInput { status: "fulfilled".into(), date: on.into(), ..Default::default() }
        .validate(r.status, r.direction, r.start_date, today())
        .unwrap();
    requests::change_status(&t.db, id, r.version, &change, 90, &clerk()).await.unwrap();
}

/// domain.md's example: received 10 January, acknowledged on the 25th, stopped 1–21
/// February and again from 1 April, answered 20 April: 100 calendar days, 61 without
/// stopped time, 15 to acknowledge; beside a request answered in 20 days.
#[tokio::test]
async fn the_stopped_clock_and_the_acknowledgement_reach_the_dashboard() {
    let t = test_db().await;
    let mut i = input("IN-CLOCK", "DE", "2025-01-10");
    i.direction = "incoming".into();
    i.status = "received".into();
    let id = creation::create(&t.db, &valid(&i), &clerk()).await.unwrap();
    let mut quick = input("IN-QUICK", "DE", "2025-01-10");
    quick.direction = "incoming".into();
    quick.status = "fulfilled".into();
    quick.answered_on = "2025-01-30".into();
    creation::create(&t.db, &valid(&quick), &clerk()).await.unwrap();

    let s = current(&t, id).await;
    let ack = AcknowledgementInput { date: "2025-01-25".into() }.validate(as_current(&s), today()).unwrap();
    handling::acknowledge(&t.db, id, ack, &clerk()).await.unwrap();
    stop(&t, id, "2025-02-01").await;
    resume(&t, id, "2025-02-21").await;
    stop(&t, id, "2025-04-01").await;
    let h = handling::of_request(&t.db, id, d("2025-04-11")).await.unwrap();
    let clock = h.clock.unwrap();
    assert_eq!((clock.days, clock.net_days, clock.stopped), (91, 91 - 20 - 10, true));
    // a second stop while one is open is refused by the database too
    let again = crate::domain::handling::ValidStop { stopped_on: d("2025-04-02"), reason: "x".into() };
    assert!(handling::stop_clock(&t.db, id, &again, &clerk()).await.is_err());

    answer(&t, id, "2025-04-20").await;
    let h = handling::of_request(&t.db, id, today()).await.unwrap();
    let clock = h.clock.unwrap();
    assert_eq!((clock.days, clock.net_days, clock.days_to_acknowledge, clock.running), (100, 61, Some(15), false));

    let views = [
        vec![("period", "all"), ("direction", "incoming")],
        vec![("period", "all"), ("direction", "incoming"), ("country", "DE")],
        vec![("period", "year"), ("direction", "incoming"), ("kind", "evidence"), ("offence", "fraud")],
    ];
    for view in views {
        let p = DashboardParams::from_pairs(view);
        let kept = crate::db::dashboard::dashboard(&t.db, &p, today()).await.unwrap();
        let recount = crate::db::dashboard::recounted(&t.db, &p, today()).await.unwrap();
        assert_eq!(kept.figures, recount.figures);
        let f = kept.figures;
        assert_eq!(f.days.median(), Some(60.0), "(20 + 100) / 2");
        assert_eq!(f.net_days.median(), Some(40.5), "(20 + 61) / 2");
        assert_eq!((f.ack_days.median(), f.ack_days.count()), (Some(15.0), 1));
    }
    let outgoing = DashboardParams::from_pairs([("period", "all"), ("direction", "outgoing")]);
    let f = crate::db::dashboard::dashboard(&t.db, &outgoing, today()).await.unwrap().figures;
    assert_eq!((f.days.median(), f.net_days.median(), f.ack_days.median()), (None, None, None));

    // the kept totals equal a recount from scratch
    let mut tx = t.db.begin_write().await.unwrap();
    let before = keep::snapshot(&mut tx).await.unwrap();
    keep::rebuild(&mut tx).await.unwrap();
    assert_eq!(keep::snapshot(&mut tx).await.unwrap(), before);
    tx.commit().await.unwrap();

    let kinds: Vec<EventKind> = timeline::events(&t.db, id).await.unwrap().into_iter().map(|e| e.kind).collect();
    for k in [EventKind::Acknowledged, EventKind::ClockStopped, EventKind::ClockResumed] {
        assert!(kinds.contains(&k), "{k:?} on the timeline");
    }
}

#[tokio::test]
async fn assigned_requests_make_my_work_and_the_workload() {
    let t = test_db().await;
    let (ann, bob) = (user(&t, "ann").await, user(&t, "bob").await);
    let mut overdue = input("A-OVERDUE", "DE", "2025-01-01");
    overdue.due_on = "2025-04-01".into();
    let mut soon = input("B-SOON", "LT", "2025-05-20");
    soon.due_on = "2025-06-15".into();
    let mut executed = input("C-EXEC", "PL", "2025-05-01");
    executed.direction = "incoming".into();
    executed.status = "received".into();
    let later = input("D-LATER", "FR", "2025-06-01");
    let mut ids = Vec::new();
    for i in [&overdue, &soon, &executed, &later] {
        ids.push(creation::create(&t.db, &valid(i), &clerk()).await.unwrap());
    }
    let (a, b, c, dd) = (ids[0], ids[1], ids[2], ids[3]);
    for id in [a, b, c] {
        handling::assign(&t.db, id, Some(&ann), &clerk()).await.unwrap();
    }
    handling::assign(&t.db, dd, Some(&bob), &clerk()).await.unwrap();
    let s = current(&t, c).await;
    let ex = ExecutionInput {
        authority: "Kraków regional prosecutor".into(),
        sent_on: "2025-05-02".into(),
        due_on: "2025-06-01".into(),
    }
    .validate(as_current(&s), today())
    .unwrap();
    handling::set_execution(&t.db, c, &ex, &clerk()).await.unwrap();

    let w = work::my_work(&t.db, ann.id, today()).await.unwrap();
    let refs = |items: &[crate::domain::work::WorkItem]| items.iter().map(|i| i.reference.clone()).collect::<Vec<_>>();
    assert_eq!(refs(&w.overdue), ["A-OVERDUE"]);
    assert_eq!(refs(&w.due_soon), ["B-SOON"]);
    assert_eq!(refs(&w.reminders_due), ["A-OVERDUE"]);
    assert_eq!(w.reminders_due[0].detail.as_deref(), Some("First reminder"));
    assert_eq!(refs(&w.execution_late), ["C-EXEC"]);
    assert_eq!(w.execution_late[0].detail.as_deref(), Some("Kraków regional prosecutor"));
    assert_eq!(w.needs_action(), 3);
    assert_eq!(work::my_work(&t.db, bob.id, today()).await.unwrap().needs_action(), 0);

    let listed = |f: RequestFilter| {
        let db = t.db.clone();
        async move {
            let mut r: Vec<String> =
                requests::matching(&db, &f, today()).await.unwrap().into_iter().map(|r| r.reference).collect();
            r.sort();
            r
        }
    };
    let mine = RequestFilter { assignee: Some(AssigneeFilter::User(ann.id)), ..Default::default() };
    assert_eq!(listed(mine.clone()).await, ["A-OVERDUE", "B-SOON", "C-EXEC"]);
    // the list pages agree with the plain filter
    let page = list::page(&t.db, &ListParams { filter: mine, ..Default::default() }, today()).await.unwrap();
    assert_eq!(page.rows.len(), 3);
    handling::assign(&t.db, b, None, &clerk()).await.unwrap();
    assert_eq!(listed(RequestFilter { assignee: Some(AssigneeFilter::Nobody), ..Default::default() }).await, ["B-SOON"]);
    let due = RequestFilter { reminder_due: true, ..Default::default() };
    assert_eq!(listed(due.clone()).await, ["A-OVERDUE"]);

    let events = timeline::events(&t.db, b).await.unwrap();
    let assigned: Vec<Option<String>> = events.iter().filter(|e| e.kind == EventKind::Assigned).map(|e| e.note.clone()).collect();
    assert_eq!(assigned, [Some("ANN".to_string()), None]);

    let load = work::workload(&t.db, today()).await.unwrap();
    let row = |id: Option<i64>| load.rows.iter().find(|r| r.assignee_id == id).cloned().unwrap();
    // ann: A started 160 days ago, C 40; bob: D 9; no one: B 21
    assert_eq!((row(Some(ann.id)).by_age, row(Some(ann.id)).overdue), ([0, 1, 1, 0, 0], 1));
    assert_eq!(row(Some(bob.id)).by_age, [1, 0, 0, 0, 0]);
    assert_eq!(row(None).by_age, [1, 0, 0, 0, 0]);
    assert_eq!(load.rows.last().unwrap().assignee_id, None, "no one's requests last");

    // logging a reminder takes the schedule's step: the second falls due 30 days later
    requests::add_reminder(
        &t.db,
        a,
        &ReminderInput { date: "2025-06-05".into(), note: String::new() }.validate(Status::Sent, None, today()).unwrap(),
        &clerk(),
    )
    .await
    .unwrap();
    let h = handling::of_request(&t.db, a, today()).await.unwrap();
    let next = h.next_reminder.unwrap();
    assert_eq!((h.reminders_sent, next.step, next.on), (1, 2, d("2025-07-05")));
    assert!(listed(due.clone()).await.is_empty());
    // a shorter schedule moves every request's next step
    let schedule = ScheduleInput { lines: "0, First reminder\n3, Second reminder".into() }.validate().unwrap();
    reminders::set_schedule(&t.db, &schedule, &clerk()).await.unwrap();
    assert_eq!(reminders::schedule(&t.db).await.unwrap(), schedule);
    assert_eq!(listed(due.clone()).await, ["A-OVERDUE"]);
    let h = handling::of_request(&t.db, a, today()).await.unwrap();
    assert_eq!(h.next_reminder.map(|n| n.on), Some(d("2025-06-08")));
    // the last step taken, nothing further; an answer ends the schedule too
    requests::add_reminder(
        &t.db,
        a,
        &ReminderInput { date: "2025-06-09".into(), note: String::new() }.validate(Status::Sent, None, today()).unwrap(),
        &clerk(),
    )
    .await
    .unwrap();
    assert_eq!(handling::of_request(&t.db, a, today()).await.unwrap().next_reminder, None);
    answer(&t, b, "2025-06-09").await;
    let next: Option<String> =
        sqlx::query_scalar("SELECT next_reminder_on FROM requests WHERE id = $1").bind(b).fetch_one(&t.db.pool).await.unwrap();
    assert_eq!(next, None);
}
