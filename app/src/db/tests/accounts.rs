//! Accounts, sessions, sign-in failures and the audit log.

use super::super::actor::Actor;
use super::super::audit::{self, AuditFilter};
use super::super::users;
use super::test_db;
use crate::domain::user::{NewUser, Role};

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser { username: name.into(), display_name: name.to_uppercase(), role, password: "a good long passphrase".into() }
}

#[tokio::test]
async fn sessions_live_and_die() {
    let t = test_db().await;
    let mut conn = t.db.pool.acquire().await.unwrap();
    let id = users::create(&mut conn, &new_user("ann", Role::Clerk)).await.unwrap();
    assert!(matches!(users::create(&mut conn, &new_user("ann", Role::Viewer)).await, Err(super::DbError::DuplicateUser(_))));
    let token = users::start_session(&mut conn, id, None, None).await.unwrap();
    drop(conn);
    let user = users::session_user(&t.db, &token).await.unwrap().unwrap();
    assert_eq!((user.username.as_str(), user.role), ("ann", Role::Clerk));
    assert!(users::session_user(&t.db, "not-a-token").await.unwrap().is_none());

    // 31 minutes idle: over
    users::age_session(&t.db, &token, 31 * 60, 31 * 60).await.unwrap();
    assert!(users::session_user(&t.db, &token).await.unwrap().is_none());

    // active but 12 hours old: over
    let mut conn = t.db.pool.acquire().await.unwrap();
    let token = users::start_session(&mut conn, id, None, None).await.unwrap();
    drop(conn);
    users::age_session(&t.db, &token, 60, 12 * 3600 + 1).await.unwrap();
    assert!(users::session_user(&t.db, &token).await.unwrap().is_none());

    // disabling ends every session at once
    let mut conn = t.db.pool.acquire().await.unwrap();
    let token = users::start_session(&mut conn, id, None, None).await.unwrap();
    users::set_disabled(&mut conn, id, true).await.unwrap();
    drop(conn);
    assert!(users::session_user(&t.db, &token).await.unwrap().is_none());
}

#[tokio::test]
async fn passwords_are_argon2id_hashes() {
    let t = test_db().await;
    let mut conn = t.db.pool.acquire().await.unwrap();
    users::create(&mut conn, &new_user("bob", Role::Viewer)).await.unwrap();
    let creds = users::credentials(&mut conn, "bob").await.unwrap().unwrap();
    assert!(creds.password_hash.starts_with("$argon2id$"), "{}", creds.password_hash);
    assert!(password_auth::verify_password("a good long passphrase", &creds.password_hash).is_ok());
}

#[tokio::test]
async fn failures_count_within_the_window() {
    let t = test_db().await;
    let mut conn = t.db.pool.acquire().await.unwrap();
    for _ in 0..5 {
        users::record_failure(&mut conn, "ann", Some("10.0.0.1")).await.unwrap();
    }
    assert_eq!(users::recent_failures(&mut conn, "ann").await.unwrap(), 5);
    sqlx::query("UPDATE login_failures SET at = at - 901").execute(&mut *conn).await.unwrap();
    assert_eq!(users::recent_failures(&mut conn, "ann").await.unwrap(), 0, "older than 15 minutes");
}

#[tokio::test]
async fn the_audit_trail_is_append_only() {
    let t = test_db().await;
    let mut conn = t.db.pool.acquire().await.unwrap();
    let actor = Actor { user_id: None, username: "ann".into(), ip: Some("10.0.0.1".into()) };
    audit::record(&mut conn, &actor, "login", Some("user"), Some("ann".into()), None).await.unwrap();
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'").execute(&mut *conn).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log").execute(&mut *conn).await.is_err());
    let entries = audit::list(&mut conn, &AuditFilter::default()).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].action.as_str(), entries[0].ip.as_deref()), ("login", Some("10.0.0.1")));
}

/// Runs `sql` with the append-only triggers out of the way, as someone with the
/// database's own rights could.
async fn behind_the_applications_back(t: &super::TestDb, sql: &str) {
    let postgres = t.db.backend == crate::db::backend::Backend::Postgres;
    let mut conn = t.db.pool.acquire().await.unwrap();
    if postgres {
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER").execute(&mut *conn).await.unwrap();
    } else {
        sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut *conn).await.unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut *conn).await.unwrap();
    }
    sqlx::query(sql).execute(&mut *conn).await.unwrap();
}

async fn five_entries(t: &super::TestDb) -> Vec<i64> {
    let actor = Actor { user_id: Some(1), username: "ann".into(), ip: Some("10.0.0.1".into()) };
    let mut tx = t.db.begin_write().await.unwrap();
    audit::record(&mut tx, &actor, "login", Some("user"), Some("ann".into()), None).await.unwrap();
    let many: Vec<audit::NewEntry> = (0..3)
        .map(|n| audit::NewEntry {
            actor: &actor,
            action: "request.create",
            entity: Some("request"),
            entity_id: Some(n.to_string()),
            details: Some(serde_json::json!({ "n": n })),
        })
        .collect();
    audit::record_many(&mut tx, &many).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = t.db.pool.acquire().await.unwrap();
    audit::record(&mut conn, &actor, "logout", Some("user"), Some("ann".into()), None).await.unwrap();
    sqlx::query_scalar("SELECT id FROM audit_log ORDER BY seq").fetch_all(&mut *conn).await.unwrap()
}

#[tokio::test]
async fn the_audit_chain_names_the_first_entry_changed_or_removed_behind_the_applications_back() {
    let t = test_db().await;
    let ids = five_entries(&t).await;
    assert_eq!(ids.len(), 5);
    let sound = audit::verify_chain(&t.db).await.unwrap();
    assert_eq!((sound.chained, sound.broken.clone()), (5, None));

    behind_the_applications_back(&t, &format!("UPDATE audit_log SET details = '{{\"n\":9}}' WHERE id = {}", ids[2])).await;
    let check = audit::verify_chain(&t.db).await.unwrap();
    assert_eq!(check.broken.as_ref().unwrap().0, Some(ids[2]), "{check:?}");
    assert_eq!(check.chained, 2);
}

#[tokio::test]
async fn the_audit_chain_tells_a_removed_entry_and_a_removed_end() {
    let t = test_db().await;
    let ids = five_entries(&t).await;
    behind_the_applications_back(&t, &format!("DELETE FROM audit_log WHERE id = {}", ids[1])).await;
    let check = audit::verify_chain(&t.db).await.unwrap();
    let (id, why) = check.broken.unwrap();
    assert_eq!(id, Some(ids[2]));
    assert!(why.contains("number 2 of the chain) is missing"), "{why}");

    let t = test_db().await;
    let ids = five_entries(&t).await;
    behind_the_applications_back(&t, &format!("DELETE FROM audit_log WHERE id = {}", ids[4])).await;
    let (id, why) = audit::verify_chain(&t.db).await.unwrap().broken.unwrap();
    assert_eq!(id, None);
    assert!(why.contains("the chain ends at entry number 4, but 5 were written"), "{why}");
}

#[tokio::test]
async fn concurrent_writers_keep_one_chain() {
    let t = test_db().await;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let db = t.db.clone();
            tokio::spawn(async move {
                let actor = Actor { user_id: None, username: format!("w{w}"), ip: None };
                for n in 0..10 {
                    let mut tx = db.begin_write().await.unwrap();
                    audit::record(&mut tx, &actor, "request.update", Some("request"), Some(n.to_string()), None).await.unwrap();
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let check = audit::verify_chain(&t.db).await.unwrap();
    assert_eq!((check.chained, check.broken), (80, None));
}

#[tokio::test]
async fn request_changes_are_audited_with_before_and_after() {
    let t = test_db().await;
    let clerk = super::clerk();
    let id = super::super::creation::create(&t.db, &super::valid(&super::input("A", "DE", "2025-03-01")), &clerk).await.unwrap();
    let mut edit = super::input("A", "PL", "2025-03-01");
    edit.summary = "moved".into();
    super::requests::update(&t.db, id, 1, &super::valid(&edit), &clerk).await.unwrap();
    let mut conn = t.db.pool.acquire().await.unwrap();
    let f = AuditFilter { entity: Some("request".into()), entity_id: Some(id.to_string()), ..Default::default() };
    let entries = audit::list(&mut conn, &f).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["request.update", "request.create"]);
    let details: serde_json::Value = serde_json::from_str(entries[0].details.as_deref().unwrap()).unwrap();
    assert_eq!(details["before"]["country"], "DE");
    assert_eq!(details["after"]["country"], "PL");
    assert_eq!(details["changed"], serde_json::json!(["country", "summary"]));
    assert_eq!(entries[0].username.as_deref(), Some("clerk"));
}

/// Addresses and languages are kept per person; a digest of a day is claimed once, by
/// whichever run comes first, and a released claim can be taken again.
#[tokio::test]
async fn digests_go_to_addresses_once_a_day() {
    use super::super::digest;
    use crate::domain::digest::Notifications;
    let t = test_db().await;
    let mut conn = t.db.pool.acquire().await.unwrap();
    let ann = users::create(&mut conn, &new_user("ann", Role::Clerk)).await.unwrap();
    let bob = users::create(&mut conn, &new_user("bob", Role::Clerk)).await.unwrap();
    let cid = users::create(&mut conn, &new_user("cid", Role::Admin)).await.unwrap();
    assert_eq!(digest::notifications(&t.db, ann).await.unwrap(), Notifications { email: None, language: "en".into() });
    let to = |e: &str, l: &str| Notifications { email: Some(e.into()), language: l.into() };
    digest::set_notifications(&mut conn, ann, &to("ann@example.org", "ru")).await.unwrap();
    digest::set_notifications(&mut conn, bob, &to("bob@example.org", "en")).await.unwrap();
    digest::set_notifications(&mut conn, cid, &to("cid@example.org", "en")).await.unwrap();
    // no address, or disabled: no digest
    digest::set_notifications(&mut conn, bob, &Notifications { email: None, language: "en".into() }).await.unwrap();
    users::set_disabled(&mut conn, cid, true).await.unwrap();
    assert!(matches!(
        digest::set_notifications(&mut conn, 9999, &to("x@example.org", "en")).await,
        Err(super::DbError::NotFound(_))
    ));
    drop(conn);
    assert_eq!(digest::notifications(&t.db, ann).await.unwrap(), to("ann@example.org", "ru"));
    let day: chrono::NaiveDate = "2026-12-04".parse().unwrap();
    let all = digest::recipients(&t.db, day).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].user_id, all[0].email.as_str(), all[0].language.as_str(), all[0].display_name.as_str()),
        (ann, "ann@example.org", "ru", "ANN")
    );

    assert!(digest::claim(&t.db, ann, day).await.unwrap());
    assert!(digest::recipients(&t.db, day).await.unwrap().is_empty(), "claimed: not a recipient again that day");
    assert!(!digest::claim(&t.db, ann, day).await.unwrap(), "a second run the same day sends nothing");
    assert!(digest::claim(&t.db, ann, day.succ_opt().unwrap()).await.unwrap(), "the next day is another digest");
    digest::release(&t.db, ann, day).await.unwrap();
    assert!(digest::claim(&t.db, ann, day).await.unwrap(), "a failed send is tried again");
    digest::sent(&t.db, ann, day, 3).await.unwrap();
    let items: i64 = sqlx::query_scalar("SELECT items FROM digests WHERE user_id = $1 AND day = '2026-12-04'")
        .bind(ann)
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
    assert_eq!(items, 3);
}
