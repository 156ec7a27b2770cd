//! A request's handling on its page: who has it, its clock (days to answer in calendar
//! days and without stopped time, days to acknowledge), its next reminder, its executing
//! authority; and for clerks the forms that change them.

use crate::api::handling::{assign_request, get_handling, resume_clock, set_acknowledgement, set_execution, stop_clock};
use crate::components::ErrorNotice;
use crate::domain::handling::{
    AcknowledgementInput, ClockStop, Current, ExecutionInput, Handling, ResumeClockInput, StopClockInput,
};
use crate::domain::request::AUTHORITY_MAX;
use crate::domain::{Direction, FieldError, Request, Status};
use crate::error::AppError;
use crate::pages::request::field_error;
use leptos::prelude::*;
use std::future::Future;

/// One handling form's state: what is typed, its field errors, a failure to show, and
/// the call that saves it.
struct Form<I: Send + Sync + 'static> {
    input: RwSignal<I>,
    errors: RwSignal<Vec<FieldError>>,
    notice: RwSignal<Option<AppError>>,
    action: Action<I, Result<(), AppError>>,
}

impl<I: Send + Sync + 'static> Clone for Form<I> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<I: Send + Sync + 'static> Copy for Form<I> {}

impl<I: Clone + Send + Sync + 'static> Form<I> {
    /// A form saved by `call`; once saved the page reloads with `done` as its notice.
    fn new<F, Fut>(initial: I, call: F, done: String, reload: Callback<String>) -> Self
    where
        F: Fn(I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), AppError>> + Send + 'static,
    {
        let form = Form {
            input: RwSignal::new(initial),
            errors: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            action: Action::new(move |i: &I| call(i.clone())),
        };
        Effect::new(move |_| match form.action.value().get() {
            Some(Ok(())) => reload.run(done.clone()),
            Some(Err(e)) => {
                form.errors.set(e.field_errors().to_vec());
                form.notice.set(Some(e));
            }
            None => {}
        });
        form
    }

    /// Sends what is typed if `check` (the server's own rules) finds nothing wrong.
    fn submit<T>(self, check: impl FnOnce(&I) -> Result<T, Vec<FieldError>>) {
        match self.input.with_untracked(check) {
            Err(e) => self.errors.set(e),
            Ok(_) => {
                self.errors.set(Vec::new());
                self.action.dispatch(self.input.get_untracked());
            }
        }
    }

    /// A failure other than the fields' own.
    fn notice(self) -> impl IntoView {
        move || self.notice.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| view! { <ErrorNotice error=e/> })
    }

    fn pending(self) -> Signal<bool> {
        self.action.pending().into()
    }
}

/// One labelled input of a form, bound to a field of what is typed, with its error
/// below (the error's element is `{id}-error`).
struct Input<I> {
    id: &'static str,
    error_id: &'static str,
    label: &'static str,
    /// the field's name in the rules' errors
    field: &'static str,
    /// "date" or "text" (at most `max` characters)
    kind: &'static str,
    max: usize,
    get: fn(&I) -> String,
    set: fn(&mut I, String),
}

impl<I: Clone + Send + Sync + 'static> Form<I> {
    fn input(self, i: Input<I>) -> impl IntoView {
        let Input { id, error_id, label, field, kind, max, get, set } = i;
        let form = self;
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind maxlength=(kind == "text").then(|| max.to_string()) aria-describedby=error_id
                    prop:value=move || form.input.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); form.input.update(|i| set(i, v)); }/>
                {field_error(form.errors, field, error_id)}
            </div>
        }
    }
}

/// A date field named `date` (the stop's, the resumption's, the acknowledgement's).
fn date_of<I: Clone + Send + Sync + 'static>(
    id: &'static str,
    error_id: &'static str,
    label: &'static str,
    get: fn(&I) -> String,
    set: fn(&mut I, String),
) -> Input<I> {
    Input { id, error_id, label, field: "date", kind: "date", max: 10, get, set }
}

/// The handling card of request `request`; `reload` refetches the page after a change.
#[component]
pub fn RequestHandling(request: Request, reload: Callback<String>) -> impl IntoView {
    let id = request.id;
    let handling = Resource::new(move || id, get_handling);
    view! {
        <Transition fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
            {move || {
                let request = request.clone();
                Suspend::new(async move {
                    match handling.await {
                        Ok(h) => view! { <HandlingCard request h reload/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

fn days(n: i64) -> String {
    crate::tr!(handling.n_days, n = n).to_string()
}

#[component]
fn HandlingCard(request: Request, h: Handling, reload: Callback<String>) -> impl IntoView {
    let clerk = crate::session::can(crate::domain::Role::Clerk);
    let locale = crate::lang::current();
    let assignee = h.assignee.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| crate::tr!(handling.no_one).to_string());
    let clock = h.clock.map(|c| {
        let so_far = if c.running { crate::tr!(handling.so_far).to_string() } else { String::new() };
        view! {
            <dt>{crate::tr!(handling.days_to_answer)}</dt>
            <dd id="clock-days">{days(c.days)}" "<span class="muted">{so_far.clone()}</span></dd>
            <dt>{crate::tr!(handling.excluding_stopped_time)}</dt>
            <dd id="clock-net-days">{days(c.net_days)}" "<span class="muted">{so_far}</span>
                {c.stopped.then(|| view! { " "<span class="badge suspended">{crate::tr!(handling.clock_stopped)}</span> })}</dd>
            <dt>{crate::tr!(handling.days_to_acknowledge)}</dt>
            <dd id="clock-ack">{c.days_to_acknowledge.map(days).unwrap_or_else(|| "—".into())}</dd>
        }
    });
    let next = (request.direction == Direction::Outgoing).then(|| {
        let next = match &h.next_reminder {
            Some(n) => {
                let due = n.is_due(h.today).then(|| view! { " "<span class="badge overdue">{crate::tr!(handling.due)}</span> });
                view! {
                    <span>{crate::tr!(handling.step_on, step = n.step, action = n.action.clone(), date = crate::lang::date(locale, n.on)).to_string()}</span>
                    {due}
                }
                .into_any()
            }
            None => view! { <span class="muted">{crate::tr!(handling.no_step_left)}</span> }.into_any(),
        };
        view! {
            <dt>{crate::tr!(handling.next_reminder)}</dt><dd id="next-reminder">{next}</dd>
            <dt>{crate::tr!(handling.reminders_sent)}</dt><dd id="reminders-sent">{h.reminders_sent}</dd>
        }
    });
    let execution = (request.direction == Direction::Incoming).then(|| {
        let text = match &h.execution {
            Some(e) => {
                let due = e.due_on.map(|d| crate::tr!(handling.deadline_on, date = crate::lang::date(locale, d)).to_string());
                let late = e
                    .is_late(request.status, h.today)
                    .then(|| view! { " "<span class="badge overdue">{crate::tr!(handling.late)}</span> });
                view! {
                    <span>{e.authority.clone()}</span>", "
                    <span>{crate::tr!(handling.sent_on_date, date = crate::lang::date(locale, e.sent_on)).to_string()}</span>
                    {due.map(|d| view! { ", "<span>{d}</span> })}
                    {late}
                }
                .into_any()
            }
            None => view! { <span class="muted">"—"</span> }.into_any(),
        };
        view! { <dt>{crate::tr!(handling.executing_authority)}</dt><dd id="execution">{text}</dd> }
    });
    let stops = (!h.stops.is_empty()).then(|| {
        view! {
            <h3>{crate::tr!(handling.clock_stops)}</h3>
            <ul class="clock-stops">
                {h.stops.iter().map(|s| {
                    let to = s.resumed_on.map(|d| crate::lang::date(locale, d)).unwrap_or_else(|| crate::tr!(handling.still_stopped).to_string());
                    view! { <li>{format!("{} – {}", crate::lang::date(locale, s.stopped_on), to)}": "<span class="muted">{s.reason.clone()}</span></li> }
                }).collect_view()}
            </ul>
        }
    });
    let forms = clerk.then(|| view! { <HandlingForms request=request.clone() h=h.clone() reload/> });
    view! {
        <section class="card handling" aria-labelledby="handling-title">
            <h2 id="handling-title">{crate::tr!(handling.handling)}</h2>
            <dl class="facts">
                <dt>{crate::tr!(handling.assigned_to)}</dt><dd id="assignee">{assignee}</dd>
                <dt>{crate::tr!(handling.acknowledged_on)}</dt><dd id="acknowledged-on">{crate::lang::optional_date(h.acknowledged_on)}</dd>
                {clock}
                {next}
                {execution}
            </dl>
            {stops}
            {forms}
        </section>
    }
}

/// The request's fields the forms check against, beside its clock stops.
#[derive(Clone, Copy)]
struct Facts {
    direction: Direction,
    status: Status,
    start_date: Option<chrono::NaiveDate>,
    answered_on: Option<chrono::NaiveDate>,
}

impl Facts {
    fn with(self, stops: &[ClockStop]) -> Current<'_> {
        Current {
            direction: self.direction,
            status: self.status,
            start_date: self.start_date,
            answered_on: self.answered_on,
            stops,
        }
    }
}

#[component]
fn HandlingForms(request: Request, h: Handling, reload: Callback<String>) -> impl IntoView {
    let id = request.id;
    let today = h.today;
    let waiting = request.status.is_open() || request.status == Status::Suspended;
    let stopped = h.stops.iter().any(|s| s.resumed_on.is_none());
    let facts = Facts {
        direction: request.direction,
        status: request.status,
        start_date: request.start_date,
        answered_on: request.answered_on,
    };

    let assign = Form::new(
        h.assignee.as_ref().map(|a| a.id.to_string()).unwrap_or_default(),
        move |who: String| assign_request(id, who.parse().ok()),
        crate::tr!(handling.assignment_saved).into(),
        reload,
    );
    let stops_for_ack = h.stops.clone();
    let ack = Form::new(
        AcknowledgementInput { date: h.acknowledged_on.map(|d| d.to_string()).unwrap_or_default() },
        move |i| set_acknowledgement(id, i),
        crate::tr!(handling.acknowledgement_saved).into(),
        reload,
    );
    let stops_for_clock = h.stops.clone();
    let stop = Form::new(
        StopClockInput { date: today.to_string(), reason: String::new() },
        move |i| stop_clock(id, i),
        crate::tr!(handling.clock_stopped).into(),
        reload,
    );
    let resume = Form::new(
        ResumeClockInput { date: today.to_string() },
        move |i| resume_clock(id, i),
        crate::tr!(handling.clock_resumed).into(),
        reload,
    );
    let stops_for_execution = h.stops.clone();
    let execution = Form::new(
        h.execution
            .as_ref()
            .map(|e| ExecutionInput {
                authority: e.authority.clone(),
                sent_on: e.sent_on.to_string(),
                due_on: e.due_on.map(|d| d.to_string()).unwrap_or_default(),
            })
            .unwrap_or_else(|| ExecutionInput { sent_on: today.to_string(), ..Default::default() }),
        move |i| set_execution(id, i),
        crate::tr!(handling.execution_saved).into(),
        reload,
    );

    let assignees = h.assignees.clone();
    let clock_form = if stopped {
        let stops = stops_for_clock.clone();
        view! {
            <form class="inline-form" novalidate aria-label=crate::tr!(handling.resume_the_clock).to_string()
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); resume.submit(|i| i.validate(facts.with(&stops), today)); }>
                {resume.notice()}
                {resume.input(date_of("h-resume-date", "h-resume-date-error", crate::tr!(handling.resumed_on), |i| i.date.clone(), |i, v| i.date = v))}
                <button type="submit" disabled=move || resume.pending().get()>{crate::tr!(handling.resume_the_clock)}</button>
            </form>
        }
        .into_any()
    } else if waiting {
        let stops = stops_for_clock.clone();
        view! {
            <form class="inline-form" novalidate aria-label=crate::tr!(handling.stop_the_clock).to_string()
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); stop.submit(|i| i.validate(facts.with(&stops), today)); }>
                {stop.notice()}
                {stop.input(date_of("h-stop-date", "h-stop-date-error", crate::tr!(handling.stopped_on), |i| i.date.clone(), |i, v| i.date = v))}
                <div class="field">
                    <label for="h-stop-reason">{crate::tr!(handling.waiting_for)}</label>
                    <input id="h-stop-reason" type="text" maxlength="500" aria-describedby="h-stop-reason-error"
                        placeholder=crate::tr!(handling.waiting_for_example).to_string()
                        prop:value=move || stop.input.with(|i| i.reason.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); stop.input.update(|i| i.reason = v); }/>
                    {field_error(stop.errors, "reason", "h-stop-reason-error")}
                </div>
                <button type="submit" disabled=move || stop.pending().get()>{crate::tr!(handling.stop_the_clock)}</button>
            </form>
        }
        .into_any()
    } else {
        ().into_any()
    };
    let execution_form = (request.direction == Direction::Incoming && (waiting || h.execution.is_some())).then(|| {
        let stops = stops_for_execution.clone();
        view! {
            <form class="inline-form" novalidate aria-label=crate::tr!(handling.executing_authority).to_string()
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); execution.submit(|i| i.validate(facts.with(&stops), today)); }>
                {execution.notice()}
                {execution.input(Input {
                    id: "h-authority", error_id: "h-authority-error", label: crate::tr!(handling.executing_authority),
                    field: "authority", kind: "text", max: AUTHORITY_MAX, get: |i| i.authority.clone(), set: |i, v| i.authority = v,
                })}
                {execution.input(Input {
                    id: "h-exec-sent", error_id: "h-exec-sent-error", label: crate::tr!(handling.sent_for_execution_on),
                    field: "sent_on", kind: "date", max: 10, get: |i| i.sent_on.clone(), set: |i, v| i.sent_on = v,
                })}
                {execution.input(Input {
                    id: "h-exec-due", error_id: "h-exec-due-error", label: crate::tr!(handling.executor_deadline),
                    field: "due_on", kind: "date", max: 10, get: |i| i.due_on.clone(), set: |i, v| i.due_on = v,
                })}
                <button type="submit" disabled=move || execution.pending().get()>{crate::tr!(handling.save_execution)}</button>
            </form>
        }
    });
    view! {
        <form class="inline-form" novalidate aria-label=crate::tr!(handling.assign).to_string()
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); assign.submit(|_| Ok::<(), Vec<FieldError>>(())); }>
            {assign.notice()}
            <div class="field">
                <label for="h-assignee">{crate::tr!(handling.assigned_to)}</label>
                <select id="h-assignee" aria-describedby="h-assignee-error"
                    prop:value=move || assign.input.get()
                    on:change=move |ev| assign.input.set(event_target_value(&ev))>
                    <option value="">{crate::tr!(handling.no_one)}</option>
                    {assignees.into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                </select>
                {field_error(assign.errors, "assignee", "h-assignee-error")}
            </div>
            <button type="submit" disabled=move || assign.pending().get()>{crate::tr!(handling.assign)}</button>
        </form>
        {(request.status != Status::Draft).then(|| view! {
            <form class="inline-form" novalidate aria-label=crate::tr!(handling.acknowledged_on).to_string()
                on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); ack.submit(|i| i.validate(facts.with(&stops_for_ack), today)); }>
                {ack.notice()}
                {ack.input(date_of("h-ack-date", "h-ack-date-error", crate::tr!(handling.acknowledged_on), |i| i.date.clone(), |i, v| i.date = v))}
                <button type="submit" disabled=move || ack.pending().get()>{crate::tr!(handling.save_acknowledgement)}</button>
            </form>
        })}
        {clock_form}
        {execution_form}
    }
}
