//! The gate every request passes: who is calling (session cookie), whether they may
//! (pages need a signed-in user; server functions follow `app::api::policy`), cross-site
//! request forgery checks, and the security headers of every response.

use app::api::auth::SESSION_COOKIE;
use app::api::context::RequestAuth;
use app::api::policy::{access, Access, OPEN_BEFORE_ENROLMENT};
use app::db::{users, Db};
use app::error::AppError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

#[derive(Clone)]
pub struct GateState {
    pub db: Db,
    /// Mark cookies Secure even without X-Forwarded-Proto (served behind HTTPS).
    pub secure_cookies: bool,
    /// Sign-ins per address.
    pub sign_ins: std::sync::Arc<crate::throttle::SignInThrottle>,
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The largest body of a server function call other than the import.
const MAX_CALL_BYTES: usize = 2 * 1024 * 1024;

fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/favicon.ico" || path == "/robots.txt"
}

/// An error as server-function callers read it: its JSON, with `status`.
pub(crate) fn error_response(status: StatusCode, error: AppError) -> Response {
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A state-changing call must come from our own pages: browsers say where a request
/// comes from in Sec-Fetch-Site and Origin, which must be this server's own origin,
/// scheme included. Served over HTTPS (`secure`: the setting, or the proxy's
/// X-Forwarded-Proto), only `https://` is ours: a page sent over plain HTTP to the same
/// name (which anyone on the network path can write) is not. Without word of HTTPS
/// either is taken, so that a proxy that does not say so keeps working. (Calls from
/// non-browser clients carry neither header and are not a forgery risk: they hold their
/// own cookie.)
fn cross_site(headers: &HeaderMap, secure: bool) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let ours = match origin.split_once("://") {
            Some(("https", h)) => h == host,
            Some(("http", h)) => !secure && h == host,
            _ => false,
        };
        if host.is_empty() || !ours {
            return true;
        }
    }
    false
}

/// A server function refused before its body ran (arguments that cannot be decoded)
/// comes back from Leptos as a 500; answer it with the status of its error instead, so
/// that only real failures are 500s.
async fn with_error_status(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_CALL_BYTES).await else {
        return error_response(StatusCode::INTERNAL_SERVER_ERROR, AppError::internal("reading an error response", "too large"));
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

pub async fn gate(State(state): State<GateState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_asset(&path) {
        let mut response = next.run(req).await;
        response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        return response;
    }
    let headers = req.headers().clone();
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let secure = state.secure_cookies || headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    let token = cookie(&headers, SESSION_COOKIE);
    let user = match &token {
        Some(t) => match users::session_user(&state.db, t).await {
            Ok(u) => u,
            Err(e) => {
                let _ = AppError::internal("session lookup", e);
                None
            }
        },
        None => None,
    };

    if let Some(endpoint) = path.strip_prefix("/api/") {
        if req.method() != Method::POST {
            return error_response(StatusCode::METHOD_NOT_ALLOWED, AppError::post_only(app::lang::of_request(&headers)));
        }
        if !matches!(endpoint, "import_requests" | "upload_document") {
            // every call but the import and an upload is small: read it here, at most 2 MB
            let (parts, body) = req.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, MAX_CALL_BYTES).await else {
                return error_response(StatusCode::PAYLOAD_TOO_LARGE, AppError::too_large(app::lang::of_request(&headers)));
            };
            req = Request::from_parts(parts, axum::body::Body::from(bytes));
        }
        if cross_site(&headers, secure) {
            tracing::warn!(%path, "refused a cross-site call");
            return error_response(StatusCode::FORBIDDEN, AppError::Forbidden);
        }
        if endpoint == "login" {
            let address = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
            if address.is_some_and(|a| !state.sign_ins.allow(a)) {
                tracing::warn!(address = ?address, "sign-ins from one address throttled");
                let error = AppError::too_many_sign_ins(app::lang::of_request(&headers));
                let mut response = error_response(StatusCode::TOO_MANY_REQUESTS, error);
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
                return response;
            }
        }
        match access(endpoint) {
            Access::Public => {}
            Access::Denied => return error_response(StatusCode::NOT_FOUND, AppError::NotFound("No such function.".into())),
            Access::Role(role) => match &user {
                None => return error_response(StatusCode::UNAUTHORIZED, AppError::Unauthenticated),
                Some(u) if !u.can(role) => return error_response(StatusCode::FORBIDDEN, AppError::Forbidden),
                Some(u) if u.must_enrol && !OPEN_BEFORE_ENROLMENT.contains(&endpoint) => {
                    return error_response(StatusCode::FORBIDDEN, AppError::SecondFactorFirst)
                }
                Some(_) => {}
            },
        }
    } else if path != "/login" && path != "/language" && user.is_none() {
        let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let next_param = app::domain::filter::url_encode(target);
        return Redirect::to(&format!("/login?next={next_param}")).into_response();
    } else if user.as_ref().is_some_and(|u| u.must_enrol) && !matches!(path.as_str(), "/account" | "/login" | "/language") {
        // two-step sign-in is required and this account has none yet: only its page is open
        return Redirect::to("/account").into_response();
    }

    let is_call = path.starts_with("/api/");
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    req.extensions_mut().insert(RequestAuth { user, token, ip, user_agent, secure });
    let mut response = next.run(req).await;
    if is_call && response.status() == StatusCode::INTERNAL_SERVER_ERROR {
        response = with_error_status(response).await;
    }
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}
