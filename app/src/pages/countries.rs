//! A country's page `/countries/:code`: its profile (treaties, central authority and
//! contacts, accepted languages, custody limits, notes), kept by administrators; the
//! custody limits in force for its requests; its requests' and persons' figures; a link to
//! its dashboard.

use crate::api::custody::{get_country, save_country_profile};
use crate::components::{ErrorNotice, Field};
use crate::domain::country_profile::{BasisRule, CountryPage as Page, CountryProfileInput};
use crate::domain::figures::Figures;
use crate::domain::FieldError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CountryPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let changed = RwSignal::new(0u32);
    let page = Resource::new_blocking(move || (code(), changed.get()), |(code, _)| get_country(code));
    view! {
        <section class="page">
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(countries.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <CountryView page=p changed/> }.into_any(),
                        Err(e) => view! { <Title text={crate::tr!(countries.country_rogatory)}/><ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn text(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

fn basis_name(rules: &[BasisRule], code: &str) -> String {
    let label = rules.iter().find(|b| b.code == code).map(|b| b.label.as_str()).unwrap_or(code);
    crate::labels::legal_basis(code, label)
}

#[component]
fn CountryView(page: Page, changed: RwSignal<u32>) -> impl IntoView {
    let name = crate::lang::country(&page.code);
    let admin = crate::session::can(crate::domain::Role::Admin);
    let editing = RwSignal::new(false);
    let p = page.profile.clone();
    let treaties = if p.treaties.is_empty() {
        "—".to_string()
    } else {
        p.treaties.iter().map(|t| basis_name(&page.rules, t)).collect::<Vec<_>>().join("; ")
    };
    let dashboard = format!("/?country={}&period=all", page.code);
    let registry = format!("/requests?country={}", page.code);
    let (code, version, rules) = (page.code.clone(), page.version, page.rules.clone());
    view! {
        <Title text=format!("{name} — Rogatory")/>
        <div class="page-head">
            <h1 id="country-name">{name.clone()}</h1>
            <div class="head-links">
                <a href=dashboard>{crate::tr!(countries.its_dashboard)}</a>
                <a href=registry>{crate::tr!(countries.its_requests)}</a>
            </div>
        </div>
        <h2>{crate::tr!(countries.profile)}</h2>
        {page.version.is_none().then(|| view! { <p class="empty">{crate::tr!(countries.no_profile_yet)}</p> })}
        <dl class="fields country-profile">
            <dt>{crate::tr!(countries.treaties)}</dt><dd id="profile-treaties">{treaties}</dd>
            <dt>{crate::tr!(countries.central_authority)}</dt><dd id="profile-authority">{text(&p.central_authority)}</dd>
            <dt>{crate::tr!(countries.contacts)}</dt><dd class="pre">{text(&p.contacts)}</dd>
            <dt>{crate::tr!(countries.languages)}</dt><dd id="profile-languages">{text(&p.languages)}</dd>
            <dt>{crate::tr!(countries.notes)}</dt><dd class="pre">{text(&p.notes)}</dd>
        </dl>
        {admin.then(|| view! {
            <button type="button" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {crate::tr!(countries.edit_profile)}
            </button>
        })}
        {move || editing.get().then(|| view! {
            <ProfileForm code=code.clone() version start=p.input() rules=rules.clone() changed editing/>
        })}
        <h2>{crate::tr!(countries.custody_limits)}</h2>
        <p class="hint">{crate::tr!(countries.custody_limits_hint)}</p>
        <LimitsTable page=page.clone()/>
        <h2>{crate::tr!(countries.figures)}</h2>
        <FiguresTable page/>
    }
}

#[component]
fn LimitsTable(page: Page) -> impl IntoView {
    let own = page.profile.custody;
    let days = |d: Option<u32>, overridden: bool| match d {
        Some(n) if overridden => format!("{n} ({})", crate::tr!(countries.this_countrys)),
        Some(n) => n.to_string(),
        None => "—".into(),
    };
    let shown: Vec<BasisRule> = page
        .rules
        .iter()
        .filter(|b| b.rule.arrest_days.is_some() || b.rule.surrender_days.is_some() || page.profile.treaties.contains(&b.code))
        .cloned()
        .collect();
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="custody-limits">
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(countries.legal_basis)}</th>
                        <th scope="col">{crate::tr!(countries.days_for_the_request)}</th>
                        <th scope="col">{crate::tr!(countries.days_to_surrender)}</th>
                    </tr>
                </thead>
                <tbody>
                    {shown.into_iter().map(|b| view! {
                        <tr data-basis=b.code.clone()>
                            <th scope="row">{crate::labels::legal_basis(&b.code, &b.label)}</th>
                            <td data-col="arrest">{days(b.rule.arrest_days, own.arrest_days.is_some())}</td>
                            <td data-col="surrender">{days(b.rule.surrender_days, own.surrender_days.is_some())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn FiguresTable(page: Page) -> impl IntoView {
    let locale = crate::lang::current();
    let n = move |v: i64| crate::lang::integer(locale, v);
    let [out, inc] = page.requests.clone();
    let [pout, pinc] = page.persons;
    let row = move |label: &'static str, key: &'static str, a: i64, b: i64| {
        view! { <tr data-row=key><th scope="row">{label}</th><td>{n(a)}</td><td>{n(b)}</td></tr> }
    };
    let rate = |f: &Figures| crate::lang::rate(f.counts.fulfilment_rate());
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="country-figures">
                <thead>
                    <tr>
                        <td></td>
                        <th scope="col">{crate::tr!(countries.we_asked)}</th>
                        <th scope="col">{crate::tr!(countries.they_asked)}</th>
                    </tr>
                </thead>
                <tbody>
                    {row(crate::tr!(countries.requests), "requests", out.counts.total, inc.counts.total)}
                    {row(crate::tr!(countries.fulfilled), "fulfilled", out.counts.fulfilled, inc.counts.fulfilled)}
                    {row(crate::tr!(countries.refused), "refused", out.counts.refused, inc.counts.refused)}
                    {row(crate::tr!(countries.no_response), "overdue", out.counts.overdue, inc.counts.overdue)}
                    <tr data-row="rate"><th scope="row">{crate::tr!(countries.fulfilment_rate)}</th><td>{rate(&out)}</td><td>{rate(&inc)}</td></tr>
                    {row(crate::tr!(countries.persons_sought), "sought", pout.sought, pinc.sought)}
                    {row(crate::tr!(countries.persons_surrendered), "surrendered", pout.surrendered, pinc.surrendered)}
                    {row(crate::tr!(countries.persons_refused), "persons-refused", pout.refused, pinc.refused)}
                </tbody>
            </table>
        </div>
        <p class="hint">{crate::tr!(countries.figures_hint)}</p>
    }
}

#[component]
fn ProfileForm(
    code: String,
    version: Option<i64>,
    start: CountryProfileInput,
    rules: Vec<BasisRule>,
    changed: RwSignal<u32>,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let input = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let known: Vec<String> = rules.iter().map(|b| b.code.clone()).collect();
    let save = Action::new(move |i: &CountryProfileInput| save_country_profile(code.clone(), version, i.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            editing.set(false);
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate(&known) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(input.get());
            }
        }
    };
    let failure = move || {
        save.value().get().and_then(Result::err).filter(|e| e.field_errors().is_empty()).map(|e| view! { <ErrorNotice error=e/> })
    };
    view! {
        <form class="card profile-form" novalidate on:submit=on_submit aria-label=crate::tr!(countries.profile)>
            <fieldset class="treaties">
                <legend>{crate::tr!(countries.treaties)}</legend>
                {rules.into_iter().map(|b| {
                    let c = b.code.clone();
                    let checked = { let c = c.clone(); move || input.with(|i| i.treaties.contains(&c)) };
                    let toggle = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        input.update(|i| {
                            i.treaties.retain(|t| *t != c);
                            if on { i.treaties.push(c.clone()) }
                        })
                    };
                    view! {
                        <label class="check"><input type="checkbox" prop:checked=checked on:change=toggle/>
                            {crate::labels::legal_basis(&b.code, &b.label)}</label>
                    }
                }).collect_view()}
            </fieldset>
            <Field id="profile-central-authority" label=crate::tr!(countries.central_authority) input errors field="central_authority"
                get=|i: &CountryProfileInput| i.central_authority.clone() set=|i, v| i.central_authority = v/>
            <Field id="profile-contacts" label=crate::tr!(countries.contacts) input errors field="contacts" multi_line=true
                get=|i: &CountryProfileInput| i.contacts.clone() set=|i, v| i.contacts = v/>
            <Field id="profile-languages-input" label=crate::tr!(countries.languages) input errors field="languages"
                get=|i: &CountryProfileInput| i.languages.clone() set=|i, v| i.languages = v/>
            <Field id="profile-arrest-days" label=crate::tr!(countries.own_days_for_the_request) input errors field="arrest_days"
                hint=crate::tr!(countries.own_days_hint) get=|i: &CountryProfileInput| i.arrest_days.clone() set=|i, v| i.arrest_days = v/>
            <Field id="profile-surrender-days" label=crate::tr!(countries.own_days_to_surrender) input errors field="surrender_days"
                get=|i: &CountryProfileInput| i.surrender_days.clone() set=|i, v| i.surrender_days = v/>
            <Field id="profile-notes" label=crate::tr!(countries.notes) input errors field="notes" multi_line=true
                get=|i: &CountryProfileInput| i.notes.clone() set=|i, v| i.notes = v/>
            {failure}
            <div class="actions">
                <button type="submit" class="primary">{crate::tr!(countries.save_profile)}</button>
                <button type="button" on:click=move |_| editing.set(false)>{crate::tr!(countries.cancel)}</button>
            </div>
        </form>
    }
}
