//! `/compare`: two periods side by side per country — each period's requests and its
//! fulfilment and response rates, the change in points and, in words, whether the
//! change is larger than chance (a two-proportion test, domain.md "Comparing periods").

use crate::api::stats::{get_comparison, Comparison};
use crate::components::ErrorNotice;
use crate::domain::compare::{Change, ComparePeriods, CompareRow, SIGNIFICANCE};
use crate::domain::Direction;
use crate::labels::Label;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map();
    let pairs = Memo::new(move |_| {
        query.with(|q| {
            ComparePeriods::KEYS.iter().filter_map(|k| q.get(k).map(|v| (k.to_string(), v.to_string()))).collect::<Vec<_>>()
        })
    });
    let data = Resource::new(move || pairs.get(), get_comparison);
    view! {
        <Title text={crate::tr!(compare.compare_rogatory)}/>
        <section class="page compare">
            <h1>{crate::tr!(compare.compare_periods)}</h1>
            <p class="hint">{crate::tr!(compare.hint)}</p>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(dashboard.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(c) => view! { <PeriodsForm periods=c.periods.clone()/> <CompareTable c/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The two periods, as a form the URL carries (it works before any script runs).
#[component]
fn PeriodsForm(periods: ComparePeriods) -> impl IntoView {
    let date = |id: &'static str, name: &'static str, label: String, value: chrono::NaiveDate| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type="date" value=value.to_string()/>
            </div>
        }
    };
    let direction = periods.direction;
    view! {
        <form method="get" action="/compare" class="filters compare-form">
            <div class="field">
                <label for="c-direction">{crate::tr!(dashboard.direction)}</label>
                <select id="c-direction" name="direction">
                    {[Direction::Outgoing, Direction::Incoming].into_iter().map(|d| view! {
                        <option value=d.code() selected=d == direction>{d.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset>
                <legend>{crate::tr!(compare.period_a)}</legend>
                {date("c-a-from", "a_from", crate::tr!(dashboard.from).to_string(), periods.a.0)}
                {date("c-a-to", "a_to", crate::tr!(dashboard.to).to_string(), periods.a.1)}
            </fieldset>
            <fieldset>
                <legend>{crate::tr!(compare.period_b)}</legend>
                {date("c-b-from", "b_from", crate::tr!(dashboard.from).to_string(), periods.b.0)}
                {date("c-b-to", "b_to", crate::tr!(dashboard.to).to_string(), periods.b.1)}
            </fieldset>
            <button type="submit" class="primary">{crate::tr!(compare.compare)}</button>
        </form>
    }
}

/// A change in words: "+11.2 points, larger than chance (p = 0.002)".
fn in_words(change: Option<Change>) -> String {
    let Some(c) = change else { return "—".into() };
    let locale = crate::lang::current();
    let points = format!("{}{}", if c.points > 0.0 { "+" } else { "" }, crate::lang::decimal1(locale, c.points));
    let p = crate::lang::localize_number_text(locale, &format_p(c.p));
    if c.larger_than_chance() {
        crate::tr!(compare.larger_than_chance, points = points, p = p)
    } else {
        crate::tr!(compare.could_be_chance, points = points, p = p)
    }
}

/// A p-value as people read it: "0.002", "0.41", "< 0.001"; near 0.05 with as many
/// decimals as it takes to show on which side of it the value lies ("0.0496", "0.051").
fn format_p(p: f64) -> String {
    if p < 0.001 {
        return "< 0.001".into();
    }
    let first = if p < 0.01 { 3 } else { 2 };
    (first..=6)
        .map(|decimals| format!("{p:.decimals$}"))
        .find(|s| s.parse::<f64>().is_ok_and(|r| r != SIGNIFICANCE && (r < SIGNIFICANCE) == (p < SIGNIFICANCE)))
        .unwrap_or_else(|| format!("{p:.6}"))
}

/// The comparison in two tables, one per rate: each country's requests and fulfilment
/// rate in both periods and the change; then the response rates and their change.
#[component]
fn CompareTable(c: Comparison) -> impl IntoView {
    let locale = crate::lang::current();
    let (a, b) = (c.periods.a, c.periods.b);
    let period = move |(from, to): (chrono::NaiveDate, chrono::NaiveDate)| {
        format!("{} – {}", crate::lang::date(locale, from), crate::lang::date(locale, to))
    };
    let periods = crate::tr!(compare.caption, a = period(a), b = period(b));
    let name = |r: &CompareRow| {
        r.country.as_deref().map(crate::lang::country).unwrap_or_else(|| crate::tr!(dashboard.all_countries).to_string())
    };
    let fulfilment_row = move |r: &CompareRow| {
        let f = r.fulfilment();
        view! {
            <tr data-country=r.country.clone().unwrap_or_default() class:all=r.country.is_none()>
                <th scope="row">{name(r)}</th>
                <td class="num" data-col="a_total">{crate::lang::integer(locale, r.a.total)}</td>
                <td class="num" data-col="a_fulfilment">{crate::lang::rate(r.a.fulfilment_rate())}</td>
                <td class="num" data-col="b_total">{crate::lang::integer(locale, r.b.total)}</td>
                <td class="num" data-col="b_fulfilment">{crate::lang::rate(r.b.fulfilment_rate())}</td>
                <td data-col="fulfilment_change" class:significant=f.is_some_and(|c| c.larger_than_chance())>{in_words(f)}</td>
            </tr>
        }
    };
    let response_row = move |r: &CompareRow| {
        let s = r.response();
        view! {
            <tr data-country=r.country.clone().unwrap_or_default() class:all=r.country.is_none()>
                <th scope="row">{name(r)}</th>
                <td class="num" data-col="a_response">{crate::lang::rate(r.a.response_rate())}</td>
                <td class="num" data-col="b_response">{crate::lang::rate(r.b.response_rate())}</td>
                <td data-col="response_change" class:significant=s.is_some_and(|c| c.larger_than_chance())>{in_words(s)}</td>
            </tr>
        }
    };
    view! {
        <h2>{crate::tr!(compare.fulfilment_heading)}</h2>
        <div tabindex="0" class="table-wrap">
            <table class="compare-table fulfilment">
                <caption>{periods.clone()}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(dashboard.country)}</th>
                    <th scope="col" class="num">{crate::tr!(compare.a_requests)}</th>
                    <th scope="col" class="num">{crate::tr!(compare.a_fulfilment)}</th>
                    <th scope="col" class="num">{crate::tr!(compare.b_requests)}</th>
                    <th scope="col" class="num">{crate::tr!(compare.b_fulfilment)}</th>
                    <th scope="col">{crate::tr!(compare.fulfilment_change)}</th>
                </tr></thead>
                <tbody>{c.rows.iter().map(fulfilment_row).collect_view()}</tbody>
            </table>
        </div>
        <h2>{crate::tr!(compare.response_heading)}</h2>
        <div tabindex="0" class="table-wrap">
            <table class="compare-table response">
                <caption>{periods}</caption>
                <thead><tr>
                    <th scope="col">{crate::tr!(dashboard.country)}</th>
                    <th scope="col" class="num">{crate::tr!(compare.a_response)}</th>
                    <th scope="col" class="num">{crate::tr!(compare.b_response)}</th>
                    <th scope="col">{crate::tr!(compare.response_change)}</th>
                </tr></thead>
                <tbody>{c.rows.iter().map(response_row).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn p_values_are_written_as_people_read_them() {
        assert_eq!(super::format_p(0.00196), "0.002");
        assert_eq!(super::format_p(0.0004), "< 0.001");
        assert_eq!(super::format_p(0.3291), "0.33");
        // near the threshold, on the right side of it
        assert_eq!(super::format_p(0.0496), "0.0496");
        assert_eq!(super::format_p(0.051), "0.051");
        assert_eq!(super::format_p(0.05), "0.050000");
        assert_eq!(super::format_p(0.046), "0.046");
        assert_eq!(super::format_p(0.06), "0.06");
    }
}
