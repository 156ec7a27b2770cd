//! The interface language switch: `/language?to=ru&back=/requests` remembers the choice
//! in the cookie the interface reads (also before signing in), then goes back.

use axum::extract::Query;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use app::api::context::RequestAuth;

#[derive(Debug, Deserialize)]
pub struct Switch {
    to: String,
    back: Option<String>,
}

/// A local path to go back to, never another site.
fn back_to(back: Option<String>) -> String {
    back.as_deref().and_then(app::domain::validation::local_path).unwrap_or("/").to_string()
}

pub async fn switch(auth: Option<Extension<RequestAuth>>, Query(q): Query<Switch>) -> Response {
    let back = back_to(q.back);
    let Some(locale) = app::lang::from_code(&q.to) else {
        return Redirect::to(&back).into_response();
    };
    let secure = auth.map(|a| a.secure).unwrap_or(false);
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        app::lang::COOKIE,
        app::lang::code(locale),
        if secure { "; Secure" } else { "" }
    );
    let mut response = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::back_to;

    #[test]
    fn goes_back_only_to_local_paths() {
        assert_eq!(back_to(Some("/requests?q=1".into())), "/requests?q=1");
        assert_eq!(back_to(Some("//evil.example".into())), "/");
        assert_eq!(back_to(Some("https://evil.example".into())), "/");
        assert_eq!(back_to(Some("/\\evil".into())), "/");
        assert_eq!(back_to(None), "/");
        assert_eq!(back_to(Some("/\t/evil.example".into())), "/");
        assert_eq!(back_to(Some("/\n".into())), "/");
    }
}
