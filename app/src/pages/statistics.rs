//! `/statistics`: the statistics pack of a period (domain.md, "The statistics pack") —
//! every table of `tables::pack_tables`, each downloadable as CSV, and the whole as an
//! Excel workbook.

use crate::api::stats::get_statistics;
use crate::components::ErrorNotice;
use crate::domain::statistics::PackPeriod;
use crate::domain::validation::message_for;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::tables::{pack_tables, Cell, Table};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let query = use_query_map();
    let period = Memo::new(move |_| {
        query.with(|q| (q.get("from").unwrap_or_default().to_string(), q.get("to").unwrap_or_default().to_string()))
    });
    let data = Resource::new(move || period.get(), |(from, to)| get_statistics(from, to));
    view! {
        <Title text={crate::tr!(statistics.page_title)}/>
        <section class="page statistics">
            <h1>{crate::tr!(statistics.statistics_pack)}</h1>
            <p class="hint">{crate::tr!(statistics.hint)}</p>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(dashboard.loading)}</p> }>
                {move || Suspend::new(async move {
                    let (from, to) = period.get_untracked();
                    match data.await {
                        Ok(pack) => view! {
                            <PeriodForm from=pack.period.from.to_string() to=pack.period.to.to_string() errors=Vec::new()/>
                            <PackView period=pack.period tables=pack_tables(&pack)/>
                        }.into_any(),
                        Err(AppError::Validation(errors)) => view! { <PeriodForm from to errors/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The period, as a form the URL carries; checked in the browser before it is sent (and
/// again on the server).
#[component]
fn PeriodForm(from: String, to: String, errors: Vec<FieldError>) -> impl IntoView {
    let (from, to) = (RwSignal::new(from), RwSignal::new(to));
    let errors = RwSignal::new(errors);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let today = crate::lang::today();
        match PackPeriod::parse(&from.get_untracked(), &to.get_untracked(), today) {
            Ok(_) => errors.set(Vec::new()),
            Err(found) => {
                ev.prevent_default();
                errors.set(found);
            }
        }
    };
    let date = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        let error_id = format!("{id}-error");
        let invalid = move || errors.with(|e| message_for(e, id).is_some());
        view! {
            <div class="field" class:invalid=invalid>
                <label for=id>{label}</label>
                <input id=id name=id type="date" required aria-describedby=error_id.clone()
                    aria-invalid=move || invalid().to_string()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                <p class="field-error" id=error_id aria-live="polite">{move || errors.with(|e| message_for(e, id).map(str::to_string))}</p>
            </div>
        }
    };
    view! {
        <form method="get" action="/statistics" class="filters statistics-form" novalidate on:submit=on_submit>
            {date("from", crate::tr!(statistics.from), from)}
            {date("to", crate::tr!(statistics.to), to)}
            <button type="submit" class="primary">{crate::tr!(statistics.make)}</button>
        </form>
    }
}

#[component]
fn PackView(period: PackPeriod, tables: Vec<Table>) -> impl IntoView {
    let locale = crate::lang::current();
    let caption = crate::tr!(
        statistics.period_caption,
        from = crate::lang::date(locale, period.from),
        to = crate::lang::date(locale, period.to)
    );
    let query = format!("from={}&to={}", period.from, period.to);
    view! {
        <p class="period-caption" id="pack-period">{caption}</p>
        <p class="downloads">
            <a class="button" id="pack-xlsx" href=format!("/statistics.xlsx?{query}") download>
                {crate::tr!(statistics.download_xlsx)}
            </a>
        </p>
        {tables.into_iter().map(|t| view! { <TableView table=t query=query.clone()/> }).collect_view()}
    }
}

fn cell_text(locale: crate::i18n::Locale, cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Count(n) => crate::lang::integer(locale, *n),
        Cell::Days(d) => crate::lang::days(*d),
        Cell::Date(d) => d.map(|d| crate::lang::date(locale, d)).unwrap_or_else(|| "—".into()),
        Cell::Rate(r) => crate::lang::rate(*r),
        Cell::Money(cents) => crate::lang::amount(locale, *cents, "").trim_end_matches('\u{a0}').to_string(),
    }
}

/// One table of the pack with its CSV link; a table with nothing but its total says so.
#[component]
fn TableView(table: Table, query: String) -> impl IntoView {
    let locale = crate::lang::current();
    let heading_id = format!("{}-title", table.name);
    let csv = format!("/statistics.csv?{query}&table={}", table.name);
    let csv_label = crate::tr!(statistics.download_table_csv_label, title = table.title.clone());
    // a table with nothing but its total (or nothing at all) says so
    let empty = table.rows.iter().all(|r| r.total) && table.name != "summary";
    let columns = table.columns.clone();
    let body = if empty {
        view! { <p class="empty">{crate::tr!(statistics.none_in_period)}</p> }.into_any()
    } else {
        view! {
            <div tabindex="0" class="table-wrap" role="region" aria-labelledby=heading_id.clone()>
                <table class="stat-table" data-table=table.name.clone() aria-labelledby=heading_id.clone()>
                    <thead><tr>
                        {table.columns.iter().enumerate().map(|(i, c)| view! {
                            <th scope="col" class:num=i != 0>{c.label.clone()}</th>
                        }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table.rows.into_iter().map(|r| {
                            let mut cells = r.cells.iter().zip(&columns);
                            let first = cells.next().map(|(c, _)| cell_text(locale, c)).unwrap_or_default();
                            view! {
                                <tr data-key=r.key.clone() class:total=r.total>
                                    <th scope="row">{first}</th>
                                    {cells.map(|(c, col)| view! {
                                        <td class="num" data-col=col.key.clone()>{cell_text(locale, c)}</td>
                                    }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="stat-section" data-section=table.name.clone()>
            <div class="stat-heading">
                <h2 id=heading_id>{table.title.clone()}</h2>
                {(!empty).then(|| view! { <a class="csv-link" href=csv download aria-label=csv_label>{crate::tr!(statistics.download_table_csv)}</a> })}
            </div>
            {body}
        </section>
    }
}
