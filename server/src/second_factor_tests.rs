//! Two-step sign-in and one's own sessions, through the router: set up with the app's
//! code, sign in with a code and with a recovery code (each good once), the
//! administrator's requirement, a reset for a lost phone, the list of sessions.

use crate::tests::{password_of, spawn_app, TestApp};
use app::domain::second_factor::Enrolment;
use axum::http::StatusCode;

/// The code an authenticator app shows for `secret` (as the page shows it), `steps_ahead`
/// steps of 30 seconds from now.
fn app_code(secret: &str, username: &str, steps_ahead: u64) -> String {
    let bytes = totp_secret(secret);
    let totp = app::api::second_factor::totp(bytes, username).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now + 30 * steps_ahead).to_string()
}

fn totp_secret(shown: &str) -> Vec<u8> {
    let base32: String = shown.chars().filter(|c| !c.is_whitespace()).collect();
    // RFC 4648 base32, as the key is typed into an app
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in base32.bytes().filter(|c| *c != b'=') {
        bits = (bits << 5) | alphabet.iter().position(|a| *a == c).unwrap() as u64;
        count += 5;
        if count >= 8 {
            out.push((bits >> (count - 8)) as u8);
            count -= 8;
        }
    }
    out
}

impl TestApp {
    async fn sign_in(&self, user: &str, password: &str, code: Option<&str>) -> (StatusCode, String, Option<String>) {
        let body = serde_json::json!({ "username": user, "password": password, "code": code }).to_string();
        let (status, headers, text) = self.post("/api/login", &body, None).await;
        let cookie =
            headers.get(axum::http::header::SET_COOKIE).map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string());
        (status, text, cookie)
    }

    /// Sets up two-step sign-in for the signed-in `cookie`'s user; returns the secret as
    /// shown and the recovery codes.
    async fn enrol(&self, cookie: &str, user: &str) -> (String, Vec<String>) {
        let (status, _, text) = self.post("/api/begin_enrolment", "{}", Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let offer: Enrolment = serde_json::from_str(&text).unwrap();
        assert!(offer.url.starts_with("otpauth://totp/Rogatory:") && offer.qr_svg.contains("<svg"), "{offer:?}");
        let wrong = serde_json::json!({ "code": "000000" }).to_string();
        let (status, _, text) = self.post("/api/confirm_enrolment", &wrong, Some(cookie)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        let right = serde_json::json!({ "code": app_code(&offer.secret, user, 0) }).to_string();
        let (status, _, text) = self.post("/api/confirm_enrolment", &right, Some(cookie)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        (offer.secret, serde_json::from_str(&text).unwrap())
    }
}

#[tokio::test]
async fn a_code_from_the_app_or_a_recovery_code_each_once() {
    let t = spawn_app().await;
    let clerk = t.login("clerk", password_of("clerk")).await.unwrap();
    let (secret, recovery) = t.enrol(&clerk, "clerk").await;
    assert_eq!(recovery.len(), 10);
    assert!(recovery.iter().all(|c| c.len() == 14 && c.matches('-').count() == 2), "{recovery:?}");

    // the password alone is no longer enough: the answer asks for the code
    let (status, text, cookie) = t.sign_in("clerk", password_of("clerk"), None).await;
    assert_eq!((status, cookie), (StatusCode::UNPROCESSABLE_ENTITY, None));
    assert!(text.contains("\"field\":\"code\"") && text.contains("Enter the 6-digit code"), "{text}");
    // a wrong code is refused; the next step's code is accepted once (a step either side
    // is allowed for clocks that drift), and not again
    let (status, text, _) = t.sign_in("clerk", password_of("clerk"), Some("123456")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("wrong or was used already"), "{text}");
    let next = app_code(&secret, "clerk", 1);
    let (status, text, cookie) = t.sign_in("clerk", password_of("clerk"), Some(&next)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(cookie.is_some());
    let (status, _, _) = t.sign_in("clerk", password_of("clerk"), Some(&next)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a code is good once");
    // a recovery code, as written down (any case), once
    let (status, text, _) = t.sign_in("clerk", password_of("clerk"), Some(&recovery[3].to_uppercase())).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _, _) = t.sign_in("clerk", password_of("clerk"), Some(&recovery[3])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a recovery code is good once");
    // a right code with a wrong password is still a wrong password
    let (status, text, _) = t.sign_in("clerk", "not the password", Some(&recovery[4])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("Wrong user name or password."), "{text}");

    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity_id = 'clerk' ORDER BY id")
        .fetch_all(t.db.pool())
        .await
        .unwrap();
    assert!(actions.contains(&"second_factor.on".to_string()), "{actions:?}");
    let second: Vec<Option<String>> =
        sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'login' AND entity_id = 'clerk' ORDER BY id")
            .fetch_all(t.db.pool())
            .await
            .unwrap();
    assert_eq!(second[1..], [Some("{\"second_factor\":\"app\"}".into()), Some("{\"second_factor\":\"recovery code\"}".into())]);
}

#[tokio::test]
async fn wrong_codes_lock_the_account_like_wrong_passwords() {
    let t = spawn_app().await;
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    t.enrol(&viewer, "viewer").await;
    for _ in 0..5 {
        let (status, _, _) = t.sign_in("viewer", password_of("viewer"), Some("999999")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (_, text, _) = t.sign_in("viewer", password_of("viewer"), Some("999999")).await;
    assert!(text.contains("locked for 15 minutes"), "{text}");
}

#[tokio::test]
async fn when_required_an_account_without_it_can_only_set_it_up() {
    let t = spawn_app().await;
    let admin = t.login("admin", password_of("admin")).await.unwrap();
    // an administrator without it cannot require it (they would lock themselves out)
    let (status, _, text) = t.post("/api/set_second_factor_required", "{\"on\":true}", Some(&admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    t.enrol(&admin, "admin").await;
    let (status, _, text) = t.post("/api/set_second_factor_required", "{\"on\":true}", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");

    // the viewer signs in with the password, and may only set it up
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    let (status, _, text) = t.post("/api/list_cases", "{}", Some(&viewer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(text.contains("SecondFactorFirst"), "{text}");
    let page = |path: &str| {
        axum::http::Request::get(path).header(axum::http::header::COOKIE, &viewer).body(axum::body::Body::empty()).unwrap()
    };
    let (status, headers, _) = t.call(page("/requests")).await;
    assert_eq!(
        (status, headers.get(axum::http::header::LOCATION).unwrap().to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/account")
    );
    assert_eq!(t.call(page("/account")).await.0, StatusCode::OK);
    let (status, _, text) = t.post("/api/get_second_factor_state", "{}", Some(&viewer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the endpoint is named second_factor_state: {text}");
    let (status, _, text) = t.post("/api/second_factor_state", "{}", Some(&viewer)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("\"required\":true"), "{text}");
    t.enrol(&viewer, "viewer").await;
    assert_eq!(t.post("/api/list_cases", "{}", Some(&viewer)).await.0, StatusCode::OK, "open once set up");
    // and it cannot be turned off while required
    let (status, _, text) = t.post("/api/turn_off_second_factor", "{\"code\":\"000000\"}", Some(&viewer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("cannot be turned off"), "{text}");

    // a lost phone: the administrator resets it; the viewer's sessions end
    let viewer_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE username = 'viewer'").fetch_one(t.db.pool()).await.unwrap();
    let (status, _, text) = t.post("/api/reset_second_factor", &format!("{{\"id\":{viewer_id}}}"), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(t.post("/api/list_cases", "{}", Some(&viewer)).await.0, StatusCode::UNAUTHORIZED);
    let (status, _, _) = t.sign_in("viewer", password_of("viewer"), None).await;
    assert_eq!(status, StatusCode::OK, "the password alone, to set it up again");
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_ends_another() {
    let t = spawn_app().await;
    let here = t.login("clerk", password_of("clerk")).await.unwrap();
    let there = t.login("clerk", password_of("clerk")).await.unwrap();
    t.login("viewer", password_of("viewer")).await.unwrap();
    let (status, _, text) = t.post("/api/my_sessions", "{}", Some(&here)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let sessions: Vec<app::api::second_factor::MySession> = serde_json::from_str(&text).unwrap();
    assert_eq!(sessions.len(), 2, "the clerk's own only");
    assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
    let other = sessions.iter().find(|s| !s.current).unwrap();
    // another user's session cannot be named
    let viewer_cookie = t.login("viewer", password_of("viewer")).await.unwrap();
    let (status, _, _) =
        t.post("/api/end_my_session", &serde_json::json!({ "id": other.id }).to_string(), Some(&viewer_cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(t.post("/api/list_cases", "{}", Some(&there)).await.0, StatusCode::OK);
    let (status, _, text) = t.post("/api/end_my_session", &serde_json::json!({ "id": other.id }).to_string(), Some(&here)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(t.post("/api/list_cases", "{}", Some(&there)).await.0, StatusCode::UNAUTHORIZED, "that browser is signed out");
    assert_eq!(t.post("/api/list_cases", "{}", Some(&here)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn guessing_codes_through_the_account_page_locks_the_account_too() {
    let t = spawn_app().await;
    let viewer = t.login("viewer", password_of("viewer")).await.unwrap();
    t.enrol(&viewer, "viewer").await;
    for _ in 0..5 {
        let (status, _, text) = t.post("/api/renew_recovery_codes", "{\"code\":\"000000\"}", Some(&viewer)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.contains("wrong or was used already"), "{text}");
    }
    let (status, _, text) = t.post("/api/turn_off_second_factor", "{\"code\":\"000000\"}", Some(&viewer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("locked for 15 minutes"), "{text}");
}
