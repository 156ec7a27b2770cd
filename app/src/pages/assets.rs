//! The assets card of a request page: the measures taken on the assets the request
//! concerns (frozen, seized, confiscated, repatriated, shared), and for clerks a form
//! to record one and a button to remove one recorded by mistake.

use crate::api::assets::{add_asset_measure, remove_asset_measure, request_assets};
use crate::components::{ErrorNotice, Field};
use crate::domain::assets::{AssetMeasureInput, AssetStage, KeptMeasure};
use crate::domain::validation::message_for;
use crate::domain::FieldError;
use crate::labels::Label;
use chrono::NaiveDate;
use leptos::prelude::*;

#[component]
pub fn RequestAssets(request_id: i64, start: Option<NaiveDate>) -> impl IntoView {
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let changed = RwSignal::new(0u32);
    let measures = Resource::new(move || changed.get(), move |_| request_assets(request_id));
    let remove = Action::new(move |id: &i64| remove_asset_measure(request_id, *id));
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            changed.update(|n| *n += 1);
        }
    });
    view! {
        <section class="request-assets" aria-labelledby="assets-heading">
            <h2 id="assets-heading">{crate::tr!(assets.assets)}</h2>
            <p class="hint">{crate::tr!(assets.hint)}</p>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(persons.loading)}</p> }>
                {move || Suspend::new(async move {
                    match measures.await {
                        Ok(a) if a.measures.is_empty() => view! {
                            <p class="empty">{crate::tr!(assets.none)}</p>
                            {clerk.then(|| view! { <MeasureForm request_id start today=a.today changed/> })}
                        }.into_any(),
                        Ok(a) => view! {
                            <MeasureTable measures=a.measures clerk remove/>
                            {clerk.then(|| view! { <MeasureForm request_id start today=a.today changed/> })}
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            {move || remove.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
}

#[component]
fn MeasureTable(
    measures: Vec<KeptMeasure>,
    clerk: bool,
    remove: Action<i64, Result<(), crate::error::AppError>>,
) -> impl IntoView {
    let locale = crate::lang::current();
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="asset-measures">
                <thead><tr>
                    <th scope="col">{crate::tr!(assets.taken_on)}</th>
                    <th scope="col">{crate::tr!(assets.stage)}</th>
                    <th scope="col" class="num">{crate::tr!(assets.amount)}</th>
                    <th scope="col">{crate::tr!(assets.note)}</th>
                    {clerk.then(|| view! { <th scope="col"><span class="visually-hidden">{crate::tr!(assets.remove)}</span></th> })}
                </tr></thead>
                <tbody>
                    {measures.into_iter().map(|k| {
                        let m = k.measure;
                        let day = crate::lang::date(locale, m.taken_on);
                        let label = crate::tr!(assets.remove_label, date = day.clone());
                        view! {
                            <tr data-measure=k.id>
                                <td>{day}</td>
                                <td data-col="stage">{m.stage.text()}</td>
                                <td class="num" data-col="amount">{crate::lang::amount(locale, m.amount_cents, &m.currency)}</td>
                                <td>{m.note.unwrap_or_default()}</td>
                                {clerk.then(|| view! {
                                    <td><button type="button" class="link-button" aria-label=label
                                        on:click=move |_| { remove.dispatch(k.id); }>{crate::tr!(assets.remove)}</button></td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MeasureForm(request_id: i64, start: Option<NaiveDate>, today: NaiveDate, changed: RwSignal<u32>) -> impl IntoView {
    let blank = || AssetMeasureInput { stage: AssetStage::Frozen.code().into(), ..Default::default() };
    let input = RwSignal::new(blank());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save = Action::new(move |i: &AssetMeasureInput| add_asset_measure(request_id, i.clone()));
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            input.set(blank());
            changed.update(|n| *n += 1);
        }
        Some(Err(e)) => errors.set(e.field_errors().to_vec()),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate(today, start) {
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
        <form class="card asset-form" novalidate on:submit=on_submit aria-label=crate::tr!(assets.add)>
            <div class="asset-fields">
                <div class="field" class:invalid=move || errors.with(|e| message_for(e, "stage").is_some())>
                    <label for="asset-stage">{crate::tr!(assets.stage)}</label>
                    <select id="asset-stage" on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.stage = v) }>
                        {AssetStage::ALL.iter().map(|s| view! {
                            <option value=s.code() selected=move || input.with(|i| i.stage == s.code())>{s.text()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" aria-live="polite">{move || errors.with(|e| message_for(e, "stage").map(str::to_string))}</p>
                </div>
                <Field id="asset-amount" label=crate::tr!(assets.amount) input errors field="amount" hint=crate::tr!(assets.amount_hint)
                    get=|i| i.amount.clone() set=|i, v| i.amount = v/>
                <Field id="asset-currency" label=crate::tr!(assets.currency) input errors field="currency" hint=crate::tr!(assets.currency_hint)
                    get=|i| i.currency.clone() set=|i, v| i.currency = v/>
                <Field id="asset-taken-on" label=crate::tr!(assets.taken_on) input errors field="taken_on" input_type="date"
                    get=|i| i.taken_on.clone() set=|i, v| i.taken_on = v/>
            </div>
            <Field id="asset-note" label=crate::tr!(assets.note) input errors field="note"
                get=|i| i.note.clone() set=|i, v| i.note = v/>
            {failure}
            <div class="actions">
                <button type="submit" class="primary">{crate::tr!(assets.add)}</button>
            </div>
        </form>
    }
}
