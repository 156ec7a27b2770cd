//! The registry: every request, filtered, searched, sorted and paged, with the view
//! kept in the URL.

use super::list_params;
use crate::api::handling::list_assignees;
use crate::api::requests::list_requests;
use crate::components::{ErrorNotice, RequestTable};
use crate::domain::filter::{AssigneeFilter, StatusFilter};
use crate::domain::{Direction, Kind, ListParams, Offence, Status};
use crate::labels::Label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn select(
    name: &'static str,
    label: &'static str,
    all_label: &'static str,
    options: Vec<(String, String)>,
    current: Option<String>,
) -> impl IntoView {
    let current = current.unwrap_or_default();
    view! {
        <div class="field">
            <label for=format!("f-{name}")>{label}</label>
            <select id=format!("f-{name}") name=name>
                <option value="" selected=current.is_empty()>{all_label}</option>
                {options
                    .into_iter()
                    .map(|(code, text)| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// "Assigned to": anyone, no one, or one of the people requests can be given to (the
/// signed-in user first, as "me").
#[component]
fn AssigneeSelect(current: Option<AssigneeFilter>) -> impl IntoView {
    let people = Resource::new(|| (), |_| list_assignees());
    let me = crate::session::user().map(|u| u.id);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let mut people = people.await.unwrap_or_default();
                people.sort_by_key(|a| Some(a.id) != me);
                let mut options: Vec<(String, String)> = vec![("none".into(), crate::tr!(handling.no_one).into())];
                options.extend(people.into_iter().map(|a| {
                    let name = if Some(a.id) == me { crate::tr!(registry.me, name = a.name) } else { a.name };
                    (a.id.to_string(), name)
                }));
                select("assignee", crate::tr!(table.assignee), crate::tr!(registry.anyone), options, current.map(AssigneeFilter::code))
            })}
        </Suspense>
    }
}

/// The filter bar: a GET form, so every view is a URL.
#[component]
pub fn Filters(params: ListParams, #[prop(into)] action: String, #[prop(optional)] hide_case: bool) -> impl IntoView {
    let f = params.filter.clone();
    let mut statuses: Vec<(String, String)> = vec![
        ("open".into(), crate::tr!(registry.open_waiting).into()),
        ("overdue".into(), crate::tr!(registry.overdue_no_response).into()),
    ];
    statuses.extend(Status::ALL.iter().map(|s| (s.code().to_string(), s.text().to_string())));
    let countries: Vec<(String, String)> =
        crate::lang::countries().into_iter().map(|(c, n)| (c.to_string(), n.to_string())).collect();
    let reset = action.clone();
    let keep_sort = (params.sort, params.desc) != ListParams::default_sort();
    view! {
        <Form action=action.clone() method="get" attr:class="filters" attr:role="search">
            <div class="field grow">
                <label for="f-q">{crate::tr!(registry.search)}</label>
                <input id="f-q" type="search" name="q" value=f.q.clone().unwrap_or_default()
                    placeholder={crate::tr!(registry.reference_their_reference_or_summary)}/>
            </div>
            {select("direction", crate::tr!(registry.direction), crate::tr!(registry.both), Direction::ALL.iter().map(|d| (d.code().into(), d.text().into())).collect(), f.direction.map(|d| d.code().into()))}
            {select("country", crate::tr!(registry.country), crate::tr!(registry.all_countries), countries, f.country.clone())}
            {select("status", crate::tr!(registry.status), crate::tr!(registry.any_status), statuses, f.status.map(|s: StatusFilter| s.code().into()))}
            {select("kind", crate::tr!(registry.kind), crate::tr!(registry.any_kind), Kind::ALL.iter().map(|k| (k.code().into(), k.text().into())).collect(), f.kind.map(|k| k.code().into()))}
            {select("offence", crate::tr!(registry.offence), crate::tr!(registry.any_offence), Offence::ALL.iter().map(|o| (o.code().into(), o.text().into())).collect(), f.offence.map(|o| o.code().into()))}
            <div class="field">
                <label for="f-from">{crate::tr!(registry.started_from)}</label>
                <input id="f-from" type="date" name="from" value=f.from.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="f-to">{crate::tr!(registry.to)}</label>
                <input id="f-to" type="date" name="to" value=f.to.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <AssigneeSelect current=f.assignee/>
            <div class="field checkbox">
                <input id="f-reminder" type="checkbox" name="reminder" value="due" checked=f.reminder_due/>
                <label for="f-reminder">{crate::tr!(registry.reminder_due)}</label>
            </div>
            <div class="field checkbox">
                <input id="f-translation" type="checkbox" name="translation" value="missing" checked=f.translation_missing/>
                <label for="f-translation">{crate::tr!(documents.translation_missing)}</label>
            </div>
            {(!hide_case).then(|| f.case_id.map(|c| view! { <input type="hidden" name="case" value=c.to_string()/> }))}
            {keep_sort.then(|| view! {
                <input type="hidden" name="sort" value=params.sort.code()/>
                <input type="hidden" name="dir" value=if params.desc { "desc" } else { "asc" }/>
            })}
            <div class="field buttons">
                <button type="submit" class="primary">{crate::tr!(registry.apply)}</button>
                <a href=reset class="button">{crate::tr!(registry.reset)}</a>
            </div>
        </Form>
    }
}

#[component]
pub fn RegistryPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(list_params));
    let page = Resource::new(move || params.get(), list_requests);
    view! {
        <Title text={crate::tr!(registry.registry_rogatory)}/>
        <section class="page">
            <div class="page-head">
                <h1>{crate::tr!(registry.registry)}</h1>
                <a class="button" id="export-csv" href=move || params.get().href("/requests.csv") rel="external" download="rogatory-requests.csv"
                    title={crate::tr!(registry.every_request_under_these_filters_all)}>{crate::tr!(registry.download_csv)}</a>
                <a class="button" id="export-xlsx" href=move || params.get().href("/requests.xlsx") rel="external" download="rogatory-requests.xlsx"
                    title={crate::tr!(registry.every_request_under_these_filters_all)}>{crate::tr!(registry.download_xlsx)}</a>
                {crate::session::can(crate::domain::Role::Clerk).then(|| view! {
                    <a href="/import" class="button">{crate::tr!(registry.import_csv)}</a>
                    <a href="/requests/new" class="button primary">{crate::tr!(registry.new_request)}</a>
                })}
            </div>
            {move || view! { <Filters params=params.get() action="/requests"/> }}
            <crate::pages::persons::PersonsMatching q=Signal::derive(move || params.get().filter.q.clone().unwrap_or_default())/>
            <crate::pages::documents::DocumentsMatching q=Signal::derive(move || params.get().filter.q.clone().unwrap_or_default())/>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(registry.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <RequestTable page=p params=params.get_untracked() path="/requests"/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
