//! The printable report for a period (and, through the browser's "Save as PDF", its PDF):
//! headline figures, the by-country table and charts, the best and worst responders,
//! refusal grounds. The same figures as the dashboard, from the same server function.

use super::dashboard::{params_from, segments, Map};
use crate::api::stats::get_dashboard;
use crate::components::charts::{StackedBars, StackedRow};
use crate::components::ErrorNotice;
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{responders, CountryRow};
use crate::domain::Direction;
use crate::labels::Label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_from));
    let data = Resource::new(move || params.get(), get_dashboard);
    view! {
        <Title text={crate::tr!(report.report_rogatory)}/>
        <section class="page report">
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(report.loading)}</p> }>
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
                <th scope="col">{crate::tr!(report.country)}</th><th scope="col" class="num">{crate::tr!(report.requests)}</th>
                <th scope="col" class="num">{crate::tr!(report.fulfilled)}</th><th scope="col" class="num">{crate::tr!(report.partially)}</th>
                <th scope="col" class="num">{crate::tr!(report.refused)}</th><th scope="col" class="num">{crate::tr!(report.suspended)}</th>
                <th scope="col" class="num">{crate::tr!(report.overdue)}</th><th scope="col" class="num">{crate::tr!(report.fulfilment_rate)}</th>
                <th scope="col" class="num">{crate::tr!(report.response_rate)}</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| {
                    let k = r.counts;
                    view! {
                        <tr data-country=r.country.clone()>
                            <td>{crate::lang::country(&r.country)}</td>
                            <td class="num">{k.total}</td>
                            <td class="num">{k.fulfilled}</td>
                            <td class="num">{k.partially_fulfilled}</td>
                            <td class="num">{k.refused}</td>
                            <td class="num">{k.suspended}</td>
                            <td class="num">{k.overdue}</td>
                            <td class="num" data-col="fulfilment_rate">{crate::lang::rate(k.fulfilment_rate())}{r.small_sample().then_some(" *")}</td>
                            <td class="num">{crate::lang::rate(k.response_rate())}</td>
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
                <th scope="col">{crate::tr!(report.country)}</th><th scope="col" class="num">{crate::tr!(report.requests)}</th>
                <th scope="col" class="num">{crate::tr!(report.fulfilment_rate)}</th><th scope="col" class="num">{crate::tr!(report.response_rate)}</th>
                <th scope="col" class="num">{crate::tr!(report.overdue)}</th>
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| view! {
                    <tr data-country=r.country.clone()>
                        <td>{crate::lang::country(&r.country)}</td>
                        <td class="num">{r.counts.total}</td>
                        <td class="num" data-col="fulfilment_rate">{crate::lang::rate(r.counts.fulfilment_rate())}</td>
                        <td class="num">{crate::lang::rate(r.counts.response_rate())}</td>
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
    let (satisfied, base, rate) = super::headline_figures(&c);
    let today = data.today;
    let direction = params.direction.unwrap_or(Direction::Outgoing);
    let period = super::period_label(data.from, data.to);
    let mut scope = Vec::new();
    if let Some(code) = &params.country {
        scope.push(crate::lang::country(code));
    }
    if let Some(g) = params.group_id.and_then(|g| data.groups.iter().find(|x| x.id == g)) {
        scope.push(g.name.clone());
    }
    let scope = if scope.is_empty() { String::new() } else { format!(" — {}", scope.join(", ")) };
    let title = match direction {
        Direction::Outgoing => crate::tr!(report.title_outgoing, scope = scope, period = period).to_string(),
        Direction::Incoming => crate::tr!(report.title_incoming, scope = scope, period = period).to_string(),
    };
    let (best, worst) = responders(&data.countries, 5);
    let rows: Vec<StackedRow> = data
        .countries
        .iter()
        .map(|r| StackedRow {
            label: crate::lang::country(&r.country),
            href: params.drill_down(today, Some(&r.country), None),
            segments: segments(&r.counts, &params, today, Some(&r.country)),
            note: format!("{} · {}", r.counts.total, crate::lang::rate(r.counts.fulfilment_rate())),
        })
        .collect();
    let figures: Vec<(&'static str, String)> = vec![
        (crate::tr!(report.requests_drafts_not_counted), c.total.to_string()),
        (crate::tr!(report.fulfilled), c.fulfilled.to_string()),
        (crate::tr!(report.partially_fulfilled), c.partially_fulfilled.to_string()),
        (crate::tr!(report.refused), c.refused.to_string()),
        (crate::tr!(report.suspended), c.suspended.to_string()),
        (crate::tr!(report.withdrawn), c.withdrawn.to_string()),
        (crate::tr!(report.open), c.open.to_string()),
        (crate::tr!(report.no_response_overdue), c.overdue.to_string()),
        (
            crate::tr!(report.fulfilment_rate),
            crate::tr!(report.rate_of, rate = crate::lang::rate(c.fulfilment_rate()), n = c.satisfied(), base = c.base())
                .to_string(),
        ),
        (
            crate::tr!(report.response_rate),
            crate::tr!(report.rate_of, rate = crate::lang::rate(c.response_rate()), n = c.answered(), base = c.base())
                .to_string(),
        ),
        (crate::tr!(report.days_to_answer_median), crate::lang::days(data.figures.days.median())),
        (crate::tr!(report.days_to_answer_90th_percentile), crate::lang::days(data.figures.days.p90())),
        (crate::tr!(report.days_without_stopped_time_median), crate::lang::days(data.figures.net_days.median())),
        (crate::tr!(report.days_to_acknowledge_median), crate::lang::days(data.figures.ack_days.median())),
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
            <p class="report-kicker">{crate::tr!(report.rogatory_international_legal_assistance)}</p>
            <h1 id="report-title">{title}</h1>
            <p class="hint">{crate::tr!(report.as_of, today = crate::lang::date(crate::lang::current(), today)).to_string()}</p>
            <div class="no-print actions">
                <button type="button" class="primary" id="print-report" on:click=on_print>{crate::tr!(report.print_or_save_as_pdf)}</button>
                <a class="button" href=params.href("/")>{crate::tr!(report.back_to_the_dashboard)}</a>
            </div>
        </div>
        <h2>{crate::tr!(report.headline)}</h2>
        <p class="headline" id="report-headline">{match direction {
            Direction::Outgoing => crate::tr!(report.headline_outgoing, satisfied = satisfied, base = base, rate = rate).to_string(),
            Direction::Incoming => crate::tr!(report.headline_incoming, satisfied = satisfied, base = base, rate = rate).to_string(),
        }}</p>
        <table class="report-table figures" id="report-figures">
            <tbody>
                {figures.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td class="num">{v}</td></tr> }).collect_view()}
            </tbody>
        </table>

        <h2>{crate::tr!(report.best_and_worst_responders)}</h2>
        <p class="hint">{crate::tr!(report.among_countries_with_at_least_10)}</p>
        <div class="report-columns">
            {responder_table(&best, crate::tr!(report.best_responders), "report-best", crate::tr!(report.no_country_has_10_or_more))}
            {responder_table(&worst, crate::tr!(report.worst_responders), "report-worst", crate::tr!(report.no_other_country_has_10_or))}
        </div>

        <h2 class="page-break">{crate::tr!(report.by_country)}</h2>
        {(!rows.is_empty()).then(|| view! { <figure class="chart-figure"><StackedBars rows title={crate::tr!(report.requests_by_country_and_outcome)}/></figure> })}
        {country_table(&data.countries, crate::tr!(report.every_country), "report-countries")}

        <div class="page-break">
            <Map countries=data.countries.clone() params=params.clone() today/>
        </div>

        <h2>{crate::tr!(report.refusal_grounds)}</h2>
        <table class="report-table" id="report-grounds">
            <thead><tr><th scope="col">{crate::tr!(report.ground)}</th><th scope="col" class="num">{crate::tr!(report.refusals)}</th><th scope="col" class="num">{crate::tr!(report.share)}</th></tr></thead>
            <tbody>
                {data.grounds.iter().map(|g| view! {
                    <tr data-ground=g.ground.code()>
                        <td>{g.ground.text()}</td>
                        <td class="num">{g.count}</td>
                        <td class="num">{crate::lang::rate(crate::domain::figures::rate(g.count, refusals))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
