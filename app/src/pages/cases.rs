//! Cases: the list with request counts, and a case's own page with its requests.

use super::list_params;
use super::registry::Filters;
use crate::api::cases::{get_case, list_cases};
use crate::api::requests::list_requests;
use crate::components::{ErrorNotice, RequestTable};
use crate::domain::CaseSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CasesPage() -> impl IntoView {
    let cases = Resource::new(|| (), |_| list_cases());
    view! {
        <Title text={crate::tr!(cases.cases_rogatory)}/>
        <section class="page">
            <div class="page-head"><h1>{crate::tr!(cases.cases)}</h1></div>
            <p class="lead">{crate::tr!(cases.a_case_is_created_with_its)}</p>
            <Suspense fallback=|| view! { <p class="loading">{crate::tr!(cases.loading)}</p> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{crate::tr!(cases.no_cases_yet)}</p> }.into_any(),
                        Ok(list) => view! { <CaseTable cases=list/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CaseTable(cases: Vec<CaseSummary>) -> impl IntoView {
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="cases">
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(cases.case)}</th>
                        <th scope="col">{crate::tr!(cases.title)}</th>
                        <th scope="col" class="num">{crate::tr!(cases.requests)}</th>
                        <th scope="col" class="num">{crate::tr!(cases.countries)}</th>
                        <th scope="col" class="num">{crate::tr!(cases.open)}</th>
                        <th scope="col" class="num">{crate::tr!(cases.overdue)}</th>
                        <th scope="col" class="num">{crate::tr!(cases.answered)}</th>
                    </tr>
                </thead>
                <tbody>
                    {cases
                        .into_iter()
                        .map(|c| {
                            let warn = c.overdue > 0;
                            view! {
                            <tr data-case=c.number.clone()>
                                <td><a href=format!("/cases/{}", c.id)>{c.number.clone()}</a></td>
                                <td>{c.title.clone()}</td>
                                <td class="num" data-col="requests">{c.requests}</td>
                                <td class="num">{c.countries}</td>
                                <td class="num">{c.open}</td>
                                <td class="num" class:warn=warn>{c.overdue}</td>
                                <td class="num">{c.answered}</td>
                            </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(-1));
    let case = Resource::new(move || id.get(), get_case);
    let list = Memo::new(move |_| {
        let mut p = query.with(list_params);
        p.filter.case_id = Some(id.get());
        p
    });
    let page = Resource::new(move || list.get(), list_requests);
    let path = move || format!("/cases/{}", id.get());
    view! {
        <Title text={crate::tr!(cases.case_rogatory)}/>
        <section class="page">
            <Suspense fallback=|| view! { <p class="loading">{crate::tr!(cases.loading)}</p> }>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(c) => view! {
                            <div class="page-head">
                                <h1><span class="muted">{crate::tr!(cases.case_prefix)}</span>{c.number.clone()}</h1>
                                <a class="button" href=format!("/?period=all&case={}", c.id)>{crate::tr!(cases.dashboard_of_this_case)}</a>
                            </div>
                            <p class="lead">{c.title.clone()}</p>
                            <ul class="stats">
                                <li>{crate::tr!(cases.stat_requests)}" "<strong data-stat="requests">{c.requests}</strong></li>
                                <li>{crate::tr!(cases.stat_countries)}" "<strong data-stat="countries">{c.countries}</strong></li>
                                <li>{crate::tr!(cases.stat_open)}" "<strong data-stat="open">{c.open}</strong></li>
                                <li>{crate::tr!(cases.stat_overdue)}" "<strong data-stat="overdue">{c.overdue}</strong></li>
                                <li>{crate::tr!(cases.stat_answered)}" "<strong data-stat="answered">{c.answered}</strong></li>
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
            {move || {
                let mut p = list.get();
                p.filter.case_id = None;
                view! { <Filters params=p action=path() hide_case=true/> }
            }}
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(cases.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(pg) => {
                            let mut p = list.get_untracked();
                            p.filter.case_id = None;
                            view! { <RequestTable page=pg params=p path=path()/> }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {move || (id.get() > 0).then(|| view! { <crate::pages::documents::Documents owner=crate::domain::document::Owner::Case(id.get())/> })}
        </section>
    }
}
