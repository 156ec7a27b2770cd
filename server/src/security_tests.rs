//! Regression tests of what an attack on a fresh build found (each failed before its
//! fix): markup in page titles, open redirects, formulas in CSV downloads, control
//! characters, the lockout raced by concurrent attempts, unthrottled sign-ins, the
//! Origin's scheme, addresses shown to viewers, role codes with spaces.

use crate::config::ServeArgs;
use crate::tests::{password_of, spawn_app, spawn_app_with, TestApp};
use app::domain::{ListParams, RequestInput};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use std::net::SocketAddr;

const MARKUP: &str = "</title><meta http-equiv=refresh content=0;url=//evil.example/>";

fn input(reference: &str) -> RequestInput {
    RequestInput {
        reference: reference.into(),
        direction: "outgoing".into(),
        country: "DE".into(),
        kind: "evidence".into(),
        legal_basis: "european_mla_1959".into(),
        offence: "fraud".into(),
        start_date: "2025-03-01".into(),
        status: "sent".into(),
        ..Default::default()
    }
}

impl TestApp {
    /// A call from a client at `address` (as the server sees it behind its listener).
    async fn post_from(
        &self,
        path: &str,
        body: &str,
        cookie: Option<&str>,
        address: [u8; 4],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let mut req = req.body(Body::from(body.to_string())).unwrap();
        req.extensions_mut().insert(ConnectInfo(SocketAddr::from((address, 40000))));
        self.call(req).await
    }

    async fn get(&self, path: &str, cookie: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        self.call(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await
    }

    async fn create(&self, cookie: &str, input: &RequestInput) -> i64 {
        let body = serde_json::json!({ "input": input }).to_string();
        let (status, _, text) = self.post("/api/create_request", &body, Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        text.parse().unwrap()
    }
}

#[tokio::test]
async fn a_reference_with_markup_stays_text_in_the_page_title() {
    let t = spawn_app().await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let id = t.create(&clerk, &input(MARKUP)).await;
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    for _ in 0..20 {
        let (status, _, body) = t.get(&format!("/requests/{id}"), &viewer).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.contains("<meta http-equiv=refresh"), "the reference became markup");
        let head = body.split("</head>").next().unwrap();
        assert!(
            head.contains("<title>&lt;/title&gt;&lt;meta http-equiv=refresh"),
            "the request's title is written escaped into the page's head: {head}"
        );
    }
}

#[tokio::test]
async fn redirects_go_only_to_paths_of_this_site() {
    let t = spawn_app().await;
    for (back, to) in [
        ("/%09/evil.example", "/"),
        ("/%0A", "/"),
        ("/%5Cevil.example", "/"),
        ("//evil.example", "/"),
        ("/requests%3Fcountry%3DDE", "/requests?country=DE"),
    ] {
        let (status, headers, _) =
            t.call(Request::get(format!("/language?to=en&back={back}")).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(headers.get(header::LOCATION).unwrap(), to, "{back}");
    }
}

#[tokio::test]
async fn control_characters_get_a_clear_answer_never_a_500() {
    let t = spawn_app().await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    // the page reads the search from the URL as spaces
    let (status, _, _) = t.get("/requests?q=a%00b", &clerk).await;
    assert_eq!(status, StatusCode::OK);
    // a call made by hand is refused, naming the field
    let mut params = ListParams::default();
    params.filter.q = Some("a\u{0}b".into());
    let (status, _, body) =
        t.post("/api/list_requests", &serde_json::json!({ "params": params }).to_string(), Some(&clerk)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"field\":\"q\"") && body.contains("control characters"), "{body}");
    let (status, _, body) =
        t.post("/api/count_requests", &serde_json::json!({ "filter": params.filter }).to_string(), Some(&clerk)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // and a request with one in a field
    let body = serde_json::json!({ "input": RequestInput { summary: "a\u{0}b".into(), ..input("NUL-1") } }).to_string();
    let (status, _, body) = t.post("/api/create_request", &body, Some(&clerk)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"field\":\"summary\""), "{body}");
    let body = serde_json::json!({ "input": RequestInput { due_on: "+262142-12-31".into(), ..input("FAR-1") } }).to_string();
    let (status, _, body) = t.post("/api/create_request", &body, Some(&clerk)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"field\":\"due_on\""), "{body}");
}

#[tokio::test]
async fn fifty_wrong_passwords_at_once_have_five_checked() {
    let t = spawn_app_with(ServeArgs { sign_ins_per_minute: 0, ..ServeArgs::default() }).await;
    let body = serde_json::json!({ "username": "viewer", "password": "wrong wrong wrong" }).to_string();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let (app, body) = (t.app.clone(), body.clone());
            tokio::spawn(async move {
                use tower::ServiceExt;
                let req =
                    Request::post("/api/login").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap();
                let res = app.oneshot(req).await.unwrap();
                let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
                String::from_utf8_lossy(&bytes).to_string()
            })
        })
        .collect();
    let mut wrong = 0;
    let mut locked = 0;
    for c in calls {
        let text = c.await.unwrap();
        if text.contains("Wrong user name or password.") {
            wrong += 1;
        } else if text.contains("locked for 15 minutes") {
            locked += 1;
        } else {
            panic!("{text}");
        }
    }
    assert_eq!((wrong, locked), (5, 45));
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND entity_id = 'viewer'")
        .fetch_one(t.db.pool())
        .await
        .unwrap();
    assert_eq!(failed, 5);
    let lockouts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'account.lockout'")
        .fetch_one(t.db.pool())
        .await
        .unwrap();
    assert_eq!(lockouts, 1);
}

#[tokio::test]
async fn sign_ins_from_one_address_are_throttled() {
    // two a minute: one more every 30 s, far longer than the test's sign-ins take
    let t = spawn_app_with(ServeArgs { sign_ins_per_minute: 2, ..ServeArgs::default() }).await;
    let attempt = |user: &str| serde_json::json!({ "username": user, "password": "not the password" }).to_string();
    // different accounts, so that no lockout is reached
    for n in 0..2 {
        let (status, _, body) = t.post_from("/api/login", &attempt(&format!("nobody{n}")), None, [10, 1, 1, 1]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let (status, headers, body) = t.post_from("/api/login", &attempt("nobody7"), None, [10, 1, 1, 1]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "60");
    assert!(body.contains("Too many sign-in attempts from your address"), "{body}");
    let (status, _, _) = t.post_from("/api/login", &attempt("nobody7"), None, [10, 1, 1, 2]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "another address is not held back");
}

#[tokio::test]
async fn wrong_current_passwords_count_towards_the_lockout() {
    let t = spawn_app().await;
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    let change = |current: &str| {
        serde_json::json!({ "input": { "current": current, "new": "a brand new passphrase", "repeat": "a brand new passphrase" } }).to_string()
    };
    for _ in 0..5 {
        let (status, _, body) = t.post("/api/change_password", &change("not my password"), Some(&viewer)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("This is not your current password."), "{body}");
    }
    let (status, _, body) = t.post("/api/change_password", &change(password_of("viewer")), Some(&viewer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Too many wrong current passwords"), "{body}");
    assert!(t.login("viewer", password_of("viewer")).await.is_err(), "the account is locked for sign-ins too");
}

#[tokio::test]
async fn an_http_origin_is_refused_when_served_over_https() {
    let t = spawn_app().await;
    let cookie = t.login("clerk", password_of("clerk")).await.unwrap();
    let call = |origin: &str, proto: Option<&str>| {
        let mut req = Request::post("/api/list_cases")
            .header(header::HOST, "rogatory.example")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ORIGIN, origin)
            .header(header::COOKIE, &cookie);
        if let Some(p) = proto {
            req = req.header("x-forwarded-proto", p);
        }
        req.body(Body::from("{}")).unwrap()
    };
    assert_eq!(t.call(call("http://rogatory.example", Some("https"))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.call(call("https://rogatory.example", Some("https"))).await.0, StatusCode::OK);
    assert_eq!(t.call(call("ftp://rogatory.example", None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.call(call("http://rogatory.example:8080", None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.call(call("http://rogatory.example", None)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn addresses_in_a_request_s_history_are_for_administrators_only() {
    let t = spawn_app().await;
    let (_, headers, _) = t
        .post_from(
            "/api/login",
            &serde_json::json!({ "username": "clerk", "password": password_of("clerk") }).to_string(),
            None,
            [10, 0, 0, 7],
        )
        .await;
    let clerk = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let body = serde_json::json!({ "input": input("IP-1") }).to_string();
    let (status, _, id) = t.post_from("/api/create_request", &body, Some(&clerk), [10, 0, 0, 7]).await;
    assert_eq!(status, StatusCode::OK);
    let history = |cookie: String| {
        let body = serde_json::json!({ "id": id.parse::<i64>().unwrap() }).to_string();
        let t = &t;
        async move {
            let (status, _, text) = t.post("/api/request_history", &body, Some(&cookie)).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            serde_json::from_str::<Vec<app::domain::user::AuditEntry>>(&text).unwrap()
        }
    };
    let seen_by_viewer = history(t.login("viewer", password_of("viewer")).await.unwrap()).await;
    assert!(!seen_by_viewer.is_empty());
    assert!(seen_by_viewer.iter().all(|e| e.ip.is_none()), "{seen_by_viewer:?}");
    let seen_by_admin = history(t.login("admin", password_of("admin")).await.unwrap()).await;
    assert_eq!(seen_by_admin[0].ip.as_deref(), Some("10.0.0.7"));
}

#[tokio::test]
async fn a_role_is_its_exact_code() {
    let t = spawn_app().await;
    let admin = t.login("admin", password_of("admin")).await.unwrap();
    let clerk_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'clerk'").fetch_one(t.db.pool()).await.unwrap();
    let body = serde_json::json!({ "id": clerk_id, "change": { "Role": "admin " } }).to_string();
    let (status, _, text) = t.post("/api/update_user", &body, Some(&admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let role: String =
        sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(clerk_id).fetch_one(t.db.pool()).await.unwrap();
    assert_eq!(role, "clerk");
}

/// Every cell of a CSV download, parsed back.
fn cells(csv: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
    reader.records().flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect()
}

#[tokio::test]
async fn csv_downloads_write_formulas_as_text() {
    let t = spawn_app().await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let formulas = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"];
    t.create(
        &clerk,
        &RequestInput {
            their_reference: formulas[1].into(),
            counterpart_authority: formulas[2].into(),
            summary: formulas[0].into(),
            case_number: "C-9".into(),
            case_title: formulas[3].into(),
            ..input("=1+1")
        },
    )
    .await;
    let (status, _, csv) = t.get("/requests.csv", &clerk).await;
    assert_eq!(status, StatusCode::OK);
    let written = cells(&csv);
    for f in formulas.iter().copied().chain(["=1+1"]) {
        assert!(written.contains(&format!("'{f}")), "{f} in {written:?}");
    }
    assert!(written.iter().all(|c| !c.starts_with(['=', '+', '-', '@', '\t', '\r'])), "{written:?}");

    let admin = t.login("admin", password_of("admin")).await.unwrap();
    let group = serde_json::json!({ "id": null, "input": { "name": "=cmd|' /C calc'!A0", "countries": "DE" } }).to_string();
    let (status, _, text) = t.post("/api/save_group", &group, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _, csv) = t.get("/dashboard.csv?chart=groups&period=all", &clerk).await;
    assert_eq!(status, StatusCode::OK);
    assert!(cells(&csv).contains(&"'=cmd|' /C calc'!A0".to_string()), "{csv}");
}

#[tokio::test]
async fn check_names_an_audit_entry_edited_behind_the_applications_back() {
    let t = spawn_app().await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    t.create(&clerk, &input("CHAIN-1")).await;
    assert_eq!(crate::check::run(&t.db).await.unwrap(), 0);
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM audit_log WHERE action = 'request.create'").fetch_one(t.db.pool()).await.unwrap();
    let disable = if t.db.backend() == app::db::Backend::Postgres {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    sqlx::query(disable).execute(t.db.pool()).await.unwrap();
    sqlx::query("UPDATE audit_log SET username = 'someone else' WHERE id = $1").bind(id).execute(t.db.pool()).await.unwrap();
    assert_eq!(crate::check::run(&t.db).await.unwrap(), 1);
    let (broken, _) = app::db::audit::verify_chain(&t.db).await.unwrap().broken.unwrap();
    assert_eq!(broken, Some(id));
}
