//! Rogatory: the registry and dashboard of international legal-assistance requests.
//! This crate holds everything the browser and the server share: domain types and
//! rules, server functions, and the interface.

#![recursion_limit = "512"]

#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

/// The interface text under a key of `app/locales/*.json`, in the language of the page
/// (`lang::current`); with arguments, `tr!(key, name = value)` fills `{name}` in it.
#[macro_export]
macro_rules! tr {
    ($($key:ident).+) => {
        $crate::i18n::td_string!($crate::lang::current(), $($key).+)
    };
    ($($key:ident).+, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::lang::fill(
            $crate::i18n::td_string!($crate::lang::current(), $($key).+),
            &[$((stringify!($name), ($value).to_string())),+],
        )
    };
}

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod error;
pub mod labels;
pub mod lang;
pub mod pages;
pub mod session;
pub mod tables;

use crate::labels::Label;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let user_json = serde_json::to_string(&session::initial_user()).unwrap_or_else(|_| "null".into());
    #[cfg(feature = "ssr")]
    {
        // A Content-Security-Policy that lets in only our own files and the inline
        // scripts Leptos writes with this response's nonce.
        use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
        if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
            let csp = format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
                 img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
                 form-action 'self'; frame-ancestors 'none'"
            );
            if let Ok(v) = HeaderValue::from_str(&csp) {
                response.insert_header(CONTENT_SECURITY_POLICY, v);
            }
        }
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body data-user=user_json>
                <App/>
            </body>
        </html>
    }
}

/// Every page title as it is written: leptos_meta puts the text into the server's
/// `<title>` element as it is, so the server escapes it there (a reference such as
/// `</title><meta http-equiv=refresh ...>` stays text); the browser sets
/// `document.title`, which is text already.
fn title_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }
    #[cfg(not(feature = "ssr"))]
    text
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    session::provide_user();
    view! {
        <crate::i18n::I18nContextProvider>
        <Stylesheet id="leptos" href="/pkg/rogatory.css"/>
        <Title formatter=title_text text="Rogatory"/>
        <Router>
            <a class="skip" href="#main">{tr!(nav.skip)}</a>
            <header class="top">
                <a class="brand" href="/">"Rogatory"</a>
                {session::user().map(|u| view! {
                    <nav aria-label=tr!(nav.main)>
                        {u.can(domain::Role::Clerk).then(|| view! { <pages::my_work::MyWorkLink/> })}
                        <a href="/">{tr!(nav.dashboard)}</a>
                        <a href="/statistics">{tr!(nav.statistics)}</a>
                        <a href="/requests">{tr!(nav.registry)}</a>
                        {u.can(domain::Role::Clerk).then(|| view! { <a href="/requests/new">{tr!(nav.new_request)}</a><a href="/import">{tr!(nav.import)}</a> })}
                        <a href="/cases">{tr!(nav.cases)}</a>
                        <a href="/persons">{tr!(nav.persons)}</a>
                        <a href="/custody">{tr!(nav.custody)}</a>
                        {u.can(domain::Role::Admin).then(|| view! {
                            <a href="/admin/users">{tr!(nav.users)}</a>
                            <a href="/admin/workload">{tr!(nav.workload)}</a>
                            <a href="/admin/groups">{tr!(nav.groups)}</a>
                            <a href="/admin/events">{tr!(nav.events)}</a>
                            <a href="/admin/audit">{tr!(nav.audit)}</a>
                        })}
                    </nav>
                    <form class="header-search" action="/search" method="get" role="search">
                        <label for="header-q" class="visually-hidden">{tr!(nav.search_label)}</label>
                        <input id="header-q" name="q" type="search" placeholder=tr!(nav.search_placeholder)/>
                    </form>
                    <div class="account">
                        <a href="/account" class="who" title=u.role.text()>{u.display_name.clone()}<span class="role">{crate::labels::role_short(u.role)}</span></a>
                        <pages::login::SignOut/>
                    </div>
                })}
                <components::LanguageSwitch/>
            </header>
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::dashboard::DashboardPage/>
                    <Route path=path!("/my-work") view=pages::my_work::MyWorkPage/>
                    <Route path=path!("/requests") view=pages::registry::RegistryPage/>
                    <Route path=path!("/requests/new") view=pages::new_request::NewRequestPage/>
                    <Route path=path!("/requests/:id") view=pages::request::RequestPage/>
                    <Route path=path!("/cases") view=pages::cases::CasesPage/>
                    <Route path=path!("/cases/:id") view=pages::cases::CasePage/>
                    <Route path=path!("/persons") view=pages::persons::PersonsPage/>
                    <Route path=path!("/persons/:id") view=pages::persons::PersonPage/>
                    <Route path=path!("/custody") view=pages::custody::CustodyPage/>
                    <Route path=path!("/search") view=pages::search::SearchPage/>
                    <Route path=path!("/countries/:code") view=pages::countries::CountryPage/>
                    <Route path=path!("/login") view=pages::login::LoginPage/>
                    <Route path=path!("/account") view=pages::account::AccountPage/>
                    <Route path=path!("/admin/users") view=pages::admin::UsersPage/>
                    <Route path=path!("/admin/audit") view=pages::admin::AuditPage/>
                    <Route path=path!("/admin/workload") view=pages::my_work::WorkloadPage/>
                    <Route path=path!("/admin/groups") view=pages::groups::GroupsPage/>
                    <Route path=path!("/admin/events") view=pages::chart_events::ChartEventsPage/>
                    <Route path=path!("/import") view=pages::import::ImportPage/>
                    <Route path=path!("/report") view=pages::report::ReportPage/>
                    <Route path=path!("/compare") view=pages::compare::ComparePage/>
                    <Route path=path!("/statistics") view=pages::statistics::StatisticsPage/>
                </Routes>
            </main>
        </Router>
        </crate::i18n::I18nContextProvider>
    }
}

/// The browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Lets tests (and people with slow connections) know the page is interactive.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
