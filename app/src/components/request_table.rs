//! The registry table: sortable headers, overdue rows flagged, keyset page links.

use crate::api::requests::count_requests;
use crate::components::{DirectionBadge, ErrorNotice, StatusBadge};
use crate::domain::{ListParams, RequestPage, SortColumn};
use crate::labels::Label;
use leptos::prelude::*;

/// "N requests" (or "1 request"), the number in the page's language.
fn count_of(n: i64) -> String {
    if n == 1 {
        crate::tr!(table.one_request).to_string()
    } else {
        crate::tr!(table.n_requests, total = crate::lang::integer(crate::lang::current(), n)).to_string()
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    crate::lang::optional_date(d)
}

/// A column header that sorts by its column (and toggles the direction).
fn header(params: &ListParams, path: &str, column: SortColumn, label: &'static str) -> impl IntoView {
    let sorted = params.sort == column;
    let aria = match (sorted, params.desc) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    let arrow = match (sorted, params.desc) {
        (false, _) => "",
        (true, true) => " ▼",
        (true, false) => " ▲",
    };
    let href = params.sorted_by(column).href(path);
    view! {
        <th scope="col" aria-sort=aria>
            <a href=href class="sort" data-sort=column.code()>{label}{arrow}</a>
        </th>
    }
}

#[component]
pub fn RequestTable(page: RequestPage, params: ListParams, #[prop(into)] path: String) -> impl IntoView {
    let RequestPage { rows, total, total_capped, next, prev } = page;
    let shown = rows.len();
    let prev_href = prev.map(|c| params.page_before(&c).href(&path));
    let next_href = next.map(|c| params.page_after(&c).href(&path));
    let headers = [
        (SortColumn::Reference, crate::tr!(table.reference)),
        (SortColumn::Direction, crate::tr!(table.direction)),
        (SortColumn::Country, crate::tr!(table.country)),
        (SortColumn::Kind, crate::tr!(table.kind)),
        (SortColumn::Offence, crate::tr!(table.offence)),
        (SortColumn::Case, crate::tr!(table.case)),
        (SortColumn::Start, crate::tr!(table.start_date)),
        (SortColumn::Due, crate::tr!(table.due)),
        (SortColumn::Status, crate::tr!(table.status)),
        (SortColumn::Answered, crate::tr!(table.answered)),
        (SortColumn::Assignee, crate::tr!(table.assignee)),
    ]
    .into_iter()
    .map(|(c, l)| header(&params, &path, c, l))
    .collect_view();
    let body = rows
        .into_iter()
        .map(|r| {
            let href = format!("/requests/{}", r.id);
            let case = r.case_number.clone().map(|n| {
                let case_href = format!("/cases/{}", r.case_id.unwrap_or_default());
                view! { <a href=case_href>{n}</a> }
            });
            view! {
                <tr class:overdue-row=r.overdue data-id=r.id>
                    <td>
                        <a href=href class="ref">{r.reference.clone()}</a>
                        {r.urgent.then(|| view! { <span class="badge urgent">{crate::tr!(table.urgent)}</span> })}
                    </td>
                    <td><DirectionBadge direction=r.direction/></td>
                    <td title=r.country.clone()>{crate::lang::country(&r.country)}</td>
                    <td>{r.kind.text()}</td>
                    <td>{r.offence.text()}</td>
                    <td>{case}</td>
                    <td class="num">{date(r.start_date)}</td>
                    <td class="num">{date(r.due_on)}</td>
                    <td><StatusBadge status=r.status overdue=r.overdue/></td>
                    <td class="num">{date(r.answered_on)}</td>
                    <td class="assignee">{r.assignee.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    // Past the cap the count says "more than"; "count them all" asks for the exact
    // number (a read of every match: on demand only).
    let filter = params.filter.clone();
    let count_all = Action::new(move |_: &()| count_requests(filter.clone()));
    let counted = count_all.value();
    let count_text = move || match counted.get() {
        Some(Ok(n)) => count_of(n),
        _ if total_capped => crate::tr!(table.more_than, total = crate::lang::integer(crate::lang::current(), total)).to_string(),
        _ => count_of(total),
    };
    view! {
        <p class="result-count" data-total=total>
            <span class="count">{count_text}</span>
            {total_capped.then(|| view! {
                <Show when=move || !matches!(counted.get(), Some(Ok(_)))>
                    <button type="button" class="count-all" disabled=move || count_all.pending().get()
                        on:click=move |_| { count_all.dispatch(()); }>
                        {move || if count_all.pending().get() { crate::tr!(table.counting) } else { crate::tr!(table.count_them_all) }}
                    </button>
                </Show>
            })}
            {(shown > 0 && (total as usize) > shown).then(|| crate::tr!(table.showing_per_page, shown = shown).to_string())}
        </p>
        {move || match counted.get() {
            Some(Err(e)) => Some(view! { <ErrorNotice error=e/> }),
            _ => None,
        }}
        {if shown == 0 {
            view! { <p class="empty">{crate::tr!(table.no_requests_match_these_filters)}</p> }.into_any()
        } else {
            view! {
                <div tabindex="0" class="table-wrap">
                    <table class="registry">
                        <thead><tr>{headers}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="pager" aria-label={crate::tr!(table.pages)}>
            {match prev_href {
                Some(h) => view! { <a href=h rel="prev" class="button">{crate::tr!(table.previous)}</a> }.into_any(),
                None => view! { <span class="button disabled" aria-disabled="true">{crate::tr!(table.previous)}</span> }.into_any(),
            }}
            {match next_href {
                Some(h) => view! { <a href=h rel="next" class="button">{crate::tr!(table.next)}</a> }.into_any(),
                None => view! { <span class="button disabled" aria-disabled="true">{crate::tr!(table.next)}</span> }.into_any(),
            }}
        </nav>
    }
}
