//! The account page's card of the daily e-mail digest: the address it goes to (none:
//! no digest) and its language.

use crate::api::notifications::{get_notifications, save_notifications};
use crate::components::ErrorNotice;
use crate::domain::digest::{NotificationSettings, NotificationsInput};
use crate::domain::validation::message_for;
use crate::domain::FieldError;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn NotificationsCard() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_notifications());
    view! {
        <section class="card" aria-labelledby="digest-title">
            <h2 id="digest-title">{crate::tr!(account.daily_digest)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! { <DigestForm s/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DigestForm(s: NotificationSettings) -> impl IntoView {
    let hint = match &s.sent_at {
        Some(at) => crate::tr!(account.digest_hint, at = at),
        None => crate::tr!(account.digest_off_on_this_server).to_string(),
    };
    let input = RwSignal::new(NotificationsInput { email: s.email.clone().unwrap_or_default(), language: s.language.clone() });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    let action = Action::new(|i: &NotificationsInput| save_notifications(i.clone()));
    let notice = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .filter(|e| !matches!(e, AppError::Validation(_)))
            .map(|e| view! { <ErrorNotice error=e/> })
    };
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => saved.set(true),
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match input.with_untracked(NotificationsInput::validate) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                action.dispatch(input.get_untracked());
            }
        }
    };
    let err = move |f: &'static str| move || errors.with(|e| message_for(e, f).map(str::to_string));
    let invalid = move |f: &'static str| move || errors.with(|e| message_for(e, f).is_some()).then_some("true");
    view! {
        <form novalidate on:submit=on_submit>
            <p class="hint" id="digest-hint">{hint}</p>
            {move || saved.get().then(|| view! { <p class="notice notice-ok" role="status">{crate::tr!(account.digest_saved)}</p> })}
            {notice}
            <div class="field">
                <label for="digest-email">{crate::tr!(account.email_address)}</label>
                <input id="digest-email" type="email" autocomplete="email" aria-describedby="digest-email-error digest-hint"
                    aria-invalid=invalid("email")
                    prop:value=move || input.with(|i| i.email.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.email = v); }/>
                <p class="field-error" id="digest-email-error" aria-live="polite">{err("email")}</p>
            </div>
            <div class="field">
                <label for="digest-language">{crate::tr!(account.digest_language)}</label>
                <select id="digest-language" aria-describedby="digest-language-error"
                    on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.language = v); }>
                    {crate::lang::all().iter().map(|l| {
                        let code = crate::lang::code(*l);
                        view! { <option value=code selected=move || input.with(|i| i.language == code)>{crate::lang::native_name(*l)}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" id="digest-language-error" aria-live="polite">{err("language")}</p>
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>{crate::tr!(account.save_digest)}</button>
        </form>
    }
}
