//! `/search?q=`: what the header's search box finds — persons by any spelling of their
//! name, and requests by reference or summary (the registry's first page of them).

use crate::api::requests::list_requests;
use crate::components::{ErrorNotice, RequestTable};
use crate::domain::ListParams;
use crate::pages::persons::{find, PersonTable};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default().trim().to_string()));
    let params = Memo::new(move |_| ListParams::from_pairs([("q", q.get().as_str())]));
    let persons = Resource::new(move || q.get(), find);
    let requests = Resource::new(move || params.get(), list_requests);
    view! {
        <Title text={crate::tr!(search.search_rogatory)}/>
        <section class="page">
            <div class="page-head">
                <h1>{move || if q.get().is_empty() { crate::tr!(search.search).to_string() } else { crate::tr!(search.results_for, q = q.get()) }}</h1>
            </div>
            <h2 id="found-persons">{crate::tr!(search.persons)}</h2>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(search.loading)}</p> }>
                {move || Suspend::new(async move {
                    match persons.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{crate::tr!(search.no_persons)}</p> }.into_any(),
                        Ok(list) => view! { <PersonTable persons=list/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <crate::pages::documents::DocumentHits q/>
            <h2 id="found-requests">{crate::tr!(search.requests)}</h2>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(search.loading)}</p> }>
                {move || Suspend::new(async move {
                    match requests.await {
                        Ok(_) if q.get_untracked().is_empty() => ().into_any(),
                        Ok(p) => view! { <RequestTable page=p params=params.get_untracked() path="/requests"/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
