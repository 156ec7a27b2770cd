//! `/admin/events`: the events marked on the dashboard's time charts ("sanctions
//! imposed", with a day and the countries it concerns), kept by administrators.

use crate::api::chart_events::{add_chart_event, list_chart_events, remove_chart_event};
use crate::components::{ErrorNotice, Field};
use crate::domain::chart_event::ChartEventInput;
use crate::domain::FieldError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ChartEventsPage() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let events = Resource::new(move || changed.get(), |_| list_chart_events());
    let remove = Action::new(move |id: &i64| remove_chart_event(*id));
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    let locale = crate::lang::current();
    view! {
        <Title text={crate::tr!(events.page_title)}/>
        <section class="page">
            <div class="page-head"><h1>{crate::tr!(events.events_on_the_charts)}</h1></div>
            <p class="lead">{crate::tr!(events.lead)}</p>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(dashboard.loading)}</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{crate::tr!(events.none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <div tabindex="0" class="table-wrap">
                                <table class="chart-event-list">
                                    <thead><tr>
                                        <th scope="col">{crate::tr!(events.date)}</th>
                                        <th scope="col">{crate::tr!(events.title)}</th>
                                        <th scope="col">{crate::tr!(events.countries)}</th>
                                        <th scope="col"><span class="visually-hidden">{crate::tr!(events.remove)}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|k| {
                                            let e = k.event;
                                            let countries = if e.countries.is_empty() {
                                                crate::tr!(events.every_country).to_string()
                                            } else {
                                                e.countries.iter().map(|c| crate::lang::country(c)).collect::<Vec<_>>().join(", ")
                                            };
                                            let label = crate::tr!(events.remove_label, title = e.title.clone());
                                            view! {
                                                <tr data-event=k.id>
                                                    <td>{crate::lang::date(locale, e.on_date)}</td>
                                                    <td data-col="title">{e.title.clone()}</td>
                                                    <td data-col="countries">{countries}</td>
                                                    <td><button type="button" class="link-button" aria-label=label
                                                        on:click=move |_| { remove.dispatch(k.id); }>{crate::tr!(events.remove)}</button></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <EventForm changed/>
        </section>
    }
}

#[component]
fn EventForm(changed: RwSignal<u32>) -> impl IntoView {
    let input = RwSignal::new(ChartEventInput::default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |i: &ChartEventInput| add_chart_event(i.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            input.set(ChartEventInput::default());
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate() {
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
        <form class="card event-form" novalidate on:submit=on_submit aria-labelledby="event-form-heading">
            <h2 id="event-form-heading">{crate::tr!(events.mark_an_event)}</h2>
            <div class="asset-fields">
                <Field id="event-date" label=crate::tr!(events.date) input errors field="on_date" input_type="date"
                    get=|i| i.on_date.clone() set=|i, v| i.on_date = v/>
                <Field id="event-title" label=crate::tr!(events.title) input errors field="title"
                    get=|i| i.title.clone() set=|i, v| i.title = v/>
            </div>
            <Field id="event-countries" label=crate::tr!(events.countries) input errors field="countries" hint=crate::tr!(events.countries_hint)
                get=|i| i.countries.clone() set=|i, v| i.countries = v/>
            {failure}
            <div class="actions"><button type="submit" class="primary">{crate::tr!(events.add)}</button></div>
        </form>
    }
}
