//! The dashboards' running totals (`app::db::tally`) against a recount of the requests,
//! on demo data, before and after edits made through the ordinary write paths.

use crate::test_support::TempDb;
use app::db::actor::Actor;
use app::db::{creation, dashboard, list, requests, today, totals, Db};
use app::domain::dashboard::DashboardParams;
use app::domain::event::StatusChangeInput;
use app::domain::{Kind, ListParams, Offence, Status};

async fn demo_db(requests: usize) -> TempDb {
    crate::test_support::temp_db(requests, 7).await
}

fn param_sets(group_id: i64) -> Vec<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for direction in ["outgoing", "incoming"] {
        for period in ["12m", "18m", "24m", "all", "2025", "2026"] {
            let base = vec![("direction", direction.to_string()), ("period", period.to_string())];
            out.push(base.clone());
            out.push([base.clone(), vec![("kind", Kind::Extradition.code().to_string())]].concat());
            out.push([base.clone(), vec![("offence", Offence::ALL[0].code().to_string())]].concat());
            out.push([base.clone(), vec![("basis", "minsk_1993".to_string())]].concat());
            out.push([base.clone(), vec![("group", group_id.to_string())]].concat());
            out.push([base.clone(), vec![("country", "DE".to_string())]].concat());
            let kind = ("kind", Kind::Evidence.code().to_string());
            let offence = ("offence", Offence::Fraud.code().to_string());
            let basis = ("basis", "european_mla_1959".to_string());
            out.push([base.clone(), vec![kind.clone(), offence.clone()]].concat());
            out.push([base.clone(), vec![kind.clone(), basis.clone()]].concat());
            out.push([base.clone(), vec![offence.clone(), basis.clone(), ("group", group_id.to_string())]].concat());
            out.push([base.clone(), vec![kind, offence, basis]].concat());
        }
        let custom = vec![("direction", direction.to_string()), ("period", "custom".to_string())];
        out.push([custom.clone(), vec![("from", "2025-03-01".to_string()), ("to", "2025-08-31".to_string())]].concat());
    }
    out
}

/// Filters of the registry list: every status choice under directions, countries, a
/// group, kinds, offences, legal bases and periods; and some the totals cannot answer.
fn list_filter_sets(group_id: i64) -> Vec<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    let statuses = ["", "open", "overdue", "in_time", "draft", "sent", "received", "fulfilled", "refused", "suspended"];
    for status in statuses {
        for direction in ["", "outgoing", "incoming"] {
            for extra in [
                vec![],
                vec![("country", "DE".to_string())],
                vec![("group", group_id.to_string())],
                vec![("kind", Kind::Extradition.code().to_string())],
                vec![("offence", Offence::Fraud.code().to_string()), ("basis", "european_mla_1959".to_string())],
                vec![("from", "2025-03-01".to_string()), ("to", "2025-08-31".to_string())],
                vec![("from", format!("{}-01", &today().to_string()[..7]))],
                vec![("from", "2025-03-02".to_string())],
                vec![("q", "2025".to_string())],
            ] {
                let mut pairs: Vec<(&'static str, String)> = extra;
                if !status.is_empty() {
                    pairs.push(("status", status.to_string()));
                }
                if !direction.is_empty() {
                    pairs.push(("direction", direction.to_string()));
                }
                out.push(pairs);
            }
        }
    }
    out.push(vec![("case", "1".to_string())]);
    out
}

async fn assert_totals_agree(db: &Db) {
    let group_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM country_groups").fetch_one(db.pool()).await.unwrap();
    for pairs in param_sets(group_id) {
        let p = DashboardParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert!(dashboard::uses_totals(&p, today()), "{pairs:?} should read the running totals");
        let fast = dashboard::dashboard(db, &p, today()).await.unwrap();
        let slow = dashboard::recounted(db, &p, today()).await.unwrap();
        assert_eq!(fast, slow, "{pairs:?}");
    }
    // the registry's count, from the same totals
    let mut counted = 0;
    for pairs in list_filter_sets(group_id) {
        let params = ListParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        let fast = totals::count(db, &params.filter, today()).await.unwrap();
        let slow = list::count_by_reading(db, &params.filter, today()).await.unwrap();
        if pairs.iter().any(|(k, _)| *k == "q" || *k == "case") || pairs.iter().any(|(k, v)| *k == "from" && !v.ends_with("-01"))
        {
            assert_eq!(fast, None, "{pairs:?} cannot be counted from the totals");
        } else {
            assert_eq!(fast, Some(slow), "registry count for {pairs:?}");
            counted += 1;
        }
    }
    assert!(counted >= 200, "{counted} registry filters counted from the totals");
}

async fn assert_totals_equal_a_rebuild(db: &Db) {
    let mut conn = db.pool().acquire().await.unwrap();
    let kept = totals::snapshot(&mut conn).await.unwrap();
    totals::rebuild(&mut conn).await.unwrap();
    assert_eq!(kept, totals::snapshot(&mut conn).await.unwrap(), "running totals differ from a recount");
}

#[tokio::test]
async fn a_demo_written_in_several_transactions_is_counted_whole() {
    let t = TempDb::new("chunks").await;
    let args = crate::config::DemoArgs { requests: 1250, seed: 3, if_empty: false };
    assert_eq!(crate::demo::load_chunked(&t.db, &args, 500).await.unwrap(), Some(1250));
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(t.db.pool()).await.unwrap();
    assert_eq!(n, 1250);
    assert_totals_equal_a_rebuild(&t.db).await;
    reminder_steps_follow_the_schedule(&t.db).await;
}

/// Every request's reminders taken are those on its timeline, and its next step's date
/// (kept in SQL) is the one `domain::reminders::next_step` gives.
async fn reminder_steps_follow_the_schedule(db: &Db) {
    use app::domain::reminders::{next_step, Chased};
    let schedule = app::db::reminders::schedule(db).await.unwrap();
    type Row = (String, String, Option<String>, i64, Option<String>, Option<String>, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.direction, r.status, r.due_on, r.reminder_step, r.last_reminder_on, r.next_reminder_on, \
         (SELECT COUNT(*) FROM request_events e WHERE e.request_id = r.id AND e.kind = 'reminder') FROM requests r",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let day = |d: &Option<String>| d.as_deref().map(|d| d.parse::<chrono::NaiveDate>().unwrap());
    let mut chased = 0;
    for (direction, status, due, step, last, next, logged) in &rows {
        assert_eq!(step, logged, "reminders taken = reminders on the timeline");
        let r = Chased {
            direction: app::domain::Direction::from_code(direction).unwrap(),
            status: Status::from_code(status).unwrap(),
            due_on: day(due),
            reminders_sent: *step,
            last_reminder_on: day(last),
        };
        assert_eq!(next_step(&schedule, r).map(|n| n.on), day(next));
        chased += usize::from(next.is_some());
    }
    assert!(chased > 50 && rows.iter().any(|r| r.3 > 0), "{chased} requests chased");
}

#[tokio::test]
async fn running_totals_equal_a_recount_before_and_after_edits() {
    let t = demo_db(1500).await;
    let db = &t.db;
    assert_totals_equal_a_rebuild(db).await;
    assert_totals_agree(db).await;
    assert!(db.read_totals_rows() > 1000, "the views keep the totals they read");
    let headline = dashboard::dashboard(db, &DashboardParams::from_pairs([("period", "all")]), today()).await.unwrap();
    assert!(headline.figures.counts.total > 500, "the demo data is counted");

    // status changes, edits (country, kind, dates) and new requests, through the write paths
    let actor = Actor { user_id: None, username: "test".into(), ip: None };
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM requests ORDER BY id").fetch_all(db.pool()).await.unwrap();
    let mut changed = 0;
    for id in ids.iter().step_by(37) {
        let r = requests::get(db, *id).await.unwrap();
        if r.status.is_open() {
            let to = if changed % 2 == 0 { Status::Refused } else { Status::Fulfilled };
            let input = StatusChangeInput {
                status: to.code().into(),
                date: today().to_string(),
                refusal_ground: if to == Status::Refused { "dual_criminality".into() } else { String::new() },
                ..Default::default()
            };
            let change = input.validate(r.status, r.direction, r.start_date, today()).unwrap();
            requests::change_status(db, r.id, r.version, &change, 90, &actor).await.unwrap();
            changed += 1;
        } else {
            let mut input = r.to_input();
            input.country = if r.country == "DE" { "FR".into() } else { "DE".into() };
            input.kind = Kind::Extradition.code().into();
            let v = input.validate(today(), 90).unwrap();
            requests::update(db, r.id, r.version, &v, &actor).await.unwrap();
            let mut copy = r.to_input();
            copy.reference = format!("{}-COPY", r.reference);
            creation::create(db, &copy.validate(today(), 90).unwrap(), &actor).await.unwrap();
        }
    }
    assert!(changed > 5, "some open requests were answered");
    // the totals kept from the views before the edits must not be shown
    assert_totals_agree(db).await;
    assert_totals_equal_a_rebuild(db).await;
}

/// Two servers on one database (two connection pools, each with the totals it keeps):
/// what one writes, the other's dashboard shows at once.
#[tokio::test]
async fn a_dashboard_shows_what_another_server_wrote() {
    let t = demo_db(400).await;
    let other = Db::connect(&t.url).await.unwrap();
    let all = DashboardParams::from_pairs([("period", "all")]);
    let year = DashboardParams::from_pairs([("period", "12m"), ("country", "DE")]);
    let before = dashboard::dashboard(&other, &all, today()).await.unwrap();
    let before_de = dashboard::dashboard(&other, &year, today()).await.unwrap();
    assert!(other.read_totals_rows() > 0);

    let actor = Actor { user_id: None, username: "test".into(), ip: None };
    // a new request today (this month's totals), and an old request answered (an old month's)
    let mut input = requests::get(&t.db, 1).await.unwrap().to_input();
    input.reference = "NEW-FROM-A".into();
    input.direction = "outgoing".into();
    input.country = "DE".into();
    input.start_date = today().to_string();
    input.status = "sent".into();
    input.answered_on = String::new();
    input.refusal_ground = String::new();
    input.refusal_note = String::new();
    input.due_on = String::new();
    creation::create(&t.db, &input.validate(today(), 90).unwrap(), &actor).await.unwrap();
    let old: i64 = sqlx::query_scalar(
        "SELECT MIN(id) FROM requests WHERE status IN ('sent', 'in_progress') AND direction = 'outgoing' AND start_date < '2025-06-01'",
    )
    .fetch_one(t.db.pool())
    .await
    .unwrap();
    let r = requests::get(&t.db, old).await.unwrap();
    let input = StatusChangeInput { status: "fulfilled".into(), date: today().to_string(), ..Default::default() };
    let change = input.validate(r.status, r.direction, r.start_date, today()).unwrap();
    requests::change_status(&t.db, r.id, r.version, &change, 90, &actor).await.unwrap();

    let after = dashboard::dashboard(&other, &all, today()).await.unwrap();
    assert_eq!(after, dashboard::recounted(&other, &all, today()).await.unwrap());
    assert_eq!(after.figures.counts.total, before.figures.counts.total + 1);
    assert_eq!(after.figures.counts.fulfilled, before.figures.counts.fulfilled + 1);
    let after_de = dashboard::dashboard(&other, &year, today()).await.unwrap();
    assert_eq!(after_de.figures.counts.total, before_de.figures.counts.total + 1);
    assert_eq!(after_de, dashboard::recounted(&other, &year, today()).await.unwrap());
}

/// Registry filters drawn at random (statuses, directions, countries, a group, kinds,
/// offences, legal bases, whole-month periods): wherever the running totals give the
/// count, it is the recount's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_totals_count_what_a_recount_counts_for_generated_filters() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let t = demo_db(1200).await;
    let group_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM country_groups").fetch_one(t.db.pool()).await.unwrap();
    let month = || prop::option::of((2023i32..=2026, 1u32..=12));
    let filters = (
        prop::sample::select(vec![
            "",
            "open",
            "overdue",
            "in_time",
            "draft",
            "sent",
            "received",
            "in_progress",
            "fulfilled",
            "partially_fulfilled",
            "refused",
            "suspended",
            "withdrawn",
        ]),
        prop::sample::select(vec!["", "outgoing", "incoming"]),
        prop::sample::select(vec!["", "DE", "LT", "RU", "KZ", "FR", "GE", "US"]),
        any::<bool>(),
        prop::option::of(prop::sample::select(Kind::ALL.to_vec())),
        prop::option::of(prop::sample::select(Offence::ALL.to_vec())),
        prop::sample::select(vec!["", "european_mla_1959", "minsk_1993", "bilateral", "european_extradition_1957"]),
        month(),
        month(),
    );
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config { cases: 200, failure_persistence: None, ..Config::default() });
    let counted = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&filters, |(status, direction, country, in_group, kind, offence, basis, from, to)| {
            let mut pairs: Vec<(&str, String)> =
                vec![("status", status.into()), ("direction", direction.into()), ("country", country.into())];
            pairs.push(("basis", basis.into()));
            if in_group {
                pairs.push(("group", group_id.to_string()));
            }
            if let Some(k) = kind {
                pairs.push(("kind", k.code().into()));
            }
            if let Some(o) = offence {
                pairs.push(("offence", o.code().into()));
            }
            if let Some((y, m)) = from {
                pairs.push(("from", format!("{y}-{m:02}-01")));
            }
            if let Some((y, m)) = to {
                let last = chrono::NaiveDate::from_ymd_opt(y + (m / 12) as i32, m % 12 + 1, 1).unwrap().pred_opt().unwrap();
                pairs.push(("to", last.to_string()));
            }
            let params = ListParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            let (fast, slow) = tokio::task::block_in_place(|| {
                handle.block_on(async {
                    (
                        totals::count(&t.db, &params.filter, today()).await.unwrap(),
                        list::count_by_reading(&t.db, &params.filter, today()).await.unwrap(),
                    )
                })
            });
            prop_assert!(fast.is_some(), "{pairs:?} is answered by the totals");
            prop_assert_eq!(fast, Some(slow), "{:?}", pairs);
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    assert!(counted.into_inner() >= 200, "every generated filter was checked");
}
