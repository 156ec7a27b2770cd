//! The server as a whole, driven through its router: the gate (sessions, roles, CSRF,
//! headers) in front of every page and every registered server function.

use crate::config::ServeArgs;
use crate::serve::router;
use app::api::policy::{access, Access};
use app::db::Db;
use app::domain::Role;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

pub(crate) struct TestApp {
    pub app: Router,
    pub db: Db,
    _scratch: crate::test_support::TempDb,
}

/// A server on a fresh database with the demo users (no requests).
pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(ServeArgs::default()).await
}

/// The same with settings of the test's own (the site root is always a scratch folder).
pub(crate) async fn spawn_app_with(args: ServeArgs) -> TestApp {
    let scratch = crate::test_support::temp_db(0, 0).await;
    let db = scratch.db.clone();
    crate::demo::users(&db).await.unwrap();
    let args = ServeArgs { site_root: std::env::temp_dir(), ..args };
    TestApp { app: router(db.clone(), &args), db, _scratch: scratch }
}

pub(crate) fn password_of(user: &str) -> &'static str {
    crate::demo::DEMO_USERS.iter().find(|u| u.0 == user).unwrap().3
}

impl TestApp {
    pub async fn call(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        (status, headers, String::from_utf8_lossy(&body).to_string())
    }

    pub async fn post(&self, path: &str, body: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/json").header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.call(req.body(Body::from(body.to_string())).unwrap()).await
    }

    /// Signs in and returns the session cookie ("name=value").
    pub async fn login(&self, user: &str, password: &str) -> Result<String, (StatusCode, String)> {
        let body = serde_json::json!({ "username": user, "password": password }).to_string();
        let (status, headers, text) = self.post("/api/login", &body, None).await;
        if status != StatusCode::OK {
            return Err((status, text));
        }
        let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        Ok(cookie.split(';').next().unwrap().to_string())
    }
}

fn server_fn_endpoints() -> Vec<String> {
    let mut list: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.strip_prefix("/api/").unwrap_or(path).to_string())
        .collect();
    list.sort();
    list.dedup();
    list
}

#[tokio::test]
async fn every_server_function_has_a_policy() {
    let endpoints = server_fn_endpoints();
    assert!(endpoints.len() >= 19, "{endpoints:?}");
    for e in &endpoints {
        assert_ne!(access(e), Access::Denied, "server function {e} is missing from app::api::policy");
    }
}

#[tokio::test]
async fn anonymous_calls_to_every_server_function_are_refused() {
    let t = spawn_app().await;
    for e in server_fn_endpoints() {
        let (status, _, body) = t.post(&format!("/api/{e}"), "{}", None).await;
        match access(&e) {
            Access::Role(_) => {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{e}: {body}");
                assert_eq!(body, "\"Unauthenticated\"");
            }
            _ => assert_ne!(status, StatusCode::UNAUTHORIZED, "{e} is public"),
        }
    }
}

#[tokio::test]
async fn a_viewer_cannot_write_and_a_clerk_cannot_administer() {
    let t = spawn_app().await;
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let mut refused = 0;
    for e in server_fn_endpoints() {
        if let Access::Role(role) = access(&e) {
            for (who, cookie, user_role) in [("viewer", &viewer, Role::Viewer), ("clerk", &clerk, Role::Clerk)] {
                let (status, _, body) = t.post(&format!("/api/{e}"), "{}", Some(cookie)).await;
                if user_role.allows(role) {
                    assert_ne!(status, StatusCode::FORBIDDEN, "{who} may call {e}: {body}");
                    assert_ne!(status, StatusCode::UNAUTHORIZED, "{who} may call {e}: {body}");
                } else {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{who} calling {e}: {body}");
                    refused += 1;
                }
            }
        }
    }
    assert!(refused >= 14, "{refused}");
}

#[tokio::test]
async fn pages_need_a_session_and_carry_security_headers() {
    let t = spawn_app().await;
    let (status, headers, _) = t.call(Request::get("/requests?country=DE").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).unwrap(), "/login?next=%2Frequests%3Fcountry%3DDE");

    let (status, headers, body) = t.call(Request::get("/login").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Sign in"));
    let csp = headers.get(header::CONTENT_SECURITY_POLICY).expect("CSP").to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the header's nonce");
    assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(headers.get(header::REFERRER_POLICY).is_some());

    let cookie = t.login("viewer", password_of("viewer")).await.unwrap();
    let req = Request::get("/cases").header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
    let (status, _, body) = t.call(req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Demo Viewer"));
}

#[tokio::test]
async fn server_functions_accept_only_same_site_posts() {
    let t = spawn_app().await;
    let cookie = t.login("clerk", password_of("clerk")).await.unwrap();
    let call = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut req = Request::post("/api/list_cases")
            .header(header::HOST, "rogatory.example")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &cookie);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(s) = site {
            req = req.header("sec-fetch-site", s);
        }
        req.body(Body::from("{}")).unwrap()
    };
    assert_eq!(t.call(call(Some("https://evil.example"), None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.call(call(None, Some("cross-site"))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.call(call(Some("null"), None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.call(call(Some("https://rogatory.example"), Some("same-origin"))).await.0, StatusCode::OK);
    let get = Request::get("/api/list_cases").header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
    assert_eq!(t.call(get).await.0, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn sessions_expire_end_at_logout_and_when_the_user_is_disabled() {
    let t = spawn_app().await;
    let first = t.login("clerk", password_of("clerk")).await.unwrap();
    let second = t.login("clerk", password_of("clerk")).await.unwrap();
    assert_ne!(first, second, "a new session id at every sign-in");
    assert_eq!(t.post("/api/list_cases", "{}", Some(&first)).await.0, StatusCode::OK);

    // idle for 31 minutes
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 1860").execute(t.db.pool()).await.unwrap();
    assert_eq!(t.post("/api/list_cases", "{}", Some(&first)).await.0, StatusCode::UNAUTHORIZED);

    // logout destroys the session
    let s = t.login("clerk", password_of("clerk")).await.unwrap();
    let (status, headers, _) = t.post("/api/logout", "{}", Some(&s)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(t.post("/api/list_cases", "{}", Some(&s)).await.0, StatusCode::UNAUTHORIZED);

    // an administrator disables the clerk: the clerk's session ends at once
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let admin = t.login("admin", password_of("admin")).await.unwrap();
    let clerk_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'clerk'").fetch_one(t.db.pool()).await.unwrap();
    let body = serde_json::json!({ "id": clerk_id, "change": { "Disabled": true } }).to_string();
    let (status, _, text) = t.post("/api/update_user", &body, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(t.post("/api/list_cases", "{}", Some(&clerk)).await.0, StatusCode::UNAUTHORIZED);
    assert!(t.login("clerk", password_of("clerk")).await.is_err(), "a disabled user cannot sign in");
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let t = spawn_app().await;
    for _ in 0..5 {
        let (status, body) = t.login("viewer", "wrong password here").await.unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Wrong user name or password."), "{body}");
    }
    let (status, body) = t.login("viewer", password_of("viewer")).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("locked for 15 minutes"), "{body}");
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity_id = 'viewer' ORDER BY id")
        .fetch_all(t.db.pool())
        .await
        .unwrap();
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 5);
    assert!(actions.contains(&"account.lockout".to_string()));
    assert_eq!(actions.last().unwrap(), "login.locked");
    // after the window the account opens again
    sqlx::query("UPDATE login_failures SET at = at - 901").execute(t.db.pool()).await.unwrap();
    assert!(t.login("viewer", password_of("viewer")).await.is_ok());
}

#[tokio::test]
async fn only_the_import_takes_large_bodies_and_a_large_file_is_imported() {
    let t = spawn_app().await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    // a 3 MB call to another function is refused before it is read
    let big = format!("{{\"username\":\"{}\",\"password\":\"x\"}}", "a".repeat(3 * 1024 * 1024));
    let (status, _, _) = t.post("/api/login", &big, None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // a CSV of 30,000 rows (about 2.4 MB, over the 2 MB of other calls) goes through the import, dry run
    let header = app::domain::interchange::COLUMNS.join(",");
    let mut csv = header + "\n";
    for n in 0..30_000 {
        csv.push_str(&format!("BIG-{n},,outgoing,DE,,evidence,european_mla_1959,fraud,,,,false,2025-01-10,,sent,,\n"));
    }
    assert!(csv.len() > 2 * 1024 * 1024);
    let body = serde_json::json!({ "file_name": "big.csv", "content": csv, "dry_run": true, "update": false }).to_string();
    let (status, _, text) = t.post("/api/import_requests", &body, Some(&clerk)).await;
    assert_eq!(status, StatusCode::OK, "{}", &text[..text.len().min(300)]);
    let report: app::domain::interchange::ImportReport = serde_json::from_str(&text).unwrap();
    assert_eq!((report.rows, report.created, report.committed), (30_000, 30_000, false));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(t.db.pool()).await.unwrap();
    assert_eq!(stored, 0, "a dry run writes nothing");
}

/// Anyone signed in sets their own digest address and language (checked again on the
/// server, field by field), and the change is in the audit trail.
#[tokio::test]
async fn each_person_sets_their_own_digest_address() {
    let t = spawn_app().await;
    let cookie = t.login("viewer", password_of("viewer")).await.unwrap();
    let bad = serde_json::json!({ "input": { "email": "viewer@", "language": "xx" } }).to_string();
    let (status, _, body) = t.post("/api/save_notifications", &bad, Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("\"email\"") && body.contains("\"language\""), "{body}");
    let good = serde_json::json!({ "input": { "email": " viewer@prosecutor.example ", "language": "ru" } }).to_string();
    let (status, _, body) = t.post("/api/save_notifications", &good, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = t.post("/api/get_notifications", "{}", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let got: app::domain::digest::NotificationSettings = serde_json::from_str(&body).unwrap();
    assert_eq!((got.email.as_deref(), got.language.as_str(), got.sent_at), (Some("viewer@prosecutor.example"), "ru", None));
    let changes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'notifications.change'")
        .fetch_one(t.db.pool())
        .await
        .unwrap();
    assert_eq!(changes, 1);
}
