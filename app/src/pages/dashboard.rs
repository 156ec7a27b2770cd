//! The dashboard: who fulfils, who refuses, who suspends, who never answers.

use crate::api::stats::get_dashboard;
use crate::components::charts::world_map::mapped_codes;
use crate::components::charts::{
    colour, Column, Columns, MapCountry, Point, Scatter, Segment, Series, StackedBars, StackedRow, SvgDownload, WorldMap,
};
use crate::components::ErrorNotice;
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{format_days, format_rate, CountryOrder, CountryRow, Counts, GroundRow, MonthRow, QuarterRow, ReciprocityRow};
use crate::domain::filter::StatusFilter;
use crate::domain::{country, Direction, Kind, Offence, Status};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

pub(crate) fn params_from(map: &leptos_router::params::ParamsMap) -> DashboardParams {
    let pairs: Vec<(&str, String)> =
        DashboardParams::KEYS.iter().filter_map(|k| map.get(k).map(|v| (*k, v.to_string()))).collect();
    DashboardParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(params_from));
    let data = Resource::new(move || params.get(), get_dashboard);
    view! {
        <Title text="Dashboard — Rogatory"/>
        <section class="page">
            <div class="page-head">
                <h1>"Dashboard"</h1>
                <a class="button" id="report-link" href=move || params.get().href("/report")>"Printable report"</a>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <DashboardFilters params=params.get_untracked() bases=d.legal_bases.clone()/>
                            <DashboardView data=d params=params.get_untracked()/>
                        }.into_any(),
                        Err(e) => view! { <DashboardFilters params=params.get_untracked() bases=Vec::new()/><ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str, current: Option<T>, any: &'static str) -> impl IntoView
where
    T: PartialEq,
{
    view! {
        <option value="" selected=current.is_none()>{any}</option>
        {all.iter().map(|x| view! { <option value=code(*x) selected=current == Some(*x)>{label(*x)}</option> }).collect_view()}
    }
}

#[component]
fn DashboardFilters(params: DashboardParams, bases: Vec<crate::domain::LegalBasis>) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let mut periods: Vec<(String, String)> = vec![
        ("12m".into(), "Last 12 calendar months".into()),
        ("18m".into(), "Last 18 calendar months".into()),
        ("24m".into(), "Last 24 calendar months".into()),
    ];
    periods.extend(DashboardParams::years(today).into_iter().map(|y| (y.to_string(), y.to_string())));
    periods.push(("all".into(), "All time".into()));
    periods.push(("custom".into(), "Custom…".into()));
    let current = params.period.code();
    let direction = params.direction.unwrap_or(Direction::Outgoing);
    view! {
        <Form action="/" method="get" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="d-direction">"Direction"</label>
                <select id="d-direction" name="direction">
                    {Direction::ALL.iter().map(|d| view! { <option value=d.code() selected=*d == direction>{d.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="d-period">"Period (start date)"</label>
                <select id="d-period" name="period">
                    {periods.into_iter().map(|(code, label)| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="d-from">"From"</label>
                <input id="d-from" type="date" name="from" value=params.from.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="d-to">"To"</label>
                <input id="d-to" type="date" name="to" value=params.to.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="d-kind">"Kind"</label>
                <select id="d-kind" name="kind">{options(Kind::ALL, Kind::code, Kind::label, params.kind, "Any kind")}</select>
            </div>
            <div class="field">
                <label for="d-offence">"Offence"</label>
                <select id="d-offence" name="offence">{options(Offence::ALL, Offence::code, Offence::label, params.offence, "Any offence")}</select>
            </div>
            <div class="field">
                <label for="d-country">"Country"</label>
                <select id="d-country" name="country">
                    <option value="" selected=params.country.is_none()>"All countries"</option>
                    {country::all().into_iter().map(|(code, name)| {
                        let selected = params.country.as_deref() == Some(code);
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            {params.case_id.map(|c| view! { <input type="hidden" name="case" value=c.to_string()/> })}
            {params.group_id.map(|g| view! { <input type="hidden" name="group" value=g.to_string()/> })}
            <div class="field">
                <label for="d-basis">"Legal basis"</label>
                <select id="d-basis" name="basis">
                    <option value="" selected=params.legal_basis.is_none()>"Any legal basis"</option>
                    {bases.into_iter().map(|b| {
                        let selected = params.legal_basis.as_deref() == Some(b.code.as_str());
                        view! { <option value=b.code selected=selected>{b.label}</option> }
                    }).collect_view()}
                </select>
            </div>
            {params.map_response.then(|| view! { <input type="hidden" name="map" value="response"/> })}
            <input type="hidden" name="order" value=params.order.code()/>
            <div class="field buttons">
                <button type="submit" class="primary">"Apply"</button>
                <a class="button" href="/">"Reset"</a>
            </div>
        </Form>
    }
}

fn tile(label: &'static str, value: String, key: &'static str, href: String, detail: Option<String>) -> impl IntoView {
    view! {
        <a class="tile" href=href data-tile=key>
            <span class="tile-label">{label}</span>
            <span class="tile-value">{value}</span>
            {detail.map(|d| view! { <span class="tile-detail">{d}</span> })}
        </a>
    }
}

pub(crate) fn segments(c: &Counts, p: &DashboardParams, today: chrono::NaiveDate, country: Option<&str>) -> Vec<Segment> {
    let link = |s: StatusFilter| p.drill_down(today, country, Some(s));
    vec![
        Segment { key: "fulfilled", label: "Fulfilled", value: c.fulfilled, href: link(StatusFilter::Is(Status::Fulfilled)) },
        Segment { key: "partially_fulfilled", label: "Partially fulfilled", value: c.partially_fulfilled, href: link(StatusFilter::Is(Status::PartiallyFulfilled)) },
        Segment { key: "refused", label: "Refused", value: c.refused, href: link(StatusFilter::Is(Status::Refused)) },
        Segment { key: "suspended", label: "Suspended", value: c.suspended, href: link(StatusFilter::Is(Status::Suspended)) },
        Segment { key: "in_time", label: "Open, in time", value: c.open_in_time(), href: link(StatusFilter::InTime) },
        Segment { key: "overdue", label: "No response (overdue)", value: c.overdue, href: link(StatusFilter::Overdue) },
        Segment { key: "withdrawn", label: "Withdrawn", value: c.withdrawn, href: link(StatusFilter::Is(Status::Withdrawn)) },
    ]
}

fn country_note(r: &CountryRow) -> String {
    let mark = if r.small_sample() { " *" } else { "" };
    format!("{} · {}{mark}", r.counts.total, format_rate(r.counts.fulfilment_rate()))
}

#[component]
fn DashboardView(data: Dashboard, params: DashboardParams) -> impl IntoView {
    let Dashboard { figures, countries, months, quarters, grounds, reciprocity, groups, group_rows, from, to, today, legal_bases: _ } = data;
    let c = figures.counts;
    let all = |s: Option<StatusFilter>| params.drill_down(today, None, s);
    let period = match (from, to) {
        (Some(f), Some(t)) => format!("{f} – {t}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("up to {t}"),
        (None, None) => "all time".into(),
    };
    let direction = params.direction.unwrap_or(Direction::Outgoing);
    let mut scopes = Vec::new();
    if let Some(c) = &params.country {
        scopes.push(format!("only {}", country::display(c)));
    }
    if let Some(g) = params.group_id {
        let name = groups.iter().find(|x| x.id == g).map(|x| x.name.clone()).unwrap_or_else(|| "an unknown group".into());
        scopes.push(format!("only the countries of {name}"));
    }
    if params.case_id.is_some() {
        scopes.push("only the requests of one case".into());
    }
    let scope = (!scopes.is_empty()).then(|| {
        let mut s = scopes.join(", ");
        s[..1].make_ascii_uppercase();
        format!("{s} — ")
    });
    let headline = format!(
        "{} of {} {} requests satisfied ({}), {}",
        c.satisfied(),
        c.base(),
        direction.label().to_lowercase(),
        format_rate(c.fulfilment_rate()),
        period
    );
    let rows: Vec<StackedRow> = countries
        .iter()
        .map(|r| StackedRow {
            label: country::display(&r.country),
            href: params.drill_down(today, Some(&r.country), None),
            segments: segments(&r.counts, &params, today, Some(&r.country)),
            note: country_note(r),
        })
        .collect();
    let csv_href = params.csv_href("countries");
    let order_link = |o: CountryOrder, label: &'static str| {
        let current = params.order == o;
        view! { <a href=params.with_order(o).href("/") class:current=current aria-current=current.then_some("true")>{label}</a> }
    };
    let legend = segments(&c, &params, today, None);
    view! {
        {scope.map(|s| view! {
            <p class="notice notice-ok scope">{s}<a href=DashboardParams { country: None, case_id: None, group_id: None, ..params.clone() }.href("/")>"show all"</a></p>
        })}
        <p class="headline" id="headline">{headline}</p>
        <div class="tiles">
            {tile("Total", c.total.to_string(), "total", all(None), Some("drafts not counted".into()))}
            {tile("Fulfilled", c.fulfilled.to_string(), "fulfilled", all(Some(StatusFilter::Is(Status::Fulfilled))), None)}
            {tile("Partially fulfilled", c.partially_fulfilled.to_string(), "partially_fulfilled", all(Some(StatusFilter::Is(Status::PartiallyFulfilled))), None)}
            {tile("Refused", c.refused.to_string(), "refused", all(Some(StatusFilter::Is(Status::Refused))), None)}
            {tile("Suspended", c.suspended.to_string(), "suspended", all(Some(StatusFilter::Is(Status::Suspended))), None)}
            {tile("Open", c.open.to_string(), "open", all(Some(StatusFilter::Open)), None)}
            {tile("No response (overdue)", c.overdue.to_string(), "overdue", all(Some(StatusFilter::Overdue)), None)}
            {tile("Fulfilment rate", format_rate(c.fulfilment_rate()), "fulfilment_rate", all(None),
                Some(format!("{} of {} fulfilled in full or in part", c.satisfied(), c.base())))}
            {tile("Response rate", format_rate(c.response_rate()), "response_rate", all(None),
                Some(format!("{} of {} answered", c.answered(), c.base())))}
            {tile("Days to answer", format_days(figures.days.median()), "median_days", all(None),
                Some(format!("median; 90th percentile {}", format_days(figures.days.p90()))))}
        </div>

        <div class="section-head">
            <h2 id="by-country">"By country"</h2>
            <nav class="order" aria-label="Order countries by">
                "Order by: " {order_link(CountryOrder::Volume, "volume")} " · "
                {order_link(CountryOrder::Fulfilment, "fulfilment rate")} " · "
                {order_link(CountryOrder::Overdue, "overdue")}
            </nav>
            <a class="button" href=csv_href download="rogatory-by-country.csv" rel="external" data-csv="countries">"Download CSV"</a>
        </div>
        <ul class="legend" aria-label="Legend">
            {legend.iter().map(|s| view! {
                <li data-key=s.key>
                    <svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="2" fill=colour(s.key)/></svg>
                    {s.label}
                </li>
            }).collect_view()}
        </ul>
        {if rows.is_empty() {
            view! { <p class="empty">"No requests in this period."</p> }.into_any()
        } else {
            view! {
                <figure id="chart-by-country" class="chart-figure">
                    <StackedBars rows title="Requests by country and outcome"/>
                    <SvgDownload target="chart-by-country" filename="rogatory-by-country.svg"/>
                </figure>
                <p class="hint">"Bars: requests by outcome; after each bar, the total and the fulfilment rate. "
                    "* fewer than 10 requests (withdrawn ones aside): read the rate with care. "
                    "Ordering by fulfilment rate uses the lower bound of its 95 % interval, so 1 of 1 does not rank above 90 of 100."</p>
            }.into_any()
        }}
        <details class="table-view" open=countries.len() <= 3 id="by-country-table">
            <summary>"Table of the same numbers"</summary>
            <div class="table-wrap">
                <table class="by-country">
                    <thead><tr>
                        <th scope="col">"Country"</th><th scope="col" class="num">"Total"</th>
                        <th scope="col" class="num">"Fulfilled"</th><th scope="col" class="num">"Partially"</th>
                        <th scope="col" class="num">"Refused"</th><th scope="col" class="num">"Suspended"</th>
                        <th scope="col" class="num">"Open"</th><th scope="col" class="num">"Overdue"</th>
                        <th scope="col" class="num">"Withdrawn"</th><th scope="col" class="num">"Fulfilment rate"</th>
                        <th scope="col" class="num">"Response rate"</th>
                    </tr></thead>
                    <tbody>
                        {countries.iter().map(|r| {
                            let k = r.counts;
                            view! {
                                <tr data-country=r.country.clone()>
                                    <td>
                                        <a href=params.drill_down(today, Some(&r.country), None)>{country::display(&r.country)}</a>
                                        " "
                                        <a class="country-dashboard" href=DashboardParams { country: Some(r.country.clone()), ..params.clone() }.href("/")
                                            title=format!("Dashboard of {}", country::display(&r.country))>"dashboard"</a>
                                    </td>
                                    <td class="num" data-col="total">{k.total}</td>
                                    <td class="num" data-col="fulfilled">{k.fulfilled}</td>
                                    <td class="num" data-col="partially_fulfilled">{k.partially_fulfilled}</td>
                                    <td class="num" data-col="refused">{k.refused}</td>
                                    <td class="num" data-col="suspended">{k.suspended}</td>
                                    <td class="num" data-col="open">{k.open}</td>
                                    <td class="num" data-col="overdue">{k.overdue}</td>
                                    <td class="num" data-col="withdrawn">{k.withdrawn}</td>
                                    <td class="num" data-col="fulfilment_rate">{format_rate(k.fulfilment_rate())}{r.small_sample().then_some(" *")}</td>
                                    <td class="num" data-col="response_rate">{format_rate(k.response_rate())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
        <Map countries=countries.clone() params=params.clone() today/>
        <GroupsCompared rows=group_rows params=params.clone()/>
        <OverTime months quarters params=params.clone() today/>
        <Grounds grounds params=params.clone()/>
        <Reciprocity rows=reciprocity params=params.clone() today/>
    }
}

/// A section heading with the download of its numbers as CSV.
fn section_head(id: &'static str, title: &'static str, params: &DashboardParams, chart: &'static str) -> impl IntoView {
    let filename = format!("rogatory-{chart}.csv");
    view! {
        <div class="section-head">
            <h2 id=id>{title}</h2>
            <a class="button" href=params.csv_href(chart) download=filename rel="external" data-csv=chart>"Download CSV"</a>
        </div>
    }
}

#[component]
pub(crate) fn Map(countries: Vec<CountryRow>, params: DashboardParams, today: chrono::NaiveDate) -> impl IntoView {
    let response = params.map_response;
    let metric = if response { "Response rate" } else { "Fulfilment rate" };
    let values: Vec<MapCountry> = countries
        .iter()
        .map(|r| {
            let rate = if response { r.counts.response_rate() } else { r.counts.fulfilment_rate() };
            let (n, what) = if response { (r.counts.answered(), "answered") } else { (r.counts.satisfied(), "fulfilled in full or in part") };
            MapCountry {
                code: r.country.clone(),
                rate,
                tip: format!("{}: {} of {} {what} ({})", country::display(&r.country), n, r.counts.base(), format_rate(rate)),
                href: params.drill_down(today, Some(&r.country), None),
            }
        })
        .collect();
    let on_map = mapped_codes();
    let missing: Vec<String> =
        countries.iter().filter(|r| !on_map.contains(&r.country.as_str())).map(|r| country::display(&r.country)).collect();
    let switch = |to_response: bool, label: &'static str| {
        let current = response == to_response;
        view! { <a href=DashboardParams { map_response: to_response, ..params.clone() }.href("/") class:current=current aria-current=current.then_some("true")>{label}</a> }
    };
    let title = format!("World map: {} by country", metric.to_lowercase());
    view! {
        <div class="section-head">
            <h2 id="map">"World map"</h2>
            <nav class="order" aria-label="Rate on the map">
                "Shows: " {switch(false, "fulfilment rate")} " · " {switch(true, "response rate")}
            </nav>
            <a class="button" href=params.csv_href("countries") download="rogatory-map.csv" rel="external" data-csv="map">"Download CSV"</a>
        </div>
        <figure id="chart-map" class="chart-figure">
            <WorldMap countries=values title/>
            <SvgDownload target="chart-map" filename="rogatory-map.svg"/>
        </figure>
        <p class="hint">{format!("{metric} of each country's requests in the period; click a country for its requests. The numbers are in the table under \"By country\".")}
            {(!missing.is_empty()).then(|| format!(" Too small for the map at this scale: {}.", missing.join(", ")))}</p>
    }
}

#[component]
fn OverTime(months: Vec<MonthRow>, quarters: Vec<QuarterRow>, params: DashboardParams, today: chrono::NaiveDate) -> impl IntoView {
    let series = vec![Series { key: "started", label: "Started" }, Series { key: "answered", label: "Answered" }];
    let columns: Vec<Column> = months
        .iter()
        .map(|m| Column { label: m.month.clone(), values: vec![m.started, m.answered], href: params.drill_down_month(today, &m.month) })
        .collect();
    view! {
        {section_head("over-time", "Over time", &params, "months")}
        {if months.is_empty() {
            view! { <p class="empty">"No requests in this period."</p> }.into_any()
        } else {
            view! {
                <ul class="legend">
                    {series.iter().map(|s| view! {
                        <li><svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="2" fill=colour(s.key)/></svg>{s.label}</li>
                    }).collect_view()}
                </ul>
                <figure id="chart-over-time" class="chart-figure">
                    <Columns columns series title="Requests started and answered per month"/>
                    <SvgDownload target="chart-over-time" filename="rogatory-over-time.svg"/>
                </figure>
            }.into_any()
        }}
        <p class="hint">"Click a month for the requests started in it. "
            <a href=params.csv_href("quarters") download="rogatory-quarters.csv" rel="external" data-csv="quarters">"Download the quarters as CSV"</a></p>
        <div class="table-wrap narrow-table">
            <table class="quarters">
                <caption>"Fulfilment rate by quarter of the start date"</caption>
                <thead><tr><th scope="col">"Quarter"</th><th scope="col" class="num">"Requests"</th>
                    <th scope="col" class="num">"Fulfilled (incl. partially)"</th><th scope="col" class="num">"Fulfilment rate"</th>
                    <th scope="col" class="num">"Response rate"</th></tr></thead>
                <tbody>
                    {quarters.iter().map(|q| view! {
                        <tr data-quarter=q.quarter.clone()>
                            <td>{q.quarter.clone()}</td>
                            <td class="num">{q.counts.total}</td>
                            <td class="num">{q.counts.satisfied()}</td>
                            <td class="num" data-col="fulfilment_rate">{format_rate(q.counts.fulfilment_rate())}</td>
                            <td class="num">{format_rate(q.counts.response_rate())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Grounds(grounds: Vec<GroundRow>, params: DashboardParams) -> impl IntoView {
    let total: i64 = grounds.iter().map(|g| g.count).sum();
    let max = grounds.iter().map(|g| g.count).max().unwrap_or(1).max(1);
    view! {
        {section_head("refusal-grounds", "Refusal grounds", &params, "grounds")}
        {if grounds.is_empty() {
            view! { <p class="empty">"No refusals in this period."</p> }.into_any()
        } else {
            view! {
                <table class="grounds">
                    <tbody>
                        {grounds.iter().map(|g| {
                            let w = 300.0 * g.count as f64 / max as f64;
                            view! {
                                <tr data-ground=g.ground.code()>
                                    <th scope="row">{g.ground.label()}</th>
                                    <td class="num" data-col="count">{g.count}</td>
                                    <td class="num">{format_rate(crate::domain::figures::rate(g.count, total))}</td>
                                    <td><svg width="300" height="12" aria-hidden="true"><rect width=format!("{w:.1}") height="12" fill=colour("refused")/></svg></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
fn Reciprocity(rows: Vec<ReciprocityRow>, params: DashboardParams, today: chrono::NaiveDate) -> impl IntoView {
    let points: Vec<Point> = rows
        .iter()
        .filter_map(|r| {
            let (x, y) = (r.theirs()?, r.ours()?);
            Some(Point {
                label: r.country.clone(),
                x,
                y,
                href: params.drill_down(today, Some(&r.country), None),
                tip: format!(
                    "{}: fulfils {} of our requests; we fulfil {} of its",
                    country::display(&r.country),
                    format_rate(Some(x)),
                    format_rate(Some(y))
                ),
            })
        })
        .collect();
    view! {
        {section_head("reciprocity", "Reciprocity", &params, "reciprocity")}
        <p class="hint">"For each country with requests both ways in the period: how it fulfils our requests, beside how we fulfil its requests."</p>
        {if rows.is_empty() {
            view! { <p class="empty">"No country has requests in both directions in this period."</p> }.into_any()
        } else {
            view! {
                <div class="reciprocity">
                    <div class="scatter-wrap">
                        <figure id="chart-reciprocity" class="chart-figure">
                            <Scatter points title="Reciprocity: their fulfilment of our requests against ours of theirs"
                                x_label="They fulfil ours" y_label="We fulfil theirs"/>
                            <SvgDownload target="chart-reciprocity" filename="rogatory-reciprocity.svg"/>
                        </figure>
                    </div>
                    <div class="table-wrap">
                        <table class="reciprocity-table">
                            <thead><tr><th scope="col">"Country"</th>
                                <th scope="col" class="num">"Our requests"</th><th scope="col" class="num">"They fulfil"</th>
                                <th scope="col" class="num">"Their requests"</th><th scope="col" class="num">"We fulfil"</th></tr></thead>
                            <tbody>
                                {rows.iter().map(|r| view! {
                                    <tr data-country=r.country.clone()>
                                        <td>{country::display(&r.country)}</td>
                                        <td class="num">{r.outgoing.total}</td>
                                        <td class="num" data-col="theirs">{format_rate(r.theirs())}</td>
                                        <td class="num">{r.incoming.total}</td>
                                        <td class="num" data-col="ours">{format_rate(r.ours())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn GroupsCompared(rows: Vec<crate::domain::group::GroupRow>, params: DashboardParams) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    view! {
        {section_head("groups", "Country groups side by side", &params, "groups")}
        <div class="table-wrap narrow-table">
            <table class="groups-compared">
                <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">"Total"</th>
                    <th scope="col" class="num">"Fulfilled (incl. partially)"</th><th scope="col" class="num">"Refused"</th>
                    <th scope="col" class="num">"Overdue"</th><th scope="col" class="num">"Fulfilment rate"</th>
                    <th scope="col" class="num">"Response rate"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|g| {
                        let href = DashboardParams { group_id: Some(g.id), country: None, ..params.clone() }.href("/");
                        let current = params.group_id == Some(g.id);
                        view! {
                            <tr data-group=g.name.clone() class:current=current>
                                <td><a href=href>{g.name.clone()}</a></td>
                                <td class="num" data-col="total">{g.counts.total}</td>
                                <td class="num">{g.counts.satisfied()}</td>
                                <td class="num">{g.counts.refused}</td>
                                <td class="num">{g.counts.overdue}</td>
                                <td class="num" data-col="fulfilment_rate">{format_rate(g.counts.fulfilment_rate())}</td>
                                <td class="num" data-col="response_rate">{format_rate(g.counts.response_rate())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
