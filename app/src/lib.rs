//! Rogatory: the registry and dashboard of international legal-assistance requests.
//! This crate holds everything the browser and the server share: domain types and
//! rules, server functions, and the interface.

#![recursion_limit = "512"]

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod error;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/rogatory.css"/>
        <Title text="Rogatory"/>
        <Router>
            <a class="skip" href="#main">"Skip to content"</a>
            <header class="top">
                <a class="brand" href="/requests">"Rogatory"</a>
                <nav aria-label="Main">
                    <a href="/requests">"Registry"</a>
                    <a href="/requests/new">"New request"</a>
                    <a href="/cases">"Cases"</a>
                </nav>
            </header>
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::registry::RegistryPage/>
                    <Route path=path!("/requests") view=pages::registry::RegistryPage/>
                    <Route path=path!("/requests/new") view=pages::new_request::NewRequestPage/>
                    <Route path=path!("/requests/:id") view=pages::request::RequestPage/>
                    <Route path=path!("/cases") view=pages::cases::CasesPage/>
                    <Route path=path!("/cases/:id") view=pages::cases::CasePage/>
                </Routes>
            </main>
        </Router>
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
