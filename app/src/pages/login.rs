//! Signing in and out.

use crate::api::auth::{login, logout};
use crate::domain::validation::{local_path, message_for};
use crate::domain::{CurrentUser, FieldError};
use crate::error::AppError;
use crate::session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where to go after signing in: a local path only (never another site); without one,
/// a clerk's My work, anyone else's registry.
fn safe_next(next: Option<String>) -> Option<String> {
    match next.as_deref().and_then(local_path) {
        Some(n) if !n.starts_with("/login") => Some(n.to_string()),
        _ => None,
    }
}

fn landing(user: &CurrentUser) -> &'static str {
    if user.role == crate::domain::Role::Clerk {
        "/my-work"
    } else {
        "/requests"
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
    // the second step: asked for once the password was right and the account has it
    let code = RwSignal::new(String::new());
    let asking_code = RwSignal::new(false);
    let action = Action::new(move |(u, p, c): &(String, String, Option<String>)| {
        let (u, p, c) = (u.clone(), p.clone(), c.clone());
        async move { login(u, p, c).await }
    });
    let target = next.clone();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(user)) => session::reload_to(target.as_deref().unwrap_or(landing(&user))),
        Some(Err(e)) => {
            let about_code = message_for(e.field_errors(), "code").is_some();
            errors.set(e.field_errors().to_vec());
            notice.set((!matches!(e, AppError::Validation(_))).then_some(e));
            if about_code {
                asking_code.set(true);
                code.set(String::new());
            } else {
                password.set(String::new());
            }
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = Vec::new();
        if username.get().trim().is_empty() {
            e.push(FieldError { field: "username".into(), message: crate::tr!(login.enter_your_user_name).into() });
        }
        if password.get().is_empty() {
            e.push(FieldError { field: "password".into(), message: crate::tr!(login.enter_your_password).into() });
        }
        if asking_code.get() && code.get().trim().is_empty() {
            e.push(FieldError { field: "code".into(), message: crate::tr!(second_factor.enter_the_code).into() });
        }
        errors.set(e.clone());
        if e.is_empty() {
            let c = asking_code.get().then(|| code.get());
            action.dispatch((username.get(), password.get(), c));
        }
    };
    let err = move |f: &'static str| move || errors.with(|e| message_for(e, f).map(str::to_string));
    let signed_in: Option<CurrentUser> = session::user();
    view! {
        <Title text={crate::tr!(login.sign_in_rogatory)}/>
        <section class="page login">
            <h1>{crate::tr!(login.sign_in)}</h1>
            {signed_in.map(|u| view! {
                <p class="notice notice-ok">{crate::tr!(login.signed_in_as, name = u.display_name.clone()).to_string()}<a href="/requests">{crate::tr!(login.go_to_the_registry)}</a></p>
            })}
            <form class="card" novalidate on:submit=on_submit>
                {move || notice.get().map(|e| view! { <crate::components::ErrorNotice error=e/> })}
                <div class="field">
                    <label for="username">{crate::tr!(login.user_name)}</label>
                    <input id="username" name="username" autocomplete="username" autofocus
                        aria-describedby="username-error"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))/>
                    <p class="field-error" id="username-error" aria-live="polite">{err("username")}</p>
                </div>
                <div class="field">
                    <label for="password">{crate::tr!(login.password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        aria-describedby="password-error"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                    <p class="field-error" id="password-error" aria-live="polite">{err("password")}</p>
                </div>
                {move || asking_code.get().then(|| view! {
                    <div class="field">
                        <label for="code">{crate::tr!(login.code)}</label>
                        <input id="code" name="code" autocomplete="one-time-code" inputmode="text" autofocus
                            aria-describedby="code-hint code-error"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev))/>
                        <p class="hint" id="code-hint">{crate::tr!(login.code_hint)}</p>
                        <p class="field-error" id="code-error" aria-live="polite">{err("code")}</p>
                    </div>
                })}
                <button type="submit" class="primary" disabled=move || action.pending().get()>{crate::tr!(login.sign_in)}</button>
            </form>
            <p class="hint">{crate::tr!(login.five_wrong_passwords_within_15_minutes)}</p>
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
        <button type="button" class="signout" on:click=move |_| { action.dispatch(()); }>{crate::tr!(login.sign_out)}</button>
    }
}
