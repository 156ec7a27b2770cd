//! The request form, for a new request and for an edit: every field of the domain
//! reference, checked in the browser as the clerk types (the same rules the server
//! applies again), with each message next to its field.

use crate::api::requests::{create_request, update_request};
use crate::domain::codes::legal_basis_needs_note;
use crate::domain::validation::message_for;
use crate::domain::{country, Direction, FieldError, FormOptions, Kind, Offence, RefusalGround, RequestInput, Status};
use crate::error::AppError;
use crate::labels::Label;
use chrono::Days;
use leptos::prelude::*;

/// What the form saves into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormMode {
    New,
    Edit { id: i64, version: i64 },
}

/// The state of the form shared by its fields.
#[derive(Clone, Copy)]
struct FormState {
    input: RwSignal<RequestInput>,
    client_errors: Memo<Vec<FieldError>>,
    server_errors: RwSignal<Vec<FieldError>>,
    touched: RwSignal<Vec<&'static str>>,
    submitted: RwSignal<bool>,
}

impl FormState {
    fn error(&self, field: &'static str) -> Option<String> {
        if let Some(m) = self.server_errors.with(|s| message_for(s, field).map(str::to_string)) {
            return Some(m);
        }
        if self.submitted.get() || self.touched.with(|t| t.contains(&field)) {
            self.client_errors.with(|c| message_for(c, field).map(str::to_string))
        } else {
            None
        }
    }

    fn set(&self, field: &'static str, f: impl FnOnce(&mut RequestInput)) {
        self.input.update(f);
        self.server_errors.update(|s| s.retain(|e| e.field != field));
    }

    fn touch(&self, field: &'static str) {
        if !self.touched.with(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }
}

type Getter = fn(&RequestInput) -> String;
type Setter = fn(&mut RequestInput, String);

/// The error line under a field; always present so screen readers hear changes.
fn error_line(form: FormState, name: &'static str) -> impl IntoView {
    view! {
        <p class="field-error" id=format!("{name}-error") aria-live="polite">
            {move || form.error(name)}
        </p>
    }
}

#[component]
fn TextField(
    form: FormState,
    name: &'static str,
    label: &'static str,
    get: Getter,
    set: Setter,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || form.error(name).is_some()>
            <label for=name>{label}{required.then_some(" *")}</label>
            <input
                id=name
                name=name
                type=input_type.unwrap_or("text")
                list=list
                maxlength=maxlength
                autocomplete="off"
                aria-invalid=move || form.error(name).is_some().to_string()
                aria-describedby=if hint.is_some() { format!("{name}-error {name}-hint") } else { format!("{name}-error") }
                prop:value=move || form.input.with(get)
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.set(name, |i| set(i, v));
                }
                on:blur=move |_| form.touch(name)
            />
            {hint.map(|h| view! { <p class="hint" id=format!("{name}-hint")>{h}</p> })}
            {error_line(form, name)}
        </div>
    }
}

#[component]
fn SelectField(
    form: FormState,
    name: &'static str,
    label: &'static str,
    get: Getter,
    set: Setter,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || form.error(name).is_some()>
            <label for=name>{label}{required.then_some(" *")}</label>
            <select
                id=name
                name=name
                aria-invalid=move || form.error(name).is_some().to_string()
                aria-describedby=format!("{name}-error")
                prop:value=move || form.input.with(get)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.set(name, |i| set(i, v.clone()));
                    form.touch(name);
                    if let Some(cb) = on_change {
                        cb.run(v);
                    }
                }
            >
                {placeholder.map(|p| view! { <option value="">{p}</option> })}
                {move || {
                    let current = form.input.with(get);
                    options
                        .get()
                        .into_iter()
                        .map(|(code, text)| {
                            let selected = code == current;
                            view! { <option value=code selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {error_line(form, name)}
        </div>
    }
}

fn pairs<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|x| (code(*x).to_string(), label(*x).to_string())).collect()
}

/// The request form. On success of a new request it opens the request's page; on
/// success of an edit it calls `on_saved` with the new version.
#[component]
pub fn RequestForm(
    initial: RequestInput,
    options: FormOptions,
    mode: FormMode,
    #[prop(optional, into)] on_saved: Option<Callback<i64>>,
    #[prop(optional, into)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let period = options.answer_period_days;
    let input = RwSignal::new(initial);
    let client_errors = Memo::new(move |_| input.with(|i| i.validate(today, period).err().unwrap_or_default()));
    let form = FormState {
        input,
        client_errors,
        server_errors: RwSignal::new(Vec::new()),
        touched: RwSignal::new(Vec::new()),
        submitted: RwSignal::new(false),
    };
    // Whether the clerk typed a due date of their own; if not, it follows the start date.
    let due_typed = RwSignal::new(mode != FormMode::New);
    let notice = RwSignal::new(None::<AppError>);
    let navigate = leptos_router::hooks::use_navigate();

    let save = Action::new(move |payload: &RequestInput| {
        let payload = payload.clone();
        async move {
            match mode {
                FormMode::New => create_request(payload).await,
                FormMode::Edit { id, version } => update_request(id, version, payload).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(value) => {
                    notice.set(None);
                    match mode {
                        FormMode::New => navigate(&format!("/requests/{value}?created=1"), Default::default()),
                        FormMode::Edit { .. } => {
                            if let Some(cb) = on_saved {
                                cb.run(value)
                            }
                        }
                    }
                }
                Err(e) => {
                    form.server_errors.set(e.field_errors().to_vec());
                    notice.set(Some(e));
                }
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submitted.set(true);
        form.server_errors.set(Vec::new());
        let errors = form.client_errors.get();
        if let Some(first) = errors.first() {
            notice.set(Some(AppError::Validation(errors.clone())));
            focus(&first.field);
            return;
        }
        notice.set(None);
        save.dispatch(form.input.get());
    };

    // Changing the direction moves "sent" to "received" and back.
    let on_direction = Callback::new(move |v: String| {
        if let Some(d) = Direction::from_code(&v) {
            form.input.update(|i| {
                if Status::from_code(&i.status).is_some_and(|s| !s.fits(d)) {
                    i.status = Status::registered(d).code().to_string();
                }
            });
        }
    });
    // Fields that do not apply to the chosen status are cleared, so nothing hidden is saved.
    let on_status = Callback::new(move |v: String| {
        let s = Status::from_code(&v);
        form.input.update(|i| {
            if !s.is_some_and(Status::is_answered) {
                i.answered_on.clear();
            }
            if s != Some(Status::Refused) {
                i.refusal_ground.clear();
                i.refusal_note.clear();
            }
        });
    });

    let direction = move || Direction::from_code(&form.input.with(|i| i.direction.clone()));
    let status = move || Status::from_code(&form.input.with(|i| i.status.clone()));
    let status_options = Signal::derive(move || {
        let list = match direction() {
            Some(d) => Status::for_direction(d),
            None => Status::ALL.to_vec(),
        };
        list.into_iter().map(|s| (s.code().to_string(), s.text().to_string())).collect::<Vec<_>>()
    });
    let start_label = move || match direction() {
        Some(Direction::Incoming) => crate::tr!(form.received_on),
        _ => crate::tr!(form.sent_on),
    };
    let legal_options: Vec<(String, String)> =
        options.legal_bases.iter().map(|b| (b.code.clone(), crate::labels::legal_basis(&b.code, &b.label))).collect();
    let case_numbers: Vec<String> = options.cases.iter().map(|c| c.number.clone()).collect();
    let case_is_new = move || {
        let n = form.input.with(|i| i.case_number.trim().to_string());
        !n.is_empty() && !case_numbers.contains(&n)
    };
    let country_resolved = move || {
        let typed = form.input.with(|i| i.country.clone());
        country::parse(&typed).map(|code| format!("✓ {}", crate::lang::country_option(code)))
    };
    let countries = crate::lang::countries();
    let cases = options.cases.clone();
    let submit_label = match mode {
        FormMode::New => crate::tr!(form.save_request),
        FormMode::Edit { .. } => crate::tr!(form.save_changes),
    };

    view! {
        <form class="request-form" novalidate on:submit=on_submit>
            {move || notice.get().map(|e| view! { <crate::components::ErrorNotice error=e/> })}
            <fieldset>
                <legend>{crate::tr!(form.request)}</legend>
                <div class="row">
                    <TextField form name="reference" label={crate::tr!(form.our_reference)} required=true maxlength=64
                        get=|i| i.reference.clone() set=|i, v| i.reference = v
                        hint={crate::tr!(form.registry_number_e_g_2_16)}/>
                    <TextField form name="their_reference" label={crate::tr!(form.their_reference)} maxlength=64
                        get=|i| i.their_reference.clone() set=|i, v| i.their_reference = v/>
                </div>
                <div class="row">
                    <SelectField form name="direction" label={crate::tr!(form.direction)} required=true
                        get=|i| i.direction.clone() set=|i, v| i.direction = v
                        options=pairs(Direction::ALL, Direction::code, Direction::text)
                        on_change=on_direction/>
                    <div class="field" class:invalid=move || form.error("country").is_some()>
                        <label for="country">{crate::tr!(form.country)}</label>
                        <input id="country" name="country" list="country-list" autocomplete="off"
                            placeholder={crate::tr!(form.type_a_name_or_code)}
                            aria-invalid=move || form.error("country").is_some().to_string()
                            aria-describedby="country-error country-hint"
                            prop:value=move || form.input.with(|i| i.country.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                form.set("country", |i| i.country = v);
                            }
                            on:blur=move |_| form.touch("country")/>
                        <datalist id="country-list">
                            {countries.iter().map(|(code, _)| view! {
                                // the label holds the names in the other languages, so typing either finds the country
                                <option value=crate::lang::country_option(code) label=crate::lang::country_other_names(code)></option>
                            }).collect_view()}
                        </datalist>
                        <p class="hint" id="country-hint">{country_resolved}</p>
                        {error_line(form, "country")}
                    </div>
                </div>
                <TextField form name="counterpart_authority" label={crate::tr!(form.counterpart_authority)} maxlength=200
                    get=|i| i.counterpart_authority.clone() set=|i, v| i.counterpart_authority = v
                    hint={crate::tr!(form.e_g_federal_office_of_justice)}/>
                <div class="row">
                    <SelectField form name="kind" label={crate::tr!(form.kind_of_assistance)} required=true placeholder={crate::tr!(form.choose)}
                        get=|i| i.kind.clone() set=|i, v| i.kind = v
                        options=pairs(Kind::ALL, Kind::code, Kind::text)/>
                    <SelectField form name="offence" label={crate::tr!(form.offence)} required=true placeholder={crate::tr!(form.choose)}
                        get=|i| i.offence.clone() set=|i, v| i.offence = v
                        options=pairs(Offence::ALL, Offence::code, Offence::text)/>
                </div>
                <div class="row">
                    <SelectField form name="legal_basis" label={crate::tr!(form.legal_basis)} required=true placeholder={crate::tr!(form.choose)}
                        get=|i| i.legal_basis.clone() set=|i, v| i.legal_basis = v
                        options=legal_options/>
                    <Show when=move || legal_basis_needs_note(&form.input.with(|i| i.legal_basis.clone()))>
                        <TextField form name="legal_basis_note" required=true maxlength=500
                            label={crate::tr!(form.treaty_or_basis)}
                            get=|i| i.legal_basis_note.clone() set=|i, v| i.legal_basis_note = v/>
                    </Show>
                </div>
                <div class="row">
                    <TextField form name="case_number" label={crate::tr!(form.case_number)} list="case-list" maxlength=64
                        get=|i| i.case_number.clone() set=|i, v| i.case_number = v
                        hint={crate::tr!(form.pick_an_existing_case_or_type)}/>
                    <datalist id="case-list">
                        {cases.iter().map(|c| view! { <option value=c.number.clone()>{c.title.clone()}</option> }).collect_view()}
                    </datalist>
                    <Show when=case_is_new>
                        <TextField form name="case_title" label={crate::tr!(form.title_of_the_new_case)} maxlength=300
                            get=|i| i.case_title.clone() set=|i, v| i.case_title = v/>
                    </Show>
                </div>
                <div class="field" class:invalid=move || form.error("summary").is_some()>
                    <label for="summary">{crate::tr!(form.summary)}</label>
                    <textarea id="summary" name="summary" rows="3" maxlength="2000"
                        aria-describedby="summary-error"
                        prop:value=move || form.input.with(|i| i.summary.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.set("summary", |i| i.summary = v);
                        }
                        on:blur=move |_| form.touch("summary")></textarea>
                    <p class="hint">{move || format!("{} / 2000", form.input.with(|i| i.summary.chars().count()))}</p>
                    {error_line(form, "summary")}
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="urgent" name="urgent"
                        prop:checked=move || form.input.with(|i| i.urgent)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            form.set("urgent", |i| i.urgent = checked);
                        }/>
                    <label for="urgent">{crate::tr!(form.urgent_detained_person_or_time_limited)}</label>
                </div>
            </fieldset>
            <fieldset>
                <legend>{crate::tr!(form.dates_and_status)}</legend>
                <div class="row">
                    <SelectField form name="status" label={crate::tr!(form.status)} required=true
                        get=|i| i.status.clone() set=|i, v| i.status = v
                        options=status_options on_change=on_status/>
                    <div class="field" class:invalid=move || form.error("start_date").is_some()>
                        <label for="start_date">{start_label}</label>
                        <input type="date" id="start_date" name="start_date"
                            max=today.to_string()
                            aria-invalid=move || form.error("start_date").is_some().to_string()
                            aria-describedby="start_date-error"
                            prop:value=move || form.input.with(|i| i.start_date.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                form.set("start_date", |i| {
                                    if !due_typed.get_untracked() {
                                        i.due_on = v.parse::<chrono::NaiveDate>().ok()
                                            .and_then(|d| d.checked_add_days(Days::new(period as u64)))
                                            .map(|d| d.to_string())
                                            .unwrap_or_default();
                                    }
                                    i.start_date = v;
                                });
                            }
                            on:blur=move |_| form.touch("start_date")/>
                        {error_line(form, "start_date")}
                    </div>
                    <div class="field" class:invalid=move || form.error("due_on").is_some()>
                        <label for="due_on">{crate::tr!(form.answer_due)}</label>
                        <input type="date" id="due_on" name="due_on"
                            aria-describedby="due_on-error due_on-hint"
                            prop:value=move || form.input.with(|i| i.due_on.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                due_typed.set(!v.is_empty());
                                form.set("due_on", |i| i.due_on = v);
                            }
                            on:blur=move |_| form.touch("due_on")/>
                        <p class="hint" id="due_on-hint">{crate::tr!(form.default_due, period = period).to_string()}</p>
                        {error_line(form, "due_on")}
                    </div>
                </div>
                <Show when=move || status().is_some_and(Status::is_answered)>
                    <div class="row">
                        <TextField form name="answered_on" label={crate::tr!(form.answered_on)} required=true input_type="date"
                            get=|i| i.answered_on.clone() set=|i, v| i.answered_on = v/>
                    </div>
                </Show>
                <Show when=move || status() == Some(Status::Refused)>
                    <div class="row">
                        <SelectField form name="refusal_ground" label={crate::tr!(form.ground_of_refusal)} required=true placeholder={crate::tr!(form.choose)}
                            get=|i| i.refusal_ground.clone() set=|i, v| i.refusal_ground = v
                            options=pairs(RefusalGround::ALL, RefusalGround::code, RefusalGround::text)/>
                        <TextField form name="refusal_note" label={crate::tr!(form.refusal_details)} maxlength=500
                            get=|i| i.refusal_note.clone() set=|i, v| i.refusal_note = v/>
                    </div>
                </Show>
            </fieldset>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { crate::tr!(form.saving) } else { submit_label }}
                </button>
                {on_cancel.map(|cb| view! { <button type="button" on:click=move |_| cb.run(())>{crate::tr!(form.cancel)}</button> })}
            </div>
        </form>
    }
}

/// Moves the keyboard focus to a field (after a failed submit).
fn focus(_field: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(_field))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}
