//! Administration pages: users, and the audit trail.

use crate::api::admin::{create_user, list_audit, list_users, reset_password, update_user, AuditQuery, UserChange};
use crate::api::second_factor::{get_second_factor_state, reset_second_factor, set_second_factor_required};
use crate::components::ErrorNotice;
use crate::domain::user::{AuditEntry, NewUserInput, UserRow};
use crate::domain::validation::message_for;
use crate::domain::{FieldError, Role};
use crate::error::AppError;
use crate::labels::Label;
use crate::session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

fn not_admin() -> impl IntoView {
    view! { <ErrorNotice error=AppError::Forbidden/> }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    if !session::can(Role::Admin) {
        return not_admin().into_any();
    }
    let version = RwSignal::new(0u32);
    let users = Resource::new(move || version.get(), |_| list_users());
    let notice = RwSignal::new(None::<AppError>);
    let flash = RwSignal::new(None::<String>);
    let refresh = Callback::new(move |message: String| {
        flash.set(Some(message));
        notice.set(None);
        version.update(|v| *v += 1);
    });
    let fail = Callback::new(move |e: AppError| {
        flash.set(None);
        notice.set(Some(e));
    });
    view! {
        <Title text={crate::tr!(admin.users_rogatory)}/>
        <section class="page">
            <h1>{crate::tr!(admin.users)}</h1>
            {move || flash.get().map(|m| view! { <div class="notice notice-ok" role="status">{m}</div> })}
            {move || notice.get().map(|e| view! { <ErrorNotice error=e/> })}
            <SecondFactorPolicy refresh fail/>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(admin.loading)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! { <UserTable users=list refresh fail/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <NewUserForm refresh/>
        </section>
    }
    .into_any()
}

/// Whether every account must sign in in two steps, and the switch.
#[component]
fn SecondFactorPolicy(refresh: Callback<String>, fail: Callback<AppError>) -> impl IntoView {
    let set = Action::new(|on: &bool| {
        let on = *on;
        async move { set_second_factor_required(on).await.map(|_| on) }
    });
    let state = Resource::new(move || set.version().get(), |_| get_second_factor_state());
    Effect::new(move |_| match set.value().get() {
        Some(Ok(on)) => refresh.run(
            if on { crate::tr!(admin.second_factor_now_required) } else { crate::tr!(admin.second_factor_no_longer_required) }
                .to_string(),
        ),
        Some(Err(e)) => fail.run(e),
        None => {}
    });
    view! {
        <div class="card" id="second-factor-policy">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    state.await.ok().map(|s| view! {
                        <p>{if s.required { crate::tr!(admin.second_factor_required) } else { crate::tr!(admin.second_factor_optional) }}</p>
                        <button type="button" id="require-second-factor" on:click=move |_| { set.dispatch(!s.required); }>
                            {if s.required { crate::tr!(admin.no_longer_require) } else { crate::tr!(admin.require_for_everyone) }}</button>
                    })
                })}
            </Transition>
        </div>
    }
}

#[component]
fn UserTable(users: Vec<UserRow>, refresh: Callback<String>, fail: Callback<AppError>) -> impl IntoView {
    let me = session::user().map(|u| u.id);
    // each action answers with the message to show on success
    let change = Action::new(|(id, c, message): &(i64, UserChange, String)| {
        let (id, c, message) = (*id, c.clone(), message.clone());
        async move { update_user(id, c).await.map(|_| message) }
    });
    let reset = Action::new(|(id, pw, message): &(i64, String, String)| {
        let (id, pw, message) = (*id, pw.clone(), message.clone());
        async move { reset_password(id, pw).await.map(|_| message) }
    });
    let reset_second = Action::new(|(id, message): &(i64, String)| {
        let (id, message) = (*id, message.clone());
        async move { reset_second_factor(id).await.map(|_| message) }
    });
    for result in [change.value(), reset.value(), reset_second.value()] {
        Effect::new(move |_| match result.get() {
            Some(Ok(message)) => refresh.run(message),
            Some(Err(e)) => fail.run(e),
            None => {}
        });
    }
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="users">
                <thead><tr>
                    <th scope="col">{crate::tr!(admin.user_name)}</th><th scope="col">{crate::tr!(admin.name)}</th><th scope="col">{crate::tr!(admin.role)}</th>
                    <th scope="col">{crate::tr!(admin.state)}</th><th scope="col">{crate::tr!(admin.two_step)}</th><th scope="col">{crate::tr!(admin.actions)}</th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let id = u.id;
                        let is_me = me == Some(id);
                        let name = u.username.clone();
                        let name2 = u.username.clone();
                        let name3 = u.username.clone();
                        let name4 = u.username.clone();
                        let pw = RwSignal::new(String::new());
                        let state = match (u.disabled, u.locked) {
                            (true, _) => crate::tr!(admin.disabled),
                            (false, true) => crate::tr!(admin.locked_too_many_failed_sign_ins),
                            _ => crate::tr!(admin.active),
                        };
                        view! {
                            <tr data-user=u.username.clone()>
                                <td>{u.username.clone()}</td>
                                <td>{u.display_name.clone()}</td>
                                <td>
                                    <label class="visually-hidden" for=format!("role-{id}")>{crate::tr!(admin.role_of, user = u.username.clone()).to_string()}</label>
                                    <select id=format!("role-{id}") disabled=is_me
                                        on:change=move |ev| {
                                            let code = event_target_value(&ev);
                                            let msg = crate::tr!(admin.is_now, name = name.clone(), role = Role::from_code(&code).map(crate::labels::role_short).unwrap_or("")).to_string();
                                            change.dispatch((id, UserChange::Role(code), msg));
                                        }>
                                        {Role::ALL.iter().map(|r| view! { <option value=r.code() selected=*r == u.role>{crate::labels::role_short(*r)}</option> }).collect_view()}
                                    </select>
                                </td>
                                <td data-col="state">{state}</td>
                                <td data-col="two-step">
                                    {if u.second_factor { crate::tr!(admin.on) } else { crate::tr!(admin.off) }}
                                    {(u.second_factor && !is_me).then(|| view! {
                                        " "
                                        <button type="button" class="reset-second-factor" on:click=move |_| {
                                            reset_second.dispatch((id, crate::tr!(admin.second_factor_reset, name = name4.clone()).to_string()));
                                        }>{crate::tr!(admin.reset)}</button>
                                    })}
                                </td>
                                <td class="user-actions">
                                    {(!is_me).then(|| {
                                        let disabled = u.disabled;
                                        view! {
                                            <button type="button" on:click=move |_| {
                                                let msg = if disabled { crate::tr!(admin.is_enabled, name = name2.clone()).to_string() } else { crate::tr!(admin.is_disabled, name = name2.clone()).to_string() };
                                                change.dispatch((id, UserChange::Disabled(!disabled), msg));
                                            }>{if disabled { crate::tr!(admin.enable) } else { crate::tr!(admin.disable) }}</button>
                                        }
                                    })}
                                    <input type="password" placeholder={crate::tr!(admin.new_password)} autocomplete="new-password"
                                        aria-label=crate::tr!(admin.new_password_for, user = u.username.clone()).to_string()
                                        prop:value=move || pw.get() on:input=move |ev| pw.set(event_target_value(&ev))/>
                                    <button type="button" on:click=move |_| {
                                        reset.dispatch((id, pw.get(), crate::tr!(admin.password_reset, name = name3.clone()).to_string()));
                                        pw.set(String::new());
                                    }>{crate::tr!(admin.reset_password)}</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn NewUserForm(refresh: Callback<String>) -> impl IntoView {
    let input = RwSignal::new(NewUserInput { role: "clerk".into(), ..Default::default() });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let create = Action::new(|i: &NewUserInput| create_user(i.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            let name = input.with_untracked(|i| i.username.trim().to_lowercase());
            input.set(NewUserInput { role: "clerk".into(), ..Default::default() });
            errors.set(Vec::new());
            refresh.run(crate::tr!(admin.user_created, name = name).to_string());
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
                create.dispatch(input.get());
            }
        }
    };
    let err = move |f: &'static str| move || errors.with(|e| message_for(e, f).map(str::to_string));
    let text = move |id: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     get: fn(&NewUserInput) -> String,
                     set: fn(&mut NewUserInput, String)| {
        view! {
            <div class="field">
                <label for=format!("nu-{id}")>{label}</label>
                <input id=format!("nu-{id}") type=kind autocomplete="off" aria-describedby=format!("nu-{id}-error")
                    prop:value=move || input.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); input.update(|i| set(i, v)); }/>
                <p class="field-error" id=format!("nu-{id}-error") aria-live="polite">{err(id)}</p>
            </div>
        }
    };
    view! {
        <form class="card new-user" novalidate on:submit=on_submit>
            <h2>{crate::tr!(admin.new_user)}</h2>
            <div class="row">
                {text("username", crate::tr!(admin.user_name), "text", |i| i.username.clone(), |i, v| i.username = v)}
                {text("display_name", crate::tr!(admin.full_name), "text", |i| i.display_name.clone(), |i, v| i.display_name = v)}
                <div class="field">
                    <label for="nu-role">{crate::tr!(admin.role)}</label>
                    <select id="nu-role" prop:value=move || input.with(|i| i.role.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); input.update(|i| i.role = v); }>
                        {Role::ALL.iter().map(|r| view! { <option value=r.code() selected=*r == Role::Clerk>{r.text()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="nu-role-error" aria-live="polite">{err("role")}</p>
                </div>
                {text("password", crate::tr!(admin.initial_password), "password", |i| i.password.clone(), |i, v| i.password = v)}
            </div>
            <button type="submit" class="primary" disabled=move || create.pending().get()>{crate::tr!(admin.create_user)}</button>
        </form>
    }
}

/// The audit trail, newest first, filtered by the URL.
/// The kinds of record the audit trail names.
const ENTITIES: &[&str] = &["request", "case", "user", "group"];

/// A kind of record in the page's language (lower case, as in "user admin").
fn entity_name(kind: &str) -> String {
    match kind {
        "request" => crate::tr!(admin.entity_request),
        "case" => crate::tr!(admin.entity_case),
        "user" => crate::tr!(admin.entity_user),
        "group" => crate::tr!(admin.entity_group),
        other => return other.to_string(),
    }
    .to_string()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    if !session::can(Role::Admin) {
        return not_admin().into_any();
    }
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query.with(|m| AuditQuery {
            username: m.get("user").unwrap_or_default(),
            action: m.get("action").unwrap_or_default(),
            entity: m.get("entity").unwrap_or_default(),
            entity_id: m.get("entity_id").unwrap_or_default(),
            before_id: m.get("before").and_then(|b| b.parse().ok()),
        })
    });
    let entries = Resource::new(move || q.get(), list_audit);
    view! {
        <Title text={crate::tr!(admin.audit_trail_rogatory)}/>
        <section class="page">
            <h1>{crate::tr!(admin.audit_trail)}</h1>
            <p class="lead">{crate::tr!(admin.every_sign_in_change_and_administrative)}</p>
            {move || {
                let cur = q.get();
                view! {
                    <Form action="/admin/audit" method="get" attr:class="filters">
                        <div class="field"><label for="a-user">{crate::tr!(admin.user)}</label><input id="a-user" name="user" value=cur.username/></div>
                        <div class="field"><label for="a-action">{crate::tr!(admin.action)}</label><input id="a-action" name="action" value=cur.action placeholder={crate::tr!(admin.action_example)}/></div>
                        <div class="field"><label for="a-entity">{crate::tr!(admin.record_type)}</label>
                            <select id="a-entity" name="entity">
                                <option value="" selected=cur.entity.is_empty()>{crate::tr!(admin.any_record_type)}</option>
                                {ENTITIES.iter().map(|e| view! { <option value=*e selected=cur.entity == *e>{entity_name(e)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field"><label for="a-entity-id">{crate::tr!(admin.record)}</label><input id="a-entity-id" name="entity_id" value=cur.entity_id/></div>
                        <div class="field buttons"><button type="submit" class="primary">{crate::tr!(admin.apply)}</button><a class="button" href="/admin/audit">{crate::tr!(admin.reset)}</a></div>
                    </Form>
                }
            }}
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(admin.loading)}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) => view! { <AuditTable entries=list query=q.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
pub fn AuditTable(entries: Vec<AuditEntry>, #[prop(optional)] query: Option<AuditQuery>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">{crate::tr!(admin.no_entries)}</p> }.into_any();
    }
    let older = query.and_then(|q| {
        (entries.len() as i64 >= 100).then(|| {
            let last = entries.last().map(|e| e.id).unwrap_or_default();
            let enc = crate::domain::filter::url_encode;
            format!(
                "/admin/audit?user={}&action={}&entity={}&entity_id={}&before={last}",
                enc(&q.username),
                enc(&q.action),
                enc(&q.entity),
                enc(&q.entity_id)
            )
        })
    });
    view! {
        <div tabindex="0" class="table-wrap">
            <table class="audit">
                <thead><tr>
                    <th scope="col">{crate::tr!(admin.when_utc)}</th><th scope="col">{crate::tr!(admin.who)}</th><th scope="col">{crate::tr!(admin.action)}</th>
                    <th scope="col">{crate::tr!(admin.record)}</th><th scope="col">{crate::tr!(admin.from)}</th><th scope="col">{crate::tr!(admin.details)}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let record = match (&e.entity, &e.entity_id) {
                            (Some(kind), Some(id)) if kind == "request" => view! { <a href=format!("/requests/{id}")>{crate::tr!(admin.record_request, id = id.to_string()).to_string()}</a> }.into_any(),
                            (Some(kind), Some(id)) => view! { {format!("{} {id}", entity_name(kind))} }.into_any(),
                            _ => view! { "—" }.into_any(),
                        };
                        view! {
                            <tr data-action=e.action.clone()>
                                <td class="num">{e.at.replace('T', " ").trim_end_matches('Z').to_string()}</td>
                                <td>{e.username.clone().unwrap_or_else(|| "—".into())}</td>
                                <td><code>{e.action.clone()}</code></td>
                                <td>{record}</td>
                                <td>{e.ip.clone().unwrap_or_default()}</td>
                                <td class="details">{e.details.clone().map(|d| view! { <details><summary>{crate::tr!(admin.show)}</summary><pre>{d}</pre></details> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {older.map(|h| view! { <nav class="pager"><a class="button" href=h>{crate::tr!(admin.older)}</a></nav> })}
    }
    .into_any()
}
