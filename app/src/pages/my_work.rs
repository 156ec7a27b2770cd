//! `/my-work`, the clerks' landing page: their requests overdue, due within 14 days,
//! reminders due, incoming requests past the executor's deadline and custody deadlines,
//! each a count and a list; `/admin/workload`: everyone's open requests by age, and the
//! office's reminder schedule.

use crate::api::handling::{get_my_work, get_reminder_schedule, get_workload, save_reminder_schedule};
use crate::components::ErrorNotice;
use crate::domain::custody::HeldPerson;
use crate::domain::reminders::ScheduleInput;
use crate::domain::work::{MyWork, WorkItem, Workload, AGE_BANDS};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::labels::Label;
use crate::pages::custody::DeadlineText;
use crate::pages::request::field_error;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyWorkPage() -> impl IntoView {
    let work = Resource::new(|| (), |_| get_my_work());
    view! {
        <Title text={crate::tr!(work.my_work_rogatory)}/>
        <section class="page my-work">
            <h1>{crate::tr!(work.my_work)}</h1>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
                {move || Suspend::new(async move {
                    match work.await {
                        Ok(w) => view! { <WorkLists w/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn WorkLists(w: MyWork) -> impl IntoView {
    let today = w.today;
    let nothing = w.overdue.is_empty()
        && w.due_soon.is_empty()
        && w.reminders_due.is_empty()
        && w.execution_late.is_empty()
        && w.custody.is_empty();
    let custody = (!w.custody.is_empty()).then(|| view! { <CustodyDeadlines held=w.custody.clone() today/> });
    view! {
        {nothing.then(|| view! { <p class="empty" id="nothing-due">{crate::tr!(work.nothing_due)}</p> })}
        <WorkList id="overdue" title=crate::tr!(work.overdue).to_string() date_label=crate::tr!(work.answer_due).to_string() items=w.overdue/>
        <WorkList id="due-soon" title=crate::tr!(work.due_within_14_days).to_string() date_label=crate::tr!(work.answer_due).to_string() items=w.due_soon/>
        <WorkList id="reminders-due" title=crate::tr!(work.reminders_due).to_string() date_label=crate::tr!(work.step_due).to_string() items=w.reminders_due/>
        <WorkList id="execution-late" title=crate::tr!(work.execution_late).to_string() date_label=crate::tr!(work.executor_deadline).to_string() items=w.execution_late/>
        {custody}
    }
}

/// One list of My work: a heading with its count, then its requests (none: nothing shown).
#[component]
fn WorkList(id: &'static str, title: String, date_label: String, items: Vec<WorkItem>) -> impl IntoView {
    if items.is_empty() {
        return ().into_any();
    }
    let (heading, labelled_by) = (format!("{id}-title"), format!("{id}-title"));
    let count = items.len();
    let locale = crate::lang::current();
    let details = items.iter().any(|i| i.detail.is_some());
    view! {
        <section class="work-list" id=id aria-labelledby=labelled_by>
            <h2 id=heading>{title}" "<span class="count" data-count=count>{count}</span></h2>
            <table class="compact">
                <thead><tr>
                    <th scope="col">{crate::tr!(request.our_reference)}</th>
                    <th scope="col">{crate::tr!(request.country)}</th>
                    <th scope="col">{crate::tr!(request.kind)}</th>
                    <th scope="col">{crate::tr!(request.status)}</th>
                    <th scope="col">{date_label}</th>
                    {details.then(|| view! { <th scope="col">{crate::tr!(work.what)}</th> })}
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|i| view! {
                        <tr>
                            <td><a href=format!("/requests/{}", i.id)>{i.reference}</a></td>
                            <td>{crate::lang::country_option(&i.country)}</td>
                            <td>{i.kind.text()}</td>
                            <td>{i.status.text()}</td>
                            <td>{crate::lang::date(locale, i.on)}</td>
                            {details.then(|| view! { <td>{i.detail.clone().unwrap_or_default()}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn CustodyDeadlines(held: Vec<HeldPerson>, today: chrono::NaiveDate) -> impl IntoView {
    let count = held.len();
    view! {
        <section class="work-list" id="custody-deadlines" aria-labelledby="custody-deadlines-title">
            <h2 id="custody-deadlines-title">{crate::tr!(work.custody_deadlines)}" "<span class="count" data-count=count>{count}</span></h2>
            <ul class="plain">
                {held.into_iter().map(|h| {
                    let deadline = h.record.deadline;
                    view! {
                        <li>
                            <a href=format!("/requests/{}", h.record.request_id)>{h.reference}</a>" · "{h.person_name}" · "
                            {deadline.map(|d| view! { <DeadlineText deadline=d today/> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The header's count of what needs doing now (`MyWork::needs_action`), for clerks;
/// read in the browser once the page is interactive, so no page waits for it.
#[component]
pub fn MyWorkLink() -> impl IntoView {
    let count = LocalResource::new(|| async { get_my_work().await.map(|w| w.needs_action()).unwrap_or(0) });
    view! {
        <a href="/my-work" id="my-work-link">
            {crate::tr!(work.my_work)}
            {move || count.get().filter(|n| *n > 0).map(|n| view! {
                " "<span class="count" id="my-work-count" title=crate::tr!(work.items_need_action, n = n).to_string()>{n}</span>
            })}
        </a>
    }
}

#[component]
pub fn WorkloadPage() -> impl IntoView {
    let load = Resource::new(|| (), |_| get_workload());
    view! {
        <Title text={crate::tr!(work.workload_rogatory)}/>
        <section class="page workload">
            <h1>{crate::tr!(work.workload)}</h1>
            <p class="hint">{crate::tr!(work.workload_hint)}</p>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
                {move || Suspend::new(async move {
                    match load.await {
                        Ok(w) => view! { <WorkloadTable w/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <ReminderSchedule/>
        </section>
    }
}

fn band_label(band: usize) -> String {
    match AGE_BANDS[band] {
        (from, Some(to)) => crate::tr!(work.days_from_to, from = from, to = to).to_string(),
        (from, None) => crate::tr!(work.days_over, from = from - 1).to_string(),
    }
}

#[component]
fn WorkloadTable(w: Workload) -> impl IntoView {
    if w.rows.is_empty() {
        return view! { <p class="empty">{crate::tr!(work.no_open_requests)}</p> }.into_any();
    }
    view! {
        <table class="compact" id="workload">
            <caption class="visually-hidden">{crate::tr!(work.workload)}</caption>
            <thead><tr>
                <th scope="col">{crate::tr!(handling.assigned_to)}</th>
                {(0..AGE_BANDS.len()).map(|b| view! { <th scope="col" class="num">{band_label(b)}</th> }).collect_view()}
                <th scope="col" class="num">{crate::tr!(work.open)}</th>
                <th scope="col" class="num">{crate::tr!(work.overdue)}</th>
            </tr></thead>
            <tbody>
                {w.rows.into_iter().map(|r| {
                    let name = r.name.clone().unwrap_or_else(|| crate::tr!(handling.no_one).to_string());
                    let filter = match r.assignee_id {
                        Some(id) => format!("/requests?status=open&assignee={id}"),
                        None => "/requests?status=open&assignee=none".to_string(),
                    };
                    let total = r.total();
                    view! {
                        <tr>
                            <th scope="row"><a href=filter>{name}</a></th>
                            {r.by_age.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                            <td class="num" data-field="open">{total}</td>
                            <td class="num" data-field="overdue">{r.overdue}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The office's reminder schedule, a step a line, kept by administrators.
#[component]
fn ReminderSchedule() -> impl IntoView {
    let schedule = Resource::new(|| (), |_| get_reminder_schedule());
    view! {
        <h2 id="schedule-title">{crate::tr!(reminders.reminder_schedule)}</h2>
        <p class="hint">{crate::tr!(reminders.schedule_hint)}</p>
        <Transition fallback=|| view! { <p class="loading">{crate::tr!(request.loading)}</p> }>
            {move || Suspend::new(async move {
                match schedule.await {
                    Ok(steps) => view! { <ScheduleForm initial=ScheduleInput::of(&steps)/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ScheduleForm(initial: ScheduleInput) -> impl IntoView {
    let input = RwSignal::new(initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<Result<(), AppError>>);
    let action = Action::new(move |i: &ScheduleInput| {
        let i = i.clone();
        async move { save_reminder_schedule(i).await }
    });
    Effect::new(move |_| {
        if let Some(r) = action.value().get() {
            errors.set(r.as_ref().err().map(|e| e.field_errors().to_vec()).unwrap_or_default());
            notice.set(Some(r));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        match input.get_untracked().validate() {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(Vec::new());
                action.dispatch(input.get_untracked());
            }
        }
    };
    view! {
        <form class="card" novalidate on:submit=on_submit aria-labelledby="schedule-title">
            {move || match notice.get() {
                Some(Ok(())) => Some(view! { <div class="notice notice-ok" role="status">{crate::tr!(reminders.schedule_saved)}</div> }.into_any()),
                Some(Err(e)) if !matches!(e, AppError::Validation(_)) => Some(view! { <ErrorNotice error=e/> }.into_any()),
                _ => None,
            }}
            <div class="field">
                <label for="schedule-lines">{crate::tr!(reminders.steps)}</label>
                <textarea id="schedule-lines" rows="5" aria-describedby="schedule-lines-error"
                    prop:value=move || input.with(|i| i.lines.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| i.lines = v); }></textarea>
                {field_error(errors, "lines", "schedule-lines-error")}
            </div>
            <button type="submit" disabled=move || action.pending().get()>{crate::tr!(reminders.save_schedule)}</button>
        </form>
    }
}
