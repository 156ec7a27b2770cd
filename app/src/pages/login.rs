//! Signing in and out.

use crate::api::auth::{login, logout};
use crate::domain::validation::message_for;
use crate::domain::{CurrentUser, FieldError};
use crate::error::AppError;
use crate::session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where to go after signing in: a local path only (never another site).
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login") => n,
        _ => "/requests".into(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = safe_next(query.with_untracked(|q| q.get("next")));
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<AppError>);
    let action = Action::new(move |(u, p): &(String, String)| {
        let (u, p) = (u.clone(), p.clone());
        async move { login(u, p).await }
    });
    let target = next.clone();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_user)) => session::reload_to(&target),
        Some(Err(e)) => {
            errors.set(e.field_errors().to_vec());
            notice.set((!matches!(e, AppError::Validation(_))).then_some(e));
            password.set(String::new());
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = Vec::new();
        if username.get().trim().is_empty() {
            e.push(FieldError { field: "username".into(), message: "Enter your user name.".into() });
        }
        if password.get().is_empty() {
            e.push(FieldError { field: "password".into(), message: "Enter your password.".into() });
        }
        errors.set(e.clone());
        if e.is_empty() {
            action.dispatch((username.get(), password.get()));
        }
    };
    let err = move |f: &'static str| move || errors.with(|e| message_for(e, f).map(str::to_string));
    let signed_in: Option<CurrentUser> = session::user();
    view! {
        <Title text="Sign in — Rogatory"/>
        <section class="page login">
            <h1>"Sign in"</h1>
            {signed_in.map(|u| view! {
                <p class="notice notice-ok">{format!("You are signed in as {}. ", u.display_name)}<a href="/requests">"Go to the registry"</a></p>
            })}
            <form class="card" novalidate on:submit=on_submit>
                {move || notice.get().map(|e| view! { <crate::components::ErrorNotice error=e/> })}
                <div class="field">
                    <label for="username">"User name"</label>
                    <input id="username" name="username" autocomplete="username" autofocus
                        aria-describedby="username-error"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))/>
                    <p class="field-error" id="username-error" aria-live="polite">{err("username")}</p>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        aria-describedby="password-error"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                    <p class="field-error" id="password-error" aria-live="polite">{err("password")}</p>
                </div>
                <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
            </form>
            <p class="hint">"Five wrong passwords within 15 minutes lock the account for 15 minutes."</p>
        </section>
    }
}

#[component]
pub fn SignOut() -> impl IntoView {
    let action = Action::new(|_: &()| logout());
    Effect::new(move |_| {
        if action.value().get().is_some() {
            session::reload_to("/login");
        }
    });
    view! {
        <button type="button" class="signout" on:click=move |_| { action.dispatch(()); }>"Sign out"</button>
    }
}
