//! The dashboard: who fulfils, who refuses, who suspends, who never answers.

use crate::api::stats::get_dashboard;
use crate::components::charts::world_map::mapped_codes;
use crate::components::charts::{
    colour, Column, Columns, MapCountry, Mark, Point, Scatter, Segment, Series, StackedBars, StackedRow, SvgDownload, Swatch,
    WorldMap,
};
use crate::components::ErrorNotice;
use crate::domain::dashboard::{Dashboard, DashboardParams};
use crate::domain::figures::{CountryOrder, CountryRow, Counts, DaysToAnswer, GroundRow, MonthRow, QuarterRow, ReciprocityRow};
use crate::domain::filter::StatusFilter;
use crate::domain::{Direction, Kind, Offence, Status};
use crate::labels::Label;
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
        <Title text={crate::tr!(dashboard.dashboard_rogatory)}/>
        <section class="page">
            <div class="page-head">
                <h1>{crate::tr!(dashboard.dashboard)}</h1>
                <a class="button" id="compare-link" href="/compare">{crate::tr!(compare.compare_periods)}</a>
                <a class="button" id="report-link" href=move || params.get().href("/report")>{crate::tr!(dashboard.printable_report)}</a>
                <a class="button" id="dashboard-xlsx" href=move || params.get().href("/dashboard.xlsx") rel="external" download="rogatory-dashboard.xlsx"
                    title={crate::tr!(dashboard.download_xlsx_title)}>{crate::tr!(dashboard.download_xlsx)}</a>
            </div>
            <crate::pages::custody::CustodyTile/>
            <Transition fallback=|| view! { <p class="loading">{crate::tr!(dashboard.loading)}</p> }>
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

fn options<T: Copy + PartialEq>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    current: Option<T>,
    any: &'static str,
) -> impl IntoView {
    view! {
        <option value="" selected=current.is_none()>{any}</option>
        {all.iter().map(|x| view! { <option value=code(*x) selected=current == Some(*x)>{label(*x)}</option> }).collect_view()}
    }
}

#[component]
fn DashboardFilters(params: DashboardParams, bases: Vec<crate::domain::LegalBasis>) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let mut periods: Vec<(String, String)> = vec![
        ("12m".into(), crate::tr!(dashboard.last_12_calendar_months).into()),
        ("18m".into(), crate::tr!(dashboard.last_18_calendar_months).into()),
        ("24m".into(), crate::tr!(dashboard.last_24_calendar_months).into()),
    ];
    periods.extend(DashboardParams::years(today).into_iter().map(|y| (y.to_string(), y.to_string())));
    periods.push(("all".into(), crate::tr!(dashboard.all_time).into()));
    periods.push(("custom".into(), crate::tr!(dashboard.custom).into()));
    let current = params.period.code();
    let direction = params.direction.unwrap_or(Direction::Outgoing);
    view! {
        <Form action="/" method="get" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="d-direction">{crate::tr!(dashboard.direction)}</label>
                <select id="d-direction" name="direction">
                    {Direction::ALL.iter().map(|d| view! { <option value=d.code() selected=*d == direction>{d.text()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="d-period">{crate::tr!(dashboard.period_start_date)}</label>
                <select id="d-period" name="period">
                    {periods.into_iter().map(|(code, label)| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="d-from">{crate::tr!(dashboard.from)}</label>
                <input id="d-from" type="date" name="from" value=params.from.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="d-to">{crate::tr!(dashboard.to)}</label>
                <input id="d-to" type="date" name="to" value=params.to.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="d-kind">{crate::tr!(dashboard.kind)}</label>
                <select id="d-kind" name="kind">{options(Kind::ALL, Kind::code, Kind::label, params.kind, crate::tr!(dashboard.any_kind))}</select>
            </div>
            <div class="field">
                <label for="d-offence">{crate::tr!(dashboard.offence)}</label>
                <select id="d-offence" name="offence">{options(Offence::ALL, Offence::code, Offence::label, params.offence, crate::tr!(dashboard.any_offence))}</select>
            </div>
            <div class="field">
                <label for="d-country">{crate::tr!(dashboard.country)}</label>
                <select id="d-country" name="country">
                    <option value="" selected=params.country.is_none()>{crate::tr!(dashboard.all_countries)}</option>
                    {crate::lang::countries().into_iter().map(|(code, name)| {
                        let selected = params.country.as_deref() == Some(code);
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            {params.case_id.map(|c| view! { <input type="hidden" name="case" value=c.to_string()/> })}
            {params.group_id.map(|g| view! { <input type="hidden" name="group" value=g.to_string()/> })}
            <div class="field">
                <label for="d-basis">{crate::tr!(dashboard.legal_basis)}</label>
                <select id="d-basis" name="basis">
                    <option value="" selected=params.legal_basis.is_none()>{crate::tr!(dashboard.any_legal_basis)}</option>
                    {bases.into_iter().map(|b| {
                        let selected = params.legal_basis.as_deref() == Some(b.code.as_str());
                        view! { <option value=b.code selected=selected>{crate::labels::legal_basis(&b.code, &b.label)}</option> }
                    }).collect_view()}
                </select>
            </div>
            {params.map_response.then(|| view! { <input type="hidden" name="map" value="response"/> })}
            <input type="hidden" name="order" value=params.order.code()/>
            <div class="field buttons">
                <button type="submit" class="primary">{crate::tr!(dashboard.apply)}</button>
                <a class="button" href="/">{crate::tr!(dashboard.reset)}</a>
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
        Segment {
            key: "fulfilled",
            label: crate::tr!(dashboard.fulfilled),
            value: c.fulfilled,
            href: link(StatusFilter::Is(Status::Fulfilled)),
        },
        Segment {
            key: "partially_fulfilled",
            label: crate::tr!(dashboard.partially_fulfilled),
            value: c.partially_fulfilled,
            href: link(StatusFilter::Is(Status::PartiallyFulfilled)),
        },
        Segment {
            key: "refused",
            label: crate::tr!(dashboard.refused),
            value: c.refused,
            href: link(StatusFilter::Is(Status::Refused)),
        },
        Segment {
            key: "suspended",
            label: crate::tr!(dashboard.suspended),
            value: c.suspended,
            href: link(StatusFilter::Is(Status::Suspended)),
        },
        Segment {
            key: "in_time",
            label: crate::tr!(dashboard.open_in_time),
            value: c.open_in_time(),
            href: link(StatusFilter::InTime),
        },
        Segment {
            key: "overdue",
            label: crate::tr!(dashboard.no_response_overdue),
            value: c.overdue,
            href: link(StatusFilter::Overdue),
        },
        Segment {
            key: "withdrawn",
            label: crate::tr!(dashboard.withdrawn),
            value: c.withdrawn,
            href: link(StatusFilter::Is(Status::Withdrawn)),
        },
    ]
}

fn country_note(r: &CountryRow) -> String {
    let mark = if r.small_sample() { " *" } else { "" };
    format!("{} · {}{mark}", r.counts.total, crate::lang::rate(r.counts.fulfilment_rate()))
}

#[component]
fn DashboardView(data: Dashboard, params: DashboardParams) -> impl IntoView {
    let Dashboard {
        figures,
        countries,
        months,
        quarters,
        grounds,
        reciprocity,
        groups,
        group_rows,
        extradition_persons,
        pending_ages,
        events,
        from,
        to,
        today,
        legal_bases: _,
    } = data;
    let c = figures.counts;
    let all = |s: Option<StatusFilter>| params.drill_down(today, None, s);
    let period = super::period_label(from, to);
    let direction = params.direction.unwrap_or(Direction::Outgoing);
    let mut scopes = Vec::new();
    if let Some(c) = &params.country {
        scopes.push(crate::tr!(dashboard.only_country, country = crate::lang::country(c)).to_string());
    }
    if let Some(g) = params.group_id {
        let name = groups
            .iter()
            .find(|x| x.id == g)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| crate::tr!(dashboard.unknown_group).into());
        scopes.push(crate::tr!(dashboard.only_group, name = name).to_string());
    }
    if params.case_id.is_some() {
        scopes.push(crate::tr!(dashboard.only_case).into());
    }
    let scope = (!scopes.is_empty()).then(|| format!("{} — ", super::capitalize(&scopes.join(", "))));
    let (satisfied, base, rate) = super::headline_figures(&c);
    let headline = match direction {
        Direction::Outgoing => {
            crate::tr!(dashboard.headline_outgoing, satisfied = satisfied, base = base, rate = rate, period = period).to_string()
        }
        Direction::Incoming => {
            crate::tr!(dashboard.headline_incoming, satisfied = satisfied, base = base, rate = rate, period = period).to_string()
        }
    };
    let rows: Vec<StackedRow> = countries
        .iter()
        .map(|r| StackedRow {
            label: crate::lang::country(&r.country),
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
            <p class="notice notice-ok scope">{s}<a href=DashboardParams { country: None, case_id: None, group_id: None, ..params.clone() }.href("/")>{crate::tr!(dashboard.show_all)}</a></p>
        })}
        <p class="headline" id="headline">{headline}</p>
        <div class="tiles">
            {tile(crate::tr!(dashboard.total), crate::lang::integer(crate::lang::current(), c.total), "total", all(None), Some(crate::tr!(dashboard.drafts_not_counted).into()))}
            {tile(crate::tr!(dashboard.fulfilled), crate::lang::integer(crate::lang::current(), c.fulfilled), "fulfilled", all(Some(StatusFilter::Is(Status::Fulfilled))), None)}
            {tile(crate::tr!(dashboard.partially_fulfilled), crate::lang::integer(crate::lang::current(), c.partially_fulfilled), "partially_fulfilled", all(Some(StatusFilter::Is(Status::PartiallyFulfilled))), None)}
            {tile(crate::tr!(dashboard.refused), crate::lang::integer(crate::lang::current(), c.refused), "refused", all(Some(StatusFilter::Is(Status::Refused))), None)}
            {tile(crate::tr!(dashboard.suspended), crate::lang::integer(crate::lang::current(), c.suspended), "suspended", all(Some(StatusFilter::Is(Status::Suspended))), None)}
            {tile(crate::tr!(dashboard.open), crate::lang::integer(crate::lang::current(), c.open), "open", all(Some(StatusFilter::Open)), None)}
            {tile(crate::tr!(dashboard.no_response_overdue), crate::lang::integer(crate::lang::current(), c.overdue), "overdue", all(Some(StatusFilter::Overdue)), None)}
            {tile(crate::tr!(dashboard.fulfilment_rate), crate::lang::rate(c.fulfilment_rate()), "fulfilment_rate", all(None),
                Some(crate::tr!(dashboard.tile_fulfilled, n = c.satisfied(), base = c.base()).to_string()))}
            {tile(crate::tr!(dashboard.response_rate), crate::lang::rate(c.response_rate()), "response_rate", all(None),
                Some(crate::tr!(dashboard.tile_answered, n = c.answered(), base = c.base()).to_string()))}
            {tile(crate::tr!(dashboard.days_to_answer), crate::lang::days(figures.days.median()), "median_days", all(None),
                Some(crate::tr!(dashboard.tile_days, p90 = crate::lang::days(figures.days.p90())).to_string()))}
            {tile(crate::tr!(dashboard.days_without_stopped_time), crate::lang::days(figures.net_days.median()), "median_net_days", all(None),
                Some(crate::tr!(dashboard.tile_days, p90 = crate::lang::days(figures.net_days.p90())).to_string()))}
            {tile(crate::tr!(dashboard.days_to_acknowledge), crate::lang::days(figures.ack_days.median()), "median_ack_days", all(None),
                Some(crate::tr!(dashboard.tile_acknowledged, n = figures.ack_days.count()).to_string()))}
        </div>
        <div class="band-tables">
            <AnswerTimes days=figures.days.clone()/>
            <PendingAges bands=pending_ages/>
        </div>

        <div class="section-head">
            <h2 id="by-country">{crate::tr!(dashboard.by_country)}</h2>
            <nav class="order" aria-label={crate::tr!(dashboard.order_countries_by)}>
                {crate::tr!(dashboard.order_by)} {order_link(CountryOrder::Volume, crate::tr!(dashboard.order_volume))} " · "
                {order_link(CountryOrder::Fulfilment, crate::tr!(dashboard.fulfilment_rate_lc))} " · "
                {order_link(CountryOrder::Overdue, crate::tr!(dashboard.order_overdue))}
            </nav>
            <a class="button" href=csv_href download="rogatory-by-country.csv" rel="external" data-csv="countries">{crate::tr!(dashboard.download_csv)}</a>
        </div>
        <ul class="legend" aria-label={crate::tr!(dashboard.legend)}>
            {legend.iter().map(|s| view! {
                <li data-key=s.key>
                    <Swatch key=s.key/>
                    {s.label}
                </li>
            }).collect_view()}
        </ul>
        {if rows.is_empty() {
            view! { <p class="empty">{crate::tr!(dashboard.no_requests_in_this_period)}</p> }.into_any()
        } else {
            view! {
                <figure id="chart-by-country" class="chart-figure">
                    <StackedBars rows title={crate::tr!(dashboard.requests_by_country_and_outcome)}/>
                    <SvgDownload target="chart-by-country" filename="rogatory-by-country.svg"/>
                </figure>
                <p class="hint">{crate::tr!(dashboard.bars_requests_by_outcome_after_each)}
                    {crate::tr!(dashboard.fewer_than_10_requests_withdrawn_ones)}
                    {crate::tr!(dashboard.ordering_by_fulfilment_rate_uses_the)}</p>
            }.into_any()
        }}
        <details class="table-view" open=countries.len() <= 3 id="by-country-table">
            <summary>{crate::tr!(dashboard.table_of_the_same_numbers)}</summary>
            <div tabindex="0" class="table-wrap">
                <table class="by-country">
                    <thead><tr>
                        <th scope="col">{crate::tr!(dashboard.country)}</th><th scope="col" class="num">{crate::tr!(dashboard.total)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.fulfilled)}</th><th scope="col" class="num">{crate::tr!(dashboard.partially)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.refused)}</th><th scope="col" class="num">{crate::tr!(dashboard.suspended)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.open)}</th><th scope="col" class="num">{crate::tr!(dashboard.overdue)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.withdrawn)}</th><th scope="col" class="num">{crate::tr!(dashboard.fulfilment_rate)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.response_rate)}</th>
                    </tr></thead>
                    <tbody>
                        {countries.iter().map(|r| {
                            let k = r.counts;
                            view! {
                                <tr data-country=r.country.clone()>
                                    <td>
                                        <a href=params.drill_down(today, Some(&r.country), None)>{crate::lang::country(&r.country)}</a>
                                        " "
                                        <a class="country-dashboard" href=DashboardParams { country: Some(r.country.clone()), ..params.clone() }.href("/")
                                            title=crate::tr!(dashboard.dashboard_of, country = crate::lang::country(&r.country)).to_string()>{crate::tr!(dashboard.dashboard_lc)}</a>
                                        " "
                                        <a class="country-profile" href=format!("/countries/{}", r.country)
                                            title=crate::tr!(dashboard.profile_of, country = crate::lang::country(&r.country)).to_string()>{crate::tr!(dashboard.profile_lc)}</a>
                                    </td>
                                    <td class="num" data-col="total">{k.total}</td>
                                    <td class="num" data-col="fulfilled">{k.fulfilled}</td>
                                    <td class="num" data-col="partially_fulfilled">{k.partially_fulfilled}</td>
                                    <td class="num" data-col="refused">{k.refused}</td>
                                    <td class="num" data-col="suspended">{k.suspended}</td>
                                    <td class="num" data-col="open">{k.open}</td>
                                    <td class="num" data-col="overdue">{k.overdue}</td>
                                    <td class="num" data-col="withdrawn">{k.withdrawn}</td>
                                    <td class="num" data-col="fulfilment_rate">{crate::lang::rate(k.fulfilment_rate())}{r.small_sample().then_some(" *")}</td>
                                    <td class="num" data-col="response_rate">{crate::lang::rate(k.response_rate())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
        <Map countries=countries.clone() params=params.clone() today/>
        <GroupsCompared rows=group_rows params=params.clone()/>
        <OverTime months quarters events params=params.clone() today/>
        <Grounds grounds params=params.clone()/>
        <Reciprocity rows=reciprocity params=params.clone() today/>
        <ExtraditionPersons rows=extradition_persons/>
    }
}

/// Persons sought, surrendered and refused in the extradition requests the filters select,
/// by country (domain.md, "Persons in the figures").
#[component]
fn ExtraditionPersons(rows: Vec<(String, crate::domain::country_profile::PersonFigures)>) -> impl IntoView {
    let locale = crate::lang::current();
    let n = move |v: i64| crate::lang::integer(locale, v);
    (!rows.is_empty()).then(|| {
        view! {
            <h2 id="extradition-persons">{crate::tr!(dashboard.extradition_persons)}</h2>
            <div tabindex="0" class="table-wrap">
                <table class="extradition-persons">
                    <thead><tr>
                        <th scope="col">{crate::tr!(dashboard.country)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.persons_sought)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.persons_surrendered)}</th>
                        <th scope="col" class="num">{crate::tr!(dashboard.persons_refused)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(country, f)| view! {
                            <tr data-country=country.clone()>
                                <td><a href=format!("/countries/{country}")>{crate::lang::country(&country)}</a></td>
                                <td class="num" data-col="sought">{n(f.sought)}</td>
                                <td class="num" data-col="surrendered">{n(f.surrendered)}</td>
                                <td class="num" data-col="refused">{n(f.refused)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">{crate::tr!(dashboard.extradition_persons_hint)}</p>
        }
    })
}

/// A section heading with the download of its numbers as CSV.
fn section_head(id: &'static str, title: &'static str, params: &DashboardParams, chart: &'static str) -> impl IntoView {
    let filename = format!("rogatory-{chart}.csv");
    view! {
        <div class="section-head">
            <h2 id=id>{title}</h2>
            <a class="button" href=params.csv_href(chart) download=filename rel="external" data-csv=chart>{crate::tr!(dashboard.download_csv)}</a>
        </div>
    }
}

#[component]
pub(crate) fn Map(countries: Vec<CountryRow>, params: DashboardParams, today: chrono::NaiveDate) -> impl IntoView {
    let response = params.map_response;
    let metric = if response { crate::tr!(dashboard.response_rate) } else { crate::tr!(dashboard.fulfilment_rate) };
    let values: Vec<MapCountry> = countries
        .iter()
        .map(|r| {
            let rate = if response { r.counts.response_rate() } else { r.counts.fulfilment_rate() };
            let (country, base, shown) = (crate::lang::country(&r.country), r.counts.base(), crate::lang::rate(rate));
            let tip = if response {
                crate::tr!(dashboard.map_tip_answered, country = country, n = r.counts.answered(), base = base, rate = shown)
                    .to_string()
            } else {
                crate::tr!(dashboard.map_tip_fulfilled, country = country, n = r.counts.satisfied(), base = base, rate = shown)
                    .to_string()
            };
            MapCountry { code: r.country.clone(), rate, tip, href: params.drill_down(today, Some(&r.country), None) }
        })
        .collect();
    let on_map = mapped_codes();
    let missing: Vec<String> =
        countries.iter().filter(|r| !on_map.contains(&r.country.as_str())).map(|r| crate::lang::country(&r.country)).collect();
    let switch = |to_response: bool, label: &'static str| {
        let current = response == to_response;
        view! { <a href=DashboardParams { map_response: to_response, ..params.clone() }.href("/") class:current=current aria-current=current.then_some("true")>{label}</a> }
    };
    let title = crate::tr!(dashboard.map_title, metric = metric.to_lowercase()).to_string();
    view! {
        <div class="section-head">
            <h2 id="map">{crate::tr!(dashboard.world_map)}</h2>
            <nav class="order" aria-label={crate::tr!(dashboard.rate_on_the_map)}>
                {crate::tr!(dashboard.shows)} {switch(false, crate::tr!(dashboard.fulfilment_rate_lc))} " · " {switch(true, crate::tr!(dashboard.response_rate_lc))}
            </nav>
            <a class="button" href=params.csv_href("countries") download="rogatory-map.csv" rel="external" data-csv="map">{crate::tr!(dashboard.download_csv)}</a>
        </div>
        <figure id="chart-map" class="chart-figure">
            <WorldMap countries=values title/>
            <SvgDownload target="chart-map" filename="rogatory-map.svg"/>
        </figure>
        <p class="hint">{crate::tr!(dashboard.map_hint, metric = metric).to_string()}
            {(!missing.is_empty()).then(|| crate::tr!(dashboard.map_missing, list = missing.join(", ")).to_string())}</p>
    }
}

/// The answers of the view by time to answer (`figures::ANSWER_BANDS`), each band's
/// count and share with a bar.
#[component]
fn AnswerTimes(days: DaysToAnswer) -> impl IntoView {
    let locale = crate::lang::current();
    let caption = crate::tr!(
        dashboard.answer_times_caption,
        n = crate::lang::integer(locale, days.count()),
        median = crate::lang::days(days.median()),
        p90 = crate::lang::days(days.p90())
    );
    let heading = crate::tr!(dashboard.time_to_answer);
    let table = BandTable { id: "answer-times", heading, caption, column: crate::tr!(dashboard.answers), colour: "answered" };
    view! { <BandsView table bands=days.bands() empty=crate::tr!(dashboard.no_answers_in_this_view)/> }
}

/// The view's requests still waiting for an answer (open or suspended) by their age today.
#[component]
fn PendingAges(bands: [i64; 5]) -> impl IntoView {
    let locale = crate::lang::current();
    let total: i64 = bands.iter().sum();
    let caption = crate::tr!(dashboard.pending_ages_caption, n = crate::lang::integer(locale, total));
    let heading = crate::tr!(dashboard.pending_ages);
    let table = BandTable { id: "pending-ages", heading, caption, column: crate::tr!(dashboard.pending), colour: "open" };
    view! { <BandsView table bands empty=crate::tr!(dashboard.nothing_pending_in_this_view)/> }
}

/// What a table of the five bands of months is: its id (also its class), heading,
/// caption, the count column's name, and its bars' colour.
struct BandTable {
    id: &'static str,
    heading: &'static str,
    caption: String,
    column: &'static str,
    colour: &'static str,
}

/// Counts in `figures::ANSWER_BANDS`, each with its share and a bar; `empty` when all
/// are zero.
#[component]
fn BandsView(table: BandTable, bands: [i64; 5], empty: &'static str) -> impl IntoView {
    let total: i64 = bands.iter().sum();
    let locale = crate::lang::current();
    let BandTable { id, heading, caption, column, colour: fill } = table;
    view! {
        <section class="band-section">
            <h2 id=id>{heading}</h2>
            {if total == 0 {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <div tabindex="0" class="table-wrap narrow-table">
                        <table class=format!("band-table {id}")>
                            <caption>{caption}</caption>
                            <thead><tr>
                                <th scope="col">{heading}</th>
                                <th scope="col" class="num">{column}</th>
                                <th scope="col" class="num">{crate::tr!(dashboard.share)}</th>
                                <th scope="col"><span class="visually-hidden">{crate::tr!(dashboard.share)}</span></th>
                            </tr></thead>
                            <tbody>
                                {bands.iter().zip(crate::tables::band_names()).enumerate().map(|(i, (n, label))| {
                                    let share = *n as f64 / total as f64;
                                    view! {
                                        <tr data-band=i data-count=*n>
                                            <th scope="row">{label}</th>
                                            <td class="num">{crate::lang::integer(locale, *n)}</td>
                                            <td class="num">{crate::lang::rate(Some(share))}</td>
                                            <td class="bar">
                                                <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">
                                                    <rect width=format!("{:.2}", share * 100.0) height="10" fill=colour(fill)/>
                                                </svg>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn OverTime(
    months: Vec<MonthRow>,
    quarters: Vec<QuarterRow>,
    events: Vec<crate::domain::chart_event::ChartEvent>,
    params: DashboardParams,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let series = vec![
        Series { key: "started", label: crate::tr!(dashboard.started) },
        Series { key: "answered", label: crate::tr!(dashboard.answered) },
    ];
    let marks: Vec<Mark> =
        events.iter().enumerate().map(|(i, e)| Mark { column: e.month(), number: i + 1, title: e.title.clone() }).collect();
    let columns: Vec<Column> = months
        .iter()
        .map(|m| Column {
            label: m.month.clone(),
            values: vec![m.started, m.answered],
            href: params.drill_down_month(today, &m.month),
        })
        .collect();
    view! {
        {section_head("over-time", crate::tr!(dashboard.over_time), &params, "months")}
        {if months.is_empty() {
            view! { <p class="empty">{crate::tr!(dashboard.no_requests_in_this_period)}</p> }.into_any()
        } else {
            view! {
                <ul class="legend">
                    {series.iter().map(|s| view! {
                        <li><Swatch key=s.key/>{s.label}</li>
                    }).collect_view()}
                </ul>
                <figure id="chart-over-time" class="chart-figure">
                    <Columns columns series marks title={crate::tr!(dashboard.requests_started_and_answered_per_month)}/>
                    <SvgDownload target="chart-over-time" filename="rogatory-over-time.svg"/>
                </figure>
                <EventList events=events.clone()/>
            }.into_any()
        }}
        <p class="hint">{crate::tr!(dashboard.click_a_month_for_the_requests)}
            <a href=params.csv_href("quarters") download="rogatory-quarters.csv" rel="external" data-csv="quarters">{crate::tr!(dashboard.download_the_quarters_as_csv)}</a></p>
        <div tabindex="0" class="table-wrap narrow-table">
            <table class="quarters">
                <caption>{crate::tr!(dashboard.fulfilment_rate_by_quarter_of_the)}</caption>
                <thead><tr><th scope="col">{crate::tr!(dashboard.quarter)}</th><th scope="col" class="num">{crate::tr!(dashboard.requests)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.fulfilled_incl_partially)}</th><th scope="col" class="num">{crate::tr!(dashboard.fulfilment_rate)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.response_rate)}</th></tr></thead>
                <tbody>
                    {quarters.iter().map(|q| view! {
                        <tr data-quarter=q.quarter.clone()>
                            <td>{q.quarter.clone()}</td>
                            <td class="num">{q.counts.total}</td>
                            <td class="num">{q.counts.satisfied()}</td>
                            <td class="num" data-col="fulfilment_rate">{crate::lang::rate(q.counts.fulfilment_rate())}</td>
                            <td class="num">{crate::lang::rate(q.counts.response_rate())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The events marked on the chart above, numbered as on it, with their day and countries.
#[component]
fn EventList(events: Vec<crate::domain::chart_event::ChartEvent>) -> impl IntoView {
    let locale = crate::lang::current();
    (!events.is_empty()).then(|| {
        view! {
            <ol class="chart-events" aria-label=crate::tr!(events.marked_events)>
                {events.into_iter().map(|e| {
                    let countries = e.countries.iter().map(|c| crate::lang::country(c)).collect::<Vec<_>>().join(", ");
                    view! {
                        <li data-event-title=e.title.clone()>
                            <span class="event-date">{crate::lang::date(locale, e.on_date)}</span>" — "{e.title.clone()}
                            {(!countries.is_empty()).then(|| view! { <span class="muted">" ("{countries}")"</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    })
}

#[component]
fn Grounds(grounds: Vec<GroundRow>, params: DashboardParams) -> impl IntoView {
    let total: i64 = grounds.iter().map(|g| g.count).sum();
    let max = grounds.iter().map(|g| g.count).max().unwrap_or(1).max(1);
    view! {
        {section_head("refusal-grounds", crate::tr!(dashboard.refusal_grounds), &params, "grounds")}
        {if grounds.is_empty() {
            view! { <p class="empty">{crate::tr!(dashboard.no_refusals_in_this_period)}</p> }.into_any()
        } else {
            view! {
                <table class="grounds">
                    <tbody>
                        {grounds.iter().map(|g| {
                            let w = 300.0 * g.count as f64 / max as f64;
                            view! {
                                <tr data-ground=g.ground.code()>
                                    <th scope="row">{g.ground.text()}</th>
                                    <td class="num" data-col="count">{g.count}</td>
                                    <td class="num">{crate::lang::rate(crate::domain::figures::rate(g.count, total))}</td>
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
                tip: crate::tr!(
                    dashboard.reciprocity_tip,
                    country = crate::lang::country(&r.country),
                    theirs = crate::lang::rate(Some(x)),
                    ours = crate::lang::rate(Some(y))
                )
                .to_string(),
            })
        })
        .collect();
    view! {
        {section_head("reciprocity", crate::tr!(dashboard.reciprocity), &params, "reciprocity")}
        <p class="hint">{crate::tr!(dashboard.for_each_country_with_requests_both)}</p>
        {if rows.is_empty() {
            view! { <p class="empty">{crate::tr!(dashboard.no_country_has_requests_in_both)}</p> }.into_any()
        } else {
            view! {
                <div class="reciprocity">
                    <div class="scatter-wrap">
                        <figure id="chart-reciprocity" class="chart-figure">
                            <Scatter points title={crate::tr!(dashboard.reciprocity_their_fulfilment_of_our_requests)}
                                x_label={crate::tr!(dashboard.they_fulfil_ours)} y_label={crate::tr!(dashboard.we_fulfil_theirs)}/>
                            <SvgDownload target="chart-reciprocity" filename="rogatory-reciprocity.svg"/>
                        </figure>
                    </div>
                    <div tabindex="0" class="table-wrap">
                        <table class="reciprocity-table">
                            <thead><tr><th scope="col">{crate::tr!(dashboard.country)}</th>
                                <th scope="col" class="num">{crate::tr!(dashboard.our_requests)}</th><th scope="col" class="num">{crate::tr!(dashboard.they_fulfil)}</th>
                                <th scope="col" class="num">{crate::tr!(dashboard.their_requests)}</th><th scope="col" class="num">{crate::tr!(dashboard.we_fulfil)}</th></tr></thead>
                            <tbody>
                                {rows.iter().map(|r| view! {
                                    <tr data-country=r.country.clone()>
                                        <td>{crate::lang::country(&r.country)}</td>
                                        <td class="num">{r.outgoing.total}</td>
                                        <td class="num" data-col="theirs">{crate::lang::rate(r.theirs())}</td>
                                        <td class="num">{r.incoming.total}</td>
                                        <td class="num" data-col="ours">{crate::lang::rate(r.ours())}</td>
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
        {section_head("groups", crate::tr!(dashboard.country_groups_side_by_side), &params, "groups")}
        <div tabindex="0" class="table-wrap narrow-table">
            <table class="groups-compared">
                <thead><tr><th scope="col">{crate::tr!(dashboard.group)}</th><th scope="col" class="num">{crate::tr!(dashboard.total)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.fulfilled_incl_partially)}</th><th scope="col" class="num">{crate::tr!(dashboard.refused)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.overdue)}</th><th scope="col" class="num">{crate::tr!(dashboard.fulfilment_rate)}</th>
                    <th scope="col" class="num">{crate::tr!(dashboard.response_rate)}</th></tr></thead>
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
                                <td class="num" data-col="fulfilment_rate">{crate::lang::rate(g.counts.fulfilment_rate())}</td>
                                <td class="num" data-col="response_rate">{crate::lang::rate(g.counts.response_rate())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
