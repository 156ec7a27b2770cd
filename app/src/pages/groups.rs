//! Country groups (administrators): "EU member states", "CIS", "Baltic states"...

use crate::api::groups::{delete_group, list_groups, save_group};
use crate::components::ErrorNotice;
use crate::domain::group::{CountryGroup, GroupInput};
use crate::domain::validation::message_for;
use crate::domain::{country, FieldError, Role};
use crate::error::AppError;
use crate::session;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GroupsPage() -> impl IntoView {
    if !session::can(Role::Admin) {
        return view! { <ErrorNotice error=AppError::Forbidden/> }.into_any();
    }
    let version = RwSignal::new(0u32);
    let groups = Resource::new(move || version.get(), |_| list_groups());
    let flash = RwSignal::new(None::<String>);
    let done = Callback::new(move |m: String| {
        flash.set(Some(m));
        version.update(|v| *v += 1);
    });
    view! {
        <Title text={crate::tr!(groups.country_groups_rogatory)}/>
        <section class="page narrow">
            <h1>{crate::tr!(groups.country_groups)}</h1>
            <p class="lead">{crate::tr!(groups.named_sets_of_countries_the_dashboard)}</p>
            {move || flash.get().map(|m| view! { <div class="notice notice-ok" role="status">{m}</div> })}
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(groups.loading)}</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(list) => list.into_iter().map(|g| view! { <GroupForm group=Some(g) done/> }).collect_view().into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{crate::tr!(groups.new_group)}</h2>
            <GroupForm group=None done/>
        </section>
    }
    .into_any()
}

#[component]
fn GroupForm(group: Option<CountryGroup>, done: Callback<String>) -> impl IntoView {
    let id = group.as_ref().map(|g| g.id);
    let key = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
    let initial =
        group.as_ref().map(|g| GroupInput { name: g.name.clone(), countries: g.countries.join(", ") }).unwrap_or_default();
    let input = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |i: &GroupInput| {
        let i = i.clone();
        async move { save_group(id, i.clone()).await.map(|_| i.name) }
    });
    let remove = Action::new(move |_: &()| async move { delete_group(id.unwrap_or_default()).await });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(name)) => {
            errors.set(Vec::new());
            if id.is_none() {
                input.set(GroupInput::default());
            }
            done.run(crate::tr!(groups.group_saved, name = name).to_string());
        }
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            done.run(crate::tr!(groups.group_deleted).into())
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate() {
            Err(e) => errors.set(e),
            Ok(_) => {
                save.dispatch(input.get());
            }
        };
    };
    let err = move |f: &'static str| move || errors.with(|e| message_for(e, f).map(str::to_string));
    let names = move || {
        input.with(|i| {
            i.countries
                .split([',', ';', '\n'])
                .filter_map(|t| country::parse(t.trim()).map(crate::lang::country))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    view! {
        <form class="card group-form" novalidate on:submit=on_submit data-group=key.clone()>
            <div class="field">
                <label for=format!("g-name-{key}")>{crate::tr!(groups.name)}</label>
                <input id=format!("g-name-{key}") aria-describedby=format!("g-name-{key}-error")
                    prop:value=move || input.with(|i| i.name.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.name = v); }/>
                <p class="field-error" id=format!("g-name-{key}-error") aria-live="polite">{err("name")}</p>
            </div>
            <div class="field">
                <label for=format!("g-countries-{key}")>{crate::tr!(groups.countries_codes_or_names_separated_by)}</label>
                <textarea id=format!("g-countries-{key}") rows="2" aria-describedby=format!("g-countries-{key}-error")
                    prop:value=move || input.with(|i| i.countries.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.countries = v); }></textarea>
                <p class="hint">{names}</p>
                <p class="field-error" id=format!("g-countries-{key}-error") aria-live="polite">{err("countries")}</p>
            </div>
            <div class="actions">
                <button type="submit" class="primary">{if id.is_some() { crate::tr!(groups.save_group) } else { crate::tr!(groups.create_group) }}</button>
                {id.map(|_| view! { <button type="button" on:click=move |_| { remove.dispatch(()); }>{crate::tr!(groups.delete)}</button> })}
            </div>
        </form>
    }
}
