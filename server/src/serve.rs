//! The web server: the Leptos app, its server functions and static files.

use crate::config::ServeArgs;
use crate::gate::{gate, GateState};
use app::db::Db;
use app::{shell, App};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Runs the server functions with the database in their context.
fn server_fn_handler(
    db: Db,
) -> impl Fn(axum::extract::Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>> + Clone
{
    move |req: axum::extract::Request| {
        let db = db.clone();
        Box::pin(async move {
            use axum::response::IntoResponse;
            leptos_axum::handle_server_fns_with_context(move || provide_context(db.clone()), req).await.into_response()
        })
    }
}

/// The whole application as an axum router (also used by the tests).
pub fn router(db: Db, args: &ServeArgs) -> Router {
    let options = LeptosOptions::builder()
        .output_name("rogatory")
        .site_root(args.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(args.socket())
        .build();
    let routes = generate_route_list(App);
    let max_document_bytes = args.max_document_mb.saturating_mul(1024 * 1024);
    let gate_state = GateState {
        db: db.clone(),
        secure_cookies: args.secure_cookies,
        sign_ins: std::sync::Arc::new(crate::throttle::SignInThrottle::new(args.sign_ins_per_minute)),
    };

    Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            {
                let db = db.clone();
                move || provide_context(db.clone())
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .route(
            "/api/upload_document",
            axum::routing::post({
                let db = db.clone();
                move |query, req| crate::documents::upload(db.clone(), max_document_bytes, query, req)
            }),
        )
        .route("/api/{*fn_name}", axum::routing::post(server_fn_handler(db.clone())))
        .route(
            "/documents/{id}",
            axum::routing::get({
                let db = db.clone();
                move |id, req| crate::documents::download(db.clone(), id, req)
            }),
        )
        .route(
            "/documents/{id}/preview",
            axum::routing::get({
                let db = db.clone();
                move |id, req| crate::documents::download(db.clone(), id, req)
            }),
        )
        .route("/language", axum::routing::get(crate::language::switch))
        .route(
            "/requests.csv",
            axum::routing::get({
                let db = db.clone();
                move |auth, query| crate::export::requests_csv(db.clone(), auth, query)
            }),
        )
        .route(
            "/dashboard.csv",
            axum::routing::get({
                let db = db.clone();
                move |auth, query| crate::export::dashboard_csv(db.clone(), auth, query)
            }),
        )
        .route(
            "/requests.xlsx",
            axum::routing::get({
                let db = db.clone();
                move |auth, headers, query| crate::export::requests_xlsx(db.clone(), auth, headers, query)
            }),
        )
        .route(
            "/dashboard.xlsx",
            axum::routing::get({
                let db = db.clone();
                move |auth, headers, query| crate::export::dashboard_xlsx(db.clone(), auth, headers, query)
            }),
        )
        .route(
            "/statistics.csv",
            axum::routing::get({
                let db = db.clone();
                move |auth, headers, query| crate::export::statistics_csv(db.clone(), auth, headers, query)
            }),
        )
        .route(
            "/statistics.xlsx",
            axum::routing::get({
                let db = db.clone();
                move |auth, headers, query| crate::export::statistics_xlsx(db.clone(), auth, headers, query)
            }),
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(axum::middleware::from_fn_with_state(gate_state, gate))
        // the import sends a whole CSV file; the gate holds every other call to 2 MB
        .layer(axum::extract::DefaultBodyLimit::max(app::api::import::MAX_IMPORT_BYTES + 1024 * 1024))
        // documents already compressed (PDF, images, DOCX and ODT archives) are sent as they are
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("application/pdf"))
                    .and(NotForContentType::const_new("application/vnd.")),
            ),
        )
        .layer(TraceLayer::new_for_http())
        .with_state(options)
}

/// How often the server looks at SQLite's write-ahead log, and how long a fold of it
/// may keep the writers waiting (see `Db::fold_log`).
const FOLD_EVERY: std::time::Duration = std::time::Duration::from_secs(10);
const FOLD_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Folds SQLite's write-ahead log back into the database file whenever it has grown
/// past `WAL_FOLD_BYTES` (nothing on PostgreSQL).
fn keep_log_short(db: Db) {
    if db.backend() != app::db::Backend::Sqlite {
        return;
    }
    tokio::spawn(async move {
        let mut every = tokio::time::interval(FOLD_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match db.fold_log(app::db::WAL_FOLD_BYTES, FOLD_WAIT).await {
                Ok(app::db::Fold::NotNeeded) => {}
                Ok(app::db::Fold::Folded { bytes }) => {
                    tracing::info!("write-ahead log folded into the database ({} MB)", bytes >> 20)
                }
                Ok(app::db::Fold::Busy { bytes }) => {
                    tracing::debug!("write-ahead log at {} MB: long reads still on older snapshots, folding later", bytes >> 20)
                }
                Err(e) => tracing::warn!("folding the write-ahead log failed: {e}"),
            }
        }
    });
}

pub async fn run(db: Db, args: ServeArgs) -> anyhow_like::Result<()> {
    let addr = args.socket();
    if let Some(n) = args.password_checks {
        app::api::auth::limit_password_checks(n);
    }
    // what the pages tell users; the upload route holds files to the same
    app::api::documents::set_max_bytes(args.max_document_mb.saturating_mul(1024 * 1024));
    if let Some(date) = args.today {
        app::db::fix_today(date);
        tracing::info!(%date, "serving as if today were a fixed date");
    }
    keep_log_short(db.clone());
    match crate::digest::Mailer::new(&args.mail)? {
        Some(mailer) => {
            let at = args.mail.digest_at.format("%H:%M").to_string();
            tracing::info!(%at, "daily e-mail digest on");
            app::api::notifications::set_digest_time(at);
            crate::digest::schedule(db.clone(), mailer, args.mail.digest_at);
        }
        None => tracing::info!("no SMTP server set: no daily e-mail digest"),
    }
    let app = router(db, &args);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Rogatory is listening on http://{addr}");
    println!("Rogatory is running at http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

/// A minimal boxed error for the binary's top level.
pub mod anyhow_like {
    pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
}
