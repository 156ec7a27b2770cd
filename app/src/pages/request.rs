//! One request: every field, the edit form, the quick status change, "log a reminder",
//! and the timeline.

use crate::api::requests::{change_status, get_form_options, get_request, log_reminder, request_history, RequestDetail};
use crate::components::request_form::FormMode;
use crate::components::{DirectionBadge, ErrorNotice, RequestForm, StatusBadge};
use crate::domain::validation::message_for;
use crate::domain::{country, Event, EventKind, FieldError, RefusalGround, ReminderInput, Request, Status, StatusChangeInput};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

fn text(s: &Option<String>) -> String {
    s.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_request(id).await,
            None => Err(AppError::NotFound("Request not found.".into())),
        }
    });
    let flash = RwSignal::new(query.with_untracked(|q| q.get("created").is_some()).then(|| "Request saved.".to_string()));
    let reload = Callback::new(move |message: String| {
        flash.set(Some(message));
        detail.refetch();
    });
    view! {
        <Title text="Request — Rogatory"/>
        <section class="page">
            {move || flash.get().map(|m| view! { <div class="notice notice-ok" role="status">{m}</div> })}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <RequestView detail=d reload/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RequestView(detail: RequestDetail, reload: Callback<String>) -> impl IntoView {
    let RequestDetail { request, events, overdue } = detail;
    let editing = RwSignal::new(false);
    let r = request.clone();
    let title = format!("{} — Rogatory", r.reference);
    let waiting = r.status.is_open() || r.status == Status::Suspended;
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let id = r.id;
    let for_edit = request.clone();
    let for_status = request.clone();
    let for_reminder = request;
    view! {
        <Title text=title/>
        <div class="page-head">
            <h1>
                <span class="muted">"Request "</span>
                <span id="request-reference">{r.reference.clone()}</span>
            </h1>
            <div class="head-badges">
                <DirectionBadge direction=r.direction/>
                <StatusBadge status=r.status overdue=overdue/>
                {r.urgent.then(|| view! { <span class="badge urgent">"Urgent"</span> })}
            </div>
        </div>
        <div class="request-layout">
            <div class="main-col">
                <Show
                    when=move || editing.get()
                    fallback={
                        let r = r.clone();
                        move || view! {
                            <Fields request=r.clone()/>
                            {clerk.then(|| view! {
                                <div class="actions">
                                    <button type="button" class="button" on:click=move |_| editing.set(true)>"Edit request"</button>
                                </div>
                            })}
                        }
                    }
                >
                    <EditRequest request=for_edit.clone() editing reload/>
                </Show>
                <h2>"Timeline"</h2>
                <Timeline events=events.clone()/>
                <History id/>
            </div>
            <aside class="side-col">
                {clerk.then(|| view! { <StatusChangeForm request=for_status reload/> })}
                {(clerk && waiting).then(|| view! { <ReminderForm request=for_reminder reload/> })}
            </aside>
        </div>
    }
}

#[component]
fn Fields(request: Request) -> impl IntoView {
    let r = request;
    let case = match (r.case_id, r.case_number.clone()) {
        (Some(id), Some(n)) => {
            let label = format!("{n} — {}", r.case_title.clone().unwrap_or_default());
            view! { <a href=format!("/cases/{id}")>{label}</a> }.into_any()
        }
        _ => view! { "—" }.into_any(),
    };
    let basis = match &r.legal_basis_note {
        Some(n) => format!("{} — {n}", r.legal_basis_label),
        None => r.legal_basis_label.clone(),
    };
    let refusal = r.refusal_ground.map(|g: RefusalGround| match &r.refusal_note {
        Some(n) => format!("{} — {n}", g.label()),
        None => g.label().to_string(),
    });
    let start_label = match r.direction {
        crate::domain::Direction::Outgoing => "Sent on",
        crate::domain::Direction::Incoming => "Received on",
    };
    view! {
        <dl class="fields">
            <dt>"Our reference"</dt><dd>{r.reference.clone()}</dd>
            <dt>"Their reference"</dt><dd>{text(&r.their_reference)}</dd>
            <dt>"Country"</dt><dd data-field="country">{country::option_label(&r.country)}</dd>
            <dt>"Counterpart authority"</dt><dd>{text(&r.counterpart_authority)}</dd>
            <dt>"Kind"</dt><dd>{r.kind.label()}</dd>
            <dt>"Legal basis"</dt><dd>{basis}</dd>
            <dt>"Offence"</dt><dd>{r.offence.label()}</dd>
            <dt>"Case"</dt><dd>{case}</dd>
            <dt>"Summary"</dt><dd class="summary">{text(&r.summary)}</dd>
            <dt>{start_label}</dt><dd data-field="start_date">{date(r.start_date)}</dd>
            <dt>"Answer due"</dt><dd data-field="due_on">{date(r.due_on)}</dd>
            <dt>"Status"</dt><dd data-field="status">{r.status.label()}</dd>
            <dt>"Answered on"</dt><dd data-field="answered_on">{date(r.answered_on)}</dd>
            {refusal.map(|t| view! { <dt>"Ground of refusal"</dt><dd data-field="refusal">{t}</dd> })}
            <dt>"Version"</dt><dd class="muted">{format!("{} · last saved {}", r.version, r.updated_at.replace('T', " ").trim_end_matches('Z'))}</dd>
        </dl>
    }
}

#[component]
fn EditRequest(request: Request, editing: RwSignal<bool>, reload: Callback<String>) -> impl IntoView {
    let options = Resource::new(|| (), |_| get_form_options());
    let id = request.id;
    let version = request.version;
    let initial = request.to_input();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {
                let initial = initial.clone();
                move || {
                    let initial = initial.clone();
                    Suspend::new(async move {
                        match options.await {
                            Ok(o) => view! {
                                <RequestForm initial options=o mode=FormMode::Edit { id, version }
                                    on_saved=move |_v: i64| { editing.set(false); reload.run("Changes saved.".into()); }
                                    on_cancel=move |_| editing.set(false)/>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn field_error(errors: RwSignal<Vec<FieldError>>, field: &'static str, id: &'static str) -> impl IntoView {
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || errors.with(|e| message_for(e, field).map(str::to_string))}
        </p>
    }
}

#[component]
fn StatusChangeForm(request: Request, reload: Callback<String>) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let next = request.status.next(request.direction);
    let first = next.first().map(|s| s.code().to_string()).unwrap_or_default();
    let input = RwSignal::new(StatusChangeInput { status: first, date: today.to_string(), ..Default::default() });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<AppError>);
    let (id, version, current, direction, start) =
        (request.id, request.version, request.status, request.direction, request.start_date);
    let action = Action::new(move |i: &StatusChangeInput| {
        let i = i.clone();
        async move { change_status(id, version, i).await }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => reload.run("Status changed.".into()),
        Some(Err(e)) => {
            errors.set(e.field_errors().to_vec());
            notice.set(Some(e));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate(current, direction, start, today) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                notice.set(None);
                action.dispatch(input.get());
            }
        }
    };
    let refused = move || input.with(|i| i.status == Status::Refused.code());
    let date_label = move || {
        let s = input.with(|i| Status::from_code(&i.status));
        match s {
            Some(s) if s.is_answered() => "Date of the answer",
            Some(Status::Sent) => "Sent on",
            Some(Status::Received) => "Received on",
            _ => "Date",
        }
    };
    view! {
        <form class="card status-change" novalidate on:submit=on_submit aria-labelledby="status-change-title">
            <h2 id="status-change-title">"Change status"</h2>
            {move || notice.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <ErrorNotice error=e/> })}
            <div class="field">
                <label for="sc-status">"New status"</label>
                <select id="sc-status" aria-describedby="sc-status-error"
                    prop:value=move || input.with(|i| i.status.clone())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        input.update(|i| {
                            i.status = v;
                            if i.status != Status::Refused.code() {
                                i.refusal_ground.clear();
                                i.refusal_note.clear();
                            }
                        });
                    }>
                    {next.iter().enumerate().map(|(n, s)| view! { <option value=s.code() selected=n == 0>{s.label()}</option> }).collect_view()}
                </select>
                {field_error(errors, "status", "sc-status-error")}
            </div>
            <div class="field">
                <label for="sc-date">{date_label}</label>
                <input id="sc-date" type="date" aria-describedby="sc-date-error"
                    prop:value=move || input.with(|i| i.date.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.date = v); }/>
                {field_error(errors, "date", "sc-date-error")}
            </div>
            <Show when=refused>
                <div class="field">
                    <label for="sc-ground">"Ground of refusal"</label>
                    <select id="sc-ground" aria-describedby="sc-ground-error"
                        prop:value=move || input.with(|i| i.refusal_ground.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.refusal_ground = v); }>
                        <option value="">"Choose…"</option>
                        {RefusalGround::ALL.iter().map(|g| view! { <option value=g.code()>{g.label()}</option> }).collect_view()}
                    </select>
                    {field_error(errors, "refusal_ground", "sc-ground-error")}
                </div>
                <div class="field">
                    <label for="sc-refusal-note">"Refusal details"</label>
                    <input id="sc-refusal-note" type="text" maxlength="500" aria-describedby="sc-refusal-note-error"
                        prop:value=move || input.with(|i| i.refusal_note.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.refusal_note = v); }/>
                    {field_error(errors, "refusal_note", "sc-refusal-note-error")}
                </div>
            </Show>
            <div class="field">
                <label for="sc-note">"Note"</label>
                <textarea id="sc-note" rows="2" maxlength="500" aria-describedby="sc-note-error"
                    prop:value=move || input.with(|i| i.note.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.note = v); }></textarea>
                {field_error(errors, "note", "sc-note-error")}
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>"Change status"</button>
        </form>
    }
}

#[component]
fn ReminderForm(request: Request, reload: Callback<String>) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let input = RwSignal::new(ReminderInput { date: today.to_string(), note: String::new() });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<AppError>);
    let (id, status, start) = (request.id, request.status, request.start_date);
    let action = Action::new(move |i: &ReminderInput| {
        let i = i.clone();
        async move { log_reminder(id, i).await }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => reload.run("Reminder logged.".into()),
        Some(Err(e)) => {
            errors.set(e.field_errors().to_vec());
            notice.set(Some(e));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match input.get().validate(status, start, today) {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                action.dispatch(input.get());
            }
        }
    };
    view! {
        <form class="card reminder" novalidate on:submit=on_submit aria-labelledby="reminder-title">
            <h2 id="reminder-title">"Log a reminder"</h2>
            <p class="hint">"Record a chase-up sent to a silent counterpart."</p>
            {move || notice.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <ErrorNotice error=e/> })}
            <div class="field">
                <label for="rm-date">"Sent on"</label>
                <input id="rm-date" type="date" aria-describedby="rm-date-error"
                    prop:value=move || input.with(|i| i.date.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.date = v); }/>
                {field_error(errors, "date", "rm-date-error")}
            </div>
            <div class="field">
                <label for="rm-note">"Note"</label>
                <input id="rm-note" type="text" maxlength="500" aria-describedby="rm-note-error"
                    prop:value=move || input.with(|i| i.note.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.note = v); }/>
                {field_error(errors, "note", "rm-note-error")}
            </div>
            <button type="submit" disabled=move || action.pending().get()>"Log reminder"</button>
        </form>
    }
}

fn describe(e: &Event) -> String {
    match e.kind {
        EventKind::Created => match e.to_status {
            Some(s) => format!("Registered as {}", s.label().to_lowercase()),
            None => "Registered".into(),
        },
        EventKind::StatusChanged => format!(
            "{} → {}",
            e.from_status.map(|s| s.label()).unwrap_or("—"),
            e.to_status.map(|s| s.label()).unwrap_or("—")
        ),
        EventKind::Reminder => "Reminder sent".into(),
        EventKind::Edited => "Edited".into(),
    }
}

#[component]
fn Timeline(events: Vec<Event>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="empty">"No events yet."</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {events
                .into_iter()
                .rev()
                .map(|e| {
                    let what = describe(&e);
                    let when = e.on_date.map(|d| d.to_string());
                    let recorded = e.created_at.replace('T', " ");
                    let recorded = recorded.get(..16).unwrap_or(&recorded).to_string();
                    view! {
                        <li class=format!("event event-{}", e.kind.code())>
                            <div class="event-what">{what}</div>
                            <div class="event-meta">
                                {when.map(|d| view! { <span class="event-date">{d}</span> })}
                                <span class="muted">{format!(" · recorded {recorded} UTC")}</span>
                                {e.user_name.clone().map(|u| view! { <span class="muted">{format!(" by {u}")}</span> })}
                            </div>
                            {e.note.clone().map(|n| view! { <div class="event-note">{n}</div> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// Who changed this request, and when: its entries in the audit trail.
#[component]
fn History(id: i64) -> impl IntoView {
    let open = RwSignal::new(false);
    let entries = Resource::new(move || open.get().then_some(id), |id| async move {
        match id {
            Some(id) => request_history(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <h2>"History"</h2>
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="button" on:click=move |_| open.set(true)>"Show who changed what"</button>
        }>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(Some(list)) => view! { <crate::pages::admin::AuditTable entries=list/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </Show>
    }
}
