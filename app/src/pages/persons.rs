//! Persons: `/persons` finds them by any spelling of their name and adds new ones (with
//! the "possible same person" hint); `/persons/:id` shows a person and every request
//! concerning them; a request's page lists its persons and links more (`RequestPersons`).

use crate::api::custody::request_custody;
use crate::api::persons::{add_person, get_person, link_person, request_persons, search_persons, unlink_person, update_person};
use crate::api::persons::{PersonDetail, PersonSaved};
use crate::components::{ErrorNotice, Field, StatusBadge};
use crate::domain::person::{PersonInput, PersonRole, PersonRow};
use crate::domain::FieldError;
use crate::labels::Label;
use crate::pages::custody::CustodyLine;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

fn born(p: &PersonRow) -> String {
    p.birth.map(|b| b.text()).unwrap_or_else(|| "—".into())
}

fn countries(codes: &[String]) -> String {
    if codes.is_empty() {
        return "—".into();
    }
    codes.iter().map(|c| crate::lang::country(c)).collect::<Vec<_>>().join(", ")
}

/// The persons whose name answers `q`; nobody for an empty search.
pub async fn find(q: String) -> Result<Vec<PersonRow>, crate::error::AppError> {
    if q.trim().is_empty() {
        Ok(Vec::new())
    } else {
        search_persons(q).await
    }
}

#[component]
pub fn PersonsPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let found = Resource::new(move || q.get(), find);
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    view! {
        <Title text={crate::tr!(persons.persons_rogatory)}/>
        <section class="page">
            <div class="page-head"><h1>{crate::tr!(persons.persons)}</h1></div>
            <p class="lead">{crate::tr!(persons.lead)}</p>
            <form class="search-persons" method="get" action="/persons" role="search">
                <div class="field">
                    <label for="person-q">{crate::tr!(persons.name_in_any_spelling)}</label>
                    <input id="person-q" name="q" type="search" prop:value=move || q.get()/>
                </div>
                <button type="submit" class="primary">{crate::tr!(persons.find)}</button>
            </form>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(persons.loading)}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(list) if list.is_empty() && !q.get_untracked().trim().is_empty() => {
                            view! { <p class="empty">{crate::tr!(persons.nobody_found)}</p> }.into_any()
                        }
                        Ok(list) if list.is_empty() => ().into_any(),
                        Ok(list) => view! { <PersonTable persons=list/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {clerk.then(|| view! { <h2>{crate::tr!(persons.add_a_person)}</h2><PersonForm/> })}
        </section>
    }
}

#[component]
pub fn PersonTable(persons: Vec<PersonRow>) -> impl IntoView {
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="persons">
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(persons.name)}</th>
                        <th scope="col">{crate::tr!(persons.born)}</th>
                        <th scope="col">{crate::tr!(persons.citizenship)}</th>
                    </tr>
                </thead>
                <tbody>
                    {persons
                        .into_iter()
                        .map(|p| view! {
                            <tr data-person=p.id>
                                <td><a href=format!("/persons/{}", p.id)>{p.name.clone()}</a></td>
                                <td>{born(&p)}</td>
                                <td>{countries(&p.citizenship)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The person form: a new person (`editing` None), or changes to the person with this id
/// as read at this version, after which `saved` is told.
#[component]
fn PersonForm(
    #[prop(optional)] start: Option<PersonInput>,
    #[prop(optional)] editing: Option<(i64, i64)>,
    #[prop(optional)] saved: Option<Callback<()>>,
) -> impl IntoView {
    let input = RwSignal::new(start.unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alike = RwSignal::new(None::<Vec<PersonRow>>);
    let save = Action::new(move |(i, anyway): &(PersonInput, bool)| {
        let (i, anyway) = (i.clone(), *anyway);
        async move {
            match editing {
                Some((id, version)) => update_person(id, version, i).await.map(|()| PersonSaved::Added(id)),
                None => add_person(i, anyway).await,
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(PersonSaved::Added(_))) if editing.is_some() => {
            if let Some(saved) = saved {
                saved.run(())
            }
        }
        Some(Ok(PersonSaved::Added(id))) => navigate(&format!("/persons/{id}"), Default::default()),
        Some(Ok(PersonSaved::Alike(list))) => alike.set(Some(list)),
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    let failure = move || {
        save.value().get().and_then(Result::err).filter(|e| e.field_errors().is_empty()).map(|e| view! { <ErrorNotice error=e/> })
    };
    let submit = move |anyway: bool| {
        let today = chrono::Local::now().date_naive();
        match input.get().validate(today) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch((input.get(), anyway));
            }
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(false);
    };
    view! {
        <form class="card person-form" novalidate on:submit=on_submit>
            <Field id="p-name" label=crate::tr!(persons.name_as_written) input errors field="name"
                get=|i| i.name.clone() set=|i, v| i.name = v/>
            <Field id="p-other-names" label=crate::tr!(persons.other_spellings) input errors field="other_names" multi_line=true
                hint=crate::tr!(persons.one_a_line) get=|i| i.other_names.clone() set=|i, v| i.other_names = v/>
            <Field id="p-birth" label=crate::tr!(persons.date_or_year_of_birth) input errors field="birth"
                hint=crate::tr!(persons.birth_hint) get=|i| i.birth.clone() set=|i, v| i.birth = v/>
            <Field id="p-citizenship" label=crate::tr!(persons.citizenship) input errors field="citizenship"
                hint=crate::tr!(persons.countries_hint) get=|i| i.citizenship.clone() set=|i, v| i.citizenship = v/>
            <Field id="p-documents" label=crate::tr!(persons.identity_documents) input errors field="documents" multi_line=true
                get=|i| i.documents.clone() set=|i, v| i.documents = v/>
            <Field id="p-notes" label=crate::tr!(persons.notes) input errors field="notes" multi_line=true
                get=|i| i.notes.clone() set=|i, v| i.notes = v/>
            {move || alike.get().map(|list| view! {
                <div class="notice notice-warn" role="status" id="alike">
                    <p>{crate::tr!(persons.possibly_the_same_person)}</p>
                    <PersonTable persons=list/>
                    <button type="button" on:click=move |_| submit(true)>{crate::tr!(persons.add_as_a_new_person)}</button>
                </div>
            })}
            {failure}
            <div class="actions">
                <button type="submit" class="primary">
                    {if editing.is_some() { crate::tr!(persons.save_changes) } else { crate::tr!(persons.add_person) }}
                </button>
            </div>
        </form>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())).unwrap_or(-1);
    let changed = RwSignal::new(0u32);
    let detail = Resource::new_blocking(move || (id(), changed.get()), |(id, _)| get_person(id));
    view! {
        <section class="page">
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(persons.loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <PersonView detail=d changed/> }.into_any(),
                        Err(e) => view! { <Title text={crate::tr!(persons.persons_rogatory)}/><ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PersonView(detail: PersonDetail, changed: RwSignal<u32>) -> impl IntoView {
    let PersonDetail { person: p, requests, timeline } = detail;
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let editing = RwSignal::new(false);
    let (start, key) = (p.input(), (p.id, p.version));
    let saved = Callback::new(move |()| {
        editing.set(false);
        changed.update(|n| *n += 1);
    });
    let title = format!("{} — Rogatory", p.name);
    let text = |s: &Option<String>| s.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into());
    let others = if p.other_names.is_empty() { "—".to_string() } else { p.other_names.join("; ") };
    view! {
        <Title text=title/>
        <div class="page-head"><h1 id="person-name">{p.name.clone()}</h1></div>
        <dl class="fields">
            <dt>{crate::tr!(persons.other_spellings)}</dt><dd id="person-other-names">{others}</dd>
            <dt>{crate::tr!(persons.born)}</dt><dd>{p.birth.map(|b| b.text()).unwrap_or_else(|| "—".into())}</dd>
            <dt>{crate::tr!(persons.citizenship)}</dt><dd>{countries(&p.citizenship)}</dd>
            <dt>{crate::tr!(persons.identity_documents)}</dt><dd>{text(&p.documents)}</dd>
            <dt>{crate::tr!(persons.notes)}</dt><dd>{text(&p.notes)}</dd>
        </dl>
        {clerk.then(|| view! {
            <button type="button" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {crate::tr!(persons.edit_person)}
            </button>
        })}
        {move || editing.get().then(|| view! { <PersonForm start=start.clone() editing=key saved/> })}
        <h2>{crate::tr!(persons.requests_concerning_them)}</h2>
        {if requests.is_empty() {
            view! { <p class="empty">{crate::tr!(persons.no_requests_yet)}</p> }.into_any()
        } else {
            view! {
                <div tabindex="0" class="table-wrap">
                    <table class="person-requests">
                        <thead>
                            <tr>
                                <th scope="col">{crate::tr!(persons.request)}</th>
                                <th scope="col">{crate::tr!(persons.role)}</th>
                                <th scope="col">{crate::tr!(persons.direction)}</th>
                                <th scope="col">{crate::tr!(persons.country)}</th>
                                <th scope="col">{crate::tr!(persons.kind)}</th>
                                <th scope="col">{crate::tr!(persons.status)}</th>
                                <th scope="col">{crate::tr!(persons.case)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {requests.into_iter().map(|r| view! {
                                <tr data-request=r.reference.clone()>
                                    <td><a href=format!("/requests/{}", r.request_id)>{r.reference.clone()}</a></td>
                                    <td data-col="role">{r.role.text()}</td>
                                    <td>{r.direction.text()}</td>
                                    <td>{crate::lang::country(&r.country)}</td>
                                    <td>{r.kind.text()}</td>
                                    <td><StatusBadge status=r.status/></td>
                                    <td>{r.case_number.clone().unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>{crate::tr!(persons.timeline)}</h2>
        <PersonTimeline events=timeline/>
    }
}

/// The events of a person's requests, newest first, each naming its request.
#[component]
fn PersonTimeline(events: Vec<crate::domain::person::PersonEvent>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="empty">{crate::tr!(persons.no_events_yet)}</p> }.into_any();
    }
    view! {
        <ol class="timeline person-timeline">
            {events.into_iter().map(|e| {
                let when = e.event.on_date.map(|d| crate::lang::date(crate::lang::current(), d));
                view! {
                    <li class=format!("event event-{}", e.event.kind.code())>
                        <div class="event-what">
                            <a href=format!("/requests/{}", e.request_id)>{e.reference.clone()}</a>
                            ": " {crate::pages::request::describe(&e.event)}
                        </div>
                        <div class="event-meta">{when.map(|d| view! { <span class="event-date">{d}</span> })}</div>
                        {e.event.note.clone().map(|n| view! { <div class="event-note">{n}</div> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The persons whose name answers a registry search, as links above its list.
#[component]
pub fn PersonsMatching(q: Signal<String>) -> impl IntoView {
    let found = Resource::new(move || q.get(), find);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                found.await.ok().filter(|l| !l.is_empty()).map(|list| view! {
                    <p class="persons-matching" id="persons-matching">
                        {crate::tr!(persons.persons_named_so)} " "
                        {list.into_iter().enumerate().map(|(i, p)| view! {
                            {(i > 0).then_some(", ")}
                            <a href=format!("/persons/{}", p.id)>{p.name.clone()}</a>
                        }).collect_view()}
                    </p>
                })
            })}
        </Transition>
    }
}

/// A request's persons with their roles; a clerk takes them off and links more, found
/// by any spelling of their name.
#[component]
pub fn RequestPersons(request_id: i64) -> impl IntoView {
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let changed = RwSignal::new(0u32);
    let linked = Resource::new(move || changed.get(), move |_| request_persons(request_id));
    let custody = Resource::new(move || changed.get(), move |_| request_custody(request_id));
    let unlink = Action::new(move |person_id: &i64| {
        let person_id = *person_id;
        async move { unlink_person(request_id, person_id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = unlink.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <section class="request-persons" aria-labelledby="persons-heading">
            <h2 id="persons-heading">{crate::tr!(persons.persons)}</h2>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(persons.loading)}</p> }>
                {move || Suspend::new(async move {
                    match (linked.await, custody.await) {
                        (Ok(list), _) if list.is_empty() => view! { <p class="empty">{crate::tr!(persons.nobody_linked)}</p> }.into_any(),
                        (Ok(list), Ok(custody)) => view! {
                            <ul class="linked-persons">
                                {list.into_iter().map(|p| {
                                    let id = p.id;
                                    let record = custody.records.iter().find(|r| r.person_id == id).cloned();
                                    let today = custody.today;
                                    view! {
                                        <li data-person=p.id>
                                            <a href=format!("/persons/{}", p.id)>{p.name.clone()}</a>
                                            " — " <span data-col="role">{p.role.map(|r| r.text()).unwrap_or_default()}</span>
                                            {clerk.then(|| view! {
                                                <button type="button" class="link-button" on:click=move |_| { unlink.dispatch(id); }>
                                                    {crate::tr!(persons.remove)}
                                                </button>
                                            })}
                                            <CustodyLine request_id person_id=id record today changed/>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {clerk.then(|| view! { <LinkPerson request_id changed/> })}
        </section>
    }
}

#[component]
fn LinkPerson(request_id: i64, changed: RwSignal<u32>) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let role = RwSignal::new(PersonRole::Accused);
    let search = Action::new(move |q: &String| search_persons(q.clone()));
    let link = Action::new(move |person_id: &i64| {
        let (person_id, role) = (*person_id, role.get_untracked());
        async move { link_person(request_id, person_id, role).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = link.value().get() {
            changed.update(|n| *n += 1);
            // done: the search's results go, ready for the next person
            q.set(String::new());
            search.value().set(None);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !q.get().trim().is_empty() {
            search.dispatch(q.get());
        }
    };
    view! {
        <form class="link-person" novalidate on:submit=on_submit>
            <div class="field">
                <label for="link-person-q">{crate::tr!(persons.find_a_person_to_add)}</label>
                <input id="link-person-q" type="search" prop:value=move || q.get()
                    on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="link-person-role">{crate::tr!(persons.role)}</label>
                <select id="link-person-role" on:change=move |ev| {
                    if let Some(r) = PersonRole::from_code(&event_target_value(&ev)) { role.set(r) }
                }>
                    {PersonRole::ALL.iter().map(|r| view! {
                        <option value=r.code() selected=move || role.get() == *r>{r.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="actions"><button type="submit">{crate::tr!(persons.find)}</button></div>
            {move || link.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e/> })}
            {move || search.value().get().map(|found| match found {
                Ok(list) if list.is_empty() => view! {
                    <p class="empty">{crate::tr!(persons.nobody_found)} " " <a href="/persons">{crate::tr!(persons.add_a_person)}</a></p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="found-persons">
                        {list.into_iter().map(|p| {
                            let id = p.id;
                            let label = format!("{} ({})", p.name, born(&p));
                            view! {
                                <li data-person=p.id>
                                    {label}
                                    <button type="button" on:click=move |_| { link.dispatch(id); }>{crate::tr!(persons.add_to_request)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </form>
    }
}
