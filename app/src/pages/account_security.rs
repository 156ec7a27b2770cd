//! The account page's security cards: two-step sign-in (set it up with an app's QR
//! code, see how many recovery codes are left, new ones, turn it off) and one's own
//! sessions (where and in which browser one is signed in; end any of them).

use crate::api::second_factor::{
    begin_enrolment, confirm_enrolment, end_my_session, get_second_factor_state, my_sessions, renew_recovery_codes,
    turn_off_second_factor, MySession,
};
use crate::components::ErrorNotice;
use crate::domain::second_factor::Enrolment;
use crate::domain::user::browser_summary;
use crate::domain::validation::message_for;
use crate::error::AppError;
use leptos::prelude::*;

/// The QR code as an image the page's Content-Security-Policy lets in (`data:`).
fn svg_data_url(svg: &str) -> String {
    format!("data:image/svg+xml;utf8,{}", crate::domain::filter::url_encode(svg))
}

/// The codes just made, with the advice to keep them.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <div class="notice notice-ok" role="status" id="recovery-codes">
            <p><strong>{crate::tr!(account.recovery_codes_title)}</strong></p>
            <p>{crate::tr!(account.recovery_codes_advice)}</p>
            <ul class="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </div>
    }
}

/// A field for a code from the app, with its error.
#[component]
fn CodeField(id: &'static str, code: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{crate::tr!(account.code_from_the_app)}</label>
            <input id=id autocomplete="one-time-code" inputmode="numeric" aria-describedby=format!("{id}-error")
                prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

#[component]
pub fn SecondFactorCard() -> impl IntoView {
    let state = Resource::new(|| (), |_| get_second_factor_state());
    let offer = Action::new(|_: &()| begin_enrolment());
    let confirm = Action::new(|code: &String| confirm_enrolment(code.clone()));
    let renew = Action::new(|code: &String| renew_recovery_codes(code.clone()));
    let off = Action::new(|code: &String| turn_off_second_factor(code.clone()));
    let code = RwSignal::new(String::new());
    // the codes to show once: just set up, or renewed
    let shown = RwSignal::new(None::<Vec<String>>);
    Effect::new(move |_| {
        for codes in [confirm.value().get(), renew.value().get()].into_iter().flatten().flatten() {
            shown.set(Some(codes));
            code.set(String::new());
            state.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = off.value().get() {
            code.set(String::new());
            state.refetch();
        }
    });
    let error_of = move |e: Option<Result<Vec<String>, AppError>>| e.and_then(|r| r.err());
    let code_error = Signal::derive(move || {
        let errors = [error_of(confirm.value().get()), error_of(renew.value().get()), off.value().get().and_then(|r| r.err())];
        errors.into_iter().flatten().find_map(|e| message_for(e.field_errors(), "code").map(str::to_string))
    });
    view! {
        <section class="card" aria-labelledby="second-factor-title">
            <h2 id="second-factor-title">{crate::tr!(account.two_step_sign_in)}</h2>
            {move || shown.get().map(|codes| view! { <RecoveryCodes codes/> })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match state.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(s) if s.enabled => view! {
                            <p id="second-factor-status">{crate::tr!(account.two_step_on, left = s.recovery_codes_left).to_string()}</p>
                            <CodeField id="manage-code" code error=code_error/>
                            <div class="actions">
                                <button type="button" id="renew-recovery-codes" on:click=move |_| { renew.dispatch(code.get()); }>
                                    {crate::tr!(account.new_recovery_codes)}</button>
                                {(!s.required).then(|| view! {
                                    <button type="button" id="turn-off-second-factor" on:click=move |_| { off.dispatch(code.get()); }>
                                        {crate::tr!(account.turn_off)}</button>
                                })}
                            </div>
                        }.into_any(),
                        Ok(s) => view! {
                            {s.required.then(|| view! { <p class="notice notice-error" role="alert" id="must-enrol">{crate::tr!(errors.second_factor_first)}</p> })}
                            <p id="second-factor-status">{crate::tr!(account.two_step_off)}</p>
                            {move || match offer.value().get() {
                                None => view! {
                                    <button type="button" class="primary" id="begin-enrolment" on:click=move |_| { offer.dispatch(()); }>
                                        {crate::tr!(account.set_up)}</button>
                                }.into_any(),
                                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                                Some(Ok(Enrolment { secret, qr_svg, .. })) => view! {
                                    <ol class="steps">
                                        <li>{crate::tr!(account.scan_the_code)}
                                            <img class="qr" id="enrolment-qr" src=svg_data_url(&qr_svg) width="200" height="200"
                                                alt=crate::tr!(account.qr_alt)/>
                                            <p class="hint">{crate::tr!(account.or_type_the_key)}" "<code id="enrolment-secret">{secret}</code></p>
                                        </li>
                                        <li>{crate::tr!(account.enter_its_code)}
                                            <CodeField id="enrolment-code" code error=code_error/>
                                            <button type="button" class="primary" id="confirm-enrolment" on:click=move |_| { confirm.dispatch(code.get()); }>
                                                {crate::tr!(account.turn_on)}</button>
                                        </li>
                                    </ol>
                                }.into_any(),
                            }}
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn SessionsCard() -> impl IntoView {
    let end = Action::new(|id: &String| end_my_session(id.clone()));
    let sessions = Resource::new(move || end.version().get(), |_| my_sessions());
    view! {
        <section class="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{crate::tr!(account.your_sessions)}</h2>
            <p class="hint">{crate::tr!(account.sessions_hint)}</p>
            {move || end.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNotice error=e/> })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap" tabindex="0">
                                <table class="sessions">
                                    <thead><tr>
                                        <th scope="col">{crate::tr!(account.browser)}</th>
                                        <th scope="col">{crate::tr!(account.address)}</th>
                                        <th scope="col">{crate::tr!(account.signed_in)}</th>
                                        <th scope="col">{crate::tr!(account.last_seen)}</th>
                                        <th scope="col"><span class="visually-hidden">{crate::tr!(account.end)}</span></th>
                                    </tr></thead>
                                    <tbody>{list.into_iter().map(|s| session_row(s, end)).collect_view()}</tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A time as the audit trail shows it: `2026-12-03 22:40:05 UTC`.
fn utc(rfc3339: &str) -> String {
    format!("{} UTC", rfc3339.replace('T', " ").trim_end_matches('Z'))
}

fn session_row(s: MySession, end: Action<String, Result<(), AppError>>) -> impl IntoView {
    let id = s.id.clone();
    view! {
        <tr data-current=s.current.to_string()>
            <td title=s.browser.clone().unwrap_or_default()>{s.browser.as_deref().map(browser_summary).unwrap_or_default()}{s.current.then(|| view! { " " <span class="badge">{crate::tr!(account.this_session)}</span> })}</td>
            <td>{s.ip.unwrap_or_default()}</td>
            <td>{utc(&s.started)}</td>
            <td>{utc(&s.last_seen)}</td>
            <td>{(!s.current).then(|| view! {
                <button type="button" class="end-session" on:click=move |_| { end.dispatch(id.clone()); }>{crate::tr!(account.end)}</button>
            })}</td>
        </tr>
    }
}
