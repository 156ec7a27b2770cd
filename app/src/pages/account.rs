//! The signed-in user's own account: change the password, the daily digest, the
//! second factor and the sessions.

use crate::api::auth::change_password;
use crate::domain::user::PasswordChangeInput;
use crate::domain::validation::message_for;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::labels::Label;
use crate::session;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = session::user();
    let input = RwSignal::new(PasswordChangeInput::default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let action = Action::new(|i: &PasswordChangeInput| change_password(i.clone()));
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            done.set(true);
            input.set(PasswordChangeInput::default());
        }
        Some(Err(e)) => {
            errors.set(e.field_errors().to_vec());
            notice.set((!matches!(e, AppError::Validation(_))).then_some(e));
        }
        None => {}
    });
    let username = user.as_ref().map(|u| u.username.clone()).unwrap_or_default();
    let user_must_enrol = user.as_ref().is_some_and(|u| u.must_enrol);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        match input.get().validate(&username) {
            Err(e) => errors.set(e),
            Ok(()) => {
                errors.set(Vec::new());
                action.dispatch(input.get());
            }
        }
    };
    let err = move |f: &'static str| move || errors.with(|e| message_for(e, f).map(str::to_string));
    let field = move |id: &'static str,
                      label: &'static str,
                      auto: &'static str,
                      get: fn(&PasswordChangeInput) -> String,
                      set: fn(&mut PasswordChangeInput, String)| {
        view! {
            <div class="field">
                <label for=format!("pw-{id}")>{label}</label>
                <input id=format!("pw-{id}") type="password" autocomplete=auto aria-describedby=format!("pw-{id}-error")
                    prop:value=move || input.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| set(i, v)); }/>
                <p class="field-error" id=format!("pw-{id}-error") aria-live="polite">{err(id)}</p>
            </div>
        }
    };
    view! {
        <Title text={crate::tr!(account.your_account_rogatory)}/>
        <section class="page narrow">
            <h1>{crate::tr!(account.your_account)}</h1>
            {user.map(|u| view! {
                <p class="lead">{format!("{} ({}) — {}", u.display_name, u.username, u.role.text())}</p>
            })}
            <form class="card" novalidate on:submit=on_submit>
                <h2>{crate::tr!(account.change_your_password)}</h2>
                <p class="hint">{crate::tr!(account.at_least_12_characters_a_few)}</p>
                {move || done.get().then(|| view! { <p class="notice notice-ok" role="status">{crate::tr!(account.your_password_was_changed)}</p> })}
                {move || notice.get().map(|e| view! { <crate::components::ErrorNotice error=e/> })}
                {field("current", crate::tr!(account.current_password), "current-password", |i| i.current.clone(), |i, v| i.current = v)}
                {field("new", crate::tr!(account.new_password), "new-password", |i| i.new.clone(), |i, v| i.new = v)}
                {field("repeat", crate::tr!(account.new_password_again), "new-password", |i| i.repeat.clone(), |i, v| i.repeat = v)}
                <button type="submit" class="primary" disabled=move || action.pending().get()>{crate::tr!(account.change_password)}</button>
            </form>
            // until the second factor is set up (when it is required) only it is open
            {(!user_must_enrol).then(|| view! { <super::notifications::NotificationsCard/> })}
            <super::account_security::SecondFactorCard/>
            <super::account_security::SessionsCard/>
        </section>
    }
}
