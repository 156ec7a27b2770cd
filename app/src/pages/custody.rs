//! Custody: `/custody` lists everyone held pending extradition, in both directions, by
//! days left to their deadline (urgent at `URGENT_DAYS` or fewer); the dashboard's tile
//! sums it up; a request page shows each person's custody and lets a clerk record it.

use crate::api::custody::{list_custody, remove_custody, save_custody};
use crate::components::{ErrorNotice, Field};
use crate::domain::custody::{days_left_text, CustodyInput, CustodyList, CustodyRecord, Deadline, DetentionKind, HeldPerson};
use crate::domain::validation::message_for;
use crate::domain::FieldError;
use crate::labels::Label;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

/// The deadline's line: what, by when, and how many days are left, marked urgent.
#[component]
pub fn DeadlineText(deadline: Deadline, today: NaiveDate) -> impl IntoView {
    let days = deadline.days_left(today);
    view! {
        <span class="deadline" class:urgent=deadline.is_urgent(today) data-days-left=days>
            {format!("{} {}", deadline.what.text(), deadline.on)} " — " <strong>{days_left_text(days)}</strong>
        </span>
    }
}

/// What a person's custody on a request is, in one line.
#[component]
pub fn CustodySummary(record: CustodyRecord, today: NaiveDate) -> impl IntoView {
    let c = &record.custody;
    let since = crate::tr!(custody.since_date, kind = c.kind.text(), date = c.arrested_on);
    let ended = match (c.released_on, c.surrendered_on) {
        (Some(d), _) => Some(crate::tr!(custody.released_on_date, date = d)),
        (_, Some(d)) => Some(crate::tr!(custody.surrendered_on_date, date = d)),
        _ => None,
    };
    let running = record.deadline;
    let no_limit = ended.is_none() && running.is_none();
    view! {
        <span class="custody-summary">
            {since}
            {ended.map(|e| view! { " · " {e} })}
            {running.map(|d| view! { " · " <DeadlineText deadline=d today/> })}
            {no_limit.then(|| view! { " · " {crate::tr!(custody.no_time_limit)} })}
        </span>
    }
}

/// A person's custody on a request with, for a clerk, the form that records or changes it.
#[component]
pub fn CustodyLine(
    request_id: i64,
    person_id: i64,
    record: Option<CustodyRecord>,
    today: NaiveDate,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let editing = RwSignal::new(false);
    let version = record.as_ref().map(|r| r.version);
    let start = record
        .as_ref()
        .map(|r| r.custody.input())
        .unwrap_or_else(|| CustodyInput { kind: DetentionKind::ProvisionalArrest.code().to_string(), ..Default::default() });
    let has_record = record.is_some();
    view! {
        <div class="custody-line">
            {record.map(|r| view! { <CustodySummary record=r today/> })}
            {clerk.then(|| view! {
                <button type="button" class="link-button" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>
                    {if has_record { crate::tr!(custody.change_custody) } else { crate::tr!(custody.record_custody) }}
                </button>
            })}
            {move || editing.get().then(|| {
                let start = start.clone();
                view! { <CustodyForm request_id person_id version start today changed editing/> }
            })}
        </div>
    }
}

#[component]
fn CustodyForm(
    request_id: i64,
    person_id: i64,
    version: Option<i64>,
    start: CustodyInput,
    today: NaiveDate,
    changed: RwSignal<u32>,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let input = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |i: &CustodyInput| save_custody(request_id, person_id, version, i.clone()));
    let remove = Action::new(move |_: &()| remove_custody(request_id, person_id));
    let done = move || {
        editing.set(false);
        changed.update(|n| *n += 1);
    };
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => done(),
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            done()
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate(today) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(input.get());
            }
        }
    };
    let id = |name: &str| format!("custody-{person_id}-{name}");
    let kind_id = id("kind");
    let failure = move || {
        let save_error = save.value().get().and_then(Result::err).filter(|e| e.field_errors().is_empty());
        save_error.or_else(|| remove.value().get().and_then(Result::err)).map(|e| view! { <ErrorNotice error=e/> })
    };
    view! {
        <form class="card custody-form" novalidate on:submit=on_submit aria-label=crate::tr!(custody.custody)>
            <div class="field" class:invalid=move || errors.with(|e| message_for(e, "kind").is_some())>
                <label for=kind_id.clone()>{crate::tr!(custody.kind_of_detention)}</label>
                <select id=kind_id on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.kind = v) }>
                    {DetentionKind::ALL.iter().map(|k| view! {
                        <option value=k.code() selected=move || input.with(|i| i.kind == k.code())>{k.text()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" aria-live="polite">{move || errors.with(|e| message_for(e, "kind").map(str::to_string))}</p>
            </div>
            <div class="custody-dates">
                <Field id=id("arrested-on") label=crate::tr!(custody.arrested_on) input errors field="arrested_on"
                    input_type="date" get=|i| i.arrested_on.clone() set=|i, v| i.arrested_on = v/>
                <Field id=id("decided-on") label=crate::tr!(custody.surrender_decided_on) input errors field="decided_on"
                    input_type="date" get=|i| i.decided_on.clone() set=|i, v| i.decided_on = v/>
                <Field id=id("released-on") label=crate::tr!(custody.released_on) input errors field="released_on"
                    input_type="date" get=|i| i.released_on.clone() set=|i, v| i.released_on = v/>
                <Field id=id("surrendered-on") label=crate::tr!(custody.surrendered_on) input errors field="surrendered_on"
                    input_type="date" get=|i| i.surrendered_on.clone() set=|i, v| i.surrendered_on = v/>
            </div>
            <Field id=id("notes") label=crate::tr!(custody.notes) input errors field="notes" multi_line=true
                get=|i| i.notes.clone() set=|i, v| i.notes = v/>
            {failure}
            <div class="actions">
                <button type="submit" class="primary">{crate::tr!(custody.save_custody)}</button>
                <button type="button" on:click=move |_| editing.set(false)>{crate::tr!(custody.cancel)}</button>
                {version.is_some().then(|| view! {
                    <button type="button" class="danger" on:click=move |_| { remove.dispatch(()); }>
                        {crate::tr!(custody.delete_record)}
                    </button>
                })}
            </div>
        </form>
    }
}

#[component]
pub fn CustodyPage() -> impl IntoView {
    let held = Resource::new_blocking(|| (), |_| list_custody());
    view! {
        <Title text={crate::tr!(custody.custody_rogatory)}/>
        <section class="page">
            <div class="page-head"><h1>{crate::tr!(custody.persons_in_custody)}</h1></div>
            <p class="lead">{crate::tr!(custody.lead, urgent = crate::domain::custody::URGENT_DAYS)}</p>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(custody.loading)}</p> }>
                {move || Suspend::new(async move {
                    match held.await {
                        Ok(list) if list.held.is_empty() => view! {
                            <p class="empty">{crate::tr!(custody.nobody_held)}</p>
                        }.into_any(),
                        Ok(list) => view! { <HeldTable list/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HeldTable(list: CustodyList) -> impl IntoView {
    let today = list.today;
    view! {
        <p class="counted-from">{crate::tr!(custody.counted_from, date = today)}</p>
        <div tabindex="0" class="table-wrap">
            <table class="custody">
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(custody.days_left_heading)}</th>
                        <th scope="col">{crate::tr!(custody.person)}</th>
                        <th scope="col">{crate::tr!(custody.request)}</th>
                        <th scope="col">{crate::tr!(custody.direction)}</th>
                        <th scope="col">{crate::tr!(custody.country)}</th>
                        <th scope="col">{crate::tr!(custody.kind_of_detention)}</th>
                        <th scope="col">{crate::tr!(custody.arrested_on)}</th>
                        <th scope="col">{crate::tr!(custody.deadline)}</th>
                    </tr>
                </thead>
                <tbody>{list.held.into_iter().map(|h| view! { <HeldRow h today/> }).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn HeldRow(h: HeldPerson, today: NaiveDate) -> impl IntoView {
    let urgent = h.record.deadline.is_some_and(|d| d.is_urgent(today));
    let days = h.days_left.map(days_left_text).unwrap_or_else(|| crate::tr!(custody.no_time_limit).to_string());
    view! {
        <tr class:urgent=urgent data-request=h.reference.clone() data-days-left=h.days_left>
            <td class="days"><strong>{days}</strong></td>
            <td><a href=format!("/persons/{}", h.record.person_id)>{h.person_name.clone()}</a></td>
            <td><a href=format!("/requests/{}", h.record.request_id)>{h.reference.clone()}</a>
                <span class="sub">{h.kind.text()}</span></td>
            <td>{h.direction.text()}</td>
            <td><a href=format!("/countries/{}", h.country)>{crate::lang::country(&h.country)}</a></td>
            <td>{h.record.custody.kind.text()}</td>
            <td>{h.record.custody.arrested_on.to_string()}</td>
            <td>{h.record.deadline.map(|d| format!("{} {}", d.what.text(), d.on)).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

/// The dashboard's tile: how many are held and the nearest deadline, linking to `/custody`.
#[component]
pub fn CustodyTile() -> impl IntoView {
    let held = Resource::new(|| (), |_| list_custody());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                held.await.ok().map(|list| {
                    let n = list.held.len();
                    let next = list.next_deadline_days();
                    let urgent = next.is_some_and(|d| d <= crate::domain::custody::URGENT_DAYS);
                    let held_text = crate::tr!(custody.tile_held, n = n);
                    let next_text = match next {
                        Some(0) => crate::tr!(custody.tile_next_today).to_string(),
                        Some(1) => crate::tr!(custody.tile_next_tomorrow).to_string(),
                        Some(d) if d < 0 => crate::tr!(custody.tile_next_passed, n = -d),
                        Some(d) => crate::tr!(custody.tile_next_in, n = d),
                        None => crate::tr!(custody.tile_no_deadline).to_string(),
                    };
                    view! {
                        <a class="custody-tile" class:urgent=urgent href="/custody" id="custody-tile">
                            <strong>{held_text}</strong> " " <span>{next_text}</span>
                        </a>
                    }
                })
            })}
        </Transition>
    }
}
