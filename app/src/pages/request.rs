//! One request: every field, the edit form, the quick status change, "log a reminder",
//! and the timeline.

use crate::api::requests::{change_status, get_form_options, get_request, log_reminder, request_history, RequestDetail};
use crate::components::request_form::FormMode;
use crate::components::{DirectionBadge, ErrorNotice, RequestForm, StatusBadge};
use crate::domain::validation::message_for;
use crate::domain::{Event, EventKind, FieldError, RefusalGround, ReminderInput, Request, Status, StatusChangeInput};
use crate::error::AppError;
use crate::labels::Label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn date(d: Option<chrono::NaiveDate>) -> String {
    crate::lang::optional_date(d)
}

fn text(s: &Option<String>) -> String {
    s.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    // blocking: the page's title (the request's reference) must be in the head the server sends
    let detail = Resource::new_blocking(id, |id| async move {
        match id {
            Some(id) => get_request(id).await,
            None => Err(AppError::NotFound(crate::tr!(request.request_not_found).into())),
        }
    });
    let flash = RwSignal::new(
        query.with_untracked(|q| q.get("created").is_some()).then(|| crate::tr!(request.request_saved).to_string()),
    );
    let reload = Callback::new(move |message: String| {
        flash.set(Some(message));
        detail.refetch();
    });
    view! {
        <Title text={crate::tr!(request.request_rogatory)}/>
        <section class="page">
            {move || flash.get().map(|m| view! { <div class="notice notice-ok" role="status">{m}</div> })}
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
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
    let (kind, start) = (r.kind, r.start_date);
    let for_edit = request.clone();
    let for_status = request.clone();
    let for_reminder = request.clone();
    let for_handling = request;
    view! {
        <Title text=title/>
        <div class="page-head">
            <h1>
                <span class="muted">{crate::tr!(request.request_prefix)}</span>
                <span id="request-reference">{r.reference.clone()}</span>
            </h1>
            <div class="head-badges">
                <DirectionBadge direction=r.direction/>
                <StatusBadge status=r.status overdue=overdue/>
                {r.urgent.then(|| view! { <span class="badge urgent">{crate::tr!(request.urgent)}</span> })}
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
                                    <button type="button" class="button" on:click=move |_| editing.set(true)>{crate::tr!(request.edit_request)}</button>
                                </div>
                            })}
                        }
                    }
                >
                    <EditRequest request=for_edit.clone() editing reload/>
                </Show>
                <crate::pages::persons::RequestPersons request_id=id/>
                {(kind == crate::domain::Kind::Assets).then(|| view! { <crate::pages::assets::RequestAssets request_id=id start/> })}
                <crate::pages::documents::Documents owner=crate::domain::document::Owner::Request(id)/>
                <h2>{crate::tr!(request.timeline)}</h2>
                <Timeline events=events.clone()/>
                <History id/>
            </div>
            <aside class="side-col">
                <crate::pages::handling::RequestHandling request=for_handling reload/>
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
        Some(n) => format!("{} — {n}", crate::labels::legal_basis(&r.legal_basis, &r.legal_basis_label)),
        None => crate::labels::legal_basis(&r.legal_basis, &r.legal_basis_label),
    };
    let refusal = r.refusal_ground.map(|g: RefusalGround| match &r.refusal_note {
        Some(n) => format!("{} — {n}", g.text()),
        None => g.text().to_string(),
    });
    let start_label = match r.direction {
        crate::domain::Direction::Outgoing => crate::tr!(request.sent_on),
        crate::domain::Direction::Incoming => crate::tr!(request.received_on),
    };
    view! {
        <dl class="fields">
            <dt>{crate::tr!(request.our_reference)}</dt><dd>{r.reference.clone()}</dd>
            <dt>{crate::tr!(request.their_reference)}</dt><dd>{text(&r.their_reference)}</dd>
            <dt>{crate::tr!(request.country)}</dt><dd data-field="country">{crate::lang::country_option(&r.country)}</dd>
            <dt>{crate::tr!(request.counterpart_authority)}</dt><dd>{text(&r.counterpart_authority)}</dd>
            <dt>{crate::tr!(request.kind)}</dt><dd>{r.kind.text()}</dd>
            <dt>{crate::tr!(request.legal_basis)}</dt><dd>{basis}</dd>
            <dt>{crate::tr!(request.offence)}</dt><dd>{r.offence.text()}</dd>
            <dt>{crate::tr!(request.case)}</dt><dd>{case}</dd>
            <dt>{crate::tr!(request.summary)}</dt><dd class="summary">{text(&r.summary)}</dd>
            <dt>{start_label}</dt><dd data-field="start_date">{date(r.start_date)}</dd>
            <dt>{crate::tr!(request.answer_due)}</dt><dd data-field="due_on">{date(r.due_on)}</dd>
            <dt>{crate::tr!(request.status)}</dt><dd data-field="status">{r.status.text()}</dd>
            <dt>{crate::tr!(request.answered_on)}</dt><dd data-field="answered_on">{date(r.answered_on)}</dd>
            {refusal.map(|t| view! { <dt>{crate::tr!(request.ground_of_refusal)}</dt><dd data-field="refusal">{t}</dd> })}
            <dt>{crate::tr!(request.version)}</dt><dd class="muted">{crate::tr!(request.version_saved, version = r.version, saved = r.updated_at.replace('T', " ").trim_end_matches('Z').to_string()).to_string()}</dd>
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
        <Suspense fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
            {
                let initial = initial.clone();
                move || {
                    let initial = initial.clone();
                    Suspend::new(async move {
                        match options.await {
                            Ok(o) => view! {
                                <RequestForm initial options=o mode=FormMode::Edit { id, version }
                                    on_saved=move |_v: i64| { editing.set(false); reload.run(crate::tr!(request.changes_saved).into()); }
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

pub(crate) fn field_error(errors: RwSignal<Vec<FieldError>>, field: &'static str, id: &'static str) -> impl IntoView {
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
        Some(Ok(())) => reload.run(crate::tr!(request.status_changed).into()),
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
            Some(s) if s.is_answered() => crate::tr!(request.date_of_the_answer),
            Some(Status::Sent) => crate::tr!(request.sent_on),
            Some(Status::Received) => crate::tr!(request.received_on),
            _ => crate::tr!(request.date),
        }
    };
    view! {
        <form class="card status-change" novalidate on:submit=on_submit aria-labelledby="status-change-title">
            <h2 id="status-change-title">{crate::tr!(request.change_status)}</h2>
            {move || notice.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <ErrorNotice error=e/> })}
            <div class="field">
                <label for="sc-status">{crate::tr!(request.new_status)}</label>
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
                    {next.iter().enumerate().map(|(n, s)| view! { <option value=s.code() selected=n == 0>{s.text()}</option> }).collect_view()}
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
                    <label for="sc-ground">{crate::tr!(request.ground_of_refusal)}</label>
                    <select id="sc-ground" aria-describedby="sc-ground-error"
                        prop:value=move || input.with(|i| i.refusal_ground.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.refusal_ground = v); }>
                        <option value="">{crate::tr!(request.choose)}</option>
                        {RefusalGround::ALL.iter().map(|g| view! { <option value=g.code()>{g.text()}</option> }).collect_view()}
                    </select>
                    {field_error(errors, "refusal_ground", "sc-ground-error")}
                </div>
                <div class="field">
                    <label for="sc-refusal-note">{crate::tr!(request.refusal_details)}</label>
                    <input id="sc-refusal-note" type="text" maxlength="500" aria-describedby="sc-refusal-note-error"
                        prop:value=move || input.with(|i| i.refusal_note.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.refusal_note = v); }/>
                    {field_error(errors, "refusal_note", "sc-refusal-note-error")}
                </div>
            </Show>
            <div class="field">
                <label for="sc-note">{crate::tr!(request.note)}</label>
                <textarea id="sc-note" rows="2" maxlength="500" aria-describedby="sc-note-error"
                    prop:value=move || input.with(|i| i.note.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.note = v); }></textarea>
                {field_error(errors, "note", "sc-note-error")}
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>{crate::tr!(request.change_status)}</button>
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
        Some(Ok(())) => reload.run(crate::tr!(request.reminder_logged).into()),
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
            <h2 id="reminder-title">{crate::tr!(request.log_a_reminder)}</h2>
            <p class="hint">{crate::tr!(request.record_a_chase_up_sent_to)}</p>
            {move || notice.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <ErrorNotice error=e/> })}
            <div class="field">
                <label for="rm-date">{crate::tr!(request.sent_on)}</label>
                <input id="rm-date" type="date" aria-describedby="rm-date-error"
                    prop:value=move || input.with(|i| i.date.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.date = v); }/>
                {field_error(errors, "date", "rm-date-error")}
            </div>
            <div class="field">
                <label for="rm-note">{crate::tr!(request.note)}</label>
                <input id="rm-note" type="text" maxlength="500" aria-describedby="rm-note-error"
                    prop:value=move || input.with(|i| i.note.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.note = v); }/>
                {field_error(errors, "note", "rm-note-error")}
            </div>
            <button type="submit" disabled=move || action.pending().get()>{crate::tr!(request.log_reminder)}</button>
        </form>
    }
}

pub(crate) fn describe(e: &Event) -> String {
    match e.kind {
        EventKind::Created => match e.to_status {
            Some(s) => crate::tr!(request.registered_as, status = s.text().to_lowercase()).to_string(),
            None => crate::tr!(request.registered).into(),
        },
        EventKind::StatusChanged => {
            format!("{} → {}", e.from_status.map(|s| s.text()).unwrap_or("—"), e.to_status.map(|s| s.text()).unwrap_or("—"))
        }
        EventKind::Reminder => crate::tr!(request.reminder_sent).into(),
        EventKind::Edited => crate::tr!(request.edited).into(),
        EventKind::Document => crate::tr!(documents.document_added).into(),
        EventKind::DocumentRemoved => crate::tr!(documents.document_removed).into(),
        EventKind::Assigned if e.note.is_some() => crate::tr!(handling.assigned_to).into(),
        EventKind::Assigned => crate::tr!(handling.no_longer_assigned).into(),
        EventKind::Acknowledged if e.on_date.is_some() => crate::tr!(handling.acknowledgement_received).into(),
        EventKind::Acknowledged => crate::tr!(handling.acknowledgement_date_cleared).into(),
        EventKind::ClockStopped => crate::tr!(handling.clock_stopped).into(),
        EventKind::ClockResumed => crate::tr!(handling.clock_resumed).into(),
        EventKind::SentForExecution => crate::tr!(handling.sent_for_execution).into(),
    }
}

#[component]
fn Timeline(events: Vec<Event>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="empty">{crate::tr!(request.no_events_yet)}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {events
                .into_iter()
                .rev()
                .map(|e| {
                    let what = describe(&e);
                    let when = e.on_date.map(|d| crate::lang::date(crate::lang::current(), d));
                    let recorded = e.created_at.replace('T', " ");
                    let recorded = recorded.get(..16).unwrap_or(&recorded).to_string();
                    view! {
                        <li class=format!("event event-{}", e.kind.code())>
                            <div class="event-what">{what}</div>
                            <div class="event-meta">
                                {when.map(|d| view! { <span class="event-date">{d}</span> })}
                                <span class="muted">{crate::tr!(request.recorded, at = recorded.clone()).to_string()}</span>
                                {e.user_name.clone().map(|u| view! { <span class="muted">{crate::tr!(request.by_user, user = u).to_string()}</span> })}
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
    let entries = Resource::new(
        move || open.get().then_some(id),
        |id| async move {
            match id {
                Some(id) => request_history(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <h2>{crate::tr!(request.history)}</h2>
        <Show when=move || open.get() fallback=move || view! {
            <button type="button" class="button" on:click=move |_| open.set(true)>{crate::tr!(request.show_who_changed_what)}</button>
        }>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
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
