//! A labelled text field of a form whose input is one value of type `T` in a signal: it
//! reads its text with `get`, writes it with `set`, and shows the first error of
//! `field` beneath it (the person, custody and country-profile forms).

use crate::domain::validation::message_for;
use crate::domain::FieldError;
use leptos::prelude::*;

#[component]
pub fn Field<T>(
    #[prop(into)] id: String,
    label: &'static str,
    input: RwSignal<T>,
    get: fn(&T) -> String,
    set: fn(&mut T, String),
    errors: RwSignal<Vec<FieldError>>,
    field: &'static str,
    #[prop(optional)] multi_line: bool,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let error_id = format!("{id}-error");
    let described = if hint.is_some() { format!("{error_id} {id}-hint") } else { error_id.clone() };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        input.update(|i| set(i, v));
    };
    let value = move || input.with(get);
    let invalid = move || errors.with(|e| message_for(e, field).is_some());
    let control = if multi_line {
        view! {
            <textarea id=id.clone() rows="2" aria-describedby=described aria-invalid=move || invalid().to_string()
                prop:value=value on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=input_type.unwrap_or("text") aria-describedby=described
                aria-invalid=move || invalid().to_string() prop:value=value on:input=on_input/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            {control}
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <p class="field-error" id=error_id aria-live="polite">{move || errors.with(|e| message_for(e, field).map(str::to_string))}</p>
        </div>
    }
}
