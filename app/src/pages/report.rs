//! The printable report for a period (and, through the browser's "Save as PDF", its PDF):
//! headline figures, the by-country table and charts, the best and worst responders,
//! refusal grounds. The same figures as the dashboard, from the same server function.

use super::dashboard::{params_from, segments, Map};
use crate::api::stats::get_dashboard;
use crate::components::charts::{StackedBars, StackedRow};
use crate::components::ErrorNotice;
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{format_days, format_rate, responders, CountryRow};
use crate::domain::{country, Direction};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_from));
    let data = Resource::new(move || params.get(), get_dashboard);
    view! {
        <Title text="Report — Rogatory"/>
        <section class="page report">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! { <ReportView data=d params=params.get_untracked()/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn country_table(rows: &[CountryRow], caption: &'static str, id: &'static str) -> impl IntoView {
    view! {
        <table class="report-table" id=id>
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">"Country"</th><th scope="col" class="num">"Requests"</th>
                <th scope="col" class="num">"Fulfilled"</th><th scope="col" class="num">"Partially"</th>
                <th scope="col" class="num">"Refused"</th><th scope="col" class="num">"Suspended"</th>
                <th scope="col" class="num">"Overdue"</th><th scope="col" class="num">"Fulfilment rate"</th>
                <th scope="col" class="num">"Response rate"</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| {
                    let k = r.counts;
                    view! {
                        <tr data-country=r.country.clone()>
                            <td>{country::display(&r.country)}</td>
                            <td class="num">{k.total}</td>
                            <td class="num">{k.fulfilled}</td>
                            <td class="num">{k.partially_fulfilled}</td>
                            <td class="num">{k.refused}</td>
                            <td class="num">{k.suspended}</td>
                            <td class="num">{k.overdue}</td>
                            <td class="num" data-col="fulfilment_rate">{format_rate(k.fulfilment_rate())}{r.small_sample().then_some(" *")}</td>
                            <td class="num">{format_rate(k.response_rate())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A short table of responders: the rates and what is still unanswered.
fn responder_table(rows: &[CountryRow], caption: &'static str, id: &'static str, empty: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <div id=id>
                <p class="report-caption">{caption}</p>
                <p class="empty">{empty}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <table class="report-table" id=id>
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">"Country"</th><th scope="col" class="num">"Requests"</th>
                <th scope="col" class="num">"Fulfilment rate"</th><th scope="col" class="num">"Response rate"</th>
                <th scope="col" class="num">"Overdue"</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| view! {
                    <tr data-country=r.country.clone()>
                        <td>{country::display(&r.country)}</td>
                        <td class="num">{r.counts.total}</td>
                        <td class="num" data-col="fulfilment_rate">{format_rate(r.counts.fulfilment_rate())}</td>
                        <td class="num">{format_rate(r.counts.response_rate())}</td>
                        <td class="num">{r.counts.overdue}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ReportView(data: Dashboard, params: DashboardParams) -> impl IntoView {
    let c = data.figures.counts;
    let today = data.today;
    let direction = params.direction.unwrap_or(Direction::Outgoing);
    let period = match (data.from, data.to) {
        (Some(f), Some(t)) => format!("{f} – {t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (None, None) => "all time".into(),
    };
    let mut scope = Vec::new();
    if let Some(code) = &params.country {
        scope.push(country::display(code));
    }
    if let Some(g) = params.group_id.and_then(|g| data.groups.iter().find(|x| x.id == g)) {
        scope.push(g.name.clone());
    }
    let title = format!(
        "{} requests{}, {period}",
        direction.label(),
        if scope.is_empty() { String::new() } else { format!(" — {}", scope.join(", ")) }
    );
    let (best, worst) = responders(&data.countries, 5);
    let rows: Vec<StackedRow> = data
        .countries
        .iter()
        .map(|r| StackedRow {
            label: country::display(&r.country),
            href: params.drill_down(today, Some(&r.country), None),
            segments: segments(&r.counts, &params, today, Some(&r.country)),
            note: format!("{} · {}", r.counts.total, format_rate(r.counts.fulfilment_rate())),
        })
        .collect();
    let figures: Vec<(&'static str, String)> = vec![
        ("Requests (drafts not counted)", c.total.to_string()),
        ("Fulfilled", c.fulfilled.to_string()),
        ("Partially fulfilled", c.partially_fulfilled.to_string()),
        ("Refused", c.refused.to_string()),
        ("Suspended", c.suspended.to_string()),
        ("Withdrawn", c.withdrawn.to_string()),
        ("Open", c.open.to_string()),
        ("No response (overdue)", c.overdue.to_string()),
        ("Fulfilment rate", format!("{} ({} of {})", format_rate(c.fulfilment_rate()), c.satisfied(), c.base())),
        ("Response rate", format!("{} ({} of {})", format_rate(c.response_rate()), c.answered(), c.base())),
        ("Days to answer, median", format_days(data.figures.days.median())),
        ("Days to answer, 90th percentile", format_days(data.figures.days.p90())),
    ];
    let refusals: i64 = data.grounds.iter().map(|g| g.count).sum();
    let on_print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="report-head">
            <p class="report-kicker">"Rogatory — international legal assistance"</p>
            <h1 id="report-title">{title}</h1>
            <p class="hint">{format!("Figures as of {today}; definitions in the domain reference. * fewer than 10 requests: read the rate with care.")}</p>
            <div class="no-print actions">
                <button type="button" class="primary" id="print-report" on:click=on_print>"Print or save as PDF"</button>
                <a class="button" href=params.href("/")>"Back to the dashboard"</a>
            </div>
        </div>
        <h2>"Headline"</h2>
        <p class="headline" id="report-headline">{format!(
            "{} of {} {} requests satisfied ({}).",
            c.satisfied(), c.base(), direction.label().to_lowercase(), format_rate(c.fulfilment_rate())
        )}</p>
        <table class="report-table figures" id="report-figures">
            <tbody>
                {figures.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td class="num">{v}</td></tr> }).collect_view()}
            </tbody>
        </table>

        <h2>"Best and worst responders"</h2>
        <p class="hint">"Among countries with at least 10 requests (withdrawn aside): best by the lower bound of the fulfilment rate's 95 % interval, worst by the lowest fulfilment rate."</p>
        <div class="report-columns">
            {responder_table(&best, "Best responders", "report-best", "No country has 10 or more requests in this period.")}
            {responder_table(&worst, "Worst responders", "report-worst", "No other country has 10 or more requests in this period.")}
        </div>

        <h2 class="page-break">"By country"</h2>
        {(!rows.is_empty()).then(|| view! { <figure class="chart-figure"><StackedBars rows title="Requests by country and outcome"/></figure> })}
        {country_table(&data.countries, "Every country", "report-countries")}

        <div class="page-break">
            <Map countries=data.countries.clone() params=params.clone() today/>
        </div>

        <h2>"Refusal grounds"</h2>
        <table class="report-table" id="report-grounds">
            <thead><tr><th scope="col">"Ground"</th><th scope="col" class="num">"Refusals"</th><th scope="col" class="num">"Share"</th></tr></thead>
            <tbody>
                {data.grounds.iter().map(|g| view! {
                    <tr data-ground=g.ground.code()>
                        <td>{g.ground.label()}</td>
                        <td class="num">{g.count}</td>
                        <td class="num">{format_rate(crate::domain::figures::rate(g.count, refusals))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
